"""Independent steps run in local processes or on Dask: the same tables as here."""

import hashlib

import pytest

from toolbox import pipeline
from toolbox.study import parse_toml, study_from_dict

from test_pipeline import STUDY_TOML, panel_for, squares


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("executors")
    units = squares(nx=5, ny=4)
    units.to_file(folder / "units.gpkg", layer="units")
    panel_for(units).to_csv(folder / "panel.csv", index=False)
    raw = parse_toml(STUDY_TOML)
    raw["drivers"]["options"] = {"CV_FOLDS": 0, "N_ESTIMATORS": 5}
    raw["spatial"]["permutations"] = 49
    for section in ("innovation", "dagum", "obstacles"):
        raw.pop(section)
    raw["systems"]["innovation"] = {"positive": ["I1"]}
    return folder, raw


def _tables(folder, raw, **where):
    """Every table of the run as CSV text, with the steps' methods, warnings,
    figures (drawn where each step ran) and the labels of the pieces."""
    result = pipeline.run_study(study_from_dict(raw, str(folder)), **where)
    tables = {name: table.to_csv(index=False) for name, table in result.tables.items()}
    return (tables, list(result.tables), result.methods, sorted(m for m in result.log if "warning" in m),
            {name: hashlib.sha256(png).hexdigest() for name, png in result.figures.items()}), \
        [record.label for record in result.steps]


def test_local_processes_and_dask_give_the_tables_of_one_process(small_study, monkeypatch):
    folder, raw = small_study
    monkeypatch.setattr(pipeline, "PIECES_MIN_ROWS", 0)  # split this small study into pieces too
    here, pieces = _tables(folder, raw)
    assert "drivers_metrics" in here[0] and "lisa" in here[0] and "localmoran_scatterplot" in here[4]
    # figures of steps run elsewhere (importance, LISA maps) are drawn there
    assert {"importance", "lisa_map_2010", "moran", "tier_map_2010"} <= set(here[4])
    assert {"global Moran's I", "LISA", "spatial Markov"} <= set(pieces)
    there, pieces = _tables(folder, raw, jobs=2)
    assert there == here
    # the years of Moran's I and LISA went to the two processes in two runs of years, the
    # driver models of all units and of the tiers as two pieces
    assert {"global Moran's I 2010–2013", "global Moran's I 2014–2016", "LISA 2010–2013",
            "LISA 2014–2016", "spatial Markov", "drivers, all units", "drivers per TIER"} <= set(pieces)
    pytest.importorskip("dask.distributed")
    there, pieces = _tables(folder, raw, jobs=2, scheduler="local")
    assert there == here and "LISA 2014–2016" in pieces


def test_small_studies_run_each_step_whole(small_study):
    folder, raw = small_study
    assert pipeline.PIECES_MIN_ROWS > 20 * 7
    _, pieces = _tables(folder, raw, jobs=2)
    assert "LISA" in pieces and "drivers" in pieces and "LISA 2010–2013" not in pieces


def test_year_chunks():
    from toolbox.step import year_chunks

    assert year_chunks(range(2011, 2024), 2) == [tuple(range(2011, 2018)), tuple(range(2018, 2024))]
    assert year_chunks([2010, 2011], 4) == [(2010,), (2011,)]
    assert year_chunks([2010, 2011, 2012], 1) == [(2010, 2011, 2012)]
    assert [len(c) for c in year_chunks(range(10), 4)] == [3, 3, 2, 2]


def test_automatic_jobs(monkeypatch):
    import pandas as pd

    results = pd.DataFrame({"x": range(1000)})
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    assert pipeline.automatic_jobs(results) == 2
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 64)
    assert pipeline.automatic_jobs(results) == pipeline.AUTO_JOBS_MAX
    monkeypatch.setattr(pipeline, "AUTO_JOBS_MEMORY", results.memory_usage().sum() - 1)
    assert pipeline.automatic_jobs(results) == 1  # each process would hold a copy of the results


def test_jobs_not_given_are_chosen_once_the_lead_in_is_done(small_study, monkeypatch):
    from toolbox.tool import RecordingFeedback

    folder, raw = small_study
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 1)
    feedback = RecordingFeedback()
    pipeline.run_study(study_from_dict(raw, str(folder)), feedback, jobs=None)
    assert any(m.startswith("--jobs 1 (automatic: 1 core(s), ") for m in feedback.messages)
