"""Reading a source layer from its file, and writing a sink's GeoPackage, with pyogrio.

QGIS hands a layer over one QgsFeature at a time and takes an output the same
way: for ``ccd:localmoran`` on 40,000 polygons that was 2.4 s to read and 4.5 s
to write, beside 1.8 s for the statistic (cProfile of ``processing.run``,
issue 13); through pyogrio 0.5 s and 0.9 s. These functions do it in one call
each, and only where QGIS would add nothing: a plain file-backed OGR layer read
in full (no selection, filter, feature limit or unsaved edits; geometries
valid or not checked), and a sink that is a new GeoPackage file. Everything
else returns None and goes through QGIS's feature iteration and sink
(``layers.py``). Inside QGIS (``qgis_process``, the desktop) the GDAL and GEOS
that answer pyogrio and shapely are QGIS's own, which QGIS loaded first."""

import os
import warnings

import numpy as np
import pandas as pd
from qgis.core import (QgsProcessing, QgsProcessingFeatureSourceDefinition,
                       QgsProcessingOutputLayerDefinition, QgsProviderRegistry, QgsWkbTypes)
from qgis.PyQt.QtCore import QVariant

from toolbox.atomic import atomic_file

from .compat import GEOMETRY_NO_CHECK, NO_GEOMETRY, SOURCE_OWN_GEOMETRY_CHECK, is_plain_field
from .layers import wkb_of

#: the formats read directly; a CSV file as QGIS's OGR provider opens it (text fields)
READ_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".csv")


def _text(value):
    return None if value is None or (isinstance(value, QVariant) and value.isNull()) else str(value)


def _reads_everything(value) -> bool:
    """False when a source parameter's value asks for part of the layer or its own geometry check."""
    if not isinstance(value, QgsProcessingFeatureSourceDefinition):
        return True
    return not (value.selectedFeaturesOnly or value.featureLimit != -1
                or bool(value.flags & SOURCE_OWN_GEOMETRY_CHECK)
                or getattr(value, "filterExpression", ""))


def file_of(value, layer):
    """(path, layer name or None) of the file ``layer`` (the source parameter's
    ``value`` resolved) reads in full, or None where QGIS must iterate it."""
    if layer is None or not _reads_everything(value) or layer.providerType() != "ogr":
        return None
    if layer.subsetString() or layer.isEditable():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, name = _text(parts.get("path")), _text(parts.get("layerName"))
    if (not path or not os.path.isfile(path) or not path.lower().endswith(READ_SUFFIXES)
            or _text(parts.get("subset")) or _text(parts.get("geometryType"))
            or (name is None and _text(parts.get("layerId")))):
        return None
    if not all(is_plain_field(field) for field in layer.fields()):
        return None  # pyogrio gives dates and times other types than QGIS's iteration
    return path, name


def _layout(database: str):
    """(major, minor) of a PROJ database's layout version."""
    import sqlite3

    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = dict(connection.execute(
            "SELECT key, value FROM metadata WHERE key LIKE 'DATABASE.LAYOUT.VERSION.%'").fetchall())
    return int(rows["DATABASE.LAYOUT.VERSION.MAJOR"]), int(rows["DATABASE.LAYOUT.VERSION.MINOR"])


def _qgis_proj_database():
    """The proj.db QGIS's PROJ reads (the first on its search path), or None."""
    from qgis.core import QgsProjUtils

    for folder in QgsProjUtils.searchPaths():
        if os.path.isfile(os.path.join(folder, "proj.db")):
            return os.path.join(folder, "proj.db")
    return None


def pyogrio_usable() -> bool:
    """Whether pyogrio may be imported in QGIS's process. A pyogrio wheel
    brings its own PROJ database and points PROJ at it on import; QGIS's PROJ
    answers there and refuses a database of an older layout than its own
    ("Could not correctly detect PROJ data files": QGIS 3.44 with PROJ 9.9 on
    Debian sid, a wheel's PROJ 9.8 database), which breaks every coordinate
    operation after it. So: a pyogrio built against the system's PROJ, or a
    wheel whose database layout is not older than that of QGIS's proj.db."""
    if _USABLE:
        return _USABLE[0]
    import importlib.util

    usable = False
    spec = importlib.util.find_spec("pyogrio")
    if spec is not None and spec.origin:
        database = os.path.join(os.path.dirname(spec.origin), "proj_data", "proj.db")
        if not os.path.isfile(database):
            usable = True
        else:
            try:
                system = _qgis_proj_database()
                usable = system is not None and _layout(database) >= _layout(system)
            except Exception:  # noqa: BLE001 (an unreadable database: do not touch PROJ)
                usable = False
    _USABLE.append(usable)
    return usable


_USABLE = []


def read_source(value, layer, source, check):
    """(attribute table, shapely geometries or None) of a source read from its
    file, the same columns, order and values as :func:`layers.source_table`; None
    when it must be iterated by QGIS instead: not a plain file (:func:`file_of`),
    a file pyogrio cannot read, M values, a column pyogrio names otherwise, or
    an invalid geometry while ``check`` (the context's invalid-geometry check)
    is on — QGIS then skips it or stops with its own message.

    Validity is GEOS's, as QGIS's check (``QgsGeometry.isGeosValid``)."""
    found = file_of(value, layer)
    if found is None or not pyogrio_usable():
        return None
    import pyogrio
    import shapely

    path, name = found
    has_geometry = source.wkbType() != NO_GEOMETRY
    if QgsWkbTypes.hasM(source.wkbType()):
        return None  # shapely before 2.1 (and GEOS before 3.12) cannot hold M values
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(path, layer=name, fid_as_index=True,
                                           read_geometry=has_geometry, use_arrow=_has_arrow())
    except Exception:  # noqa: BLE001 (what GDAL through pyogrio cannot open, QGIS still iterates)
        return None
    geometries = None
    if has_geometry:
        geometries = _as_multi(frame.geometry.to_numpy(), source.wkbType())
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        if check != GEOMETRY_NO_CHECK:
            present = ~shapely.is_missing(geometries)
            if not shapely.is_valid(geometries[present]).all():
                return None
    names = source.fields().names()
    key = frame.index.name or "fid"
    if key in names and key not in frame.columns:
        frame.insert(0, key, frame.index.to_numpy())
    if list(frame.columns) != names or len(frame) != source.featureCount():
        return None
    table = frame.reset_index(drop=True)
    for column in table.columns:
        if pd.api.types.is_integer_dtype(table[column].dtype):
            table[column] = table[column].astype(np.int64)
    return table, geometries


