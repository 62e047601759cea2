"""Many layers written into one GeoPackage quickly: the writer of a study's ``study.gpkg``.

:func:`write_layers` writes each (name, table) in turn with pyogrio, the same
library and file as one ``pyogrio.write_dataframe`` call per layer, but

- through GDAL's Arrow interface (pyogrio ``use_arrow=True``) where pyarrow is
  installed: the columns go to GDAL as Arrow arrays instead of feature by
  feature (the 2,500-cell × 13-year study's 48 layers: 3.1 -> 1.4 s CPU; its
  unit-year layer of 32,500 polygons × 56 fields 1.29 -> 0.50 s). Not for
  layers of detailed polygons (more than :data:`ARROW_MAX_COORDINATES` vertices
  per feature on average): there the Arrow path took twice the time (the
  demo's 3,848 unit-years with unsimplified city boundaries, 5,200 vertices
  each: 4.2 s against 2.2 s). A layer the Arrow path does not take (a column
  type pyarrow cannot convert) is written by the classic writer instead;
- a layer whose rows repeat the geometries of a few units (a study's
  ``results``: each unit once a year) can be given as an
  :class:`IndexedLayer`: each unit's geometry is encoded (WKB) once and
  repeated by index, and the rows go to GDAL as a stream of Arrow batches of
  :data:`BATCH_ROWS` rows instead of a whole-table GeoDataFrame and Arrow
  copy (the 40,000-cell × 13-year study's 520,000 rows × 56 fields: no 2 GB
  GeoDataFrame copy, 40,000 WKB instead of 520,000). Where that path does not
  apply (no pyarrow, detailed polygons, mixed geometry types, a column kind
  it does not take) the layer is made whole and written as any other. A
  table without geometry of more than one batch goes to GDAL as such a
  stream too (the study's LISA and hot-spot tables: one row a unit-year);
- with SQLite's synchronous mode off while writing (GDAL's
  ``OGR_SQLITE_SYNCHRONOUS=OFF``): SQLite then does not wait for the disk at
  each of the dozens of transactions a layer takes (table, metadata, rows,
  spatial index); the file is flushed to disk once at the end (``os.fsync``),
  so it is as durable when the call returns.

Field names, types and values read back are those of the classic writer
(tests/toolbox/test_geopackage.py).
"""

import os
import warnings
from dataclasses import dataclass
from typing import Iterable, Tuple, Union

import numpy as np
import pandas as pd

__all__ = ["IndexedLayer", "write_layers"]

#: Mean vertices per feature above which a layer is written by the classic writer.
ARROW_MAX_COORDINATES = 1_000
#: Rows of an IndexedLayer converted to Arrow and handed to GDAL at a time.
BATCH_ROWS = 65_536
#: GDAL configuration set while the layers are written.
WRITE_OPTIONS = {"OGR_SQLITE_SYNCHRONOUS": "OFF"}


@dataclass
class IndexedLayer:
    """A layer whose row ``i`` has the attributes ``attributes.iloc[i]`` and the
    geometry ``geometries.iloc[index[i]]`` (``index[i] == -1``: none);
    ``geometries`` a GeoSeries with the layer's CRS."""
    attributes: pd.DataFrame
    geometries: object
    index: np.ndarray

    def whole(self):
        """The layer as one GeoDataFrame (a copy of every row's geometry)."""
        import geopandas

        geometries = np.append(self.geometries.to_numpy(), None)
        return geopandas.GeoDataFrame(self.attributes, geometry=geometries[self.index],
                                      crs=self.geometries.crs)


def _arrow_available() -> bool:
    try:
        import pyarrow  # noqa: F401  (optional; pyogrio needs it for use_arrow)
    except ImportError:
        return False
    return True


def write_layers(path: str, layers: Iterable[Tuple[str, Union[pd.DataFrame, IndexedLayer]]]) -> None:
    """Write every ``(layer name, table)`` of ``layers`` into the GeoPackage
    ``path`` (created when absent), in order; a GeoDataFrame keeps its
    geometry and CRS, an IndexedLayer is written as its :meth:`~IndexedLayer.whole`
    GeoDataFrame would be, a plain DataFrame becomes a table without geometry.
    Errors are pyogrio's (the caller names the file)."""
    import pyogrio

    arrow = _arrow_available()
    saved = {name: pyogrio.get_gdal_config_option(name) for name in WRITE_OPTIONS}
    pyogrio.set_gdal_config_options(WRITE_OPTIONS)
    try:
        for name, table in layers:
            _write_layer(pyogrio, path, name, table, arrow)
    finally:
        pyogrio.set_gdal_config_options(saved)
    if os.path.exists(path):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _detailed(table) -> bool:
    """Whether ``table`` has polygons of more than ARROW_MAX_COORDINATES vertices on average."""
    import geopandas
    import shapely

    if not isinstance(table, geopandas.GeoDataFrame) or not len(table):
        return False
    return shapely.get_num_coordinates(table.geometry.to_numpy()).mean() > ARROW_MAX_COORDINATES


