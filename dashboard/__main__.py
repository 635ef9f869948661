"""``python -m dashboard``: serve the app locally on 127.0.0.1:8050 ($HOST and $PORT change it)."""

from __future__ import annotations

import os


def main() -> None:
    from dashboard.app import app

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8050"))
    debug = os.environ.get("DASH_DEBUG", "").lower() in {"1", "true", "yes"}
    print(f"Activation Playground: http://{host}:{port}/", flush=True)
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    main()
