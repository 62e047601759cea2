"""σ and β convergence of a value across units, plain and spatial.

**σ convergence**: the dispersion of the value falls over time — standard
deviation ``SD`` (ddof = 1) and coefficient of variation ``CV = SD / mean``
per year, for all units and per group.

**β convergence** on the yearly panel (Barro & Sala-i-Martin 1992, Journal
of Political Economy 100(2):223–251): the growth rate per year between
consecutive observations ``g_it = ln(y_i,t+τ / y_it) / τ`` regressed on the
initial level ``ln y_it``:

- ``absolute``: ``g = a + β ln y + e``, pooled OLS;
- ``conditional``: ``g = β ln y + γ'controls + unit and year fixed effects``
  (the within transformation by unit of every regressor including the year
  dummies, which is exact on unbalanced panels by Frisch–Waugh–Lovell);

both with standard errors clustered by unit, CR1 as Stata's ``regress,
vce(cluster)`` / ``xtreg, fe vce(cluster)``: ``V = (X'X)^-1 (sum_g X_g' e_g
e_g' X_g) (X'X)^-1 * G/(G-1) * (N-1)/(N-K)`` with K the non-absorbed
regressors, and p-values from t with G - 1 degrees of freedom. These are
written with numpy (a few lines of OLS; statsmodels is the test oracle).

**Spatial β convergence** (Rey & Montouri 1999, Regional Studies
33(2):143–156; Elhorst 2014, Spatial Econometrics): the conditional model
with unit fixed effects and a spatial lag of growth (``sar``) or a spatially autocorrelated error (``sem``), maximum
likelihood — the estimator of spreg's ``Panel_FE_Lag`` / ``Panel_FE_Error``
without their dense NT×NT products (:func:`spatial.econometrics.panel_fe_ml`;
one dense n×n inverse for the standard errors, O(n³)); needs a balanced panel. spreg's
panel models absorb unit effects only (no year effects). R2 is the within
R² for ``conditional`` and spreg's pseudo R² for the spatial models.

Convergence when β < 0; speed ``λ = -ln(1 + β τ) / τ`` and half-life
``ln 2 / λ`` years.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError

MODELS = ("absolute", "conditional", "sar", "sem")
ALL = "all"


def sigma_convergence(panel: pd.DataFrame, year_field: str, value_field: str,
                      group_field=None) -> pd.DataFrame:
    """YEAR, GROUP, N, MEAN, SD, CV per year for all units and each group."""
    rows = []
    for year, part in panel.groupby(year_field, sort=True):
        sets = [(ALL, part[value_field])]
        if group_field:
            sets += list(part.groupby(group_field, sort=True)[value_field])
        for group, values in sets:
            x = values.to_numpy(dtype=float)
            mean = x.mean()
            sd = x.std(ddof=1) if len(x) > 1 else np.nan
            rows.append({"YEAR": year, "GROUP": group, "N": len(x), "MEAN": mean, "SD": sd,
                         "CV": sd / mean if mean != 0 else np.nan})
    return pd.DataFrame(rows)


def growth_panel(panel: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                 controls=()) -> pd.DataFrame:
    """Rows (unit, year t) with GROWTH = ln(y_t+τ / y_t) / τ to the unit's next
    observation, LEVEL = ln y_t, GAP = τ and the controls at t. Values must be
    positive (logarithms); InputError names the unit and year otherwise."""
    table = panel[[id_field, year_field, value_field, *controls]].sort_values([id_field, year_field])
    bad = table[~((table[value_field] > 0) & np.isfinite(table[value_field]))]
    if len(bad):
        row = {name: bad[name].iloc[0] for name in (id_field, year_field, value_field)}
        raise InputError(f"{value_field!r} must be positive and finite for the log growth rate; unit "
                         f"{row[id_field]} year {row[year_field]}: {row[value_field]} "
                         f"({len(bad)} row(s))")
    nxt = table.groupby(id_field, sort=False)[[year_field, value_field]].shift(-1)
    gap = (nxt[year_field] - table[year_field]).astype(float)
    out = pd.DataFrame({id_field: table[id_field], year_field: table[year_field],
                        "GROWTH": np.log(nxt[value_field] / table[value_field]) / gap,
                        "LEVEL": np.log(table[value_field]), "GAP": gap})
    for name in controls:
        out[name] = table[name].to_numpy()
    return out.dropna(subset=["GROWTH"]).reset_index(drop=True)


def _clustered_ols(X: np.ndarray, y: np.ndarray, clusters: np.ndarray):
    """(coefficients, CR1 clustered standard errors, residuals, R², G)."""
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    residual = y - X @ beta
    bread = np.linalg.pinv(X.T @ X)
    codes, groups = pd.factorize(clusters)
    scores = np.zeros((len(groups), X.shape[1]))
    np.add.at(scores, codes, X * residual[:, None])
    n, k, g = X.shape[0], X.shape[1], len(groups)
    _check_counts(n, k, g)
    total = ((y - y.mean()) ** 2).sum()
    r2 = 1.0 - (residual ** 2).sum() / total if total > 0 else np.nan
    return beta, _cr1_errors(bread, scores, n, k), residual, r2, g


def _check_counts(n: int, k: int, g: int) -> None:
    if g < 2 or n <= k:
        raise InputError(f"too few observations ({n}) or units ({g}) for {k} coefficients")


def _cr1_errors(bread: np.ndarray, scores: np.ndarray, n: int, k: int) -> np.ndarray:
    """CR1 standard errors from (X'X)^-1 and the per-cluster scores X_g'e_g
    (one row per cluster): sqrt diag of bread · S'S · bread · G/(G-1) · (N-1)/(N-K)."""
    g = len(scores)
    cov = bread @ (scores.T @ scores) @ bread * (g / (g - 1)) * ((n - 1) / (n - k))
    return np.sqrt(np.diag(cov))


WITHIN_BLOCK = 1 << 18
"""Rows of the within design built at a time by :func:`_within_ols`."""


def _within_ols(growth: pd.DataFrame, units: pd.Series, year_field: str, controls: Sequence[str]):
    """(coefficients of LEVEL, controls and the non-empty year dummies, their
    CR1 clustered standard errors, within R², G) of the conditional model:
    OLS of the unit-demeaned GROWTH on the unit-demeaned LEVEL, controls and
    year dummies (first year dropped), clustered by unit.

    The demeaned design X (rows × regressors, 19 year dummies at 20 years) is
    never held whole — 760 MB at 4.75 million growth rows: it is built
    :data:`WITHIN_BLOCK` rows at a time from the unit means (of a dummy: the
    unit's share of rows in that year) and accumulated into X'X, X'y, the
    residuals' sums and the per-unit scores X_g'e_g. β solves the normal
    equations (least squares on X'X, the minimum-norm solution if X is rank
    deficient, as least squares on X itself).
    """
    n = len(growth)
    codes, groups = pd.factorize(units.to_numpy())
    g = len(groups)
    counts = np.bincount(codes, minlength=g).astype(float)
    first_codes, found = pd.factorize(growth[year_field].astype(str))
    order = np.argsort(np.asarray(found, dtype=object))  # the years as text, sorted: as pd.get_dummies
    rank = np.empty(len(found), dtype=np.intp)
    rank[order] = np.arange(len(found))
    year_codes, t = rank[first_codes], len(found)
    measured = np.column_stack([growth[name].to_numpy(float) for name in ["LEVEL", *controls]])
    p = measured.shape[1]
    measured_means = np.column_stack([pd.Series(measured[:, j]).groupby(codes).mean().to_numpy()
                                      for j in range(p)])
    shares = (np.bincount(codes * t + year_codes, minlength=g * t).reshape(g, t) / counts[:, None])[:, 1:]
    y = growth["GROWTH"].to_numpy(float)
    yd = y - pd.Series(y).groupby(codes).mean().to_numpy()[codes]

    def blocks():
        for start in range(0, n, WITHIN_BLOCK):
            rows = slice(start, min(n, start + WITHIN_BLOCK))
            unit = codes[rows]
            block = np.empty((len(unit), p + t - 1))
            block[:, :p] = measured[rows] - measured_means[unit]
            block[:, p:] = -shares[unit]
            dummy = year_codes[rows] - 1
            hit = np.flatnonzero(dummy >= 0)
            block[hit, p + dummy[hit]] += 1.0
            yield rows, unit, block

    k_all = p + t - 1
    xtx, xty, size = np.zeros((k_all, k_all)), np.zeros(k_all), np.zeros(k_all)
    for rows, _, block in blocks():
        xtx += block.T @ block
        xty += block.T @ yd[rows]
        size += np.abs(block).sum(axis=0)
    keep = size > 1e-12
    if not keep[0]:
        if counts.max() < 2:
            raise InputError("one growth period per unit (two years of data): the conditional β "
                             "with unit fixed effects is not identified; it needs at least three years")
        raise InputError("the value does not change over time within any unit: the conditional "
                         "β with unit fixed effects is not identified")
    k = int(keep.sum())
    _check_counts(n, k, g)
    xtx = xtx[np.ix_(keep, keep)]
    beta = np.linalg.lstsq(xtx, xty[keep], rcond=None)[0]
    bread = np.linalg.pinv(xtx)
    scores, squares = np.zeros((g, k)), 0.0
    for rows, unit, block in blocks():
        block = block[:, keep]
        residual = yd[rows] - block @ beta
        squares += float(residual @ residual)
        np.add.at(scores, unit, block * residual[:, None])
    total = ((yd - yd.mean()) ** 2).sum()
    r2 = 1.0 - squares / total if total > 0 else np.nan
    return beta, _cr1_errors(bread, scores, n, k), r2, g


def _speed(beta: float, gap: float):
    inside = 1.0 + beta * gap
    if not beta < 0 or inside <= 0:
        return np.nan, np.nan
    speed = -np.log(inside) / gap
    return speed, np.log(2.0) / speed


def beta_convergence(growth: pd.DataFrame, id_field: str, year_field: str, controls=(),
                     w=None, models=MODELS) -> pd.DataFrame:
    """β convergence models on :func:`growth_panel`'s table: columns MODEL,
    BETA, SE, Z (t or z), P, SPEED, HALF_LIFE, SPATIAL (ρ or λ), SPATIAL_P, N,
    UNITS, R2, FIXED_EFFECTS, SE_TYPE. ``w``: :class:`spatial.weights.SpatialWeights`
    of the units, needed for ``sar`` / ``sem``."""
    controls = list(controls)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise InputError(f"convergence model(s) {', '.join(unknown)} not among {', '.join(MODELS)}")
    if len(growth) < 3:
        raise InputError(f"β convergence needs growth rates of at least 3 unit-years; got {len(growth)}")
    missing = growth[["LEVEL", *controls]].isna().any(axis=1)
    if missing.any():
        row = growth[missing].iloc[0]
        raise InputError(f"controls are NULL for unit {row[id_field]} year {row[year_field]} "
                         f"({int(missing.sum())} row(s))")
    if np.ptp(growth["LEVEL"].to_numpy(float)) == 0:
        raise InputError("the value is the same in every unit and year: β (growth on the initial "
                         "level) is not identified")
    gap = float(growth["GAP"].median())
    rows = []
    units = growth[id_field]
    if "absolute" in models:
        X = np.column_stack([np.ones(len(growth)), growth["LEVEL"].to_numpy(float)])
        b, se, _, r2, g = _clustered_ols(X, growth["GROWTH"].to_numpy(float), units.to_numpy())
        rows.append(_row("absolute", b[1], se[1], stats.t.sf(abs(b[1] / se[1]), g - 1) * 2, gap,
                         len(growth), g, r2, "none", "cluster(unit)"))
    if "conditional" in models:
        b, se, r2, g = _within_ols(growth, units, year_field, controls)
        rows.append(_row("conditional", b[0], se[0], stats.t.sf(abs(b[0] / se[0]), g - 1) * 2, gap,
                         len(growth), g, r2, "unit, year", "cluster(unit)"))
    for model in ("sar", "sem"):
        if model in models:
            if w is None:
                raise InputError(f"the spatial model {model} needs spatial weights")
            rows.append(_spatial_model(model, growth, id_field, year_field, controls, w, gap))
    return pd.DataFrame(rows)


def _row(model, beta, se, p, gap, n, units, r2, effects, se_type, spatial=np.nan, spatial_p=np.nan):
    speed, half = _speed(beta, gap)
    return {"MODEL": model, "BETA": beta, "SE": se, "Z": beta / se, "P": p, "SPEED": speed,
            "HALF_LIFE": half, "SPATIAL": spatial, "SPATIAL_P": spatial_p, "N": n, "UNITS": units,
            "R2": r2, "FIXED_EFFECTS": effects, "SE_TYPE": se_type}


def _spatial_model(model, growth, id_field, year_field, controls, w, gap):
    """spreg's ML panel model with unit fixed effects on a balanced panel."""
    import warnings

    from .econometrics import ML_UNIT_LIMIT, dense_inverse_cost, panel_fe_ml

    if w.n > ML_UNIT_LIMIT:
        raise InputError(f"{w.n} units: the spatial {model} model is limited to {ML_UNIT_LIMIT} "
                         f"units (its standard errors need {dense_inverse_cost(w.n)})")
    ids = list(w.ids)
    wide = growth.pivot(index=id_field, columns=year_field, values="GROWTH")
    absent = [u for u in ids if u not in wide.index]
    wide = wide.reindex(index=ids)
    if absent or wide.isna().any().any():
        raise InputError(f"the spatial {model} model needs every unit's growth rate in every year "
                         "(a balanced panel); missing: "
                         + (", ".join(map(str, absent[:10])) if absent else
                            ", ".join(f"unit {u} year {t}" for u, t in
                                      wide.isna().stack()[lambda s: s].index[:10])))
    years = list(wide.columns)
    y = wide.to_numpy(float).T.ravel()  # stacked year by year
    x = np.column_stack([
        growth.pivot(index=id_field, columns=year_field, values=name)
        .reindex(index=ids, columns=years).to_numpy(float).T.ravel()
        for name in ["LEVEL", *controls]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = panel_fe_ml("lag" if model == "sar" else "error", y, x,
                             w.with_transform("r").sparse, len(years))
    se_all = np.sqrt(np.diag(fitted.vm))
    p_all = 2 * stats.norm.sf(np.abs(fitted.betas / se_all))
    beta, se, p = float(fitted.betas[0]), float(se_all[0]), float(p_all[0])  # ln y first
    spatial, spatial_p = float(fitted.betas[-1]), float(p_all[-1])  # the spatial parameter last
    r2 = float("nan")  # spreg's panel ML models give no pseudo R2
    return _row(model, beta, se, float(p), gap, y.size, len(ids), r2, "unit", "ML",
                spatial, float(spatial_p))
