"""Matching names and codes of Chinese prefecture-level units to today's units.

A yearbook panel names its units as they were called in each year: "北京市",
"北京", "Beijing", "襄樊市" before 2010 and "襄阳市" after, "毕节地区" before
2011. This module resolves such names (or 6-digit administrative codes) to
the units of a reference list, through the changes of the period, and says
how each one was matched:

``code``       the 6-digit code (or the 12-digit statistical code) of a unit;
``exact``      the full official name of a unit (``襄阳市``);
``alias``      its short name (``襄阳``: 市 / 地区 / 盟 / 自治州 with the ethnic
               names stripped) or its pinyin / English name (``Xiangyang``);
``change``     the name or code a unit had before an administrative change
               (``襄樊市``, ``毕节地区``, ``莱芜市``, ``522400``);
``ambiguous``  several units fit (``Suzhou``: 苏州 or 宿州) — a province field
               decides when one is given;
``unmatched``  nothing fits; ``CANDIDATES`` lists the nearest names.

Two tables drive it (both plain DataFrames; the toolbox ships them as CSV
with the source of every fact):

* units — ``ADCODE``, ``NAME``, ``PROVINCE``, optional ``LEVEL``, ``PINYIN``
  (of the short name, letters only), ``ENGLISH`` (other Latin forms,
  ``;``-separated), ``PROVINCE_EN`` and ``CODE_ALIASES`` (other codes of the
  same unit, ``;``-separated, e.g. 110100 for 北京 110000);
* changes — ``YEAR``, ``KIND``, ``OLD_CODE``, ``OLD_NAME``, ``PROVINCE``,
  ``NEW_CODE`` / ``NEW_NAME`` (``;``-separated for a split), optional
  ``OLD_PINYIN``, ``DATE``, ``SOURCE``. ``KIND`` is ``rename`` (same territory,
  new name), ``upgrade`` (same territory, prefecture 地区 or county-level city
  made a prefecture-level city, new code), ``merge`` (the old unit became
  part of ``NEW_CODE``), ``split`` (its territory went to several units) or
  ``transfer`` (a county moved from ``OLD_CODE`` to ``NEW_CODE``; both units
  remain).

Same-territory changes (rename, upgrade) simply map the old name to the unit
it became. Territorial changes (merge, split) change what a unit's numbers
cover; :func:`apply_change_rules` applies the user's rule for each: keep the
old unit as reported, merge it into its successor (sums for counts, weighted
means for rates), or drop it.

Names in traditional characters (``襄陽市``, ``烏魯木齊市``) are matched when the
crosswalk is given a converter to simplified characters (``to_simplified``,
e.g. OpenCC's ``t2s``; the toolbox passes one): a name that does not match as
written is converted and matched again, and ``NOTE`` says so.

Matching is written by hand: it is dictionary look-ups on normalised names;
the nearest-name suggestions use the standard library's ``difflib``.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np
import pandas as pd

from .errors import InputError

HOW = ("code", "exact", "alias", "change", "ambiguous", "unmatched")
SAME_TERRITORY = ("rename", "upgrade")
TERRITORIAL = ("merge", "split")
RULES = ("stop", "keep", "merge", "drop")
MATCH_COLUMNS = ["INPUT_NAME", "ADCODE", "NAME", "PROVINCE", "HOW", "CANDIDATES", "CHANGE", "CHANGE_KIND",
                 "OLD_CODE", "NOTE"]

_ETHNIC = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒",
    "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲",
    "门巴", "珞巴", "基诺",
)
"""The 55 minority nationalities, as they appear in names of autonomous units."""
_ETHNIC_PATTERN = re.compile(
    "(?:" + "|".join(sorted((e + "族" for e in _ETHNIC), key=len, reverse=True))
    + "|蒙古|柯尔克孜|哈萨克|维吾尔)$")
_LATIN_SUFFIXES = {"city", "shi", "prefecture", "diqu", "league", "meng", "autonomous", "zizhizhou",
                   "municipality", "area", "region", "district", "sheng", "province", "zizhiqu"}
_OUTSIDE = {"台湾", "香港", "澳门"}
_TOTALS = {"全国", "合计", "总计", "全省", "全市", "平均", "均值", "平均值", "中国", "全国合计", "地级市合计"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_BRACKETS = re.compile(r"[（(【\[［].*?[)）】\]］]")


def clean_name(name) -> str:
    """A name as typed, without width variants, spaces, bracketed notes or footnote marks.

    NFKC folds full-width letters and digits; for a Chinese name every
    character after the last CJK character (``*``, ``1)``, ``注``-style marks
    written as digits) is dropped.
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    text = _BRACKETS.sub("", text)
    if _CJK.search(text):
        text = re.sub(r"\s+", "", text)
        text = re.sub(r"[^\u3400-\u9fff]+$", "", text)
        text = re.sub(r"^[^\u3400-\u9fff]+", "", text)
    return text.strip()


