"""The dependency installer: requirement list, constraints, pip command, private
folder, the ``ccd:installdependencies`` algorithm; and (opt-in, slow) a real
installation from a QGIS whose Python lacks the packages."""

import csv
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from qgis_plugin import dependencies, install_algorithm, installer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.qgis


def requirement_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [line.split("#", 1)[0].strip() for line in handle if line.split("#", 1)[0].strip()]


def test_the_plugin_zip_ships_the_core_requirements(tmp_path):
    import sys
    import zipfile

    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import build_plugin
    finally:
        sys.path.pop(0)
    with zipfile.ZipFile(build_plugin.build(str(tmp_path))) as archive:
        shipped = archive.read(f"{build_plugin.PLUGIN}/requirements.txt").decode("utf-8")
    with open(os.path.join(ROOT, "requirements", "core.txt"), encoding="utf-8") as handle:
        assert shipped == handle.read()
    assert dependencies.REQUIREMENTS == os.path.join(ROOT, "requirements", "core.txt")


def test_requirements_follow_their_python_markers(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("# comment\nnumpy>=1.23\nscikit-learn>=1.3  # ML\n"
                    'tomli>=2.0; python_version < "3.11"\njinja2\n')
    names = [name for name, _, _ in dependencies.requirements(str(path), python=(3, 10))]
    assert names == ["numpy", "scikit-learn", "tomli", "jinja2"]
    found = dependencies.requirements(str(path), python=(3, 11))
    assert found == [("numpy", "1.23", "numpy>=1.23"), ("scikit-learn", "1.3", "scikit-learn>=1.3"),
                     ("jinja2", None, "jinja2")]


def test_constraints_pin_everything_installed_and_cap_shapely_on_old_geos():
    installed = {"numpy": "1.24.2", "pyproj": "3.4.1", "kiwisolver": "0.0.0", "matplotlib": "3.6.3"}
    assert installer.constraints(installed, geos=(3, 11, 1)) == [
        "matplotlib==3.6.3", "numpy==1.24.2", "pyproj==3.4.1", "shapely<2.1"]
    assert "shapely<2.1" not in installer.constraints(installed, geos=(3, 12, 0))
    # a shapely QGIS's Python has is pinned as it is, not capped
    assert installer.constraints({"shapely": "2.0.1"}, geos=(3, 11)) == ["shapely==2.0.1"]


def test_packages_qgis_has_in_too_old_versions_are_reported_not_replaced(tmp_path):
    requirement_list = [("pandas", "2.0", "pandas>=2.0"), ("numpy", "1.23", "numpy>=1.23"),
                        ("scikit-learn", "1.3", "scikit-learn>=1.3")]
    old = installer.too_old({"pandas": "1.5.3", "numpy": "1.24.2", "scikit-learn": "1.2.1"},
                            requirement_list)
    assert old == [("pandas", "1.5.3", "2.0"), ("scikit-learn", "1.2.1", "1.3")]


def test_pip_installs_with_a_prefix_and_the_generated_constraints():
    command = installer.pip_command("/usr/bin/python3.11", "/p/ccd", "/plugin/requirements.txt",
                                    "/p/ccd/constraints.txt")
    assert command[:4] == ["/usr/bin/python3.11", "-m", "pip", "install"]
    assert command[command.index("--prefix") + 1] == "/p/ccd"
    assert command[command.index("-c") + 1] == "/p/ccd/constraints.txt"
    assert command[command.index("-r") + 1] == "/plugin/requirements.txt"
    # --target would reinstall numpy & co. beside QGIS's; --upgrade would replace them
    assert "--target" not in command and "--upgrade" not in command and "-U" not in command


def test_the_child_environment_points_at_no_other_python():
    env = installer.pip_environment({"PATH": "/bin", "PYTHONPATH": "/x", "PYTHONHOME": "/y",
                                     "VIRTUAL_ENV": "/v", "PIP_TARGET": "/t", "PIP_INDEX_URL": "i"})
    assert env["PATH"] == "/bin" and env["PIP_INDEX_URL"] == "i"
    assert not {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_TARGET"} & set(env)


def test_the_private_folder_is_per_profile_and_python(tmp_path):
    folder = installer.private_folder(str(tmp_path), python=(3, 13))
    assert folder == os.path.join(str(tmp_path), "python", "ccd-packages", "python3.13")
    from qgis.core import QgsApplication

    assert installer.private_folder().startswith(QgsApplication.qgisSettingsDirPath().rstrip("/"))


def test_the_interpreter_is_python_not_qgis(tmp_path):
    (tmp_path / "bin").mkdir()
    python = tmp_path / "bin" / "python3.12"
    python.write_text("")
    assert installer.python_interpreter("/usr/bin/qgis.bin", str(tmp_path), (3, 12), "linux") \
        == str(python)
    (tmp_path / "python.exe").write_text("")
    assert installer.python_interpreter(r"C:\OSGeo4W\bin\qgis-bin.exe", str(tmp_path), (3, 12),
                                        "win32") == str(tmp_path / "python.exe")
    with pytest.raises(installer.InstallError, match="interpreter"):
        installer.python_interpreter("/usr/bin/qgis.bin", str(tmp_path / "none"), (3, 12), "linux")


def test_the_folder_is_added_after_qgis_own_paths_and_removed(tmp_path, monkeypatch):
    folder = tmp_path / "python3.11"
    site = folder / "local" / "lib" / "python3.11" / "dist-packages"
    (site / "ccd_probe_package").mkdir(parents=True)
    (site / "ccd_probe_package" / "__init__.py").write_text("VALUE = 42\n")
    monkeypatch.setattr(sys, "path", list(sys.path))
    first = list(sys.path)
    assert installer.add_to_path(str(folder)) == [str(site)]
    assert sys.path == first + [str(site)]
    assert installer.add_to_path(str(folder)) == []
    import ccd_probe_package

    assert ccd_probe_package.VALUE == 42
    assert installer.remove(str(folder)) is True
    assert str(site) not in sys.path and not folder.exists()
    assert installer.remove(str(folder)) is False
    sys.modules.pop("ccd_probe_package")


def test_pip_progress_follows_its_stages():
    progress = 0.0
    for line in ["Collecting pandas>=2.0", "  Downloading pandas-2.3.3.whl (12 MB)",
                 "Requirement already satisfied: numpy>=1.23 in /usr/lib/python3/dist-packages"]:
        progress = install_algorithm.progress_after(line, progress)
    assert progress == pytest.approx(4.5)  # 2 + 0.5 + 2
    assert install_algorithm.progress_after("Installing collected packages: pandas", 4.5) == 70
    assert install_algorithm.progress_after("Successfully installed pandas-2.3.3", 70) == 100
    assert install_algorithm.progress_after("some other line", 33) == 33


def test_the_algorithm_is_listed_and_removes_the_folder(run_algorithm, tmp_path, monkeypatch):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("ccd")
    assert provider.algorithm("installdependencies") is not None
    folder = tmp_path / "python3.x"
    (folder / "lib").mkdir(parents=True)
    monkeypatch.setattr(installer, "private_folder", lambda *a, **k: str(folder))
    result = run_algorithm("ccd:installdependencies", {"ACTION": 1})
    assert result["FOLDER"] == str(folder) and not folder.exists()


def test_the_dialog_asks_before_installing(qgis_app, monkeypatch):
    from qgis.PyQt.QtWidgets import QMessageBox

    from qgis_plugin import dependency_dialog

    asked, opened = [], []

    class Interface:
        def mainWindow(self):  # noqa: N802 (QGIS's name)
            return None

    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.No))
    import processing

    monkeypatch.setattr(processing, "execAlgorithmDialog", lambda *a: opened.append(a))
    problems = [("esda", None, "2.5")]
    assert dependency_dialog.ask_and_install(Interface(), problems) is False
    assert opened == [] and "esda" in asked[0] and "numpy" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *args: QMessageBox.StandardButton.Yes))
    assert dependency_dialog.ask_and_install(Interface(), problems) is True
    assert opened == [("ccd:installdependencies", {"ACTION": 0})]


