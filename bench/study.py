"""A whole study as users run it: `ccd demo` and `ccd run` in a fresh process.

Times the demo study (296 real city polygons × 13 years, every section of
examples/demo-study.toml) and the same study on generated square grids of
2,500 and 40,000 cells × 13 years (1 km cells in EPSG:3857; a smooth latent
field with noise drives every indicator, the 9 drivers and D's neighbours, so
every step has something to find), each as a fresh `ccd` process with the
default `--jobs` and with `--jobs 1`. Prints the wall time, the peak memory
(RSS of the process and its children), every step's time from the log and
the growth figure (time at 16× the cells ÷ time at 1×). Targets (issue 13):
demo ≤ 15 s, 2,500 × 13 ≤ 30 s, 40,000 × 13 ≤ 5 min; peak memory ≤ 4 GiB at
250,000 × 20 (``--sizes 250000 --years 20 --skip-demo``).

    .venv/bin/python bench/study.py [--sizes 2500,40000] [--years 13] [--skip-demo] [--jobs-1] [--keep DIR]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from toolbox.config import dump_toml, parse_toml  # noqa: E402

YEARS = 13
FIRST = 2011
LEAD_IN = 2  # PATENTS only, for the persistent-innovation index
FINTECH = ["FT_COVERAGE", "FT_DEPTH", "FT_DIGITAL", "FT_FIRMS", "FT_RISK"]
INNOVATION = ["INN_RD_STAFF", "INN_RD_SPEND", "INN_GRANTS"]
DRIVERS = ["GDP_PC", "INDUSTRY_STRUCT", "OPENNESS", "GOV_SPEND", "HUMAN_CAPITAL",
           "INFRASTRUCTURE", "URBANISATION", "FIN_DEPTH", "ENV_REG"]


def grid_study(side, folder, years=YEARS):
    """Polygons, panel and study config of a side × side grid × ``years``; returns the config's path."""
    import geopandas as gpd
    import shapely

    n = side * side
    tag = f"{n}" if years == YEARS else f"{n}x{years}"
    config = os.path.join(folder, f"study{tag}.toml")
    if os.path.exists(config):
        return config
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    xs, ys = xs.ravel(), ys.ravel()
    rng = np.random.default_rng(n)
    scale = side / 50.0
    latent = (np.sin(xs / (8 * scale)) + np.cos(ys / (11 * scale))
              + np.sin((xs + ys) / (17 * scale)) + 0.4 * rng.standard_normal(n))
    latent = (latent - latent.mean()) / latent.std()
    block = (3 * (ys * 3 // side) + xs * 3 // side).astype(int)
    agglomeration = np.where(block % 2 == 0, np.char.add("A", (block + 1).astype(str)), "")
    ids = np.char.add("C", np.arange(n).astype(str))
    frames = []
    for t in range(-LEAD_IN, years):
        level = latent + 0.05 * max(t, 0) + 0.1 * rng.standard_normal(n)
        row = {"CELL": ids, "YEAR": FIRST + t,
               "PATENTS": rng.poisson(np.exp(3 + 0.8 * level)) + 1}
        if t >= 0:
            for k, field in enumerate(FINTECH + INNOVATION):
                sign = -1 if field == "FT_RISK" else 1
                row[field] = np.exp(sign * (0.5 + 0.1 * k) * level + 0.3 * rng.standard_normal(n))
            for k, field in enumerate(DRIVERS):
                weight = 1.0 if k < 4 else 0.2
                row[field] = weight * level + (0.5 + 0.1 * k) * rng.standard_normal(n)
        frames.append(pd.DataFrame(row))
    panel = pd.concat(frames, ignore_index=True)
    panel.to_csv(os.path.join(folder, f"panel{tag}.csv"), index=False, float_format="%.6g")
    cells = gpd.GeoDataFrame(
        {"CELL": ids, "AGGLOMERATION": pd.Series(agglomeration).replace("", None)},
        geometry=shapely.box(xs * 1000.0, ys * 1000.0, xs * 1000.0 + 1000, ys * 1000.0 + 1000),
        crs=3857)
    cells.to_file(os.path.join(folder, f"cells{n}.gpkg"), driver="GPKG", layer="cells")

    with open(os.path.join(ROOT, "examples", "demo-study.toml"), encoding="utf-8") as handle:
        raw = parse_toml(handle.read())
    raw["title"] = f"Generated grid of {n} cells x {years} years (benchmark)"
    raw["data"] = {"source": "files", "panel": f"panel{tag}.csv",
                   "polygons": f"cells{n}.gpkg|layername=cells", "id_field": "CELL",
                   "year_field": "YEAR", "first_year": FIRST}
    for section in raw.values():
        if isinstance(section, dict):
            section.pop("target_crs", None)  # the grid is projected already
    raw["report"]["map_years"] = [FIRST, FIRST + years - 1]
    raw["report"]["map_tolerance"] = 0
    raw["output"]["layer_tolerance"] = 0
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(dump_toml(raw))
    return config


def timed(command):
    """(seconds, peak MiB, stdout+stderr) of ``command`` in a fresh process; the
    peak RSS from ``wait4`` includes the worker processes it waited for."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    code = os.waitstatus_to_exitcode(status)
    if code:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{output[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output


STEP_LINE = re.compile(r"^\[(?:\d+|\*|w)\] (.+?): ([0-9.]+) s")


def step_times(output):
    return [(m.group(1), float(m.group(2))) for m in map(STEP_LINE.match, output.splitlines()) if m]


def ccd(*args):
    return [os.path.join(os.path.dirname(sys.executable), "ccd"), *args]


def report(name, seconds, peak, output, target, memory=None):
    steps = step_times(output)
    if target is None:
        verdict = f"target peak <= {memory / 1024:.0f} GiB: {'met' if peak <= memory else 'NOT met'}"
    else:
        verdict = f"target <= {target:.0f} s: {'met' if seconds <= target else 'NOT met'}"
    print(f"{name}: {seconds:.1f} s, peak RSS {peak:.0f} MiB ({verdict})")
    for label, value in sorted(steps, key=lambda s: -s[1])[:8]:
        print(f"    {label}: {value:.1f} s")
    jobs = [line for line in output.splitlines() if line.startswith("--jobs")]
    if jobs:
        print(f"    {jobs[0]}")


def print_step_growth(small, large, factor):
    """Each step's time at the larger size ÷ at the smaller: linear growth is
    ``factor``; n log n a little more. Steps under 0.5 s at the larger size
    are left out (their fixed costs dominate), and a step above 1.5 ×
    ``factor`` is flagged."""
    rows = [(label, small[label], seconds) for label, seconds in large.items()
            if label in small and seconds >= 0.5]
    for label, before, after in sorted(rows, key=lambda r: -r[2] / max(r[1], 0.05)):
        growth = after / max(before, 0.05)
        flag = "  <- faster than n log n?" if growth > 1.5 * factor else ""
        print(f"    {label}: {before:.1f} -> {after:.1f} s (x{growth:.1f}){flag}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,40000", help="grid cells, comma-separated squares")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--jobs-1", action="store_true", help="also run every study with --jobs 1")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated files here")
    parser.add_argument("--years", type=int, default=YEARS,
                        help=f"years of the grid panels (default {YEARS}; the memory target is at 250000 x 20)")
    arguments = parser.parse_args()
    folder = arguments.keep or tempfile.mkdtemp(prefix="ccd-study-bench-")
    os.makedirs(folder, exist_ok=True)
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    runs = [("default --jobs", [])] + ([("--jobs 1", ["--jobs", "1"])] if arguments.jobs_1 else [])
    totals, step_seconds = {}, {}
    try:
        if not arguments.skip_demo:
            for label, extra in runs:
                out = os.path.join(folder, "out-demo")
                seconds, peak, output = timed(ccd("demo", "--output-dir", out, *extra))
                report(f"ccd demo (296 x {YEARS}), {label}", seconds, peak, output, 15)
                shutil.rmtree(out, ignore_errors=True)
        for size in (int(s) for s in arguments.sizes.split(",") if s):
            side = int(round(size ** 0.5))
            years = arguments.years
            config = grid_study(side, folder, years)
            target = None if side * side > 40000 else 30 if side * side <= 2500 else 300
            for label, extra in runs:
                out = os.path.join(folder, f"out{side * side}")
                seconds, peak, output = timed(ccd("run", config, "--output-dir", out, *extra))
                totals[(side * side, label)] = seconds
                step_seconds[(side * side, label)] = dict(step_times(output))
                report(f"ccd run, grid {side * side} x {years}, {label}", seconds, peak, output, target,
                       memory=4096)
                shutil.rmtree(out, ignore_errors=True)
        sizes = sorted({n for n, _ in totals})
        if len(sizes) > 1:
            for label, _ in runs:
                small, large = totals[(sizes[0], label)], totals[(sizes[-1], label)]
                factor = sizes[-1] / sizes[0]
                print(f"growth {sizes[0]} -> {sizes[-1]} cells ({factor:.0f}x), {label}: "
                      f"x{large / small:.1f}")
                print_step_growth(step_seconds[(sizes[0], label)], step_seconds[(sizes[-1], label)], factor)
    finally:
        if not arguments.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
