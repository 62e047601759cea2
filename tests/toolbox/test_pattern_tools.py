"""Tiers, Dagum and obstacle-degree tools on small tables with hand-checked values."""

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from toolbox.tool import RecordingFeedback as Recorder
from toolbox.tools import tool


def run(tool_id, **values):
    return tool(tool_id).run({"ID_FIELD": "ID", "YEAR_FIELD": "YEAR", **values}, Recorder())


def two_years():
    return pd.DataFrame({
        "ID": list("abcdef") * 2,
        "YEAR": [2020] * 6 + [2021] * 6,
        "D": [0.10, 0.12, 0.50, 0.52, 0.90, 0.91, 0.15, 0.11, 0.55, 0.49, 0.95, 0.88],
        "REGION": ["east", "east", "west", "west", "east", "west"] * 2,
    })


def test_tiers_per_year_kmeans_orders_and_counts():
    table = two_years()
    before = table.copy()
    result = run("coordinationtiers", INPUT=table, VALUE_FIELD="D", METHOD="kmeans_year", K=3,
                 SEED=1, GROUP_FIELD="REGION")
    pd.testing.assert_frame_equal(table, before)
    assert result["OUTPUT"]["TIER"].tolist() == [0, 0, 1, 1, 2, 2] * 2
    counts = result["COUNTS"]
    assert counts["COUNT"].tolist() == [2, 2, 2, 2, 2, 2]
    means = result["GROUP_MEANS"].set_index("GROUP")
    assert means.loc["east", "2020"] == pytest.approx((0.10 + 0.12 + 0.90) / 3)
    assert means.loc["overall", "2021"] == pytest.approx(sum(table["D"][6:]) / 6)


def test_tiers_fixed_classes_count_every_class():
    result = run("coordinationtiers", INPUT=two_years(), VALUE_FIELD="D", METHOD="fixed", K=3, SEED=0)
    assert result["OUTPUT"]["TIER"].tolist()[:6] == [1, 1, 5, 5, 9, 9]
    assert len(result["COUNTS"]) == 2 * 10


def test_tiers_year_with_fewer_units_than_k_names_the_year():
    table = two_years()
    table = pd.concat([table, pd.DataFrame({"ID": ["a", "b"], "YEAR": [2022, 2022], "D": [0.1, 0.2],
                                            "REGION": ["east", "west"]})], ignore_index=True)
    with pytest.raises(InputError, match="2022"):
        run("coordinationtiers", INPUT=table, VALUE_FIELD="D", METHOD="kmeans_year", K=3, SEED=0)


def test_dagum_tool_on_a_hand_worked_year():
    # groups: low {1, 3}, high {4, 8}; n = 4, mean 4
    table = pd.DataFrame({"ID": list("abcd"), "YEAR": [2020] * 4, "V": [1.0, 3.0, 4.0, 8.0],
                          "G": ["low", "low", "high", "high"]})
    result = run("dagumgini", INPUT=table, VALUE_FIELD="V", GROUP_FIELD="G", SINGLETONS="error")
    values = [1, 3, 4, 8]
    total = sum(abs(a - b) for a in values for b in values)
    g = Fraction(total, 2 * 16 * 4)
    row = result["OUTPUT"].iloc[0]
    assert row["G"] == pytest.approx(float(g))
    assert row["GINI"] == pytest.approx(float(g))
    assert row["GW"] + row["GNB"] + row["GT"] == pytest.approx(row["G"], abs=1e-12)
    pairs = result["PAIRS"]
    between = pairs[pairs["GROUP_A"] != pairs["GROUP_B"]].iloc[0]
    # G_jh = Σ|y_ji − y_hr| / (n_j n_h (μ_j + μ_h)) = (3+7+1+5) / (4 · 8)
    assert between["G_AB"] == pytest.approx(16 / 32)
    assert between["GROUP_A"] == "high"
    assert between["D_AB"] == pytest.approx(1.0)   # no overlap: p_jh = 0


