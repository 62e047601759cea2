"""Reading panels as users keep them: Excel / ODS workbooks and CSV in any layout.

Every cell is read as text (ids keep their leading zeros; numbers are
converted later, field by field, with a message naming the field, unit and
year of a cell that is not a number). Workbooks (``.xlsx``, ``.xlsm``,
``.xls``, ``.xlsb``, ``.ods``) are read with python-calamine; CSV / TXT / TSV
with the standard library after the encoding is found: UTF-8 with BOM, UTF-8,
then GB18030 (a superset of GBK and GB2312, what Chinese Excel writes as
"CSV"). The header row is the first of the top rows whose cells are all text
(or years) and that is about as wide as the data below it, so title rows and
notes above a table are skipped; note rows below it (注 / 资料来源 / Source)
are dropped.

Layouts (:data:`LAYOUTS`):

``long``                one row per unit and year: a unit column, a year column, indicators;
``wide``                one row per unit, one column per indicator and year
                        (``GDP_2011``, ``GDP2011``, ``2011年GDP``, ``GDP(2011)``; any regular
                        expression with groups ``indicator`` and ``year``);
``sheet_per_year``      one sheet per year (the year in the sheet's name), each a table of units × indicators;
``sheet_per_indicator`` one sheet per indicator (its name), each a table of units × years.

:func:`read_panel` detects the layout when it is unambiguous and always says
which it used.
"""

import csv
import io
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from spatial.errors import InputError

LAYOUTS = ("auto", "long", "wide", "sheet_per_year", "sheet_per_indicator")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
ENCODINGS = (("utf-8-sig", "UTF-8 with BOM"), ("utf-8", "UTF-8"), ("gb18030", "GB18030 (GBK)"))
MISSING_MARKS = {"", "-", "--", "—", "——", "–", "…", "...", "..", "/", "na", "n/a", "nan", "null", "none", "#n/a",
                 "无", "缺失", "空"}
"""Cells read as missing values: yearbooks print ``—`` or ``…`` for 'not available'."""
DEFAULT_WIDE_PATTERNS = (
    r"^(?P<indicator>.*?\D)[\s_\-.·/]*[(（]?(?P<year>(?:19|20)\d{2})[)）]?\s*年?$",
    r"^(?P<year>(?:19|20)\d{2})\s*年?(?:度)?[\s_\-.·/]*(?P<indicator>\D.*)$",
)
NAME_HEADERS = ("name", "city", "city_name", "cityname", "unit", "region", "城市", "城市名称", "城市名", "地区",
                "地区名称", "地级市", "市", "名称", "单位", "行政区", "行政区划", "地市")
CODE_HEADERS = ("adcode", "code", "city_code", "citycode", "行政区划代码", "区划代码", "代码", "城市代码", "地区代码")
YEAR_HEADERS = ("year", "years", "yr", "年份", "年度", "年", "时间")
PROVINCE_HEADERS = ("province", "prov", "省份", "省", "所属省份", "省级行政区")
_NOTE_START = re.compile(r"^\s*(注|说明|资料来源|数据来源|来源|备注|note|notes|source|sources)\b|^\s*(注|说明|资料来源|数据来源)",
                         re.IGNORECASE)
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})(?:\.0+)?\s*年?\s*$")
_SHEET_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class Sheet:
    """One table as read: ``rows`` of text cells, its name and how it was read."""

    name: str
    rows: List[List[str]]


@dataclass
class Panel:
    """A long panel read from a file: text cells, one row per unit and year."""

    table: pd.DataFrame
    unit_field: str
    year_field: str
    indicators: List[str]
    attributes: List[str] = field(default_factory=list)
    unit_kind: str = "name"
    layout: str = ""
    log: List[str] = field(default_factory=list)


