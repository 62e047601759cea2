"""Coupling degree C, development index T, coupling coordination D, and classes.

For systems with indices U_1..U_n in [0, 1] (DESIGN §2):

- classic: ``C = n * (prod U_i / (sum U_i)^n)^(1/n)`` — the geometric mean
  over the arithmetic mean; for two systems ``2 sqrt(U1 U2) / (U1 + U2)``;
- revised (Wang Shujia et al. 2021, 国内耦合协调度模型的误区及修正
  [misconceptions and corrections of coupling coordination degree models],
  自然资源学报 36(3):793–810), which fixes the classic C's crowding near 1:
  ``C = sqrt( (1 - sum_{i>j} |U_i - U_j| / sum_{m=1}^{n-1} m)
  * (prod_i (U_i / max U))^(1/(n-1)) )``; for two systems
  ``sqrt((1 - |U1 - U2|) * min / max)``. The product runs over the ratios
  U_i / max U (as in the paper and its two-system form), not over U_i
  divided once by max U;
- ``T = sum_i a_i U_i`` (weights sum to 1, default equal), ``D = sqrt(C T)``.

Where C is 0/0 (every U_i = 0) C and D are NaN and T is 0: the unit-year is
reported (see :func:`undefined_rows`), not given an invented value.

C is homogeneous of degree 0 in the U_i (classic) or depends on ratios of
them (revised balance term), so tiny indices must not underflow: the classic
two-system product is taken on each row rescaled by a power of two
(:mod:`spatial.scaling`), n ≥ 3 and the revised model work in logarithms or
ratios. U1 = U2 = 1e-200 gives C = 1.

Everything is vectorised over rows with numpy (no per-row Python).
"""

import numpy as np
import pandas as pd

from .errors import InputError
from .panel import SHOW, _examples, _fmt, numeric_values
from .scaling import unit_scaled

MODELS = ("classic", "revised")

#: The 10 default classes of D: (lower, upper, name_zh, name_en); intervals
#: [lower, upper), the last closed.
D_CLASSES = (
    (0.0, 0.1, "极度失调", "extreme imbalance"),
    (0.1, 0.2, "严重失调", "serious imbalance"),
    (0.2, 0.3, "中度失调", "moderate imbalance"),
    (0.3, 0.4, "轻度失调", "mild imbalance"),
    (0.4, 0.5, "濒临失调", "verge of imbalance"),
    (0.5, 0.6, "勉强协调", "barely coordinated"),
    (0.6, 0.7, "初级协调", "primary coordination"),
    (0.7, 0.8, "中级协调", "intermediate coordination"),
    (0.8, 0.9, "良好协调", "good coordination"),
    (0.9, 1.0, "优质协调", "high-quality coordination"),
)

C_LEVEL_BREAKS = (0.0, 0.3, 0.5, 0.8, 1.0)
C_LEVEL_NAMES = ("low-level", "antagonism", "running-in", "high-level")


def _model(model):
    name = str(model).strip().lower()
    if name not in MODELS:
        raise InputError(
            f"unknown coupling model {model!r}; expected one of: " + ", ".join(map(repr, MODELS))
        )
    return name


def _system_values(U):
    """U as a float (rows, n) array, checked: n ≥ 2, every value in [0, 1]."""
    if not isinstance(U, pd.DataFrame):
        raise InputError("the system indices must be a table with one column per system")
    names = list(U.columns)
    if len(names) < 2:
        raise InputError(
            f"coupling needs at least 2 system fields; got {len(names)}"
            + (f" ({', '.join(map(repr, names))})" if names else "")
        )
    if len(set(names)) != len(names):
        raise InputError(f"system fields repeat: {', '.join(map(repr, names))}")
    if all(pd.api.types.is_float_dtype(t) and not pd.api.types.is_extension_array_dtype(t)
           for t in U.dtypes):
        arr = U.to_numpy(dtype="float64")
    else:
        arr = numeric_values(U, names, None, None).to_numpy()
    missing = np.isnan(arr)
    if missing.any():
        j = int(np.flatnonzero(missing.any(axis=0))[0])
        rows = np.flatnonzero(missing[:, j])
        raise InputError(
            f"system field {names[j]!r} has {len(rows)} missing (NULL) value(s): "
            + _examples([_row_name(U.index[r]) for r in rows[:SHOW]], len(rows))
            + "; every row needs an index in [0, 1] (interpolate gaps when building the "
            "indices: `--missing interpolate` of entropyweights, or "
            '`systems.NAME.missing = "interpolate"` in a study)'
        )
    bad = ~((arr >= 0.0) & (arr <= 1.0))
    if bad.any():
        j = int(np.flatnonzero(bad.any(axis=0))[0])
        rows = np.flatnonzero(bad[:, j])
        shown = [f"{_row_name(U.index[r])}: {_fmt(arr[r, j])}" for r in rows[:SHOW]]
        raise InputError(
            f"system field {names[j]!r} must hold indices in [0, 1]; "
            f"{len(rows)} value(s) are outside: " + _examples(shown, len(rows))
        )
    return arr


