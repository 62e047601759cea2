"""Readers of user panels: workbooks written here with openpyxl (and odfpy), CSV in three encodings."""

import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox import readers

EXPECTED = pd.DataFrame({
    "UNIT": ["北京市", "北京市", "襄阳", "襄阳"],
    "YEAR": [2011, 2012, 2011, 2012],
    "GDP": [16251.9, 17879.4, 2132.2, 2501.9],
    "POP": [2019.0, 2069.0, 551.0, np.nan],
})


def _workbook(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return str(path)


def _long_of(panel):
    """The panel as numbers, sorted, with the unit column named UNIT."""
    table = panel.table.rename(columns={panel.unit_field: "UNIT"})
    out = table[["UNIT", "YEAR"]].copy()
    for name in ("GDP", "POP"):
        out[name] = readers.to_numbers(table[name], name)
    return out.sort_values(["UNIT", "YEAR"]).reset_index(drop=True)


def _check(panel, layout):
    assert panel.layout == layout
    assert sorted(panel.indicators) == ["GDP", "POP"]
    pd.testing.assert_frame_equal(_long_of(panel), EXPECTED.sort_values(["UNIT", "YEAR"]).reset_index(drop=True),
                                  check_dtype=False)


def test_long_workbook_with_title_and_note_rows(tmp_path):
    path = _workbook(tmp_path / "long.xlsx", {"数据": [
        ["表1 各市主要指标（2011—2012年）"],
        [],
        ["城市", "年份", "GDP", "POP"],
        ["北京市", 2011, 16251.9, 2019],
        ["北京市", 2012, 17879.4, 2069],
        ["襄阳", datetime.datetime(2011, 1, 1), 2132.2, 551],  # a year typed as a date
        ["襄阳", 2012, 2501.9, "—"],
        ["注：POP 为年末常住人口。"],
    ]})
    panel = readers.read_panel(path)
    _check(panel, "long")
    assert any("header in row 3" in line for line in panel.log)
    assert any("note row" in line for line in panel.log)
    assert any("layout: long detected" in line for line in panel.log)


@pytest.mark.parametrize("headers", [
    ["GDP_2011", "GDP_2012", "POP_2011", "POP_2012"],
    ["GDP2011", "GDP2012", "POP2011", "POP2012"],
    ["2011年GDP", "2012年GDP", "2011年POP", "2012年POP"],
    ["GDP(2011)", "GDP（2012）", "POP 2011", "POP-2012"],
])
def test_wide_workbook(tmp_path, headers):
    path = _workbook(tmp_path / "wide.xlsx", {"Sheet1": [
        ["城市"] + headers,
        ["北京市", 16251.9, 17879.4, 2019, 2069],
        ["襄阳", 2132.2, 2501.9, 551, None],
    ]})
    _check(readers.read_panel(path), "wide")


def test_wide_with_a_pattern_of_ones_own(tmp_path):
    path = _workbook(tmp_path / "wide.xlsx", {"S": [
        ["城市", "GDP|11", "GDP|12", "POP|11", "POP|12"],
        ["北京市", 16251.9, 17879.4, 2019, 2069],
        ["襄阳", 2132.2, 2501.9, 551, None],
    ]})
    with pytest.raises(InputError, match="cannot tell the layout"):
        readers.read_panel(path)
    with pytest.raises(InputError, match="groups"):
        readers.read_panel(path, layout="wide", wide_pattern=r"(?P<indicator>\w+)\|(\d+)")
    panel = readers.read_panel(path, layout="wide", wide_pattern=r"^(?P<indicator>\w+)\|(?P<year>\d\d)$")
    assert sorted(set(panel.table["YEAR"])) == [11, 12]


def test_sheet_per_year(tmp_path):
    path = _workbook(tmp_path / "years.xlsx", {
        "2011年": [["城市", "GDP", "POP"], ["北京市", 16251.9, 2019], ["襄阳", 2132.2, 551]],
        "2012年": [["城市", "GDP", "POP"], ["北京市", 17879.4, 2069], ["襄阳", 2501.9, None]],
    })
    panel = readers.read_panel(path)
    _check(panel, "sheet_per_year")
    assert any("sheet_per_year detected" in line for line in panel.log)


def test_sheet_per_indicator(tmp_path):
    path = _workbook(tmp_path / "indicators.xlsx", {
        "GDP": [["城市", 2011, 2012], ["北京市", 16251.9, 17879.4], ["襄阳", 2132.2, 2501.9]],
        "POP": [["城市", "2011", "2012年"], ["北京市", 2019, 2069], ["襄阳", 551, "…"]],
    })
    panel = readers.read_panel(path)
    _check(panel, "sheet_per_indicator")


def test_ods_workbook(tmp_path):
    path = str(tmp_path / "long.ods")
    frame = pd.DataFrame({"城市": ["北京市", "北京市", "襄阳", "襄阳"], "年份": [2011, 2012, 2011, 2012],
                          "GDP": [16251.9, 17879.4, 2132.2, 2501.9], "POP": [2019, 2069, 551, None]})
    frame.to_excel(path, engine="odf", index=False)
    _check(readers.read_panel(path), "long")


CSV_TEXT = "城市,年份,GDP,POP\n北京市,2011,\"16,251.9\",2019\n北京市,2012,17879.4,2069\n襄阳,2011,2132.2,551\n襄阳,2012,2501.9,\n"


@pytest.mark.parametrize("encoding, label", [
    ("gbk", "GB18030 (GBK)"),
    ("gb18030", "GB18030 (GBK)"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-8", "UTF-8"),
])
def test_csv_encodings_are_detected_and_named(tmp_path, encoding, label):
    path = tmp_path / "panel.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    panel = readers.read_panel(str(path))
    _check(panel, "long")
    assert f"text encoding {label}" in panel.log[0]
    assert "\ufeff" not in panel.unit_field


def test_semicolon_csv_and_codes_keep_leading_zeros(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code;year;GDP\n007;2011;1,5\n007;2012;2\n", encoding="utf-8")
    panel = readers.read_panel(str(path), code_field="code")
    assert panel.unit_kind == "code"
    assert panel.table["code"].tolist() == ["007", "007"]


def test_numbers_with_units_in_cells_are_refused_by_field_unit_and_year():
    values = pd.Series(["1.5", "—", "12.3万"])
    labels = pd.Series(["unit 北京 year 2011", "unit 北京 year 2012", "unit 襄阳 year 2011"])
    with pytest.raises(InputError, match="field 'GDP': '12.3万' \\(unit 襄阳 year 2011\\) is not a number"):
        readers.to_numbers(values, "GDP", labels)
    assert readers.to_numbers(pd.Series(["1,234.5", " 2 ", "…", ""]), "X").tolist()[:2] == [1234.5, 2.0]


def test_several_sheets_need_a_choice(tmp_path):
    path = _workbook(tmp_path / "two.xlsx", {
        "cities": [["城市", "年份", "GDP"], ["北京市", 2011, 1.0]],
        "readme": [["说明", "text"], ["a", "b"]],
    })
    with pytest.raises(InputError, match="give SHEET"):
        readers.read_panel(path)
    panel = readers.read_panel(path, sheet="cities")
    assert panel.layout == "long" and panel.indicators == ["GDP"]
    assert readers.read_panel(path, sheet="1").layout == "long"
    with pytest.raises(InputError, match="SHEET 'nope' not found"):
        readers.read_panel(path, sheet="nope")


def test_bad_year_and_missing_unit_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("城市,年份,GDP\n北京市,二〇一一,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="year field '年份'"):
        readers.read_panel(str(path))
    path.write_text("foo,年份,GDP\nx,2011,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="give NAME_FIELD"):
        readers.read_panel(str(path))
    (tmp_path / "x.dbf").write_bytes(b"\x03")
    with pytest.raises(InputError, match="unknown file type"):
        readers.read_panel(str(tmp_path / "x.dbf"))


def test_a_readme_sheet_beside_the_year_sheets_is_left_out(tmp_path):
    path = _workbook(tmp_path / "years.xlsx", {
        "说明": [["本表说明"], ["数据来源：统计年鉴"]],
        "2011": [["城市", "GDP", "POP"], ["北京市", 16251.9, 2019], ["襄阳", 2132.2, 551]],
        "2012": [["城市", "GDP", "POP"], ["北京市", 17879.4, 2069], ["襄阳", 2501.9, None]],
    })
    panel = readers.read_panel(path)
    _check(panel, "sheet_per_year")
    assert any("other sheets left out: 说明" in line for line in panel.log)
    explicit = readers.read_panel(path, layout="sheet_per_year")
    assert any("sheets left out" in line and "说明" in line for line in explicit.log)


def test_wide_columns_with_units_keep_them_in_the_indicator_name():
    found = readers.wide_columns(["2011年GDP(亿元)", "GDP（亿元）2012", "城市"], readers.DEFAULT_WIDE_PATTERNS)
    assert found == {"2011年GDP(亿元)": ("GDP(亿元)", 2011), "GDP（亿元）2012": ("GDP（亿元）", 2012)}


def _merged_workbook(path, rows, merges):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2011-2012"  # a sheet name with years must not make it sheet_per_year (one sheet)
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return str(path)


def test_two_row_header_indicators_merged_over_years(tmp_path):
    """As yearbook exports: 城市 merged over two rows, each indicator merged over its years."""
    path = _merged_workbook(tmp_path / "two_rows.xlsx", [
        ["表2 主要指标"],
        ["城市", "GDP", None, "POP", None],
        [None, "2011年", "2012年", 2011, 2012],
        ["北京市", 16251.9, 17879.4, 2019, 2069],
        ["襄阳", 2132.2, 2501.9, 551, "—"],
    ], ["A2:A3", "B2:C2", "D2:E2"])
    panel = readers.read_panel(path)
    _check(panel, "wide")
    assert any("two-row header in rows 2–3 (indicator names over years)" in line for line in panel.log)


def test_two_row_header_years_over_indicators_in_a_csv(tmp_path):
    """The same table saved as CSV from Excel: merged cells become empty cells; years on top."""
    text = ("城市,2011,,2012,\n"
            ",GDP,POP,GDP,POP\n"
            "北京市,16251.9,2019,17879.4,2069\n"
            "襄阳,2132.2,551,2501.9,—\n")
    path = tmp_path / "two_rows.csv"
    path.write_bytes(text.encode("gb18030"))
    panel = readers.read_panel(str(path))
    _check(panel, "wide")
    assert any("two-row header in rows 1–2 (years over indicator names)" in line for line in panel.log)


def test_one_row_headers_are_not_taken_for_two():
    rows = [["城市", "年份", "GDP"], ["北京", "2011", "1"]]
    assert readers.two_row_header(rows, 0) is None
    rows = [["城市", "2011", "2012"], ["北京", "1", "2"]]  # sheet_per_indicator style
    assert readers.two_row_header(rows, 0) is None
    rows = [["2011—2012年 各市 GDP", "", ""], ["城市", "2011", "2012"], ["北京", "1", "2"]]
    assert readers.two_row_header(rows, 1) is None


def test_xls_written_by_other_software():
    """A real Excel 97-2003 (.xls, BIFF) workbook that we did not write: statsmodels ships FRED's
    macrodata.xls beside the same data as CSV (statsmodels.datasets.macrodata). No maintained .xls
    writer exists for Python (xlwt is unmaintained), so this is the .xls fixture."""
    import os

    statsmodels = pytest.importorskip("statsmodels")
    from statsmodels.datasets import macrodata

    path = os.path.join(os.path.dirname(statsmodels.__file__), "datasets", "macrodata", "src",
                        "macrodata.xls", "macrodata.xls")
    if not os.path.exists(path):
        pytest.skip(f"statsmodels {statsmodels.__version__} does not ship {path}")
    log = []
    sheets = {s.name: s for s in readers.read_sheets(path, log)}
    assert list(sheets) == ["README", "Monthly", "Quarterly"]
    table = readers.sheet_table(sheets["Quarterly"])
    assert list(table.columns) == ["DATE", "DPIC96", "FGCEC96", "GDPC96", "GPDIC96", "PCECC96"]
    expected = macrodata.load_pandas().data  # 1959Q1–2009Q3, from statsmodels' CSV
    dates = [f"{int(y)}-{3 * int(q) - 2:02d}-01" for y, q in zip(expected["year"], expected["quarter"])]
    rows = table.set_index("DATE").loc[dates]
    np.testing.assert_allclose(readers.to_numbers(rows["GDPC96"], "GDPC96"), expected["realgdp"], rtol=1e-12)
    np.testing.assert_allclose(readers.to_numbers(rows["PCECC96"], "PCECC96"), expected["realcons"], rtol=1e-12)


def test_two_row_header_with_the_unit_column_named_on_the_lower_row(tmp_path):
    path = _merged_workbook(tmp_path / "lower.xlsx", [
        [None, None, "GDP", None, "POP", None],
        ["城市", "省份", 2011, 2012, "2011年", "2012年"],
        ["北京市", "北京", 16251.9, 17879.4, 2019, 2069],
        ["襄阳", "湖北", 2132.2, 2501.9, 551, None],
    ], ["C1:D1", "E1:F1"])
    panel = readers.read_panel(path)
    _check(panel, "wide")
    assert "省份" in panel.table.columns


def test_header_pairs_by_hand():
    assert readers.header_pair(["", "2011", "2012"], ["城市", "GDP", ""])
    assert readers.header_pair(["城市", "2011", "2012"], ["", "GDP", "POP"])
    assert not readers.header_pair(["北京", "2011", "2012"], ["城市", "年份", "GDP"])  # a data row
    assert not readers.header_pair(["城市", "2011", "2012"], ["北京", "—", "—"])       # a data row
    assert not readers.header_pair(["城市", "2011", "2012"], ["表1", "", ""])          # a title
    assert not readers.header_pair(["城市", "2011", "GDP"], ["", "GDP", "POP"])


@pytest.mark.parametrize("encoding, name", [("gb18030", "GB18030"), ("utf-8", "UTF-8"),
                                            ("utf-8-sig", "UTF-8 with BOM"), ("utf-16", "UTF-16")])
def test_the_encoding_of_a_file_read_in_chunks_is_that_of_its_whole_text(tmp_path, encoding, name):
    """Chunks of 1 and 3 bytes cut every multi-byte character; the answer is
    decode_text's on the whole bytes (the independent reference)."""
    from toolbox.tables import decode_text, file_encoding

    path = tmp_path / "panel.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    assert decode_text(path.read_bytes(), str(path))[1] == name
    for chunk in (1, 3, 1 << 20):
        assert file_encoding(str(path), chunk=chunk) == name


def test_a_file_no_encoding_decodes_is_named_by_line_when_read_in_chunks(tmp_path):
    from toolbox.tables import TableIOError, file_encoding

    path = tmp_path / "latin.csv"
    path.write_bytes("city,year\nBeijing,2011\nS\u00e3o Paulo,2011\n".encode("latin-1") + b"\xff\xfe\xff")
    with pytest.raises(TableIOError, match=r"latin\.csv: line 3 is neither UTF-8 nor GB18030"):
        file_encoding(str(path), chunk=4)
