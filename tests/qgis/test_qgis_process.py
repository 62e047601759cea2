"""``qgis_process run ccd:…`` with the built plugin zip installed in a fresh
QGIS profile and enabled — the way batch users and other programs call us."""

import csv
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile

import pytest

pytestmark = pytest.mark.qgis
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _qgis_process():
    """Debian's ``qgis_process`` wrapper on QGIS 3.40+ (as users call it); on older QGIS the
    wrapper passes an option its binary rejects, so ``qgis_process.bin``."""
    from qgis.core import Qgis

    if Qgis.versionInt() >= 34000 and shutil.which("qgis_process"):
        return shutil.which("qgis_process")
    return shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


QGIS_PROCESS = _qgis_process()


def build_plugin_name():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import build_plugin

    return build_plugin.PLUGIN


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """A QGIS configuration folder whose default profile has the plugin installed and enabled."""
    if not os.path.exists(QGIS_PROCESS):
        pytest.skip("qgis_process is not installed")
    base = tmp_path_factory.mktemp("qgis")
    return base, install_plugin(base)


def install_plugin(base, tree=ROOT):
    """Build the plugin zip of the source ``tree`` (this one, or another
    revision's exported by bench/qgis_process.py), install it into the default
    profile of the QGIS configuration folder ``base`` and enable it; the
    environment for ``qgis_process`` to use that folder."""
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import build_plugin

    if tree == ROOT:
        archive = build_plugin.build(str(base / "dist"))
    else:
        archive = subprocess.run([sys.executable, os.path.join(tree, "scripts", "build_plugin.py"),
                                  str(base / "dist")], check=True, capture_output=True,
                                 text=True).stdout.strip().splitlines()[-1]
    plugins = base / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert all(name.startswith(build_plugin.PLUGIN + "/") for name in names), \
            "the zip must hold one plugin folder, nothing at the top level"
        opened.extractall(plugins)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(base),
               # QGIS's Python sees the dependencies installed in this environment
               PYTHONPATH=sysconfig.get_paths()["purelib"])
    env.pop("PYTHONHOME", None)
    enabled = subprocess.run([QGIS_PROCESS, "plugins", "enable", build_plugin.PLUGIN],
                             env=env, capture_output=True, text=True, timeout=180)
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    return env


def test_qgis_process_runs_coupling_coordination(profile, tmp_path):
    _, env = profile
    source = tmp_path / "indices.csv"
    source.write_text("CITY,YEAR,U1,U2\na,2020,0.25,1\nb,2020,0.5,0.5\nc,2020,0.36,0.64\n")
    out = tmp_path / "out.csv"
    completed = subprocess.run(
        [QGIS_PROCESS, "run", "ccd:couplingcoordination", "--",
         f"INPUT={source}", "SYSTEM_FIELDS=U1", "SYSTEM_FIELDS=U2", "MODEL=1",
         "ID_FIELD=CITY", "YEAR_FIELD=YEAR", f"OUTPUT={out}"],
        env=env, capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    # QGIS 3.40+ warns of deprecated calls on stderr, naming the calling file
    ours = [line for line in (completed.stdout + completed.stderr).splitlines()
            if "deprecat" in line.lower() and (build_plugin_name() in line or "parameterAs" in line)]
    assert ours == []
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["CITY"] for r in rows] == ["a", "b", "c"]
    # revised coupling: C = sqrt((1 − |U1 − U2|) · min/max)
    assert float(rows[0]["C"]) == pytest.approx(0.25)  # sqrt(0.25 · 0.25)
    assert float(rows[1]["C"]) == pytest.approx(1.0)
    assert float(rows[2]["C"]) == pytest.approx((0.72 * 0.5625) ** 0.5)
    assert source.read_text().startswith("CITY,YEAR,U1,U2\na,2020")


