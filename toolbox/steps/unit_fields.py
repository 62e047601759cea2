"""Fields of the unit polygons made available to every step (a helper of :mod:`.data`, no STEP).

A study's polygons often carry the groupings (province, region, urban
agglomeration) that the panel lacks; copied onto every unit-year row, they can
be named by any step (``[tiers] group_field = "REGION"``) as if they were in
the panel.
"""

import pandas as pd


def with_unit_fields(panel: pd.DataFrame, polygons, id_field: str, feedback=None) -> pd.DataFrame:
    """``panel`` with every non-geometry field of ``polygons`` that it lacks, joined by ``id_field``.

    Nothing is copied when the polygons repeat an id (the join would be
    ambiguous; a warning says so). Returns a new DataFrame; rows of units
    without a polygon get missing values.
    """
    if polygons is None or id_field not in polygons.columns:
        return panel
    geometry = getattr(polygons, "geometry", None)
    skip = {id_field, getattr(geometry, "name", "geometry")}
    fields = [c for c in polygons.columns if c not in skip and c not in panel.columns]
    if not fields:
        return panel
    ids = polygons[id_field]
    if ids.duplicated().any():
        if feedback is not None:
            feedback.warning(f"the polygons repeat {id_field} {ids[ids.duplicated()].iloc[0]!r}: their fields "
                             f"({', '.join(map(str, fields))}) are not copied to the panel")
        return panel
    table = pd.DataFrame(polygons[[id_field] + fields])
    out = panel.merge(table, on=id_field, how="left", sort=False, validate="many_to_one")
    out.index = panel.index
    if feedback is not None:
        feedback.info("fields of the polygons available to every step: " + ", ".join(map(str, fields)))
    return out
