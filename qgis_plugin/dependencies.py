"""Check, when the plugin loads, that the Python packages it needs are there.

The list is ``requirements.txt`` beside this file in the plugin zip (the
build ships the repository's ``requirements/core.txt`` under that name); in a
checkout it is ``requirements/core.txt`` itself. Nothing is installed
without the user's consent: the plugin offers its installer
(:mod:`.installer`, the algorithm ``ccd:installdependencies``), which never
upgrades numpy or any other package QGIS's Python already has. The message
also gives the manual command for the user's platform, numpy pinned to the
installed version so that pip leaves it alone.
"""

import importlib.metadata
import os
import re
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = next((path for path in (os.path.join(_HERE, "requirements.txt"),
                                       os.path.join(os.path.dirname(_HERE), "requirements", "core.txt"))
                     if os.path.exists(path)), os.path.join(_HERE, "requirements.txt"))
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:>=\s*([0-9][^,;\s]*))?\s*(?:;(.*))?$")
_PYTHON_MARKER = re.compile(r"""^\s*python_version\s*(<=|>=|==|!=|<|>)\s*["']([0-9.]+)["']\s*$""")


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _marker_holds(marker, python=sys.version_info[:2]):
    """Whether an environment marker applies. Only ``python_version <op> "X.Y"``
    occurs in our requirement files; it is evaluated here because QGIS's
    Python need not have ``packaging``. Any other marker is kept (True)."""
    if not marker or not marker.strip():
        return True
    match = _PYTHON_MARKER.match(marker)
    if match is None:
        return True
    operator, version = match.groups()
    left, right = tuple(python), _version_tuple(version)
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right,
            "==": left == right, "!=": left != right}[operator]


def requirements(path=REQUIREMENTS, python=sys.version_info[:2]):
    """(distribution, minimum version or None, requirement line) of every
    requirement of ``path`` that applies to ``python``."""
    found = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            match = _REQUIREMENT.match(text)
            if match is None:
                raise ValueError(f"{path}: cannot read the requirement '{text}'")
            name, minimum, marker = match.groups()
            if _marker_holds(marker, python):
                found.append((name, minimum, text))
    return found


def installed_version(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def missing_dependencies(version_of=installed_version, path=REQUIREMENTS):
    """(distribution, installed version or None, minimum) of every package
    that is absent or older than the minimum."""
    problems = []
    for distribution, minimum, _ in requirements(path):
        found = version_of(distribution)
        if found is None or (minimum and _version_tuple(found) < _version_tuple(minimum)):
            problems.append((distribution, found, minimum))
    return problems


def install_command(problems, platform=sys.platform, numpy_version=None):
    """The command that installs ``problems`` into QGIS's Python on ``platform``.

    numpy is pinned to the installed version (``numpy==x.y.z``), so pip
    resolves the other packages against it instead of upgrading it.
    """
    numpy_version = numpy_version if numpy_version is not None else installed_version("numpy")
    packages = [f'"{name}>={minimum}"' if minimum else name
                for name, _, minimum in problems if name != "numpy"]
    if numpy_version:
        packages.insert(0, f"numpy=={numpy_version}")
    requirements_text = " ".join(packages)
    if platform.startswith("win"):
        return f"python -m pip install {requirements_text}   (in the OSGeo4W Shell)"
    if platform == "darwin":
        return ("/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user "
                f"{requirements_text}")
    return f"python3 -m pip install --user --break-system-packages {requirements_text}"


def _same(text):
    return text


def dependency_message(problems, platform=sys.platform, numpy_version=None, tr=_same):
    """One message listing what is missing, the plugin's installer and the
    manual command; ``tr`` translates its sentences."""
    lines = []
    for name, found, minimum in problems:
        state = tr("missing") if found is None else tr("{} is older than {}").format(found, minimum)
        lines.append(f"  {name}: {state}")
    text = (tr("The Coupling Coordination Toolbox needs Python packages that QGIS's Python "
               "does not have:") + "\n" + "\n".join(lines) + "\n\n"
            + tr("Install them from QGIS with the algorithm 'Install Python dependencies' "
                 "(ccd:installdependencies), or by hand with:")
            + "\n  " + install_command(problems, platform, numpy_version))
    if any(name == "numpy" for name, _, _ in problems):
        text += "\n\n" + tr("numpy comes with QGIS and is never upgraded by this plugin: "
                             "update QGIS itself for a newer numpy.")
    return text
