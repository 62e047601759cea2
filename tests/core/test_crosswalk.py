"""Matching Chinese prefecture names and codes across the changes of 2010-2024.

Expected units are written by hand from the official names and codes (民政部
行政区划代码) and the State Council approvals listed in toolbox/data/SOURCES.md.
"""

import numpy as np
import pandas as pd
import pytest

from spatial import crosswalk
from spatial.errors import InputError
from toolbox import units


@pytest.fixture(scope="module")
def walk():
    return units.prefecture_crosswalk()


@pytest.mark.parametrize("name, code, how", [
    ("北京市", "110000", "exact"),
    ("北京", "110000", "alias"),
    ("Beijing", "110000", "alias"),
    ("BEIJING CITY", "110000", "alias"),
    ("Peking", "110000", "alias"),
    ("襄阳市", "420600", "exact"),
    ("襄阳", "420600", "alias"),
    ("Xiangyang", "420600", "alias"),
    ("襄樊市", "420600", "change"),
    ("襄樊", "420600", "change"),
    ("Xiangfan", "420600", "change"),
    ("毕节地区", "520500", "change"),
    ("铜仁地区", "520600", "change"),
    ("海东地区", "630200", "change"),
    ("日喀则地区", "540200", "change"),
    ("昌都地区", "540300", "change"),
    ("林芝地区", "540400", "change"),
    ("山南地区", "540500", "change"),
    ("吐鲁番地区", "650400", "change"),
    ("哈密地区", "650500", "change"),
    ("那曲地区", "540600", "change"),
    ("莱芜市", "370100", "change"),
    ("Laiwu", "370100", "change"),
    ("延边朝鲜族自治州", "222400", "exact"),
    ("延边", "222400", "alias"),
    ("黔西南", "522300", "alias"),
    ("海西", "632800", "alias"),
    ("Harbin", "230100", "alias"),
    ("Haerbin", "230100", "alias"),
    ("Xi'an", "610100", "alias"),
    ("Urumqi", "650100", "alias"),
    ("Changzhi", "140400", "alias"),
    ("Chaoyang", "211300", "alias"),
    ("Luohe", "411100", "alias"),
    ("北京市 *", "110000", "exact"),
    ("ＢＥＩＪＩＮＧ", "110000", "alias"),
    ("上海市（直辖市）", "310000", "exact"),
    ("湖北省襄阳市", "420600", "exact"),   # with the province in front
    ("湖北襄樊", "420600", "change"),
    ("内蒙古呼和浩特", "150100", "alias"),
])
def test_names_match_units_across_changes(walk, name, code, how):
    match = crosswalk.match_name(walk, name)
    assert (match["ADCODE"], match["HOW"]) == (code, how)


def test_change_rows_say_which_change(walk):
    match = crosswalk.match_name(walk, "莱芜")
    assert match["CHANGE_KIND"] == "merge" and match["OLD_CODE"] == "371200"
    assert "2019" in match["CHANGE"] and "济南市" in match["CHANGE"]
    split = crosswalk.match_name(walk, "巢湖市")
    assert split["HOW"] == "change" and split["CHANGE_KIND"] == "split"
    assert split["ADCODE"] == "341400"  # no single successor: the former unit's own code
    assert "合肥市" in split["CHANGE"] and "芜湖市" in split["CHANGE"] and "马鞍山市" in split["CHANGE"]


def test_shared_pinyin_is_ambiguous_until_a_province_decides(walk):
    match = crosswalk.match_name(walk, "Suzhou")
    assert match["HOW"] == "ambiguous" and match["ADCODE"] == ""
    assert "苏州市" in match["CANDIDATES"] and "宿州市" in match["CANDIDATES"]
    assert crosswalk.match_name(walk, "Suzhou", "Anhui")["ADCODE"] == "341300"
    assert crosswalk.match_name(walk, "Suzhou", "江苏省")["ADCODE"] == "320500"
    assert crosswalk.match_name(walk, "Taizhou", "浙江")["ADCODE"] == "331000"
    assert crosswalk.match_name(walk, "Taizhou", "Jiangsu")["ADCODE"] == "321200"
    assert crosswalk.match_name(walk, "Fuzhou", "Jiangxi")["ADCODE"] == "361000"
    assert crosswalk.match_name(walk, "Yulin", "Shaanxi")["ADCODE"] == "610800"


