"""The study config: one TOML file that describes a whole study.

:func:`load_study` reads a TOML file, :func:`study_from_dict` validates a
parsed config and resolves every default, :func:`dump_toml` writes a
resolved config back so that a run can be repeated exactly. The keys, their
types, defaults and meaning are in ``docs/study-config.md`` and in
:data:`SECTIONS` (the same declarations drive validation and the docs test).

Every problem with the config raises :class:`StudyConfigError` (an
``InputError``) whose message starts with the key path at fault
(``systems.fintech.positive``) and says what was expected.
"""

import math
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from spatial.errors import InputError



class StudyConfigError(InputError):
    """The study config is not valid: the message names the key and what was expected."""


# ----------------------------------------------------------------------------
# declarations
# ----------------------------------------------------------------------------

REQUIRED = object()
"""Default of a key that must be given."""

STR, INT, FLOAT, BOOL = "string", "integer", "number", "true/false"
STR_LIST, FLOAT_LIST, INT_LIST = "list of strings", "list of numbers", "list of integers"
STR_LIST_TABLE = "table of name = list of strings"
OPTIONS = "table of PARAMETER = value"


@dataclass(frozen=True)
class Key:
    """One config key: its TOML type, default (None: not set; REQUIRED: must
    be given), allowed values and meaning."""

    name: str
    type: str
    default: Any = None
    doc: str = ""
    choices: Tuple[str, ...] = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None


OPTIONS_KEY = Key("options", OPTIONS, None,
                  "Further parameters of the step's tool by their QGIS name "
                  "(`{ CV_FOLDS = 0 }`); checked against the tool's declaration at run time.")

DATA_KEYS = (
    Key("source", STR, "files", "`files` (panel and polygons from files) or `demo` (the bundled "
        "demo data: real city polygons, SYNTHETIC panel). `data = \"demo\"` is short for "
        "`[data] source = \"demo\"`.", choices=("files", "demo")),
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
    Key("first_year", INT, None, "First year analysed (earlier rows serve only as the persistent-"
        "innovation lead-in). Default: all years (2011 for the demo)."),
    Key("last_year", INT, None, "Last year analysed. Default: all years."),
    Key("synthetic", BOOL, None, "Mark every table and figure SYNTHETIC. Default true for the demo, "
        "false otherwise."),
    Key("demo_seed", INT, None, "Seed of the demo's synthetic panel (demo only; default 20260521)."),
)

SYSTEM_KEYS = (
    Key("positive", STR_LIST, [], "Positive indicators (larger is better)."),
    Key("negative", STR_LIST, [], "Negative indicators (smaller is better)."),
    Key("scope", STR, "panel", "`panel`: standardise and weight pooled over all years (k = 1/ln(rn)); "
        "`year`: within each year.", choices=("panel", "year")),
    Key("shift", FLOAT, 0.0, "Shift added after standardisation (e.g. 0.0001).", minimum=0.0, maximum=1.0),
    Key("index_field", STR, None, "Name of the index field (default `U_<NAME>` in capitals)."),
    Key("missing", STR, "error", "`error`: stop on missing values; `interpolate`: fill gaps "
        "linearly within each unit.", choices=("error", "interpolate")),
    Key("max_missing_share", FLOAT, None, "With interpolation: drop units with a larger share of "
        "missing values (0-1).", minimum=0.0, maximum=1.0),
    OPTIONS_KEY,
)

