"""CPU seconds of a fresh ``ccd`` process: ``--help`` and the spatial tools.

CPU time (user + system of the child, from ``os.wait4``) is disturbed less
than wall time by other work on a shared machine; the least of ``--rounds``
runs is printed. With ``--before DIR`` (a checkout of an older commit, e.g.
``git worktree add DIR COMMIT``) the same commands run from that checkout
too, interleaved with this one, so both see the same load.

    .venv/bin/python bench/startup.py --grids /tmp/grids       # userpath.py --keep /tmp/grids
    .venv/bin/python bench/startup.py --grids /tmp/grids --before /tmp/old --rounds 5
"""

import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_seconds(command, cwd):
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}")
    return usage.ru_utime + usage.ru_stime


def commands(grids, sizes):
    found = {"--help": ["--help"]}
    for n in sizes:
        cells = os.path.join(grids, f"cells{n}.gpkg")
        found[f"spatialweights {n:,}"] = ["spatialweights", "--input", cells, "--id-field", "CELL",
                                          "--type", "queen", "--output", os.devnull + ".gal"]
        found[f"localmoran {n:,}"] = ["localmoran", "--input", cells, "--id-field", "CELL",
                                      "--year-field", "YEAR", "--value-field", "V", "--overwrite",
                                      "--output", os.path.join(grids, "out", "startup.gpkg")]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", required=True, help="folder of bench/userpath.py's grids (--keep)")
    parser.add_argument("--sizes", default="2500,40000")
    parser.add_argument("--before", metavar="DIR", help="an older checkout to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(os.path.join(args.grids, "out"), exist_ok=True)
    roots = [("now", ROOT)] + ([("before", os.path.abspath(args.before))] if args.before else [])
    cases = commands(args.grids, [int(s) for s in args.sizes.split(",") if s])
    least = {}
    for _ in range(args.rounds):
        for name, arguments in cases.items():
            for label, root in roots:
                seconds = cpu_seconds([sys.executable, "-m", "toolbox.cli", "--quiet", *arguments], root)
                least[name, label] = min(seconds, least.get((name, label), float("inf")))
    print(f"CPU seconds, least of {args.rounds} (load average {os.getloadavg()[0]:.1f} at the end)")
    for name in cases:
        print(f"  ccd {name:<24s} " + "   ".join(f"{label} {least[name, label]:5.2f} s"
                                                 for label, _ in roots))


if __name__ == "__main__":
    main()
