"""Min-max standardisation, entropy weights and composite indices.

Formulas (DESIGN §2; the entropy method as in Yang & Geng 2026 and the
time-augmented panel entropy method common in Chinese regional studies):

- positive indicator ``x' = (x - min) / (max - min)``, negative indicator
  ``x' = (max - x) / (max - min)``, optionally ``+ shift``;
- ``p_ij = x'_ij / sum_i x'_ij``, ``e_j = -k sum_i p_ij ln p_ij`` with
  ``0 ln 0 = 0`` and ``k = 1 / ln(m)`` where m is the number of rows (n units
  for a cross-section, r·n unit-years for a panel pooled over r years);
- ``d_j = 1 - e_j``, ``w_j = d_j / sum_j d_j``;
- composite index ``INDEX_i = sum_j w_j x'_ij`` of the unshifted ``x'``:
  the shift only keeps the logarithms of the weights finite, and an index
  of the shifted values would reach ``1 + shift`` at a unit that leads on
  every indicator, outside the [0, 1] coupling coordination takes
  (:func:`_unshifted_index`).

scikit-learn's MinMaxScaler is not used: it has no "negative" direction, no
per-group (per-year) scaling and silently maps constant columns to 0, where
this module must name the constant field.

Min-max scaling is invariant to the scale of an indicator; each column is
multiplied by a power of two first (:mod:`spatial.scaling`), so values near
the float maximum (±1.5e308) standardise like any others.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError
from .panel import MISSING_HINT, SHOW, _as_list, _examples, _fmt, numeric_values, require_fields
from .scaling import unit_scaled

SCOPES = ("panel", "year")


def _check_indicator_lists(positive, negative):
    pos, neg = _as_list(positive), _as_list(negative)
    if not pos and not neg:
        raise InputError("no indicator fields given: list at least one positive or negative field")
    for kind, names in (("positive", pos), ("negative", neg)):
        repeated = sorted({n for n in names if names.count(n) > 1}, key=str)
        if repeated:
            raise InputError(f"field(s) listed twice as {kind}: {', '.join(map(repr, repeated))}")
    both = [n for n in pos if n in neg]
    if both:
        raise InputError(
            f"field(s) listed as both positive and negative: {', '.join(map(repr, both))}; "
            "each indicator has one direction"
        )
    return pos, neg


def _check_finite(values, where_text):
    """values: float DataFrame. NaN (missing) and ±inf raise InputError naming
    the field and rows; every finite value, however large, passes."""
    arr = values.to_numpy()
    for bad, what, hint in (
        (np.isnan(arr), "missing (NULL)", "; " + MISSING_HINT),
        (np.isinf(arr), "infinite", "; every value must be a finite number"),
    ):
        if bad.any():
            j = int(np.flatnonzero(bad.any(axis=0))[0])
            rows = np.flatnonzero(bad[:, j])
            labels = [f"row {_fmt(values.index[r])}" for r in rows[:SHOW]]
            raise InputError(
                f"field {values.columns[j]!r} has {len(rows)} {what} value(s)"
                f"{where_text}: " + _examples(labels, len(rows)) + hint
            )


def _check_shift(shift):
    try:
        value = float(shift)
    except (TypeError, ValueError):
        raise InputError(f"shift must be a number (e.g. 0.0001–0.01); got {shift!r}") from None
    if not np.isfinite(value) or value < 0:
        raise InputError(f"shift must be a finite number ≥ 0 (e.g. 0.0001–0.01); got {shift!r}")
    return value


def standardized(df, positive, negative=(), *, by=None, shift=0.0):
    """Min-max standardised indicators, positive then negative, plus ``shift``.

    Positive: ``(x - min) / (max - min)``; negative: ``(max - x) / (max - min)``,
    min and max over all rows, or within each group of column ``by`` (e.g. the
    year field, for per-year scaling) when given. Returns a float64 DataFrame
    with columns ``positive + negative`` in that order and ``df``'s index.

    Raises InputError for: a field listed as both positive and negative, a
    non-numeric / missing / infinite value, a constant field (max == min; the
    group value is named when ``by`` is used), a negative or non-finite shift.
    """
    pos, neg = _check_indicator_lists(positive, negative)
    fields = pos + neg
    require_fields(df, fields + ([by] if by is not None else []))
    shift = _check_shift(shift)
    values = numeric_values(df, fields, None, None)
    _check_finite(values, "")
    if len(values) == 0:
        raise InputError("the input has no rows")
    raw = values.to_numpy()
    # each column times a power of two (exact, so ordinary data give the same
    # bits): max - min of values near ±1.8e308 cannot overflow
    x = unit_scaled(raw, axis=0)

    if by is None:
        lo = x.min(axis=0, keepdims=True)
        hi = x.max(axis=0, keepdims=True)
        constant = (hi == lo)[0]
        if constant.any():
            j = int(np.flatnonzero(constant)[0])
            raise InputError(
                f"field {fields[j]!r} is constant (every value is {_fmt(raw[0, j])}); "
                "a constant indicator has no range to standardise — drop it"
            )
    else:
        groups = df[by]
        null = groups.isna().to_numpy()
        if null.any():
            rows = np.flatnonzero(null)
            raise InputError(
                f"group field {by!r} is empty (NULL) in {len(rows)} row(s): "
                + _examples([f"row {_fmt(df.index[r])}" for r in rows[:SHOW]], len(rows))
            )
        codes, uniques = pd.factorize(groups, sort=False)
        frame = pd.DataFrame(x)
        lo_g = frame.groupby(codes).min().to_numpy()
        hi_g = frame.groupby(codes).max().to_numpy()
        sizes = np.bincount(codes, minlength=len(uniques))
        constant = hi_g == lo_g
        if constant.any():
            g, j = (int(a[0]) for a in np.nonzero(constant))
            const_groups = np.flatnonzero(constant[:, j])
            shown = _examples([_fmt(uniques[k]) for k in const_groups[:SHOW]], len(const_groups))
            why = (
                f"{by} {_fmt(uniques[g])} has a single row"
                if sizes[g] == 1
                else f"every value in {by} {_fmt(uniques[g])} is {_fmt(raw[codes == g][0, j])}"
            )
            raise InputError(
                f"field {fields[j]!r} is constant within {by} {shown} ({why}); "
                "it has no range to standardise there — drop the indicator or standardise "
                "over the whole panel"
            )
        lo = lo_g[codes]
        hi = hi_g[codes]

    span = hi - lo
    out = np.empty_like(x)
    k = len(pos)
    # the same operations as (x - lo) / span + shift, written into out (no n x k temporaries)
    positive, negative = out[:, :k], out[:, k:]
    np.subtract(x[:, :k], lo[:, :k], out=positive)
    np.divide(positive, span[:, :k], out=positive)
    np.subtract(hi[:, k:], x[:, k:], out=negative)
    np.divide(negative, span[:, k:], out=negative)
    out += shift
    return pd.DataFrame(out, index=df.index, columns=fields, copy=False)


def entropy_weights(x):
    """Entropy weights of the columns of ``x`` (non-negative standardised values).

    ``p_ij = x_ij / sum_i x_ij``; ``e_j = -k sum_i p_ij ln p_ij`` (0 ln 0 = 0)
    with ``k = 1 / ln(m)``, m = number of rows — 1/ln n for a cross-section of
    n units, 1/ln(r·n) for a panel pooled over r years (pooling the rows but
    keeping k = 1/ln r, a common mistake, gives e > 1). ``d_j = 1 - e_j``,
    ``w_j = d_j / sum_j d_j``.

    Returns a DataFrame indexed by indicator name (index name ``INDICATOR``)
    with float columns ``E``, ``D``, ``W`` (W sums to 1).

    Raises InputError for fewer than 2 rows, a non-numeric / missing /
    negative value, a column summing to 0, or when no indicator discriminates
    (every d_j = 0, i.e. every column is spread evenly over the rows).
    """
    if not isinstance(x, pd.DataFrame):
        x = pd.DataFrame(x)
    names = list(x.columns)
    if not names:
        raise InputError("no indicator columns given")
    m = len(x)
    if m < 2:
        raise InputError(
            f"entropy weights need at least 2 rows (units or unit-years); got {m}"
        )
    values = numeric_values(x, names, None, None)
    _check_finite(values, "")
    return _weights_of(values.to_numpy(), names, x.index)


def _weights_of(arr: np.ndarray, names, labels) -> pd.DataFrame:
    """:func:`entropy_weights` of the finite float array ``arr`` (rows named
    by ``labels`` in messages), which it does not copy or change."""
    m = len(arr)
    negative = arr < 0
    if negative.any():
        j = int(np.flatnonzero(negative.any(axis=0))[0])
        rows = np.flatnonzero(negative[:, j])
        shown = [f"row {_fmt(labels[r])}: {_fmt(arr[r, j])}" for r in rows[:SHOW]]
        raise InputError(
            f"indicator {names[j]!r} has {len(rows)} negative value(s) ({_examples(shown, len(rows))}); "
            "entropy weights need standardised values ≥ 0"
        )
    totals = arr.sum(axis=0)
    zero = totals == 0
    if zero.any():
        raise InputError(
            f"indicator(s) {', '.join(repr(names[j]) for j in np.flatnonzero(zero))} "
            "sum to 0 (every value is 0): no shares p_ij can be formed; drop them "
            "or standardise with a shift"
        )
    p = arr / totals
    positive = p > 0
    plogp = np.where(positive, p, 1.0)  # p ln p in place on one array: 5·10^6 × 9 floats are 360 MB
    np.log(plogp, out=plogp)
    np.multiply(p, plogp, out=plogp)
    del p
    plogp[~positive] = 0.0
    k = 1.0 / np.log(m)
    # e_j <= 1 holds exactly; min() only removes rounding above 1.
    e = np.minimum(-k * plogp.sum(axis=0), 1.0)
    d = 1.0 - e
    if d.sum() <= 1e-12:
        raise InputError(
            "no indicator discriminates between the rows: every indicator has entropy 1 "
            f"(its values are equal across all {m} rows), so entropy weights are undefined"
        )
    w = d / d.sum()
    index = pd.Index(names, name="INDICATOR")
    return pd.DataFrame({"E": e, "D": d, "W": w}, index=index)


def composite_index(x, weights):
    """Composite index ``sum_j w_j x_ij``: a Series named ``INDEX`` on ``x``'s index.

    ``weights`` is a Series indexed by indicator name (or the DataFrame that
    :func:`entropy_weights` returns, whose ``W`` column is used). Every
    indicator in ``weights`` must be a column of ``x``; other columns of ``x``
    are ignored.
    """
    if isinstance(weights, pd.DataFrame):
        if "W" not in weights.columns:
            raise InputError("weights table has no column 'W'")
        table = weights.set_index("INDICATOR") if "INDICATOR" in weights.columns else weights
        weights = table["W"]
    weights = pd.Series(weights, dtype="float64") if not isinstance(weights, pd.Series) else weights
    names = list(weights.index)
    require_fields(x, names)
    w = pd.to_numeric(weights, errors="coerce").to_numpy(dtype="float64")
    if not np.isfinite(w).all():
        bad = [names[j] for j in np.flatnonzero(~np.isfinite(w))]
        raise InputError(f"weight(s) of {', '.join(map(repr, bad))} are missing or not numbers")
    values = numeric_values(x, names, None, None)
    return pd.Series(values.to_numpy() @ w, index=x.index, name="INDEX")


@dataclass
class EntropyIndex:
    """Result of :func:`entropy_index`.

    - ``index``: Series named ``INDEX`` on the input's index;
    - ``weights``: DataFrame with columns ``INDICATOR``, ``E``, ``D``, ``W``
      (and ``YEAR`` first when scope == "year": one block per year);
    - ``standardized``: the standardised (and shifted) indicators, on the
      input's index;
    - ``scope``: "panel" or "year"; ``shift``: the shift used.
    """

    index: pd.Series
    weights: pd.DataFrame
    standardized: pd.DataFrame
    scope: str = "panel"
    shift: float = 0.0


def _unshifted_index(values: np.ndarray, weights: np.ndarray, shift: float = 0.0) -> np.ndarray:
    """``U_i = sum_j w_j (x'_ij + shift) - shift sum_j w_j = sum_j w_j x'_ij``
    of standardised ``values`` that carry ``shift``, clipped to [0, 1]: the
    weights sum to 1 only up to rounding, and a unit at the maximum (or the
    minimum) of every indicator would otherwise land a few ulps outside."""
    index = values @ weights
    if shift:
        index -= shift * weights.sum()
    return np.clip(index, 0.0, 1.0, out=index)


def entropy_index(df, positive, negative=(), *, year_field=None, scope="panel", shift=0.0):
    """Entropy-weighted composite index of a system's indicators.

    scope "panel": standardise over all rows pooled (min/max over all units and
    years, so indices are comparable over time) and weight with k = 1/ln(rows).
    scope "year": standardise and weight separately within each year of
    ``year_field`` (needs ``year_field``; every year needs ≥ 2 rows).

    Returns an :class:`EntropyIndex`. Raises InputError for an unknown scope,
    a missing year field, a year with a single row, and everything that
    :func:`standardized` and :func:`entropy_weights` reject (for scope "year"
    the message names the year).
    """
    scope_name = str(scope).strip().lower()
    if scope_name not in SCOPES:
        raise InputError(f"unknown scope {scope!r}; expected one of: " + ", ".join(map(repr, SCOPES)))
    pos, neg = _check_indicator_lists(positive, negative)
    fields = pos + neg
    shift = _check_shift(shift)

    if scope_name == "panel":
        require_fields(df, fields + ([year_field] if year_field is not None else []))
        std = standardized(df, pos, neg, shift=shift)
        values = std.to_numpy()  # finite floats by construction: weighed and summed without copies
        table = _weights_of(values, fields, std.index)
        index = pd.Series(_unshifted_index(values, table["W"].to_numpy(dtype="float64"), shift),
                          index=std.index, name="INDEX")
        weights = table.reset_index()[["INDICATOR", "E", "D", "W"]]
        return EntropyIndex(index=index, weights=weights, standardized=std, scope="panel", shift=shift)

    if year_field is None:
        raise InputError("scope 'year' needs the year field (year_field)")
    require_fields(df, fields + [year_field])
    years = df[year_field]
    if years.isna().any():
        rows = np.flatnonzero(years.isna().to_numpy())
        raise InputError(
            f"year field {year_field!r} is empty (NULL) in {len(rows)} row(s): "
            + _examples([f"row {_fmt(df.index[r])}" for r in rows[:SHOW]], len(rows))
        )
    counts = years.value_counts(sort=False)
    single = [y for y, n in counts.items() if n < 2]
    if single:
        raise InputError(
            "scope 'year' needs at least 2 rows per year; year(s) with a single row: "
            + _examples([_fmt(y) for y in _sorted(single)], len(single))
        )
    std = standardized(df, pos, neg, by=year_field, shift=shift)
    positions = pd.Series(np.arange(len(df))).groupby(years.to_numpy(), sort=True)
    index_values = np.empty(len(df))
    blocks = []
    for year, rows in positions:
        rows = rows.to_numpy()
        block = std.iloc[rows]
        try:
            table = entropy_weights(block)
        except InputError as exc:
            raise InputError(f"year {_fmt(year)}: {exc}") from None
        index_values[rows] = _unshifted_index(block.to_numpy(), table["W"].to_numpy(), shift)
        table = table.reset_index()
        table.insert(0, "YEAR", year)
        blocks.append(table)
    weights = pd.concat(blocks, ignore_index=True)[["YEAR", "INDICATOR", "E", "D", "W"]]
    index = pd.Series(index_values, index=df.index, name="INDEX")
    return EntropyIndex(index=index, weights=weights, standardized=std, scope="year", shift=shift)


def _sorted(items):
    try:
        return sorted(items)
    except TypeError:
        return list(items)
