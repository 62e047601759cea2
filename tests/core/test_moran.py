"""Global / local / bivariate Moran (spatial.moran, spatial.lisa, their kernels) against esda."""

import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from libpysal.examples import get_path

from spatial import conditional_permutation, lisa, moran, moran_by_year, multiple_testing, permutation
from spatial import weights as W
from spatial.errors import InputError

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=".*(island|disconnected).*")


@pytest.fixture(scope="module")
def us():
    g = gpd.read_file(get_path("us48.shp"))
    inc = pd.read_csv(get_path("usjoin.csv"))
    g = g.merge(inc, left_on="STATE_NAME", right_on="Name")
    w = W.build_weights(g, "STATE_NAME", "queen")
    return g, w, w.to_libpysal()


def square_grid(side):
    """side x side unit squares, id = row-major position; also their x, y."""
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    xs, ys = xs.ravel(), ys.ravel()
    g = gpd.GeoDataFrame({"id": np.arange(side * side)}, geometry=shapely.box(xs, ys, xs + 1, ys + 1), crs=3857)
    return g, xs, ys


def queen_grid(side):
    return W.build_weights(square_grid(side)[0], "id", "queen")


@pytest.fixture(scope="module")
def grid():
    side = 50  # 2,500 units: enough for stable correlations, fast for esda
    g, xs, ys = square_grid(side)
    rng = np.random.default_rng(7)
    smooth = np.sin(xs / 6.0) + np.cos(ys / 9.0)
    y = smooth + rng.standard_normal(side * side) * 0.8
    x = smooth * 0.5 + rng.standard_normal(side * side)
    w = W.build_weights(g, "id", "queen")
    return w, w.to_libpysal(), y, x


def test_global_equals_esda(us):
    g, w, lw = us
    for col in ["1929", "1970", "2009"]:
        y = g[col].to_numpy(float)
        ref = esda.Moran(y, lw, permutations=0)
        r = moran.global_moran(y, w, permutations=99, seed=1)
        assert abs(r.I - ref.I) < 1e-10
        assert abs(r.EI - ref.EI) < 1e-12
        assert abs(r.VI - ref.VI_norm) < 1e-10
        assert abs(r.Z - ref.z_norm) < 1e-8
        assert abs(r.P_NORM - ref.p_norm) < 1e-10


@pytest.mark.parametrize("kernel", ["scipy's csr_matvec", "public product"])
def test_draw_statistic_is_the_dense_quadratic_form(us, kernel, monkeypatch):
    """z_p' W z_p of every draw, against the dense matrix (numpy), whether the
    products run through scipy's kernel into one buffer or, where that kernel
    is missing or wrong, through ``U @ v``; the same draws either way."""
    import scipy.sparse._sparsetools as sparsetools

    g, w, lw = us
    w = w.copy()  # a fresh derived cache: U and its product made here
    if kernel == "public product":  # a csr_matvec that leaves the output alone
        monkeypatch.setattr(sparsetools, "csr_matvec", lambda *args: None)
        # U @ v itself goes through the patched module: its vector product made dense here
        # (scipy >= 1.11 names it _matmul_vector, before _mul_vector)
        name = "_matmul_vector" if hasattr(type(w.sparse), "_matmul_vector") else "_mul_vector"
        monkeypatch.setattr(type(w.sparse), name, lambda self, v: self.toarray() @ v)
    statistic = moran._quadratic_forms(w)
    chosen = moran._csr_product(w.derived["moran_upper"]).__name__
    assert chosen == ("product" if kernel == "scipy's csr_matvec" else "plain")
    dense = w.sparse.toarray()
    rng = np.random.default_rng(5)
    rows = rng.standard_normal((3, w.n))
    order = rng.permutation(w.n)
    expected = [r[order] @ dense @ r[order] for r in rows]
    np.testing.assert_allclose(statistic(rows, order), expected, rtol=1e-12)
    np.testing.assert_allclose(statistic(rows, None), [r @ dense @ r for r in rows], rtol=1e-12)


