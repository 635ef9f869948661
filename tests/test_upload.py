"""Uploaded preset tables: a corpus of real files, the limits, and download -> upload round trips.

Every file in tests/data/presets is listed below with what must come of it: the presets it
holds (typed here by hand) or the message key, the row a spreadsheet shows and the column of
the fault. Each runs through ``parse_upload`` both as raw bytes and as the ``data:...;base64``
string dcc.Upload delivers.
"""

from __future__ import annotations

import base64
import string
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import i18n
from dashboard.model import ACTIVATIONS
from dashboard.presets import (
    MAX_BYTES,
    MAX_ROWS,
    Preset,
    PresetError,
    load,
    param_names,
    parse_upload,
    read_table,
    table_csv,
    to_csv,
)

CORPUS = Path(__file__).resolve().parent / "data" / "presets"
SQUARE2 = param_names("square2")
NEURON = param_names("neuron")

SIG = {"w1": 0.3, "b1": -3.45, "w2": -0.3, "b2": -3.45, "w3": 300.0, "b3": -11.5, "w4": 300.0}
TANH = {"w1": 0.66, "b1": -0.9, "w2": -0.66, "b2": -0.9, "w3": 5.0, "b3": 7.0, "w4": 5.0}
RELU = {"w1": 1.4, "b1": -0.9, "w2": -1.4, "b2": -0.9, "w3": 1.8, "b3": 0.0, "w4": 1.8}
ELU = {"w1": 1.3, "b1": -1.9, "w2": -1.3, "b2": -1.9, "w3": 3.0, "b3": 5.11, "w4": 3.0}
LEAKY = {"w1": 0.8, "b1": -0.4, "w2": -0.8, "b2": -0.4, "w3": 3.5, "b3": 0.0, "w4": 3.5}

# file -> (tab, the presets it holds, keys of the notes)
ACCEPTED: dict[str, tuple[str, list[Preset], list[str]]] = {
    "ok_bom.csv": ("square2", [Preset("sigmoid", SIG), Preset("tanh", TANH)], []),
    "ok_crlf.csv": ("square2", [Preset("sigmoid", SIG), Preset("tanh", TANH)], []),
    "ok_semicolon_decimal_comma.csv": (
        "square2",
        [Preset("sigmoid", SIG), Preset("tanh", TANH)],
        [],
    ),
    "ok_semicolon_decimal_point.csv": ("square2", [Preset("sigmoid", SIG)], []),
    "ok_quoted.csv": (
        "square2",
        [Preset("sigmoid", SIG, "Bowl, wide"), Preset("tanh", TANH, 'Say "hi"')],
        [],
    ),
    "ok_spaces_and_case.csv": ("square2", [Preset("sigmoid", SIG)], []),
    "ok_trailing_blank_lines.csv": ("square2", [Preset("sigmoid", SIG), Preset("relu", RELU)], []),
    "ok_extra_column.csv": (
        "square2",
        [Preset("sigmoid", SIG), Preset("tanh", TANH)],
        ["presets.note.ignored"],
    ),
    "ok_named_with_params.csv": (
        "square2",
        [
            Preset(
                "sigmoid",
                {"w1": 3.0, "b1": -3.0, "w2": -3.0, "b2": -3.0, "w3": 30.0, "b3": 0.0, "w4": 30.0},
                "steep",
            ),
            Preset("sigmoid", SIG, "gentle"),
            Preset("elu", ELU, "elu 2", {"alpha": 2.0}),
            Preset("leaky_relu", LEAKY, "leaky", {"slope": 0.25}),
        ],
        [],
    ),
    "ok_excel_ru.csv": (
        "square2",
        [Preset("sigmoid", SIG, "Чаша"), Preset("elu", ELU, "Излом", {"alpha": 1.5})],
        [],
    ),
    "ok_column_order.csv": ("square2", [Preset("sigmoid", SIG)], []),
    "ok_display_names.csv": (
        "square2",
        [
            Preset("leaky_relu", LEAKY),
            Preset("tanh", TANH),
            Preset(
                "hard_sigmoid",
                {"w1": 1.0, "b1": 0.0, "w2": -1.0, "b2": 0.0, "w3": 1.0, "b3": 0.0, "w4": 1.0},
            ),
        ],
        [],
    ),
    "ok_neuron.csv": (
        "neuron",
        [
            Preset("softplus", {"w": 1.0, "b": 0.0}, "soft", {"beta": 2.5}),
            Preset("hard_tanh", {"w": 1.0, "b": 0.0}, "clip", {"min_val": -2.0, "max_val": 0.5}),
            Preset("sigmoid", {"w": 50.0, "b": 0.0}, "step"),
        ],
        [],
    ),
    "ok_trailing_separator.csv": ("square2", [Preset("sigmoid", SIG)], []),
    "ok_utf16_tabs.csv": ("square2", [Preset("sigmoid", SIG)], []),
}

