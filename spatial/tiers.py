"""Tiers (ordered classes) of a value, normally the coupling coordination D.

Methods (DESIGN §2, "Data-driven tiers"):

- ``kmeans_year``: K-means (scikit-learn ``KMeans``, fixed ``n_init``,
  ``random_state=seed``) separately in every year, as in the reference study;
  tiers are then not comparable across years.
- ``kmeans_pooled``: one K-means over all years; thresholds are the same for
  every year, so tiers are comparable over time.
- ``jenks``: Fisher-Jenks natural breaks over all years (the partition of
  ``mapclassify.FisherJenks``, computed by :func:`fisher_jenks_bins`, see
  there why); above ``jenks_sample`` values the breaks are found on a seeded
  random sample (``mapclassify.FisherJenksSampled`` draws from NumPy's global
  random state, so it is not reproducible; the sample here is drawn with
  ``numpy.random.default_rng(seed)`` and keeps the minimum and maximum).
- ``quantiles``: quantile classes over all years (the classes of
  ``mapclassify.Quantiles``, computed by :func:`quantile_bins`).
- ``fixed``: class intervals ``[a, b)``, the last one closed; by default the
  10 D classes 0-0.1, ..., 0.9-1 (DESIGN §2), or custom ``breaks``.

K-means labels are arbitrary: clusters are relabelled by centroid so that
tier 0 is the lowest. In one dimension a K-means cluster is an interval.

Every data-driven method is equivariant to the scale of the values; they
work on the values times a power of two (:mod:`spatial.scaling`: exact, so
ordinary data give the same tiers and thresholds bit for bit), so values
from 1e-300 to 1e300 get the tiers of their unit-scale counterparts.
"""

from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .panel import require_roles as _require_fields
from .labels import label as _label, shown as _show
from .scaling import centred, scale_exponent, times_power_of_two


__all__ = ["TierResult", "METHODS", "D_CLASS_BREAKS", "tiers", "tier_counts", "group_means", "fisher_jenks_bins", "quantile_bins"]

METHODS = ("kmeans_year", "kmeans_pooled", "jenks", "quantiles", "fixed")
D_CLASS_BREAKS = tuple(round(0.1 * i, 1) for i in range(11))


@dataclass
class TierResult:
    """Tiers and the thresholds they imply.

    ``tier``: Series of int named ``TIER`` aligned to the input index,
    0 = lowest. ``thresholds``: one row per tier (per year for
    ``kmeans_year``; ``YEAR`` is None for the pooled methods) with
    ``YEAR``, ``TIER``, ``LOWER``, ``UPPER``, ``CENTROID``:

    - K-means: LOWER / UPPER = smallest / largest member value, CENTROID =
      cluster centre.
    - jenks / quantiles: mapclassify-style intervals ``(LOWER, UPPER]`` (the
      first one closed, LOWER = minimum); CENTROID is NaN.
    - fixed: the class interval ``[LOWER, UPPER)`` (the last one closed);
      CENTROID is NaN.

    ``method`` names the method used; ``notes`` lists anything a reader
    should know (e.g. fewer quantile classes than asked because of ties).
    """

    tier: pd.Series
    thresholds: pd.DataFrame
    method: str
    notes: List[str] = field(default_factory=list)


THRESHOLD_COLUMNS = ["YEAR", "TIER", "LOWER", "UPPER", "CENTROID"]


def _row_name(df: pd.DataFrame, index, id_field: Optional[str], year_field: Optional[str]) -> str:
    parts = []
    if id_field is not None and id_field in df.columns:
        parts.append(f"unit {_show(df.at[index, id_field])}")
    if year_field is not None and year_field in df.columns:
        parts.append(f"year {_show(df.at[index, year_field])}")
    return ", ".join(parts) if parts else f"row {_show(index)}"


def _numeric_values(df: pd.DataFrame, value_field: str, id_field, year_field) -> np.ndarray:
    column = df[value_field]
    if pd.api.types.is_bool_dtype(column.dtype) or not pd.api.types.is_numeric_dtype(column.dtype):
        for index, item in column.items():
            if item is None or item is pd.NA or (isinstance(item, float) and np.isnan(item)):
                continue
            if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, float, np.integer, np.floating)):
                raise InputError(
                    f"Field '{value_field}' must be numeric; found {_show(item)} "
                    f"at {_row_name(df, index, id_field, year_field)}."
                )
        column = pd.to_numeric(column, errors="coerce")
    values = column.to_numpy(dtype=float, na_value=np.nan)
    for bad, what in ((np.isnan(values), "NULL"), (np.isinf(values), "infinite")):
        where = np.flatnonzero(bad)
        if len(where):
            index = df.index[where[0]]
            raise InputError(
                f"Field '{value_field}' has {len(where)} {what} value(s) "
                f"(first at {_row_name(df, index, id_field, year_field)}); every row needs a finite "
                "value to be classified."
            )
    return values


