"""The study config's machinery: typed keys, their checks, TOML in and out.

A study step declares its section as a tuple of :class:`Key` (name, TOML type,
default, allowed values, meaning); :func:`check_table` validates a parsed
section against it and fills the defaults. The same declarations produce the
key tables of ``docs/study-config.md`` (``scripts/study_docs.py``).

Every problem raises :class:`StudyConfigError` (an ``InputError``) whose
message starts with the key path at fault (``systems.fintech.positive``) and
says what was expected. TOML is read with the standard library's ``tomllib``
(``tomli`` before Python 3.11) and written with ``tomli-w``.
"""

import math
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from spatial.errors import InputError


class StudyConfigError(InputError):
    """The study config is not valid: the message names the key and what was expected."""


REQUIRED = object()
"""Default of a key that must be given."""

STR, INT, FLOAT, BOOL = "string", "integer", "number", "true/false"
STR_LIST, FLOAT_LIST, INT_LIST = "list of strings", "list of numbers", "list of integers"
STR_LIST_TABLE = "table of name = list of strings"
OPTIONS = "table of PARAMETER = value"


@dataclass(frozen=True)
class Key:
    """One config key: its TOML type, default (None: not set; REQUIRED: must
    be given), allowed values and meaning."""

    name: str
    type: str
    default: Any = None
    doc: str = ""
    choices: Tuple[str, ...] = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None


OPTIONS_KEY = Key("options", OPTIONS, None,
                  "Further parameters of the step's tool by their QGIS name "
                  "(`{ CV_FOLDS = 0 }`); checked against the tool's declaration at run time.")


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def fail(path: str, expected: str, value) -> StudyConfigError:
    shown = repr(value) if not isinstance(value, (dict, list)) or len(repr(value)) < 60 else _type_name(value)
    return StudyConfigError(f"{path}: expected {expected}, got {shown} ({_type_name(value)})")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def check_value(key: Key, value, path: str):
    """``value`` converted to ``key.type`` or StudyConfigError naming ``path``."""
    kind = key.type
    if kind == STR:
        if not isinstance(value, str) or not value.strip():
            raise fail(path, "a non-empty string" + _choices(key), value)
        value = value.strip()
        if key.choices and value not in key.choices:
            raise fail(path, "one of " + ", ".join(f'"{c}"' for c in key.choices), value)
        return value
    if kind == INT:
        if not _is_int(value):
            raise fail(path, "an integer" + _range(key), value)
        _check_range(key, value, path)
        return int(value)
    if kind == FLOAT:
        if not _is_number(value):
            raise fail(path, "a number" + _range(key), value)
        _check_range(key, value, path)
        return float(value)
    if kind == BOOL:
        if not isinstance(value, bool):
            raise fail(path, "true or false", value)
        return value
    if kind in (STR_LIST, FLOAT_LIST, INT_LIST):
        if not isinstance(value, list):
            raise fail(path, "a " + kind, value)
        out = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if kind == STR_LIST:
                if not isinstance(item, str) or not item.strip():
                    raise fail(item_path, "a non-empty string (a field or system name)", item)
                out.append(item.strip())
            elif kind == INT_LIST:
                if not _is_int(item):
                    raise fail(item_path, "an integer", item)
                out.append(int(item))
            else:
                if not _is_number(item):
                    raise fail(item_path, "a number", item)
                out.append(float(item))
        if kind == STR_LIST:
            repeated = sorted({x for x in out if out.count(x) > 1})
            if repeated:
                raise StudyConfigError(f"{path}: expected each name once, {', '.join(repeated)} repeats")
        return out
    if kind == STR_LIST_TABLE:
        if not isinstance(value, dict) or not value:
            raise fail(path, 'a table of name = ["FIELD", ...]', value)
        return {name: check_value(Key(name, STR_LIST), fields, f"{path}.{name}")
                for name, fields in value.items()}
    if kind == OPTIONS:
        if not isinstance(value, dict):
            raise fail(path, "a table of PARAMETER = value (QGIS parameter names)", value)
        out = {}
        for name, item in value.items():
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
                raise StudyConfigError(f"{path}.{name}: expected a tool parameter name in capitals "
                                       "(e.g. CV_FOLDS)")
            if isinstance(item, dict) or (isinstance(item, float) and not math.isfinite(item)):
                raise fail(f"{path}.{name}", "a string, number, true/false or list", item)
            out[name] = item
        return out
    raise AssertionError(kind)


def _choices(key: Key) -> str:
    return (" (one of " + ", ".join(key.choices) + ")") if key.choices else ""


def _range(key: Key) -> str:
    if key.minimum is not None and key.maximum is not None:
        return f" from {_num(key.minimum)} to {_num(key.maximum)}"
    if key.minimum is not None:
        return f" of at least {_num(key.minimum)}"
    return ""


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _check_range(key: Key, value, path):
    if (key.minimum is not None and value < key.minimum) or (key.maximum is not None and value > key.maximum):
        raise StudyConfigError(f"{path}: expected {key.type}{_range(key)}, got {value!r}")


def check_table(table, keys: Tuple[Key, ...], path: str) -> Dict[str, Any]:
    """Known keys checked and converted; defaults filled; unknown or missing keys refused."""
    if not isinstance(table, dict):
        raise fail(path, "a table ([" + path + "])", table)
    known = {key.name: key for key in keys}
    for name in table:
        if name not in known:
            raise StudyConfigError(
                f"{path}.{name}: unknown key; expected one of {', '.join(known)}")
    out = {}
    for key in keys:
        where = f"{path}.{key.name}"
        if key.name in table:
            out[key.name] = check_value(key, table[key.name], where)
        elif key.default is REQUIRED:
            raise StudyConfigError(f"{where}: missing; expected {key.type} ({key.doc})")
        elif key.default is not None:
            out[key.name] = list(key.default) if isinstance(key.default, list) else key.default
    return out


def absolute_path(path: str, base_dir: str) -> str:
    file_part, sep, layer = path.partition("|")
    if not os.path.isabs(file_part):
        file_part = os.path.normpath(os.path.join(os.path.abspath(base_dir), file_part))
    return file_part + sep + layer



def parse_toml(text: str, where: str = "config") -> Dict[str, Any]:
    """The parsed TOML ``text``; StudyConfigError naming ``where`` if it is not valid TOML."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.9 and 3.10
        import tomli as tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StudyConfigError(f"{where}: not valid TOML: {error}") from error


def _without_none(value):
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_without_none(v) for v in value]
    return value


def dump_toml(config: Dict[str, Any], header: str = "") -> str:
    """TOML text of ``config`` (values None are left out), after ``header`` as comments."""
    import tomli_w

    comments = "".join(f"# {line}\n" for line in header.splitlines())
    return comments + ("\n" if comments else "") + tomli_w.dumps(_without_none(config))
