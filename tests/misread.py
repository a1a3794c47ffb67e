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


def with_arcs(doc, arcs: dict[int, tuple[int, str]]):
    """A copy of ``doc`` with the parser's arcs for some tokens replaced: ``{token: (head, dep)}``.

    To test a rule for a misparse the model makes on a real article but not on a short invented one."""
    from spacy.tokens import Doc

    heads = [arcs.get(t.i, (t.head.i, t.dep_))[0] for t in doc]
    deps = [arcs.get(t.i, (t.head.i, t.dep_))[1] for t in doc]
    ents = [f"B-{t.ent_type_}" if t.ent_iob_ == "B" else f"I-{t.ent_type_}" if t.ent_iob_ == "I" else "O" for t in doc]
    return Doc(
        doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc],
        tags=[t.tag_ for t in doc], pos=[t.pos_ for t in doc], lemmas=[t.lemma_ for t in doc],
        heads=heads, deps=deps, ents=ents,
    )
