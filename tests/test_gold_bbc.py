"""The blind BBC gold (offsets and hashes into ../shared/corpora/bbc-news): valid, and scored.

data/gold/bbc/: 12 politics articles annotated blind, first scored before any rule looked at them,
then used to write rules. data/gold/bbc_b/: 10 more, annotated blind and never looked at when
writing rules (the held-out set; see their READMEs). The texts are third-party: read in place,
never copied. Skips on a clone without ../shared, fails under CI (CI=true) when it is missing.
"""
from __future__ import annotations


import pytest

from framelens.config import GOLD_DIR
from framelens.corpus import load_corpus
from framelens.evaluate import OFFSET_GOLD_COLUMNS, gold_set_scores, pooled, read_offset_gold
from shared_data import gold_copies_text, shared_corpus

GOLD = sorted((GOLD_DIR / "bbc").glob("*.quotes.tsv"))
HELD_OUT = sorted((GOLD_DIR / "bbc_b").glob("*.quotes.tsv"))


@pytest.fixture(scope="module")
def articles():
    wanted = {g.name.split(".")[0] for g in GOLD + HELD_OUT}
    return {a.id: a for a in load_corpus(shared_corpus("bbc-news", "bbc-news.jsonl")) if a.id in wanted}


@pytest.fixture(scope="module")
def scores(articles, nlp):
    return gold_set_scores([(articles[g.name.split(".")[0]], g) for g in GOLD], nlp=nlp)


def test_twelve_and_ten_articles_each_with_speakers(articles):
    assert len(GOLD) == 12 and len(HELD_OUT) == 10 and len(articles) == 22
    assert all(g.with_name(g.name.replace("quotes", "speakers")).is_file() for g in GOLD + HELD_OUT)


def test_gold_matches_the_shared_text_and_holds_none_of_it(articles):
    for gold in GOLD + HELD_OUT:
        article = articles[gold.name.split(".")[0]]
        table = read_offset_gold(gold, article)  # raises when a hash does not match the text
        assert list(table["start_char"]) == sorted(table["start_char"])
        assert gold.read_text(encoding="utf-8").split("\n", 1)[0].split("\t") == OFFSET_GOLD_COLUMNS
        assert not gold_copies_text(article.text, gold), gold.name


# Floors just under what was measured (benchmarks/trust.md): a regression on text the rules were
# not written against shows here. The targets (speaker accuracy 0.95, share-of-voice
# distance 0.05 per article) are not met on this set yet; see the note on issue 8.
def test_held_out_scores_stay_at_their_measured_level(scores):
    total = pooled(scores)
    assert total["f1_03"] >= 0.97
    assert total["speaker_accuracy"] >= 0.88
    assert total["top_speaker_wrong"] == 0
    assert total["mean_voice_tvd"] <= 0.11


# Measured on 2026-12-01 without looking at its errors: F1 0.975, speaker accuracy 0.873, mean
# distance 0.126, top speaker wrong on 2 of 10. Floors just under, so a regression shows.
def test_untouched_held_out_scores_stay_at_their_measured_level(articles, nlp):
    total = pooled(gold_set_scores([(articles[g.name.split(".")[0]], g) for g in HELD_OUT], nlp=nlp))
    assert total["f1_03"] >= 0.96
    assert total["speaker_accuracy"] >= 0.86
    assert total["top_speaker_wrong"] <= 2
    assert total["mean_voice_tvd"] <= 0.14
