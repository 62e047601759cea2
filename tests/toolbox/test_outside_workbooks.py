"""Panels as someone who has not seen the tests would keep them, imported and run as a study.

Where a name is shared (Suzhou: 苏州 or 宿州) the files carry a province column, as
yearbooks do. The writer below knows only what a yearbook user knows: the official names and
codes of 17 cities (民政部 行政区划代码, written by hand here, not read from
toolbox/data), their short names, pinyin and traditional forms, and the changes
a yearbook of 2010-2014 shows — 襄樊市 renamed 襄阳市 (Dec 2010), 毕节地区 made
毕节市 (2011), 巢湖市 abolished and split (2011), 莱芜市 reported apart from 济南
until its merger (2019). It writes the same SYNTHETIC panel in seven layouts ×
encodings, with the name of each unit in a form drawn at random per file (per
year where the layout allows), a total row, title and note rows. Every import
must match or explain every name, and give back the writer's values (莱芜 merged
into 济南 by hand: sums added, rates weighted by population); one of them then
runs through ``ccd run`` unchanged.
"""

import csv
import os

import numpy as np
import openpyxl
import pandas as pd
import pytest

from shapely.geometry import box

from toolbox.tool import RecordingFeedback
from toolbox.tools import tool

YEARS = list(range(2010, 2015))
# code, province, full name, short, pinyin, traditional
CITIES = [
    ("110000", "北京市", "北京市", "北京", "Beijing", "北京市"),
    ("420100", "湖北省", "武汉市", "武汉", "Wuhan", "武漢市"),
    ("420200", "湖北省", "黄石市", "黄石", "Huangshi", "黃石市"),
    ("420500", "湖北省", "宜昌市", "宜昌", "Yichang", "宜昌市"),
    ("420600", "湖北省", "襄阳市", "襄阳", "Xiangyang", "襄陽市"),
    ("340100", "安徽省", "合肥市", "合肥", "Hefei", "合肥市"),
    ("340200", "安徽省", "芜湖市", "芜湖", "Wuhu", "蕪湖市"),
    ("340500", "安徽省", "马鞍山市", "马鞍山", "Ma'anshan", "馬鞍山市"),
    ("340800", "安徽省", "安庆市", "安庆", "Anqing", "安慶市"),
    ("370100", "山东省", "济南市", "济南", "Jinan", "濟南市"),
    ("370200", "山东省", "青岛市", "青岛", "Qingdao", "青島市"),
    ("370300", "山东省", "淄博市", "淄博", "Zibo", "淄博市"),
    ("520100", "贵州省", "贵阳市", "贵阳", "Guiyang", "貴陽市"),
    ("520300", "贵州省", "遵义市", "遵义", "Zunyi", "遵義市"),
    ("520500", "贵州省", "毕节市", "毕节", "Bijie", "畢節市"),
    ("320500", "江苏省", "苏州市", "苏州", "Suzhou", "蘇州市"),
    ("320600", "江苏省", "南通市", "南通", "Nantong", "南通市"),
]
FORMER = {  # code: names of the unit in the years before its change, and the year of the change
    "420600": (("襄樊市", "襄樊", "Xiangfan"), 2011),
    "520500": (("毕节地区", "畢節地區"), 2011),
}
LAIWU = ("莱芜市", "莱芜", "Laiwu", "萊蕪市")  # beside 济南 every year, merged into it
CHAOHU = ("巢湖市", "巢湖")                  # 2010 only; split among 合肥, 芜湖, 马鞍山 in 2011
SUMS, MEANS = ["GDP", "POP"], ["URBAN", "GREEN"]
FIELDS = SUMS + MEANS


def _truth(seed=11):
    """The writer's panel: {(code or 'laiwu' / 'chaohu', year): {field: value}}."""
    rng = np.random.default_rng(seed)
    units = [c[0] for c in CITIES] + ["laiwu", "chaohu"]
    truth = {}
    for unit in units:
        base = rng.uniform(500, 9000)
        for year in YEARS:
            if unit == "chaohu" and year > 2010:
                continue
            growth = 1.08 ** (year - 2010)
            truth[unit, year] = {"GDP": round(base * growth, 1), "POP": round(rng.uniform(100, 1200), 1),
                                 "URBAN": round(rng.uniform(30, 90), 2), "GREEN": round(rng.uniform(20, 50), 2)}
    return truth


def _expected(truth):
    """What the import must give: 莱芜 merged into 济南 by hand, 巢湖 (dropped) left out."""
    out = {}
    for (unit, year), row in truth.items():
        if unit in ("laiwu", "chaohu"):
            continue
        row = dict(row)
        if unit == "370100":
            other = truth["laiwu", year]
            weight = row["POP"] + other["POP"]
            for field in MEANS:  # weighted by population
                row[field] = (row[field] * row["POP"] + other[field] * other["POP"]) / weight
            for field in SUMS:
                row[field] = row[field] + other[field]
        out[unit, year] = row
    return out