def _has_arrow() -> bool:
    try:
        import pyarrow  # noqa: F401  (optional; GDAL's Arrow interface is faster)
    except ImportError:
        return False
    return True


def geopackage_destination(value, context):
    """The path of the new GeoPackage a sink parameter's ``value`` names, when
    QGIS's sink would write just that file (a plain ``.gpkg`` path, UTF-8); None
    for a temporary layer, a layer of an existing GeoPackage (``ogr:`` URIs),
    a database or another format."""
    if not pyogrio_usable():
        return None
    options = {}
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        options = value.createOptions or {}
        value, _ = value.sink.valueAsString(context.expressionContext(), "")
    if not isinstance(value, str) or value == QgsProcessing.TEMPORARY_OUTPUT:
        return None
    if str(options.get("fileEncoding") or "UTF-8").upper().replace("-", "") != "UTF8":
        return None
    if "|" in value or not value.lower().endswith(".gpkg") or value.startswith(("ogr:", "memory:")):
        return None
    return value


def writable_table(table: pd.DataFrame) -> bool:
    """True when pyogrio writes every column with the field type and values of
    :func:`layers.table_fields` / :func:`layers.write_table`: plain NumPy
    bool, integer and float columns, and text; no column GDAL would take as
    the GeoPackage's feature id or geometry."""
    for name in table.columns:
        if str(name).lower() in ("fid", "geom", "geometry"):
            return False
        dtype = table[name].dtype
        if not (dtype == object or (isinstance(dtype, np.dtype) and dtype.kind in "biuf")):
            return False
    return True


def _as_text(column: pd.Series) -> pd.Series:
    """Text as the QGIS sink gets it (``str(value)``, missing values NULL)."""
    missing = column.isna().to_numpy()
    return pd.Series(np.where(missing, None, column.astype(str).to_numpy()), index=column.index,
                     dtype=object)


def _as_multi(geometries: np.ndarray, wkb_type) -> np.ndarray:
    """Single-part geometries made multi-part when ``wkb_type`` is multi-part, as
    QGIS does reading a Shapefile (MultiPolygon) and writing to a declared type."""
    import shapely

    flat = QgsWkbTypes.flatType(wkb_type)
    if not QgsWkbTypes.isMultiType(flat):
        return geometries
    single = QgsWkbTypes.displayString(QgsWkbTypes.singleType(flat))
    part = {"Point": 0, "LineString": 1, "Polygon": 3}.get(single)
    promote = shapely.get_type_id(geometries) == part
    if not promote.any():
        return geometries
    make = {0: shapely.multipoints, 1: shapely.multilinestrings, 3: shapely.multipolygons}[part]
    geometries = geometries.copy()
    rows = np.flatnonzero(promote)
    geometries[rows] = make(geometries[rows], indices=np.arange(len(rows)))
    return geometries


def _declared(geometries, wkb_type):
    """(geometries, pyogrio geometry type) for ``wkb_type``; None for a type with M."""
    if QgsWkbTypes.hasM(wkb_type):
        return None
    name = QgsWkbTypes.displayString(QgsWkbTypes.flatType(wkb_type))
    return _as_multi(geometries, wkb_type), name + (" Z" if QgsWkbTypes.hasZ(wkb_type) else "")


def write_geopackage(table: pd.DataFrame, geometries, wkb_type, crs, destination: str) -> bool:
    """Write ``table`` (each row with the geometry of ``geometries`` its index
    names, of ``wkb_type`` in the QGIS ``crs``; or none) as the one layer of a
    new GeoPackage at ``destination``, named after the file as QGIS names it,
    replacing any file there, atomically. False, with nothing written, for a
    geometry type with M values.

    pyogrio's classic writer, given WKB: inside QGIS the GDAL that answers is
    QGIS's own (3.6 on QGIS 3.22: no Arrow writing) and the GEOS QGIS's
    (:func:`layers.wkb_of`)."""
    import pyogrio.raw

    positions = table.index.to_numpy()
    frame = table.reset_index(drop=True)
    options = {}
    wkb = None
    if geometries is not None:
        declared = _declared(np.asarray(geometries, dtype=object)[positions], wkb_type)
        if declared is None:
            return False
        shapes, options["geometry_type"] = declared
        wkb = wkb_of(shapes)
        authid = crs.authid() if crs.isValid() else ""
        options["crs"] = authid or (crs.toWkt() if crs.isValid() else None)
    columns = [_as_text(frame[name]).to_numpy() if frame[name].dtype == object
               else frame[name].to_numpy() for name in frame.columns]
    layer = os.path.splitext(os.path.basename(destination))[0]
    with atomic_file(destination) as temporary, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.raw.write(temporary, wkb, columns, [str(c) for c in frame.columns], layer=layer,
                          driver="GPKG", encoding="UTF-8", **options)
    return True
