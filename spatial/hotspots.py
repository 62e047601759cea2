"""Hot and cold spots: Getis–Ord Gi* per year and emerging hot-spot patterns.

**Gi*** (Getis & Ord 1992, Geographical Analysis 24(3):189–206; Ord & Getis
1995, Geographical Analysis 27(4):286–306), the form ArcGIS's Hot Spot
Analysis reports: with the unit itself among its neighbours (self-weight
``w_ii = 1``), ``X̄`` the mean and ``S = sqrt(sum x² / n - X̄²)``,

    z_i = (sum_j w_ij x_j - X̄ sum_j w_ij)
          / (S sqrt((n sum_j w_ij² - (sum_j w_ij)²) / (n - 1)))

It is written here with sparse products because esda's ``G_Local``
simplifies the variance to ``W_i (n - W_i)``, exact only for binary weights
(there the two agree to rounding; the tests compare them). The weights are
used as built (binary for contiguity, knn and distance bands; kernel
values), not row-standardised: z is unchanged by scaling a unit's row.

**Permutation inference** is conditional (Anselin 1995): the unit keeps its
value and its neighbours' values are drawn from the other n - 1 units. The
draws reuse the local Moran kernel of :mod:`spatial.autocorrelation` (its
statistic ``x_i * sum_j w_ij y*_j`` with ``x_i = 1`` is the neighbours' sum,
on which Gi* is monotone). The folded pseudo p ``(min(c, P - c) + 1) /
(P + 1)`` (esda's ``p_sim``) is one-tailed in the direction observed; the
``GI_P`` reported is two-sided, ``min(1, 2 p_sim)``, like ArcGIS's p-values,
so that the bins mean what ArcGIS's mean. ``inference="normal"`` gives
ArcGIS's ``2 Φ(-|z|)`` instead.

**Bins** (ArcGIS ``Gi_Bin``): ±3 where p <= cut-off(0.01), ±2 at 0.05, ±1 at
0.10 (99 / 95 / 90 % confidence), sign of z; 0 otherwise. With a correction
the cut-off of each level is Benjamini–Hochberg's (``fdr``) or Bonferroni's
over the year's units.

**Emerging hot spots** (ArcGIS Pro, "How Emerging Hot Spot Analysis works",
https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm):
each unit's series of yearly Gi* bins and the Mann–Kendall trend of its
yearly Gi* z-scores give one pattern; see :func:`emerging_patterns`. The Gi*
here is the spatial one of each year (ArcGIS's neighbourhood time step 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr

from .conditional_permutation import conditional_counts
from .errors import InputError
from .multiple_testing import significance_cutoff
from .panel import check_keys
from .permutation import directed_p, year_seed
from .weights import SpatialWeights, _preview

INFERENCES = ("permutation", "normal")
LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))
PATTERNS = ("NEW", "CONSECUTIVE", "INTENSIFYING", "PERSISTENT", "DIMINISHING", "SPORADIC",
            "OSCILLATING", "HISTORICAL")
NO_PATTERN = "NO_PATTERN"


def _with_self(w: SpatialWeights):
    """The weights as built plus a self-weight of 1 on the diagonal."""
    import scipy.sparse as sp

    return (w.original + sp.identity(w.n, format="csr")).tocsr()


def gi_star_z(values, w: SpatialWeights) -> np.ndarray:
    """Gi* z-scores (formula in the module docstring); NaN for islands."""
    x = np.asarray(values, dtype=float)
    n = x.shape[0]
    if n != w.n:
        raise InputError(f"{n} values for {w.n} units in the weights")
    if n < 3:
        raise InputError(f"Gi* needs at least 3 units; got {n}")
    m = _with_self(w)
    mean = x.mean()
    s = np.sqrt(max((x * x).mean() - mean * mean, 0.0))
    if not s > 0 or np.ptp(x) == 0:
        raise InputError(f"all {n} values are equal ({x[0]:g}); Gi* is undefined")
    wsum = np.asarray(m.sum(axis=1)).ravel()
    m2 = m.copy()
    m2.data **= 2
    w2sum = np.asarray(m2.sum(axis=1)).ravel()
    numerator = m @ x - mean * wsum
    denominator = s * np.sqrt((n * w2sum - wsum * wsum) / (n - 1))
    z = numerator / denominator
    z[w.cardinalities == 0] = np.nan
    return z


def gi_star_p(values, w: SpatialWeights, z: np.ndarray, inference="permutation",
              permutations=999, seed=None, n_jobs=1) -> np.ndarray:
    """Two-sided p-values of Gi*: conditional permutation (``min(1, 2 p_sim)``)
    or normal (``2 Φ(-|z|)``); NaN for islands."""
    if inference not in INFERENCES:
        raise InputError(f"inference {inference!r} is not one of {', '.join(INFERENCES)}")
    if inference == "normal":
        return 2.0 * ndtr(-np.abs(z))
    if not isinstance(permutations, (int, np.integer)) or permutations < 9:
        raise InputError(f"permutation inference needs at least 9 permutations; got {permutations!r}")
    x = np.asarray(values, dtype=float)
    counts = conditional_counts(np.ones_like(x), x, w.original, int(permutations), seed, n_jobs)
    p = np.minimum(1.0, 2.0 * directed_p(counts, int(permutations)))
    p[w.cardinalities == 0] = np.nan
    return p


def gi_bins(z, p, correction="none") -> np.ndarray:
    """ArcGIS's Gi_Bin: ±3 / ±2 / ±1 at 99 / 95 / 90 % confidence, else 0."""
    z = np.asarray(z, dtype=float)
    p = np.asarray(p, dtype=float)
    tested = np.isfinite(p) & np.isfinite(z)
    bins = np.zeros(z.shape[0], dtype=np.int64)
    for level, alpha in LEVELS[::-1]:
        cut = significance_cutoff(p[tested], alpha, correction)
        bins[tested & (p <= cut)] = level
    return bins * np.sign(np.where(tested, z, 0)).astype(np.int64)


