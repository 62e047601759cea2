"""The data a study reads: the long panel and the unit polygons (section ``[data]``)."""

import pandas as pd

from spatial.unit_attributes import with_unit_attributes

from ..config import BOOL, INT, STR, Key, StudyConfigError, absolute_path
from ..step import Step, StepFeedback
from .data_import import IMPORT_KEYS, IMPORT_ONLY, import_panel
from .unit_fields import with_unit_fields

DEMO_DATA = {"id_field": "CITY_ID", "year_field": "YEAR", "first_year": 2011, "synthetic": True,
             "demo_seed": 20260521}

DATA_KEYS = (
    Key("source", STR, "files", "`files` (panel and polygons from files), `demo` (the bundled "
        "demo data: real city polygons, SYNTHETIC panel) or `import` (a panel as kept, read by "
        "ccd:importpanel: the `input` key and those marked import). `data = \"demo\"` is short for "
        "`[data] source = \"demo\"`.", choices=("files", "demo", "import")),
    Key("panel", STR, None, "Long table (one row per unit and year): CSV or any OGR format, "
        "`file.gpkg|layername=NAME`; relative to the config file. Required with `source = \"files\"`."),
    Key("polygons", STR, None, "Unit polygons (one feature per unit), same path rules. Needed for "
        "maps and the spatial step; if absent and the panel layer has geometry, each unit's first "
        "geometry is used."),
    Key("id_field", STR, None, "Unit id field (in the panel and the polygons). Required with "
        "`source = \"files\"`; `CITY_ID` for the demo."),
    Key("year_field", STR, None, "Year field of the panel. Required with `source = \"files\"`; "
        "`YEAR` for the demo."),
    Key("polygons_id_field", STR, None, "Unit id field of the polygons if it differs (default `id_field`)."),
    Key("units", STR, None, "A unit-level table (one row per unit: province, region, "
        "agglomeration, …), CSV or any OGR format, same path rules: its fields are joined to every "
        "unit-year row, as the tools' `UNITS` parameter does, so any step can name them. Every unit "
        "of the panel needs a row; a field also in the panel must agree with it."),
    Key("units_id_field", STR, None, "Unit id field of `units` if it differs (default `id_field`)."),
    Key("first_year", INT, None, "First year analysed (earlier rows serve only as the persistent-"
        "innovation lead-in). Default: all years (2011 for the demo)."),
    Key("last_year", INT, None, "Last year analysed. Default: all years."),
    Key("synthetic", BOOL, None, "Mark every table and figure SYNTHETIC. Default true for the demo, "
        "false otherwise."),
    Key("demo_seed", INT, None, "Seed of the demo's synthetic panel (demo only; default 20260521)."),
) + IMPORT_KEYS


class Data(Step):
    name = "data"
    title = "data"
    order = 0
    required = True
    lead_in = True
    keys = DATA_KEYS

    def parse(self, raw):
        if raw is None:
            raise StudyConfigError('data: missing; expected "demo" or a [data] table with panel, '
                                   "id_field and year_field")
        if isinstance(raw, str):
            if raw.strip() != "demo":
                raise StudyConfigError(f'data: expected "demo" or a [data] table, got {raw!r}; '
                                       'give file paths as [data] panel = "…"')
            return {"source": "demo"}
        return raw

    def resolve(self, data, config, base_dir):
        if data["source"] == "demo":
            for name in ("panel", "polygons", "polygons_id_field", "units", "units_id_field"):
                if name in data:
                    raise StudyConfigError(f'data.{name}: not used with source = "demo"; remove it '
                                           'or set source = "files"')
            for name, value in DEMO_DATA.items():
                data.setdefault(name, value)
        elif data["source"] == "import":
            if "demo_seed" in data:
                raise StudyConfigError('data.demo_seed: only used with source = "demo"')
            if "input" not in data:
                raise StudyConfigError('data.input: missing; expected the file to import (required with '
                                       'source = "import")')
            if data.setdefault("id_field", "ADCODE") != "ADCODE":
                raise StudyConfigError('data.id_field: an imported panel is keyed by "ADCODE"; remove the key')
            data.setdefault("year_field", "YEAR")
            data.setdefault("synthetic", False)
            for name in ("input", "polygons", "units"):
                if name in data:
                    data[name] = absolute_path(data[name], base_dir)
            if data.setdefault("panel", data["input"]) != data["input"]:
                raise StudyConfigError('data.panel: not used with source = "import" (the panel is data.input)')
        else:
            for name in ("panel", "id_field", "year_field"):
                if name not in data:
                    raise StudyConfigError(f'data.{name}: missing; expected a string (required with '
                                           'source = "files")')
            if "demo_seed" in data:
                raise StudyConfigError('data.demo_seed: only used with source = "demo"')
            data.setdefault("synthetic", False)
            for name in ("panel", "polygons", "units"):
                if name in data:
                    data[name] = absolute_path(data[name], base_dir)
        if data["source"] != "import":
            for name in IMPORT_ONLY:
                if name in data:
                    raise StudyConfigError(f'data.{name}: only used with source = "import"')
        if "units_id_field" in data and "units" not in data:
            raise StudyConfigError("data.units_id_field: only used with data.units")
        if "first_year" in data and "last_year" in data and data["first_year"] > data["last_year"]:
            raise StudyConfigError(f"data.last_year: expected a year >= data.first_year "
                                   f"({data['first_year']}), got {data['last_year']}")
        return data

    def run(self, context, piece):
        if context.study["data"]["source"] == "import":
            panel, polygons, tables = import_panel(
                context.study["data"], StepFeedback(context.feedback, "import", context.result.log))
            context.result.tables.update(tables)
        else:
            panel, polygons = load(context.study["data"],
                                   StepFeedback(context.feedback, "data", context.result.log))
            if context.study["data"]["source"] == "files":
                panel = with_unit_fields(panel, polygons, context.id_field,
                                         StepFeedback(context.feedback, "data", context.result.log))
        if context.study["data"].get("units"):
            panel = with_unit_table(panel, context.study["data"], context.id_field,
                                    StepFeedback(context.feedback, "data", context.result.log))
        context.result.results, context.result.units = panel, polygons
        return (f"{len(panel)} rows" + (f", {len(polygons)} unit polygons" if polygons is not None else "")
                + (" (SYNTHETIC)" if context.result.synthetic else ""))

    def report(self, result):
        return None


