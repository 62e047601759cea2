"""Geographically weighted regression, GWR and multiscale GWR (mgwr).

GWR (Brunsdon, Fotheringham & Charlton 1996) fits at every unit i a
regression weighted by a kernel of the distance to i:

    b(i) = (X' W_i X)^{-1} X' W_i y,   W_i = diag(K(d_ij / h)),

with one bandwidth h for every term, chosen by minimising AICc (golden-section
search). MGWR (Fotheringham, Yang & Kang 2017; Oshan et al. 2019) gives each
term its own bandwidth, by back-fitting; as mgwr recommends, MGWR is fitted to
standardised variables (z-scores of y and of every driver), so its ``B_``
fields are standardised coefficients and the bandwidths comparable.

Per unit: the local coefficients ``B_<term>``, their t-values ``T_<term>``
and ``SIG_<term>`` (1 where |t| exceeds the critical t(n - 1) value at the
alpha corrected for multiple testing, alpha p / ENP for GWR and alpha / ENP_j
for MGWR term j, da Silva & Fotheringham 2016 — mgwr's ``filter_tvals``), and ``LOCAL_R2`` (GWR; MGWR has no single
local weighting, so none is defined). Coordinates are the units' centroids;
on longitude/latitude mgwr's great-circle distances (km) are used.

Cost (Li & Fotheringham 2020): every GWR fit solves n weighted regressions,
O(n^2 k^2), and the bandwidth search repeats it some 20–30 times (for the
default adaptive bisquare kernel the search's fits are computed here for all
locations at once, :func:`adaptive_bisquare_bandwidth`; still O(n^2) each); MGWR
back-fits k bandwidths and its inference keeps an n × n × k array (8 n^2 k
bytes). :func:`cost` estimates both; sizes beyond :data:`GWR_UNIT_LIMIT` /
:data:`MGWR_MEMORY_LIMIT` are refused with the estimate.

References: Brunsdon, Fotheringham & Charlton (1996), Geographical Analysis
28(4):281–298; Fotheringham, Yang & Kang (2017), Annals AAG 107(6):1247–1265;
da Silva & Fotheringham (2016), Geographical Analysis 48(3):233–247; Oshan,
Li, Kang, Wolf & Fotheringham (2019), IJGI 8(6):269 (the mgwr package).
"""

import contextlib
import io
import warnings
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError

KERNELS = ("bisquare", "gaussian", "exponential")
#: GWR on more units is refused: hours of bandwidth search.
GWR_UNIT_LIMIT = 20000
#: MGWR needing more than this many bytes for its n × n × k inference array is refused.
MGWR_MEMORY_LIMIT = 4e9


@dataclass
class GWRResult:
    """``local``: one row per unit (``B_``, ``SE_``, ``T_``, ``SIG_`` per term,
    ``LOCAL_R2``, ``RESIDUAL``); ``summary``: one row of global fit; ``terms``:
    one row per term (bandwidth and the spread of its local coefficients)."""

    local: pd.DataFrame
    summary: pd.DataFrame
    terms: pd.DataFrame
    notes: List[str] = field(default_factory=list)


def cost(n: int, k: int, model: str) -> dict:
    """Rough operation count and memory of a fit with its bandwidth search."""
    p = k + 1
    operations = 25 * n * n * p * p * (p if model == "mgwr" else 1)
    memory = 8.0 * n * n * p if model == "mgwr" else 8.0 * n * (n + 4 * p)
    return {"operations": float(operations), "bytes": float(memory)}


def _check_size(n, k, model):
    estimate = cost(n, k, model)
    if model == "gwr" and n > GWR_UNIT_LIMIT:
        raise InputError(
            f"{n} units: GWR is limited to {GWR_UNIT_LIMIT} units (its bandwidth search solves "
            f"~25 × n weighted regressions, ~{estimate['operations']:.1e} operations); "
            "aggregate the units or fit per region")
    if model == "mgwr" and estimate["bytes"] > MGWR_MEMORY_LIMIT:
        raise InputError(
            f"{n} units and {k} drivers: MGWR keeps an n×n×{k + 1} array for its inference "
            f"({estimate['bytes'] / 1e9:.1f} GB > {MGWR_MEMORY_LIMIT / 1e9:.0f} GB); use GWR or "
            "fewer units")
    return estimate


