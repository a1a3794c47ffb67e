"""analyze(): the work after the parse grows linearly with the article (counted, not timed)."""
from __future__ import annotations

import pytest

import framelens.analysis as analysis_module
from framelens.nlp import parse_article

from counting import calls_made


def _calls_after_the_parse(article, nlp, monkeypatch) -> int:
    """Python and C calls made by analyze() once the Doc exists."""
    doc = parse_article(article, nlp)
    monkeypatch.setattr(analysis_module, "parse_article", lambda *_args, **_kw: doc)
    return calls_made(lambda: analysis_module.analyze(article, nlp))


@pytest.mark.slow
def test_work_after_the_parse_grows_linearly_with_length(nlp, long_article, monkeypatch):
    # Articles of n, 2n and 3n paragraphs repeating one cycle: linear work has a second
    # difference f(3n) - 2 f(2n) + f(n) of zero; work that rescans the article per entity,
    # quote or sentence adds a term in n squared and makes it grow (3-12% when the entity or
    # quote look-ups scanned every span).
    analysis_module.analyze(long_article(4), nlp)  # lexicons and codebook load outside the count
    f1, f2, f3 = (_calls_after_the_parse(long_article(n), nlp, monkeypatch) for n in (20, 40, 60))
    assert f1 < f2 < f3
    assert abs(f3 - 2 * f2 + f1) <= 0.01 * f3, (f1, f2, f3)
