"""The blind unga70 gold (offsets and hashes into ../shared/corpora/unga70): valid, and scored.

The 15 texts are third-party: they are read in place and never copied. These tests skip on a
clone without ../shared and fail under CI (CI=true) when it is missing.
"""
from __future__ import annotations


import pytest

from framelens.article import load_article
from framelens.config import GOLD_DIR
from framelens.evaluate import OFFSET_GOLD_COLUMNS, gold_set_scores, pooled, read_offset_gold
from shared_data import gold_copies_text, shared_corpus

GOLD = sorted((GOLD_DIR / "unga70").glob("*.quotes.tsv"))


@pytest.fixture(scope="module")
def corpus():
    return shared_corpus("unga70")


@pytest.fixture(scope="module")
def scores(corpus, nlp):
    return gold_set_scores([(corpus / f"{g.name.split('.')[0]}.txt", g) for g in GOLD], nlp=nlp)


def test_one_gold_file_per_article(corpus):
    assert len(GOLD) == 15
    assert {g.name.split(".")[0] for g in GOLD} == {p.stem for p in corpus.glob("*.txt")}


@pytest.mark.parametrize("gold", GOLD, ids=lambda g: g.name.split(".")[0])
def test_gold_matches_the_shared_text(gold, corpus):
    article = load_article(corpus / f"{gold.name.split('.')[0]}.txt")
    table = read_offset_gold(gold, article)  # raises when a hash does not match the text
    assert list(table["start_char"]) == sorted(table["start_char"])
    assert gold.read_text(encoding="utf-8").split("\n", 1)[0].split("\t") == OFFSET_GOLD_COLUMNS


def test_gold_holds_no_article_text(corpus):
    """Offsets and hashes only: no run of eight words from any shared article appears in a gold file."""
    for gold in GOLD:
        assert not gold_copies_text((corpus / f"{gold.name.split('.')[0]}.txt").read_text(encoding="utf-8"), gold), gold.name


# The targets on this gold (benchmarks/trust.py prints the table): pooled quote F1@0.3 at
# least 0.97, speaker accuracy at least 0.95, the top speaker right on every article.
def test_pooled_scores_meet_the_targets(scores):
    total = pooled(scores)
    assert total["f1_03"] >= 0.97
    assert total["speaker_accuracy"] >= 0.95
    assert total["top_speaker_wrong"] == 0


def test_share_of_voice_close_on_every_article(scores):
    assert (scores["voice_tvd"] <= 0.05).all(), scores.loc[scores["voice_tvd"] > 0.05, ["article", "voice_tvd"]].to_string()
    assert scores["voice_tvd"].mean() <= 0.02  # measured 0.006: a floor, so a regression shows


def test_evaluate_details_resolve_offset_gold_in_the_shared_text(corpus, nlp):
    """``framelens evaluate --details`` on offset gold: every row's text is the shared article's
    words at its offsets, and the rows add up to the scores (the texts stay in ../shared)."""
    from framelens.evaluate import score, score_details, system_and_gold

    for gold in GOLD:
        article, quotes, located = system_and_gold(corpus / f"{gold.name.split('.')[0]}.txt", gold, nlp=nlp)
        details = score_details(article, quotes, located)
        row = score(article, quotes, located, thresholds=(0.3,)).iloc[0]
        assert all(article.text[d.start_char : d.end_char] == d.text and d.text for d in details.itertuples())
        assert (details["problem"] == "missed").sum() == row.gold - row.found
        assert (details["problem"] == "wrong quote").sum() == row.system - row.correct