def gwr(table: pd.DataFrame, target: str, drivers: Sequence[str], coords, *,
        model: str = "gwr", kernel: str = "bisquare", fixed: bool = False,
        bandwidth: Optional[float] = None, spherical: bool = False, alpha: float = 0.05,
        where: str = "") -> GWRResult:
    """GWR or MGWR of ``target`` on ``drivers`` for the rows of ``table`` at ``coords``.

    ``fixed`` False: adaptive bandwidths (nearest neighbours); True: distances.
    ``bandwidth`` fixes the GWR bandwidth instead of the AICc search.
    ``where`` names the sample in messages (" in year 2015").
    """
    from mgwr.gwr import GWR, MGWR
    from mgwr.sel_bw import Sel_BW
    from threadpoolctl import threadpool_limits

    from .panel import numeric_values, require_fields

    if model not in ("gwr", "mgwr"):
        raise InputError(f"unknown model {model!r}; use 'gwr' or 'mgwr'")
    if kernel not in KERNELS:
        raise InputError(f"unknown kernel {kernel!r}; use one of {', '.join(KERNELS)}")
    drivers = list(drivers)
    if not drivers:
        raise InputError("give at least one driver")
    if target in drivers or len(set(drivers)) < len(drivers):
        raise InputError("the target and each driver must be different fields")
    require_fields(table, [target, *drivers])
    values = numeric_values(table, [target, *drivers], None, None)
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise InputError(f"field {values.columns[column]!r}{where} is empty or infinite in "
                         f"{int(bad.any(axis=1).sum())} row(s) (first: row {row + 1}); GWR needs "
                         "complete rows")
    coords = np.asarray(coords, dtype=float)
    n, k = len(values), len(drivers)
    if n < 3 * (k + 1) + 5:
        raise InputError(f"{n} units{where}: too few for a local regression on {k} driver(s)")
    estimate = _check_size(n, k, model)
    y = values[[target]].to_numpy()
    x = values[drivers].to_numpy()
    constant = [name for name in drivers if np.ptp(values[name]) == 0]
    if constant:
        raise InputError(f"driver(s) {', '.join(constant)}{where} do not vary: no local slope")
    if np.ptp(y) == 0:
        raise InputError(f"target {target!r}{where} is constant ({y[0, 0]:g}): nothing to explain")
    if np.linalg.matrix_rank(np.column_stack([np.ones(n), x])) < k + 1:
        raise InputError(f"drivers {', '.join(drivers)}{where} are collinear (one is a linear "
                         "combination of the others and the intercept): drop one")
    notes = [f"{model.upper()}{where}: {n} units, ~{estimate['operations']:.1e} operations, "
             f"~{estimate['bytes'] / 1e6:.0f} MB"]
    if model == "mgwr":
        y = (y - y.mean()) / y.std()
        x = (x - x.mean(axis=0)) / x.std(axis=0)
    # mgwr starts its adaptive search at 40 + 2p neighbours; fewer units need a lower start
    if bandwidth is not None and not fixed and bandwidth < k + 2:
        raise InputError(f"adaptive bandwidth {bandwidth:g}{where}: a local regression on {k} "
                         f"driver(s) needs at least {k + 2} neighbours (the farthest gets weight 0)")
    limits = {}
    if not fixed and n <= 40 + 2 * (k + 1):
        limits = {"bw_min": float(2 * (k + 1) + 2), "bw_max": float(n)}
    # n tiny k×k solves per fit: BLAS threads only add overhead (10× slower on a busy machine)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()), threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("ignore")
        if model == "gwr":
            if bandwidth is None and kernel == "bisquare" and not fixed:
                bandwidth = adaptive_bisquare_bandwidth(coords, y, x, spherical, **limits)
            elif bandwidth is None:
                bandwidth = Sel_BW(coords, y, x, kernel=kernel, fixed=fixed, spherical=spherical,
                                   n_jobs=1).search(criterion="AICc", **limits)
            try:
                results = (adaptive_bisquare_gwr(coords, y, x, bandwidth, spherical)
                           if kernel == "bisquare" and not fixed else
                           GWR(coords, y, x, bandwidth, kernel=kernel, fixed=fixed,
                               spherical=spherical, n_jobs=1).fit())
            except np.linalg.LinAlgError:
                raise InputError(f"bandwidth {bandwidth:g}{where}: some units have too few "
                                 "neighbours within it for their local regression (a singular "
                                 "matrix); give a larger bandwidth or none for the AICc search") from None
            bandwidths = np.full(k + 1, float(bandwidth))
            local_r2 = (adaptive_bisquare_local_r2(coords, y, results.resid_response, bandwidth,
                                                   spherical)
                        if kernel == "bisquare" and not fixed
                        else np.asarray(results.localR2).ravel())
            corrected = np.full(k + 1, alpha * (k + 1) / float(results.ENP))
        else:
            selector = Sel_BW(coords, y, x, kernel=kernel, fixed=fixed, multi=True,
                              spherical=spherical, n_jobs=1)
            selector.search(criterion="AICc", multi_bw_min=[2], **limits)
            results = MGWR(coords, y, x, selector, kernel=kernel, fixed=fixed,
                           spherical=spherical, n_jobs=1).fit()
            bandwidths = np.asarray(results.model.bws, dtype=float)
            local_r2 = np.full(n, np.nan)
            corrected = alpha / np.asarray(results.ENP_j, dtype=float)
    critical = stats.t.ppf(1 - corrected / 2.0, n - 1)
    terms = ["INTERCEPT"] + drivers
    params = np.asarray(results.params)
    tvalues = np.asarray(results.tvalues)
    local = {}
    for j, term in enumerate(terms):
        local[f"B_{term}"] = params[:, j]
        local[f"SE_{term}"] = np.asarray(results.bse)[:, j]
        local[f"T_{term}"] = tvalues[:, j]
        local[f"SIG_{term}"] = (np.abs(tvalues[:, j]) > critical[j]).astype(int)
    local["LOCAL_R2"] = local_r2
    local["RESIDUAL"] = np.asarray(results.resid_response).ravel()
    local_table = pd.DataFrame(local, index=table.index)
    rss = float(np.sum(np.asarray(results.resid_response) ** 2))
    tss = float(np.sum((y - y.mean()) ** 2))
    summary = pd.DataFrame([{
        "MODEL": model, "KERNEL": kernel, "BANDWIDTH_TYPE": "fixed" if fixed else "adaptive",
        "N": n, "AICC": float(results.aicc), "R2": 1 - rss / tss,
        "ADJ_R2": float(getattr(results, "adj_R2", np.nan)) if model == "gwr" else np.nan,
        "ENP": float(results.ENP) if model == "gwr" else float(np.sum(results.ENP_j)),
        "SIGMA2": float(results.sigma2), "STANDARDISED": model == "mgwr"}])
    enp = (np.asarray(results.ENP_j, dtype=float) if model == "mgwr"
           else np.full(k + 1, np.nan))
    terms_table = pd.DataFrame({
        "TERM": terms, "BANDWIDTH": bandwidths, "ENP": enp, "T_CRITICAL": critical,
        "MEAN": params.mean(axis=0), "SD": params.std(axis=0, ddof=1), "MIN": params.min(axis=0),
        "MEDIAN": np.median(params, axis=0), "MAX": params.max(axis=0),
        "SIGNIFICANT_SHARE": (np.abs(tvalues) > critical).mean(axis=0)})
    return GWRResult(local_table, summary, terms_table, notes)


