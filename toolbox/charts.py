"""Charts the tools return as PNG bytes (matplotlib, Agg backend)."""

import io

import numpy as np

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
