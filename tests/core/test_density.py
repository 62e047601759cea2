"""Kernel densities, bandwidth rules, peaks and Markov chains on US per-capita income
(us_income), against the kernel formula, R's bandwidth rules by hand, and hand counts."""

import os

import numpy as np
import pandas as pd
import pytest

from spatial import density
from spatial.errors import InputError

libpysal = pytest.importorskip("libpysal")


@pytest.fixture(scope="module")
def long():
    income = pd.read_csv(libpysal.examples.get_path("usjoin.csv"))
    years = ["1929", "1969", "2009"]
    relative = income[years] / income[years].mean()  # income relative to the mean, as Quah's
    relative["STATE"] = income["Name"]
    relative["REGION"] = np.where(income["STATE_FIPS"] % 2 == 0, "even", "odd")
    return relative.melt(id_vars=["STATE", "REGION"], var_name="YEAR", value_name="REL") \
        .astype({"YEAR": int})


def test_bandwidth_rules_by_hand():
    x = np.array([0.1, 0.25, 0.3, 0.32, 0.4, 0.41, 0.55, 0.7, 0.9, 1.2])
    s = x.std(ddof=1)
    iqr = np.percentile(x, 75) - np.percentile(x, 25)
    assert density.bandwidth(x, "silverman") == pytest.approx(0.9 * min(s, iqr / 1.34) * 10 ** -0.2)
    assert density.bandwidth(x, "scott") == pytest.approx(1.06 * min(s, iqr / 1.34) * 10 ** -0.2)
    with pytest.raises(InputError, match="two different values"):
        density.bandwidth([0.5, 0.5, 0.5])


def test_isj_is_near_the_normal_optimum_on_normal_data_and_narrower_on_two_modes():
    rng = np.random.default_rng(1)
    normal = rng.normal(size=2000)
    optimum = 1.06 * normal.std(ddof=1) * 2000 ** -0.2  # AMISE-optimal for a normal shape
    assert density.bandwidth(normal, "isj") == pytest.approx(optimum, rel=0.1)
    modes = np.r_[rng.normal(-3, 0.5, 500), rng.normal(3, 0.5, 500)]
    assert density.bandwidth(modes, "isj") < 0.5 * density.bandwidth(modes, "silverman")


def test_densities_equal_the_kernel_formula_and_integrate_to_one(long):
    curves, summary = density.kernel_densities(long, "YEAR", "REL", rule="silverman", points=400)
    assert summary["GROUP"].tolist() == ["all"] * 3 and curves["X"].nunique() == 400
    for year in (1929, 2009):
        x = long.loc[long.YEAR == year, "REL"].to_numpy()
        row = summary[summary.YEAR == year].iloc[0]
        h = row["BANDWIDTH"]
        grid = curves.loc[curves.YEAR == year, "X"].to_numpy()
        f = curves.loc[curves.YEAR == year, "DENSITY"].to_numpy()
        hand = np.exp(-0.5 * ((grid[:, None] - x[None, :]) / h) ** 2).sum(1) / (len(x) * h * np.sqrt(2 * np.pi))
        assert f == pytest.approx(hand, rel=1e-9, abs=1e-12)
        area = float(np.sum((f[1:] + f[:-1]) / 2 * np.diff(grid)))
        assert area == pytest.approx(1, abs=1e-3)
        assert row["PEAK_X"] == pytest.approx(grid[np.argmax(f)])
        assert row["PEAK_DENSITY"] == pytest.approx(f.max())
    # incomes converged: the 2009 curve is narrower and higher than the 1929 one
    first, last = summary.iloc[0], summary.iloc[-1]
    assert last["SD"] < first["SD"] and last["PEAK_DENSITY"] > first["PEAK_DENSITY"]
    assert last["HALF_WIDTH"] < first["HALF_WIDTH"]


def test_groups_add_their_own_curves(long):
    _, summary = density.kernel_densities(long, "YEAR", "REL", group_field="REGION", rule="scott")
    assert summary.groupby("YEAR")["GROUP"].apply(list).iloc[0] == ["all", "even", "odd"]
    first = summary[summary.YEAR == 1929]
    assert first["N"].iloc[0] == 48 and first["N"].iloc[1:].sum() == 48