def test_global_p_sim_consistent_and_seeded(us):
    g, w, lw = us
    y = g["1970"].to_numpy(float)
    a = moran.global_moran(y, w, 999, seed=3)
    b = moran.global_moran(y, w, 999, seed=3)
    c = moran.global_moran(y, w, 999, seed=3, n_jobs=2)
    assert a.P_SIM == b.P_SIM == c.P_SIM
    np.random.seed(0)
    ref = esda.Moran(y, lw, permutations=999)
    assert a.P_SIM == ref.p_sim == 0.001  # strong clustering: no draw reaches I
    # random values: the permutation distribution is centred on E[I]
    rnd = np.random.default_rng(1).standard_normal(48)
    r = moran.global_moran(rnd, w, 999, seed=4)
    assert abs(r.EI_SIM - r.EI) < 3 * r.SE_SIM / np.sqrt(999) + 0.01


def test_bivariate_equals_esda(us):
    g, w, lw = us
    x, y = g["1929"].to_numpy(float), g["2009"].to_numpy(float)
    ref = esda.Moran_BV(x, y, lw, permutations=0)
    r = moran.global_moran_bv(x, y, w, permutations=99, seed=2)
    assert abs(r.I - ref.I) < 1e-10
    refl = esda.Moran_Local_BV(x, y, lw, permutations=0)
    rl = lisa.local_moran_bv(x, y, w, permutations=0)
    np.testing.assert_allclose(rl.Is, refl.Is, atol=1e-10, rtol=0)
    np.testing.assert_array_equal(rl.q, refl.q)
    refl = esda.Moran_Local_BV(x, y, lw, permutations=999, seed=5)
    rl = lisa.local_moran_bv(x, y, w, permutations=999, seed=6)
    assert np.corrcoef(rl.p_sim, refl.p_sim)[0, 1] >= 0.99


def test_local_equals_esda_and_p_consistent(grid):
    w, lw, y, _ = grid
    ref = esda.Moran_Local(y, lw, permutations=999, seed=11)
    r = lisa.local_moran(y, w, permutations=999, seed=12)
    np.testing.assert_allclose(r.Is, ref.Is, atol=1e-10, rtol=0)
    np.testing.assert_array_equal(r.q, ref.q)
    assert np.corrcoef(r.p_sim, ref.p_sim)[0, 1] >= 0.99
    ref_labels = np.where(ref.p_sim <= 0.05, pd.Series(ref.q).map(lisa.CLUSTER_LABELS).to_numpy(), "NS")
    assert (ref_labels == r.clusters).mean() >= 0.97


def test_local_us_income(us):
    g, w, lw = us
    y = g["2009"].to_numpy(float)
    ref = esda.Moran_Local(y, lw, permutations=999, seed=1)
    r = lisa.local_moran(y, w, permutations=999, seed=2)
    np.testing.assert_allclose(r.Is, ref.Is, atol=1e-10, rtol=0)
    assert np.corrcoef(r.p_sim, ref.p_sim)[0, 1] >= 0.99


def _naive_p(z, W, i, permutations, rng):
    """One observation, textbook conditional permutation."""
    row = W[i]
    nb, wts = row.indices, row.data
    others = np.delete(np.arange(len(z)), i)
    obs = z[i] * (wts @ z[nb])
    sims = np.array([z[i] * (wts @ z[rng.choice(others, len(nb), replace=False)]) for _ in range(permutations)])
    c = (sims >= obs).sum()
    return (min(c, permutations - c) + 1) / (permutations + 1)


def _max_z(p1, p2, P):
    """Largest difference of two independent Monte Carlo estimates of the
    same p-values, in standard errors (binomial: p(1-p)/P each)."""
    p = np.clip((p1 + p2) / 2, 1.0 / P, None)
    return float((np.abs(p1 - p2) / np.sqrt(2 * p * (1 - p) / P)).max())


@pytest.fixture(params=["batched", "per round"])
def kernel_path(request, monkeypatch):
    """Both ways the kernel draws: rounds in batches (layers up to
    _BATCHED_UNITS units) and one round at a time (larger layers)."""
    if request.param == "per round":
        monkeypatch.setattr(conditional_permutation, "_BATCHED_UNITS", 0)
    return request.param


def test_kernel_draws_match_textbook_permutations(us, kernel_path):
    # the kernel's p-values follow the same distribution as naive per-observation draws
    g, w, _ = us
    y = g["1990"].to_numpy(float)
    z = (y - y.mean()) / y.std()
    P = 4000
    r = lisa.local_moran(y, w, permutations=P, seed=9)
    rng = np.random.default_rng(0)
    naive = np.array([_naive_p(z, w.sparse, i, P, rng) for i in range(w.n)])
    assert _max_z(r.p_sim, naive, P) < 4.5


