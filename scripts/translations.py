"""Keep the plugin's Qt translation source in step with the code.

``python scripts/translations.py update`` collects every user-facing string
the QGIS plugin shows — tool titles, groups, help, parameter descriptions,
option labels (from the toolbox declarations) and the ``tr("…")`` strings of
``qgis_plugin/`` — and merges them into ``qgis_plugin/i18n/ccd_zh.ts``: new
strings are added as unfinished, translations of strings still in use are
kept, the rest are dropped.

``python scripts/translations.py check`` exits 1 and lists the strings that
have no Chinese translation yet. ``build_plugin.py`` compiles the .ts into
the .qm that QGIS loads (Qt's ``lrelease``).
"""

import ast
import os
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TS_PATH = os.path.join(ROOT, "qgis_plugin", "i18n", "ccd_zh.ts")
CONTEXT = "ccd"


def declared_strings():
    """User-facing strings of every tool declaration, in menu order."""
    sys.path.insert(0, ROOT)
    from toolbox.parameters import EnumInput
    from toolbox.tools import TOOLS

    strings = []
    for tool in TOOLS:
        strings += [tool.title, tool.group, tool.help]
        for parameter in tool.parameters + tool.outputs:
            strings.append(parameter.description)
            if parameter.help:
                strings.append(parameter.help)
            if isinstance(parameter, EnumInput):
                strings += [label for _, label in parameter.options]
    return strings


def plugin_strings():
    """The literal ``tr("…")`` strings of the QGIS shell."""
    strings = []
    folder = os.path.join(ROOT, "qgis_plugin")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as source:
                tree = ast.parse(source.read())
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr"
                        and node.args and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    strings.append(node.args[0].value)
    return strings


def style_labels():
    """Legend labels of the shipped QML styles (translated when a style is applied)."""
    folder = os.path.join(ROOT, "qgis_plugin", "styles")
    labels = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".qml"):
            labels += [c.get("label") for c in ET.parse(os.path.join(folder, name)).iter("category")]
    return labels


def wanted_strings():
    seen, ordered = set(), []
    for text in plugin_strings() + style_labels() + declared_strings():
        if text and text not in seen:
            seen.add(text)
            ordered.append(text)
    return ordered


def read_translations(path=TS_PATH):
    """source → translation ('' when unfinished) of the .ts file."""
    if not os.path.exists(path):
        return {}
    translations = {}
    for message in ET.parse(path).getroot().iter("message"):
        translation = message.find("translation")
        finished = translation is not None and translation.get("type") != "unfinished"
        translations[message.findtext("source")] = (translation.text or "") if finished else ""
    return translations


def write_translations(strings, translations, path=TS_PATH):
    root = ET.Element("TS", version="2.1", language="zh_CN")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for text in strings:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = text
        translation = ET.SubElement(message, "translation")
        if translations.get(text):
            translation.text = translations[text]
        else:
            translation.set("type", "unfinished")
    ET.indent(root)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")


def untranslated():
    translations = read_translations()
    return [text for text in wanted_strings() if not translations.get(text)]


def main(argv):
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        strings = wanted_strings()
        write_translations(strings, read_translations())
        print(f"{TS_PATH}: {len(strings)} strings, {len(untranslated())} untranslated")
        return 0
    if command == "check":
        missing = untranslated()
        for text in missing:
            print("untranslated:", text.splitlines()[0][:100])
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
