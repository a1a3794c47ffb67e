"""Article loading, paragraphs with offsets, paragraph roles, and refusal of bad input."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from framelens.article import article_from_text, load_article, paragraph_role, split_paragraphs
from framelens.config import GOLD_DIR, PROJECT_ROOT, SEED_ARTICLE
from framelens.errors import FramelensError

FIXTURES = Path(__file__).parent / "fixtures"
GOLD_ROLE_ARTICLES = [
    ("000_794d6e0919ecebcf", SEED_ARTICLE),
    ("gold_uk_council", PROJECT_ROOT / "data/raw/gold_uk_council.txt"),
    ("gold_press_briefing", PROJECT_ROOT / "data/raw/gold_press_briefing.txt"),
]


def read_tsv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)


@pytest.mark.parametrize("article_id,path", GOLD_ROLE_ARTICLES, ids=[a for a, _ in GOLD_ROLE_ARTICLES])
def test_paragraph_roles_match_hand_labels(article_id, path):
    article = load_article(path)
    gold = read_tsv(GOLD_DIR / f"{article_id}.roles.tsv")
    assert len(article.paragraphs) == len(gold)
    for paragraph, row in zip(article.paragraphs, gold.itertuples()):
        assert " ".join(paragraph.text.split()).startswith(row.first_words), paragraph.index
        assert paragraph.role == row.role, (paragraph.index, paragraph.text, paragraph.reason)


def test_seed_copy_is_byte_identical_to_the_published_seed():
    import hashlib

    digest = hashlib.sha256(SEED_ARTICLE.read_bytes()).hexdigest()
    assert digest == "c79475ef42d4aaa0d2a1ee228019e884c1159d9745ad8152579b6ff62dd303a5"


def test_seed_metadata_sidecar(seed_article):
    meta = seed_article.metadata
    assert meta["outlet"] == "Sputnik International"
    assert meta["title"] == "Putin, Obama Hold Much-Anticipated Talks at UN General Assembly"
    assert meta["date"] == "2015-09-28"
    assert "repost" in meta["note"]


def test_offsets_index_the_unnormalised_text(seed_article):
    assert seed_article.text == SEED_ARTICLE.read_text(encoding="utf-8")
    for p in seed_article.paragraphs:
        assert seed_article.text[p.start_char : p.end_char] == p.text
        assert p.reason


@pytest.mark.parametrize(
    "line,role",
    [
        ("The minister said the plan would be published next week.", "body"),
        ('"We will not give up," she said.', "body"),
        ("© Reuters", "credit"),
        ("Photo: Jane Doe / AP", "credit"),
        ("AFP", "credit"),
        ("No comments:", "boilerplate"),
        ("Post a Comment", "boilerplate"),
        ("Share this article", "boilerplate"),
        ("Subscribe to our newsletter", "boilerplate"),
        ("Read more: Why the bridge closed", "related"),
        ("Related: Storm hits the coast", "related"),
        ("Minister Visits Flooded Villages in the North (VIDEO)", "related"),
        ("Protesters Gather Outside Parliament as Vote Nears", "related"),
        ("Firefighters tackle a blaze at a warehouse in Leeds on Tuesday", "caption"),
        ("Pictured: the new library building", "caption"),
    ],
)
def test_paragraph_role_rules(line, role):
    assert paragraph_role(line, index=3)[0] == role


def test_first_line_without_punctuation_is_the_headline():
    assert paragraph_role("Storm Hits Coast", index=0)[0] == "headline"
    assert paragraph_role("Storm hits coast", index=5, title="Storm hits coast")[0] == "headline"


def test_blank_line_blocks_keep_hard_wrapped_lines_together():
    text = "First line of a paragraph\nwrapped here.\n\nSecond paragraph.\n"
    spans = split_paragraphs(text)
    assert [text[a:b] for a, b in spans] == ["First line of a paragraph\nwrapped here.", "Second paragraph."]


def test_one_paragraph_per_line_without_blank_lines():
    text = "  One.\nTwo.\n\tThree.  "
    assert [text[a:b] for a, b in split_paragraphs(text)] == ["One.", "Two.", "Three."]


def test_utf8_bom_is_decoded_away():
    article = load_article(FIXTURES / "bom_article.txt")
    assert not article.text.startswith("\ufeff")
    assert article.paragraphs[0].text.startswith("The city council")


def test_wrapped_fixture_roles():
    article = load_article(FIXTURES / "harbour_flood.txt")
    roles = [p.role for p in article.paragraphs]
    assert roles == ["headline", "body", "body", "body", "body", "body", "caption", "credit", "related", "boilerplate"]
    assert "\n" in article.paragraphs[1].text  # a hard-wrapped paragraph stays one paragraph


def test_html_main_text_and_metadata_come_from_trafilatura():
    article = load_article(FIXTURES / "harbour_flood.html")
    assert article.metadata["source_format"] == "html"
    assert article.metadata["outlet"] == "Ellery Echo"
    assert "Residents of Port Ellery" in article.text
    assert "Privacy" not in article.text and "Sport" not in article.text
    assert sum(p.role == "body" for p in article.paragraphs) == 5


def test_explicit_metadata_overrides_the_sidecar():
    article = load_article(SEED_ARTICLE, metadata={"title": "Another title"})
    assert article.metadata["title"] == "Another title"
    assert article.metadata["outlet"] == "Sputnik International"


BAD_INPUTS = {
    "empty": b"",
    "whitespace": b"   \n\t\n  ",
    "binary": bytes(range(256)) * 4,
    "undecodable": "Le président a déclaré que la réunion était utile.".encode("latin-1") * 3,
    "german": "Der Präsident sagte am Montag, dass die Gespräche mit der Regierung sehr schwierig gewesen seien und weitergehen werden.".encode(),
    "numbers": b"12 34 56 78 90 11 22 33 44 55 66 77 88 99 10 20 30 40 50 60\n" * 5,
    "too_short": b"Hello there.",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_raises_a_clear_error(tmp_path, name):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(BAD_INPUTS[name])
    with pytest.raises(FramelensError) as info:
        load_article(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(FramelensError, match="no such file"):
        load_article(tmp_path / "nope.txt")
    with pytest.raises(FramelensError, match="is a directory"):
        load_article(tmp_path)


def test_article_from_text_runs_the_same_checks():
    with pytest.raises(FramelensError):
        article_from_text("   ")
    article = article_from_text("The council met on Monday and agreed to repair the old bridge soon.")
    assert article.paragraphs[0].role == "body"
