"""Writing preset tables as CSV text that reads back unchanged: a whole table
(:func:`table_csv`, :func:`write_table`) or a tab's current setting as one row (:func:`to_csv`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from dashboard.model import ACTIVATIONS
from dashboard.numbers import shortest
from dashboard.presets.schema import NAME, PARAM_COLUMNS, Preset, columns_for
from dashboard.presets.validate import check_name


def _cell(value: float, sep: str) -> str:
    text = shortest(value)
    return text.replace(".", ",") if sep != "," else text


def table_csv(presets: Sequence[Preset], names: Sequence[str], *, sep: str = ",") -> str:
    """A whole preset table as CSV text that :func:`~dashboard.presets.parse_upload` reads back
    unchanged.

    Columns: ``name`` when any preset has one, ``activation``, ``names``, then the activation
    parameters any preset gives. Numbers are written in their shortest exact form; with
    ``sep=";"`` (what a spreadsheet set up for a decimal comma expects) as ``0,25``.
    """
    if sep not in (",", ";"):
        raise ValueError(f"separator must be ',' or ';', not {sep!r}")
    for p in presets:
        if set(p.values) != set(names):
            raise ValueError(f"preset values {sorted(p.values)} do not match {list(names)}")
        if p.name:
            check_name(p.name, {"file": "-"})
    with_names = any(p.name for p in presets)
    used = [c for c in PARAM_COLUMNS if any(c in p.params for p in presets)]
    columns = [NAME] * with_names + [*columns_for(names), *used]
    rows = []
    for p in presets:
        row = [p.name] * with_names + [p.activation]
        row += [_cell(p.values[n], sep) for n in names]
        row += [_cell(p.params[c], sep) if c in p.params else "" for c in used]
        rows.append(row)
    out = io.StringIO()
    pd.DataFrame(rows, columns=columns, dtype=str).to_csv(
        out, sep=sep, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )
    return out.getvalue()


def to_csv(
    names: Sequence[str],
    activation: str,
    values: Mapping[str, float],
    params: Mapping[str, float] | None = None,
    name: str = "",
    *,
    sep: str = ",",
) -> str:
    """The current parameters of a tab as a one-row table (see :func:`table_csv`).

    Every parameter of the activation is written, the defaults included, so the file states the
    whole setting; reading it back gives ``Preset(activation, values, name, params)`` with
    ``params`` complete.
    """
    act = ACTIVATIONS[activation]
    full = {**act.params, **(params or {})}
    if set(full) != set(act.params):
        raise ValueError(f"{activation} has no parameter(s) {sorted(set(full) - set(act.params))}")
    preset = Preset(activation, {n: float(values[n]) for n in names}, name, full)
    return table_csv([preset], names, sep=sep)


def write_table(path: Path, presets: Sequence[Preset], names: Sequence[str]) -> None:
    """Write presets as a CSV table that :func:`~dashboard.presets.read_table` reads back
    unchanged."""
    Path(path).write_text(table_csv(presets, names), encoding="utf-8", newline="")
