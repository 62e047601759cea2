"""The analysis core package, wherever it travels.

In a checkout ``spatial`` is a top-level package beside ``toolbox``; in the
installed QGIS plugin both live inside the plugin's own folder, so the core is
the sibling package of this one.
"""

import importlib

_parent, _, _ = __package__.rpartition(".")
spatial = importlib.import_module(f"{_parent}.spatial" if _parent else "spatial")
InputError = spatial.errors.InputError
