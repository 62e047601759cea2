"""Figures and the self-contained HTML report of a study run.

Figures are drawn with matplotlib's Agg canvas (no pyplot state, no display)
and returned as PNG bytes; the report embeds them as ``data:`` URIs and
carries its CSS inline, so the one HTML file reads offline. The layout
follows the reference study's results: Table 2 (mean D per group and year),
Table 3 (tier counts), Tables 4–5 (Dagum), Table 6 (R²), Table 7
(importances), Table 8 (obstacles), then the spatial structure. Every table
and figure says SYNTHETIC when the data are the demo's.
"""

import base64
import functools
import html
import io
import re
import subprocess
from typing import Dict, List, Optional

import numpy as np
import pandas as pd

LISA_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "LH": "#abd9e9", "HL": "#fdae61",
                "NS": "#d9d9d9", "ISOLATED": "#ffffff"}
"""GeoDa's LISA cluster colours (DESIGN §2); islands white with a grey edge."""
LISA_NAMES = {"HH": "High-High", "LL": "Low-Low", "LH": "Low-High", "HL": "High-Low",
              "NS": "Not significant", "ISOLATED": "No neighbours"}
TIER_COLOURS = {2: ["#9ecae1", "#08519c"], 3: ["#fee391", "#fe9929", "#cc4c02"],
                4: ["#fee391", "#fec44f", "#ec7014", "#8c2d04"]}
NO_DATA = "#f0f0f0"
KNOWN_NAMES = {
    "珠三角": "Pearl River Delta", "长三角": "Yangtze River Delta", "京津冀": "Beijing-Tianjin-Hebei",
    "成渝": "Chengdu-Chongqing", "长江中游": "Middle Yangtze", "中原": "Central Plains",
    "关中平原": "Guanzhong Plain", "哈长": "Harbin-Changchun", "北部湾": "Beibu Gulf",
    "东部": "East", "中部": "Centre", "西部": "West", "东北": "Northeast",
}
"""English names of the demo's agglomerations and regions, for figures drawn without a CJK font."""
SYNTHETIC_MARK = "SYNTHETIC DATA"


# ----------------------------------------------------------------------------
# fonts and labels
# ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def cjk_font() -> Optional[str]:
    """The family name of an installed font with Chinese glyphs, or None.

    Asks fontconfig (``fc-list :lang=zh``) and registers the file with
    matplotlib; without fontconfig or such a font, figures use English or
    ASCII labels instead of drawing empty boxes.
    """
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                                 text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    from matplotlib import font_manager

    for line in listing.splitlines():
        path, _, family = line.partition(":")
        path = path.strip()
        if not path or not path.lower().endswith((".ttf", ".otf", ".ttc")):
            continue
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except Exception:
            continue
    return None


def _ascii(text: str) -> bool:
    return all(ord(c) < 0x2E80 for c in text)


class Labels:
    """Figure labels: the original text where the font can draw it, else the
    English name of a known group, else a short code listed under the figure."""

    def __init__(self):
        self.font = cjk_font()
        self.codes: Dict[str, str] = {}

    def __call__(self, value) -> str:
        text = str(value)
        if self.font or _ascii(text):
            return text
        if text in KNOWN_NAMES:
            return KNOWN_NAMES[text]
        if text not in self.codes:
            self.codes[text] = f"G{len(self.codes) + 1}"
        return self.codes[text]

    def key(self) -> str:
        return "; ".join(f"{code} = {name}" for name, code in self.codes.items())


def tier_name(tier, k: int) -> str:
    """``0 low`` … for three tiers, else ``tier 0`` (0 is the lowest)."""
    try:
        t = int(float(tier))
    except (TypeError, ValueError):
        return str(tier)
    if k == 3:
        return f"{t} " + ("low", "mid", "high")[t] if 0 <= t < 3 else str(t)
    if k == 2:
        return f"{t} " + ("low", "high")[t] if 0 <= t < 2 else str(t)
    return f"tier {t}"


def tier_colours(k: int) -> List[str]:
    if k in TIER_COLOURS:
        return TIER_COLOURS[k]
    from matplotlib import colormaps

    cmap = colormaps["YlOrBr"]
    return [cmap(0.2 + 0.75 * i / max(1, k - 1)) for i in range(k)]


# ----------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------