def test_unmatched_names_list_the_nearest(walk):
    match = crosswalk.match_name(walk, "宿洲市")  # a typing error for 宿州市
    assert match["HOW"] == "unmatched" and "宿州市" in match["CANDIDATES"]
    latin = crosswalk.match_name(walk, "Xiangyng")
    assert latin["HOW"] == "unmatched" and "襄阳市" in latin["CANDIDATES"]
    province = crosswalk.match_name(walk, "河北省")
    assert province["HOW"] == "unmatched" and "province" in province["NOTE"]
    assert crosswalk.match_name(walk, None)["HOW"] == "unmatched"


@pytest.mark.parametrize("code, expected, how", [
    ("110000", "110000", "code"),
    ("110100", "110000", "code"),       # the 市 level of a municipality
    ("420600.0", "420600", "code"),     # a number read from a spreadsheet
    ("441900000000", "441900", "code"),  # the 12-digit statistical code
    ("522400", "520500", "change"),     # 毕节地区
    ("652200", "650500", "change"),     # 哈密地区
    ("469003", "460400", "change"),     # 儋州 before 2015
    ("371200", "370100", "change"),     # 莱芜
])
def test_codes(walk, code, expected, how):
    match = crosswalk.match_code(walk, code)
    assert (match["ADCODE"], match["HOW"]) == (expected, how)


def test_county_code_is_unmatched_with_its_prefecture_as_candidate(walk):
    match = crosswalk.match_code(walk, "420606")  # 樊城区 of 襄阳
    assert match["HOW"] == "unmatched" and "襄阳市" in match["CANDIDATES"]
    assert crosswalk.match_code(walk, "abc")["HOW"] == "unmatched"


def test_match_tables_have_one_row_per_distinct_input(walk):
    table = crosswalk.match_names(walk, ["北京", "北京", "襄樊"])
    assert list(table["INPUT_NAME"]) == ["北京", "襄樊"]
    assert list(table.columns[:6]) == ["INPUT_NAME", "ADCODE", "NAME", "PROVINCE", "HOW", "CANDIDATES"]


def test_short_names():
    assert crosswalk.short_name("襄阳市") == "襄阳"
    assert crosswalk.short_name("大兴安岭地区") == "大兴安岭"
    assert crosswalk.short_name("锡林郭勒盟") == "锡林郭勒"
    assert crosswalk.short_name("海西蒙古族藏族自治州") == "海西"
    assert crosswalk.short_name("巴音郭楞蒙古自治州") == "巴音郭楞"
    assert crosswalk.short_name("广西壮族自治区") == "广西"
    assert crosswalk.short_name("沙市") == "沙市"  # too short to strip
    assert crosswalk.latin_key("Xī'ān Shì") == "xian"


def test_parse_rules():
    assert crosswalk.parse_rules("莱芜=merge; 巢湖市=drop") == {"莱芜": "merge", "巢湖市": "drop"}
    with pytest.raises(InputError, match="expected NAME=keep"):
        crosswalk.parse_rules("莱芜=sum")


def _panel():
    return pd.DataFrame({
        "ADCODE": ["370100", "370100", "371200", "370100", "110000"],
        "YEAR": [2017, 2018, 2018, 2019, 2018],
        "GDP": [7000.0, 7800.0, 1000.0, 9400.0, 30000.0],
        "POP": [730.0, 746.0, 137.0, 890.0, 2154.0],
        "RATE": [0.5, 0.6, 0.2, 0.7, 0.9],
        "LABEL": ["a", "b", "c", "d", "e"],
    })


