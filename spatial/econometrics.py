"""Spatial econometric models of a target on drivers (spreg): OLS with spatial
diagnostics, SAR, SEM and SDM by maximum likelihood, on a cross-section or on a
balanced panel with unit or two-way fixed effects; direct, indirect and total
effects with simulated standard errors; Wald and LR tests of the SDM.

Models (W the spatial weights, i the units, t the years):

- OLS  ``y = X b + e``
- SAR  ``y = rho W y + X b + e``
- SEM  ``y = X b + u,  u = lambda W u + e``
- SDM  ``y = rho W y + X b + W X theta + e``

Cross-sections use ``spreg.OLS`` (with Moran's I of the residuals, LM-lag,
LM-error, their robust forms and LM-SARMA; Anselin 1988, Anselin et al. 1996),
``spreg.ML_Lag`` and ``spreg.ML_Error``. Panels use ``spreg.ML_LagFE`` and
``spreg.ML_ErrorFE`` (Elhorst 2003): unit fixed effects by demeaning within
units; two-way effects add year dummies (after the within transform this is
the two-way within estimator, and exact also where rows of W do not sum to
one). The SDM is the SAR with the spatially lagged drivers ``W X`` added
(named ``W_<driver>``). The panel OLS and its LM tests are computed here
(spreg's panel LM functions build dense NT×NT matrices): the within (LSDV)
estimator and, on its residuals e with sigma^2 = e'e/NT and T_W = tr(W'W + WW),
LM-error = (e'We/sigma^2)^2 / (T T_W), LM-lag = (e'Wy/sigma^2)^2 / J,
J = [(WXb)'M(WXb)/sigma^2 + T T_W] (Anselin, Le Gallo & Jayet 2008; Elhorst
2014, ch. 3), with the robust forms of Anselin et al. (1996); for T = 1 they
are the cross-section tests (the tests check this against spreg.OLS).

Effects (LeSage & Pace 2009, ch. 2.7): ``S_k(W) = (I - rho W)^{-1} (b_k I + theta_k W)``;
direct = mean of the diagonal of S_k, total = mean row sum, indirect = total -
direct. They are computed from the eigen-decomposition W = V diag(l) V^{-1}:
mean diag (I - rho W)^{-1} W^p = (1/n) sum_i l_i^p / (1 - rho l_i) and mean
row sum = (1/n) sum_i c_i l_i^p / (1 - rho l_i), c_i = (1'V)_i (V^{-1}1)_i.
Beyond :data:`EIGEN_UNIT_LIMIT` units the eigen-decomposition (O(n³)) is
replaced by the power series of (I - rho W)^{-1} with exact traces of W and
W² ... W⁴ and Monte Carlo traces of the higher powers (:class:`TraceSpectrum`,
Barry & Pace 1999; LeSage & Pace 2009, sec. 4.1): O(nnz × powers × 100),
relative error of the mean diagonal about 1e-3 (the tests bound it).
Standard errors: the spread of the effects over ``draws`` parameter vectors
drawn from the estimated asymptotic normal distribution of (b, theta, rho)
(LeSage & Pace 2009, p. 39), seeded. The point estimates are the effects at
the ML estimates.

Tests of the SDM (Elhorst 2014, sec. 2.9): theta = 0 (SDM reduces to SAR) and
theta + rho b = 0 (common factor: SDM reduces to SEM), each as a Wald test
(delta method for the second) and as an LR test against the fitted SAR / SEM.

Cost: the ML fits need the log-determinant ln|I - rho W| at every step of
the search, from a sparse LU (spreg's method="LU"; panels: spreg's own
sparse LU too), but their standard errors need the dense inverse of
(I - rho W): O(n^3) time and 8 n^2 bytes once per model (the panel SAR and
SEM refitted for the SDM's LR tests skip it), about 2 s at 2,500 units;
more than :data:`ML_UNIT_LIMIT` units are refused.

References: Anselin (1988), Spatial Econometrics: Methods and Models;
Anselin, Bera, Florax & Yoon (1996), Regional Science and Urban Economics
26:77–104; Elhorst (2003), International Regional Science Review 26(3):244–268;
Anselin, Le Gallo & Jayet (2008), in The Econometrics of Panel Data, ch. 19;
LeSage & Pace (2009), Introduction to Spatial Econometrics; Elhorst (2014),
Spatial Econometrics: From Cross-Sectional Data to Spatial Panels; Rey &
Anselin (2010), spreg in PySAL.
"""

import contextlib
import io
import warnings
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError
from .weights import SpatialWeights

MODELS = ("ols", "sar", "sem", "sdm")
FIXED_EFFECTS = ("none", "unit", "twoway")
#: ML models on more units are refused: dense n×n inverse and eigenvalues.
ML_UNIT_LIMIT = 5000


def dense_inverse_cost(n: int) -> str:
    """Why ML spatial models stop at :data:`ML_UNIT_LIMIT`, for the messages
    that refuse ``n`` units: the dense n×n inverse's memory and operations."""
    return f"the dense inverse of an n×n matrix, ~{8e-9 * n * n:.1f} GB and n³ operations"


