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
    advanced: bool = False  # shown under "Advanced parameters" in QGIS

    @property
    def flag(self) -> str:
        """The command-line spelling of the name: ``ID_FIELD`` → ``--id-field``."""
        return "--" + self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class TableInput(Parameter):
    """A layer or table.

    ``geometry``: ``"none"`` — the tool receives the attribute table as a
    DataFrame (any layer or plain table is accepted); ``"optional"`` — a
    GeoDataFrame when the layer has geometry, else a DataFrame;
    ``"polygon"`` — a polygon layer, received as a GeoDataFrame.
    """

    geometry: str = "none"


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
class FileInput(Parameter):
    """A file the tool reads itself (e.g. a GeoDa .gal / .gwt weights file);
    ``extensions`` without dots."""

    extensions: Tuple[str, ...] = ()


@dataclass(frozen=True)
class TableOutput(Parameter):
    """A table the tool returns as a DataFrame.

    With ``geometry_from`` naming inputs (the first one given with geometry
    is used), each output row's index is the position of the row of that
    input whose geometry it carries (several output rows may share one);
    writers attach that geometry. Otherwise the output is a plain table.
    ``style`` names how QGIS styles the layer it loads (``"lisa"``, ``"tier"``).
    ``geometry`` (``"Point"``, ``"LineString"``, ``"Polygon"``): the tool makes
    new geometries (centres, paths, ellipses) and returns a GeoDataFrame of
    that type, with its CRS; writers use those geometries.
    """

    geometry_from: Tuple[str, ...] = ()
    style: Optional[str] = None
    geometry: str = ""


@dataclass(frozen=True)
class FileOutput(Parameter):
    """A file whose content (text or bytes) the tool returns, e.g. a weights
    file or a PNG chart; ``extension`` without the dot."""

    extension: str = ""


@dataclass(frozen=True)
class FolderOutput(Parameter):
    """A folder the tool writes several files into; the tool receives its path."""


@dataclass(frozen=True)
class PathOutput(Parameter):
    """A path the tool returns after writing it itself: ``kind`` ``"file"`` (e.g.
    an HTML report) or ``"layer"`` (``file.gpkg|layername=NAME``, which QGIS
    loads, styled with ``style``). Not a command-line argument."""

    kind: str = "file"
    style: Optional[str] = None


# Given to every tool that takes a panel (an INPUT with an ID_FIELD); see toolbox.tool.Tool.
UNITS = TableInput(
    "UNITS", "Unit attributes (a table or polygon layer, one row per unit)", optional=True,
    advanced=True,
    help="Fields of this table or layer (region, province, agglomeration…) are joined to every "
         "row of the input by unit id before the tool runs, so that any field parameter may name "
         "them as if they were in the input.")
UNITS_ID_FIELD = FieldInput(
    "UNITS_ID_FIELD", "Unit id field of the unit attributes (default: the unit id field)",
    parent="UNITS", optional=True, advanced=True)
