"""The HTML summary the driveranalysis tool writes (its REPORT output)."""

import base64
import html

import pandas as pd

from .charts import importance_figure
from .html import CSS, html_table


def driver_summary(metrics: pd.DataFrame, importance: pd.DataFrame, method: str,
                   notes=()) -> str:
    """A self-contained HTML summary of one driver analysis (the driveranalysis
    tool's REPORT): Table 6 (fit), Table 7 (importance) and their bar chart."""
    chart = importance_figure(importance, False, str)
    wide = importance.pivot_table(index="DRIVER", columns=["GROUP", "MODEL"], values="IMPORTANCE",
                                  sort=False)
    wide.columns = [f"{g} · {m}" for g, m in wide.columns]
    keep = [c for c in ("GROUP", "MODEL", "SPLIT", "R2_TRAIN", "R2_TEST", "RMSE_TEST",
                        "R2_CV_MEAN", "R2_CV_STD", "ADJ_R2", "N_TRAIN", "N_TEST") if c in metrics]
    notes_html = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    image = base64.b64encode(chart).decode("ascii")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Driver analysis"
            f"</title><style>{CSS}</style></head><body><main>\n<h1>Driver analysis</h1>"
            f"<p class=\"method\">{html.escape(method)}</p>"
            "<h3>Table 6. Model fit (R²) per group, model and split</h3>"
            + html_table(metrics[keep])
            + "<h3>Table 7. Driver importance per group and model</h3>"
            "<p class=\"method\">Impurity importance (OLS: share of |standardised coefficient|); "
            "each column sums to 1.</p>" + html_table(wide.reset_index())
            + f'<figure><img alt="driver importance" src="data:image/png;base64,{image}">'
            "<figcaption>Driver importance per group; one bar per model.</figcaption></figure>"
            + (f"<h3>Notes</h3><ul>{notes_html}</ul>" if notes_html else "")
            + "\n</main></body></html>\n")
