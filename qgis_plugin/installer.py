"""Install the analysis packages into a private folder of the QGIS profile.

``<profile>/python/ccd-packages/python3.X`` receives, by pip, exactly what
``requirements.txt`` (shipped beside this file) asks for and QGIS's Python
lacks. Nothing QGIS's Python already has is upgraded or shadowed:

- the constraints file pins every distribution QGIS's Python sees outside the
  private folder to its installed version (numpy first: QGIS's compiled
  modules are built against it; also pyproj, shapely, ... where the system has
  them, whose own copies of PROJ / GEOS next to QGIS's made ``qgis_process``
  crash on exit);
- ``shapely<2.1`` where QGIS's GEOS is older than 3.12 (QGIS 3.22 on Debian 12
  ships GEOS 3.11): shapely 2.1 asks GEOS for 4-dimensional WKB, and with the
  older GEOS that QGIS has already loaded ``shapely.from_wkb``/``to_wkb`` fail
  with "WKB output dimension must be 2 or 3";
- pip runs with ``--prefix`` (not ``--target``, which ignores what is
  installed), so it installs only what is missing; and a requirement that QGIS's
  Python has in a version too old is reported before pip runs, never replaced.

The folder's site-packages is appended to ``sys.path`` when the plugin loads
(:func:`add_to_path`), after QGIS's own, and :func:`remove` deletes it.
pip is QGIS's own interpreter's ``python -m pip``, run as a child process.
"""

import glob
import importlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys

from .dependencies import REQUIREMENTS, _version_tuple, requirements

FOLDER_NAME = "ccd-packages"
_PINNABLE_VERSION = re.compile(r"^[0-9]+(\.[0-9]+)*([a-zA-Z0-9.+!_-]*)$")


class InstallError(Exception):
    """Installation cannot start or failed; the message says why and what to do."""


def private_folder(profile_folder=None, python=sys.version_info[:2]):
    """``<profile>/python/ccd-packages/python3.X``: one folder per Python
    version, as compiled packages fit only the Python they were built for."""
    if profile_folder is None:
        from qgis.core import QgsApplication

        profile_folder = QgsApplication.qgisSettingsDirPath()
    return os.path.join(profile_folder, "python", FOLDER_NAME, "python{}.{}".format(*python))


def site_folders(folder):
    """The folders with packages that pip's ``--prefix`` made below ``folder``
    (``lib/python3.X/site-packages``, Debian's ``local/lib/.../dist-packages``,
    Windows' ``Lib/site-packages``)."""
    patterns = ("lib/python*/site-packages", "lib/python*/dist-packages",
                "local/lib/python*/site-packages", "local/lib/python*/dist-packages",
                "Lib/site-packages", "lib64/python*/site-packages")
    found = []
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(folder, *pattern.split("/")))):
            if os.path.isdir(path) and path not in found:
                found.append(path)
    return found


def add_to_path(folder=None):
    """Append the private folder's package folders to ``sys.path`` (after
    QGIS's own, so they never shadow a package QGIS has); the folders added."""
    folder = private_folder() if folder is None else folder
    added = [path for path in site_folders(folder) if path not in sys.path]
    sys.path.extend(added)
    if added:
        importlib.invalidate_caches()
    return added


def _outside(folder):
    folder = os.path.normcase(os.path.abspath(folder))
    return [path for path in sys.path
            if not os.path.normcase(os.path.abspath(path or os.curdir)).startswith(folder)]


def installed_outside(folder):
    """{normalised distribution name: version} of what QGIS's Python sees
    without the private folder."""
    found = {}
    for distribution in importlib.metadata.distributions(path=_outside(folder)):
        name = distribution.metadata["Name"]
        if name:
            found.setdefault(normalised(name), distribution.version)
    return found


def normalised(name):
    """PEP 503 name: lower case, runs of ``-_.`` as ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def geos_version():
    """QGIS's GEOS version as a tuple, or None outside QGIS."""
    try:
        from qgis.core import Qgis
    except ImportError:
        return None
    text = Qgis.geosVersion() if hasattr(Qgis, "geosVersion") else ""
    return _version_tuple(text) or None


def constraints(installed, geos=None):
    """The lines of pip's constraints file: ``name==version`` for every
    distribution in ``installed``, and ``shapely<2.1`` with a GEOS older than 3.12.

    A version of zeros is metadata gone wrong, not a version (Debian 12's
    python3-kiwisolver 1.4.4 says 0.0.0): pinned, it would make every
    installation impossible, so it is left out."""
    lines = [f"{name}=={version}" for name, version in sorted(installed.items())
             if _PINNABLE_VERSION.match(version or "") and any(_version_tuple(version))]
    if geos is not None and geos < (3, 12) and "shapely" not in installed:
        lines.append("shapely<2.1")
    return lines