def load(data, feedback=None):
    """(panel, polygons or None) of a resolved ``[data]`` section; ``feedback``
    hears what the readers noticed (encoding, ids kept as text)."""
    id_field, year_field = data["id_field"], data["year_field"]
    if data["source"] == "demo":
        from ..demo_data import demo_layers

        polygons, panel = demo_layers(seed=data["demo_seed"])
        return panel, polygons
    from ..tables import read_layer

    layer = read_layer(data["panel"], feedback)
    panel = layer.attributes
    polygons = None
    if data.get("polygons"):
        source = read_layer(data["polygons"], feedback)
        if source.geometry is None:
            raise StudyConfigError(f"data.polygons: {data['polygons']} has no geometry; expected "
                                   "a polygon layer")
        polygons = geoframe(source)
        polygons_id = data.get("polygons_id_field", id_field)
        if polygons_id not in polygons.columns:
            raise StudyConfigError(f"data.polygons_id_field: the polygons have no field {polygons_id!r}; "
                                   f"fields are {', '.join(map(str, polygons.columns[:-1]))}")
        if polygons_id != id_field:
            polygons = polygons.rename(columns={polygons_id: id_field})
    elif layer.geometry is not None:
        frame = geoframe(layer)
        polygons = frame.drop_duplicates(id_field)[[id_field, "geometry"]]
    if id_field not in panel.columns:
        raise StudyConfigError(f"data.id_field: the panel has no field {id_field!r}")
    if year_field not in panel.columns:
        raise StudyConfigError(f"data.year_field: the panel has no field {year_field!r}")
    if polygons is not None:
        polygons = polygons.reset_index(drop=True)
        if polygons[id_field].dtype != panel[id_field].dtype:
            polygons[id_field] = polygons[id_field].astype(panel[id_field].dtype)
    return panel, polygons


def with_unit_table(panel: pd.DataFrame, data, id_field: str, feedback=None) -> pd.DataFrame:
    """``panel`` with the fields of the table ``data.units`` joined by unit id
    (:func:`spatial.unit_attributes.with_unit_attributes`, the join of the tools'
    ``UNITS``); its errors are the config's, under ``data.units``."""
    from spatial.errors import InputError

    from ..tables import read_layer

    source = read_layer(data["units"], feedback)
    units = pd.DataFrame(source.attributes)
    try:
        out, added, _ = with_unit_attributes(panel, units, id_field, data.get("units_id_field"),
                                             year_field=data["year_field"])
    except InputError as error:
        raise StudyConfigError(f"data.units: {error}") from error
    if feedback is not None:
        feedback.info(f"fields of {data['units']} available to every step: "
                      + (", ".join(map(str, added)) or "none (the panel has them all)"))
    return out


def restrict_years(frame: pd.DataFrame, data) -> pd.DataFrame:
    """The rows of ``frame`` within ``data.first_year``–``data.last_year``."""
    years = pd.to_numeric(frame[data["year_field"]], errors="coerce")
    keep = pd.Series(True, index=frame.index)
    if "first_year" in data:
        keep &= years >= data["first_year"]
    if "last_year" in data:
        keep &= years <= data["last_year"]
    out = frame[keep.to_numpy()].reset_index(drop=True)
    if len(out) == 0:
        raise StudyConfigError(f"data.first_year: no rows of the panel fall in the years chosen "
                               f"({data.get('first_year')}–{data.get('last_year')})")
    return out


def geoframe(layer):
    """A GeoDataFrame of a :class:`toolbox.tables.Layer`."""
    import geopandas

    return geopandas.GeoDataFrame(layer.attributes, geometry=layer.geometry.to_numpy(), crs=layer.crs)


STEP = Data()