def test_peaks_and_half_width_of_a_known_curve():
    grid = np.linspace(-5, 5, 1001)
    curve = np.exp(-0.5 * (grid + 2) ** 2) + 0.5 * np.exp(-0.5 * (grid - 2) ** 2)
    at, heights = density.peaks(grid, curve)
    assert at == pytest.approx([-2, 2], abs=0.02) and heights[0] > heights[1]
    single = np.exp(-0.5 * grid ** 2)
    assert density.half_width(grid, single) == pytest.approx(2 * np.sqrt(2 * np.log(2)), abs=1e-3)


def test_markov_chain_counts_and_steady_state_by_hand(long):
    table = long.assign(CLASS=pd.cut(long["REL"], [0, 0.8, 1.0, 1.2, 9], labels=False))
    transitions, state = density.markov_chain(table, "STATE", "YEAR", "CLASS")
    wide = table.pivot(index="STATE", columns="YEAR", values="CLASS")
    pairs = pd.concat([wide[[1929, 1969]].set_axis(["a", "b"], axis=1),
                       wide[[1969, 2009]].set_axis(["a", "b"], axis=1)])
    counts = pd.crosstab(pairs["a"], pairs["b"]).reindex(index=range(4), columns=range(4), fill_value=0)
    got = transitions.pivot(index="FROM", columns="TO", values="COUNT")
    assert got.to_numpy().tolist() == counts.to_numpy().tolist()
    p = counts.to_numpy() / counts.to_numpy().sum(1, keepdims=True)
    assert transitions.pivot(index="FROM", columns="TO", values="P").to_numpy() == pytest.approx(p)
    values, vectors = np.linalg.eig(p.T)
    pi = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    assert state["STEADY_STATE"].to_numpy() == pytest.approx(pi / pi.sum(), abs=1e-8)
    assert state["FIRST_YEAR"].sum() == pytest.approx(1)
    with pytest.raises(InputError, match="unit Ohio year 1969"):
        density.markov_chain(table[~((table.STATE == "Ohio") & (table.YEAR == 1969))],
                             "STATE", "YEAR", "CLASS")


def test_isj_is_near_the_mise_optimal_bandwidth_of_a_normal_mixture():
    """Exact MISE of a Gaussian KDE for a normal mixture (Marron & Wand 1992, eq. 2.3):
    MISE(h) = 1/(2√π n h) + w'[(1 − 1/n) Ω₂ − 2 Ω₁ + Ω₀] w, Ω_a[l, m] = φ_{√(a h² + σ_l² + σ_m²)}(μ_l − μ_m).
    On a bimodal sample ISJ lands near the MISE optimum where Silverman's rule oversmooths."""
    weights, means, sds = np.array([0.5, 0.5]), np.array([-2.0, 2.0]), np.array([0.5, 0.5])
    n = 1000

    def mise(h):
        def omega(a):
            s = np.sqrt(a * h * h + sds[:, None] ** 2 + sds[None, :] ** 2)
            d = means[:, None] - means[None, :]
            return np.exp(-0.5 * (d / s) ** 2) / (s * np.sqrt(2 * np.pi))
        return 1 / (2 * np.sqrt(np.pi) * n * h) + weights @ ((1 - 1 / n) * omega(2) - 2 * omega(1) + omega(0)) @ weights

    grid = np.linspace(0.02, 1.0, 981)
    optimum = grid[int(np.argmin([mise(h) for h in grid]))]
    rng = np.random.default_rng(5)
    found = []
    for _ in range(5):
        component = rng.random(n) < 0.5
        x = np.where(component, rng.normal(-2, 0.5, n), rng.normal(2, 0.5, n))
        found.append(density.bandwidth(x, "isj"))
        assert density.bandwidth(x, "silverman") > 2 * optimum
    assert np.median(found) == pytest.approx(optimum, rel=0.15)


