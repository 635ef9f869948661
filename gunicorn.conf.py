"""gunicorn settings, read from the working directory whenever the Procfile starts gunicorn.

Every value can be changed through the environment, as PaaS platforms do:
HOST, PORT, WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, ACCESS_LOG (and
MAX_REQUEST_BYTES and FRAME_ANCESTORS, read by the app itself: dashboard/security.py, and
checked here first). README.md lists them.
"""

from __future__ import annotations

import os
from typing import Any

from dashboard.security import (
    SettingError,
    check_environment,
    leaves_body_unread,
    max_request_bytes,
)


def _stop(message: object) -> SystemExit:
    """What a bad setting raises: gunicorn prints its one line and exits 1, no traceback
    (gunicorn catches an Exception while reading this file, not a SystemExit)."""
    return SystemExit(f"Error: {message}")


def _whole(name: str, default: int, least: int = 1) -> int:
    """A whole number from the environment, or a clear error naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _stop(f"{name}={raw!r}: expected a whole number") from None
    if value < least:
        raise _stop(f"{name}={raw!r}: must be at least {least}")
    return value


bind = f"{os.environ.get('HOST', '0.0.0.0')}:{_whole('PORT', 8000)}"
workers = _whole("WEB_CONCURRENCY", 2)
# Threads let a worker keep connections alive between a student's slider moves; every
# request is short and CPU-bound, so a few are enough.
worker_class = "gthread"
threads = _whole("GUNICORN_THREADS", 4)
keepalive = 5
timeout = _whole("GUNICORN_TIMEOUT", 30)
graceful_timeout = 20
# Load the app once in the master: a bad shipped preset stops start-up right there, with its
# message, before a socket is opened, instead of every worker dying in turn; workers also
# share the loaded code (copy-on-write), which keeps each one's own memory small.
preload_app = True
_access = os.environ.get("ACCESS_LOG", "on").strip().lower()
if _access not in {"on", "1", "true", "yes", "all", "0", "false", "no", "off"}:
    raise _stop(f"ACCESS_LOG={_access!r}: expected on, all or off")
accesslog = None if _access in {"0", "false", "no", "off"} else "-"
# "on": every request but successful callback requests (slider moves); "all": every request.
logger_class = (
    "gunicorn.glogging.Logger" if _access == "all" else "dashboard.serverlog.QuietCallbacks"
)
errorlog = "-"
# The workers' heartbeat files: in memory where there is /dev/shm (containers often mount
# /tmp on a disk whose stalls would make the master think a worker hangs).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Requests stay small: a request line, headers and their number are capped (gunicorn's own
# defaults, stated); bodies are capped by the app (MAX_REQUEST_BYTES, 2 MiB by default).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
try:  # the app's own settings (MAX_REQUEST_BYTES, FRAME_ANCESTORS): one line, no traceback
    check_environment()
except SettingError as _bad:
    raise _stop(_bad) from None
_max_body = max_request_bytes()


def pre_request(worker: Any, req: Any) -> None:
    """Close the connection after answering a request whose body the app may leave partly
    unread (declared over MAX_REQUEST_BYTES, answered 413 unread, or chunked): its answer then
    says ``Connection: close`` instead of promising a connection whose next bytes are the rest
    of that body. An app cannot ask gunicorn for this (a ``Connection`` header it sets is
    dropped); the request object can. Bodies within the cap are read to the end by the app
    (``dashboard.security.finish_body``), so their connections stay open."""
    worker.log.debug("%s %s", req.method, req.path)  # what gunicorn's own hook does
    if leaves_body_unread(req.headers, _max_body):
        req.force_close()