@dataclass
class SpatialRegressionResult:
    """COEFFICIENTS (``TERM``, ``COEF``, ``SE``, ``Z``, ``P``), EFFECTS (``DRIVER``,
    ``DIRECT``, ``INDIRECT``, ``TOTAL`` each with ``_SE`` and ``_P``) and
    DIAGNOSTICS (``TEST``, ``VALUE``, ``DF``, ``P``) of one model."""

    model: str
    fixed_effects: str
    coefficients: pd.DataFrame
    effects: pd.DataFrame
    diagnostics: pd.DataFrame
    notes: List[str] = field(default_factory=list)


@dataclass
class PanelArrays:
    """y (NT), X (NT × k) stacked year by year, units in the weights' order."""

    y: np.ndarray
    x: np.ndarray
    units: list
    years: list

    @property
    def n(self) -> int:
        return len(self.units)

    @property
    def t(self) -> int:
        return len(self.years)


def panel_arrays(df: pd.DataFrame, id_field: str, year_field: str, target: str,
                 drivers: Sequence[str], w: SpatialWeights) -> PanelArrays:
    """The target and drivers of a balanced panel as arrays stacked year by year,
    the units of each year in the order of ``w.ids``.

    Raises InputError for a missing field, text, NULL or infinite values, a
    duplicate (unit, year), units not in the weights (or weights units without
    rows) and missing unit-years, naming them.
    """
    from .panel import check_keys, numeric_values, require_fields

    require_fields(df, [id_field, year_field, target, *drivers])
    check_keys(df, id_field, year_field)
    values = numeric_values(df, [target, *drivers], id_field, year_field)
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        row, column = np.argwhere(bad)[0]
        count = int(bad.any(axis=1).sum())
        raise InputError(
            f"field {values.columns[column]!r} is empty or infinite for unit "
            f"{df[id_field].iloc[row]} year {df[year_field].iloc[row]} ({count} row(s) in all); "
            "spatial regressions need complete rows")
    if np.ptp(values[target].to_numpy()) == 0:
        raise InputError(f"target {target!r} is constant ({values[target].iloc[0]:g}) in every unit "
                         "and year: nothing to explain")
    ids = set(df[id_field])
    unknown = [u for u in pd.unique(df[id_field]) if u not in set(w.ids)]
    if unknown:
        raise InputError(f"{len(unknown)} unit(s) of the table are not in the weights: "
                         + ", ".join(map(str, unknown[:10])))
    absent = [u for u in w.ids if u not in ids]
    if absent:
        raise InputError(f"{len(absent)} unit(s) of the weights have no rows: "
                         + ", ".join(map(str, absent[:10])))
    years = sorted(pd.unique(df[year_field]))
    table = pd.concat([df[[id_field, year_field]], values], axis=1)
    full = pd.MultiIndex.from_product([years, list(w.ids)], names=[year_field, id_field])
    stacked = table.set_index([year_field, id_field]).reindex(full)
    missing = stacked[target].isna().to_numpy()
    if missing.any():
        where = [f"unit {u} year {y}" for y, u in stacked.index[missing][:10]]
        raise InputError(f"the panel is not balanced: {int(missing.sum())} unit-year(s) have no "
                         "row: " + ", ".join(where))
    return PanelArrays(stacked[target].to_numpy(), stacked[list(drivers)].to_numpy(),
                       list(w.ids), list(years))


def lagged(w: SpatialWeights, x: np.ndarray, t: int) -> np.ndarray:
    """(I_T ⊗ W) x for x stacked year by year (n rows per year)."""
    n = w.n
    blocks = x.reshape((t, n) + x.shape[1:])
    return np.concatenate([w.sparse @ block for block in blocks], axis=0)


def within(x: np.ndarray, n: int, t: int, twoway: bool) -> np.ndarray:
    """x minus unit means (and, two-way, minus year means plus the grand mean)."""
    cube = x.reshape((t, n) + x.shape[1:])
    result = cube - cube.mean(axis=0, keepdims=True)
    if twoway:
        result = result - cube.mean(axis=1, keepdims=True) + cube.mean(axis=(0, 1), keepdims=True)
    return result.reshape(x.shape)


def _chi2(value, df):
    return float(stats.chi2.sf(value, df)) if np.isfinite(value) else float("nan")


def lm_tests(e: np.ndarray, y: np.ndarray, x: np.ndarray, w: SpatialWeights, t: int) -> Dict:
    """LM-lag, LM-error, their robust forms and LM-SARMA from OLS residuals ``e``
    of ``y`` on ``x`` (both already demeaned for fixed effects), as
    ``{name: (statistic, p)}`` (formulas in the module docstring)."""
    nt = e.shape[0]
    sigma2 = float(e @ e) / nt
    ws = w.sparse
    trace = float(ws.multiply(ws).sum() + ws.multiply(ws.T).sum())  # tr(W'W) + tr(WW)
    wy = lagged(w, y, t)
    we = lagged(w, e, t)
    b = np.linalg.lstsq(x, y, rcond=None)[0]
    wxb = lagged(w, x @ b, t)
    residual = wxb - x @ np.linalg.lstsq(x, wxb, rcond=None)[0]
    j = float(residual @ residual) / sigma2 + t * trace
    lag_score = float(e @ wy) / sigma2
    error_score = float(e @ we) / sigma2
    tt = t * trace
    lm_lag = lag_score ** 2 / j
    lm_error = error_score ** 2 / tt
    robust_lag = (lag_score - error_score) ** 2 / (j - tt)
    robust_error = (error_score - tt / j * lag_score) ** 2 / (tt * (1 - tt / j))
    sarma = robust_lag + lm_error
    return {"LM_LAG": (lm_lag, _chi2(lm_lag, 1)),
            "ROBUST_LM_LAG": (robust_lag, _chi2(robust_lag, 1)),
            "LM_ERROR": (lm_error, _chi2(lm_error, 1)),
            "ROBUST_LM_ERROR": (robust_error, _chi2(robust_error, 1)),
            "LM_SARMA": (sarma, _chi2(sarma, 2))}


