"""The tab registry: every tab of the page, in the order of the tab bar, each one :class:`Tab`.

The shell (views/shell.py), the app (app.py), the links (:data:`LINKS`, and the page config
assets/links.js reads) and the tests all read :data:`TABS`; nothing else lists the tabs. A tab
is a module of ``dashboard/views`` that gives a layout and registers its callbacks, and one line
here. The views do not import this module: each gets what it needs as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from dash import Dash
from dash.development.base_component import Component

from dashboard import exercises, links, pageconfig
from dashboard.figures_single import GALLERY_OVERLAYS, NEURON_OVERLAYS
from dashboard.sections import APPROX_SPECS, NEURON_PARAMS, ApproxSpec
from dashboard.views import approx, builder, gallery, neuron, shell


@dataclass(frozen=True)
class Tab:
    """One tab: its key (in links and ids), the locale key of its title in the tab bar, its
    body in a language, the callbacks it registers, what its link holds, its shipped presets
    (read once; a bad file raises at start-up) and, for a tab whose shape a snapshot holds (the
    builder's network), its body rebuilt from a snapshot of its controls (else None: the
    shell sets the default body's controls from the snapshot)."""

    key: str
    title: str
    layout: Callable[[str], Component]
    register: Callable[[Dash], None]
    links: links.TabLinks
    presets: Callable[[], Sequence[Any]]
    rebuild: Callable[[str, Mapping[str, Any]], Component] | None = None


def _none() -> tuple[()]:
    return ()


def _gallery() -> Tab:
    return Tab(
        gallery.TAB,
        f"tab.{gallery.TAB}",
        gallery.layout,
        gallery.register,
        links.single(gallery.TAB, overlays=GALLERY_OVERLAYS),
        _none,
    )


def _neuron() -> Tab:
    overlays = tuple(neuron.DEFAULT_OVERLAYS)
    return Tab(
        neuron.TAB,
        f"tab.{neuron.TAB}",
        neuron.layout,
        neuron.register,
        links.single(neuron.TAB, NEURON_PARAMS, NEURON_OVERLAYS, overlays),
        neuron.presets,
    )


def _approx(spec: ApproxSpec) -> Tab:
    presets = cache(lambda: tuple(approx.load_presets(spec)))
    return Tab(
        spec.key,
        f"tab.{spec.key}",
        lambda lang: approx.layout(spec, presets(), lang),
        lambda app: approx.register(app, spec, presets()),
        links.approx(spec),
        presets,
    )


def _builder() -> Tab:
    presets = cache(exercises.load)
    return Tab(
        builder.TAB,
        f"tab.{builder.TAB}",
        lambda lang: builder.BuilderTab(presets())(lang),
        builder.register,
        links.network(builder.TAB),
        presets,
        lambda lang, kept: builder.BuilderTab(presets()).from_snapshot(lang, kept),
    )


TABS: tuple[Tab, ...] = (
    _gallery(),
    _neuron(),
    *(_approx(spec) for spec in APPROX_SPECS),
    _builder(),
)
"""The tabs in the order of the tab bar; the first opens when a link names none."""

BY_KEY: Mapping[str, Tab] = {tab.key: tab for tab in TABS}
LINKS = links.Links([tab.links for tab in TABS])
"""The links of every tab."""


def _links_config() -> dict[str, Any]:
    """The page config's "links" section (assets/links.js): the link schema, and the keys of
    the shell's saved store the link reads (the instructor's options, whether the page's own
    link has been read)."""
    return {**LINKS.page_config(), "saved": {"options": shell.OPTIONS, "linked": shell.LINKED}}


pageconfig.publish("links", _links_config)
