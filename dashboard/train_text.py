"""What the trainer says to a user, in their language: refusals and why a run stopped.

``model.train`` raises :class:`TrainError` with a message key and fields and records a stop
reason in the state; this module turns those into text (``locales/<lang>.train.json``),
naming activations and parameters in the user's language and writing numbers the way that
language writes them.
"""

from __future__ import annotations

from typing import Any

from dashboard.i18n import activation_name, t
from dashboard.model.activations import ACTIVATIONS
from dashboard.model.train import DIVERGENCE_FACTOR, TrainError, TrainState
from dashboard.numbers import fmt


def _field(lang: str, name: str, value: Any) -> Any:
    if name == "activation" and value in ACTIVATIONS:
        return activation_name(lang, value)
    if isinstance(value, float):
        return fmt(value, lang, 6)
    return value


def error_text(lang: str, error: TrainError) -> str:
    """The message of a refusal, its fields filled in for ``lang``."""
    fields = {k: _field(lang, k, v) for k, v in error.fields.items()}
    if error.key == "train.error.momentum" and error.fields.get("name") in (
        "momentum",
        "beta1",
        "beta2",
    ):
        fields["name"] = t(lang, f"train.param.{error.fields['name']}")
    return t(lang, error.key, **fields)


def stop_text(lang: str, state: TrainState) -> str:
    """Why the last ``run`` call stopped, with the step reached (empty before any call)."""
    if not state.stop:
        return ""
    return t(
        lang,
        f"train.stop.{state.stop}",
        step=state.step,
        factor=fmt(DIVERGENCE_FACTOR, lang, 6),
    )
