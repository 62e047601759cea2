"""Bad data for the tools of issues 15 and 16: the geographical detector, spatial
regression, GWR, relative development, kernel density, gravity centre, deviational
ellipse, hot spots, emerging hot spots and convergence.

The same cases for each where they apply — NULL, text and infinite values, a
single year, one unit (or too few for the model), constant values, a constant or
collinear driver, a bandwidth too small, a geographic CRS where distances are
measured, a year with every unit missing, duplicate unit-years — each checked by
:func:`badinput_support.check_run`: exit code 3, a message naming the field and
the unit or year at fault, inputs byte-identical and no output file written.
"""

import numpy as np
import pytest

from badinput_support import check_run
from test_data import PANEL, POLYS, Case, geographic_polygons, put, variant

LONLAT = ("--polygons", "lonlat.gpkg|layername=units")


def _years(*years):
    return lambda f: f.drop(f.index[~f["YEAR"].isin(years)], inplace=True)


def _units(*units):
    return lambda f: f.drop(f.index[~f["ID"].isin(units)], inplace=True)


def _set(column, value):
    return lambda f: f.__setitem__(column, value)


def _year_missing(column, year):
    return lambda f: f.__setitem__(column, f[column].where(f["YEAR"] != year))


def _collinear(f):
    f["DR2"] = 2 * f["DR1"] + 1


# (suffix, file, change, message fragments) shared by several tools; unit 2 year 2019 is row 5
def value_cases(field):
    return [
        ("null", "null.csv", put(5, field, np.nan), [field, "2019"]),
        ("text", "text.csv", put(5, field, "high"), [field, "unit 2", "2019", "high"]),
        ("infinite", "inf.csv", put(5, field, np.inf), [field, "infinite", "2019"]),
        ("duplicate-unit-year", "dup.csv", put(3, "YEAR", 2019), ["1", "2019", "more than once"]),
    ]


def gd(source, *more, drivers=("DR1", "DR2")):
    return ("geodetector", "--input", source, *PANEL, "--target-field", "DC", "--driver-fields",
            *drivers, *more, "--factors", "f.csv")


def sr(source, *more, model="sar", polygons=POLYS):
    return ("spatialregression", "--input", source, *polygons, *PANEL, "--target-field", "DC",
            "--driver-fields", "DR1", "DR2", "--model", model, *more, "--coefficients", "c.csv")


def gw(source, *more, polygons=POLYS):
    return ("gwr", "--input", source, *polygons, *PANEL, "--target-field", "DC", "--driver-fields",
            "DR1", "DR2", *more, "--output", "o.csv")


def rd(source, *more):
    return ("relativedevelopment", "--input", source, *PANEL, "--system-fields", "U1", "U2", *more,
            "--output", "o.csv")


def kd(source, *more):
    return ("kerneldensity", "--input", source, *PANEL, "--value-field", "DC", *more,
            "--density", "o.csv")


def gc(source, *more, polygons=POLYS):
    return ("gravitycentre", "--input", source, *polygons, *PANEL, "--weight-field", "DC", *more,
            "--output", "o.csv")


def de(source, *more, polygons=POLYS):
    return ("deviationalellipse", "--input", source, *polygons, *PANEL, "--weight-field", "DC",
            *more, "--output", "o.csv")


def hs(source, *more, polygons=POLYS):
    return ("hotspots", "--input", source, *polygons, *PANEL, "--value-field", "DC",
            "--permutations", "99", *more, "--output", "o.csv")


def eh(source, *more, polygons=POLYS):
    return ("emerginghotspots", "--input", source, *polygons, *PANEL, "--value-field", "DC",
            "--permutations", "99", *more, "--output", "o.csv")


def cv(source, *more, polygons=()):
    return ("convergence", "--input", source, *polygons, *PANEL, "--value-field", "DC", *more,
            "--sigma", "s.csv", "--beta", "b.csv")


def _shared(prefix, command, field="DC", skip=(), says=None):
    """The cases of :func:`value_cases`; ``says`` replaces the fragments of some suffixes."""
    return [Case(f"{prefix}-{suffix}", command(name), 3, (says or {}).get(suffix, expected),
                 make=variant(name, change), made=(name,))
            for suffix, name, change, expected in value_cases(field) if suffix not in skip]


