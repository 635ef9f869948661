"""Preset tables in and out of a tab, and its network as code: the classroom controls.

Every tab with parameters (the neuron and the approximation tabs) gets four groups of controls,
each marked with ``data-control`` so an instructor's link can hide it (``dashboard.links``):

- ``presets``: the preset table and its Apply buttons (:mod:`.table`);
- ``upload``: a drop zone for a preset table, and "restore" (:mod:`.upload`);
- ``download``: the current values and the current table as CSV (:mod:`.download`);
- ``export``: PyTorch and Keras snippets of the current network (:mod:`.as_code`). The builder
  has this group only.

Everything the callbacks read comes from the browser (the store included), so it is checked
again before it is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Dash

from dashboard.presets import Preset
from dashboard.sections import Param
from dashboard.views.classroom import as_code, download, table, upload
from dashboard.views.classroom.as_code import export_group, register_export
from dashboard.views.classroom.download import download_group
from dashboard.views.classroom.table import TABLE, preset_of, presets_group, records, table_of
from dashboard.views.classroom.upload import UPLOAD_MAX_SIZE, upload_group

__all__ = [
    "GROUPS",
    "TABLE",
    "UPLOAD_MAX_SIZE",
    "controls",
    "download_group",
    "export_group",
    "preset_of",
    "presets_group",
    "records",
    "register",
    "register_export",
    "table_of",
    "upload_group",
]

GROUPS: tuple[str, ...] = ("presets", "upload", "download", "export")
"""The ``data-control`` names of the groups this package adds (see ``dashboard.links``)."""


def controls(tab: str, names: Sequence[str], shipped: Sequence[Preset], lang: str) -> list[Any]:
    """Every classroom group of a tab with parameters, in page order."""
    return [
        presets_group(tab, names, shipped, lang),
        upload_group(tab, lang),
        download_group(tab, lang),
        export_group(tab, lang),
    ]


def register(
    app: Dash, tab: str, names: Sequence[str], shipped: Sequence[Preset], params: Sequence[Param]
) -> None:
    """The classroom callbacks of a tab with parameters ``names`` (the table's column order),
    its ``shipped`` table and its sliders' ``params`` (their default ranges)."""
    table.register(app, tab, names, params)
    upload.register(app, tab, names, records(shipped))
    download.register(app, tab, names)
    as_code.register(app, tab, names)