def _figure(width, height):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(figure)
    return figure


def _png(figure, synthetic: bool) -> bytes:
    if synthetic:
        # below everything already drawn (tick labels and axis titles reach under the axes)
        box = figure.get_tightbbox(figure.canvas.get_renderer())
        bottom = box.y0 / figure.get_figheight() - 0.01
        figure.text(0.5, bottom, SYNTHETIC_MARK + " — not real statistics", ha="center", va="top",
                    fontsize=8, color="#b2182b", transform=figure.transFigure,
                    weight="normal" if cjk_font() else "bold")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _title(ax, text, synthetic):
    ax.set_title(text + (" (SYNTHETIC)" if synthetic else ""), fontsize=11, loc="left")


def trend_figure(group_means: pd.DataFrame, value: str, group_label: str, synthetic: bool,
                 labels: Labels) -> bytes:
    """Lines of the mean value per group over the years; the overall mean dashed."""
    years = [c for c in group_means.columns if c not in ("GROUP", "MEAN")]
    x = [int(float(y)) for y in years]
    figure = _figure(9, 4.8)
    ax = figure.add_subplot()
    groups = group_means[group_means["GROUP"] != "overall"]
    from matplotlib import colormaps

    cmap = colormaps["tab10" if len(groups) <= 10 else "tab20"]
    for i, row in enumerate(groups.itertuples(index=False)):
        ax.plot(x, [row[j + 1] for j in range(len(years))],
                marker="o", markersize=3, linewidth=1.4, color=cmap(i % cmap.N), label=labels(row[0]))
    overall = group_means[group_means["GROUP"] == "overall"]
    if len(overall):
        ax.plot(x, overall.iloc[0][years].astype(float).to_numpy(), color="black", linestyle="--",
                linewidth=2.2, label="overall")
    ax.set_xlabel("year")
    ax.set_ylabel(f"mean {value}")
    ax.set_xticks(x)
    ax.tick_params(axis="x", labelrotation=45)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title=group_label)
    _title(ax, f"Mean {value} per {group_label} and year", synthetic)
    return _png(figure, synthetic)


def tier_count_figure(counts: pd.DataFrame, k: int, synthetic: bool) -> bytes:
    wide = counts.pivot(index="YEAR", columns="TIER", values="COUNT").fillna(0)
    colours = tier_colours(len(wide.columns))
    figure = _figure(8, 3.8)
    ax = figure.add_subplot()
    bottom = np.zeros(len(wide))
    x = np.arange(len(wide))
    for i, tier in enumerate(wide.columns):
        ax.bar(x, wide[tier].to_numpy(), bottom=bottom, color=colours[i % len(colours)],
               edgecolor="white", label=tier_name(tier, k))
        bottom += wide[tier].to_numpy()
    ax.set_xticks(x, [str(int(y)) for y in wide.index], rotation=45)
    ax.set_ylabel("units")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title="tier")
    _title(ax, "Units per tier and year", synthetic)
    return _png(figure, synthetic)


def _map_axes(figure, position=111):
    ax = figure.add_subplot(position)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def category_map(units, id_field: str, categories: pd.Series, colours: Dict, names: Dict,
                 title: str, synthetic: bool) -> bytes:
    """Polygons coloured by category (``categories`` indexed by unit id);
    units without a value in light grey; a legend with the count per category."""
    from matplotlib.patches import Patch

    values = categories.reindex(units[id_field]).to_numpy()
    bounds = units.total_bounds
    aspect = (bounds[3] - bounds[1]) / max(1e-9, bounds[2] - bounds[0])
    figure = _figure(8, max(3.5, min(9, 8 * aspect)))
    ax = _map_axes(figure)
    has = pd.notna(values)
    if (~has).any():
        units[~has].plot(ax=ax, color=NO_DATA, edgecolor="#bdbdbd", linewidth=0.2)
    handles = []
    for key, colour in colours.items():
        mask = has & (values == key)
        count = int(mask.sum())
        if count:
            edge = "#969696" if colour.lower() in ("#ffffff", "white") else "white"
            units[mask].plot(ax=ax, color=colour, edgecolor=edge, linewidth=0.25)
        handles.append(Patch(facecolor=colour, edgecolor="#969696", label=f"{names.get(key, key)} ({count})"))
    if (~has).any():
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#bdbdbd", label=f"no value ({int((~has).sum())})"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, framealpha=0.9)
    ax.set_title(title + (" (SYNTHETIC)" if synthetic else ""), fontsize=11, loc="left")
    return _png(figure, synthetic)


