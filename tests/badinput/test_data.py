"""Bad and awkward data for every tool: the exit code, a message naming what is at
fault, inputs byte-identical afterwards and no partial output.

Each case makes its bad file in a fresh copy of the study folder
(``badinput_support``), runs ``ccd`` in-process and is checked by
:func:`badinput_support.check_run`. Awkward-but-valid inputs (GB18030, BOM,
codes with leading zeros, semicolons) must succeed and say what was detected.
"""

import zipfile
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import pytest

from badinput_support import check_run, grid_polygons

PANEL = ("--id-field", "ID", "--year-field", "YEAR")
POLYS = ("--polygons", "data.gpkg|layername=units")


def panel():
    return pd.read_csv("panel.csv")


def variant(name, change: Callable[[pd.DataFrame], None], **to_csv):
    """A copy of the panel changed by ``change``, written to ``name``."""
    def make():
        frame = panel()
        change(frame)
        frame.to_csv(name, index=False, **to_csv)
    return make


def put(row, column, value):
    def change(frame):
        if isinstance(value, str):
            frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
    return change


def text_file(name, content, mode="w", encoding="utf-8"):
    def make():
        with open(name, mode, **({} if "b" in mode else {"encoding": encoding})) as handle:
            handle.write(content)
    return make


def both(*makers):
    def make():
        for maker in makers:
            maker()
    return make


def coded_ids():
    """The panel and polygons with ids written as codes with leading zeros."""
    import pyogrio

    frame = panel()
    frame["ID"] = frame["ID"].map(lambda i: f"{i:03d}")
    frame.to_csv("coded.csv", index=False)
    polygons = grid_polygons()
    polygons["ID"] = polygons["ID"].map(lambda i: f"{i:03d}")
    pyogrio.write_dataframe(polygons, "coded.gpkg", layer="units")


def geographic_polygons():
    import pyogrio

    pyogrio.write_dataframe(grid_polygons().set_crs(3857).to_crs(4326), "lonlat.gpkg", layer="units")


def duplicated_polygons():
    import pyogrio

    polygons = grid_polygons()
    polygons.loc[3, "ID"] = 1
    pyogrio.write_dataframe(polygons, "twice.gpkg", layer="units")


@dataclass
class Case:
    name: str
    argv: Sequence[str]
    code: int
    says: Sequence[str] = ()
    make: Optional[Callable[[], None]] = None
    made: Tuple[str, ...] = ()  # files ``make`` adds (inputs of the case)
    writes: Tuple[str, ...] = ()  # outputs a successful run adds
    check: Optional[Callable[[], None]] = None
    extra: dict = field(default_factory=dict)


def cc(source, *more, out="o.csv"):
    return ("couplingcoordination", "--input", source, "--system-fields", "U1", "U2", *PANEL,
            *more, "--output", out)


def ew(source, *fields, more=()):
    return ("entropyweights", "--input", source, *PANEL, "--positive-fields", *(fields or ("X1", "X2")),
            *more, "--output", "o.csv")


def gm(source, *more, value="DC"):
    return ("globalmoran", "--input", source, *POLYS, *PANEL, "--value-field", value,
            "--permutations", "99", *more, "--output", "o.csv")


def lm(source, *more, value="DC"):
    return ("localmoran", "--input", source, *POLYS, *PANEL, "--value-field", value,
            "--permutations", "99", *more, "--output", "o.csv")


def output_column(name, column):
    def check():
        assert column in pd.read_csv(name).columns
    return check


def output_holds(name, text):
    def check():
        with open(name, encoding="utf-8") as handle:
            assert text in handle.read()
    return check