SECTIONS: Dict[str, Tuple[Key, ...]] = {
    "data": DATA_KEYS,
    "innovation": (
        Key("patent_field", STR, REQUIRED, "Patent count field; adds `CONINNOV` "
            "(Coninnov_t = (p_t + p_t-1) / (p_t-1 + p_t-2) * (p_t + p_t-1))."),
        OPTIONS_KEY,
    ),
    "systems": SYSTEM_KEYS,
    "coupling": (
        Key("systems", STR_LIST, None, "Names of the systems coupled, in order (default: every "
            "system of `[systems]`, in file order; two or more)."),
        Key("weights", FLOAT_LIST, None, "System weights for T, one per system, summing to 1 "
            "(default equal)."),
        Key("model", STR, "classic", "Coupling model: `classic` or `revised` (Wang Shujia et al., 2021).",
            choices=("classic", "revised")),
        Key("class_breaks", FLOAT_LIST, None, "Class breaks of D (default 0, 0.1, ..., 1)."),
        OPTIONS_KEY,
    ),
    "tiers": (
        Key("value_field", STR, "D", "Value classified."),
        Key("method", STR, "kmeans_year", "`kmeans_year`, `kmeans_pooled`, `jenks`, `quantiles` or `fixed`.",
            choices=("kmeans_year", "kmeans_pooled", "jenks", "quantiles", "fixed")),
        Key("k", INT, 3, "Number of tiers.", minimum=2, maximum=20),
        Key("seed", INT, 0, "Random seed (K-means, Jenks sample).", minimum=0),
        Key("breaks", FLOAT_LIST, None, "Breaks for `method = \"fixed\"`."),
        Key("group_field", STR, None, "Group field of Table 2 (e.g. urban agglomeration); "
            "default: the tiers themselves."),
        OPTIONS_KEY,
    ),
    "dagum": (
        Key("value_field", STR, "D", "Value decomposed."),
        Key("group_field", STR, "TIER", "Group field: `TIER` (needs `[tiers]`) or any field of the panel."),
        Key("singletons", STR, "error", "Groups with one member in a year: `error` or `allow`.",
            choices=("error", "allow")),
        OPTIONS_KEY,
    ),
    "obstacles": (
        Key("positive", STR_LIST, None, "Positive indicators (default: every system's positive "
            "indicators)."),
        Key("negative", STR_LIST, None, "Negative indicators (default: every system's negative indicators)."),
        Key("weights", FLOAT_LIST, None, "Indicator weights, positive then negative "
            "(default: entropy weights pooled over all years)."),
        Key("group_field", STR, None, "Group of the summary (Table 8); default `TIER` when "
            "`[tiers]` is present."),
        Key("subsystems", STR_LIST_TABLE, None, "Subsystems: `{ fintech = [\"FT_A\", \"FT_B\"] }` "
            "(default: the systems, when the indicators are the default)."),
        Key("top_n", INT, 3, "Top obstacles listed per unit-year.", minimum=0, maximum=20),
        OPTIONS_KEY,
    ),
    "drivers": (
        Key("target", STR, "D", "Target field."),
        Key("drivers", STR_LIST, REQUIRED, "Driver fields."),
        Key("group_field", STR, None, "Group field (models per group and for all); default `TIER` "
            "when `[tiers]` is present."),
        Key("split", STR, "grouped", "Primary train/test split: `grouped` (by unit, no leakage of a "
            "unit's other years) or `random`.", choices=("grouped", "random")),
        Key("test_size", FLOAT, 0.3, "Share held out for testing.", minimum=0.05, maximum=0.95),
        Key("seed", INT, 42, "Seed of splits, models and permutations.", minimum=0),
        OPTIONS_KEY,
    ),
    "spatial": (
        Key("value_field", STR, "D", "Value tested for spatial autocorrelation."),
        Key("weights", STR, "queen", "Spatial weights: `queen`, `rook`, `knn`, `distance` or `kernel`.",
            choices=("queen", "rook", "knn", "distance", "kernel")),
        Key("k", INT, None, "Neighbours for `knn` / adaptive `kernel` weights."),
        Key("threshold", FLOAT, None, "Distance band for `distance` weights (CRS units)."),
        Key("target_crs", INT, None, "EPSG code to reproject to before distance-based weights "
            "(`knn`, `distance`, `kernel`) on a longitude/latitude layer, e.g. 32649.",
            minimum=1024, maximum=999999),
        Key("permutations", INT, 999, "Permutations for pseudo p-values.", minimum=0),
        Key("seed", INT, 0, "Seed of the permutations.", minimum=0),
        Key("draws", STR, "paired", "Global Moran's permutation draws: `paired` (pairwise independent, "
            "about twice as fast) or `independent` (one shuffle each).", choices=("paired", "independent")),
        Key("significance", FLOAT, 0.05, "Significance level of LISA clusters.", minimum=0.0, maximum=1.0),
        Key("correction", STR, "none", "Multiple-testing correction of LISA: `none`, `fdr`, `bonferroni`.",
            choices=("none", "fdr", "bonferroni")),
        Key("lisa_years", INT_LIST, None, "Years with LISA cluster maps (default first and last year)."),
        Key("markov", BOOL, True, "Spatial Markov transitions of the tiers (of value quantiles "
            "without `[tiers]`)."),
        Key("markov_weights", STR, None, "Weights of the spatial Markov chain, which needs every unit "
            "to have neighbours (default `weights`; `knn` where contiguity leaves islands).",
            choices=("queen", "rook", "knn", "distance", "kernel")),
        OPTIONS_KEY,
    ),
    "report": (
        Key("title", STR, None, "Report title (default from the config's `title`)."),
        Key("map_years", INT_LIST, None, "Years with tier maps (default first and last year)."),
        Key("map_tolerance", FLOAT, 0.01, "Simplification tolerance of map polygons (CRS units; 0: exact).",
            minimum=0.0),
        Key("group_field", STR, None, "Groups of the trend lines (default the Table 2 groups)."),
    ),
    "output": (
        Key("dir", STR, None, "Output folder, relative to the config file (default "
            "`<config name>-results`); `ccd run --output-dir` overrides it."),
        Key("layer_tolerance", FLOAT, 0.0, "Simplification tolerance of the geometry of the "
            "long unit-year layer (CRS units; 0 keeps the exact polygons, which the `units` layer "
            "always keeps).", minimum=0.0),
    ),
}