def moran_figure(moran: pd.DataFrame, value: str, synthetic: bool) -> bytes:
    figure = _figure(8, 3.6)
    ax = figure.add_subplot()
    years = moran["YEAR"].astype(int).to_numpy()
    values = moran["I"].astype(float).to_numpy()
    p = moran["P_SIM"].astype(float).to_numpy() if "P_SIM" in moran else np.full(len(moran), np.nan)
    ax.plot(years, values, color="#2c7bb6", linewidth=1.5)
    significant = p <= 0.05
    ax.scatter(years[significant], values[significant], color="#2c7bb6", zorder=3, label="p ≤ 0.05")
    ax.scatter(years[~significant], values[~significant], facecolor="white", edgecolor="#2c7bb6",
               zorder=3, label="p > 0.05")
    if "EI" in moran:
        ax.axhline(float(moran["EI"].iloc[0]), color="grey", linestyle=":", label="E[I]")
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_ylabel("Moran's I")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    _title(ax, f"Global Moran's I of {value} per year", synthetic)
    return _png(figure, synthetic)


def dagum_figure(dagum: pd.DataFrame, synthetic: bool) -> bytes:
    figure = _figure(10, 3.8)
    years = dagum["YEAR"].astype(int).to_numpy()
    ax = figure.add_subplot(121)
    for column, colour in (("G", "black"), ("GW", "#1b9e77"), ("GNB", "#d95f02"), ("GT", "#7570b3")):
        ax.plot(years, dagum[column].astype(float), marker="o", markersize=3, color=colour, label=column)
    ax.set_ylabel("Gini")
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelrotation=45)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    _title(ax, "Gini and its parts", synthetic)
    ax2 = figure.add_subplot(122)
    shares = [dagum[c].astype(float).to_numpy() for c in ("GW_SHARE", "GNB_SHARE", "GT_SHARE")]
    ax2.stackplot(years, *shares, colors=["#1b9e77", "#d95f02", "#7570b3"],
                  labels=["within", "net between", "transvariation"], alpha=0.85)
    ax2.set_ylim(0, 100)
    ax2.set_ylabel("share of G (%)")
    ax2.set_xticks(years)
    ax2.tick_params(axis="x", labelrotation=45)
    ax2.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _title(ax2, "Contributions", synthetic)
    figure.tight_layout()
    return _png(figure, synthetic)


def importance_figure(importance: pd.DataFrame, synthetic: bool, group_name) -> bytes:
    """One panel per group: horizontal bars of each model's importance per driver."""
    groups = list(dict.fromkeys(importance["GROUP"].astype(str)))
    models = list(dict.fromkeys(importance["MODEL"].astype(str)))
    drivers = list(dict.fromkeys(importance["DRIVER"].astype(str)))
    columns = min(len(groups), 2)
    rows = int(np.ceil(len(groups) / columns))
    height = max(2.5, 0.28 * len(drivers) * len(models) / 2.2 + 1.0)
    figure = _figure(11, height * rows)
    colours = ["#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854"]
    y = np.arange(len(drivers))
    bar = 0.8 / max(1, len(models))
    for i, group in enumerate(groups):
        ax = figure.add_subplot(rows, columns, i + 1)
        part = importance[importance["GROUP"].astype(str) == group]
        for j, model in enumerate(models):
            series = part[part["MODEL"].astype(str) == model].set_index("DRIVER")["IMPORTANCE"]
            values = series.reindex(drivers).astype(float).to_numpy()
            ax.barh(y + (j - (len(models) - 1) / 2) * bar, values, height=bar,
                    color=colours[j % len(colours)], label=model)
        ax.set_yticks(y, drivers, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("importance (sums to 1)")
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(("all units" if group == "all" else group_name(group))
                     + (" (SYNTHETIC)" if synthetic else ""), fontsize=10, loc="left")
        if i == 0:
            ax.legend(fontsize=8, frameon=False, loc="lower right")
    figure.tight_layout()
    return _png(figure, synthetic)


def obstacle_heatmap(matrix: pd.DataFrame, synthetic: bool, subsystems=()) -> bytes:
    """Indicators (rows) × groups (columns), mean obstacle degree in %; the
    subsystem sums (rows named in ``subsystems``) in a second panel with their
    own colour scale, so they do not wash out the indicators."""
    parts = [matrix.loc[[i for i in matrix.index if i not in subsystems]]]
    if any(i in subsystems for i in matrix.index):
        parts.append(matrix.loc[[i for i in matrix.index if i in subsystems]])
    heights = [max(1, len(p)) for p in parts]
    figure = _figure(2.4 + 1.3 * matrix.shape[1], 1.4 + 0.42 * sum(heights) + 0.5 * (len(parts) - 1))
    grid = figure.add_gridspec(len(parts), 1, height_ratios=heights, hspace=0.35)
    for n, part in enumerate(parts):
        ax = figure.add_subplot(grid[n])
        values = part.to_numpy(dtype=float)
        image = ax.imshow(values, cmap="OrRd", aspect="auto")
        ax.set_xticks(range(part.shape[1]), part.columns if n == len(parts) - 1 else [""] * part.shape[1],
                      rotation=30, ha="right", fontsize=9)
        ax.set_yticks(range(part.shape[0]), part.index, fontsize=9)
        top = np.nanmax(values) if np.isfinite(values).any() else 1
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=8,
                        color="white" if v > 0.6 * top else "black")
        figure.colorbar(image, ax=ax, label="%", shrink=0.9, pad=0.02)
        if n == 0:
            _title(ax, "Mean obstacle degree (%) over the years: indicators", synthetic)
        else:
            ax.set_title("subsystems (sum of their indicators)", fontsize=10, loc="left")
    return _png(figure, synthetic)


