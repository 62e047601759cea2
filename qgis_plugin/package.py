"""The toolbox package, wherever it travels.

In the installed plugin ``toolbox`` (and the ``spatial`` core it uses) live
inside the plugin's own folder, so nothing is added to the top level of
QGIS's Python; in a checkout they are top-level packages beside this one.
"""

import importlib
import importlib.util


def _sibling(name: str):
    inside = f"{__package__}.{name}"
    if importlib.util.find_spec(inside) is not None:
        return importlib.import_module(inside)
    return importlib.import_module(name)


toolbox = _sibling("toolbox")
importlib.import_module(f"{toolbox.__name__}.tools")
tools = toolbox.tools
parameters = importlib.import_module(f"{toolbox.__name__}.parameters")
tool = importlib.import_module(f"{toolbox.__name__}.tool")
InputError = importlib.import_module(f"{toolbox.__name__}.core").InputError


def toolbox_module(name: str):
    """A module of the toolbox package, e.g. ``toolbox_module("charts")``."""
    return importlib.import_module(f"{toolbox.__name__}.{name}")