def yearly_values(panel_df: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                  w: SpatialWeights):
    """(years, values): the sorted years and a units × years array of
    ``value_field`` in the order of ``w.ids``. InputError for ids not in the
    weights, duplicate (unit, year) rows, units missing in a year and NULL
    or non-numeric values, each named."""
    for name in (id_field, year_field, value_field):
        if name not in panel_df.columns:
            raise InputError(f"field {name!r} is not in the table; fields are {list(panel_df.columns)}")
    table = panel_df[[id_field, year_field, value_field]]
    extra = sorted(set(table[id_field]) - set(w.ids), key=str)
    if extra:
        raise InputError(f"ids in the table but not in the polygons/weights: {_preview(extra)}")
    check_keys(table, id_field, year_field)
    values = pd.to_numeric(table[value_field], errors="coerce")
    bad = values.isna() & table[value_field].notna()
    if bad.any():
        first = table[bad].iloc[0]
        raise InputError(f"field {value_field!r} holds text that is not a number: unit "
                         f"{first[id_field]} year {first[year_field]}: {first[value_field]!r}")
    infinite = np.isinf(values.to_numpy(float))
    if infinite.any():
        first = np.flatnonzero(infinite)[0]
        raise InputError(f"field {value_field!r} is infinite for unit {table[id_field].iloc[first]} "
                         f"year {table[year_field].iloc[first]} ({int(infinite.sum())} row(s) in all); "
                         "every value must be a finite number")
    wide = table.assign(**{value_field: values}).pivot(index=id_field, columns=year_field,
                                                       values=value_field)
    wide = wide.reindex(index=w.ids).sort_index(axis=1)
    for year in wide.columns:
        missing = wide.index[wide[year].isna()].tolist()
        if missing:
            raise InputError(f"year {year}: field {value_field!r} is missing or NULL for units "
                             f"{_preview(missing)}")
    return list(wide.columns), wide.to_numpy(dtype=float)


