"""The whole study in one tool: every step, every table, maps and the HTML report."""

import os
import shutil
import tempfile

import pandas as pd

from spatial.errors import InputError

from ..parameters import (EnumInput, FieldInput, FolderOutput, NumberInput, PathOutput, TableInput,
                          TextInput)
from ..tool import Tool
from .common import ID_FIELD, YEAR_FIELD
from .coupling import MODELS
from .tiers import METHODS


class FullAnalysis(Tool):
    id = "fullanalysis"
    order = 220
    title = "Full coupling coordination study"
    group = "Workflow"
    group_id = "workflow"
    help = (
        "Runs a whole study on two systems in one go, with the same code as the single "
        "algorithms: persistent-innovation index (if a patent field is given, added to "
        "system 2), entropy-weighted index of each system, coupling coordination, tiers, "
        "Dagum decomposition by tier (a tier with one member in a year is noted, its "
        "within-tier Gini being 0), obstacle degree, driver models (if driver fields are "
        "given) and, with polygons, global and local Moran's I and spatial Markov "
        "dynamics.\n\n"
        "OUTPUT_FOLDER receives study.gpkg (the units, the long unit-year results layer and "
        "every table), a CSV per table, the figures, report.html — a self-contained report "
        "laid out like the study's result tables — and study-resolved.toml, with which "
        "'ccd run' repeats the run exactly. The results layer is loaded styled by "
        "coordination class.")
    parameters = (
        TableInput("INPUT", "Panel layer or table (one row per unit and year)", geometry="optional"),
        TableInput("POLYGONS", "Unit polygons, one feature per unit (default: the input's "
                               "geometry)", optional=True, geometry="polygon"),
        ID_FIELD,
        YEAR_FIELD,
        NumberInput("FIRST_YEAR", "First year analysed (earlier years serve only as the "
                                  "persistent-innovation lead-in)", optional=True, integer=True,
                    minimum=1000, maximum=9999),
        NumberInput("LAST_YEAR", "Last year analysed", optional=True, integer=True, minimum=1000,
                    maximum=9999),
        TextInput("TITLE", "Title of the study", default="Coupling coordination study"),
        TextInput("SYSTEM1_NAME", "Name of system 1", default="system1"),
        FieldInput("SYSTEM1_POSITIVE", "System 1: positive indicators", multiple=True, numeric=True),
        FieldInput("SYSTEM1_NEGATIVE", "System 1: negative indicators", multiple=True, numeric=True,
                   optional=True),
        TextInput("SYSTEM2_NAME", "Name of system 2", default="system2"),
        FieldInput("SYSTEM2_POSITIVE", "System 2: positive indicators", multiple=True, numeric=True,
                   optional=True),
        FieldInput("SYSTEM2_NEGATIVE", "System 2: negative indicators", multiple=True, numeric=True,
                   optional=True),
        FieldInput("PATENT_FIELD", "Patent count field (adds the persistent-innovation index "
                                   "to system 2)", numeric=True, optional=True),
        EnumInput("MODEL", "Coupling model", options=MODELS, default="classic"),
        EnumInput("TIER_METHOD", "Tiers", options=METHODS, default="kmeans_year"),
        FieldInput("GROUP_FIELD", "Group field for the mean D table (e.g. urban agglomeration)",
                   optional=True),
        FieldInput("DRIVER_FIELDS", "Driver fields (driver models and their importance)",
                   multiple=True, numeric=True, optional=True),
        NumberInput("SEED", "Random seed", default=0, integer=True, minimum=0, advanced=True),
        NumberInput("PERMUTATIONS", "Permutations for Moran's I and LISA", default=999,
                    integer=True, minimum=0, maximum=99999, advanced=True),
    )
    outputs = (
        FolderOutput("OUTPUT_FOLDER", "Output folder"),
        PathOutput("RESULTS", "Coupling coordination results", kind="layer", style="d_class"),
        PathOutput("REPORT", "HTML report", kind="file"),
    )

    def run(self, values, feedback):
        folder = values.get("OUTPUT_FOLDER")
        if not folder:
            raise InputError("OUTPUT_FOLDER: give a folder for the study's outputs")
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        # the tables received are written aside and enter the folder with the finished run
        scratch = tempfile.mkdtemp(prefix="ccd-inputs-")
        try:
            return self._run(values, feedback, folder, id_field, year_field,
                             os.path.join(scratch, "inputs.gpkg"))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _run(self, values, feedback, folder, id_field, year_field, inputs):
        from .. import pipeline, study

        data = {"source": "files", "panel": f"{inputs}|layername=panel", "id_field": id_field,
                "year_field": year_field}
        for key, name in (("first_year", "FIRST_YEAR"), ("last_year", "LAST_YEAR")):
            if values.get(name) is not None:
                data[key] = int(values[name])
        polygons = _unit_polygons(values, id_field)
        _write_inputs(inputs, values["INPUT"], polygons)
        if polygons is not None:
            data["polygons"] = f"{inputs}|layername=units"

        first, second = values.get("SYSTEM1_NAME") or "system1", values.get("SYSTEM2_NAME") or "system2"
        if first == second:
            raise InputError("SYSTEM1_NAME and SYSTEM2_NAME must differ")
        system2_positive = list(values.get("SYSTEM2_POSITIVE") or [])
        raw = {"title": values.get("TITLE") or "Coupling coordination study", "data": data}
        if values.get("PATENT_FIELD"):
            raw["innovation"] = {"patent_field": values["PATENT_FIELD"]}
            system2_positive = ["CONINNOV"] + system2_positive
        raw["systems"] = {
            first: {"positive": list(values.get("SYSTEM1_POSITIVE") or []),
                    "negative": list(values.get("SYSTEM1_NEGATIVE") or [])},
            second: {"positive": system2_positive,
                     "negative": list(values.get("SYSTEM2_NEGATIVE") or []),
                     "missing": "interpolate" if values.get("PATENT_FIELD") else "error"},
        }
        seed = int(values.get("SEED") or 0)
        raw["coupling"] = {"model": values.get("MODEL") or "classic"}
        raw["tiers"] = {"method": values.get("TIER_METHOD") or "kmeans_year", "seed": seed}
        if values.get("GROUP_FIELD"):
            raw["tiers"]["group_field"] = values["GROUP_FIELD"]
        raw["dagum"] = {"singletons": "allow"}  # a one-member tier is noted, not fatal
        raw["obstacles"] = {}
        if values.get("DRIVER_FIELDS"):
            raw["drivers"] = {"drivers": list(values["DRIVER_FIELDS"]), "seed": seed}
        if polygons is not None:
            raw["spatial"] = {"permutations": int(values.get("PERMUTATIONS") or 0), "seed": seed}
        resolved = study.study_from_dict(raw, base_dir=folder)
        path = pipeline.run(study=resolved, output_dir=folder, feedback=feedback,
                            staged_inputs={"inputs.gpkg": inputs})
        return {"OUTPUT_FOLDER": path,
                "RESULTS": f"{os.path.join(path, 'study.gpkg')}|layername=results",
                "REPORT": os.path.join(path, "report.html")}


def _unit_polygons(values, id_field):
    polygons = values.get("POLYGONS")
    if polygons is None:
        table = values["INPUT"]
        if not hasattr(table, "geometry"):
            return None
        polygons = table.drop_duplicates(subset=id_field)
    return polygons[[id_field, "geometry"]].reset_index(drop=True)


def _write_inputs(path, table, polygons):
    """The tables the study reads, in one GeoPackage (``inputs.gpkg`` of the run
    folder), so that study-resolved.toml repeats the run from files."""
    import pyogrio

    attributes = pd.DataFrame(table.drop(columns="geometry") if hasattr(table, "geometry") else table)
    pyogrio.write_dataframe(attributes.reset_index(drop=True), path, layer="panel")
    if polygons is not None:
        pyogrio.write_dataframe(polygons, path, layer="units")
