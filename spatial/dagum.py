"""Dagum Gini coefficient and its decomposition by subgroups.

Dagum, C. (1997). A new approach to the decomposition of the Gini income
inequality ratio. *Empirical Economics* 22: 515-531.

With n values y in k groups, group j holding n_j values of mean mu_j,
``p_j = n_j / n`` and ``s_j = n_j mu_j / (n mu)``:

- ``G    = sum_j sum_h sum_i sum_r |y_ji - y_hr| / (2 n^2 mu)``
- ``G_jj = sum_i sum_r |y_ji - y_jr| / (2 n_j^2 mu_j)``; ``G_w = sum_j G_jj p_j s_j``
- ``G_jh = sum_i sum_r |y_ji - y_hr| / (n_j n_h (mu_j + mu_h))``
- ``d_jh - p_jh = mu_j - mu_h`` and ``d_jh + p_jh`` = mean absolute difference
  between the groups (j the group with the larger mean), so
  ``D_jh = (mu_j - mu_h) n_j n_h / sum_i sum_r |y_ji - y_hr|``
- ``G_nb = sum_{j>h} G_jh (p_j s_h + p_h s_j) D_jh``,
  ``G_t  = sum_{j>h} G_jh (p_j s_h + p_h s_j) (1 - D_jh)``
- ``G = G_w + G_nb + G_t``.

Why this is written by hand: PySAL's ``inequality`` package offers a plain
Gini (and a spatial Gini after Rey & Smith), and Theil decompositions, but no
Dagum decomposition with the between-group ``G_jh`` and the relative economic
affluence ``D_jh``; the usual implementations elsewhere build an n x n matrix
of differences, which does not fit county or grid panels (10^5-10^7 units).

Every sum of absolute differences is computed after sorting, with prefix
sums: no n x n matrix (nor any n_j x n_h block) is ever formed.

- Within one sorted array ``y_(1) <= ... <= y_(m)``:
  ``sum_i sum_r |y_i - y_r| = 2 sum_i (2i - m - 1) y_(i)`` (i from 1).
- Between sorted arrays a and b, with ``c`` the prefix sums of b and
  ``k_i`` the number of b-values below ``a_i`` (``searchsorted``):
  ``sum_i sum_r |a_i - b_r| = sum_i [a_i (2 k_i - n_b) - 2 c[k_i]] + n_a sum(b)``.

Cost: one sort of the values, then for every pair of groups a binary search
of the smaller group in the larger one: O(n log n) for a fixed number of
groups (O(k n log n) at worst for k groups); memory O(n).
Absolute differences do not change when a constant is subtracted, so each
group is centred on its own median before summing (and the searched group
shifted by the difference of the two medians), which keeps the prefix sums
small and the rounding error relative to each group's own scale.
"""

from dataclasses import dataclass, field
from typing import List

import numpy as np
import pandas as pd

from .errors import InputError
from .panel import require_roles as _require_fields
from .labels import shown as _show


__all__ = ["DagumResult", "dagum_gini", "dagum_by_year", "gini"]


@dataclass
class DagumResult:
    """Dagum decomposition of one cross-section.

    ``G = GW + GNB + GT`` to float rounding. Shares are % of G (NaN when
    G = 0, i.e. every value is equal). ``groups`` has one row per group
    (``GROUP``, ``N``, ``MEAN``, ``G_JJ``) in ascending order of mean;
    ``pairs`` has the within-group rows (``GROUP_A == GROUP_B``,
    ``G_AB = G_jj``, ``D_AB`` NaN) in that order, then one row per pair of
    groups (``GROUP_A`` the group with the larger mean, ``G_AB = G_jh``,
    ``D_AB = D_jh``). ``notes`` lists conditions a reader should know about
    (one-member groups allowed, undefined ratios).
    """

    G: float
    GW: float
    GNB: float
    GT: float
    GW_SHARE: float
    GNB_SHARE: float
    GT_SHARE: float
    groups: pd.DataFrame
    pairs: pd.DataFrame
    notes: List[str] = field(default_factory=list)


def _where(year) -> str:
    return "" if year is None else f" in year {year}"


def _unit_namer(series: pd.Series, ids):
    """Position -> "unit X" when unit ids are given, else "row <label>"."""
    if ids is None:
        labels = series.index
        return lambda pos: f"row {_show(labels[pos])}"
    names = np.asarray(ids, dtype=object)
    return lambda pos: f"unit {_show(names[pos])}"


