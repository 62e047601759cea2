"""The self-contained HTML report of a study run, assembled from the steps.

Each step renders its own section from its Jinja2 template
(``toolbox/templates/<step>.html.j2``) with the variables its
:meth:`~toolbox.step.Step.report` returns and the helpers of :class:`Page`
(tables, figures, map rows); this module only orders the sections, numbers
the chapters and wraps them in ``report.html.j2``. Figures are embedded as
``data:`` URIs and the CSS is inline, so the one HTML file reads offline.
Every table and figure says SYNTHETIC when the data are the demo's.
"""

import base64
import html
import os
import re
from typing import Dict, List

import pandas as pd

from .figures import figure_fonts
from .html import CSS, html_table
from . import steps

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def environment():
    """The Jinja2 environment of the report templates (HTML autoescaped)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


class Page:
    """Helpers the templates call; each returns safe HTML."""

    def __init__(self, result, figures: Dict[str, bytes]):
        from markupsafe import Markup

        self._markup = Markup
        self.result, self.figures = result, figures
        self.synthetic = result.synthetic
        key = getattr(result, "figure_label_key", None)
        self.label_key = key.key() if key is not None else ""

    @property
    def tag(self):
        return self._markup(' <span class="tag">SYNTHETIC</span>' if self.synthetic else "")

    def method(self, name: str) -> str:
        return self.result.methods.get(name, "")

    def table(self, heading: str, table: pd.DataFrame, method: str, digits=3, total_rows=(),
              digits_by_column=None):
        """An ``<h3>`` heading, the how-computed line and the table."""
        note = html.escape(method) + (" Data: SYNTHETIC (demo), not real statistics."
                                      if self.synthetic else "")
        return self._markup(f"<h3>{html.escape(heading)}{self.tag}</h3>\n"
                            f'<p class="method">{note}</p>\n'
                            + html_table(table, digits=digits, total_rows=tuple(total_rows),
                                         digits_by_column=digits_by_column))

    def figure(self, name: str, caption: str):
        """The figure ``name`` with its caption, or nothing if it was not drawn."""
        png = self.figures.get(name)
        if png is None:
            return self._markup("")
        data = base64.b64encode(png).decode("ascii")
        text = html.escape(caption + (" SYNTHETIC data." if self.synthetic else ""))
        if self.label_key:
            text += " Labels: " + html.escape(self.label_key) + "."
        return self._markup(f'<figure><img alt="{html.escape(caption)}" '
                            f'src="data:image/png;base64,{data}"><figcaption>{text}</figcaption></figure>')

    def maps(self, heading: str, figures):
        """A row of figures (name, caption) under one heading, if any was drawn."""
        blocks = [self.figure(name, caption) for name, caption in figures]
        if not any(blocks):
            return self._markup("")
        return self._markup(f"<h3>{html.escape(heading)}{self.tag}</h3>"
                            f'<div class="maps">{"".join(blocks)}</div>')

    def note(self, text: str):
        """A highlighted note (a step or a part of it not computed)."""
        return self._markup(f'<p class="skipped">{html.escape(text)}</p>')


def step_figures(step, result) -> Dict[str, bytes]:
    """The figures of ``step`` as PNG bytes, by file name without ``.png``
    (none where the step is absent from the study or was skipped). The runner
    draws them as soon as the step is done, wherever it ran."""
    if not result.study.has(step.name) or _skipped(result, step.name):
        return {}
    with figure_fonts():
        return step.figures(result)


def _skipped(result, name):
    records = [r for r in result.steps if r.step == name]
    return records[0].note if records and records[0].status == "skipped" else None


def build_report(result, figures: Dict[str, bytes]) -> str:
    """The self-contained HTML report of ``result`` with ``figures`` (name → PNG) inline."""
    env = environment()
    page = Page(result, figures)
    study = result.study
    sections: List[str] = []
    chapter = 0
    for step in sorted(steps.all_steps(), key=lambda s: (s.report_order or s.order, s.order)):
        present, skipped = study.has(step.name), _skipped(result, step.name)
        if present and not skipped:
            variables = step.report(result) if step.template else None
            if variables is None and not step.chapter:
                continue
            body = (env.get_template(step.template).render(page=page, study=study, result=result, **variables)
                    if variables is not None else "")
        elif step.absent_note is not None:
            reason = skipped or f"the config has no [{step.name}] section"
            body = str(page.note(f"{step.absent_note} — not computed: {reason}."))
        else:
            continue
        if step.chapter:
            chapter += 1
            body = f"<h2>{chapter}. {html.escape(step.chapter)}</h2>\n" + body
        sections.append(body)
    data = study["data"]
    years = result.years
    step_rows = pd.DataFrame([{"step": r.label, "status": r.status, "seconds": round(r.seconds, 1),
                               "note": r.note} for r in result.steps])
    return env.get_template("report.html.j2").render(
        page=page, study=study, result=result, css=CSS, sections=sections,
        title=study["report"]["title"], units=result.results[data["id_field"]].nunique(),
        years=years, source=("bundled demo data (real polygons, SYNTHETIC panel)"
                             if data["source"] == "demo" else data["panel"]),
        steps=html_table(step_rows, digits=1) if len(step_rows) else "",
        tables=["results", *result.tables])


def heading_texts(report_html: str) -> List[str]:
    """The ``<h3>`` headings of a report (tests and tools that check its contents)."""
    return [html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
            for h in re.findall(r"<h3>(.*?)</h3>", report_html)]