#: Kernel rows computed at once in :func:`adaptive_bisquare_aicc` (rows × units floats).
BLOCK = 2 ** 21
#: Up to this many location pairs (8 bytes each: 2,500 units 50 MB) the search keeps the
#: distances between its fits instead of computing them again for every bandwidth.
KEPT_DISTANCES = 2 ** 25


def adaptive_bisquare_bandwidth(coords, y, x, spherical: bool = False, bw_min=None,
                                bw_max=None) -> float:
    """AICc bandwidth (neighbours) of an adaptive bisquare GWR, as mgwr's
    ``Sel_BW(coords, y, x).search(criterion="AICc")`` finds it.

    mgwr's own golden-section routine (``mgwr.search.golden_section``) runs
    over mgwr's section — [40 + 2p, n] neighbours (p terms with the
    intercept) unless ``bw_min`` / ``bw_max`` are given, step 0.38197,
    tolerance 1e-6, integer bandwidths — with mgwr's own AICc
    (``mgwr.diagnostics.get_AICc``); only the candidate fits are computed
    here (:func:`adaptive_bisquare_aicc`), for every location at once,
    instead of mgwr's Python loop of one weighted regression per location
    (n = 2,500: a whole search ~16 s in mgwr on one thread). The tests
    compare the bandwidth and the scores with mgwr's."""
    from mgwr.search import golden_section

    coords = np.asarray(coords, dtype=float)
    n, p = coords.shape[0], np.asarray(x).reshape(coords.shape[0], -1).shape[1] + 1
    low = float(bw_min) if bw_min is not None else 40.0 + 2 * p
    high = float(bw_max) if bw_max is not None else float(n)
    score = adaptive_bisquare_aicc(coords, y, x, spherical)
    return float(golden_section(low, high, 0.38197, score, 1.0e-6, 200, bw_max,
                                int_score=True)[0])


