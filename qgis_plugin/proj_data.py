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


def ensure_proj_data(datadir=None, search_paths=None):
    """The data folder pyproj uses, set to :func:`proj_data_folder` when pyproj
    finds none of its own (a wheel's own data always wins); None without
    pyproj or without any PROJ data. ``datadir`` is ``pyproj.datadir``
    (a parameter for tests)."""
    if datadir is None:
        try:
            from pyproj import datadir
        except ImportError:
            return None
    try:
        return datadir.get_data_dir()
    except Exception as error:  # pyproj.exceptions.DataDirError, whose import may fail alike
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