CASES = (
    # -- geographical detector ------------------------------------------------------------
    _shared("geodetector", gd, skip=("null",))  # NULL rows are left out with a warning
    + _shared("geodetector-driver", gd, field="DR1", skip=("null", "duplicate-unit-year"))
    + [
        Case("geodetector-constant-target", gd("const.csv"), 3, ["DC", "constant", "0.5"],
             make=variant("const.csv", _set("DC", 0.5)), made=("const.csv",)),
        Case("geodetector-too-few-rows", gd("two.csv"), 3, ["DC", "2 complete row(s)", "at least 3"],
             make=variant("two.csv", lambda f: f.drop(f.index[2:], inplace=True)), made=("two.csv",)),
        Case("geodetector-year-all-missing", gd("gap.csv", "--scope", "year"), 3,
             ["DC", "2020", "0 complete row(s)"], make=variant("gap.csv", _year_missing("DC", 2020)),
             made=("gap.csv",)),
    ]
    # -- spatial regression ---------------------------------------------------------------
    + _shared("spatialregression", sr)
    + _shared("spatialregression-driver", sr, field="DR1", skip=("duplicate-unit-year",))
    + [
        Case("spatialregression-constant-target", sr("const.csv"), 3, ["DC", "constant", "0.5"],
             make=variant("const.csv", _set("DC", 0.5)), made=("const.csv",)),
        Case("spatialregression-constant-driver", sr("const.csv"), 3, ["DR2", "does not vary"],
             make=variant("const.csv", _set("DR2", 3.0)), made=("const.csv",)),
        Case("spatialregression-collinear-drivers-panel", sr("coll.csv"), 3, ["collinear"],
             make=variant("coll.csv", _collinear), made=("coll.csv",)),
        Case("spatialregression-collinear-drivers-cross-section",
             sr("coll.csv", "--fixed-effects", "none", "--years", "2018"), 3,
             ["2018", "DR1, DR2", "collinear"], make=variant("coll.csv", _collinear),
             made=("coll.csv",)),
        Case("spatialregression-single-year-with-fixed-effects", sr("one.csv"), 3,
             ["fixed effects", "two years"], make=variant("one.csv", _years(2018)), made=("one.csv",)),
        Case("spatialregression-too-few-units-for-the-sdm",
             sr("few.csv", "--fixed-effects", "none", "--years", "2018", model="sdm"), 3,
             ["2018", "4 units", "SDM", "6 parameters"], make=variant("few.csv", _units(1, 2, 3, 4)),
             made=("few.csv",)),
        Case("spatialregression-one-unit", sr("lone.csv"), 3, ["at least 3 units"],
             make=variant("lone.csv", _units(1)), made=("lone.csv",)),
        Case("spatialregression-year-all-missing", sr("gap.csv"), 3, ["DC", "year 2020", "16 row(s)"],
             make=variant("gap.csv", _year_missing("DC", 2020)), made=("gap.csv",)),
        Case("spatialregression-distance-weights-on-longitude-latitude",
             sr("panel.csv", "--weights-type", "distance", "--threshold", "1500", polygons=LONLAT), 3,
             ["EPSG:4326", "geographic", "TARGET_CRS"], make=geographic_polygons,
             made=("lonlat.gpkg",)),
    ]
    # -- GWR ------------------------------------------------------------------------------
    + _shared("gwr", gw)
    + _shared("gwr-driver", gw, field="DR1", skip=("duplicate-unit-year",))
    + [
        Case("gwr-constant-target", gw("const.csv"), 3, ["DC", "2018", "constant"],
             make=variant("const.csv", _set("DC", 0.5)), made=("const.csv",)),
        Case("gwr-constant-driver", gw("const.csv"), 3, ["DR2", "2018", "do not vary"],
             make=variant("const.csv", _set("DR2", 3.0)), made=("const.csv",)),
        Case("gwr-collinear-drivers", gw("coll.csv"), 3, ["DR1, DR2", "2018", "collinear"],
             make=variant("coll.csv", _collinear), made=("coll.csv",)),
        Case("gwr-too-few-units", gw("few.csv"), 3, ["3 units", "2018", "too few"],
             make=variant("few.csv", _units(1, 2, 3)), made=("few.csv",)),
        Case("gwr-fixed-bandwidth-too-small", gw("panel.csv", "--bandwidth-type", "fixed",
                                                 "--bandwidth", "10"), 3,
             ["bandwidth 10", "2018", "too few neighbours"]),
        Case("gwr-adaptive-bandwidth-too-small", gw("panel.csv", "--bandwidth", "2"), 3,
             ["bandwidth 2", "2018", "at least 4 neighbours"]),
        Case("gwr-year-all-missing", gw("gap.csv"), 3, ["DC", "year 2020", "16 row(s)"],
             make=variant("gap.csv", _year_missing("DC", 2020)), made=("gap.csv",)),
    ]
    # -- relative development ---------------------------------------------------------------
    + _shared("relativedevelopment", rd, field="U2",  # inf is refused as outside [0, 1]
              says={"infinite": ["U2", "[0, 1]", "unit 2", "2019", "inf"]})
    + [
        Case("relativedevelopment-negative-index", rd("neg.csv"), 3, ["U2", "unit 2", "2019", ">= 0"],
             make=variant("neg.csv", put(5, "U2", -0.2)), made=("neg.csv",)),
    ]
    # -- kernel density -----------------------------------------------------------------------
    + _shared("kerneldensity", kd, skip=("null",))  # NULL values are left out (documented)
    + [
        Case("kerneldensity-constant-value", kd("const.csv"), 3, ["2018", "two different values"],
             make=variant("const.csv", _set("DC", 0.5)), made=("const.csv",)),
        Case("kerneldensity-one-unit", kd("lone.csv"), 3, ["2018", "two different values"],
             make=variant("lone.csv", _units(1)), made=("lone.csv",)),
    ]
    # -- gravity centre and deviational ellipse ---------------------------------------------------
    + _shared("gravitycentre", gc)
    + _shared("deviationalellipse", de)
    + [
        Case("gravitycentre-negative-weight", gc("neg.csv"), 3, ["DC", "2019", "negative", "2"],
             make=variant("neg.csv", put(5, "DC", -0.3)), made=("neg.csv",)),
        Case("gravitycentre-year-all-missing", gc("gap.csv"), 3, ["DC", "year 2020", "1, 2, 3"],
             make=variant("gap.csv", _year_missing("DC", 2020)), made=("gap.csv",)),
        Case("gravitycentre-geographic-target-crs", gc("panel.csv", "--target-crs", "4326"), 3,
             ["TARGET_CRS", "EPSG:4326", "not projected"]),
        Case("deviationalellipse-one-unit", de("lone.csv"), 3, ["2018", "at least 3 units"],
             make=variant("lone.csv", _units(1)), made=("lone.csv",)),
    ]
    # -- hot spots and emerging hot spots ----------------------------------------------------------
    + _shared("hotspots", hs)
    + _shared("emerginghotspots", eh)
    + [
        Case("hotspots-constant-value", hs("const.csv"), 3, ["DC", "2018", "equal"],
             make=variant("const.csv", _set("DC", 0.5)), made=("const.csv",)),
        Case("hotspots-one-unit", hs("lone.csv"), 3, ["at least 3 units"],
             make=variant("lone.csv", _units(1)), made=("lone.csv",)),
        Case("hotspots-year-all-missing", hs("gap.csv"), 3, ["DC", "year 2020", "16 in all"],
             make=variant("gap.csv", _year_missing("DC", 2020)), made=("gap.csv",)),
        Case("hotspots-distance-weights-on-longitude-latitude",
             hs("panel.csv", "--weights-type", "distance", "--threshold", "1500", polygons=LONLAT), 3,
             ["EPSG:4326", "geographic", "TARGET_CRS"], make=geographic_polygons,
             made=("lonlat.gpkg",)),
        Case("emerginghotspots-single-year", eh("one.csv"), 3, ["at least 3 years", "got 1"],
             make=variant("one.csv", _years(2018)), made=("one.csv",)),
        Case("emerginghotspots-constant-value", eh("const.csv"), 3, ["DC", "2018", "equal"],
             make=variant("const.csv", _set("DC", 0.5)), made=("const.csv",)),
    ]
    # -- convergence --------------------------------------------------------------------------------
    + _shared("convergence", cv, skip=("null", "infinite"))  # NULL rows are left out with a warning
    + [
        Case("convergence-infinite", cv("inf.csv"), 3, ["DC", "unit 2", "2019", "finite"],
             make=variant("inf.csv", put(5, "DC", np.inf)), made=("inf.csv",)),
        Case("convergence-negative-value", cv("neg.csv"), 3, ["DC", "unit 2", "2019", "positive"],
             make=variant("neg.csv", put(5, "DC", -0.3)), made=("neg.csv",)),
        Case("convergence-constant-value", cv("const.csv"), 3, ["DC", "constant", "0.5"],
             make=variant("const.csv", _set("DC", 0.5)), made=("const.csv",)),
        Case("convergence-no-change-within-units", cv("flat.csv"), 3, ["within any unit"],
             make=variant("flat.csv", lambda f: f.__setitem__("DC", f["ID"] / 20)),
             made=("flat.csv",)),
        Case("convergence-single-year", cv("one.csv"), 3, ["growth rates", "got 0"],
             make=variant("one.csv", _years(2018)), made=("one.csv",)),
        # a year missing for every unit is left out with a warning: growth 2019 → 2021 is
        # annualised over its two years and the panel of growth rates stays balanced
        Case("convergence-spatial-year-all-missing-is-left-out", cv("gap.csv", polygons=POLYS), 0,
             ["16 row(s)", "unit 1 year 2020", "left out"],
             make=variant("gap.csv", _year_missing("DC", 2020)), made=("gap.csv",),
             writes=("s.csv", "b.csv")),
        Case("convergence-spatial-unit-year-missing", cv("hole.csv", polygons=POLYS), 3,
             ["balanced", "unit 2 year 2019"], make=variant("hole.csv", put(5, "DC", np.nan)),
             made=("hole.csv",)),
    ]
)


def _case_ids():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    return names


@pytest.mark.parametrize("case", CASES, ids=_case_ids())
def test_bad_data_of_the_new_tools(case, work, capsys):
    if case.make:
        case.make()
    check_run(capsys, work, case.argv, case.code, says=case.says,
              new_files=case.writes if case.code == 0 else ())
