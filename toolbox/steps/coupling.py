"""Coupling coordination of the systems' indices (section ``[coupling]``)."""

import pandas as pd

from ..config import FLOAT_LIST, OPTIONS_KEY, STR, STR_LIST, Key, StudyConfigError
from ..step import Step
from ..tools.coupling import CouplingCoordination

TOOL = CouplingCoordination()


class Coupling(Step):
    name = "coupling"
    title = "coupling coordination"
    order = 30
    template = "coupling.html.j2"
    tools = (TOOL.id,)
    adds = "`C`, `T`, `D`, `D_CLASS`, …"
    tables = {"(Table 1 in the report)": "mean indices, C, T and D per year"}
    keys = (
        Key("systems", STR_LIST, None, "Names of the systems coupled, in order (default: every "
            "system of `[systems]`, in file order; two or more)."),
        Key("weights", FLOAT_LIST, None, "System weights for T, one per system, summing to 1 "
            "(default equal)."),
        Key("model", STR, "classic", "Coupling model: `classic` or `revised` (Wang Shujia et al., 2021).",
            choices=("classic", "revised")),
        Key("class_breaks", FLOAT_LIST, None, "Class breaks of D (default 0, 0.1, ..., 1)."),
        OPTIONS_KEY,
    )

    def resolve(self, coupling, config, base_dir):
        systems = config.get("systems", {})
        names = coupling.setdefault("systems", list(systems))
        for i, name in enumerate(names):
            if name not in systems:
                raise StudyConfigError(f"coupling.systems[{i}]: expected a system of [systems] "
                                       f"({', '.join(systems) or 'none defined'}), got {name!r}")
        if len(names) < 2:
            raise StudyConfigError(f"coupling.systems: expected two or more systems, got {len(names)}")
        weights = coupling.get("weights")
        if weights is not None:
            if len(weights) != len(names):
                raise StudyConfigError(f"coupling.weights: expected {len(names)} numbers (one per "
                                       f"system: {', '.join(names)}), got {len(weights)}")
            if abs(sum(weights) - 1.0) > 1e-6 or min(weights) < 0:
                raise StudyConfigError(f"coupling.weights: expected non-negative numbers summing to 1, "
                                       f"got {weights} (sum {sum(weights):g})")
        return coupling

    def run(self, context, piece):
        c = context.study["coupling"]
        out = context.add_fields(TOOL, "coupling",
                                 {**context.common, "SYSTEM_FIELDS": index_fields(context.study),
                                  "SYSTEM_WEIGHTS": c.get("weights"), "MODEL": c["model"],
                                  "CLASS_BREAKS": c.get("class_breaks")},
                                 self.title, c.get("options"))
        return f"{c['model']} model"

    def report(self, result):
        study, frame = result.study, result.results
        if "D" not in frame.columns:
            return None
        year = study["data"]["year_field"]
        fields = index_fields(study)
        summary = frame.groupby(year)[fields + ["C", "T", "D"]].mean().reset_index()
        summary.columns = ["year"] + [f"mean {c}" for c in fields + ["C", "T", "D"]]
        classes = None
        if "D_CLASS" in frame.columns:
            classes = pd.crosstab(frame[year], frame["D_CLASS"]).reset_index()
            classes.columns = ["year"] + [f"class {int(c)}" for c in classes.columns[1:]]
        c = study["coupling"]
        return {"summary": summary, "classes": classes, "model": c["model"], "weights": system_weights(c)}


def index_fields(study):
    """The index fields of the coupled systems, in coupling order."""
    systems = study["systems"]
    return [systems[name]["index_field"] for name in study["coupling"]["systems"]]


def system_weights(section) -> str:
    return ", ".join(f"{w:g}" for w in section["weights"]) if section.get("weights") else "equal"


def coupling_note(study) -> str:
    """How D was computed, for the method lines of later tables ("" without coupling)."""
    if not study.has("coupling"):
        return ""
    c = study["coupling"]
    return (f"D = √(C·T), {c['model']} coupling of {' and '.join(c['systems'])} "
            f"(system weights {system_weights(c)})")


STEP = Coupling()
