"""spatial.econometrics against spreg called directly, statsmodels and hand
computations with dense matrices, on libpysal's Columbus (49 neighbourhoods) and
St. Louis homicide panel (78 counties × 3 periods)."""

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import spreg
from scipy import optimize, stats

from spatial import econometrics as ec
from spatial.errors import InputError
from spatial.weights import build_weights


@pytest.fixture(scope="module")
def columbus():
    layer = gpd.read_file(libpysal.examples.get_path("columbus.shp"))
    w = build_weights(layer, "POLYID", "queen")
    table = pd.DataFrame(layer.drop(columns="geometry")).assign(YEAR=2000)
    return table, w


@pytest.fixture(scope="module")
def stl():
    """St. Louis region: homicide rate HR, resource deprivation RDAC and police
    expenditure PE in three periods (1979–84, 1984–88, 1988–93)."""
    layer = gpd.read_file(libpysal.examples.get_path("stl_hom.shp"))
    w = build_weights(layer, "FIPSNO", "queen")
    periods = (("7984", "80", "77"), ("8488", "85", "82"), ("8893", "90", "87"))
    rows = [pd.DataFrame({"FIPSNO": layer["FIPSNO"], "YEAR": year, "HR": layer[f"HR{hr}"],
                          "RDAC": layer[f"RDAC{rd}"], "PE": layer[f"PE{pe}"]})
            for year, (hr, rd, pe) in zip((1984, 1988, 1993), periods)]
    return pd.concat(rows, ignore_index=True), w


def fit(data, model, fe="none", **options):
    table, w = data
    target, drivers, id_field = (("CRIME", ["INC", "HOVAL"], "POLYID") if "CRIME" in table
                                 else ("HR", ["RDAC", "PE"], "FIPSNO"))
    return ec.spatial_regression(table, target, drivers, w, id_field, "YEAR", model=model,
                                 fixed_effects=fe, **options)


def by_test(result):
    return result.diagnostics.set_index("TEST")


def dense(w):
    return w.sparse.toarray()


def test_ols_and_lm_tests_by_hand(columbus):
    table, w = columbus
    result = fit(columbus, "ols")
    y = table["CRIME"].to_numpy()
    x = np.column_stack([np.ones(49), table["INC"], table["HOVAL"]])
    b = np.linalg.solve(x.T @ x, x.T @ y)
    e = y - x @ b
    s2 = e @ e / (49 - 3)
    np.testing.assert_allclose(result.coefficients["COEF"], b, rtol=1e-10)
    np.testing.assert_allclose(result.coefficients["SE"], np.sqrt(np.diag(s2 * np.linalg.inv(x.T @ x))),
                               rtol=1e-10)
    W = dense(w)
    sigma2 = e @ e / 49
    trace = np.trace(W.T @ W + W @ W)
    lm_error = (e @ W @ e / sigma2) ** 2 / trace
    wxb = W @ x @ b
    m = np.eye(49) - x @ np.linalg.inv(x.T @ x) @ x.T
    j = (wxb @ m @ wxb) / sigma2 + trace
    lm_lag = (e @ W @ y / sigma2) ** 2 / j
    moran = 49 / W.sum() * (e @ W @ e) / (e @ e)
    diag = by_test(result)
    assert diag.loc["LM_ERROR", "VALUE"] == pytest.approx(lm_error, rel=1e-9)
    assert diag.loc["LM_LAG", "VALUE"] == pytest.approx(lm_lag, rel=1e-9)
    assert diag.loc["LM_LAG", "P"] == pytest.approx(stats.chi2.sf(lm_lag, 1), rel=1e-9)
    assert diag.loc["MORAN_RESIDUALS", "VALUE"] == pytest.approx(moran, rel=1e-9)
    # our panel LM function with T = 1 is spreg's cross-section test
    ours = ec.lm_tests(e, y, x, w, 1)
    reference = spreg.OLS(y[:, None], x[:, 1:], w=w.to_libpysal(), spat_diag=True)
    for name, attribute in (("LM_LAG", "lm_lag"), ("ROBUST_LM_LAG", "rlm_lag"),
                            ("LM_ERROR", "lm_error"), ("ROBUST_LM_ERROR", "rlm_error"),
                            ("LM_SARMA", "lm_sarma")):
        assert ours[name][0] == pytest.approx(getattr(reference, attribute)[0], rel=1e-9)
    # OLS has no spillovers
    assert (result.effects["INDIRECT"] == 0).all()


