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


def png_bytes(figure, synthetic: bool) -> bytes:
    if synthetic:
        # below everything already drawn (tick labels and axis titles reach under the axes)
        box = figure.get_tightbbox(figure.canvas.get_renderer())
        bottom = box.y0 / figure.get_figheight() - 0.01
        figure.text(0.5, bottom, SYNTHETIC_MARK + " — not real statistics", ha="center", va="top",
                    fontsize=8, color="#b2182b", transform=figure.transFigure,
                    weight="normal" if cjk_font() else "bold")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def axes_title(ax, text, synthetic):
    ax.set_title(text + (" (SYNTHETIC)" if synthetic else ""), fontsize=11, loc="left")


def map_axes(figure, position=111):
    ax = figure.add_subplot(position)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def category_map(units, id_field: str, categories: pd.Series, colours: Dict, names: Dict,
                 title: str, synthetic: bool) -> bytes:
    """Polygons coloured by category (``categories`` indexed by unit id);
    units without a value in light grey; a legend with the count per category."""
    from matplotlib.patches import Patch

    values = categories.reindex(units[id_field]).to_numpy()
    bounds = units.total_bounds
    aspect = (bounds[3] - bounds[1]) / max(1e-9, bounds[2] - bounds[0])
    figure = new_figure(8, max(3.5, min(9, 8 * aspect)))
    ax = map_axes(figure)
    has = pd.notna(values)
    if (~has).any():
        units[~has].plot(ax=ax, color=NO_DATA, edgecolor="#bdbdbd", linewidth=0.2)
    handles = []
    for key, colour in colours.items():
        mask = has & (values == key)
        count = int(mask.sum())
        if count:
            edge = "#969696" if colour.lower() in ("#ffffff", "white") else "white"
            units[mask].plot(ax=ax, color=colour, edgecolor=edge, linewidth=0.25)
        handles.append(Patch(facecolor=colour, edgecolor="#969696", label=f"{names.get(key, key)} ({count})"))
    if (~has).any():
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#bdbdbd", label=f"no value ({int((~has).sum())})"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, framealpha=0.9)
    ax.set_title(title + (" (SYNTHETIC)" if synthetic else ""), fontsize=11, loc="left")
    return png_bytes(figure, synthetic)


def map_units(result):
    """The unit polygons simplified for drawing (cached on the result)."""
    cached = getattr(result, "_map_units", None)
    if cached is not None:
        return cached
    import shapely

    units = result.units[[result.study["data"]["id_field"], "geometry"]].copy()
    tolerance = result.study["report"]["map_tolerance"]
    if tolerance:
        geometry = units.geometry.to_numpy()
        simplified = shapely.simplify(geometry, tolerance, preserve_topology=False)
        bad = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
        simplified[bad] = geometry[bad]
        units = units.set_geometry(simplified)
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