def _write_layer(pyogrio, path, name, table, arrow):
    if isinstance(table, IndexedLayer):
        if arrow and _streamed(_write_indexed, pyogrio, path, name, table):
            return
        table = table.whole()
    elif arrow and _long_table(table) and _streamed(_write_stream, pyogrio, path, name, table):
        return
    arrow = arrow and not _detailed(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's notes on field types; the classic writer's too
        if arrow:
            try:
                pyogrio.write_dataframe(table, path, layer=name, driver="GPKG", use_arrow=True)
                return
            except OSError:
                raise
            except Exception:  # a column type the Arrow path does not take: the classic writer,
                # over whatever the attempt left of the layer
                pyogrio.write_dataframe(table, path, layer=name, driver="GPKG",
                                        layer_options={"OVERWRITE": "YES"})
                return
        pyogrio.write_dataframe(table, path, layer=name, driver="GPKG")


def _streamed(write, *args) -> bool:
    """Whether ``write(*args)`` wrote the layer as a stream (it returns False
    where the layer is not one it takes). A pyogrio or GDAL without Arrow
    writing also gives False: the caller then writes the whole layer, over
    any part written. An OSError (disk, permissions) is raised."""
    try:
        return write(*args) is not False
    except OSError:
        raise
    except Exception:
        return False


def _write_indexed(pyogrio, path, name, layer: IndexedLayer) -> bool:
    """Write ``layer`` as a stream of Arrow batches, each unit's WKB encoded
    once; False (nothing written) where the layer is not one this path takes:
    no rows, detailed or missing geometries, not exactly one geometry type
    (pyogrio would promote Polygon and MultiPolygon to MultiPolygon), or a
    column whose Arrow type pyogrio would change (dates, mixed objects)."""
    import pyarrow as pa
    import shapely
    from geopandas.array import to_wkb

    attributes, index = layer.attributes, np.asarray(layer.index)
    if not len(attributes) or "geometry" in attributes.columns or (index < 0).any():
        return False
    used = np.unique(index)
    geometries = layer.geometries.to_numpy()[used]
    if shapely.is_missing(geometries).any() or shapely.is_empty(geometries).any():
        return False
    kinds = np.unique(shapely.get_type_id(geometries))
    if len(kinds) != 1 or shapely.has_z(geometries).any():
        return False
    coordinates = shapely.get_num_coordinates(layer.geometries.to_numpy())
    if coordinates[index].mean() > ARROW_MAX_COORDINATES:
        return False
    if not all(_plain_arrow_column(attributes[column]) for column in attributes.columns):
        return False
    crs = layer.geometries.crs
    epsg = crs.to_epsg() if crs else None
    _write_stream(pyogrio, path, name, attributes, geometry=(
        pa.array(to_wkb(layer.geometries.values), type=pa.binary()), index, geometries[0].geom_type,
        f"EPSG:{epsg}" if epsg else crs.to_wkt("WKT1_GDAL") if crs else None))
    return True


def _write_stream(pyogrio, path, name, attributes: pd.DataFrame, geometry=None) -> None:
    """Write ``attributes`` as a stream of Arrow batches of BATCH_ROWS rows,
    with ``geometry`` = (WKB of each unit, row -> unit, geometry type, CRS)
    or none; column types are the first batch's, a column of nulls text."""
    import pyarrow as pa

    first = pa.RecordBatch.from_pandas(attributes.iloc[:BATCH_ROWS], preserve_index=False)
    fields = pa.schema([_text_if_null(pa, field) for field in first.schema])
    schema = fields.append(pa.field("geometry", pa.binary())) if geometry else fields

    def batches():
        for start in range(0, len(attributes), BATCH_ROWS):
            rows = slice(start, start + BATCH_ROWS)
            batch = pa.RecordBatch.from_pandas(attributes.iloc[rows], schema=fields, preserve_index=False)
            if geometry:
                batch = pa.RecordBatch.from_arrays(
                    batch.columns + [geometry[0].take(pa.array(geometry[1][rows]))], schema=schema)
            yield batch

    options = dict(geometry_name="geometry", geometry_type=geometry[2], crs=geometry[3]) if geometry else {}
    pyogrio.write_arrow(pa.RecordBatchReader.from_batches(schema, batches()), path, layer=name,
                        driver="GPKG", **options)


def _long_table(table) -> bool:
    """A table without geometry of more than one batch whose every column the stream takes."""
    import geopandas

    return (not isinstance(table, geopandas.GeoDataFrame) and len(table) > BATCH_ROWS
            and "geometry" not in table.columns
            and all(_plain_arrow_column(table[column]) for column in table.columns))


def _text_if_null(pa, field):
    """A field of nulls as text, as pyogrio writes it (GDAL has no null type)."""
    if pa.types.is_null(field.type):
        return field.with_type(pa.string())
    if pa.types.is_dictionary(field.type) and pa.types.is_null(field.type.value_type):
        return field.with_type(pa.dictionary(field.type.index_type, pa.string()))
    return field


def _plain_arrow_column(column: pd.Series) -> bool:
    """Whether pyogrio hands ``column`` to GDAL as pandas converts it to Arrow
    (it converts dates and mixed objects to text first)."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "biuf":
            return True
        return dtype == object and pd.api.types.infer_dtype(column) in ("string", "empty")
    if isinstance(dtype, pd.CategoricalDtype):
        return _plain_arrow_column(pd.Series(dtype.categories))
    return isinstance(dtype, (pd.StringDtype, pd.BooleanDtype)) or (
        dtype.kind in "iuf" and hasattr(column.array, "_mask"))