def test_sar_sem_against_spreg(columbus):
    table, w = columbus
    y, x = table[["CRIME"]].to_numpy(), table[["INC", "HOVAL"]].to_numpy()
    lag = spreg.ML_Lag(y, x, w.to_libpysal(), method="full", spat_impacts=None)
    sar = fit(columbus, "sar")
    np.testing.assert_allclose(sar.coefficients["COEF"], lag.betas.ravel(), rtol=1e-5)
    np.testing.assert_allclose(sar.coefficients["SE"], np.sqrt(np.diag(lag.vm)), rtol=1e-4)
    assert by_test(sar).loc["LOG_LIKELIHOOD", "VALUE"] == pytest.approx(lag.logll, rel=1e-8)
    error = spreg.ML_Error(y, x, w.to_libpysal(), method="full")
    sem = fit(columbus, "sem")
    np.testing.assert_allclose(sem.coefficients["COEF"], error.betas.ravel(), rtol=1e-5)
    assert sem.coefficients["TERM"].iloc[-1] == "W_U (lambda)"
    ols_ll = spreg.OLS(y, x).logll
    assert by_test(sem).loc["LR_LAMBDA", "VALUE"] == pytest.approx(2 * (error.logll - ols_ll),
                                                                   rel=1e-6)


def test_sdm_against_spreg_slx_and_its_common_factor_test(columbus):
    table, w = columbus
    y, x = table[["CRIME"]].to_numpy(), table[["INC", "HOVAL"]].to_numpy()
    durbin = spreg.ML_Lag(y, x, w.to_libpysal(), slx_lags=1, method="full", spat_diag=True,
                          spat_impacts=None)
    sdm = fit(columbus, "sdm")
    assert sdm.coefficients["TERM"].tolist() == ["CONSTANT", "INC", "HOVAL", "W_INC", "W_HOVAL",
                                                 "W_Y (rho)"]
    np.testing.assert_allclose(sdm.coefficients["COEF"], durbin.betas.ravel(), rtol=1e-5)
    diag = by_test(sdm)
    assert diag.loc["WALD_SDM_TO_SEM", "VALUE"] == pytest.approx(durbin.cfh_test[0], rel=1e-4)
    # LR tests against the SAR and SEM fitted by spreg
    lag = spreg.ML_Lag(y, x, w.to_libpysal(), method="full", spat_impacts=None)
    error = spreg.ML_Error(y, x, w.to_libpysal(), method="full")
    assert diag.loc["LR_SDM_TO_SAR", "VALUE"] == pytest.approx(2 * (durbin.logll - lag.logll),
                                                               rel=1e-5)
    assert diag.loc["LR_SDM_TO_SEM", "VALUE"] == pytest.approx(2 * (durbin.logll - error.logll),
                                                               rel=1e-5)
    theta = durbin.betas.ravel()[3:5]
    wald = theta @ np.linalg.solve(durbin.vm[3:5, 3:5], theta)
    assert diag.loc["WALD_SDM_TO_SAR", "VALUE"] == pytest.approx(wald, rel=1e-4)


def hand_effects(W, beta, theta, rho):
    """LeSage & Pace (2009) with dense matrices: S_k = (I - rho W)^-1 (b_k I + theta_k W)."""
    n = W.shape[0]
    inverse = np.linalg.inv(np.eye(n) - rho * W)
    direct, total = [], []
    for b, t in zip(beta, theta):
        s = inverse @ (b * np.eye(n) + t * W)
        direct.append(np.trace(s) / n)
        total.append(s.sum() / n)
    return np.array(direct), np.array(total)


@pytest.mark.parametrize("kind", ["queen", "knn"])
def test_effects_by_hand_with_dense_matrices(columbus, kind):
    table, _ = columbus
    layer = gpd.read_file(libpysal.examples.get_path("columbus.shp"))
    w = build_weights(layer, "POLYID", kind, k=4)  # knn: asymmetric, complex eigenvalues
    sdm = ec.spatial_regression(table, "CRIME", ["INC", "HOVAL"], w, "POLYID", "YEAR",
                                model="sdm", draws=200)
    coef = sdm.coefficients.set_index("TERM")["COEF"]
    beta, theta = coef[["INC", "HOVAL"]].to_numpy(), coef[["W_INC", "W_HOVAL"]].to_numpy()
    rho = coef["W_Y (rho)"]
    direct, total = hand_effects(dense(w), beta, theta, rho)
    np.testing.assert_allclose(sdm.effects["DIRECT"], direct, rtol=1e-9)
    np.testing.assert_allclose(sdm.effects["TOTAL"], total, rtol=1e-9)
    np.testing.assert_allclose(sdm.effects["INDIRECT"], total - direct, rtol=1e-9)
    # row-standardised W: the total effect is (b + theta) / (1 - rho)
    np.testing.assert_allclose(total, (beta + theta) / (1 - rho), rtol=1e-9)


