"""Write panel.xlsx: a yearbook-like workbook of SYNTHETIC values, to try ``ccd importpanel`` on.

One sheet per year (``2011年`` …), a title row above the header, a note row
below the table, units named as Chinese yearbooks print them: full names
(北京市), short names (襄阳), the names of the time (毕节地区 in 2011, 海东地区
until 2012, 日喀则地区 and 昌都地区 until 2013) and 莱芜市 as its own unit until
2018 (merged into 济南市 in 2019). The values come from the demo's SYNTHETIC
generator (toolbox/demo_data.py); 济南's values up to 2018 are split 85 : 15
between 济南 and 莱芜, so merging them back gives the generator's values.

    .venv/bin/python examples/your-data/make_workbook.py   # needs openpyxl
    .venv/bin/ccd importpanel --input examples/your-data/panel.xlsx --changes merge \\
        --sum-fields FT_FIRMS,INN_RD_STAFF,INN_RD_SPEND,POPULATION \\
        --mean-fields FT_COVERAGE,FT_DEPTH,FT_DIGITAL,FT_RISK,GDP_PC --weight-field POPULATION \\
        --output panel.gpkg --matches matches.csv --diagnostics diagnostics.csv
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

FIELDS = ["FT_COVERAGE", "FT_DEPTH", "FT_DIGITAL", "FT_FIRMS", "FT_RISK", "PATENTS", "INN_RD_STAFF",
          "INN_RD_SPEND", "GDP_PC"]
SUMS = ["FT_FIRMS", "PATENTS", "INN_RD_STAFF", "INN_RD_SPEND", "POPULATION"]
FORMER_NAMES = {"520500": (2011, "毕节地区"), "520600": (2011, "铜仁地区"), "630200": (2012, "海东地区"),
                "540200": (2013, "日喀则地区"), "540300": (2013, "昌都地区")}
JINAN, LAIWU_SHARE = "370100", 0.15


def yearbook_rows(years=range(2009, 2024)):
    """(year, rows) of the workbook: the header row, then one row per unit."""
    import numpy as np

    from spatial.crosswalk import short_name
    from toolbox.demo_data import demo_layers

    polygons, panel = demo_layers(years=range(years[0] + 2, years[-1] + 1))
    population = dict(zip(polygons["CITY_ID"], np.round(np.random.default_rng(1).lognormal(6, 0.5, len(polygons)))))
    for year, group in panel.groupby("YEAR"):
        rows = [["地区", "POPULATION"] + FIELDS]
        for number, row in enumerate(group.itertuples(index=False)):
            values = {f: getattr(row, f) for f in FIELDS}
            values["POPULATION"] = population[row.CITY_ID]
            name = row.NAME if number % 3 else short_name(row.NAME)
            if row.CITY_ID in FORMER_NAMES and year <= FORMER_NAMES[row.CITY_ID][0]:
                name = FORMER_NAMES[row.CITY_ID][1]
            if row.CITY_ID == JINAN and year <= 2018:
                laiwu = {f: (v * LAIWU_SHARE if f in SUMS else v) for f, v in values.items()}
                values = {f: (v * (1 - LAIWU_SHARE) if f in SUMS else v) for f, v in values.items()}
                rows.append(["莱芜市"] + [_cell(laiwu[f]) for f in ["POPULATION"] + FIELDS])
            rows.append([name] + [_cell(values[f]) for f in ["POPULATION"] + FIELDS])
        yield int(year), rows


def _cell(value):
    import math

    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else value


def write_workbook(path, years=range(2009, 2024)):
    """Write the workbook to ``path``; returns ``path``."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for year, rows in yearbook_rows(years):
        sheet = book.create_sheet(f"{year}年")
        sheet.append([f"表 {year} 年各地级市主要指标（SYNTHETIC，演示数据）"])
        for row in rows:
            sheet.append(row)
        sheet.append(["注：本表数值由 toolbox/demo_data.py 随机生成，不是统计数据。"])
    book.save(path)
    return path


if __name__ == "__main__":
    print(write_workbook(os.path.join(HERE, "panel.xlsx")))