# --- a real installation (slow: pip downloads the analysis stack) -------------------------

SYSTEM_PYTHON = "/usr/bin/python3"


def _qgis_python_lacks_the_packages():
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pandas"], capture_output=True)
    return probe.returncode != 0


@pytest.mark.skipif(os.environ.get("CCD_TEST_INSTALL") != "1",
                    reason="set CCD_TEST_INSTALL=1 (pip downloads the whole analysis stack)")
@pytest.mark.skipif(not _qgis_python_lacks_the_packages(),
                    reason="QGIS's Python already has the analysis packages")
def test_a_fresh_qgis_installs_the_dependencies_and_runs_the_tools(tmp_path):
    """Only the plugin zip in a fresh profile, QGIS's own Python without pandas & co.:
    qgis_process runs ccd:installdependencies, then the tools, then removes them."""
    from qgis.core import Qgis

    qgis_process = (shutil.which("qgis_process") if Qgis.versionInt() >= 34000 else None) \
        or shutil.which("qgis_process.bin")
    if qgis_process is None:
        pytest.skip("qgis_process is not installed")
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import build_plugin

    plugins = tmp_path / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(build_plugin.build(str(tmp_path / "dist"))) as archive:
        archive.extractall(plugins)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PROJ_DATA", "PROJ_LIB")}
    env.update(QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(tmp_path))

    def run(*arguments, timeout=300):
        completed = subprocess.run([qgis_process, *arguments], env=env, capture_output=True,
                                   text=True, timeout=timeout)
        assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
        return completed.stdout

    run("plugins", "enable", build_plugin.PLUGIN)
    listed = run("list")
    assert "ccd:installdependencies" in listed and "ccd:couplingcoordination" not in listed
    log = run("run", "ccd:installdependencies", "--", "ACTION=0", timeout=1800)
    assert "Successfully installed" in log
    folder = tmp_path / "profiles" / "default" / "python" / "ccd-packages" / \
        "python{}.{}".format(*sys.version_info[:2])
    numpy_version = subprocess.run([SYSTEM_PYTHON, "-c", "import numpy; print(numpy.__version__)"],
                                   capture_output=True, text=True).stdout.strip()
    assert f"numpy=={numpy_version}" in (folder / "constraints.txt").read_text().split()
    sites = installer.site_folders(str(folder))
    assert sites and not any(os.path.isdir(os.path.join(s, "numpy")) for s in sites)
    assert "ccd:couplingcoordination" in run("list")

    source = tmp_path / "indices.csv"
    source.write_text("CITY,YEAR,U1,U2\na,2020,0.25,1\nb,2020,0.5,0.5\nc,2020,0.36,0.64\n")
    out = tmp_path / "out.csv"
    run("run", "ccd:couplingcoordination", "--", f"INPUT={source}", "SYSTEM_FIELDS=U1",
        "SYSTEM_FIELDS=U2", "MODEL=1", "ID_FIELD=CITY", "YEAR_FIELD=YEAR", f"OUTPUT={out}")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    # revised coupling: C = sqrt((1 − |U1 − U2|) · min/max)
    assert [float(r["C"]) for r in rows] == pytest.approx([0.25, 1.0, (0.72 * 0.5625) ** 0.5])

    run("run", "ccd:installdependencies", "--", "ACTION=1")
    assert not folder.exists()