def test_sar_effects_match_spreg_multipliers(columbus):
    table, w = columbus
    sar = fit(columbus, "sar")
    coef = sar.coefficients.set_index("TERM")["COEF"]
    multipliers = spreg.sputils.spmultiplier(w.to_libpysal(), coef["W_Y (rho)"], method="full")
    beta = coef[["INC", "HOVAL"]].to_numpy()
    np.testing.assert_allclose(sar.effects["DIRECT"], beta * multipliers["adi"], rtol=1e-9)
    np.testing.assert_allclose(sar.effects["INDIRECT"], beta * multipliers["aii"], rtol=1e-9)


def test_simulated_standard_errors_by_hand(columbus):
    """The same seeded draws of (b, theta, rho) pushed through dense matrices;
    and the direct effects' SE near the delta method's (nearly linear in rho)."""
    _, w = columbus
    beta, theta, rho = np.array([-1.0, -0.3]), np.array([-0.6, 0.25]), 0.4
    rng = np.random.default_rng(0)
    a = rng.normal(size=(5, 5)) * 0.05
    cov = a @ a.T + np.diag([0.1, 0.01, 0.3, 0.03, 0.02])
    table = ec.effects_table(["A", "B"], beta, theta, rho, cov, ec.spectrum(w), draws=500, seed=9)
    W = dense(w)
    draws = np.random.default_rng(9).multivariate_normal(
        np.concatenate([beta, theta, [rho]]), cov, size=500, method="eigh")
    eigen = np.linalg.eigvals(W).real
    inside = (draws[:, -1] > 1 / eigen.min()) & (draws[:, -1] < 1 / eigen.max())
    assert inside.all()  # no redraws needed with this spread
    by_hand = np.array([np.concatenate(hand_effects(W, d[:2], d[2:4], d[4])) for d in draws])
    direct, total = by_hand[:, :2], by_hand[:, 2:]
    np.testing.assert_allclose(table["DIRECT_SE"], direct.std(axis=0, ddof=1), rtol=1e-9)
    np.testing.assert_allclose(table["TOTAL_SE"], total.std(axis=0, ddof=1), rtol=1e-9)
    np.testing.assert_allclose(table["INDIRECT_SE"], (total - direct).std(axis=0, ddof=1),
                               rtol=1e-9)

    def effects(p):
        return hand_effects(W, p[:2], p[2:4], p[4])[0]

    centre = np.concatenate([beta, theta, [rho]])
    jacobian = np.column_stack([(effects(centre + h) - effects(centre - h)) / 2e-6
                                for h in np.eye(5) * 1e-6])
    delta = np.sqrt(np.diag(jacobian @ cov @ jacobian.T))
    np.testing.assert_allclose(table["DIRECT_SE"], delta, rtol=0.1)


def test_panel_unit_fixed_effects_against_spreg(stl):
    table, w = stl
    wide = table.sort_values(["YEAR", "FIPSNO"])
    order = pd.Series(range(w.n), index=w.ids)
    wide = wide.assign(_pos=order.reindex(wide["FIPSNO"]).to_numpy()).sort_values(["YEAR", "_pos"])
    y, x = wide[["HR"]].to_numpy(), wide[["RDAC", "PE"]].to_numpy()
    lag = spreg.ML_LagFE(y, x, w.to_libpysal(), spat_impacts=None)
    sar = fit(stl, "sar", "unit")
    np.testing.assert_allclose(sar.coefficients["COEF"], lag.betas.ravel(), rtol=1e-5)
    np.testing.assert_allclose(sar.coefficients["SE"], np.sqrt(np.diag(lag.vm)), rtol=1e-4)
    error = spreg.ML_ErrorFE(y, x, w.to_libpysal())
    sem = fit(stl, "sem", "unit")
    np.testing.assert_allclose(sem.coefficients["COEF"], error.betas.ravel(), rtol=1e-5)
    np.testing.assert_allclose(sem.coefficients["SE"], np.sqrt(np.diag(error.vm)), rtol=1e-4)
    assert by_test(sem).loc["LOG_LIKELIHOOD", "VALUE"] == pytest.approx(float(error.logll))
    assert by_test(sar).loc["LOG_LIKELIHOOD", "VALUE"] == pytest.approx(float(np.ravel(lag.logll)[0]))
    assert by_test(sar).loc["SIGMA2", "VALUE"] == pytest.approx(float(np.ravel(lag.sig2)[0]), rel=1e-6)


