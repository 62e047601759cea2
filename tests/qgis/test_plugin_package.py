"""The plugin as shipped: dependency check, Bandit, Qt only through qgis.PyQt."""

import os
import re
import shutil
import subprocess
import sys

import pytest

from qgis_plugin import dependencies

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.qgis


def test_nothing_missing_in_this_environment():
    assert dependencies.missing_dependencies() == []


def test_missing_and_old_packages_are_listed_with_a_command_that_keeps_numpy():
    versions = {"numpy": "1.24.2", "esda": "2.4.0", "scikit-learn": None}

    def version_of(name):
        return versions.get(name, "99.0")

    problems = dependencies.missing_dependencies(version_of)
    assert [p[0] for p in problems] == ["scikit-learn", "esda"]
    for platform, start in (("linux", "python3 -m pip"), ("win32", "python -m pip"),
                            ("darwin", "/Applications/QGIS.app/Contents/MacOS/bin/python3")):
        command = dependencies.install_command(problems, platform, numpy_version="1.24.2")
        assert command.startswith(start)
        assert "numpy==1.24.2" in command
        assert '"scikit-learn>=1.3"' in command and '"esda>=2.5"' in command
    message = dependencies.dependency_message(problems, "linux", "1.24.2")
    assert "scikit-learn: missing" in message and "esda: 2.4.0 is older than 2.5" in message


def test_old_numpy_is_reported_but_never_upgraded():
    problems = dependencies.missing_dependencies(lambda name: "1.19.0" if name == "numpy" else "99")
    command = dependencies.install_command(problems, "linux", numpy_version="1.19.0")
    assert "numpy==1.19.0" in command and "numpy>=" not in command
    assert "never upgraded" in dependencies.dependency_message(problems, "linux", "1.19.0")


def test_qt_only_through_qgis_pyqt():
    pattern = re.compile(r"^\s*(from|import)\s+(PyQt5|PyQt6|PySide2|PySide6)\b", re.M)
    for name in os.listdir(os.path.join(ROOT, "qgis_plugin")):
        if name.endswith(".py"):
            with open(os.path.join(ROOT, "qgis_plugin", name), encoding="utf-8") as source:
                assert not pattern.search(source.read()), name


def test_bandit_finds_nothing_medium_or_high_in_what_the_zip_ships():
    bandit = shutil.which("bandit") or os.path.join(os.path.dirname(sys.executable), "bandit")
    if not os.path.exists(bandit):
        pytest.skip("bandit is not installed")
    shipped = [os.path.join(ROOT, name) for name in ("qgis_plugin", "toolbox", "spatial")]
    completed = subprocess.run([bandit, "-q", "-r", "-ll", *shipped], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