TOP_KEYS = (
    Key("title", STR, "Coupling coordination study", "Title of the study and the report."),
)
STEP_ORDER = ("innovation", "systems", "coupling", "tiers", "dagum", "obstacles", "drivers", "spatial")
REQUIRED_SECTIONS = ("data",)

DEMO_DATA = {"id_field": "CITY_ID", "year_field": "YEAR", "first_year": 2011, "synthetic": True,
             "demo_seed": 20260521}


@dataclass
class Study:
    """A validated, resolved study config.

    ``config`` is the resolved dict (every default filled; keys not set are
    absent); ``base_dir`` is the folder relative paths were resolved against.
    Steps absent from ``config`` are not run.
    """

    config: Dict[str, Any]
    base_dir: str

    def has(self, step: str) -> bool:
        return step in self.config

    def __getitem__(self, section: str) -> Dict[str, Any]:
        return self.config[section]


# ----------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _fail(path: str, expected: str, value) -> StudyConfigError:
    shown = repr(value) if not isinstance(value, (dict, list)) or len(repr(value)) < 60 else _type_name(value)
    return StudyConfigError(f"{path}: expected {expected}, got {shown} ({_type_name(value)})")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _check_value(key: Key, value, path: str):
    """``value`` converted to ``key.type`` or StudyConfigError naming ``path``."""
    kind = key.type
    if kind == STR:
        if not isinstance(value, str) or not value.strip():
            raise _fail(path, "a non-empty string" + _choices(key), value)
        value = value.strip()
        if key.choices and value not in key.choices:
            raise _fail(path, "one of " + ", ".join(f'"{c}"' for c in key.choices), value)
        return value
    if kind == INT:
        if not _is_int(value):
            raise _fail(path, "an integer" + _range(key), value)
        _check_range(key, value, path)
        return int(value)
    if kind == FLOAT:
        if not _is_number(value):
            raise _fail(path, "a number" + _range(key), value)
        _check_range(key, value, path)
        return float(value)
    if kind == BOOL:
        if not isinstance(value, bool):
            raise _fail(path, "true or false", value)
        return value
    if kind in (STR_LIST, FLOAT_LIST, INT_LIST):
        if not isinstance(value, list):
            raise _fail(path, "a " + kind, value)
        out = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if kind == STR_LIST:
                if not isinstance(item, str) or not item.strip():
                    raise _fail(item_path, "a non-empty string (a field or system name)", item)
                out.append(item.strip())
            elif kind == INT_LIST:
                if not _is_int(item):
                    raise _fail(item_path, "an integer", item)
                out.append(int(item))
            else:
                if not _is_number(item):
                    raise _fail(item_path, "a number", item)
                out.append(float(item))
        if kind == STR_LIST:
            repeated = sorted({x for x in out if out.count(x) > 1})
            if repeated:
                raise StudyConfigError(f"{path}: expected each name once, {', '.join(repeated)} repeats")
        return out
    if kind == STR_LIST_TABLE:
        if not isinstance(value, dict) or not value:
            raise _fail(path, 'a table of name = ["FIELD", ...]', value)
        return {name: _check_value(Key(name, STR_LIST), fields, f"{path}.{name}")
                for name, fields in value.items()}
    if kind == OPTIONS:
        if not isinstance(value, dict):
            raise _fail(path, "a table of PARAMETER = value (QGIS parameter names)", value)
        out = {}
        for name, item in value.items():
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
                raise StudyConfigError(f"{path}.{name}: expected a tool parameter name in capitals "
                                       "(e.g. CV_FOLDS)")
            if isinstance(item, dict) or (isinstance(item, float) and not math.isfinite(item)):
                raise _fail(f"{path}.{name}", "a string, number, true/false or list", item)
            out[name] = item
        return out
    raise AssertionError(kind)