def adaptive_bisquare_aicc(coords, y, x, spherical: bool = False):
    """A function of the bandwidth (neighbours) giving mgwr's AICc of the
    adaptive bisquare GWR of ``y`` on ``x`` (intercept added) at ``coords``.

    At location i the kernel width is the distance to the bw-th nearest
    location (itself first) times 1.0000001 and w_ij = (1 - (d_ij / h_i)²)²
    below it, 0 beyond (``mgwr.kernels.Kernel``); the local fit gives the
    residual y_i - x_i' b_i and the hat diagonal S_ii = x_i' (X' W_i X)^-1 x_i.
    Every X' W_i X of a block of locations is one matrix product, the weights
    times the products x_jp x_jq; distances are Euclidean or, with
    ``spherical``, mgwr's haversine in km. The AICc is mgwr's (``get_AICc``
    of a ``GWRResultsLite``)."""
    from mgwr.diagnostics import get_AICc
    from mgwr.gwr import GWRResultsLite

    fits = _LocalFits(coords, y, x, spherical)

    def aicc(bw):
        resid, influ = fits.fit(bw)[:2]
        return get_AICc(GWRResultsLite(fits.model, resid, influ, None))

    return aicc


def adaptive_bisquare_gwr(coords, y, x, bw, spherical: bool = False):
    """mgwr's ``GWR(coords, y, x, bw).fit()`` (Gaussian, adaptive bisquare):
    mgwr's own ``GWRResults`` built from the local fits of :class:`_LocalFits`
    — coefficients b_i, hat diagonal S_ii, tr(S'S) = sum_i h_i' (X'W_i²X) h_i
    with h_i = (X'W_iX)^-1 x_i, and CCT_i = diag((X'W_iX)^-1 X'W_i²X
    (X'W_iX)^-1) — so that its standard errors, t-values, AICc, ENP and
    sigma² are mgwr's formulas; only the loop of one weighted regression per
    location is replaced."""
    from mgwr.gwr import GWRResults

    fits = _LocalFits(coords, y, x, spherical)
    _, influ, params, cct, sts = fits.fit(bw, full=True)
    model = fits.model
    model.bw = bw
    predy = np.einsum("ij,ij->i", fits.design, params).reshape(-1, 1)
    return GWRResults(model, params, predy, None, cct, influ, sts, np.ones((fits.n, 1)),
                      model.name_x)


class _LocalFits:
    """The weighted regressions of an adaptive bisquare GWR at every location
    for a given bandwidth, a block of locations at a time (mgwr's kernel, its
    design with the intercept first; ``model`` is the matching mgwr ``GWR``)."""

    def __init__(self, coords, y, x, spherical):
        from mgwr.gwr import GWR

        coords = np.asarray(coords, dtype=float)
        self.n = n = coords.shape[0]
        self.y = np.asarray(y, dtype=float).reshape(n, 1)
        self.model = GWR(coords, self.y, np.asarray(x, dtype=float).reshape(n, -1), 40.0,
                         kernel="bisquare", fixed=False, spherical=spherical, n_jobs=1)
        self.design = np.asarray(self.model.X, dtype=float)
        self.p = p = self.design.shape[1]
        self.products = (self.design[:, :, None] * self.design[:, None, :]).reshape(n, p * p)
        self.moments = self.design * self.y
        self.blocks = _distance_blocks(coords, spherical)

    def fit(self, bw, full: bool = False):
        """(residuals, hat diagonal) as n × 1 columns; with ``full`` also the
        coefficients (n × p), CCT (n × p) and tr(S'S)."""
        n, p, design = self.n, self.p, self.design
        influ, resid = np.empty((n, 1)), np.empty((n, 1))
        params, cct, sts = (np.empty((n, p)), np.empty((n, p)), 0.0) if full else (None,) * 3
        for rows, distance in self.blocks:
            weight = _adaptive_bisquare(distance(), bw)
            gram = (weight @ self.products).reshape(-1, p, p)
            local = design[rows]
            solved = np.linalg.solve(gram, np.stack([weight @ self.moments, local], axis=2))
            resid[rows, 0] = self.y[rows, 0] - np.einsum("ij,ij->i", local, solved[:, :, 0])
            influ[rows, 0] = np.einsum("ij,ij->i", local, solved[:, :, 1])
            if full:
                squared = ((weight * weight) @ self.products).reshape(-1, p, p)
                inverse = np.linalg.inv(gram)
                params[rows] = solved[:, :, 0]
                cct[rows] = np.einsum("ipq,iqr,irp->ip", inverse, squared, inverse)
                hat = solved[:, :, 1]
                sts += float(np.einsum("ip,ipq,iq->", hat, squared, hat))
        return resid, influ, params, cct, sts


