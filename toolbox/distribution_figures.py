"""Figures of distribution dynamics as the genre prints them: overlaid yearly kernel
density curves, and the year × value × density surface (PNG bytes, matplotlib Agg)."""

import numpy as np

from .figures import new_figure, png_bytes


def density_curves(curves, value_label: str, note: str = "") -> bytes:
    """One panel per group (``all`` first), one curve per year, light to dark;
    ``note`` is printed below (e.g. that the data are synthetic)."""
    from matplotlib import colormaps

    groups = list(dict.fromkeys(curves["GROUP"]))
    figure = new_figure(5.5 * min(len(groups), 3), 4 * -(-len(groups) // 3))
    axes = np.atleast_1d(figure.subplots(-(-len(groups) // 3), min(len(groups), 3), squeeze=False)).ravel()
    years = sorted(curves["YEAR"].unique())
    ramp = colormaps["viridis"]
    for ax, group in zip(axes, groups):
        part = curves[curves["GROUP"] == group]
        for k, year in enumerate(years):
            line = part[part["YEAR"] == year]
            if len(line):
                ax.plot(line["X"], line["DENSITY"], color=ramp(k / max(len(years) - 1, 1)),
                        linewidth=1.2, label=str(year))
        ax.set_title(str(group))
        ax.set_xlabel(value_label)
        ax.set_ylabel("density")
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7, ncol=2 if len(years) > 8 else 1)
    return png_bytes(figure, False, note)


def density_surface(curves, value_label: str, group="all", note: str = "") -> bytes:
    """The 3-D surface of density over year and value for one group."""
    part = curves[curves["GROUP"] == group]
    years = sorted(part["YEAR"].unique())
    grid = np.sort(part["X"].unique())
    z = np.vstack([part[part["YEAR"] == year].sort_values("X")["DENSITY"].to_numpy() for year in years])
    figure = new_figure(7, 5)
    ax = figure.add_subplot(projection="3d")
    gx, gy = np.meshgrid(grid, np.asarray(years, dtype=float))
    ax.plot_surface(gx, gy, z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
    ax.set_xlabel(value_label)
    ax.set_ylabel("year")
    ax.set_zlabel("density")
    ax.view_init(elev=28, azim=-60)
    return png_bytes(figure, False, note)