def _as_values(values, value_field: str, year=None, ids=None) -> np.ndarray:
    """Float array of non-negative values, or InputError naming the field,
    the year and the unit (``ids``, in the order of ``values``; the row
    label when not given)."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    where = _where(year)
    name = _unit_namer(series, ids)
    if len(series) == 0:
        raise InputError(f"Field '{value_field}' has no values{where}; the Gini needs at least one.")
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        for pos, item in enumerate(series.tolist()):
            if item is None or (isinstance(item, float) and np.isnan(item)) or item is pd.NA:
                continue
            if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, float, np.integer, np.floating)):
                raise InputError(
                    f"Field '{value_field}' must be numeric{where}; found {_show(item)} at {name(pos)}."
                )
        series = pd.to_numeric(series, errors="coerce")
    y = series.to_numpy(dtype=float, na_value=np.nan)
    missing = np.flatnonzero(np.isnan(y))
    if len(missing):
        raise InputError(
            f"Field '{value_field}' has {len(missing)} NULL value(s){where} "
            f"(first at {name(missing[0])}); the Gini needs a value for every unit."
        )
    infinite = np.flatnonzero(np.isinf(y))
    if len(infinite):
        raise InputError(
            f"Field '{value_field}' has {len(infinite)} infinite value(s){where} "
            f"(first at {name(infinite[0])}); the Gini needs a finite value for every unit."
        )
    negative = np.flatnonzero(y < 0)
    if len(negative):
        raise InputError(
            f"Field '{value_field}' has {len(negative)} negative value(s){where} "
            f"(first {_show(y[negative[0]])} at {name(negative[0])}); "
            "the Gini coefficient is defined for non-negative values only."
        )
    if not np.any(y > 0):
        raise InputError(
            f"Field '{value_field}' is zero for every unit{where}: the Gini coefficient "
            "is undefined (0/0) when the mean is zero."
        )
    return y


def _rescaled(y: np.ndarray):
    """``(y / max y, max y)``. Every Gini term is a ratio of sums of values,
    so the division changes nothing but keeps the sums clear of underflow
    (subnormal values) and overflow (values near the float maximum)."""
    top = float(y.max())
    return y / top, top


def _within_sum(sorted_y: np.ndarray) -> float:
    """sum_i sum_r |y_i - y_r| over ordered pairs of one sorted array."""
    m = sorted_y.shape[0]
    ranks = np.arange(1 - m, m, 2, dtype=float)  # 2i - m - 1 for i = 1..m
    return 2.0 * float(np.dot(ranks, sorted_y))


def _between_sum(a: np.ndarray, b: np.ndarray, prefix_b: np.ndarray) -> float:
    """sum_i sum_r |a_i - b_r| for sorted a and sorted b (prefix_b = [0, cumsum(b)])."""
    below = np.searchsorted(b, a, side="left")
    return float(
        2.0 * np.dot(a, below.astype(float))
        - b.shape[0] * a.sum()
        - 2.0 * prefix_b[below].sum()
        + a.shape[0] * prefix_b[-1]
    )


def gini(values, *, value_field: str = "value", year=None, ids=None) -> float:
    """Plain Gini coefficient ``sum_i sum_r |y_i - y_r| / (2 n^2 mu)``.

    Computed after sorting as ``sum_i (2i - n - 1) y_(i) / (n sum y)``,
    O(n log n), memory O(n). This is the definition used by
    ``inequality.gini.Gini`` (PySAL) and by Dagum (1997); it is repeated here
    so that the Dagum output can report it without the decomposition path.

    Raises InputError (naming ``value_field``, ``year`` and the unit from
    ``ids`` when given) for NULL, text, infinite or negative values, or when
    every value is zero.
    """
    y = np.sort(_rescaled(_as_values(values, value_field, year, ids))[0])
    n = y.shape[0]
    centre = y[n // 2]
    numerator = _within_sum(y - centre) / 2.0  # sum_i (2i - n - 1) y_(i)
    return numerator / (n * float(y.sum()))


def _check_groups(groups, n: int, group_field: str, year=None, ids=None) -> pd.Series:
    if isinstance(groups, pd.Series):
        series = groups
    elif isinstance(groups, np.ndarray):
        series = pd.Series(groups.ravel())
    else:
        series = pd.Series(list(groups))
    if len(series) != n:
        raise InputError(
            f"Field '{group_field}' has {len(series)} entries but there are {n} values{_where(year)}."
        )
    missing = np.flatnonzero(series.isna().to_numpy())
    if len(missing):
        raise InputError(
            f"Field '{group_field}' has {len(missing)} NULL group(s){_where(year)} "
            f"(first at {_unit_namer(series, ids)(missing[0])}); every unit needs a group."
        )
    return series


def dagum_gini(
    values,
    groups,
    *,
    allow_singletons: bool = False,
    value_field: str = "value",
    group_field: str = "group",
    year=None,
    ids=None,
) -> DagumResult:
    """Dagum (1997) decomposition of the Gini coefficient of ``values`` by ``groups``.

    ``values``: array-like of non-negative numbers (not all zero);
    ``groups``: array-like of group labels, same length, no NULLs, at least
    two distinct groups. Formulas: see the module docstring.

    A group with a single member has ``G_jj = 0`` by definition, which in a
    study almost always signals a wrong group field or a year with missing
    units; it is refused (InputError naming the group and the year) unless
    ``allow_singletons=True``, in which case it is listed in ``notes``.
    A group whose values are all zero has an undefined ``G_jj`` (0/0): it is
    reported as NaN and contributes 0 to GW (its income share s_j is 0).
    A pair of groups with no difference at all (both constant and equal)
    has ``G_jh = 0`` and an undefined ``D_jh`` (NaN, contribution 0).

    ``value_field``, ``group_field``, ``year`` and ``ids`` (the unit of each
    value) only serve the messages. Any finite magnitude works: the values
    are divided by their maximum first, and every term is a ratio.
    """
    y, top = _rescaled(_as_values(values, value_field, year, ids))
    labels = _check_groups(groups, y.shape[0], group_field, year, ids)
    where = _where(year)
    codes, uniques = pd.factorize(labels, sort=False)
    uniques = uniques.tolist()
    k = len(uniques)
    if k < 2:
        raise InputError(
            f"Field '{group_field}' has {k} group{where}; the Dagum decomposition needs at least 2 groups."
        )
    counts = np.bincount(codes, minlength=k)
    notes: List[str] = []
    singles = [uniques[g] for g in np.flatnonzero(counts == 1)]
    if singles:
        message = (
            f"Group(s) {', '.join(_show(s) for s in singles)} of field '{group_field}' have a single member{where}"
        )
        if not allow_singletons:
            raise InputError(
                message + "; a one-member group has no within-group inequality (G_jj = 0 by definition). "
                "Check the group field, or allow one-member groups explicitly."
            )
        notes.append(message + "; their G_jj is 0 by definition.")

    n = y.shape[0]
    # a stable sort of small integers is a radix sort in NumPy: fast
    narrow = codes.astype(np.int16 if k < 2**15 else np.int64)
    y_grouped = y[np.argsort(narrow, kind="stable")]
    bounds = np.concatenate(([0], np.cumsum(counts)))
    sorted_groups = [np.sort(y_grouped[bounds[g]:bounds[g + 1]]) for g in range(k)]
    del y_grouped
    centres = np.array([v[v.shape[0] // 2] for v in sorted_groups])
    members = [v - c for v, c in zip(sorted_groups, centres)]
    del sorted_groups
    prefixes = [np.concatenate(([0.0], np.cumsum(m))) for m in members]
    offsets = np.array([prefix[-1] for prefix in prefixes]) / counts  # mean - centre
    means = centres + offsets
    mean_all = float(y.mean())

    rank = sorted(range(k), key=lambda g: (means[g], str(uniques[g])))
    within = np.array([_within_sum(members[g]) for g in range(k)])

    p = counts / n
    s = counts * means / (n * mean_all)
    with np.errstate(invalid="ignore", divide="ignore"):
        g_jj = np.where(means > 0, within / (2.0 * counts.astype(float) ** 2 * means), np.nan)
    if np.any(means == 0):
        zero = [uniques[g] for g in np.flatnonzero(means == 0)]
        notes.append(
            f"Group(s) {', '.join(_show(z) for z in zero)} of field '{group_field}' are zero for every unit{where}: "
            "G_jj is undefined (reported NULL) and contributes 0."
        )
    gw = float(np.sum(np.where(means > 0, g_jj, 0.0) * p * s))

    total = float(within.sum())
    gnb = 0.0
    gt = 0.0
    pair_rows = []
    for lo_pos in range(k):
        h = rank[lo_pos]
        for hi_pos in range(lo_pos + 1, k):
            j = rank[hi_pos]  # larger (or equal) mean
            # y_j - y_h = (x_j + c_j - c_h) - x_h with x the values centred per group
            shift = centres[j] - centres[h]
            if counts[j] <= counts[h]:
                cross = _between_sum(members[j] + shift, members[h], prefixes[h])
            else:
                cross = _between_sum(members[h] - shift, members[j], prefixes[j])
            total += 2.0 * cross
            mean_gap = max(shift + (offsets[j] - offsets[h]), 0.0)
            if cross > 0:
                g_jh = cross / (counts[j] * counts[h] * (means[j] + means[h]))
                d_jh = mean_gap * counts[j] * counts[h] / cross
                weight = g_jh * (p[j] * s[h] + p[h] * s[j])
                gnb += weight * d_jh
                gt += weight * (1.0 - d_jh)
            else:
                g_jh = 0.0 if means[j] + means[h] > 0 else np.nan
                d_jh = np.nan
            pair_rows.append((uniques[j], uniques[h], g_jh, d_jh))

    g_total = total / (2.0 * n * n * mean_all)
    if g_total > 0:
        shares = [100.0 * c / g_total for c in (gw, gnb, gt)]
    else:
        shares = [np.nan] * 3
        notes.append(f"Every value is equal{where}: G = 0 and the shares are undefined.")

    group_table = pd.DataFrame(
        {
            "GROUP": [uniques[g] for g in rank],
            "N": counts[rank].astype(np.int64),
            "MEAN": means[rank] * top,
            "G_JJ": g_jj[rank],
        }
    )
    within_rows = [(uniques[g], uniques[g], g_jj[g], np.nan) for g in rank]
    pair_table = pd.DataFrame(
        within_rows + pair_rows, columns=["GROUP_A", "GROUP_B", "G_AB", "D_AB"]
    )
    pair_table["G_AB"] = pair_table["G_AB"].astype(float)
    pair_table["D_AB"] = pair_table["D_AB"].astype(float)
    return DagumResult(
        G=g_total,
        GW=gw,
        GNB=gnb,
        GT=gt,
        GW_SHARE=shares[0],
        GNB_SHARE=shares[1],
        GT_SHARE=shares[2],
        groups=group_table,
        pairs=pair_table,
        notes=notes,
    )


OUTPUT_COLUMNS = ["YEAR", "G", "GW", "GNB", "GT", "GW_SHARE", "GNB_SHARE", "GT_SHARE", "GINI"]
PAIR_COLUMNS = ["YEAR", "GROUP_A", "GROUP_B", "G_AB", "D_AB"]


def dagum_by_year(
    df: pd.DataFrame,
    value_field: str,
    group_field: str,
    year_field: str,
    *,
    allow_singletons: bool = False,
    id_field: "str | None" = None,
) -> "tuple[pd.DataFrame, pd.DataFrame]":
    """Dagum decomposition of ``value_field`` by ``group_field`` for every year.

    Returns ``(output, pairs)``:

    - ``output``: one row per year (ascending) with ``YEAR``, ``G``, ``GW``,
      ``GNB``, ``GT``, ``GW_SHARE``, ``GNB_SHARE``, ``GT_SHARE`` (% of G) and
      ``GINI``, the plain Gini of that year computed by :func:`gini` (sorted
      ranks of all values, independent of the decomposition path; it equals
      G up to rounding).
    - ``pairs``: ``YEAR``, ``GROUP_A``, ``GROUP_B``, ``G_AB``, ``D_AB`` — per
      year the within-group rows (``GROUP_A == GROUP_B``, ``G_AB = G_jj``,
      ``D_AB`` NULL) in ascending order of group mean, then every pair of
      groups with ``GROUP_A`` the group with the larger mean that year.

    Raises InputError naming the field, group or year for: a missing field,
    NULL years, values or groups, text or negative values, a year whose
    values are all zero, a year with fewer than 2 groups, a one-member group
    (unless ``allow_singletons``). With ``id_field`` the messages name the
    unit; without it, the row label. The input is not modified.
    """
    roles = [("value field", value_field), ("group field", group_field), ("year field", year_field)]
    _require_fields(df, roles + ([("id field", id_field)] if id_field is not None else []))
    years = df[year_field]
    if years.isna().any():
        first = int(np.flatnonzero(years.isna().to_numpy())[0])
        where = (f"unit {_show(df[id_field].iloc[first])}" if id_field is not None
                 else f"row {_show(df.index[first])}")
        raise InputError(f"Field '{year_field}' has NULL years (first at {where}).")
    if len(df) == 0:
        raise InputError(f"The input has no rows; field '{value_field}' needs values.")
    output_rows = []
    pair_frames = []
    for year, part in df.groupby(year_field, sort=True):
        ids = None if id_field is None else part[id_field].to_numpy()
        result = dagum_gini(
            part[value_field],
            part[group_field],
            allow_singletons=allow_singletons,
            value_field=value_field,
            group_field=group_field,
            year=year,
            ids=ids,
        )
        plain = gini(part[value_field], value_field=value_field, year=year, ids=ids)
        output_rows.append(
            (year, result.G, result.GW, result.GNB, result.GT,
             result.GW_SHARE, result.GNB_SHARE, result.GT_SHARE, plain)
        )
        pairs = result.pairs.copy()
        pairs.insert(0, "YEAR", year)
        pair_frames.append(pairs)
    output = pd.DataFrame(output_rows, columns=OUTPUT_COLUMNS)
    pairs = pd.concat(pair_frames, ignore_index=True)[PAIR_COLUMNS]
    return output, pairs
