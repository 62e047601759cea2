"""StepContext.add_fields: a field-adding step's tool sees only the fields it
names, and the study's results equal those of the tool run on every field
(the reference: StepContext.call on the whole results, as steps did before);
the results a step started from are never changed."""

import numpy as np
import pandas as pd
import pytest

from toolbox.step import StepContext, Study, StudyResult
from toolbox.tool import Feedback
from toolbox.tools.coupling import CouplingCoordination
from toolbox.tools.indices import EntropyWeights


def _context(results):
    study = Study({"data": {"id_field": "CITY", "year_field": "YEAR"}}, ".")
    return StepContext(study, StudyResult(study, results, None), Feedback())


def _panel():
    rng = np.random.default_rng(3)
    cities, years = [f"C{i}" for i in range(6)], [2011, 2012, 2013]
    table = pd.DataFrame({"CITY": np.repeat(cities, 3), "YEAR": np.tile(years, 6)})
    for name in ("X1", "X2", "X3", "OTHER"):
        table[name] = rng.uniform(1, 10, len(table))
    table["LABEL"] = np.where(table["X1"] > 5, "high", "low")
    table["U1"], table["U2"] = rng.uniform(0.1, 0.9, (2, len(table)))
    return table


def _whole(results, tool, wanted):
    """The tool's OUTPUT on every field of the results (the old step path)."""
    context = _context(results)
    return context.call(tool, "test", wanted, "test", {"INPUT": context.frame()})["OUTPUT"] \
        .reset_index(drop=True)


COUPLING = {"ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "SYSTEM_FIELDS": ["U1", "U2"], "MODEL": "classic"}
ENTROPY = {"ID_FIELD": "CITY", "YEAR_FIELD": "YEAR", "POSITIVE_FIELDS": ["X1", "X2"],
           "NEGATIVE_FIELDS": ["X3"], "INDEX_FIELD": "U_X", "MISSING": "interpolate"}


def test_new_fields_are_set_on_the_results_without_changing_the_input():
    results = _panel()
    before = results.copy()
    context = _context(results)
    seen = []
    tool = CouplingCoordination()
    run = tool.run
    tool.run = lambda values, feedback: (seen.append(list(values["INPUT"].columns)), run(values, feedback))[1]
    context.add_fields(tool, "coupling", COUPLING, "coupling")
    assert seen == [["CITY", "YEAR", "U1", "U2"]]  # only what the parameters name
    pd.testing.assert_frame_equal(context.result.results, _whole(before, CouplingCoordination(), COUPLING))
    pd.testing.assert_frame_equal(results, before)  # the table the step started from


def test_changed_indicators_and_gap_filled_rows_give_what_the_whole_run_gives():
    results = _panel()
    results.loc[4, "X2"] = np.nan  # interpolated: a changed field
    expected = _whole(results, EntropyWeights(), ENTROPY)
    context = _context(results.copy())
    context.add_fields(EntropyWeights(), "systems.x", ENTROPY, "index x")
    pd.testing.assert_frame_equal(context.result.results, expected)
    assert context.result.results.loc[4, "X2"] == pytest.approx((results.loc[3, "X2"] + results.loc[5, "X2"]) / 2)

    gap = results.drop(index=[7]).reset_index(drop=True)  # C2 lacks 2012: gap filling adds a row
    expected = _whole(gap, EntropyWeights(), ENTROPY)
    context = _context(gap.copy())
    context.add_fields(EntropyWeights(), "systems.x", ENTROPY, "index x")
    assert len(context.result.results) == len(gap) + 1
    pd.testing.assert_frame_equal(context.result.results, expected)


def _counted(tool):
    """``tool`` whose runs are counted in ``tool.runs``."""
    run, tool.runs = tool.run, []
    tool.run = lambda values, feedback: (tool.runs.append(1), run(values, feedback))[1]
    return tool


@pytest.mark.parametrize("order", ["unit-major", "year-major"])
def test_rows_the_tool_reorders_or_adds_are_taken_from_the_results_in_one_run(order):
    results = _panel()
    if order == "year-major":
        results = results.sort_values(["YEAR", "CITY"]).reset_index(drop=True)
    gap = results[~((results["CITY"] == "C2") & (results["YEAR"] == 2012))].reset_index(drop=True)
    gap.loc[(gap["CITY"] == "C3") & (gap["YEAR"] == 2012), "X1"] = np.nan
    expected = _whole(gap, EntropyWeights(), ENTROPY)
    tool = _counted(EntropyWeights())
    context = _context(gap.copy())
    context.add_fields(tool, "systems.x", ENTROPY, "index x")
    assert len(tool.runs) == 1  # on the named fields only
    pd.testing.assert_frame_equal(context.result.results, expected)
    added = expected[(expected["CITY"] == "C2") & (expected["YEAR"] == 2012)]
    assert added["LABEL"].tolist() == gap.loc[gap["CITY"] == "C2", "LABEL"].iloc[:1].tolist()


def test_a_field_the_tool_adds_that_the_results_have_is_left_to_the_whole_run():
    """On every field the coupling tool refuses to overwrite D; so must the step."""
    from spatial.errors import InputError

    results = _panel()
    results["D"] = "made by the user"
    with pytest.raises(InputError, match=r"already has field\(s\) D") as whole:
        _whole(results, CouplingCoordination(), COUPLING)
    context = _context(results.copy())
    with pytest.raises(InputError) as narrow:
        context.add_fields(CouplingCoordination(), "test", COUPLING, "coupling")
    assert str(narrow.value) == str(whole.value)
