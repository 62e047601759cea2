"""Centre of gravity and standard deviational ellipse of a value, per year.

Units are represented by their polygon centroids in an equal-area projected
CRS (:func:`projected_centroids`): a layer in longitude/latitude is
reprojected to a Lambert azimuthal equal-area projection centred on the
layer, a layer without CRS is refused.

**Weighted mean centre** (gravity centre; pointpats
``weighted_mean_center``): ``X = sum w_i x_i / sum w_i``, likewise Y, with
the value as weight. Its shift between consecutive years is the geodesic
distance on the WGS 84 ellipsoid (``pyproj.Geod``) between the centres
taken back to longitude/latitude, and its direction the geodesic azimuth
(clockwise from north) named by the 8-point compass.

**Standard deviational ellipse** (pointpats ``ellipse``, weighted): with
``x~, y~`` the deviations from the weighted mean centre, the major axis
lies along the direction of largest weighted spread and the semi-axes are
``sigma = sqrt(sum w_i (x~_i cos t - y~_i sin t)^2 / sum w_i)`` along the
axes (Yuill 1971, Geographical Review 61(1):101–123), times a convention's
factor:

- ``yuill``: 1 (Yuill's definition);
- ``arcgis``: sqrt 2 (ArcGIS's Directional Distribution: the one-standard-
  deviation ellipse of a bivariate spread);
- ``crimestat``: sqrt(2 n / (n - 2)) with n the number of units (CrimeStat
  IV, ch. 4; pointpats' default).

``k`` standard deviations scale both semi-axes by k. ``ROTATION`` is the
azimuth of the major axis, degrees clockwise from north in [0, 180);
``AREA = pi * MAJOR * MINOR``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .panel import check_keys

CONVENTIONS = ("arcgis", "crimestat", "yuill")
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
_EQUAL_AREA_METHODS = ("equal area", "albers", "sinusoidal", "mollweide", "equal earth",
                       "eckert iv", "eckert vi", "goode", "cylindrical equal")


def _is_equal_area(crs) -> bool:
    operation = getattr(crs, "coordinate_operation", None)
    name = (operation.method_name if operation is not None else crs.name).lower()
    return any(method in name for method in _EQUAL_AREA_METHODS)


def projected_centroids(gdf, id_field: str, target_crs=None):
    """(table, crs, notes): one row per polygon with ``id_field``, ``X``, ``Y``
    (centroid in a projected CRS, metres) and that CRS.

    ``target_crs`` (EPSG code or CRS) is used when given (it must be
    projected); else a geographic layer is reprojected to a Lambert azimuthal
    equal-area projection centred on its extent; a projected layer is used as
    it is (with a note when its projection is not equal-area). A layer
    without CRS, NULL or empty geometries, and NULL or repeated ids raise
    InputError.
    """
    import shapely
    from pyproj import CRS

    if id_field not in gdf.columns:
        raise InputError(f"id field {id_field!r} is not in the polygon layer; fields are "
                         f"{[c for c in gdf.columns if c != 'geometry']}")
    ids = gdf[id_field]
    if ids.isna().any() or ids.duplicated().any():
        repeated = ids[ids.duplicated()].astype(str).unique().tolist()[:10]
        raise InputError(f"id field {id_field!r} must be unique and not NULL in the polygon layer; "
                         f"repeated: {', '.join(repeated) or '(NULL ids)'}")
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        raise InputError("units without geometry (NULL or empty): "
                         + ", ".join(map(str, ids.to_numpy()[empty][:10])))
    notes = []
    if gdf.crs is None:
        raise InputError("the polygon layer has no CRS, so distances and areas cannot be measured; "
                         "set its CRS (e.g. EPSG:4326 for longitude/latitude)")
    layer = gdf[[id_field, gdf.geometry.name]]
    if target_crs is not None:
        crs = CRS.from_user_input(target_crs)
        if not crs.is_projected:
            raise InputError(f"TARGET_CRS {crs.to_string()} is not projected; give an equal-area "
                             "projected CRS (e.g. an Albers equal-area conic)")
        layer = layer.to_crs(crs)
        notes.append(f"reprojected from {gdf.crs.to_string()} to {crs.name}")
    elif gdf.crs.is_geographic:
        lon0, lat0 = _extent_centre(layer.to_crs("EPSG:4326"))
        crs = CRS.from_proj4(f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +datum=WGS84 +units=m")
        layer = layer.to_crs(crs)
        notes.append(f"the layer is in longitude/latitude ({gdf.crs.name}); centres and ellipses "
                     f"are computed in a Lambert azimuthal equal-area projection centred at "
                     f"{lon0:.2f}°, {lat0:.2f}°")
    else:
        crs = CRS.from_user_input(gdf.crs)
        if not _is_equal_area(crs):
            notes.append(f"the layer's projection ({crs.name}) is not equal-area; centres and "
                         "ellipses are computed in it (give TARGET_CRS for an equal-area one)")
    factor = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    centroids = shapely.centroid(np.asarray(layer.geometry.values, dtype=object))
    table = pd.DataFrame({id_field: ids.to_numpy(), "X": shapely.get_x(centroids) * factor,
                          "Y": shapely.get_y(centroids) * factor})
    return table, crs, notes


def _extent_centre(geographic):
    xmin, ymin, xmax, ymax = geographic.total_bounds
    return (xmin + xmax) / 2.0, (ymin + ymax) / 2.0


def yearly_weights(points: pd.DataFrame, panel: pd.DataFrame, id_field: str, year_field: str,
                   weight_field: str):
    """(years, coordinates n × 2, weights n × years): the weight of every
    unit of ``points`` in every year. InputError for units of the table
    without polygon, missing or NULL weights, negative weights and years whose
    weights sum to 0, each named."""
    for name in (id_field, year_field, weight_field):
        if name not in panel.columns:
            raise InputError(f"field {name!r} is not in the table; fields are {list(panel.columns)}")
    table = panel[[id_field, year_field, weight_field]]
    matched = table[id_field].isin(points[id_field]).to_numpy()  # vectorised: 520,000 ids
    unknown = [] if matched.all() else sorted(set(table[id_field][~matched]), key=str)
    if unknown:
        raise InputError("units in the table without a polygon: " + ", ".join(map(str, unknown[:10])))
    check_keys(table, id_field, year_field)
    weights = pd.to_numeric(table[weight_field], errors="coerce")
    text = (weights.isna() & table[weight_field].notna()).to_numpy()
    if text.any():
        first = np.flatnonzero(text)[0]
        raise InputError(f"field {weight_field!r} holds text that is not a number: unit "
                         f"{table[id_field].iloc[first]} year {table[year_field].iloc[first]}: "
                         f"{table[weight_field].iloc[first]!r} ({int(text.sum())} row(s) in all)")
    infinite = np.isinf(weights.to_numpy(float))
    if infinite.any():
        first = np.flatnonzero(infinite)[0]
        raise InputError(f"year {table[year_field].iloc[first]}: {weight_field!r} is infinite for "
                         f"unit {table[id_field].iloc[first]} ({int(infinite.sum())} row(s) in all); "
                         "weights must be finite numbers")
    wide = table.assign(**{weight_field: weights}).pivot(index=id_field, columns=year_field,
                                                         values=weight_field)
    wide = wide.reindex(index=points[id_field]).sort_index(axis=1)
    for year in wide.columns:
        column = wide[year]
        missing = column.index[column.isna()].tolist()
        if missing:
            raise InputError(f"year {year}: {weight_field!r} is missing, NULL or not a number for "
                             "units " + ", ".join(map(str, missing[:10])))
        negative = column.index[column < 0].tolist()
        if negative:
            raise InputError(f"year {year}: {weight_field!r} is negative for units "
                             + ", ".join(map(str, negative[:10])) + "; weights must be >= 0")
        if not column.sum() > 0:
            raise InputError(f"year {year}: the weights {weight_field!r} sum to 0")
    return list(wide.columns), points[["X", "Y"]].to_numpy(float), wide.to_numpy(float)


def compass(bearing) -> np.ndarray:
    """8-point compass name of bearings in degrees clockwise from north."""
    b = np.asarray(bearing, dtype=float)
    known = np.isfinite(b)
    sector = np.floor(((np.where(known, b, 0.0) % 360.0) + 22.5) / 45.0).astype(int) % 8
    names = np.array(COMPASS, dtype=object)[sector]
    names[~known] = None
    return names


def mean_centres(years, xy: np.ndarray, weights: np.ndarray, crs=None) -> pd.DataFrame:
    """Weighted mean centre per year and its move from the previous year.

    Columns YEAR, X, Y (in ``crs``, metres), LON, LAT (when ``crs`` is
    known), SHIFT_KM, BEARING, DIRECTION, SPEED_KM (km per year); the first
    year has no shift."""
    from pointpats.centrography import weighted_mean_center

    centres = np.array([weighted_mean_center(xy, weights[:, t]) for t in range(len(years))])
    out = pd.DataFrame({"YEAR": years, "X": centres[:, 0], "Y": centres[:, 1]})
    if crs is not None:
        from pyproj import Geod, Transformer

        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
            centres[:, 0], centres[:, 1])
        out["LON"], out["LAT"] = lon, lat
        azimuth, _, metres = Geod(ellps="WGS84").inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
        shift, bearing = np.asarray(metres) / 1000.0, np.asarray(azimuth) % 360.0
    else:
        dx, dy = np.diff(centres[:, 0]), np.diff(centres[:, 1])
        shift, bearing = np.hypot(dx, dy) / 1000.0, np.degrees(np.arctan2(dx, dy)) % 360.0
    out["SHIFT_KM"] = np.r_[np.nan, shift]
    out["BEARING"] = np.r_[np.nan, bearing]
    out["DIRECTION"] = pd.Series(compass(out["BEARING"]), dtype=object)
    gaps = np.diff(np.asarray(years, dtype=float))
    out["SPEED_KM"] = np.r_[np.nan, shift / gaps]
    return out


def ellipse_axes(xy: np.ndarray, weights: np.ndarray, convention: str = "arcgis"):
    """(major, minor, rotation): semi-axes in the units of ``xy`` and the
    azimuth of the major axis (degrees clockwise from north, [0, 180))."""
    from pointpats.centrography import ellipse

    if convention not in CONVENTIONS:
        raise InputError(f"ellipse convention {convention!r} is not one of {', '.join(CONVENTIONS)}")
    if len(xy) < 3:
        raise InputError(f"a standard deviational ellipse needs at least 3 units; got {len(xy)}")
    if convention == "crimestat":
        major, minor, angle = ellipse(xy, weights, method="crimestat")
    else:
        major, minor, angle = ellipse(xy, weights, method="yuill",
                                      crimestatCorr=convention == "arcgis", degfreedCorr=False)
    # pointpats' angle: the major axis counter-clockwise from east, in radians
    rotation = (90.0 - np.degrees(angle)) % 180.0
    return float(major), float(minor), float(rotation)


def ellipse_polygon(cx, cy, major, minor, rotation, vertices: int = 72):
    """The ellipse as a shapely Polygon (``vertices`` points on its outline)."""
    from shapely.geometry import Polygon

    t = np.linspace(0.0, 2.0 * np.pi, vertices, endpoint=False)
    a = np.radians(rotation)
    ux, uy = np.sin(a), np.cos(a)  # along the major axis
    vx, vy = uy, -ux  # along the minor axis
    x = cx + major * np.cos(t) * ux + minor * np.sin(t) * vx
    y = cy + major * np.cos(t) * uy + minor * np.sin(t) * vy
    return Polygon(np.column_stack([x, y]))


def deviational_ellipses(years, xy: np.ndarray, weights: np.ndarray, convention="arcgis",
                         deviations=(1,)) -> pd.DataFrame:
    """Ellipse per year and number of standard deviations: columns YEAR, SD,
    CENTRE_X, CENTRE_Y, MAJOR, MINOR (semi-axes, km), ROTATION, AREA (km²),
    FLATTENING (1 - MINOR / MAJOR), CONVENTION and ``geometry`` (shapely
    polygons in the coordinates of ``xy``)."""
    from pointpats.centrography import weighted_mean_center

    rows = []
    for t, year in enumerate(years):
        w = weights[:, t]
        used = w > 0
        if used.sum() < 3:
            raise InputError(f"year {year}: a standard deviational ellipse needs at least 3 units "
                             f"with a positive weight; got {int(used.sum())}")
        cx, cy = weighted_mean_center(xy[used], w[used])
        major, minor, rotation = ellipse_axes(xy[used], w[used], convention)
        for k in deviations:
            a, b = k * major, k * minor
            rows.append({"YEAR": year, "SD": k, "CENTRE_X": cx, "CENTRE_Y": cy,
                         "MAJOR": a / 1000.0, "MINOR": b / 1000.0, "ROTATION": rotation,
                         "AREA": np.pi * a * b / 1e6, "FLATTENING": 1.0 - b / a if a > 0 else np.nan,
                         "CONVENTION": convention,
                         "geometry": ellipse_polygon(cx, cy, a, b, rotation)})
    return pd.DataFrame(rows)
