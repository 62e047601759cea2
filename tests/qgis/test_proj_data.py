"""PROJ data found by pyproj in every environment QGIS's Python runs in."""

import math
import os
import subprocess
import sys
import textwrap

import pytest

from qgis_plugin import proj_data

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SYSTEM_PYTHON = "/usr/bin/python3"
pytestmark = pytest.mark.qgis


class DataDirError(RuntimeError):
    """Stands in for pyproj.exceptions.DataDirError (matched by name)."""


class FakeDatadir:
    def __init__(self, found):
        self.found, self.set_to = found, None

    def get_data_dir(self):
        if self.found is None:
            raise DataDirError("Valid PROJ data directory not found")
        return self.found

    def set_data_dir(self, folder):
        self.set_to = folder


def test_a_pyproj_with_its_own_data_is_left_alone(tmp_path):
    datadir = FakeDatadir("/wheel/pyproj/proj_dir/share/proj")
    assert proj_data.ensure_proj_data(datadir, [str(tmp_path)]) == datadir.found
    assert datadir.set_to is None


def test_a_pyproj_without_data_gets_the_first_search_path_with_proj_db(tmp_path):
    empty, full = tmp_path / "empty", tmp_path / "full"
    empty.mkdir()
    full.mkdir()
    (full / "proj.db").write_bytes(b"")
    datadir = FakeDatadir(None)
    assert proj_data.ensure_proj_data(datadir, [str(empty), str(full)]) == str(full)
    assert datadir.set_to == str(full)


def test_qgis_knows_a_proj_data_folder():
    folder = proj_data.proj_data_folder()
    assert folder is not None and os.path.isfile(os.path.join(folder, "proj.db"))


def _distribution_pyproj():
    """True when the system Python's pyproj is the distribution's (no data of its own)."""
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import os, pyproj; print(os.path.isdir(os.path.join("
         "os.path.dirname(pyproj.__file__), 'proj_dir')))"],
        capture_output=True, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == "False"


def _run_in_a_venv_of_the_system_python(tmp_path, *parts):
    venv = tmp_path / "venv"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PROJ_DATA", "PROJ_LIB", "PYTHONPATH")}
    completed = subprocess.run([str(venv / "bin" / "python"), "-c", "".join(map(textwrap.dedent, parts))],
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.splitlines()


def _check_web_mercator(folder, point):
    assert os.path.isfile(os.path.join(folder, "proj.db"))
    x, y = map(float, point.split())
    # spherical (web) Mercator by hand: x = R·λ, y = R·ln tan(π/4 + φ/2), R = 6378137 m
    radius = 6378137.0
    assert x == pytest.approx(radius * math.radians(116.4), abs=1e-6)
    assert y == pytest.approx(radius * math.log(math.tan(math.pi / 4 + math.radians(39.9) / 2)),
                              abs=1e-6)


TRANSFORM = """
    x, y = pyproj.Transformer.from_crs(4326, 3857, always_xy=True).transform(116.4, 39.9)
    print(repr(x), repr(y))
"""
needs_distribution_pyproj = pytest.mark.skipif(not _distribution_pyproj(),
                                               reason="no distribution pyproj on this machine")


@needs_distribution_pyproj
def test_debian_pyproj_through_a_venv_finds_qgis_proj_data(tmp_path):
    """Debian's python3-pyproj in a --system-site-packages venv (as .venv-qgis or a
    QGIS profile's folder sees it) raises DataDirError until pointed at QGIS's PROJ."""
    before, folder, point = _run_in_a_venv_of_the_system_python(tmp_path, f"""
        import sys, warnings
        warnings.simplefilter("ignore")
        sys.path.insert(0, {ROOT!r})
        import pyproj, pyproj.datadir
        try:
            pyproj.datadir.get_data_dir()
            print("found before")
        except pyproj.exceptions.DataDirError:
            print("DataDirError before")
        from qgis_plugin.proj_data import ensure_proj_data
        print(ensure_proj_data())
    """, TRANSFORM)
    assert before == "DataDirError before"
    _check_web_mercator(folder, point)


@needs_distribution_pyproj
def test_debian_pyproj_is_pointed_at_qgis_proj_data_before_it_is_imported(tmp_path):
    """At plugin start pyproj is not imported yet (and must not be): PROJ_DATA is set."""
    imported, folder, environment, point = _run_in_a_venv_of_the_system_python(tmp_path, f"""
        import os, sys
        sys.path.insert(0, {ROOT!r})
        from qgis_plugin.proj_data import ensure_proj_data
        folder = ensure_proj_data()
        print("pyproj" in sys.modules)
        print(folder)
        print(os.environ["PROJ_DATA"] == folder)
        import pyproj
    """, TRANSFORM)
    assert (imported, environment) == ("False", "True")
    _check_web_mercator(folder, point)


def test_a_wheel_pyproj_is_not_imported_at_plugin_start():
    """A pyproj wheel loads its own PROJ library; loaded into QGIS 3.22's process at
    plugin start it made qgis_process crash on exit."""
    completed = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, %r); "
         "from qgis_plugin.proj_data import ensure_proj_data; ensure_proj_data(); "
         "print('pyproj' in sys.modules)" % ROOT], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "False"


def test_pyproj_in_this_environment_builds_a_crs():
    pyproj = pytest.importorskip("pyproj")
    proj_data.ensure_proj_data()
    assert pyproj.CRS.from_epsg(4490).name == "China Geodetic Coordinate System 2000"