def hot_spots_by_year(panel_df: pd.DataFrame, id_field: str, year_field: str, value_field: str,
                      w: SpatialWeights, inference="permutation", permutations=999, seed=None,
                      correction="none", n_jobs=1) -> pd.DataFrame:
    """Gi* of ``value_field`` per unit and year: columns <id_field>, YEAR,
    GI_Z, GI_P, GI_BIN. Year y uses seed ``[seed, y]`` (reproducible,
    whatever other years the table holds).
    Correction applies within each year."""
    significance_cutoff([0.5], 0.05, correction)
    out = []
    years, values = yearly_values(panel_df, id_field, year_field, value_field, w)
    for t, year in enumerate(years):
        x = values[:, t]
        try:
            z = gi_star_z(x, w)
        except InputError as error:
            raise InputError(f"year {year}: field {value_field!r}: {error}") from None
        p = gi_star_p(x, w, z, inference, permutations, year_seed(seed, year), n_jobs)
        out.append(pd.DataFrame({id_field: list(w.ids), "YEAR": year, "GI_Z": z, "GI_P": p,
                                 "GI_BIN": gi_bins(z, p, correction)}))
    return pd.concat(out, ignore_index=True)


def mann_kendall(series) -> pd.DataFrame:
    """Mann–Kendall trend test of each row of ``series`` (units × time).

    ``S = sum_{k<j} sign(x_j - x_k)``; ``Var S = [n(n-1)(2n+5) - sum_t
    t(t-1)(2t+5)] / 18`` over groups of t tied values; ``z = (S - sign S) /
    sqrt(Var S)`` (continuity correction); two-sided ``p = 2 Φ(-|z|)``;
    Kendall's ``tau = S / (n(n-1)/2)``. (Mann 1945, Econometrica 13:245–259;
    Kendall 1975, Rank Correlation Methods.) Written with numpy over all rows
    at once; pymannkendall's ``original_test`` is the oracle in the tests.
    Returns columns S, VAR_S, TREND_Z, TREND_P, TAU.
    """
    x = np.atleast_2d(np.asarray(series, dtype=float))
    units, n = x.shape
    if n < 3:
        raise InputError(f"the Mann–Kendall trend test needs at least 3 time steps; got {n}")
    s = np.zeros(units)
    for k in range(n - 1):
        s += np.sign(x[:, k + 1:] - x[:, k:k + 1]).sum(axis=1)
    var = np.full(units, n * (n - 1) * (2 * n + 5) / 18.0)
    ordered = np.sort(x, axis=1)
    tied = (np.diff(ordered, axis=1) == 0).any(axis=1)
    for row in np.flatnonzero(tied):
        _, t = np.unique(ordered[row], return_counts=True)
        var[row] -= (t * (t - 1) * (2 * t + 5)).sum() / 18.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(var > 0, (s - np.sign(s)) / np.sqrt(var), 0.0)
    return pd.DataFrame({"S": s, "VAR_S": var, "TREND_Z": z, "TREND_P": 2.0 * ndtr(-np.abs(z)),
                         "TAU": s / (n * (n - 1) / 2.0)})


def _pattern(hot, cold, up, down):
    """One unit's pattern from its hot / cold bin series and trend (see emerging_patterns)."""
    n = hot.shape[0]
    for kind, spots, other, rising, falling in (("HOT", hot, cold, up, down),
                                                ("COLD", cold, hot, down, up)):
        share = spots.sum() / n
        if spots[-1]:
            if share >= 0.9:
                if rising:
                    return f"INTENSIFYING_{kind}"
                if falling:
                    return f"DIMINISHING_{kind}"
                return f"PERSISTENT_{kind}"
            if other[:-1].any():
                return f"OSCILLATING_{kind}"
            if not spots[:-1].any():
                return f"NEW_{kind}"
            run = n - np.flatnonzero(~spots)[-1] - 1
            if run >= 2 and not spots[:n - run].any():
                return f"CONSECUTIVE_{kind}"
            return f"SPORADIC_{kind}"
    for kind, spots in (("HOT", hot), ("COLD", cold)):
        if spots.sum() / n >= 0.9:
            return f"HISTORICAL_{kind}"
    return NO_PATTERN


