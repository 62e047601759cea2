"""The tools, one module per family.

Every :class:`toolbox.tool.Tool` subclass with an ``id`` defined in a module
of this package is a tool: :data:`TOOLS` holds one instance of each, sorted
by ``order`` (then id), and the command line, the QGIS provider and the
translations are built from it. Adding a tool is adding a module here (or a
class to a module); nothing else is edited.

Two ways in, so that ``ccd TOOL`` pays only for TOOL:

- :func:`catalog` lists (id, module, title, order) of every tool by reading
  the modules' source with :mod:`ast`, importing none of them: ``ccd --help``
  is built from it; :func:`entry` gives one tool's entry from the modules
  whose source names it (``ccd TOOL``), and :func:`tool` imports only the
  module of the tool it is asked for (a tool module may import
  scipy.sparse, PySAL, scikit-learn…);
- :data:`TOOLS` (computed on first use) imports every module and finds the
  classes; ``tests/toolbox/test_cli.py`` checks that both give the same list.

A tool class declares ``id``, ``order`` and ``title`` as plain literals in
its body (as all do) for :func:`catalog` to see them without running it.
"""

import ast
import importlib
import inspect
import os
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from ..tool import Tool

_instances: Dict[str, Tool] = {}


@dataclass(frozen=True)
class ToolEntry:
    """A tool as its module's source declares it."""

    id: str
    module: str
    title: str
    order: int


def _literals(cls: ast.ClassDef) -> Dict[str, object]:
    found = {}
    for statement in cls.body:
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and isinstance(statement.value, ast.Constant)):
            found[statement.targets[0].id] = statement.value.value
    return found


def refuse_repeated(names, message: str) -> None:
    """RuntimeError ``message 'name'`` for the first of ``names`` (sorted) found twice:
    two modules found by discovery must not claim the same name."""
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise RuntimeError(f"{message} {repeated[0]!r}")


@lru_cache(maxsize=None)
def catalog() -> Tuple[ToolEntry, ...]:
    """Every tool's entry, sorted by ``order`` then id, from the source of the
    modules of this package (none is imported)."""
    entries = [e for info in pkgutil.iter_modules(__path__) for e in _module_entries(info.name)]
    refuse_repeated([e.id for e in entries], "two tools declare id")
    return tuple(sorted(entries, key=lambda e: (e.order, e.id)))


def entry(tool_id: str) -> Optional[ToolEntry]:
    """:func:`catalog`'s entry of ``tool_id`` (None if no tool has it),
    parsing only the modules whose source holds the id in quotes: ``ccd
    TOOL`` needs one module's entry, and parsing every module costs 25 ms of
    a 0.35 s command. A module present only compiled, or an id declared
    twice, is left to :func:`catalog`."""
    folder = os.path.dirname(__file__)
    found = []
    for info in pkgutil.iter_modules(__path__):
        path = os.path.join(folder, info.name + ".py")
        if not os.path.isfile(path):
            return next((e for e in catalog() if e.id == tool_id), None)
        with open(path, "rb") as handle:
            source = handle.read()
        if any(quoted in source for quoted in (f'"{tool_id}"'.encode(), f"'{tool_id}'".encode())):
            found += [e for e in _module_entries(info.name, source) if e.id == tool_id]
    if len(found) > 1:
        return next((e for e in catalog() if e.id == tool_id), None)  # raises: declared twice
    return found[0] if found else None


def _module_entries(name: str, source: Optional[bytes] = None) -> List[ToolEntry]:
    """The entries of the tool classes of module ``name``, from its source
    (read here unless given), or from its classes when it has none."""
    path = os.path.join(os.path.dirname(__file__), name + ".py")
    if source is None and not os.path.isfile(path):  # compiled only: the classes themselves
        return [ToolEntry(t.id, name, t.title, t.order) for t in _module_tools(name)]
    if source is None:
        with open(path, "rb") as handle:
            source = handle.read()
    entries = []
    for node in ast.parse(source, path).body:
        if isinstance(node, ast.ClassDef):
            declared = _literals(node)
            if isinstance(declared.get("id"), str) and declared["id"]:
                entries.append(ToolEntry(declared["id"], name, str(declared.get("title", "")),
                                         int(declared.get("order", Tool.order))))
    return entries


def _module_tools(name: str):
    # the module names are found at run time: a new tool is a new file
    module = importlib.import_module(f"{__name__}.{name}")
    found = []
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if issubclass(cls, Tool) and cls.__module__ == module.__name__ and cls.id:
            found.append(_instances.setdefault(cls.id, cls()))
    return found


def _discovered():
    found = [t for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
             for t in _module_tools(info.name)]
    refuse_repeated([t.id for t in found], "two tools declare id")
    return tuple(sorted(found, key=lambda t: (t.order, t.id)))


def tool(tool_id: str) -> Tool:
    """The tool with id ``tool_id`` (without the ``ccd:`` prefix); imports
    its module only."""
    if tool_id not in _instances:
        found = entry(tool_id)
        if found is None:
            raise KeyError(tool_id)
        _module_tools(found.module)
    return _instances[tool_id]


def __getattr__(name):
    if name == "TOOLS":
        tools = _discovered()
        globals()["TOOLS"] = tools
        return tools
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
