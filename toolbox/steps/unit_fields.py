"""Fields of the unit polygons made available to every step (a helper of :mod:`.data`, no STEP).

A study's polygons often carry the groupings (province, region, urban
agglomeration) that the panel lacks; copied onto every unit-year row, they can
be named by any step (``[tiers] group_field = "REGION"``) as if they were in
the panel.
"""

import pandas as pd

from spatial.unit_attributes import join_keys, with_unit_attributes


def with_unit_fields(panel: pd.DataFrame, polygons, id_field: str, feedback=None) -> pd.DataFrame:
    """``panel`` with every non-geometry field of ``polygons`` that it lacks, joined by ``id_field``
    through :func:`spatial.unit_attributes.with_unit_attributes`, the join the single tools
    make with ``UNITS``.

    Unlike the tools, a study keeps going where the polygons cannot lend their
    fields: nothing is copied when the polygons repeat an id (a warning says
    so), rows of units without a polygon get missing values, and the panel's
    own fields are kept as they are. Returns a new DataFrame.
    """
    if polygons is None or id_field not in polygons.columns:
        return panel
    geometry = getattr(polygons, "geometry", None)
    skip = {id_field, getattr(geometry, "name", "geometry")}
    fields = [c for c in polygons.columns if c not in skip and c not in panel.columns]
    if not fields:
        return panel
    ids = join_keys(panel[id_field], polygons[id_field])[1]
    if ids.duplicated().any():
        if feedback is not None:
            feedback.warning(f"the polygons repeat {id_field} {ids[ids.duplicated()].iloc[0]!r}: their fields "
                             f"({', '.join(map(str, fields))}) are not copied to the panel")
        return panel
    out, added, _ = with_unit_attributes(panel, pd.DataFrame(polygons[[id_field] + fields]), id_field,
                                         require_all=False)
    if feedback is not None:
        feedback.info("fields of the polygons available to every step: " + ", ".join(map(str, added)))
    return out
