"""The whole-study pipeline: one config → every table, layer, figure and a report.

Each step calls a toolbox tool's ``run`` — the same code path as the command
line and QGIS, so every number equals what the single tool gives on the same
input. Steps run in this order, each reading the fields the previous ones
added to the long unit-year table:

persistent innovation → entropy index per system → coupling coordination →
tiers → Dagum Gini → obstacle degree → drivers → spatial autocorrelation.

A step whose tool is not in :data:`toolbox.tools.TOOLS` (a toolbox version
without it) is skipped with a note in the log and the report. The values a
tool receives are built from its declared parameters: the config's settings
for the parameters it declares, the declared defaults for the rest, and the
step's ``options`` (any declared parameter by its QGIS name).
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import pandas as pd

from spatial.errors import InputError

from .parameters import BooleanInput, FieldInput, TableInput
from .study import Study, StudyConfigError, load_study, write_study
from .tool import Canceled, Feedback

TABLE_TITLES = {
    "results": "Unit-year results (long format)",
    "tier_counts": "Tier counts per year",
    "group_means": "Mean D per group and year",
    "tier_thresholds": "Tier thresholds",
    "dagum": "Dagum Gini decomposition per year",
    "dagum_pairs": "Within- and between-group Gini per year",
    "obstacle_summary": "Mean obstacle degree per group and year",
    "moran": "Global Moran's I per year",
    "lisa": "Local Moran (LISA) per unit and year",
}
JOB_PARAMETERS = ("THREADS",)


@dataclass
class StepRecord:
    step: str
    label: str
    status: str  # "done", "skipped"
    seconds: float = 0.0
    note: str = ""


@dataclass
class StudyResult:
    """What a run computed.

    ``results``: the long unit-year table with every field the steps added
    (no geometry); ``units``: the unit polygons (GeoDataFrame) or None;
    ``tables``: name → DataFrame (``weights_<system>``, ``tier_counts``,
    ``group_means``, ``tier_thresholds``, ``dagum``, ``dagum_pairs``,
    ``obstacle_summary``, ``drivers_metrics``, ``drivers_importance``, …,
    ``moran``, ``lisa``, ``markov_<output>``); ``methods``: table name → one
    line saying how it was computed; ``steps``: one record per step;
    ``log``: the tools' messages.
    """

    study: Study
    results: pd.DataFrame
    units: Any
    tables: Dict[str, pd.DataFrame] = field(default_factory=dict)
    methods: Dict[str, str] = field(default_factory=dict)
    steps: List[StepRecord] = field(default_factory=list)
    log: List[str] = field(default_factory=list)
    figures: Dict[str, bytes] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return bool(self.study["data"].get("synthetic"))

    @property
    def years(self) -> List[int]:
        return sorted(int(y) for y in self.results[self.study["data"]["year_field"]].unique())


class StepFeedback(Feedback):
    """Feedback for one step: warnings go through, information is logged,
    progress is shown as at most one line per 25 % of a step that takes long."""

    def __init__(self, outer: Feedback, label: str, log: List[str]):
        self._outer, self._label, self._log = outer, label, log
        self._start = time.perf_counter()
        self._shown = 0

    def progress(self, fraction: float) -> None:
        quarter = int(max(0.0, min(1.0, fraction)) * 4)
        if quarter > self._shown and quarter < 4 and time.perf_counter() - self._start > 3:
            self._shown = quarter
            self._outer.info(f"      {self._label}: {25 * quarter}% "
                             f"({time.perf_counter() - self._start:.0f} s)")

    def info(self, message: str) -> None:
        self._log.append(f"[{self._label}] {message}")

    def warning(self, message: str) -> None:
        self._log.append(f"[{self._label}] warning: {message}")
        self._outer.warning(f"{self._label}: {message}")

    def canceled(self) -> bool:
        return self._outer.canceled()


def available_tools() -> Dict[str, Any]:
    """Tool id → tool, looked up at run time (steps whose tool is absent are skipped)."""
    from . import tools

    return {tool.id: tool for tool in tools.TOOLS}


class ToolMissing(Exception):
    """A step's tool or one of its required parameters is not in this toolbox."""