def _row_name(label):
    """A row as messages name it: a label that already says what it is
    ("unit 110100 year 2015", "row 3", as the tools build them) as it is,
    anything else as "row <label>"."""
    if isinstance(label, str) and label.startswith(("unit ", "year ", "row ")):
        return label
    return f"row {_fmt(label)}"


def _system_weights(weights, names):
    n = len(names)
    if weights is None:
        return np.full(n, 1.0 / n)
    if isinstance(weights, dict):
        weights = pd.Series(weights)
    if isinstance(weights, pd.Series) and set(weights.index) == set(names):
        weights = weights.reindex(names)
    try:
        a = np.asarray(list(weights), dtype="float64")
    except (TypeError, ValueError):
        raise InputError(f"system weights must be numbers; got {weights!r}") from None
    if a.shape != (n,):
        raise InputError(
            f"give one weight per system field ({n}: {', '.join(map(repr, names))}); got {len(a)}"
        )
    if not np.isfinite(a).all() or (a < 0).any():
        raise InputError(f"system weights must be finite and ≥ 0; got {list(a)}")
    if abs(a.sum() - 1.0) > 1e-9:
        raise InputError(f"system weights must sum to 1; {list(a)} sum to {a.sum():.12g}")
    return a


def _coupling_degree(arr, model):
    """C for every row; NaN where 0/0. arr already validated."""
    n = arr.shape[1]
    undefined = arr.max(axis=1) == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if model == "classic":
            if n == 2:
                # each row times a power of two (exact): U1 U2 cannot underflow
                # (U1 = U2 = 1e-200 gives C = 1, not 0/..=0)
                scaled = unit_scaled(arr, axis=1)
                geo = np.sqrt(scaled[:, 0] * scaled[:, 1])
                c = geo / scaled.mean(axis=1)
            else:
                geo = np.exp(np.log(arr).mean(axis=1))  # log(0) = -inf -> 0
                c = geo / arr.mean(axis=1)
        elif n == 2:
            lo = np.minimum(arr[:, 0], arr[:, 1])
            hi = np.maximum(arr[:, 0], arr[:, 1])
            c = np.sqrt(np.clip(1.0 - (hi - lo), 0.0, 1.0) * (lo / hi))
        else:
            srt = np.sort(arr, axis=1)
            # sum_{i>j} |U_i - U_j| of sorted values = sum_k (2k - n - 1) u_(k), k = 1..n
            coef = 2.0 * np.arange(1, n + 1) - n - 1
            spread = srt @ coef
            dispersion = 1.0 - spread / (n * (n - 1) / 2.0)
            top = srt[:, -1:]
            balance = np.exp(np.log(srt[:, :-1] / top).sum(axis=1) / (n - 1))
            c = np.sqrt(np.clip(dispersion, 0.0, 1.0) * balance)
    # C <= 1 holds exactly (AM-GM); clipping removes rounding only.
    c = np.clip(c, 0.0, 1.0)
    c[undefined] = np.nan
    return c


def coupling_coordination(U, weights=None, model="classic"):
    """Coupling degree ``C``, development index ``T`` and coordination ``D``.

    ``U``: DataFrame, one column per system (≥ 2), indices in [0, 1].
    ``weights``: one non-negative weight per column summing to 1 (within
    1e-9); default equal. ``model``: "classic" or "revised" (see the module
    docstring for both formulas and the source).

    Returns a float64 DataFrame indexed like ``U`` with columns C, T, D. Rows
    where C is 0/0 (every system 0) get C = D = NaN and T = 0.

    Raises InputError for fewer than 2 systems, a missing / non-numeric value
    or one outside [0, 1] (naming the field and the first rows), bad weights
    and an unknown model.
    """
    model = _model(model)
    arr = _system_values(U)
    a = _system_weights(weights, list(U.columns))
    c = _coupling_degree(arr, model)
    t = arr @ a
    d = np.sqrt(c * t)
    return pd.DataFrame({"C": c, "T": t, "D": d}, index=U.index)


def undefined_rows(U, model="classic"):
    """Row labels of ``U`` where C is 0/0 (every system index is 0): a pandas Index.

    The same in both models (for indices ≥ 0, max U = 0 exactly when all are 0).
    """
    _model(model)
    arr = _system_values(U)
    return U.index[arr.max(axis=1) == 0]


def _check_breaks(breaks, what):
    try:
        b = np.asarray(list(breaks), dtype="float64")
    except (TypeError, ValueError):
        raise InputError(f"{what} breaks must be numbers; got {breaks!r}") from None
    if b.ndim != 1 or len(b) < 2:
        raise InputError(f"{what} breaks need at least 2 values (one interval); got {list(b)}")
    if not np.isfinite(b).all() or not (np.diff(b) > 0).all():
        raise InputError(f"{what} breaks must be finite and strictly increasing; got {list(breaks)}")
    return b