def test_dagum_tool_refuses_a_one_member_group_naming_it():
    table = pd.DataFrame({"ID": list("abc"), "YEAR": [2020] * 3, "V": [1.0, 3.0, 4.0],
                          "G": ["low", "low", "alone"]})
    with pytest.raises(InputError, match="alone"):
        run("dagumgini", INPUT=table, VALUE_FIELD="V", GROUP_FIELD="G", SINGLETONS="error")
    allowed = run("dagumgini", INPUT=table, VALUE_FIELD="V", GROUP_FIELD="G", SINGLETONS="allow")
    assert len(allowed["OUTPUT"]) == 1


def test_dagum_tool_missing_group_field():
    with pytest.raises(InputError, match="NOPE"):
        run("dagumgini", INPUT=two_years(), VALUE_FIELD="D", GROUP_FIELD="NOPE", SINGLETONS="error")


def test_obstacle_tool_rows_sum_to_100_and_match_the_formula():
    table = pd.DataFrame({"ID": list("abc"), "YEAR": [2020] * 3,
                          "X1": [0.0, 5.0, 10.0], "X2": [4.0, 2.0, 0.0]})
    result = run("obstacledegree", INPUT=table, POSITIVE_FIELDS=["X1"], NEGATIVE_FIELDS=["X2"],
                 WEIGHTS=[0.25, 0.75], SUBSYSTEMS="s1=X1; s2=X2", TOP_N=1)
    out = result["OUTPUT"]
    # standardised: X1' = 0, .5, 1; X2' (negative) = 0, .5, 1 → deviations 1, .5, 0
    assert out.loc[0, "O_X1"] == pytest.approx(25.0)
    assert out.loc[0, "O_X2"] == pytest.approx(75.0)
    assert out.loc[1, "O_s2"] == pytest.approx(75.0)
    assert out.loc[0, "TOP1"] == "X2"
    assert out[["O_X1", "O_X2"]].sum(axis=1).iloc[:2].tolist() == pytest.approx([100.0, 100.0])
    # c is at the best value on both indicators: no deviation, left empty
    assert math.isnan(out.loc[2, "O_X1"])
    summary = result["SUMMARY"]
    assert "average" in summary["YEAR"].astype(str).tolist()


def test_obstacle_tool_entropy_weights_by_default():
    table = pd.DataFrame({"ID": list("abcd"), "YEAR": [2020] * 4, "X1": [0.0, 1.0, 2.0, 2.0],
                          "X2": [2.0, 1.0, 0.0, 2.0]})
    out = run("obstacledegree", INPUT=table, POSITIVE_FIELDS=["X1", "X2"], TOP_N=0)["OUTPUT"]
    x1, x2 = np.array([0, .5, 1, 1]), np.array([1, .5, 0, 1])

    def d(x):
        p = x / x.sum()
        return 1 + (p[p > 0] * np.log(p[p > 0])).sum() / math.log(4)

    w1 = d(x1) / (d(x1) + d(x2))
    expected = w1 * 1 / (w1 * 1 + (1 - w1) * 0) * 100   # unit a: I = (1, 0)
    assert out.loc[0, "O_X1"] == pytest.approx(expected)
    row = out.loc[1]
    assert row["O_X1"] == pytest.approx(w1 * 0.5 / (w1 * 0.5 + (1 - w1) * 0.5) * 100)


def test_obstacle_tool_wrong_number_of_weights():
    table = pd.DataFrame({"ID": list("ab"), "YEAR": [2020] * 2, "X1": [0.0, 1.0], "X2": [1.0, 0.0]})
    with pytest.raises(InputError, match="WEIGHTS"):
        run("obstacledegree", INPUT=table, POSITIVE_FIELDS=["X1", "X2"], WEIGHTS=[1.0])


def test_obstacle_tool_text_in_numeric_field():
    table = pd.DataFrame({"ID": list("ab"), "YEAR": [2020] * 2, "X1": ["1", "high"], "X2": [1.0, 0.0]})
    with pytest.raises(InputError, match="X1"):
        run("obstacledegree", INPUT=table, POSITIVE_FIELDS=["X1", "X2"])
