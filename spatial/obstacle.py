"""Obstacle degree model (DESIGN §2, "Obstacle degree").

For unit-year i and indicator j, with ``x'_ij`` in [0, 1] standardised in
the positive direction and factor contribution ``F_j = w_j`` (entropy
weights by default, or the user's weights):

- deviation ``I_ij = 1 - x'_ij``
- obstacle ``O_ij = F_j I_ij / sum_j F_j I_ij * 100`` (%)
- subsystem obstacle = sum of the obstacles of its indicators.

A unit-year at the best value on every weighted indicator has
``sum_j F_j I_ij = 0``: its obstacles are undefined, reported as NaN (and
listed by :func:`no_deviation_rows`), never divided by zero.

Neither PySAL nor scikit-learn offers the obstacle degree model (factor
contribution x deviation, shares in %), hence it is written here.
"""

from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .labels import label as _label, shown as _show


__all__ = [
    "obstacle_degree",
    "no_deviation_rows",
    "subsystem_obstacles",
    "obstacle_summary",
    "top_obstacles",
]

PREFIX = "O_"
WEIGHT_TOLERANCE = 1e-6
RANGE_TOLERANCE = 1e-9


def _weighted_deviation(x_std: pd.DataFrame, weights) -> "tuple[np.ndarray, list]":
    """``F_j I_ij`` as an array (rows of x_std, columns of x_std), after checks."""
    if not isinstance(x_std, pd.DataFrame):
        raise InputError("The standardised indicators must be a table (one column per indicator).")
    if x_std.shape[1] == 0:
        raise InputError("No indicator columns were given for the obstacle degree.")
    columns = list(x_std.columns)
    for column in columns:
        dtype = x_std[column].dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            raise InputError(f"Indicator '{column}' must be numeric (standardised values in [0, 1]); it holds {dtype}.")
    x = x_std.to_numpy(dtype=float, na_value=np.nan, copy=True)
    if np.isnan(x).any():
        row, col = np.argwhere(np.isnan(x))[0]
        raise InputError(
            f"Indicator '{columns[col]}' has NULL values (first at row {_show(x_std.index[row])}); "
            "every unit-year needs a standardised value."
        )
    outside = (x < -RANGE_TOLERANCE) | (x > 1 + RANGE_TOLERANCE)
    if outside.any():
        row, col = np.argwhere(outside)[0]
        raise InputError(
            f"Indicator '{columns[col]}' has the value {_show(x[row, col])} at row {_show(x_std.index[row])}, outside [0, 1]; "
            "the obstacle degree needs standardised values in [0, 1] oriented so that 1 is best "
            "(without the optional +eps shift)."
        )
    w = _check_weights(weights, columns)
    np.clip(x, 0.0, 1.0, out=x)  # x is the array's own copy: worked on in place (n x indicators floats)
    np.subtract(1.0, x, out=x)
    x *= w
    return x, columns


def _check_weights(weights, columns: List) -> np.ndarray:
    if not isinstance(weights, pd.Series):
        if isinstance(weights, dict):
            weights = pd.Series(weights)
        else:
            raise InputError("Weights must be given per indicator (a Series or mapping indexed by indicator name).")
    missing = [c for c in columns if c not in weights.index]
    if missing:
        raise InputError(f"No weight was given for indicator(s) {', '.join(map(_show, missing))}.")
    extra = [c for c in weights.index if c not in columns]
    if extra:
        raise InputError(
            f"Weight(s) given for {', '.join(map(_show, extra))}, which are not among the indicators "
            f"({', '.join(map(_show, columns))})."
        )
    if weights.index.has_duplicates:
        duplicated = weights.index[weights.index.duplicated()][0]
        raise InputError(f"Indicator {_show(duplicated)} has more than one weight.")
    try:
        w = pd.to_numeric(weights.reindex(columns), errors="raise").to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError("Weights must be numbers.") from None
    for name, value in zip(columns, w):
        if not np.isfinite(value):
            raise InputError(f"The weight of indicator {_show(name)} is missing or not finite ({_show(value)}).")
        if value < 0:
            raise InputError(f"The weight of indicator {_show(name)} is negative ({_show(value)}); weights must be >= 0.")
    total = float(w.sum())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise InputError(f"Weights must sum to 1; they sum to {total:.10g}.")
    return w