def _choices(key: Key) -> str:
    return (" (one of " + ", ".join(key.choices) + ")") if key.choices else ""


def _range(key: Key) -> str:
    if key.minimum is not None and key.maximum is not None:
        return f" from {_num(key.minimum)} to {_num(key.maximum)}"
    if key.minimum is not None:
        return f" of at least {_num(key.minimum)}"
    return ""


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _check_range(key: Key, value, path):
    if (key.minimum is not None and value < key.minimum) or (key.maximum is not None and value > key.maximum):
        raise StudyConfigError(f"{path}: expected {key.type}{_range(key)}, got {value!r}")


def _check_table(table, keys: Tuple[Key, ...], path: str) -> Dict[str, Any]:
    """Known keys checked and converted; defaults filled; unknown or missing keys refused."""
    if not isinstance(table, dict):
        raise _fail(path, "a table ([" + path + "])", table)
    known = {key.name: key for key in keys}
    for name in table:
        if name not in known:
            raise StudyConfigError(
                f"{path}.{name}: unknown key; expected one of {', '.join(known)}")
    out = {}
    for key in keys:
        where = f"{path}.{key.name}"
        if key.name in table:
            out[key.name] = _check_value(key, table[key.name], where)
        elif key.default is REQUIRED:
            raise StudyConfigError(f"{where}: missing; expected {key.type} ({key.doc})")
        elif key.default is not None:
            out[key.name] = list(key.default) if isinstance(key.default, list) else key.default
    return out


def _field_name(name: str) -> str:
    return "U_" + re.sub(r"[^A-Za-z0-9_]", "_", name).upper()


