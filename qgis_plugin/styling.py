"""Styles applied to output layers when QGIS loads them (QuickOSM-style post-processors)."""

from qgis.core import (QgsCategorizedSymbolRenderer, QgsProcessingLayerPostProcessorInterface,
                       QgsRendererCategory, QgsSymbol)
from qgis.PyQt.QtGui import QColor

from .package import toolbox_module
from .translation import tr

charts = toolbox_module("charts")

#: LISA cluster labels and their legend text.
LISA_LABELS = {
    "HH": "High-High", "LL": "Low-Low", "LH": "Low-High", "HL": "High-Low",
    "NS": "Not significant", "ISOLATED": "No neighbours",
}
#: Tier colours from low to high (ColorBrewer YlOrRd).
TIER_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")


def lisa_renderer(layer):
    categories = []
    for value in charts.CLUSTER_ORDER:
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(charts.CLUSTER_COLOURS[value]))
        categories.append(QgsRendererCategory(value, symbol, tr(LISA_LABELS[value])))
    return QgsCategorizedSymbolRenderer("CLUSTER", categories)


def tier_renderer(layer):
    values = sorted({f["TIER"] for f in layer.getFeatures() if f["TIER"] is not None})
    categories = []
    for position, value in enumerate(values):
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        colour = TIER_COLOURS[min(position * len(TIER_COLOURS) // max(len(values), 1),
                                  len(TIER_COLOURS) - 1)]
        symbol.setColor(QColor(colour))
        categories.append(QgsRendererCategory(value, symbol, tr("Tier {}").format(value)))
    return QgsCategorizedSymbolRenderer("TIER", categories)


RENDERERS = {"lisa": lisa_renderer, "tier": tier_renderer}
_keep_alive = []


class StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Applies a categorized renderer to the loaded layer."""

    def __init__(self, style):
        super().__init__()
        self._style = style

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        if layer is not None and layer.isValid():
            layer.setRenderer(RENDERERS[self._style](layer))
            layer.triggerRepaint()


def post_processor(style):
    """A post-processor kept alive until QGIS has used it (QGIS does not own it)."""
    processor = StylePostProcessor(style)
    _keep_alive.append(processor)
    return processor
