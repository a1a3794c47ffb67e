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