def tool_values(tool, wanted: Dict[str, Any], options: Optional[Dict[str, Any]], section: str,
                tables: Dict[str, Any]) -> Dict[str, Any]:
    """The ``values`` dict of ``tool.run`` from its declared parameters.

    ``wanted`` maps parameter names to the config's settings (names the tool
    does not declare are left out: several spellings may be offered);
    ``options`` are the step's explicit parameters, which must be declared;
    ``tables`` maps table inputs by name to a DataFrame or GeoDataFrame.
    Undeclared options raise StudyConfigError naming ``section.options.NAME``;
    a required parameter with no value raises :class:`ToolMissing`.
    """
    declared = {p.name: p for p in tool.parameters}
    for name in options or {}:
        if name not in declared:
            raise StudyConfigError(
                f"{section}.options.{name}: not a parameter of tool {tool.id}; expected one of "
                + ", ".join(declared))
    values: Dict[str, Any] = {}
    for name, parameter in declared.items():
        if isinstance(parameter, TableInput):
            value = tables.get(name)
        elif options and name in options:
            value = options[name]
        elif name in wanted and wanted[name] is not None:
            value = wanted[name]
        else:
            value = parameter.default
        if isinstance(parameter, FieldInput) and parameter.multiple and isinstance(value, str):
            value = [value]
        if value is None and not parameter.optional and not isinstance(parameter, BooleanInput):
            raise ToolMissing(f"tool {tool.id} needs parameter {name}, which the pipeline does not set")
        values[name] = value
    return values


