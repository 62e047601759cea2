"""Gravity centre of D and its standard deviational ellipse per year (section ``[gravity]``)."""

import pandas as pd

from ..config import FLOAT_LIST, INT, OPTIONS_KEY, STR, Key
from ..figures import axes_title, draw_units, map_axes, new_figure, pixel_units, png_bytes, unit_shapes
from ..step import Step, StepSkipped
from ..tools.centrography import DeviationalEllipse, GravityCentre

CENTRE, ELLIPSE = GravityCentre(), DeviationalEllipse()


class Gravity(Step):
    name = "gravity"
    title = "gravity centre"
    order = 84
    independent = True
    absent_note = "the gravity centre and standard deviational ellipse"
    template = "gravity.html.j2"
    tools = (CENTRE.id, ELLIPSE.id)
    tables = {"gravity_centres": "weighted mean centre per year", "gravity_path": "moves between years",
              "ellipses": "standard deviational ellipses"}
    keys = (
        Key("weight_field", STR, "D", "Weight of each unit (the value whose centre is sought)."),
        Key("target_crs", INT, None, "Equal-area EPSG code to compute in (default a Lambert "
            "azimuthal equal-area projection centred on the units).", minimum=1024, maximum=999999),
        Key("convention", STR, "arcgis", "Ellipse convention: `arcgis`, `crimestat` or `yuill`.",
            choices=("arcgis", "crimestat", "yuill")),
        Key("deviations", FLOAT_LIST, None, "Standard deviations of the ellipses (default 1, 2)."),
        OPTIONS_KEY,
    )

    def run(self, context, piece):
        g = context.study["gravity"]
        result = context.result
        if result.units is None:
            raise StepSkipped("no unit polygons: give data.polygons (or a panel layer with geometry)")
        wanted = {**context.common, "WEIGHT_FIELD": g["weight_field"], "TARGET_CRS": g.get("target_crs"),
                  "CONVENTION": g["convention"], "DEVIATIONS": g.get("deviations")}
        tables = {"INPUT": context.frame(), "POLYGONS": result.units}
        centres = context.call(CENTRE, "gravity", wanted, self.title, tables, g.get("options"))
        ellipses = context.call(ELLIPSE, "gravity", wanted, "deviational ellipse", tables)["OUTPUT"]
        how = f"{g['weight_field']}-weighted, polygon centroids in an equal-area projection"
        for name, frame in (("gravity_centres", centres["OUTPUT"]), ("gravity_path", centres["PATH"]),
                            ("ellipses", ellipses)):
            result.tables[name] = pd.DataFrame(frame.drop(columns="geometry")).reset_index(drop=True)
            result.methods[name] = how + (f"; {g['convention']} convention." if name == "ellipses" else ".")
        result.figures["gravity_map"] = gravity_map(result.units, centres["OUTPUT"], centres["PATH"], ellipses,
                                                    g["weight_field"],
                                                    result.synthetic)
        return g["convention"]

    def report(self, result):
        if "gravity_centres" not in result.tables:
            return None
        return {"centres": result.tables["gravity_centres"], "ellipses": result.tables["ellipses"]}


def gravity_map(units, points, path, ellipses, weight, synthetic) -> bytes:
    """Units in grey, the ellipses of the first and last years, and the centre's path."""
    from matplotlib import colormaps

    figure = new_figure(8, 6)
    ax = map_axes(figure)
    shapes = unit_shapes(pixel_units(units, figure).to_crs(points.crs))
    draw_units(ax, shapes, range(len(shapes.paths)), facecolors="#f0f0f0", edgecolors="#bdbdbd", linewidths=0.2)
    year = points.columns[0]
    years = list(points[year])
    ramp = colormaps["viridis"]
    first_sd = ellipses[ellipses["SD"] == ellipses["SD"].min()]
    for position, chosen in enumerate((years[0], years[-1])):
        shape = first_sd[first_sd[first_sd.columns[0]] == chosen]
        shape.boundary.plot(ax=ax, color=ramp(0.15 + 0.7 * position), linewidth=1.2,
                            label=f"ellipse {chosen}")
    ax.plot(points["X"], points["Y"], color="#333333", linewidth=0.8)
    ax.scatter(points["X"], points["Y"], c=range(len(years)), cmap="viridis", s=14, zorder=3)
    ax.legend(loc="lower left", fontsize=8)
    axes_title(ax, f"Gravity centre of {weight}, {years[0]}–{years[-1]}", synthetic)
    return png_bytes(figure, synthetic)


STEP = Gravity()
