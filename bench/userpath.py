"""User-path benchmarks: every tool as users run it, beside what they would otherwise use.

Each measurement is a fresh process — ``ccd TOOL …`` for ours, a plain script
for the baseline — on the same generated files, in the same run, so the
ratios hold however busy the machine is:

- spatial weights (queen) and local Moran (one year, 999 permutations) beside
  pygeoda (GeoDa's C++ library) reading the same layer — its shapefile reader,
  or the GeoPackage through geopandas, whichever is faster — and building
  queen weights (and running LISA with its default threads, as ours: its
  fastest 'lookup-table' permutations, its default 'complete' ones, and
  'lookup-table' with the result layer written to a GeoPackage by geopandas,
  as ours writes it);
- global Moran for 13 years beside esda (GeoPackage and CSV read with
  geopandas/pandas, libpysal queen weights, ``esda.Moran`` per year);
- entropy weights and coupling coordination on the 13-year panel beside the
  same formulas written with plain pandas;
- driver analysis beside a plain scikit-learn script fitting the same four
  models (tree, forest, boosting, linear regression) per tier with one
  random split and their importances.

Layers are square grids of 1 km cells (EPSG:3857): 2,500, 40,000 and 250,000
units. Printed per tool and size: seconds (wall clock of the whole process),
peak memory of our process (MiB, resident set), ours ÷ baseline (< 1: we are faster), for
the spatial tools also CPU seconds (user + system of each process) and their ratio, and
the growth figure time(16× the units) ÷ time(1×) (2,500 → 40,000).

    .venv/bin/python bench/userpath.py                     # everything
    .venv/bin/python bench/userpath.py --sizes 2500,40000 --only spatial
    .venv/bin/python bench/userpath.py --only drivers      # 337, 2,500, 7,693 units × 13 years
    .venv/bin/python bench/userpath.py --keep /tmp/grids   # keep the generated files

Needs ``requirements/bench.txt`` (pygeoda) besides the project's requirements.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YEARS = 13
DRIVERS = [f"X{k}" for k in range(1, 10)]


# ------------------------------------------------------------------ generated data


def grid_files(side, folder):
    """Polygons (GeoPackage + shapefile, one year's value on them) and a 13-year panel CSV."""
    import geopandas as gpd
    import shapely

    n = side * side
    paths = {k: os.path.join(folder, f"{k}{n}.{ext}") for k, ext in
             (("cells", "gpkg"), ("shp", "shp"), ("panel", "csv"))}
    if all(os.path.exists(p) for p in paths.values()):
        return paths
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    xs, ys = xs.ravel(), ys.ravel()
    rng = np.random.default_rng(0)
    years = []
    for t in range(YEARS):
        smooth = np.sin(xs / 15 + t / 3) + np.cos(ys / 20)
        u1 = 1 / (1 + np.exp(-(smooth + rng.normal(0, 0.5, n))))
        u2 = 1 / (1 + np.exp(-(0.8 * smooth + rng.normal(0, 0.5, n))))
        years.append(pd.DataFrame({
            "CELL": np.arange(n), "YEAR": 2011 + t, "V": smooth + rng.standard_normal(n),
            "U1": u1, "U2": u2,
            **{f"I{k}": np.exp(smooth * k / 4 + rng.normal(0, 0.3, n)) for k in range(1, 5)}}))
    panel = pd.concat(years, ignore_index=True)
    panel.to_csv(paths["panel"], index=False, float_format="%.6g")
    cells = gpd.GeoDataFrame(
        {"CELL": np.arange(n), "YEAR": 2011, "V": years[0]["V"].to_numpy()},
        geometry=shapely.box(xs * 1000.0, ys * 1000.0, xs * 1000.0 + 1000, ys * 1000.0 + 1000),
        crs=3857)
    cells.to_file(paths["cells"], driver="GPKG", layer="cells")
    cells.to_file(paths["shp"])
    return paths


def driver_file(units, folder):
    """A panel of ``units`` × 13 years with 9 drivers and three tiers of D."""
    path = os.path.join(folder, f"drivers{units}.csv")
    if os.path.exists(path):
        return path
    rng = np.random.default_rng(0)
    n = units * YEARS
    df = pd.DataFrame({"ID": np.repeat(np.arange(units), YEARS),
                       "YEAR": np.tile(np.arange(2011, 2011 + YEARS), units)})
    for k in range(1, 10):
        df[f"X{k}"] = rng.random(n)
    df["D"] = (0.3 + 0.3 * df["X5"] + 0.1 * df["X1"] + 0.05 * df["X2"] * df["X3"]
               + np.repeat(rng.normal(0, 0.05, units), YEARS) + rng.normal(0, 0.02, n))
    df["TIER"] = pd.qcut(df["D"], 3, labels=False)
    df.to_csv(path, index=False)
    return path


# ------------------------------------------------------------------ baselines (plain scripts)

PYGEODA_WEIGHTS = """
import sys, pygeoda
source = sys.argv[1]
if source.endswith(".gpkg"):
    import geopandas
    source = geopandas.read_file(source)
g = pygeoda.open(source)
w = pygeoda.queen_weights(g)
w.save_weights(sys.argv[2], "cells", "CELL", [int(v) for v in g["CELL"]])
"""

PYGEODA_LISA = """
import sys, pygeoda
source = sys.argv[1]
if source.endswith(".gpkg"):
    import geopandas
    source = geopandas.read_file(source)
g = pygeoda.open(source)
w = pygeoda.queen_weights(g)
lisa = pygeoda.local_moran(w, g["V"], permutations=999, permutation_method=sys.argv[2], seed=1)
lisa.lisa_clusters()
"""

PYGEODA_LISA_WRITTEN = """
import sys, geopandas, pygeoda
layer = geopandas.read_file(sys.argv[1])
w = pygeoda.queen_weights(pygeoda.open(layer))
lisa = pygeoda.local_moran(w, layer["V"], permutations=999, permutation_method="lookup-table", seed=1)
layer["I"], layer["P_SIM"], layer["CLUSTER"] = lisa.lisa_values(), lisa.lisa_pvalues(), lisa.lisa_clusters()
layer.to_file(sys.argv[2], driver="GPKG", engine="pyogrio")
"""

ESDA_MORAN = """
import sys, geopandas, pandas, esda, libpysal
polygons = geopandas.read_file(sys.argv[1])
panel = pandas.read_csv(sys.argv[2])
w = libpysal.weights.Queen.from_dataframe(polygons, ids=polygons["CELL"].tolist(), use_index=False)
w.transform = "r"
rows = []
for year, one in panel.groupby("YEAR"):
    y = one.set_index("CELL").loc[polygons["CELL"], "V"].to_numpy()
    m = esda.Moran(y, w, permutations=999)
    rows.append((year, m.I, m.EI, m.z_norm, m.p_norm, m.p_sim))
pandas.DataFrame(rows, columns=["YEAR", "I", "EI", "Z", "P_NORM", "P_SIM"]).to_csv(sys.argv[3], index=False)
"""

PANDAS_ENTROPY = """
import sys, numpy as np, pandas as pd
df = pd.read_csv(sys.argv[1])
fields = ["I1", "I2", "I3", "I4"]
x = df[fields]
s = (x - x.min()) / (x.max() - x.min())
p = s / s.sum()
e = -(p * np.log(p.where(p > 0))).sum() / np.log(len(df))
d = 1 - e
w = d / d.sum()
df["INDEX"] = s @ w
df.to_csv(sys.argv[2], index=False)
"""

PANDAS_COUPLING = """
import sys, numpy as np, pandas as pd
df = pd.read_csv(sys.argv[1])
u1, u2 = df["U1"], df["U2"]
df["C"] = 2 * np.sqrt(u1 * u2) / (u1 + u2)
df["T"] = 0.5 * u1 + 0.5 * u2
df["D"] = np.sqrt(df["C"] * df["T"])
df["D_CLASS"] = np.minimum(np.floor(df["D"] * 10).astype(int) + 1, 10)
df.to_csv(sys.argv[2], index=False)
"""

SKLEARN_DRIVERS = """
import sys, pandas as pd
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor
df = pd.read_csv(sys.argv[1])
drivers = ["X%d" % k for k in range(1, 10)]
rows = []
for group, part in [("all", df)] + list(df.groupby("TIER")):
    X_train, X_test, y_train, y_test = train_test_split(part[drivers], part["D"], test_size=0.3,
                                                        random_state=42)
    for name, model in (("tree", DecisionTreeRegressor(max_depth=6, min_samples_leaf=5, random_state=42)),
                        ("forest", RandomForestRegressor(100, min_samples_leaf=5, random_state=42)),
                        ("boosting", GradientBoostingRegressor(random_state=42)),
                        ("ols", LinearRegression())):
        model.fit(X_train, y_train)
        importance = getattr(model, "feature_importances_", None)
        rows.append((group, name, model.score(X_train, y_train), model.score(X_test, y_test),
                     None if importance is None else importance.max()))
pd.DataFrame(rows, columns=["GROUP", "MODEL", "R2_TRAIN", "R2_TEST", "TOP"]).to_csv(sys.argv[2], index=False)
"""


# ------------------------------------------------------------------ timing


def compiled_as_installed():
    """Compile the toolbox's modules, as pip does when it installs a package:
    the agents' shells keep no bytecode (``PYTHONDONTWRITEBYTECODE``), so
    every ``ccd`` process compiled the 25 modules it imports from source again
    (0.1–0.4 s of CPU) where an installed copy reads them compiled. Checked
    against a hash of the source at every import (``checked-hash``), so a
    module edited since is compiled afresh, never run stale."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-f", "--invalidation-mode",
                    "checked-hash", os.path.join(ROOT, "spatial"), os.path.join(ROOT, "toolbox")],
                   check=True, capture_output=True)


def measured(command, cwd=ROOT, env=None):
    """(wall seconds, CPU seconds, peak MiB) of ``command`` in a fresh process
    (environment ``env``, default this one's); CPU is user + system of the
    child, which the other processes on a shared machine disturb far less than
    the wall clock. Raises if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}{out[-500:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def timed(command, cwd=ROOT, env=None):
    """(seconds, peak MiB) of ``command`` in a fresh process (see :func:`measured`)."""
    seconds, _, mib = measured(command, cwd, env)
    return seconds, mib


def made(kind, size, folder):
    """The generated files, made in a child process: the peak memory a child
    reports includes what its parent held when it started, so this one stays small."""
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--make", kind, str(size),
                          folder], check=True, capture_output=True, text=True).stdout
    return eval(out.strip().splitlines()[-1])  # noqa: S307 - our own repr of a dict or str


def ccd(*args):
    return [sys.executable, "-m", "toolbox.cli", "--quiet", *args]


def script(source, *args):
    return [sys.executable, "-c", source, *map(str, args)]


class Table:
    """Rows of (tool, units, ours s, MiB, baseline name, baseline s, ours CPU s,
    baseline CPU s) and the summary."""

    def __init__(self):
        self.rows = []

    def add(self, tool, units, ours, mib, baseline, base, ours_cpu=None, base_cpu=None):
        self.rows.append((tool, units, ours, mib, baseline, base))
        ratio = f"{ours / base:6.2f}" if base else "     —"
        cpu = ""
        if ours_cpu is not None:
            cpu = f"   CPU {ours_cpu:6.2f} / {base_cpu:6.2f} s = " + (
                f"{ours_cpu / base_cpu:5.2f}" if base_cpu else "    —")
        print(f"  {tool:<26s} {units:>9,d}  ours {ours:7.2f} s {mib:7.0f} MiB   "
              f"{baseline:<34s} {base:7.2f} s   ours/base {ratio}{cpu}", flush=True)

    def growth(self):
        print("\ngrowth: time at 16x the units / time at 1x (and 40k -> 250k, 6.25x the units)")
        by = {}
        for tool, units, ours, _, baseline, base in self.rows:
            by.setdefault(tool, {})[units] = (ours, base, baseline)
        for tool, sizes in by.items():
            parts = []
            for small, large in ((2500, 40000), (40000, 250000)):
                if small in sizes and large in sizes:
                    ours = sizes[large][0] / sizes[small][0]
                    base = (f"x{sizes[large][1] / sizes[small][1]:.1f}"
                            if sizes[small][1] and sizes[large][1] else "not run at both")
                    parts.append(f"{small:,} -> {large:,}: ours x{ours:.1f}, "
                                 f"{sizes[small][2].split(' (')[0]} {base}")
            if parts:
                print(f"  {tool:<26s} " + "; ".join(parts))


TOOLS = ("weights", "localmoran", "globalmoran", "entropy", "coupling")


def spatial(sizes, folder, table, tools=TOOLS):
    for n in sizes:
        side = int(round(np.sqrt(n)))
        files = made("grid", side, folder)
        out = os.path.join(folder, "out")
        os.makedirs(out, exist_ok=True)
        print(f"\n{side * side:,} square cells ({YEARS} years in the panel)", flush=True)
        if "weights" in tools:
            _weights(n, files, out, table)
        if "localmoran" in tools:
            _localmoran(n, files, out, table)
        if "globalmoran" in tools:
            _globalmoran(n, files, out, table)
        if "entropy" in tools:
            _entropy(n, files, out, table)
        if "coupling" in tools:
            _coupling(n, files, out, table)


def _weights(n, files, out, table):
    t, cpu, mib = measured(ccd("spatialweights", "--input", files["cells"], "--id-field", "CELL",
                               "--type", "queen", "--output", os.path.join(out, f"w{n}.gal")))
    pg = {src: measured(script(PYGEODA_WEIGHTS, files[src], os.path.join(out, f"pg{n}.gal")))
          for src in ("shp", "cells")}
    best = min(pg, key=lambda src: pg[src][0])
    table.add("weights (queen)", n, t, mib,
              f"pygeoda ({'shp' if best == 'shp' else 'gpkg via geopandas'})", pg[best][0],
              cpu, pg[best][1])


def _localmoran(n, files, out, table):
    """A new output file (as a first run writes it), then the same command
    again replacing the layer of that file (``--overwrite``: the GeoPackage is
    copied and written row by row, :func:`toolbox.tables.write_table`).
    Beside pygeoda's fastest permutations ('lookup-table', its default
    threads, nothing written; the growth figure's baseline), its default
    ('complete') and the fastest with the result layer written as ours is
    (GeoPackage read and written by geopandas)."""
    target = os.path.join(out, f"lisa{n}.gpkg")
    if os.path.exists(target):
        os.remove(target)
    command = ccd("localmoran", "--input", files["cells"], "--id-field", "CELL", "--year-field",
                  "YEAR", "--value-field", "V", "--overwrite", "--output", target)
    t, cpu, mib = measured(command)
    lt, lt_cpu, _ = measured(script(PYGEODA_LISA, files["shp"], "lookup-table"))
    table.add("localmoran 1 year", n, t, mib, "pygeoda lookup-table (shp)", lt, cpu, lt_cpu)
    again, again_cpu, _ = measured(command)
    table.add("localmoran, file replaced", n, again, mib, "pygeoda lookup-table (shp)", lt,
              again_cpu, lt_cpu)
    table.rows.pop()
    written = os.path.join(out, f"pglisa{n}.gpkg")
    if os.path.exists(written):
        os.remove(written)
    wt, wt_cpu, _ = measured(script(PYGEODA_LISA_WRITTEN, files["cells"], written))
    table.add("localmoran 1 year", n, t, mib, "pygeoda lookup-table, gpkg written", wt, cpu, wt_cpu)
    table.rows.pop()
    if n <= 40000:
        full, full_cpu, _ = measured(script(PYGEODA_LISA, files["shp"], "complete"))
        table.add("localmoran 1 year", n, t, mib, "pygeoda complete (default) (shp)", full, cpu,
                  full_cpu)
        table.rows.pop()  # growth and README use the lookup-table baseline


def _globalmoran(n, files, out, table):
    t, cpu, mib = measured(ccd("globalmoran", "--input", files["panel"], "--polygons",
                               files["cells"], "--id-field", "CELL", "--year-field", "YEAR",
                               "--value-field", "V", "--output", os.path.join(out, f"moran{n}.csv")))
    if n <= 40000:
        base, base_cpu, _ = measured(script(ESDA_MORAN, files["cells"], files["panel"],
                                            os.path.join(out, f"esda{n}.csv")))
    else:
        base, base_cpu = 0.0, 0.0
    table.add(f"globalmoran {YEARS} years", n, t, mib, "esda + libpysal" if base else
              "esda (skipped above 40k)", base, cpu, base_cpu)


def _entropy(n, files, out, table):
    t, mib = timed(ccd("entropyweights", "--input", files["panel"], "--id-field", "CELL",
                       "--year-field", "YEAR", "--positive-fields", "I1", "I2", "I3", "I4",
                       "--output", os.path.join(out, f"index{n}.csv")))
    base = timed(script(PANDAS_ENTROPY, files["panel"], os.path.join(out, f"pdindex{n}.csv")))[0]
    table.add(f"entropyweights x{YEARS} yr", n, t, mib, "plain pandas", base)


def _coupling(n, files, out, table):
    t, mib = timed(ccd("couplingcoordination", "--input", files["panel"], "--id-field", "CELL",
                       "--year-field", "YEAR", "--system-fields", "U1", "U2",
                       "--output", os.path.join(out, f"ccd{n}.csv")))
    base = timed(script(PANDAS_COUPLING, files["panel"], os.path.join(out, f"pdccd{n}.csv")))[0]
    table.add(f"couplingcoord x{YEARS} yr", n, t, mib, "plain pandas", base)


def drivers(unit_counts, folder, table):
    out = os.path.join(folder, "out")
    os.makedirs(out, exist_ok=True)
    print(f"\ndriver analysis, 9 drivers, all + 3 tiers, {YEARS} years", flush=True)
    for units in unit_counts:
        path = made("drivers", units, folder)
        t, mib = timed(ccd("driveranalysis", "--input", path, "--id-field", "ID", "--year-field",
                           "YEAR", "--target-field", "D", "--driver-fields", *DRIVERS,
                           "--group-field", "TIER", "--metrics", os.path.join(out, f"m{units}.csv"),
                           "--importance", os.path.join(out, f"i{units}.csv"),
                           "--shap", os.path.join(out, f"s{units}.csv")))
        base = timed(script(SKLEARN_DRIVERS, path, os.path.join(out, f"sk{units}.csv")))[0]
        table.add("driveranalysis", units * YEARS, t, mib, "plain scikit-learn, 1 split", base)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,40000,250000", help="units of the grids")
    parser.add_argument("--driver-units", default="337,2500,7693", help="units × 13 years")
    parser.add_argument("--only", choices=("spatial", "drivers"))
    parser.add_argument("--tools", default=",".join(TOOLS), help="of the spatial part: "
                        + ", ".join(TOOLS))
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated files here")
    parser.add_argument("--make", nargs=3, metavar=("KIND", "SIZE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        kind, size, folder = args.make
        maker = grid_files if kind == "grid" else driver_file
        print(repr(maker(int(size), folder)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    table = Table()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        compiled_as_installed()
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
        if args.only in (None, "spatial"):
            spatial(sizes, folder, table, args.tools.split(","))
        if args.only in (None, "drivers"):
            drivers([int(u) for u in args.driver_units.split(",") if u], folder, table)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    table.growth()


if __name__ == "__main__":
    main()
