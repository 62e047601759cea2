"""Errors raised by the analysis core."""


class InputError(ValueError):
    """Input a user can fix.

    The message names what is at fault — the field, the unit, the year — and
    what was expected, in words that make sense without reading the code.
    """
