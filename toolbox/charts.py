"""Charts the tools return as PNG bytes (matplotlib, Agg backend); the study
report draws the same ones."""

import numpy as np
import pandas as pd

from .figures import grid_spacing, new_figure, png_bytes, text_inches

#: GeoDa's LISA cluster colours (DESIGN.md §2).
CLUSTER_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "LH": "#abd9e9", "HL": "#fdae61",
                   "NS": "#d3d3d3", "ISOLATED": "#ffffff"}
CLUSTER_ORDER = ("HH", "LL", "LH", "HL", "NS", "ISOLATED")


def moran_scatterplot(z, lag, clusters, title: str) -> bytes:
    """Moran scatterplot: standardised value against its spatial lag, points
    coloured by LISA cluster, with the least-squares line whose slope is I."""
    z, lag, clusters = np.asarray(z, float), np.asarray(lag, float), np.asarray(clusters, object)
    figure = new_figure(5.5, 5)
    axes = figure.subplots()
    for name in CLUSTER_ORDER:
        chosen = clusters == name
        if chosen.any():
            axes.scatter(z[chosen], lag[chosen], s=14, c=CLUSTER_COLOURS[name], label=name,
                         edgecolors="#555555", linewidths=0.3)
    finite = np.isfinite(z) & np.isfinite(lag) & (clusters != "ISOLATED")
    if finite.sum() > 1:
        slope = float(np.dot(z[finite], lag[finite]) / np.dot(z[finite], z[finite]))
        span = np.array([z[finite].min(), z[finite].max()])
        axes.plot(span, slope * span, color="black", linewidth=1, label=f"slope {slope:.3f}")
    axes.axhline(0, color="grey", linewidth=0.6)
    axes.axvline(0, color="grey", linewidth=0.6)
    axes.set_xlabel("standardised value z")
    axes.set_ylabel("spatial lag of z")
    axes.set_title(f"Moran scatterplot: {title}")
    axes.legend(loc="best", fontsize=8)
    return png_bytes(figure, False)