def study_from_dict(raw: Dict[str, Any], base_dir: str = ".") -> Study:
    """Validate a parsed config and resolve every default that does not need the data.

    Data-dependent defaults (LISA and map years) are filled by the pipeline
    once the data are read. Raises StudyConfigError naming the key path and
    what was expected.
    """
    if not isinstance(raw, dict):
        raise _fail("(config)", "a table of sections", raw)
    known = [k.name for k in TOP_KEYS] + list(SECTIONS)
    for name in raw:
        if name not in known:
            raise StudyConfigError(f"{name}: unknown key; expected one of {', '.join(known)}")
    config: Dict[str, Any] = {}
    for key in TOP_KEYS:
        config[key.name] = _check_value(key, raw[key.name], key.name) if key.name in raw else key.default

    data = raw.get("data")
    if data is None:
        raise StudyConfigError('data: missing; expected "demo" or a [data] table with panel, '
                               "id_field and year_field")
    if isinstance(data, str):
        if data.strip() != "demo":
            raise StudyConfigError(f'data: expected "demo" or a [data] table, got {data!r}; '
                                   'give file paths as [data] panel = "…"')
        data = {"source": "demo"}
    data = _check_table(data, DATA_KEYS, "data")
    if data["source"] == "demo":
        for name in ("panel", "polygons", "polygons_id_field"):
            if name in data:
                raise StudyConfigError(f'data.{name}: not used with source = "demo"; remove it '
                                       'or set source = "files"')
        for name, value in DEMO_DATA.items():
            data.setdefault(name, value)
    else:
        for name in ("panel", "id_field", "year_field"):
            if name not in data:
                raise StudyConfigError(f'data.{name}: missing; expected a string (required with '
                                       'source = "files")')
        if "demo_seed" in data:
            raise StudyConfigError('data.demo_seed: only used with source = "demo"')
        data.setdefault("synthetic", False)
        for name in ("panel", "polygons"):
            if name in data:
                data[name] = _absolute(data[name], base_dir)
    if "first_year" in data and "last_year" in data and data["first_year"] > data["last_year"]:
        raise StudyConfigError(f"data.last_year: expected a year >= data.first_year "
                               f"({data['first_year']}), got {data['last_year']}")
    config["data"] = data

    if "innovation" in raw:
        config["innovation"] = _check_table(raw["innovation"], SECTIONS["innovation"], "innovation")

    if "systems" in raw:
        systems_raw = raw["systems"]
        if not isinstance(systems_raw, dict) or not systems_raw:
            raise _fail("systems", "a table of systems ([systems.NAME] with positive / negative)",
                        systems_raw)
        systems = {}
        for name, table in systems_raw.items():
            path = f"systems.{name}"
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
                raise StudyConfigError(f"{path}: expected a system name of letters, digits and _")
            if not isinstance(table, dict):
                raise _fail(path, f"a table ([{path}])", table)
            system = _check_table(table, SYSTEM_KEYS, path)
            if not system["positive"] and not system["negative"]:
                raise StudyConfigError(f"{path}.positive: missing; expected at least one indicator "
                                       "in positive or negative")
            both = sorted(set(system["positive"]) & set(system["negative"]))
            if both:
                raise StudyConfigError(f"{path}.negative: {', '.join(both)} is also positive; expected "
                                       "each indicator in one direction")
            system.setdefault("index_field", _field_name(name))
            systems[name] = system
        fields = [s["index_field"] for s in systems.values()]
        repeated = sorted({f for f in fields if fields.count(f) > 1})
        if repeated:
            raise StudyConfigError(f"systems: index_field {repeated[0]} is used by two systems; expected "
                                   "distinct index fields")
        config["systems"] = systems

    if "coupling" in raw:
        coupling = _check_table(raw["coupling"], SECTIONS["coupling"], "coupling")
        systems = config.get("systems", {})
        names = coupling.setdefault("systems", list(systems))
        for i, name in enumerate(names):
            if name not in systems:
                raise StudyConfigError(f"coupling.systems[{i}]: expected a system of [systems] "
                                       f"({', '.join(systems) or 'none defined'}), got {name!r}")
        if len(names) < 2:
            raise StudyConfigError(f"coupling.systems: expected two or more systems, got {len(names)}")
        weights = coupling.get("weights")
        if weights is not None:
            if len(weights) != len(names):
                raise StudyConfigError(f"coupling.weights: expected {len(names)} numbers (one per "
                                       f"system: {', '.join(names)}), got {len(weights)}")
            if abs(sum(weights) - 1.0) > 1e-6 or min(weights) < 0:
                raise StudyConfigError(f"coupling.weights: expected non-negative numbers summing to 1, "
                                       f"got {weights} (sum {sum(weights):g})")
        config["coupling"] = coupling

    if "tiers" in raw:
        config["tiers"] = _check_table(raw["tiers"], SECTIONS["tiers"], "tiers")

    has_tiers = "tiers" in config
    if "dagum" in raw:
        dagum = _check_table(raw["dagum"], SECTIONS["dagum"], "dagum")
        if dagum["group_field"] == "TIER" and not has_tiers:
            raise StudyConfigError('dagum.group_field: "TIER" needs a [tiers] section; expected '
                                   "[tiers] or another group field")
        config["dagum"] = dagum

    if "obstacles" in raw:
        obstacles = _check_table(raw["obstacles"], SECTIONS["obstacles"], "obstacles")
        systems = config.get("systems", {})
        if "positive" not in obstacles and "negative" not in obstacles:
            if not systems:
                raise StudyConfigError("obstacles.positive: missing; expected indicators (there are "
                                       "no [systems] to take them from)")
            obstacles["positive"] = [f for s in systems.values() for f in s["positive"]]
            obstacles["negative"] = [f for s in systems.values() for f in s["negative"]]
            obstacles.setdefault("subsystems", {name: s["positive"] + s["negative"]
                                                for name, s in systems.items()})
        obstacles.setdefault("positive", [])
        obstacles.setdefault("negative", [])
        count = len(obstacles["positive"]) + len(obstacles["negative"])
        if count == 0:
            raise StudyConfigError("obstacles.positive: expected at least one indicator")
        if "weights" in obstacles and len(obstacles["weights"]) != count:
            raise StudyConfigError(f"obstacles.weights: expected {count} numbers (positive then "
                                   f"negative indicators), got {len(obstacles['weights'])}")
        _default_group(obstacles, has_tiers, "obstacles")
        config["obstacles"] = obstacles

    if "drivers" in raw:
        drivers = _check_table(raw["drivers"], SECTIONS["drivers"], "drivers")
        if not drivers["drivers"]:
            raise StudyConfigError("drivers.drivers: expected at least one driver field")
        if drivers["target"] in drivers["drivers"]:
            raise StudyConfigError(f"drivers.drivers: expected fields other than the target "
                                   f"{drivers['target']!r}")
        _default_group(drivers, has_tiers, "drivers")
        config["drivers"] = drivers

    if "spatial" in raw:
        spatial = _check_table(raw["spatial"], SECTIONS["spatial"], "spatial")
        if spatial["weights"] == "distance" and "threshold" not in spatial:
            raise StudyConfigError('spatial.threshold: missing; expected a distance (CRS units) for '
                                   'weights = "distance"')
        spatial.setdefault("markov_weights", spatial["weights"])
        if spatial["markov_weights"] == "distance" and "threshold" not in spatial:
            raise StudyConfigError('spatial.threshold: missing; expected a distance (CRS units) for '
                                   'markov_weights = "distance"')
        if {spatial["weights"], spatial["markov_weights"]} & {"knn", "kernel"}:
            spatial.setdefault("k", 4)
        config["spatial"] = spatial

    report = _check_table(raw.get("report", {}), SECTIONS["report"], "report")
    report.setdefault("title", config["title"])
    config["report"] = report

    output = _check_table(raw.get("output", {}), SECTIONS["output"], "output")
    if "dir" in output:
        output["dir"] = _absolute(output["dir"], base_dir)
    config["output"] = output
    return Study(config, os.path.abspath(base_dir))


