"""What a plot tab drew, and what changed since: the one diff of "drawn" records.

Every plot tab keeps, in a ``dcc.Store`` beside its graph (``ids.drawn``), a record of what the
figure in the browser was drawn from: a dict with the sliders' values under ``"values"``
(parameter name → number) and whatever else shapes the figure (activation, language, target
problem, overlays, the activation's own parameters, ...). The record travels with each response,
so a response the browser drops leaves it unchanged too, and the next patch covers its changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

WHOLE: tuple[str, ...] = ("activation", "lang", "problem", "overlays")
"""Record keys whose change redraws the whole figure."""
MOVING: tuple[str, ...] = ("params",)
"""Record keys whose change moves every trace a parameter draws (the activation's α, ...)."""


def redraws(drawn: object, record: Mapping[str, Any], whole: Iterable[str] = WHOLE) -> bool:
    """Whether a figure drawn from ``drawn`` must be drawn whole for ``record``: nothing was
    drawn yet (``drawn`` not a dict), or a key of ``whole`` differs (missing counts as None).
    The builder asks it before drawing: a figure of another network is not patched."""
    return not isinstance(drawn, dict) or any(drawn.get(k) != record.get(k) for k in whole)


def changed(
    drawn: object,
    record: Mapping[str, Any],
    *,
    whole: Iterable[str] = WHOLE,
    moving: Iterable[str] = MOVING,
    defaults: Mapping[str, Any] | None = None,
) -> set[str] | None:
    """The parameter names whose value differs between ``drawn`` and ``record``.

    None when the whole figure must be drawn: nothing was drawn yet (``drawn`` not a dict), a
    key of ``whole`` differs, or the two records name different parameters. When a key of
    ``moving`` differs, every parameter counts as changed. An empty set: nothing to draw.
    A key missing from ``drawn`` counts as its value in ``defaults`` (None if none is given
    there): a tab whose records always hold a key may give its value when nothing is set.
    """
    if not isinstance(drawn, dict):
        return None
    if defaults:
        drawn = {**defaults, **drawn}
    old, new = drawn.get("values"), record["values"]
    if redraws(drawn, record, whole) or not isinstance(old, dict) or set(old) != set(new):
        return None
    if any(drawn.get(k) != record.get(k) for k in moving):
        return set(new)
    return {n for n, v in new.items() if old[n] != v}
