"""Conversion between QGIS feature sources / sinks and pandas tables.

Tools see attributes only, indexed by feature position; geometries stay in a
list here and are written back to the output rows whose index names them.
"""

import math
from typing import List, Optional, Tuple

import numpy as np
import pandas as pd
from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsField, QgsFields, QgsGeometry,
                       QgsWkbTypes)
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

from .compat import FAST_INSERT, NO_GEOMETRY, field_type


def python_value(value):
    """A QGIS attribute as a plain Python value (NULL → None)."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toString("yyyy-MM-ddTHH:mm:ss")
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd")
    return value


def source_table(source, feedback=None) -> Tuple[pd.DataFrame, Optional[List]]:
    """The attribute table of ``source`` and its geometries (None for a table)."""
    names = source.fields().names()
    has_geometry = source.wkbType() != NO_GEOMETRY
    rows, geometries = [], []
    total = max(source.featureCount(), 1)
    for number, feature in enumerate(source.getFeatures()):
        if feedback is not None and feedback.isCanceled():
            break
        rows.append([python_value(v) for v in feature.attributes()])
        geometries.append(feature.geometry())
        if feedback is not None and number % 5000 == 0:
            feedback.setProgress(5 * number / total)
    table = pd.DataFrame(rows, columns=names)
    return table.infer_objects(), (geometries if has_geometry else None)


def geodataframe(table: pd.DataFrame, geometries: List, crs):
    """``table`` with ``geometries`` (QgsGeometry) as a GeoDataFrame in ``crs``."""
    import geopandas
    import shapely

    shapes = shapely.from_wkb([bytes(g.asWkb()) if not g.isNull() else None for g in geometries])
    authid = crs.authid() if crs is not None and crs.isValid() else ""
    crs_text = authid or (crs.toWkt() if crs is not None and crs.isValid() else None)
    return geopandas.GeoDataFrame(table, geometry=shapes, crs=crs_text or None)


def made_geometry(frame, geometry_type: str):
    """(attributes, geometries, wkb type, CRS) for a sink from a GeoDataFrame
    whose geometries a tool made (``geometry_type``: Point, LineString, Polygon)."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    geometries = [QgsGeometry.fromWkt(shape.wkt) if shape is not None else QgsGeometry()
                  for shape in frame.geometry]
    crs = QgsCoordinateReferenceSystem(frame.crs.to_wkt()) if frame.crs is not None \
        else QgsCoordinateReferenceSystem()
    return table, geometries, QgsWkbTypes.parseType(geometry_type), crs


def _kind(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


def table_fields(table: pd.DataFrame) -> QgsFields:
    fields = QgsFields()
    for name in table.columns:
        fields.append(QgsField(str(name), field_type(_kind(table[name]))))
    return fields


def _plain(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return str(value)


def write_table(sink, table: pd.DataFrame, fields: QgsFields, geometries=None, feedback=None) -> None:
    """Add one feature per row of ``table`` to ``sink``, with the geometry of
    the source feature its index names when ``geometries`` are given."""
    positions = table.index.to_numpy()
    total = max(len(table), 1)
    for number, row in enumerate(table.itertuples(index=False, name=None)):
        feature = QgsFeature(fields)
        feature.setAttributes([_plain(v) for v in row])
        if geometries is not None:
            feature.setGeometry(geometries[int(positions[number])])
        sink.addFeature(feature, FAST_INSERT)
        if feedback is not None and number % 5000 == 0:
            if feedback.isCanceled():
                break
            feedback.setProgress(95 + 5 * number / total)
