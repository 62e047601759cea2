"""Centrography: the gravity centre of a value and its standard deviational ellipse per year."""

import numpy as np
import pandas as pd

from spatial.centrography import (CONVENTIONS, deviational_ellipses, mean_centres,
                                  projected_centroids, yearly_weights)
from spatial.errors import InputError

from ..parameters import EnumInput, FieldInput, NumberInput, NumberListInput, TableOutput
from ..tool import Tool
from .common import ID_FIELD, YEAR_FIELD
from .spatial import PANEL, POLYGONS, _panel, unit_polygons

GROUP = "Centrography"
GROUP_ID = "centrography"
WEIGHT_FIELD = FieldInput("WEIGHT_FIELD", "Weight field (e.g. D or an index)", numeric=True)
TARGET_CRS = NumberInput("TARGET_CRS", "Equal-area CRS to compute in, as an EPSG code (default: "
                                       "a Lambert equal-area projection centred on the layer)",
                         optional=True, integer=True, minimum=1024, maximum=999999)
CRS_HELP = (
    "Units are the centroids of their polygons in an equal-area projected CRS: a layer in "
    "longitude/latitude is reprojected to a Lambert azimuthal equal-area projection centred "
    "on it (or to TARGET_CRS); a layer without CRS is refused.")


_LAST = [None, None]  # (key, (points, crs, notes)) of the last projected centroids


def _centroids(values, polygons, id_field):
    """:func:`projected_centroids` of ``polygons``, kept for the next call on the
    same layer (a study's gravity centre and ellipse: reprojecting the demo's
    1.5 million vertices takes 0.3 s). Same layer: the very geometry array
    POLYGONS (or INPUT) holds, kept alive by the key, the same ids and TARGET_CRS."""
    source = values.get("POLYGONS")
    source = values.get("INPUT") if source is None else source
    key = (source.geometry.values, id_field, polygons[id_field].to_numpy(), values.get("TARGET_CRS"))
    last = _LAST[0]
    if last is not None and last[0] is key[0] and last[1] == key[1] and last[3] == key[3] \
            and np.array_equal(last[2], key[2]):
        points, crs, notes = _LAST[1]
        return points.copy(), crs, list(notes)
    found = projected_centroids(polygons, id_field, values.get("TARGET_CRS"))
    _LAST[:] = [key, found]
    return found[0].copy(), found[1], list(found[2])


def _weighted_units(values, feedback):
    """(years, coordinates, weights, crs) of the polygons and the weight field."""
    weight = values["WEIGHT_FIELD"]
    table = _panel(values, [weight])
    id_field = values["ID_FIELD"]
    polygons = unit_polygons(values, id_field, table[id_field].unique(), feedback)
    points, crs, notes = _centroids(values, polygons, id_field)
    for note in notes:
        feedback.info(note)
    years, xy, weights = yearly_weights(points, table, id_field, values["YEAR_FIELD"], weight)
    return years, xy, weights, crs