def test_panel_ols_fixed_effects_against_lsdv(stl):
    statsmodels = pytest.importorskip("statsmodels.api")
    table, w = stl
    result = fit(stl, "ols", "twoway")
    dummies = pd.get_dummies(table[["FIPSNO", "YEAR"]].astype(str), drop_first=True).astype(float)
    design = statsmodels.add_constant(pd.concat([table[["RDAC", "PE"]], dummies], axis=1))
    lsdv = statsmodels.OLS(table["HR"], design).fit()
    np.testing.assert_allclose(result.coefficients["COEF"], lsdv.params[["RDAC", "PE"]], rtol=1e-8)
    np.testing.assert_allclose(result.coefficients["SE"], lsdv.bse[["RDAC", "PE"]], rtol=1e-8)


def test_panel_lm_tests_by_hand(stl):
    table, w = stl
    result = fit(stl, "ols", "unit")
    n, t = w.n, 3
    order = pd.Series(range(n), index=w.ids)
    data = table.assign(_pos=order.reindex(table["FIPSNO"]).to_numpy()).sort_values(["YEAR", "_pos"])
    y, x = data["HR"].to_numpy(), data[["RDAC", "PE"]].to_numpy()
    q = np.kron(np.eye(t) - np.ones((t, t)) / t, np.eye(n))  # within units
    yd, xd = q @ y, q @ x
    b = np.linalg.lstsq(xd, yd, rcond=None)[0]
    e = yd - xd @ b
    big = np.kron(np.eye(t), dense(w))
    sigma2 = e @ e / (n * t)
    trace = np.trace(dense(w).T @ dense(w) + dense(w) @ dense(w))
    lm_error = (e @ big @ e / sigma2) ** 2 / (t * trace)
    m = np.eye(n * t) - xd @ np.linalg.pinv(xd)
    j = (big @ xd @ b) @ m @ (big @ xd @ b) / sigma2 + t * trace
    lm_lag = (e @ big @ yd / sigma2) ** 2 / j
    diag = by_test(result)
    assert diag.loc["LM_ERROR", "VALUE"] == pytest.approx(lm_error, rel=1e-9)
    assert diag.loc["LM_LAG", "VALUE"] == pytest.approx(lm_lag, rel=1e-9)


def test_panel_twoway_sar_against_hand_likelihood(stl):
    """Two-way SAR maximised by hand as in Elhorst (2014, sec. 3.3): y, Wy and X
    demeaned over units and years, concentrated log-likelihood
    -NT/2 ln(e'e/NT) + T ln|I - rho W|."""
    table, w = stl
    result = fit(stl, "sar", "twoway")
    n, t = w.n, 3
    order = pd.Series(range(n), index=w.ids)
    data = table.assign(_pos=order.reindex(table["FIPSNO"]).to_numpy()).sort_values(["YEAR", "_pos"])
    W = dense(w)
    big = np.kron(np.eye(t), W)

    def demeaned(v):
        cube = v.reshape((t, n) + v.shape[1:])
        return (cube - cube.mean(0) - cube.mean(1, keepdims=True)
                + cube.mean((0, 1))).reshape(v.shape)

    y = data["HR"].to_numpy()
    yd, wyd = demeaned(y), demeaned(big @ y)
    xd = demeaned(data[["RDAC", "PE"]].to_numpy())
    eigen = np.linalg.eigvals(W).real

    def negative(rho):
        z = yd - rho * wyd
        e = z - xd @ np.linalg.lstsq(xd, z, rcond=None)[0]
        return n * t / 2 * np.log(e @ e / (n * t)) - t * np.sum(np.log(1 - rho * eigen))

    rho = optimize.minimize_scalar(negative, bounds=(-0.99, 0.99), method="bounded",
                                   options={"xatol": 1e-10}).x
    b = np.linalg.lstsq(xd, yd - rho * wyd, rcond=None)[0]
    coef = result.coefficients.set_index("TERM")["COEF"]
    assert coef["W_Y (rho)"] == pytest.approx(rho, abs=1e-6)
    np.testing.assert_allclose(coef[["RDAC", "PE"]], b, rtol=1e-5)
    assert "YEAR_1988" not in coef.index  # year effects are estimated, not listed


