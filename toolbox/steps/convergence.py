"""σ and β convergence of D (section ``[convergence]``)."""

import pandas as pd

from ..config import BOOL, OPTIONS_KEY, STR, STR_LIST, Key
from ..figures import axes_title, new_figure, png_bytes
from ..step import Step
from ..tools.convergence import Convergence
from .hotspots import WEIGHT_KEYS, weights_values

TOOL = Convergence()


class ConvergenceStep(Step):
    name = "convergence"
    title = "convergence"
    order = 66
    independent = True
    absent_note = "σ and β convergence"
    template = "convergence.html.j2"
    tools = (TOOL.id,)
    tables = {"sigma": "SD and CV per year", "beta": "β convergence models"}
    keys = (
        Key("value_field", STR, "D", "Value tested for convergence (positive)."),
        Key("group_field", STR, None, "Group field for σ per group."),
        Key("controls", STR_LIST, None, "Control fields of conditional β convergence."),
        Key("spatial", BOOL, True, "Spatial β models (SAR, SEM) when polygons are available."),
        *WEIGHT_KEYS,
        OPTIONS_KEY,
    )

    def run(self, context, piece):
        c = context.study["convergence"]
        tables = {"INPUT": context.frame()}
        if c["spatial"] and context.result.units is not None:
            tables["POLYGONS"] = context.result.units
        out = context.call(TOOL, "convergence",
                           {**context.common, "VALUE_FIELD": c["value_field"],
                            "GROUP_FIELD": c.get("group_field"), "CONTROL_FIELDS": c.get("controls"),
                            **weights_values(c)},
                           self.title, tables, c.get("options"))
        result = context.result
        result.tables["sigma"], result.tables["beta"] = out["SIGMA"], out["BETA"]
        result.methods["sigma"] = f"Standard deviation and coefficient of variation of {c['value_field']}."
        result.methods["beta"] = (f"Yearly growth of {c['value_field']} on its log level; clustered SE by "
                                  "unit; spatial models by ML with unit effects (spreg).")
        result.figures["sigma"] = sigma_figure(out["SIGMA"], c["value_field"], result.synthetic)
        return ", ".join(out["BETA"]["MODEL"])

    def report(self, result):
        if "beta" not in result.tables:
            return None
        sigma = result.tables["sigma"]
        return {"sigma": sigma[sigma["GROUP"] == "all"], "beta": result.tables["beta"]}


def sigma_figure(sigma: pd.DataFrame, value: str, synthetic: bool) -> bytes:
    figure = new_figure(8, 3.4)
    ax = figure.add_subplot()
    year = sigma.columns[0]
    for group, part in sigma.groupby("GROUP", sort=False):
        ax.plot(part[year], part["CV"], linewidth=2 if group == "all" else 1, label=str(group))
    ax.set_ylabel(f"CV of {value}")
    ax.legend(fontsize=8)
    axes_title(ax, f"σ convergence: coefficient of variation of {value}", synthetic)
    return png_bytes(figure, synthetic)


STEP = ConvergenceStep()
