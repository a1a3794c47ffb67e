"""The blind BBC gold (offsets and hashes into ../shared/corpora/bbc-news): valid, and scored.

data/gold/bbc/: 12 politics articles annotated blind, first scored before any rule looked at them,
then used to write rules; data/gold/bbc_b/: 10 more, the same (held out for one session, then
used). data/gold/bbc_c/: 12 business, entertainment, sport and tech articles, annotated blind and
held out for several sessions, then used to write rules (see their READMEs); data/gold/bbc_d/: 12 more
from those genres, annotated blind, first scored, then used to write rules; data/gold/bbc_e/: 14
of all five genres, annotated blind at the end of a session, held out for several sessions, then used;
data/gold/bbc_f/: 20 of all five genres, annotated blind, first scored, then used to write rules;
data/gold/bbc_g/: 14 of all five genres, annotated blind at the end of a session and scored once, then used
in the next; data/gold/bbc_h/: 14, annotated at the start of a session and scored once at its end (held
out); data/gold/bbc_i/, bbc_j/, bbc_k/: 17, 14 and 14, each scored once before any rule, then used to write
rules; data/gold/bbc_l/: 13, annotated at the start of a session and scored once at its end (held out);
data/gold/bbc_m/: 14, scored once before any rule, then used to write rules; data/gold/bbc_n/: 14, annotated
at the start of a session and scored once at its end (held out). The texts are third-party: read in place,
never copied. Skips on a clone without ../shared, fails under CI (CI=true) when it is missing.
"""
from __future__ import annotations


import pytest

from framelens.config import GOLD_DIR
from framelens.corpus import load_corpus
from framelens.evaluate import OFFSET_GOLD_COLUMNS, gold_set_scores, pooled, read_offset_gold
from shared_data import gold_copies_text, shared_corpus

# The sets in the order annotated (data/gold/bbc*/), each a sorted list of its quote files.
FOLDERS = ("bbc", "bbc_b", "bbc_c", "bbc_d", "bbc_e", "bbc_f", "bbc_g", "bbc_h", "bbc_i", "bbc_j", "bbc_k", "bbc_l", "bbc_m", "bbc_n")
SETS = {folder: sorted((GOLD_DIR / folder).glob("*.quotes.tsv")) for folder in FOLDERS}
GOLD, SECOND, HELD_OUT, FOURTH, FRESH, SIXTH, SEVENTH, SET_H, SET_I, SET_J, SET_K, SET_L, SET_M, SET_N = SETS.values()
EVERY = [gold for golds in SETS.values() for gold in golds]


@pytest.fixture(scope="module")
def articles():
    wanted = {g.name.split(".")[0] for g in EVERY}
    return {a.id: a for a in load_corpus(shared_corpus("bbc-news", "bbc-news.jsonl")) if a.id in wanted}


@pytest.fixture(scope="module")
def scores(articles, nlp):
    return gold_set_scores([(articles[g.name.split(".")[0]], g) for g in GOLD], nlp=nlp)


def set_scores(golds, articles, nlp) -> dict:
    return pooled(gold_set_scores([(articles[g.name.split(".")[0]], g) for g in golds], nlp=nlp))


def test_three_sets_each_article_with_speakers(articles):
    sizes = [len(golds) for golds in SETS.values()]
    assert sizes == [12, 10, 12, 12, 14, 20, 14, 14, 17, 14, 14, 13, 14, 14]
    assert len(articles) == sum(sizes)
    assert all(g.with_name(g.name.replace("quotes", "speakers")).is_file() for g in EVERY)


def test_gold_matches_the_shared_text_and_holds_none_of_it(articles):
    for gold in EVERY:
        article = articles[gold.name.split(".")[0]]
        table = read_offset_gold(gold, article)  # raises when a hash does not match the text
        assert list(table["start_char"]) == sorted(table["start_char"])
        assert gold.read_text(encoding="utf-8").split("\n", 1)[0].split("\t") == OFFSET_GOLD_COLUMNS
        assert not gold_copies_text(article.text, gold), gold.name


# Floors just under what was measured (benchmarks/trust.md): a regression shows here. The issue's
# targets (speaker accuracy 0.95, share-of-voice distance 0.05 per article) are not met on the
# held-out set yet; see the notes on issue 8.
def test_first_set_scores_stay_at_their_measured_level(scores):
    total = pooled(scores)
    assert total["f1_03"] >= 0.97
    assert total["speaker_accuracy"] >= 0.95
    assert total["top_speaker_wrong"] == 0
    assert total["mean_voice_tvd"] <= 0.06


