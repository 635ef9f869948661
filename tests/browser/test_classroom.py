"""Preset tables in a real browser: upload a file, apply a row, download it back, show the code.

The file goes in through the drop zone's own ``<input type=file>`` (``set_input_files``), as a
student's click-and-choose would send it. The plotted numbers are compared with the spec's
formulas written out here in NumPy; sliders and number boxes are read from the page.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from dashboard.i18n import t
from dashboard.presets import to_csv
from dashboard.views.classroom.upload import REFUSED_CLASS
from tests.support.browser import (
    after,
    box_value,
    css_id,
    open_app,
    open_tab,
    read_plot,
    shown_activation,
    slider_value,
    type_value,
    wait_idle,
)
from tests.support.formulas import SQUARE2_DEFAULTS, assert_numbers

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[1] / "data" / "presets"
SIN3_NAMES = ("w1", "w2", "w3", "b1", "b2", "b3", "w4", "w5", "w6", "b4")
X = np.linspace(-10.0, 10.0, 1000)

# A table as a spreadsheet set up for Russian saves it: semicolons, decimal commas, CRLF.
CLASS_TABLE = (
    "name;activation;w1;w2;w3;b1;b2;b3;w4;w5;w6;b4;slope\r\n"
    "Bumps;tanh;0,9;-1,2;2,5;0,4;-0,7;1,1;1,6;-0,8;0,45;0,2;\r\n"
    "Leaky with slope;leaky_relu;1,3;-0,6;0,35;-2,2;1,9;0,05;-0,9;25;2,2;-0,3;0,2\r\n"
)
LEAKY_ROW = {
    "w1": 1.3, "w2": -0.6, "w3": 0.35, "b1": -2.2, "b2": 1.9, "b3": 0.05,
    "w4": -0.9, "w5": 25.0, "w6": 2.2, "b4": -0.3,
}  # fmt: skip


def leaky(z: np.ndarray, slope: float) -> np.ndarray:
    return np.where(z > 0, z, slope * z)


def sin3(p: dict[str, float], act: object) -> np.ndarray:
    a = [act(X * p[f"w{i}"] + p[f"b{i}"]) for i in (1, 2, 3)]  # type: ignore[operator]
    return a[0] * p["w4"] + a[1] * p["w5"] + a[2] * p["w6"] + p["b4"]


# The shipped square2 table's ELU row (row 3).
ELU_ROW = {"w1": 1.3, "b1": -1.9, "w2": -1.3, "b2": -1.9, "w3": 3.0, "b3": 5.11, "w4": 3.0}


def upload_input(tab: str) -> str:
    return css_id(tab=tab, type="upload") + " input[type=file]"


def preset_button(tab: str, row: int) -> str:
    return css_id(row=row, tab=tab, type="preset")


def notice(tab: str) -> str:
    return css_id(tab=tab, type="report", what="upload")


def send(page: Page, tab: str, name: str, data: bytes) -> None:
    page.locator(upload_input(tab)).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def test_upload_a_table_apply_a_row_download_it_and_see_the_code(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_tab(page, "sin3")
    before = read_plot(page, "sin3").y
    expect(page.locator(preset_button("sin3", 4))).to_have_count(1)  # the shipped table

    send(page, "sin3", "class.csv", CLASS_TABLE.encode("utf-8"))
    report = page.locator(notice("sin3"))
    expect(report).to_contain_text("class.csv: 2 presets loaded")
    table = page.locator(css_id(name="presets", tab="sin3", type="part"))
    expect(table).to_contain_text("Leaky with slope")
    expect(table).to_contain_text("Leaky ReLU (a = 0.2)")
    expect(page.locator(preset_button("sin3", 2))).to_have_count(0)  # the shipped rows are gone
    wait_idle(page)
    assert read_plot(page, "sin3").y == before  # an upload moves no slider

    plot = after(page, "sin3", lambda: page.locator(preset_button("sin3", 1)).click())
    wait_idle(page)
    plot = read_plot(page, "sin3")
    expect(shown_activation(page, "sin3")).to_have_text("Leaky ReLU")
    slope_box = css_id(act="leaky_relu", name="slope", tab="sin3", type="act_box")
    expect(page.locator(slope_box)).to_have_value("0.2")
    for name, value in LEAKY_ROW.items():
        assert box_value(page, "sin3", name) == value, name
        assert slider_value(page, "sin3", name) == value, name  # w5 = 25: range widened
    thumb = page.locator(css_id(name="w5", tab="sin3", type="param") + " [role=slider]")
    assert float(thumb.get_attribute("aria-valuemax") or "nan") >= 25
    assert_numbers(plot.y, sin3(LEAKY_ROW, lambda z: leaky(z, 0.2)), "sin3 after the upload")

    with page.expect_download() as info:
        page.locator(css_id(tab="sin3", type="action", what="download_params")).click()
    download = info.value
    assert download.suggested_filename == "activation-playground-sin3-parameters.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text == to_csv(SIN3_NAMES, "leaky_relu", LEAKY_ROW, {"slope": 0.2})

    page.locator('[data-control="export"] summary').click()
    page.locator(css_id(tab="sin3", type="action", what="code")).click()
    code = page.locator(css_id(name="code", tab="sin3", type="part"))
    expect(code).to_contain_text("nn.LeakyReLU(negative_slope=0.2)")
    expect(code).to_contain_text("25.0")
    expect(code).to_contain_text("layers.LeakyReLU(negative_slope=0.2")

    # The uploaded table comes back with the tab after a visit elsewhere.
    open_tab(page, "square2")
    open_tab(page, "sin3")
    table = page.locator(css_id(name="presets", tab="sin3", type="part"))
    expect(table).to_contain_text("Leaky with slope")
    expect(page.locator(preset_button("sin3", 2))).to_have_count(0)


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("en-US", "bad_nan.csv, data row 2 (row 3 of the sheet), column b3 (G):"),
        ("ru-RU", "bad_nan.csv, строка данных 2 (строка 3 в таблице), столбец b3 (G):"),
    ],
)
def test_a_bad_file_says_where_and_changes_nothing(
    make_page: object, app_url: str, locale: str, message: str
) -> None:
    page = make_page(locale=locale)  # type: ignore[operator]
    open_app(page, app_url)
    label = {"en-US": "2 neurons → x²", "ru-RU": None}[locale]
    if label is None:  # the Russian tab label, as the tab bar shows it
        label = page.locator(css_id(bar="main", type="tabbar")).locator("label").nth(2).inner_text()
    open_tab(page, "square2", label)
    table = page.locator(css_id(name="presets", tab="square2", type="part"))
    rows_before = table.inner_text()
    before = read_plot(page, "square2").y

    send(page, "square2", "bad_nan.csv", (CORPUS / "bad_nan.csv").read_bytes())
    expect(page.locator(notice("square2"))).to_contain_text(message)
    wait_idle(page)
    assert table.inner_text() == rows_before
    for i in range(5):
        expect(page.locator(preset_button("square2", i))).to_have_count(1)
    for name, value in SQUARE2_DEFAULTS.items():
        assert box_value(page, "square2", name) == value, name
    assert read_plot(page, "square2").y == before


def test_a_file_too_large_to_send_is_named_as_such_and_changes_nothing(
    page: Page, app_url: str
) -> None:
    """The browser drops a file over the drop zone's size limit before any request: the page
    itself says so, changes nothing, and takes the next file that fits."""
    open_app(page, app_url)
    open_tab(page, "square2")
    refused = page.locator(css_id(tab="square2", type="upload") + f" ~ .{REFUSED_CLASS}")
    expect(refused).to_be_hidden()
    table = page.locator(css_id(name="presets", tab="square2", type="part"))
    rows_before = table.inner_text()
    before = read_plot(page, "square2").y

    big = ("activation,w1,b1,w2,b2,w3,w4,b3\n" + "sigmoid,1,2,3,4,5,6,7\n" * 80_000).encode()
    assert len(big) > 1_400_000
    send(page, "square2", "huge.csv", big)
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("over 1.4 MB")
    page.wait_for_timeout(500)  # time for any request that might have gone out
    wait_idle(page)
    expect(page.locator(notice("square2"))).to_have_text("")
    assert table.inner_text() == rows_before
    assert read_plot(page, "square2").y == before

    send(page, "square2", "class.csv", b"activation,w1,b1,w2,b2,w3,w4,b3\ntanh,1,2,3,4,5,6,7\n")
    expect(page.locator(notice("square2"))).to_contain_text("class.csv: 1 preset loaded;")
    expect(refused).to_be_hidden()


def test_the_preset_table_follows_language_and_tab_switches_and_applies_its_rows(
    page: Page, app_url: str
) -> None:
    """The table is plain HTML drawn by assets/presets.js from its holder's attribute: it is
    drawn when the tab opens, redrawn in the new language, drawn again when the tab comes back,
    and its Apply buttons (mouse or keyboard, the same row twice) set the sliders."""
    open_app(page, app_url)
    open_tab(page, "square2")
    table = page.locator(css_id(name="presets", tab="square2", type="part"))
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.locator("th").first).to_have_text(t("en", "label.preset_activation"))
    expect(table.locator("tbody tr").nth(3).locator("td").first).to_have_text("ELU")
    expect(page.locator(preset_button("square2", 3))).to_have_text(t("en", "label.apply"))

    page.locator("#lang").get_by_text("Русский", exact=True).click()
    expect(page.locator(preset_button("square2", 3))).to_have_text(t("ru", "label.apply"))
    expect(table.locator("th").first).to_have_text(t("ru", "label.preset_activation"))
    open_tab(page, "sin3", t("ru", "tab.sin3"))
    expect(page.locator(preset_button("sin3", 4))).to_have_count(1)  # the sin3 table
    open_tab(page, "square2", t("ru", "tab.square2"))
    expect(table.locator("tbody tr")).to_have_count(5)
    button = page.locator(preset_button("square2", 3))
    expect(button).to_have_text(t("ru", "label.apply"))
    expect(button).to_have_attribute("title", t("ru", "classroom.apply_title", preset="ELU"))

    def press_enter() -> None:
        button.focus()
        page.keyboard.press("Enter")

    after(page, "square2", press_enter)
    expect(shown_activation(page, "square2")).to_have_text("ELU")
    for name, value in ELU_ROW.items():
        assert box_value(page, "square2", name) == pytest.approx(value), name
        assert slider_value(page, "square2", name) == pytest.approx(value), name

    after(page, "square2", lambda: type_value(page, "square2", "w1", "2"))
    assert slider_value(page, "square2", "w1") == 2.0
    after(page, "square2", button.click)  # the same row again
    assert slider_value(page, "square2", "w1") == pytest.approx(ELU_ROW["w1"])
    assert box_value(page, "square2", "w1") == pytest.approx(ELU_ROW["w1"])
