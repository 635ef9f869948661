"""gunicorn settings, read from the working directory whenever the Procfile starts gunicorn.

Every value can be changed through the environment, as PaaS platforms do:
PORT, WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, ACCESS_LOG.
"""

from __future__ import annotations

import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let a worker keep connections alive between a student's slider moves; every
# request is short and CPU-bound, so a few are enough.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Load the app once in the master: a bad shipped preset stops start-up right there, with its
# message, instead of every worker dying in turn; workers also share the loaded code.
preload_app = True
accesslog = "-" if os.environ.get("ACCESS_LOG", "1").lower() not in {"0", "false", "no"} else None
errorlog = "-"
limit_request_line = 8190