@dataclass
class Spectrum:
    """Eigenvalues l of W and the weights c_i = (1'V)_i (V^{-1} 1)_i of its
    eigenvectors, for the effects (module docstring). ``row_weights`` is None
    when every row of W sums to one: then W^p 1 = 1 and the mean row sum of
    (I - rho W)^{-1} W^p is 1 / (1 - rho), without eigenvectors."""

    values: np.ndarray
    row_weights: Optional[np.ndarray]

    def mean_diagonal(self, rho: np.ndarray, power: int) -> np.ndarray:
        """(1/n) tr[(I - rho W)^{-1} W^power] for each rho."""
        rho = np.atleast_1d(rho)[:, None]
        return np.real((self.values ** power / (1 - rho * self.values)).mean(axis=1))

    def mean_row_sum(self, rho: np.ndarray, power: int) -> np.ndarray:
        """(1/n) 1'(I - rho W)^{-1} W^power 1 for each rho."""
        rho = np.atleast_1d(rho)
        if self.row_weights is None:
            return 1.0 / (1.0 - rho)
        terms = self.row_weights * self.values ** power / (1 - rho[:, None] * self.values)
        return np.real(terms.sum(axis=1)) / self.values.shape[0]


def spectrum(w: SpatialWeights) -> Spectrum:
    """Eigen-decomposition of the transformed weights. Row-standardised symmetric
    weights are similar to the symmetric D^{-1/2} A D^{-1/2} (real eigenvalues,
    ``eigh``); anything else uses the general ``eig``. Eigenvectors are only
    computed when some row of W does not sum to one (islands, binary weights)."""
    original = w.original.toarray()
    n = w.n
    ones = np.ones(n)
    stochastic = bool(np.allclose(np.asarray(w.sparse.sum(axis=1)).ravel(), 1.0))
    if np.allclose(original, original.T):
        if w.transform == "r":
            degree = original.sum(axis=1)
            degree[degree == 0] = 1.0
            root = np.sqrt(degree)
            symmetric = original / root[:, None] / root[None, :]
            if stochastic:
                return Spectrum(np.linalg.eigvalsh(symmetric), None)
            values, u = np.linalg.eigh(symmetric)
            left = (ones / root) @ u          # 1'V with V = D^{-1/2} U
            right = u.T @ (root * ones)      # V^{-1} 1 = U' D^{1/2} 1
        else:
            values, u = np.linalg.eigh(original)
            left, right = ones @ u, u.T @ ones
        return Spectrum(values, left * right)
    dense = w.sparse.toarray()
    if stochastic:
        return Spectrum(np.linalg.eigvals(dense), None)
    values, vectors = np.linalg.eig(dense)
    left = ones @ vectors
    right = np.linalg.solve(vectors, ones)
    return Spectrum(values, left * right)


#: Beyond this many units the effects use traces (:class:`TraceSpectrum`), not eigenvalues.
EIGEN_UNIT_LIMIT = 1000
#: Random probe vectors for the Monte Carlo traces of W^j, j >= 5 (Barry & Pace 1999).
TRACE_PROBES = 200
#: Highest power of W in the series of (I - rho W)^{-1}.
TRACE_MAX_ORDER = 1000


@dataclass
class TraceSpectrum:
    """The effects' means from the power series (I - rho W)^{-1} = sum_j rho^j W^j
    (LeSage & Pace 2009, sec. 4.1): (1/n) tr[(I - rho W)^{-1} W^p] =
    sum_j rho^j t_{j+p} with t_j = tr(W^j) / n, and the mean row sum from
    r_j = 1'W^j 1 / n. t_0 = 1, t_1, t_2 = sum(W ∘ W') / n, t_3 = sum(W² ∘ W') / n
    and t_4 = sum(W² ∘ W²') / n are exact (W² stays sparse), t_j for
    j >= 5 are Monte Carlo estimates u'W^j u / n averaged over seeded
    Rademacher vectors u (Barry & Pace 1999, Linear Algebra Appl. 289:41–54;
    LeSage & Pace's ``ntrace``); r_j are exact (repeated products W^j 1).
    Costs ``TRACE_PROBES`` (200) sparse products per power, O(nnz) each, instead of
    the O(n³) eigen-decomposition. Written here: spreg's ``spmultiplier``
    "power" forms W^j itself (filling in towards n² entries)."""

    traces: np.ndarray
    row_sums: Optional[np.ndarray]
    low: float = -1.0
    high: float = 1.0

    def _series(self, coefficients, rho, power):
        rho = np.atleast_1d(np.asarray(rho, dtype=float))
        order = coefficients.shape[0] - power
        powers = rho[:, None] ** np.arange(order)[None, :]
        return powers @ coefficients[power:]

    def mean_diagonal(self, rho, power: int) -> np.ndarray:
        """(1/n) tr[(I - rho W)^{-1} W^power] for each rho."""
        return self._series(self.traces, rho, power)

    def mean_row_sum(self, rho, power: int) -> np.ndarray:
        """(1/n) 1'(I - rho W)^{-1} W^power 1 for each rho."""
        if self.row_sums is None:
            return 1.0 / (1.0 - np.atleast_1d(np.asarray(rho, dtype=float)))
        return self._series(self.row_sums, rho, power)


