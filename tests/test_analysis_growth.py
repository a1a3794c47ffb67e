"""analyze(): the work after the parse grows linearly with the article (counted, not timed)."""
from __future__ import annotations

import pytest

import framelens.analysis as analysis_module
from framelens.article import article_from_text
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


# An invented story whose speakers are found by descriptions ("the authority", "the director",
# "the spokesman", "the firm", "the Norwegian minister"), an untagged surname and an unnamed source
# named later: the rules that once read every earlier event, mention or quote row per description.
_DESCRIBED_CYCLE = [
    "The Harbour Authority of Velmar said on Monday that the new ferry terminal would open in spring. The authority said costs had risen by a third.",
    'Danish port director Anika Sorell told reporters the delay was regrettable. "We will keep the crossings running," the director said.',
    "A spokesman for the Transport Ministry said the ministry backed the plan. The spokesman said the budget was fixed, and Brenholt said he agreed.",
    "Danish Transport Minister Lars Holm visited Velmar on Tuesday. The Norwegian minister said the company would pay, and the Danish minister said it would not.",
    "Kestrel Lines, the operator, said it was ready. The firm added that prices would hold. The company said the Swedish president had asked for talks.",
]


def _described_story(paragraphs: int):
    body = "\n\n".join(_DESCRIBED_CYCLE[i % len(_DESCRIBED_CYCLE)] for i in range(paragraphs))
    return article_from_text(f"Velmar ferry terminal delayed again\n\n{body}\n", article_id=f"described-{paragraphs}")


@pytest.mark.slow
def test_speakers_found_by_description_cost_the_same_per_paragraph_at_any_length(nlp, monkeypatch):
    # As above, on whole cycles: the second difference was 9.9% of f(3n) while
    # _organisation_by_description, _known_name, _lead_person, the unnamed-source and
    # named-later searches read everything before (or after) each description; 0.08% now.
    analysis_module.analyze(_described_story(5), nlp)
    f1, f2, f3 = (_calls_after_the_parse(_described_story(n), nlp, monkeypatch) for n in (50, 100, 150))
    assert f1 < f2 < f3
    assert abs(f3 - 2 * f2 + f1) <= 0.005 * f3, (f1, f2, f3)
