"""The study runner: one config → every table, layer, figure and a report.

The steps are the modules of :mod:`toolbox.steps`, run in their declared
order; each calls toolbox tools through their ``run`` — the same code path
as the command line and QGIS, so every number equals what the single tool
gives on the same input. This module only orders, times and records the
steps, restricts the years after the lead-in steps, runs independent steps
side by side with ``--jobs`` and writes the outputs; it knows nothing about
any step in particular.
"""

import os
import shutil
import sys
import time
from functools import lru_cache
from typing import Dict, List, Optional, Sequence

import pandas as pd

from spatial.permutation import usable_cores

from .config import StudyConfigError
from .executors import executor_for, merge, snapshot
from .step import (Step, StepContext, StepRecord, StepSkipped, Study, StudyResult, YearsPiece,
                   check_years, join_pieces, new_tables, tool_values)
from . import steps
from .steps.data import restrict_years
from .study import load_study, write_study
from .report import step_figures
from .tool import Canceled, Feedback
from .atomic import FolderCommit

RUN_FILES = ("study.gpkg", "report.html", "study-resolved.toml", "log.txt")
RUN_LAYOUT = RUN_FILES + ("tables/*.csv", "figures/*.png")  # a run folder made before manifests

__all__ = ["StudyResult", "StepRecord", "run_study", "write_outputs", "run", "tool_values", "Canceled",
           "StudyConfigError"]