def _interval_names(b):
    return [f"{lo:g}–{hi:g}" for lo, hi in zip(b[:-1], b[1:])]


def _classify(values, b, what):
    """1-based class of each value for intervals [b_k, b_k+1), the last closed.

    Returns (classes as float array with NaN, valid mask).
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    x = numeric_values(series.to_frame(name=what), [what], None, None)[what].to_numpy()
    valid = ~np.isnan(x)
    outside = valid & ((x < b[0]) | (x > b[-1]))
    if outside.any():
        rows = np.flatnonzero(outside)
        shown = [f"row {_fmt(series.index[r])}: {_fmt(x[r])}" for r in rows[:SHOW]]
        raise InputError(
            f"{what} values must lie within the class breaks [{b[0]:g}, {b[-1]:g}]; "
            f"{len(rows)} value(s) outside: " + _examples(shown, len(rows))
        )
    k = np.searchsorted(b, x, side="right")  # number of breaks <= x
    k = np.minimum(k, len(b) - 1).astype("float64")  # x == last break -> last class
    k[~valid] = np.nan
    return series.index, k, valid


def _names_column(names, k, valid):
    out = np.full(len(k), None, dtype=object)
    if valid.any():
        idx = k[valid].astype(np.int64) - 1
        out[valid] = np.asarray(names, dtype=object)[idx]
    return out


def _name_pairs(names, n_classes):
    names = list(names)
    if len(names) != n_classes:
        raise InputError(
            f"give one name per class: {n_classes} class(es) from the breaks, {len(names)} name(s)"
        )
    en, zh = [], []
    for item in names:
        if isinstance(item, str):
            en.append(item)
            zh.append(item)
        else:
            pair = list(item)
            if len(pair) != 2:
                raise InputError(
                    f"a class name is a text or an (English, Chinese) pair; got {item!r}"
                )
            en.append(str(pair[0]))
            zh.append(str(pair[1]))
    return en, zh


def d_classes(D, breaks=None, names=None):
    """Classes of the coupling coordination degree D.

    Default: the 10 levels of :data:`D_CLASSES` (0–0.1 extreme imbalance …
    0.9–1.0 high-quality coordination). Custom ``breaks`` (strictly
    increasing) define intervals [a, b), the last closed; ``names`` then gives
    one name per interval — a text (used in both languages) or an
    (English, Chinese) pair — else both columns hold the interval text, e.g.
    "0.35–0.6".

    Returns a DataFrame indexed like ``D`` with ``D_CLASS`` (nullable Int64,
    1-based), ``D_CLASS_NAME`` (English) and ``D_CLASS_ZH`` (Chinese); NaN D
    gives <NA> and None names. Values outside [first break, last break] raise
    InputError.
    """
    if breaks is None:
        b = np.array([lo for lo, _, _, _ in D_CLASSES] + [D_CLASSES[-1][1]])
        if names is None:
            en = [c[3] for c in D_CLASSES]
            zh = [c[2] for c in D_CLASSES]
        else:
            en, zh = _name_pairs(names, len(b) - 1)
    else:
        b = _check_breaks(breaks, "D class")
        if names is None:
            en = zh = _interval_names(b)
        else:
            en, zh = _name_pairs(names, len(b) - 1)
    index, k, valid = _classify(D, b, "D")
    return pd.DataFrame(
        {
            "D_CLASS": _nullable_int(k, valid),
            "D_CLASS_NAME": pd.Series(_names_column(en, k, valid), index=index, dtype=object),
            "D_CLASS_ZH": pd.Series(_names_column(zh, k, valid), index=index, dtype=object),
        },
        index=index,
    )


def c_levels(C, breaks=C_LEVEL_BREAKS, *, names=None):
    """Levels of the coupling degree C: low-level, antagonism, running-in, high-level.

    Default breaks 0, 0.3, 0.5, 0.8, 1.0; intervals [a, b), the last closed.
    With other breaks and no ``names`` the names are the interval text.
    Returns a DataFrame indexed like ``C`` with ``C_LEVEL`` (nullable Int64,
    1-based) and ``C_LEVEL_NAME``; NaN C (0/0 rows) gives <NA> and None.
    """
    b = _check_breaks(breaks, "C level")
    if names is not None:
        labels, _ = _name_pairs(names, len(b) - 1)
    elif len(b) == len(C_LEVEL_BREAKS) and np.array_equal(b, C_LEVEL_BREAKS):
        labels = list(C_LEVEL_NAMES)
    else:
        labels = _interval_names(b)
    index, k, valid = _classify(C, b, "C")
    return pd.DataFrame(
        {
            "C_LEVEL": _nullable_int(k, valid),
            "C_LEVEL_NAME": pd.Series(_names_column(labels, k, valid), index=index, dtype=object),
        },
        index=index,
    )


def _nullable_int(k, valid):
    return pd.arrays.IntegerArray(np.where(valid, k, 0).astype(np.int64), ~valid)