def _kmeans(values: np.ndarray, k: int, seed: int, n_init: int, where: str):
    """Labels ordered by centroid (0 = lowest), and the sorted centres."""
    from sklearn.cluster import KMeans

    distinct = np.unique(values).shape[0]
    if distinct < k:
        raise InputError(
            f"{where[0].upper() + where[1:]} has {distinct} distinct value(s); K-means with k={k} needs at least {k}."
        )
    from threadpoolctl import threadpool_limits

    # one thread: on 1-D data OpenMP start-up and spin-waiting cost more than
    # they save (10-30x slower on a busy 2-core machine)
    # K-means is scale-equivariant: cluster the values times a power of two
    # (exact) so that squared distances of values near 1e±300 stay in range
    e = scale_exponent(values)
    with threadpool_limits(limits=1, user_api="openmp"):
        model = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(
            times_power_of_two(values, -e).reshape(-1, 1))
    centres = times_power_of_two(model.cluster_centers_.ravel(), e)
    order = np.argsort(centres, kind="stable")
    relabel = np.empty(k, dtype=np.int64)
    relabel[order] = np.arange(k)
    return relabel[model.labels_], centres[order]


def _kmeans_thresholds(values, labels, centres, year) -> list:
    rows = []
    for t, centre in enumerate(centres):
        members = values[labels == t]
        lower, upper = (float(members.min()), float(members.max())) if members.size else (np.nan, np.nan)
        rows.append((year, t, lower, upper, float(centre)))
    return rows


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
        raise InputError(f"K (number of tiers) must be an integer of at least 2; got {_show(k)}.")
    return int(k)


def _fixed_breaks(breaks) -> np.ndarray:
    edges = np.asarray(D_CLASS_BREAKS if breaks is None else breaks, dtype=float)
    if edges.ndim != 1 or edges.shape[0] < 2 or not np.all(np.isfinite(edges)):
        raise InputError(f"Breaks must be a list of at least 2 finite numbers; got {_show(breaks)}.")
    if np.any(np.diff(edges) <= 0):
        raise InputError(f"Breaks must be strictly increasing; got {list(edges)}.")
    return edges


def tiers(
    df: pd.DataFrame,
    value_field: str,
    year_field: Optional[str],
    *,
    method: str = "kmeans_year",
    k: int = 3,
    seed: int = 0,
    breaks: Optional[Sequence[float]] = None,
    n_init: int = 10,
    jenks_sample: int = 10_000,
    id_field: Optional[str] = None,
) -> TierResult:
    """Ordered tiers of ``value_field`` (0 = lowest) by ``method`` (see module doc).

    ``year_field`` is required for ``kmeans_year`` and may be None for the
    pooled methods. ``k`` is the number of tiers (ignored by ``fixed``,
    whose number of classes is ``len(breaks) - 1``). ``id_field`` only
    improves messages. Deterministic for a given ``seed``.

    Raises InputError for an unknown method (listing the methods), a missing
    field, NULL / text / infinite values (naming the row, or the unit and
    year), a year (``kmeans_year``) or a whole table with fewer distinct
    values than ``k`` (naming the year), invalid ``breaks``, and values
    outside the fixed breaks. The input is not modified.
    """
    if method not in METHODS:
        raise InputError(f"Unknown tier method {_show(method)}; choose one of: {', '.join(METHODS)}.")
    fields = [("value field", value_field)]
    if year_field is not None:
        fields.append(("year field", year_field))
    elif method == "kmeans_year":
        raise InputError("Per-year K-means (method 'kmeans_year') needs a year field.")
    _require_fields(df, fields)
    if len(df) == 0:
        raise InputError(f"The input has no rows; field '{value_field}' cannot be classified.")
    values = _numeric_values(df, value_field, id_field, year_field)
    labels = np.empty(values.shape[0], dtype=np.int64)
    rows: list = []
    notes: List[str] = []

    if method == "kmeans_year":
        k = _check_k(k)
        years = df[year_field]
        if years.isna().any():
            index = years.index[years.isna().to_numpy()][0]
            raise InputError(f"Field '{year_field}' has NULL years (first at row {_show(index)}).")
        codes, uniques = pd.factorize(years, sort=True)
        for code, year in enumerate(uniques):
            positions = np.flatnonzero(codes == code)
            part = values[positions]
            year_labels, centres = _kmeans(
                part, k, seed, n_init, f"year {_show(year)} of field '{year_field}' ({value_field})"
            )
            labels[positions] = year_labels
            rows.extend(_kmeans_thresholds(part, year_labels, centres, year))
    elif method == "kmeans_pooled":
        k = _check_k(k)
        labels[:], centres = _kmeans(values, k, seed, n_init, f"field '{value_field}' (all years pooled)")
        rows.extend(_kmeans_thresholds(values, labels, centres, None))
    elif method in ("jenks", "quantiles"):
        k = _check_k(k)
        distinct = np.unique(values).shape[0]
        if distinct < k:
            raise InputError(
                f"Field '{value_field}' has {distinct} distinct value(s) over all years; {k} tiers need at least {k}."
            )
        bins = _class_bins(values, method, k, seed, jenks_sample)
        if len(bins) < k:
            notes.append(f"Ties left {len(bins)} distinct {method} classes instead of {k}.")
        labels[:] = np.searchsorted(bins, values, side="left")
        lowers = np.concatenate(([values.min()], bins[:-1]))
        rows.extend((None, t, float(lowers[t]), float(bins[t]), np.nan) for t in range(len(bins)))
    else:
        edges = _fixed_breaks(breaks)
        outside = np.flatnonzero((values < edges[0]) | (values > edges[-1]))
        if len(outside):
            index = df.index[outside[0]]
            raise InputError(
                f"Field '{value_field}' has {len(outside)} value(s) outside the class breaks "
                f"[{edges[0]:g}, {edges[-1]:g}] (first {_show(values[outside[0]])} at "
                f"{_row_name(df, index, id_field, year_field)})."
            )
        labels[:] = np.minimum(np.searchsorted(edges, values, side="right") - 1, len(edges) - 2)
        rows.extend((None, t, float(edges[t]), float(edges[t + 1]), np.nan) for t in range(len(edges) - 1))

    tier = pd.Series(labels, index=df.index, name="TIER", dtype=np.int64)
    thresholds = pd.DataFrame(rows, columns=THRESHOLD_COLUMNS)
    thresholds["TIER"] = thresholds["TIER"].astype(np.int64)
    for column in ("LOWER", "UPPER", "CENTROID"):
        thresholds[column] = thresholds[column].astype(float)
    return TierResult(tier=tier, thresholds=thresholds, method=method, notes=notes)


