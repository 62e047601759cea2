"""The study step base class and what a step sees while it runs.

A study step is one module of :mod:`toolbox.steps`: a :class:`Step` subclass
that declares its config section (:attr:`Step.keys`), validates it against
the sections before it (:meth:`Step.resolve`), calls its tools
(:meth:`Step.run`, through :meth:`StepContext.call`), adds tables and layers
to the :class:`StudyResult`, draws its figures (:meth:`Step.figures`) and
fills its report template (:attr:`Step.template`, :meth:`Step.report`). The
runner (:mod:`toolbox.pipeline`) and the report (:mod:`toolbox.report`) know
nothing about any particular step.
"""

import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from spatial.errors import InputError

from .config import Key, StudyConfigError, check_table
from .parameters import BooleanInput, FieldInput, FileOutput, TableInput
from .tool import Feedback, Tool

JOB_PARAMETERS = ("THREADS",)
"""Tool parameters that the runner sets from ``--jobs`` unless the config does."""


@dataclass(frozen=True)
class YearsPiece:
    """A piece of a step that reads only the unit-year rows of ``years``
    (``part`` says what it computes): where the runner sends it elsewhere it
    sends only those rows. Its tables hold rows of those years only; the
    runner joins a table several pieces add in the order of the pieces."""

    part: Any
    years: Tuple[int, ...]

    @property
    def span(self) -> str:
        if not self.years:
            return ""
        first, last = self.years[0], self.years[-1]
        return f"{first}" if first == last else f"{first}–{last}"


def year_chunks(years: Sequence[int], parts: int) -> List[Tuple[int, ...]]:
    """``years`` in ``min(parts, len(years))`` runs of consecutive years, the
    longer runs first (13 years, 2 parts: 7 + 6)."""
    years = tuple(years)
    parts = max(1, min(int(parts), len(years)))
    size, extra = divmod(len(years), parts)
    chunks, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        chunks.append(years[start:end])
        start = end
    return chunks


def rows_of_years(results: pd.DataFrame, year_field: str, years: Sequence[int]) -> pd.DataFrame:
    """The rows of ``results`` whose ``year_field`` is one of ``years``."""
    return results[pd.to_numeric(results[year_field]).isin(list(years))]


def join_pieces(tables: Dict[str, pd.DataFrame], joined: Dict[str, pd.DataFrame],
                added: Dict[str, pd.DataFrame], step: Optional["Step"] = None) -> None:
    """Put the tables one piece of a step ``added`` into ``tables``: a table
    an earlier piece of the step already added (recorded in ``joined``) is
    joined with the new one by :meth:`Step.join` (the rows of the pieces in
    their order)."""
    for name, table in added.items():
        if name in joined:
            table = (step or Step()).join(name, joined[name], table)
        joined[name] = tables[name] = table


def new_tables(before: Dict[str, pd.DataFrame], after: Dict[str, pd.DataFrame]) -> Dict[str, pd.DataFrame]:
    """The tables of ``after`` that are not (the same object) in ``before``."""
    return {name: table for name, table in after.items() if before.get(name) is not table}


class StepSkipped(Exception):
    """A step cannot run on this study (no polygons, a required parameter the
    study does not set); the message says why, the report shows it."""


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
    ``tables``: name → DataFrame; ``methods``: table name → one line saying
    how it was computed; ``steps``: one record per step piece; ``log``: the
    tools' messages; ``figures``: PNGs the tools and the steps drew, by name
    (a step's own figures are drawn when it is done, see
    :func:`toolbox.report.step_figures`).
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


