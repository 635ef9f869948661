"""A WSGI app that answers every request with the same stored bytes, computing nothing.

``bench/updates.py`` runs it under gunicorn with the app's own settings (gunicorn.conf.py) to
measure the ceiling that the server, the load generator and the machine leave: no update can
be served faster than a constant answer of the same size. The answer is read once from the
file named by ``CONSTANT_ANSWER`` (the bench writes a real gzip-compressed update there).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BODY = Path(os.environ["CONSTANT_ANSWER"]).read_bytes()
HEADERS = [
    ("Content-Type", "application/json"),
    ("Content-Encoding", "gzip"),
    ("Content-Length", str(len(BODY))),
]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", HEADERS)
    return [BODY]
