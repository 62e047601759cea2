"""Write ``toolbox/declarations.json`` from the tools' declarations, for a
plugin run from a source tree.

``python scripts/tool_declarations.py update`` writes every tool's id, title,
group, help, parameters and outputs (:mod:`toolbox.declarations`) from
:data:`toolbox.tools.TOOLS`; ``check`` exits 1 when such a file exists and
differs from them. The file is not kept in the repository: the plugin zip
gets one generated when it is built (``scripts/build_plugin.py``), and a
source tree without it loads the tools themselves.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def expected() -> str:
    sys.path.insert(0, ROOT)
    from toolbox.declarations import declarations_text
    from toolbox.tools import TOOLS

    return declarations_text(TOOLS)


def main(argv) -> int:
    from toolbox.declarations import PATH

    if len(argv) != 2 or argv[1] not in ("update", "check"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    text = expected()
    current = open(PATH, encoding="utf-8").read() if os.path.exists(PATH) else None
    if argv[1] == "update":
        if current != text:
            with open(PATH, "w", encoding="utf-8") as handle:
                handle.write(text)
        print(f"{os.path.relpath(PATH, ROOT)}: {'unchanged' if current == text else 'written'}")
        return 0
    if current is not None and current != text:
        print(f"{os.path.relpath(PATH, ROOT)} differs from the tools' declarations: "
              "run python scripts/tool_declarations.py update", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    sys.exit(main(sys.argv))