def test_merge_sums_counts_and_weights_rates_year_by_year():
    panel = _panel()
    before = panel.copy()
    merged = crosswalk.merge_rows(panel, "ADCODE", "YEAR", {"371200": "370100"}, ["GDP", "POP"], ["RATE"],
                                  "POP", last_year={"371200": 2018})
    pd.testing.assert_frame_equal(panel, before)
    jinan = merged[merged["ADCODE"] == "370100"].set_index("YEAR")
    assert "371200" not in set(merged["ADCODE"])
    # 2017: 莱芜 has no row although it still existed -> no partial sum
    assert np.isnan(jinan.at[2017, "GDP"]) and np.isnan(jinan.at[2017, "RATE"])
    assert jinan.at[2018, "GDP"] == 7800.0 + 1000.0
    assert jinan.at[2018, "POP"] == 746.0 + 137.0
    assert jinan.at[2018, "RATE"] == pytest.approx((0.6 * 746 + 0.2 * 137) / (746 + 137))
    assert jinan.at[2018, "LABEL"] == "b"  # other fields from the successor's row
    # 2019: 莱芜 no longer exists; 济南's own row stands
    assert jinan.at[2019, "GDP"] == 9400.0 and jinan.at[2019, "RATE"] == 0.7
    assert merged[merged["ADCODE"] == "110000"]["GDP"].tolist() == [30000.0]


def test_merge_refuses_rows_after_the_merge_and_missing_weights():
    panel = _panel()
    panel.loc[len(panel)] = ["371200", 2019, 1.0, 1.0, 0.1, "x"]
    with pytest.raises(InputError, match="371200 has rows for year\\(s\\) 2019"):
        crosswalk.merge_rows(panel, "ADCODE", "YEAR", {"371200": "370100"}, ["GDP"], [], None, {"371200": 2018})
    with pytest.raises(InputError, match="WEIGHT_FIELD"):
        crosswalk.merge_rows(_panel(), "ADCODE", "YEAR", {"371200": "370100"}, ["GDP"], ["RATE"], None)
    with pytest.raises(InputError, match="both as sums and as weighted means"):
        crosswalk.merge_rows(_panel(), "ADCODE", "YEAR", {"371200": "370100"}, ["GDP"], ["GDP"], "POP")


def test_every_change_points_to_a_listed_unit(walk):
    for change in walk.changes:
        for code in change.new_codes:
            assert code in walk.units.index, change.describe()
        if change.kind in ("rename", "upgrade", "merge", "split"):
            assert change.old_code and change.old_name, change.describe()


def test_every_unit_is_found_by_each_of_its_forms(walk):
    """Full, short and pinyin names of all 337 units; a province settles shared pinyin."""
    shared = set()
    for row in units.prefecture_units().itertuples(index=False):
        for form in (row.NAME, crosswalk.short_name(row.NAME), row.PINYIN, row.PINYIN.title() + " City"):
            match = crosswalk.match_name(walk, form)
            if match["HOW"] == "ambiguous":
                shared.add(row.PINYIN)
                match = crosswalk.match_name(walk, form, row.PROVINCE_EN)
            assert match["ADCODE"] == row.ADCODE, (form, row.NAME)
    assert shared == {"fuzhou", "suzhou", "taizhou", "yichun", "yulin"}


def test_unit_list_counts():
    table = units.prefecture_units()
    assert len(table) == 337 and table["ADCODE"].is_unique
    assert (table["LEVEL"] == "municipality").sum() == 4
    assert table["ADCODE"].str.fullmatch(r"\d{6}").all()


def test_total_rows_are_named_as_such(walk):
    for name in ("全国", "合计", "Total"):
        match = crosswalk.match_name(walk, name)
        assert match["HOW"] == "unmatched" and "total" in match["NOTE"]
