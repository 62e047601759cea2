"""The econometrics and GWR steps skip, with the reason, studies whose units
exceed what their methods can fit (dense n×n inverse; O(n²) local fits),
instead of stopping the whole run."""

from types import SimpleNamespace

import pandas as pd
import pytest

from toolbox.step import StepSkipped
from toolbox.steps.econometrics import STEP as ECONOMETRICS
from toolbox.steps.gwr import STEP as GWR


def context(section, units=6001, years=13):
    frame = pd.DataFrame({"YEAR": list(range(2000, 2000 + years))})
    return SimpleNamespace(study={"data": {"year_field": "YEAR"}, **section},
                           result=SimpleNamespace(units=pd.DataFrame(index=range(units))),
                           frame=lambda: frame)


def test_econometrics_skips_ml_models_beyond_5000_units():
    section = {"econometrics": {"model": "sdm"}}
    with pytest.raises(StepSkipped,
                       match="6001 units: maximum-likelihood spatial models are limited to 5000 units"):
        ECONOMETRICS.run(context(section), None)


def test_gwr_skips_beyond_20000_locations_and_counts_pooled_unit_years():
    with pytest.raises(StepSkipped, match="20001 locations: GWR is limited to 20000"):
        GWR.run(context({"gwr": {"model": "gwr", "scope": "mean"}}, units=20001), None)
    with pytest.raises(StepSkipped, match=r"26000 locations.*gwr.scope = \"mean\""):
        GWR.run(context({"gwr": {"model": "gwr", "scope": "pooled"}}, units=2000, years=13), None)
