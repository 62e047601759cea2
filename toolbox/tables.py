"""Reading and writing tables and layers for the command line.

A source is a path, optionally with a layer: ``cities.gpkg|layername=panel``.
CSV files are read with pandas; every other format goes through GDAL/OGR
(pyogrio). Tools see only the attribute table, indexed by row position; the
geometry stays here and is attached again to outputs that keep it.

pandas is imported by the functions that use it, not with this module: a
command that reads a polygon layer as arrays (:class:`ArrayLayer`) and
writes a text file never loads it.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import warnings
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from .atomic import OutputConflict, StagedOutputs, check_writable_folder, os_reason, resolved

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".geoparquet")
OGR_DRIVERS = {".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".geojson": "GeoJSON", ".json": "GeoJSON",
               ".fgb": "FlatGeobuf", ".gml": "GML", ".kml": "KML", ".sqlite": "SQLite",
               ".xlsx": "XLSX", ".ods": "ODS"}
SHAPEFILE_NAME_LIMIT = 10
_LEADING_ZERO = re.compile(r"^[+-]?0\d")


class TableIOError(Exception):
    """A file could not be read or written."""


@dataclass
class Layer:
    attributes: "pd.DataFrame"
    geometry: Optional[object] = None  # geopandas.GeoSeries aligned to attributes
    crs: Optional[object] = None


class ArrayLayer:
    """A layer read without pandas or geopandas, for the tools that take one
    (``Tool.array_layers``): ``columns`` its field names, ``layer[name]`` a
    field as a NumPy array, ``geometry`` the shapely geometries (a NumPy object
    array), ``crs`` as GDAL gives it (text such as ``EPSG:3857``) and
    ``index`` the row positions. ``attributes`` is the pandas table, made on
    first use. Tools never modify it."""

    def __init__(self, fields: Dict[str, object], geometry, crs):
        self._fields = fields
        self.columns = list(fields)
        self.geometry = geometry
        self.crs = crs
        self._attributes = None

    def __len__(self) -> int:
        return len(self.geometry)

    def __getitem__(self, name):
        if name not in self._fields:
            raise KeyError(name)
        return self._fields[name]

    @property
    def index(self):
        import numpy as np

        return np.arange(len(self))

    @property
    def attributes(self):
        if self._attributes is None:
            import pandas as pd

            self._attributes = pd.DataFrame(self._fields)
        return self._attributes


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


#: Python codec of each encoding name :func:`decode_text` reports.
_CODECS = {"UTF-8 with BOM": "utf-8-sig", "UTF-16": "utf-16", "UTF-8": "utf-8",
           "GB18030": "gb18030"}


def decode_text(data: bytes, path: str) -> Tuple[str, str]:
    """(text, encoding name) of a text file's bytes: UTF-8 with BOM, UTF-16 with
    BOM, UTF-8, else GB18030 (a superset of GBK and GB2312, the encodings of
    Chinese Excel and WPS exports), each decoded strictly.

    Written by hand rather than with a guesser (charset-normalizer, chardet):
    the candidates are few and fixed, and a guess would be wrong silently.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8 with BOM")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        if b"\x00" in data[:4096]:
            workbook = data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0")
            hint = ("; it looks like an Excel workbook: save it as CSV (UTF-8) or give it to "
                    "'ccd importpanel'" if workbook else "")
            raise TableIOError(f"cannot read {path}: not a text file (binary content){hint}")
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    first_error = None
    for codec, name in candidates:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError as error:
            first_error = first_error or error
    line = data[: first_error.start].count(b"\n") + 1
    raise TableIOError(
        f"cannot read {path}: line {line} is neither UTF-8 nor GB18030 (GBK) text "
        f"(bytes {data[first_error.start:first_error.start + 4]!r}); save the file as "
        "'CSV UTF-8' and run again")


