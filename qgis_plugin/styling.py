"""Styles and time settings applied to output layers when QGIS loads them.

Styles ship as QML in ``styles/`` and are applied by Processing layer
post-processors (as 3liz QuickOSM does); their legend labels are translated
into the user's language. Long-format outputs (one feature per unit and year)
get temporal properties on the year field, so QGIS's temporal controller
animates them over the years.
"""

import os

from qgis.core import (QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsLinePatternFillSymbolLayer,
                       QgsLineSymbol, QgsProcessingLayerPostProcessorInterface,
                       QgsRendererCategory, QgsRuleBasedRenderer, QgsSymbol)
from qgis.PyQt.QtGui import QColor

from . import compat
from .translation import tr

STYLES = os.path.join(os.path.dirname(__file__), "styles")
#: Colours for tiers beyond the three of tier.qml, low to high (ColorBrewer OrRd).
TIER_COLOURS = ("#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")


def style_path(style: str) -> str:
    return os.path.join(STYLES, f"{style}.qml")


def _many_tiers_renderer(layer, values):
    categories = []
    for position, value in enumerate(values):
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        colour = TIER_COLOURS[round(position * (len(TIER_COLOURS) - 1) / max(len(values) - 1, 1))]
        symbol.setColor(QColor(colour))
        categories.append(QgsRendererCategory(value, symbol, tr("Tier {}").format(value)))
    return QgsCategorizedSymbolRenderer("TIER", categories)


#: Colours of years, first to last (ColorBrewer YlOrRd), interpolated between.
YEAR_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")


def _year_colour(position: int, count: int) -> QColor:
    share = position / max(count - 1, 1) * (len(YEAR_COLOURS) - 1)
    low = int(share)
    high = min(low + 1, len(YEAR_COLOURS) - 1)
    a, b = QColor(YEAR_COLOURS[low]), QColor(YEAR_COLOURS[high])
    t = share - low
    return QColor(*(round(x + t * (y - x)) for x, y in
                    ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))))


def _years_renderer(layer, outline: bool):
    """One category per year, light (first) to dark red (last); ``outline``
    draws polygons as outlines only (ellipses of several years overlap)."""
    field = next((name for name in ("YEAR",) if layer.fields().indexOf(name) >= 0),
                 layer.fields().at(0).name())
    values = sorted({f[field] for f in layer.getFeatures() if f[field] not in (None, "")})
    categories = []
    for position, value in enumerate(values):
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        colour = _year_colour(position, len(values))
        symbol.setColor(colour)
        if outline:
            fill = symbol.symbolLayer(0)
            fill.setFillColor(QColor(0, 0, 0, 0))
            fill.setStrokeColor(colour)
            fill.setStrokeWidth(0.6)
        categories.append(QgsRendererCategory(value, symbol, str(value)))
    return QgsCategorizedSymbolRenderer(field, categories)


#: Local coefficients, most negative to most positive (ColorBrewer RdBu, blue for negative).
DIVERGING = ("#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b")
#: Classes of the GWR coefficient map (quantiles; 0 is always a break inside the range).
GWR_CLASSES = 5


def _diverging_colours(middles):
    """Colours of classes with these (sorted) middles: the negative classes spread
    from the darkest to the lightest blue of :data:`DIVERGING`, the positive ones
    from the lightest to the darkest red, a class at 0 white."""
    negative = [m for m in middles if m < 0]
    positive = [m for m in middles if m > 0]
    centre = (len(DIVERGING) - 1) / 2
    shares = []
    for m in middles:
        if m < 0:
            i = negative.index(m)
            shares.append((i / (len(negative) - 1) if len(negative) > 1 else 0.5) * (centre - 1))
        elif m > 0:
            j = positive.index(m)
            shares.append(centre + 1 + (j / (len(positive) - 1) if len(positive) > 1 else 0.5)
                          * (centre - 1))
        else:
            shares.append(centre)
    return [_ramp_colour(share) for share in shares]


def _ramp_colour(share: float) -> QColor:
    """The colour at position ``share`` (0 … len − 1) of :data:`DIVERGING`, interpolated."""
    low = int(share)
    high = min(low + 1, len(DIVERGING) - 1)
    a, b = QColor(DIVERGING[low]), QColor(DIVERGING[high])
    t = share - low
    return QColor(*(round(x + t * (y - x)) for x, y in
                    ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))))


