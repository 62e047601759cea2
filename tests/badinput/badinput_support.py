"""The bad-input suite's small study on disk, and the checks every case makes.

The data: 16 square units (a 4 × 4 grid of 1 km cells, EPSG:3857) over the
years 2018–2021, with indicators, two system indices, a coupling degree,
patents, a group, a tier and two drivers, all built from the cell's column so
that neighbours are alike (Moran's I > 0). Files: ``panel.csv`` (no
geometry), ``data.gpkg`` (layers ``panel``, one polygon per unit-year, and
``units``), ``queen.gal`` (the grid's queen contiguity, written by hand),
``study.toml`` (a whole study on them), ``quick.toml`` (the same without the
spatial step) and ``minimal.toml`` (indices and coupling only), for the cases
that run a whole study.

Every case runs in a fresh copy of that folder; :func:`check_run` runs the
command line in-process and checks what every case must hold: the exit code,
the message naming what is at fault, every file of the folder byte-identical
afterwards, no temporary leftover and no output but the expected ones.
"""

import hashlib
import os
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
import pandas as pd

from toolbox import cli

SIDE = 4
YEARS = (2018, 2019, 2020, 2021)
LEFTOVER_TAGS = (".ccd-tmp-", ".ccd-new-", ".ccd-old-")


def grid_polygons():
    import geopandas
    import shapely

    cells = [shapely.box(1000 * c, 1000 * r, 1000 * (c + 1), 1000 * (r + 1))
             for r in range(SIDE) for c in range(SIDE)]
    return geopandas.GeoDataFrame({"ID": np.arange(1, SIDE * SIDE + 1)}, geometry=cells, crs=3857)


def queen_gal() -> str:
    """GeoDa .gal of the grid's queen contiguity, from the cells' rows and columns."""
    lines = [f"0 {SIDE * SIDE} grid ID"]
    for r in range(SIDE):
        for c in range(SIDE):
            neighbours = [(rr * SIDE + cc + 1) for rr in range(r - 1, r + 2) for cc in range(c - 1, c + 2)
                          if (rr, cc) != (r, c) and 0 <= rr < SIDE and 0 <= cc < SIDE]
            lines.append(f"{r * SIDE + c + 1} {len(neighbours)}")
            lines.append(" ".join(map(str, neighbours)))
    return "\n".join(lines) + "\n"


def panel_frame() -> pd.DataFrame:
    rng = np.random.default_rng(20261203)
    rows = []
    for unit in range(1, SIDE * SIDE + 1):
        column, row = (unit - 1) % SIDE, (unit - 1) // SIDE
        for t, year in enumerate(YEARS):
            base = (column + 1) / (SIDE + 1)
            rows.append({
                "ID": unit, "YEAR": year,
                "X1": round(10 * base + t + rng.uniform(0, 1), 3),
                "X2": round(5 * base + 0.5 * t + rng.uniform(0, 1), 3),
                "X3": round(20 - 10 * base + rng.uniform(0, 1), 3),
                "U1": round(0.2 + 0.6 * base + 0.02 * t + rng.uniform(0, 0.05), 4),
                "U2": round(0.15 + 0.5 * base + 0.03 * t + rng.uniform(0, 0.05), 4),
                "PAT": int(20 + 40 * base + 5 * t + rng.integers(0, 5)),
                "GROUP": "east" if column >= SIDE // 2 else "west",
                "CLASS": min(2, column * 3 // SIDE),
                "DR1": round(base + rng.normal(0, 0.05), 4),
                "DR2": round(row + rng.normal(0, 0.3), 4),
            })
    frame = pd.DataFrame(rows)
    frame["DC"] = np.sqrt(frame["U1"] * frame["U2"]).round(4)
    return frame


STUDY = """title = "bad-input study"
[data]
panel = "panel.csv"
polygons = "data.gpkg|layername=units"
id_field = "ID"
year_field = "YEAR"
[systems.one]
positive = ["X1", "X2"]
negative = ["X3"]
index_field = "U_ONE"
[systems.two]
positive = ["PAT", "DR1"]
index_field = "U_TWO"
[coupling]
model = "classic"
[tiers]
method = "kmeans_year"
k = 3
seed = 0
[dagum]
group_field = "TIER"
[obstacles]
[spatial]
weights = "queen"
permutations = 99
seed = 0
"""


QUICK_STUDY = STUDY[:STUDY.index("[spatial]")]  # the same study without the spatial step (fast)
MINIMAL_STUDY = STUDY[:STUDY.index("[tiers]")]  # indices and coupling only (fastest)


def build_study_folder(folder: str) -> None:
    import pyogrio

    os.makedirs(folder, exist_ok=True)
    panel = panel_frame()
    panel.to_csv(os.path.join(folder, "panel.csv"), index=False)
    polygons = grid_polygons()
    long = polygons.merge(panel, on="ID")[["ID", "YEAR"] + [c for c in panel.columns
                                                              if c not in ("ID", "YEAR")] + ["geometry"]]
    gpkg = os.path.join(folder, "data.gpkg")
    pyogrio.write_dataframe(long, gpkg, layer="panel")
    pyogrio.write_dataframe(polygons, gpkg, layer="units")
    with open(os.path.join(folder, "queen.gal"), "w", encoding="utf-8") as handle:
        handle.write(queen_gal())
    with open(os.path.join(folder, "study.toml"), "w", encoding="utf-8") as handle:
        handle.write(STUDY)
    with open(os.path.join(folder, "quick.toml"), "w", encoding="utf-8") as handle:
        handle.write(QUICK_STUDY)
    with open(os.path.join(folder, "minimal.toml"), "w", encoding="utf-8") as handle:
        handle.write(MINIMAL_STUDY)


def hashes(folder: str) -> Dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def leftovers(folder: str) -> List[str]:
    found = []
    for root, directories, files in os.walk(folder):
        found += [os.path.join(root, n) for n in files + directories
                  if any(tag in n for tag in LEFTOVER_TAGS)]
    return found


def check_run(capsys, folder: str, argv: Sequence[str], code: int, says: Iterable[str] = (),
              new_files: Optional[Iterable[str]] = None, changed: Iterable[str] = ()) -> str:
    """Run ``ccd argv`` in-process and check the guarantees; returns stderr.

    ``says``: fragments the message must contain (case-insensitive);
    ``new_files``: the files the run may add (default none, i.e. a failed run
    writes nothing); ``changed``: files the run may replace (default none).
    """
    before = hashes(folder)
    capsys.readouterr()
    result = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert result == code, f"exit {result}, expected {code}; stderr:\n{err}"
    assert "Traceback" not in err and "Traceback" not in out, err
    for fragment in says:
        assert fragment.lower() in err.lower(), f"{fragment!r} not in message:\n{err}"
    after = hashes(folder)
    allowed_changes = set(changed)
    for name, digest in before.items():
        if name not in allowed_changes:
            assert after.get(name) == digest, f"{name} changed or vanished"
    added = set(after) - set(before)
    assert added == set(new_files or ()), f"unexpected new files {sorted(added)}"
    assert leftovers(folder) == []
    return err