def read_text(path: str) -> str:
    """The text of a small file a tool reads itself (a .gal / .gwt weights file),
    encoding detected as by :func:`decode_text`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise TableIOError(f"cannot read {path}: {os_reason(error)}") from error
    return decode_text(data, path)[0]


def file_encoding(path: str, chunk: int = 1 << 24) -> str:
    """The encoding of a text file, named and chosen as by :func:`decode_text`,
    found by decoding it strictly a chunk at a time: a panel of 10^7 rows is
    never held whole, as bytes or as text. A file no candidate decodes is
    read whole once more for :func:`decode_text`'s message (line and bytes)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            if head.startswith(codecs.BOM_UTF8):
                candidates = [("utf-8-sig", "UTF-8 with BOM")]
            elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                candidates = [("utf-16", "UTF-16")]
            elif b"\x00" in head:
                candidates = []  # binary: decode_text says so
            else:
                candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
            for codec, name in candidates:
                handle.seek(0)
                decoder = codecs.getincrementaldecoder(codec)("strict")
                try:
                    while True:
                        block = handle.read(chunk)
                        decoder.decode(block, final=not block)
                        if not block:
                            return name
                except UnicodeDecodeError:
                    continue
            handle.seek(0)
            data = handle.read()
    except OSError as error:
        raise TableIOError(f"cannot read {path}: {os_reason(error)}") from error
    return decode_text(data, path)[1]


def read_csv(path: str, feedback=None, numeric_fields: Iterable[str] = ()) -> "pd.DataFrame":
    """A CSV/TSV file as a DataFrame: encoding detected (see :func:`decode_text`)
    and named in the log; columns of whole numbers written with leading zeros
    (codes such as ``001``) kept as text, except ``numeric_fields``. pandas
    parses the file itself, a block at a time: neither its bytes nor its text
    are held whole (a 830 MB panel of 250,000 units x 22 years peaked at
    3.6 GB read whole)."""
    encoding = file_encoding(path)
    import pandas as pd

    codec = _CODECS[encoding]
    sep = "\t" if path.lower().endswith(".tsv") else ","
    try:
        table = pd.read_csv(path, sep=sep, encoding=codec)
    except pd.errors.EmptyDataError as error:
        raise TableIOError(f"cannot read {path}: the file is empty") from error
    except pd.errors.ParserError as error:
        raise TableIOError(f"cannot read {path}: not a valid CSV table ({error})") from error
    except OSError as error:
        raise TableIOError(f"cannot read {path}: {os_reason(error)}") from error
    if len(table.columns) == 1 and sep == "," and ";" in str(table.columns[0]):
        sep = ";"  # the CSV of Excel in locales with a decimal comma
        table = pd.read_csv(path, sep=sep, encoding=codec)
        encoding += ", separator ';'"
    if feedback is not None:
        feedback.info(f"read {os.path.basename(path)}: {len(table)} rows, encoding {encoding}")
    numeric = set(numeric_fields)
    candidates = [c for c in table.columns if c not in numeric and _whole_numbers(table[c])]
    if candidates:
        coded = _coded_columns(path, sep, codec, candidates, list(table.columns))
        for column, text in coded.items():
            table[column] = text
        if coded and feedback is not None:
            examples = ", ".join(f"{c} (e.g. {text[text.str.match(_LEADING_ZERO, na=False)].iloc[0]!r})"
                                 for c, text in list(coded.items())[:5])
            feedback.info(f"codes with leading zeros kept as text: {examples}")
    return table


def _whole_numbers(column: "pd.Series") -> bool:
    """Integers, or floats that are all whole (an integer column with a NULL):
    the columns a code such as ``001`` may have been parsed into."""
    import pandas as pd

    if pd.api.types.is_integer_dtype(column):
        return True
    if not pd.api.types.is_float_dtype(column):
        return False
    values = column.to_numpy()
    for part in (values[:1000], values):  # most measured columns fail on their first values
        part = part[~pd.isna(part)]
        if not (part == part.round()).all():
            return False
    return bool(len(part))


