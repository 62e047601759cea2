"""Local Moran's I (LISA), univariate and bivariate, and its cluster labels.

Formulas (Anselin 1995, Geographical Analysis 27(2):93–115; esda's
conventions, which these functions reproduce):

- ``I_i = (n-1) / sum_j z_j^2 * z_i * sum_j w_ij z_j`` with ``z``
  standardised (ddof=0); bivariate: ``x`` against the lag of ``y``
  (esda ``Moran_Local_BV``).
- quadrants: 1 HH, 2 LH, 3 LL, 4 HL (esda ``q``); a unit is labelled with
  its quadrant where its pseudo p is at most the cut-off of
  :mod:`spatial.multiple_testing`, NS otherwise, ISOLATED without
  neighbours.
- pseudo p: conditional permutations (:mod:`spatial.conditional_permutation`)
  and the rule of :func:`spatial.permutation.directed_p`.

The z-scores are computed from deviations rescaled by powers of two
(:func:`spatial.scaling.standardized`): values from 1e-300 to 1e300 give
the unit-scale answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .conditional_permutation import conditional_counts
from .moran_input import moran_values
from .multiple_testing import significance_cutoff
from .permutation import checked_permutations, directed_p
from .scaling import standardized
from .weights import SpatialWeights, _preview

CLUSTER_LABELS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


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
    zx = standardized(x)  # scale-safe z-scores: no overflow of x^2 for |x| near 1e300
    zy = zx if not bivariate else standardized(y)
    lag = w.lag(zy)
    Is = (n - 1) * zx * lag / (zx @ zx)
    card = w.cardinalities
    isl = card == 0
    q = np.where(zx > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    q = np.where(isl, 0, q)
    p = np.full(n, np.nan)
    if permutations:
        cnt = conditional_counts(zx, zy, w.transformed, permutations, seed, n_jobs)
        p = directed_p(cnt, permutations).astype(float)
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
    observation (:func:`spatial.conditional_permutation.conditional_counts`),
    seeded by ``seed``; ``n_jobs`` threads (-1 = all cores) do not change
    the result. Units with ``z_i = 0`` get p = 1; islands get p = NaN and
    cluster ISOLATED.
    """
    significance_cutoff([0.5], significance, correction)
    y = moran_values(values, w)
    return _local(y, y, w, checked_permutations(permutations), seed, significance, correction, n_jobs, False)


def local_moran_bv(x, y, w: SpatialWeights, permutations: int = 999, seed=None, significance: float = 0.05,
                   correction: str = "none", n_jobs: int = 1) -> LocalMoranResult:
    """Bivariate local Moran: ``x_i`` against the spatial lag of ``y``,
    ``I_i = (n-1)/sum zx^2 * zx_i * sum_j w_ij zy_j`` (esda
    ``Moran_Local_BV``); permutations draw the neighbours' ``y``."""
    significance_cutoff([0.5], significance, correction)
    xv = moran_values(x, w, "x")
    yv = moran_values(y, w, "y")
    return _local(xv, yv, w, checked_permutations(permutations), seed, significance, correction, n_jobs, True)