class Runner:
    """One run of a study; use :func:`run_study`."""

    def __init__(self, study: Study, feedback: Feedback, jobs: Optional[int] = 1,
                 scheduler: Optional[str] = None):
        self.study, self.feedback, self.scheduler = study, feedback, scheduler
        self.auto = jobs is None
        self.jobs = max(1, int(jobs)) if jobs is not None else 1
        self.result = StudyResult(study, pd.DataFrame(), None)
        self.context = StepContext(study, self.result, feedback, self.jobs)
        self._executor = None
        self._undrawn: List[Step] = []  # steps the later ones wait for: figures drawn once those are sent off

    def run(self) -> StudyResult:
        try:
            return self._run()
        finally:
            if self._executor is not None:
                self._executor.close()

    def _run(self) -> StudyResult:
        self.feedback.info(f"study: {self.study['title']}")
        chosen = [step for step in steps.all_steps() if self.study.has(step.name)]
        windowed = False
        pending: List[Step] = []
        for step in chosen:
            if not step.lead_in and not windowed:
                self.result.results = restrict_years(self.result.results, self.study["data"])
                self._resolve_years()
                windowed = True
            if step.independent:
                pending.append(step)
                continue
            self._run_together(pending)
            pending = []
            self._run_step(step)
        self._run_together(pending)
        self._draw_undrawn()
        if not windowed:
            self.result.results = restrict_years(self.result.results, self.study["data"])
            self._resolve_years()
        return self.result

    def _draw_undrawn(self):
        for step in self._undrawn:
            self.result.figures.update(step_figures(step, self.result))
        self._undrawn = []

    def _years(self) -> List[int]:
        year = self.result.results.get(self.study["data"]["year_field"])
        return [] if year is None else sorted(int(y) for y in pd.to_numeric(year).dropna().unique())

    def _run_step(self, step: Step):
        joined: Dict[str, pd.DataFrame] = {}
        for label, piece in step.pieces(self.study, self._years(), 1):
            self.feedback.check_canceled()
            tag = f"[{len(self.result.steps)}]"
            tables = dict(self.result.tables)
            self.result.steps.append(self._timed(step, label, piece, tag))
            join_pieces(self.result.tables, joined, new_tables(tables, self.result.tables), step)
        if step.independent:
            self.result.figures.update(step_figures(step, self.result))
        else:  # its figures read its own tables and fields, which later steps leave as they are
            self._undrawn.append(step)

    def _run_together(self, group: List[Step]):
        """Independent steps: in local processes with ``--jobs`` > 1 (when there
        are several) or on the Dask cluster of ``--scheduler``; else here, one
        after the other. A step whose pieces may run apart (years, see
        :meth:`Step.pieces`) is sent as one task per piece, and its figures
        are drawn here once they are merged; additions are merged in
        declaration order."""
        if not group:
            return
        if self.auto:
            self.jobs = self.context.jobs = automatic_jobs(self.result.results)
            self.auto = False
            self.feedback.info(f"--jobs {self.jobs} (automatic: {usable_cores()} core(s), "
                               f"{self.result.results.memory_usage().sum() / 2**20:.0f} MiB of unit-year results)")
        if not self.scheduler and (self.jobs == 1 or len(group) == 1):
            self._draw_undrawn()
            for step in group:
                self._run_step(step)
            return
        if self._executor is None:
            self._executor = executor_for(self.jobs, self.scheduler)
        self.feedback.check_canceled()
        self.feedback.info(f"{', '.join(s.title for s in group)}: on {self._executor.name}")
        jobs = 1 if self.scheduler else max(1, self.jobs // len(group))
        years = self._years()
        workers = self._executor.workers if len(self.result.results) >= PIECES_MIN_ROWS else 1
        tasks = {}
        for step in sorted(group, key=lambda s: not s.long):  # the long ones first, merged in order
            pieces = step.pieces(self.study, years, workers)
            if len(pieces) == 1:
                tasks[step.name] = (step, True, [self._executor.submit(step.name, pieces, self.study,
                                                                       snapshot(self.result), jobs)])
                continue
            tasks[step.name] = (step, False, [self._executor.submit(
                step.name, [piece], self.study,
                snapshot(self.result, piece[1].years or None if isinstance(piece[1], YearsPiece) else None),
                jobs, figures=False) for piece in pieces])
        self._draw_undrawn()  # here, while the workers compute
        for step, drawn, futures in (tasks[step.name] for step in group):
            joined: Dict[str, pd.DataFrame] = {}
            for future in futures:
                records = merge(self.result, future.result(), self.feedback, joined, step)
                for record in records:
                    self.feedback.info(f"[*] {record.label}: {record.seconds:.1f} s"
                                       + (f" ({record.note})" if record.note else ""))
                self.result.steps.extend(records)
            if not drawn:  # here, while the workers go on with the next steps
                self.result.figures.update(step_figures(step, self.result))

    def _timed(self, step: Step, label: str, piece, tag: str) -> StepRecord:
        """Run one piece of ``step``; the record says done or skipped, with its time."""
        start = time.perf_counter()
        self.context.reading_only = step.independent
        try:
            note = step.run(self.context, piece) or ""
            record = StepRecord(step.name, label, "done", time.perf_counter() - start, note)
            self.feedback.info(f"{tag} {label}: {record.seconds:.1f} s" + (f" ({note})" if note else ""))
        except StepSkipped as skipped:
            record = StepRecord(step.name, label, "skipped", time.perf_counter() - start, str(skipped))
            self.result.log.append(f"[{label}] skipped: {skipped}")
            self.feedback.info(f"{tag} {label}: skipped — {skipped}")
        return_freed_memory()
        return record

    def _resolve_years(self):
        """Fill the data-dependent defaults (years of maps) of the runner and the steps."""
        year_field = self.study["data"]["year_field"]
        years = sorted(int(y) for y in pd.to_numeric(self.result.results[year_field]).unique())
        report = self.study["report"]
        report.setdefault("map_years", [years[0], years[-1]] if years[0] != years[-1] else [years[0]])
        check_years(report["map_years"], years, "report.map_years")
        for step in steps.all_steps():
            if self.study.has(step.name):
                step.resolve_years(self.study[step.name], years)


def return_freed_memory() -> None:
    """Give the memory a step freed back to the system: glibc's ``malloc_trim``
    (elsewhere nothing) — the C allocator keeps freed blocks below 32 MiB,
    which between steps of a 40,000 x 20 study held 150–300 MB that the next
    step's peak then came on top of — and, once pyarrow is loaded (pandas'
    text columns), its memory pool's ``release_unused``: mimalloc keeps what
    Arrow freed (70 MiB at the end of a 40,000 x 20 study)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        pool = arrow.default_memory_pool()
        if hasattr(pool, "release_unused"):  # not in pyarrow before 6
            pool.release_unused()


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None

PIECES_MIN_ROWS = 10_000
"""Unit-years from which a step may be split into pieces on several workers:
below, each piece would cost more in the imports and spatial weights every
worker makes again than it saves (the demo's 3,848 unit-years: 18.8 s whole
against 20.4 s in pieces; a 2,500-cell grid × 13 years: 27.1 s against
24.4 s, both on 2 cores)."""

AUTO_JOBS_MAX = 4
AUTO_JOBS_MEMORY = 256 * 2**20


def automatic_jobs(results: pd.DataFrame) -> int:
    """Processes for the independent steps when ``--jobs`` is not given: every
    usable core (at most 4), or 1 when the unit-year results exceed 256 MiB,
    since each process holds its own copy of them."""
    if results.memory_usage().sum() > AUTO_JOBS_MEMORY:
        return 1
    return max(1, min(AUTO_JOBS_MAX, usable_cores()))


def run_study(study: Study, feedback: Optional[Feedback] = None, jobs: Optional[int] = 1,
              scheduler: Optional[str] = None) -> StudyResult:
    """Compute every step of ``study`` (nothing is written). ``jobs`` > 1 runs
    the independent steps in local processes and is passed to tools that
    declare a jobs parameter (None: :func:`automatic_jobs`, decided once the
    lead-in steps are done); ``scheduler`` (a Dask scheduler address, or
    ``local``) runs them on a Dask cluster (:mod:`toolbox.executors`). The
    numbers are the same wherever the steps run."""
    return Runner(study, feedback or Feedback(), jobs, scheduler).run()


# ----------------------------------------------------------------------------
# outputs
# ----------------------------------------------------------------------------


def _for_file(table: pd.DataFrame) -> pd.DataFrame:
    """Object columns of mixed types as text (GeoPackage fields have one
    type). A shallow copy: only converted columns are new arrays (a copy of
    the whole results is GBs at 10^6–10^7 unit-years)."""
    out = table.copy(deep=False)
    for column in out.columns:
        if column != "geometry" and out[column].dtype == object \
                and pd.api.types.infer_dtype(out[column], skipna=True) not in ("string", "empty"):
            out[column] = out[column].map(lambda v: None if v is None or v != v else str(v))
    out.columns = [str(c) for c in out.columns]
    return out


def write_outputs(result: StudyResult, output_dir: str, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Write ``study.gpkg`` (layers ``units``, ``results`` and one non-spatial
    layer per table), ``tables/<name>.csv``, ``figures/*.png``, ``report.html``,
    ``study-resolved.toml`` and ``log.txt`` to ``output_dir``; returns name → path."""
    import shapely

    from .csv_writer import write_csv
    from .geopackage import IndexedLayer, write_layers
    from .report import build_report

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
    def layers():
        """(name, table) of every layer, one at a time."""
        if result.units is not None:
            yield "units", _for_file(result.units)
            import geopandas

            geometry = result.units.set_index(id_field).geometry
            tolerance = study["output"]["layer_tolerance"]
            if tolerance:
                simplified = shapely.simplify(geometry.to_numpy(), tolerance, preserve_topology=False)
                bad = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
                simplified[bad] = geometry.to_numpy()[bad]
                geometry = pd.Series(simplified, index=geometry.index)
            positions = geometry.index.get_indexer(result.results[id_field])
            yield "results", IndexedLayer(_for_file(result.results),
                                          geopandas.GeoSeries(geometry.to_numpy(), crs=result.units.crs),
                                          positions)
        else:
            yield "results", _for_file(result.results)
        for name, table in result.tables.items():
            yield name, _for_file(table)

    try:
        write_layers(gpkg, layers())
    except Exception as error:
        from .tables import TableIOError

        raise TableIOError(f"cannot write {gpkg}: {error}") from error
    write_csv(result.results, os.path.join(output_dir, "tables", "results.csv"))
    for name, table in result.tables.items():
        write_csv(table, os.path.join(output_dir, "tables", f"{name}.csv"))
    feedback.info(f"[w] layers and tables: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    figures = result.figures
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
        feedback: Optional[Feedback] = None, jobs: Optional[int] = 1, study: Optional[Study] = None,
        keep_inputs: Sequence[str] = (), scheduler: Optional[str] = None,
        staged_inputs: Optional[Dict[str, str]] = None) -> str:
    """Run the study in ``config_path`` (or a given ``study``) and write every
    output to ``output_dir`` (default the config's ``output.dir``); returns the
    folder's absolute path. Raises StudyConfigError, InputError, TableIOError,
    OutputConflict.

    The folder is checked before any work (:class:`toolbox.atomic.FolderCommit`:
    not a file, writable, holding no input except ``keep_inputs``), built beside
    itself and swapped in complete: it is always the previous run or the new one.

    ``staged_inputs`` maps a file name of the run folder to a file the caller
    wrote elsewhere (the tables ``ccd:fullanalysis`` received): the study reads
    it there, and it enters the folder with the rest of the run, the resolved
    config naming it in its new place."""
    feedback = feedback or Feedback()
    staged_inputs = dict(staged_inputs or {})
    if study is None:
        study = load_study(config_path)
    if output_dir:
        study.config["output"]["dir"] = os.path.abspath(output_dir)
    folder = study.config["output"].get("dir") or os.path.abspath("study-results")
    study.config["output"]["dir"] = folder
    data = study.config.get("data") or {}
    commit = FolderCommit(folder, inputs=[data[k] for k in ("panel", "polygons", "input") if data.get(k)],
                          planned=RUN_FILES + tuple(staged_inputs),
                          legacy_marker="study-resolved.toml",
                          legacy_patterns=RUN_LAYOUT + tuple(staged_inputs), allow_inputs=keep_inputs)
    start = time.perf_counter()
    result = run_study(study, feedback, jobs, scheduler)
    for name, source in staged_inputs.items():
        for key in ("panel", "polygons"):
            if data.get(key, "").split("|")[0] == source:
                data[key] = os.path.join(folder, name) + data[key][len(source):]
    with commit as staging:
        for name, source in staged_inputs.items():
            shutil.copyfile(source, os.path.join(staging, name))
        write_outputs(result, staging, feedback)
    feedback.info(f"done in {time.perf_counter() - start:.1f} s: {os.path.join(folder, 'report.html')}")
    return os.path.abspath(folder)
