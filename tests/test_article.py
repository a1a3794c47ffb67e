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


@pytest.mark.parametrize(
    "line,role",
    [
        # scraping artefacts do not change the role
        ("The mayor of Dunmere said the ferry would run again in May./p>", "body"),
        ("The mayor of Dunmere said the ferry would run again in May.</p>", "body"),
        ("The mayor of Dunmere said the ferry would run again in May.&nbsp;", "body"),
        ("<p>The mayor of Dunmere said the ferry would run again in May. br /&gt;", "body"),
        ("Ferry passengers queue at Dunmere harbour on Tuesday</p>", "caption"),
        # social-media embeds
        ("Ferry back in May! pic.twitter.com/AbC123xyz — Ola Brenn (@olabrenn) September 28, 2015", "embed"),
        ("— Ola Brenn (@olabrenn) September 28, 2015", "embed"),
        ("View this post on Instagram", "embed"),
        ("A post shared by Ola Brenn (@ola.brenn) on Sep 28, 2015 at 10:02am PDT", "embed"),
        ("Ola Brenn wrote on social media that the ferry would return in May.", "body"),
        ("Follow us on Twitter (@dunmerenews)", "boilerplate"),
        # captions ending with a full stop: a trailing credit or a position marker gives them away
        ("Ola Brenn (left) and Piet Varn open the new ferry terminal in Dunmere.", "caption"),
        ("Ola Brenn and Piet Varn open the new ferry terminal. Photo: Ana Lind/Dunmere Post", "caption"),
        ("Ola Brenn opens the new ferry terminal in Dunmere (Photo: Ana Lind)", "caption"),
        ("Ana Lind/Getty Images", "credit"),
        ("Senator Ola Brenn (R) voted against the ferry subsidy on Tuesday.", "body"),
        ("The Dunmere ferry, pictured in May, will not sail again until the repairs are complete.", "body"),
    ],
)
def test_paragraph_role_rules_for_scraped_pages(line, role):
    assert paragraph_role(line, index=3)[0] == role


@pytest.mark.xfail(reason="a present-tense caption ending in a full stop, with no credit or position marker, reads as prose")
def test_plain_caption_with_full_stop():
    assert paragraph_role("Ola Brenn opens the new ferry terminal in Dunmere on Tuesday.", index=3)[0] == "caption"


BODY = "The council of Dunmere approved the harbour plan on Tuesday after a long debate."
AFTER = "Work on the harbour wall will start in the spring, the council said."


@pytest.mark.parametrize(
    "paragraphs,roles",
    [
        # list items under a body sentence ending in ":" (bulleted or not) are body
        ([BODY + " The plan has three parts:", "Rebuilding the harbour wall", "Dredging the channel", AFTER],
         ["body", "body", "body", "body"]),
        ([BODY + " The plan has three parts:", "- Rebuilding the harbour wall", "- A new ferry ramp", AFTER],
         ["body", "body", "body", "body"]),
        ([BODY, "• Rebuilding the harbour wall", "• A new ferry ramp for the island service", AFTER],
         ["body", "body", "body", "body"]),
        ([BODY, "1. Rebuilding the harbour wall", "2) A new ferry ramp for the island service", AFTER],
         ["body", "body", "body", "body"]),
        # near misses: no list context, or an explicit furniture marker inside the list
        ([BODY, "Workers repair the harbour wall in Dunmere on Monday", AFTER], ["body", "caption", "body"]),
        ([BODY + " The plan has three parts:", "Read more: Storm closes Dunmere harbour", AFTER],
         ["body", "related", "body"]),
        ([BODY, "• Share this article", AFTER], ["body", "boilerplate", "body"]),
        # a tweet: its text above the signature line is part of the embed
        ([BODY, "The harbour plan is a win for every islander.", "— Ola Brenn (@olabrenn) September 28, 2015", AFTER],
         ["body", "embed", "embed", "body"]),
        # a short heading between body paragraphs is a subheading, not a link to another story
        ([BODY, "What Happens Next", AFTER], ["body", "subheading", "body"]),
        ([BODY, "A long wait for islanders", AFTER], ["body", "subheading", "body"]),
        ([BODY, "Storm Closes Dunmere Harbour for a Second Week in a Row", AFTER], ["body", "related", "body"]),
        ([BODY, "Read more: Storm closes harbour", AFTER], ["body", "related", "body"]),
        ([BODY, "The vote came after a debate in the town hall that kept councillors there for", "2,400", AFTER],
         ["body", "caption", "boilerplate", "body"]),
    ],
)
def test_paragraph_roles_from_neighbours(paragraphs, roles):
    article = article_from_text("\n\n".join(paragraphs))
    assert [p.role for p in article.paragraphs] == roles, [(p.role, p.reason) for p in article.paragraphs]


def test_artefacts_leave_offsets_and_text_unchanged():
    text = BODY + "./p>\n\n" + AFTER
    article = article_from_text(text)
    first = article.paragraphs[0]
    assert first.role == "body"
    assert first.text == text[first.start_char : first.end_char] == BODY + "./p>"


def test_every_role_is_listed_in_config_and_named_by_the_report():
    from framelens.config import BODY_ROLES, ROLES
    from framelens.report import ROLE_NAMES

    assert {"embed", "subheading"} <= set(ROLES)
    assert "embed" not in BODY_ROLES
    assert set(ROLE_NAMES) == set(ROLES) - set(BODY_ROLES)


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