def _default_group(section, has_tiers, path):
    if "group_field" not in section and has_tiers:
        section["group_field"] = "TIER"
    if section.get("group_field") == "TIER" and not has_tiers:
        raise StudyConfigError(f'{path}.group_field: "TIER" needs a [tiers] section; expected [tiers] '
                               "or another group field")


def _absolute(path: str, base_dir: str) -> str:
    file_part, sep, layer = path.partition("|")
    if not os.path.isabs(file_part):
        file_part = os.path.normpath(os.path.join(os.path.abspath(base_dir), file_part))
    return file_part + sep + layer


# ----------------------------------------------------------------------------
# files
# ----------------------------------------------------------------------------


def parse_toml(text: str, where: str = "config") -> Dict[str, Any]:
    """Parse TOML text with the standard library (Python 3.11+)."""
    if sys.version_info < (3, 11):
        raise StudyConfigError(
            f"{where}: reading TOML study configs needs Python 3.11 or newer (the standard library's "
            f"tomllib); this is Python {sys.version_info.major}.{sys.version_info.minor}")
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StudyConfigError(f"{where}: not valid TOML: {error}") from error


def load_study(path: str) -> Study:
    """Read, validate and resolve the study config at ``path`` (relative paths
    in it are relative to its folder). Raises StudyConfigError."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise StudyConfigError(f"{path}: cannot read the study config ({error.strerror})") from error
    study = study_from_dict(parse_toml(text, path), os.path.dirname(os.path.abspath(path)))
    if "dir" not in study.config["output"]:
        stem = os.path.splitext(os.path.basename(path))[0]
        study.config["output"]["dir"] = os.path.join(study.base_dir, f"{stem}-results")
    return study


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\t", "\\t").replace("\r", "\\r"))
    escaped = "".join(c if ord(c) >= 0x20 and ord(c) != 0x7F else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def toml_value(value) -> str:
    """TOML text of a string, integer, float, boolean, list or inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r} to TOML")
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"cannot write {type(value).__name__} to TOML")


def dump_toml(config: Dict[str, Any], header: str = "") -> str:
    """TOML text of a config: top-level values, then one ``[section]`` per
    table (``[systems.NAME]`` for the systems); values None are left out."""
    lines = [f"# {line}" for line in header.splitlines()]
    tables = []
    for key, value in config.items():
        if value is None:
            continue
        if isinstance(value, dict) and key not in ("options",):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {toml_value(value)}")
    for name, table in tables:
        if name == "systems":
            for system, keys in table.items():
                lines += ["", f"[systems.{_toml_key(system)}]"]
                lines += [f"{_toml_key(k)} = {toml_value(v)}" for k, v in keys.items() if v is not None]
            continue
        lines += ["", f"[{_toml_key(name)}]"]
        lines += [f"{_toml_key(k)} = {toml_value(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines) + "\n"


def write_study(study: Study, path: str, header: str = "") -> None:
    """Write the resolved config to ``path`` as TOML (re-readable by :func:`load_study`)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(dump_toml(study.config, header))


def section_keys() -> List[Tuple[str, Key]]:
    """(path, key) of every documented key: ``data.panel``, ``systems.NAME.positive``, …"""
    out = [(key.name, key) for key in TOP_KEYS]
    for section, keys in SECTIONS.items():
        prefix = "systems.NAME" if section == "systems" else section
        out += [(f"{prefix}.{key.name}", key) for key in keys]
    return out
