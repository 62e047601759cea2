"""The tool base class and the feedback channel tools report through."""

from __future__ import annotations

import functools
import sys
from typing import Dict, Tuple

from spatial.errors import InputError

from .parameters import UNITS, UNITS_ID_FIELD, FieldInput, Parameter, TableInput, TableOutput


class Canceled(Exception):
    """The user asked the running tool to stop."""


class Feedback:
    """Progress, messages and cancellation for a running tool.

    This base class reports nothing and never cancels; the command line and the
    QGIS adapter pass subclasses that forward to a terminal or to
    ``QgsProcessingFeedback``.
    """

    def progress(self, fraction: float) -> None:
        """Report progress as a fraction in [0, 1]."""

    def info(self, message: str) -> None:
        """Report something the user should know about the result."""

    def warning(self, message: str) -> None:
        """Report a problem that did not stop the tool (dropped rows, undefined values)."""

    def canceled(self) -> bool:
        return False

    def check_canceled(self) -> None:
        if self.canceled():
            raise Canceled("canceled by the user")


class StreamFeedback(Feedback):
    """Feedback written to a text stream (stderr by default)."""

    def __init__(self, stream=None, quiet: bool = False):
        self._stream = stream or sys.stderr
        self._quiet = quiet
        self._last = -1

    def progress(self, fraction: float) -> None:
        percent = int(round(100 * max(0.0, min(1.0, fraction))))
        if not self._quiet and percent >= self._last + 10:
            self._last = percent
            print(f"  {percent:3d}%", file=self._stream)

    def info(self, message: str) -> None:
        if not self._quiet:
            print(message, file=self._stream)

    def warning(self, message: str) -> None:
        print(f"warning: {message}", file=self._stream)


class RecordingFeedback(Feedback):
    """Feedback that keeps every message, in order, in ``messages``."""

    def __init__(self):
        self.messages = []

    def info(self, message: str) -> None:
        self.messages.append(message)

    warning = info


class Tool:
    """A geoprocessing tool declared once for the command line and QGIS.

    Subclasses set the class attributes and implement :meth:`run`, which
    receives a dict of parameter values by name — tables as DataFrames whose
    index is the row position, fields as names (lists when ``multiple``),
    enums as their option value — and returns a dict of DataFrames by output
    name. ``run`` never modifies the tables it receives. ``order`` places the
    tool in ``ccd --help`` and the lists built from :data:`toolbox.tools.TOOLS`.

    A tool that takes a panel (a table ``INPUT`` with an ``ID_FIELD`` of it)
    also gets the optional parameters ``UNITS`` and ``UNITS_ID_FIELD``: the
    fields of that unit-level table or layer are joined to ``INPUT`` by unit id
    (:func:`spatial.unit_attributes.with_unit_attributes`) before ``run`` sees
    it, on the command line, in QGIS and in study steps alike — declared here
    once rather than in each tool.
    """

    id: str = ""
    array_layers: bool = False
    """True for a tool whose ``run`` takes polygon inputs as
    :class:`toolbox.tables.ArrayLayer` too (``columns``, ``layer[field]`` as a
    NumPy array, ``geometry``, ``crs``): the command line then reads them
    without pandas or geopandas when the tool writes no layer, and gives the
    tool its table outputs' destinations among the values (None: not asked
    for, so the tool may skip making that table)."""
    order: int = 1000
    title: str = ""
    group: str = ""
    group_id: str = ""
    help: str = ""
    parameters: Tuple[Parameter, ...] = ()
    outputs: Tuple[TableOutput, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        names = {p.name for p in cls.parameters}
        if takes_panel(cls.parameters) and "UNITS" not in names:
            cls.parameters = tuple(cls.parameters) + (UNITS, UNITS_ID_FIELD)
        if "run" in cls.__dict__:
            cls.run = _joining_unit_attributes(cls.__dict__["run"])

    def run(self, values: Dict[str, object], feedback: Feedback) -> Dict[str, "pd.DataFrame"]:
        raise NotImplementedError

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters + self.outputs:
            if parameter.name == name:
                return parameter
        raise KeyError(name)


def takes_panel(parameters) -> bool:
    """Whether a tool's parameters hold a table ``INPUT`` and an ``ID_FIELD`` of it."""
    return (any(isinstance(p, TableInput) and p.name == "INPUT" for p in parameters)
            and any(isinstance(p, FieldInput) and p.name == "ID_FIELD" and p.parent == "INPUT"
                    for p in parameters))


def with_units_joined(values: Dict[str, object], feedback: Feedback) -> Dict[str, object]:
    """A tool's values with the fields of ``UNITS`` joined onto ``INPUT`` by ``ID_FIELD``
    (``UNITS_ID_FIELD`` in ``UNITS``); unchanged without ``UNITS``.

    Raises InputError when ``ID_FIELD`` is not given, ``UNITS`` repeats a unit
    id or lacks a unit of the input, or a field in both differs.
    """
    units = values.get("UNITS")
    if units is None or values.get("INPUT") is None:
        return values
    id_field = values.get("ID_FIELD")
    if not id_field:
        raise InputError("UNITS (unit attributes) needs ID_FIELD, the unit id field of the input")
    from spatial.unit_attributes import with_unit_attributes

    joined, added, shared = with_unit_attributes(
        values["INPUT"], units, id_field, values.get("UNITS_ID_FIELD"),
        year_field=values.get("YEAR_FIELD"))
    feedback.info(f"fields of UNITS joined by {id_field}: " + (", ".join(map(str, added)) or "none")
                  + (f" (already in the input with the same values: {', '.join(map(str, shared))})"
                     if shared else ""))
    return {**values, "INPUT": joined, "UNITS": None}


def _joining_unit_attributes(run):
    """``run`` preceded by :func:`with_units_joined`."""
    @functools.wraps(run)
    def joined_run(self, values, feedback):
        return run(self, with_units_joined(values, feedback), feedback)
    return joined_run
