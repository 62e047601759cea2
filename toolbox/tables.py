"""Reading and writing tables and layers for the command line.

A source is a path, optionally with a layer: ``cities.gpkg|layername=panel``.
CSV files are read with pandas; every other format goes through GDAL/OGR
(pyogrio). Tools see only the attribute table, indexed by row position; the
geometry stays here and is attached again to outputs that keep it.
"""

import os
from dataclasses import dataclass
from typing import Optional, Tuple

import pandas as pd

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


class TableIOError(Exception):
    """A file could not be read or written."""


@dataclass
class Layer:
    attributes: pd.DataFrame
    geometry: Optional[object] = None  # geopandas.GeoSeries aligned to attributes
    crs: Optional[object] = None


def split_source(source: str) -> Tuple[str, Optional[str]]:
    """``path|layername=name`` → (path, name); a plain path → (path, None)."""
    path, _, option = source.partition("|")
    layer = None
    if option:
        key, _, value = option.partition("=")
        if key.strip().lower() != "layername" or not value:
            raise TableIOError(f"cannot read {source!r}: after '|' expected 'layername=NAME'")
        layer = value
    return path, layer


def read_layer(source: str) -> Layer:
    path, layer = split_source(source)
    if not os.path.exists(path):
        raise TableIOError(f"input file not found: {path}")
    if path.lower().endswith(TEXT_SUFFIXES):
        sep = "\t" if path.lower().endswith(".tsv") else ","
        try:
            return Layer(pd.read_csv(path, sep=sep))
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            raise TableIOError(f"cannot read {path}: {error}") from error
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as error:  # pyogrio raises several GDAL-specific types
        raise TableIOError(f"cannot read {source}: {error}") from error
    geometry = getattr(frame, "geometry", None) if "geometry" in frame.columns else None
    attributes = pd.DataFrame(frame.drop(columns="geometry") if geometry is not None else frame)
    attributes = attributes.reset_index(drop=True)
    if geometry is not None:
        geometry = geometry.reset_index(drop=True)
    return Layer(attributes, geometry, getattr(frame, "crs", None))


def tool_table(layer: Layer, geometry: str, name: str):
    """What a tool receives for a table input declared with ``geometry``
    (see :class:`toolbox.parameters.TableInput`)."""
    if geometry == "none" or (geometry == "optional" and layer.geometry is None):
        return layer.attributes
    if layer.geometry is None:
        raise TableIOError(f"{name}: a polygon layer is needed, the file has no geometry")
    import geopandas

    return geopandas.GeoDataFrame(layer.attributes, geometry=layer.geometry.to_numpy(), crs=layer.crs)


def write_file(content, destination: str) -> None:
    """Write a tool's file output (text or bytes)."""
    mode, encoding = ("wb", None) if isinstance(content, bytes) else ("w", "utf-8")
    try:
        with open(destination, mode, encoding=encoding) as out:
            out.write(content)
    except OSError as error:
        raise TableIOError(f"cannot write {destination}: {error}") from error


def same_file(a: str, b: str) -> bool:
    a, b = split_source(a)[0], split_source(b)[0]
    if os.path.exists(a) and os.path.exists(b):
        return os.path.samefile(a, b)
    return os.path.abspath(a) == os.path.abspath(b)


def write_table(table: pd.DataFrame, destination: str, layer: Optional[Layer] = None,
                geometry: bool = False) -> None:
    """Write ``table`` to ``destination`` (format from its suffix).

    With ``geometry`` and a source ``layer`` that has geometry, each row gets
    the geometry of the source row its index names.
    """
    path, layer_name = split_source(destination)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise TableIOError(f"output folder does not exist: {directory}")
    if path.lower().endswith(TEXT_SUFFIXES):
        sep = "\t" if path.lower().endswith(".tsv") else ","
        table.to_csv(path, sep=sep, index=False)
        return
    import geopandas
    import pyogrio

    if geometry and layer is not None and layer.geometry is not None:
        frame = geopandas.GeoDataFrame(
            table.reset_index(drop=True),
            geometry=layer.geometry.take(table.index.to_numpy()).to_numpy(),
            crs=layer.crs)
    else:
        frame = table.reset_index(drop=True)
    if layer_name is None:
        layer_name = os.path.splitext(os.path.basename(path))[0]
    try:
        pyogrio.write_dataframe(frame, path, layer=layer_name)
    except Exception as error:
        raise TableIOError(f"cannot write {destination}: {error}") from error
