"""The tools, one module per family.

Every :class:`toolbox.tool.Tool` subclass with an ``id`` defined in a module
of this package is a tool: :data:`TOOLS` holds one instance of each, sorted
by ``order`` (then id), and the command line, the QGIS provider and the
translations are built from it. Adding a tool is adding a module here (or a
class to a module); nothing else is edited.
"""

import importlib
import inspect
import pkgutil

from ..tool import Tool


def _discovered():
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        # the module names are found at run time: a new tool is a new file
        module = importlib.import_module(f"{__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Tool) and cls.__module__ == module.__name__ and cls.id:
                found.append(cls())
    ids = [t.id for t in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise RuntimeError(f"two tools declare id {repeated[0]!r}")
    return tuple(sorted(found, key=lambda t: (t.order, t.id)))


TOOLS = _discovered()


def tool(tool_id: str):
    """The tool with id ``tool_id`` (without the ``ccd:`` prefix)."""
    for candidate in TOOLS:
        if candidate.id == tool_id:
            return candidate
    raise KeyError(tool_id)
