"""Global and local Moran's I (univariate and bivariate) with permutation inference.

Formulas (Anselin 1995, Geographical Analysis 27(2):93–115; esda's
conventions, which these functions reproduce):

- global: ``I = n / S0 * z'Wz / z'z`` with ``z = y - mean(y)``;
  ``E[I] = -1/(n-1)``; ``V[I]`` under normality
  ``(n^2 S1 - n S2 + 3 S0^2) / ((n-1)(n+1) S0^2) - E[I]^2``; two-sided
  normal p. Bivariate (esda ``Moran_BV``): ``I = zx' W zy / (n-1)`` with
  ``z`` standardised with ddof=1.
- local: ``I_i = (n-1) / sum_j z_j^2 * z_i * sum_j w_ij z_j`` with ``z``
  standardised (ddof=0); bivariate ``x`` against the lag of ``y``
  (esda ``Moran_Local_BV``). Quadrants: 1 HH, 2 LH, 3 LL, 4 HL (esda ``q``).
- pseudo p (esda's and GeoDa's "directed" rule): with ``c`` the number of
  the ``P`` permutation statistics ``>=`` the observed one,
  ``p = (min(c, P - c) + 1) / (P + 1)``.

Global permutation draws are paired by default (:func:`_paired_draws`):
each draw is a uniformly random permutation, any two are independent, at
about half the cost of one Fisher–Yates shuffle per draw.

Why not esda for the local permutations: esda's ``Moran_Local`` copies the
data once per observation (76 s at 250,000 units without numba) and with
numba costs 20–38 s of compilation in every fresh process; it also draws one
table of permutations shared by all observations. The conditional
permutation kernel here is plain numpy and draws for every observation and
every permutation its own stand-ins — see :func:`_conditional_counts`.
esda remains the oracle in the tests.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .weights import SpatialWeights, _preview

CORRECTIONS = ("none", "fdr", "bonferroni")
CLUSTER_LABELS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
_BLOCK = 64  # permutations per random stream: results do not depend on n_jobs
_CHUNK = 16384  # units per slice of a LISA round (cache-sized temporaries)


# ----------------------------------------------------------------------------
# input checks
# ----------------------------------------------------------------------------


def _values(values, w: SpatialWeights, name="value") -> np.ndarray:
    """Values in the order of ``w.ids``; a Series is aligned by its index (ids)."""
    if isinstance(values, pd.Series) and not isinstance(values.index, pd.RangeIndex):
        extra = [v for v in values.index if v not in w._index]
        missing = [v for v in w.ids if v not in values.index]
        if extra:
            raise InputError(f"{name}: ids in the table but not in the polygons/weights: {_preview(extra)}")
        if missing:
            raise InputError(f"{name}: ids in the polygons/weights but not in the table: {_preview(missing)}")
        values = values.reindex(w.ids)
    y = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(dtype=float)
    if y.shape[0] != w.n:
        raise InputError(f"{name}: {y.shape[0]} values for {w.n} units in the weights")
    bad = ~np.isfinite(y)
    if bad.any():
        raise InputError(f"{name}: NULL or non-numeric values for units {_preview([w.ids[i] for i in np.flatnonzero(bad)])}")
    if w.n < 3:
        raise InputError(f"Moran's I needs at least 3 units; got {w.n}")
    if np.ptp(y) == 0:
        raise InputError(f"{name}: all {w.n} values are equal ({y[0]}); Moran's I is undefined")
    return y


def _check_perms(permutations):
    if not isinstance(permutations, (int, np.integer)) or permutations < 0:
        raise InputError(f"permutations must be a non-negative integer; got {permutations!r}")
    return int(permutations)


def _check_draws(draws):
    if draws not in DRAWS:
        raise InputError(f"draws {draws!r} is not one of {', '.join(DRAWS)}")


def _directed_p(larger, permutations):
    larger = np.asarray(larger)
    larger = np.minimum(larger, permutations - larger)
    return (larger + 1.0) / (permutations + 1.0)


# ----------------------------------------------------------------------------
# global Moran
# ----------------------------------------------------------------------------


@dataclass
class GlobalMoranResult:
    """Global Moran's I. ``VI`` is the variance under normality; ``Z`` and
    ``P_NORM`` (two-sided) use it. ``P_SIM`` is the permutation pseudo p
    (NaN when ``permutations`` is 0); ``EI_SIM``/``Z_SIM`` from the draws."""

    I: float
    EI: float
    VI: float
    Z: float
    P_NORM: float
    P_SIM: float
    N: int
    permutations: int
    EI_SIM: float = float("nan")
    SE_SIM: float = float("nan")
    Z_SIM: float = float("nan")
    bivariate: bool = False

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("I", "EI", "VI", "Z", "P_NORM", "P_SIM", "N")}


_PAIRED_MEMORY = 256 * 2**20  # bytes of permuted copies kept for paired draws
DRAWS = ("paired", "independent")


def _pair_counts(n, permutations):
    """(m_a, m_b) with m_a * m_b >= permutations: m_a about
    sqrt(permutations), but the m_a copies of n values within
    :data:`_PAIRED_MEMORY`."""
    m_a = max(1, min(int(np.ceil(np.sqrt(permutations))), _PAIRED_MEMORY // (8 * n)))
    return m_a, -(-permutations // m_a)


def _shuffled(z, rng):
    """A uniformly random permutation of ``z`` (numpy's Fisher–Yates on the
    float bits viewed as int64, its fastest path)."""
    out = z.copy()
    rng.shuffle(out.view(np.int64))
    return out


def _paired_draws(z, permutations, seed, n_jobs, statistic):
    """``permutations`` statistics of paired permutations of ``z``.

    Draw k = i + m_a j is ``z[A_i][B_j]`` with A_i (m_a of them) and B_j
    (m_b) independent uniformly random permutations. Every draw is then a
    uniformly random permutation of ``z``, and any two draws are independent
    (given A_i, ``A_i∘B_j`` and ``A_i∘B_j'`` are independent and uniform;
    likewise for a shared B_j), so the count of draws ``>=`` the observed
    statistic has the same mean and the same variance as with
    ``permutations`` mutually independent shuffles: the Monte Carlo error
    of the pseudo p is unchanged. (Draws are pairwise, not mutually,
    independent: A_1B_1, A_1B_2 and A_2B_1 determine A_2B_2.) The cost is
    m_a + m_b ≈ 2·sqrt(P) shuffles plus P gathers instead of P shuffles;
    numpy's Fisher–Yates costs ~11 ns per value (one bounded random integer
    each), a gather ~3 ns.

    ``statistic(rows, B)`` returns the statistic of each ``row[B]``. Random
    streams are spawned from ``seed`` per A_i and per B_j, so ``n_jobs``
    threads do not change the result.
    """
    n = z.shape[0]
    m_a, m_b = _pair_counts(n, permutations)
    seeds = np.random.SeedSequence(seed).spawn(m_a + m_b)
    ZA = np.stack(_map(lambda s: _shuffled(z, np.random.default_rng(s)), seeds[:m_a], n_jobs))

    def block(j):
        B = _shuffled(np.arange(n, dtype=np.int64), np.random.default_rng(seeds[m_a + j]))
        return statistic(ZA[: min(m_a, permutations - j * m_a)], B)

    return np.concatenate(_map(block, range(m_b), n_jobs))


def _independent_draws(z, permutations, seed, n_jobs, statistic):
    """As :func:`_paired_draws`, with one fresh Fisher–Yates shuffle per
    draw (the textbook scheme; about twice as slow for global Moran).
    Shuffling the previous draw again gives a uniform permutation that is
    independent of it, so one buffer per stream is enough."""
    seeds = np.random.SeedSequence(seed).spawn(-(-permutations // _BLOCK))

    def block(b):
        rng = np.random.default_rng(seeds[b])
        buf = z.copy()
        out = np.empty(min(_BLOCK, permutations - b * _BLOCK))
        for k in range(out.shape[0]):
            rng.shuffle(buf.view(np.int64))
            out[k] = statistic(buf[None, :], None)[0]
        return out

    return np.concatenate(_map(block, range(len(seeds)), n_jobs))


def _draws(z, permutations, seed, n_jobs, statistic, draws):
    fn = _paired_draws if draws == "paired" else _independent_draws
    return fn(z, permutations, seed, n_jobs, statistic)


def _quadratic_forms(W):
    """``statistic`` for :func:`_draws`: ``z_p' W z_p`` of each draw, as
    ``z_p' U z_p`` with U the upper triangle of ``W + W'`` plus W's
    diagonal — the same value from half the non-zeros."""
    import scipy.sparse as sp

    U = (sp.triu(W + W.T, k=1) + sp.diags(W.diagonal())).tocsr()

    def statistic(rows, B):
        out = np.empty(rows.shape[0])
        buf = np.empty(rows.shape[1])
        for i, row in enumerate(rows):
            zp = row if B is None else np.take(row, B, out=buf, mode="clip")
            out[i] = zp @ (U @ zp)
        return out

    return statistic


def _cross_products(wx):
    """``statistic`` for :func:`_draws`: ``wx · zy_p`` of each draw (for the
    bivariate Moran: ``zx' W zy_p = (W' zx)' zy_p``); ``wx · row[B]`` is
    ``v · row`` with ``v[B] = wx``, so one matrix-vector product per B."""

    def statistic(rows, B):
        if B is None:
            return rows @ wx
        v = np.empty_like(wx)
        v[B] = wx
        return rows @ v

    return statistic


def _map(fn, items, n_jobs):
    items = list(items)
    if n_jobs is None or n_jobs == 1 or len(items) == 1:
        return [fn(i) for i in items]
    import os

    workers = (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as ex:
        return list(ex.map(fn, items))


def global_moran(values, w: SpatialWeights, permutations: int = 999, seed=None, n_jobs: int = 1,
                 draws: str = "paired") -> GlobalMoranResult:
    """Global Moran's I of ``values`` (order of ``w.ids`` or a Series by id).

    Equal to ``esda.Moran(y, w, transformation=w.transform)`` for I, EI,
    VI_norm, z_norm, p_norm; ``P_SIM`` uses the same rule as esda
    (``(min(c, P-c)+1)/(P+1)``, c = draws ``>=`` I) with ``P`` seeded
    uniformly random permutations of the values: ``draws="paired"``
    (default, :func:`_paired_draws`: pairwise independent, same Monte Carlo
    error, about twice as fast) or ``"independent"`` (one shuffle each).
    """
    y = _values(values, w)
    permutations = _check_perms(permutations)
    _check_draws(draws)
    W = w.sparse
    n = w.n
    z = y - y.mean()
    s0 = W.sum()
    if s0 == 0:
        raise InputError("the weights have no neighbour pairs; Moran's I is undefined")
    Wt = W + W.T
    s1 = 0.5 * Wt.multiply(Wt).sum()
    s2 = float(((np.asarray(W.sum(axis=1)).ravel() + np.asarray(W.sum(axis=0)).ravel()) ** 2).sum())
    zz = z @ z
    I = n / s0 * (z @ (W @ z)) / zz
    EI = -1.0 / (n - 1)
    VI = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n - 1) * (n + 1) * s0 * s0) - EI * EI
    Z = (I - EI) / np.sqrt(VI)
    p_norm = math.erfc(abs(Z) / math.sqrt(2.0))  # two-sided normal p
    res = GlobalMoranResult(float(I), EI, float(VI), float(Z), float(p_norm), float("nan"), n, permutations)
    if permutations:
        sims = n / s0 * _draws(z, permutations, seed, n_jobs, _quadratic_forms(W), draws) / zz
        _fill_sim(res, sims, I, permutations)
    return res


def _fill_sim(res, sims, I, permutations):
    tol = 1e-12 * max(1.0, abs(I))
    larger = int((sims >= I - tol).sum())
    res.P_SIM = float(_directed_p(larger, permutations))
    res.EI_SIM = float(sims.mean())
    res.SE_SIM = float(sims.std())
    res.Z_SIM = float((I - res.EI_SIM) / res.SE_SIM) if res.SE_SIM > 0 else float("nan")


def global_moran_bv(x, y, w: SpatialWeights, permutations: int = 999, seed=None, n_jobs: int = 1,
                    draws: str = "paired") -> GlobalMoranResult:
    """Bivariate Moran's I of ``x`` against the spatial lag of ``y``:
    ``I = zx' W zy / (n - 1)`` (z with ddof=1), as ``esda.Moran_BV``.
    ``P_SIM`` permutes ``y`` (``draws`` as in :func:`global_moran`).
    EI/VI/Z/P_NORM have no analytic form here and are NaN; ``Z_SIM`` comes
    from the draws."""
    xv = _values(x, w, "x")
    yv = _values(y, w, "y")
    permutations = _check_perms(permutations)
    _check_draws(draws)
    n = w.n
    zx = (xv - xv.mean()) / xv.std(ddof=1)
    zy = (yv - yv.mean()) / yv.std(ddof=1)
    W = w.sparse
    I = float(zx @ (W @ zy) / (n - 1))
    nan = float("nan")
    res = GlobalMoranResult(I, nan, nan, nan, nan, nan, n, permutations, bivariate=True)
    if permutations:
        sims = _draws(zy, permutations, seed, n_jobs, _cross_products(W.T @ zx), draws) / (n - 1)
        _fill_sim(res, sims, I, permutations)
    return res


# ----------------------------------------------------------------------------
# local Moran
# ----------------------------------------------------------------------------


def _window_bits(n, kmax, bmax=15, bmin=12, units_per_start=8):
    """Number of random window starts per round as a power of two, 2**b.

    ``2**b + kmax <= n`` so that a window of kmax+1 units fits in the
    sample; otherwise 2**b is about ``n / units_per_start`` (so drawing the
    sample costs a fraction of the round), but never under ``2**bmin`` nor
    over ``2**bmax``."""
    fit = int(np.floor(np.log2(max(1, n - kmax))))
    share = int(np.floor(np.log2(max(1, (n - kmax) / units_per_start))))
    return max(0, min(bmax, fit, max(bmin, share)))


def _conditional_counts(x, y, W, permutations, seed, n_jobs=1):
    """Conditional-permutation counts for local Moran-type statistics.

    For each observation i and each of ``permutations`` rounds, the k_i
    neighbours' values ``y_j`` are replaced by k_i values drawn without
    replacement from the other n-1 observations (never i itself), and
    ``c_i`` counts rounds whose statistic ``x_i * sum_j w_ij y*_j`` is ``>=``
    the observed one (ties within 1e-9 relative count as ``>=``). Returns
    ``c`` (int array; meaningless where the row is empty or ``x_i = 0``).

    How the draws are made, in numpy with O(n) memory: every round draws a
    uniformly random ordered sample R of m = 2**b + kmax distinct units
    (``Generator.choice(replace=False)``; 2**b from :func:`_window_bits`)
    and, for each observation, its own uniformly random window start o_i in
    [0, 2**b) (b random bits, so no modulo bias). The window
    R[o_i : o_i + k_i + 1] is a uniformly random ordered tuple of distinct
    units; its first k_i members other than i are therefore a uniformly
    random ordered k_i-sample of the other n-1 units, which is exactly one
    conditional permutation for observation i. Rounds use fresh R and
    offsets, so each observation's draws are independent across rounds;
    within a round two observations share stand-ins only when their windows
    overlap (esda and GeoDa's lookup table instead reuse one table of draws
    for all observations in every round). With equal weights in a row
    (contiguity, knn, distance band; row-standardised or binary) the window
    sum is read from a table of window sums of y[R] for that cardinality
    (prefix-sum differences; one gather per round for all such rows); rows
    with unequal weights gather their k_i stand-ins and weight them.
    """
    n = x.shape[0]
    W = W.tocsr()
    card = np.diff(W.indptr).astype(np.intp)
    kmax = int(card.max())
    rows = np.repeat(np.arange(n), card)
    rmin = np.full(n, np.inf)
    rmax = np.full(n, -np.inf)
    np.minimum.at(rmin, rows, W.data)
    np.maximum.at(rmax, rows, W.data)
    equal = (card > 0) & (rmin == rmax)
    c = np.where(card > 0, rmin, 0.0)
    B = W.copy()
    B.data[:] = 1.0
    s_obs = B @ y  # sum of the neighbours' y
    lag = W @ y
    ymax = float(np.abs(y).max())
    tol = 1e-9 * ymax * np.maximum(card, 1)
    sgn = np.sign(x * c).astype(np.int8)
    eq_active = equal & (sgn != 0)
    general = (card > 0) & ~equal & (x != 0)
    # Relabel units so that equal-weight rows of one (cardinality, sign)
    # class are contiguous, all others last. R is drawn in this labelling.
    # A class compares its window sums, negated for a negative sign, with
    # ">=" against a limit negated likewise.
    ks = np.unique(card[eq_active])
    cls = np.searchsorted(ks, card) + np.where(sgn > 0, 0, ks.size)
    key = np.where(eq_active, cls, 2 * ks.size)
    order = np.argsort(key, kind="stable")
    inv = np.empty(n, np.intp)
    inv[order] = np.arange(n)
    n_act = int(eq_active.sum())
    y_r = y[order]
    k_r = np.where(eq_active, card, 0)[order].astype(np.int32)
    sg_r = np.where(sgn > 0, 1.0, -1.0)[order][:n_act]
    lim_r = (sg_r * np.where(sgn > 0, s_obs - tol, s_obs + tol)[order][:n_act])
    b = _window_bits(n, kmax)
    ns = 1 << b
    m = ns + kmax
    # segments (start, end, offset of the class's table row), at most _CHUNK
    # units each so that a round's temporaries stay in cache
    key_r = key[order][:n_act]
    segments = []
    for row in np.unique(key_r):
        a, e = np.searchsorted(key_r, [row, row + 1])
        for s in range(int(a), int(e), _CHUNK):
            segments.append((s, min(int(e), s + _CHUNK), int(row) * ns))
    rows_k = [(int(k), 1.0) for k in ks] + [(int(k), -1.0) for k in ks]
    groups = []
    for k in np.unique(card[general]):
        g = np.flatnonzero(general & (card == k))
        wmat = W.data[W.indptr[g][:, None] + np.arange(k)]
        sg = np.sign(x[g])
        groups.append((inv[g], int(k), wmat, sg, sg * lag[g] - 1e-9 * ymax * np.abs(wmat).sum(1)))
    nblocks = -(-permutations // _BLOCK)
    seeds = np.random.SeedSequence(seed).spawn(nblocks)
    ar = np.arange(m, dtype=np.intp)
    shift = np.uint16(16 - b)
    chunk = min(_CHUNK, max(1, n_act))

    def block(bi):
        rng = np.random.default_rng(seeds[bi])
        bitgen = rng.bit_generator
        rounds = min(_BLOCK, permutations - bi * _BLOCK)
        cnt = np.zeros(n, np.uint8)  # at most _BLOCK <= 255 rounds per block
        C = np.zeros(m + 1)
        T = np.empty((len(rows_k), ns))
        flat = T.ravel()
        idx = np.empty(chunk, np.intp)
        S = np.empty(chunk)
        ge = np.empty(chunk, bool)
        posR = np.full(n, -1, np.int64) if groups else None
        nwords = (n + 3) // 4
        for _ in range(rounds):
            R = rng.choice(n, m, replace=False)
            yR = y_r[R]
            np.cumsum(yR, out=C[1:])
            o = bitgen.random_raw(nwords).view(np.uint16)[:n]
            np.right_shift(o, shift, out=o)
            for t, (k, sg) in enumerate(rows_k):
                if sg > 0:
                    np.subtract(C[k : k + ns], C[:ns], out=T[t])
                else:
                    np.subtract(C[:ns], C[k : k + ns], out=T[t])
            for a, e, off in segments:
                L = e - a
                np.add(o[a:e], off, out=idx[:L], dtype=np.intp)
                np.take(flat, idx[:L], out=S[:L], mode="clip")  # in range by construction
                np.greater_equal(S[:L], lim_r[a:e], out=ge[:L])
                np.add(cnt[a:e], ge[:L].view(np.uint8), out=cnt[a:e])
            # observations whose own unit fell inside their window of k
            d = ar - o[R]
            hit = (d >= 0) & (d < k_r[R])
            if hit.any():
                u = R[hit]
                ou = o[u].astype(np.intp)
                ku = k_r[u]
                old = np.take(C, ou + ku) - np.take(C, ou)
                new = old + yR[ou + ku] - y_r[u]
                su, lu = sg_r[u], lim_r[u]
                cnt[u] += (su * new >= lu).astype(np.uint8) - (su * old >= lu).astype(np.uint8)
            for g, k, wmat, sg, gthr in groups:
                posR[R] = ar
                dg = (posR[g] - o[g])[:, None]
                posR[R] = -1
                t = np.arange(k)
                idx_g = o[g].astype(np.intp)[:, None] + t + ((dg >= 0) & (dg <= t))
                val = np.einsum("ij,ij->i", yR[idx_g], wmat) * sg
                cnt[g] += val >= gthr
        return cnt

    counts = np.sum(_map(block, range(nblocks), n_jobs), axis=0, dtype=np.int64)
    return counts[inv]


def fdr_threshold(p, alpha: float = 0.05) -> float:
    """Benjamini–Hochberg cut-off, equal to ``esda.fdr(p, alpha)``: with p
    sorted, the largest ``k alpha / n`` such that ``p_(k) < k alpha / n``;
    ``alpha / n`` when there is none. Significant: ``p <= cut-off``."""
    p = np.asarray(p, dtype=float)
    n = p.shape[0]
    p_sort = np.sort(p)[::-1]
    p_fdr = np.arange(n, 0, -1) * alpha / n
    sig = np.flatnonzero(p_sort < p_fdr)
    return float(alpha / n) if sig.size == 0 else float(p_fdr[sig[0]])


def significance_cutoff(p, significance: float = 0.05, correction: str = "none") -> float:
    """p-value cut-off for ``correction`` 'none' (alpha), 'bonferroni'
    (alpha / n) or 'fdr' (:func:`fdr_threshold`); ``p`` are the tested units."""
    if correction not in CORRECTIONS:
        raise InputError(f"correction {correction!r} is not one of {', '.join(CORRECTIONS)}")
    if not 0 < significance < 1:
        raise InputError(f"significance must be between 0 and 1; got {significance!r}")
    p = np.asarray(p, dtype=float)
    if correction == "none":
        return float(significance)
    if correction == "bonferroni":
        return float(significance / max(1, p.shape[0]))
    return fdr_threshold(p, significance)


def cluster_labels(q, p, islands, significance=0.05, correction="none"):
    """Cluster label per unit: HH / LH / LL / HL where ``p <= cut-off``, NS
    otherwise, ISOLATED for units without neighbours (not tested)."""
    q = np.asarray(q)
    p = np.asarray(p, dtype=float)
    islands = np.asarray(islands, dtype=bool)
    tested = ~islands & np.isfinite(p)
    cut = significance_cutoff(p[tested], significance, correction)
    out = np.full(q.shape[0], "NS", dtype=object)
    sig = tested & (p <= cut)
    for code, name in CLUSTER_LABELS.items():
        out[sig & (q == code)] = name
    out[islands] = "ISOLATED"
    return out, cut


@dataclass
class LocalMoranResult:
    """Local Moran (LISA). Arrays in the order of ``ids``. ``Is`` local I,
    ``q`` quadrant (1 HH, 2 LH, 3 LL, 4 HL; 0 for islands), ``p_sim`` pseudo p
    (NaN for islands), ``lag`` the spatial lag, ``clusters`` labels at
    ``significance`` with ``correction`` (``cutoff`` the p cut-off used)."""

    ids: list
    Is: np.ndarray
    q: np.ndarray
    p_sim: np.ndarray
    lag: np.ndarray
    z: np.ndarray
    clusters: np.ndarray
    islands: list
    significance: float
    correction: str
    cutoff: float
    permutations: int
    bivariate: bool = False
    notes: list = field(default_factory=list)

    def to_frame(self, id_field: str = "ID") -> pd.DataFrame:
        """Tidy table: id, LISA_I, LISA_P, LISA_Q, CLUSTER, LISA_Z, LISA_LAG."""
        return pd.DataFrame(
            {
                id_field: self.ids,
                "LISA_I": self.Is,
                "LISA_P": self.p_sim,
                "LISA_Q": self.q,
                "CLUSTER": self.clusters,
                "LISA_Z": self.z,
                "LISA_LAG": self.lag,
            }
        )

    def relabel(self, significance=0.05, correction="none") -> "LocalMoranResult":
        """Cluster labels at another significance / correction (no new draws)."""
        isl = self.q == 0
        labels, cut = cluster_labels(self.q, self.p_sim, isl, significance, correction)
        out = LocalMoranResult(**{**self.__dict__, "clusters": labels, "cutoff": cut,
                                  "significance": significance, "correction": correction})
        return out


def _local(x, y, w, permutations, seed, significance, correction, n_jobs, bivariate):
    n = w.n
    zx = (x - x.mean()) / x.std()
    zy = zx if not bivariate else (y - y.mean()) / y.std()
    W = w.sparse
    lag = W @ zy
    Is = (n - 1) * zx * lag / (zx @ zx)
    card = w.cardinalities
    isl = card == 0
    q = np.where(zx > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    q = np.where(isl, 0, q)
    p = np.full(n, np.nan)
    if permutations:
        cnt = _conditional_counts(zx, zy, W, permutations, seed, n_jobs)
        p = _directed_p(cnt, permutations).astype(float)
        p[zx == 0] = 1.0
        p[isl] = np.nan
    labels, cut = cluster_labels(q, p, isl, significance, correction)
    notes = []
    if w.islands:
        notes.append(f"units without neighbours are labelled ISOLATED: {_preview(w.islands)}")
    return LocalMoranResult(list(w.ids), Is, q, p, lag, zx, labels, list(w.islands), significance,
                            correction, cut, permutations, bivariate, notes)


def local_moran(values, w: SpatialWeights, permutations: int = 999, seed=None, significance: float = 0.05,
                correction: str = "none", n_jobs: int = 1) -> LocalMoranResult:
    """Local Moran's I with conditional-permutation pseudo p-values.

    ``Is``, ``q`` equal ``esda.Moran_Local(y, w)``'s ``Is``, ``q``; ``p_sim``
    follows esda's rule with independently drawn permutations per
    observation (:func:`_conditional_counts`), seeded by ``seed``;
    ``n_jobs`` threads (-1 = all cores) do not change the result. Units with
    ``z_i = 0`` get p = 1; islands get p = NaN and cluster ISOLATED.
    """
    significance_cutoff([0.5], significance, correction)
    y = _values(values, w)
    return _local(y, y, w, _check_perms(permutations), seed, significance, correction, n_jobs, False)


def local_moran_bv(x, y, w: SpatialWeights, permutations: int = 999, seed=None, significance: float = 0.05,
                   correction: str = "none", n_jobs: int = 1) -> LocalMoranResult:
    """Bivariate local Moran: ``x_i`` against the spatial lag of ``y``,
    ``I_i = (n-1)/sum zx^2 * zx_i * sum_j w_ij zy_j`` (esda
    ``Moran_Local_BV``); permutations draw the neighbours' ``y``."""
    significance_cutoff([0.5], significance, correction)
    xv = _values(x, w, "x")
    yv = _values(y, w, "y")
    return _local(xv, yv, w, _check_perms(permutations), seed, significance, correction, n_jobs, True)


