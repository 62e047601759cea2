"""Declarations and checks that several tools share.

pandas and :mod:`spatial.panel` are imported by the checks that use them: a
tool module importing these declarations does not load pandas with them.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from spatial.errors import InputError

from ..parameters import FieldInput, TableInput, TableOutput

INPUT = TableInput("INPUT", "Input layer or table (one row per unit and year)")
ID_FIELD = FieldInput("ID_FIELD", "Unit id field")
YEAR_FIELD = FieldInput("YEAR_FIELD", "Year field", numeric=True)
OPTIONAL_ID_FIELD = FieldInput(
    "ID_FIELD", "Unit id field (names units in messages)", optional=True)
OPTIONAL_YEAR_FIELD = FieldInput(
    "YEAR_FIELD", "Year field (names years in messages)", optional=True, numeric=True)
POSITIVE_FIELDS = FieldInput("POSITIVE_FIELDS", "Positive indicators (larger is better)",
                             multiple=True, numeric=True, optional=True)
NEGATIVE_FIELDS = FieldInput("NEGATIVE_FIELDS", "Negative indicators (smaller is better)",
                             multiple=True, numeric=True, optional=True)
OUTPUT = TableOutput("OUTPUT", "Output layer", geometry_from=("INPUT",))


def indicators(values):
    """(positive, negative) indicator fields of a tool's values; at least one."""
    positive = list(values.get("POSITIVE_FIELDS") or [])
    negative = list(values.get("NEGATIVE_FIELDS") or [])
    if not positive and not negative:
        raise InputError("give at least one indicator in POSITIVE_FIELDS or NEGATIVE_FIELDS")
    return positive, negative


def row_labels(df: pd.DataFrame, id_field: Optional[str], year_field: Optional[str]) -> pd.Index:
    """Labels that name each row in messages: ``unit 110100 year 2015``, or the row number."""
    import pandas as pd

    parts = []
    if id_field:
        parts.append("unit " + df[id_field].astype(str))
    if year_field:
        parts.append("year " + df[year_field].astype(str))
    if not parts:
        return pd.Index([f"row {i + 1}" for i in range(len(df))])
    labels = parts[0]
    for part in parts[1:]:
        labels = labels + " " + part
    return pd.Index(labels)


def checked_panel(df: pd.DataFrame, id_field: str, year_field: str,
                  fields: Sequence[str], *, complete: bool = True) -> pd.DataFrame:
    """The id, year and ``fields`` columns of a valid long panel, fields as floats.

    Raises InputError for an empty table, a missing field, NULL or duplicate
    (unit, year) keys, text in a numeric field and — with ``complete`` — NULL
    values, each naming the field, unit and year.
    """
    import pandas as pd

    from spatial import panel

    if len(df) == 0:
        raise InputError("the input has no rows")
    panel.require_fields(df, [id_field, year_field, *fields])
    panel.check_keys(df, id_field, year_field)
    values = panel.numeric_values(df, list(fields), id_field, year_field)
    checked = pd.concat([df[[id_field, year_field]], values], axis=1)
    if complete:
        panel.check_complete(checked, list(fields), id_field, year_field)
    return checked


def system_index_fields(values, *others: Optional[str]) -> List[str]:
    """SYSTEM_FIELDS of a tool on system indices: two or more, in a table with
    rows that has them and the ID_FIELD, YEAR_FIELD and ``others`` given."""
    df = values["INPUT"]
    fields = list(values["SYSTEM_FIELDS"] or [])
    if len(fields) < 2:
        raise InputError(f"SYSTEM_FIELDS needs two or more system index fields, got {len(fields)}")
    if len(df) == 0:
        raise InputError("the input has no rows")
    from spatial import panel

    given = (values.get("ID_FIELD"), values.get("YEAR_FIELD"), *others)
    panel.require_fields(df, fields + [f for f in given if f])
    return fields


def new_fields_free(df: pd.DataFrame, names: List[str]) -> None:
    """Refuse output fields that would hide input fields of the same name."""
    taken = [name for name in names if name in df.columns]
    if taken:
        raise InputError(
            "the input already has field(s) " + ", ".join(taken)
            + "; rename them or choose other output field names")