class Pipeline:
    """One run of a study; use :func:`run_study`."""

    def __init__(self, study: Study, feedback: Feedback, jobs: int = 1):
        self.study, self.feedback, self.jobs = study, feedback, max(1, int(jobs or 1))
        self.tools = available_tools()
        data = study["data"]
        self.id_field, self.year_field = data["id_field"], data["year_field"]
        self.result: Optional[StudyResult] = None

    # -- data -----------------------------------------------------------------

    def load(self):
        data = self.study["data"]
        if data["source"] == "demo":
            from .demo_data import demo_layers

            polygons, panel = demo_layers(seed=data["demo_seed"])
            return panel, polygons
        from .tables import read_layer

        layer = read_layer(data["panel"])
        panel = layer.attributes
        polygons = None
        if data.get("polygons"):
            source = read_layer(data["polygons"])
            if source.geometry is None:
                raise StudyConfigError(f"data.polygons: {data['polygons']} has no geometry; expected "
                                       "a polygon layer")
            polygons = _geoframe(source)
            id_field = data.get("polygons_id_field", self.id_field)
            if id_field not in polygons.columns:
                raise StudyConfigError(f"data.polygons_id_field: the polygons have no field {id_field!r}; "
                                       f"fields are {', '.join(map(str, polygons.columns[:-1]))}")
            if id_field != self.id_field:
                polygons = polygons.rename(columns={id_field: self.id_field})
        elif layer.geometry is not None:
            frame = _geoframe(layer)
            polygons = frame.drop_duplicates(self.id_field)[[self.id_field, "geometry"]]
        if self.id_field not in panel.columns:
            raise StudyConfigError(f"data.id_field: the panel has no field {self.id_field!r}")
        if self.year_field not in panel.columns:
            raise StudyConfigError(f"data.year_field: the panel has no field {self.year_field!r}")
        if polygons is not None:
            polygons = polygons.reset_index(drop=True)
            if polygons[self.id_field].dtype != panel[self.id_field].dtype:
                polygons[self.id_field] = polygons[self.id_field].astype(panel[self.id_field].dtype)
        return panel, polygons

    def restrict_years(self, frame: pd.DataFrame) -> pd.DataFrame:
        data = self.study["data"]
        years = pd.to_numeric(frame[self.year_field], errors="coerce")
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

    # -- steps ----------------------------------------------------------------

    def call(self, tool_id: str, section: str, wanted: Dict[str, Any], label: str,
             tables: Dict[str, Any], options=None) -> Dict[str, pd.DataFrame]:
        tool = self.tools.get(tool_id)
        if tool is None:
            raise ToolMissing(f"tool {tool_id} is not in this version of the toolbox")
        wanted = dict(wanted)
        for name in JOB_PARAMETERS:
            wanted.setdefault(name, self.jobs)
        values = tool_values(tool, wanted, options, section, tables)
        feedback = StepFeedback(self.feedback, label, self.result.log)
        try:
            return tool.run(values, feedback)
        except StudyConfigError:
            raise
        except InputError as error:
            raise InputError(f"step {section} ({tool_id}): {error}") from error

    def step(self, name: str, label: str, function: Callable[[], str]):
        """Run one step, time it and record it; a missing tool skips the step."""
        self.feedback.check_canceled()
        self.result.steps.append(self._timed(name, label, function, f"[{len(self.result.steps) + 1}]"))

    def run(self) -> StudyResult:
        study = self.study
        self.feedback.info(f"study: {study['title']}")
        start = time.perf_counter()
        panel, polygons = self.load()
        self.result = StudyResult(study, panel, polygons)
        self.feedback.info(f"[0] data: {len(panel)} rows"
                           + (f", {len(polygons)} unit polygons" if polygons is not None else "")
                           + (" (SYNTHETIC)" if self.result.synthetic else "")
                           + f": {time.perf_counter() - start:.1f} s")
        if study.has("innovation"):
            self.step("innovation", "persistent innovation", self.innovation)
        self.result.results = self.restrict_years(self.result.results)
        self._resolve_years()
        if study.has("systems"):
            for name in study["systems"]:
                self.step("systems", f"index {name}", lambda name=name: self.system(name))
        if study.has("coupling"):
            self.step("coupling", "coupling coordination", self.coupling)
        if study.has("tiers"):
            self.step("tiers", "tiers", self.tiers)
        if study.has("dagum"):
            self.step("dagum", "Dagum Gini", self.dagum)
        if study.has("obstacles"):
            self.step("obstacles", "obstacle degree", self.obstacles)
        late = []
        if study.has("drivers"):
            late.append(("drivers", "drivers", self.drivers))
        if study.has("spatial"):
            late.append(("spatial", "spatial autocorrelation", self.spatial))
        if self.jobs > 1 and len(late) > 1:
            self.feedback.info(f"drivers and spatial steps run side by side (--jobs {self.jobs})")
            with ThreadPoolExecutor(max_workers=len(late)) as pool:
                futures = [pool.submit(self._timed, *item) for item in late]
                records = [f.result() for f in futures]
            for record in records:
                self.result.steps.append(record)
        else:
            for name, label, function in late:
                self.step(name, label, function)
        return self.result

    def _timed(self, name, label, function, tag="[*]") -> StepRecord:
        """Run ``function`` as step ``name``; the record says done or skipped, with its time."""
        start = time.perf_counter()
        try:
            note = function() or ""
            record = StepRecord(name, label, "done", time.perf_counter() - start, note)
            self.feedback.info(f"{tag} {label}: {record.seconds:.1f} s" + (f" ({note})" if note else ""))
        except ToolMissing as missing:
            record = StepRecord(name, label, "skipped", time.perf_counter() - start, str(missing))
            self.result.log.append(f"[{label}] skipped: {missing}")
            self.feedback.info(f"{tag} {label}: skipped — {missing}")
        return record

    def _resolve_years(self):
        """Fill the data-dependent defaults (first and last year for maps and LISA)."""
        years = sorted(int(y) for y in pd.to_numeric(self.result.results[self.year_field]).unique())
        ends = [years[0], years[-1]] if years[0] != years[-1] else [years[0]]
        report = self.study["report"]
        report.setdefault("map_years", ends)
        _check_years(report["map_years"], years, "report.map_years")
        if self.study.has("spatial"):
            spatial = self.study["spatial"]
            spatial.setdefault("lisa_years", ends)
            _check_years(spatial["lisa_years"], years, "spatial.lisa_years")

    @property
    def common(self):
        return {"ID_FIELD": self.id_field, "YEAR_FIELD": self.year_field}

    def _frame(self):
        return self.result.results.reset_index(drop=True)

    def innovation(self):
        section = self.study["innovation"]
        out = self.call("persistentinnovation", "innovation",
                        {**self.common, "PATENT_FIELD": section["patent_field"]},
                        "persistent innovation", {"INPUT": self._frame()}, section.get("options"))
        self.result.results = out["OUTPUT"].reset_index(drop=True)
        self.result.methods["results"] = ("Coninnov_t = (p_t + p_t−1)/(p_t−1 + p_t−2)·(p_t + p_t−1) "
                                          f"from {section['patent_field']}")
        return ""

    def system(self, name):
        s = self.study["systems"][name]
        out = self.call("entropyweights", f"systems.{name}",
                        {**self.common, "POSITIVE_FIELDS": s["positive"], "NEGATIVE_FIELDS": s["negative"],
                         "SCOPE": s["scope"], "SHIFT": s["shift"], "INDEX_FIELD": s["index_field"],
                         "MISSING": s["missing"], "MAX_MISSING_SHARE": s.get("max_missing_share")},
                        f"index {name}", {"INPUT": self._frame()}, s.get("options"))
        self.result.results = out["OUTPUT"].reset_index(drop=True)
        table = f"weights_{name}"
        self.result.tables[table] = out["WEIGHTS"]
        k = "1/ln(rn), pooled over all years" if s["scope"] == "panel" else "1/ln(n), within each year"
        self.result.methods[table] = (
            f"Entropy method: min–max standardisation ({len(s['positive'])} positive, "
            f"{len(s['negative'])} negative indicators), k = {k}, shift {s['shift']:g}, "
            f"missing values: {s['missing']}; index field {s['index_field']}.")
        return f"{len(s['positive']) + len(s['negative'])} indicators → {s['index_field']}"

    def index_fields(self):
        systems = self.study["systems"]
        return [systems[name]["index_field"] for name in self.study["coupling"]["systems"]]

    def coupling(self):
        c = self.study["coupling"]
        out = self.call("couplingcoordination", "coupling",
                        {**self.common, "SYSTEM_FIELDS": self.index_fields(),
                         "SYSTEM_WEIGHTS": c.get("weights"), "MODEL": c["model"],
                         "CLASS_BREAKS": c.get("class_breaks")},
                        "coupling coordination", {"INPUT": self._frame()}, c.get("options"))
        self.result.results = out["OUTPUT"].reset_index(drop=True)
        return f"{c['model']} model"

    def coupling_note(self) -> str:
        if not self.study.has("coupling"):
            return ""
        c = self.study["coupling"]
        weights = ", ".join(f"{w:g}" for w in c["weights"]) if c.get("weights") else "equal"
        return (f"D = √(C·T), {c['model']} coupling of {' and '.join(c['systems'])} "
                f"(system weights {weights})")

    def tiers(self):
        t = self.study["tiers"]
        out = self.call("coordinationtiers", "tiers",
                        {**self.common, "VALUE_FIELD": t["value_field"], "METHOD": t["method"],
                         "K": t["k"], "SEED": t["seed"], "BREAKS": t.get("breaks"),
                         "GROUP_FIELD": t.get("group_field")},
                        "tiers", {"INPUT": self._frame()}, t.get("options"))
        self.result.results = out["OUTPUT"].reset_index(drop=True)
        for key, name in (("COUNTS", "tier_counts"), ("GROUP_MEANS", "group_means"),
                          ("THRESHOLDS", "tier_thresholds")):
            self.result.tables[name] = out[key]
        how = f"{t['method']} (k = {t['k']}, seed {t['seed']})"
        base = self.coupling_note()
        self.result.methods["tier_counts"] = f"Units per tier and year; tiers by {how} of {t['value_field']}. {base}."
        self.result.methods["tier_thresholds"] = f"Value range and centroid of each tier; {how}."
        self.result.methods["group_means"] = (
            f"Mean {t['value_field']} per {t.get('group_field') or 'tier'} and year; 'overall' is the "
            f"mean over all units of the year (units with no group included). {base}.")
        return how

    def dagum(self):
        d = self.study["dagum"]
        out = self.call("dagumgini", "dagum",
                        {**self.common, "VALUE_FIELD": d["value_field"], "GROUP_FIELD": d["group_field"],
                         "SINGLETONS": d["singletons"]},
                        "Dagum Gini", {"INPUT": self._frame()}, d.get("options"))
        self.result.tables["dagum"] = out["OUTPUT"]
        self.result.tables["dagum_pairs"] = out["PAIRS"]
        note = (f"Dagum (1997) decomposition of {d['value_field']} by {d['group_field']} per year: "
                "G = Gw + Gnb + Gt; shares in % of G.")
        self.result.methods["dagum"] = note + (" " + self._tier_note() if d["group_field"] == "TIER" else "")
        self.result.methods["dagum_pairs"] = ("Within-group Gini G_jj (GROUP_A = GROUP_B) and between-"
                                              "group Gini G_jh with relative affluence D_jh, GROUP_A the "
                                              f"group with the larger mean; groups: {d['group_field']}.")
        return f"by {d['group_field']}"

    def _tier_note(self) -> str:
        if not self.study.has("tiers"):
            return ""
        t = self.study["tiers"]
        return f"Tiers: {t['method']}, k = {t['k']}, seed {t['seed']}."

    def obstacles(self):
        o = self.study["obstacles"]
        subsystems = o.get("subsystems")
        text = "; ".join(f"{name}={','.join(fields)}" for name, fields in subsystems.items()) if subsystems else None
        out = self.call("obstacledegree", "obstacles",
                        {**self.common, "POSITIVE_FIELDS": o["positive"], "NEGATIVE_FIELDS": o["negative"],
                         "WEIGHTS": o.get("weights"), "GROUP_FIELD": o.get("group_field"),
                         "SUBSYSTEMS": text, "TOP_N": o["top_n"]},
                        "obstacle degree", {"INPUT": self._frame()}, o.get("options"))
        self.result.results = out["OUTPUT"].reset_index(drop=True)
        self.result.tables["obstacle_summary"] = out["SUMMARY"]
        weights = "as given" if o.get("weights") else "entropy weights pooled over all years"
        self.result.methods["obstacle_summary"] = (
            f"O_ij = F_j·I_ij / Σ F_j·I_ij × 100 with I_ij = 1 − x'_ij, F_j = {weights}; mean per "
            f"{o.get('group_field') or 'all units'} and year, 'average' = mean of the yearly means. "
            + self._tier_note())
        return f"{len(o['positive']) + len(o['negative'])} indicators"

    def drivers(self):
        d = self.study["drivers"]
        out = self.call("driveranalysis", "drivers",
                        {**self.common, "TARGET_FIELD": d["target"], "DRIVER_FIELDS": d["drivers"],
                         "GROUP_FIELD": d.get("group_field"), "SPLIT": d["split"],
                         "TEST_SIZE": d["test_size"], "SEED": d["seed"]},
                        "drivers", {"INPUT": self._frame()}, d.get("options"))
        options = d.get("options") or {}
        extra = ", ".join(f"{k} {v}" for k, v in options.items())
        for key, table in out.items():
            if isinstance(table, pd.DataFrame):
                name = f"drivers_{key.lower()}"
                self.result.tables[name] = table
                self.result.methods[name] = (
                    f"{d['target']} on {len(d['drivers'])} drivers per {d.get('group_field') or 'sample'} "
                    f"and for all units; primary split {d['split']} (test share {d['test_size']:g}), "
                    f"seed {d['seed']}" + (f", {extra}" if extra else "") + ". " + self._tier_note())
        return f"split {d['split']}, seed {d['seed']}"

    def spatial(self):
        s = self.study["spatial"]
        units = self.result.units
        if units is None:
            raise ToolMissing("no unit polygons: give data.polygons (or a panel layer with geometry)")
        weights = {"WEIGHTS": s["weights"], "WEIGHTS_TYPE": s["weights"], "TYPE": s["weights"],
                   "K": s.get("k"), "THRESHOLD": s.get("threshold"), "DISTANCE": s.get("threshold"),
                   "TARGET_CRS": s.get("target_crs")}
        common = {**self.common, "VALUE_FIELD": s["value_field"], "PERMUTATIONS": s["permutations"],
                  "SEED": s["seed"], **weights}
        frame = self._frame()
        tables = {"INPUT": frame, "POLYGONS": units}
        options = s.get("options") or {}
        how = (f"{s['weights']} weights" + (f" (k = {s['k']})" if s["weights"] in ("knn", "kernel") else "")
               + (f" (threshold {s['threshold']:g})" if s.get("threshold") else "")
               + f", row-standardised; {s['permutations']} permutations, seed {s['seed']}")
        done, missing = [], []
        for tool_id in ("globalmoran", "localmoran", "spatialmarkov"):
            tool = self.tools.get(tool_id)
            if tool is None:
                missing.append(tool_id)
                continue
            wanted = dict(common)
            if tool_id == "localmoran":
                wanted.update(SIGNIFICANCE=s["significance"], CORRECTION=s["correction"])
            if tool_id == "globalmoran":
                wanted.update(DRAWS=s["draws"])
            if tool_id == "spatialmarkov":
                if not s["markov"]:
                    continue
                if self.study.has("tiers"):
                    wanted.update(TIER_FIELD="TIER", VALUE_FIELD=None)
                wanted.update(WEIGHTS=s["markov_weights"], WEIGHTS_TYPE=s["markov_weights"],
                              TYPE=s["markov_weights"])
            own = {k: v for k, v in options.items() if any(p.name == k for p in tool.parameters)}
            try:
                out = self.call(tool_id, "spatial", wanted, tool_id, tables, own)
            except ToolMissing as problem:
                missing.append(str(problem))
                continue
            except InputError as problem:
                if tool_id != "spatialmarkov" or isinstance(problem, StudyConfigError):
                    raise
                # the chain needs neighbours for every unit, which Moran's I does not: report, go on
                missing.append(f"spatial Markov chain: {problem}")
                continue
            for key, table in out.items():
                if isinstance(table, bytes):
                    self.result.figures[f"{tool_id}_{key.lower()}"] = table
                if not isinstance(table, pd.DataFrame):
                    continue
                name = {"globalmoran": "moran", "localmoran": "lisa"}[tool_id] if key == "OUTPUT" and \
                    tool_id != "spatialmarkov" else f"{tool_id.replace('spatial', '')}_{key.lower()}"
                table = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
                self.result.tables[name] = table.reset_index(drop=True)
                if tool_id == "localmoran":
                    self.result.methods[name] = (
                        f"Local Moran of {s['value_field']}: {how}; clusters at p ≤ {s['significance']:g}, "
                        f"correction {s['correction']}.")
                elif tool_id == "globalmoran":
                    self.result.methods[name] = (f"Global Moran's I of {s['value_field']} per year: {how}, "
                                                 f"{s['draws']} draws.")
                else:
                    mw = s["markov_weights"]
                    self.result.methods[name] = (
                        f"Spatial Markov transitions of {'TIER' if self.study.has('tiers') else s['value_field'] + ' quantile classes'}"
                        f" conditioned on the neighbours' class: {mw} weights"
                        + (f" (k = {s['k']})" if mw in ('knn', 'kernel') else "") + ". " + self._tier_note())
            done.append(tool_id)
        unknown = [k for k in options if not any(k in (p.name for p in self.tools[t].parameters)
                                                 for t in done if t in self.tools)]
        if unknown and done:
            raise StudyConfigError(f"spatial.options.{unknown[0]}: not a parameter of "
                                   f"{', '.join(done)}")
        if not done:
            raise ToolMissing("; ".join(missing))
        if missing:
            note = "not run: " + "; ".join(missing)
            self.result.log.append(f"[spatial] {note}")
            return note
        return how


