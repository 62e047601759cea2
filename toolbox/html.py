"""HTML pieces every report shares: the inline CSS and readable tables."""

import html

import numpy as np
import pandas as pd

CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Microsoft YaHei",
"PingFang SC",sans-serif;margin:0;color:#222;background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1.2em 1.6em 3em;background:#fff}
h1{font-size:1.6em;margin:.4em 0}h2{font-size:1.25em;margin-top:2em;border-bottom:2px solid #ddd;
padding-bottom:.2em}h3{font-size:1.05em;margin:1.4em 0 .3em}
.synthetic{background:#fde0dd;border:1px solid #b2182b;color:#67001f;padding:.6em .9em;
border-radius:4px;font-weight:600}
.method{color:#555;font-size:.88em;margin:.2em 0 .5em}
.tag{color:#b2182b;font-weight:700;font-size:.85em}
table{border-collapse:collapse;font-size:.86em;margin:.3em 0 1em;font-variant-numeric:tabular-nums}
th,td{padding:.25em .6em;border-bottom:1px solid #e5e5e5;text-align:right;white-space:nowrap}
th{background:#f2f2f2;border-bottom:2px solid #bbb}
td.text,th.text{text-align:left}
tr.total td{font-weight:700;border-top:2px solid #bbb}
.scroll{overflow-x:auto}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.85em;color:#555}
.skipped{color:#8c510a;background:#fff7e6;padding:.4em .8em;border-left:3px solid #d8b365}
.maps{display:flex;flex-wrap:wrap;gap:1em}.maps figure{flex:1 1 480px}
code{background:#f3f3f3;padding:0 .25em;border-radius:3px}
"""


def cell_text(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}".replace(",", " ") if abs(int(value)) >= 10000 else str(int(value))
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.{digits}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text
    return str(value)


def html_table(df: pd.DataFrame, digits=3, total_rows=(), digits_by_column=None) -> str:
    """A readable HTML table: headers, numbers right-aligned and rounded, text left."""
    digits_by_column = digits_by_column or {}
    numeric = {c: pd.api.types.is_numeric_dtype(df[c]) for c in df.columns}
    head = "".join(f'<th class="{"" if numeric[c] else "text"}">{html.escape(str(c))}</th>'
                   for c in df.columns)
    body = []
    for position, row in enumerate(df.itertuples(index=False)):
        cells = []
        for column, value in zip(df.columns, row):
            text = html.escape(cell_text(value, digits_by_column.get(column, digits)))
            cells.append(f'<td class="{"" if numeric[column] else "text"}">{text}</td>')
        css = ' class="total"' if position in total_rows else ""
        body.append(f"<tr{css}>{''.join(cells)}</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')
