"""Tests for spatial.coupling: C, T, D (classic and revised), classes of D and C."""

from math import isclose, sqrt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spatial.coupling import (
    D_CLASSES,
    c_levels,
    coupling_coordination,
    d_classes,
    undefined_rows,
)
from spatial.errors import InputError


# two systems ----------------------------------------------------------------------

def test_two_systems_classic_by_hand():
    U = pd.DataFrame({"fin": [0.25, 0.5, 0.2], "inn": [1.0, 0.5, 0.8]}, index=["a", "b", "c"])
    before = U.copy()
    out = coupling_coordination(U)
    pd.testing.assert_frame_equal(U, before)
    assert list(out.columns) == ["C", "T", "D"] and list(out.index) == ["a", "b", "c"]
    # a: C = 2 sqrt(0.25 * 1) / 1.25 = 1 / 1.25 = 0.8; T = 0.625; D = sqrt(0.5)
    assert isclose(out.loc["a", "C"], 0.8, rel_tol=1e-12)
    assert isclose(out.loc["a", "T"], 0.625, rel_tol=1e-12)
    assert isclose(out.loc["a", "D"], sqrt(0.8 * 0.625), rel_tol=1e-12)
    # b: equal systems: C = 1, T = 0.5
    assert isclose(out.loc["b", "C"], 1.0, rel_tol=1e-12)
    # c: C = 2 sqrt(0.16) / 1.0 = 0.8
    assert isclose(out.loc["c", "C"], 0.8, rel_tol=1e-12)


def test_two_systems_revised_by_hand():
    U = pd.DataFrame({"fin": [0.25, 0.2, 0.5], "inn": [1.0, 0.8, 0.5]})
    out = coupling_coordination(U, model="revised")
    # (0.25, 1): C = sqrt((1 - 0.75) * 0.25 / 1) = sqrt(0.0625) = 0.25
    assert isclose(out["C"].iloc[0], 0.25, rel_tol=1e-12)
    # (0.2, 0.8): C = sqrt((1 - 0.6) * 0.2 / 0.8) = sqrt(0.1)  (min/max, not min)
    assert isclose(out["C"].iloc[1], sqrt(0.1), rel_tol=1e-12)
    assert isclose(out["C"].iloc[2], 1.0, rel_tol=1e-12)
    assert isclose(out["D"].iloc[1], sqrt(sqrt(0.1) * 0.5), rel_tol=1e-12)


def test_weights_for_T():
    U = pd.DataFrame({"a": [0.25], "b": [1.0]})
    out = coupling_coordination(U, weights=[0.4, 0.6])
    # T = 0.4 * 0.25 + 0.6 * 1 = 0.7; D = sqrt(0.8 * 0.7)
    assert isclose(out["T"].iloc[0], 0.7, rel_tol=1e-12)
    assert isclose(out["D"].iloc[0], sqrt(0.56), rel_tol=1e-12)


# three systems ----------------------------------------------------------------------

def test_three_systems_classic_by_hand():
    U = pd.DataFrame({"a": [0.2], "b": [0.4], "c": [0.8]})
    out = coupling_coordination(U)
    # prod = 0.064, (prod)^(1/3) = 0.4; sum = 1.4
    # C = 3 * (0.064 / 1.4^3)^(1/3) = 3 * 0.4 / 1.4 = 6/7
    assert isclose(out["C"].iloc[0], 6 / 7, rel_tol=1e-12)
    assert isclose(out["T"].iloc[0], 1.4 / 3, rel_tol=1e-12)
    assert isclose(out["D"].iloc[0], sqrt(6 / 7 * 1.4 / 3), rel_tol=1e-12)


def test_three_systems_revised_by_hand():
    U = pd.DataFrame({"a": [0.2, 0.25], "b": [0.4, 0.25], "c": [0.8, 1.0]})
    out = coupling_coordination(U, model="revised", weights=(0.2, 0.3, 0.5))
    # row 0: sum_{i>j} |Ui - Uj| = 0.2 + 0.6 + 0.4 = 1.2; sum_{m=1}^{2} m = 3
    #   prod (Ui / max U) = 0.25 * 0.5 * 1 = 0.125, ^(1/2) = sqrt(0.125)
    #   C = sqrt((1 - 1.2 / 3) * sqrt(0.125)) = sqrt(0.6 * sqrt(0.125))
    assert isclose(out["C"].iloc[0], sqrt(0.6 * sqrt(0.125)), rel_tol=1e-12)
    # T = 0.2 * 0.2 + 0.3 * 0.4 + 0.5 * 0.8 = 0.56
    assert isclose(out["T"].iloc[0], 0.56, rel_tol=1e-12)
    # row 1: diffs 0 + 0.75 + 0.75 = 1.5 -> 1 - 0.5 = 0.5; ratios 1/4 * 1/4 * 1 -> ^(1/2) = 1/4
    #   C = sqrt(0.5 * 0.25) = sqrt(1/8)
    assert isclose(out["C"].iloc[1], sqrt(1 / 8), rel_tol=1e-12)


