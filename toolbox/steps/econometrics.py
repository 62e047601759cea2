"""Spatial econometric models of D (section ``[econometrics]``): coefficients,
direct / indirect / total effects and the tests that choose the model."""

import pandas as pd

from ..config import FLOAT, INT, OPTIONS_KEY, REQUIRED, STR, STR_LIST, Key, StudyConfigError
from ..step import Step, StepSkipped
from ..tools.regression import FIXED_EFFECTS, MODELS, SpatialRegression

TOOL = SpatialRegression()
WEIGHT_CHOICES = ("queen", "rook", "knn", "distance", "kernel")


def weights_keys():
    """The keys that choose the spatial weights of a step (as in ``[spatial]``)."""
    return (
        Key("weights", STR, "queen", "Spatial weights: `queen`, `rook`, `knn`, `distance` or `kernel`.",
            choices=WEIGHT_CHOICES),
        Key("k", INT, None, "Neighbours for `knn` / adaptive `kernel` weights."),
        Key("threshold", FLOAT, None, "Distance band for `distance` weights (CRS units)."),
        Key("target_crs", INT, None, "EPSG code to reproject to before distance-based weights on a "
            "longitude/latitude layer.", minimum=1024, maximum=999999),
    )


def weights_values(section):
    return {"WEIGHTS_TYPE": section["weights"], "K": section.get("k"),
            "THRESHOLD": section.get("threshold"), "TARGET_CRS": section.get("target_crs")}


class Econometrics(Step):
    name = "econometrics"
    title = "spatial econometrics"
    order = 85
    report_order = 72  # in the drivers chapter, after the machine-learning models
    independent = True
    absent_note = "spatial econometric models (SAR, SEM, SDM)"
    template = "econometrics.html.j2"
    tools = (TOOL.id,)
    tables = {"econometrics_coefficients": "coefficients", "econometrics_effects":
              "direct, indirect and total effects", "econometrics_diagnostics": "fit and tests"}
    keys = (
        Key("target", STR, "D", "Target field."),
        Key("drivers", STR_LIST, REQUIRED, "Driver fields."),
        Key("model", STR, "sdm", "`ols`, `sar`, `sem` or `sdm`.", choices=tuple(v for v, _ in MODELS)),
        Key("fixed_effects", STR, "twoway", "`none` (a cross-section per year), `unit` or `twoway` "
            "(panel of all years).", choices=tuple(v for v, _ in FIXED_EFFECTS)),
    ) + weights_keys() + (
        Key("draws", INT, 1000, "Draws for the standard errors of the effects.", minimum=100),
        Key("seed", INT, 12345, "Seed of the draws.", minimum=0),
        OPTIONS_KEY,
    )

    def resolve(self, section, config, base_dir):
        if not section["drivers"]:
            raise StudyConfigError("econometrics.drivers: expected at least one driver field")
        if section["target"] in section["drivers"]:
            raise StudyConfigError(f"econometrics.drivers: expected fields other than the target "
                                   f"{section['target']!r}")
        if section["weights"] == "distance" and "threshold" not in section:
            raise StudyConfigError('econometrics.threshold: missing; expected a distance for '
                                   'weights = "distance"')
        if section["weights"] in ("knn", "kernel"):
            section.setdefault("k", 4)
        return section

    def run(self, context, piece):
        e = context.study["econometrics"]
        if context.result.units is None:
            raise StepSkipped("no unit polygons: give data.polygons (or a panel layer with geometry)")
        from spatial.econometrics import ML_UNIT_LIMIT, dense_inverse_cost  # here: scipy.stats loads slowly

        units = len(context.result.units)
        if e["model"] != "ols" and units > ML_UNIT_LIMIT:
            raise StepSkipped(
                f"{units} units: maximum-likelihood spatial models are limited to {ML_UNIT_LIMIT} units "
                f"(their standard errors need {dense_inverse_cost(units)}); set econometrics.model = \"ols\" "
                "for OLS with its LM tests, or aggregate the units")
        out = context.call(TOOL, "econometrics",
                           {**context.common, "TARGET_FIELD": e["target"], "DRIVER_FIELDS": e["drivers"],
                            "MODEL": e["model"], "FIXED_EFFECTS": e["fixed_effects"],
                            "DRAWS": e["draws"], "SEED": e["seed"], **weights_values(e)},
                           self.title, {"INPUT": context.frame(), "POLYGONS": context.result.units},
                           e.get("options"))
        how = (f"{e['model'].upper()} of {e['target']} on {len(e['drivers'])} drivers, fixed effects "
               f"{e['fixed_effects']}, {e['weights']} weights (row-standardised); effects' SEs from "
               f"{e['draws']} draws, seed {e['seed']} (spreg's estimators; effects from the "
               "eigenvalues of W up to 1,000 units, beyond from the power series of (I - rho W)^-1 "
               "with Monte Carlo traces, Barry & Pace 1999).")
        for key, table in out.items():
            if isinstance(table, pd.DataFrame):
                name = f"econometrics_{key.lower()}"
                context.result.tables[name] = table
                context.result.methods[name] = how
        return f"{e['model']}, fixed effects {e['fixed_effects']}"

    def report(self, result):
        tables = result.tables
        if "econometrics_coefficients" not in tables:
            return None
        effects = tables["econometrics_effects"]
        effects = effects[[c for c in effects.columns if not c.endswith("_Z")]]
        return {"coefficients": tables["econometrics_coefficients"], "effects": effects,
                "diagnostics": tables["econometrics_diagnostics"]}


STEP = Econometrics()