def test_kernel_with_few_window_starts_still_matches_textbook(us, monkeypatch, kernel_path):
    # large layers use fewer window starts than units (more stand-ins shared
    # within a round); each observation's draws must stay textbook ones
    g, w, _ = us
    monkeypatch.setattr(conditional_permutation, "window_bits", lambda n, kmax: 2)
    y = g["1990"].to_numpy(float)
    z = (y - y.mean()) / y.std()
    P = 4000
    r = lisa.local_moran(y, w, permutations=P, seed=9)
    rng = np.random.default_rng(1)
    naive = np.array([_naive_p(z, w.sparse, i, P, rng) for i in range(w.n)])
    assert _max_z(r.p_sim, naive, P) < 4.5


def test_window_starts_scale_with_size():
    assert conditional_permutation.window_bits(48, 8) == 5  # small layers: as many starts as fit
    assert conditional_permutation.window_bits(3085, 8) == 11
    assert conditional_permutation.window_bits(40_000, 8) == 12  # about n / 8, at least 2**12
    assert conditional_permutation.window_bits(250_000, 8) == 14
    assert conditional_permutation.window_bits(10**7, 8) == 15


def _codes(rows, B):
    # a permutation of 0..n-1 as one integer
    p = rows if B is None else rows[:, B]
    return (p * 10 ** np.arange(p.shape[1])).sum(1).astype(float)


def test_paired_draws_are_uniform_and_pairwise_independent():
    from itertools import permutations

    from scipy import stats

    z = np.arange(3, dtype=float)  # 6 permutations, 36 pairs
    codes = sorted(int(c) for c in _codes(np.array(list(permutations(range(3)))), None))
    where = {c: i for i, c in enumerate(codes)}
    draws = np.array([permutation.paired_draws(z, 9, s, 1, _codes) for s in range(3000)]).astype(int)
    assert permutation.pair_counts(3, 9) == (3, 3)  # draw i + 3j is z[A_i][B_j]
    for k in range(9):
        f = np.bincount([where[c] for c in draws[:, k]], minlength=6)
        assert stats.chisquare(f).pvalue > 1e-3
    # same B (0, 1), same A (0, 3), nothing shared (0, 4)
    for a, b in ((0, 1), (0, 3), (0, 4), (4, 8)):
        f = np.bincount([6 * where[x] + where[y] for x, y in zip(draws[:, a], draws[:, b])], minlength=36)
        assert stats.chisquare(f).pvalue > 1e-3, (a, b)


def test_paired_and_independent_draws_agree_with_randomization_moments():
    # the permutation distribution of I has known mean and variance under
    # randomization (Cliff and Ord; esda's EI, VI_rand): both schemes hit them
    side = 30
    w = queen_grid(side)
    y = np.random.default_rng(3).exponential(size=side * side)  # skewed: VI_rand differs from VI_norm
    ref = esda.Moran(y, w.to_libpysal(), permutations=0)
    for draws in permutation.DRAWS:
        r = moran.global_moran(y, w, 4000, seed=2, draws=draws)
        assert abs(r.EI_SIM - ref.EI) < 4 * np.sqrt(ref.VI_rand / 4000)
        assert abs(r.SE_SIM ** 2 / ref.VI_rand - 1) < 0.1


def test_paired_draws_keep_the_test_size():
    # null data: the share of pseudo p <= 0.05 (either tail, esda's rule) is
    # about 0.10 with both schemes
    side = 8
    w = queen_grid(side)
    rng = np.random.default_rng(4)
    data = rng.standard_normal((600, side * side))
    for draws in permutation.DRAWS:
        p = np.array([moran.global_moran(y, w, 99, seed=k, draws=draws).P_SIM for k, y in enumerate(data)])
        assert 0.07 <= (p <= 0.05).mean() <= 0.13, draws


def test_pseudo_p_matches_the_exact_permutation_p():
    # 3 x 3 grid: all 9! = 362,880 permutations enumerated give the exact p
    from itertools import permutations

    w = queen_grid(3)
    y = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0])  # exact p about 0.06
    z = y - y.mean()
    Wd = w.sparse.toarray()
    Z = z[np.array(list(permutations(range(9))))]
    all_i = np.einsum("ij,jk,ik->i", Z, Wd, Z) * 9 / Wd.sum() / (z @ z)
    observed = moran.global_moran(y, w, 0).I
    q = (all_i >= observed - 1e-12).mean()
    exact = min(q, 1 - q)
    P = 20000
    for draws in permutation.DRAWS:
        r = moran.global_moran(y, w, P, seed=5, draws=draws)
        assert abs(r.P_SIM - exact) < 4.5 * np.sqrt(exact * (1 - exact) / P) + 1.0 / P, draws
        assert abs(r.EI_SIM - all_i.mean()) < 4.5 * all_i.std() / np.sqrt(P)


