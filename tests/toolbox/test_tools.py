"""The walking-skeleton tools on small tables: values, messages, untouched inputs."""

import math

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox.tool import RecordingFeedback as Recorder
from toolbox.tools import tool


def panel():
    return pd.DataFrame({
        "CITY": ["a", "b", "c", "a", "b", "c"],
        "YEAR": [2020, 2020, 2020, 2021, 2021, 2021],
        "X1": [1.0, 2.0, 3.0, 2.0, 4.0, 5.0],
        "X2": [5.0, 3.0, 1.0, 4.0, 2.0, 2.0],
        "P": [10, 0, 4, 20, 0, 6],
    })


def entropy(table, **values):
    return tool("entropyweights").run(
        {"INPUT": table, "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "SCOPE": "panel",
         "SHIFT": 0.0, "INDEX_FIELD": "INDEX", "MISSING": "error", **values}, Recorder())


def coupling(table, **values):
    return tool("couplingcoordination").run(
        {"INPUT": table, "SYSTEM_FIELDS": ["U1", "U2"], "MODEL": "classic", **values}, Recorder())


def test_entropy_index_is_the_weighted_sum_of_standardised_values():
    table = panel()
    before = table.copy()
    result = entropy(table, POSITIVE_FIELDS=["X1"], NEGATIVE_FIELDS=["X2"])
    pd.testing.assert_frame_equal(table, before)
    x1 = (table["X1"] - 1) / 4          # pooled over both years: min 1, max 5
    x2 = (5 - table["X2"]) / 4          # negative: min 1, max 5
    n = 6

    def d(column):
        p = column / column.sum()
        return 1 + (p[p > 0] * np.log(p[p > 0])).sum() / math.log(n)

    w1 = d(x1) / (d(x1) + d(x2))
    weights = result["WEIGHTS"].set_index("INDICATOR")["W"]
    assert weights["X1"] == pytest.approx(w1)
    np.testing.assert_allclose(result["OUTPUT"]["INDEX"], w1 * x1 + (1 - w1) * x2)
    assert list(result["OUTPUT"].columns) == list(table.columns) + ["INDEX"]


def test_entropy_interpolates_gaps_and_keeps_the_unit_geometry_source():
    table = pd.DataFrame({
        "CITY": ["a", "b", "a", "b", "b"],
        "YEAR": [2020, 2020, 2022, 2021, 2022],
        "X1": [1.0, 2.0, 4.0, np.nan, 6.0],
        "X2": [5.0, 3.0, 1.0, 2.0, 2.0],
    })
    feedback = Recorder()
    result = tool("entropyweights").run(
        {"INPUT": table, "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "POSITIVE_FIELDS": ["X1", "X2"],
         "SCOPE": "panel", "SHIFT": 0.0, "INDEX_FIELD": "INDEX", "MISSING": "interpolate"},
        feedback)["OUTPUT"]
    key = result.set_index(["CITY", "YEAR"])
    assert key.loc[("b", 2021), "X1"] == pytest.approx(4.0)   # between 2 and 6
    assert key.loc[("a", 2021), "X1"] == pytest.approx(2.5)   # absent row, between 1 and 4
    assert key.loc[("a", 2021), "X2"] == pytest.approx(3.0)
    # the added row (a, 2021) carries unit a's first input row as geometry source
    added = result[(result["CITY"] == "a") & (result["YEAR"] == 2021)]
    assert added.index[0] == 0
    assert len(result) == 6
    assert any("a" in m and "2021" in m for m in feedback.messages)


def test_coupling_tool_adds_fields_and_reports_undefined_rows():
    table = pd.DataFrame({"ID": ["a", "z"], "YR": [2020, 2020], "U1": [0.25, 0.0], "U2": [1.0, 0.0]})
    feedback = Recorder()
    out = tool("couplingcoordination").run(
        {"INPUT": table, "SYSTEM_FIELDS": ["U1", "U2"], "MODEL": "classic", "ID_FIELD": "ID",
         "YEAR_FIELD": "YR"}, feedback)["OUTPUT"]
    assert out.loc[0, "C"] == pytest.approx(0.8)
    assert out.loc[0, "D_CLASS"] == 8 and out.loc[0, "D_CLASS_ZH"] == "中级协调"
    assert math.isnan(out.loc[1, "C"]) and math.isnan(out.loc[1, "D"])
    assert any("unit z year 2020" in m for m in feedback.messages)