def test_qgis_process_runs_a_geometry_tool_and_exits_cleanly(profile, tmp_path):
    """Queen weights of a 3 x 3 grid: the geometry stack (shapely, pyproj, GDAL)
    inside qgis_process, which must also exit with 0 (a pyproj wheel's own PROJ
    beside QGIS's crashed it on exit)."""
    import geopandas as gpd
    from shapely.geometry import box

    _, env = profile
    grid = gpd.GeoDataFrame({"ID": [f"c{i}" for i in range(9)]},
                            geometry=[box(i % 3, i // 3, i % 3 + 1, i // 3 + 1) for i in range(9)],
                            crs="EPSG:3857")
    source = tmp_path / "grid.gpkg"
    grid.to_file(source, layer="grid")
    out = tmp_path / "queen.gal"
    completed = subprocess.run(
        [QGIS_PROCESS, "run", "ccd:spatialweights", "--", f"INPUT={source}", "ID_FIELD=ID",
         "TYPE=0", f"OUTPUT={out}"],
        env=env, capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = out.read_text().split("\n")
    neighbours = {lines[i].split()[0]: set(lines[i + 1].split()) for i in range(1, len(lines) - 1, 2)}
    assert neighbours["c4"] == {f"c{i}" for i in range(9) if i != 4}  # the centre touches all
    assert neighbours["c0"] == {"c1", "c3", "c4"}


def test_qgis_process_local_moran_geopackage_in_and_out_exits_cleanly(profile, tmp_path):
    """ccd:localmoran from a GeoPackage to a GeoPackage, the layer read and the
    output written with pyogrio inside qgis_process (where QGIS's own GDAL 3.6 and
    GEOS 3.11 answer pyogrio's and shapely's calls): exit 0, and LISA by hand
    (esda's scaling: I_i = (n - 1) z_i (W z)_i / sum(z^2), queen, rows summing to 1)."""
    import geopandas as gpd
    import numpy as np
    import pyogrio
    from shapely.geometry import box

    _, env = profile
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0]
    grid = gpd.GeoDataFrame({"ID": [f"c{i}" for i in range(9)], "YEAR": 2020, "V": values},
                            geometry=[box(i % 3, i // 3, i % 3 + 1, i // 3 + 1) for i in range(9)],
                            crs="EPSG:3857")
    source = tmp_path / "grid.gpkg"
    grid.to_file(source, layer="grid")
    before = source.read_bytes()
    out = tmp_path / "lisa.gpkg"
    completed = subprocess.run(
        [QGIS_PROCESS, "run", "ccd:localmoran", "--", f"INPUT={source}", "ID_FIELD=ID",
         "YEAR_FIELD=YEAR", "VALUE_FIELD=V", "PERMUTATIONS=99", f"OUTPUT={out}"],
        env=env, capture_output=True, text=True, timeout=180)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert source.read_bytes() == before
    assert pyogrio.read_info(str(out))["layer_name"] == "lisa"
    lisa = pyogrio.read_dataframe(str(out)).set_index("ID").loc[grid["ID"]]
    w = np.array([[1.0 if i != j and abs(i // 3 - j // 3) <= 1 and abs(i % 3 - j % 3) <= 1 else 0.0
                   for j in range(9)] for i in range(9)])
    w /= w.sum(axis=1, keepdims=True)
    z = np.array(values) - np.mean(values)
    np.testing.assert_allclose(lisa["LISA_I"], 8 * z * (w @ z) / (z @ z), rtol=1e-12, atol=1e-15)
    assert [g.wkb for g in lisa.geometry] == [g.wkb for g in grid.geometry]


def test_qgis_process_reports_bad_input(profile, tmp_path):
    _, env = profile
    source = tmp_path / "bad.csv"
    source.write_text("U1,U2\n0.5,1.5\n")
    completed = subprocess.run(
        [QGIS_PROCESS, "run", "ccd:couplingcoordination", "--", f"INPUT={source}",
         "SYSTEM_FIELDS=U1", "SYSTEM_FIELDS=U2", f"OUTPUT={tmp_path / 'o.csv'}"],
        env=env, capture_output=True, text=True, timeout=180)
    assert completed.returncode != 0
    assert "U2" in completed.stdout + completed.stderr


def test_qgis_process_lists_every_algorithm(profile):
    from toolbox.tools import TOOLS

    _, env = profile
    listed = subprocess.run([QGIS_PROCESS, "list"], env=env, capture_output=True, text=True,
                            timeout=180)
    assert listed.returncode == 0, listed.stderr
    for tool in TOOLS:
        assert f"ccd:{tool.id}" in listed.stdout