def _forms(code, year, rng, fixed=None):
    """A name of unit ``code`` as some yearbook of ``year`` might print it."""
    city = next(c for c in CITIES if c[0] == code) if code not in ("laiwu", "chaohu") else None
    if code == "laiwu":
        choices = LAIWU
    elif code == "chaohu":
        choices = CHAOHU
    elif code in FORMER and (fixed or year) < FORMER[code][1]:
        choices = FORMER[code][0]
    else:
        choices = city[2:6]
    return choices[int(rng.integers(len(choices)))]


def _province(code):
    if code == "laiwu":
        return "山东省"
    if code == "chaohu":
        return "安徽省"
    return next(c[1] for c in CITIES if c[0] == code)


def _units(truth):
    return list(dict.fromkeys(unit for unit, _ in truth))


def _long_rows(truth, rng):
    rows = [["城市", "省份", "年份"] + FIELDS]
    for (unit, year), row in truth.items():
        rows.append([_forms(unit, year, rng), _province(unit), str(year)] + [row[f] for f in FIELDS])
    for year in YEARS:
        rows.append(["合计", "", str(year)] + [""] * len(FIELDS))
    return rows


def _wide_names(truth, rng):
    # one row per unit over all years: a name of the first year it appears
    return {unit: _forms(unit, min(y for u, y in truth if u == unit), rng) for unit in _units(truth)}


def _cell(truth, unit, year, field):
    row = truth.get((unit, year))
    return "—" if row is None else row[field]


