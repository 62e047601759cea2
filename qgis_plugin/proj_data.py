"""PROJ's data folder for pyproj, wherever QGIS's Python runs.

A pyproj wheel carries its own PROJ and data (``pyproj/proj_dir/share/proj``)
and finds them itself. A distribution's pyproj (Debian's ``python3-pyproj``)
uses the system PROJ and looks for ``proj.db`` under ``sys.prefix/share/proj``;
seen through a virtual environment or a QGIS profile's package folder that
prefix is not ``/usr`` and pyproj raises ``DataDirError`` on its first CRS.
Such a pyproj links the same PROJ library as QGIS, so QGIS's own PROJ search
paths (``QgsProjUtils.searchPaths()``, QGIS >= 3.14) hold the matching
``proj.db``; the interpreter's base prefix is the fallback.

Run as ``python -m qgis_plugin.proj_data`` it prints that folder (for shell
scripts that set ``PROJ_DATA``).
"""

import importlib.util
import os
import sys


def _qgis_search_paths():
    try:
        from qgis.core import QgsProjUtils
    except ImportError:
        return []
    return list(QgsProjUtils.searchPaths())


def proj_data_folder(search_paths=None):
    """The first folder holding ``proj.db`` among ``search_paths`` (default:
    QGIS's PROJ search paths), ``sys.base_prefix/share/proj`` and
    ``/usr/share/proj``; None if there is none."""
    candidates = list(_qgis_search_paths() if search_paths is None else search_paths)
    candidates += [os.path.join(sys.base_prefix, "share", "proj"), "/usr/share/proj"]
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "proj.db")):
            return folder
    return None


def _wheel_data(spec):
    """The data folder a pyproj wheel carries (``pyproj/proj_dir/share/proj``), or None."""
    for location in spec.submodule_search_locations or ():
        folder = os.path.join(location, "proj_dir", "share", "proj")
        if os.path.isfile(os.path.join(folder, "proj.db")):
            return folder
    return None


def _valid_environment_folder():
    for name in ("PROJ_DATA", "PROJ_LIB"):
        for folder in os.environ.get(name, "").split(os.pathsep):
            if folder and os.path.isfile(os.path.join(folder, "proj.db")):
                return folder
    return None


def ensure_proj_data(datadir=None, search_paths=None):
    """The data folder pyproj will use, made :func:`proj_data_folder` when
    pyproj has none of its own (a wheel's own data always wins); None without
    pyproj or without any PROJ data.

    pyproj is not imported here: a wheel's pyproj loads its own PROJ library,
    and loading it into QGIS 3.22's process at plugin start made
    ``qgis_process`` crash on exit. Before pyproj is imported, ``PROJ_DATA``
    is set (pyproj reads it when it first needs its data); once imported,
    ``pyproj.datadir.set_data_dir`` is called. ``datadir`` stands for
    ``pyproj.datadir`` in tests.
    """
    if datadir is None and "pyproj" not in sys.modules:
        spec = importlib.util.find_spec("pyproj")
        if spec is None:
            return None
        own = _wheel_data(spec) or _valid_environment_folder()
        if own is not None:
            return own
        folder = proj_data_folder(search_paths)
        if folder is not None:
            os.environ["PROJ_DATA"] = folder
        return folder
    if datadir is None:
        from pyproj import datadir
    try:
        return datadir.get_data_dir()
    except Exception as error:  # pyproj.exceptions.DataDirError, matched by name
        if type(error).__name__ != "DataDirError":
            raise
    folder = proj_data_folder(search_paths)
    if folder is not None:
        datadir.set_data_dir(folder)
    return folder


if __name__ == "__main__":
    found = proj_data_folder()
    if found is None:
        sys.exit("no PROJ data folder (proj.db) found")
    print(found)
