"""Driver models of D per tier (section ``[drivers]``): Tables 6 and 7."""

import pandas as pd

from ..charts import importance_figure, shap_beeswarm_figure, shap_dependence_figure
from ..config import FLOAT, INT, OPTIONS_KEY, REQUIRED, STR, STR_LIST, Key, StudyConfigError
from ..step import Step
from ..tools.drivers import DriverAnalysis
from .obstacles import default_group
from .tiers import group_title, tier_note

TOOL = DriverAnalysis()
#: The defaults that shape what is computed (spatial.driver_models, spatial.drivers).
DEFAULTS_NOTE = ("Defaults: histogram-based boosting (split points among ≤ 255 bins per driver), "
                 "forest trees on bootstrap samples of ≤ 500 rows, no cross-validation unless "
                 "CV_FOLDS is set, permutation importance on ≤ 2,000 and SHAP on ≤ 200 held-out rows "
                 "(seeded samples).")
METRIC_COLUMNS = ("GROUP", "MODEL", "SPLIT", "R2_TRAIN", "R2_TEST", "RMSE_TEST", "R2_CV_MEAN",
                  "R2_CV_STD", "ADJ_R2", "N_TRAIN", "N_TEST")


class Drivers(Step):
    name = "drivers"
    title = "drivers"
    order = 70
    independent = True
    long = True  # four models per sample: on 2 cores about half of the independent steps' time
    chapter = "Drivers"
    absent_note = "Tables 6–7"
    template = "drivers.html.j2"
    tools = (TOOL.id,)
    tables = {"drivers_metrics": "Table 6", "drivers_importance": "Table 7",
              "drivers_coefficients": "OLS coefficients", "drivers_partial_dependence": "partial dependence",
              "drivers_shap": "mean |SHAP|", "drivers_shap_values": "SHAP values"}
    keys = (
        Key("target", STR, "D", "Target field."),
        Key("drivers", STR_LIST, REQUIRED, "Driver fields."),
        Key("group_field", STR, None, "Group field (models per group and for all); default `TIER` "
            "when `[tiers]` is present."),
        Key("split", STR, "grouped", "Primary train/test split: `grouped` (by unit, no leakage of a "
            "unit's other years) or `random`.", choices=("grouped", "random")),
        Key("test_size", FLOAT, 0.3, "Share held out for testing.", minimum=0.05, maximum=0.95),
        Key("seed", INT, 42, "Seed of splits, models and permutations.", minimum=0),
        OPTIONS_KEY,
    )

    def resolve(self, drivers, config, base_dir):
        if not drivers["drivers"]:
            raise StudyConfigError("drivers.drivers: expected at least one driver field")
        if drivers["target"] in drivers["drivers"]:
            raise StudyConfigError(f"drivers.drivers: expected fields other than the target "
                                   f"{drivers['target']!r}")
        return default_group(drivers, config, "drivers")

    def pieces(self, study, years=(), workers=1):
        """With several workers and a group field: the models of the full
        sample and those of the groups as two pieces (each sample's models
        are the same as in one run)."""
        d = study["drivers"]
        if workers < 2 or not d.get("group_field") or "SAMPLES" in (d.get("options") or {}):
            return [(self.title, None)]
        return [("drivers, all units", "all"), (f"drivers per {d['group_field']}", "groups")]

    def run(self, context, piece):
        d = context.study["drivers"]
        out = context.call(TOOL, "drivers",
                           {**context.common, "TARGET_FIELD": d["target"], "DRIVER_FIELDS": d["drivers"],
                            "GROUP_FIELD": d.get("group_field"), "SPLIT": d["split"],
                            "TEST_SIZE": d["test_size"], "SEED": d["seed"], "SAMPLES": piece or "both"},
                           self.title, {"INPUT": context.frame()}, d.get("options"))
        options = d.get("options") or {}
        extra = ", ".join(f"{k} {v}" for k, v in options.items())
        for key, table in out.items():
            if isinstance(table, pd.DataFrame):
                name = f"drivers_{key.lower()}"
                context.result.tables[name] = table
                context.result.methods[name] = (
                    f"{d['target']} on {len(d['drivers'])} drivers per {d.get('group_field') or 'sample'} "
                    f"and for all units; primary split {d['split']} (test share {d['test_size']:g}), "
                    f"seed {d['seed']}" + (f", {extra}" if extra else "") + ". " + DEFAULTS_NOTE + " "
                    + tier_note(context.study))
        return f"split {d['split']}, seed {d['seed']}"

    def join(self, name, earlier, later):
        """The metrics of the full sample and the groups as one run orders
        them: by split (the primary first), groups in order within it."""
        joined = super().join(name, earlier, later)
        if name != "drivers_metrics" or not len(earlier):
            return joined
        splits = {split: i for i, split in enumerate(dict.fromkeys(earlier["SPLIT"]))}
        return joined.sort_values("SPLIT", key=lambda s: s.map(splits), kind="stable", ignore_index=True)

    def figures(self, result):
        importance = result.tables.get("drivers_importance")
        if importance is None or not len(importance):
            return {}
        study = result.study
        figures = {"importance": importance_figure(importance, result.synthetic,
                                                   lambda g: group_title(g, study, "drivers"))}
        values = result.tables.get("drivers_shap_values")
        if values is not None and len(values):
            everyone = values[values["GROUP"].astype(str) == "all"]
            if len(everyone):
                figures["shap_beeswarm"] = shap_beeswarm_figure(everyone, result.synthetic,
                                                                "all units")
                figures["shap_dependence"] = shap_dependence_figure(everyone, result.synthetic,
                                                                    "all units")
        return figures

    def report(self, result):
        study, tables = result.study, result.tables

        def title(group):
            return "all units" if str(group) == "all" else group_title(group, study, "drivers")

        metrics = tables.get("drivers_metrics")
        if metrics is not None:
            metrics = metrics.assign(GROUP=[title(g) for g in metrics["GROUP"]])
            metrics = metrics[[c for c in METRIC_COLUMNS if c in metrics]]
            # cross-validation is opt-in: leave its columns out when nothing was cross-validated
            metrics = metrics.drop(columns=[c for c in ("R2_CV_MEAN", "R2_CV_STD")
                                            if c in metrics and metrics[c].isna().all()])
        def by_group_and_model(name, values):
            """A driver per row, a column per group and model (None without rows)."""
            table = tables.get(name)
            if table is None or not len(table):
                return None
            wide = table.assign(GROUP=[title(g) for g in table["GROUP"]]).pivot_table(
                index="DRIVER", columns=["GROUP", "MODEL"], values=values, sort=False)
            wide.columns = [f"{g} · {m}" for g, m in wide.columns]
            return wide.reset_index()

        wide = by_group_and_model("drivers_importance", "IMPORTANCE")
        shap_wide = by_group_and_model("drivers_shap", "MEAN_ABS_SHAP")
        shown = ("drivers_metrics", "drivers_importance", "drivers_shap")
        others = [(name, len(table)) for name, table in tables.items()
                  if name.startswith("drivers_") and name not in shown]
        return {"metrics": metrics, "importance": wide, "shap": shap_wide, "others": others}


STEP = Drivers()