def too_old(installed, requirement_list):
    """(name, installed version, minimum) of requirements QGIS's Python has in
    a version older than the plugin needs: pinned, they cannot be installed."""
    problems = []
    for name, minimum, _ in requirement_list:
        version = installed.get(normalised(name))
        if version and minimum and _version_tuple(version) < _version_tuple(minimum):
            problems.append((name, version, minimum))
    return problems


def python_interpreter(executable=sys.executable, prefix=sys.base_exec_prefix,
                       version=sys.version_info[:2], platform=sys.platform):
    """The Python interpreter that QGIS embeds (inside QGIS ``sys.executable``
    is QGIS itself, or whatever ``python3`` comes first on the PATH). The
    first existing of ``<prefix>/bin/python3.X`` and ``python3`` (Linux,
    macOS), ``<prefix>\\python.exe`` (Windows, OSGeo4W), then
    ``sys.executable`` if it is a python."""
    if platform.startswith("win"):
        candidates = [os.path.join(prefix, "python.exe"), os.path.join(prefix, "python3.exe")]
    else:
        candidates = [os.path.join(prefix, "bin", "python{}.{}".format(*version)),
                      os.path.join(prefix, "bin", "python3")]
    if os.path.basename(executable or "").lower().startswith("python"):
        candidates.append(executable)
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            return candidate
    raise InstallError("QGIS's Python interpreter was not found (looked for: {})".format(
        ", ".join(candidates)))


def pip_command(python, folder, requirements_file, constraints_file):
    """The pip command line that installs ``requirements_file`` under ``folder``."""
    return [python, "-m", "pip", "install", "--prefix", folder, "--no-warn-script-location",
            "--disable-pip-version-check", "--progress-bar", "off",
            "-c", constraints_file, "-r", requirements_file]


def pip_environment(environ=os.environ):
    """The child's environment: the caller's, without what would point pip or
    Python at another interpreter's packages."""
    env = {key: value for key, value in environ.items()
           if key not in ("PYTHONHOME", "PYTHONPATH", "PIP_TARGET", "PIP_PREFIX", "PIP_USER",
                          "VIRTUAL_ENV", "PYTHONNOUSERSITE")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def prepare(folder=None, requirements_file=REQUIREMENTS):
    """Write ``<folder>/constraints.txt`` and return (pip command, folder).

    Raises InstallError when QGIS's Python has a required package in a version
    older than the plugin needs (it is not replaced) or has no pip."""
    folder = private_folder() if folder is None else folder
    installed = installed_outside(folder)
    old = too_old(installed, requirements(requirements_file))
    if old:
        raise InstallError(
            "QGIS's Python has packages older than this plugin needs, and the plugin does "
            "not replace what QGIS's Python has: {}. Update them with the tool that installed "
            "them (the system's package manager or QGIS's installer).".format(", ".join(
                f"{name} {version} (needs {minimum})" for name, version, minimum in old)))
    if "pip" not in installed:
        raise InstallError("QGIS's Python has no pip (Debian/Ubuntu: sudo apt install python3-pip)")
    os.makedirs(folder, exist_ok=True)
    constraints_file = os.path.join(folder, "constraints.txt")
    with open(constraints_file, "w", encoding="utf-8") as handle:
        handle.write("# generated from QGIS's Python: nothing it has is upgraded\n")
        handle.write("\n".join(constraints(installed, geos_version())) + "\n")
    return pip_command(python_interpreter(), folder, requirements_file, constraints_file), folder


def run_pip(command, on_line, canceled=lambda: False):
    """Run ``command``, giving each line of its output to ``on_line``; its exit code
    (-1 when canceled)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=pip_environment(), text=True, encoding="utf-8",
                               errors="replace", bufsize=1)
    with process:
        for line in process.stdout:
            on_line(line.rstrip("\n"))
            if canceled():
                process.terminate()
                process.wait()
                return -1
    return process.returncode


def remove(folder=None):
    """Delete the private folder and take it off ``sys.path``; whether it existed.
    Packages already imported stay loaded until QGIS restarts."""
    folder = private_folder() if folder is None else folder
    for path in site_folders(folder):
        while path in sys.path:
            sys.path.remove(path)
    parent = os.path.dirname(folder)
    if not os.path.isdir(folder):
        return False
    shutil.rmtree(folder)
    if os.path.isdir(parent) and not os.listdir(parent):
        os.rmdir(parent)
    return True