def short_name(name) -> str:
    """The short form of a unit's name: ``襄阳市`` → ``襄阳``, ``延边朝鲜族自治州`` → ``延边``.

    Strips one of 自治州 (then the ethnic names before it), 地区, 盟, 林区 or 市
    when at least two characters remain; a province's suffixes 省, 自治区 (with
    its ethnic name) and 特别行政区 likewise.
    """
    text = clean_name(name)
    for suffix in ("特别行政区", "自治州", "自治区"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            while True:
                stripped = _ETHNIC_PATTERN.sub("", text)
                if stripped == text or len(stripped) < 2:
                    break
                text = stripped
            return text
    for suffix in ("地区", "林区", "盟", "市", "省"):
        if text.endswith(suffix) and len(text) >= len(suffix) + 2:
            return text[: -len(suffix)]
    return text


def latin_key(text) -> str:
    """Letters of a Latin name in lower case without tones, apostrophes, spaces
    or a trailing ``City`` / ``Shi`` / ``Prefecture`` …: ``Xi'an City`` → ``xian``."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_only = ascii_only.replace("ü", "v")
    words = re.findall(r"[a-z]+", ascii_only)
    while len(words) > 1 and words[-1] in _LATIN_SUFFIXES:
        words.pop()
    return "".join(words)


def is_latin(text: str) -> bool:
    return bool(text) and not _CJK.search(text) and bool(re.search(r"[A-Za-z]", text))


def clean_code(code) -> str:
    """A code as 6 digits: ``110100``, ``110100.0`` (a spreadsheet float),
    ``110100000000`` (the 12-digit statistical code) → ``110100``; '' when not a code."""
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return ""
    text = unicodedata.normalize("NFKC", str(code)).strip()
    text = re.sub(r"\.0+$", "", text)
    if re.fullmatch(r"\d{12}", text):
        text = text[:6]
    return text if re.fullmatch(r"\d{6}", text) else ""


def _split(value) -> List[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


@dataclass
class Change:
    """One administrative change: ``old_code`` / ``old_name`` became ``new_codes``."""

    year: int
    kind: str
    old_code: str
    old_name: str
    province: str
    new_codes: List[str]
    new_names: List[str]
    source: str = ""

    def describe(self) -> str:
        target = " / ".join(f"{n} ({c})" for n, c in zip(self.new_names, self.new_codes))
        verb = {"rename": "renamed", "upgrade": "became", "merge": "merged into",
                "split": "split among", "transfer": "gave territory to"}.get(self.kind, self.kind)
        return f"{self.year}: {self.old_name} ({self.old_code}) {verb} {target}"


@dataclass
class Crosswalk:
    """Look-up tables of a unit list and its changes (see the module docstring)."""

    units: pd.DataFrame
    changes: List[Change]
    by_code: Dict[str, str] = field(default_factory=dict)
    full: Dict[str, set] = field(default_factory=dict)
    alias: Dict[str, set] = field(default_factory=dict)
    old_full: Dict[str, List[Change]] = field(default_factory=dict)
    old_alias: Dict[str, List[Change]] = field(default_factory=dict)
    old_code: Dict[str, Change] = field(default_factory=dict)
    provinces: Dict[str, str] = field(default_factory=dict)
    to_simplified: Optional[Callable[[str], str]] = None


def crosswalk(units: pd.DataFrame, changes: Optional[pd.DataFrame] = None,
              to_simplified: Optional[Callable[[str], str]] = None) -> Crosswalk:
    """The look-up tables for ``units`` and ``changes`` (DataFrames as in the module docstring);
    ``to_simplified`` converts traditional characters to simplified ones (see the module docstring).

    Raises InputError when ``units`` lacks ADCODE / NAME / PROVINCE or repeats a code.
    """
    for column in ("ADCODE", "NAME", "PROVINCE"):
        if column not in units.columns:
            raise InputError(f"the unit list has no column {column!r}")
    table = units.copy()
    table["ADCODE"] = table["ADCODE"].map(clean_code)
    repeated = table["ADCODE"][table["ADCODE"].duplicated()]
    if len(repeated):
        raise InputError(f"the unit list repeats ADCODE {repeated.iloc[0]!r}")
    table = table.set_index("ADCODE", drop=False)
    walk = Crosswalk(units=table, changes=[], to_simplified=to_simplified)
    for row in table.itertuples(index=False):
        code = row.ADCODE
        walk.by_code[code] = code
        for other in _split(getattr(row, "CODE_ALIASES", None)):
            walk.by_code[clean_code(other)] = code
        walk.full.setdefault(clean_name(row.NAME), set()).add(code)
        keys = {short_name(row.NAME)}
        keys |= {latin_key(v) for v in [getattr(row, "PINYIN", None)] + _split(getattr(row, "ENGLISH", None))}
        for key in keys - {""}:
            walk.alias.setdefault(key, set()).add(code)
        province = clean_name(row.PROVINCE)
        for key in {province, short_name(province), latin_key(getattr(row, "PROVINCE_EN", None))} - {""}:
            walk.provinces[key] = province
    if changes is not None and len(changes):
        for row in changes.itertuples(index=False):
            change = Change(
                year=int(row.YEAR), kind=str(row.KIND).strip(), old_code=clean_code(row.OLD_CODE),
                old_name=clean_name(row.OLD_NAME), province=clean_name(row.PROVINCE),
                new_codes=[clean_code(c) for c in _split(row.NEW_CODE)], new_names=_split(row.NEW_NAME),
                source=str(getattr(row, "SOURCE", "") or ""))
            walk.changes.append(change)
            if change.kind == "transfer":
                continue
            if change.old_code and change.old_code not in walk.by_code:
                walk.old_code[change.old_code] = change
            walk.old_full.setdefault(change.old_name, []).append(change)
            keys = {short_name(change.old_name), latin_key(getattr(row, "OLD_PINYIN", None))} - {""}
            for key in keys:
                walk.old_alias.setdefault(key, []).append(change)
    return walk


def province_of(walk: Crosswalk, text) -> str:
    """The full name of the province ``text`` names (Chinese full or short, or Latin), '' if none."""
    name = clean_name(text)
    if not name:
        return ""
    found = walk.provinces.get(name) or walk.provinces.get(short_name(name)) or walk.provinces.get(latin_key(name), "")
    simplified = _simplified(walk, name)
    if not found and simplified != name:
        return province_of(walk, simplified)
    return found


def _simplified(walk: Crosswalk, text: str) -> str:
    """``text`` in simplified characters (unchanged without a converter or CJK characters)."""
    if walk.to_simplified is None or not _CJK.search(text):
        return text
    return clean_name(walk.to_simplified(text))


def _row(walk, text, how, codes=(), change=None, candidates="", note=""):
    code = codes[0] if len(codes) == 1 else ""
    record = {"INPUT_NAME": text, "ADCODE": code, "NAME": "", "PROVINCE": "", "HOW": how,
              "CANDIDATES": candidates, "CHANGE": "", "CHANGE_KIND": "", "OLD_CODE": "", "NOTE": note}
    if code and code in walk.units.index:
        record["NAME"] = walk.units.at[code, "NAME"]
        record["PROVINCE"] = walk.units.at[code, "PROVINCE"]
    if change is not None:
        record.update(CHANGE=change.describe(), CHANGE_KIND=change.kind, OLD_CODE=change.old_code)
        if change.kind == "split" or not code:
            record.update(ADCODE=change.old_code, NAME=change.old_name, PROVINCE=change.province)
    return record


def _label(walk, codes):
    return "; ".join(f"{walk.units.at[c, 'NAME']} ({walk.units.at[c, 'PROVINCE']}, {c})" for c in sorted(codes))


def _in_province(walk, codes, province):
    if not province:
        return codes
    return {c for c in codes if walk.units.at[c, "PROVINCE"] == province}


def _changes_in_province(changes, province):
    if not province:
        return changes
    return [c for c in changes if c.province == province]


def _resolve_changes(walk, text, changes, province):
    changes = _changes_in_province(changes, province)
    if not changes:
        return None
    distinct = {(c.old_code, c.kind) for c in changes}
    if len(distinct) > 1:
        labels = "; ".join(f"{c.old_name} ({c.province}, {c.old_code})" for c in changes)
        return _row(walk, text, "ambiguous", candidates=labels,
                    note="several former units have this name; give PROVINCE_FIELD")
    change = _last_of_chain(walk, changes[0])
    codes = change.new_codes if change.kind in SAME_TERRITORY + ("merge",) else []
    return _row(walk, text, "change", codes=[c for c in codes if c in walk.units.index][:1] if codes else (),
                change=change)


def _last_of_chain(walk, change):
    """A change whose successor changed again later points to the last unit."""
    seen = {change.old_code}
    current = change
    while current.kind in SAME_TERRITORY and current.new_codes and current.new_codes[0] not in walk.units.index:
        following = walk.old_code.get(current.new_codes[0])
        if following is None or following.old_code in seen:
            break
        seen.add(following.old_code)
        current = Change(following.year, following.kind, change.old_code, change.old_name, change.province,
                         following.new_codes, following.new_names, following.source)
    return current


def match_name(walk: Crosswalk, name, province=None) -> dict:
    """How one name matches (a dict with the :data:`MATCH_COLUMNS`); see :func:`match_names`.

    A name in traditional characters that does not match as written is
    converted (``walk.to_simplified``) and matched again; ``NOTE`` then says
    which simplified name was read.
    """
    record = _match_name(walk, name, province)
    if record["HOW"] == "unmatched":
        text = clean_name(name)
        simplified = _simplified(walk, text)
        if simplified and simplified != text:
            converted = _match_name(walk, simplified, province)
            if converted["HOW"] != "unmatched" or not record["CANDIDATES"]:
                converted["INPUT_NAME"] = record["INPUT_NAME"]
                read = f"traditional characters read as {simplified}"
                converted["NOTE"] = read + (f"; {converted['NOTE']}" if converted["NOTE"] else "")
                return converted
    return record


def _match_name(walk: Crosswalk, name, province=None) -> dict:
    text = clean_name(name)
    shown = "" if name is None or (isinstance(name, float) and np.isnan(name)) else str(name)
    if not text:
        return _row(walk, shown, "unmatched", note="empty name")
    wanted = province_of(walk, province) if province is not None else ""
    latin = is_latin(text)
    tiers = []
    if not latin:
        tiers.append(("exact", walk.full.get(text, set())))
        tiers.append(("change", walk.old_full.get(text, [])))
        tiers.append(("alias", walk.alias.get(short_name(text), set())))
        tiers.append(("change", walk.old_alias.get(short_name(text), [])))
    else:
        key = latin_key(text)
        tiers.append(("alias", walk.alias.get(key, set())))
        tiers.append(("change", walk.old_alias.get(key, [])))
    for how, found in tiers:
        if not found:
            continue
        if how == "change":
            resolved = _resolve_changes(walk, shown, found, wanted)
            if resolved is not None:
                return resolved
            continue
        codes = _in_province(walk, found, wanted)
        if len(codes) == 1:
            return _row(walk, shown, how, codes=sorted(codes))
        if len(codes) > 1:
            return _row(walk, shown, "ambiguous", candidates=_label(walk, codes),
                        note="several units have this name" + ("" if wanted else "; give PROVINCE_FIELD"))
    if not latin:
        for prefix in sorted(walk.provinces, key=len, reverse=True):
            if _CJK.match(prefix) and text.startswith(prefix) and len(text) > len(prefix) + 1:
                inner = _match_name(walk, text[len(prefix):], walk.provinces[prefix])
                if inner["HOW"] not in ("ambiguous", "unmatched"):
                    inner["INPUT_NAME"] = shown
                    return inner
                break
    note = ""
    if text in _TOTALS or latin_key(text) in ("total", "china", "national", "average", "mean"):
        note = "a total or average row, not a unit"
    elif short_name(text) in _OUTSIDE or latin_key(text) in ("taiwan", "hongkong", "macao", "macau"):
        note = "Taiwan, Hong Kong and Macao are not in the list of the mainland's prefecture-level units"
    elif province_of(walk, text) and short_name(text) not in walk.alias:
        note = "a province, not a prefecture-level unit"
    return _row(walk, shown, "unmatched", candidates=nearest_names(walk, text), note=note)


def match_names(walk: Crosswalk, names: Iterable, provinces: Optional[Iterable] = None) -> pd.DataFrame:
    """One row per distinct (name[, province]) with the :data:`MATCH_COLUMNS`.

    ``provinces`` (aligned with ``names``) restricts each name to units of that
    province — Chinese full or short name or pinyin — which settles names such
    as ``Suzhou`` or ``Taizhou`` that several units share.
    """
    names = list(names)
    provinces = [None] * len(names) if provinces is None else list(provinces)
    rows, seen = [], set()
    for name, province in zip(names, provinces):
        key = (str(name), None if province is None else str(province))
        if key in seen:
            continue
        seen.add(key)
        record = match_name(walk, name, province)
        record["INPUT_PROVINCE"] = "" if province is None else str(province)
        rows.append(record)
    return pd.DataFrame(rows, columns=MATCH_COLUMNS + ["INPUT_PROVINCE"])


def match_code(walk: Crosswalk, code) -> dict:
    """How one code matches; see :func:`match_codes`."""
    shown = "" if code is None or (isinstance(code, float) and np.isnan(code)) else str(code)
    text = clean_code(code)
    if not text:
        return _row(walk, shown, "unmatched", note="not a 6-digit administrative code")
    if text in walk.by_code:
        return _row(walk, shown, "code", codes=[walk.by_code[text]])
    if text in walk.old_code:
        change = _last_of_chain(walk, walk.old_code[text])
        codes = change.new_codes[:1] if change.kind in SAME_TERRITORY + ("merge",) else []
        return _row(walk, shown, "change", codes=codes, change=change)
    same_province = sorted(c for c in walk.units.index if c[:2] == text[:2])
    near = [c for c in same_province if c[:4] == text[:4]] or same_province[:3]
    return _row(walk, shown, "unmatched", candidates=_label(walk, near[:3]),
                note="code not in the unit list (a county-level code?)" if text[4:] != "00" else "")


def match_codes(walk: Crosswalk, codes: Iterable) -> pd.DataFrame:
    """One row per distinct code with the :data:`MATCH_COLUMNS`: ``code`` for a
    unit's code (or another code of it, such as 110100 for 北京 110000),
    ``change`` for the code of a former unit, else ``unmatched``."""
    rows, seen = [], set()
    for code in codes:
        if str(code) in seen:
            continue
        seen.add(str(code))
        rows.append(match_code(walk, code))
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)


def nearest_names(walk: Crosswalk, text: str, n: int = 3) -> str:
    """The ``n`` unit names closest to ``text`` (difflib ratio), as 'NAME (PROVINCE, ADCODE); …'."""
    if is_latin(text):
        keys = {}
        for row in walk.units.itertuples(index=False):
            for value in [getattr(row, "PINYIN", None)] + _split(getattr(row, "ENGLISH", None)):
                if latin_key(value):
                    keys.setdefault(latin_key(value), set()).add(row.ADCODE)
        close = difflib.get_close_matches(latin_key(text), list(keys), n=n, cutoff=0.6)
        codes = [c for key in close for c in sorted(keys[key])]
    else:
        names = {}
        for row in walk.units.itertuples(index=False):
            names.setdefault(clean_name(row.NAME), set()).add(row.ADCODE)
            names.setdefault(short_name(row.NAME), set()).add(row.ADCODE)
        close = difflib.get_close_matches(text, list(names), n=2 * n, cutoff=0.5)
        if not close:
            close = difflib.get_close_matches(short_name(text), list(names), n=2 * n, cutoff=0.4)
        codes = []
        for key in close:
            codes.extend(c for c in sorted(names[key]) if c not in codes)
    unique = list(dict.fromkeys(codes))[:n]
    return "; ".join(f"{walk.units.at[c, 'NAME']} ({walk.units.at[c, 'PROVINCE']}, {c})" for c in unique)


def territorial_changes(matches: pd.DataFrame) -> pd.DataFrame:
    """The matches that need a rule: names of units merged or split (``CHANGE_KIND``)."""
    return matches[(matches["HOW"] == "change") & matches["CHANGE_KIND"].isin(TERRITORIAL)]


def parse_rules(text: Optional[str]) -> Dict[str, str]:
    """``莱芜市=merge; 巢湖=drop`` → {'莱芜市': 'merge', '巢湖': 'drop'}; names or codes as keys.

    Raises InputError for an entry without ``=`` or a rule other than keep / merge / drop.
    """
    rules = {}
    for part in re.split(r"[;,，；\n]", text or ""):
        if not part.strip():
            continue
        key, sep, rule = part.partition("=")
        rule = rule.strip().lower()
        if not sep or not key.strip() or rule not in RULES[1:]:
            raise InputError(
                f"CHANGE_RULES entry {part.strip()!r}: expected NAME=keep, NAME=merge or NAME=drop "
                "(several separated by ';')")
        rules[key.strip()] = rule
    return rules


def rule_for(change_row, default: str, rules: Dict[str, str]) -> str:
    """The rule for one territorial-change match: the first of ``rules`` naming its
    input name (full or short form) or its former code, else ``default``."""
    name = clean_name(change_row["INPUT_NAME"])
    keys = {str(change_row["INPUT_NAME"]), name, short_name(name), str(change_row["OLD_CODE"])}
    for key, rule in rules.items():
        if key in keys or clean_name(key) in keys or short_name(key) in keys:
            return rule
    return default


def merge_rows(panel: pd.DataFrame, unit_field: str, year_field: str, sources: Dict[str, str],
               sum_fields: Sequence[str], mean_fields: Sequence[str], weight_field: Optional[str] = None,
               last_year: Optional[Dict[str, int]] = None) -> pd.DataFrame:
    """Rows of former units folded into their successor, year by year.

    ``sources`` maps a former unit's id (in ``unit_field``) to the id of the
    unit it merged into. For every year in which the successor or a former
    unit has a row, the successor's row holds
    ``sum_i x_i`` for ``sum_fields`` (counts and amounts) and
    ``sum_i w_i x_i / sum_i w_i`` for ``mean_fields`` (rates, shares, per-capita
    values) with weights ``w`` from ``weight_field``, the sums running over the
    successor and the former units that still existed that year (``last_year``).
    A year in which one of them has no row or a missing value gives a missing
    value (never a partial sum). Other fields are taken from the successor's row. Raises InputError
    for a former unit that has rows in or after the year it merged
    (``last_year``: id → last year it existed), for a field declared twice or
    for mean fields without a weight.

    Returns a new DataFrame; ``panel`` is not modified.
    """
    sum_fields, mean_fields = list(sum_fields), list(mean_fields)
    twice = sorted(set(sum_fields) & set(mean_fields))
    if twice:
        raise InputError(f"field(s) {', '.join(twice)} are declared both as sums and as weighted means")
    if mean_fields and not weight_field:
        raise InputError(
            "merging needs WEIGHT_FIELD (e.g. population) for the weighted means of "
            + ", ".join(mean_fields))
    last_year = last_year or {}
    units = panel[unit_field].astype(str)
    for old, year in last_year.items():
        late = panel[(units == old) & (panel[year_field] > year)]
        if len(late):
            raise InputError(
                f"unit {old} has rows for year(s) {', '.join(map(str, sorted(late[year_field].unique())))}, "
                f"after it merged into {sources[old]} (last year of its own: {year}); "
                "these rows would be counted twice")
    involved = set(sources) | set(sources.values())
    pieces = [panel[~units.isin(involved)]]
    for successor in sorted(set(sources.values())):
        formers = sorted(k for k, v in sources.items() if v == successor)
        group = panel[units.isin([successor] + formers)]
        keyed = group.assign(_UNIT=group[unit_field].astype(str)).set_index(["_UNIT", year_field])
        base = keyed.loc[successor] if successor in keyed.index.get_level_values(0) else None
        records = []
        for year in sorted(group[year_field].unique()):
            expected = [successor] + [f for f in formers if year <= last_year.get(f, year)]
            present = [m for m in expected if (m, year) in keyed.index]
            complete = len(present) == len(expected)
            record = {unit_field: successor, year_field: year}
            for column in panel.columns:
                if column in (unit_field, year_field) or column in sum_fields or column in mean_fields:
                    continue
                record[column] = base.at[year, column] if base is not None and year in base.index else np.nan
            for column in sum_fields:
                parts = [keyed.at[(m, year), column] for m in present]
                record[column] = float(np.sum(parts)) if complete and not np.isnan(parts).any() else np.nan
            for column in mean_fields:
                parts = np.array([keyed.at[(m, year), column] for m in present], dtype=float)
                weights = np.array([keyed.at[(m, year), weight_field] for m in present], dtype=float)
                ok = complete and not (np.isnan(parts).any() or np.isnan(weights).any()) and weights.sum() > 0
                record[column] = float((parts * weights).sum() / weights.sum()) if ok else np.nan
            records.append(record)
        pieces.append(pd.DataFrame(records, columns=list(panel.columns)))
    merged = pd.concat(pieces, ignore_index=True)
    return merged.sort_values([unit_field, year_field], kind="stable").reset_index(drop=True)
