"""gunicorn's access log without the line of every successful callback request.

A student dragging a slider sends several callback requests a second; a class of thirty fills
the log with hundreds of identical lines a second, which buries what an administrator looks
for (page loads, health checks, errors) and costs each request about 80 µs of formatting. This
logger leaves out exactly those: POSTs to Dash's ``_dash-update-component`` answered with a 2xx
status. Every other request, and any callback request that failed, is logged as usual.
``ACCESS_LOG=all`` (gunicorn.conf.py) logs everything.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from dashboard.wire import UPDATE_PATH

CALLBACK_PATH = UPDATE_PATH


def is_quiet(environ: dict[str, Any], status_code: int | None) -> bool:
    """Whether a request is a successful callback request, left out of the access log."""
    return (
        environ.get("REQUEST_METHOD") == "POST"
        and str(environ.get("PATH_INFO", "")).endswith("/" + CALLBACK_PATH)
        and status_code is not None
        and 200 <= status_code < 300
    )


class QuietCallbacks(Logger):
    """:class:`gunicorn.glogging.Logger` that skips :func:`is_quiet` requests."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if is_quiet(environ, getattr(resp, "status_code", None)):
            return
        super().access(resp, req, environ, request_time)
