"""The report's figure helpers: one draw cropped like savefig's tight box, the
SYNTHETIC mark below, unit maps as cached paths drawn like geopandas."""

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from toolbox import figures
from toolbox.figures import (SYNTHETIC_MARK, UnitShapes, category_map, draw_units, map_axes, new_figure,
                             png_bytes, unit_shapes)

DPI = 110  # new_figure's
PAD = 11  # savefig.pad_inches 0.1 at 110 dpi


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def ours_and_tight(make):
    """(our PNG, savefig's bbox_inches="tight" PNG) of two figures made alike, as pixels."""
    buffer = io.BytesIO()
    make().savefig(buffer, format="png", bbox_inches="tight")
    return pixels(png_bytes(make(), False)), pixels(buffer.getvalue())


def text_beside_box(x, text):
    def make():
        figure = box_figure()
        figure.text(x, 0.5, text, fontsize=10)
        return figure
    return make


def box_figure(**style):
    """220 × 110 px with a black box drawn from (55, 33) to (165, 77) px (figure fractions × 220, 110)."""
    from matplotlib.patches import Rectangle

    figure = new_figure(2, 1)
    figure.add_artist(Rectangle((0.25, 0.3), 0.5, 0.4, transform=figure.transFigure, color="black",
                                antialiased=False, linewidth=0, **style))
    return figure


def test_the_png_is_the_drawn_box_and_the_pad():
    image = pixels(png_bytes(box_figure(), False))
    # 110 × 44 px of box, 11 px of pad on each side
    assert image.shape[:2] == (44 + 2 * PAD, 110 + 2 * PAD)
    assert (image[PAD:-PAD, PAD:-PAD] == 0).all()
    assert (image[:PAD] == 255).all() and (image[:, -PAD:] == 255).all()


def test_a_chart_has_the_size_savefig_tight_gives_it():
    def chart():
        figure = new_figure(5, 3)
        ax = figure.add_subplot()
        ax.plot([2000, 2010, 2020], [0.1, 0.5, 0.3], marker="o")
        ax.set_xlabel("year")
        ax.set_ylabel("mean D")
        ax.set_title("a title", loc="left")
        return figure

    ours, theirs = ours_and_tight(chart)
    # the tight box is text extents, ours the pixels drawn: a few pixels apart at most
    assert abs(ours.shape[0] - theirs.shape[0]) <= 6 and abs(ours.shape[1] - theirs.shape[1]) <= 6


def test_a_figure_reaching_past_its_edge_is_saved_whole():
    """Text hanging out of the canvas is not cut: savefig's tight box takes it."""
    ours, theirs = ours_and_tight(text_beside_box(-0.3, "outside on the left"))
    # drawn within figures.MARGIN: cropped to its pixels, a pixel or two off the text's box
    assert ours.shape[0] == theirs.shape[0] and abs(ours.shape[1] - theirs.shape[1]) <= 3
    assert ours.shape[1] > 220


def test_the_synthetic_mark_is_below_everything_and_centred_on_the_figure():
    image = pixels(png_bytes(box_figure(), True))
    red = (np.abs(image - [0xb2, 0x18, 0x2b]).sum(axis=2) < 60)
    black = (image.sum(axis=2) == 0)
    red_rows, red_columns = np.flatnonzero(red.any(axis=1)), np.flatnonzero(red.any(axis=0))
    assert len(red_rows) and red_rows.min() > np.flatnonzero(black.any(axis=1)).max()
    # the box spans the figure's middle, so the mark is centred on the box's centre column
    box_columns = np.flatnonzero(black.any(axis=0))
    assert abs((red_columns.min() + red_columns.max()) / 2 - (box_columns.min() + box_columns.max()) / 2) <= 2
    # a figure-wide line of text: wider than the 110 px box, so the image grew to hold it
    assert image.shape[1] > 110 + 2 * PAD
    assert SYNTHETIC_MARK == "SYNTHETIC DATA"


def test_a_note_is_printed_like_the_mark():
    plain = pixels(png_bytes(box_figure(), False))
    noted = pixels(png_bytes(box_figure(), False, note="bandwidth: Silverman"))
    assert noted.shape[0] > plain.shape[0]


def units_frame(crs="EPSG:3857"):
    """A square with a hole, two squares as one multipolygon, a plain square."""
    holed = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (3, 1), (3, 3), (1, 3)]])
    pair = shapely.MultiPolygon([shapely.box(5, 0, 6, 1), shapely.box(5, 3, 6, 4)])
    return gpd.GeoDataFrame({"ID": ["a", "b", "c"]}, geometry=[holed, pair, shapely.box(0, 5, 6, 6)], crs=crs)


def test_unit_paths_hold_every_ring_of_every_part():
    shapes = UnitShapes(units_frame())
    holed, pair, square = shapes.paths
    # exterior and hole: 5 + 5 vertices, a MOVETO at the start of each ring
    assert len(holed.vertices) == 10 and list(np.flatnonzero(holed.codes == holed.MOVETO)) == [0, 5]
    assert len(pair.vertices) == 10 and list(np.flatnonzero(pair.codes == pair.MOVETO)) == [0, 5]
    assert {tuple(v) for v in square.vertices} == {(0, 5), (6, 5), (6, 6), (0, 6)}
    # holes turn against their exterior (signed area of opposite sign), as geopandas orients them
    exterior, hole = holed.vertices[:5], holed.vertices[5:]

    def signed_area(ring):
        return 0.5 * np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])

    assert signed_area(exterior) * signed_area(hole) < 0
    assert shapes.aspect == "equal"


