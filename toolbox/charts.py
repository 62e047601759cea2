"""Charts the tools return as PNG bytes (matplotlib, Agg backend); the study
report draws the same ones."""

import io

import numpy as np
import pandas as pd

from .figures import new_figure, png_bytes

#: GeoDa's LISA cluster colours (DESIGN.md §2).
CLUSTER_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "LH": "#abd9e9", "HL": "#fdae61",
                   "NS": "#d3d3d3", "ISOLATED": "#ffffff"}
CLUSTER_ORDER = ("HH", "LL", "LH", "HL", "NS", "ISOLATED")


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def moran_scatterplot(z, lag, clusters, title: str) -> bytes:
    """Moran scatterplot: standardised value against its spatial lag, points
    coloured by LISA cluster, with the least-squares line whose slope is I."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    z, lag, clusters = np.asarray(z, float), np.asarray(lag, float), np.asarray(clusters, object)
    figure = Figure(figsize=(5.5, 5))
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
    return _png(figure)


def importance_figure(importance: pd.DataFrame, synthetic: bool, group_name) -> bytes:
    """One panel per group: horizontal bars of each model's importance per driver."""
    groups = list(dict.fromkeys(importance["GROUP"].astype(str)))
    models = list(dict.fromkeys(importance["MODEL"].astype(str)))
    drivers = list(dict.fromkeys(importance["DRIVER"].astype(str)))
    columns = min(len(groups), 2)
    rows = int(np.ceil(len(groups) / columns))
    height = max(2.5, 0.28 * len(drivers) * len(models) / 2.2 + 1.0)
    figure = new_figure(11, height * rows)
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
    return png_bytes(figure, synthetic)
