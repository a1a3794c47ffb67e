"""Parses with NER's output replaced on purpose: the small model's misreadings, made reproducible.

A rule for a name the model mislabels is tested on a Doc whose entities are set by hand, so the
test does not depend on how the model happens to read an invented name.
"""
from __future__ import annotations

from framelens.article import Article, article_from_text
from framelens.nlp import parse_article


def parsed_with_ents(text: str, ents: list[tuple[str, str]], nlp) -> tuple[Article, "object"]:
    """(article, Doc) of ``text`` with the entities ``ents`` ((words, label), each the first occurrence
    after the previous one) instead of NER's."""
    from spacy.tokens import Span

    article = article_from_text(text)
    doc = parse_article(article, nlp)
    spans, searched_from = [], 0
    for words, label in ents:
        start = text.index(words, searched_from)
        searched_from = start + len(words)
        span = doc.char_span(start, start + len(words))
        spans.append(Span(doc, span.start, span.end, label=label))
    doc.ents = spans
    return article, doc