# file -> (message key, row as a spreadsheet shows it, column header, a fragment of the English
# message). Row and column are None where the fault has no such place.
REFUSED: dict[str, tuple[str, int | None, str | None, str]] = {
    "bad_1e400.csv": ("presets.too_large_value", 4, "w1", "1e400"),
    "bad_beyond_limit.csv": ("presets.too_large_value", 2, "w4", "1000000.5"),
    "bad_binary_junk.csv": ("presets.binary", None, None, "not a text file"),
    "bad_blank_lines_only.csv": ("presets.empty", None, None, "empty"),
    "bad_decimal_comma_in_comma_file.csv": ("presets.not_number", 2, "w1", "“0,3”"),
    "bad_duplicate_activation.csv": ("presets.duplicate_activation", 4, None, "tanh"),
    "bad_duplicate_columns.csv": ("presets.duplicate_column", None, "W1", "column B"),
    "bad_duplicate_name.csv": ("presets.duplicate_name", 4, None, "“bowl”"),
    "bad_empty.csv": ("presets.empty", None, None, "empty"),
    "bad_empty_cell.csv": ("presets.empty_cell", 2, "w2", "empty"),
    "bad_formula_name.csv": ("presets.name_formula", 2, "name", "formula"),
    "bad_header_only.csv": ("presets.no_rows", None, None, "no rows"),
    "bad_hex_number.csv": ("presets.not_number", 2, "w4", "“0x12c”"),
    "bad_inf.csv": ("presets.not_finite", 2, "w3", "“-inf”"),
    "bad_latin1.csv": ("presets.not_utf8", 3, None, "0xE9"),
    "bad_long_name.csv": ("presets.name_too_long", 2, "name", "81"),
    "bad_missing_column.csv": ("presets.missing_columns", None, None, "w4"),
    "bad_nan.csv": ("presets.not_finite", 3, "b3", "“NaN”"),
    "bad_param_for_other_activation.csv": ("presets.no_such_param", 3, "slope", "relu"),
    "bad_param_out_of_range.csv": ("presets.param_range", 2, "alpha", "0 to 3"),
    "bad_ragged_row.csv": ("presets.ragged", 2, None, "10 cells"),
    "bad_short_row.csv": ("presets.empty_cell", 3, "w2", "empty"),
    "bad_text_in_number.csv": ("presets.not_number", 3, "b1", "“abc”"),
    "bad_too_many_rows.csv": ("presets.too_many_rows", None, None, "201"),
    "bad_unclosed_quote.csv": ("presets.open_quote", 3, None, "never closed"),
    "bad_underscore_number.csv": ("presets.not_number", 2, "w3", "“1_000”"),
    "bad_unknown_activation.csv": ("presets.unknown_activation", 4, "activation", "“swish”"),
    "bad_xlsx_renamed.csv": ("presets.workbook", None, None, "CSV UTF-8"),
}


