"""Benchmark: the user path of ccd:spatialregression and ccd:gwr against calling
spreg / mgwr directly for the same tables.

Panel: a square grid of G × G polygons (queen weights) × T years, target and two
drivers with a spatial lag. Direct baseline for the SDM with two-way fixed
effects: libpysal Queen weights from the polygons, the arrays stacked year by
year, and the spreg fits whose numbers the tool's tables hold — the within OLS
(spreg.PanelFE; the tool adds its panel LM tests), ML_LagFE of the SDM, ML_LagFE of the SAR and ML_ErrorFE of the
SEM (the LR tests). GWR: one cross-section of the grid, Sel_BW + GWR.fit
against ``tool("gwr").run``. Ratio = tool / direct (best of ``--repeat``).

``--userpath``: the same comparison as users meet it, each side a fresh process
that starts Python, reads the same files (polygons GeoPackage, panel CSV) and
writes its result (CSV): ``ccd spatialregression`` / ``ccd gwr`` against a
plain script calling spreg / mgwr (the two sides alternate; best of
``--repeat``). The script fits what the in-process baseline fits; the tool
also draws the effects' standard errors and runs its LM tests.

    .venv/bin/python bench/regression.py            # 30 × 30 grid, 10 years; GWR on 400 units
    .venv/bin/python bench/regression.py --quick    # 15 × 15 grid, 5 years; GWR on 144 units
    .venv/bin/python bench/regression.py --quick --userpath
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from toolbox.tool import Feedback  # noqa: E402
from toolbox.tools import tool  # noqa: E402


def grid(g):
    import geopandas
    from shapely.geometry import box

    cells = [box(i, j, i + 1, j + 1) for j in range(g) for i in range(g)]
    return geopandas.GeoDataFrame({"ID": np.arange(g * g)}, geometry=cells, crs="EPSG:3857")


def panel(units, years, seed=0):
    import libpysal

    rng = np.random.default_rng(seed)
    w = libpysal.weights.Queen.from_dataframe(units, use_index=False, silence_warnings=True)
    w.transform = "r"
    n = len(units)
    a = np.eye(n) - 0.4 * w.full()[0]
    effect = rng.normal(size=n)
    rows = []
    for t in range(years):
        x = rng.normal(size=(n, 2))
        y = np.linalg.solve(a, x @ [1.0, -0.5] + 0.3 * (w.sparse @ x[:, 0]) + effect + 0.2 * t
                            + rng.normal(scale=0.5, size=n))
        rows.append(pd.DataFrame({"ID": units["ID"], "YEAR": 2000 + t, "Y": y, "X1": x[:, 0],
                                  "X2": x[:, 1]}))
    return pd.concat(rows, ignore_index=True)


def direct_sdm(units, table):
    import libpysal
    import spreg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.Queen.from_dataframe(units, use_index=False, silence_warnings=True)
        w.transform = "r"
        table = table.sort_values(["YEAR", "ID"])
        years = table["YEAR"].nunique()
        y = table[["Y"]].to_numpy()
        x = table[["X1", "X2"]].to_numpy()
        dummies = np.kron(np.eye(years)[:, 1:], np.ones((len(units), 1)))
        wx = np.vstack([w.sparse @ block for block in x.reshape(years, len(units), 2)])
        spreg.PanelFE(y, np.hstack([x, dummies]), w)
        spreg.ML_LagFE(y, np.hstack([x, wx, dummies]), w, spat_impacts=None)
        spreg.ML_LagFE(y, np.hstack([x, dummies]), w, spat_impacts=None)
        spreg.ML_ErrorFE(y, np.hstack([x, dummies]), w)


def ours_sdm(units, table):
    tool("spatialregression").run(
        {"INPUT": table, "POLYGONS": units, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR",
         "TARGET_FIELD": "Y", "DRIVER_FIELDS": ["X1", "X2"], "MODEL": "sdm",
         "FIXED_EFFECTS": "twoway", "WEIGHTS_TYPE": "queen", "DRAWS": 1000, "SEED": 1}, Feedback())


def direct_gwr(units, table):
    from mgwr.gwr import GWR
    from mgwr.sel_bw import Sel_BW

    centres = units.geometry.centroid
    coords = np.column_stack([centres.x, centres.y])
    y, x = table[["Y"]].to_numpy(), table[["X1", "X2"]].to_numpy()
    bandwidth = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc")
    results = GWR(coords, y, x, bandwidth, n_jobs=1).fit()
    results.filter_tvals()
    return results.localR2


def ours_gwr(units, table):
    tool("gwr").run({"INPUT": table, "POLYGONS": units, "ID_FIELD": "ID", "YEAR_FIELD": "YEAR",
                     "TARGET_FIELD": "Y", "DRIVER_FIELDS": ["X1", "X2"], "MODEL": "gwr",
                     "SCOPE": "year"}, Feedback())


SPREG_SCRIPT = """
import sys, warnings, numpy as np, pandas as pd, geopandas, libpysal, spreg
warnings.simplefilter("ignore")
units = geopandas.read_file(sys.argv[1])
table = pd.read_csv(sys.argv[2]).sort_values(["YEAR", "ID"])
w = libpysal.weights.Queen.from_dataframe(units, ids=units["ID"].tolist(), use_index=False,
                                          silence_warnings=True)
