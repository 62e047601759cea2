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
    """Every table of the run as CSV text, with the steps' methods, log lines
    and figures (drawn where each step ran)."""
    result = pipeline.run_study(study_from_dict(raw, str(folder)), **where)
    tables = {name: table.to_csv(index=False) for name, table in result.tables.items()}
    return tables, list(result.tables), result.methods, sorted(result.log), \
        {name: hashlib.sha256(png).hexdigest() for name, png in result.figures.items()}


def test_local_processes_and_dask_give_the_tables_of_one_process(small_study):
    folder, raw = small_study
    here = _tables(folder, raw)
    assert "drivers_metrics" in here[0] and "lisa" in here[0] and "localmoran_scatterplot" in here[4]
    # figures of steps run elsewhere (importance, LISA maps) are drawn there
    assert {"importance", "lisa_map_2010", "moran", "tier_map_2010"} <= set(here[4])
    assert _tables(folder, raw, jobs=2) == here
    pytest.importorskip("dask.distributed")
    assert _tables(folder, raw, jobs=2, scheduler="local") == here


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
