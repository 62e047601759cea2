"""The spatial Markov tool on a fresh install: the command line switches numba's
compiler off (toolbox/jit.py), and giddy's import chain (quantecon) compiles
numba code on import, which then fails while numba's cache is empty. The tool
must neither import giddy, quantecon nor numba."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

geopandas = pytest.importorskip("geopandas")
from shapely.geometry import box  # noqa: E402


@pytest.fixture
def files(tmp_path):
    cells = [(r, c) for r in range(4) for c in range(5)]
    ids = [f"u{r}{c}" for r, c in cells]
    polygons = tmp_path / "grid.geojson"
    geopandas.GeoDataFrame({"UNIT": ids}, geometry=[box(c, r, c + 1, r + 1) for r, c in cells],
                           crs="EPSG:3857").to_file(polygons, driver="GeoJSON")
    rng = np.random.default_rng(0)
    rows = [(u, year, float(rng.lognormal())) for year in range(2010, 2016) for u in ids]
    table = pd.DataFrame(rows, columns=["UNIT", "YEAR", "V"])
    table["TIER"] = table.groupby("YEAR")["V"].transform(lambda s: pd.qcut(s, 3, labels=False)).astype(int)
    panel = tmp_path / "panel.csv"
    table.to_csv(panel, index=False)
    return tmp_path, panel, polygons


def fresh_environment(tmp_path):
    """A process as a new user starts it: numba's switch left to the command
    line, numba's cache directory empty."""
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_DISABLE_JIT"}
    env["NUMBA_CACHE_DIR"] = str(cache)
    return env


def arguments(tmp_path, panel, polygons, name, *chain):
    return ["spatialmarkov", "--input", str(panel), "--polygons", str(polygons), "--id-field", "UNIT",
            "--year-field", "YEAR", "--weights-type", "rook", *chain,
            "--transitions", str(tmp_path / f"{name}_transitions.csv"), "--tests", str(tmp_path / f"{name}_tests.csv")]


CHAINS = {"tiers": ("--tier-field", "TIER"), "values": ("--value-field", "V", "--classes", "3"),
          "lisa": ("--method", "lisa", "--value-field", "V")}


def test_command_line_runs_with_an_empty_numba_cache(files):
    tmp_path, panel, polygons = files
    done = subprocess.run([sys.executable, "-m", "toolbox.cli", *arguments(tmp_path, panel, polygons, "lisa",
                                                                           *CHAINS["lisa"])],
                          env=fresh_environment(tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    tests = pd.read_csv(tmp_path / "lisa_tests.csv")
    assert tests["TEST"].tolist() == ["CHI2"]


def test_no_giddy_quantecon_or_numba_in_the_process(files):
    tmp_path, panel, polygons = files
    runs = {name: arguments(tmp_path, panel, polygons, name, *chain) for name, chain in CHAINS.items()}
    code = (
        "import json, sys\n"
        "from toolbox import cli\n"
        f"codes = {{name: cli.main(argv) for name, argv in {runs!r}.items()}}\n"
        "print(json.dumps({'codes': codes, 'imported': sorted(m for m in ('giddy', 'quantecon', 'numba')"
        " if m in sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=fresh_environment(tmp_path), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["codes"] == {"tiers": 0, "values": 0, "lisa": 0}, done.stderr
    assert report["imported"] == []
    for name in CHAINS:
        tests = pd.read_csv(tmp_path / f"{name}_tests.csv")
        assert np.isfinite(tests["STATISTIC"]).all()
    values = pd.read_csv(tmp_path / "values_transitions.csv")
    assert set(values["CONDITION"].astype(str)) == {"ALL", "0", "1", "2"}
