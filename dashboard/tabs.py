"""The tab registry: every tab of the page, in the order of the tab bar, each one :class:`Tab`.

The shell (views/shell.py), the app (app.py), the links (:data:`LINKS`, and the page config
assets/links.js reads) and the tests all read :data:`TABS`; nothing else lists the tabs. A tab
is a module of ``dashboard/views`` that gives a layout and registers its callbacks, and one line
here. The views do not import this module: each gets what it needs as arguments.

A tab's preset source is a plain loader that reads its shipped file on every call. The registry
itself reads nothing: ``create_app()`` calls :func:`for_app`, which reads every tab's presets
once for that app (a bad file stops that app's start-up) and gives each tab as an
:class:`AppTab`, whose layout, rebuild and callbacks are handed those presets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dash import Dash
from dash.development.base_component import Component

from dashboard import exercises, links, pageconfig
from dashboard.figures_single import GALLERY_OVERLAYS, NEURON_OVERLAYS
from dashboard.sections import APPROX_SPECS, NEURON_PARAMS, ApproxSpec
from dashboard.views import approx, builder, gallery, neuron, shell

Presets = Sequence[Any]


@dataclass(frozen=True)
class Tab:
    """One tab: its key (in links and ids), the locale key of its title in the tab bar, what
    its link holds, its preset source (reads the shipped file; a bad file raises), its body in a
    language given its presets, the callbacks it registers given its presets and, for a tab
    whose shape a snapshot holds (the builder's network), its body rebuilt from a snapshot of
    its controls (else None: the shell sets the default body's controls from the snapshot)."""

    key: str
    title: str
    links: links.TabLinks
    presets: Callable[[], Presets]
    layout: Callable[[str, Presets], Component]
    register: Callable[[Dash, Presets], None]
    rebuild: Callable[[str, Presets, Mapping[str, Any]], Component] | None = None

    def for_app(self) -> AppTab:
        """This tab for one app, its presets read now."""
        shipped = tuple(self.presets())
        rebuild = self.rebuild
        return AppTab(
            self.key,
            self.title,
            self.links,
            shipped,
            lambda lang: self.layout(lang, shipped),
            lambda app: self.register(app, shipped),
            None if rebuild is None else (lambda lang, kept: rebuild(lang, shipped, kept)),
        )


@dataclass(frozen=True)
class AppTab:
    """A :class:`Tab` of one app, its presets read: what the shell and the app call."""

    key: str
    title: str
    links: links.TabLinks
    presets: tuple[Any, ...]
    layout: Callable[[str], Component]
    register: Callable[[Dash], None]
    rebuild: Callable[[str, Mapping[str, Any]], Component] | None


def _none() -> tuple[()]:
    return ()


def _gallery() -> Tab:
    return Tab(
        gallery.TAB,
        f"tab.{gallery.TAB}",
        links.single(gallery.TAB, overlays=GALLERY_OVERLAYS),
        _none,
        lambda lang, _: gallery.layout(lang),
        lambda app, _: gallery.register(app),
    )


def _neuron() -> Tab:
    overlays = tuple(neuron.DEFAULT_OVERLAYS)
    return Tab(
        neuron.TAB,
        f"tab.{neuron.TAB}",
        links.single(neuron.TAB, NEURON_PARAMS, NEURON_OVERLAYS, overlays),
        neuron.presets,
        neuron.layout,
        neuron.register,
    )


def _approx(spec: ApproxSpec) -> Tab:
    return Tab(
        spec.key,
        f"tab.{spec.key}",
        links.approx(spec),
        lambda: approx.load_presets(spec),
        lambda lang, shipped: approx.layout(spec, shipped, lang),
        lambda app, shipped: approx.register(app, spec, shipped),
    )


def _builder() -> Tab:
    return Tab(
        builder.TAB,
        f"tab.{builder.TAB}",
        links.network(builder.TAB),
        exercises.load,
        lambda lang, shipped: builder.BuilderTab(shipped)(lang),
        lambda app, _: builder.register(app),
        lambda lang, shipped, kept: builder.BuilderTab(shipped).from_snapshot(lang, kept),
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


def for_app() -> tuple[AppTab, ...]:
    """The tabs for one app, each tab's presets read now (a bad shipped file raises)."""
    return tuple(tab.for_app() for tab in TABS)


def _links_config() -> dict[str, Any]:
    """The page config's "links" section (assets/links.js): the link schema, and the keys of
    the shell's saved store the link reads (the instructor's options, whether the page's own
    link has been read)."""
    return {**LINKS.page_config(), "saved": {"options": shell.OPTIONS, "linked": shell.LINKED}}


pageconfig.publish("links", _links_config)