def obstacle_degree(x_std: pd.DataFrame, weights) -> pd.DataFrame:
    """Obstacle degree ``O_ij = w_j (1 - x'_ij) / sum_j w_j (1 - x'_ij) * 100``.

    ``x_std``: DataFrame, one column per indicator, values in [0, 1] oriented
    so that 1 is best (no NULLs). ``weights``: Series (or dict) indexed by
    the same indicator names, each >= 0, summing to 1 (within 1e-6).

    Returns a DataFrame aligned to ``x_std.index`` with one column
    ``O_<indicator>`` per indicator (same order), in %; each row sums to
    100, except rows with no weighted deviation at all, which are NaN (see
    :func:`no_deviation_rows`). Raises InputError naming the indicator or
    row for text or NULL values, values outside [0, 1], and for missing,
    extra, negative, non-finite or not-summing-to-1 weights. The input is
    not modified.
    """
    obstacles, columns = _weighted_deviation(x_std, weights)
    totals = obstacles.sum(axis=1)
    defined = totals > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        obstacles /= totals[:, None]
    obstacles *= 100.0
    obstacles[~defined] = np.nan
    return pd.DataFrame(obstacles, index=x_std.index, columns=[f"{PREFIX}{c}" for c in columns],
                        copy=False)


def no_deviation_rows(x_std: pd.DataFrame, weights) -> pd.Index:
    """Index labels of the rows with ``sum_j w_j (1 - x'_ij) = 0``.

    These unit-years are at the best value on every weighted indicator; their
    obstacle degrees are undefined (NaN in :func:`obstacle_degree`). Same
    checks and errors as :func:`obstacle_degree`.
    """
    deviation, _ = _weighted_deviation(x_std, weights)
    return x_std.index[deviation.sum(axis=1) == 0]


def _indicator_column(obstacles: pd.DataFrame, name: str) -> str:
    for candidate in (f"{PREFIX}{name}", name):
        if candidate in obstacles.columns:
            return candidate
    raise InputError(
        f"Indicator {_show(name)} has no obstacle column (expected '{PREFIX}{name}'); "
        f"available: {', '.join(map(str, obstacles.columns))}."
    )


def subsystem_obstacles(obstacles: pd.DataFrame, subsystems: Dict[str, Sequence[str]]) -> pd.DataFrame:
    """Obstacle of each subsystem: the sum of the obstacles of its indicators.

    ``obstacles``: output of :func:`obstacle_degree`; ``subsystems``: mapping
    subsystem name -> indicator names (with or without the ``O_`` prefix).
    Returns one column ``O_<subsystem>`` per subsystem (mapping order),
    aligned to ``obstacles.index``; NaN rows stay NaN. Indicators left out
    of every subsystem are allowed (the subsystem columns then sum to less
    than 100). Raises InputError for an unknown indicator, an indicator in
    two subsystems, or an empty subsystem.
    """
    if not subsystems:
        raise InputError("No subsystems were given.")
    seen: Dict[str, str] = {}
    result = pd.DataFrame(index=obstacles.index)
    for subsystem, indicators in subsystems.items():
        if isinstance(indicators, str) or len(indicators) == 0:
            raise InputError(f"Subsystem {_show(subsystem)} must list at least one indicator.")
        columns = []
        for indicator in indicators:
            column = _indicator_column(obstacles, indicator)
            if column in seen:
                raise InputError(
                    f"Indicator {_show(indicator)} is in both subsystem {_show(seen[column])} and {_show(subsystem)}."
                )
            seen[column] = subsystem
            columns.append(column)
        result[f"{PREFIX}{subsystem}"] = obstacles[columns].sum(axis=1, min_count=len(columns))
    return result


