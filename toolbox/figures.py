"""What every study figure shares: fonts, labels, tier names and colours,
the Agg canvas, the SYNTHETIC mark and category maps of the unit polygons.

Figures are drawn with matplotlib's Agg canvas (no pyplot state, no display)
and returned as PNG bytes. Each step draws its own figures with these
helpers (``toolbox/steps/*.py``).
"""

import contextlib
import functools
import io
import subprocess
from typing import Dict, List, Optional

import pandas as pd

TIER_COLOURS = {2: ["#9ecae1", "#08519c"], 3: ["#fee391", "#fe9929", "#cc4c02"],
                4: ["#fee391", "#fec44f", "#ec7014", "#8c2d04"]}

NO_DATA = "#f0f0f0"

KNOWN_NAMES = {
    "珠三角": "Pearl River Delta", "长三角": "Yangtze River Delta", "京津冀": "Beijing-Tianjin-Hebei",
    "成渝": "Chengdu-Chongqing", "长江中游": "Middle Yangtze", "中原": "Central Plains",
    "关中平原": "Guanzhong Plain", "哈长": "Harbin-Changchun", "北部湾": "Beibu Gulf",
    "东部": "East", "中部": "Centre", "西部": "West", "东北": "Northeast",
}
"""English names of the demo's agglomerations and regions, for figures drawn without a CJK font."""

SYNTHETIC_MARK = "SYNTHETIC DATA"


@functools.lru_cache(maxsize=1)
def cjk_font() -> Optional[str]:
    """The family name of an installed font with Chinese glyphs, or None.

    Asks fontconfig (``fc-list :lang=zh``) and registers the file with
    matplotlib; without fontconfig or such a font, figures use English or
    ASCII labels instead of drawing empty boxes.
    """
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                                 text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    from matplotlib import font_manager

    for line in listing.splitlines():
        path, _, family = line.partition(":")
        path = path.strip()
        if not path or not path.lower().endswith((".ttf", ".otf", ".ttc")):
            continue
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except Exception:
            continue
    return None


def _ascii(text: str) -> bool:
    return all(ord(c) < 0x2E80 for c in text)


class Labels:
    """Figure labels: the original text where the font can draw it, else the
    English name of a known group, else a short code listed under the figure."""

    def __init__(self):
        self.font = cjk_font()
        self.codes: Dict[str, str] = {}

    def __call__(self, value) -> str:
        text = str(value)
        if self.font or _ascii(text):
            return text
        if text in KNOWN_NAMES:
            return KNOWN_NAMES[text]
        if text not in self.codes:
            self.codes[text] = f"G{len(self.codes) + 1}"
        return self.codes[text]

    def key(self) -> str:
        return "; ".join(f"{code} = {name}" for name, code in self.codes.items())


def tier_name(tier, k: int) -> str:
    """``0 low`` … for three tiers, else ``tier 0`` (0 is the lowest)."""
    try:
        t = int(float(tier))
    except (TypeError, ValueError):
        return str(tier)
    if k == 3:
        return f"{t} " + ("low", "mid", "high")[t] if 0 <= t < 3 else str(t)
    if k == 2:
        return f"{t} " + ("low", "high")[t] if 0 <= t < 2 else str(t)
    return f"tier {t}"


def tier_colours(k: int) -> List[str]:
    if k in TIER_COLOURS:
        return TIER_COLOURS[k]
    from matplotlib import colormaps

    cmap = colormaps["YlOrBr"]
    return [cmap(0.2 + 0.75 * i / max(1, k - 1)) for i in range(k)]


def new_figure(width, height):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(figure)
    return figure


MARGIN = 1.5
"""Inches drawn around a figure for what reaches past its edge (legends set
beside the axes, long tick labels), as ``bbox_inches="tight"`` would keep them."""


