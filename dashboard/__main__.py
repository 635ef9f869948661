"""``python -m dashboard``: serve the app locally, on 127.0.0.1:8050 unless told otherwise.

``--host``, ``--port`` and ``--debug`` (see ``--help``) take their defaults from ``$HOST``,
``$PORT`` and ``$DASH_DEBUG``. A port that is not a whole number in 1..65535, given either
way, stops start-up with one line naming it, before the app is loaded; so does a bad
``$MAX_REQUEST_BYTES`` or ``$FRAME_ANCESTORS`` (``dashboard.security.check_environment``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
PORTS = range(1, 65536)
TRUE_WORDS = {"1", "true", "yes", "on"}


class StartError(Exception):
    """A setting the server cannot start with; its text is the one line shown."""


def port_number(text: str) -> int:
    """A TCP port from its text, or :class:`ValueError` naming the text."""
    try:
        port = int(text.strip())
    except ValueError:
        port = 0
    if port not in PORTS:
        raise ValueError(f"{text!r} is not a port (a whole number in 1..65535)")
    return port


def _port_argument(text: str) -> int:
    try:
        return port_number(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    """The command line, its defaults read from ``environ`` (a bad ``$PORT``: StartError)."""
    raw_port = environ.get("PORT", "").strip()
    try:
        port = port_number(raw_port) if raw_port else DEFAULT_PORT
    except ValueError as e:
        raise StartError(f"PORT={raw_port!r}: {e}") from None
    debug = environ.get("DASH_DEBUG", "").strip().lower() in TRUE_WORDS
    cli = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Serve the Activation Playground (Dash's development server).",
        epilog="Under a platform (Procfile), gunicorn serves the app: see README.md.",
    )
    cli.add_argument(
        "--host",
        default=environ.get("HOST", "").strip() or DEFAULT_HOST,
        help=f"address to listen on (default: $HOST, else {DEFAULT_HOST})",
    )
    cli.add_argument(
        "--port",
        type=_port_argument,
        default=port,
        help=f"port to listen on, 1..65535 (default: $PORT, else {DEFAULT_PORT})",
    )
    cli.add_argument(
        "--debug",
        action=argparse.BooleanOptionalAction,
        default=debug,
        help="Dash's debug mode and dev tools, for local work only "
        "(default: on when $DASH_DEBUG is 1, true, yes or on)",
    )
    return cli


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> None:
    env = os.environ if environ is None else environ
    try:
        args = parser(env).parse_args(argv)
    except StartError as e:
        sys.exit(f"python -m dashboard: {e}")
    from dashboard.security import SettingError, check_environment

    try:  # the app's own settings (MAX_REQUEST_BYTES, FRAME_ANCESTORS), before it loads
        check_environment(env)
    except SettingError as e:
        sys.exit(f"python -m dashboard: {e}")

    try:  # a path prefix (DASH_URL_BASE_PATHNAME, ...) is checked as the app is built
        from dashboard.app import app
    except SettingError as e:
        sys.exit(f"python -m dashboard: {e}")

    address = f"http://{args.host}:{args.port}{app.config.routes_pathname_prefix}"
    print(f"Activation Playground: {address}", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