def importance_figure(importance: pd.DataFrame, synthetic: bool, group_name) -> bytes:
    """One panel per group: horizontal bars of each model's importance per driver.

    The bars of a model are one PolyCollection (what ``barh`` draws as one
    Rectangle patch per bar, each patch updating the data limits on its own)."""
    from matplotlib.collections import PolyCollection

    groups = list(dict.fromkeys(importance["GROUP"].astype(str)))
    models = list(dict.fromkeys(importance["MODEL"].astype(str)))
    drivers = list(dict.fromkeys(importance["DRIVER"].astype(str)))
    columns = min(len(groups), 2)
    rows = int(np.ceil(len(groups) / columns))
    height = max(2.5, 0.28 * len(drivers) * len(models) / 2.2 + 1.0)
    figure = new_figure(11, height * rows)
    labels = text_inches(figure, drivers, 8)
    grid_spacing(figure, rows, columns, left=labels + 0.25, right=0.15, top=0.35, bottom=0.58,
                 wgap=labels + 0.25, hgap=0.78)
    colours = ["#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854"]
    y = np.arange(len(drivers))
    bar = 0.8 / max(1, len(models))
    shown = importance.assign(GROUP=importance["GROUP"].astype(str), MODEL=importance["MODEL"].astype(str))
    for i, group in enumerate(groups):
        ax = figure.add_subplot(rows, columns, i + 1)
        part = shown[shown["GROUP"] == group]
        for j, model in enumerate(models):
            series = part[part["MODEL"] == model].set_index("DRIVER")["IMPORTANCE"]
            values = series.reindex(drivers).astype(float).to_numpy()
            centre = y + (j - (len(models) - 1) / 2) * bar
            bars = [[(min(0, v), c - bar / 2), (max(0, v), c - bar / 2), (max(0, v), c + bar / 2),
                     (min(0, v), c + bar / 2)] for v, c in zip(values, centre) if np.isfinite(v)]
            collection = PolyCollection(bars, facecolors=colours[j % len(colours)], edgecolors="none",
                                        label=model)
            collection.sticky_edges.x[:] = [0.0]  # the axis starts at 0, as barh's bars make it
            ax.add_collection(collection, autolim=True)
        ax.autoscale_view()
        ax.set_yticks(y, drivers, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("importance (sums to 1)")
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(("all units" if group == "all" else group_name(group))
                     + (" (SYNTHETIC)" if synthetic else ""), fontsize=10, loc="left")
        if i == 0:
            ax.legend(fontsize=8, frameon=False, loc="lower right")
    return png_bytes(figure, synthetic)


#: Colours of low and high driver values in SHAP plots (shap's own blue-to-red).
SHAP_CMAP = "coolwarm"


def _swarm_offsets(x, width=0.38, bins=60):
    """Vertical offsets that stack points of similar SHAP value side by side
    (the beeswarm layout of Lundberg's shap.plots.beeswarm): points are binned
    on the x axis and each bin's points alternate above and below the line."""
    if len(x) == 0:
        return np.zeros(0)
    span = np.ptp(x) or 1.0
    cells = np.minimum(((x - x.min()) / span * bins).astype(int), bins - 1)
    offsets = np.zeros(len(x))
    for cell in np.unique(cells):
        members = np.flatnonzero(cells == cell)
        rank = np.arange(len(members))
        offsets[members] = np.ceil(rank / 2) * np.where(rank % 2, 1, -1)
    # a fixed step up to 8 points each way, so that sparse bins stay close to the line
    return offsets * width / max(np.abs(offsets).max(), 8.0)


def _value_colours(values):
    """Driver values as 0..1 for the colour map, clipped at their 5th and 95th percentiles."""
    low, high = np.nanpercentile(values, [5, 95]) if len(values) else (0.0, 1.0)
    if high <= low:
        return np.full(len(values), 0.5)
    return np.clip((values - low) / (high - low), 0.0, 1.0)


def _top_drivers(part, top):
    """The ``top`` drivers of one model's SHAP rows by mean |SHAP|, largest first."""
    ranking = part.assign(ABS=part["SHAP"].abs()).groupby("DRIVER", sort=False)["ABS"].mean()
    return list(ranking.sort_values(ascending=False, kind="stable").index[:top])


def shap_beeswarm_figure(shap_values: pd.DataFrame, synthetic: bool, title: str, top=8) -> bytes:
    """One beeswarm panel per model: a row per leading driver (by mean |SHAP|),
    one point per explained row at its SHAP value, coloured by the driver's
    value (low blue, high red)."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable

    models = list(dict.fromkeys(shap_values["MODEL"].astype(str)))
    columns = min(len(models), 2)
    rows = int(np.ceil(len(models) / columns))
    figure = new_figure(11, max(3.0, 0.42 * top + 1.2) * rows)
    cmap = colormaps[SHAP_CMAP]
    for i, model in enumerate(models):
        ax = figure.add_subplot(rows, columns, i + 1)
        part = shap_values[shap_values["MODEL"].astype(str) == model]
        drivers = _top_drivers(part, top)
        xs, ys, colours = [], [], []
        for k, driver in enumerate(drivers):
            one = part[part["DRIVER"] == driver]
            x = one["SHAP"].to_numpy(dtype=float)
            xs.append(x)
            ys.append(k + _swarm_offsets(x))
            colours.append(cmap(_value_colours(one["VALUE"].to_numpy(float))))
        if drivers:  # one scatter of every row, drawn row after row as one scatter per row would be
            ax.scatter(np.concatenate(xs), np.concatenate(ys), c=np.concatenate(colours), s=7, linewidths=0,
                       alpha=0.85, rasterized=True)
        ax.axvline(0.0, color="#888888", linewidth=0.8)
        ax.set_yticks(np.arange(len(drivers)), drivers, fontsize=8)
        ax.set_ylim(len(drivers) - 0.5, -0.5)
        ax.set_xlabel("SHAP value (effect on the prediction)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(f"{title}: {model}" + (" (SYNTHETIC)" if synthetic else ""), fontsize=10,
                     loc="left")
    bar = figure.colorbar(ScalarMappable(cmap=cmap), ax=figure.axes, fraction=0.02, pad=0.02,
                          ticks=[0, 1])
    bar.ax.set_yticklabels(["low", "high"], fontsize=8)
    bar.set_label("driver value", fontsize=8)
    return png_bytes(figure, synthetic)


def shap_dependence_figure(shap_values: pd.DataFrame, synthetic: bool, title: str, top=3) -> bytes:
    """Dependence plots: per model (rows) its ``top`` drivers by mean |SHAP|
    (columns), each explained row's SHAP value against the driver's value."""
    models = list(dict.fromkeys(shap_values["MODEL"].astype(str)))
    figure = new_figure(3.6 * top, 2.7 * len(models))
    # room for tick labels of up to 8 characters at 7 points (ScalarFormatter's longest) and the
    # two-line axis label of the first column
    ticks = text_inches(figure, ["−0.00000"], 7)
    grid_spacing(figure, len(models), top, left=ticks + 0.4, right=0.15, top=0.34, bottom=0.51,
                 wgap=ticks + 0.23, hgap=0.55)
    shown = shap_values.assign(MODEL=shap_values["MODEL"].astype(str))
    for i, model in enumerate(models):
        part = shown[shown["MODEL"] == model]
        for k, driver in enumerate(_top_drivers(part, top)):
            ax = figure.add_subplot(len(models), top, i * top + k + 1)
            one = part[part["DRIVER"] == driver]
            ax.scatter(one["VALUE"], one["SHAP"], s=7, linewidths=0, alpha=0.7, color="#3b6fb6",
                       rasterized=True)
            ax.axhline(0.0, color="#888888", linewidth=0.8)
            ax.set_xlabel(driver, fontsize=8)
            ax.tick_params(labelsize=7)
            ax.locator_params(nbins=5)  # a dozen small panels: their shape is read, not their ticks
            ax.grid(alpha=0.3)
            if k == 0:
                ax.set_ylabel(f"{model}\nSHAP value", fontsize=8)
            if i == 0 and k == 0:
                ax.set_title(title + (" (SYNTHETIC)" if synthetic else ""), fontsize=10, loc="left")
    return png_bytes(figure, synthetic)
