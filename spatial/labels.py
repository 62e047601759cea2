"""How values appear in messages and as group labels, shared by the core modules."""

import numpy as np


def plain(value):
    """A numpy scalar as the plain Python value it holds; anything else unchanged."""
    return value.item() if isinstance(value, np.generic) else value


def shown(value) -> str:
    """``repr`` of a value for messages, without numpy's type names."""
    return repr(plain(value))


def label(value) -> str:
    """A group or year as text; a whole float (an integer read as float) loses its '.0'."""
    value = plain(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def as_list(fields) -> list:
    """Field names given as None, one name or a sequence, as a list."""
    if fields is None:
        return []
    if isinstance(fields, str):
        return [fields]
    return list(fields)
