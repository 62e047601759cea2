"""Translation of the plugin's user-facing strings (context ``ccd``)."""

import os

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

CONTEXT = "ccd"
_translator = None


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def install_translator() -> None:
    """Load ``i18n/ccd_<locale>.qm`` for QGIS's user locale, if shipped."""
    global _translator
    if _translator is not None:
        return
    locale = (QgsSettings().value("locale/userLocale", "") or "")[:2]
    path = os.path.join(os.path.dirname(__file__), "i18n", f"ccd_{locale}.qm")
    if locale and os.path.exists(path):
        translator = QTranslator()
        if translator.load(path):
            QCoreApplication.installTranslator(translator)
            _translator = translator