def _class_bins(values: np.ndarray, method: str, k: int, seed: int, jenks_sample: int) -> np.ndarray:
    """Upper bounds of the classes (last = maximum), classes ``(b[t-1], b[t]]``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "quantiles":
            bins = quantile_bins(values, k)
        elif values.shape[0] <= jenks_sample:
            bins = fisher_jenks_bins(values, k)
        else:
            rng = np.random.default_rng(seed)
            sample = values[rng.choice(values.shape[0], size=jenks_sample, replace=False)]
            sample[0] = values.min()
            sample[-1] = values.max()
            bins = fisher_jenks_bins(sample, k)
    bins = np.unique(np.asarray(bins, dtype=float))
    bins[-1] = max(bins[-1], values.max())
    return bins


def quantile_bins(values, k: int) -> np.ndarray:
    """Upper bounds of k quantile classes: the (100 t / k)-th percentiles, t = 1..k.

    Linear interpolation, repeated bounds (ties) collapsed, as in
    ``mapclassify.Quantiles`` (the tests compare with it). Done in NumPy
    because importing mapclassify costs seconds where numba is installed
    (it compiles its kernels at import), a cold-start cost a command-line
    tool should not pay for a percentile.
    """
    percents = 100.0 * np.arange(1, k + 1) / k
    x = np.asarray(values, dtype=float)
    e = scale_exponent(x)  # interpolating between ±1.5e308 must not overflow
    return np.unique(times_power_of_two(np.percentile(times_power_of_two(x, -e), percents), e))


def fisher_jenks_bins(values, k: int) -> np.ndarray:
    """Upper bounds of the k Fisher-Jenks classes of ``values`` (the last is the maximum).

    Fisher (1958) exact optimal 1-D partition: minimise the total within-class
    sum of squared deviations, by dynamic programming over the sorted values,
    ``D_c(j) = min_i D_{c-1}(i) + SSD(x_i .. x_{j-1})`` with SSD from prefix
    sums of x and x^2 (values centred first). O(k n^2) arithmetic but only
    O(k n) NumPy calls, memory O(k n).

    Written by hand although ``mapclassify.FisherJenks`` computes the same
    partition: without numba (absent from QGIS's Python) mapclassify runs a
    pure-Python triple loop that takes ~15 s for 3,000 values and minutes for
    10,000; this takes well under a second for 10,000. The tests compare it
    with mapclassify.
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = x.shape[0]
    if k < 1 or k > n:
        raise InputError(f"Fisher-Jenks needs 1 <= k <= number of values ({n}); got k={k}.")
    z = centred(x)  # x - mean times a power of two: the same argmins, no overflow of z^2
    s1 = np.concatenate(([0.0], np.cumsum(z)))
    s2 = np.concatenate(([0.0], np.cumsum(z * z)))
    positions = np.arange(n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        best = s2 - s1 * s1 / positions  # one class holding x[0:j]
    back = np.zeros((k + 1, n + 1), dtype=np.int64)
    for c in range(2, k + 1):
        current = np.full(n + 1, np.inf)
        for j in range(c, n + 1):
            starts = positions[c - 1:j]  # last class is x[i:j]
            width = j - starts
            delta = s1[j] - s1[starts]
            cost = best[c - 1:j] + (s2[j] - s2[starts]) - delta * delta / width
            i = int(np.argmin(cost))
            current[j] = cost[i]
            back[c, j] = i + c - 1
        best = current
    uppers = []
    j = n
    for c in range(k, 1, -1):
        uppers.append(x[j - 1])
        j = back[c, j]
    uppers.append(x[j - 1])
    return np.array(uppers[::-1])


def tier_counts(
    df: pd.DataFrame,
    tier_field: str,
    year_field: str,
    *,
    all_tiers: Optional[Sequence[int]] = None,
) -> pd.DataFrame:
    """Number of units per tier and year (the study's Table 3).

    Columns ``YEAR``, ``TIER``, ``COUNT``; every tier appears in every year
    (zero-filled), ordered by year then tier. The tiers listed are
    ``all_tiers`` if given (e.g. ``range(10)`` for the fixed D classes),
    else every tier that occurs in any year. Raises InputError for a
    missing field or NULL tiers / years.
    """
    _require_fields(df, [("tier field", tier_field), ("year field", year_field)])
    for name in (tier_field, year_field):
        if df[name].isna().any():
            index = df.index[df[name].isna().to_numpy()][0]
            raise InputError(f"Field '{name}' has NULL entries (first at row {_show(index)}).")
    counts = df.groupby([year_field, tier_field]).size()
    years = sorted(df[year_field].unique())
    levels = sorted(set(df[tier_field].unique()) | set(all_tiers or []))
    full = pd.MultiIndex.from_product([years, levels], names=["YEAR", "TIER"])
    counts.index = counts.index.set_names(["YEAR", "TIER"])
    table = counts.reindex(full, fill_value=0).rename("COUNT").reset_index()
    table["COUNT"] = table["COUNT"].astype(np.int64)
    return table


def group_means(
    df: pd.DataFrame,
    value_field: str,
    group_field: str,
    year_field: str,
    *,
    overall_label: str = "overall",
) -> pd.DataFrame:
    """Mean of ``value_field`` per group and year (the study's Table 2).

    Wide table: column ``GROUP`` then one column per year (named
    the year as text, ascending) and ``MEAN``; one row per group (sorted by
    label; labels are written as text so that the column has one type)
    and a final row ``overall``. The ``overall`` entry of a year is
    the mean over *all units* of that year (not the mean of the group
    means); rows whose group is NULL are left out of the group rows but
    counted in ``overall``. ``MEAN`` is the mean of the row's yearly values
    over the years in which the group has units. Raises InputError for a
    missing field, NULL / text values or NULL years. The input is not
    modified.
    """
    _require_fields(
        df, [("value field", value_field), ("group field", group_field), ("year field", year_field)]
    )
    values = _numeric_values(df, value_field, None, year_field)
    if df[year_field].isna().any():
        index = df.index[df[year_field].isna().to_numpy()][0]
        raise InputError(f"Field '{year_field}' has NULL years (first at row {_show(index)}).")
    frame = pd.DataFrame(
        {"GROUP": df[group_field].to_numpy(), "YEAR": df[year_field].to_numpy(), "VALUE": values}
    )
    years = sorted(frame["YEAR"].unique())
    per_group = (
        frame.dropna(subset=["GROUP"]).groupby(["GROUP", "YEAR"])["VALUE"].mean().unstack("YEAR")
    )
    per_group = per_group.reindex(columns=years).sort_index()
    overall = frame.groupby("YEAR")["VALUE"].mean().reindex(years)
    table = pd.DataFrame(per_group.to_numpy(), columns=[_label(y) for y in years])
    table.insert(0, "GROUP", [_label(g) for g in per_group.index])
    overall_row = pd.DataFrame([[overall_label] + list(overall.to_numpy())], columns=table.columns)
    table = pd.concat([table, overall_row], ignore_index=True)
    table["MEAN"] = table[[_label(y) for y in years]].mean(axis=1, skipna=True)
    return table
