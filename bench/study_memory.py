"""Memory of a study step by step: the process's RSS at the start of each step,
its peak during the step (sampled every 5 ms) and at its end, beside the size
of the unit-year results table, for one study run here with ``--jobs 1``.

    .venv/bin/python bench/study_memory.py STUDY.toml [--sections a,b,...] [--no-write] [--output-dir DIR]

``--sections`` keeps only those sections of the config (with ``data``,
``report`` and ``output``); ``--no-write`` stops before the outputs are
written. ``bench/study.py --keep DIR`` writes grid configs to measure (for
the issue-13 target, 250,000 cells × 20 years: ``--sizes 250000 --years 20``).
The whole process's peak is the number to hold against a memory target;
the per-step peaks say which step sets it.
"""

import argparse
import os
import resource
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from toolbox import pipeline  # noqa: E402
from toolbox.study import load_study  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE / 2**20


class PeakSampler:
    """The highest RSS since :meth:`restart`, sampled in a daemon thread."""

    def __init__(self, interval: float = 0.005):
        self.peak, self._interval = rss_mib(), interval
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self):
        while True:
            self.peak = max(self.peak, rss_mib())
            time.sleep(self._interval)

    def restart(self) -> float:
        self.peak = start = rss_mib()
        return start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study")
    parser.add_argument("--sections", help="comma-separated sections to keep (default: all)")
    parser.add_argument("--no-write", action="store_true", help="do not write the outputs")
    parser.add_argument("--output-dir", default=None)
    args = parser.parse_args(argv)

    sampler = PeakSampler()
    timed = pipeline.Runner._timed

    def measured(runner, step, label, piece, tag):
        start, began = sampler.restart(), time.perf_counter()
        record = timed(runner, step, label, piece, tag)
        results = runner.result.results
        print(f"  {label:36s} start {start:6.0f}  peak {sampler.peak:6.0f} (+{sampler.peak - start:5.0f})"
              f"  end {rss_mib():6.0f} MiB   results {results.memory_usage().sum() / 2**20:5.0f} MiB"
              f" {results.shape}  {time.perf_counter() - began:.1f} s", flush=True)
        return record

    pipeline.Runner._timed = measured
    write = pipeline.write_outputs

    def written(result, output_dir, feedback=None):
        start = sampler.restart()
        if args.no_write:
            return {}
        paths = write(result, output_dir, feedback)
        print(f"  {'writing':36s} start {start:6.0f}  peak {sampler.peak:6.0f} (+{sampler.peak - start:5.0f})"
              f"  end {rss_mib():6.0f} MiB", flush=True)
        return paths

    pipeline.write_outputs = written
    study = load_study(args.study)
    if args.sections:
        keep = set(args.sections.split(",")) | {"title", "data", "report", "output"}
        for section in [s for s in study.config if s not in keep]:
            study.config.pop(section)
    began = time.perf_counter()
    output = args.output_dir or tempfile.mkdtemp(prefix="study-memory-")
    pipeline.run(study=study, output_dir=output, jobs=1)
    print(f"whole run {time.perf_counter() - began:.1f} s; process peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (load "
          f"{os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