# ----------------------------------------------------------------------------
# panels
# ----------------------------------------------------------------------------


def _year_slices(panel, id_field, year_field, fields, w):
    for f in [id_field, year_field, *fields]:
        if f not in panel.columns:
            raise InputError(f"field {f!r} is not in the table; fields are {list(panel.columns)}")
    extra = sorted({v for v in panel[id_field].unique() if v not in w._index}, key=str)
    if extra:
        raise InputError(f"ids in the table but not in the polygons/weights: {_preview(extra)}")
    dup = panel.duplicated([id_field, year_field])
    if dup.any():
        bad = panel.loc[dup, [id_field, year_field]].head(5).to_records(index=False).tolist()
        raise InputError(f"more than one row per ({id_field}, {year_field}): {bad}")
    for year, grp in panel.groupby(year_field, sort=True):
        present = set(grp[id_field])  # once per year: a set per unit made this O(n^2)
        missing = [v for v in w.ids if v not in present]
        if missing:
            raise InputError(f"year {year}: ids in the polygons/weights but not in the table: {_preview(missing)}")
        g = grp.set_index(id_field).reindex(w.ids)
        for f in fields:
            nulls = g.index[pd.to_numeric(g[f], errors="coerce").isna()].tolist()
            if nulls:
                raise InputError(f"year {year}: field {f!r} is NULL for units {_preview(nulls)}")
        yield year, g


