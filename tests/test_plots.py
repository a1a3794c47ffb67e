"""Charts draw article text as plain text: no mathtext, whatever the labels hold."""
from __future__ import annotations

import pandas as pd

from framelens import plots


def test_labels_with_dollar_signs_are_drawn_as_written(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    names = ["$\\nosuchcommand$ Fund", "$\\frac{1}{0}$ Fund", "Price $5 and $", "Group $_{x", "A \\$ B"]
    actors = pd.DataFrame({"canonical": names, "label": ["ORG"] * 5, "mentions": [5, 4, 3, 2, 1]})
    ax = plots.top_actors(actors)
    written = plots.save_figure(ax.figure, tmp_path, "top_actors")  # drawing used to raise ParseException
    assert all(p.stat().st_size > 1000 for p in written)
    labels = {t.get_text() for t in ax.get_yticklabels()}
    assert set(names) <= labels


def test_a_saved_unchanged_figure_is_shown_as_its_saved_png(tmp_path):
    """show_saved_figures (the report kernel's): a figure save_figure wrote is displayed from its
    PNG, not drawn again; a figure changed after saving, or never saved, is drawn as before."""
    import matplotlib

    matplotlib.use("Agg")
    from types import SimpleNamespace

    from IPython.core.formatters import PNGFormatter
    from matplotlib.figure import Figure

    formatter = PNGFormatter()
    formatter.for_type(Figure, lambda fig: b"drawn")  # stands in for the inline backend's printer
    plots.show_saved_figures(SimpleNamespace(display_formatter=SimpleNamespace(formatters={"image/png": formatter})))
    actors = pd.DataFrame({"canonical": ["Ada Vale", "Port Board"], "label": ["PERSON", "ORG"], "mentions": [3, 2]})
    ax = plots.top_actors(actors)
    png, _svg = plots.save_figure(ax.figure, tmp_path, "top_actors")
    data, size = formatter(ax.figure)
    assert data == png.read_bytes() and size["width"] > 100 and size["height"] > 50
    ax.set_title("changed after saving")
    assert formatter(ax.figure) == b"drawn"
    assert formatter(plots.top_actors(actors).figure) == b"drawn"


def _pixels(source):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(source).convert("RGBA")).astype(int)


def _same_figure_saved_by_savefig(make, tmp_path):
    figure = make()
    figure.savefig(tmp_path / "savefig.png", dpi=plots.SAVE_DPI, bbox_inches="tight")
    return _pixels(tmp_path / "savefig.png")


def test_a_saved_png_is_what_savefig_writes(tmp_path):
    """save_figure cuts the PNG from the draw that lays the figure out (one draw, not savefig's
    two): the same size and the same picture as savefig(bbox_inches="tight"), to within the
    half pixel by which savefig may place the drawing differently."""
    import matplotlib

    matplotlib.use("Agg")
    actors = pd.DataFrame({"canonical": ["Ada Vale", "Port Board", "Lowmarsh"], "label": ["PERSON", "ORG", "GPE"], "mentions": [5, 3, 1]})
    make = lambda: plots.top_actors(actors).figure  # noqa: E731
    png, _svg = plots.save_figure(make(), tmp_path, "top_actors")
    ours, theirs = _pixels(png), _same_figure_saved_by_savefig(make, tmp_path)
    assert ours.shape == theirs.shape
    assert abs(ours - theirs).mean() < 1.5  # out of 255; a chart drawn elsewhere or cut wrongly differs by far more


def test_a_figure_drawn_past_its_edges_is_saved_whole(tmp_path):
    """Text outside the figure is kept, as savefig's tight box keeps it (save_figure then lets savefig save it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def make():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [0, 1])
        ax.text(1.4, 0.5, "a label past the right edge", transform=ax.transAxes)
        return fig

    png, _svg = plots.save_figure(make(), tmp_path, "past_the_edge")
    ours, theirs = _pixels(png), _same_figure_saved_by_savefig(make, tmp_path)
    assert ours.shape[1] > 3 * plots.SAVE_DPI  # wider than the figure itself
    assert ours.shape == theirs.shape and abs(ours - theirs).mean() < 1.5