def test_panel_sdm_tests_and_effects(stl):
    result = fit(stl, "sdm", "unit", draws=300)
    diag = by_test(result)
    for name in ("WALD_SDM_TO_SAR", "WALD_SDM_TO_SEM", "LR_SDM_TO_SAR", "LR_SDM_TO_SEM"):
        assert diag.loc[name, "DF"] == 2 and 0 <= diag.loc[name, "P"] <= 1
    assert diag.loc["LR_SDM_TO_SAR", "VALUE"] >= 0
    coef = result.coefficients.set_index("TERM")["COEF"]
    direct, total = hand_effects(dense(stl[1]), coef[["RDAC", "PE"]].to_numpy(),
                                 coef[["W_RDAC", "W_PE"]].to_numpy(), coef["W_Y (rho)"])
    np.testing.assert_allclose(result.effects["DIRECT"], direct, rtol=1e-9)
    np.testing.assert_allclose(result.effects["TOTAL"], total, rtol=1e-9)


def test_bad_input(columbus, stl):
    table, w = columbus
    with pytest.raises(InputError, match="INCOME"):
        ec.spatial_regression(table, "CRIME", ["INCOME"], w, "POLYID", "YEAR")
    with pytest.raises(InputError, match="one year"):
        fit(stl, "sar")
    with pytest.raises(InputError, match="two years"):
        fit(columbus, "sar", "unit")
    panel, pw = stl
    with pytest.raises(InputError, match="not balanced"):
        ec.spatial_regression(panel.iloc[1:], "HR", ["RDAC"], pw, "FIPSNO", "YEAR",
                              fixed_effects="unit")
    with pytest.raises(InputError, match="does not vary"):
        ec.spatial_regression(panel.assign(C=panel["FIPSNO"] % 7), "HR", ["C"], pw, "FIPSNO",
                              "YEAR", fixed_effects="unit")
    broken = table.copy()
    broken.loc[4, "INC"] = np.nan
    with pytest.raises(InputError, match="'INC'.*unit 5"):
        ec.spatial_regression(broken, "CRIME", ["INC"], w, "POLYID", "YEAR")
    with pytest.raises(InputError, match="not in the weights"):
        ec.spatial_regression(table.assign(POLYID=table["POLYID"] + 100), "CRIME", ["INC"], w,
                              "POLYID", "YEAR")
    with pytest.raises(InputError, match="model"):
        ec.spatial_regression(table, "CRIME", ["INC"], w, "POLYID", "YEAR", model="sac")


@pytest.mark.parametrize("transform", ["r", "b"])
def test_spectrum_traces_and_row_sums_by_hand(columbus, transform):
    """With and without rows summing to one (binary weights need the eigenvectors)."""
    _, w = columbus
    w = w.with_transform(transform)
    spec = ec.spectrum(w)
    assert (spec.row_weights is None) == (transform == "r")
    W = dense(w)
    rho = 0.9 / np.abs(np.linalg.eigvals(W)).max()
    inverse = np.linalg.inv(np.eye(49) - rho * W)
    assert spec.mean_diagonal(rho, 0)[0] == pytest.approx(np.trace(inverse) / 49, rel=1e-10)
    assert spec.mean_diagonal(rho, 1)[0] == pytest.approx(np.trace(inverse @ W) / 49, rel=1e-10)
    assert spec.mean_row_sum(rho, 0)[0] == pytest.approx(inverse.sum() / 49, rel=1e-10)
    assert spec.mean_row_sum(rho, 1)[0] == pytest.approx((inverse @ W).sum() / 49, rel=1e-10)