def _map_units(result):
    """The unit polygons simplified for drawing (cached on the result)."""
    cached = getattr(result, "_map_units", None)
    if cached is not None:
        return cached
    import shapely

    units = result.units[[result.study["data"]["id_field"], "geometry"]].copy()
    tolerance = result.study["report"]["map_tolerance"]
    if tolerance:
        geometry = units.geometry.to_numpy()
        simplified = shapely.simplify(geometry, tolerance, preserve_topology=False)
        bad = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
        simplified[bad] = geometry[bad]
        units = units.set_geometry(simplified)
    result._map_units = units
    return units


def render_figures(result) -> Dict[str, bytes]:
    """Every figure of the report as PNG bytes, by file name without ``.png``.

    With a CJK font installed (:func:`cjk_font`) it is put first in the
    sans-serif list for these figures only (``matplotlib.rc_context``)."""
    import matplotlib

    font = cjk_font()
    families = ([font] if font else []) + list(matplotlib.rcParams["font.sans-serif"])
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": families}):
        return _render_figures(result)


def _render_figures(result) -> Dict[str, bytes]:
    study, tables, synthetic = result.study, result.tables, result.synthetic
    id_field, year_field = study["data"]["id_field"], study["data"]["year_field"]
    labels = Labels()
    result.figure_label_key = labels
    figures: Dict[str, bytes] = {}
    k = study["tiers"]["k"] if study.has("tiers") else 3
    if "group_means" in tables:
        group = study["report"].get("group_field") or study["tiers"].get("group_field") or "tier"
        means = tables["group_means"]
        if group == "tier" or group == "TIER":
            means = means.assign(GROUP=[g if g == "overall" else tier_name(g, k) for g in means["GROUP"]])
        figures["trend_groups"] = trend_figure(means, study["tiers"]["value_field"], group, synthetic, labels)
    if "tier_counts" in tables:
        figures["tier_counts"] = tier_count_figure(tables["tier_counts"], k, synthetic)
    if "dagum" in tables:
        figures["dagum"] = dagum_figure(tables["dagum"], synthetic)
    has_units = result.units is not None
    if has_units and "TIER" in result.results.columns:
        units = _map_units(result)
        tiers = sorted(int(t) for t in pd.to_numeric(result.results["TIER"], errors="coerce").dropna().unique())
        colours = dict(zip(tiers, tier_colours(max(len(tiers), 2))))
        names = {t: tier_name(t, k) for t in tiers}
        for year in study["report"]["map_years"]:
            rows = result.results[pd.to_numeric(result.results[year_field]) == year]
            values = pd.Series(pd.to_numeric(rows["TIER"], errors="coerce").to_numpy(),
                               index=rows[id_field].to_numpy())
            figures[f"tier_map_{year}"] = category_map(
                units, id_field, values, colours, names, f"Coordination tiers, {year}", synthetic)
    if "moran" in tables and len(tables["moran"]):
        figures["moran"] = moran_figure(tables["moran"], study["spatial"]["value_field"], synthetic)
    if has_units and "lisa" in tables and "CLUSTER" in tables["lisa"]:
        units = _map_units(result)
        lisa = tables["lisa"]
        lisa_year = "YEAR" if "YEAR" in lisa.columns else year_field
        for year in study["spatial"]["lisa_years"]:
            rows = lisa[pd.to_numeric(lisa[lisa_year]) == year] if lisa_year in lisa else lisa
            values = pd.Series(rows["CLUSTER"].to_numpy(), index=rows[id_field].to_numpy())
            figures[f"lisa_map_{year}"] = category_map(
                units, id_field, values, LISA_COLOURS, LISA_NAMES,
                f"LISA clusters of {study['spatial']['value_field']}, {year}", synthetic)
    if "drivers_importance" in tables and len(tables["drivers_importance"]):
        figures["importance"] = importance_figure(
            tables["drivers_importance"], synthetic, lambda g: _group_title(g, study, k))
    if "obstacle_summary" in tables:
        matrix = obstacle_matrix(tables["obstacle_summary"], study, k)
        if matrix is not None:
            figures["obstacle_heatmap"] = obstacle_heatmap(
                matrix, synthetic, tuple((study["obstacles"].get("subsystems") or {}).keys()))
    return figures