def adaptive_bisquare_local_r2(coords, y, resid, bw, spherical: bool = False) -> np.ndarray:
    """mgwr's ``localR2`` of an adaptive bisquare GWR with ``bw`` neighbours:
    (TSS_i - RSS_i) / TSS_i with TSS_i = sum_j w_ij (y_j - ybar_i)^2, ybar_i
    the w_i-weighted mean of y, and RSS_i = sum_j w_ij e_j^2 (Fotheringham,
    Brunsdon & Charlton 2002, eq. 9.8–9.10), a block of locations at a time
    instead of mgwr's three loops rebuilding every kernel."""
    coords = np.asarray(coords, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    squares = np.asarray(resid, dtype=float).ravel() ** 2
    r2 = np.empty(coords.shape[0])
    for rows, distance in _distance_blocks(coords, spherical):
        weight = _adaptive_bisquare(distance(), bw)
        mean = (weight @ y) / weight.sum(axis=1)
        total = np.einsum("ij,ij->i", weight, (y[None, :] - mean[:, None]) ** 2)
        r2[rows] = (total - weight @ squares) / total
    return r2


def _distance_blocks(coords, spherical):
    """[(rows, distances of those rows to every location)] in blocks of
    :data:`BLOCK` pairs; the distances are computed once and kept up to
    :data:`KEPT_DISTANCES` pairs, else again on every call."""
    n = coords.shape[0]
    size = max(1, BLOCK // n)
    blocks = [slice(start, min(n, start + size)) for start in range(0, n, size)]
    if n * n > KEPT_DISTANCES:
        return [(rows, lambda rows=rows: _distances(coords[rows], coords, spherical))
                for rows in blocks]
    kept = [_distances(coords[rows], coords, spherical) for rows in blocks]
    return [(rows, lambda d=d: d) for rows, d in zip(blocks, kept)]


def _adaptive_bisquare(distance, bw):
    """mgwr's adaptive bisquare weights (``mgwr.kernels.Kernel``) of distance rows:
    width h_i = the bw-th smallest distance (the location itself first) × 1.0000001,
    w = (1 - (d / h_i)²)² below it and 0 from it on."""
    nearest = int(bw) - 1
    width = np.partition(distance, nearest, axis=1)[:, nearest:nearest + 1] * 1.0000001
    weight = (1.0 - (distance / width) ** 2) ** 2
    weight[distance >= width] = 0.0
    return weight


def _distances(points, coords, spherical):
    """Rows of mgwr's ``local_cdist`` for ``points``: Euclidean, or haversine (km)."""
    if not spherical:
        dx = points[:, :1] - coords[None, :, 0]
        dy = points[:, 1:2] - coords[None, :, 1]
        return np.sqrt(dx ** 2 + dy ** 2)
    lat = np.radians(coords[None, :, 1])
    d_lat = np.radians(coords[None, :, 1] - points[:, 1:2])
    d_lon = np.radians(coords[None, :, 0] - points[:, :1])
    a = np.sin(d_lat / 2) ** 2 + np.cos(lat) * np.cos(np.radians(points[:, 1:2])) \
        * np.sin(d_lon / 2) ** 2
    return 6371.0 * (2 * np.arcsin(np.sqrt(a)))