def test_coupling_with_weights_and_custom_breaks():
    table = pd.DataFrame({"U1": [0.2], "U2": [0.8]})
    out = coupling(table, SYSTEM_WEIGHTS=[0.25, 0.75], CLASS_BREAKS=[0, 0.5, 1])["OUTPUT"]
    c = 2 * math.sqrt(0.16)                       # 2·sqrt(U1·U2)/(U1+U2) with U1+U2 = 1
    t = 0.25 * 0.2 + 0.75 * 0.8
    assert out.loc[0, "T"] == pytest.approx(t)
    assert out.loc[0, "D"] == pytest.approx(math.sqrt(c * t))
    assert out.loc[0, "D_CLASS"] == 2


@pytest.mark.parametrize("case, values, expected", [
    ("missing field", {"POSITIVE_FIELDS": ["X9"]}, "X9"),
    ("no indicators", {}, "POSITIVE_FIELDS"),
])
def test_entropy_field_errors(case, values, expected):
    with pytest.raises(InputError, match=expected):
        entropy(panel(), **values)


def test_entropy_text_field_names_field_unit_and_year():
    table = panel().astype({"X1": object})
    table.loc[4, "X1"] = "n/a"
    with pytest.raises(InputError, match=r"X1.*b.*2021|X1[\s\S]*2021"):
        entropy(table, POSITIVE_FIELDS=["X1"])


def test_entropy_nulls_name_field_unit_and_year():
    table = panel()
    table.loc[2, "X2"] = np.nan
    with pytest.raises(InputError, match=r"X2[\s\S]*c[\s\S]*2020"):
        entropy(table, POSITIVE_FIELDS=["X1", "X2"])


def test_entropy_duplicate_keys():
    table = pd.concat([panel(), panel().iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match=r"a[\s\S]*2020"):
        entropy(table, POSITIVE_FIELDS=["X1"])


def test_entropy_constant_indicator_is_named():
    table = panel().assign(X3=7.0)
    with pytest.raises(InputError, match="X3"):
        entropy(table, POSITIVE_FIELDS=["X1", "X3"])


def test_entropy_per_year_with_one_unit_names_the_year():
    table = pd.concat([panel(), pd.DataFrame({"CITY": ["a"], "YEAR": [2022], "X1": [1.0],
                                              "X2": [2.0], "P": [3]})], ignore_index=True)
    with pytest.raises(InputError, match="2022"):
        entropy(table, POSITIVE_FIELDS=["X1", "X2"], SCOPE="year")


def test_empty_layer():
    with pytest.raises(InputError, match="no rows"):
        entropy(panel().iloc[0:0], POSITIVE_FIELDS=["X1"])
    with pytest.raises(InputError, match="no rows"):
        coupling(pd.DataFrame({"U1": [], "U2": []}))


def test_coupling_index_outside_unit_interval_names_field_and_row():
    table = pd.DataFrame({"ID": ["a", "b"], "U1": [0.5, 0.2], "U2": [0.4, 1.3]})
    before = table.copy()
    with pytest.raises(InputError, match=r"U2[\s\S]*unit b"):
        coupling(table, ID_FIELD="ID")
    pd.testing.assert_frame_equal(table, before)


def test_coupling_refuses_to_hide_an_input_field():
    with pytest.raises(InputError, match="D"):
        coupling(pd.DataFrame({"U1": [0.5], "U2": [0.5], "D": [1]}))


def test_persistent_innovation_tool_warns_about_zero_denominators():
    feedback = Recorder()
    table = pd.DataFrame({"CITY": ["z"] * 4, "YEAR": [2011, 2012, 2013, 2014], "P": [0, 0, 5, 5]})
    out = tool("persistentinnovation").run(
        {"INPUT": table, "ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "PATENT_FIELD": "P"},
        feedback)["OUTPUT"]
    assert math.isnan(out.loc[2, "CONINNOV"])
    assert out.loc[2, "CONINNOV_STATUS"] == "zero denominator"
    assert out.loc[3, "CONINNOV"] == pytest.approx((5 + 5) / (5 + 0) * (5 + 5))
    assert any("zero denominator" in m and "z 2013" in m for m in feedback.messages)
