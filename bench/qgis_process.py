"""``qgis_process run ccd:localmoran`` as batch users call it, beside pygeoda.

The plugin zip is built and installed into a temporary QGIS profile, exactly
as ``tests/qgis/test_qgis_process.py`` does (its ``install_plugin`` is
imported), and ``qgis_process.bin run ccd:localmoran`` (one year, 999
permutations, queen weights, written to a GeoPackage) is timed in a fresh
process on the square grids of ``bench/userpath.py`` (2,500 and 40,000 cells),
beside, in the same run:

- ``ccd localmoran`` on the same files with this Python (QGIS's numpy 1.24);
- pygeoda reading the shapefile, queen weights and LISA ('lookup-table'
  permutations, one thread), in the project's ``.venv`` (where pygeoda is
  installed) or this Python;
- ``qgis_process.bin run ccd:couplingcoordination`` on a 3-row CSV: the fixed
  cost of starting QGIS and loading the plugin, included in every run;
- ``qgis_process.bin list`` (``--repeat`` times, the plugins and a profile
  without the plugin in turn; medians): what loading the plugin costs every
  ``qgis_process`` call of any algorithm, and every start of QGIS;
- with ``--baseline REV``: the same two ``qgis_process`` runs with the plugin
  built from revision REV (its tree exported with ``git archive``), for a
  before/after in one run.

Each figure is wall seconds and CPU seconds (user + system of the child,
which other processes on a shared machine disturb far less than the wall clock).

Run with QGIS's Python (the QGIS bindings are needed to find qgis_process)::

    QT_QPA_PLATFORM=offscreen .venv-qgis/bin/python bench/qgis_process.py
    .venv-qgis/bin/python bench/qgis_process.py --sizes 2500 --keep /tmp/grids \\
        --baseline a82bb75 --ours d398214 --repeat 5
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qgis"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import userpath  # noqa: E402  (bench/userpath.py: grids, timing, the pygeoda script)
from test_qgis_process import QGIS_PROCESS, install_plugin  # noqa: E402


def qgis_run(algorithm, *parameters):
    return [QGIS_PROCESS, "run", algorithm, "--", *parameters]


CRASHES = []


def timed(command, env, output=None):
    """(wall seconds, CPU seconds) of ``command`` in a fresh process with ``env``.

    A run that exits with an error counts when it has written ``output`` and
    printed its "Results" (QGIS 3.22's ``qgis_process.bin`` was killed on exit
    after ``ccd:localmoran`` in earlier rounds); such exits are listed at the end."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if code:
        finished = output and os.path.exists(output) and "Results" in stdout
        if not finished:
            raise RuntimeError(f"{' '.join(command)} failed ({code}):\n"
                               f"{stderr[-2000:]}{stdout[-500:]}")
        CRASHES.append((command[2], code))
    return seconds, usage.ru_utime + usage.ru_stime