def test_spectrum_with_an_island_by_hand(columbus):
    from spatial.weights import SpatialWeights

    _, w = columbus
    matrix = w.original.tolil()
    matrix[0, :] = 0
    matrix[:, 0] = 0
    island = SpatialWeights(list(w.ids), matrix.tocsr(), "custom", "r")
    assert island.islands == [w.ids[0]]
    spec = ec.spectrum(island)
    assert spec.row_weights is not None
    W = dense(island)
    inverse = np.linalg.inv(np.eye(49) - 0.5 * W)
    assert spec.mean_row_sum(0.5, 0)[0] == pytest.approx(inverse.sum() / 49, rel=1e-10)
    assert spec.mean_row_sum(0.5, 1)[0] == pytest.approx((inverse @ W).sum() / 49, rel=1e-10)
    assert spec.mean_diagonal(0.5, 1)[0] == pytest.approx(np.trace(inverse @ W) / 49, rel=1e-10)


@pytest.fixture(scope="module")
def knn_lattice():
    """k = 4 nearest neighbours of a jittered 40 × 40 lattice: asymmetric weights."""
    from spatial.weights import SpatialWeights

    points = (np.array([(i, j) for i in range(40) for j in range(40)], float)
              + np.random.default_rng(0).normal(scale=0.1, size=(1600, 2)))
    knn = libpysal.weights.KNN(points, k=4)
    return SpatialWeights(list(range(1600)), knn.sparse, "knn", "r")


@pytest.mark.parametrize("rho", [-0.5, 0.3, 0.8])
def test_trace_spectrum_against_dense_inverse(knn_lattice, rho):
    """Power series with Monte Carlo traces (Barry & Pace 1999) against the dense
    (I - rho W)^{-1}: the effects' multipliers within 0.3 % (0.5 % for W(I - rho W)^{-1})."""
    spec = ec.trace_spectrum(knn_lattice, max_abs_rho=0.8)
    W = dense(knn_lattice)
    inverse = np.linalg.inv(np.eye(1600) - rho * W)
    for j in (1, 2, 3, 4):  # exact
        assert spec.traces[j] == pytest.approx(np.trace(np.linalg.matrix_power(W, j)) / 1600,
                                               rel=1e-12, abs=1e-15)
    assert spec.mean_diagonal(rho, 0)[0] == pytest.approx(np.trace(inverse) / 1600, rel=3e-3)
    assert spec.mean_diagonal(rho, 1)[0] == pytest.approx(np.trace(inverse @ W) / 1600,
                                                          rel=5e-3, abs=2e-4)
    assert spec.mean_row_sum(rho, 1)[0] == pytest.approx((inverse @ W).sum() / 1600, rel=1e-10)


def test_trace_spectrum_row_sums_of_binary_weights_are_exact(knn_lattice):
    binary = knn_lattice.with_transform("b")
    spec = ec.trace_spectrum(binary, max_abs_rho=0.2)
    assert spec.row_sums is not None and spec.high == pytest.approx(0.25)
    W = dense(binary)
    inverse = np.linalg.inv(np.eye(1600) - 0.2 * W)
    assert spec.mean_row_sum(0.2, 0)[0] == pytest.approx(inverse.sum() / 1600, rel=1e-8)
    assert spec.mean_row_sum(0.2, 1)[0] == pytest.approx((inverse @ W).sum() / 1600, rel=1e-8)


def test_effects_beyond_the_eigen_limit_use_traces(stl, monkeypatch):
    """The same SDM with traces instead of eigenvalues: effects within 0.5 %."""
    exact = fit(stl, "sdm", "unit", draws=400)
    monkeypatch.setattr(ec, "EIGEN_UNIT_LIMIT", 10)
    series = fit(stl, "sdm", "unit", draws=400)
    pd.testing.assert_frame_equal(series.coefficients, exact.coefficients)
    for column in ("DIRECT", "INDIRECT", "TOTAL", "DIRECT_SE", "TOTAL_SE"):
        np.testing.assert_allclose(series.effects[column], exact.effects[column], rtol=5e-3)


def test_the_refusal_gives_the_dense_inverse_in_tenths_of_a_gigabyte():
    from spatial.econometrics import dense_inverse_cost

    # 6,084 units: 6084² doubles of 8 bytes = 0.296 GB (the step once printed "~0 GB")
    assert "~0.3 GB" in dense_inverse_cost(6084)
    assert "~0.2 GB" in dense_inverse_cost(5000) and "~3.2 GB" in dense_inverse_cost(20000)
