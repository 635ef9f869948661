"""A preset table into a tab's store: an uploaded file, or the shipped table back.

The ``upload`` group is a ``dcc.Upload`` drop zone. The file goes through
``presets.parse_upload`` for the tab's parameter names; a good table replaces the store's (its
notes, the ignored columns, are shown), a bad one changes nothing and is answered with the
message naming file, row and column. "restore" (in the presets group) puts the shipped table
back. Either way the notice is kept in both languages in the tab's upload result store and
shown in the page's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import LANGUAGES, Message, normalise
from dashboard.presets import PresetError, parse_upload
from dashboard.views.classroom.parts import group, group_class
from dashboard.views.classroom.table import records
from dashboard.views.common import HINT_CLASS, text

UPLOAD_MAX_SIZE = 1_400_000
"""Largest file the browser sends at all (``dcc.Upload.max_size``). A little above the reader's
1 MB cap, so a file just over it still reaches the server and gets a message naming its size;
base64-encoded in its request (about 1.87 MB) it stays under ``MAX_REQUEST_BYTES`` (2 MiB)."""

UPLOAD_CLASS = group_class("upload")
"""The class of the upload group; assets/upload.js finds a drop zone's group by it."""
REFUSED_CLASS = "upload-refused"
"""The class of the message saying a file is too large to send; assets/upload.js shows it."""
MAX_BYTES_ATTRIBUTE = "data-max-bytes"
"""The attribute of that message holding the largest file the drop zone takes."""


def upload_group(tab: str, lang: str) -> html.Div:
    """The drop zone for a preset table, and where its result is shown."""
    return group(
        "upload",
        [
            dcc.Upload(
                [
                    text("classroom.drop", tab, lang, html.Strong),
                    text("classroom.drop_hint", tab, lang, html.Span, className=HINT_CLASS),
                ],
                id=ids.upload(tab),
                accept=".csv,.txt,.tsv,text/csv,text/plain,text/tab-separated-values",
                max_size=UPLOAD_MAX_SIZE,
                multiple=False,
                className="dropzone",
                className_active="dropzone active",
                className_reject="dropzone reject",
            ),
            # Shown by assets/upload.js: the browser sends no file over UPLOAD_MAX_SIZE at all,
            # so no callback could say so.
            text(
                "classroom.drop_too_large",
                tab,
                lang,
                html.P,
                hidden=True,
                className=f"report {REFUSED_CLASS}",
                role="alert",
                **{MAX_BYTES_ATTRIBUTE: str(UPLOAD_MAX_SIZE)},
            ),
            html.Div(id=ids.report(tab, "upload"), className="report", role="status"),
            dcc.Store(id=ids.result(tab, "upload"), data=None),
        ],
    )


def both(render: Callable[[str], str]) -> dict[str, str]:
    """A message in every language, for a store the page shows in its current one."""
    return {lang: render(lang) for lang in LANGUAGES}


def upload_result(
    contents: Any, filename: Any, names: Sequence[str]
) -> tuple[list[dict[str, Any]] | None, dict[str, Any]]:
    """The new store data (None: nothing changes) and the notice of an upload."""
    try:
        presets, notes = parse_upload(contents, filename, names)
    except PresetError as e:
        return None, {"kind": "error", "lines": [both(e.render)]}
    file = filename if isinstance(filename, str) else ""
    done = Message("classroom.loaded", {"n": len(presets), "file": _file_label(file)})
    lines = [both(done.render), *(both(n.render) for n in notes)]
    return records(presets), {"kind": "ok", "lines": lines}


def _file_label(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return (name[:60] + "…") if len(name) > 61 else (name or "upload.csv")


def show_notice(notice: Any, lang: str) -> Any:
    """The lines of a notice store in ``lang`` (anything malformed shows nothing)."""
    if not isinstance(notice, Mapping) or not isinstance(notice.get("lines"), list):
        return None
    kind = "error" if notice.get("kind") == "error" else "ok"
    out = []
    for line in notice["lines"][:20]:
        if isinstance(line, Mapping) and isinstance(line.get(lang), str):
            out.append(html.P(line[lang], className=f"notice {kind}"))
    return out or None


def register(app: Dash, tab: str, names: Sequence[str], shipped: list[dict[str, Any]]) -> None:
    """The upload, "restore" (to the ``shipped`` records) and the notice, for a tab with
    parameters ``names``."""
    store = ids.store(tab, "presets")
    result = ids.result(tab, "upload")

    @app.callback(
        Output(store, "data", allow_duplicate=True),
        Output(result, "data"),
        Output(ids.upload(tab), "contents"),
        Input(ids.upload(tab), "contents"),
        State(ids.upload(tab), "filename"),
        prevent_initial_call=True,
    )
    def _upload(contents: Any, filename: Any) -> tuple:
        if contents is None:  # the reset below, or nothing chosen
            raise PreventUpdate
        data, notice = upload_result(contents, filename, names)
        # Clearing the contents lets the same file be chosen again (after an edit, say).
        return (no_update if data is None else data), notice, None

    @app.callback(
        Output(store, "data", allow_duplicate=True),
        Output(result, "data", allow_duplicate=True),
        Input(ids.action(tab, "restore"), "n_clicks"),
        prevent_initial_call=True,
    )
    def _restore(clicks: Any) -> tuple:
        if not clicks:
            raise PreventUpdate
        done = Message("classroom.restored", {"n": len(shipped)})
        return shipped, {"kind": "ok", "lines": [both(done.render)]}

    @app.callback(
        Output(ids.report(tab, "upload"), "children"),
        Input(result, "data"),
        Input(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def _notice(notice: Any, lang: Any) -> Any:
        return show_notice(notice, normalise(lang))
