"""The shipped preset table against the spec, its RMSE figures, and malformed preset files."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest

import dashboard.app
import dashboard.presets
from dashboard import ids
from dashboard.model import get_activation
from dashboard.presets import (
    PRESET_DIR,
    TABLES,
    Preset,
    PresetError,
    read_table,
    shipped,
    write_table,
)
from dashboard.sections import TWO_NEURONS
from tests.support.dash import components, tab_layout

HEADER = ["activation", "w1", "b1", "w2", "b2", "w3", "b3", "w4"]
NAMES = HEADER[1:]

# The spec's preset table, typed by hand (Sigmoid w2 = -0.30, not the notebook's slip +0.30).
SPEC_TABLE: dict[str, dict[str, float]] = {
    "sigmoid": {"w1": 0.30, "b1": -3.45, "w2": -0.30, "b2": -3.45, "w3": 300.0, "b3": -11.5,
                "w4": 300.0},
    "tanh": {"w1": 0.66, "b1": -0.90, "w2": -0.66, "b2": -0.90, "w3": 5.0, "b3": 7.0, "w4": 5.0},
    "relu": {"w1": 1.40, "b1": -0.90, "w2": -1.40, "b2": -0.90, "w3": 1.8, "b3": 0.0, "w4": 1.8},
    "elu": {"w1": 1.30, "b1": -1.90, "w2": -1.30, "b2": -1.90, "w3": 3.0, "b3": 5.11, "w4": 3.0},
    "leaky_relu": {"w1": 0.80, "b1": -0.40, "w2": -0.80, "b2": -0.40, "w3": 3.5, "b3": 0.0,
                   "w4": 3.5},
}  # fmt: skip

# The spec's measured RMSE against x^2 on 1000 points.
RMSE_10 = {"sigmoid": 4.61, "tanh": 39.8, "relu": 32.0, "elu": 25.9, "leaky_relu": 30.5}
RMSE_3 = {"sigmoid": 6.31, "tanh": 0.88, "relu": 1.06, "elu": 0.24, "leaky_relu": 0.66}

GOOD_ROWS = [
    "sigmoid,0.3,-3.45,-0.3,-3.45,300,-11.5,300",
    "tanh,0.66,-0.9,-0.66,-0.9,5,7,5",
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(z / 2.0))


# Independent reference activations for the RMSE figures.
REF = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
}


def two_neuron_output(key: str, v: dict[str, float], x: np.ndarray) -> np.ndarray:
    a = REF[key]
    return a(x * v["w1"] + v["b1"]) * v["w3"] + a(x * v["w2"] + v["b2"]) * v["w4"] + v["b3"]


def rmse(y: np.ndarray, x: np.ndarray) -> float:
    return float(np.sqrt(np.mean((y - x**2) ** 2)))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped table --------------------------------------------------------------------------


def test_shipped_csv_matches_spec_table_read_with_csv_module() -> None:
    path = PRESET_DIR / "square2.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER
    table = {row[0]: {n: float(c) for n, c in zip(NAMES, row[1:], strict=True)} for row in rows[1:]}
    assert list(table) == ["sigmoid", "tanh", "relu", "elu", "leaky_relu"]
    assert table == SPEC_TABLE
    assert table["sigmoid"]["w2"] == -0.30


def test_shipped_presets_load_as_spec_table() -> None:
    presets = shipped("square2.csv", TWO_NEURONS.names)
    assert {p.activation: p.values for p in presets} == SPEC_TABLE
    assert sorted(TWO_NEURONS.names) == sorted(NAMES)


@pytest.mark.parametrize("key", list(RMSE_10))
def test_preset_rmse_on_minus_ten_to_ten(key: str) -> None:
    x = np.linspace(-10.0, 10.0, 1000)
    # Our reference first: the spec's figures follow from the spec's table and formulas.
    assert rmse(two_neuron_output(key, SPEC_TABLE[key], x), x) == pytest.approx(
        RMSE_10[key], abs=0.01, rel=0.01
    )
    # Then the app's own network, fed the shipped preset.
    preset = {p.activation: p.values for p in shipped("square2.csv", TWO_NEURONS.names)}[key]
    y = TWO_NEURONS.network(preset, get_activation(key))(x)
    assert rmse(y, x) == pytest.approx(RMSE_10[key], abs=0.01, rel=0.01)


def test_sigmoid_preset_rmse_is_4_61() -> None:
    x = np.linspace(-10.0, 10.0, 1000)
    preset = shipped("square2.csv", TWO_NEURONS.names)[0]
    assert preset.activation == "sigmoid"
    y = TWO_NEURONS.network(preset.values, get_activation("sigmoid"))(x)
    assert rmse(y, x) == pytest.approx(4.61, abs=0.01)


@pytest.mark.parametrize("key", list(RMSE_3))
def test_preset_rmse_on_minus_three_to_three(key: str) -> None:
    x = np.linspace(-3.0, 3.0, 1000)
    preset = {p.activation: p.values for p in shipped("square2.csv", TWO_NEURONS.names)}[key]
    y = TWO_NEURONS.network(preset, get_activation(key))(x)
    assert rmse(y, x) == pytest.approx(RMSE_3[key], abs=0.01, rel=0.01)


def test_notebook_slip_plus_0_30_gives_rmse_54_7() -> None:
    x = np.linspace(-10.0, 10.0, 1000)
    values = {**SPEC_TABLE["sigmoid"], "w2": 0.30}
    y = TWO_NEURONS.network(values, get_activation("sigmoid"))(x)
    assert rmse(y, x) == pytest.approx(54.7, abs=0.05)
    assert np.all(np.diff(y) > 0)  # two identical neurons: a monotonic output


# --- malformed files ------------------------------------------------------------------------


def header_line(columns: list[str] = HEADER) -> str:
    return ",".join(columns)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("activation,w1,b1,w2,b2,w3,b3\nsigmoid,1,2,3,4,5,6\n", ["w4", "missing"]),
        (header_line([*HEADER, "w5"]) + "\n" + GOOD_ROWS[0] + ",1\n", ["w5", "unexpected"]),
        (
            header_line() + "\n" + GOOD_ROWS[0] + "\ntanh,0.66,abc,-0.66,-0.9,5,7,5\n",
            ["row 2", "b1", "abc", "not a number"],
        ),
        (
            header_line() + "\n" + GOOD_ROWS[0] + "\ntanh,0.66,,-0.66,-0.9,5,7,5\n",
            ["row 2", "b1", "not a number"],
        ),
        (header_line() + "\nrelu,1,1,1,1,inf,1,1\n", ["row 1", "w3", "not finite"]),
        (header_line() + "\nrelu,1,1,1,1,1,1,-inf\n", ["row 1", "w4", "not finite"]),
        (header_line() + "\nrelu,1,1,nan,1,1,1,1\n", ["row 1", "w2", "not finite"]),
        (header_line() + "\nrelu,1,1,1,1,1,NaN,1\n", ["row 1", "b3", "not finite"]),
        (
            header_line() + "\n" + "\n".join(GOOD_ROWS) + "\nswish,1,1,1,1,1,1,1\n",
            ["row 3", "activation", "swish"],
        ),
        (header_line() + "\n" + "\n".join([*GOOD_ROWS, GOOD_ROWS[1]]) + "\n", ["tanh"]),
        ("", []),
        (header_line() + "\n", ["no rows"]),
        ("activation,w1,w1,b1,w2,b2,w3,b3,w4\nrelu,1,1,1,1,1,1,1,1\n", []),
    ],
    ids=[
        "missing-column",
        "extra-column",
        "non-number",
        "empty-cell",
        "inf",
        "minus-inf",
        "nan",
        "NaN",
        "unknown-activation",
        "duplicate-activation",
        "empty-file",
        "header-only",
        "duplicate-column",
    ],
)
def test_malformed_tables_raise_preset_error(
    tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = write(tmp_path / "bad_presets.csv", text)
    with pytest.raises(PresetError) as info:
        read_table(path, NAMES)
    message = str(info.value)
    assert "bad_presets.csv" in message
    for fragment in fragments:
        assert fragment in message


def test_not_utf8_raises_preset_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((header_line() + "\nrelu,1,1,1,1,1,1,1\n").encode() + b"\xff\xfe\xc3(\n")
    with pytest.raises(PresetError, match=r"latin\.csv"):
        read_table(path, NAMES)


def test_missing_file_raises_preset_error(tmp_path: Path) -> None:
    with pytest.raises(PresetError, match=r"nowhere\.csv"):
        read_table(tmp_path / "nowhere.csv", NAMES)


def test_preset_error_is_a_value_error() -> None:
    assert issubclass(PresetError, ValueError)


def test_spaces_and_column_order_are_tolerated(tmp_path: Path) -> None:
    text = "w4, activation, w1,b1,w2,b2,w3,b3\n3.5, leaky_relu ,0.8,-0.4,-0.8,-0.4,3.5,0\n"
    (preset,) = read_table(write(tmp_path / "ok.csv", text), NAMES)
    assert preset.activation == "leaky_relu"
    assert preset.values == SPEC_TABLE["leaky_relu"]


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    presets = [
        Preset("sigmoid", {n: 0.1 + 0.2 for n in NAMES}),
        Preset("relu", {n: float(v) for n, v in zip(NAMES, rng.normal(0, 1e3, 7), strict=True)}),
        Preset("linear", {n: v for n, v in zip(NAMES, (1e-300, -5e-324, 1e6, -0.0, 7, 1 / 3,
                                                        -123456.789), strict=True)}),
    ]  # fmt: skip
    path = tmp_path / "round.csv"
    write_table(path, presets, NAMES)
    with path.open(newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == HEADER
    back = read_table(path, NAMES)
    assert back == presets


def test_write_table_of_shipped_presets_reads_back(tmp_path: Path) -> None:
    presets = shipped("square2.csv", TWO_NEURONS.names)
    path = tmp_path / "copy.csv"
    write_table(path, presets, TWO_NEURONS.names)
    assert read_table(path, TWO_NEURONS.names) == presets


# --- start-up fails loudly on a bad shipped file ---------------------------------------------


def ship_all_but(directory: Path, name: str) -> None:
    """Copy every shipped preset table but ``name`` into ``directory``: each app reads them all."""
    for other in TABLES.values():
        if other != name:
            (directory / other).write_bytes((dashboard.presets.PRESET_DIR / other).read_bytes())


def test_create_app_fails_on_malformed_shipped_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "square2.csv", header_line() + "\nsigmoid,0.3,-3.45,oops,-3.45,300,-11.5,300\n"
    )
    ship_all_but(tmp_path, "square2.csv")
    monkeypatch.setattr(dashboard.presets, "PRESET_DIR", tmp_path)
    with pytest.raises(PresetError) as info:
        dashboard.app.create_app()
    message = str(info.value)
    assert "square2.csv" in message
    assert "row 1" in message and "w2" in message


@pytest.mark.parametrize("name", sorted(TABLES.values()))
def test_create_app_fails_on_missing_shipped_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ship_all_but(tmp_path, name)
    monkeypatch.setattr(dashboard.presets, "PRESET_DIR", tmp_path)
    with pytest.raises(PresetError, match=re.escape(name)):
        dashboard.app.create_app()


def test_create_app_uses_the_shipped_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "square2.csv", header_line() + "\nelu,1,2,3,4,5,6,7\n")
    ship_all_but(tmp_path, "square2.csv")
    monkeypatch.setattr(dashboard.presets, "PRESET_DIR", tmp_path)
    app = dashboard.app.create_app()
    layout = tab_layout(app.server.test_client(), "square2")
    (holder,) = [p for p in components(layout) if p["id"] == ids.part("square2", "presets")]
    table = json.loads(holder["data-table"])  # drawn by assets/presets.js
    assert [(r["row"], r["cells"][0]) for r in table["rows"]] == [(0, "ELU")]
