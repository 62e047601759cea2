"""Global Moran's I, univariate and bivariate, with analytic and permutation inference.

Formulas (Moran 1950; Cliff & Ord 1981; esda's conventions, which these
functions reproduce):

- ``I = n / S0 * z'Wz / z'z`` with ``z = y - mean(y)``; ``E[I] = -1/(n-1)``;
  ``V[I]`` under normality
  ``(n^2 S1 - n S2 + 3 S0^2) / ((n-1)(n+1) S0^2) - E[I]^2``; two-sided
  normal p.
- bivariate (esda ``Moran_BV``; Wartenberg 1985): ``I = zx' W zy / (n-1)``
  with ``z`` standardised with ddof=1.
- pseudo p: :func:`spatial.permutation.directed_p` over seeded permutations
  of the values (:mod:`spatial.permutation`, paired draws by default).

I is invariant to the scale of the values; the deviations are rescaled by
powers of two before they are squared (:mod:`spatial.scaling`), so values
from 1e-300 to 1e300 give the unit-scale answer (bit-identical to the plain
formula where that does not overflow).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .moran_input import moran_values
from .permutation import check_draws, checked_permutations, directed_p, permutation_draws
from .scaling import centred, standardized
from .weights import SpatialWeights


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


def _weight_sums(w: SpatialWeights):
    """(S0, S1, S2) of the transformed weights (Cliff & Ord 1981):
    S0 = sum w_ij, S1 = 1/2 sum (w_ij + w_ji)^2, S2 = sum_i (w_i. + w_.i)^2;
    InputError when S0 is 0. Made once per weights (``w.derived``): a panel
    asks for them every year."""
    if "moran_sums" not in w.derived:
        W = w.sparse
        s0 = W.sum()
        if s0 == 0:
            raise InputError("the weights have no neighbour pairs; Moran's I is undefined")
        Wt = W + W.T
        s1 = 0.5 * Wt.multiply(Wt).sum()
        s2 = float(((np.asarray(W.sum(axis=1)).ravel() + np.asarray(W.sum(axis=0)).ravel()) ** 2).sum())
        w.derived["moran_sums"] = (s0, s1, s2)
    return w.derived["moran_sums"]


def _quadratic_forms(w: SpatialWeights):
    """``statistic`` for the draws: ``z_p' W z_p`` of each draw, as
    ``z_p' U z_p`` with U the upper triangle of ``W + W'`` plus W's
    diagonal — the same value from half the non-zeros. U is made once per
    weights (``w.derived``)."""
    import scipy.sparse as sp

    if "moran_upper" not in w.derived:
        W = w.sparse
        w.derived["moran_upper"] = (sp.triu(W + W.T, k=1) + sp.diags(W.diagonal())).tocsr()
    U = w.derived["moran_upper"]
    product = _csr_product(U)

    def statistic(rows, B):
        out = np.empty(rows.shape[0])
        buf = np.empty(rows.shape[1])
        Uz = np.empty(U.shape[0])  # per call: threads run their own blocks
        for i, row in enumerate(rows):
            zp = row if B is None else np.take(row, B, out=buf, mode="clip")
            out[i] = zp @ product(zp, Uz)
        return out

    return statistic


def _csr_product(U):
    """``product(v, out)``: ``U @ v`` written into ``out``, by the kernel
    ``U @ v`` itself runs (scipy's ``csr_matvec``, the same sums in the same
    order), without scipy's per-call dispatch and fresh output array: 35 of
    the 350 µs of a draw at 40,000 units, 999 draws a year. scipy keeps that
    kernel in a private module: it is used only where it is there and gives
    ``U @ v`` exactly on a test vector, else ``U @ v`` itself."""
    def plain(v, out):
        return U @ v

    m, n = U.shape
    indptr, indices, data = U.indptr, U.indices, U.data
    try:
        from scipy.sparse._sparsetools import csr_matvec

        def product(v, out):
            out.fill(0.0)
            csr_matvec(m, n, indptr, indices, data, v, out)
            return out

        probe = np.linspace(-1.0, 1.0, n)
        if np.array_equal(product(probe, np.empty(m)), U @ probe):
            return product
    except Exception:  # noqa: BLE001 - another scipy: its public product
        pass
    return plain


def _cross_products(wx):
    """``statistic`` for the draws: ``wx · zy_p`` of each draw (for the
    bivariate Moran: ``zx' W zy_p = (W' zx)' zy_p``); ``wx · row[B]`` is
    ``v · row`` with ``v[B] = wx``, so one matrix-vector product per B."""

    def statistic(rows, B):
        if B is None:
            return rows @ wx
        v = np.empty_like(wx)
        v[B] = wx
        return rows @ v

    return statistic


def _fill_sim(res, sims, I, permutations):
    tol = 1e-12 * max(1.0, abs(I))
    larger = int((sims >= I - tol).sum())
    res.P_SIM = float(directed_p(larger, permutations))
    res.EI_SIM = float(sims.mean())
    res.SE_SIM = float(sims.std())
    res.Z_SIM = float((I - res.EI_SIM) / res.SE_SIM) if res.SE_SIM > 0 else float("nan")


def global_moran(values, w: SpatialWeights, permutations: int = 999, seed=None, n_jobs: int = 1,
                 draws: str = "paired") -> GlobalMoranResult:
    """Global Moran's I of ``values`` (order of ``w.ids`` or a Series by id).

    Equal to ``esda.Moran(y, w, transformation=w.transform)`` for I, EI,
    VI_norm, z_norm, p_norm; ``P_SIM`` uses the same rule as esda
    (``(min(c, P-c)+1)/(P+1)``, c = draws ``>=`` I) with ``P`` seeded
    uniformly random permutations of the values: ``draws="paired"``
    (default, :func:`spatial.permutation.paired_draws`: pairwise
    independent, same Monte Carlo error, about twice as fast) or
    ``"independent"`` (one shuffle each).
    """
    y = moran_values(values, w)
    permutations = checked_permutations(permutations)
    check_draws(draws)
    W = w.sparse
    n = w.n
    z = centred(y)  # y - mean(y) times a power of two: I is unchanged, z'z cannot overflow
    s0, s1, s2 = _weight_sums(w)
    zz = z @ z
    I = n / s0 * (z @ (W @ z)) / zz
    EI = -1.0 / (n - 1)
    VI = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n - 1) * (n + 1) * s0 * s0) - EI * EI
    Z = (I - EI) / np.sqrt(VI)
    p_norm = math.erfc(abs(Z) / math.sqrt(2.0))  # two-sided normal p
    res = GlobalMoranResult(float(I), EI, float(VI), float(Z), float(p_norm), float("nan"), n, permutations)
    if permutations:
        sims = n / s0 * permutation_draws(z, permutations, seed, n_jobs, _quadratic_forms(w), draws) / zz
        _fill_sim(res, sims, I, permutations)
    return res


def global_moran_bv(x, y, w: SpatialWeights, permutations: int = 999, seed=None, n_jobs: int = 1,
                    draws: str = "paired") -> GlobalMoranResult:
    """Bivariate Moran's I of ``x`` against the spatial lag of ``y``:
    ``I = zx' W zy / (n - 1)`` (z with ddof=1), as ``esda.Moran_BV``.
    ``P_SIM`` permutes ``y`` (``draws`` as in :func:`global_moran`).
    EI/VI/Z/P_NORM have no analytic form here and are NaN; ``Z_SIM`` comes
    from the draws."""
    xv = moran_values(x, w, "x")
    yv = moran_values(y, w, "y")
    permutations = checked_permutations(permutations)
    check_draws(draws)
    n = w.n
    zx = standardized(xv, ddof=1)
    zy = standardized(yv, ddof=1)
    W = w.sparse
    I = float(zx @ (W @ zy) / (n - 1))
    nan = float("nan")
    res = GlobalMoranResult(I, nan, nan, nan, nan, nan, n, permutations, bivariate=True)
    if permutations:
        sims = permutation_draws(zy, permutations, seed, n_jobs, _cross_products(W.T @ zx), draws) / (n - 1)
        _fill_sim(res, sims, I, permutations)
    return res