CASES = [
    # -- reading: encodings, formats, layers ---------------------------------------------
    Case("csv-gb18030-chinese-groups", ("dagumgini", "--input", "gbk.csv", *PANEL, "--value-field",
                                        "DC", "--group-field", "GROUP", "--output", "o.csv",
                                        "--pairs", "p.csv"), 0, ["GB18030"],
         make=variant("gbk.csv", lambda f: f.__setitem__("GROUP", np.where(
             f["GROUP"] == "east", "华东", "西部")), encoding="gb18030"),
         made=("gbk.csv",), writes=("o.csv", "p.csv"), check=output_holds("p.csv", "华东")),
    Case("csv-utf8-with-bom", cc("bom.csv"), 0, ["UTF-8 with BOM"],
         make=variant("bom.csv", lambda f: None, encoding="utf-8-sig"), made=("bom.csv",),
         writes=("o.csv",), check=output_column("o.csv", "ID")),
    Case("csv-utf16-with-bom", cc("u16.csv"), 0, ["UTF-16"],
         make=variant("u16.csv", lambda f: None, encoding="utf-16"), made=("u16.csv",),
         writes=("o.csv",), check=output_column("o.csv", "D")),
    Case("csv-latin1-undecodable", cc("latin.csv"), 4, ["latin.csv", "line 3", "UTF-8", "GB18030"],
         make=text_file("latin.csv", "ID,YEAR,U1,U2\n1,2018,0.1,0.2\n".encode()
                        + "Bogotá,2018,0.1,0.2\n".encode("latin-1"), mode="wb"), made=("latin.csv",)),
    Case("csv-is-an-excel-workbook", cc("book.csv"), 4, ["book.csv", "Excel workbook", "importpanel"],
         make=lambda: zipfile.ZipFile("book.csv", "w").writestr("xl/workbook.xml", "<workbook/>"),
         made=("book.csv",)),
    Case("csv-empty-file", cc("empty.csv"), 4, ["empty.csv", "empty"],
         make=text_file("empty.csv", ""), made=("empty.csv",)),
    Case("csv-header-only", cc("header.csv"), 3, ["no rows"],
         make=text_file("header.csv", "ID,YEAR,U1,U2\n"), made=("header.csv",)),
    Case("csv-semicolon-separated", cc("semi.csv"), 0, ["separator ';'"],
         make=variant("semi.csv", lambda f: None, sep=";"), made=("semi.csv",), writes=("o.csv",),
         check=output_column("o.csv", "D")),
    Case("ids-with-leading-zeros-join-the-polygons",
         ("globalmoran", "--input", "coded.csv", "--polygons", "coded.gpkg|layername=units", *PANEL,
          "--value-field", "DC", "--permutations", "99", "--output", "o.csv"), 0,
         ["leading zeros", "ID", "'001'"], make=coded_ids, made=("coded.csv", "coded.gpkg"),
         writes=("o.csv",)),
    Case("ids-with-leading-zeros-kept-in-the-output", cc("coded.csv"), 0, ["leading zeros"],
         make=coded_ids, made=("coded.csv", "coded.gpkg"), writes=("o.csv",),
         check=output_holds("o.csv", "\n001,")),
    Case("gpkg-layer-missing", cc("data.gpkg|layername=nope"), 4, ["no layer 'nope'", "panel, units"]),
    Case("gpkg-damaged", cc("broken.gpkg"), 4, ["broken.gpkg", "damaged"],
         make=text_file("broken.gpkg", b"SQLite format 3\x00" + bytes(3000), mode="wb"),
         made=("broken.gpkg",)),
    Case("input-is-a-folder", cc("folder.csv"), 4, ["folder.csv", "folder"],
         make=lambda: __import__("os").mkdir("folder.csv")),
    Case("layer-option-misspelt", cc("data.gpkg|layer=panel"), 4, ["layername=NAME"]),
    Case("unknown-input-format", cc("notes.xyz"), 4, ["notes.xyz"],
         make=text_file("notes.xyz", "not a table"), made=("notes.xyz",)),

    # -- writing ---------------------------------------------------------------------------
    Case("shapefile-output-names-truncated-in-our-words",
         ("couplingcoordination", "--input", "data.gpkg|layername=panel", "--system-fields", "U1",
          "U2", *PANEL, "--output", "out.shp"), 0,
         ["at most 10 characters", "D_CLASS_NAME became D_CLASS_NA", ".gpkg"],
         writes=("out.shp", "out.shx", "out.dbf", "out.prj", "out.cpg")),
    Case("geojson-output", ("couplingcoordination", "--input", "data.gpkg|layername=panel",
                            "--system-fields", "U1", "U2", "--output", "out.geojson"), 0,
         writes=("out.geojson",)),

    # -- coupling coordination ------------------------------------------------------------
    Case("coupling-text-in-a-number", cc("text.csv"), 3, ["U2", "unit 2", "2019"],
         make=variant("text.csv", put(5, "U2", "about 0.3")), made=("text.csv",)),
    Case("coupling-index-above-one", cc("big.csv"), 3, ["U1", "[0, 1]", "unit 1", "2021", "1.4"],
         make=variant("big.csv", put(3, "U1", 1.4)), made=("big.csv",)),
    Case("coupling-negative-index", cc("neg.csv"), 3, ["U2", "unit 2", "-0.2"],
         make=variant("neg.csv", put(4, "U2", -0.2)), made=("neg.csv",)),
    Case("coupling-null-index", cc("null.csv"), 3, ["U1", "unit 1", "2021", "--missing interpolate"],
         make=variant("null.csv", put(3, "U1", np.nan)), made=("null.csv",)),
    Case("coupling-field-missing", ("couplingcoordination", "--input", "panel.csv", "--system-fields",
                                    "U1", "U9", "--output", "o.csv"), 3, ["U9", "not found"]),
    Case("coupling-one-system", ("couplingcoordination", "--input", "panel.csv", "--system-fields",
                                 "U1", "--output", "o.csv"), 3, ["SYSTEM_FIELDS", "two or more"]),
    Case("coupling-weights-do-not-sum-to-one", cc("panel.csv", "--system-weights", "0.7,0.7"), 3,
         ["system weights", "sum to 1.4"]),
    Case("coupling-weights-count-differs", cc("panel.csv", "--system-weights", "1"), 3,
         ["one weight per system field", "U1", "U2"]),
    Case("coupling-output-field-taken", ("couplingcoordination", "--input", "taken.csv",
                                         "--system-fields", "U1", "U2", "--output", "o.csv"), 3,
         ["already has field", "C"], make=variant("taken.csv", lambda f: f.__setitem__("C", 1.0)),
         made=("taken.csv",)),
    Case("coupling-custom-breaks-not-increasing", cc("panel.csv", "--class-breaks", "0.5,0.2"), 3,
         ["class breaks", "increasing", "0.5, 0.2"]),

    # -- entropy weights and indices -------------------------------------------------------
    Case("entropy-constant-indicator", ew("const.csv"), 3, ["X2", "constant", "7"],
         make=variant("const.csv", lambda f: f.__setitem__("X2", 7.0)), made=("const.csv",)),
    Case("entropy-duplicate-unit-year", ew("dup.csv"), 3, ["(1, 2019)", "more than once"],
         make=variant("dup.csv", put(3, "YEAR", 2019)), made=("dup.csv",)),
    Case("entropy-null-value-points-at-the-option", ew("null.csv", "U1", "X2"), 3,
         ["U1", "unit 1", "2021", "--missing interpolate"],
         make=variant("null.csv", put(3, "U1", np.nan)), made=("null.csv",)),
    Case("entropy-text-in-indicator", ew("text.csv", "X1", "X2"), 3, ["X1", "unit 1", "2019", "lots"],
         make=variant("text.csv", put(1, "X1", "lots")), made=("text.csv",)),
    Case("entropy-no-indicator", ("entropyweights", "--input", "panel.csv", *PANEL, "--output",
                                  "o.csv"), 3, ["POSITIVE_FIELDS", "NEGATIVE_FIELDS"]),
    Case("entropy-null-year", ew("nullyear.csv"), 3, ["YEAR", "NULL", "unit 1"],
         make=variant("nullyear.csv", put(2, "YEAR", np.nan)), made=("nullyear.csv",)),
    Case("entropy-year-not-a-number", ew("textyear.csv"), 3, ["YEAR", "unit 1"],
         make=variant("textyear.csv", put(2, "YEAR", "2020a")), made=("textyear.csv",)),
    Case("entropy-infinite-value", ew("inf.csv"), 3, ["X1", "unit 1"],
         make=variant("inf.csv", put(2, "X1", np.inf)), made=("inf.csv",)),
    Case("innovation-patent-field-missing", ("persistentinnovation", "--input", "panel.csv", *PANEL,
                                             "--patent-field", "PATENTS", "--output", "o.csv"), 3,
         ["PATENTS", "not found"]),
    Case("innovation-text-patents", ("persistentinnovation", "--input", "text.csv", *PANEL,
                                     "--patent-field", "PAT", "--output", "o.csv"), 3,
         ["PAT", "unit 1", "many"], make=variant("text.csv", put(1, "PAT", "many")),
         made=("text.csv",)),
    Case("innovation-negative-patents", ("persistentinnovation", "--input", "neg.csv", *PANEL,
                                         "--patent-field", "PAT", "--output", "o.csv"), 3,
         ["PAT", "unit 1", "-3"], make=variant("neg.csv", put(1, "PAT", -3)), made=("neg.csv",)),

    # -- tiers, Dagum, obstacles, drivers ---------------------------------------------------
    Case("tiers-more-classes-than-units", ("coordinationtiers", "--input", "panel.csv", *PANEL,
                                           "--value-field", "DC", "--k", "40", "--output", "o.csv"),
         3, ["2018", "40"]),
    Case("tiers-value-field-missing", ("coordinationtiers", "--input", "panel.csv", *PANEL,
                                       "--value-field", "D", "--output", "o.csv"), 3, ["'D'", "not found"]),
    Case("tiers-null-value", ("coordinationtiers", "--input", "null.csv", *PANEL, "--value-field",
                              "DC", "--output", "o.csv"), 3, ["DC", "unit 2", "2018"],
         make=variant("null.csv", put(4, "DC", np.nan)), made=("null.csv",)),
    Case("dagum-group-field-missing", ("dagumgini", "--input", "panel.csv", *PANEL, "--value-field",
                                       "DC", "--group-field", "REGION", "--output", "o.csv"), 3,
         ["REGION", "not found"]),
    Case("dagum-null-value", ("dagumgini", "--input", "null.csv", *PANEL, "--value-field", "DC",
                              "--group-field", "GROUP", "--output", "o.csv"), 3, ["DC", "unit 2"],
         make=variant("null.csv", put(4, "DC", np.nan)), made=("null.csv",)),
    Case("dagum-negative-value", ("dagumgini", "--input", "neg.csv", *PANEL, "--value-field", "DC",
                                  "--group-field", "GROUP", "--output", "o.csv"), 3,
         ["DC", "unit 2", "2018"], make=variant("neg.csv", put(4, "DC", -0.5)), made=("neg.csv",)),
    Case("obstacle-no-indicator", ("obstacledegree", "--input", "panel.csv", *PANEL, "--output",
                                   "o.csv"), 3, ["POSITIVE_FIELDS"]),
    Case("obstacle-constant-indicator", ("obstacledegree", "--input", "const.csv", *PANEL,
                                         "--positive-fields", "X1", "X2", "--output", "o.csv"), 3,
         ["X2", "constant"], make=variant("const.csv", lambda f: f.__setitem__("X2", 7.0)),
         made=("const.csv",)),
    Case("drivers-values-beyond-float32", ("driveranalysis", "--input", "huge.csv", *PANEL,
                                           "--target-field", "DC", "--driver-fields", "DR1", "DR2",
                                           "--metrics", "m.csv"), 3,
         ["DR1", "too large", "32-bit", "unit 2 year 2018", "4.83e+38", "rescale"],
         make=variant("huge.csv", lambda f: f.__setitem__("DR1", f["DR1"] * 1e39)), made=("huge.csv",)),
    Case("drivers-driver-field-missing", ("driveranalysis", "--input", "panel.csv", *PANEL,
                                          "--target-field", "DC", "--driver-fields", "DR1", "DR9",
                                          "--metrics", "m.csv"), 3, ["DR9", "not found"]),
    Case("drivers-text-in-driver", ("driveranalysis", "--input", "text.csv", *PANEL,
                                    "--target-field", "DC", "--driver-fields", "DR1", "DR2",
                                    "--metrics", "m.csv"), 3, ["DR2", "unit 1", "2019"],
         make=variant("text.csv", put(1, "DR2", "high")), made=("text.csv",)),
    Case("geodetector-target-missing", ("geodetector", "--input", "panel.csv", "--target-field", "Y",
                                        "--driver-fields", "DR1", "--factors", "f.csv"), 3,
         ["'Y'", "not found"]),
    Case("relativedevelopment-field-missing", ("relativedevelopment", "--input", "panel.csv",
                                               "--system-fields", "U1", "U7", "--output", "o.csv"), 3,
         ["U7", "not found"]),
    Case("paneldiagnostics-id-missing", ("paneldiagnostics", "--input", "panel.csv", "--id-field",
                                         "CITY", "--year-field", "YEAR", "--output", "o.csv"), 3,
         ["CITY", "not found"]),

    # -- spatial ---------------------------------------------------------------------------
    Case("weights-from-a-table-without-geometry", ("spatialweights", "--input", "panel.csv",
                                                   "--id-field", "ID", "--output", "w.gal"), 4,
         ["--input panel.csv", "polygon layer", "no geometry"]),
    Case("weights-distance-on-longitude-latitude", ("spatialweights", "--input",
                                                    "lonlat.gpkg|layername=units", "--id-field", "ID",
                                                    "--type", "distance", "--threshold", "1500",
                                                    "--output", "w.gwt"), 3, ["CRS", "TARGET_CRS"],
         make=geographic_polygons, made=("lonlat.gpkg",)),
    Case("weights-duplicate-unit-ids", ("spatialweights", "--input", "twice.gpkg|layername=units",
                                        "--id-field", "ID", "--output", "w.gal"), 3, ["ID", "1"],
         make=duplicated_polygons, made=("twice.gpkg",)),
    Case("weights-id-field-missing", ("spatialweights", "--input", "data.gpkg|layername=units",
                                      "--id-field", "CODE", "--output", "w.gal"), 3, ["CODE", "not found"]),
    Case("moran-gal-neighbour-line-short", gm("panel.csv", "--weights-file", "bad.gal"), 3,
         ["bad.gal", "line 3", "3 neighbour"],
         make=text_file("bad.gal", "0 16 grid ID\n1 3\n2 5\n2 3\n1 3 6\n"), made=("bad.gal",)),
    Case("moran-gal-header-garbage", gm("panel.csv", "--weights-file", "junk.gal"), 3,
         ["junk.gal", "line 1", "header"], make=text_file("junk.gal", "garbage here\n"),
         made=("junk.gal",)),
    Case("moran-gal-truncated", gm("panel.csv", "--weights-file", "short.gal"), 3,
         ["short.gal", "ends after 1 unit", "16"], make=text_file("short.gal", "0 16 grid ID\n1 1\n2\n"),
         made=("short.gal",)),
    Case("moran-gal-unknown-neighbour", gm("panel.csv", "--weights-file", "ghost.gal"), 3,
         ["ghost.gal", "99"], make=text_file("ghost.gal", "0 2 grid ID\n1 1\n99\n2 1\n1\n"),
         made=("ghost.gal",)),
    Case("moran-gal-binary", gm("panel.csv", "--weights-file", "bin.gal"), 4,
         ["bin.gal", "not a text file"], make=text_file("bin.gal", bytes(range(256)) * 4, mode="wb"),
         made=("bin.gal",)),
    Case("moran-gal-misses-units", gm("panel.csv", "--weights-file", "part.gal"), 3,
         ["part.gal", "missing", "3"], make=text_file("part.gal", "0 2 grid ID\n1 1\n2\n2 1\n1\n"),
         made=("part.gal",)),
    Case("moran-gal-valid", gm("panel.csv", "--weights-file", "queen.gal"), 0, writes=("o.csv",)),
    Case("moran-constant-value-names-year-and-field", gm("const.csv", value="X2"), 3,
         ["X2", "2018", "equal"], make=variant("const.csv", lambda f: f.__setitem__("X2", 7.0)),
         made=("const.csv",)),
    Case("moran-value-field-missing", gm("panel.csv", value="DD"), 3, ["DD", "not found"]),
    Case("lisa-gwt-line-malformed", lm("panel.csv", "--weights-file", "bad.gwt"), 3,
         ["bad.gwt", "line 2"], make=text_file("bad.gwt", "0 16 grid ID\n1 2\n"), made=("bad.gwt",)),
    Case("lisa-gwt-weight-not-a-number", lm("panel.csv", "--weights-file", "nan.gwt"), 3,
         ["nan.gwt", "line 2", "heavy"], make=text_file("nan.gwt", "0 16 grid ID\n1 2 heavy\n"),
         made=("nan.gwt",)),
    Case("lisa-year-absent", lm("panel.csv", "--years", "1999"), 3, ["YEARS", "1999"]),
    Case("lisa-years-not-numbers", lm("panel.csv", "--years", "last"), 3, ["YEARS", "last"]),
    Case("markov-tier-and-value-both", ("spatialmarkov", "--input", "panel.csv", *POLYS, *PANEL,
                                        "--tier-field", "CLASS", "--value-field", "DC",
                                        "--transitions", "t.csv"), 3, ["TIER_FIELD", "VALUE_FIELD"]),
    Case("markov-lisa-without-value", ("spatialmarkov", "--input", "panel.csv", *POLYS, *PANEL,
                                       "--method", "lisa", "--transitions", "t.csv"), 3, ["VALUE_FIELD"]),
    Case("fullanalysis-system-field-missing", ("fullanalysis", "--input", "panel.csv", *POLYS, *PANEL,
                                               "--system1-positive", "X1", "X9", "--system2-positive",
                                               "PAT", "--output-folder", "full"), 3, ["X9"]),
]


def _name(case):
    return case.values[0].name if hasattr(case, "values") else case.name


def _case_ids():
    names = [_name(case) for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    return names


@pytest.mark.parametrize("case", CASES, ids=_case_ids())
def test_bad_input(case, work, capsys):
    if case.make:
        case.make()
    check_run(capsys, work, case.argv, case.code, says=case.says,
              new_files=case.writes if case.code == 0 else ())
    if case.check:
        case.check()