def exported(revision, folder):
    """The source tree of ``revision``, exported into ``folder`` (git archive)."""
    os.makedirs(folder)
    archive = subprocess.run(["git", "-C", ROOT, "archive", revision], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return folder


def lisa(env, files, written):
    return timed(qgis_run("ccd:localmoran", f"INPUT={files['cells']}", "ID_FIELD=CELL",
                          "YEAR_FIELD=YEAR", "VALUE_FIELD=V", f"OUTPUT={written}"), env, written)


def listed(plugins, empty, repeat):
    """Print the medians of ``repeat`` runs of ``qgis_process list`` with each plugin
    and with a profile (``empty``) that has none, taken in turn."""
    empty.mkdir(parents=True)
    profiles = {**plugins, "none": dict(next(iter(plugins.values())),
                                        QGIS_CUSTOM_CONFIG_PATH=str(empty))}
    times = {name: [] for name in profiles}
    for _ in range(max(1, repeat)):
        for name, env in profiles.items():
            times[name].append(timed([QGIS_PROCESS, "list"], env))
    for name, runs in times.items():
        wall, cpu = (statistics.median(values) for values in zip(*runs))
        label = "no plugin" if name == "none" else f"plugin {name}"
        print(f"  qgis_process list, {label}: {wall:.2f} s, CPU {cpu:.2f} s "
              f"(median of {len(runs)}; CPU {' '.join(f'{c:.2f}' for _, c in runs)})", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,40000")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated grids here")
    parser.add_argument("--baseline", metavar="REV",
                        help="also time the plugin built from this git revision")
    parser.add_argument("--ours", metavar="REV",
                        help="time the plugin of this revision instead of the working tree "
                             "(which holds other uncommitted work)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="runs of qgis_process list per profile (default 3)")
    args = parser.parse_args()
    pygeoda_python = os.path.join(ROOT, ".venv", "bin", "python")
    if not os.path.exists(pygeoda_python):
        pygeoda_python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        out = os.path.join(tmp, "out")
        os.makedirs(out)
        tree = exported(args.ours, os.path.join(tmp, "ours")) if args.ours else ROOT
        plugins = {"ours": install_plugin(pathlib.Path(tmp) / "qgis", tree)}
        if args.baseline:
            tree = exported(args.baseline, os.path.join(tmp, "baseline"))
            plugins[args.baseline] = install_plugin(pathlib.Path(tmp) / "qgis-baseline", tree)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; "
              f"{QGIS_PROCESS}", flush=True)
        listed(plugins, pathlib.Path(tmp) / "qgis-none", args.repeat)
        tiny = os.path.join(tmp, "tiny.csv")
        with open(tiny, "w") as handle:
            handle.write("CITY,YEAR,U1,U2\na,2020,0.25,1\nb,2020,0.5,0.5\nc,2020,0.36,0.64\n")
        for name, env in plugins.items():
            wall, cpu = timed(qgis_run("ccd:couplingcoordination", f"INPUT={tiny}",
                                       "SYSTEM_FIELDS=U1", "SYSTEM_FIELDS=U2", "ID_FIELD=CITY",
                                       "YEAR_FIELD=YEAR",
                                       f"OUTPUT={os.path.join(out, name + 'tiny.csv')}"), env)
            print(f"  qgis_process start-up (ccd:couplingcoordination, 3 rows), plugin {name}: "
                  f"{wall:.2f} s, CPU {cpu:.2f} s")
        rows = []
        for n in (int(s) for s in args.sizes.split(",") if s):
            side = int(round(n ** 0.5))
            files = userpath.made("grid", side, folder)
            runs = {name: lisa(env, files, os.path.join(out, f"q{n}-{name}.gpkg"))
                    for name, env in plugins.items()}
            ours, ours_cpu, _ = userpath.measured(
                [sys.executable, "-m", "toolbox.cli", "--quiet", "localmoran", "--input",
                 files["cells"], "--id-field", "CELL", "--year-field", "YEAR", "--value-field", "V",
                 "--overwrite", "--output", os.path.join(out, f"c{n}.gpkg")])
            base, base_cpu, _ = userpath.measured([pygeoda_python, "-c", userpath.PYGEODA_LISA,
                                                   files["shp"], "lookup-table"])
            rows.append((n, runs["ours"][0], ours, base))
            print(f"  {n:>9,d} cells  ccd {ours:6.2f} s (CPU {ours_cpu:5.2f})  "
                  f"pygeoda {base:6.2f} s (CPU {base_cpu:5.2f})", flush=True)
            for name, (wall, cpu) in runs.items():
                print(f"  {'':>15s} qgis_process, plugin {name}: {wall:6.2f} s (CPU {cpu:5.2f})   "
                      f"qgis_process/pygeoda {wall / base:5.2f} (CPU {cpu / base_cpu:5.2f})",
                      flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        for algorithm, code in CRASHES:
            print(f"note: qgis_process {algorithm} wrote its output, then exited with {code}")
        if not CRASHES:
            print("every qgis_process run exited with 0")
        if len(rows) > 1:
            (n0, q0, c0, b0), (n1, q1, c1, b1) = rows[0], rows[-1]
            print(f"growth {n0:,} -> {n1:,}: qgis_process x{q1 / q0:.1f}, ccd x{c1 / c0:.1f}, "
                  f"pygeoda x{b1 / b0:.1f}")


if __name__ == "__main__":
    main()