@pytest.mark.parametrize("case", ["irreducible", "reducible", "empty class", "absorbing"])
def test_markov_chain_is_giddys(case):
    """Counts and steady state equal giddy's Markov to the last bit, also for
    chains with several recurrent classes and a class never left from."""
    giddy_markov = pytest.importorskip("giddy.markov")
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 4, size=(60, 9))
    if case == "reducible":  # {0, 1} and {2, 3} never mix: two recurrent classes
        codes = np.where(np.arange(60)[:, None] < 30, rng.integers(0, 2, (60, 9)), rng.integers(2, 4, (60, 9)))
    if case == "empty class":  # class 3 only in the last year: its row has no transitions
        codes = np.minimum(codes, 2)
        codes[:5, -1] = 3
    if case == "absorbing":  # once in 3, a unit stays
        codes = np.maximum.accumulate(codes, axis=1)
    table = pd.DataFrame({"ID": np.repeat(np.arange(60), 9), "YEAR": np.tile(np.arange(2000, 2009), 60),
                          "CLASS": codes.ravel()})
    transitions, state = density.markov_chain(table, "ID", "YEAR", "CLASS")
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        chain = giddy_markov.Markov(codes, classes=np.arange(4))
        expected = np.asarray(chain.steady_state, dtype=float).ravel()
    np.testing.assert_array_equal(transitions.pivot(index="FROM", columns="TO", values="COUNT").to_numpy(),
                                  chain.transitions)
    if expected.shape[0] == 4:
        np.testing.assert_array_equal(state["STEADY_STATE"].to_numpy(), expected)
    else:
        assert case == "reducible" and state["STEADY_STATE"].isna().all()


def test_gth_stationary_is_quantecons_to_the_last_bit_and_solves_pi_p():
    """Irreducible stochastic matrices of 2 to 12 classes: the hand-written
    elimination equals quantecon's compiled GTH routine bit for bit, and
    π P = π, Σ π = 1 (the definition, checked independently); chains with
    transient classes and one or several closed classes: the steady state is
    quantecon's."""
    quantecon = pytest.importorskip("quantecon")
    rng = np.random.default_rng(11)
    for n in range(2, 13):
        for _ in range(5):
            p = rng.random((n, n)) * (rng.random((n, n)) < 0.6) + np.eye(n, k=1) + np.eye(n, k=1 - n)
            p /= p.sum(axis=1, keepdims=True)
            pi = density.gth_stationary(p)
            np.testing.assert_array_equal(pi, quantecon.MarkovChain(p).stationary_distributions[0])
            assert pi @ p == pytest.approx(pi, abs=1e-14) and pi.sum() == pytest.approx(1.0)
    for transient, closed in ((1, 2), (2, 3), (3, 4), (2, 6)):
        # transient classes leading into one closed class; rows of 1,024 counts: P exact
        n = transient + closed
        counts = np.zeros((n, n))
        for row in range(n):  # a path through every class, then 1,023 counts at random
            after = row + 1 if row < transient else transient + (row - transient + 1) % closed
            counts[row, after] = 1
            allowed = np.arange(n) if row < transient else np.arange(transient, n)
            counts[row, allowed] += rng.multinomial(1023, np.full(len(allowed), 1 / len(allowed)))
        expected = np.ravel(quantecon.MarkovChain(counts / 1024).stationary_distributions)
        np.testing.assert_array_equal(density.steady_state(counts), expected)
    # two closed classes {0, 1} and {3} beside a transient 2, and a class never left (4)
    counts = np.array([[300, 724, 0, 0, 0], [1000, 24, 0, 0, 0], [100, 0, 400, 524, 0],
                       [0, 0, 0, 1024, 0], [0, 0, 0, 0, 0]], dtype=float)
    p = counts / 1024
    p[4, 4] = 1.0
    np.testing.assert_array_equal(density.steady_state(counts),
                                  quantecon.MarkovChain(p).stationary_distributions)


def test_an_irreducible_chain_does_not_import_quantecon():
    import subprocess
    import sys

    code = ("import sys, numpy as np, pandas as pd; from spatial import density; "
            "rng = np.random.default_rng(0); codes = rng.integers(0, 4, (40, 6)); "
            "t = pd.DataFrame({'ID': np.repeat(np.arange(40), 6), 'YEAR': np.tile(np.arange(6), 40), "
            "'CLASS': codes.ravel()}); density.markov_chain(t, 'ID', 'YEAR', 'CLASS'); "
            "print('quantecon' in sys.modules, 'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert out.stdout.split() == ["False", "False"]
