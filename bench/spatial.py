"""Benchmark: spatial weights, LISA and global Moran against libpysal / esda / pygeoda.

Usage: .venv/bin/python bench/spatial.py [--quick] [--threads N]
Prints seconds and ratios (baseline / ours; > 1 means we are faster). One run
each, single thread for every tool unless stated.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
warnings.filterwarnings("ignore")


def grid(side):
    import geopandas as gpd
    import shapely

    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    xs, ys = xs.ravel(), ys.ravel()
    rng = np.random.default_rng(0)
    v = np.sin(xs / 15) + np.cos(ys / 20) + rng.standard_normal(side * side)
    return gpd.GeoDataFrame({"uid": np.arange(side * side), "v": v},
                            geometry=shapely.box(xs, ys, xs + 1, ys + 1), crs=3857)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def line(label, secs, ours=None, base_label=""):
    ratio = f"   {base_label} / ours = {secs / ours:5.2f}x" if ours else ""
    print(f"  {label:<46s} {secs:8.2f} s{ratio}", flush=True)


def bench_weights(side, tmp):
    import geopandas as gpd
    import libpysal
    import pygeoda

    from spatial import weights as W

    n = side * side
    path = os.path.join(tmp, f"grid{n}.gpkg")
    shp = os.path.join(tmp, f"grid{n}.shp")
    layer = grid(side)
    layer.to_file(path, driver="GPKG")
    layer.to_file(shp)
    print(f"queen weights on {n:,} square polygons, reading the layer included "
          f"(GeoPackage; pygeoda reads only shapefiles, so it gets the same grid as .shp)")
    t_ours, w = timed(lambda: W.build_weights(gpd.read_file(path), "uid", "queen"))
    t_pg, _ = timed(lambda: pygeoda.queen_weights(pygeoda.open(shp)))
    t_lp, lw = timed(lambda: libpysal.weights.Queen.from_dataframe(gpd.read_file(path), use_index=False))
    line("ours (pyogrio read + vertex hashing)", t_ours)
    line("pygeoda (open + queen_weights)", t_pg, t_ours, "pygeoda")
    line("libpysal (pyogrio read + Queen.from_dataframe)", t_lp, t_ours, "libpysal")
    assert (np.sort(w.cardinalities) == np.sort(lw.cardinalities_array if hasattr(lw, "cardinalities_array")
                                               else np.array(list(lw.cardinalities.values())))).all()
    return w


def bench_lisa(side, w, threads, with_esda, with_complete):
    import esda
    import pygeoda

    from spatial import lisa as A

    n = side * side
    g = grid(side)
    y = g["v"].to_numpy()
    print(f"LISA, 999 permutations, {n:,} units (queen)")
    t_ours, r = timed(lambda: A.local_moran(y, w, 999, seed=1))
    line("ours, 1 thread", t_ours)
    if threads > 1:
        t2, _ = timed(lambda: A.local_moran(y, w, 999, seed=1, n_jobs=threads))
        line(f"ours, {threads} threads", t2)
    gd = pygeoda.open(g)
    pw = pygeoda.queen_weights(gd)
    t_lt, _ = timed(lambda: pygeoda.local_moran(pw, list(y), permutations=999, permutation_method="lookup-table",
                                                cpu_threads=1, seed=1))
    line("pygeoda lookup-table, 1 thread", t_lt, t_ours, "pygeoda-LT")
    if with_complete:
        t_c, _ = timed(lambda: pygeoda.local_moran(pw, list(y), permutations=999, permutation_method="complete",
                                                   cpu_threads=1, seed=1))
        line("pygeoda complete (default), 1 thread", t_c, t_ours, "pygeoda-complete")
    else:
        print("  pygeoda complete: skipped at this size (10.5 s at 40k, linear in n)")
    if with_esda:
        lw = w.to_libpysal()
        import libpysal

        t_jit, _ = timed(lambda: esda.Moran_Local(np.arange(25.0), libpysal.weights.lat2W(5, 5), permutations=9, seed=1))
        line("esda first call on 25 units (numba compile if present)", t_jit)
        t_e, ref = timed(lambda: esda.Moran_Local(y, lw, permutations=999, seed=1))
        line("esda Moran_Local (warm)", t_e, t_ours, "esda")
        print(f"  p-value correlation with esda: {np.corrcoef(ref.p_sim, r.p_sim)[0, 1]:.4f}; "
              f"labels equal: {(np.where(ref.p_sim <= .05, ref.q, 0) == np.where(r.p_sim <= .05, r.q, 0)).mean():.4f}")
    else:
        print("  esda Moran_Local: skipped at this size (76 s at 250k: it copies the data per observation)")


def bench_global(side, w, threads):
    import esda

    from spatial import moran as A

    n = side * side
    y = grid(side)["v"].to_numpy()
    print(f"global Moran, 999 permutations, {n:,} units")
    t_ours, r = timed(lambda: A.global_moran(y, w, 999, seed=1))
    line("ours, paired draws, 1 thread", t_ours)
    if threads > 1:
        t2, _ = timed(lambda: A.global_moran(y, w, 999, seed=1, n_jobs=threads))
        line(f"ours, paired draws, {threads} threads", t2)
    t_ind, ind = timed(lambda: A.global_moran(y, w, 999, seed=1, draws="independent"))
    line("ours, independent shuffles, 1 thread", t_ind, t_ours, "independent")
    print(f"  paired: p {r.P_SIM:.4f}, sd of draws {r.SE_SIM:.3e}; independent: p {ind.P_SIM:.4f}, "
          f"sd {ind.SE_SIM:.3e}")
    lw = w.to_libpysal()
    t_e, ref = timed(lambda: esda.Moran(y, lw, permutations=999))
    line("esda Moran", t_e, t_ours, "esda")
    assert abs(ref.I - r.I) < 1e-10


COLD = """
import time; t0 = time.perf_counter()
import numpy as np, shapely, geopandas as gpd
from spatial import weights as W, lisa as A
side = {side}
xs, ys = np.meshgrid(np.arange(side), np.arange(side)); xs, ys = xs.ravel(), ys.ravel()
g = gpd.GeoDataFrame({{"id": np.arange(side*side)}}, geometry=shapely.box(xs, ys, xs+1, ys+1), crs=3857)
w = W.build_weights(g, "id", "queen")
t1 = time.perf_counter()
r = A.local_moran(np.sin(xs/7.0) + np.random.default_rng(0).standard_normal(side*side), w, 999, seed=1)
t2 = time.perf_counter()
print(f"{{t1-t0:.2f}} {{t2-t1:.2f}}")
"""


def bench_cold(side):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", COLD.format(side=side)], cwd=root, capture_output=True, text=True,
                         check=True).stdout.split()
    total = time.perf_counter() - t0
    print(f"cold start: fresh Python, {side * side:,} units, first LISA (999 perms)")
    print(f"  process total {total:.2f} s = imports + weights {float(out[0]):.2f} s + first LISA call {float(out[1]):.2f} s")


def main():
    try:
        import numba

        print(f"numba {numba.__version__} is installed: esda compiles its kernels on first use")
    except ImportError:
        print("numba is not installed: esda runs its kernels in Python")
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes (2,500 and 10,000 units)")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    sizes = (50, 100) if a.quick else (200, 500)
    with tempfile.TemporaryDirectory() as tmp:
        bench_cold(100)
        for side in sizes:
            w = bench_weights(side, tmp)
            small = side <= 200
            bench_lisa(side, w, a.threads, with_esda=small, with_complete=small)
        bench_global(sizes[-1], w, a.threads)


if __name__ == "__main__":
    main()
