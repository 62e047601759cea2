"""Spatial Markov and LISA Markov against giddy directly."""

import warnings

import geopandas as gpd
import giddy.markov as gm
import numpy as np
import pandas as pd
import pytest
from libpysal.examples import get_path

from spatial import dynamics as D
from spatial import weights as W
from spatial.errors import InputError

warnings.filterwarnings("ignore")


@pytest.fixture(scope="module")
def data():
    g = gpd.read_file(get_path("us48.shp"))
    inc = pd.read_csv(get_path("usjoin.csv"))
    long = inc.melt(id_vars=["Name", "STATE_FIPS"], var_name="YEAR", value_name="INC")
    long["YEAR"] = long["YEAR"].astype(int)
    long["TIER"] = long.groupby("YEAR")["INC"].transform(lambda s: pd.qcut(s, 3, labels=False)).astype(int)
    w = W.build_weights(g, "STATE_NAME", "queen")
    wide = long.pivot(index="Name", columns="YEAR", values="TIER").reindex(w.ids)
    return long, w, wide


def test_spatial_markov_tiers_equal_giddy(data):
    long, w, wide = data
    before = long.copy()
    r = D.spatial_markov(long, "Name", "YEAR", w, tier_field="TIER")
    np.random.seed(0)
    ref = gm.Spatial_Markov(wide.to_numpy(), w.to_libpysal(), discrete=True)
    t = r.transitions
    assert list(t.columns) == ["CONDITION", "FROM", "TO", "COUNT", "P"]
    for c in range(3):
        sub = t[t.CONDITION == c].pivot(index="FROM", columns="TO", values="P").to_numpy()
        np.testing.assert_allclose(sub, ref.P[c])
        cnt = t[t.CONDITION == c].pivot(index="FROM", columns="TO", values="COUNT").to_numpy()
        np.testing.assert_array_equal(cnt, ref.T[c])
    allp = t[t.CONDITION == "ALL"].pivot(index="FROM", columns="TO", values="P").to_numpy()
    np.testing.assert_allclose(allp, ref.p)
    tests = r.tests.set_index("TEST")
    assert tests.loc["Q", "STATISTIC"] == pytest.approx(ref.Q)
    assert tests.loc["LR", "STATISTIC"] == pytest.approx(ref.LR)
    assert tests.loc["X2", "P_VALUE"] == pytest.approx(ref.x2_pvalue)
    pd.testing.assert_frame_equal(long, before)


def test_spatial_markov_continuous_and_lisa_markov(data):
    long, w, _ = data
    r = D.spatial_markov(long, "Name", "YEAR", w, value_field="INC", k=4, m=4)
    assert set(r.transitions.CONDITION) == {"ALL", 0, 1, 2, 3}
    lm = D.lisa_markov(long, "Name", "YEAR", "INC", w)
    wide = long.pivot(index="Name", columns="YEAR", values="INC").reindex(w.ids).to_numpy(float)
    ref = gm.LISA_Markov(wide, w.to_libpysal())
    np.testing.assert_allclose(lm.transitions.pivot(index="FROM", columns="TO", values="P")
                               .loc[["HH", "LH", "LL", "HL"], ["HH", "LH", "LL", "HL"]].to_numpy(), ref.p)
    assert lm.tests.STATISTIC[0] == pytest.approx(ref.chi_2[0])
    assert len(lm.quadrants) == 48 * wide.shape[1]


def test_bad_inputs(data):
    long, w, _ = data
    with pytest.raises(InputError, match="exactly one"):
        D.spatial_markov(long, "Name", "YEAR", w)
    gap = long[~((long.Name == "Utah") & (long.YEAR == 1950))]
    with pytest.raises(InputError, match="Utah in 1950"):
        D.spatial_markov(gap, "Name", "YEAR", w, tier_field="TIER")
    with pytest.raises(InputError, match="Narnia"):
        D.lisa_markov(pd.concat([long, pd.DataFrame({"Name": ["Narnia"], "YEAR": [1929], "INC": [1.0]})]),
                      "Name", "YEAR", "INC", w)


def test_extreme_magnitudes_give_giddy_on_the_unscaled_values(data):
    long, w, _ = data
    long = long[long.YEAR.isin(range(1929, 1960))]
    wide = long.pivot(index="Name", columns="YEAR", values="INC").reindex(w.ids).to_numpy(float)
    ref_sm = gm.Spatial_Markov(wide, w.to_libpysal(), k=4, m=4, fixed=True)
    ref_lm = gm.LISA_Markov(wide, w.to_libpysal())
    for factor in (1e300, 1e-300):
        scaled = long.assign(INC=long.INC * factor)
        r = D.spatial_markov(scaled, "Name", "YEAR", w, value_field="INC", k=4, m=4)
        counts = r.transitions[r.transitions.CONDITION == "ALL"].pivot(index="FROM", columns="TO", values="COUNT")
        np.testing.assert_array_equal(counts.to_numpy(), ref_sm.transitions)
        lm = D.lisa_markov(scaled, "Name", "YEAR", "INC", w)
        np.testing.assert_array_equal(lm.transitions.pivot(index="FROM", columns="TO", values="COUNT")
                                      .loc[["HH", "LH", "LL", "HL"], ["HH", "LH", "LL", "HL"]].to_numpy(),
                                      ref_lm.transitions)
    bad = long.astype({"INC": float})
    bad.loc[(bad.Name == "Utah") & (bad.YEAR == 1950), "INC"] = np.inf
    with pytest.raises(InputError, match="'INC' is infinite for: Utah in 1950"):
        D.lisa_markov(bad, "Name", "YEAR", "INC", w)
