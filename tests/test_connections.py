"""A refused request and the connection it came on, over raw sockets against real servers.

The body of a request the app refuses early (``413`` over the size cap, ``400`` for a body that
is not JSON, ``404`` for a path that takes none) is not the app's to read. The connection must
still be usable, or closed: an answer that says ``Connection: keep-alive`` while the body's
bytes are still on the socket makes the next request on it fail (read past, or misparsed as a
request line). So after each such request the client sends a second one on the same
connection, then says it is done sending (a half-close); the second request must get its
correct answer, or the connection must end (EOF, or a reset once the server has closed) with
nothing more on it. Never a second answer to what was not a request.

Both servers the app runs under: werkzeug's threaded development server (``python -m
dashboard``) in this process, and gunicorn as the Procfile starts it. Everything listens on
127.0.0.1 on a port the OS picks, and every wait is bounded.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.devtools.gunicorn import Gunicorn
from dashboard.security import DEFAULT_MAX_REQUEST_BYTES, leaves_body_unread

HOST = "127.0.0.1"
WAIT = 30.0
"""Seconds any one read or send may take."""
UPDATE = "/_dash-update-component"
SECOND = b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"


def raw_request(
    method: str, path: str, body: bytes, content_type: str, chunked: bool = False
) -> bytes:
    head = [f"{method} {path} HTTP/1.1", "Host: localhost", f"Content-Type: {content_type}"]
    if chunked:
        head.append("Transfer-Encoding: chunked")
        size = 64 * 1024
        parts = [body[i : i + size] for i in range(0, len(body), size)]
        payload = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
    else:
        head.append(f"Content-Length: {len(body)}")
        payload = body
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


CAP = DEFAULT_MAX_REQUEST_BYTES
LARGE = b"x" * 300_000
"""Within the cap, and beyond what gunicorn reads off a refused body on its own before it
gives up on the connection (64 KiB)."""
JSON = "application/json"
CASES: dict[str, tuple[bytes, int]] = {
    "over the cap": (raw_request("POST", UPDATE, b" " * (CAP + 1), JSON), 413),
    "far over the cap": (raw_request("POST", UPDATE, b" " * (4 * CAP), JSON), 413),
    "over the cap, chunked": (raw_request("POST", UPDATE, b" " * 2 * CAP, JSON, True), 413),
    "a large body that is not JSON": (raw_request("POST", UPDATE, LARGE, "text/plain"), 400),
    "a small body that is not JSON": (raw_request("POST", UPDATE, b"x" * 1000, "text/plain"), 400),
    "large JSON that is no callback": (
        raw_request("POST", UPDATE, json.dumps({"output": LARGE.decode()}).encode(), JSON),
        400,
    ),
    "a large body to a path that takes none": (
        raw_request("POST", "/health", LARGE, "application/octet-stream"),
        405,
    ),
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Reader:
    """HTTP/1.1 answers read off a socket, one at a time."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _more(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def answer(self) -> Answer | None:
        """The next answer; ``None`` when the connection ends before one begins."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._more():
                assert self.buffer == b"", f"the connection ended mid-answer: {self.buffer[:200]!r}"
                return None
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *lines = head.decode("latin-1").split("\r\n")
        version, code, *_ = status_line.split(" ")
        assert version == "HTTP/1.1" and code.isdigit(), f"not an answer: {head[:200]!r}"
        headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in lines)}
        length = int(headers["content-length"])  # every answer of this app has a length
        while len(self.buffer) < length:
            assert self._more(), "the connection ended mid-body"
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return Answer(int(code), headers, body)

    def rest(self) -> bytes:
        """Whatever comes until the connection ends (a reset counts as an end)."""
        try:
            while self._more():
                pass
        except ConnectionResetError:
            pass
        return self.buffer


def exchange(port: int, first: bytes) -> tuple[Answer, Answer | None, bytes]:
    """Send ``first`` (from a thread: a server may answer before it reads), read its answer,
    send the second request on the same connection and half-close; the two answers (the second
    ``None`` if the connection ended) and any bytes after them."""
    sock = socket.create_connection((HOST, port), timeout=WAIT)
    sent: list[BaseException] = []

    def send() -> None:
        try:
            sock.sendall(first)
        except OSError as e:  # the server closed without reading it all
            sent.append(e)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        reader = Reader(sock)
        one = reader.answer()
        assert one is not None, "no answer to the first request"
        sender.join(WAIT)
        assert not sender.is_alive(), "the first request could not be sent in time"
        try:
            sock.sendall(SECOND)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # closed by the server: the second request is not sent
            return one, None, reader.rest()
        try:
            two = reader.answer()
        except ConnectionResetError:
            return one, None, b""
        return one, two, reader.rest()
    finally:
        sock.close()


def check(port: int, name: str) -> None:
    first, status = CASES[name]
    one, two, rest = exchange(port, first)
    assert one.status == status, (name, one.status, one.body[:200])
    if one.headers.get("content-type", "").startswith(JSON):
        assert json.loads(one.body)["message"], name
    keep_alive = one.headers.get("connection", "keep-alive").lower() != "close"
    if two is None:
        assert not keep_alive, f"{name}: the answer said keep-alive, then the connection ended"
    else:
        assert two.status == 200 and json.loads(two.body) == {"status": "ok"}, (name, two)
    assert rest == b"", f"{name}: more on the connection: {rest[:200]!r}"


@pytest.fixture(scope="module")
def werkzeug_port() -> Iterator[int]:
    """The development server ``python -m dashboard`` runs (``app.run``), threaded."""
    server = make_server(HOST, 0, create_app().server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(WAIT)


@pytest.fixture(scope="module")
def gunicorn_port() -> Iterator[int]:
    with Gunicorn(workers=1) as server:
        yield server.port


@pytest.mark.parametrize("name", list(CASES))
def test_a_refused_body_leaves_the_connection_usable_or_closed_werkzeug(
    werkzeug_port: int, name: str
) -> None:
    check(werkzeug_port, name)


@pytest.mark.parametrize("name", list(CASES))
def test_a_refused_body_leaves_the_connection_usable_or_closed_gunicorn(
    gunicorn_port: int, name: str
) -> None:
    check(gunicorn_port, name)


@pytest.mark.parametrize("server", ["werkzeug", "gunicorn"])
def test_a_normal_request_keeps_its_connection(server: str, request: pytest.FixtureRequest) -> None:
    """The reference: a request the app answers leaves the connection open for the next
    one where the server keeps connections (gunicorn), and both are answered."""
    port = request.getfixturevalue(f"{server}_port")
    one, two, rest = exchange(port, SECOND)
    assert one.status == 200 and rest == b""
    if server == "gunicorn":
        assert one.headers["connection"].lower() == "keep-alive"
        assert two is not None and two.status == 200


@pytest.mark.parametrize(
    ("headers", "closes"),
    [
        ([], False),
        ([("Content-Length", "0")], False),
        ([("CONTENT-LENGTH", str(CAP))], False),  # gunicorn writes header names in capitals
        ([("CONTENT-LENGTH", str(CAP + 1))], True),
        ([("content-length", "lots")], True),
        ([("Content-Length", "-1")], True),
        ([("TRANSFER-ENCODING", "chunked")], True),
        ([("Transfer-Encoding", "gzip, chunked"), ("Content-Length", "10")], True),
    ],
)
def test_which_connections_close_after_their_answer(
    headers: list[tuple[str, str]], closes: bool
) -> None:
    assert leaves_body_unread(headers, CAP) is closes