def tool_values(tool: Tool, wanted: Dict[str, Any], options: Optional[Dict[str, Any]], section: str,
                tables: Dict[str, Any]) -> Dict[str, Any]:
    """The ``values`` dict of ``tool.run`` from its declared parameters.

    ``wanted`` maps parameter names to the config's settings (names the tool
    does not declare are left out: several spellings may be offered);
    ``options`` are the step's explicit parameters, which must be declared;
    ``tables`` maps table inputs by name to a DataFrame or GeoDataFrame.
    Undeclared options raise StudyConfigError naming ``section.options.NAME``;
    a required parameter with no value raises :class:`StepSkipped`.
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
            raise StepSkipped(f"tool {tool.id} needs parameter {name}, which the study does not set")
        values[name] = value
    return values


class StepContext:
    """What a running step uses: the study, the result so far, feedback, jobs."""

    def __init__(self, study: Study, result: StudyResult, feedback: Feedback, jobs: int = 1,
                 reading_only: bool = False):
        self.study, self.result, self.feedback, self.jobs = study, result, feedback, jobs
        self.reading_only = reading_only  # the running step only reads the results
        data = study["data"]
        self.id_field, self.year_field = data.get("id_field"), data.get("year_field")

    def warning(self, label: str, message: str) -> None:
        """A warning of the step ``label`` itself (not of a tool it calls), in
        the log and on the console as the tools' warnings are."""
        StepFeedback(self.feedback, label, self.result.log).warning(message)

    @property
    def common(self) -> Dict[str, Any]:
        """The id and year parameters every panel tool takes."""
        return {"ID_FIELD": self.id_field, "YEAR_FIELD": self.year_field}

    def frame(self, years: Optional[Sequence[int]] = None) -> pd.DataFrame:
        """The long unit-year results so far (of ``years`` only, if given),
        with a fresh row index: the results themselves when their index is
        already 0..n-1 (tools never modify their input), else a copy."""
        results = self.result.results
        if years is not None:
            results = rows_of_years(results, self.year_field, years)
        index = results.index
        if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
            return results
        return results.reset_index(drop=True)

    def _named_columns(self, table: pd.DataFrame, values: Dict[str, Any]) -> pd.DataFrame:
        """``table`` (the results' columns) with only the columns a parameter
        value names (a field name or a list of them), the id, year and geometry."""
        named = {self.id_field, self.year_field, "geometry"}
        for value in values.values():
            if isinstance(value, str):
                named.add(value)
            elif isinstance(value, (list, tuple)):
                named.update(v for v in value if isinstance(v, str))
        columns = [c for c in table.columns if c in named]
        return table if len(columns) == len(table.columns) else table[columns]

    def call(self, tool: Tool, section: str, wanted: Dict[str, Any], label: str,
             tables: Dict[str, Any], options=None, files: Sequence[str] = ()) -> Dict[str, pd.DataFrame]:
        """``tool.run`` on values built by :func:`tool_values`; its input errors
        are prefixed with the step's section and the tool's id. File outputs
        (figures, HTML) not named in ``files`` are marked as not asked for, as
        the command line does, so the tool need not draw them."""
        values = self._values(tool, section, wanted, tables, options, files)
        if self.reading_only:
            # a step that only adds tables: its tools get the fields they name,
            # not a copy of every field the study has made (memory at 10^6 rows)
            results = self.result.results.columns
            for parameter in tool.parameters:
                value = values.get(parameter.name)
                if isinstance(parameter, TableInput) and isinstance(value, pd.DataFrame) \
                        and value.columns.equals(results):
                    values[parameter.name] = self._named_columns(value, values)
        return self._run(tool, values, label, section, StepFeedback(self.feedback, label, self.result.log))

    def add_fields(self, tool: Tool, section: str, wanted: Dict[str, Any], label: str,
                   options=None) -> Dict[str, pd.DataFrame]:
        """``tool.run`` on the results so far (parameter ``INPUT``) by a step
        whose tool returns them with fields added or changed (``OUTPUT``); sets
        the results to that and returns the tool's outputs.

        The tool gets only the fields its parameters name (with the id and
        year), and the fields it adds or changes are set on a shallow copy of
        the results: no step copies every field the study has made (at
        5·10^6 unit-years × 55 fields, 2.2 GB each time); rows the tool
        reorders or adds (gap filling) are taken from the results by its
        output's row labels (:func:`_with_fields`). Where that would not be
        what the tool gives on the whole results — its output is not rows of
        its input by label, it adds a field the results already have, it drops
        a field, or it stops on an input error (a field no parameter names) —
        it runs again on the whole results, whose output is then taken as it
        is; only the messages of that run are kept.
        """
        results = self.frame()
        values = self._values(tool, section, wanted, {"INPUT": results}, options, ())
        narrow = self._named_columns(results, values)
        outer = StepFeedback(self.feedback, label, self.result.log)
        if narrow is not results:
            recorded = _RecordedFeedback(outer)
            try:
                out = self._run(tool, {**values, "INPUT": narrow}, label, section, recorded)
            except InputError:
                out = None
            merged = None if out is None else _with_fields(results, narrow, out["OUTPUT"],
                                                          (self.id_field, self.year_field))
            if merged is not None:
                recorded.replay()
                out["OUTPUT"] = merged
                self.result.results = merged
                return out
        out = self._run(tool, values, label, section, outer)
        self.result.results = out["OUTPUT"].reset_index(drop=True)
        return out

    def _values(self, tool, section, wanted, tables, options, files) -> Dict[str, Any]:
        wanted = dict(wanted)
        for name in JOB_PARAMETERS:
            wanted.setdefault(name, self.jobs)
        values = tool_values(tool, wanted, options, section, tables)
        for output in tool.outputs:
            if isinstance(output, FileOutput) and output.name not in files:
                values[output.name] = None
        return values

    @staticmethod
    def _run(tool: Tool, values: Dict[str, Any], label: str, section: str,
             feedback: Feedback) -> Dict[str, pd.DataFrame]:
        try:
            return tool.run(values, feedback)
        except StudyConfigError:
            raise
        except InputError as error:
            raise InputError(f"step {section} ({tool.id}): {error}") from error


