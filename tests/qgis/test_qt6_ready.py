"""QGIS 4 (Qt6) readiness of ``qgis_plugin/`` and no deprecated calls on QGIS 3.40+.

A static check of every module of the plugin: Qt only through ``qgis.PyQt``,
every enum value written with its enum's name (``Qt.AlignmentFlag.AlignLeft``,
``Qgis.MessageLevel.Critical``; PyQt6 has no unscoped values), no API that Qt6,
PyQt6 or QGIS 4 removed. Whether a dotted name is an enum value is asked of the
QGIS this runs on, so the check needs no list of enums. ``compat.py`` is the
one module that names old homes, and only as the fallback after the new one.
"""

import ast
import enum
import importlib
import os
import warnings

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = os.path.join(ROOT, "qgis_plugin")
pytestmark = pytest.mark.qgis

BINDINGS = ("PyQt5", "PyQt6", "PySide2", "PySide6", "sip")
QT_MODULES = ("qgis.core", "qgis.gui", "qgis.analysis", "qgis.PyQt")
#: name or attribute -> what replaces it on Qt6 / PyQt6 / QGIS 4
REMOVED = {
    "exec_": "exec()",
    "print_": "print()",
    "QRegExp": "QRegularExpression",
    "QRegExpValidator": "QRegularExpressionValidator",
    "QDesktopWidget": "QScreen (QGuiApplication.screens())",
    "MidButton": "Qt.MouseButton.MiddleButton",
    "QgsMapLayerRegistry": "QgsProject.instance()",
    "QStringList": "a Python list",
    "pyqtSignature": "pyqtSlot",
    "QtWebKit": "QtWebEngine (or none)",
    "QtWebKitWidgets": "QtWebEngineWidgets (or none)",
}
#: QVariant's type enum is QMetaType.Type on Qt6 (QGIS >= 3.38 takes it everywhere)
QT5_ONLY_ATTRIBUTES = {("QVariant", "Type"), ("QVariant", "Int"), ("QVariant", "Double"),
                       ("QVariant", "String"), ("QVariant", "LongLong"), ("QVariant", "Bool")}
FALLBACK_MODULES = ("compat.py",)


def _is_enum_value(value):
    """An enum member: a Python enum (PyQt6, QGIS 4) or a sip enum (PyQt5)."""
    return isinstance(value, enum.Enum) or type(type(value)).__name__ in ("enumtype", "EnumType")


def _imported_objects(tree):
    """Local name -> the Qt / QGIS object a ``from qgis.x import name`` binds."""
    objects = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.startswith(QT_MODULES):
            module = importlib.import_module(node.module)
            for alias in node.names:
                if hasattr(module, alias.name):
                    objects[alias.asname or alias.name] = getattr(module, alias.name)
    return objects


def _chain(node):
    """['Qt', 'AlignmentFlag', 'AlignLeft'] for ``Qt.AlignmentFlag.AlignLeft``."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id] + names[::-1]
    return None


def qt6_problems(source, filename="<source>"):
    """Every Qt5-only use in ``source``, as 'file:line: what (use instead)'."""
    tree = ast.parse(source, filename)
    name = os.path.basename(filename)
    problems = set()

    def report(node, text):
        problems.add(f"{name}:{node.lineno}: {text}")

    objects = _imported_objects(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in BINDINGS:
                    report(node, f"import {alias.name} (import Qt through qgis.PyQt)")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in BINDINGS:
                report(node, f"from {node.module} import (import Qt through qgis.PyQt)")
            for alias in node.names:
                if alias.name in REMOVED and name not in FALLBACK_MODULES:
                    report(node, f"{alias.name} (use {REMOVED[alias.name]})")
        elif isinstance(node, ast.Attribute):
            if node.attr in REMOVED and name not in FALLBACK_MODULES:
                report(node, f".{node.attr} (use {REMOVED[node.attr]})")
            chain = _chain(node)
            if not chain or chain[0] not in objects:
                continue
            if tuple(chain[:2]) in QT5_ONLY_ATTRIBUTES and name not in FALLBACK_MODULES:
                report(node, f"{'.'.join(chain[:2])} (QMetaType.Type on Qt6; see compat.field_type)")
            value = objects[chain[0]]
            for position, attribute in enumerate(chain[1:], start=1):
                holder = value
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = getattr(holder, attribute, None)
                if value is None:
                    break
                if _is_enum_value(value):
                    # scoped: looked up on its enum (or an alias of it, as QgsWkbTypes.Type
                    # is of Qgis.WkbType from QGIS 3.30 on), not on the class around it
                    if not (isinstance(holder, type) and isinstance(value, holder)):
                        enum_name = type(value).__qualname__
                        scoped = (f"{enum_name}.{attribute}" if "." in enum_name else
                                  ".".join(chain[:position] + [enum_name, attribute]))
                        report(node, f"{'.'.join(chain[:position + 1])} is unscoped (write {scoped})")
                    break
        elif isinstance(node, ast.Name) and node.id in REMOVED and name not in FALLBACK_MODULES:
            report(node, f"{node.id} (use {REMOVED[node.id]})")
    return sorted(problems)


def plugin_modules():
    for folder, subfolders, files in os.walk(PLUGIN):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def test_the_check_finds_qt5_only_code():
    source = (
        "from PyQt5.QtCore import QVariant\n"
        "import sip\n"
        "from qgis.PyQt.QtCore import Qt\n"
        "from qgis.core import Qgis, QgsWkbTypes\n"
        "a = Qt.AlignLeft\n"
        "b = Qgis.Critical\n"
        "c = QgsWkbTypes.Polygon\n"
        "dialog.exec_()\n"
        "ok = (Qt.AlignmentFlag.AlignLeft, Qgis.MessageLevel.Critical, QgsWkbTypes.Type.Polygon)\n")
    found = qt6_problems(source, "example.py")
    assert any(":1: from PyQt5.QtCore" in p for p in found)
    assert any(":2: import sip" in p for p in found)
    assert any(":5: Qt.AlignLeft is unscoped (write Qt.AlignmentFlag.AlignLeft)" in p for p in found)
    assert any(":6: Qgis.Critical is unscoped (write Qgis.MessageLevel.Critical)" in p for p in found)
    assert any(":7: QgsWkbTypes.Polygon is unscoped" in p for p in found)
    assert any(":8: .exec_" in p for p in found)
    assert not any(":9:" in p for p in found), found


def test_the_plugin_has_no_qt5_only_code():
    problems = []
    for path in plugin_modules():
        with open(path, encoding="utf-8") as handle:
            problems += qt6_problems(handle.read(), path)
    assert problems == []


def test_running_an_algorithm_warns_of_nothing_deprecated_in_our_code(run_algorithm):
    from qgis.core import QgsFeature, QgsVectorLayer

    layer = QgsVectorLayer("None?field=ID:string&field=YEAR:integer&field=U1:double"
                           "&field=U2:double", "t", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["a", 2020, 0.25, 1.0])
    layer.dataProvider().addFeatures([feature])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = run_algorithm("ccd:couplingcoordination", {
            "INPUT": layer, "SYSTEM_FIELDS": ["U1", "U2"], "ID_FIELD": "ID",
            "YEAR_FIELD": "YEAR", "OUTPUT": "memory:"})["OUTPUT"]
    ours = [f"{w.filename}:{w.lineno}: {w.message}" for w in caught
            if issubclass(w.category, DeprecationWarning)
            and os.path.abspath(w.filename).startswith(PLUGIN)]
    assert ours == []
    assert [f["C"] for f in out.getFeatures()] == [pytest.approx(0.8)]  # 2·sqrt(0.25)/1.25