def _group_title(group, study, k):
    if study.has("tiers") and study.has("drivers") and study["drivers"].get("group_field") == "TIER":
        return "tier " + tier_name(group, k)
    return str(group)


def obstacle_matrix(summary: pd.DataFrame, study, k) -> Optional[pd.DataFrame]:
    """Indicator (rows) × group (columns) matrix of the 'average' rows of the summary."""
    average = summary[summary["YEAR"].astype(str) == "average"]
    if not len(average):
        return None
    columns = [c for c in summary.columns if c.startswith("O_")]
    matrix = average.set_index("GROUP")[columns].T
    matrix.index = [c[2:] for c in columns]
    tiers = study.has("obstacles") and study["obstacles"].get("group_field") == "TIER"
    matrix.columns = ["all units" if g == "all" else (tier_name(g, k) if tiers else str(g))
                      for g in matrix.columns]
    return matrix


# ----------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------

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


def _fmt(value, digits: int) -> str:
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
            text = html.escape(_fmt(value, digits_by_column.get(column, digits)))
            cells.append(f'<td class="{"" if numeric[column] else "text"}">{text}</td>')
        css = ' class="total"' if position in total_rows else ""
        body.append(f"<tr{css}>{''.join(cells)}</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


class ReportBuilder:
    def __init__(self, result, figures: Dict[str, bytes]):
        self.result, self.figures = result, figures
        self.study = result.study
        self.synthetic = result.synthetic
        self.parts: List[str] = []
        self.k = self.study["tiers"]["k"] if self.study.has("tiers") else 3

    def add(self, text: str):
        self.parts.append(text)

    def tag(self) -> str:
        return ' <span class="tag">SYNTHETIC</span>' if self.synthetic else ""

    def table(self, heading: str, table: pd.DataFrame, method: str, **kwargs):
        self.add(f"<h3>{html.escape(heading)}{self.tag()}</h3>")
        self.add(f'<p class="method">{html.escape(method)}'
                 + (" Data: SYNTHETIC (demo), not real statistics." if self.synthetic else "") + "</p>")
        self.add(html_table(table, **kwargs))

    def figure(self, name: str, caption: str, wrap=True):
        png = self.figures.get(name)
        if png is None:
            return ""
        data = base64.b64encode(png).decode("ascii")
        key = getattr(getattr(self.result, "figure_label_key", None), "key", lambda: "")()
        text = html.escape(caption + (" SYNTHETIC data." if self.synthetic else ""))
        if key:
            text += " Labels: " + html.escape(key) + "."
        block = (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                 f"<figcaption>{text}</figcaption></figure>")
        if wrap:
            self.add(block)
        return block

    def skipped(self, step: str, what: str):
        records = [r for r in self.result.steps if r.step == step]
        if records and records[0].status == "skipped":
            reason = records[0].note
        elif not self.study.has(step):
            reason = f"the config has no [{step}] section"
        else:
            return False
        self.add(f'<p class="skipped">{html.escape(what)} — not computed: {html.escape(reason)}.</p>')
        return True

    def method(self, name: str) -> str:
        return self.result.methods.get(name, "")

    # -- sections -------------------------------------------------------------

    def header(self):
        study, result = self.study, self.result
        data = study["data"]
        title = study["report"]["title"]
        self.add(f"<h1>{html.escape(title)}</h1>")
        if self.synthetic:
            self.add('<p class="synthetic">SYNTHETIC DATA. The indicator panel is made up by a seeded '
                     "random generator (toolbox.demo_data); only the polygons are real. Nothing in "
                     "this report is a finding about any real place.</p>")
        years = result.years
        units = result.results[data["id_field"]].nunique()
        source = "bundled demo data (real polygons, SYNTHETIC panel)" if data["source"] == "demo" \
            else html.escape(data["panel"])
        self.add(f"<p>Data: {source}; {units} units, {years[0]}–{years[-1]} ({len(years)} years), "
                 f"{len(result.results)} unit-years. Config: <code>study-resolved.toml</code> in this "
                 "folder repeats the run exactly (<code>ccd run study-resolved.toml</code>).</p>")
        rows = pd.DataFrame([{"step": r.label, "status": r.status, "seconds": round(r.seconds, 1),
                              "note": r.note} for r in result.steps])
        if len(rows):
            self.add("<h3>Steps</h3>")
            self.add(html_table(rows, digits=1))

    def indices(self):
        study = self.study
        if not study.has("systems"):
            return
        self.add("<h2>1. Indices and coupling coordination</h2>")
        for name in study["systems"]:
            table = self.result.tables.get(f"weights_{name}")
            if table is not None:
                self.table(f"Entropy weights — {name}", table, self.method(f"weights_{name}"), digits=4)
        frame = self.result.results
        year = study["data"]["year_field"]
        if "D" in frame.columns:
            fields = [study["systems"][n]["index_field"] for n in study["coupling"]["systems"]]
            summary = frame.groupby(year)[fields + ["C", "T", "D"]].mean().reset_index()
            summary.columns = ["year"] + [f"mean {c}" for c in fields + ["C", "T", "D"]]
            c = study["coupling"]
            weights = ", ".join(f"{w:g}" for w in c["weights"]) if c.get("weights") else "equal"
            self.table("Table 1. Mean system indices, C, T and D per year", summary,
                       f"Coupling model: {c['model']}; T = Σ aᵢUᵢ with system weights {weights}; "
                       "D = √(C·T); means over all units of the year.")
            if "D_CLASS" in frame.columns:
                classes = pd.crosstab(frame[year], frame["D_CLASS"]).reset_index()
                classes.columns = ["year"] + [f"class {int(c)}" for c in classes.columns[1:]]
                self.table("D classes per year", classes,
                           "Units per class of D (1 = extreme imbalance 0–0.1 … 10 = high-quality "
                           "coordination 0.9–1).")

    def group_table(self):
        tables = self.result.tables
        self.add("<h2>2. Coordination by group and tier</h2>")
        if self.skipped("tiers", "Tables 2–3"):
            return
        means = tables["group_means"].copy()
        group = self.study["tiers"].get("group_field")
        if not group:
            means["GROUP"] = [g if g == "overall" else tier_name(g, self.k) for g in means["GROUP"]]
        else:
            means["GROUP"] = [f"{g} ({KNOWN_NAMES[g]})" if g in KNOWN_NAMES else g for g in means["GROUP"]]
        means = means.rename(columns={"GROUP": group or "tier", "MEAN": "mean"})
        self.table(f"Table 2. Mean {self.study['tiers']['value_field']} per {group or 'tier'} and year",
                   means, self.method("group_means"), total_rows=(len(means) - 1,))
        self.figure("trend_groups", f"Mean {self.study['tiers']['value_field']} per "
                    f"{group or 'tier'} and year; dashed: all units.")
        counts = tables["tier_counts"]
        wide = counts.pivot(index="YEAR", columns="TIER", values="COUNT").fillna(0).astype(int)
        wide.columns = [tier_name(c, self.k) for c in wide.columns]
        wide["total"] = wide.sum(axis=1)
        self.table("Table 3. Units per coordination tier and year", wide.reset_index().rename(
            columns={"YEAR": "year"}), self.method("tier_counts"))
        self.figure("tier_counts", "Units per tier and year.")
        thresholds = tables.get("tier_thresholds")
        if thresholds is not None:
            self.table("Tier thresholds", thresholds, self.method("tier_thresholds"), digits=4)
        maps = [self.figure(f"tier_map_{y}", f"Coordination tiers in {y}.", wrap=False)
                for y in self.study["report"]["map_years"]]
        if any(maps):
            self.add('<h3>Tier maps' + self.tag() + '</h3><div class="maps">' + "".join(maps) + "</div>")

    def dagum(self):
        self.add("<h2>3. Inequality: Dagum Gini decomposition</h2>")
        if self.skipped("dagum", "Tables 4–5"):
            return
        tables = self.result.tables
        dagum = tables["dagum"].rename(columns={"GW_SHARE": "GW %", "GNB_SHARE": "GNB %", "GT_SHARE": "GT %"})
        self.table("Table 4. Dagum Gini decomposition per year", dagum, self.method("dagum"),
                   digits_by_column={"GW %": 2, "GNB %": 2, "GT %": 2}, digits=4)
        pairs = tables["dagum_pairs"].copy()
        tiers = self.study["dagum"]["group_field"] == "TIER"
        name = (lambda g: tier_name(g, self.k)) if tiers else str
        pairs["pair"] = [f"G {name(a)}" if str(a) == str(b) else f"G {name(a)} vs {name(b)}"
                         for a, b in zip(pairs["GROUP_A"], pairs["GROUP_B"])]
        order = list(dict.fromkeys(pairs["pair"]))
        wide = pairs.pivot(index="YEAR", columns="pair", values="G_AB")[order].reset_index()
        self.table("Table 5. Within-group (G_jj) and between-group (G_jh) Gini per year", wide,
                   self.method("dagum_pairs"), digits=4)
        self.figure("dagum", "Gini and its decomposition per year.")

    def drivers(self):
        self.add("<h2>4. Drivers</h2>")
        if self.skipped("drivers", "Tables 6–7"):
            return
        tables = self.result.tables
        metrics = tables.get("drivers_metrics")
        k = self.k
        title = (lambda g: "all units" if str(g) == "all" else _group_title(g, self.study, k))
        if metrics is not None:
            shown = metrics.copy()
            shown["GROUP"] = [title(g) for g in shown["GROUP"]]
            keep = [c for c in ("GROUP", "MODEL", "SPLIT", "R2_TRAIN", "R2_TEST", "RMSE_TEST",
                                "R2_CV_MEAN", "R2_CV_STD", "ADJ_R2", "N_TRAIN", "N_TEST") if c in shown]
            self.table("Table 6. Model fit (R²) per group, model and split", shown[keep],
                       self.method("drivers_metrics"))
        importance = tables.get("drivers_importance")
        if importance is not None and len(importance):
            wide = importance.assign(GROUP=[title(g) for g in importance["GROUP"]]).pivot_table(
                index="DRIVER", columns=["GROUP", "MODEL"], values="IMPORTANCE", sort=False)
            wide.columns = [f"{g} · {m}" for g, m in wide.columns]
            self.table("Table 7. Driver importance per group and model", wide.reset_index(),
                       self.method("drivers_importance") + " Impurity importance (OLS: share of "
                       "|standardised coefficient|); each column sums to 1.")
            self.figure("importance", "Driver importance per group; one bar per model.")
        for name, table in tables.items():
            if name.startswith("drivers_") and name not in ("drivers_metrics", "drivers_importance"):
                self.add(f"<p class=\"method\">{html.escape(name)}: {len(table)} rows in "
                         f"<code>tables/{html.escape(name)}.csv</code> and the GeoPackage.</p>")

    def obstacles(self):
        self.add("<h2>5. Obstacles</h2>")
        if self.skipped("obstacles", "Table 8"):
            return
        summary = self.result.tables["obstacle_summary"]
        tiers = self.study["obstacles"].get("group_field") == "TIER"
        shown = summary.copy()
        shown["GROUP"] = [("all units" if g == "all" else tier_name(g, self.k) if tiers else g)
                          for g in shown["GROUP"]]
        subsystems = list((self.study["obstacles"].get("subsystems") or {}).keys())
        sub_columns = [f"O_{s}" for s in subsystems if f"O_{s}" in shown.columns]
        indicator_columns = [c for c in shown.columns if c.startswith("O_") and c not in sub_columns]
        average = shown[shown["YEAR"].astype(str) == "average"]
        self.table("Table 8. Mean obstacle degree (%) per group, averaged over the years",
                   average[["GROUP"] + sub_columns + indicator_columns].rename(
                       columns=lambda c: c[2:] if c.startswith("O_") else c),
                   self.method("obstacle_summary"), digits=2)
        if sub_columns:
            yearly = shown[shown["YEAR"].astype(str) != "average"]
            wide = yearly.pivot(index="YEAR", columns="GROUP", values=sub_columns)
            wide.columns = [f"{s[2:]} · {g}" for s, g in wide.columns]
            self.table("Table 8 (by year). Subsystem obstacle degree (%) per group and year",
                       wide.reset_index().rename(columns={"YEAR": "year"}), self.method("obstacle_summary"),
                       digits=2)
        self.figure("obstacle_heatmap", "Mean obstacle degree (%) of each indicator per group.")

    def spatial(self):
        self.add("<h2>6. Spatial structure</h2>")
        if self.skipped("spatial", "Moran's I and LISA"):
            return
        tables = self.result.tables
        for record in self.result.steps:
            if record.step == "spatial" and record.note.startswith("not run"):
                self.add(f'<p class="skipped">{html.escape(record.note)}</p>')
        moran = tables.get("moran")
        if moran is not None:
            self.table("Global Moran's I per year", moran, self.method("moran"), digits=4)
            self.figure("moran", "Global Moran's I per year; filled markers: pseudo p ≤ 0.05.")
        self.figure("localmoran_scatterplot", "Moran scatterplot of the last year (drawn by the "
                    "localmoran tool).")
        lisa = tables.get("lisa")
        if lisa is not None and "CLUSTER" in lisa:
            year = "YEAR" if "YEAR" in lisa else self.study["data"]["year_field"]
            counts = pd.crosstab(lisa[year], lisa["CLUSTER"])
            counts = counts[[c for c in LISA_COLOURS if c in counts.columns]].reset_index()
            self.table("LISA clusters per year (number of units)", counts, self.method("lisa"))
            maps = [self.figure(f"lisa_map_{y}", f"LISA clusters in {y} (GeoDa colours).", wrap=False)
                    for y in self.study["spatial"]["lisa_years"]]
            if any(maps):
                self.add('<h3>LISA cluster maps' + self.tag() + '</h3><div class="maps">'
                         + "".join(maps) + "</div>")
        for name, table in tables.items():
            if name.startswith("markov_"):
                self.table(f"Spatial Markov: {name[7:]}", table.head(60), self.method(name), digits=3)

    def footer(self):
        tables = ", ".join(f"<code>{html.escape(n)}</code>" for n in ["results", *self.result.tables])
        self.add("<h2>Files</h2><p>Every table is a layer of <code>study.gpkg</code> and a CSV in "
                 f"<code>tables/</code>: {tables}. The layer <code>units</code> holds the polygons, "
                 "<code>results</code> the unit-year results with their geometry. Figures are in "
                 "<code>figures/</code>; the tools' messages in <code>log.txt</code>.</p>")

    def build(self) -> str:
        self.header()
        self.indices()
        self.group_table()
        self.dagum()
        self.drivers()
        self.obstacles()
        self.spatial()
        self.footer()
        title = html.escape(self.study["report"]["title"])
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}"
                f"</title><style>{CSS}</style></head><body><main>\n" + "\n".join(self.parts)
                + "\n</main></body></html>\n")


def build_report(result, figures: Dict[str, bytes]) -> str:
    """The self-contained HTML report of ``result`` with ``figures`` (name → PNG) inline."""
    return ReportBuilder(result, figures).build()


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


def heading_texts(report_html: str) -> List[str]:
    """The ``<h3>`` headings of a report (tests and tools that check its contents)."""
    return [html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
            for h in re.findall(r"<h3>(.*?)</h3>", report_html)]