def obstacle_summary(
    obstacles: pd.DataFrame,
    df: pd.DataFrame,
    group_field: Optional[str],
    year_field: str,
    *,
    all_label: str = "all",
    average_label: str = "average",
) -> pd.DataFrame:
    """Mean obstacle per group and year with a yearly-average row (the study's Table 8).

    ``obstacles``: any table of obstacle columns (indicators and/or
    subsystems) aligned by index with ``df``, which holds ``group_field``
    (e.g. the tier; None for no groups) and ``year_field``.

    Layout — columns ``GROUP``, ``YEAR`` (both text), then the obstacle
    columns in their order. For each group (sorted by label), then for
    ``GROUP = "all"`` (every unit, including those with a NULL group):
    one row per year (ascending) in which the group has units, with the mean obstacle over the units of
    that group and year, followed by one row with ``YEAR = "average"``, the
    mean of those yearly means. Rows whose obstacles are NaN (no deviation)
    are left out of the means. Raises InputError for a missing field, NULL
    years, or an index that does not match.
    """
    fields = [year_field] + ([group_field] if group_field is not None else [])
    for name in fields:
        if name not in df.columns:
            raise InputError(
                f"The field '{name}' is not a column of the input; available: {', '.join(map(str, df.columns))}."
            )
    if obstacles.index.has_duplicates or not obstacles.index.isin(df.index).all():
        raise InputError(
            "The obstacle table's rows do not match the input table (index labels missing from it or duplicated)."
        )
    frame = df.loc[obstacles.index, fields]
    if frame[year_field].isna().any():
        index = frame.index[frame[year_field].isna().to_numpy()][0]
        raise InputError(f"Field '{year_field}' has NULL years (first at row {_show(index)}).")
    values = obstacles.astype(float)

    def block(label: str, mask: np.ndarray) -> pd.DataFrame:
        yearly = values[mask].groupby(frame[year_field][mask].to_numpy(), sort=True).mean()
        part = yearly.copy()
        part.loc[average_label] = yearly.mean(axis=0, skipna=True)
        part.insert(0, "YEAR", [y if y == average_label else _label(y) for y in part.index])
        part.insert(0, "GROUP", label)
        return part.reset_index(drop=True)

    blocks = []
    if group_field is not None:
        groups = frame[group_field]
        for group in sorted(groups.dropna().unique()):
            blocks.append(block(_label(group), (groups == group).to_numpy()))
    blocks.append(block(all_label, np.ones(len(frame), dtype=bool)))
    return pd.concat(blocks, ignore_index=True)


TOP_BLOCK = 1 << 16
"""Rows ranked at a time by :func:`top_obstacles`."""


def top_obstacles(obstacles: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` largest obstacles of each row.

    Columns ``TOP1``, ``TOP1_O``, ``TOP2``, ``TOP2_O``, …: indicator names
    (without the ``O_`` prefix) and their obstacle in %, in decreasing
    order; ties keep the column order. Rows whose obstacles are NaN get
    None / NaN. Raises InputError if ``n`` is not between 1 and the number
    of obstacle columns.
    """
    names = [c[len(PREFIX):] if str(c).startswith(PREFIX) else str(c) for c in obstacles.columns]
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(names):
        raise InputError(f"The number of top obstacles must be between 1 and {len(names)}; got {_show(n)}.")
    values = obstacles.to_numpy(dtype=float, na_value=np.nan)
    order = np.empty((len(values), n), dtype=np.intp)
    for start in range(0, len(values), TOP_BLOCK):  # a whole sort holds 3 copies of rows x indicators
        block = slice(start, start + TOP_BLOCK)
        order[block] = np.argsort(-np.nan_to_num(values[block], nan=-np.inf), axis=1, kind="stable")[:, :n]
    undefined = np.isnan(values).all(axis=1)
    result = {}
    name_array = np.array(names, dtype=object)
    for rank in range(n):
        picked = order[:, rank]
        labels = name_array[picked].copy()
        labels[undefined] = None
        scores = values[np.arange(len(values)), picked]
        # one shared string per indicator, not a string per row (pandas 3 would store
        # each row's text: 20 bytes a row against 8)
        result[f"TOP{rank + 1}"] = pd.Series(labels, index=obstacles.index, dtype=object)
        result[f"TOP{rank + 1}_O"] = scores
    return pd.DataFrame(result, index=obstacles.index)