def test_bivariate_draws_schemes_agree(us):
    g, w, _ = us
    x, y = g["1929"].to_numpy(float), g["2009"].to_numpy(float)
    a = moran.global_moran_bv(x, y, w, 4000, seed=1)
    b = moran.global_moran_bv(x, y, w, 4000, seed=1, draws="independent")
    assert a.I == b.I
    assert abs(a.SE_SIM / b.SE_SIM - 1) < 0.1 and abs(a.P_SIM - b.P_SIM) < 0.02


def test_kernel_weights_general_path():
    g = gpd.read_file(get_path("columbus.shp"))
    g["UID"] = np.arange(len(g))
    w = W.build_weights(g, "UID", "kernel", k=6)
    y = g["CRIME"].to_numpy(float)
    ref = esda.Moran_Local(y, w.to_libpysal(), permutations=999, seed=1)
    r = lisa.local_moran(y, w, permutations=999, seed=2)
    np.testing.assert_allclose(r.Is, ref.Is, atol=1e-10, rtol=0)
    assert np.corrcoef(r.p_sim, ref.p_sim)[0, 1] >= 0.98


def test_fdr_equals_esda_and_bonferroni(grid):
    w, lw, y, _ = grid
    r = lisa.local_moran(y, w, permutations=999, seed=3)
    for alpha in (0.01, 0.05, 0.1):
        assert multiple_testing.fdr_threshold(r.p_sim, alpha) == pytest.approx(esda.fdr(r.p_sim, alpha), abs=0)
    f = r.relabel(0.05, "fdr")
    cut = esda.fdr(r.p_sim, 0.05)
    assert f.cutoff == cut
    assert ((f.clusters != "NS") == (r.p_sim <= cut)).all()
    b = r.relabel(0.05, "bonferroni")
    assert ((b.clusters != "NS") == (r.p_sim <= 0.05 / w.n)).all()
    assert multiple_testing.fdr_threshold(np.full(10, 0.9), 0.05) == 0.005


def test_islands_get_isolated():
    side = 6
    geoms = list(square_grid(side)[0].geometry) + [shapely.box(50, 50, 51, 51)]
    g = gpd.GeoDataFrame({"id": list(range(side * side)) + [999]}, geometry=geoms, crs=3857)
    w = W.build_weights(g, "id", "queen")
    y = np.r_[np.arange(side * side, dtype=float), 5.0]
    r = lisa.local_moran(y, w, permutations=99, seed=1, correction="fdr")
    t = r.to_frame("id").set_index("id")
    assert t.loc[999, "CLUSTER"] == "ISOLATED"
    assert np.isnan(t.loc[999, "LISA_P"])
    assert (t.drop(index=999)["CLUSTER"] != "ISOLATED").all()
    assert list(t.columns[:4]) == ["LISA_I", "LISA_P", "LISA_Q", "CLUSTER"]


def test_by_year_and_alignment(us):
    g, w, lw = us
    inc = pd.read_csv(get_path("usjoin.csv"))
    long = inc.melt(id_vars=["Name", "STATE_FIPS"], var_name="YEAR", value_name="INC")
    long["YEAR"] = long["YEAR"].astype(int)
    long = long[long.YEAR.isin([1929, 1969, 2009])]
    before = long.copy()
    t = moran_by_year.global_moran_by_year(long, "Name", "YEAR", "INC", w, permutations=99, seed=1)
    assert list(t.columns) == ["YEAR", "I", "EI", "VI", "Z", "P_NORM", "P_SIM", "N"]
    for _, row in t.iterrows():
        y = long[long.YEAR == row.YEAR].set_index("Name").reindex(w.ids)["INC"].to_numpy()
        assert abs(row.I - esda.Moran(y, lw, permutations=0).I) < 1e-10
    pd.testing.assert_frame_equal(long, before)
    loc = moran_by_year.local_moran_by_year(long, "Name", "YEAR", "INC", w, permutations=99, seed=1)
    assert len(loc) == 3 * 48 and {"Name", "YEAR", "LISA_I", "CLUSTER"} <= set(loc.columns)
    extra = pd.concat([long, pd.DataFrame({"Name": ["Atlantis"], "YEAR": [1929], "INC": [1.0]})])
    with pytest.raises(InputError, match="Atlantis"):
        moran_by_year.global_moran_by_year(extra, "Name", "YEAR", "INC", w, permutations=0)
    short = long[~((long.Name == "Ohio") & (long.YEAR == 1969))]
    with pytest.raises(InputError, match="1969.*Ohio"):
        moran_by_year.global_moran_by_year(short, "Name", "YEAR", "INC", w, permutations=0)
    nulls = long.copy()
    nulls.loc[(nulls.Name == "Iowa") & (nulls.YEAR == 2009), "INC"] = np.nan
    with pytest.raises(InputError, match="2009.*Iowa"):
        moran_by_year.local_moran_by_year(nulls, "Name", "YEAR", "INC", w, permutations=0)


