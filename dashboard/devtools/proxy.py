"""A small reverse proxy that strips a path prefix, as nginx's ``proxy_pass http://up/;`` does.

For trying the app behind a sub-path on one machine (tests/browser/test_subpath.py), in front
of an app started with ``DASH_REQUESTS_PATHNAME_PREFIX=/playground/``: a request for
``/playground/<rest>`` is sent on to the upstream as ``/<rest>`` (method, headers, body), and
the answer is streamed back as it arrives. Anything outside the prefix is answered ``404``;
``/playground`` without its slash is redirected to ``/playground/``, as nginx does.

It listens on 127.0.0.1 only and talks to an upstream on 127.0.0.1; every socket has a
timeout, and request bodies are capped (``413`` beyond ``MAX_BODY``). One upstream connection
per request: simple, and cheap on the loopback interface.

    python -m dashboard.devtools.proxy --upstream 8000 --port 8080 --prefix /playground/
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"
PREFIX = "/playground/"
TIMEOUT = 30.0
"""Seconds any socket of the proxy may wait (the client's and the upstream's)."""
MAX_BODY = 8 * 1024 * 1024
"""Largest request body passed on (the app's own cap is lower: dashboard/security.py)."""
CHUNK = 64 * 1024
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
"""Headers that belong to one connection, never passed on (RFC 9110, 7.6.1)."""


class Handler(BaseHTTPRequestHandler):
    """One client connection; the server holds the upstream port, the prefix and the log."""

    protocol_version = "HTTP/1.1"  # keep-alive towards the browser, as nginx
    timeout = TIMEOUT
    server: ProxyServer

    def do_GET(self) -> None:
        self.forward()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: what was forwarded is kept in ``server.log`` instead."""

    def answer(self, status: int, text: str, location: str | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.server.record(self.command, self.path, status)

    def forward(self) -> None:
        prefix = self.server.prefix
        if self.path.split("?", 1)[0] == prefix.rstrip("/"):
            self.answer(301, "moved\n", location=prefix + self.path[len(prefix) - 1 :])
            return
        if not self.path.startswith(prefix):
            self.answer(404, "not under the proxied prefix\n")
            return
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self.answer(411, "a request body needs a Content-Length\n")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True  # the body stays unread
            self.answer(413, "request body too large\n")
            return
        body = self.rfile.read(length) if length else None
        self.relay("/" + self.path[len(prefix) :], body)

    def relay(self, path: str, body: bytes | None) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Host"] = f"{HOST}:{self.server.upstream}"  # nginx's default, $proxy_host
        headers["X-Forwarded-For"] = self.client_address[0]
        headers["X-Forwarded-Proto"] = "http"
        upstream = http.client.HTTPConnection(HOST, self.server.upstream, timeout=TIMEOUT)
        try:
            try:
                upstream.request(self.command, path, body=body, headers=headers)
                response = upstream.getresponse()
            except TimeoutError:
                self.answer(504, "the upstream did not answer in time\n")
                return
            except OSError:
                self.answer(502, "the upstream cannot be reached\n")
                return
            self.stream(response)
        finally:
            upstream.close()

    def stream(self, response: http.client.HTTPResponse) -> None:
        """Send the upstream's answer on: its headers, then its body as it comes (with its
        length when it declared one, chunked otherwise)."""
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        bodiless = self.command == "HEAD" or response.status in (204, 304)
        chunked = not bodiless and response.getheader("Content-Length") is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.server.record(self.command, self.path, response.status)
        if bodiless:
            return
        while piece := response.read1(CHUNK):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, upstream: int, prefix: str) -> None:
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"prefix {prefix!r}: must start and end with '/'")
        self.upstream = upstream
        self.prefix = prefix
        self.log: deque[tuple[str, str, int]] = deque(maxlen=10_000)
        """(method, path as the client asked, status), the latest last."""
        self._lock = threading.Lock()
        super().__init__((HOST, port), Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # the client went away or stalled: its connection goes, nothing to report
        super().handle_error(request, client_address)

    def record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.log.append((method, path, status))

    def requests(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return list(self.log)


class Proxy:
    """A :class:`ProxyServer` on 127.0.0.1:<port> (0: a free one), served in a thread."""

    def __init__(self, upstream: int, prefix: str = PREFIX, port: int = 0) -> None:
        self.server = ProxyServer(port, upstream, prefix)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="strip-prefix-proxy", daemon=True
        )

    @property
    def url(self) -> str:
        """The app's address through the proxy."""
        return f"http://{HOST}:{self.port}{self.server.prefix}"

    def __enter__(self) -> Proxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


def main(argv: list[str] | None = None) -> None:
    cli = argparse.ArgumentParser(prog="python -m dashboard.devtools.proxy", description=__doc__)
    cli.add_argument("--upstream", type=int, required=True, help="the app's port on 127.0.0.1")
    cli.add_argument("--port", type=int, default=8080, help="port to listen on (127.0.0.1)")
    cli.add_argument("--prefix", default=PREFIX, help=f"path prefix stripped (default {PREFIX})")
    args = cli.parse_args(argv)
    proxy = Proxy(args.upstream, args.prefix, args.port)
    print(f"{proxy.url} -> http://{HOST}:{args.upstream}/", flush=True)
    try:
        proxy.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        proxy.server.server_close()


if __name__ == "__main__":
    main()