def _coded_columns(path: str, sep: str, codec: str, columns: List[str], header: List[str]):
    """{column: its text, stripped} of those of ``columns`` of a CSV file
    where a value is written with a leading zero (``001``). With pyarrow, its
    multi-threaded reader converting these columns only (10^7 rows: about 1 s;
    a regular-expression scan of the whole text took 40 s) and the search in
    Arrow (520,000 ids: 0.2 s with pandas' ``str.match``, 0.02 s), a column
    turned into pandas only when it has such a value; else pandas."""
    import pandas as pd

    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pa_csv
    except ImportError:  # pyarrow is optional (it needs numpy 2 from version 26)
        pa = None
    if pa is not None and len(set(header)) == len(header):
        try:
            read = pa_csv.ReadOptions(encoding="utf8" if codec.startswith("utf-8") else codec)
            convert = pa_csv.ConvertOptions(include_columns=columns,
                                            column_types={c: pa.string() for c in columns},
                                            strings_can_be_null=True)
            found = pa_csv.read_csv(path, read_options=read,
                                    parse_options=pa_csv.ParseOptions(delimiter=sep),
                                    convert_options=convert)
            coded = {}
            for c in columns:
                text = pc.utf8_trim_whitespace(found.column(c))
                if pc.any(pc.match_substring_regex(text, _LEADING_ZERO.pattern)).as_py():
                    coded[c] = text.to_pandas()
            return coded
        except (pa.ArrowException, ValueError, KeyError):
            pass  # pandas parsed it: let pandas say it again
    raw = pd.read_csv(path, sep=sep, encoding=codec, usecols=columns, dtype=str)
    stripped = {c: raw[c].str.strip() for c in columns}
    return {c: text for c, text in stripped.items() if text.str.match(_LEADING_ZERO).any()}


