"""Local models of D (section ``[gwr]``): GWR / MGWR coefficients per unit, mapped
with the insignificant units hatched."""

import numpy as np
import pandas as pd

from ..config import INT_LIST, OPTIONS_KEY, REQUIRED, STR, STR_LIST, Key, StudyConfigError
from ..figures import draw_units, map_axes, map_units, new_figure, png_bytes, unit_shapes
from ..step import Step, StepSkipped
from ..tools.regression import GWR_SCOPES, GeographicallyWeightedRegression

TOOL = GeographicallyWeightedRegression()


class LocalModels(Step):
    name = "gwr"
    title = "geographically weighted regression"
    order = 86
    report_order = 73  # in the drivers chapter, after the machine-learning models
    independent = True
    absent_note = "local models (GWR, MGWR)"
    template = "gwr.html.j2"
    tools = (TOOL.id,)
    tables = {"gwr_local": "local coefficients per unit", "gwr_summary": "global fit",
              "gwr_terms": "bandwidths per term"}
    keys = (
        Key("target", STR, "D", "Target field."),
        Key("drivers", STR_LIST, REQUIRED, "Driver fields."),
        Key("model", STR, "gwr", "`gwr` or `mgwr`.", choices=("gwr", "mgwr")),
        Key("kernel", STR, "bisquare", "`bisquare`, `gaussian` or `exponential`.",
            choices=("bisquare", "gaussian", "exponential")),
        Key("bandwidth_type", STR, "adaptive", "`adaptive` (neighbours) or `fixed` (distance).",
            choices=("adaptive", "fixed")),
        Key("scope", STR, "mean", "`mean` (unit means over the years, one map), `year` or `pooled`.",
            choices=tuple(v for v, _ in GWR_SCOPES)),
        Key("years", INT_LIST, None, "Years used (default all)."),
        OPTIONS_KEY,
    )

    def resolve(self, section, config, base_dir):
        if not section["drivers"]:
            raise StudyConfigError("gwr.drivers: expected at least one driver field")
        if section["target"] in section["drivers"]:
            raise StudyConfigError(f"gwr.drivers: expected fields other than the target "
                                   f"{section['target']!r}")
        return section

    def run(self, context, piece):
        g = context.study["gwr"]
        if context.result.units is None:
            raise StepSkipped("no unit polygons: give data.polygons (or a panel layer with geometry)")
        years = g.get("years")
        from spatial.local_regression import GWR_UNIT_LIMIT  # here: scipy.stats loads slowly

        units = len(context.result.units)
        if g["scope"] == "pooled":
            year_field = context.study["data"]["year_field"]
            frame = context.frame()
            units *= len(years) if years else int(frame[year_field].nunique())
        if g["model"] == "gwr" and units > GWR_UNIT_LIMIT:
            raise StepSkipped(
                f"{units} locations: GWR is limited to {GWR_UNIT_LIMIT} (each fit solves one weighted "
                "regression per location, O(n²), and the bandwidth search ~20 fits); "
                + ("choose gwr.scope = \"mean\"" if g["scope"] == "pooled"
                   else "aggregate the units or fit one region at a time"))
        out = context.call(TOOL, "gwr",
                           {**context.common, "TARGET_FIELD": g["target"], "DRIVER_FIELDS": g["drivers"],
                            "MODEL": g["model"], "KERNEL": g["kernel"],
                            "BANDWIDTH_TYPE": g["bandwidth_type"], "SCOPE": g["scope"],
                            "YEARS": ",".join(map(str, years)) if years else None},
                           self.title, {"INPUT": context.frame(), "POLYGONS": context.result.units},
                           g.get("options"))
        how = (f"{g['model'].upper()} of {g['target']} on {len(g['drivers'])} drivers ({g['scope']}), "
               f"{g['bandwidth_type']} {g['kernel']} kernel, AICc bandwidths (mgwr); significance "
               "corrected for multiple testing (da Silva & Fotheringham 2016). Cost O(n^2) per fit "
               "(one weighted regression per unit), ~20 fits in the golden-section search; GWR "
               "beyond 20,000 units is refused.")
        names = {"OUTPUT": "gwr_local", "SUMMARY": "gwr_summary", "TERMS": "gwr_terms"}
        for key, table in out.items():
            if isinstance(table, pd.DataFrame):
                context.result.tables[names[key]] = pd.DataFrame(
                    table.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
                context.result.methods[names[key]] = how
        return f"{g['model']}, {g['scope']}"

    def figures(self, result):
        local = result.tables.get("gwr_local")
        if local is None or result.units is None:
            return {}
        g, id_field = result.study["gwr"], result.study["data"]["id_field"]
        if g["scope"] != "mean":
            year_field = result.study["data"]["year_field"]
            local = local[local[year_field] == local[year_field].max()]
        units = map_units(result)
        return {f"gwr_{driver}": coefficient_map(units, id_field, local, driver, result.synthetic)
                for driver in g["drivers"] if f"B_{driver}" in local}

    def report(self, result):
        tables = result.tables
        if "gwr_summary" not in tables:
            return None
        return {"summary": tables["gwr_summary"], "terms": tables["gwr_terms"],
                "maps": [(f"gwr_{d}", f"Local coefficient of {d}; hatched: not significant.")
                         for d in result.study["gwr"]["drivers"]]}


def coefficient_map(units, id_field, local, driver, synthetic) -> bytes:
    """Polygons coloured by B_<driver> (diverging about 0), insignificant ones hatched."""
    from matplotlib.colors import Normalize

    by_unit = local.drop_duplicates(id_field).set_index(id_field)
    values = by_unit[f"B_{driver}"].reindex(units[id_field]).to_numpy(dtype=float)
    significant = by_unit[f"SIG_{driver}"].reindex(units[id_field]).to_numpy() == 1
    bounds = units.total_bounds
    aspect = (bounds[3] - bounds[1]) / max(1e-9, bounds[2] - bounds[0])
    figure = new_figure(6, max(3.5, min(8, 6 * aspect)))
    ax = map_axes(figure)
    limit = float(np.nanmax(np.abs(values))) or 1.0
    shapes = unit_shapes(units)
    known = np.isfinite(values)
    coloured = draw_units(ax, shapes, np.flatnonzero(known), array=values[known], cmap="RdBu_r",
                          norm=Normalize(-limit, limit), edgecolors="white", linewidths=0.2)
    figure.colorbar(coloured, ax=ax, shrink=0.6, label=f"B_{driver}")
    if (~known).any():
        draw_units(ax, shapes, np.flatnonzero(~known), facecolors="#f0f0f0", edgecolors="white",
                   linewidths=0.2)
    if (~significant).any():
        draw_units(ax, shapes, np.flatnonzero(~significant), merged=True, facecolors="none",
                   edgecolors="#636363", hatch="///", linewidths=0.2)
    ax.set_title(f"Local coefficient of {driver}" + (" (SYNTHETIC)" if synthetic else ""),
                 fontsize=11, loc="left")
    return png_bytes(figure, synthetic)


STEP = LocalModels()
