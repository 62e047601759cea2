"""σ and β convergence of US per-capita income 1990–2009 (us_income) against pandas,
statsmodels (clustered OLS, LSDV) and spreg."""

import numpy as np
import pandas as pd
import pytest

from spatial import convergence as cv
from spatial.errors import InputError

libpysal = pytest.importorskip("libpysal")
sm = pytest.importorskip("statsmodels.api")
YEARS = [str(y) for y in range(1990, 2010)]


@pytest.fixture(scope="module")
def long():
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    out = income.melt(id_vars=["Name", "STATE_FIPS"], value_vars=YEARS, var_name="YEAR",
                      value_name="PCI").astype({"YEAR": int})
    out["SOUTH"] = np.where(out["STATE_FIPS"].isin([1, 5, 12, 13, 21, 22, 28, 37, 40, 45, 47, 48, 51, 54]),
                            "south", "other")
    out["CTRL"] = np.sin(out["STATE_FIPS"] * 1.0 + out["YEAR"] * 0.3)  # any time-varying control
    return out


def test_sigma_by_hand(long):
    out = cv.sigma_convergence(long, "YEAR", "PCI", "SOUTH")
    row = out[(out.YEAR == 2000) & (out.GROUP == "all")].iloc[0]
    x = long.loc[long.YEAR == 2000, "PCI"]
    assert row["SD"] == pytest.approx(x.std()) and row["CV"] == pytest.approx(x.std() / x.mean())
    south = out[(out.YEAR == 2000) & (out.GROUP == "south")].iloc[0]
    assert south["N"] == 14


def test_growth_rates_by_hand_with_a_gap(long):
    part = long[long.YEAR.isin([1990, 1991, 1993])]
    g = cv.growth_panel(part, "Name", "YEAR", "PCI")
    ohio = g[g.Name == "Ohio"].set_index("YEAR")
    y = long[long.Name == "Ohio"].set_index("YEAR")["PCI"]
    assert ohio.loc[1991, "GROWTH"] == pytest.approx(np.log(y[1993] / y[1991]) / 2)
    assert ohio.loc[1991, "GAP"] == 2 and ohio.loc[1990, "LEVEL"] == pytest.approx(np.log(y[1990]))
    with pytest.raises(InputError, match="positive.*unit Ohio year 1990"):
        cv.growth_panel(part.assign(PCI=np.where((part.Name == "Ohio") & (part.YEAR == 1990), 0, part.PCI)),
                        "Name", "YEAR", "PCI")


def _within_regression(g):
    """statsmodels' OLS of the unit-demeaned growth on the unit-demeaned LEVEL, CTRL and
    year dummies, clustered by unit (xtreg, fe vce(cluster)); and the demeaned growth."""
    years = pd.get_dummies(g["YEAR"].astype(str), drop_first=True, dtype=float)
    design = pd.concat([g[["LEVEL", "CTRL"]], years], axis=1)
    within = design - design.groupby(g["Name"]).transform("mean")
    yw = g["GROWTH"] - g.groupby("Name")["GROWTH"].transform("mean")
    return sm.OLS(yw, within).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(g["Name"])[0]}), yw


def test_absolute_and_conditional_beta_equal_statsmodels(long):
    g = cv.growth_panel(long, "Name", "YEAR", "PCI", ["CTRL"])
    out = cv.beta_convergence(g, "Name", "YEAR", ["CTRL"], models=("absolute", "conditional")).set_index("MODEL")
    ols = sm.OLS(g["GROWTH"], sm.add_constant(g[["LEVEL"]])).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(g["Name"])[0]})
    assert out.loc["absolute", "BETA"] == pytest.approx(ols.params["LEVEL"], rel=1e-10)
    assert out.loc["absolute", "SE"] == pytest.approx(ols.bse["LEVEL"], rel=1e-8)
    from scipy import stats

    t = ols.params["LEVEL"] / ols.bse["LEVEL"]
    assert out.loc["absolute", "P"] == pytest.approx(2 * stats.t.sf(abs(t), 47), rel=1e-6)
    # conditional: LSDV with unit and year dummies gives the same beta (Frisch–Waugh–Lovell)
    dummies = pd.get_dummies(g[["Name", "YEAR"]].astype(str), drop_first=True, dtype=float)
    lsdv = sm.OLS(g["GROWTH"], sm.add_constant(pd.concat([g[["LEVEL", "CTRL"]], dummies], axis=1))).fit()
    assert out.loc["conditional", "BETA"] == pytest.approx(lsdv.params["LEVEL"], rel=1e-8)
    # clustered SE of the within regression (K = non-absorbed regressors), as xtreg, fe vce(cluster)
    fe, yw = _within_regression(g)
    assert out.loc["conditional", "SE"] == pytest.approx(fe.bse["LEVEL"], rel=1e-8)
    beta = out.loc["absolute", "BETA"]
    assert out.loc["absolute", "SPEED"] == pytest.approx(-np.log(1 + beta))
    assert out.loc["absolute", "HALF_LIFE"] == pytest.approx(np.log(2) / -np.log(1 + beta))
    assert beta < 0  # US state incomes converge (Barro & Sala-i-Martin 1992)


