"""Relative development degree of two systems and the combined coordination type.

For two system indices U1, U2 of a unit-year the relative development degree
is ``E = U1 / U2`` (e.g. Liao Chongbin 1999, 热带地理 19(2):171–177, and the
coupling-coordination studies that follow it). With thresholds ``low < high``
(default 0.9 and 1.1):

- ``E < low``: system 1 lags (``SYSTEM1_LAGGING``),
- ``low <= E <= high``: the systems are synchronous (``SYNCHRONOUS``),
- ``E > high``: system 2 lags (``SYSTEM2_LAGGING``).

Where U2 = 0, E has no value: the type follows from the comparison (U1 > 0:
system 2 lags) and both zero gives no type. For more than two systems every
pair (a, b) in the given order gets its E and type, and a system lags when it
lags in at least one pair — for two systems this is the rule above.

The combined type joins the class of the coupling coordination degree D and
the lag, as the studies write it: ``初级协调·金融科技滞后型`` /
"primary coordination, fintech lagging", ``勉强协调·同步型`` /
"barely coordinated, synchronous".
"""

from itertools import combinations

import numpy as np
import pandas as pd

from .errors import InputError
from .panel import numeric_values

E_TYPES = ("SYSTEM1_LAGGING", "SYNCHRONOUS", "SYSTEM2_LAGGING")
DEFAULT_THRESHOLDS = (0.9, 1.1)


def checked_thresholds(thresholds) -> tuple:
    """(low, high) with 0 < low <= 1 <= high; InputError otherwise."""
    if thresholds is None:
        return DEFAULT_THRESHOLDS
    values = list(thresholds)
    if len(values) != 2:
        raise InputError(f"THRESHOLDS needs two numbers (low, high), e.g. 0.9,1.1; got {values}")
    try:
        low, high = float(values[0]), float(values[1])
    except (TypeError, ValueError):
        raise InputError(f"THRESHOLDS must be numbers; got {values}") from None
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low <= 1 <= high):
        raise InputError(f"THRESHOLDS must satisfy 0 < low <= 1 <= high; got {low:g}, {high:g}")
    return low, high


