"""What the builder's plot shows for the sliders' values: the approximation view's figure and
feedback (score, goal, hints) for the architecture's spec, the selected unit's curve drawn
thicker, and the diagram of the same weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Patch, no_update
from dash.exceptions import PreventUpdate

from dashboard.figures import slots
from dashboard.figures_diagram import diagram_figure, diagram_patch
from dashboard.i18n import normalise
from dashboard.model import get_activation
from dashboard.model.train import Architecture
from dashboard.problem import Problem, build
from dashboard.sections import ApproxSpec
from dashboard.views import approx, feedback
from dashboard.views.builder.records import arch_record, selected_unit, spec_of
from dashboard.views.drawn import redraws

HIGHLIGHT_WIDTH = 5
"""Line width of the selected unit's curve (others: Plotly's default, 2)."""
NORMAL_WIDTH = 2


def hidden_trace(spec: ApproxSpec, problem: Problem, unit: tuple[int, int] | None) -> int | None:
    """Index in the figure's data of a hidden unit's curve (None for the output or none)."""
    if unit is None:
        return None
    for i, s in enumerate(slots(spec, problem.beyond, problem.stack)):
        if s.kind == "hidden" and (s.layer + 1, s.unit + 1) == unit:
            return i
    return None


def update(
    arch: Architecture,
    names: Sequence[str],
    values: Sequence[Any],
    lang: Any,
    controls: Sequence[Any],
    selected: Any,
    drawn: Any,
    hints: bool = True,
) -> dict[str, Any]:
    """The plot for the sliders' values, as named outputs: the figure (or a Patch), the drawn
    record, the feedback (status, score, goal, hints by slider, each hint "" without
    ``hints``; packed as ``feedback.packed``) and the diagram; through ``approx.update_all``
    with the architecture's spec. A training frame writes the same names.

    The record adds to the approximation view's the network ("arch"), the selected unit and
    whether hints were drawn: a figure of another network, or one drawn without hints when
    they are wanted, is drawn whole (``drawn.redraws``)."""
    lang = normalise(lang)
    spec = spec_of(arch)
    if set(names) != set(spec.names):  # the sliders of another architecture: wait for ours
        raise PreventUpdate
    mine = {"arch": arch_record(arch), "hints": hints}
    prior = None if redraws(drawn, mine, ("arch", "hints") if hints else ("arch",)) else drawn
    figure, message, record, score, goal, goal_class, texts = approx.update_all(
        spec, names, values, arch.activations[0], lang, prior, controls, hints=hints
    )
    by_name = dict(zip(spec.slider_order, texts, strict=True)) if isinstance(texts, list) else None
    out = {
        "figure": figure,
        "drawn": record,
        "feedback": feedback.packed(message, score, goal, goal_class, by_name or no_update),
        "diagram": no_update,
    }
    if message or (record is no_update and prior is None):
        return out
    unit = selected_unit(selected, arch)
    record = {**(prior if record is no_update else record), **mine}  # type: ignore[dict-item]
    record["selected"] = list(unit) if unit else None
    was = selected_unit(prior.get("selected"), arch) if prior else None
    if figure is no_update and was == unit:
        return {**out, "drawn": no_update}
    net = spec.network(record["values"], get_activation(arch.activations[0]))
    problem = build(spec, *controls)  # update_all checked it
    if isinstance(figure, dict):
        index = hidden_trace(spec, problem, unit)
        if index is not None:
            figure["data"][index].setdefault("line", {})["width"] = HIGHLIGHT_WIDTH
        return {**out, "drawn": record, "diagram": diagram_figure(net, lang, unit)}
    if was != unit:
        figure = Patch() if figure is no_update else figure
        for who, width in ((was, NORMAL_WIDTH), (unit, HIGHLIGHT_WIDTH)):
            index = hidden_trace(spec, problem, who)
            if index is not None:
                figure["data"][index]["line"]["width"] = width
    return {**out, "figure": figure, "drawn": record, "diagram": diagram_patch(net, lang, unit)}