def write_long_gbk(path, truth, rng):
    with open(path, "w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows(_long_rows(truth, rng))


def write_long_bom(path, truth, rng):
    rows = _long_rows(truth, rng)
    rows[0] = ["地区", "所属省份", "年度"] + FIELDS
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


def write_wide_two_row_csv(path, truth, rng):
    """Indicators merged over the years, saved by Excel as GB18030 CSV (merged cells are empty)."""
    names = _wide_names(truth, rng)
    top, bottom = ["城市", "省份"], ["", ""]
    for field in FIELDS:
        top += [field] + [""] * (len(YEARS) - 1)
        bottom += [f"{y}年" for y in YEARS]
    rows = [["表3 各市主要指标（2010—2014年）"], top, bottom]
    for unit, name in names.items():
        rows.append([name, _province(unit)] + [_cell(truth, unit, y, f) for f in FIELDS for y in YEARS])
    rows.append(["资料来源：各市统计年鉴。"])
    with open(path, "w", encoding="gb18030", newline="") as handle:
        csv.writer(handle).writerows(rows)


def write_wide_xlsx(path, truth, rng):
    names = _wide_names(truth, rng)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(["各市主要指标"])
    sheet.append(["城市", "省份"] + [f"{y}年{f}" for f in FIELDS for y in YEARS])
    for unit, name in names.items():
        sheet.append([name, _province(unit)] + [_cell(truth, unit, y, f) for f in FIELDS for y in YEARS])
    sheet.append(["注：—表示无数据。"])
    book.save(path)


def write_wide_merged_xlsx(path, truth, rng):
    """Years merged over the indicators (real merged cells), 地区 merged over two rows."""
    names = _wide_names(truth, rng)
    book = openpyxl.Workbook()
    sheet = book.active
    top, bottom = ["地区", "省"], [None, None]
    for year in YEARS:
        top += [year] + [None] * (len(FIELDS) - 1)
        bottom += FIELDS
    sheet.append(top)
    sheet.append(bottom)
    for unit, name in names.items():
        sheet.append([name, _province(unit)] + [_cell(truth, unit, y, f) for y in YEARS for f in FIELDS])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    for position in range(len(YEARS)):
        start = 3 + position * len(FIELDS)
        sheet.merge_cells(start_row=1, start_column=start, end_row=1, end_column=start + len(FIELDS) - 1)
    book.save(path)


def write_sheet_per_year(path, truth, rng):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for year in YEARS:
        sheet = book.create_sheet(f"{year}年")
        sheet.append(["城市名称", "省份"] + FIELDS)
        for unit in _units(truth):
            if (unit, year) in truth:
                sheet.append([_forms(unit, year, rng), _province(unit)] + [truth[unit, year][f] for f in FIELDS])
    book.create_sheet("说明").append(["数据为虚构（SYNTHETIC）。"])
    book.save(path)


def write_sheet_per_indicator_ods(path, truth, rng):
    names = _wide_names(truth, rng)
    with pd.ExcelWriter(path, engine="odf") as writer:
        for field in FIELDS:
            frame = pd.DataFrame({"城市": list(names.values()), "省份": [_province(u) for u in names]})
            for year in YEARS:
                frame[str(year)] = [_cell(truth, unit, year, field) for unit in names]
            frame.to_excel(writer, sheet_name=field, index=False)


WRITERS = {
    "long_gbk.csv": write_long_gbk,
    "long_bom_semicolon.csv": write_long_bom,
    "wide_two_row_gb18030.csv": write_wide_two_row_csv,
    "wide.xlsx": write_wide_xlsx,
    "wide_years_merged.xlsx": write_wide_merged_xlsx,
    "per_year.xlsx": write_sheet_per_year,
    "per_indicator.ods": write_sheet_per_indicator_ods,
}
LAYOUT = {"long_gbk.csv": "long", "long_bom_semicolon.csv": "long", "wide_two_row_gb18030.csv": "wide",
          "wide.xlsx": "wide", "wide_years_merged.xlsx": "wide", "per_year.xlsx": "sheet_per_year",
          "per_indicator.ods": "sheet_per_indicator"}
OPTIONS = {"LAYOUT": "auto", "CHANGES": "merge", "CHANGE_RULES": "巢湖=drop", "UNMATCHED": "drop",
           "SUM_FIELDS": ",".join(SUMS), "MEAN_FIELDS": ",".join(MEANS), "WEIGHT_FIELD": "POP",
           "POLYGONS_CODE_FIELD": "CODE", "CHECKS": False}


def _polygons():
    """The user's boundary layer: one square per city of today, codes as text (a 4 x 5 grid)."""
    import geopandas as gpd

    return gpd.GeoDataFrame({"CODE": [c[0] for c in CITIES]},
                            geometry=[box(i % 5, i // 5, i % 5 + 1, i // 5 + 1) for i in range(len(CITIES))],
                            crs="EPSG:3857")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outside")
    truth = _truth()
    paths = {"polygons": str(folder / "cities.gpkg")}
    _polygons().to_file(paths["polygons"], layer="cities")
    for number, (name, write) in enumerate(WRITERS.items()):
        paths[name] = str(folder / name)
        write(paths[name], truth, np.random.default_rng(100 + number))
    return truth, paths


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_name_matched_or_explained_and_values_given_back(files, name):
    truth, paths = files
    feedback = RecordingFeedback()
    result = tool("importpanel").run({**OPTIONS, "INPUT": paths[name], "POLYGONS": _polygons()}, feedback)
    matches, out = result["MATCHES"], result["OUTPUT"]
    assert any(f"layout: {LAYOUT[name]}" in m for m in feedback.messages), feedback.messages
    matched = matches["HOW"].isin(["code", "exact", "alias", "change"])
    unexplained = matches[~matched & (matches["NOTE"].fillna("") == "") & (matches["CANDIDATES"].fillna("") == "")]
    assert unexplained.empty, unexplained.to_string()
    assert set(matches.loc[~matched, "INPUT_NAME"]) <= {"合计"}
    assert (matches.loc[matches["INPUT_NAME"].isin(CHAOHU), "RULE"] == "drop").all()
    assert (matches.loc[matches["INPUT_NAME"].isin(LAIWU), "RULE"] == "merge").all()
    expected = _expected(truth)
    got = out.set_index(["ADCODE", "YEAR"])
    assert sorted(got.index) == sorted(expected), name
    for field in FIELDS:
        values = got[field].astype(float)
        want = pd.Series({key: row[field] for key, row in expected.items()})
        np.testing.assert_allclose(values.loc[want.index].to_numpy(), want.to_numpy(), rtol=1e-12, err_msg=field)


def test_the_import_runs_through_ccd_run(files, tmp_path):
    from toolbox import cli

    _, paths = files
    config = tmp_path / "study.toml"
    config.write_text(f"""
title = "outside workbook (SYNTHETIC values)"
[data]
source = "import"
input = "{paths['wide_two_row_gb18030.csv']}"
polygons = "{paths['polygons']}"
polygons_id_field = "CODE"
changes = "merge"
change_rules = "巢湖=drop"
unmatched = "drop"
sum_fields = ["GDP", "POP"]
mean_fields = ["URBAN", "GREEN"]
weight_field = "POP"
synthetic = true
[systems.economy]
positive = ["GDP", "URBAN"]
[systems.environment]
positive = ["GREEN", "POP"]
[coupling]
model = "classic"
[tiers]
method = "kmeans_year"
k = 3
seed = 0
group_field = "PROVINCE"
[dagum]
group_field = "REGION"
""", encoding="utf-8")
    assert cli.main(["--quiet", "run", str(config), "--output-dir", str(tmp_path / "out")]) == 0
    results = pd.read_csv(tmp_path / "out" / "tables" / "results.csv", dtype={"ADCODE": str})
    assert len(results) == len(CITIES) * len(YEARS)
    assert set(results["ADCODE"]) == {c[0] for c in CITIES}
    means = pd.read_csv(tmp_path / "out" / "tables" / "group_means.csv")
    assert {"湖北省", "贵州省"} <= set(means.astype(str).stack())
    matches = pd.read_csv(tmp_path / "out" / "tables" / "import_matches.csv")
    assert len(matches) == len(CITIES) + 2  # and 莱芜, 巢湖
    assert set(matches["HOW"]) <= {"exact", "alias", "change"}
