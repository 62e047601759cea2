"""Typed parameter and output declarations shared by the CLI and QGIS.

A declaration's ``name`` is the public QGIS parameter name (``ID_FIELD``); the
command line spells it ``--id-field``. Saved QGIS models and batch files
depend on these names: they never change once released.
"""

from dataclasses import dataclass
from typing import Any, Optional, Tuple


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    help: str = ""
    optional: bool = False
    default: Any = None

    @property
    def flag(self) -> str:
        """The command-line spelling of the name: ``ID_FIELD`` → ``--id-field``."""
        return "--" + self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class TableInput(Parameter):
    """A layer or table in long format (one row per unit and year).

    ``geometry`` says whether the tool needs polygons (spatial tools) or
    accepts any table.
    """

    geometry: bool = False


@dataclass(frozen=True)
class FieldInput(Parameter):
    """One field, or several with ``multiple``, of the table named by ``parent``."""

    parent: str = "INPUT"
    multiple: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class EnumInput(Parameter):
    """A choice among ``options``: (value, label) pairs; the value is what tools
    receive and what the command line takes."""

    options: Tuple[Tuple[str, str], ...] = ()

    @property
    def values(self) -> Tuple[str, ...]:
        return tuple(value for value, _ in self.options)


@dataclass(frozen=True)
class NumberInput(Parameter):
    integer: bool = False
    minimum: Optional[float] = None
    maximum: Optional[float] = None


@dataclass(frozen=True)
class BooleanInput(Parameter):
    default: bool = False


@dataclass(frozen=True)
class NumberListInput(Parameter):
    """Numbers separated by commas, e.g. system weights ``0.6,0.4``."""


@dataclass(frozen=True)
class TextInput(Parameter):
    pass


@dataclass(frozen=True)
class TableOutput(Parameter):
    """A table the tool returns as a DataFrame.

    With ``geometry_from`` set to an input's name, each output row's index is
    the position of the input row whose geometry it carries (several output
    rows may share one); writers attach that geometry. Otherwise the output
    is a plain table.
    """

    geometry_from: Optional[str] = None
