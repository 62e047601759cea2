"""Every tool's declaration as plain data, to be read without importing any tool module.

QGIS asks a Processing provider for each algorithm's name, title, group,
parameters and help when the provider loads (``QgsProcessingProvider::
addAlgorithm`` calls ``initAlgorithm`` at once, for the toolbox, batch mode
and the modeler to query), so the plugin needs every tool's declaration at
QGIS's start-up — and the tool modules import pandas, SciPy, PySAL,
scikit-learn. ``declarations.json`` holds what :data:`toolbox.tools.TOOLS`
declares (id, order, title, group, help, parameters and outputs, each
parameter as its :mod:`toolbox.parameters` class name and fields),
generated from the tools themselves when the plugin zip is built
(``scripts/build_plugin.py``, as the compiled translations are) — it is not
kept in the repository. :func:`declared_tools` reads it back into
:class:`Declaration` objects whose parameters compare equal to the tools'
own; where there is no file (a source tree), the plugin loads the tools
themselves. ``CCD_DECLARATIONS`` names another file (the tests generate one);
``python scripts/tool_declarations.py update`` writes one beside this module
for a plugin run from a source tree.

JSON rather than a generated Python module: the file is data that the
plugin build ships unchanged, and nothing in it can run.
"""

import json
import os
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Optional, Tuple

from . import parameters

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "declarations.json")
KINDS = {cls.__name__: cls for cls in (
    parameters.TableInput, parameters.FieldInput, parameters.EnumInput, parameters.NumberInput,
    parameters.BooleanInput, parameters.NumberListInput, parameters.TextInput,
    parameters.FileInput, parameters.TableOutput, parameters.FileOutput,
    parameters.FolderOutput, parameters.PathOutput)}


@dataclass(frozen=True)
class Declaration:
    """What a tool declares, without its ``run``: the attributes of
    :class:`toolbox.tool.Tool` that titles, help and parameter lists are made of."""

    id: str
    module: str
    order: int
    title: str
    group: str
    group_id: str
    help: str
    parameters: Tuple[parameters.Parameter, ...]
    outputs: Tuple[parameters.Parameter, ...]


def declaration(tool) -> Declaration:
    """The :class:`Declaration` of a :class:`toolbox.tool.Tool` instance."""
    return Declaration(tool.id, type(tool).__module__.rsplit(".", 1)[-1], tool.order, tool.title,
                       tool.group, tool.group_id, tool.help, tuple(tool.parameters),
                       tuple(tool.outputs))


def _parameter_data(parameter) -> dict:
    kind = type(parameter).__name__
    if KINDS.get(kind) is not type(parameter):
        raise TypeError(f"{parameter.name}: {kind} is not a toolbox.parameters declaration")
    # "class" is a keyword, so no declaration field can be called so (PathOutput has a "kind")
    return {"class": kind, **{f.name: getattr(parameter, f.name) for f in fields(parameter)}}


def _tuples(value):
    # JSON has lists only; the declarations hold tuples (options, extensions, geometry_from)
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _parameter(data: dict):
    values = {name: _tuples(value) for name, value in data.items() if name != "class"}
    return KINDS[data["class"]](**values)


def as_data(item: Declaration) -> dict:
    """``item`` as JSON-ready data (parameters as their class name and fields)."""
    data = {f.name: getattr(item, f.name) for f in fields(item)}
    data["parameters"] = [_parameter_data(p) for p in item.parameters]
    data["outputs"] = [_parameter_data(p) for p in item.outputs]
    return data


def from_data(data: dict) -> Declaration:
    """The :class:`Declaration` that :func:`as_data` made ``data`` of."""
    return Declaration(**{**data, "parameters": tuple(_parameter(p) for p in data["parameters"]),
                          "outputs": tuple(_parameter(p) for p in data["outputs"])})


def declarations_text(tools) -> str:
    """The content of ``declarations.json`` for ``tools`` (in their order)."""
    return json.dumps([as_data(declaration(t)) for t in tools], ensure_ascii=False, indent=1) + "\n"


def declared_tools(path: Optional[str] = None) -> Tuple[Declaration, ...]:
    """Every tool's :class:`Declaration` from ``path`` (default: ``CCD_DECLARATIONS``,
    else :data:`PATH`), in :data:`toolbox.tools.TOOLS` order; () when the file is
    absent (then only the tools themselves can tell)."""
    return _declared(path or os.environ.get("CCD_DECLARATIONS") or PATH)


@lru_cache(maxsize=None)
def _declared(path: str) -> Tuple[Declaration, ...]:
    if not os.path.exists(path):
        return ()
    with open(path, encoding="utf-8") as handle:
        return tuple(from_data(item) for item in json.load(handle))
