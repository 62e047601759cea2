"""The tool base class and the feedback channel tools report through."""

import sys
from typing import Dict, Tuple

import pandas as pd

from .parameters import Parameter, TableOutput


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
    """

    id: str = ""
    order: int = 1000
    title: str = ""
    group: str = ""
    group_id: str = ""
    help: str = ""
    parameters: Tuple[Parameter, ...] = ()
    outputs: Tuple[TableOutput, ...] = ()

    def run(self, values: Dict[str, object], feedback: Feedback) -> Dict[str, pd.DataFrame]:
        raise NotImplementedError

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters + self.outputs:
            if parameter.name == name:
                return parameter
        raise KeyError(name)
