"""Token and sentence tables, spaCy vs NLTK, frequencies, collocations, KWIC."""
from __future__ import annotations

import pytest

from framelens import tokens as T

TEXT = (
    "The long-term plan for the harbour was approved on Monday.\n"
    "Harbour workers said the long-term plan was fair. The harbour master agreed.\n"
    "Share this article"
)


@pytest.fixture()
def small(make_analysis):
    return make_analysis(TEXT)


def test_token_table_columns_and_offsets(small):
    tokens = small.tokens
    assert list(tokens.columns) == [
        "paragraph", "role", "sentence", "i", "text", "lower", "lemma", "pos", "is_stop", "is_punct", "like_num", "start_char"
    ]
    for row in tokens.itertuples():
        assert small.article.text[row.start_char : row.start_char + len(row.text)] == row.text
    assert set(tokens["role"]) == {"body", "boilerplate"}


def test_sentence_table(small):
    sentences = small.sentences
    assert list(sentences["paragraph"]) == [0, 1, 1, 2]
    for row in sentences.itertuples():
        assert small.article.text[row.start_char : row.end_char] == row.text


def test_word_frequencies_drop_stop_words_and_furniture(small):
    freq = T.word_frequencies(small.tokens)
    counts = dict(zip(freq["word"], freq["count"]))
    assert counts["harbour"] == 3
    assert "the" not in counts and "share" not in counts
    assert abs(freq["share"].sum() - 1) < 1e-9
    lemmas = dict(zip(*T.word_frequencies(small.tokens, lemma=True)[["word", "count"]].T.values))
    assert lemmas["plan"] == 2


def test_collocations_rank_repeated_pairs(small):
    pairs = T.collocations(small.tokens, min_freq=2)
    assert set(pairs["bigram"]) == {"long term", "term plan"}  # punctuation dropped: long-term -> long, term
    assert {"bigram", "w1", "w2", "freq", "llr"} <= set(pairs.columns)
    assert (pairs["freq"] >= 2).all()


def test_kwic_finds_single_words_and_phrases(small):
    lines = T.kwic(small.tokens, "harbour")
    assert len(lines) == 3
    assert list(lines["keyword"].str.lower()) == ["harbour"] * 3
    phrase = T.kwic(small.tokens, "harbour master")
    assert len(phrase) == 1 and phrase.iloc[0]["keyword"] == "harbour master"
    assert T.kwic(small.tokens, "submarine").empty


def test_spacy_and_nltk_disagree_on_hyphenated_words(small):
    diff = T.tokenizer_comparison(small.doc, small.article)
    assert set(diff["text"]) == {"long-term"}
    row = diff.iloc[0]
    assert row["spacy"] == "long | - | term" and row["nltk"] == "long-term"
    summary = T.tokenizer_summary(small.doc, small.article).set_index("tokeniser")
    assert summary.loc["spaCy", "tokens"] == summary.loc["NLTK Treebank + Punkt", "tokens"] + 4


def test_nltk_spans_need_no_downloaded_data(tmp_path, monkeypatch):
    import nltk

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])  # nothing to find
    spans = T.nltk_token_spans('He said: "It works." Then he left.')
    assert len(spans) >= 10


def test_tokens_where_finds_every_token_of_the_wanted_words_in_order(small):
    doc = small.doc
    wanted = {t.lower_ for t in doc if t.is_alpha}
    some = set(sorted(wanted)[::3])
    found = T.tokens_where(doc, "LOWER", some.__contains__)
    assert [t.i for t in found] == [t.i for t in doc if t.lower_ in some]
    assert T.tokens_where(doc, "LEMMA", lambda lemma: False) == []


def test_sentence_ids_number_the_sentences_of_the_sentence_table(small):
    ids = T.sentence_ids(small.doc)
    table = T.sentence_table(small.doc, small.article)
    for row in table.itertuples(index=False):
        first = small.doc.char_span(row.start_char, row.end_char, alignment_mode="expand")[0]
        assert ids[first.i] == row.sentence


def test_sentence_offsets_from_the_arrays_match_the_sentence_spans(nlp, seed_article):
    """sentence_table reads sentences from the Doc's arrays: the same as walking doc.sents."""
    from framelens.article import article_from_text
    from framelens.nlp import parse_article
    from framelens.tokens import _sentence_chars

    invented = article_from_text(
        "Harbour news\n\n\n   \n\nThe pier at the end of the bay reopened today.  It rained on and off in the town.\n\n"
        " \"It is good to be back,\" said Ona Vell, who has the cafe on the pier.  \n"
    )
    for article in (seed_article, invented):
        doc = parse_article(article, nlp)
        expected = []
        for sent in (s for s in doc.sents if s.text.strip()):
            while len(sent) and sent[-1].is_space:
                sent = sent[:-1]
            expected.append((sent.start_char, sent.end_char))
        starts, ends = _sentence_chars(doc)
        assert list(zip(starts.tolist(), ends.tolist())) == expected
