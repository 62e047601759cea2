"""Where the independent steps of a study run: in this process, in local
processes (``ccd run --jobs N``) or on a Dask cluster (``--scheduler ADDRESS``).

An independent step (:attr:`toolbox.step.Step.independent`) only reads the
unit-year results and adds tables, methods, figures and log lines, so it can
run anywhere the toolbox is installed: :func:`run_elsewhere` runs it (or some
of its pieces, or only its figures) on a copy of the result and returns what
it added, which :func:`merge` puts back in the order the steps and pieces were
declared. Each step draws from its own seeds, and a year's draws from the
year's, so the numbers do not depend on where, beside what or split how it ran.

Dask (``dask.distributed``) is an optional extra (``pip install ".[dask]"``);
nothing else needs it.
"""

import copy
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Dict, List, Optional

from .step import StepContext, StepRecord, StepSkipped, join_pieces, new_tables, rows_of_years
from .tool import Feedback


class _Recorder(Feedback):
    """Feedback of a step run elsewhere: warnings kept to be shown at home."""

    def __init__(self):
        self.warnings: List[str] = []

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def run_elsewhere(step_name: str, pieces, study, result, jobs: int, figures: bool = True) -> Dict[str, Any]:
    """Run ``pieces`` (label, piece) of step ``step_name`` on ``result`` (a
    copy, wherever this runs), then draw the step's figures if ``figures``;
    return what was added: records, tables, methods, figures, log lines and
    warnings."""
    from . import steps
    from .report import step_figures

    step = steps.step(step_name)
    before = {"tables": dict(result.tables), "methods": set(result.methods),
              "figures": set(result.figures), "log": len(result.log)}
    recorder = _Recorder()
    context = StepContext(study, result, recorder, jobs, reading_only=step.independent)
    records, joined = [], {}
    for label, piece in pieces:
        start = time.perf_counter()
        tables = dict(result.tables)
        try:
            note = step.run(context, piece) or ""
            records.append(StepRecord(step.name, label, "done", time.perf_counter() - start, note))
        except StepSkipped as skipped:
            records.append(StepRecord(step.name, label, "skipped", time.perf_counter() - start, str(skipped)))
            result.log.append(f"[{label}] skipped: {skipped}")
        join_pieces(result.tables, joined, new_tables(tables, result.tables), step)
    result.steps = result.steps + records
    if figures:
        result.figures.update(step_figures(step, result))
    return {"records": records,
            "tables": new_tables(before["tables"], result.tables),
            "methods": {k: v for k, v in result.methods.items() if k not in before["methods"]},
            "figures": {k: v for k, v in result.figures.items() if k not in before["figures"]},
            "log": result.log[before["log"]:], "warnings": recorder.warnings}


def merge(result, added: Dict[str, Any], feedback: Feedback,
          joined: Optional[Dict[str, Any]] = None, step=None) -> List[StepRecord]:
    """Put what a step (or some of its pieces) added elsewhere into
    ``result``; returns its records. ``joined`` records the tables earlier
    pieces of the same ``step`` added (:func:`toolbox.step.join_pieces`)."""
    join_pieces(result.tables, {} if joined is None else joined, added["tables"], step)
    result.methods.update(added["methods"])
    result.figures.update(added["figures"])
    result.log.extend(added["log"])
    for message in added["warnings"]:
        feedback.warning(message)
    return added["records"]


class Executor:
    """Runs independent steps: ``submit`` returns a future whose ``result()``
    is :func:`run_elsewhere`'s dict; ``workers`` is how many run at once."""

    name = "this process"
    workers = 1

    def submit(self, step_name: str, pieces, study, result, jobs: int, figures: bool = True):
        raise NotImplementedError

    def close(self) -> None:
        pass


class LocalProcesses(Executor):
    """``jobs`` local processes (the standard library's process pool)."""

    def __init__(self, jobs: int):
        self.name = f"{jobs} local processes"
        self.workers = jobs
        self._pool = ProcessPoolExecutor(max_workers=jobs)

    def submit(self, step_name, pieces, study, result, jobs, figures=True):
        return self._pool.submit(run_elsewhere, step_name, pieces, study, result, jobs, figures)

    def close(self):
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster(Executor):
    """A running Dask cluster (``dask.distributed.Client(address)``) or, for
    ``address`` None, a ``LocalCluster`` of ``jobs`` worker processes."""

    def __init__(self, address: Optional[str], jobs: int = 1):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as error:
            from spatial.errors import InputError

            raise InputError("--scheduler needs Dask: pip install 'coupling-coordination-toolbox[dask]' "
                             "(or: pip install 'dask[distributed]')") from error
        if address:
            self._cluster = None
            self._client = Client(address)
            self.name = f"Dask cluster {address}"
        else:
            self._cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
            self.name = f"Dask LocalCluster of {max(1, jobs)} workers"

    @property
    def workers(self) -> int:
        return max(1, sum(self._client.nthreads().values()))

    def submit(self, step_name, pieces, study, result, jobs, figures=True):
        return self._client.submit(run_elsewhere, step_name, pieces, study, result, jobs, figures, pure=False)

    def close(self):
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def executor_for(jobs: int, scheduler: Optional[str]) -> Optional[Executor]:
    """The executor that ``--jobs`` and ``--scheduler`` ask for (None: this process).

    ``scheduler`` is a Dask scheduler address (``tcp://host:8786``), or
    ``local`` for a Dask LocalCluster of ``jobs`` workers."""
    if scheduler:
        return DaskCluster(None if scheduler == "local" else scheduler, jobs)
    if jobs > 1:
        return LocalProcesses(min(jobs, os.cpu_count() or jobs))
    return None


def snapshot(result, years=None):
    """A copy of ``result`` to send elsewhere (the tables it has so far, no
    figures; of the unit-year results only the rows of ``years``, if given)."""
    copied = copy.copy(result)
    if years is not None:
        copied.results = rows_of_years(result.results, result.study["data"]["year_field"], years)
    copied.tables, copied.methods = dict(result.tables), dict(result.methods)
    copied.figures, copied.log, copied.steps = {}, [], []
    return copied
