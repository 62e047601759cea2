"""Writing a study's unit-year outputs at scale: ours beside what they replaced, paired.

On a generated results table of UNITS square cells × YEARS years and 55
fields of a study's kinds (38 floats of several magnitudes with gaps, 3
integers, 2 nullable integers, 12 text labels of a few to UNITS values),
each measurement a fresh process (CPU = user + system of the child, peak RSS
from ``wait4``), ours and the peer alternated in the same run:

- ``csv``: :func:`toolbox.csv_writer.write_csv` ÷ pandas' ``to_csv(index=False)``
  (the files are compared byte for byte after each pair);
- ``gpkg``: :func:`toolbox.geopackage.write_layers` of an :class:`IndexedLayer`
  (each unit's WKB once, Arrow batches) ÷ the same call on the whole
  GeoDataFrame (every row's polygon, one Arrow table), as ``write_outputs``
  did before.

    .venv/bin/python bench/writing.py [--units 40000] [--years 13] [--repeat 2] [--only csv|gpkg]

Prints seconds (CPU and wall), peak RSS above the generated table and the
ratio ours ÷ peer, with the load average.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def results_table(units, years):
    """(results, unit polygons, row -> unit index) of a generated study."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    rng = np.random.default_rng(0)
    side = int(round(units ** 0.5))
    units = side * side
    cell = np.tile(np.arange(units), years)
    rows = units * years
    columns = {"CELL": np.array([f"C{i:07d}" for i in range(units)], dtype=object)[cell],
               "YEAR": np.repeat(np.arange(2011, 2011 + years), units),
               "PATENTS": rng.poisson(30, rows)}
    for number in range(38):
        values = {0: rng.random(rows), 1: rng.normal(50, 20, rows), 2: np.exp(rng.normal(0, 6, rows)),
                  3: np.round(rng.random(rows) * 100)}[number % 4]
        values[rng.random(rows) < 0.02] = np.nan
        columns[f"F{number:02d}"] = values
    for number in range(2):
        columns[f"N{number}"] = pd.array(np.where(rng.random(rows) < 0.05, None, rng.integers(0, 5, rows)),
                                         dtype="Int64")
    labels = ["low", "moderate imbalance, fintech lagging", "高", "synchronous", None]
    for number in range(12):
        columns[f"T{number:02d}"] = np.array(labels, dtype=object)[rng.integers(0, len(labels), rows)]
    table = pd.DataFrame(columns)
    xs, ys = np.divmod(np.arange(units), side)
    polygons = gpd.GeoSeries(shapely.box(xs * 1000.0, ys * 1000.0, xs * 1000.0 + 1000, ys * 1000.0 + 1000),
                             crs="EPSG:3857")
    return table, polygons, cell


def one(what, units, years, path):
    """Child process: generate, then write once; prints the peak RSS before writing."""
    import resource

    table, polygons, cell = results_table(units, years)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    start = time.process_time()
    if what == "csv-ours":
        from toolbox.csv_writer import write_csv

        write_csv(table, path)
    elif what == "csv-peer":
        table.to_csv(path, index=False)
    else:
        import geopandas as gpd

        from toolbox.geopackage import IndexedLayer, write_layers

        layer = (IndexedLayer(table, polygons, cell) if what == "gpkg-ours"
                 else gpd.GeoDataFrame(table, geometry=polygons.to_numpy()[cell], crs=polygons.crs))
        write_layers(path, [("results", layer)])
    print(time.process_time() - start, flush=True)


def measure(what, units, years, path):
    """(CPU s of the writing, wall s of the child, peak RSS MiB above the generated table)."""
    if os.path.exists(path):
        os.remove(path)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", what, "--units", str(units),
                              "--years", str(years), "--path", path], stdout=subprocess.PIPE, text=True)
    before = int(child.stdout.readline())
    writing = float(child.stdout.readline())
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"{what} failed")
    return writing, time.perf_counter() - start, (usage.ru_maxrss - before) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=40_000)
    parser.add_argument("--years", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", choices=("csv", "gpkg"))
    parser.add_argument("--child")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.child:
        return one(args.child, args.units, args.years, args.path)
    folder = tempfile.mkdtemp(prefix="ccd-writing-")
    for kind in [args.only] if args.only else ["csv", "gpkg"]:
        suffix = ".csv" if kind == "csv" else ".gpkg"
        for _ in range(args.repeat):
            ours = measure(f"{kind}-ours", args.units, args.years, os.path.join(folder, "ours" + suffix))
            peer = measure(f"{kind}-peer", args.units, args.years, os.path.join(folder, "peer" + suffix))
            same = ""
            if kind == "csv":
                with open(os.path.join(folder, "ours.csv"), "rb") as a, \
                        open(os.path.join(folder, "peer.csv"), "rb") as b:
                    same = ", files identical" if a.read() == b.read() else ", FILES DIFFER"
            print(f"{kind} {args.units} x {args.years}: ours {ours[0]:.1f} s CPU (+{ours[2]:.0f} MiB), "
                  f"peer {peer[0]:.1f} s CPU (+{peer[2]:.0f} MiB), ours/peer {ours[0] / peer[0]:.2f}"
                  f"{same}; load {os.getloadavg()[0]:.1f}", flush=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    os.rmdir(folder)


if __name__ == "__main__":
    main()