def _check_years(years, available, path):
    for i, year in enumerate(years):
        if year not in available:
            raise StudyConfigError(f"{path}[{i}]: expected a year of the data ({available[0]}–"
                                   f"{available[-1]}), got {year}")


def _geoframe(layer):
    import geopandas

    return geopandas.GeoDataFrame(layer.attributes, geometry=layer.geometry.to_numpy(), crs=layer.crs)


def run_study(study: Study, feedback: Optional[Feedback] = None, jobs: int = 1) -> StudyResult:
    """Compute every step of ``study`` (nothing is written). ``jobs`` > 1 runs
    the drivers and spatial steps side by side and is passed to tools that
    declare a jobs parameter."""
    return Pipeline(study, feedback or Feedback(), jobs).run()


# ----------------------------------------------------------------------------
# outputs
# ----------------------------------------------------------------------------


def _for_file(table: pd.DataFrame) -> pd.DataFrame:
    """Object columns of mixed types as text (GeoPackage fields have one type)."""
    out = table.copy()
    for column in out.columns:
        if column != "geometry" and out[column].dtype == object:
            non_null = out[column].dropna()
            if len({type(v) for v in non_null}) > 1 or (len(non_null) and not isinstance(non_null.iloc[0], str)):
                out[column] = out[column].map(lambda v: None if v is None or v != v else str(v))
    out.columns = [str(c) for c in out.columns]
    return out


