"""Long caching of the page's own assets (assets/), which Dash links fingerprinted.

Dash links every file of assets/ with its modification time, ``/assets/x.js?m=<mtime>``, and
serves it with no freshness of its own, so a browser asks again on every visit. An answer to a
URL whose ``m`` is the file's current modification time is that file's content for good: it
may be kept a year without asking (``immutable``). A changed file gets a new time and so a new
URL, fetched afresh; a URL with any other ``m`` (an old page's, or none) keeps Flask's answer,
revalidated each time.
"""

from __future__ import annotations

import os

import flask
from dash import Dash
from werkzeug.security import safe_join

LONG_CACHE = "public, max-age=31536000, immutable"
FINGERPRINT = "m"
"""The query parameter in which Dash puts an asset's modification time."""


def fingerprinted(folder: str, relative: str, stamp: str | None) -> bool:
    """Whether ``stamp`` is the current modification time of ``relative`` in ``folder``, as
    Dash writes it in the asset's URL."""
    path = safe_join(folder, relative)
    if stamp is None or path is None:
        return False
    try:
        return str(os.stat(path).st_mtime) == stamp
    except OSError:
        return False


def install(app: Dash) -> None:
    """Give a fingerprinted asset's answer (200, or 304 to a revalidation) a year's caching."""
    prefix = app.config.routes_pathname_prefix + app.config.assets_url_path.strip("/") + "/"
    folder = app.config.assets_folder

    @app.server.after_request
    def cache_assets(response: flask.Response) -> flask.Response:
        request = flask.request
        if response.status_code not in (200, 304) or not request.path.startswith(prefix):
            return response
        relative = request.path[len(prefix) :]
        if fingerprinted(folder, relative, request.args.get(FINGERPRINT)):
            response.headers["Cache-Control"] = LONG_CACHE
        return response