def trace_spectrum(w: SpatialWeights, max_abs_rho: float = 0.99, seed: int = 0) -> TraceSpectrum:
    """:class:`TraceSpectrum` of the transformed weights, with enough powers that
    |rho|^order < 1e-10 for |rho| <= ``max_abs_rho`` (at most ``TRACE_MAX_ORDER``)."""
    ws = w.sparse.tocsr()
    n = w.n
    stochastic = bool(np.allclose(np.asarray(ws.sum(axis=1)).ravel(), 1.0))
    radius = 1.0 if stochastic else float(abs(ws).sum(axis=1).max())  # bounds |l| of W
    rate = min(max(abs(max_abs_rho) * radius, 1e-3), 0.999)
    order = int(min(TRACE_MAX_ORDER, max(10, np.ceil(np.log(1e-10) / np.log(rate))))) + 2
    rng = np.random.default_rng(seed)
    probes = rng.choice([-1.0, 1.0], size=(n, TRACE_PROBES))
    traces = np.empty(order)
    traces[0] = 1.0
    traces[1] = ws.diagonal().sum() / n
    traces[2] = ws.multiply(ws.T).sum() / n
    square = (ws @ ws).tocsr()
    exact = {3: square.multiply(ws.T).sum() / n, 4: square.multiply(square.T).sum() / n}
    current = probes
    for j in range(1, order):
        current = ws @ current
        if j in exact:
            traces[j] = exact[j]
        elif j >= 3:
            traces[j] = float(np.einsum("ij,ij->", probes, current)) / (n * TRACE_PROBES)
    row_sums = None
    if not stochastic:
        row_sums = np.empty(order)
        vector = np.ones(n)
        for j in range(order):
            row_sums[j] = vector.sum() / n
            vector = ws @ vector
    return TraceSpectrum(traces, row_sums, -1.0 / radius, 1.0 / radius)


