"""Render a styled output layer to PNG without a screen (QgsMapRendererJob).

    QT_QPA_PLATFORM=offscreen .venv-qgis/bin/python scripts/render_maps.py \\
        "output/demo/study.gpkg|layername=coupling" d_class coupling-2023.png --where '"YEAR" = 2023'

STYLE is one of the plugin's styles (d_class, tier, lisa, gwr). The map gets the
style's legend, in the language of QGIS's locale (``--locale zh`` for
Chinese), and a title.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def render(source, style, destination, where=None, title=None, width=1400, locale=None):
    from qgis.core import QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsVectorLayer
    from qgis.PyQt.QtCore import QCoreApplication, QRectF, QSize, Qt, QTranslator
    from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter

    QgsApplication.setPrefixPath(os.environ.get("QGIS_PREFIX_PATH", "/usr"), True)
    app = QgsApplication([], False)
    app.initQgis()
    if locale:
        import subprocess
        import tempfile

        qm = os.path.join(tempfile.mkdtemp(), f"ccd_{locale}.qm")
        subprocess.run(["lrelease", "-silent", os.path.join(ROOT, "qgis_plugin", "i18n",
                                                             f"ccd_{locale}.ts"), "-qm", qm], check=True)
        translator = QTranslator()
        translator.load(qm)
        QCoreApplication.installTranslator(translator)
    from qgis_plugin import styling

    layer = QgsVectorLayer(source, "map", "ogr")
    if not layer.isValid():
        raise SystemExit(f"cannot open {source}")
    if where:
        layer.setSubsetString(where)
    styling.apply_style(layer, style)
    renderer = layer.renderer()
    if renderer.type() == "categorizedSymbol":
        for index, category in enumerate(renderer.categories()):
            symbol = category.symbol().clone()
            symbol.symbolLayer(0).setStrokeColor(QColor(255, 255, 255))
            symbol.symbolLayer(0).setStrokeWidth(0.05)
            renderer.updateCategorySymbol(index, symbol)
        legend = [(category.symbol(), category.label()) for category in renderer.categories()]
    else:  # rule-based (gwr): nested rules, a rule without symbol is a heading
        legend = [(item.symbol().clone() if item.symbol() else None, item.label())
                  for item in renderer.legendSymbolItems()]  # clones: the items do not outlive this

    extent = layer.extent()
    map_width = width - 330
    height = int(map_width * extent.height() / max(extent.width(), 1e-9)) + 80
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(map_width, height - 80))
    settings.setExtent(extent.buffered(extent.width() * 0.02))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()

    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    painter.drawImage(0, 70, job.renderedImage())
    painter.setPen(QColor(30, 30, 30))
    painter.setFont(QFont("WenQuanYi Micro Hei", 16, QFont.Weight.Bold))
    painter.drawText(QRectF(20, 10, width - 40, 50), Qt.AlignmentFlag.AlignLeft, title or style)
    painter.setFont(QFont("WenQuanYi Micro Hei", 11))
    y = 90
    for symbol, label in legend:
        if symbol is not None:
            painter.drawImage(int(map_width + 20), y, symbol.asImage(QSize(28, 18)))
            painter.drawRect(QRectF(map_width + 20, y, 28, 18))
        painter.drawText(QRectF(map_width + (56 if symbol is not None else 20), y - 2, 270, 24),
                         Qt.AlignmentFlag.AlignLeft, label)
        y += 28
    painter.end()
    image.save(destination)
    return destination


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("source", help="layer, e.g. 'study.gpkg|layername=coupling'")
    parser.add_argument("style", choices=("d_class", "tier", "lisa", "gwr"))
    parser.add_argument("destination", help="PNG path")
    parser.add_argument("--where", help="QGIS filter expression, e.g. '\"YEAR\" = 2023'")
    parser.add_argument("--title", help="title above the map")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--locale", help="translate legend labels, e.g. zh")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(render(arguments.source, arguments.style, arguments.destination, arguments.where,
                 arguments.title, arguments.width, arguments.locale))


if __name__ == "__main__":
    main()
