"""spatial.scaling: powers of two are exact, so ordinary data keep their bits."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spatial import scaling

ORDINARY = arrays(np.float64, st.integers(2, 60), elements=st.floats(-1e6, 1e6, allow_subnormal=False))


@settings(max_examples=60, deadline=None)
@given(ORDINARY)
def test_same_bits_as_numpy_on_ordinary_data(x):
    before = x.copy()
    d_plain = np.abs(x - x.mean())
    # where numpy's own squares neither underflow nor overflow (elsewhere it is wrong and we are not)
    assume(d_plain.max() > 0 and d_plain[d_plain > 0].min() > 1e-150)
    z = scaling.standardized(x)
    assert np.array_equal(z, (x - x.mean()) / x.std())
    assert np.array_equal(scaling.standardized(x, ddof=1), (x - x.mean()) / x.std(ddof=1))
    e = scaling.scale_exponent(x - x.mean())
    assert np.array_equal(scaling.centred(x), np.ldexp(x - x.mean(), -e))
    assert np.array_equal(x, before)  # never in place on the caller's array


@pytest.mark.parametrize("x", [np.array([5e-324, 1e-323, 0.0]), np.array([1.5e308, -1.7e308, 3.0]),
                               np.array([1e-310, 3.0, -2.0])])
def test_extremes_land_in_half_to_one(x):
    u = scaling.unit_scaled(x)
    assert 0.5 <= np.abs(u).max() < 1
    np.testing.assert_array_equal(u, np.ldexp(x, -np.frexp(np.abs(x).max())[1]))
    z = scaling.standardized(x)
    assert np.isfinite(z).all() and abs(z.mean()) < 1e-12 and z.std() == pytest.approx(1.0)


def test_rows_and_round_trip():
    a = np.array([[1e-200, 2e-200], [0.0, 0.0], [3.0, 1.0]])
    u = scaling.unit_scaled(a, axis=1)
    top = np.frexp(2e-200)[1]  # each row by its own largest magnitude; all-zero rows unchanged
    np.testing.assert_array_equal(u, [np.ldexp([1e-200, 2e-200], -top), [0.0, 0.0], [0.75, 0.25]])
    assert 0.5 <= u[0, 1] < 1
    e = scaling.scale_exponent([3e300, -1e300])
    assert 2.0 ** (e - 1) <= 3e300 < 2.0**e
    assert scaling.times_power_of_two(scaling.times_power_of_two(3e300, -e), e) == 3e300
    assert scaling.times_power_of_two(5e-324, 1074) == 1.0 and scaling.times_power_of_two(1.0, -1074) == 5e-324