def write_outputs(result: StudyResult, output_dir: str, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Write ``study.gpkg`` (layers ``units``, ``results`` and one non-spatial
    layer per table), ``tables/<name>.csv``, ``figures/*.png``, ``report.html``,
    ``study-resolved.toml`` and ``log.txt`` to ``output_dir``; returns name → path."""
    import pyogrio
    import shapely

    from .report import build_report, render_figures

    feedback = feedback or Feedback()
    start = time.perf_counter()
    os.makedirs(os.path.join(output_dir, "tables"), exist_ok=True)
    os.makedirs(os.path.join(output_dir, "figures"), exist_ok=True)
    paths = {}
    study, id_field = result.study, result.study["data"]["id_field"]

    paths["config"] = os.path.join(output_dir, "study-resolved.toml")
    write_study(study, paths["config"], header=(
        "Fully resolved study config written by the Coupling Coordination Toolbox.\n"
        "Run it again with: ccd run study-resolved.toml --output-dir DIR"))

    gpkg = paths["gpkg"] = os.path.join(output_dir, "study.gpkg")
    if os.path.exists(gpkg):
        os.remove(gpkg)
    try:
        if result.units is not None:
            pyogrio.write_dataframe(_for_file(result.units), gpkg, layer="units")
            import geopandas

            geometry = result.units.set_index(id_field).geometry
            tolerance = study["output"]["layer_tolerance"]
            if tolerance:
                simplified = shapely.simplify(geometry.to_numpy(), tolerance, preserve_topology=False)
                bad = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
                simplified[bad] = geometry.to_numpy()[bad]
                geometry = pd.Series(simplified, index=geometry.index)
            joined = geometry.reindex(result.results[id_field]).to_numpy()
            layer = geopandas.GeoDataFrame(_for_file(result.results), geometry=joined, crs=result.units.crs)
            pyogrio.write_dataframe(layer, gpkg, layer="results")
        else:
            pyogrio.write_dataframe(_for_file(result.results), gpkg, layer="results")
        for name, table in result.tables.items():
            pyogrio.write_dataframe(_for_file(table), gpkg, layer=name)
    except Exception as error:
        from .tables import TableIOError

        raise TableIOError(f"cannot write {gpkg}: {error}") from error
    result.results.to_csv(os.path.join(output_dir, "tables", "results.csv"), index=False)
    for name, table in result.tables.items():
        table.to_csv(os.path.join(output_dir, "tables", f"{name}.csv"), index=False)
    feedback.info(f"[w] layers and tables: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    figures = {**render_figures(result), **result.figures}
    for name, png in figures.items():
        with open(os.path.join(output_dir, "figures", f"{name}.png"), "wb") as handle:
            handle.write(png)
    paths["report"] = os.path.join(output_dir, "report.html")
    with open(paths["report"], "w", encoding="utf-8") as handle:
        handle.write(build_report(result, figures))
    with open(os.path.join(output_dir, "log.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(result.log) + "\n")
    feedback.info(f"[w] {len(figures)} figures and report: {time.perf_counter() - start:.1f} s")
    return paths


def run(config_path: Optional[str] = None, output_dir: Optional[str] = None,
        feedback: Optional[Feedback] = None, jobs: int = 1, study: Optional[Study] = None) -> str:
    """Run the study in ``config_path`` (or a given ``study``) and write every
    output to ``output_dir`` (default the config's ``output.dir``); returns the
    folder's absolute path. Raises StudyConfigError, InputError, TableIOError."""
    feedback = feedback or Feedback()
    if study is None:
        study = load_study(config_path)
    if output_dir:
        study.config["output"]["dir"] = os.path.abspath(output_dir)
    folder = study.config["output"].get("dir") or os.path.abspath("study-results")
    study.config["output"]["dir"] = folder
    start = time.perf_counter()
    result = run_study(study, feedback, jobs)
    write_outputs(result, folder, feedback)
    feedback.info(f"done in {time.perf_counter() - start:.1f} s: {os.path.join(folder, 'report.html')}")
    return os.path.abspath(folder)


__all__ = ["StudyResult", "StepRecord", "run_study", "write_outputs", "run", "tool_values",
           "Canceled"]