def test_revised_matches_naive_pairwise_formula():
    rng = np.random.default_rng(3)
    U = pd.DataFrame(rng.uniform(0.01, 1, size=(50, 4)), columns=list("abcd"))
    out = coupling_coordination(U, model="revised")
    n = 4
    for i, row in enumerate(U.to_numpy()):
        spread = sum(abs(row[p] - row[q]) for p in range(n) for q in range(p))
        ratio = np.prod(row / row.max()) ** (1 / (n - 1))
        expected = sqrt((1 - spread / sum(range(1, n))) * ratio)
        assert isclose(out["C"].iloc[i], expected, rel_tol=1e-10)


# undefined rows ---------------------------------------------------------------------

def test_all_zero_rows_are_reported_not_invented():
    U = pd.DataFrame({"a": [0.0, 0.0, 0.5], "b": [0.0, 0.3, 0.5]}, index=[10, 11, 12])
    for model in ("classic", "revised"):
        out = coupling_coordination(U, model=model)
        assert np.isnan(out.loc[10, "C"]) and np.isnan(out.loc[10, "D"])
        assert out.loc[10, "T"] == 0.0
        # one system 0, the other not: C = 0, defined
        assert out.loc[11, "C"] == 0.0 and out.loc[11, "D"] == 0.0
        assert list(undefined_rows(U, model=model)) == [10]


# bad input --------------------------------------------------------------------------

def test_bad_inputs_name_the_culprit():
    with pytest.raises(InputError) as err:
        coupling_coordination(pd.DataFrame({"a": [0.1, 1.2, -0.5], "b": [0.2, 0.3, 0.4]}, index=list("xyz")))
    msg = str(err.value)
    assert "'a'" in msg and "row 'y': 1.2" in msg and "row 'z': -0.5" in msg
    with pytest.raises(InputError) as err:
        coupling_coordination(pd.DataFrame({"a": [0.1, 0.2], "b": [0.2, np.nan]}))
    assert "'b'" in str(err.value) and "row 1" in str(err.value)
    assert "missing" in str(err.value) and "--missing interpolate" in str(err.value)
    # the tools label rows "unit … year …": shown as they are
    with pytest.raises(InputError, match=r"outside: unit 7 year 2015: inf"):
        coupling_coordination(pd.DataFrame({"a": [np.inf], "b": [0.2]}, index=["unit 7 year 2015"]))
    with pytest.raises(InputError, match="at least 2"):
        coupling_coordination(pd.DataFrame({"a": [0.1]}))
    U = pd.DataFrame({"a": [0.1], "b": [0.2]})
    with pytest.raises(InputError) as err:
        coupling_coordination(U, model="fancy")
    assert "'fancy'" in str(err.value) and "'classic'" in str(err.value) and "'revised'" in str(err.value)
    with pytest.raises(InputError, match="sum to 1"):
        coupling_coordination(U, weights=[0.5, 0.6])
    with pytest.raises(InputError, match="one weight per system"):
        coupling_coordination(U, weights=[1.0])
    with pytest.raises(InputError, match="≥ 0"):
        coupling_coordination(U, weights=[1.5, -0.5])
    with pytest.raises(InputError, match="'b'"):
        coupling_coordination(pd.DataFrame({"a": [0.1], "b": ["high"]}))


# properties -------------------------------------------------------------------------

unit_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 20), st.integers(2, 6)),
    elements=st.floats(0.0, 1.0, allow_subnormal=False),
)