w.transform = "r"
years = table["YEAR"].nunique()
y = table[["Y"]].to_numpy()
x = table[["X1", "X2"]].to_numpy()
dummies = np.kron(np.eye(years)[:, 1:], np.ones((len(units), 1)))
wx = np.vstack([w.sparse @ block for block in x.reshape(years, len(units), 2)])
spreg.PanelFE(y, np.hstack([x, dummies]), w)
sdm = spreg.ML_LagFE(y, np.hstack([x, wx, dummies]), w, spat_impacts=None)
spreg.ML_LagFE(y, np.hstack([x, dummies]), w, spat_impacts=None)
spreg.ML_ErrorFE(y, np.hstack([x, dummies]), w)
pd.DataFrame({"COEF": sdm.betas.ravel(), "SE": sdm.std_err}).to_csv(sys.argv[3], index=False)
"""

MGWR_SCRIPT = """
import sys, warnings, numpy as np, pandas as pd, geopandas
from mgwr.gwr import GWR
from mgwr.sel_bw import Sel_BW
warnings.simplefilter("ignore")
units = geopandas.read_file(sys.argv[1])
table = pd.read_csv(sys.argv[2]).set_index("ID").loc[units["ID"]]
centres = units.geometry.centroid
coords = np.column_stack([centres.x, centres.y])
y, x = table[["Y"]].to_numpy(), table[["X1", "X2"]].to_numpy()
bandwidth = Sel_BW(coords, y, x, n_jobs=1).search(criterion="AICc")
results = GWR(coords, y, x, bandwidth, n_jobs=1).fit()
results.filter_tvals()
out = pd.DataFrame(results.params, columns=["B_INTERCEPT", "B_X1", "B_X2"])
out[["T_INTERCEPT", "T_X1", "T_X2"]] = results.tvalues
out["LOCAL_R2"] = results.localR2.ravel()
out.insert(0, "ID", units["ID"].to_numpy())
out.to_csv(sys.argv[3], index=False)
"""


def timed_cpu(command, env=None):
    """(wall seconds, CPU seconds: user + system) of ``command`` in a fresh process. The CPU
    time hardly moves with the load of other processes on the machine; the wall time does."""
    import subprocess

    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=None if env is None else {**os.environ, **env})
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{command[:4]} failed:\n{process.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def userpath(side, years, gwr_side, repeat):
    """Fresh processes on files: ccd against a plain spreg / mgwr script."""
    import tempfile

    from userpath import ccd, script

    with tempfile.TemporaryDirectory() as folder:
        def path(name):
            return os.path.join(folder, name)

        units, small = grid(side), grid(gwr_side)
        units.to_file(path("units.gpkg"), layer="units")
        panel(units, years).to_csv(path("panel.csv"), index=False)
        small.to_file(path("small.gpkg"), layer="units")
        panel(small, 1).to_csv(path("cross.csv"), index=False)
        keys = ("--id-field", "ID", "--year-field", "YEAR", "--target-field", "Y",
                "--driver-fields", "X1", "X2", "--overwrite")
        ours_sdm = ccd("spatialregression", "--input", path("panel.csv"), "--polygons",
                       path("units.gpkg") + "|layername=units", *keys, "--model", "sdm",
                       "--fixed-effects", "twoway", "--draws", "1000", "--seed", "1",
                       "--coefficients", path("c.csv"), "--effects", path("e.csv"),
                       "--diagnostics", path("d.csv"))
        direct_sdm = script(SPREG_SCRIPT, path("units.gpkg"), path("panel.csv"), path("s.csv"))
        ours_gwr = ccd("gwr", "--input", path("cross.csv"), "--polygons",
                       path("small.gpkg") + "|layername=units", *keys, "--output", path("g.csv"),
                       "--summary", path("gs.csv"), "--terms", path("gt.csv"))
        direct_gwr = script(MGWR_SCRIPT, path("small.gpkg"), path("cross.csv"), path("m.csv"))
        for label, ours, direct in ((f"SDM two-way FE, {side * side} units × {years} years, spreg",
                                     ours_sdm, direct_sdm),
                                    (f"GWR, {gwr_side * gwr_side} units, mgwr", ours_gwr, direct_gwr)):
            runs = {"ours": [], "direct": [], "nojit": []}
            for _ in range(repeat):
                runs["direct"].append(timed_cpu(direct))
                runs["ours"].append(timed_cpu(ours))
                # ccd runs with numba's JIT off (toolbox/jit.py); the script as a user runs it
                # compiles mgwr's kernels and libpysal's on first call
                runs["nojit"].append(timed_cpu(direct, {"NUMBA_DISABLE_JIT": "1"}))
            wall_a, wall_b = (min(w for w, _ in runs[k]) for k in ("ours", "direct"))
            cpu_a, cpu_b = (min(c for _, c in runs[k]) for k in ("ours", "direct"))
            print(f"user path, {label}: wall (best of {repeat}) direct script {wall_b:.2f} s, ccd "
                  f"{wall_a:.2f} s, ratio {wall_a / wall_b:.3f}; CPU direct {cpu_b:.2f} s, ccd "
                  f"{cpu_a:.2f} s, ratio {cpu_a / cpu_b:.3f} (walls: ccd "
                  f"{', '.join(f'{w:.1f}' for w, _ in runs['ours'])}; direct "
                  f"{', '.join(f'{w:.1f}' for w, _ in runs['direct'])})", flush=True)
            wall_c, cpu_c = min(w for w, _ in runs["nojit"]), min(c for _, c in runs["nojit"])
            print(f"    direct script with NUMBA_DISABLE_JIT=1 as ccd: wall {wall_c:.2f} s (ratio "
                  f"{wall_a / wall_c:.3f}), CPU {cpu_c:.2f} s (ratio {cpu_a / cpu_c:.3f})", flush=True)


def best(fn, repeat, *args):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--userpath", action="store_true", help="fresh processes on files")
    args = parser.parse_args(argv)
    side, years, gwr_side = (15, 5, 12) if args.quick else (30, 10, 20)
    if args.userpath:
        print(f"machine: load average {os.getloadavg()[0]:.1f} at start")
        userpath(side, years, gwr_side, args.repeat)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        return
    units = grid(side)
    table = panel(units, years)
    direct_sdm(units, table)  # warm-up: imports and first-call compilation
    ours_sdm(units, table)
    baseline = best(direct_sdm, args.repeat, units, table)
    ours = best(ours_sdm, args.repeat, units, table)
    print(f"SDM two-way FE, {side * side} units × {years} years: spreg direct {baseline:.2f} s, "
          f"ccd:spatialregression {ours:.2f} s, ratio {ours / baseline:.3f}")
    small = grid(gwr_side)
    cross = panel(small, 1)
    direct_gwr(small, cross)
    ours_gwr(small, cross)
    baseline = best(direct_gwr, args.repeat, small, cross)
    ours = best(ours_gwr, args.repeat, small, cross)
    print(f"GWR, {gwr_side * gwr_side} units: mgwr direct {baseline:.2f} s, ccd:gwr {ours:.2f} s, "
          f"ratio {ours / baseline:.3f}")


if __name__ == "__main__":
    main()
