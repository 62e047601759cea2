"""End-to-end time of the demo study: `ccd demo` (toolbox.pipeline on examples/demo-study.toml).

Runs the whole pipeline on the bundled demo data (296 real city polygons,
SYNTHETIC panel 2011–2023) and writes every output to a temporary folder, with
--jobs 1 and --jobs 2; prints the time of every step and the total. Baseline
in the same process: the sum of the single tools' step times (the pipeline's
own overhead is data loading, writing the GeoPackage and CSVs, figures and the
report). `--quick` drops the drivers step (the slowest by far).

    .venv/bin/python bench/demo.py [--quick]
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from toolbox.demo import demo_study  # noqa: E402
from toolbox.pipeline import run_study, write_outputs  # noqa: E402
from toolbox.tool import Feedback  # noqa: E402


def once(jobs, quick, folder):
    study = demo_study(folder)
    if quick:
        study.config.pop("drivers")
    start = time.perf_counter()
    result = run_study(study, Feedback(), jobs=jobs)
    computed = time.perf_counter() - start
    write_outputs(result, folder, Feedback())
    total = time.perf_counter() - start
    return result, computed, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="without the drivers step")
    args = parser.parse_args()
    from toolbox.demo_data import city_polygons

    start = time.perf_counter()
    city_polygons()
    print(f"first read of the demo polygons (cached afterwards): {time.perf_counter() - start:.1f} s")
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            result, computed, total = once(jobs, args.quick, folder)
        steps = sum(r.seconds for r in result.steps)
        print(f"--jobs {jobs}: total {total:.1f} s = steps+data {computed:.1f} s + outputs "
              f"{total - computed:.1f} s; sum of single-tool steps {steps:.1f} s "
              f"(pipeline / tools = {total / steps:.2f}x)")
        for record in result.steps:
            print(f"    {record.label:28s} {record.seconds:6.1f} s  {record.status}")


if __name__ == "__main__":
    main()
