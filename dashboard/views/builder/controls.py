"""The builder's two control groups: the network (layers, units, activations, seed) and the
training (Play, Pause, Step, Reset, learning rate, optimiser, batch, the training line).
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard import ids
from dashboard.i18n import t
from dashboard.model.train import MAX_LAYERS, Architecture, TrainState
from dashboard.netspec import BATCH_CHOICES, DEFAULT_ACTIVATION, DEFAULT_UNITS, TAB
from dashboard.train_text import stop_text
from dashboard.views.common import HINT_CLASS, activation_keys, activation_options, text

TICK_MS = 200
"""While playing, how often the browser checks whether to ask for the next batch of frames
and to write the frame shown into the sliders (``playback.CONTROL_JS``)."""
PROGRESS = "status progress"
"""The training line's class while it reports progress (errors keep the plain "status")."""
LR_BOX = "lr-box"
"""The learning-rate box's class; " invalid" is added while it holds a value not allowed."""


def _number_box(cid: dict[str, Any], value: Any, **kw: Any) -> dcc.Input:
    return dcc.Input(id=cid, type="number", value=value, debounce=True, **kw)


def _labelled(
    key: str, at: str, cid: dict[str, Any], control: Any, lang: str, **kw: Any
) -> html.Div:
    return html.Div(
        [html.Label(t(lang, key), id=ids.text(key, at), htmlFor=ids.dom_id(cid)), control],
        className="builder-field",
        **kw,
    )


def _layer_rows(arch: Architecture, lang: str) -> list[html.Div]:
    rows = []
    for k in range(1, MAX_LAYERS + 1):
        units = arch.widths[k - 1] if k <= len(arch.widths) else DEFAULT_UNITS
        act = arch.activations[k - 1] if k <= len(arch.activations) else DEFAULT_ACTIVATION
        units_id = ids.layer_control(TAB, "units", k)
        act_id = ids.layer_control(TAB, "activation", k)
        rows.append(
            html.Div(
                [
                    html.Span(
                        [text("builder.layer", f"{TAB}-row{k}", lang), f" {k}"],
                        className="builder-layer-name",
                    ),
                    html.Label(
                        t(lang, "builder.units"),
                        id=ids.text("builder.units", f"{TAB}-row{k}"),
                        htmlFor=ids.dom_id(units_id),
                    ),
                    _number_box(units_id, units, className="units-box", step="any"),
                    html.Label(
                        t(lang, "label.activation"),
                        id=ids.text("label.activation", f"{TAB}-row{k}"),
                        className="visually-hidden",
                    ),
                    dcc.Dropdown(
                        id=act_id,
                        options=activation_options(lang, activation_keys(TAB)),
                        value=act,
                        clearable=False,
                        searchable=False,
                        className="layer-activation",
                    ),
                ],
                id=ids.layer_row(TAB, k),
                hidden=k > len(arch.widths),
                className="builder-layer",
            )
        )
    return rows


def architecture(state: TrainState, lang: str) -> html.Fieldset:
    layers_id = ids.control(TAB, "layers")
    seed_id = ids.control(TAB, "seed")
    return html.Fieldset(
        [
            text("builder.network", TAB, lang, html.Legend),
            _labelled(
                "builder.layers",
                TAB,
                layers_id,
                _number_box(layers_id, len(state.arch.widths), step="any", className="units-box"),
                lang,
            ),
            *_layer_rows(state.arch, lang),
            _labelled(
                "builder.seed",
                TAB,
                seed_id,
                _number_box(seed_id, state.seed, step="any", className="seed-box"),
                lang,
                **{"data-control": "seed"},
            ),
            text("builder.limits", TAB, lang, html.P, className=HINT_CLASS),
            html.Div(id=ids.report(TAB, "arch"), className="status", role="status"),
        ],
        className="builder-network",
        **{"data-control": "network"},
    )


def training(state: TrainState, lang: str) -> html.Fieldset:
    def button(what: str, extra: str = "", **kw: Any) -> html.Button:
        return html.Button(
            text(f"builder.{what}", f"{TAB}-{what}", lang),
            id=ids.action(TAB, what),
            n_clicks=0,
            className=f"action {extra}".strip(),
            **kw,
        )

    lr_id = ids.control(TAB, "lr")
    cfg = state.config
    return html.Fieldset(
        [
            text("builder.training", TAB, lang, html.Legend),
            html.Div(
                [
                    button("play", **{"aria-pressed": "false"}),
                    button("pause", "secondary"),
                    button("step", "secondary"),
                    button("reset", "secondary"),
                ],
                className="actions",
            ),
            _labelled(
                "builder.lr",
                TAB,
                lr_id,
                _number_box(lr_id, cfg.learning_rate, step="any", className=LR_BOX),
                lang,
            ),
            html.Div(id=ids.report(TAB, "lr"), className="status", role="status"),
            html.Div(
                [
                    text("builder.optimizer", TAB, lang, html.Span, className="field-name"),
                    dcc.RadioItems(
                        id=ids.control(TAB, "optimizer"),
                        options=[
                            {"label": text(f"builder.opt.{k}", TAB, lang), "value": k}
                            for k in ("adam", "sgd")
                        ],
                        value=cfg.optimizer,
                        inline=True,
                    ),
                ],
                className="builder-field",
            ),
            html.Div(
                [
                    text("builder.batch", TAB, lang, html.Span, className="field-name"),
                    dcc.RadioItems(
                        id=ids.control(TAB, "batch"),
                        options=[
                            {
                                "label": text("builder.batch.full", TAB, lang)
                                if b == 0
                                else str(b),
                                "value": b,
                            }
                            for b in BATCH_CHOICES
                        ],
                        value=cfg.batch_size,
                        inline=True,
                    ),
                ],
                className="builder-field",
            ),
            html.Div(
                stop_text(lang, state) if state.stop in ("nonfinite", "exploded") else "",
                id=ids.report(TAB, "train"),
                className="status" if state.stop in ("nonfinite", "exploded") else PROGRESS,
                role="status",
                **{"aria-live": "polite"},
            ),
            dcc.Interval(id=ids.ticker(TAB), interval=TICK_MS, disabled=True, n_intervals=0),
        ],
        className="builder-training",
        **{"data-control": "training"},
    )