def _lag_codes(u1: np.ndarray, u2: np.ndarray, low: float, high: float):
    """E and the lag code (0 system 1 lags, 1 synchronous, 2 system 2 lags, -1 none)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(u2 != 0, u1 / np.where(u2 != 0, u2, 1.0), np.nan)
    code = np.where(e < low, 0, np.where(e > high, 2, 1))
    zero = u2 == 0
    code = np.where(zero, np.where(u1 > 0, 2, -1), code)
    code = np.where(np.isnan(u1) | np.isnan(u2), -1, code)
    return e, code


def relative_development(u1, u2, thresholds=DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """``E = U1 / U2`` and ``E_TYPE`` for two aligned Series (or arrays).

    Returns a DataFrame indexed like ``u1`` with ``E`` (NaN where U2 = 0) and
    ``E_TYPE`` (one of :data:`E_TYPES`, None where U1 = U2 = 0 or a value is
    NULL). Negative
    indices raise InputError: the ratio of development levels needs U >= 0.
    """
    low, high = checked_thresholds(thresholds)
    frame = pd.DataFrame({"U1": pd.Series(u1).to_numpy(), "U2": pd.Series(u2).to_numpy()},
                         index=pd.Series(u1).index)
    values = numeric_values(frame, ["U1", "U2"], None, None)
    a, b = values["U1"].to_numpy(float), values["U2"].to_numpy(float)
    _check_non_negative(values)
    e, code = _lag_codes(a, b, low, high)
    return pd.DataFrame({"E": e, "E_TYPE": _type_names(code, frame.index)}, index=frame.index)


def _type_names(code, index) -> pd.Series:
    return pd.Series(np.array([None, *E_TYPES], dtype=object)[code + 1], index=index, dtype=object)


def _check_non_negative(values: pd.DataFrame) -> None:
    for name in values.columns:
        negative = values.index[values[name].to_numpy() < 0]
        if len(negative):
            raise InputError(f"{name}: system indices must be >= 0 for a relative development "
                             f"degree; negative in {', '.join(map(str, negative[:10]))}")


def pair_suffix(a: str, b: str) -> str:
    return f"{a}_{b}"


def lagging_systems(U: pd.DataFrame, thresholds=DEFAULT_THRESHOLDS):
    """Pairwise E, types and the lagging systems of each row of ``U`` (one
    column per system, at least two).

    Returns (pairs, lagging): ``pairs`` has ``E_<a>_<b>`` and
    ``E_TYPE_<a>_<b>`` for every pair of columns a before b; ``lagging`` is
    a Series of lists of the column names that lag in at least one pair
    (empty list: synchronous; None: no pair could be compared).
    """
    low, high = checked_thresholds(thresholds)
    names = list(U.columns)
    if len(names) < 2:
        raise InputError(f"relative development needs two or more systems; got {len(names)}")
    values = numeric_values(U, names, None, None)
    _check_non_negative(values)
    columns = {}
    lag = np.zeros((len(U), len(names)), dtype=bool)
    compared = np.zeros(len(U), dtype=bool)
    for (i, a), (j, b) in combinations(enumerate(names), 2):
        e, code = _lag_codes(values[a].to_numpy(float), values[b].to_numpy(float), low, high)
        columns[f"E_{pair_suffix(a, b)}"] = e
        columns[f"E_TYPE_{pair_suffix(a, b)}"] = _type_names(code, U.index)
        lag[:, i] |= code == 0
        lag[:, j] |= code == 2
        compared |= code >= 0
    pairs = pd.DataFrame(columns, index=U.index)
    # one list per pattern of lagging systems (at most 2^k), not one per row
    codes = np.where(compared, (lag * (1 << np.arange(len(names)))).sum(axis=1), -1)
    lists = {int(c): [n for k, n in enumerate(names) if int(c) >> k & 1]
             for c in np.unique(codes) if c >= 0}
    patterns = np.empty(len(lists) + 1, dtype=object)  # None, then one list per pattern
    slot = np.zeros(len(codes), dtype=np.intp)
    for position, c in enumerate(lists, start=1):
        patterns[position] = lists[c]
        slot[codes == c] = position
    # rows of one pattern share its list (5·10^6 lists were ~360 MB); read them, do not change them
    lagging = pd.Series(patterns[slot], index=U.index, dtype=object)
    return pairs, lagging


def coordination_types(class_en, class_zh, lagging, names_en, names_zh) -> pd.DataFrame:
    """``COORD_TYPE`` and ``COORD_TYPE_ZH``: the class of D joined with the lag.

    ``class_en`` / ``class_zh``: the D class names per row (None where D is
    undefined); ``lagging``: lists of lagging system keys per row (see
    :func:`lagging_systems`); ``names_en`` / ``names_zh``: dicts from a
    system key to its display name. English: "barely coordinated, fintech
    lagging" / "…, synchronous"; Chinese: "勉强协调·金融科技滞后型" /
    "…·同步型". A row without a class or a lag gets None.
    """
    # the labels of each distinct (class, lag) once, then one shared string per row:
    # rows are told apart by codes, not by a tuple each (5·10^6 rows held ~600 MB)
    class_en, class_zh, lagging = (v if isinstance(v, pd.Series) else pd.Series(list(v), dtype=object)
                                   for v in (class_en, class_zh, lagging))
    index = lagging.index
    class_codes, _ = pd.factorize(_pair_keys(class_en, class_zh))
    objects = np.fromiter((id(lag) for lag in lagging.array), dtype=np.int64, count=len(lagging))
    lag_codes, lag_ids = pd.factorize(objects)  # a list shared by rows (lagging_systems) is one code
    combined, combos = pd.factorize(class_codes.astype(np.int64) * len(lag_ids) + lag_codes)
    _, first = np.unique(combined, return_index=True)
    en, zh = np.empty(len(combos), dtype=object), np.empty(len(combos), dtype=object)
    for k, row in enumerate(first):
        c_en, c_zh, lag = class_en.iat[row], class_zh.iat[row], lagging.iat[row]
        if c_en is None or lag is None or (isinstance(c_en, float) and np.isnan(c_en)):
            en[k], zh[k] = None, None
        elif lag:
            en[k] = f"{c_en}, {' and '.join(names_en[s] for s in lag)} lagging"
            zh[k] = f"{c_zh}·{'、'.join(names_zh[s] for s in lag)}滞后型"
        else:
            en[k], zh[k] = f"{c_en}, synchronous", f"{c_zh}·同步型"
    return pd.DataFrame({"COORD_TYPE": pd.Series(en[combined], index=index, dtype=object),
                         "COORD_TYPE_ZH": pd.Series(zh[combined], index=index, dtype=object)}, index=index)


def _pair_keys(a: pd.Series, b: pd.Series) -> np.ndarray:
    """One integer per row for the pair (a, b) of labels (None and NaN alike)."""
    codes_a, _ = pd.factorize(a.astype(object))
    codes_b, found_b = pd.factorize(b.astype(object))
    return (codes_a.astype(np.int64) + 1) * (len(found_b) + 1) + (codes_b + 1)