def global_moran_by_year(panel_df: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                         w: SpatialWeights, permutations: int = 999, seed=None, n_jobs: int = 1,
                         second_field: str | None = None, draws: str = "paired") -> pd.DataFrame:
    """Global Moran's I per year: columns YEAR, I, EI, VI, Z, P_NORM, P_SIM, N.
    Bivariate (value against the spatial lag of ``second_field``, as
    esda.Moran_BV; EI, VI, Z and P_NORM are then NaN) when ``second_field``
    is given. Year t uses seed ``[seed, t-index]`` when ``seed`` is an int
    (reproducible). Raises InputError for ids not matched either way, NULL
    values, duplicates."""
    rows = []
    fields = [value_field] + ([second_field] if second_field else [])
    for t, (year, g) in enumerate(_year_slices(panel_df, id_field, year_field, fields, w)):
        s = None if seed is None else [int(seed), t]
        x = g[value_field].to_numpy(dtype=float)
        if second_field:
            r = global_moran_bv(x, g[second_field].to_numpy(dtype=float), w, permutations, s, n_jobs, draws)
        else:
            r = global_moran(x, w, permutations, s, n_jobs, draws)
        rows.append({"YEAR": year, **r.to_dict()})
    return pd.DataFrame(rows, columns=["YEAR", "I", "EI", "VI", "Z", "P_NORM", "P_SIM", "N"])


def local_moran_by_year(panel_df: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                        w: SpatialWeights, second_field: str | None = None, permutations: int = 999, seed=None,
                        significance: float = 0.05, correction: str = "none", n_jobs: int = 1) -> pd.DataFrame:
    """LISA per year (bivariate when ``second_field`` is given: value vs lag
    of second): columns <id_field>, YEAR, LISA_I, LISA_P, LISA_Q, CLUSTER,
    LISA_Z, LISA_LAG. Correction applies within each year."""
    fields = [value_field] + ([second_field] if second_field else [])
    out = []
    for t, (year, g) in enumerate(_year_slices(panel_df, id_field, year_field, fields, w)):
        s = None if seed is None else [int(seed), t]
        x = g[value_field].to_numpy(dtype=float)
        if second_field:
            r = local_moran_bv(x, g[second_field].to_numpy(dtype=float), w, permutations, s, significance,
                               correction, n_jobs)
        else:
            r = local_moran(x, w, permutations, s, significance, correction, n_jobs)
        f = r.to_frame(id_field)
        f.insert(1, "YEAR", year)
        out.append(f)
    return pd.concat(out, ignore_index=True)