def test_spatial_models_are_spregs_and_need_a_balanced_panel(long):
    geopandas = pytest.importorskip("geopandas")
    from spreg import Panel_FE_Error, Panel_FE_Lag

    from spatial.weights import build_weights

    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))
    w = build_weights(states, "STATE_NAME", "queen")
    g = cv.growth_panel(long, "Name", "YEAR", "PCI")
    out = cv.beta_convergence(g, "Name", "YEAR", w=w, models=("sar", "sem")).set_index("MODEL")
    y = g.pivot(index="Name", columns="YEAR", values="GROWTH").reindex(w.ids).to_numpy()
    x = g.pivot(index="Name", columns="YEAR", values="LEVEL").reindex(w.ids).to_numpy()
    lw = w.to_libpysal()
    lw.transform = "r"
    ref = Panel_FE_Lag(y, x, lw)
    assert out.loc["sar", "BETA"] == pytest.approx(ref.betas[0, 0])
    assert out.loc["sar", "SPATIAL"] == pytest.approx(ref.rho) and 0 < ref.rho < 1
    assert out.loc["sar", "SE"] == pytest.approx(ref.std_err[0], rel=1e-5)
    assert out.loc["sar", "P"] == pytest.approx(ref.z_stat[0][1], rel=1e-4, abs=1e-12)
    assert out.loc["sar", "SPATIAL_P"] == pytest.approx(ref.z_stat[-1][1], rel=1e-4, abs=1e-12)
    error = Panel_FE_Error(y, x, lw)
    assert out.loc["sem", "BETA"] == pytest.approx(error.betas[0, 0], rel=1e-5)
    assert out.loc["sem", "SPATIAL"] == pytest.approx(float(error.lam), rel=1e-5)
    assert out.loc["sem", "SE"] == pytest.approx(error.std_err[0], rel=1e-5)
    assert out.loc["sem", "SPATIAL"] > 0
    with pytest.raises(InputError, match="balanced panel.*Ohio"):
        cv.beta_convergence(g[~((g.Name == "Ohio") & (g.YEAR == 2000))], "Name", "YEAR", w=w,
                            models=("sar",))


def test_absolute_beta_on_mexican_states_by_decade_equals_statsmodels():
    """A second real panel: Mexican states' GDP per capita by decade, 1940–2000 (gap τ = 10)."""
    geopandas = pytest.importorskip("geopandas")
    mexico = geopandas.read_file(libpysal.examples.get_path("mexicojoin.shp"))
    columns = [f"PCGDP{y}" for y in range(1940, 2001, 10)]
    long = mexico[["NAME", *columns]].melt(id_vars="NAME", var_name="YEAR", value_name="GDP")
    long["YEAR"] = long["YEAR"].str[-4:].astype(int)
    g = cv.growth_panel(long, "NAME", "YEAR", "GDP")
    assert (g["GAP"] == 10).all()
    out = cv.beta_convergence(g, "NAME", "YEAR", models=("absolute",)).iloc[0]
    ols = sm.OLS(g["GROWTH"], sm.add_constant(g[["LEVEL"]])).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(g["NAME"])[0]})
    assert out["BETA"] == pytest.approx(ols.params["LEVEL"], rel=1e-10)
    assert out["SE"] == pytest.approx(ols.bse["LEVEL"], rel=1e-8)
    assert out["SPEED"] == pytest.approx(-np.log(1 + 10 * out["BETA"]) / 10)
    assert out["BETA"] < 0  # Mexican states converged over 1940–2000


