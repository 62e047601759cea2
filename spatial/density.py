"""Distribution dynamics: Gaussian kernel density per year, and classical Markov chains.

**Kernel density** ``f(x) = 1 / (n h) sum_i phi((x - x_i) / h)`` with the
standard normal ``phi`` (evaluated with ``scipy.stats.gaussian_kde``), on one
grid shared by every year and group so that curves compare. Bandwidth rules:

- ``silverman`` (default): ``h = 0.9 min(s, IQR / 1.34) n^(-1/5)`` —
  Silverman (1986), Density Estimation, eq. 3.31; Stata's ``kdensity`` and
  R's ``bw.nrd0``;
- ``scott``: ``h = 1.06 min(s, IQR / 1.34) n^(-1/5)`` — the normal reference
  rule, Scott (1992), Multivariate Density Estimation; R's ``bw.nrd``;
- ``isj``: improved Sheather–Jones, Botev, Grotowski & Kroese (2010), Annals
  of Statistics 38(5):2916–2957, which does not assume a normal shape
  (:func:`isj_bandwidth`, written from the paper and its authors' MATLAB
  ``kde.m``: KDEpy 1.1's ``improved_sheather_jones`` squares the cosine
  coefficients without halving them and measures the range on the data
  instead of the grid, and returns a third of the normal optimum on normal
  samples).

``s`` is the standard deviation with ddof = 1. The summary finds the peaks
(local maxima of the curve on the grid at least 5 % as high as its highest),
the main peak's position and height and its full width at half maximum.

**Classical Markov chain** of discrete classes (D classes, tiers) from one
year to the next (Quah 1993, European Economic Review 37:426–434): transition
counts, probabilities ``p_ij = n_ij / n_i`` and the steady state (the left
eigenvector of P for eigenvalue 1) — the numbers of giddy's ``Markov`` (the
tests check equality), computed as it does: the counts, P with an empty
class's row set to staying put, and quantecon's ``MarkovChain``
stationary distribution (Grassmann–Taksar–Heyman elimination; one row per
recurrent class). Written here without importing giddy, whose package
imports libpysal, mapclassify and matplotlib's pyplot as well (1.7 s of CPU
in a fresh process against quantecon's 0.6 s) for a k × k count table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

BANDWIDTHS = ("silverman", "scott", "isj")
PEAK_SHARE = 0.05
ALL = "all"


def bandwidth(values, rule: str = "silverman", where: str = "") -> float:
    """Bandwidth of a Gaussian kernel for ``values`` by ``rule`` (module docstring)."""
    x = np.asarray(values, dtype=float)
    if rule not in BANDWIDTHS:
        raise InputError(f"bandwidth rule {rule!r} is not one of {', '.join(BANDWIDTHS)}")
    if x.shape[0] < 2 or np.ptp(x) == 0:
        raise InputError(f"{where}a kernel density needs at least two different values; got "
                         f"{x.shape[0]} value(s), range {np.ptp(x) if x.size else 0:g}")
    if rule == "isj":
        return isj_bandwidth(x, where)
    s = x.std(ddof=1)
    q75, q25 = np.percentile(x, [75, 25])
    spread = min(s, (q75 - q25) / 1.34) if q75 > q25 else s
    factor = 0.9 if rule == "silverman" else 1.06
    return float(factor * spread * x.shape[0] ** (-0.2))


def _isj_fixed_point(t, n, powers, a2):
    """t - xi gamma^[7](t) of Botev et al. (2010), eq. (28)-(30); ``powers[s]``
    holds (k²)^s for the cosine frequencies k."""
    order = 7
    squares = powers[1]
    f = 2.0 * np.pi ** (2 * order) * np.sum(powers[order] * a2 * np.exp(-squares * np.pi ** 2 * t))
    for s in range(order - 1, 1, -1):
        k0 = np.prod(np.arange(1, 2 * s, 2)) / np.sqrt(2.0 * np.pi)
        const = (1.0 + 0.5 ** (s + 0.5)) / 3.0
        time = (2.0 * const * k0 / n / f) ** (2.0 / (3.0 + 2.0 * s))
        f = 2.0 * np.pi ** (2 * s) * np.sum(powers[s] * a2 * np.exp(-squares * np.pi ** 2 * time))
    return t - (2.0 * n * np.sqrt(np.pi) * f) ** (-0.4)


def isj_bandwidth(values, where: str = "", grid_points: int = 2 ** 14) -> float:
    """Improved Sheather–Jones bandwidth (Botev, Grotowski & Kroese 2010).

    The data are binned on ``grid_points`` points over [min - R/2, max + R/2]
    (R the range), the bins' discrete cosine coefficients a_k give
    ``a2 = (a_k / 2)²``, and t* solves t = xi gamma^[7](t) (brentq on a
    widening bracket, then the smallest |t - xi gamma(t)| on [0, 0.1], as the authors'
    ``root``); h = sqrt(t*) (max - min of
    the grid). Written by hand because no maintained library implements the
    published algorithm faithfully (see the module docstring)."""
    from scipy.fft import dct
    from scipy.optimize import brentq, fminbound

    x = np.asarray(values, dtype=float)
    low, high = x.min(), x.max()
    spread = high - low
    low, high = low - spread / 2.0, high + spread / 2.0
    width = high - low
    counts, _ = np.histogram(x, bins=grid_points, range=(low, high))
    a = dct(counts / counts.sum(), type=2)
    squares = np.arange(1, grid_points, dtype=float) ** 2
    powers = {s: squares ** s for s in range(1, 8)}
    a2 = (a[1:] / 2.0) ** 2
    n = len(np.unique(x))
    n_eff = min(max(n, 50), 1050)
    tolerance = 1e-12 + 0.01 * (n_eff - 50) / 1000.0
    while True:
        try:
            t_star = brentq(_isj_fixed_point, 0.0, tolerance, args=(n, powers, a2))
            break
        except ValueError:
            if tolerance >= 0.1:
                # as the authors' root(): no sign change up to 0.1, take the smallest |f|
                t_star = fminbound(lambda t: abs(_isj_fixed_point(t, n, powers, a2)), 0.0, 0.1)
                break
            tolerance = min(2.0 * tolerance, 0.1)
    if not np.isfinite(t_star) or t_star <= 0:
        raise InputError(f"{where}the improved Sheather–Jones bandwidth has no solution for these "
                         "values (too few or too regular); use the Silverman or Scott rule")
    return float(np.sqrt(t_star) * width)


def density(values, grid, h: float) -> np.ndarray:
    """Gaussian kernel density of ``values`` with bandwidth ``h`` on ``grid``."""
    from scipy.stats import gaussian_kde

    x = np.asarray(values, dtype=float)
    return gaussian_kde(x, bw_method=h / x.std(ddof=1))(np.asarray(grid, dtype=float))


def peaks(grid, curve, share: float = PEAK_SHARE):
    """Positions and heights of the local maxima of ``curve`` at least
    ``share`` times as high as its maximum, highest first."""
    y = np.asarray(curve, dtype=float)
    inner = np.flatnonzero((y[1:-1] > y[:-2]) & (y[1:-1] >= y[2:])) + 1
    ends = [i for i in (0, len(y) - 1) if (i == 0 and y[0] > y[1]) or (i > 0 and y[-1] > y[-2])]
    found = np.array(sorted(set(inner.tolist() + ends)), dtype=int)
    found = found[y[found] >= share * y.max()]
    found = found[np.argsort(-y[found])]
    return np.asarray(grid)[found], y[found]


def half_width(grid, curve) -> float:
    """Full width at half maximum of the main peak (linear interpolation)."""
    x, y = np.asarray(grid, float), np.asarray(curve, float)
    top = int(np.argmax(y))
    half = y[top] / 2.0
    left = top
    while left > 0 and y[left] > half:
        left -= 1
    right = top
    while right < len(y) - 1 and y[right] > half:
        right += 1

    def crossing(i, j):
        if y[i] == y[j]:
            return x[i]
        return x[i] + (half - y[i]) * (x[j] - x[i]) / (y[j] - y[i])

    return float(crossing(right, right - 1) - crossing(left, left + 1))


def kernel_densities(panel: pd.DataFrame, year_field: str, value_field: str, group_field=None,
                     rule: str = "silverman", points: int = 200, fixed_bandwidth=None):
    """Densities per year (and per group, plus ``all``) on a common grid.

    Returns (DENSITY with YEAR, GROUP, X, DENSITY; SUMMARY with YEAR, GROUP,
    N, MEAN, SD, BANDWIDTH, PEAKS, PEAK_X, PEAK_DENSITY, PEAK_POSITIONS,
    PEAK_HEIGHTS, HALF_WIDTH). The grid spans the pooled values widened by
    three of the largest bandwidths on each side. NULL values are left out.
    """
    fields = [year_field, value_field] + ([group_field] if group_field else [])
    for name in fields:
        if name not in panel.columns:
            raise InputError(f"field {name!r} is not in the table; fields are {list(panel.columns)}")
    if not isinstance(points, (int, np.integer)) or not 20 <= points <= 10000:
        raise InputError(f"grid points must be an integer from 20 to 10000; got {points!r}")
    values = pd.to_numeric(panel[value_field], errors="coerce")
    text = values.isna() & panel[value_field].notna()
    if text.any():
        first = panel[text].iloc[0]
        raise InputError(f"field {value_field!r} holds text that is not a number in {int(text.sum())} "
                         f"row(s), first in year {first[year_field]}: {first[value_field]!r}")
    infinite = np.isinf(values.to_numpy(float))
    if infinite.any():
        first = panel[infinite].iloc[0]
        raise InputError(f"field {value_field!r} is infinite in {int(infinite.sum())} row(s), first in "
                         f"year {first[year_field]}; every value must be a finite number")
    table = panel[fields].assign(**{value_field: values}).dropna(subset=[value_field])
    sets = []
    for year, rows in table.groupby(year_field, sort=True):
        sets.append((year, ALL, rows[value_field].to_numpy(float)))
        if group_field:
            for group, part in rows.groupby(group_field, sort=True):
                sets.append((year, group, part[value_field].to_numpy(float)))
    if not sets:
        raise InputError(f"field {value_field!r} has no values")
    if fixed_bandwidth is not None and not fixed_bandwidth > 0:
        raise InputError(f"BANDWIDTH must be positive; got {fixed_bandwidth!r}")
    widths = []
    for year, group, x in sets:
        where = f"year {year}" + ("" if group == ALL else f", group {group}") + ": "
        widths.append(float(fixed_bandwidth) if fixed_bandwidth else bandwidth(x, rule, where))
    pooled = table[value_field].to_numpy(float)
    grid = np.linspace(pooled.min() - 3 * max(widths), pooled.max() + 3 * max(widths), points)
    curves, summary = [], []
    for (year, group, x), h in zip(sets, widths):
        f = density(x, grid, h)
        curves.append(pd.DataFrame({"YEAR": year, "GROUP": group, "X": grid, "DENSITY": f}))
        at, heights = peaks(grid, f)
        summary.append({"YEAR": year, "GROUP": group, "N": len(x), "MEAN": x.mean(),
                        "SD": x.std(ddof=1), "BANDWIDTH": h, "PEAKS": len(at),
                        "PEAK_X": at[0], "PEAK_DENSITY": heights[0],
                        "PEAK_POSITIONS": "; ".join(f"{v:.4g}" for v in at),
                        "PEAK_HEIGHTS": "; ".join(f"{v:.4g}" for v in heights),
                        "HALF_WIDTH": half_width(grid, f)})
    return pd.concat(curves, ignore_index=True), pd.DataFrame(summary)


def markov_chain(panel: pd.DataFrame, id_field: str, year_field: str, class_field: str):
    """Classical Markov chain of ``class_field`` from each year to the next.

    Returns (TRANSITIONS with FROM, TO, COUNT, P; STEADY_STATE with CLASS,
    FIRST_YEAR, LAST_YEAR (shares of units) and STEADY_STATE). Needs every
    unit in every year (a balanced panel); missing cells raise InputError.
    """
    for name in (id_field, year_field, class_field):
        if name not in panel.columns:
            raise InputError(f"field {name!r} is not in the table; fields are {list(panel.columns)}")
    table = panel[[id_field, year_field, class_field]]
    if table.duplicated([id_field, year_field]).any():
        first = table[table.duplicated([id_field, year_field])].iloc[0]
        raise InputError(f"more than one row for unit {first[id_field]} year {first[year_field]}")
    wide = table.pivot(index=id_field, columns=year_field, values=class_field).sort_index(axis=1)
    if wide.shape[1] < 2:
        raise InputError("a Markov chain needs at least two years")
    missing = wide.isna().stack()
    missing = missing[missing]
    if len(missing):
        unit, year = missing.index[0]
        raise InputError(f"{class_field!r} is missing or NULL for unit {unit} year {year} "
                         f"({len(missing)} cell(s)); a Markov chain needs every unit in every year")
    labels = sorted(pd.unique(wide.to_numpy().ravel()), key=lambda v: (str(type(v)), v))
    codes = wide.apply(lambda column: column.map({v: k for k, v in enumerate(labels)})).to_numpy()
    codes = codes.astype(int)
    counts = np.zeros((len(labels), len(labels)))
    np.add.at(counts, (codes[:, :-1].ravel(), codes[:, 1:].ravel()), 1.0)
    totals = counts.sum(axis=1, keepdims=True)
    p = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    transitions = pd.DataFrame([{"FROM": labels[i], "TO": labels[j], "COUNT": int(counts[i, j]),
                                 "P": p[i, j]} for i in range(len(labels)) for j in range(len(labels))])
    steady = np.asarray(steady_state(counts), dtype=float).ravel()
    first = np.bincount(codes[:, 0], minlength=len(labels)) / codes.shape[0]
    last = np.bincount(codes[:, -1], minlength=len(labels)) / codes.shape[0]
    state = pd.DataFrame({"CLASS": labels, "FIRST_YEAR": first, "LAST_YEAR": last,
                          "STEADY_STATE": steady if steady.shape[0] == len(labels) else np.nan})
    return transitions, state


def steady_state(counts):
    """Steady state of the chain of transition ``counts`` (k × k), as giddy's
    ``Markov(...).steady_state`` (quantecon's stationary distributions):
    P = diag(1 / n_i) N (a class never left from, n_i = 0, stays put:
    p_ii = 1); its communication classes are SciPy's strongly connected
    components, the recurrent ones those no transition leaves. Each recurrent
    class gets the stationary distribution of P on it (:func:`gth_stationary`),
    zero elsewhere: one vector for one recurrent class, else one row per
    recurrent class in the order of their component labels, as quantecon
    orders them."""
    from scipy.sparse.csgraph import connected_components

    totals = counts.sum(axis=1)
    p = np.dot(np.diag(1 / (totals + (totals == 0))), counts)
    empty = np.flatnonzero(p.sum(axis=1) == 0)
    p[empty, empty] = 1.0
    count, labels = connected_components(p > 0, directed=True, connection="strong")
    closed = [c for c in range(count) if not (p[np.ix_(labels == c, labels != c)] > 0).any()]
    rows = np.zeros((len(closed), p.shape[0]))
    for row, label in zip(rows, closed):
        members = np.flatnonzero(labels == label)
        row[members] = gth_stationary(p[np.ix_(members, members)])
    return rows[0] if len(closed) == 1 else rows


def gth_stationary(p) -> np.ndarray:
    """Stationary distribution π (π P = π, Σ π = 1) of an irreducible
    stochastic matrix by the elimination of Grassmann, Taksar & Heyman (1985,
    *Operations Research* 33(5):1107–1116; Stewart 2009, *Probability, Markov
    Chains, Queues, and Simulation*, ch. 10): for k = 0..n-2, with
    s_k = Σ_{j>k} a_kj, a_ik /= s_k and a_ij += a_ik a_kj (i, j > k); then
    π_{n-1} = 1, π_k = Σ_{i>k} π_i a_ik, and π / Σ π. Only sums of
    non-negative terms: no cancellation.

    Written here rather than calling quantecon (giddy's choice): its import
    brings numba (1.75 s of a fresh process) and its compiled routine a
    further 0.7 s at the first call (without ``NUMBA_DISABLE_JIT``), for a
    k × k matrix of a few classes. The
    loops add in the order that routine does, so the numbers are giddy's to
    the last bit (tests/core/test_density.py)."""
    a = np.array(p, dtype=float)
    n = a.shape[0]
    for k in range(n - 1):
        scale = 0.0
        for j in range(k + 1, n):
            scale += a[k, j]
        for i in range(k + 1, n):
            a[i, k] /= scale
            for j in range(k + 1, n):
                a[i, j] += a[i, k] * a[k, j]
    out = np.zeros(n)
    out[n - 1] = 1.0
    for k in range(n - 2, -1, -1):
        for i in range(k + 1, n):
            out[k] += out[i] * a[i, k]
    norm = 0.0
    for value in out:
        norm += value
    return out / norm
