"""Panel diagnostics against values computed by hand."""

import numpy as np
import pandas as pd
import pytest

from spatial import diagnostics

NORMAL_MAD = 1.482602218505602  # 1 / Phi^-1(3/4)


def _panel():
    return pd.DataFrame({
        "ID": ["a", "b", "c", "d", "e", "a", "b", "c", "d"],
        "YEAR": [2011] * 5 + [2012] * 4,
        "X": [-1.0, 0.0, 1.0, 2.0, 50.0, 1.0, np.nan, 2.0, 3.0],
        "P": [10.0, 100.0, 1000.0, 10000.0, 1e9, 11.0, 110.0, 11000000.0, 11000.0],
    })


def test_robust_z_by_hand():
    z = diagnostics.robust_z(pd.Series([-1.0, 0.0, 1.0, 2.0, 50.0]))
    # median 1; absolute deviations 2, 1, 0, 1, 49 -> MAD 1
    assert z.tolist() == pytest.approx([-2 / NORMAL_MAD, -1 / NORMAL_MAD, 0.0, 1 / NORMAL_MAD, 49 / NORMAL_MAD])
    assert diagnostics.robust_z(pd.Series([3.0, 3.0, 3.0, 4.0])).isna().all()  # MAD 0


def test_robust_z_agrees_with_scipy():
    from scipy.stats import median_abs_deviation

    values = np.random.default_rng(7).lognormal(size=41)
    expected = (values - np.median(values)) / median_abs_deviation(values, scale="normal")
    assert diagnostics.robust_z(pd.Series(values)).to_numpy() == pytest.approx(expected)


def test_outliers_raw_and_on_log_scale():
    found = diagnostics.robust_outliers(_panel(), ["X", "P"], "ID", "YEAR")
    rows = {(r.UNIT, r.YEAR, r.FIELD): r.ROBUST_Z for r in found.itertuples()}
    assert rows[("e", 2011, "X")] == pytest.approx(49 / NORMAL_MAD)
    # P > 0: scored on log10 = 1, 2, 3, 4, 9 -> median 3, MAD 1
    assert rows[("e", 2011, "P")] == pytest.approx(6 / NORMAL_MAD)
    assert ("a", 2011, "P") not in rows  # log10 10 = 1 -> z = -1.35


def test_unit_jumps_name_the_likely_scale():
    found = diagnostics.unit_jumps(_panel(), ["P"], "ID", "YEAR")
    rows = {r.UNIT: r for r in found.itertuples()}
    assert set(rows) == {"c"}
    assert rows["c"].RATIO == pytest.approx(11000.0) and rows["c"].YEAR == 2012
    assert "万元 vs 亿元" in rows["c"].LIKELY


def test_balance_missing_duplicates():
    panel = _panel()
    bal = diagnostics.balance(panel, "ID", "YEAR").set_index("UNIT")
    assert bal.at["e", "YEARS"] == 1 and bal.at["e", "MISSING_YEARS"] == "2012"
    assert bal.at["a", "MISSING_YEARS"] == ""
    miss = diagnostics.missing_shares(panel, ["X"], "YEAR").set_index("YEAR")
    assert miss.at[2012, "MISSING"] == 1 and miss.at[2012, "SHARE"] == pytest.approx(0.25)
    assert miss.at[2011, "SHARE"] == 0.0
    doubled = pd.concat([panel, panel.iloc[[0]]], ignore_index=True)
    dup = diagnostics.duplicate_keys(doubled, "ID", "YEAR")
    assert dup.to_dict("records") == [{"UNIT": "a", "YEAR": 2011, "COUNT": 2}]
    assert diagnostics.duplicate_keys(panel, "ID", "YEAR").empty


def test_issues_table():
    panel = _panel()
    before = panel.copy()
    found = diagnostics.issues(panel, ["X", "P"], "ID", "YEAR")
    pd.testing.assert_frame_equal(panel, before)
    assert list(found.columns) == diagnostics.ISSUE_COLUMNS
    checks = found.groupby("CHECK").size().to_dict()
    assert checks == {"unbalanced": 1, "missing": 1, "outlier": 2, "unit_jump": 1}
    assert str(found["YEAR"].dtype) == "Int64"


def test_counts_with_zeros_are_scored_on_a_shifted_log_scale():
    assert diagnostics.log_offset(pd.Series([0.0, 2.0, 5.0])) == 2.0
    assert diagnostics.log_offset(pd.Series([1.0, 2.0])) == 0.0
    assert diagnostics.log_offset(pd.Series([-1.0, 2.0])) is None
    panel = pd.DataFrame({"ID": list("abcde"), "YEAR": 2011, "N": [0.0, 2.0, 6.0, 14.0, 2.0 ** 20 - 2]})
    found = diagnostics.robust_outliers(panel, ["N"], "ID", "YEAR")
    # log2-spaced: log10(N + 2) = log10 2 * (1, 2, 3, 4, 20) -> median 3, MAD 1 (in units of log10 2)
    assert found["UNIT"].tolist() == ["e"]
    assert found["ROBUST_Z"].iloc[0] == pytest.approx(17 / NORMAL_MAD)


def test_outliers_of_many_years_agree_with_scipy_year_by_year():
    from scipy.stats import median_abs_deviation

    rng = np.random.default_rng(3)
    panel = pd.DataFrame({"ID": np.tile(np.arange(60), 4), "YEAR": np.repeat([2011, 2012, 2013, 2014], 60),
                          "V": rng.normal(size=240) * np.where(rng.random(240) < 0.05, 40.0, 1.0)})
    panel.loc[7, "V"] = np.nan
    expected = []
    for year, group in panel.groupby("YEAR"):
        values = group["V"].dropna()
        z = (values - np.median(values)) / median_abs_deviation(values, scale="normal")
        expected += [(int(group.at[i, "ID"]), year, score) for i, score in z.items() if abs(score) > 3.5]
    found = diagnostics.robust_outliers(panel, ["V"], "ID", "YEAR")
    assert len(expected) > 3
    assert [(r.UNIT, r.YEAR) for r in found.itertuples()] == [(u, y) for u, y, _ in expected]
    assert found["ROBUST_Z"].tolist() == pytest.approx([z for _, _, z in expected])


def test_balance_of_units_with_gaps():
    panel = pd.DataFrame({"ID": ["b", "a", "a", "b", "c", "a"], "YEAR": [2012, 2011, 2013, 2014, 2012, 2012]})
    bal = diagnostics.balance(panel, "ID", "YEAR")
    assert bal["UNIT"].tolist() == ["a", "b", "c"]
    assert bal["YEARS"].tolist() == [3, 2, 1]
    assert bal["FIRST_YEAR"].tolist() == [2011, 2012, 2012]
    assert bal["LAST_YEAR"].tolist() == [2013, 2014, 2012]
    assert bal["MISSING_YEARS"].tolist() == ["2014", "2011, 2013", "2011, 2013, 2014"]