def cell_text(value) -> str:
    """A cell as text: integral floats without ``.0`` (Excel stores 110100 as 110100.0), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def decode(data: bytes) -> Tuple[str, str]:
    """(text, encoding label) of a text file: UTF-8 with BOM, UTF-8, then GB18030."""
    for codec, label in ENCODINGS:
        if codec == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            continue
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise InputError("the file is neither UTF-8 nor GB18030 (GBK) text; save it as UTF-8 CSV or as .xlsx")


def read_sheets(path: str, log: Optional[List[str]] = None) -> List[Sheet]:
    """Every sheet of a workbook, or the one table of a CSV, as text cells.

    Raises InputError (the file's format or encoding cannot be read) naming the file.
    """
    log = log if log is not None else []
    if not os.path.exists(path):
        raise InputError(f"input file not found: {path}")
    lower = path.lower()
    if lower.endswith(TEXT_SUFFIXES):
        with open(path, "rb") as handle:
            text, label = decode(handle.read())
        log.append(f"{os.path.basename(path)}: text encoding {label}")
        delimiter = "\t" if lower.endswith(".tsv") else _delimiter(text)
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
        return [Sheet(os.path.splitext(os.path.basename(path))[0], rows)]
    if lower.endswith(WORKBOOK_SUFFIXES):
        try:
            from python_calamine import CalamineWorkbook
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise InputError("reading workbooks needs python-calamine: pip install python-calamine") from exc
        try:
            workbook = CalamineWorkbook.from_path(path)
            sheets = []
            for name in workbook.sheet_names:
                cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                sheets.append(Sheet(name, [[cell_text(v) for v in row] for row in cells]))
        except Exception as error:  # calamine raises its own types per format
            raise InputError(f"cannot read the workbook {path}: {error}") from error
        log.append(f"{os.path.basename(path)}: workbook with sheet(s) {', '.join(s.name for s in sheets)}")
        return sheets
    raise InputError(
        f"{path}: unknown file type; expected one of "
        + ", ".join(WORKBOOK_SUFFIXES + TEXT_SUFFIXES))


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:30])
    counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def _is_header_cell(text: str) -> bool:
    return bool(text) and (not _is_number(text) or bool(_YEAR.match(text)))


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


def header_row(rows: Sequence[Sequence[str]], look: int = 30) -> int:
    """Position of the header row: the first of the top ``look`` rows whose
    non-empty cells are all text (or years) and number at least 60% of the
    widest of the rows below it (so a one-cell title row is skipped)."""
    filled = [sum(1 for c in row if c) for row in rows]
    for position in range(min(look, len(rows))):
        row = rows[position]
        count = filled[position]
        if count < 2 or not all(_is_header_cell(c) for c in row if c):
            continue
        below = filled[position + 1: position + 21]
        if not below or count >= 0.6 * max(below + [count]):
            return position
    raise InputError("no header row found in the first rows (a row of column names above the data); "
                     "give HEADER_ROW")


def sheet_table(sheet: Sheet, header: Optional[int] = None, log: Optional[List[str]] = None) -> pd.DataFrame:
    """The table of a sheet as text: its header row (``header``, 1-based, or
    detected) as column names, empty and note rows dropped."""
    rows = sheet.rows
    if not rows:
        raise InputError(f"sheet {sheet.name!r} is empty")
    position = header - 1 if header else header_row(rows)
    if position >= len(rows):
        raise InputError(f"HEADER_ROW {header} is below the last row ({len(rows)}) of sheet {sheet.name!r}")
    if log is not None and position:
        log.append(f"sheet {sheet.name!r}: header in row {position + 1} (rows above it skipped)")
    width = max(len(r) for r in rows)
    padded = [list(r) + [""] * (width - len(r)) for r in rows]
    upper = two_row_header(padded, position)
    if upper is not None:
        cells = combined_header(padded[upper], padded[upper + 1])
        if log is not None:
            years_below = sum(1 for c in padded[upper + 1] if _YEAR.match(c)) >= 2
            shown = [c for c, a, b in zip(cells, padded[upper], padded[upper + 1]) if a != c or b][:4]
            log.append(f"sheet {sheet.name!r}: two-row header in rows {upper + 1}–{upper + 2} ("
                       + ("indicator names over years" if years_below else "years over indicator names")
                       + "), read as columns " + ", ".join(shown) + " …")
        position = upper + 1
    else:
        cells = padded[position]
    names = _column_names(cells)
    data = []
    notes = 0
    for row in rows[position + 1:]:
        row = list(row) + [""] * (width - len(row))
        cells = [c for c in row if c]
        if not cells:
            continue
        if len(cells) == 1 and row[0] and _NOTE_START.search(row[0]):
            notes += 1
            continue
        data.append(row)
    if notes and log is not None:
        log.append(f"sheet {sheet.name!r}: {notes} note row(s) below the table dropped")
    table = pd.DataFrame(data, columns=names, dtype=object)
    empty = [c for c in table.columns if c.startswith("COLUMN_") and (table[c] == "").all()]
    return table.drop(columns=empty)


def two_row_header(rows: Sequence[Sequence[str]], position: int) -> Optional[int]:
    """The first row of a two-row header around ``position`` (the header row found), None if there is none.

    Yearbook exports put the indicator names on one row, each merged over its
    years, and the years on the row below (or the years above and the
    indicators below). Merged cells are read as the value in their first cell
    and empty cells after it. Rows r and r+1 are one header when
    :func:`header_pair` holds for them in either order.
    """
    for upper in (position - 1, position):
        if upper < 0 or upper + 1 >= len(rows):
            continue
        top, bottom = rows[upper], rows[upper + 1]
        if header_pair(bottom, top) or header_pair(top, bottom):
            return upper
    return None


def header_pair(years: Sequence[str], names: Sequence[str]) -> bool:
    """Whether a row with years and a row with names make one two-row header.

    From the first year on, ``years`` holds two or more years and nothing else,
    ``names`` text (no numbers) and at least one name. Before it lie the unit
    columns (城市, 省份): each named on one of the two rows only — merged over
    both, or on either — and at least one named. A data row always names its
    unit, so a header followed by data never qualifies.
    """
    at = [i for i, c in enumerate(years) if c and _YEAR.match(c)]
    if len(at) < 2:
        return False
    first = at[0]
    if any(c and not _YEAR.match(c) for c in years[first:]):
        return False
    if not any(names[first:]) or any(c and (_is_number(c) or _YEAR.match(c)) for c in names[first:]):
        return False
    units = list(zip(years[:first], names[:first]))
    return (any(a or b for a, b in units) and not any(a and b for a, b in units)
            and not any(_is_number(a or b) for a, b in units if a or b))


def combined_header(top: Sequence[str], bottom: Sequence[str]) -> List[str]:
    """One column name per column of a two-row header: ``GDP`` merged over ``2011``,
    ``2012`` gives ``GDP_2011``, ``GDP_2012`` (the same for years over indicators);
    a column named on one row only (the unit column) keeps that name."""
    names, spanning = [], ""
    for above, below in zip(top, bottom):
        spanning = above or spanning
        if not below:
            names.append(above)
        elif not spanning:
            names.append(below)
        elif _YEAR.match(below) and not _YEAR.match(spanning):
            names.append(f"{spanning}_{_YEAR.match(below).group(1)}")
        elif _YEAR.match(spanning) and not _YEAR.match(below):
            names.append(f"{below}_{_YEAR.match(spanning).group(1)}")
        else:
            names.append(below)
    return names


def _column_names(cells: Sequence[str]) -> List[str]:
    names, seen = [], {}
    for number, cell in enumerate(cells, start=1):
        name = re.sub(r"\s+", " ", cell).strip() or f"COLUMN_{number}"
        if _YEAR.match(name):
            name = _YEAR.match(name).group(1)
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        names.append(name)
    return names


def find_field(columns: Sequence[str], given: Optional[str], known: Sequence[str], what: str,
               parameter: str) -> Optional[str]:
    """``given`` if it is a column; else the column whose name is one of ``known``
    (case-insensitive), None when there is none. Raises InputError when ``given``
    is not a column."""
    if given:
        if given not in columns:
            raise InputError(f"{parameter} {given!r} is not a column; columns: {', '.join(map(str, columns))}")
        return given
    lowered = {str(c).strip().lower(): c for c in columns}
    for name in known:
        if name in lowered:
            return lowered[name]
    return None


def wide_columns(columns: Sequence[str], patterns: Sequence[str]) -> Dict[str, Tuple[str, int]]:
    """Column → (indicator, year) for the columns that a pattern splits into an indicator and a year."""
    compiled = []
    for pattern in patterns:
        try:
            regex = re.compile(pattern)
        except re.error as error:
            raise InputError(f"WIDE_PATTERN {pattern!r} is not a regular expression: {error}") from error
        if not {"indicator", "year"} <= set(regex.groupindex):
            raise InputError(f"WIDE_PATTERN {pattern!r} needs the groups (?P<indicator>…) and (?P<year>…)")
        compiled.append(regex)
    found = {}
    for column in columns:
        for regex in compiled:
            match = regex.match(str(column))
            if match:
                indicator = match.group("indicator").strip(" _-.·/（(")
                if indicator:
                    found[column] = (indicator, int(match.group("year")))
                    break
    return found


def sheet_year(name: str) -> Optional[int]:
    """The year a sheet's name holds (``2011``, ``2011年``, ``Data 2011``), None if none or several."""
    years = _SHEET_YEAR.findall(name)
    return int(years[0]) if len(set(years)) == 1 else None


def read_panel(path: str, layout: str = "auto", sheet: Optional[str] = None, name_field: Optional[str] = None,
               code_field: Optional[str] = None, year_field: Optional[str] = None,
               province_field: Optional[str] = None, header: Optional[int] = None,
               wide_pattern: Optional[str] = None, value_name: Optional[str] = None) -> Panel:
    """The long panel in ``path``: one row per unit and year, cells as text.

    ``layout`` is one of :data:`LAYOUTS`; ``auto`` decides from the file —
    several sheets named by years → ``sheet_per_year``; several sheets whose
    columns are years → ``sheet_per_indicator``; a year column → ``long``;
    columns that split into indicator and year → ``wide`` — and refuses to
    guess otherwise. The unit column is ``code_field`` or ``name_field`` (else a
    column with a usual name such as 城市 / 地区 / city / 代码 / adcode), the
    year column ``year_field`` (else 年份 / year …). ``sheet`` (name or 1-based
    number) picks one sheet for the single-table layouts. ``value_name`` names
    the indicator of a wide table whose columns are bare years.

    Returns a :class:`Panel` whose ``table`` has the unit column, ``YEAR``
    (int), the indicators and unit attributes (other text columns, such as a
    province), all as text; ``log`` says what was read and how.
    """
    if layout not in LAYOUTS:
        raise InputError(f"LAYOUT must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    log: List[str] = []
    sheets = [s for s in read_sheets(path, log) if any(any(c for c in row) for row in s.rows)]
    if not sheets:
        raise InputError(f"{path} has no data")
    patterns = [wide_pattern] if wide_pattern else list(DEFAULT_WIDE_PATTERNS)
    if sheet is not None and str(sheet).strip():
        sheets = [_pick_sheet(sheets, str(sheet).strip())]
    if layout == "auto":
        layout = _detect_layout(sheets, header, year_field, patterns, log)
    else:
        log.append(f"layout: {layout} (as given)")
    if layout in ("long", "wide") and len(sheets) > 1:
        log.append(f"sheet {sheets[0].name!r} read (give SHEET for another one)")
        sheets = sheets[:1]
    options = dict(name_field=name_field, code_field=code_field, province_field=province_field, log=log)
    if layout == "long":
        table = sheet_table(sheets[0], header, log)
        panel = _long(table, year_field, **options)
    elif layout == "wide":
        table = sheet_table(sheets[0], header, log)
        panel = _wide(table, patterns, value_name or sheets[0].name, **options)
    elif layout == "sheet_per_year":
        panel = _per_year(_per_sheet(sheets, layout, header, log), header, **options)
    else:
        panel = _per_indicator(_per_sheet(sheets, layout, header, log), header, **options)
    panel.layout = layout
    panel.log = _compress(log)
    return panel


def _compress(log):
    """Per-sheet messages that repeat for more than two sheets, said once for all of them."""
    pattern = re.compile(r"^sheet '(.+?)': (.*)$")
    sheets_of = {}
    for line in log:
        match = pattern.match(line)
        if match:
            sheets_of.setdefault(match.group(2), []).append(match.group(1))
    out, said = [], set()
    for line in log:
        match = pattern.match(line)
        if not match or len(sheets_of[match.group(2)]) <= 2:
            out.append(line)
        elif match.group(2) not in said:
            said.add(match.group(2))
            names = sheets_of[match.group(2)]
            out.append(f"{len(names)} sheets ({names[0]} … {names[-1]}): {match.group(2)}")
    return out


def _pick_sheet(sheets, wanted):
    names = [s.name for s in sheets]
    if wanted in names:
        return sheets[names.index(wanted)]
    if wanted.isdigit() and 1 <= int(wanted) <= len(sheets):
        return sheets[int(wanted) - 1]
    raise InputError(f"SHEET {wanted!r} not found; sheets with data: {', '.join(names)}")


def _detect_layout(sheets, header, year_field, patterns, log):
    if len(sheets) > 1:
        for layout in ("sheet_per_year", "sheet_per_indicator"):
            kept, skipped = conforming(sheets, layout, header)
            if len(kept) >= 2 or (kept and not skipped):
                what = "named by years" if layout == "sheet_per_year" else "whose columns are years"
                log.append(f"layout: {layout} detected ({len(kept)} sheets {what}"
                           + (f"; other sheets left out: {', '.join(s.name for s in skipped)})" if skipped else ")"))
                return layout
        raise InputError(
            "the workbook has several sheets (" + ", ".join(s.name for s in sheets) + ") that are neither "
            "named by years nor tables of years; give SHEET, or LAYOUT=sheet_per_year / sheet_per_indicator")
    table = sheet_table(sheets[0], header)
    if year_field or find_field(list(table.columns), None, YEAR_HEADERS, "year", "YEAR_FIELD"):
        log.append("layout: long detected (a year column)")
        return "long"
    if len(wide_columns(table.columns, patterns)) >= 2 or len(_year_columns(table)) >= 2:
        log.append("layout: wide detected (columns named by indicator and year)")
        return "wide"
    raise InputError("cannot tell the layout: no year column (give YEAR_FIELD) and no columns such as "
                     "GDP_2011 or 2011年GDP; give LAYOUT")


def conforming(sheets, layout, header=None):
    """(sheets that fit a per-sheet ``layout``, the others): a year in the name
    (``sheet_per_year``) or columns named by years (``sheet_per_indicator``)."""
    kept, skipped = [], []
    for sheet in sheets:
        if layout == "sheet_per_year":
            fits = sheet_year(sheet.name) is not None
        else:
            try:
                fits = bool(_year_columns(sheet_table(sheet, header)))
            except InputError:
                fits = False
        (kept if fits else skipped).append(sheet)
    if layout == "sheet_per_year":
        years = [sheet_year(s.name) for s in kept]
        if len(set(years)) != len(years):
            return [], sheets
    return kept, skipped


def _per_sheet(sheets, layout, header, log):
    kept, skipped = conforming(sheets, layout, header)
    if not kept:
        what = "a year in its name" if layout == "sheet_per_year" else "columns named by years"
        raise InputError(f"LAYOUT {layout}: no sheet has {what} (sheets: {', '.join(s.name for s in sheets)})")
    if skipped:
        log.append(f"sheets left out (not one per {'year' if layout == 'sheet_per_year' else 'indicator'}): "
                   + ", ".join(s.name for s in skipped))
    return kept


def _year_columns(table):
    return [c for c in table.columns if _YEAR.match(str(c))]


def _unit_field(table, name_field, code_field, log, where=""):
    columns = list(table.columns)
    code = find_field(columns, code_field, CODE_HEADERS, "code", "CODE_FIELD") if not name_field else None
    name = find_field(columns, name_field, NAME_HEADERS, "name", "NAME_FIELD") if not code_field else None
    if code_field or (code and not name_field and not name):
        chosen, kind = code, "code"
    elif name:
        chosen, kind = name, "name"
    elif code:
        chosen, kind = code, "code"
    else:
        raise InputError(f"no unit column found{where}: give NAME_FIELD (city names) or CODE_FIELD (6-digit "
                         f"codes); columns: {', '.join(map(str, columns))}")
    if not (name_field or code_field):
        log.append(f"unit {kind}s read from column {chosen!r}{where}")
    return chosen, kind


def _long(table, year_field, name_field, code_field, province_field, log):
    unit, kind = _unit_field(table, name_field, code_field, log)
    year = find_field(list(table.columns), year_field, YEAR_HEADERS, "year", "YEAR_FIELD")
    if year is None:
        raise InputError("no year column found: give YEAR_FIELD; columns: " + ", ".join(map(str, table.columns)))
    province = find_field(list(table.columns), province_field, PROVINCE_HEADERS, "province", "PROVINCE_FIELD")
    frame = table.copy()
    frame["YEAR"] = _years(frame[year], unit, frame[unit], year)
    if year != "YEAR":
        frame = frame.drop(columns=[year])
    others = [c for c in frame.columns if c not in (unit, "YEAR", province)]
    indicators, attributes = _split_indicators(frame, others)
    columns = [unit, "YEAR"] + ([province] if province else []) + attributes + indicators
    return Panel(frame[columns], unit_field=unit, year_field="YEAR", indicators=indicators,
                 attributes=attributes + ([province] if province else []), unit_kind=kind)


def _split_indicators(frame, columns):
    """Columns holding numbers (or missing marks) are indicators; the rest unit attributes."""
    indicators, attributes = [], []
    for column in columns:
        values = frame[column].astype(str)
        numeric = values.map(lambda v: v.strip().lower() in MISSING_MARKS or _is_number(v.strip()))
        (indicators if numeric.mean() >= 0.5 else attributes).append(column)
    return indicators, attributes


def _years(values, unit, units, field_name):
    parsed = values.astype(str).str.extract(
        r"^\s*((?:19|20)\d{2})(?:\.0+|-01-01(?:T00:00:00)?)?\s*年?(?:度)?\s*$")[0]  # a date cell: its year
    bad = parsed.isna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"year field {field_name!r}: {values.iloc[position]!r} (unit "
                         f"{units.iloc[position]!r}) is not a year such as 2011 or 2011年")
    return parsed.astype(int)


def _wide(table, patterns, value_name, name_field, code_field, province_field, log, where=""):
    unit, kind = _unit_field(table, name_field, code_field, log, where)
    province = find_field(list(table.columns), province_field, PROVINCE_HEADERS, "province", "PROVINCE_FIELD")
    split = wide_columns([c for c in table.columns if c not in (unit, province)], patterns)
    bare = {c: (value_name, int(c)) for c in _year_columns(table) if c not in split}
    split.update(bare)
    if not split:
        raise InputError(f"no columns named by indicator and year{where} (such as GDP_2011 or 2011年GDP); "
                         "give WIDE_PATTERN, a regular expression with groups indicator and year")
    rest = [c for c in table.columns if c not in split and c not in (unit, province)]
    pairs = pd.Series(list(split.values()))
    repeated = pairs[pairs.duplicated()]
    if len(repeated):
        indicator, year = repeated.iloc[0]
        raise InputError(f"two columns hold indicator {indicator!r} for year {year}{where}")
    records = []
    keys = [unit] + ([province] if province else []) + rest
    for row in table.itertuples(index=False):
        values = dict(zip(table.columns, row))
        for column, (indicator, year) in split.items():
            records.append({**{k: values[k] for k in keys}, "YEAR": year, "_IND": indicator,
                            "_VAL": values[column]})
    long = pd.DataFrame(records)
    wide = long.pivot_table(index=keys + ["YEAR"], columns="_IND", values="_VAL", aggfunc="first",
                            sort=False).reset_index()
    wide.columns.name = None
    indicators = list(dict.fromkeys(i for i, _ in split.values()))
    log.append(f"wide columns{where}: {len(split)} read as {len(indicators)} indicator(s) "
               f"({', '.join(indicators[:8])}{' …' if len(indicators) > 8 else ''}) × "
               f"{len(set(y for _, y in split.values()))} year(s)")
    attributes = rest + ([province] if province else [])
    return Panel(wide[[unit, "YEAR"] + attributes + indicators].fillna(""), unit_field=unit, year_field="YEAR",
                 indicators=indicators, attributes=attributes, unit_kind=kind)


def _per_year(sheets, header, name_field, code_field, province_field, log):
    frames, units, indicators, attributes, kind = [], None, [], [], "name"
    for sheet in sheets:
        year = sheet_year(sheet.name)
        if year is None:
            raise InputError(f"sheet {sheet.name!r} has no year in its name (layout sheet_per_year)")
        table = sheet_table(sheet, header, log)
        unit, kind = _unit_field(table, name_field, code_field, log if units is None else [],
                                 f" in sheet {sheet.name!r}")
        if units is not None and unit != units:
            table = table.rename(columns={unit: units})
            unit = units
        units = unit
        province = find_field(list(table.columns), province_field, PROVINCE_HEADERS, "province", "PROVINCE_FIELD")
        others = [c for c in table.columns if c not in (unit, province)]
        found, attrs = _split_indicators(table, others)
        indicators.extend(i for i in found if i not in indicators)
        attributes.extend(a for a in attrs + ([province] if province else []) if a not in attributes)
        table = table.copy()
        table["YEAR"] = year
        frames.append(table)
    frame = pd.concat(frames, ignore_index=True).fillna("")
    log.append(f"{len(sheets)} sheets read as years {min(f['YEAR'].iloc[0] for f in frames)}–"
               f"{max(f['YEAR'].iloc[0] for f in frames)}; indicators: {', '.join(indicators)}")
    return Panel(frame[[units, "YEAR"] + attributes + indicators], unit_field=units, year_field="YEAR",
                 indicators=indicators, attributes=attributes, unit_kind=kind)


def _per_indicator(sheets, header, name_field, code_field, province_field, log):
    merged, unit, attributes, indicators, kind = None, None, [], [], "name"
    for sheet in sheets:
        table = sheet_table(sheet, header, log)
        years = _year_columns(table)
        if not years:
            raise InputError(f"sheet {sheet.name!r} has no columns named by years (layout sheet_per_indicator)")
        panel = _wide(table, [], sheet.name.strip(), name_field, code_field, province_field,
                      log if unit is None else [], f" in sheet {sheet.name!r}")
        kind = panel.unit_kind
        frame = panel.table.rename(columns={panel.unit_field: unit or panel.unit_field})
        unit = unit or panel.unit_field
        keys = [unit, "YEAR"]
        extra = [a for a in panel.attributes if a not in attributes]
        attributes.extend(extra)
        indicators.extend(panel.indicators)
        if merged is None:
            merged = frame
        else:
            frame = frame.drop(columns=[a for a in panel.attributes if a not in extra])
            merged = merged.merge(frame, on=keys, how="outer")
    log.append(f"{len(sheets)} sheets read as indicators: {', '.join(indicators)}")
    merged = merged.fillna("")
    return Panel(merged[[unit, "YEAR"] + attributes + indicators], unit_field=unit, year_field="YEAR",
                 indicators=indicators, attributes=attributes, unit_kind=kind)


def to_numbers(values: pd.Series, field_name: str, labels: Optional[pd.Series] = None) -> pd.Series:
    """Text cells as floats: thousands separators and spaces removed, missing marks
    (``—``, ``…``, ``-``, empty; :data:`MISSING_MARKS`) as NaN. Raises InputError
    naming the field and the row's label (unit and year) of the first cell that is
    not a number (``12.3万``, ``n.a.x``)."""
    text = values.astype(str).str.strip().str.replace(",", "", regex=False).str.replace("\u00a0", "", regex=False)
    missing = text.str.lower().isin(MISSING_MARKS)
    numbers = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = numbers.isna() & ~missing
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        where = f" ({labels.iloc[position]})" if labels is not None else ""
        raise InputError(f"field {field_name!r}: {values.iloc[position]!r}{where} is not a number "
                         f"({int(bad.sum())} such cell(s)); write numbers only, units in the column name")
    return numbers.astype(float)