def test_sar_beta_maximises_the_concentrated_likelihood_by_hand(long):
    """Panel SAR with unit effects (Elhorst 2014, ch. 3): on unit-demeaned data
    L(ρ) = −NT/2 ln(e(ρ)'e(ρ)/NT) + T ln|I − ρW|, e(ρ) the OLS residual of (I − ρW)y on X.
    A grid search over ρ finds spreg's ρ and β; the same for the error model."""
    geopandas = pytest.importorskip("geopandas")
    from spatial.weights import build_weights

    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))
    w = build_weights(states, "STATE_NAME", "queen")
    g = cv.growth_panel(long, "Name", "YEAR", "PCI")
    out = cv.beta_convergence(g, "Name", "YEAR", w=w, models=("sar",)).iloc[0]
    y = g.pivot(index="Name", columns="YEAR", values="GROWTH").reindex(w.ids).to_numpy()
    x = g.pivot(index="Name", columns="YEAR", values="LEVEL").reindex(w.ids).to_numpy()
    y, x = y - y.mean(axis=1, keepdims=True), x - x.mean(axis=1, keepdims=True)
    W = w.sparse.toarray()
    eig = np.linalg.eigvals(W).real
    n, t = y.shape

    def loglik(rho):
        yl = y - rho * (W @ y)
        beta = (x.ravel() @ yl.ravel()) / (x.ravel() @ x.ravel())
        e = yl - beta * x
        return -n * t / 2 * np.log((e ** 2).sum() / (n * t)) + t * np.log(1 - rho * eig).sum(), beta

    grid = np.linspace(0.0, 0.95, 1901)
    values = [loglik(r)[0] for r in grid]
    best = grid[int(np.argmax(values))]
    assert out["SPATIAL"] == pytest.approx(best, abs=1e-3)
    assert out["BETA"] == pytest.approx(loglik(out["SPATIAL"])[1], rel=1e-4)

    # SEM: e(λ) the OLS residual of (I − λW)y on (I − λW)X, same log-determinant term
    sem = cv.beta_convergence(g, "Name", "YEAR", w=w, models=("sem",)).iloc[0]

    def loglik_sem(lam):
        yl, xl = y - lam * (W @ y), x - lam * (W @ x)
        beta = (xl.ravel() @ yl.ravel()) / (xl.ravel() @ xl.ravel())
        e = yl - beta * xl
        return -n * t / 2 * np.log((e ** 2).sum() / (n * t)) + t * np.log(1 - lam * eig).sum(), beta

    values = [loglik_sem(r)[0] for r in grid]
    assert sem["SPATIAL"] == pytest.approx(grid[int(np.argmax(values))], abs=1e-3)
    assert sem["BETA"] == pytest.approx(loglik_sem(sem["SPATIAL"])[1], rel=1e-4)


def test_spatial_models_refused_beyond_the_unit_limit(long, monkeypatch):
    geopandas = pytest.importorskip("geopandas")
    from spatial import econometrics
    from spatial.weights import build_weights

    states = geopandas.read_file(libpysal.examples.get_path("us48.shp"))
    w = build_weights(states, "STATE_NAME", "queen")
    g = cv.growth_panel(long, "Name", "YEAR", "PCI")
    monkeypatch.setattr(econometrics, "ML_UNIT_LIMIT", 40)
    with pytest.raises(InputError, match="48 units: the spatial sar model is limited to 40"):
        cv.beta_convergence(g, "Name", "YEAR", w=w, models=("sar",))


def test_conditional_beta_built_in_blocks_of_rows_equals_statsmodels(long, monkeypatch):
    """Blocks of 7 rows cut units and years apart; the within regression is
    statsmodels' OLS on the whole demeaned design, on an unbalanced panel."""
    monkeypatch.setattr(cv, "WITHIN_BLOCK", 7)
    g = cv.growth_panel(long, "Name", "YEAR", "PCI", ["CTRL"]).iloc[5:].reset_index(drop=True)
    out = cv.beta_convergence(g, "Name", "YEAR", ["CTRL"], models=("conditional",)).set_index("MODEL")
    fe, yw = _within_regression(g)
    assert out.loc["conditional", "BETA"] == pytest.approx(fe.params["LEVEL"], rel=1e-9)
    assert out.loc["conditional", "SE"] == pytest.approx(fe.bse["LEVEL"], rel=1e-8)
    assert out.loc["conditional", "R2"] == pytest.approx(1 - fe.ssr / ((yw - yw.mean()) ** 2).sum(), rel=1e-9)
