"""docs/study-config.md's key tables are the step declarations, made anew."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_key_tables_are_generated_from_the_declarations():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import study_docs
    finally:
        sys.path.pop(0)
    with open(study_docs.DOC, encoding="utf-8") as handle:
        text = handle.read()
    assert "<!-- generated: keys -->" in text and "<!-- generated: steps -->" in text
    assert study_docs.generated(text) == text, "run: python scripts/study_docs.py update"
