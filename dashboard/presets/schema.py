"""What a preset table is: its columns and limits, a row (:class:`Preset`) and the error a table
that cannot be used raises (:class:`PresetError`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.i18n import Message, activation_name, strings, t
from dashboard.model import ACTIVATIONS
from dashboard.model.activations import CATALOGUE_ORDER
from dashboard.sections import NEURON_PARAMS, SPECS_BY_KEY

ACTIVATION = "activation"
"""Name of the column holding the activation key (``sigmoid``, ``tanh``, ...)."""
NAME = "name"
"""Name of the optional column holding a preset's label."""
PARAM_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(r.name for key in CATALOGUE_ORDER for r in ACTIVATIONS[key].param_ranges)
)
"""Optional columns for the activations' own parameters, in the order tables write them."""

MAX_BYTES = 1_000_000
"""Largest file accepted (1 MB), checked before anything is decoded."""
MAX_ROWS = 200
"""Most presets a table may hold."""
MAX_NAME = 80
"""Longest preset name, in characters."""
MAX_SHOWN = 8
"""Most column names or keys one message lists."""


class PresetError(ValueError):
    """A preset table that cannot be used.

    ``key`` names the message in the locales (``presets.*``), ``fields`` fill it in: ``file``
    always; ``row`` (the row a spreadsheet shows, the header being row 1), ``data_row`` (the
    preset's number, counting data rows from 1 below the header), ``column`` (its header text)
    and ``letter`` (the spreadsheet's column letter) where the fault has a place. ``str()`` of
    the error is its English text; :meth:`render` gives either language.
    """

    def __init__(self, key: str, **fields: Any) -> None:
        self.key = key
        self.fields = fields
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        """The whole message, place first, in ``lang``. An error made the old way, from a
        finished sentence instead of a key, reads as that sentence."""
        if self.key not in strings(lang):
            return self.key
        f = self.fields
        if "column" in f and "row" in f:
            where = "presets.where.cell"
        elif "row" in f and "data_row" in f:
            where = "presets.where.row"
        elif "row" in f:
            where = "presets.where.line"
        elif "column" in f:
            where = "presets.where.column"
        else:
            where = "presets.where.file"
        return f"{t(lang, where, **f)} {t(lang, self.key, **f)}"

    @property
    def message(self) -> Message:
        return Message(self.key, self.fields)

    @property
    def row(self) -> int | None:
        return self.fields.get("row")

    @property
    def column(self) -> str | None:
        return self.fields.get("column")


@dataclass(frozen=True)
class Preset:
    """One row of a preset table.

    ``values`` holds every parameter of the tab; ``params`` the activation's own parameters the
    row gives (the others keep their defaults, see :meth:`activation_params`); ``name`` its
    label, empty when the row has none.
    """

    activation: str
    values: dict[str, float]
    name: str = ""
    params: dict[str, float] = field(default_factory=dict)

    def activation_params(self) -> dict[str, float]:
        """Every parameter of the activation: the row's values, defaults for the rest."""
        return {**ACTIVATIONS[self.activation].params, **self.params}

    def label(self, lang: str) -> str:
        """What a user sees: the translated name of a shipped preset, the name as written, or
        the activation's name when the row has none."""
        if not self.name:
            return activation_name(lang, self.activation)
        key = f"preset.name.{self.name}"
        return t(lang, key) if key in strings(lang) else self.name


def param_names(tab: str) -> tuple[str, ...]:
    """The parameter names of a tab with parameters: neuron, square2, sin3 or deep."""
    if tab == "neuron":
        return tuple(p.name for p in NEURON_PARAMS)
    return SPECS_BY_KEY[tab].names


def columns_for(names: Sequence[str]) -> list[str]:
    """The columns a preset table for parameters ``names`` must have, in order."""
    return [ACTIVATION, *names]