# Second set: held out until its errors were read (second session of 2026-12-01): F1 0.975,
# speaker accuracy 0.873, distance 0.126, top speaker wrong 2 of 10; after rules written against it
# 0.975 / 0.983 / 0.051 / 1. Held-out set: never looked at; first scored with the code before that
# session's rules (0.991 / 0.835 / 0.190 / 1 of 12), then after them (0.991 / 0.862 / 0.139 / 1).
# Fourth set: first scored 0.964 / 0.802 / 0.173 / 1 of 12; after rules written against it 0.970 /
# 0.901 / 0.123 / 1. Fifth set (fresh, scored once): 0.980 / 0.824 / 0.199 / 3 of 14; on its 13
# articles the code before that session could load, the session's rules changed nothing (0.839).
# Sixth set (third session of 2026-12-01): first scored 0.974 / 0.897 / 0.121 / 4 of 20, then used
# to write rules: 0.974 / 0.960 / 0.054 / 1; those rules moved the untouched held-out set to 0.881
# and the fresh set to 0.872 (their errors still unread). Seventh set, annotated at the end of that
# session and scored once: 0.988 / 0.789 / 0.180 / 4 of 14; used in the fourth session: 0.988 / 0.967 /
# 0.094 / 3. Fourth session: sets i, j and k, each first scored before any rule looked at it (0.988 /
# 0.848 / 0.134 / 4 of 17; 0.987 / 0.916 / 0.121 / 1 of 14; 0.983 / 0.824 / 0.198 / 1 of 14), then used:
# 0.988 / 0.924 / 0.070 / 4; 0.987 / 0.935 / 0.101 / 1; 0.983 / 0.966 / 0.064 / 1. Set h, annotated at the
# start of that session and scored once at its end: 0.990 / 0.832 / 0.180 / 3 of 14. Fifth session: set m
# first scored 0.974 / 0.744 / 0.321 / 5 of 14, then used: 0.974 / 0.962 / 0.133 / 2; set l, annotated at the
# start of that session and scored once at its end: 0.980 / 0.917 / 0.133 / 0 of 13. Sixth session
# (2026-12-02): the held-out set and the fresh set (their totals read for several sessions) became development
# sets: 0.991 / 0.917 / 0.107 / 1 -> 0.991 / 0.936 / 0.098 / 1 and 0.980 / 0.872 / 0.145 / 2 -> 0.984 / 0.952 /
# 0.059 / 0; set n, annotated at the start of that session and scored once at its end: 0.982 / 0.839 / 0.167 /
# 2 of 14 (set h 0.839 -> 0.852, set l unchanged, by that session's rules).
# Floors (F1, speaker accuracy, top speaker wrong, distance) just under, so a regression shows.
@pytest.mark.parametrize(
    "golds, floors",
    [
        (SECOND, (0.96, 0.97, 1, 0.06)), (HELD_OUT, (0.98, 0.93, 1, 0.105)), (FOURTH, (0.97, 0.955, 0, 0.075)),
        (FRESH, (0.975, 0.945, 0, 0.065)),
        (SIXTH, (0.96, 0.965, 1, 0.055)),
        (SEVENTH, (0.98, 0.955, 3, 0.10)),
        (SET_H, (0.98, 0.845, 3, 0.155)),
        (SET_I, (0.98, 0.93, 3, 0.07)),
        (SET_J, (0.975, 0.96, 1, 0.075)),
        (SET_K, (0.97, 0.965, 1, 0.06)),
        (SET_L, (0.97, 0.91, 0, 0.14)),
        (SET_M, (0.97, 0.97, 1, 0.085)),
        (SET_N, (0.975, 0.83, 2, 0.175)),
    ],
    ids=["second", "held_out", "fourth", "fresh", "sixth", "seventh", "h", "i", "j", "k", "l", "m", "n"],
)
def test_later_sets_stay_at_their_measured_level(golds, floors, articles, nlp):
    total = set_scores(golds, articles, nlp)
    f1, accuracy, top_wrong, distance = floors
    assert total["f1_03"] >= f1
    assert total["speaker_accuracy"] >= accuracy
    assert total["top_speaker_wrong"] <= top_wrong
    assert total["mean_voice_tvd"] <= distance
