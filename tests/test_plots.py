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