def emerging_patterns(bins, z, trend_significance=0.05) -> pd.DataFrame:
    """Emerging hot-spot pattern of each unit (rows of ``bins`` and ``z``,
    units × years in time order).

    A year is a hot (cold) spot where the Gi* bin is > 0 (< 0): significant
    at 90 % or more. The trend is the Mann–Kendall test of the yearly Gi*
    z-scores at ``trend_significance`` (intensity of hot clustering rising:
    z increasing; of cold clustering: z decreasing). Following ArcGIS Pro's
    definitions (module docstring), for hot spots (cold ones alike):

    - INTENSIFYING: hot in >= 90 % of the years including the last, and the
      intensity increases significantly; DIMINISHING: it decreases
      significantly; PERSISTENT: no significant trend.
    - NEW: hot in the last year only (never hot before).
    - CONSECUTIVE: one uninterrupted run of >= 2 hot years ending in the
      last, never hot before the run, hot in < 90 % of the years.
    - SPORADIC: hot in the last year, on and off before, < 90 % hot, never
      cold.
    - OSCILLATING: hot in the last year, cold in some earlier year, < 90 %
      hot.
    - HISTORICAL: not hot in the last year but hot in >= 90 % of the years.
    - NO_PATTERN otherwise.

    Where ArcGIS's sentences overlap, the pattern about the last year wins:
    a once-cold unit that becomes newly or consecutively hot fits NEW or
    CONSECUTIVE and OSCILLATING, and is called OSCILLATING (likewise a unit
    hot in >= 90 % of the years, HISTORICAL_HOT, that ends cold:
    OSCILLATING_COLD); a unit hot in >= 90 % of the years but not in the last
    one with no trend fits PERSISTENT and HISTORICAL, and is called
    HISTORICAL. tests/core/test_emerging_reference.py checks every pattern
    against a separate implementation of ArcGIS's definitions.

    Returns columns PATTERN, HOT_YEARS, COLD_YEARS and those of
    :func:`mann_kendall`.
    """
    bins = np.atleast_2d(np.asarray(bins))
    trend = mann_kendall(z)
    up = (trend["TREND_P"].to_numpy() <= trend_significance) & (trend["TREND_Z"].to_numpy() > 0)
    down = (trend["TREND_P"].to_numpy() <= trend_significance) & (trend["TREND_Z"].to_numpy() < 0)
    hot, cold = bins > 0, bins < 0
    patterns = [_pattern(hot[i], cold[i], up[i], down[i]) for i in range(bins.shape[0])]
    return pd.concat([pd.DataFrame({"PATTERN": pd.Series(patterns, dtype=object),
                                    "HOT_YEARS": hot.sum(axis=1), "COLD_YEARS": cold.sum(axis=1)}),
                      trend], axis=1)


def emerging_hot_spots(hot_spots: pd.DataFrame, id_field: str, trend_significance=0.05) -> pd.DataFrame:
    """Patterns of every unit from :func:`hot_spots_by_year`'s table (complete
    years for every unit; islands have no z and get NO_PATTERN)."""
    z = hot_spots.pivot(index=id_field, columns="YEAR", values="GI_Z").sort_index(axis=1)
    bins = hot_spots.pivot(index=id_field, columns="YEAR", values="GI_BIN").reindex_like(z)
    islands = z.isna().any(axis=1).to_numpy()
    result = emerging_patterns(bins.to_numpy(), np.nan_to_num(z.to_numpy()), trend_significance)
    result.loc[islands, "PATTERN"] = NO_PATTERN
    result.loc[islands, ["TREND_Z", "TREND_P", "TAU"]] = np.nan
    result.insert(0, id_field, z.index.to_numpy())
    return result

