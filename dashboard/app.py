"""The Dash application: ``create_app()`` builds a fresh app; ``app``/``server`` serve gunicorn."""

from __future__ import annotations

import os
from typing import Any

import flask
from dash import Dash, dcc, html

from dashboard import ids, pageconfig, security, tabs
from dashboard.i18n import LANGUAGES, from_accept_language, t
from dashboard.views import common, pagenames, shell

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
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


def create_app() -> Dash:
    """Build the app. Every tab's shipped presets are read here, once for this app: a bad file
    stops start-up."""
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

    @app.server.route("/health")
    def health() -> flask.Response:
        return flask.jsonify(status="ok")

    security.install(app)  # security headers, body size cap, 400 for malformed callbacks
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
    response = app.server.test_client().get("/health")
    if response.status_code != 200:
        raise RuntimeError(f"the app did not start: /health answered {response.status_code}")


app = create_app()
server = app.server