@settings(max_examples=150, deadline=None)
@given(unit_rows, st.sampled_from(["classic", "revised"]))
def test_C_and_D_in_unit_interval(values, model):
    U = pd.DataFrame(values)
    out = coupling_coordination(U, model=model)
    defined = values.max(axis=1) > 0
    assert out["C"][~defined].isna().all() and out["D"][~defined].isna().all()
    c, d, t = out["C"][defined], out["D"][defined], out["T"]
    assert ((c >= 0) & (c <= 1)).all()
    assert ((d >= 0) & (d <= 1)).all()
    assert ((t >= 0) & (t <= 1 + 1e-12)).all()


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 8), st.floats(1e-6, 1.0), st.integers(1, 5))
def test_classic_C_is_one_when_all_equal(n, u, rows):
    U = pd.DataFrame(np.full((rows, n), u))
    out = coupling_coordination(U)
    assert np.allclose(out["C"], 1.0, rtol=0, atol=1e-12)
    assert np.allclose(out["D"], np.sqrt(u), rtol=1e-9)


# classes of D -------------------------------------------------------------------------

def test_default_d_classes_table():
    assert len(D_CLASSES) == 10
    assert D_CLASSES[0] == (0.0, 0.1, "极度失调", "extreme imbalance")
    assert D_CLASSES[5][2:] == ("勉强协调", "barely coordinated")
    assert all(D_CLASSES[k][1] == D_CLASSES[k + 1][0] for k in range(9))


def test_d_classes_boundaries():
    D = pd.Series([0.0, 0.0999, 0.1, 0.5, 0.9, 1.0, np.nan], index=list("abcdefg"))
    before = D.copy()
    out = d_classes(D)
    pd.testing.assert_series_equal(D, before)
    assert list(out.columns) == ["D_CLASS", "D_CLASS_NAME", "D_CLASS_ZH"]
    assert list(out.index) == list("abcdefg")
    assert str(out["D_CLASS"].dtype) == "Int64"
    assert out["D_CLASS"].iloc[:6].tolist() == [1, 1, 2, 6, 10, 10]
    assert out["D_CLASS_NAME"].iloc[2] == "serious imbalance"
    assert out["D_CLASS_ZH"].iloc[3] == "勉强协调"
    assert out["D_CLASS_NAME"].iloc[5] == "high-quality coordination"
    assert out["D_CLASS"].isna().iloc[6]
    assert out["D_CLASS_NAME"].iloc[6] is None and out["D_CLASS_ZH"].iloc[6] is None


def test_d_classes_custom_breaks():
    D = pd.Series([0.0, 0.35, 0.59, 0.6, 1.0])
    out = d_classes(D, breaks=[0, 0.35, 0.6, 1])
    assert out["D_CLASS"].tolist() == [1, 2, 2, 3, 3]
    assert out["D_CLASS_NAME"].tolist() == ["0–0.35", "0.35–0.6", "0.35–0.6", "0.6–1", "0.6–1"]
    assert out["D_CLASS_ZH"].tolist() == out["D_CLASS_NAME"].tolist()
    named = d_classes(D, breaks=[0, 0.5, 1], names=[("low", "低"), "high"])
    assert named["D_CLASS_NAME"].tolist() == ["low", "low", "high", "high", "high"]
    assert named["D_CLASS_ZH"].tolist() == ["低", "低", "high", "high", "high"]


def test_d_classes_bad_input():
    with pytest.raises(InputError, match="strictly increasing"):
        d_classes(pd.Series([0.5]), breaks=[0, 0.5, 0.5, 1])
    with pytest.raises(InputError) as err:
        d_classes(pd.Series([0.5, 1.2], index=["p", "q"]))
    assert "row 'q': 1.2" in str(err.value)
    with pytest.raises(InputError) as err:
        d_classes(pd.Series([0.1]), breaks=[0.2, 0.5])
    assert "0.1" in str(err.value)
    with pytest.raises(InputError, match="one name per class"):
        d_classes(pd.Series([0.1]), breaks=[0, 0.5, 1], names=["only one"])


def test_c_levels():
    C = pd.Series([0.0, 0.29, 0.3, 0.5, 0.8, 1.0, np.nan])
    out = c_levels(C)
    assert out["C_LEVEL"].iloc[:6].tolist() == [1, 1, 2, 3, 4, 4]
    assert out["C_LEVEL_NAME"].iloc[:6].tolist() == [
        "low-level", "low-level", "antagonism", "running-in", "high-level", "high-level"
    ]
    assert out["C_LEVEL"].isna().iloc[6] and out["C_LEVEL_NAME"].iloc[6] is None
    custom = c_levels(pd.Series([0.2, 0.7]), breaks=(0, 0.5, 1))
    assert custom["C_LEVEL_NAME"].tolist() == ["0–0.5", "0.5–1"]
    with pytest.raises(InputError, match="strictly increasing"):
        c_levels(C, breaks=(0, 0.8, 0.5, 1))
