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
  cost of starting QGIS and loading the plugin, included in every run.

Run with QGIS's Python (the QGIS bindings are needed to find qgis_process)::

    QT_QPA_PLATFORM=offscreen .venv-qgis/bin/python bench/qgis_process.py
    .venv-qgis/bin/python bench/qgis_process.py --sizes 2500 --keep /tmp/grids
"""

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qgis"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import userpath  # noqa: E402  (bench/userpath.py: grids, timing, the pygeoda script)
from test_qgis_process import QGIS_PROCESS, install_plugin  # noqa: E402


def qgis_run(env, algorithm, *parameters):
    return [QGIS_PROCESS, "run", algorithm, "--", *parameters]


CRASHES = []


def timed(command, env, output=None):
    """Seconds and peak MiB of ``command`` in a fresh process with ``env``.

    QGIS 3.22's ``qgis_process.bin`` is killed by SIGSEGV on exit after
    ``ccd:localmoran`` has written its output (already so before issue 13's
    work; pyproj is loaded by then): with ``output`` written and its
    "Results" printed, the run counts, and the crash is reported."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        finished = output and os.path.exists(output) and "Results" in done.stdout
        if not finished:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n"
                               f"{done.stderr[-2000:]}{done.stdout[-500:]}")
        CRASHES.append((command[2], done.returncode))
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,40000")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated grids here")
    args = parser.parse_args()
    pygeoda_python = os.path.join(ROOT, ".venv", "bin", "python")
    if not os.path.exists(pygeoda_python):
        pygeoda_python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        out = os.path.join(tmp, "out")
        os.makedirs(out)
        env = install_plugin(pathlib.Path(tmp) / "qgis")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; "
              f"{QGIS_PROCESS}", flush=True)
        tiny = os.path.join(tmp, "tiny.csv")
        with open(tiny, "w") as handle:
            handle.write("CITY,YEAR,U1,U2\na,2020,0.25,1\nb,2020,0.5,0.5\nc,2020,0.36,0.64\n")
        start = timed(qgis_run(env, "ccd:couplingcoordination", f"INPUT={tiny}",
                               "SYSTEM_FIELDS=U1", "SYSTEM_FIELDS=U2", "ID_FIELD=CITY",
                               "YEAR_FIELD=YEAR", f"OUTPUT={os.path.join(out, 'tiny.csv')}"), env)
        print(f"  qgis_process start-up (ccd:couplingcoordination, 3 rows): {start:.2f} s")
        rows = []
        for n in (int(s) for s in args.sizes.split(",") if s):
            side = int(round(n ** 0.5))
            files = userpath.made("grid", side, folder)
            written = os.path.join(out, f"q{n}.gpkg")
            qgis = timed(qgis_run(
                env, "ccd:localmoran", f"INPUT={files['cells']}", "ID_FIELD=CELL", "YEAR_FIELD=YEAR",
                "VALUE_FIELD=V", f"OUTPUT={written}"), env, written)
            ours, _ = userpath.timed([sys.executable, "-m", "toolbox.cli", "--quiet", "localmoran",
                                      "--input", files["cells"], "--id-field", "CELL",
                                      "--year-field", "YEAR", "--value-field", "V", "--overwrite",
                                      "--output", os.path.join(out, f"c{n}.gpkg")])
            base, _ = userpath.timed([pygeoda_python, "-c", userpath.PYGEODA_LISA, files["shp"],
                                      "lookup-table"])
            rows.append((n, qgis, ours, base))
            print(f"  {n:>9,d} cells  qgis_process {qgis:6.2f} s  "
                  f"ccd {ours:6.2f} s  pygeoda {base:6.2f} s   qgis_process/pygeoda "
                  f"{qgis / base:5.2f}  ccd/pygeoda {ours / base:5.2f}", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        for algorithm, code in CRASHES:
            print(f"note: qgis_process {algorithm} wrote its output, then exited with {code}")
        if len(rows) > 1:
            (n0, q0, c0, b0), (n1, q1, c1, b1) = rows[0], rows[-1]
            print(f"growth {n0:,} -> {n1:,}: qgis_process x{q1 / q0:.1f}, ccd x{c1 / c0:.1f}, "
                  f"pygeoda x{b1 / b0:.1f}")


if __name__ == "__main__":
    main()
