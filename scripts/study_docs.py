"""Generate the key tables of ``docs/study-config.md`` from the step declarations.

``python scripts/study_docs.py update`` rewrites the parts of the document
between ``<!-- generated: NAME -->`` and ``<!-- end generated -->`` (the
steps table and every section's key table) from :mod:`toolbox.steps` and
:mod:`toolbox.study`; ``check`` exits 1 when the document is out of date.
The declarations are the single source: a new step's keys reach the
documentation by running ``update``.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "study-config.md")
BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _default(key) -> str:
    from toolbox.config import REQUIRED, dump_toml

    if key.default is REQUIRED:
        return "**required**"
    if key.default is None:
        return "—"
    return "`" + dump_toml({"x": key.default}).strip()[4:].replace("\n", " ").replace("    ", "") + "`"


def key_table(rows) -> str:
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    lines += [f"| `{path}` | {key.type} | {_cell(_default(key))} | {_cell(key.doc)} |" for path, key in rows]
    return "\n".join(lines) + "\n"


def steps_table() -> str:
    from toolbox.steps import all_steps

    lines = ["| section | tool | adds to the unit-year table | tables |", "|---|---|---|---|"]
    for step in all_steps():
        if not step.tools:
            continue
        section = f"`[{step.name}.NAME]` (one per system, in file order)" if step.named else f"`[{step.name}]`"
        tools = ", ".join(f"`{t}`" for t in step.tools)
        tables = ", ".join(f"`{name}` ({title})" if not name.startswith("(") else name
                           for name, title in step.tables.items()) or "—"
        lines.append(f"| {section} | {tools} | {step.adds} | {tables} |")
    return "\n".join(lines) + "\n"


def keys_section() -> str:
    from toolbox.steps import all_steps
    from toolbox.study import TOP_KEYS, sections

    named = {step.name for step in all_steps() if step.named}
    parts = [key_table([(key.name, key) for key in TOP_KEYS])]
    for name, keys in sections():
        prefix = f"{name}.NAME" if name in named else name
        parts.append(f"\n### `[{name}]`\n\n" + key_table([(f"{prefix}.{key.name}", key) for key in keys]))
    return "".join(parts)


def generated(text: str) -> str:
    """``text`` with every generated block made anew."""
    makers = {"steps": steps_table, "keys": keys_section}

    def replace(match):
        return match.group(1) + makers[match.group(2)]() + match.group(4)

    return BLOCK.sub(replace, text)


def main(argv) -> int:
    sys.path.insert(0, ROOT)
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    fresh = generated(text)
    if argv[1:] == ["update"]:
        with open(DOC, "w", encoding="utf-8") as handle:
            handle.write(fresh)
        return 0
    if argv[1:] == ["check"]:
        if fresh != text:
            print(f"{DOC} is out of date: run python scripts/study_docs.py update", file=sys.stderr)
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
