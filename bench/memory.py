"""Memory of the spatial core per year on a large grid, to extrapolate to 10^7 cells.

On a square grid of ``--side``² cells (default 1,000² = 10^6): the polygons,
queen weights, one year's global Moran (999 paired permutations) and one
year's LISA (999 conditional permutations), each measured as the peak of
memory traced by ``tracemalloc`` during the step (numpy and pandas report
their buffers to it) and the process's peak resident set size after it.
Every structure here is linear in the cells (weights: about 8 neighbours a
cell), so the per-cell figures scale to 10^7 cells by a factor of 10; that is
an extrapolation, stated as such in docs/scaling.md.

    .venv/bin/python bench/memory.py             # 10^6 cells
    .venv/bin/python bench/memory.py --side 300  # 90,000 cells (quick)
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(label, n, fn):
    tracemalloc.start()
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<44s} {seconds:7.2f} s   traced peak {peak / 2**20:8.1f} MiB "
          f"({peak / n:6.0f} B/cell)   process peak RSS {peak_rss_mib():7.0f} MiB", flush=True)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1000)
    args = parser.parse_args()
    import geopandas as gpd
    import shapely

    from spatial.lisa import local_moran
    from spatial.moran import global_moran
    from spatial.weights import build_weights

    side = args.side
    n = side * side
    print(f"{n:,} square cells; memory per step (tracemalloc) and process peak; "
          f"load average {os.getloadavg()[0]:.1f}")
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    xs, ys = xs.ravel(), ys.ravel()

    def layer():
        return gpd.GeoDataFrame({"CELL": np.arange(n)},
                                geometry=shapely.box(xs, ys, xs + 1.0, ys + 1.0), crs=3857)

    cells = measured("polygons (GeoDataFrame of boxes)", n, layer)
    w = measured("queen weights (vertex hashing)", n, lambda: build_weights(cells, "CELL", "queen"))
    rng = np.random.default_rng(0)
    y = np.sin(xs / 15) + np.cos(ys / 20) + rng.standard_normal(n)
    measured("global Moran, 999 paired permutations", n, lambda: global_moran(y, w, 999, seed=1))
    measured("LISA, 999 conditional permutations", n, lambda: local_moran(y, w, 999, seed=1))
    weights_bytes = w.sparse.data.nbytes + w.sparse.indices.nbytes + w.sparse.indptr.nbytes
    weights_bytes += w.original.data.nbytes + w.original.indices.nbytes + w.original.indptr.nbytes
    print(f"  weights kept (transformed + original CSR): {weights_bytes / 2**20:.1f} MiB "
          f"({weights_bytes / n:.0f} B/cell); ids list {sys.getsizeof(w.ids) / 2**20:.1f} MiB "
          "plus the id objects")


if __name__ == "__main__":
    main()
