"""spatial.local_regression against GWR4's published output for Georgia (shipped with
libpysal), mgwr called directly and a hand-written weighted least squares."""

import libpysal
import numpy as np
import pandas as pd
import pytest
from mgwr.diagnostics import get_AICc
from mgwr.gwr import GWR, MGWR
from mgwr.sel_bw import Sel_BW

from spatial import local_regression as lr
from spatial.errors import InputError

DRIVERS = ["PctRural", "PctPov", "PctBlack"]
TERMS = {"INTERCEPT": "Intercept", "PctRural": "PctRural", "PctPov": "PctPov",
         "PctBlack": "PctBlack"}


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """mgwr called directly solves thousands of tiny systems: BLAS threads only slow them
    (12 ms instead of 0.1 ms each on a busy 2-core machine), as in lr.gwr itself."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def georgia():
    return pd.read_csv(libpysal.examples.get_path("GData_utm.csv"))


@pytest.fixture(scope="module")
def coords(georgia):
    return georgia[["X", "Y"]].to_numpy()


def test_gwr_matches_gwr4_output(georgia, coords):
    """GWR4 (Nakaya et al.) with an adaptive bisquare kernel of 90 neighbours."""
    reference = pd.read_csv(libpysal.examples.get_path("georgia_BS_NN_listwise.csv"),
                            skipinitialspace=True)
    result = lr.gwr(georgia, "PctBach", DRIVERS, coords, bandwidth=90)
    local = result.local
    ratios = []
    for ours, theirs in TERMS.items():
        np.testing.assert_allclose(local[f"B_{ours}"], reference[f"est_{theirs}"], atol=1e-5)
        ratios.append(local[f"SE_{ours}"] / reference[f"se_{theirs}"])
    np.testing.assert_allclose(local["LOCAL_R2"], reference["localR2"], atol=1e-5)
    np.testing.assert_allclose(local["RESIDUAL"], reference["residual"], atol=1e-5)
    # GWR4 and mgwr estimate sigma^2 with different degrees of freedom: the
    # standard errors differ by one common factor
    ratios = np.concatenate(ratios)
    np.testing.assert_allclose(ratios, ratios.mean(), rtol=1e-4)
    assert result.summary["AICC"].iloc[0] == pytest.approx(896.463, abs=1e-3)  # GWR4's criterion


def test_gwr_bandwidth_search_and_significance_match_mgwr(georgia, coords):
    result = lr.gwr(georgia, "PctBach", DRIVERS, coords)
    y, x = georgia[["PctBach"]].to_numpy(), georgia[DRIVERS].to_numpy()
    bandwidth = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc")
    direct = GWR(coords, y, x, bandwidth, n_jobs=1).fit()
    assert result.terms["BANDWIDTH"].tolist() == [bandwidth] * 4
    np.testing.assert_allclose(result.local.filter(like="B_").to_numpy(), direct.params,
                               rtol=1e-10)
    np.testing.assert_allclose(result.local.filter(like="T_").to_numpy(), direct.tvalues,
                               rtol=1e-10)
    significant = (direct.filter_tvals() != 0).astype(int)  # corrected alpha at 0.05
    np.testing.assert_array_equal(result.local.filter(like="SIG_").to_numpy(), significant)
    assert result.summary["AICC"].iloc[0] == pytest.approx(direct.aicc)
    assert result.summary["R2"].iloc[0] == pytest.approx(direct.R2)


def test_fixed_gaussian_gwr_by_hand(georgia, coords):
    """b(i) = (X'W_i X)^-1 X'W_i y with w_ij = exp(-(d_ij/h)^2 / 2)."""
    h = 90000.0
    result = lr.gwr(georgia, "PctBach", DRIVERS, coords, kernel="gaussian", fixed=True,
                    bandwidth=h)
    x = np.column_stack([np.ones(len(georgia)), georgia[DRIVERS]])
    y = georgia["PctBach"].to_numpy()
    for i in (0, 57, 158):
        d = np.hypot(*(coords - coords[i]).T)
        weights = np.exp(-0.5 * (d / h) ** 2)
        b = np.linalg.solve(x.T @ (weights[:, None] * x), x.T @ (weights * y))
        np.testing.assert_allclose(result.local.filter(like="B_").iloc[i], b, rtol=1e-8)


def test_mgwr_matches_mgwr_on_standardised_data(georgia, coords):
    part, coords = georgia.iloc[:90].reset_index(drop=True), coords[:90]  # MGWR is slow
    result = lr.gwr(part, "PctBach", ["PctRural"], coords, model="mgwr")
    y, x = part[["PctBach"]].to_numpy(), part[["PctRural"]].to_numpy()
    y = (y - y.mean()) / y.std()
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    selector = Sel_BW(coords, y, x, multi=True, n_jobs=1)
    selector.search(criterion="AICc", multi_bw_min=[2])
    direct = MGWR(coords, y, x, selector, n_jobs=1).fit()
    np.testing.assert_allclose(result.terms["BANDWIDTH"], direct.model.bws)
    np.testing.assert_allclose(result.local[["B_INTERCEPT", "B_PctRural"]], direct.params,
                               rtol=1e-8, atol=1e-12)
    significant = (direct.filter_tvals() != 0).astype(int)
    np.testing.assert_array_equal(result.local[["SIG_INTERCEPT", "SIG_PctRural"]], significant)
    assert result.local["LOCAL_R2"].isna().all() and bool(result.summary["STANDARDISED"].iloc[0])


def test_cost_and_refusals(georgia, coords, monkeypatch):
    assert lr.cost(1000, 3, "mgwr")["bytes"] == 8.0 * 1000 * 1000 * 4
    monkeypatch.setattr(lr, "GWR_UNIT_LIMIT", 100)
    with pytest.raises(InputError, match="limited to 100 units"):
        lr.gwr(georgia, "PctBach", DRIVERS, coords)
    monkeypatch.setattr(lr, "MGWR_MEMORY_LIMIT", 1e5)
    with pytest.raises(InputError, match="MGWR keeps"):
        lr.gwr(georgia, "PctBach", DRIVERS, coords, model="mgwr")


def test_bad_input(georgia, coords):
    broken = georgia.copy()
    broken.loc[3, "PctPov"] = np.nan
    with pytest.raises(InputError, match="PctPov"):
        lr.gwr(broken, "PctBach", DRIVERS, coords)
    with pytest.raises(InputError, match="do not vary"):
        lr.gwr(georgia.assign(C=1.0), "PctBach", ["C"], coords)
    with pytest.raises(InputError, match="kernel"):
        lr.gwr(georgia, "PctBach", DRIVERS, coords, kernel="tricube")
    with pytest.raises(InputError, match="too few"):
        lr.gwr(georgia.iloc[:10], "PctBach", DRIVERS, coords[:10])


@pytest.mark.parametrize("spherical, kept", [(False, True), (True, True), (False, False)])
def test_adaptive_bisquare_scores_and_local_r2_are_mgwrs(georgia, spherical, kept, monkeypatch):
    if not kept:  # distances computed again for every fit, a block of rows at a time
        monkeypatch.setattr(lr, "KEPT_DISTANCES", 0)
        monkeypatch.setattr(lr, "BLOCK", 159 * 20)
    coords = georgia[["Longitud", "Latitude"] if spherical else ["X", "Y"]].to_numpy()
    y, x = georgia[["PctBach"]].to_numpy(), georgia[DRIVERS].to_numpy()
    score = lr.adaptive_bisquare_aicc(coords, y, x, spherical)
    for bw in (12, 47, 90, 159):
        direct = GWR(coords, y, x, bw, spherical=spherical, n_jobs=1).fit(lite=True)
        assert score(bw) == pytest.approx(get_AICc(direct), rel=1e-12), bw
    full = GWR(coords, y, x, 47, spherical=spherical, n_jobs=1).fit()
    np.testing.assert_allclose(lr.adaptive_bisquare_local_r2(coords, y, full.resid_response, 47,
                                                             spherical),
                               np.ravel(full.localR2), rtol=1e-10)


def test_adaptive_bisquare_search_on_a_lattice_matches_mgwr():
    # a regular lattice: many neighbours tie at the kernel's edge; with and without bounds
    rng = np.random.default_rng(5)
    xs, ys = np.meshgrid(np.arange(15.0), np.arange(15.0))
    coords = np.column_stack([xs.ravel(), ys.ravel()])
    x = rng.normal(size=(225, 2))
    y = (x[:, 0] * np.sin(coords[:, 0] / 3) + x[:, 1] + 0.3 * rng.normal(size=225)).reshape(-1, 1)
    for bounds in ({}, {"bw_min": 8.0, "bw_max": 120.0}):
        expected = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc", **bounds)
        assert lr.adaptive_bisquare_bandwidth(coords, y, x, **bounds) == expected


@pytest.mark.parametrize("spherical", [False, True])
def test_adaptive_bisquare_fit_is_mgwrs(georgia, spherical):
    # the local fits of every location at once, inside mgwr's own GWRResults
    coords = georgia[["Longitud", "Latitude"] if spherical else ["X", "Y"]].to_numpy()
    y, x = georgia[["PctBach"]].to_numpy(), georgia[DRIVERS].to_numpy()
    for bw in (20, 93):
        direct = GWR(coords, y, x, bw, spherical=spherical, n_jobs=1).fit()
        ours = lr.adaptive_bisquare_gwr(coords, y, x, bw, spherical)
        for name in ("params", "bse", "tvalues", "resid_response", "influ", "CCT"):
            np.testing.assert_allclose(getattr(ours, name), getattr(direct, name), rtol=1e-9,
                                       atol=1e-12, err_msg=name)
        for name in ("aicc", "ENP", "sigma2", "adj_R2", "tr_STS"):
            assert float(np.ravel(getattr(ours, name))[0]) == pytest.approx(
                float(np.ravel(getattr(direct, name))[0]), rel=1e-10), name