def _coefficient_breaks(values):
    """Class limits of the sorted ``values``: quantiles, with 0 added inside the range,
    so no class mixes negative and positive coefficients."""
    n = len(values)
    limits = {values[min(n - 1, round(q * (n - 1) / GWR_CLASSES))] for q in range(GWR_CLASSES + 1)}
    if values[0] < 0 < values[-1]:
        limits.add(0.0)
    return sorted(limits)


def _hatch_symbol() -> QgsFillSymbol:
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(45)
    hatch.setDistance(1.6)
    hatch.setSubSymbol(QgsLineSymbol.createSimple({"color": "70,70,70,255", "width": "0.3"}))
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, hatch)  # the symbol owns its layers (a list given to it is not kept)
    return symbol


def _gwr_renderer(layer):
    """The first driver's local coefficient B_<driver> in diverging classes (blue
    negative, red positive) and, drawn over them, a hatch on the units where it
    is not significant (SIG_<driver> = 0; without that field |T_<driver>| < 1.96)."""
    names = layer.fields().names()
    coefficient = next((n for n in names if n.startswith("B_") and n != "B_INTERCEPT"),
                       "B_INTERCEPT" if "B_INTERCEPT" in names else None)
    if coefficient is None:
        raise RuntimeError("the GWR style needs a B_<driver> field")
    term = coefficient[2:]
    values = sorted(float(v) for v in (f[coefficient] for f in layer.getFeatures())
                    if isinstance(v, (int, float)) and v == v)
    root = QgsRuleBasedRenderer.Rule(None)
    classes = QgsRuleBasedRenderer.Rule(None, 0, 0, "", tr("Local coefficient of {}").format(term))
    root.appendChild(classes)
    if values:
        limits = _coefficient_breaks(values)
        bounds = list(zip(limits[:-1], limits[1:])) or [(limits[0], limits[0])]
        colours = _diverging_colours([(low + high) / 2 for low, high in bounds])
        for position, (low, high) in enumerate(bounds):
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(colours[position])
            symbol.symbolLayer(0).setStrokeColor(QColor(120, 120, 120))
            above = ">=" if position == 0 else ">"
            expression = f'"{coefficient}" {above} {low!r} AND "{coefficient}" <= {high!r}'
            classes.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression,
                                                          f"{low:.4g} – {high:.4g}"))
    significance = f"SIG_{term}"
    expression = (f'"{significance}" = 0' if significance in names
                  else f'abs("T_{term}") < 1.96' if f"T_{term}" in names else None)
    if expression:
        root.appendChild(QgsRuleBasedRenderer.Rule(_hatch_symbol(), 0, 0, expression,
                                                   tr("Not significant (hatched)")))
    return QgsRuleBasedRenderer(root)


def apply_style(layer, style: str) -> None:
    """Give ``layer`` the shipped ``style`` with legend labels in the user's language."""
    if style in ("years", "years_outline"):
        layer.setRenderer(_years_renderer(layer, style == "years_outline"))
        return
    if style == "gwr":
        layer.setRenderer(_gwr_renderer(layer))
        return
    if style == "tier":
        values = sorted({f["TIER"] for f in layer.getFeatures() if f["TIER"] not in (None, "")})
        if len(values) != 3:
            layer.setRenderer(_many_tiers_renderer(layer, values))
            return
    message, ok = layer.loadNamedStyle(style_path(style))
    if not ok:
        raise RuntimeError(f"cannot load style {style}: {message}")
    renderer = layer.renderer()
    for index, category in enumerate(renderer.categories()):
        renderer.updateCategoryLabel(index, tr(category.label()))


def set_temporal(layer, year_field: str) -> None:
    """Make ``layer`` temporal: each feature is valid from 1 January of its
    year to 1 January of the next."""
    if layer.fields().indexOf(year_field) < 0:
        return
    properties = layer.temporalProperties()
    properties.setMode(compat.TEMPORAL_FROM_EXPRESSIONS)
    properties.setStartExpression(f'make_date("{year_field}", 1, 1)')
    properties.setEndExpression(f'make_date("{year_field}" + 1, 1, 1)')
    properties.setIsActive(True)


class OutputPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles the loaded layer and makes it temporal on the year field."""

    def __init__(self, style=None, year_field=None):
        super().__init__()
        self._style = style
        self._year_field = year_field

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        if layer is None or not layer.isValid():
            return
        if self._style:
            apply_style(layer, self._style)
        if self._year_field:
            set_temporal(layer, self._year_field)
        layer.triggerRepaint()


_keep_alive = []


def post_processor(style=None, year_field=None):
    """A post-processor kept alive until QGIS has used it (QGIS does not own it)."""
    processor = OutputPostProcessor(style, year_field)
    _keep_alive.append(processor)
    return processor