def png_bytes(figure, synthetic: bool, note: str = "") -> bytes:
    """The figure as PNG bytes, cropped to what is drawn plus savefig's pad
    (``savefig.pad_inches``), with the SYNTHETIC mark (or ``note``) centred
    under everything, as ``savefig(bbox_inches="tight")`` would give.

    Drawn once, with :data:`MARGIN` around the figure, as raw pixels
    (``savefig(format="rgba")`` with an explicit box) and cropped to the
    pixels that differ from the background; the mark is drawn on its own
    strip (:func:`_mark_pixels`, once per process) and set below.
    ``bbox_inches="tight"`` would lay the figure out and draw it three times
    (matplotlib's ``print_figure``): once to find the tight box, once with
    drawing off and once for the file. Where something drawn reaches the
    margin's edge, the figure goes through :func:`_saved_tight` instead
    (what lies wholly beyond the margin is not seen: no figure of ours puts
    anything that far out).
    """
    import numpy as np

    _drop_placeholder_layout(figure)
    rgba = _pixels_with_margin(figure)
    background = np.round(np.asarray(figure.get_facecolor()[:3]) * 255).astype(np.uint8)
    # drawn: neither the opaque background nor transparent (the margin, where nothing is drawn: the
    # figure's own patch covers the figure only); one 32-bit word per pixel, alpha in its top byte
    words = rgba.view("<u4")[:, :, 0]
    drawn = (words != np.frombuffer(bytes(background) + b"\xff", "<u4")[0]) & (words >= 1 << 24)
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    if not len(rows) or rows[0] == 0 or columns[0] == 0 or rows[-1] == drawn.shape[0] - 1 \
            or columns[-1] == drawn.shape[1] - 1:
        return _saved_tight(figure, synthetic, note)
    content = _on_background(rgba[rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1], background)
    pad = int(round(_pad_inches() * figure.dpi))
    text = _mark_text(synthetic, note)
    mark = _mark_pixels(text, synthetic, figure.dpi, tuple(background), _fonts()) if text else content[:0, :0]
    # centred on the figure as figure.text(0.5, ...) is; 1 % of the figure's height below the content
    centre = drawn.shape[1] / 2 - columns[0]
    left = int(round(min(0, centre - mark.shape[1] / 2)))
    right = int(round(max(content.shape[1], centre + mark.shape[1] / 2)))
    gap = int(round(0.01 * figure.get_figheight() * figure.dpi)) + 2 if text else 0
    height = content.shape[0] + gap + mark.shape[0]
    image = np.empty((height + 2 * pad, right - left + 2 * pad, 3), np.uint8)
    image[:] = background
    image[pad:pad + content.shape[0], pad - left:pad - left + content.shape[1]] = content
    x = pad - left + int(round(centre - mark.shape[1] / 2))
    image[pad + content.shape[0] + gap:pad + height, x:x + mark.shape[1]] = mark
    return _png(image, figure.dpi)


def _drop_placeholder_layout(figure):
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
        # left by tight_layout(); it lays out nothing, yet savefig would lay out the figure once more for it
        figure._layout_engine = None