def data_url(data: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def upload(data: bytes, name: str, names: tuple[str, ...], as_url: bool) -> Any:
    return parse_upload(data_url(data) if as_url else data, name, names)


def test_corpus_is_large_and_every_file_has_an_expected_outcome() -> None:
    files = {p.name for p in CORPUS.iterdir()}
    assert files == set(ACCEPTED) | set(REFUSED)
    assert not set(ACCEPTED) & set(REFUSED)
    assert len(REFUSED) >= 25


@pytest.mark.parametrize("as_url", [False, True], ids=["bytes", "data-url"])
@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_files(name: str, as_url: bool) -> None:
    tab, expected, notes = ACCEPTED[name]
    presets, got_notes = upload((CORPUS / name).read_bytes(), name, param_names(tab), as_url)
    assert presets == expected
    assert [n.key for n in got_notes] == notes


@pytest.mark.parametrize("as_url", [False, True], ids=["bytes", "data-url"])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_files(name: str, as_url: bool) -> None:
    key, row, column, fragment = REFUSED[name]
    with pytest.raises(PresetError) as info:
        upload((CORPUS / name).read_bytes(), name, SQUARE2, as_url)
    error = info.value
    assert error.key == key
    assert error.row == row
    assert error.column == column
    english = str(error)
    assert english.startswith(name)
    assert fragment in english
    if row is not None:
        assert f"row {row}" in english
    if column is not None:
        assert f"column {column}" in english


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refusals_read_in_russian(name: str) -> None:
    with pytest.raises(PresetError) as info:
        parse_upload((CORPUS / name).read_bytes(), name, SQUARE2)
    error = info.value
    russian = error.render("ru")
    assert russian.startswith(name)
    assert russian != error.render("en")
    assert any("а" <= c <= "я" for c in russian)
    if error.row is not None:
        assert f"строка {error.row}" in russian
    assert error.message.render("ru") in russian


def test_rows_are_numbered_as_a_spreadsheet_shows_them_across_blank_lines() -> None:
    text = "\n" + HEADER + "\n\n" + ROW + "\n,,,,,,,\n\n" + ROW.replace("relu", "tanh") + "x\n"
    with pytest.raises(PresetError) as info:  # the header is on line 2, the bad row on line 7
        parse_upload(text.encode(), "gaps.csv", SQUARE2)
    assert info.value.row == 7
    assert info.value.fields["data_row"] == 2
    assert info.value.column == SQUARE2[-1]


def test_extra_column_note_names_the_ignored_columns() -> None:
    _, notes = parse_upload((CORPUS / "ok_extra_column.csv").read_bytes(), "x.csv", SQUARE2)
    (note,) = notes
    assert "comment" in note.render("en") and "Teacher" in note.render("en")
    assert "comment" in note.render("ru") and "пропущены" in note.render("ru")


def test_shipped_reading_stays_strict_about_unknown_columns() -> None:
    with pytest.raises(PresetError) as info:
        read_table(CORPUS / "ok_extra_column.csv", SQUARE2)
    assert info.value.key == "presets.unexpected_columns"
    assert "comment" in str(info.value)


def test_neuron_table_in_the_square2_tab_names_the_missing_columns() -> None:
    with pytest.raises(PresetError) as info:
        parse_upload((CORPUS / "ok_neuron.csv").read_bytes(), "n.csv", SQUARE2)
    assert info.value.key == "presets.missing_columns"
    for name in SQUARE2:
        assert name in info.value.fields["columns"]


# --- the limits ----------------------------------------------------------------------------------

HEADER = "activation," + ",".join(SQUARE2)
ROW = "relu," + ",".join("1" for _ in SQUARE2)


def padded(size: int) -> bytes:
    """A valid one-row table of exactly ``size`` bytes (a blank line of spaces fills it up)."""
    head = f"{HEADER}\n{ROW}\n".encode()
    return head + b" " * (size - len(head) - 1) + b"\n"


@pytest.mark.parametrize("as_url", [False, True], ids=["bytes", "data-url"])
def test_byte_cap(as_url: bool) -> None:
    presets, _ = upload(padded(MAX_BYTES), "max.csv", SQUARE2, as_url)
    assert len(presets) == 1
    with pytest.raises(PresetError) as info:
        upload(padded(MAX_BYTES + 1), "big.csv", SQUARE2, as_url)
    assert info.value.key == "presets.too_large"
    assert info.value.fields["n"] == MAX_BYTES + 1
    assert str(info.value) == (
        "big.csv: the file has 1,000,001 bytes, more than the limit of 1,000,000 bytes."
    )
    assert info.value.render("ru") == (
        "big.csv: в файле 1\u202f000\u202f001 байт, а допускается не больше 1\u202f000\u202f000."
    )


def test_byte_cap_is_checked_before_decoding() -> None:
    """A payload too long to be under the cap is refused for its size, though it is not even
    valid base64: it was never decoded."""
    junk = "data:text/csv;base64," + "!" * (MAX_BYTES * 4 // 3 + 8)
    with pytest.raises(PresetError) as info:
        parse_upload(junk, "junk.csv", SQUARE2)
    assert info.value.key == "presets.too_large"
    with pytest.raises(PresetError) as info:
        parse_upload("data:text/csv;base64,!!!!", "junk.csv", SQUARE2)
    assert info.value.key == "presets.bad_upload"


def test_row_cap() -> None:
    rows = "".join(f"r{i},{ROW}\n" for i in range(MAX_ROWS))
    presets, _ = parse_upload(f"name,{HEADER}\n{rows}".encode(), "200.csv", SQUARE2)
    assert len(presets) == MAX_ROWS
    assert [p.name for p in presets[:3]] == ["r0", "r1", "r2"]


@pytest.mark.parametrize(
    ("contents", "key"),
    [
        (None, "presets.no_file"),
        ("", "presets.no_file"),
        ("text/csv,abc", "presets.bad_upload"),
        ("data:text/csv,activation", "presets.bad_upload"),
    ],
)
def test_no_or_malformed_upload(contents: Any, key: str) -> None:
    with pytest.raises(PresetError) as info:
        parse_upload(contents, None, SQUARE2)
    assert info.value.key == key
    assert str(info.value).startswith("upload.csv")


def test_upload_with_any_mime_type_and_a_windows_path() -> None:
    data = (CORPUS / "ok_crlf.csv").read_bytes()
    url = data_url(data, "application/vnd.ms-excel")
    presets, _ = parse_upload(url, "C:\\Users\\teacher\\class 1.csv", SQUARE2)
    assert len(presets) == 2
    with pytest.raises(PresetError, match=r"^class 1\.csv"):
        parse_upload(b"", "C:\\Users\\teacher\\class 1.csv", SQUARE2)


def test_preset_error_keeps_its_plain_string_behaviour() -> None:
    error = PresetError("presets.empty", file="a.csv")
    assert isinstance(error, ValueError)
    assert str(error) == "a.csv: the file is empty."
    assert error.render("ru") == "a.csv: файл пуст."
    assert error.message == i18n.Message("presets.empty", {"file": "a.csv"})
    old_style = PresetError("table.csv: row 3, column w1: 'x' is not a number")
    assert str(old_style) == old_style.render("ru") == old_style.key


# --- download -> upload ------------------------------------------------------------------------

TABS = ("neuron", "square2", "sin3", "deep")
SAFE_CHARS = st.characters(
    categories=("Lu", "Ll", "Nd", "Zs", "Po", "Ps", "Pe", "Sm"), exclude_characters="\u2028\u2029"
)


def clean_name(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


names_strategy = (
    st.text(SAFE_CHARS, max_size=80)
    .map(clean_name)
    .filter(lambda s: len(s) <= 80 and not s.startswith(("=", "+", "-", "@")))
)
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def current_setting(draw: st.DrawFn) -> tuple[str, str, dict[str, float], dict[str, float], str]:
    tab = draw(st.sampled_from(TABS))
    key = draw(st.sampled_from(list(ACTIVATIONS)))
    values = {n: draw(finite) for n in param_names(tab)}
    params = {
        r.name: draw(st.floats(r.lo, r.hi, allow_nan=False)) for r in ACTIVATIONS[key].param_ranges
    }
    return tab, key, values, params, draw(names_strategy)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(current_setting(), st.sampled_from([",", ";"]), st.booleans())
def test_current_parameters_round_trip_exactly(
    setting: tuple[str, str, dict[str, float], dict[str, float], str], sep: str, as_url: bool
) -> None:
    tab, key, values, params, name = setting
    text = to_csv(param_names(tab), key, values, params, name, sep=sep)
    assert text.count("\n") == 2  # header and one row
    (preset,), notes = upload(text.encode("utf-8"), "mine.csv", param_names(tab), as_url)
    assert notes == []
    assert preset == Preset(key, values, name, params)
    for n, v in values.items():  # bit for bit, the sign of zero included
        assert preset.values[n].hex() == v.hex()


def test_current_parameters_default_the_activation_parameters() -> None:
    text = to_csv(NEURON, "hard_tanh", {"w": 2.0, "b": -1.0}, {"max_val": 2.0})
    assert text == "activation,w,b,min_val,max_val\nhard_tanh,2,-1,-1,2\n"
    (preset,), _ = parse_upload(text.encode(), "n.csv", NEURON)
    assert preset.params == {"min_val": -1.0, "max_val": 2.0}
    with pytest.raises(ValueError):
        to_csv(NEURON, "relu", {"w": 2.0, "b": -1.0}, {"alpha": 2.0})


def test_semicolon_download_writes_decimal_commas() -> None:
    text = to_csv(NEURON, "elu", {"w": 0.25, "b": -1.5}, {"alpha": 1.5}, "Склон; крутой", sep=";")
    assert text == 'name;activation;w;b;alpha\n"Склон; крутой";elu;0,25;-1,5;1,5\n'


@pytest.mark.parametrize("tab", TABS)
def test_shipped_tables_download_and_upload_unchanged(tab: str) -> None:
    presets = load(tab)
    for sep in (",", ";"):
        text = table_csv(presets, param_names(tab), sep=sep)
        back, notes = parse_upload(data_url(text.encode()), f"{tab}.csv", param_names(tab))
        assert back == presets and notes == []


@settings(max_examples=60, deadline=None)
@given(st.lists(current_setting(), min_size=1, max_size=6))
def test_whole_tables_round_trip(settings_: list) -> None:
    tab = settings_[0][0]
    names = param_names(tab)
    presets = [
        Preset(key, {n: values.get(n, 1.5) for n in names}, f"row {i}", params)
        for i, (_, key, values, params, _) in enumerate(settings_)
    ]
    back, _ = parse_upload(table_csv(presets, names).encode(), "t.csv", names)
    assert back == presets


def test_write_rejects_names_a_spreadsheet_would_run() -> None:
    with pytest.raises(PresetError):
        to_csv(NEURON, "relu", {"w": 1.0, "b": 0.0}, name="=cmd()")


def test_columns_beyond_z_get_spreadsheet_letters() -> None:
    dummies = ",".join(string.ascii_lowercase)  # columns A to Z, not used on the tab
    header = f"{dummies},{HEADER}"
    cells = ROW.split(",")
    cells[1 + SQUARE2.index("w4")] = "oops"  # w4 is the 7th column: AG once A to Z precede it
    row = "," * 26 + ",".join(cells)
    with pytest.raises(PresetError) as info:
        parse_upload(f"{header}\n{row}\n".encode(), "wide.csv", SQUARE2)
    assert SQUARE2.index("w4") == 5
    assert info.value.fields["letter"] == "AG"
    assert info.value.column == "w4"
    assert "column w4 (AG)" in str(info.value)
