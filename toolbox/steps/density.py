"""Distribution dynamics of D (section ``[density]``): kernel densities per year, the
Markov chain of its classes, and σ / β convergence is ``[convergence]``."""

import pandas as pd

from ..config import FLOAT, INT, OPTIONS_KEY, STR, Key
from ..step import Step
from ..tools.distribution import RULES, KernelDensity

TOOL = KernelDensity()


class Density(Step):
    name = "density"
    title = "kernel density"
    order = 65
    independent = True
    chapter = "Distribution dynamics"
    absent_note = "kernel densities and the Markov chain of D"
    template = "density.html.j2"
    tools = (TOOL.id,)
    tables = {"density": "density per year and group on a common grid",
              "density_summary": "peaks, bandwidths, spread",
              "classic_markov_transitions": "Markov transition probabilities",
              "classic_markov_steady_state": "Markov steady state"}
    keys = (
        Key("value_field", STR, "D", "Value whose distribution is estimated."),
        Key("group_field", STR, None, "Group field: curves per group as well."),
        Key("bandwidth", STR, "silverman", "`silverman`, `scott` or `isj` (improved Sheather–Jones).",
            choices=tuple(v for v, _ in RULES)),
        Key("bandwidth_value", FLOAT, None, "Fixed bandwidth instead of the rule.", minimum=0.0),
        Key("grid_points", INT, 200, "Points of the common grid.", minimum=20, maximum=10000),
        Key("class_field", STR, None, "Classes of the Markov chain (default `TIER` with [tiers], "
            "else `D_CLASS`)."),
        OPTIONS_KEY,
    )

    def resolve(self, density, config, base_dir):
        if "class_field" not in density:
            density["class_field"] = "TIER" if "tiers" in config else "D_CLASS"
        return density

    def run(self, context, piece):
        d = context.study["density"]
        frame = context.frame()
        class_field = d["class_field"] if d["class_field"] in frame.columns else None
        out = context.call(TOOL, "density",
                           {**context.common, "VALUE_FIELD": d["value_field"],
                            "GROUP_FIELD": d.get("group_field"), "BANDWIDTH": d["bandwidth"],
                            "BANDWIDTH_VALUE": d.get("bandwidth_value"),
                            "GRID_POINTS": d["grid_points"], "CLASS_FIELD": class_field},
                           self.title, {"INPUT": frame}, d.get("options"))
        result = context.result
        how = (f"Gaussian kernel density of {d['value_field']} per year"
               + (f" and per {d['group_field']}" if d.get("group_field") else "")
               + (f", fixed bandwidth {d['bandwidth_value']:g}" if d.get("bandwidth_value")
                  else f", {d['bandwidth']} bandwidth") + ".")
        for key, name in (("DENSITY", "density"), ("SUMMARY", "density_summary"),
                          ("TRANSITIONS", "classic_markov_transitions"),
                          ("STEADY_STATE", "classic_markov_steady_state")):
            if isinstance(out.get(key), pd.DataFrame):
                result.tables[name] = out[key]
                result.methods[name] = how if key in ("DENSITY", "SUMMARY") else (
                    f"Classical Markov chain of {class_field} from each year to the next (giddy's Markov "
                    "numbers; the steady state by GTH elimination, as quantecon computes it).")
        from ..distribution_figures import density_curves, density_surface
        from ..figures import SYNTHETIC_MARK

        curves = out["DENSITY"]
        note = SYNTHETIC_MARK + " — not real statistics" if result.synthetic else ""
        result.figures["density_curves"] = density_curves(curves, d["value_field"], note)
        if curves["YEAR"].nunique() > 1:
            result.figures["density_surface"] = density_surface(curves, d["value_field"], note=note)
        return d["bandwidth"]

    def report(self, result):
        summary = result.tables.get("density_summary")
        if summary is None:
            return None
        transitions = result.tables.get("classic_markov_transitions")
        if transitions is not None:
            transitions = transitions.pivot(index="FROM", columns="TO", values="P").reset_index()
            transitions.columns = ["from \\ to"] + [str(c) for c in transitions.columns[1:]]
        return {"summary": summary.drop(columns=["PEAK_HEIGHTS"], errors="ignore"),
                "transitions": transitions,
                "steady": result.tables.get("classic_markov_steady_state")}


STEP = Density()