def _pixels_with_margin(figure):
    """RGB pixels of the figure and :data:`MARGIN` around it, drawn once."""
    import numpy as np
    from matplotlib.transforms import Bbox

    width, height = figure.get_size_inches()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="rgba", dpi=figure.dpi,
                   bbox_inches=Bbox.from_extents(-MARGIN, -MARGIN, width + MARGIN, height + MARGIN))
    raw = np.frombuffer(buffer.getvalue(), np.uint8)
    columns = int((width + 2 * MARGIN) * figure.dpi)
    if (raw.size // 4) % columns:
        columns = int(round((width + 2 * MARGIN) * figure.dpi))
    return raw.reshape(-1, columns, 4)


def _on_background(rgba, background):
    """RGBA pixels (straight alpha, as Agg draws them) over an opaque background, as RGB."""
    import numpy as np

    if (rgba[:, :, 3] == 255).all():
        return rgba[:, :, :3]
    alpha = rgba[:, :, 3:].astype(np.uint16)
    mixed = rgba[:, :, :3] * alpha + background.astype(np.uint16) * (255 - alpha)
    return ((mixed + 127) // 255).astype(np.uint8)


def _mark_text(synthetic, note):
    return SYNTHETIC_MARK + " — not real statistics" if synthetic else note


def _mark_style(synthetic):
    return {"fontsize": 8, "color": "#b2182b", "weight": "bold" if synthetic and not cjk_font() else "normal"}


def _fonts():
    """The font settings text is drawn with here (figure_fonts() changes them)."""
    from matplotlib import rcParams

    return str(rcParams["font.family"]), tuple(rcParams["font.sans-serif"])


def _pad_inches() -> float:
    from matplotlib import rcParams

    pad = rcParams["savefig.pad_inches"]
    return 0.1 if pad == "layout" else float(pad)


@functools.lru_cache(maxsize=16)
def _mark_pixels(text, synthetic, dpi, background, fonts):
    """The mark's pixels (RGB, cropped) in the current ``fonts``, drawn once per process."""
    import numpy as np

    figure = new_figure(24, 0.5)
    figure.dpi = dpi
    figure.set_facecolor(np.asarray(background) / 255)
    figure.text(0.5, 0.5, text, ha="center", va="center", **_mark_style(synthetic))
    figure.canvas.draw()
    pixels = np.asarray(figure.canvas.buffer_rgba())[:, :, :3]
    drawn = (pixels != np.asarray(background, np.uint8)).any(axis=2)
    rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    mark = pixels[rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1].copy()
    mark.setflags(write=False)
    return mark


def _png(pixels, dpi) -> bytes:
    """RGB pixels as PNG bytes (Pillow, as matplotlib's own PNG writer)."""
    from PIL import Image

    buffer = io.BytesIO()
    # zlib level 3: half the time of Pillow's default 6 for 4 % more bytes on the demo's figures
    Image.fromarray(pixels, "RGB").save(buffer, format="png", dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue()


def _saved_tight(figure, synthetic, note) -> bytes:
    """The figure through savefig with its tight box measured once
    (``Figure.get_tightbbox``) and grown by the mark placed below it."""
    from matplotlib.transforms import Bbox

    _drop_placeholder_layout(figure)
    renderer = figure.canvas.get_renderer()
    box = figure.get_tightbbox(renderer)
    text = _mark_text(synthetic, note)
    if text:
        # below everything already drawn (tick labels and axis titles reach under the axes)
        mark = figure.text(0.5, box.y0 / figure.get_figheight() - 0.01, text, ha="center", va="top",
                           transform=figure.transFigure, **_mark_style(synthetic))
        extent = mark.get_window_extent(renderer).transformed(figure.dpi_scale_trans.inverted())
        box = Bbox.union([box, extent])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches=box.padded(_pad_inches()))
    return buffer.getvalue()


def text_inches(figure, texts, fontsize) -> float:
    """The width of the widest of ``texts`` at ``fontsize`` points in the
    figure's font, in inches (text metrics only, nothing drawn)."""
    from matplotlib.font_manager import FontProperties

    renderer = figure.canvas.get_renderer()
    font = FontProperties(size=fontsize)
    widths = [renderer.get_text_width_height_descent(str(t), font, ismath=False)[0] for t in texts]
    return max(widths, default=0.0) / figure.dpi


def grid_spacing(figure, rows, columns, left, right, top, bottom, wgap, hgap):
    """Place a rows × columns grid of subplots by margins and gaps in inches.

    Stands in for ``Figure.tight_layout`` where the room the labels take is
    known beforehand: tight_layout measures every tick label of every panel
    (as costly as drawing the figure) to find the same spacing. Outer
    margins only need to hold what reaches outside the panels, since
    :func:`png_bytes` crops to what is drawn."""
    width, height = figure.get_size_inches()
    panel_width = (width - left - right - wgap * (columns - 1)) / columns
    panel_height = (height - top - bottom - hgap * (rows - 1)) / rows
    figure.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                           bottom=bottom / height, wspace=wgap / panel_width, hspace=hgap / panel_height)


def axes_title(ax, text, synthetic):
    ax.set_title(text + (" (SYNTHETIC)" if synthetic else ""), fontsize=11, loc="left")


def map_axes(figure, position=111):
    ax = figure.add_subplot(position)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


class UnitShapes:
    """The unit polygons as matplotlib paths, one compound path per unit (its
    parts' exterior and interior rings), in the order of the units, and the
    map's aspect: 1/cos(mean latitude) for a geographic CRS, else equal (as
    geopandas plots them)."""

    def __init__(self, units):
        import numpy as np
        import shapely
        from matplotlib.path import Path

        geometry = units.geometry.to_numpy()
        # rings oriented as GEOS normalises them, holes against their exterior, as geopandas plots
        # them: Agg fills by the nonzero winding rule, so a hole turning with its exterior is filled
        parts, part_unit = shapely.get_parts(shapely.normalize(geometry), return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        xy, vertex_ring = shapely.get_coordinates(rings, return_index=True)
        codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
        starts = np.r_[0, np.flatnonzero(np.diff(vertex_ring)) + 1][:len(xy)]
        codes[starts] = Path.MOVETO
        # each ring closed, as geopandas builds them (Path(..., closed=True))
        codes[np.r_[starts[1:] - 1, len(xy) - 1][:len(starts)]] = Path.CLOSEPOLY
        ends = np.searchsorted(part_unit[ring_part][vertex_ring], np.arange(len(geometry) + 1))
        self.paths = [Path(xy[a:b], codes[a:b]) for a, b in zip(ends[:-1], ends[1:])]
        self.unit_bounds = shapely.bounds(geometry)
        self.crs = str(units.crs)
        self.bounds = units.total_bounds
        middle = (self.bounds[1] + self.bounds[3]) / 2
        geographic = units.crs is not None and units.crs.is_geographic
        self.aspect = 1 / np.cos(np.radians(middle)) if geographic and np.isfinite(middle) else "equal"


_SHAPES: Dict[str, UnitShapes] = {}
_LAST: list = [None, None]  # the geometry array last asked for and its shapes


def unit_shapes(units) -> UnitShapes:
    """:class:`UnitShapes` of ``units``, built once per process for the same
    geometries and CRS (cached by the digest of their WKB; the maps of a
    study ask again and again for the same array, found without the digest)."""
    import hashlib

    import shapely

    geometry = units.geometry.to_numpy()
    if _LAST[0] is geometry and _LAST[1].crs == str(units.crs):
        return _LAST[1]
    digest = hashlib.blake2b(b"".join(shapely.to_wkb(geometry)), digest_size=20)
    digest.update(str(units.crs).encode())
    key = digest.hexdigest()
    if key not in _SHAPES:
        if len(_SHAPES) >= 8:
            _SHAPES.pop(next(iter(_SHAPES)))
        _SHAPES[key] = UnitShapes(units)
    _LAST[:] = [geometry, _SHAPES[key]]
    return _SHAPES[key]


def draw_units(ax, shapes: UnitShapes, chosen, merged=False, **style):
    """Add the units at the positions ``chosen`` (in this drawing order) to
    ``ax`` as one PathCollection with ``style`` (facecolors, edgecolors,
    linewidths: one value or one per unit; hatch, cmap, norm...); returns it.

    One collection of cached paths instead of a geopandas ``plot`` per
    category, which rebuilds a patch per polygon on every call. ``merged``:
    the units as one compound path, for a style shared by all of them
    (a hatch overlay: Agg sets up a hatch pattern for every path it fills;
    the pattern is fixed to the canvas, so the pixels are the same)."""
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path

    chosen = np.asarray(chosen, dtype=int)
    paths = [shapes.paths[i] for i in chosen]
    if merged and paths:
        paths = [Path.make_compound_path(*paths)]
    collection = PathCollection(paths, **style)
    # the data limits from the cached bounds of the units, not from every vertex again
    ax.add_collection(collection, autolim=False)
    bounds = shapes.unit_bounds[chosen]
    if len(bounds) and np.isfinite(bounds).any():
        ax.update_datalim([(np.nanmin(bounds[:, 0]), np.nanmin(bounds[:, 1])),
                           (np.nanmax(bounds[:, 2]), np.nanmax(bounds[:, 3]))])
    ax.autoscale_view()
    ax.set_aspect(shapes.aspect)
    return collection


def pixel_units(units, figure):
    """``units`` simplified to half a pixel of ``figure``'s width
    (:func:`simplified`): what a map of the whole extent can show, without
    pushing every surveyed vertex through Agg."""
    bounds = units.total_bounds
    tolerance = (bounds[2] - bounds[0]) / (figure.get_figwidth() * figure.dpi) / 2
    if not tolerance > 0:
        return units
    return units.set_geometry(simplified(units.geometry.to_numpy(), tolerance))


def simplified(geometry, tolerance):
    """Douglas-Peucker simplification of each geometry (``shapely.simplify``
    without its topology check, 15× faster on the demo's cities), keeping the
    original where the result is empty or invalid."""
    import shapely

    result = shapely.simplify(geometry, tolerance, preserve_topology=False)
    bad = shapely.is_empty(result) | ~shapely.is_valid(result)
    result[bad] = geometry[bad]
    return result


def category_map(units, id_field: str, categories: pd.Series, colours: Dict, names: Dict,
                 title: str, synthetic: bool) -> bytes:
    """Polygons coloured by category (``categories`` indexed by unit id);
    units without a value in light grey; a legend with the count per category."""
    import numpy as np
    from matplotlib.colors import to_rgba_array
    from matplotlib.patches import Patch

    values = categories.reindex(units[id_field]).to_numpy()
    bounds = units.total_bounds
    aspect = (bounds[3] - bounds[1]) / max(1e-9, bounds[2] - bounds[0])
    figure = new_figure(8, max(3.5, min(9, 8 * aspect)))
    ax = map_axes(figure)
    has = pd.notna(values)
    # drawn as before one plot per category: units without a value first, then each category in turn
    chosen, faces, edges, widths = [np.flatnonzero(~has)], [NO_DATA], ["#bdbdbd"], [0.2]
    handles = []
    for key, colour in colours.items():
        mask = has & (values == key)
        count = int(mask.sum())
        if count:
            chosen.append(np.flatnonzero(mask))
            faces.append(colour)
            edges.append("#969696" if colour.lower() in ("#ffffff", "white") else "white")
            widths.append(0.25)
        handles.append(Patch(facecolor=colour, edgecolor="#969696", label=f"{names.get(key, key)} ({count})"))
    if (~has).any():
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#bdbdbd", label=f"no value ({int((~has).sum())})"))
    shapes = unit_shapes(units)
    if len(chosen[0]):
        draw_units(ax, shapes, chosen[0], facecolors=faces[0], edgecolors=edges[0], linewidths=widths[0])
    if len(chosen) > 1:
        repeat = [len(c) for c in chosen[1:]]
        draw_units(ax, shapes, np.concatenate(chosen[1:]), linewidths=widths[1],
                   facecolors=np.repeat(to_rgba_array(faces[1:]), repeat, axis=0),
                   edgecolors=np.repeat(to_rgba_array(edges[1:]), repeat, axis=0))
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, framealpha=0.9)
    ax.set_title(title + (" (SYNTHETIC)" if synthetic else ""), fontsize=11, loc="left")
    return png_bytes(figure, synthetic)


def map_units(result):
    """The unit polygons simplified for drawing (cached on the result)."""
    cached = getattr(result, "_map_units", None)
    if cached is not None:
        return cached
    units = result.units[[result.study["data"]["id_field"], "geometry"]].copy()
    tolerance = result.study["report"]["map_tolerance"]
    if tolerance:
        units = units.set_geometry(simplified(units.geometry.to_numpy(), tolerance))
    result._map_units = units
    return units


@contextlib.contextmanager
def figure_fonts():
    """Matplotlib settings with an installed CJK font first in the sans-serif
    list (:func:`cjk_font`), for the figures drawn inside the block only."""
    import matplotlib

    font = cjk_font()
    families = ([font] if font else []) + list(matplotlib.rcParams["font.sans-serif"])
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": families}):
        yield