def test_a_years_p_values_do_not_depend_on_the_other_years(us):
    """Each year is seeded by its calendar year, so a study may split its
    years across workers: 1969 alone gives 1969's numbers of 1929–2009."""
    from spatial.hotspots import hot_spots_by_year

    g, w, lw = us
    inc = pd.read_csv(get_path("usjoin.csv"))
    long = inc.melt(id_vars=["Name", "STATE_FIPS"], var_name="YEAR", value_name="INC")
    long["YEAR"] = long["YEAR"].astype(int)
    three = long[long.YEAR.isin([1929, 1969, 2009])]
    alone = long[long.YEAR == 1969]
    for by_year in (moran_by_year.global_moran_by_year, moran_by_year.local_moran_by_year, hot_spots_by_year):
        every = by_year(three, "Name", "YEAR", "INC", w, permutations=99, seed=7)
        one = by_year(alone, "Name", "YEAR", "INC", w, permutations=99, seed=7)
        pd.testing.assert_frame_equal(every[every.YEAR == 1969].reset_index(drop=True), one)
    # and the year's seed is [seed, year]: the same draws as the year's own call
    y = alone.set_index("Name").reindex(w.ids)["INC"].to_numpy()
    direct = moran.global_moran(y, w, 99, [7, 1969])
    assert moran_by_year.global_moran_by_year(
        alone, "Name", "YEAR", "INC", w, permutations=99, seed=7).P_SIM.iloc[0] == direct.P_SIM


def test_bad_inputs(us):
    g, w, _ = us
    y = g["2009"].to_numpy(float)
    with pytest.raises(InputError, match="NULL"):
        lisa.local_moran(np.r_[np.nan, y[1:]], w)
    with pytest.raises(InputError, match="48 units"):
        moran.global_moran(y[:10], w)
    with pytest.raises(InputError, match="equal"):
        moran.global_moran(np.ones(48), w)
    with pytest.raises(InputError, match="correction"):
        lisa.local_moran(y, w, correction="holm")
    with pytest.raises(InputError, match="draws"):
        moran.global_moran(y, w, draws="bootstrap")
    s = pd.Series(y[:47], index=w.ids[:47])
    with pytest.raises(InputError, match=w.ids[47]):
        lisa.local_moran(s, w)


def test_constant_or_infinite_field_names_the_field_and_year():
    w = queen_grid(4)
    panel = pd.DataFrame({"id": np.tile(np.arange(16), 2), "year": np.repeat([2015, 2016], 16),
                          "D": np.r_[np.arange(16.0), np.full(16, 0.25)], "E": np.arange(32.0)})
    for run in (moran_by_year.global_moran_by_year, moran_by_year.local_moran_by_year):
        with pytest.raises(InputError, match=r"field 'D' in year 2016: all 16 values are equal \(0.25\)"):
            run(panel, "id", "year", "D", w, permutations=0)
    # bivariate: the second field is checked the same way
    with pytest.raises(InputError, match=r"field 'D' in year 2016"):
        moran_by_year.global_moran_by_year(panel, "id", "year", "E", w, permutations=0, second_field="D")
    panel.loc[(panel.year == 2015) & (panel.id == 9), "E"] = -np.inf
    with pytest.raises(InputError, match=r"field 'E' in year 2015: infinite values for units 9"):
        moran_by_year.local_moran_by_year(panel, "id", "year", "E", w, permutations=0)
