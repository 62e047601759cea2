"""Progress on the command line: a bar with the time left on a terminal, plain
lines anywhere else (pipes, logs, CI); the per-year loops report it."""

import io
import subprocess
import sys

import geopandas
import pandas as pd
import pytest
from shapely.geometry import box

from toolbox.progress import ConsoleFeedback
from toolbox.tool import Canceled, Feedback
from toolbox.tools import tool


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_plain_lines_when_not_a_terminal():
    stream, clock = io.StringIO(), Clock()
    feedback = ConsoleFeedback(stream, clock=clock)
    for k in range(0, 21):
        clock.now = 100.0 + k
        feedback.progress(k / 20)
    feedback.info("done")
    feedback.finish()
    lines = stream.getvalue().splitlines()
    # one line per 10 %, the elapsed time at 0.5 s a step of 1/20
    assert lines == [f"progress {p:3d}%  ({p / 5:.1f} s)" for p in range(0, 101, 10)] + ["done"]
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()


def test_quiet_prints_no_progress():
    stream = io.StringIO()
    feedback = ConsoleFeedback(stream, quiet=True)
    feedback.progress(0.5)
    feedback.info("x")
    assert stream.getvalue() == ""


def test_terminal_bar_with_time_left_and_messages_above():
    stream, clock = io.StringIO(), Clock()
    feedback = ConsoleFeedback(stream, terminal=True, clock=clock)
    clock.now = 130.0
    feedback.progress(0.25)  # 30 s for a quarter: 90 s left
    assert stream.getvalue().endswith("\r[######..................]  25%  1:30 left\x1b[K")
    feedback.info("a note")
    assert stream.getvalue().endswith("\r\x1b[Ka note\n\r[######..................]  25%  1:30 left\x1b[K")
    clock.now = 130.1
    feedback.progress(0.3)  # within 0.2 s of the last drawing: not redrawn
    assert stream.getvalue().count("\r[") == 2
    clock.now = 3700.0
    feedback.progress(1.0)
    assert stream.getvalue().endswith("\r[########################] 100%  1:00:00 in all\x1b[K\n")
    feedback.finish()
    assert stream.getvalue().endswith("in all\x1b[K\n")


def test_an_unfinished_bar_ends_its_line():
    stream = io.StringIO()
    feedback = ConsoleFeedback(stream, terminal=True)
    feedback.progress(0.5)
    feedback.finish()
    assert stream.getvalue().endswith("\n")


def _grid_files(tmp_path, years=4):
    cells = [(r, c) for r in range(4) for c in range(4)]
    layer = geopandas.GeoDataFrame(
        {"UNIT": [f"u{i}" for i in range(16)]},
        geometry=[box(c, r, c + 1, r + 1) for r, c in cells], crs="EPSG:3857")
    layer.to_file(tmp_path / "cells.gpkg", layer="cells")
    panel = pd.DataFrame([(f"u{i}", 2000 + t, float((i * 7 + t * 3) % 11)) for t in range(years)
                          for i in range(16)], columns=["UNIT", "YEAR", "V"])
    panel.to_csv(tmp_path / "panel.csv", index=False)
    return tmp_path / "cells.gpkg", tmp_path / "panel.csv"


def test_ccd_reports_every_year_as_plain_lines(tmp_path):
    cells, panel = _grid_files(tmp_path)
    out = subprocess.run([sys.executable, "-m", "toolbox.cli", "globalmoran", "--input", str(panel),
                          "--polygons", str(cells), "--id-field", "UNIT", "--year-field", "YEAR",
                          "--value-field", "V", "--permutations", "99",
                          "--output", str(tmp_path / "m.csv")],
                         capture_output=True, text=True, check=True)
    assert "\r" not in out.stderr and "\x1b" not in out.stderr
    percents = [int(line.split()[1].rstrip("%")) for line in out.stderr.splitlines()
                if line.startswith("progress ")]
    # 20 % after the weights, then 20 + 75 × (t + 1) / 4 after year t: 38.75, 57.5, 76.25, 95
    assert percents == [20, 30, 50, 70, 90]


class Stopping(Feedback):
    def __init__(self, after):
        self.seen, self.after = [], after

    def progress(self, fraction):
        self.seen.append(round(fraction, 4))

    def canceled(self):
        return len(self.seen) >= self.after


def test_the_year_loop_stops_when_canceled(tmp_path):
    cells, panel = _grid_files(tmp_path)
    values = {"INPUT": pd.read_csv(panel), "POLYGONS": geopandas.read_file(cells), "ID_FIELD": "UNIT",
              "YEAR_FIELD": "YEAR", "VALUE_FIELD": "V", "WEIGHTS_TYPE": "queen", "PERMUTATIONS": 99,
              "SEED": 1}
    feedback = Stopping(after=3)
    with pytest.raises(Canceled):
        tool("localmoran").run(values, feedback)
    assert feedback.seen == [0.2, 0.375, 0.55]  # weights, years 1 and 2 of 4 (0.2 + 0.7 t / 4)