def effects_table(drivers: Sequence[str], beta: np.ndarray, theta: np.ndarray, rho: float,
                  cov: np.ndarray, spec, draws: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Direct, indirect and total effects of each driver with simulated SEs.

    ``cov`` is the covariance of (beta, theta, rho) in that order (theta empty
    for the SAR). Draws with rho outside (1/l_min, 1/l_max) are redrawn.
    """
    k = len(drivers)
    theta = np.zeros(k) if theta is None or len(theta) == 0 else np.asarray(theta)
    has_theta = cov.shape[0] == 2 * k + 1

    def compute(b, th, r):
        direct = b * spec.mean_diagonal(r, 0)[:, None] + th * spec.mean_diagonal(r, 1)[:, None]
        total = b * spec.mean_row_sum(r, 0)[:, None] + th * spec.mean_row_sum(r, 1)[:, None]
        return direct, total - direct, total

    point = compute(beta[None, :], theta[None, :], np.array([rho]))
    centre = np.concatenate([beta, theta if has_theta else [], [rho]])
    if isinstance(spec, TraceSpectrum):
        low, high = spec.low, spec.high
    else:
        real = np.real(spec.values)
        low = 1.0 / real.min() if real.min() < 0 else -np.inf
        high = 1.0 / real.max()
    rng = np.random.default_rng(seed)
    kept = np.empty((0, centre.shape[0]))
    for _ in range(20):
        sample = rng.multivariate_normal(centre, cov, size=draws, method="eigh")
        ok = (sample[:, -1] > low) & (sample[:, -1] < high)
        kept = np.vstack([kept, sample[ok]])
        if kept.shape[0] >= draws:
            break
    kept = kept[:draws]
    b, r = kept[:, :k], kept[:, -1]
    th = kept[:, k:2 * k] if has_theta else np.zeros_like(b)
    simulated = compute(b, th, r)
    table = {"DRIVER": list(drivers)}
    for name, estimate, sims in zip(("DIRECT", "INDIRECT", "TOTAL"), point, simulated):
        se = sims.std(axis=0, ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = estimate[0] / se
        table[name] = estimate[0]
        table[name + "_SE"] = se
        table[name + "_Z"] = z
        table[name + "_P"] = 2 * stats.norm.sf(np.abs(z))
    return pd.DataFrame(table)


def _coefficients(names, betas, vm, t_dist_df=None):
    betas = np.asarray(betas, dtype=float).ravel()
    se = np.sqrt(np.clip(np.diag(vm), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = betas / se
    if t_dist_df is None:
        p = 2 * stats.norm.sf(np.abs(z))
    else:
        p = 2 * stats.t.sf(np.abs(z), t_dist_df)
    return pd.DataFrame({"TERM": list(names), "COEF": betas, "SE": se, "Z": z, "P": p})


def _no_spillover_effects(coefficients: pd.DataFrame, drivers) -> pd.DataFrame:
    rows = coefficients.set_index("TERM").loc[list(drivers)]
    nan = np.full(len(drivers), np.nan)
    zero = np.zeros(len(drivers))
    return pd.DataFrame({
        "DRIVER": list(drivers),
        "DIRECT": rows["COEF"].to_numpy(), "DIRECT_SE": rows["SE"].to_numpy(),
        "DIRECT_Z": rows["Z"].to_numpy(), "DIRECT_P": rows["P"].to_numpy(),
        "INDIRECT": zero, "INDIRECT_SE": nan, "INDIRECT_Z": nan, "INDIRECT_P": nan,
        "TOTAL": rows["COEF"].to_numpy(), "TOTAL_SE": rows["SE"].to_numpy(),
        "TOTAL_Z": rows["Z"].to_numpy(), "TOTAL_P": rows["P"].to_numpy()})


class _Diagnostics:
    def __init__(self):
        self.rows = []

    def add(self, test, value, df=np.nan, p=np.nan):
        self.rows.append((test, float(value), float(df), float(p)))

    def table(self):
        return pd.DataFrame(self.rows, columns=["TEST", "VALUE", "DF", "P"])


@contextlib.contextmanager
def _quiet():
    """spreg's warnings and the lines some of its classes print, kept out of the core."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


@dataclass
class PanelML:
    """One ML fit of a fixed-effects spatial panel model: ``betas`` (drivers, then
    rho / lambda), their covariance ``vm``, the log-likelihood and sigma^2."""

    betas: np.ndarray
    vm: np.ndarray
    logll: float
    sig2: float


def panel_fe_ml(kind: str, y: np.ndarray, x: np.ndarray, w_sparse, t: int,
                epsilon: float = 1e-7, covariance: bool = True) -> PanelML:
    """Elhorst's (2003) ML spatial lag (``kind`` "lag") or error ("error") model with
    unit fixed effects on y (NT) and x (NT × k) stacked year by year.

    The estimator of ``spreg.ML_LagFE`` / ``spreg.ML_ErrorFE`` (spreg 1.9,
    panel.py) step for step — demeaning by unit, the concentrated
    log-likelihood ``-(NT/2) ln(e'e/NT) + T ln|I - rho W|`` with the
    log-determinant from the sparse LU of I - rho W, minimised by the same
    bounded Brent search; the information matrix of the coefficients with
    A = (I - rho W)^{-1}: tr(WA), tr(WAWA), tr((WA)'WA) and the terms in
    (I_T ⊗ WA) Xb. Written here because spreg forms (I_T ⊗ WA) and
    (I_T ⊗ (WA)'WA) as sparse Kronecker products of dense n×n matrices
    (T n² entries: 1.3 GB each and most of the run time at 2,500 units × 13
    years) and multiplies A by itself twice (2 n³); here WA x is applied year
    by year and the traces are elementwise sums, O(n²), leaving the one dense
    inverse (n³), skipped with ``covariance`` False (``vm`` is then None:
    the LR tests need only the likelihood). The tests check every number
    against spreg.
    """
    from scipy import sparse
    from scipy.optimize import minimize_scalar
    from scipy.sparse.linalg import splu

    nt = y.shape[0]
    n = nt // t
    x = np.asarray(x, dtype=float).reshape(nt, -1)
    k = x.shape[1]
    yd = within(np.asarray(y, dtype=float).ravel(), n, t, False)
    xd = within(x, n, t, False)
    w_sparse = sparse.csr_matrix(w_sparse)
    identity = sparse.identity(n, format="csc")

    def by_year(matrix, v):
        blocks = v.reshape((t, n) + v.shape[1:])
        return np.concatenate([matrix @ block for block in blocks], axis=0)

    def log_det(r):
        lu = splu(sparse.csc_matrix(identity - r * w_sparse))
        return float(np.sum(np.log(np.abs(lu.U.diagonal()))))

    ylag = by_year(w_sparse, yd)
    if kind == "lag":
        xtx = xd.T @ xd
        xtxi = np.linalg.inv(xtx)
        b0 = xtxi @ (xd.T @ yd)
        b1 = xtxi @ (xd.T @ ylag)
        e0, e1 = yd - xd @ b0, ylag - xd @ b1

        def objective(r):
            er = e0 - r * e1
            return nt / 2.0 * np.log(float(er @ er) / nt) - t * log_det(r)

        bounds = (-0.99, 0.99)
    else:
        xlag = by_year(w_sparse, xd)

        def objective(r):
            ys, xs = yd - r * ylag, xd - r * xlag
            coef = np.linalg.lstsq(xs, ys, rcond=None)[0]
            resid = ys - xs @ coef
            return nt / 2.0 * np.log(float(resid @ resid) / nt) - t * log_det(r)

        bounds = (-1.0, 1.0)
    found = minimize_scalar(objective, 0.0, bounds=bounds, method="bounded",
                            options={"xatol": epsilon})
    r = float(np.ravel(found.x)[0])
    logll = -float(found.fun) - nt / 2.0 * (np.log(2.0 * np.pi) + 1.0)
    if not covariance:
        return PanelML(np.array([r]), None, logll, float("nan"))
    a = np.linalg.inv(np.eye(n) - r * w_sparse.toarray())
    wa = np.asarray(w_sparse @ a)
    tr1 = float(np.trace(wa))
    tr2 = float(np.sum(wa * wa.T))  # tr(WA WA)
    tr3 = float(np.sum(wa * wa))  # tr((WA)'WA)
    if kind == "lag":
        b = b0 - r * b1
        u = e0 - r * e1
        sig2 = float(u @ u) / nt
        wpredy = by_year(wa, xd @ b)
        xtw = xd.T @ wpredy
        v = np.zeros((k + 2, k + 2))
        v[:k, :k] = xtx / sig2
        v[:k, k] = v[k, :k] = xtw / sig2
        v[k, k] = t * (tr2 + tr3) + float(wpredy @ wpredy) / sig2
        v[k, k + 1] = v[k + 1, k] = t * tr1 / sig2
        v[k + 1, k + 1] = nt / (2.0 * sig2 ** 2)
        vm = np.linalg.inv(v)[:-1, :-1]
    else:
        xs = xd - r * xlag
        xsxsi = np.linalg.inv(xs.T @ xs)
        b = xsxsi @ (xs.T @ (yd - r * ylag))
        u = yd - xd @ b
        filtered = u - r * by_year(w_sparse, u)
        sig2 = float(filtered @ filtered) / nt
        info = np.array([[t * (tr2 + tr3), t * tr1 / sig2], [t * tr1 / sig2, nt / (2.0 * sig2 ** 2)]])
        vm = np.zeros((k + 1, k + 1))
        vm[:k, :k] = sig2 * xsxsi
        vm[k, k] = np.linalg.inv(info)[0, 0]
    return PanelML(np.append(b, r), vm, logll, sig2)


def _fit_ml(kind, y, x, names, lw, panel, covariance=True):
    """(betas, vm, log-likelihood, sigma2, pseudo R2 or nan, names) of one spreg ML fit."""
    import spreg

    y = y.reshape(-1, 1)
    with _quiet():
        if panel:
            model = panel_fe_ml(kind, y.ravel(), x, lw.sparse, y.shape[0] // lw.n,
                                covariance=covariance)
            if not covariance:
                return None, None, model.logll, None, np.nan, None
            terms = list(names)
        else:
            if kind == "lag":
                model = spreg.ML_Lag(y, x, lw, method="LU", spat_diag=False, spat_impacts=None,
                                     name_x=list(names))
            else:
                model = spreg.ML_Error(y, x, lw, method="LU", name_x=list(names))
            terms = ["CONSTANT"] + list(names)
    terms = terms + (["W_Y (rho)"] if kind == "lag" else ["W_U (lambda)"])
    pr2 = float(getattr(model, "pr2", np.nan))
    return (np.asarray(model.betas, dtype=float).ravel(), np.asarray(model.vm, dtype=float),
            float(np.ravel(model.logll)[0]), float(np.ravel(model.sig2)[0]), pr2, terms)


def spatial_regression(df: pd.DataFrame, target: str, drivers: Sequence[str], w: SpatialWeights,
                       id_field: str, year_field: str, model: str = "ols",
                       fixed_effects: str = "none", draws: int = 1000,
                       seed: int = 0) -> SpatialRegressionResult:
    """One spatial regression of ``target`` on ``drivers`` (module docstring).

    ``fixed_effects`` ``none`` needs a cross-section (one year in ``df``);
    ``unit`` and ``twoway`` a balanced panel of at least two years. The
    diagnostics always include the OLS LM tests (the specific-to-general
    choice between SAR and SEM) and, for the SDM, its Wald and LR tests.
    """
    if model not in MODELS:
        raise InputError(f"unknown model {model!r}; use one of {', '.join(MODELS)}")
    if fixed_effects not in FIXED_EFFECTS:
        raise InputError(f"unknown fixed effects {fixed_effects!r}; use one of "
                         + ", ".join(FIXED_EFFECTS))
    drivers = list(drivers)
    if not drivers:
        raise InputError("give at least one driver")
    if target in drivers or len(set(drivers)) < len(drivers):
        raise InputError("the target and each driver must be different fields")
    arrays = panel_arrays(df, id_field, year_field, target, drivers, w)
    n, t = arrays.n, arrays.t
    panel = fixed_effects != "none"
    if not panel and t > 1:
        raise InputError(f"{t} years in the table: a cross-section model (FIXED_EFFECTS 'none') "
                         "takes one year; choose a year or unit / two-way fixed effects")
    if panel and t < 2:
        raise InputError("fixed effects need at least two years of data")
    if model != "ols" and n > ML_UNIT_LIMIT:
        raise InputError(
            f"{n} units: maximum-likelihood spatial models are limited to {ML_UNIT_LIMIT} units "
            f"(their standard errors need {dense_inverse_cost(n)}); use OLS with its LM "
            "diagnostics or aggregate the units")
    notes = []
    if w.islands:
        notes.append(f"{len(w.islands)} unit(s) without neighbours: their spatial lag is 0")
    y, x = arrays.y, arrays.x
    wx = lagged(w, x, t)
    lag_names = [f"W_{name}" for name in drivers]
    dummies, dummy_names = np.empty((n * t, 0)), []
    if fixed_effects == "twoway":
        dummies = np.kron(np.eye(t)[:, 1:], np.ones((n, 1)))
        dummy_names = [f"YEAR_{year}" for year in arrays.years[1:]]
    for column, name in zip(np.hstack([x, wx]).T, drivers + lag_names):
        check = within(column, n, t, fixed_effects == "twoway") if panel else column - column.mean()
        if np.allclose(check, 0) and (name in drivers or model == "sdm"):
            raise InputError(f"driver {name!r} does not vary "
                             + ("within units over the years" if panel else "across units")
                             + ": it cannot be estimated" + (" with fixed effects" if panel else ""))
    if not panel:
        _check_cross_section(model, x, wx, drivers)
    diagnostics = _Diagnostics()
    diagnostics.add("N", n * t)
    diagnostics.add("UNITS", n)
    diagnostics.add("YEARS", t)
    lw = w.to_libpysal()
    ols_coefficients, ols_loglik = _ols(y, x, drivers, w, lw, n, t, fixed_effects, diagnostics)
    if model == "ols":
        return SpatialRegressionResult(model, fixed_effects, ols_coefficients,
                                       _no_spillover_effects(ols_coefficients, drivers),
                                       diagnostics.table(), notes)

    def design(with_lags):
        columns = [x] + ([wx] if with_lags else []) + [dummies]
        return np.hstack(columns), drivers + (lag_names if with_lags else []) + dummy_names

    kind = "error" if model == "sem" else "lag"
    xm, names = design(model == "sdm")
    betas, vm, loglik, sigma2, pr2, terms = _fit_ml(kind, y, xm, names, lw, panel)
    shown = [i for i, term in enumerate(terms) if term not in dummy_names]
    coefficients = _coefficients([terms[i] for i in shown], betas[shown], vm[np.ix_(shown, shown)])
    spatial_parameter = betas[-1]
    diagnostics.add("LOG_LIKELIHOOD", loglik)
    k_params = betas.shape[0]  # as spreg and GeoDa: sigma2 and fixed effects not counted
    diagnostics.add("AIC", -2 * loglik + 2 * k_params)
    diagnostics.add("SCHWARZ", -2 * loglik + k_params * np.log(n * t))
    diagnostics.add("SIGMA2", sigma2)
    if np.isfinite(pr2):
        diagnostics.add("PSEUDO_R2", pr2)
    lr = 2 * (loglik - ols_loglik)
    diagnostics.add("LR_RHO" if kind == "lag" else "LR_LAMBDA", lr, 1, _chi2(lr, 1))
    if kind == "error":
        effects = _no_spillover_effects(coefficients, drivers)
    else:
        position = {term: i for i, term in enumerate(terms)}
        index_b = [position[d] for d in drivers]
        index_t = [position[d] for d in lag_names] if model == "sdm" else []
        index = index_b + index_t + [len(terms) - 1]
        effects = effects_table(drivers, betas[index_b], betas[index_t] if index_t else None,
                                spatial_parameter, vm[np.ix_(index, index)],
                                (spectrum(w) if n <= EIGEN_UNIT_LIMIT else trace_spectrum(
                                    w, abs(spatial_parameter) + 6 * np.sqrt(vm[-1, -1]), seed)),
                                draws=draws, seed=seed)
    if model == "sdm":
        _sdm_tests(diagnostics, betas, vm, terms, drivers, lag_names, loglik, y, x, dummies,
                   drivers + dummy_names, lw, panel)
    return SpatialRegressionResult(model, fixed_effects, coefficients, effects,
                                   diagnostics.table(), notes)


def _check_cross_section(model, x, wx, drivers):
    """InputError when one year's units are too few for the model's parameters
    or its design (constant, drivers, for the SDM their lags) is collinear."""
    n = x.shape[0]
    design = np.column_stack([np.ones(n), x] + ([wx] if model == "sdm" else []))
    parameters = design.shape[1] + (model != "ols")
    if n < parameters + 2:
        raise InputError(f"{n} units: too few for the {model.upper()} cross-section "
                         f"with {parameters} parameters; it needs at least {parameters + 2} units")
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise InputError(f"the drivers {', '.join(drivers)}"
                         + (" and their spatial lags" if model == "sdm" else "")
                         + " are collinear across the units (one is a linear "
                         "combination of the others and the constant): drop one")


def _sdm_tests(diagnostics, betas, vm, terms, drivers, lag_names, loglik, y, x, dummies, names,
               lw, panel):
    """Wald and LR tests of theta = 0 (SAR) and theta + rho b = 0 (SEM)."""
    position = {term: i for i, term in enumerate(terms)}
    k = len(drivers)
    ib = [position[d] for d in drivers]
    it = [position[d] for d in lag_names]
    ir = len(terms) - 1
    theta, beta, rho = betas[it], betas[ib], betas[ir]
    wald_sar = float(theta @ np.linalg.solve(vm[np.ix_(it, it)], theta))
    diagnostics.add("WALD_SDM_TO_SAR", wald_sar, k, _chi2(wald_sar, k))
    index = ib + it + [ir]
    g = theta + rho * beta
    jac = np.hstack([rho * np.eye(k), np.eye(k), beta[:, None]])
    wald_sem = float(g @ np.linalg.solve(jac @ vm[np.ix_(index, index)] @ jac.T, g))
    diagnostics.add("WALD_SDM_TO_SEM", wald_sem, k, _chi2(wald_sem, k))
    xr = np.hstack([x, dummies])
    sar_loglik = _fit_ml("lag", y, xr, names, lw, panel, covariance=False)[2]
    sem_loglik = _fit_ml("error", y, xr, names, lw, panel, covariance=False)[2]
    lr_sar, lr_sem = 2 * (loglik - sar_loglik), 2 * (loglik - sem_loglik)
    diagnostics.add("LR_SDM_TO_SAR", lr_sar, k, _chi2(lr_sar, k))
    diagnostics.add("LR_SDM_TO_SEM", lr_sem, k, _chi2(lr_sem, k))


def _ols(y, x, drivers, w, lw, n, t, fixed_effects, diagnostics):
    """OLS coefficients and its log-likelihood; adds fit and LM rows to ``diagnostics``.

    Cross-section: spreg.OLS with its spatial diagnostics. Panel: the within
    estimator, with degrees of freedom NT - N - k (two-way: - (T - 1) more).
    """
    if fixed_effects == "none":
        import spreg

        with _quiet():
            ols = spreg.OLS(y[:, None], x, w=lw, spat_diag=True, moran=True,
                            name_x=list(drivers))
        coefficients = _coefficients(["CONSTANT"] + list(drivers), ols.betas, ols.vm,
                                     t_dist_df=n - ols.k)
        loglik = float(ols.logll)
        diagnostics.add("R2", ols.r2)
        diagnostics.add("ADJ_R2", ols.ar2)
        diagnostics.add("F", ols.f_stat[0], ols.k - 1, ols.f_stat[1])
        diagnostics.add("OLS_LOG_LIKELIHOOD", loglik)
        diagnostics.add("OLS_AIC", ols.aic)
        diagnostics.add("OLS_SCHWARZ", ols.schwarz)
        diagnostics.add("CONDITION_NUMBER", ols.mulColli)
        diagnostics.add("JARQUE_BERA", ols.jarque_bera["jb"], ols.jarque_bera["df"],
                        ols.jarque_bera["pvalue"])
        diagnostics.add("BREUSCH_PAGAN", ols.breusch_pagan["bp"], ols.breusch_pagan["df"],
                        ols.breusch_pagan["pvalue"])
        diagnostics.add("KOENKER_BASSETT", ols.koenker_bassett["kb"], ols.koenker_bassett["df"],
                        ols.koenker_bassett["pvalue"])
        moran = ols.moran_res
        diagnostics.add("MORAN_RESIDUALS", moran[0], np.nan, moran[2])
        diagnostics.add("MORAN_RESIDUALS_Z", moran[1], np.nan, moran[2])
        for name, attribute in (("LM_LAG", "lm_lag"), ("ROBUST_LM_LAG", "rlm_lag"),
                                ("LM_ERROR", "lm_error"), ("ROBUST_LM_ERROR", "rlm_error"),
                                ("LM_SARMA", "lm_sarma")):
            value, p = getattr(ols, attribute)
            diagnostics.add(name, value, 2 if name == "LM_SARMA" else 1, p)
        return coefficients, loglik
    twoway = fixed_effects == "twoway"
    yd, xd = within(y, n, t, twoway), within(x, n, t, twoway)
    b, _, rank, _ = np.linalg.lstsq(xd, yd, rcond=None)
    if rank < xd.shape[1]:
        raise InputError("the drivers are perfectly collinear after removing the fixed effects")
    e = yd - xd @ b
    nt, k = n * t, xd.shape[1]
    dof = nt - n - k - ((t - 1) if twoway else 0)
    s2 = float(e @ e) / dof
    vm = s2 * np.linalg.inv(xd.T @ xd)
    coefficients = _coefficients(drivers, b, vm, t_dist_df=dof)
    sigma2_ml = float(e @ e) / nt
    loglik = -nt / 2 * (np.log(2 * np.pi) + np.log(sigma2_ml) + 1)
    total = float(((yd - yd.mean()) ** 2).sum())
    diagnostics.add("R2_WITHIN", 1 - float(e @ e) / total)
    diagnostics.add("OLS_LOG_LIKELIHOOD", loglik)
    diagnostics.add("OLS_SIGMA2", s2, dof)
    for name, (value, p) in lm_tests(e, yd, xd, w, t).items():
        diagnostics.add(name, value, 2 if name == "LM_SARMA" else 1, p)
    return coefficients, loglik
