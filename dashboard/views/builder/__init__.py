"""The builder tab: a network of the student's shape, its sliders, its diagram, and training.

The student chooses 1 to 4 hidden layers of 1 to 8 units, an activation per layer, a seed and
a problem (the approximation tabs' target controls). Each architecture becomes an
:class:`~dashboard.sections.ApproxSpec` (``netspec.spec_for``, cached), so the one
approximation view draws it: ``approx.update_all`` gives the figure (or a Patch), the score,
the goal and the gradient hints, ``coach.run_fit`` the least-squares Fit.

Training runs on the server a bounded call at a time (``model.train.run``), with the whole
:class:`~dashboard.model.train.TrainState` kept in the browser: while it plays, the page asks
for a batch of frames at a time (the state to continue from travels in the request), the
server takes up to ``TICK_BUDGET`` of optimiser steps and answers a frame after each slice
with only what it changes (curves, diagram, loss point, state), and assets/playback.js shows
them at ``FRAME_RATE`` while the next batch is computed. The sliders follow once a second,
and take the frame shown, exactly, when playing stops. A slider moved by hand while paused is
taken into the state (``TrainState.with_theta``) before the next step.

Modules: ``records`` (architecture records, reading the controls), ``loss`` (the loss
curve), ``controls`` and ``layout`` (the body), ``figure`` (the plot for the sliders),
``training`` (One step, Reset, a new architecture, Fit as pure functions), ``batch`` (a batch
of frames), ``frames`` (the protocol that applies answers only while current), ``playback``
(playing in the browser) and ``callbacks``.
"""

from __future__ import annotations

from dashboard.netspec import DEFAULT_CONFIG, TAB, spec_for
from dashboard.views.builder.callbacks import export_source, register
from dashboard.views.builder.figure import HIGHLIGHT_WIDTH
from dashboard.views.builder.frames import APPLY_JS, TRAIN_OUTPUTS
from dashboard.views.builder.layout import BuilderTab, layout
from dashboard.views.builder.loss import LOSS_POINTS, empty_loss, extend_loss
from dashboard.views.builder.records import default_state, spec_of
from dashboard.views.builder.training import TICK_STEPS

__all__ = [
    "APPLY_JS",
    "DEFAULT_CONFIG",
    "HIGHLIGHT_WIDTH",
    "LOSS_POINTS",
    "TAB",
    "TICK_STEPS",
    "TRAIN_OUTPUTS",
    "BuilderTab",
    "default_state",
    "empty_loss",
    "export_source",
    "extend_loss",
    "layout",
    "register",
    "spec_for",
    "spec_of",
]
