"""Rescaling by powers of two, so that sums of squares neither overflow nor underflow.

Moran's I, LISA, the Gini and the coupling degree are ratios in which a
common factor of the values cancels, but the sums of squares or products
they are built from leave the float range long before the values do
(``(1e200)^2`` overflows, ``(1e-200)^2`` underflows to 0). Multiplying by
``2^-e`` with ``2^(e-1) <= max |x| < 2^e`` (``numpy.frexp``) brings the
largest magnitude into [0.5, 1). A power of two only changes the exponent:
for values in the normal float range the product is exact and every later
sum, product, quotient and square root is the same bit pattern scaled, so
results on ordinary data are bit-identical to the unscaled formulas, while
values from the subnormal range up to the float maximum give the unit-scale
answer. (Values more than ~10^300 below the largest one become 0, which
cannot change a result beyond rounding.)
"""

import numpy as np


def binary_exponent(top):
    """e with 2^(e-1) <= top < 2^e, elementwise (0 where top is 0 or not finite)."""
    top = np.asarray(top, dtype=float)
    _, e = np.frexp(np.where(np.isfinite(top), top, 0.0))
    return e


def _largest_magnitude(x, axis=None):
    """max |x| over ``axis`` (kept as a dimension when given), without a temporary |x|."""
    keep = axis is not None
    return np.maximum(x.max(axis=axis, keepdims=keep), -x.min(axis=axis, keepdims=keep))


def scale_exponent(values) -> int:
    """e with 2^(e-1) <= max |values| < 2^e (0 for no or all-zero values):
    ``times_power_of_two(values, -e)`` has its largest magnitude in
    [0.5, 1), and ``times_power_of_two(result, e)`` takes a result back to
    the values' scale."""
    x = np.asarray(values, dtype=float)
    return int(binary_exponent(_largest_magnitude(x))) if x.size else 0


def times_power_of_two(values, k, out=None):
    """``values * 2^k`` (k an int or an int array broadcasting against
    ``values``), as two multiplications by normal powers of two: exact
    where the result is a normal float, and 20 times faster than
    ``numpy.ldexp`` on large arrays. k may run from -1074 to 1074.
    ``out`` (e.g. ``values`` itself) receives the result."""
    k = np.asarray(k)
    half = k // 2
    out = np.multiply(np.asarray(values, dtype=float), np.ldexp(1.0, half), out=out)
    out *= np.ldexp(1.0, k - half)
    return out


def unit_scaled(values, axis=None):
    """``values * 2^-e``, the largest magnitude (over ``axis``; all values by
    default) in [0.5, 1); all-zero values are returned unchanged (a copy)."""
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return x.copy()
    return times_power_of_two(x, -binary_exponent(_largest_magnitude(x, axis)))


def centred(values):
    """Deviations from the mean, times a power of two putting their largest
    magnitude in [0.5, 1): the values are scaled to [0.5, 1) first (so the
    mean cannot overflow), centred, and scaled again (so values far from
    zero but close together keep their relative precision when squared)."""
    d = unit_scaled(values)
    if d.size == 0:
        return d
    d -= d.mean()
    return times_power_of_two(d, -binary_exponent(_largest_magnitude(d)), out=d)


def standardized(values, ddof=0):
    """z-scores ``(x - mean) / std(x, ddof)`` computed from :func:`centred`
    deviations: the same bits as numpy's ``(x - x.mean()) / x.std(ddof=ddof)``
    whenever that does not overflow or underflow, and the unit-scale answer
    when it would."""
    d = centred(values)
    d /= np.sqrt(np.sum(d * d) / (d.shape[0] - ddof))
    return d