def read_layer(source: str, feedback=None, numeric_fields: Iterable[str] = (),
               arrays: bool = False, fields: Optional[List[str]] = None) -> Layer:
    """A table or layer: CSV/TSV via :func:`read_csv`, every other format via
    GDAL/OGR. With ``arrays`` an OGR layer is read as an :class:`ArrayLayer`
    (see :func:`_read_ogr_arrays`), for a command that writes no layer, with
    only ``fields`` when they are all there (else every field)."""
    path, layer = split_source(source)
    if not os.path.exists(path):
        raise TableIOError(f"input file not found: {path}")
    if os.path.isdir(path) and not path.lower().endswith(".gdb"):
        raise TableIOError(f"cannot read {path}: it is a folder; give a file (a layer as "
                           "'file.gpkg|layername=NAME')")
    if path.lower().endswith(TEXT_SUFFIXES):
        return Layer(read_csv(path, feedback, numeric_fields))
    if path.lower().endswith(PARQUET_SUFFIXES):
        return read_parquet(path, feedback)
    pyogrio = _pyogrio(arrays)
    if layer is not None:
        try:
            names = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
        except Exception as error:
            raise TableIOError(f"cannot read {source}: {_gdal_message(error)}") from error
        if layer not in names:
            raise TableIOError(f"cannot read {source}: {os.path.basename(path)} has no layer "
                               f"{layer!r}; its layers are {', '.join(names) or 'none'}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if arrays:
                read = _read_ogr_arrays(pyogrio, path, layer, fields)
                if feedback is not None:
                    feedback.info(f"read {os.path.basename(source)}: {len(read)} rows")
                return read
            frame = _read_ogr(pyogrio, path, layer)
    except TableIOError:
        raise
    except Exception as error:  # pyogrio raises several GDAL-specific types
        raise TableIOError(f"cannot read {source}: {_gdal_message(error)}") from error
    import pandas as pd

    geometry = getattr(frame, "geometry", None) if "geometry" in frame.columns else None
    attributes = pd.DataFrame(frame.drop(columns="geometry") if geometry is not None else frame)
    attributes = attributes.reset_index(drop=True)
    if geometry is not None:
        geometry = geometry.reset_index(drop=True)
    if feedback is not None:
        feedback.info(f"read {os.path.basename(source)}: {len(attributes)} rows")
    return Layer(attributes, geometry, getattr(frame, "crs", None))


_HIDDEN_FROM_PYOGRIO = ("geopandas", "pandas", "pyproj", "pyarrow")


def _pyogrio(arrays: bool):
    """pyogrio; with ``arrays`` (and not imported yet) imported without the
    optional libraries it loads at import to offer ``read_dataframe`` and
    Arrow I/O — geopandas, pandas, pyproj, pyarrow: 0.5 s of CPU, as much as
    GeoDa needs for queen weights of 40,000 cells. They are hidden for the import only (a ``None``
    entry in ``sys.modules`` makes an import fail, the documented way to
    block one); pyogrio then knows its NumPy reader only (``pyogrio.raw.read``),
    which is what :func:`_read_ogr_arrays` uses, so a process that
    imports it this way must not ask pyogrio for data frames afterwards —
    :func:`toolbox.cli.run_tool` chooses it only for a tool that takes
    :class:`ArrayLayer` inputs and a command that writes no layer."""
    if not arrays or "pyogrio" in sys.modules:
        import pyogrio

        return pyogrio
    hidden = [name for name in _HIDDEN_FROM_PYOGRIO if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None
    try:
        import pyogrio
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return pyogrio


def _read_ogr_arrays(pyogrio, path, layer, fields=None) -> ArrayLayer:
    """An OGR layer as an :class:`ArrayLayer`: pyogrio's NumPy reader (fields as
    NumPy arrays, integers with NULL as floats with NaN as pandas would get
    them), geometries decoded from WKB by shapely. Not GDAL's Arrow stream:
    turning Arrow columns into NumPy arrays imports pandas. Only ``fields``
    are read when the layer has them all (40,000 polygons with 3 fields 0.19
    -> 0.11 s for one), every field otherwise, so that a message about a
    missing field can list those there are."""
    import numpy as np
    import shapely

    meta, _, wkb, values = pyogrio.raw.read(path, layer=layer, columns=fields)
    if fields is not None and len(meta["fields"]) < len(set(fields)):
        meta, _, wkb, values = pyogrio.raw.read(path, layer=layer)
    if wkb is None:
        raise TableIOError(f"cannot read {path}: the layer has no geometry")
    read = dict(zip((str(name) for name in meta["fields"]), values))
    return ArrayLayer(read, shapely.from_wkb(np.asarray(wkb, dtype=object)), meta.get("crs"))


def _pyarrow_parquet(path: str):
    try:
        import pyarrow.parquet as pq
    except ImportError as error:  # optional: version 26 and later need numpy 2
        raise TableIOError(f"cannot read or write {path}: Parquet needs pyarrow "
                           "(pip install 'pyarrow<26' with numpy 1.x)") from error
    return pq


def read_parquet(path: str, feedback=None) -> Layer:
    """A Parquet table, or a GeoParquet layer (its ``geo`` metadata names the
    geometry column and CRS), read by pyarrow: numeric columns become NumPy
    arrays without a copy through text, columns in the file's types.
    GeoParquet geometry (WKB) is decoded by geopandas."""
    pq = _pyarrow_parquet(path)
    try:
        metadata = pq.read_schema(path).metadata or {}
        if b"geo" in metadata:
            import geopandas

            frame = geopandas.read_parquet(path)
            import pandas as pd

            geometry = frame.geometry.reset_index(drop=True)
            attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
            layer = Layer(attributes, geometry, frame.crs)
        else:
            layer = Layer(pq.read_table(path).to_pandas())
    except OSError as error:
        raise TableIOError(f"cannot read {path}: {os_reason(error)}") from error
    except Exception as error:  # pyarrow.ArrowInvalid and friends: not a Parquet file
        first = str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__
        raise TableIOError(f"cannot read {path}: not a valid Parquet file ({first})") from error
    if feedback is not None:
        feedback.info(f"read {os.path.basename(path)}: {len(layer.attributes)} rows (Parquet"
                      + (", with geometry)" if layer.geometry is not None else ")"))
    return layer


def _write_parquet(table, temporary, layer, geometry):
    """Parquet, or GeoParquet when the rows carry geometry."""
    _pyarrow_parquet(temporary)
    frame = table.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    if geometry and layer is not None and layer.geometry is not None:
        import geopandas

        geometries = layer.geometry.take(table.index.to_numpy()).to_numpy()
        geopandas.GeoDataFrame(frame, geometry=geometries, crs=layer.crs).to_parquet(temporary,
                                                                                 index=False)
    else:
        frame.to_parquet(temporary, index=False)


def _read_ogr(pyogrio, path, layer):
    """pyogrio's reader, through GDAL's Arrow interface when pyarrow is there
    (40,000 polygons 0.28 -> 0.19 s) and the layer has no date or time field
    (the Arrow path gives them other pandas types); the classic reader otherwise."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return pyogrio.read_dataframe(path, layer=layer)
    kinds = [str(kind) for kind in pyogrio.read_info(path, layer=layer)["dtypes"]]
    if any(kind.startswith(("datetime", "timedelta")) for kind in kinds):
        return pyogrio.read_dataframe(path, layer=layer)
    return pyogrio.read_dataframe(path, layer=layer, use_arrow=True)


def _gdal_message(error: Exception) -> str:
    """GDAL's message in one line; a damaged file said in our words."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "not a database" in text or "database disk image is malformed" in text:
        return "the file is damaged or is not a GeoPackage (SQLite) file"
    if "not recognized as" in text:
        return "not a format GDAL/OGR can read (CSV, GeoPackage, Shapefile, GeoJSON, …)"
    return text[:300]


def tool_table(layer: Layer, geometry: str, name: str):
    """What a tool receives for a table input declared with ``geometry``
    (see :class:`toolbox.parameters.TableInput`): an :class:`ArrayLayer` as
    it is when it has the geometry asked for."""
    if isinstance(layer, ArrayLayer) and geometry != "none":
        return layer
    if geometry == "none" or (geometry == "optional" and layer.geometry is None):
        return layer.attributes
    if layer.geometry is None:
        raise TableIOError(f"{name}: a polygon layer is needed; this table has no geometry "
                           "(give a GeoPackage, Shapefile or GeoJSON layer)")
    import geopandas

    return geopandas.GeoDataFrame(layer.attributes, geometry=layer.geometry.to_numpy(), crs=layer.crs)


def write_file(content, destination: str, staged: Optional[StagedOutputs] = None) -> None:
    """Write a tool's file output (text as UTF-8, or bytes); atomic (see :mod:`toolbox.atomic`)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    outputs = staged or StagedOutputs()
    try:
        with open(outputs.path(destination), "wb") as out:
            out.write(data)
        if staged is None:
            outputs.commit()
    except OSError as error:
        outputs.discard()
        raise TableIOError(f"cannot write {destination}: {os_reason(error)}") from error


def same_file(a: str, b: str) -> bool:
    """True if two sources name the same file (symlinks and hard links followed)."""
    a, b = split_source(a)[0], split_source(b)[0]
    if os.path.exists(a) and os.path.exists(b):
        return os.path.samefile(a, b)
    return resolved(a) == resolved(b)


def _files_of(path: str) -> List[str]:
    """The files a source or destination consists of (every part of a Shapefile)."""
    lowered = path.lower()
    if lowered.endswith((".shp", ".dbf", ".shx")):
        stem = path[:-4]
        return [stem + part for part in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
    return [path]


def _identity(path: str):
    try:
        info = os.stat(path)
        return ("inode", info.st_dev, info.st_ino)
    except OSError:
        return ("path", resolved(path))


def gpkg_layers(path: str) -> List[str]:
    import pyogrio

    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception as error:
        raise OutputConflict(f"{path} exists but cannot be opened as a GeoPackage "
                             f"({_gdal_message(error)}); choose another file") from error


def output_layer_name(destination: str) -> Tuple[str, Optional[str]]:
    """(path, layer) of a destination; a GeoPackage without ``|layername=`` gets the file's stem."""
    path, layer = split_source(destination)
    if layer is None and path.lower().endswith(".gpkg"):
        layer = os.path.splitext(os.path.basename(path))[0]
    return path, layer


def check_outputs(inputs: Dict[str, str], outputs: Dict[str, str], overwrite: bool = False,
                  tables: Iterable[str] = ()) -> None:
    """Refuse, before any work, output locations that would touch an input or cannot be written.

    ``inputs`` and ``outputs`` map a label (the command-line flag) to a source
    or destination; ``tables`` are the labels of outputs written as tables
    (their format must be known). Raises :class:`OutputConflict` when an output
    is an input file or a part of one (resolved paths, symlinks and hard links
    followed; every part of a Shapefile), is the GeoPackage that holds an input
    layer, names the same file as another output (except two layers of one
    GeoPackage), has an unknown format, lies in a folder that is missing or not
    writable, is a folder or a read-only file, or names an existing GeoPackage
    layer without ``overwrite``.
    """
    tables = set(tables)
    input_files = {}
    for label, source in inputs.items():
        for path in _files_of(split_source(source)[0]):
            if os.path.exists(path):
                input_files.setdefault(_identity(path), (label, source))
            input_files.setdefault(("path", resolved(path)), (label, source))
    seen: Dict[object, Tuple[str, str, Optional[str]]] = {}
    for label, destination in outputs.items():
        path, layer = output_layer_name(destination)
        suffix = os.path.splitext(path)[1].lower()
        if (label in tables and suffix not in TEXT_SUFFIXES and suffix not in OGR_DRIVERS
                and suffix not in PARQUET_SUFFIXES):
            raise OutputConflict(
                f"{label} {destination}: unknown output format {suffix or '(no extension)'}; use "
                ".csv, .gpkg, .shp, .geojson, .parquet or " + ", ".join(sorted(set(OGR_DRIVERS) - {
                    ".gpkg", ".shp", ".geojson"})))
        check_writable_folder(os.path.dirname(os.path.abspath(path)), f"{label} {destination}")
        for part in _files_of(path):
            for key in {_identity(part), ("path", resolved(part))}:
                if key in input_files:
                    source_label, source = input_files[key]
                    holds = (f"is the GeoPackage of the input layer {source} ({source_label})"
                             if path.lower().endswith(".gpkg") else f"is an input file ({source_label})")
                    raise OutputConflict(f"{label} {destination} {holds}: a tool never writes over "
                                         "its input; choose another file")
                if key in seen and not (path.lower().endswith(".gpkg") and seen[key][2] != layer):
                    raise OutputConflict(f"{label} {destination} and {seen[key][0]} "
                                         f"{seen[key][1]} name the same file; give two files")
                seen.setdefault(key, (label, destination, layer))
            if os.path.isdir(part):
                raise OutputConflict(f"{label} {destination}: {part} is a folder; give a file name")
            if os.path.exists(part) and not os.access(part, os.W_OK):
                raise OutputConflict(f"{label} {destination}: {part} is read-only")
        if suffix == ".gpkg" and os.path.isfile(path) and layer in gpkg_layers(path) and not overwrite:
            raise OutputConflict(
                f"{label} {destination}: {os.path.basename(path)} already has a layer {layer!r}; "
                "give --overwrite to replace it, or another layer name ('file.gpkg|layername=NEW')")


def write_table(table: pd.DataFrame, destination: str, layer: Optional[Layer] = None,
                geometry: bool = False, staged: Optional[StagedOutputs] = None,
                feedback=None) -> None:
    """Write ``table`` to ``destination`` (format from its suffix), atomically.

    With ``geometry`` and a source ``layer`` that has geometry, each row gets
    the geometry of the source row its index names. With ``staged`` the file is
    only staged (moved into place by ``staged.commit()``). A new layer of an
    existing GeoPackage is written into a copy of the file, so its other layers
    are never at risk. Shapefile field-name truncation is reported through
    ``feedback`` (which field became which).
    """
    path, layer_name = output_layer_name(destination)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise TableIOError(f"output folder does not exist: {directory}")
    outputs = staged or StagedOutputs()
    try:
        suffix = os.path.splitext(path)[1].lower()
        temporary = outputs.path(path, copy_existing=suffix == ".gpkg")
        if suffix in TEXT_SUFFIXES:
            from .csv_writer import write_csv

            write_csv(table, temporary, sep="\t" if suffix == ".tsv" else ",")
        elif suffix in PARQUET_SUFFIXES:
            _write_parquet(table, temporary, layer, geometry)
        else:
            _write_ogr(table, temporary, suffix, layer_name, layer, geometry, feedback, destination)
        if staged is None:
            outputs.commit()
    except OSError as error:
        outputs.discard()
        raise TableIOError(f"cannot write {destination}: {os_reason(error)}") from error
    except BaseException:
        outputs.discard()
        raise


def _write_ogr(table, temporary, suffix, layer_name, layer, geometry, feedback, destination):
    import geopandas
    import pyogrio

    if suffix not in OGR_DRIVERS:
        raise OutputConflict(f"{destination}: unknown output format {suffix or '(no extension)'}")
    if geometry and layer is not None and layer.geometry is not None:
        frame = geopandas.GeoDataFrame(
            table.reset_index(drop=True),
            geometry=layer.geometry.take(table.index.to_numpy()).to_numpy(),
            crs=layer.crs)
    else:
        frame = table.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    options = {"layer": layer_name} if layer_name else {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's notes are reported below in our words
            if not (suffix == ".gpkg" and _written_through_arrow(frame, temporary, options)):
                pyogrio.write_dataframe(frame, temporary, driver=OGR_DRIVERS[suffix], **options)
    except OSError:
        raise
    except Exception as error:
        raise TableIOError(f"cannot write {destination}: {_gdal_message(error)}") from error
    if suffix == ".shp" and feedback is not None:
        _report_renamed_fields(frame, temporary, feedback, destination)


def _written_through_arrow(frame, temporary, options) -> bool:
    """Write a new GeoPackage through GDAL's Arrow interface (pyogrio
    ``use_arrow``): 40,000 polygons with 9 fields 1.3 s -> 0.78 s, the same
    fields, types and values read back. Only a new file (a copy of an existing
    GeoPackage gets the row-by-row writer), only with pyarrow; False when not
    written this way, and nothing is left of a failed attempt."""
    if os.path.exists(temporary):
        return False
    try:
        import pyarrow  # noqa: F401  (optional; pyogrio needs it for use_arrow)
        import pyogrio
    except ImportError:
        return False
    try:
        pyogrio.write_dataframe(frame, temporary, driver="GPKG", use_arrow=True, **options)
        return True
    except OSError:
        raise
    except Exception:  # a column type the Arrow path does not take: the classic writer
        for leftover in (temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        return False


def _report_renamed_fields(frame, temporary, feedback, destination):
    """Tell which fields a Shapefile renamed (names are cut to 10 characters)."""
    import pyogrio

    written = [c for c in frame.columns if c != "geometry"]
    target = temporary if os.path.exists(temporary) else temporary[:-4] + ".dbf"
    try:
        stored = [str(name) for name in pyogrio.read_info(target)["fields"]]
    except Exception:
        return
    renamed = [(old, new) for old, new in zip(written, stored) if old != new]
    if renamed:
        feedback.warning(
            f"{os.path.basename(destination)}: a Shapefile keeps at most {SHAPEFILE_NAME_LIMIT} "
            "characters of a field name, so " + ", ".join(f"{old} became {new}" for old, new in renamed)
            + "; write a GeoPackage (.gpkg) to keep the full names")
