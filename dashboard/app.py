"""The Dash application: ``create_app()`` builds a fresh app; ``app``/``server`` serve gunicorn."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import flask
from dash import Dash, dcc, html

from dashboard import assetcache, ids, pageconfig, security, tabs
from dashboard.i18n import LANGUAGES, from_accept_language, t
from dashboard.views import common, pagenames, shell

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
HEALTH_PATH = "health"
"""The health check's path: below the server's root always (a platform asks the process
directly) and, when the app's routes are under a prefix, below that prefix too (an administrator
asks through the reverse proxy)."""
PREFIX_SETTINGS = (
    "DASH_URL_BASE_PATHNAME",
    "DASH_ROUTES_PATHNAME_PREFIX",
    "DASH_REQUESTS_PATHNAME_PREFIX",
)
"""The environment variables through which Dash serves the app under a path prefix."""
PREFIX_PATTERN = re.compile(r"/(?:(?!\.+/)[A-Za-z0-9._~-]+/)*")
"""A path prefix: "/" or segments of URL-safe characters, each ending with "/"."""
pageconfig.publish("views", pagenames.for_scripts)


def request_language() -> str:
    """The language the browser prefers, from its Accept-Language header."""
    if not flask.has_request_context():
        return "en"
    return from_accept_language(flask.request.accept_languages.values())


class PlaygroundDash(Dash):
    """Dash whose page title is in the browser's language, like the first page's layout.

    The language switch changes the title in the browser afterwards (views/common.py). The page
    config (dashboard/pageconfig.py) goes beside Dash's own, before the scripts that read it.
    """

    def interpolate_index(self, **kwargs: Any) -> str:
        title = t(request_language(), "app.title")
        config = kwargs["config"] + pageconfig.script_tag()
        return super().interpolate_index(**{**kwargs, "title": title, "config": config})


class PrefixError(security.SettingError, RuntimeError):
    """A malformed path prefix setting, a ``security.SettingError`` like the others, raised
    as the app is built (Dash reads these variables itself). gunicorn shows a ``RuntimeError``
    raised while it loads the app as ``Error: <text>`` alone, no traceback."""


def check_prefixes(environ: Mapping[str, str] | None = None) -> None:
    """Stop with one line naming the variable if a path prefix setting is malformed, or if
    two are set that Dash refuses together (it would raise its own error naming neither)."""
    env = os.environ if environ is None else environ
    given = []
    for name in PREFIX_SETTINGS:
        raw = env.get(name, env.get(name.lower()))  # Dash reads either spelling
        if raw is None:
            continue
        if not PREFIX_PATTERN.fullmatch(raw):
            raise PrefixError(
                f'{name}={raw!r}: a path prefix must start and end with "/", e.g. /playground/'
                " (letters, digits and - . _ ~ between)"
            )
        given.append(name)
    base, _routes, requests = PREFIX_SETTINGS
    if base in given and len(given) > 1:
        raise PrefixError(
            f"{base} and {given[1]} are both set: set {base} alone when the proxy passes the "
            f"prefix on, or {requests} alone when it strips it"
        )


def health_paths(routes_prefix: str) -> tuple[str, ...]:
    """Where the health check answers: ``/health``, and under the routes prefix if any."""
    root = "/" + HEALTH_PATH
    return (root,) if routes_prefix == "/" else (root, routes_prefix + HEALTH_PATH)


def create_app() -> Dash:
    """Build the app. Every tab's shipped presets are read here, once for this app: a bad file
    stops start-up, as does a malformed path prefix setting (``check_prefixes``)."""
    check_prefixes()
    app_tabs = tabs.for_app()
    app = PlaygroundDash(
        __name__,
        title=t("en", "app.title"),
        assets_folder=ASSETS,
        update_title=None,
        # Only the open tab is on the page: the other tabs' callbacks wait for their components.
        suppress_callback_exceptions=True,
        compress=True,
    )

    def layout() -> html.Div:
        lang = request_language()
        return html.Div(
            [
                html.Header(
                    [
                        html.Div(
                            [
                                html.H1(t(lang, "app.title"), id=ids.text("app.title", "header")),
                                html.P(
                                    t(lang, "app.subtitle"),
                                    id=ids.text("app.subtitle", "header"),
                                    className="subtitle",
                                ),
                            ]
                        ),
                        html.Div(
                            [
                                html.Span(
                                    t(lang, "app.language"),
                                    id=ids.text("app.language", "header"),
                                    className="visually-hidden",
                                ),
                                dcc.RadioItems(
                                    id=ids.LANG,
                                    options=[
                                        {"label": LANGUAGE_NAMES[c], "value": c} for c in LANGUAGES
                                    ],
                                    value=lang,
                                    inline=True,
                                    className="lang-switch",
                                ),
                            ],
                            className="lang",
                        ),
                    ],
                    className="app-header",
                ),
                *shell.layout(app_tabs, lang),
            ],
            className="app",
            lang=lang,
        )

    app.layout = layout
    common.register(app)
    shell.register(app, app_tabs)
    for tab in app_tabs:
        tab.register(app)

    def health() -> flask.Response:
        return flask.jsonify(status="ok")

    for path in health_paths(app.config.routes_pathname_prefix):
        app.server.add_url_rule(path, "health", health)

    security.install(app)  # security headers, body size cap, 400 for malformed callbacks
    assetcache.install(app)  # a year's caching of assets/ files linked with their mtime
    warm_up(app)
    return app


def warm_up(app: Dash) -> None:
    """Let Dash finish setting up now, in the process that creates the app.

    Dash does that on a server's first request, and until it is done it answers 404 for its own
    scripts. A fresh gunicorn worker with several threads gets the page's nine script requests
    at once: one thread starts the set-up and the others, seeing it started, look the scripts up
    too early, so the page stays on "Loading..." (reproduced by tests/test_deploy.py). Done here,
    gunicorn's master does it once (``preload_app``) and every worker starts ready.
    """
    path = "/" + HEALTH_PATH
    response = app.server.test_client().get(path)
    if response.status_code != 200:
        raise RuntimeError(f"the app did not start: {path} answered {response.status_code}")


app = create_app()
server = app.server