def test_geographic_units_are_drawn_with_geopandas_aspect():
    # 1 / cos(60°) = 2 at the middle latitude of 59.5–60.5
    frame = gpd.GeoDataFrame(geometry=[shapely.box(10, 59.5, 11, 60.5)], crs="EPSG:4326")
    assert UnitShapes(frame).aspect == pytest.approx(2.0)


def test_the_same_geometries_share_their_paths():
    first = unit_shapes(units_frame())
    assert unit_shapes(units_frame()) is first  # another frame, the same content
    moved = units_frame()
    moved["geometry"] = moved.geometry.translate(1, 0)
    assert unit_shapes(moved) is not first
    assert unit_shapes(units_frame(crs="EPSG:32650")) is not first


def test_a_map_draws_what_geopandas_draws():
    """draw_units against GeoDataFrame.plot, the established implementation:
    the same polygons, fills, edges and hole, pixel for pixel within antialiasing."""
    frame = units_frame()
    colours = np.array(["#fe9929", "#08519c", "#d7191c"])

    def figure_with(draw):
        figure = new_figure(4, 4)
        ax = map_axes(figure)
        draw(ax)
        figure.canvas.draw()
        image = np.asarray(figure.canvas.buffer_rgba())[:, :, :3].astype(int)
        (x0, y0), (x1, y1) = ax.transData.transform([(1, 1), (3, 3)])  # the hole

        def box(margin):  # the hole's pixels, grown by ``margin``
            return (slice(image.shape[0] - int(y1) - margin, image.shape[0] - int(y0) + margin),
                    slice(int(x0) - margin, int(x1) + margin))
        return image, box

    ours, hole = figure_with(lambda ax: draw_units(ax, unit_shapes(frame), [0, 1, 2], facecolors=colours,
                                                   edgecolors="white", linewidths=0.25))
    theirs, _ = figure_with(lambda ax: frame.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.25))
    assert (ours[hole(-2)] == 255).all()  # the hole is empty
    if not (theirs[hole(-2)] == 255).all():
        # geopandas 1.0 (Debian 12's constraints) fills this hole; compare everything else
        ours[hole(3)], theirs[hole(3)] = 255, 255
    assert (np.abs(ours - theirs).max(axis=2) > 40).mean() < 0.002


def test_a_merged_hatch_draws_the_pixels_of_one_hatch_per_unit():
    frame = units_frame()

    def hatched(merged):
        figure = new_figure(4, 4)
        ax = map_axes(figure)
        draw_units(ax, unit_shapes(frame), [0, 1, 2], merged=merged, facecolors="none",
                   edgecolors="#636363", hatch="///", linewidths=0.2)
        figure.canvas.draw()
        return np.asarray(figure.canvas.buffer_rgba())[:, :, :3].astype(int)

    assert (np.abs(hatched(True) - hatched(False)).max(axis=2) > 40).mean() < 0.002


def test_a_category_map_counts_its_units_and_keeps_its_input():
    frame = units_frame()
    before = frame.copy()
    png = category_map(frame, "ID", pd.Series({"a": "HH", "b": "LL"}), {"HH": "#d7191c", "LL": "#2c7bb6"},
                       {}, "clusters", True)
    image = pixels(png)
    assert image.shape[0] > 50
    # the unit without a value in light grey (NO_DATA), the two categories in their colours
    for colour in ("#d7191c", "#2c7bb6", figures.NO_DATA):
        rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        assert (np.abs(image - rgb).sum(axis=2) < 6).any(), colour
    pd.testing.assert_frame_equal(frame, before)


def test_a_figure_reaching_past_the_margin_is_saved_whole():
    """Past figures.MARGIN the figure goes through savefig's own tight box."""
    # from 2.4 inches left of the figure, across the margin's edge at 1.5 inches
    ours, theirs = ours_and_tight(text_beside_box(-1.2, "far outside on the left"))
    assert ours.shape == theirs.shape
    assert ours.shape[1] > 220 + figures.MARGIN * DPI


def test_units_simplified_to_half_a_pixel_keep_their_shape_and_the_input():
    from toolbox.figures import pixel_units

    # a 10 × 10 square whose top edge holds 1,000 points off the line by 0.001 (a pixel is 10/220)
    top = [(10 - i / 100, 10 + 0.001 * (i % 2)) for i in range(1001)]
    frame = gpd.GeoDataFrame(geometry=[shapely.Polygon([(0, 0), (10, 0)] + top)], crs="EPSG:3857")
    before = frame.copy()
    small = pixel_units(frame, new_figure(2, 2))
    assert shapely.get_num_coordinates(small.geometry.to_numpy())[0] == 5
    assert small.geometry[0].area == pytest.approx(100, abs=0.01)
    pd.testing.assert_frame_equal(frame, before)
