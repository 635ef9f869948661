"""A course page's stand-in: an HTML page on its own loopback origin that frames the app.

``EmbedPage()`` serves, on 127.0.0.1 and a port the OS picks, ``/?src=<address>``: a page
whose only content is an iframe showing that address, as a learning system's page would. Its
``origin`` is what ``FRAME_ANCESTORS`` must name for the app to agree to be framed there.

``python -m dashboard.devtools.embedpage http://127.0.0.1:8050/`` serves it until interrupted
and prints the page's address and the ``FRAME_ANCESTORS`` value to start the app with.
"""

from __future__ import annotations

import contextlib
import html
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

HOST = "127.0.0.1"
FRAME_ID = "embedded-app"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A course page</title>
<link rel="icon" href="data:,"></head>
<body style="margin:0">
<p style="font:14px sans-serif;margin:8px">A course page on {origin}, framing the app:</p>
<iframe id="{frame_id}" src="{src}" title="Activation Playground"
        style="width:100%;max-width:1240px;height:860px;border:1px solid #888"></iframe>
</body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        src = parse_qs(urlsplit(self.path).query).get("src", [""])[0]
        if urlsplit(src).scheme not in ("http", "https"):
            self.send_error(400, "expected ?src=<an http(s) address to frame>")
            return
        body = PAGE.format(
            origin=self.server.origin, frame_id=FRAME_ID, src=html.escape(src, quote=True)
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """No line per request."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.server_port}"


class EmbedPage:
    """The framing page, served from a thread on 127.0.0.1:<free port> while in use."""

    def __init__(self) -> None:
        self._server = _Server((HOST, 0), _Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="embed-page", daemon=True
        )

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``, as a browser names this page's origin."""
        return self._server.origin

    def url_for(self, src: str) -> str:
        """The address of the page that frames ``src``."""
        return f"{self.origin}/?{urlencode({'src': src})}"

    def start(self) -> EmbedPage:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()

    def __enter__(self) -> EmbedPage:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python -m dashboard.devtools.embedpage <the app's address>")
    with EmbedPage() as page:
        print(f"start the app with FRAME_ANCESTORS={page.origin}", flush=True)
        print(f"then open {page.url_for(argv[0])} (Ctrl+C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1:])