class _RecordedFeedback(Feedback):
    """Feedback held back until :meth:`replay` (progress and cancel go through)."""

    def __init__(self, outer: Feedback):
        self._outer, self._messages = outer, []

    def progress(self, fraction: float) -> None:
        self._outer.progress(fraction)

    def info(self, message: str) -> None:
        self._messages.append((self._outer.info, message))

    def warning(self, message: str) -> None:
        self._messages.append((self._outer.warning, message))

    def canceled(self) -> bool:
        return self._outer.canceled()

    def replay(self) -> None:
        for say, message in self._messages:
            say(message)


def _with_fields(results: pd.DataFrame, given: pd.DataFrame, output: pd.DataFrame,
                 keys: Sequence[str]) -> Optional[pd.DataFrame]:
    """The results as the tool would have returned them from all their fields,
    from its ``output`` on ``given`` (some of the results' fields, same rows):
    ``output``'s rows are rows of ``given`` named by its index labels — in
    another order, or repeated for added unit-years, whose year then differs —
    with fields added or changed. None when ``output`` is not of that form
    (another index, another unit in a row, a field dropped or one the results
    already have): the caller then runs the tool on the whole results."""
    id_field, year_field = keys
    labels = output.index
    if not pd.api.types.is_integer_dtype(labels) or not len(output) \
            or any(c not in output.columns for c in given.columns if c != "geometry"):
        return None
    labels = labels.to_numpy()
    if labels.min() < 0 or labels.max() >= len(given):
        return None
    same_rows = len(labels) == len(given) and bool((labels == np.arange(len(given))).all())
    taken = given if same_rows else given.take(labels)
    repeated = pd.Index(labels).duplicated(keep=False)
    for key in keys:
        if key not in given.columns:
            continue
        if key not in output.columns:
            return None
        moved = output[key].to_numpy() != taken[key].to_numpy()
        if moved.any() and (key == id_field or moved[~repeated].any()):
            return None
    merged = results.copy(deep=False) if same_rows else results.take(labels)
    merged = merged.reset_index(drop=True)
    output, taken = output.reset_index(drop=True), taken.reset_index(drop=True)
    for column in output.columns:
        if column == "geometry":
            continue
        if column in given.columns:
            if _same_values(output[column], taken[column]):
                continue
        elif column in results.columns:
            return None  # on the whole results, the tool would have met this field
        merged[column] = output[column]
    return merged


def _same_values(a: pd.Series, b: pd.Series) -> bool:
    """Same dtype and values (NaN equal to NaN) of two Series on one index."""
    return a.dtype == b.dtype and a.equals(b)


