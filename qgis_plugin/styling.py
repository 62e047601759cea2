"""Styles and time settings applied to output layers when QGIS loads them.

Styles ship as QML in ``styles/`` and are applied by Processing layer
post-processors (as 3liz QuickOSM does); their legend labels are translated
into the user's language. Long-format outputs (one feature per unit and year)
get temporal properties on the year field, so QGIS's temporal controller
animates them over the years.
"""

import os

from qgis.core import (QgsCategorizedSymbolRenderer, QgsProcessingLayerPostProcessorInterface,
                       QgsRendererCategory, QgsSymbol)
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


def apply_style(layer, style: str) -> None:
    """Give ``layer`` the shipped ``style`` with legend labels in the user's language."""
    if style in ("years", "years_outline"):
        layer.setRenderer(_years_renderer(layer, style == "years_outline"))
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
