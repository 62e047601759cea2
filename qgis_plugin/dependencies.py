"""Check, when the plugin loads, that the Python packages it needs are there.

Nothing is installed automatically, and numpy is never upgraded: QGIS's own
compiled modules are built against the numpy it ships. The message gives the
exact command for the user's platform, pinning numpy to the installed version
so that pip leaves it alone.
"""

import importlib.metadata
import re
import sys

#: (distribution name on PyPI, import name, minimum version)
REQUIRED = (
    ("numpy", "numpy", "1.20"),
    ("pandas", "pandas", "1.5"),
    ("scipy", "scipy", "1.8"),
    ("scikit-learn", "sklearn", "1.3"),
    ("shapely", "shapely", "2.0"),
    ("pyproj", "pyproj", "3.3"),
    ("pyogrio", "pyogrio", "0.7"),
    ("geopandas", "geopandas", "0.14"),
    ("libpysal", "libpysal", "4.10"),
    ("esda", "esda", "2.5"),
    ("giddy", "giddy", "2.3.5"),
    ("mapclassify", "mapclassify", "2.6"),
    ("inequality", "inequality", "1.0"),
    ("matplotlib", "matplotlib", "3.5"),
)


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def installed_version(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def missing_dependencies(version_of=installed_version):
    """(distribution, installed version or None, minimum) of every package
    that is absent or older than the minimum."""
    problems = []
    for distribution, _, minimum in REQUIRED:
        found = version_of(distribution)
        if found is None or _version_tuple(found) < _version_tuple(minimum):
            problems.append((distribution, found, minimum))
    return problems


def install_command(problems, platform=sys.platform, numpy_version=None):
    """The command that installs ``problems`` into QGIS's Python on ``platform``.

    numpy is pinned to the installed version (``numpy==x.y.z``), so pip
    resolves the other packages against it instead of upgrading it.
    """
    numpy_version = numpy_version if numpy_version is not None else installed_version("numpy")
    packages = [f'"{name}>={minimum}"' for name, _, minimum in problems if name != "numpy"]
    if numpy_version:
        packages.insert(0, f"numpy=={numpy_version}")
    requirements = " ".join(packages)
    if platform.startswith("win"):
        return f"python -m pip install --upgrade {requirements}   (in the OSGeo4W Shell)"
    if platform == "darwin":
        return ("/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user "
                f"--upgrade {requirements}")
    return f"python3 -m pip install --user --upgrade --break-system-packages {requirements}"


def _same(text):
    return text


def dependency_message(problems, platform=sys.platform, numpy_version=None, tr=_same):
    """One message listing what is missing and the command that installs it;
    ``tr`` translates its sentences."""
    lines = []
    for name, found, minimum in problems:
        state = tr("missing") if found is None else tr("{} is older than {}").format(found, minimum)
        lines.append(f"  {name}: {state}")
    text = (tr("The Coupling Coordination Toolbox needs Python packages that QGIS's Python "
               "does not have:") + "\n" + "\n".join(lines) + "\n\n" + tr("Install them with:")
            + "\n  " + install_command(problems, platform, numpy_version))
    if any(name == "numpy" for name, _, _ in problems):
        text += "\n\n" + tr("numpy comes with QGIS and is never upgraded by this plugin: "
                             "update QGIS itself for a newer numpy.")
    return text
