"""Preset parameter tables: CSV files read and validated with pandas.

A preset table has one row per preset. Its columns are named in one place, :data:`ACTIVATION`
plus the parameter names of the tab (see :mod:`dashboard.sections`). Validation is all or
nothing: a table either loads whole or raises :class:`PresetError` naming the file, the row and
the column at fault.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.model import ACTIVATIONS

PRESET_DIR = Path(__file__).resolve().parent
ACTIVATION = "activation"
"""Name of the column holding the activation key (``sigmoid``, ``tanh``, ...)."""


class PresetError(ValueError):
    """A preset table that cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class Preset:
    """One row of a preset table: an activation key and a value for every parameter."""

    activation: str
    values: dict[str, float]


def columns_for(names: Sequence[str]) -> list[str]:
    """The columns a preset table for parameters ``names`` must have, in order."""
    return [ACTIVATION, *names]


def parse_table(frame: pd.DataFrame, names: Sequence[str], source: str) -> list[Preset]:
    """Validate a raw table (all cells as read) and turn it into presets.

    Row numbers in messages count data rows from 1, as a spreadsheet user sees them below the
    header.
    """
    required = columns_for(names)
    header = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in header]
    if missing:
        raise PresetError(f"{source}: missing column(s): {', '.join(missing)}")
    extra = [c for c in header if c not in required]
    if extra:
        raise PresetError(f"{source}: unexpected column(s): {', '.join(extra)}")
    if len(set(header)) != len(header):
        raise PresetError(f"{source}: a column name appears twice")
    if frame.empty:
        raise PresetError(f"{source}: the table has no rows")
    frame = frame.set_axis(header, axis=1)
    presets = []
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        cells = dict(zip(header, row, strict=True))
        key = str(cells[ACTIVATION]).strip()
        if key not in ACTIVATIONS:
            raise PresetError(
                f"{source}: row {i}, column {ACTIVATION}: unknown activation {key!r} "
                f"(known: {', '.join(ACTIVATIONS)})"
            )
        values = {}
        for name in names:
            raw = cells[name]
            try:
                value = float(str(raw).strip())
            except ValueError:
                raise PresetError(
                    f"{source}: row {i}, column {name}: {raw!r} is not a number"
                ) from None
            if not math.isfinite(value):
                raise PresetError(f"{source}: row {i}, column {name}: {raw!r} is not finite")
            values[name] = value
        presets.append(Preset(key, values))
    keys = [p.activation for p in presets]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise PresetError(f"{source}: more than one row for activation(s): {', '.join(dupes)}")
    return presets


def read_table(path: Path, names: Sequence[str]) -> list[Preset]:
    """Read and validate a preset CSV file; every problem raises :class:`PresetError`."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise PresetError(f"{path}: cannot be read as CSV: {e}") from None
    return parse_table(frame, names, str(path))


def write_table(path: Path, presets: Sequence[Preset], names: Sequence[str]) -> None:
    """Write presets as a CSV table that :func:`read_table` reads back unchanged."""
    rows = [{ACTIVATION: p.activation, **{n: p.values[n] for n in names}} for p in presets]
    pd.DataFrame(rows, columns=columns_for(names)).to_csv(path, index=False)


def shipped(file_name: str, names: Sequence[str]) -> list[Preset]:
    """The preset table shipped in the package under ``file_name``."""
    return read_table(PRESET_DIR / file_name, names)