class Step:
    """One step of a study, declared once.

    Class attributes:

    - ``name``: the config section (``[coupling]``); ``named``: the section
      is a table of named subsections (``[systems.NAME]``);
    - ``title``: the step in the log and the report's steps table;
    - ``order``: position in the run; ``report_order``: position in the
      report (default ``order``);
    - ``keys``: the section's :class:`~toolbox.config.Key` declarations;
    - ``required``: the section must be present;
    - ``lead_in``: runs before the years are restricted to
      ``data.first_year``–``data.last_year`` (its earlier years serve as a
      lead-in);
    - ``independent``: only reads the results and adds tables, so with
      ``--jobs`` > 1 it may run beside the other independent steps;
      ``long``: it usually takes longest of those, so it is sent off first;
    - ``chapter``: the report heading this step opens, if any;
      ``absent_note``: what the report says is not computed when the section
      is absent or the step skipped (None: say nothing);
    - ``template``: the step's report template in ``toolbox/templates/``;
    - ``tables``: name → title of the tables the step adds (documentation).
    """

    name: str = ""
    title: str = ""
    order: int = 0
    report_order: Optional[int] = None
    keys: Tuple[Key, ...] = ()
    named: bool = False
    required: bool = False
    lead_in: bool = False
    independent: bool = False
    long: bool = False
    chapter: Optional[str] = None
    absent_note: Optional[str] = None
    template: Optional[str] = None
    tools: Tuple[str, ...] = ()
    adds: str = "—"
    tables: Dict[str, str] = {}

    # -- config ---------------------------------------------------------------

    def parse(self, raw: Any) -> Any:
        """The raw section as a table (a step may accept a short form, e.g. ``data = "demo"``)."""
        return raw

    def check(self, raw: Dict[str, Any]) -> Dict[str, Any]:
        """The section's keys type-checked against :attr:`keys`, defaults filled."""
        return check_table(raw, self.keys, self.name)

    def resolve(self, section: Dict[str, Any], config: Dict[str, Any], base_dir: str) -> Dict[str, Any]:
        """The section after checks that need other sections (``config`` holds
        the sections resolved before this one); keys are already type-checked."""
        return section

    def resolve_years(self, section: Dict[str, Any], years: Sequence[int]) -> None:
        """Fill defaults that need the data's years (``years`` sorted)."""

    # -- run ------------------------------------------------------------------

    def pieces(self, study: Study, years: Sequence[int] = (), workers: int = 1) -> List[Tuple[str, Any]]:
        """(label, piece) of each part recorded separately (one per system, …),
        in the order they run. ``years`` are the study's years (sorted) and
        ``workers`` the processes the runner can use at once: a step whose
        years are computed independently may return :class:`YearsPiece`
        pieces of :func:`year_chunks` (``years``, ``workers``), which the
        runner sends to different workers. The tables must not depend on how
        the years were split (seeds by calendar year)."""
        return [(self.title, None)]

    def run(self, context: StepContext, piece: Any) -> str:
        """Compute one piece, add to ``context.result``; returns a short note."""
        raise NotImplementedError

    def join(self, name: str, earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
        """Table ``name`` as two pieces added it, ``earlier`` first: their rows
        in the order of the pieces (a step whose pieces split a table otherwise
        puts the rows in the order of a run in one piece)."""
        return pd.concat([earlier, later], ignore_index=True)

    # -- report ---------------------------------------------------------------

    def figures(self, result: StudyResult) -> Dict[str, bytes]:
        """The step's report figures as PNG bytes by file name (no ``.png``)."""
        return {}

    def report(self, result: StudyResult) -> Optional[Dict[str, Any]]:
        """Variables of the step's template, or None to leave the section out."""
        return {}


def check_years(years, available, path):
    """Refuse years of the config that the data do not have, naming ``path[i]``."""
    for i, year in enumerate(years):
        if year not in available:
            raise StudyConfigError(f"{path}[{i}]: expected a year of the data ({available[0]}–"
                                   f"{available[-1]}), got {year}")
