"""Relative development degree E = U1/U2, lag types and coordination types, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from spatial.errors import InputError
from spatial.relative import coordination_types, lagging_systems, relative_development


def test_e_and_types_at_and_around_the_thresholds():
    u1 = pd.Series([0.2, 0.45, 0.5, 0.55, 0.8, 0.3, 0.0, np.nan])
    u2 = pd.Series([0.4, 0.5, 0.5, 0.5, 0.4, 0.0, 0.0, 0.2])
    out = relative_development(u1, u2)
    # 0.2/0.4 = 0.5 ; 0.45/0.5 = 0.9 (boundary: synchronous) ; 1 ; 1.1 (boundary) ; 2
    assert out["E"].iloc[:5].tolist() == pytest.approx([0.5, 0.9, 1.0, 1.1, 2.0])
    assert out["E_TYPE"].tolist()[:5] == ["SYSTEM1_LAGGING", "SYNCHRONOUS", "SYNCHRONOUS",
                                          "SYNCHRONOUS", "SYSTEM2_LAGGING"]
    assert np.isnan(out["E"].iloc[5]) and out["E_TYPE"].iloc[5] == "SYSTEM2_LAGGING"
    assert pd.isna(out["E_TYPE"].iloc[6]) and pd.isna(out["E_TYPE"].iloc[7])


def test_custom_thresholds_and_bad_thresholds():
    out = relative_development([0.85, 1.0], [1.0, 0.95], thresholds=(0.8, 1.2))
    assert out["E_TYPE"].tolist() == ["SYNCHRONOUS", "SYNCHRONOUS"]
    for bad in ([1.1, 0.9], [0.9], [0, 1.1], [0.9, float("inf")]):
        with pytest.raises(InputError, match="THRESHOLDS"):
            relative_development([0.5], [0.5], thresholds=bad)


def test_negative_index_is_refused_with_the_row():
    with pytest.raises(InputError, match="U1.*>= 0.*1"):
        relative_development(pd.Series([0.5, -0.1]), pd.Series([0.5, 0.5]))


def test_three_systems_every_pair_and_who_lags():
    U = pd.DataFrame({"A": [0.2, 0.5], "B": [0.5, 0.5], "C": [0.21, 0.52]})
    pairs, lagging = lagging_systems(U)
    assert list(pairs.columns) == ["E_A_B", "E_TYPE_A_B", "E_A_C", "E_TYPE_A_C", "E_B_C", "E_TYPE_B_C"]
    assert pairs["E_A_B"].tolist() == pytest.approx([0.4, 1.0])
    assert pairs["E_B_C"].tolist() == pytest.approx([0.5 / 0.21, 0.5 / 0.52])
    # row 0: A and C lag behind B (0.4 < 0.9; B/C = 2.38 > 1.1); A/C = 0.952 synchronous
    assert lagging.tolist() == [["A", "C"], []]


def test_coordination_type_text_in_both_languages():
    types = coordination_types(["primary coordination", "barely coordinated", None],
                               ["初级协调", "勉强协调", None],
                               pd.Series([["F"], [], ["F"]]),
                               {"F": "fintech", "I": "innovation"}, {"F": "金融科技", "I": "创新"})
    assert types["COORD_TYPE"].tolist() == ["primary coordination, fintech lagging",
                                            "barely coordinated, synchronous", None]
    assert types["COORD_TYPE"].iloc[2] is None
    assert types["COORD_TYPE_ZH"].tolist() == ["初级协调·金融科技滞后型", "勉强协调·同步型", None]


def test_coordination_types_of_rows_are_those_of_their_class_and_lag_one_string_each():
    """Row by row as the labels are defined (the reference), from plain lists
    with equal-length lags; rows of one type and one lag list share one string."""
    class_en = ["good", "good", None, "poor", "good", float("nan")]
    class_zh = ["良好", "良好", None, "差", "良好", float("nan")]
    fintech = ["a"]  # one list for several rows, as lagging_systems gives
    lagging = [fintech, ["b"], ["a"], [], fintech, ["b"]]
    names_en, names_zh = {"a": "fintech", "b": "innovation"}, {"a": "金融科技", "b": "创新"}
    out = coordination_types(class_en, class_zh, lagging, names_en, names_zh)
    assert out["COORD_TYPE"].tolist() == ["good, fintech lagging", "good, innovation lagging", None,
                                          "poor, synchronous", "good, fintech lagging", None]
    assert out["COORD_TYPE_ZH"].tolist() == ["良好·金融科技滞后型", "良好·创新滞后型", None, "差·同步型",
                                             "良好·金融科技滞后型", None]
    assert out["COORD_TYPE"].iat[0] is out["COORD_TYPE"].iat[4]