class GravityCentre(Tool):
    id = "gravitycentre"
    order = 200
    title = "Gravity centre and its path"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "The centre of gravity of a value per year — the weighted mean centre "
        "X = Σ wᵢxᵢ / Σ wᵢ, Y = Σ wᵢyᵢ / Σ wᵢ of the units with the value as weight — and its "
        "path: the shift in km between consecutive years (geodesic distance on the WGS 84 "
        "ellipsoid), the bearing (degrees clockwise from north), the 8-point compass "
        "direction and the speed in km per year. " + CRS_HELP + "\n\n"
        "OUTPUT has one point per year, PATH one line per pair of consecutive years.\n\n"
        "References: Bachi (1963), Papers of the Regional Science Association 10:83–132; "
        "pointpats (weighted_mean_center); Karney (2013), Journal of Geodesy 87:43–55 "
        "(geodesics, pyproj.Geod).")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD, WEIGHT_FIELD, TARGET_CRS)
    outputs = (TableOutput("OUTPUT", "Gravity centres", geometry="Point", style="years"),
               TableOutput("PATH", "Gravity centre path", optional=True, geometry="LineString",
                           style="years"))

    def run(self, values, feedback):
        import geopandas
        from shapely.geometry import LineString, Point

        years, xy, weights, crs = _weighted_units(values, feedback)
        centres = mean_centres(years, xy, weights, crs)
        year_field = values["YEAR_FIELD"]
        feedback.info("gravity centres:\n" + centres[["YEAR", "SHIFT_KM", "DIRECTION"]].to_string(
            index=False))
        points = geopandas.GeoDataFrame(
            centres.rename(columns={"YEAR": year_field}),
            geometry=[Point(x, y) for x, y in zip(centres["X"], centres["Y"])], crs=crs)
        moves = centres.iloc[1:].reset_index(drop=True)
        lines = [LineString([(a.X, a.Y), (b.X, b.Y)]) for a, b in
                 zip(centres.iloc[:-1].itertuples(), centres.iloc[1:].itertuples())]
        path = geopandas.GeoDataFrame(
            pd.DataFrame({year_field: moves["YEAR"], "YEAR_FROM": centres["YEAR"].iloc[:-1].to_numpy(),
                          "X": moves["X"], "Y": moves["Y"], "SHIFT_KM": moves["SHIFT_KM"],
                          "BEARING": moves["BEARING"], "DIRECTION": moves["DIRECTION"],
                          "SPEED_KM": moves["SPEED_KM"]}),
            geometry=lines, crs=crs)
        return {"OUTPUT": points, "PATH": path}


class DeviationalEllipse(Tool):
    id = "deviationalellipse"
    order = 210
    title = "Standard deviational ellipse"
    group = GROUP
    group_id = GROUP_ID
    help = (
        "The value-weighted standard deviational ellipse of the units per year: its centre, "
        "the semi-axes MAJOR and MINOR (km) along the directions of largest and smallest "
        "weighted spread, ROTATION (azimuth of the major axis, degrees clockwise from north), "
        "AREA (km²) and FLATTENING (1 − MINOR/MAJOR), for one and two standard deviations by "
        "default. σ = √(Σ wᵢ(x̃ᵢ cos θ − ỹᵢ sin θ)² / Σ wᵢ) along each axis (Yuill 1971) times "
        "the convention's factor: ArcGIS (√2, as ArcGIS's Directional Distribution; default), "
        "CrimeStat (√(2n/(n−2)), pointpats' default) or Yuill (1). Units with weight 0 are "
        "left out. " + CRS_HELP + "\n\n"
        "References: Lefever (1926), American Journal of Sociology 32(1):88–94; Yuill (1971), "
        "Geographical Review 61(1):101–123; Levine, CrimeStat IV ch. 4; pointpats (ellipse).")
    parameters = (PANEL, POLYGONS, ID_FIELD, YEAR_FIELD, WEIGHT_FIELD,
                  EnumInput("CONVENTION", "Convention", options=(
                      ("arcgis", "ArcGIS: √2 · Yuill"), ("crimestat", "CrimeStat: √(2n/(n−2)) · Yuill"),
                      ("yuill", "Yuill (1971)")), default="arcgis"),
                  NumberListInput("DEVIATIONS", "Standard deviations, comma separated (default 1,2)",
                                  optional=True),
                  TARGET_CRS)
    outputs = (TableOutput("OUTPUT", "Standard deviational ellipses", geometry="Polygon",
                           style="years_outline"),)

    def run(self, values, feedback):
        import geopandas

        convention = values.get("CONVENTION") or "arcgis"
        if convention not in CONVENTIONS:
            raise InputError(f"CONVENTION {convention!r} is not one of {', '.join(CONVENTIONS)}")
        deviations = list(values.get("DEVIATIONS") or [1, 2])
        if not all(d > 0 for d in deviations):
            raise InputError(f"DEVIATIONS must be positive numbers; got {deviations}")
        years, xy, weights, crs = _weighted_units(values, feedback)
        table = deviational_ellipses(years, xy, weights, convention, tuple(deviations))
        feedback.info("ellipses:\n" + table[["YEAR", "SD", "MAJOR", "MINOR", "ROTATION", "AREA"]]
                      .to_string(index=False))
        frame = table.drop(columns="geometry").rename(columns={"YEAR": values["YEAR_FIELD"]})
        return {"OUTPUT": geopandas.GeoDataFrame(frame, geometry=list(table["geometry"]), crs=crs)}
