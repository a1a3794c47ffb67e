"""Hostile inputs that used to pass the checks and then crash, hang or mislead (issue 10, items 4-13)."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from framelens.article import article_from_text, load_article
from framelens.config import SEED_ARTICLE
from framelens.errors import FramelensError
from framelens.inputs import check_date, normalise_text, read_flat_yaml, source_offset

FIXTURES = Path(__file__).parent / "fixtures"
PROSE = "The council met on Monday and agreed to rebuild the harbour wall before the winter storms.\n"


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# item 4: one English line with no final full stop, a PDF renamed .txt
def test_a_line_without_a_full_stop_has_no_body_and_is_refused(tmp_path):
    path = _write(tmp_path / "line.txt", "The council agreed to rebuild the harbour wall before the winter storms arrive")
    with pytest.raises(FramelensError, match="no article prose"):
        load_article(path)


def test_a_text_only_pdf_renamed_txt_is_refused(tmp_path):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nBT /F1 12 Tf (The council met on Monday and agreed the plan) Tj ET\n%%EOF\n"
    with pytest.raises(FramelensError, match="is a PDF file"):
        load_article(_write(tmp_path / "paper.txt", pdf))


# item 6: FIFOs and other non-regular files are never read
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(FramelensError, match="not a regular file"):
        load_article(fifo)
    assert time.monotonic() - started < 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_sidecar_is_refused(tmp_path):
    article = _write(tmp_path / "story.txt", PROSE)
    os.mkfifo(tmp_path / "story.meta.yaml")
    with pytest.raises(FramelensError, match="not a regular file"):
        load_article(article)


# item 7: dates
@pytest.mark.parametrize("value", ["2015", "2015-09", "2015-09-28", "2015-09-28T14:30Z", "2015-09-28T14:30:00+02:00"])
def test_iso_dates_and_partial_dates_are_accepted(value):
    assert check_date(value) == value


@pytest.mark.parametrize("value", ["2015-13-45", "2015-02-30", "2015-13", "next tuesday <b>soon</b>", "28/09/2015", "yesterday"])
def test_bad_dates_are_refused_naming_the_source(value):
    with pytest.raises(FramelensError, match="not an ISO 8601 date"):
        check_date(value, source="story.meta.yaml: date")


def test_a_bad_sidecar_date_names_the_file(tmp_path):
    article = _write(tmp_path / "story.txt", PROSE)
    _write(tmp_path / "story.meta.yaml", "title: A story\ndate: 2015-13-45\n")
    with pytest.raises(FramelensError, match=r"story.txt: date: '2015-13-45' is not an ISO 8601 date"):
        load_article(article)


# item 8: sidecars are small flat mappings
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" \
             "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"


@pytest.mark.parametrize(
    "body",
    [ALIAS_BOMB, "title: &t Story\noutlet: *t\n", "title: [a, b]\n", "title:\n  nested: yes\n", "- a list\n",
     "title: !!python/object:os.system echo\n", "just a string\n", "a: 1\n---\nb: 2\n"],
)
def test_sidecars_other_than_flat_mappings_are_refused_quickly(tmp_path, body):
    path = _write(tmp_path / "story.meta.yaml", body)
    started = time.monotonic()
    with pytest.raises(FramelensError, match="one flat mapping"):
        read_flat_yaml(path)
    assert time.monotonic() - started < 2


def test_sidecar_values_stay_text(tmp_path):
    path = _write(tmp_path / "story.meta.yaml", "# comment\ntitle: 'Yes: no'\ndate: 2015-09-28\nyear: 2015\nnote: >-\n  two\n  lines\n")
    assert read_flat_yaml(path) == {"title": "Yes: no", "date": "2015-09-28", "year": "2015", "note": "two lines"}


def test_huge_sidecar_is_refused(tmp_path):
    with pytest.raises(FramelensError, match="too large"):
        read_flat_yaml(_write(tmp_path / "story.meta.yaml", "note: " + "x" * 100_000 + "\n"))


# item 11: line endings and UTF-16
def test_crlf_and_cr_only_files_give_the_same_paragraphs_and_analysis_as_lf(tmp_path, nlp):
    from framelens.analysis import analyze

    text = SEED_ARTICLE.read_text(encoding="utf-8")
    lf = load_article(_write(tmp_path / "lf.txt", text))
    analyses = {}
    for name, newline in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        article = load_article(_write(tmp_path / f"{name}.txt", text.replace("\n", newline)))
        assert [(p.role, p.text) for p in article.paragraphs] == [(p.role, p.text) for p in lf.paragraphs], name
        analyses[name] = analyze(article, nlp)
    for name in ("crlf", "cr"):
        assert analyses[name].tables["tone_sentences"]["compound"].tolist() == analyses["lf"].tables["tone_sentences"]["compound"].tolist()
        assert analyses[name].quotes["text"].tolist() == analyses["lf"].quotes["text"].tolist()


def test_crlf_offsets_map_back_to_the_decoded_text(tmp_path):
    decoded = PROSE.replace("\n", "\r\n") + "\r\nThe mayor said the work would begin in spring.\r\n"
    article = load_article(_write(tmp_path / "crlf.txt", decoded))
    for p in article.paragraphs:
        assert decoded[slice(*article.source_span(p.start_char, p.end_char))] == p.text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, encoding):
    data = PROSE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    article = load_article(_write(tmp_path / "wide.txt", data))
    assert article.text == PROSE


# item 12: login walls, app shells, copyright dates
LOGIN_WALL = """<html><head><title>Subscribe</title></head><body><main>
<h1>Council votes on harbour wall</h1>
<p>Subscribe to continue reading. Already a subscriber? Sign in to your account.</p>
<p>Get unlimited digital access for just one pound a week. Cancel anytime.</p>
</main></body></html>"""
APP_SHELL = """<!doctype html><html><head><title>News</title></head><body>
<noscript><p>You need to enable JavaScript to run this app. Your browser has JavaScript disabled.</p></noscript>
<div id="root"></div><script src="/static/js/main.js"></script></body></html>"""


@pytest.mark.parametrize("page", [LOGIN_WALL, APP_SHELL], ids=["login wall", "app shell"])
def test_pages_without_an_article_are_refused(tmp_path, page):
    with pytest.raises(FramelensError, match="no article text|login wall|too little article"):
        load_article(_write(tmp_path / "page.html", page))


def test_a_copyright_footer_is_not_a_publication_date(tmp_path):
    page = (
        "<html><head><title>Council votes on harbour wall</title></head><body><article>"
        "<h1>Council votes on harbour wall</h1>"
        "<p>The council voted on Tuesday to rebuild the harbour wall after the winter storms damaged it badly, "
        "and the mayor said the work would start in the spring.</p>"
        "<p>Residents who live near the water said they were relieved, but some business owners worried about "
        "the cost and the noise of the building work over the summer.</p>"
        "</article><footer><p>© 2019 Example News. All rights reserved.</p></footer></body></html>"
    )
    article = load_article(_write(tmp_path / "page.html", page))
    assert "date" not in article.metadata


# item 13: zero-width and bidi characters
def test_invisible_characters_are_removed_with_offsets_kept():
    text = "The minister Jo\u200bhn Sm\u00adith said on Monday that the plan\u202e was fine and would go ahead.\n"
    clean, removed = normalise_text(text)
    assert "John Smith" in clean and "\u202e" not in clean
    for i in range(len(clean)):
        assert text[source_offset(i, removed)] == clean[i]


def test_invisible_characters_do_not_split_names(make_analysis):
    analysis = make_analysis("Joanna Pi\u200bke, the harbour master, said the wall would hold. Pi\u200dke said the council agreed.\n")
    assert "Joanna Pike" in set(analysis.tables["actors"]["canonical"])
    assert all("\u200b" not in t for t in analysis.quotes["text"])


def test_invisible_characters_are_removed_from_metadata(tmp_path):
    article = article_from_text(PROSE, metadata={"title": "Harbour\u202e wall\u200b vote"})
    assert article.metadata["title"] == "Harbour wall vote"


def test_an_article_about_subscriptions_is_not_a_paywall(tmp_path):
    long_paragraph = (
        "The Orr satellite channel said its subscription numbers rose by a fifth in the year to March, "
        "with most new subscribers signing up for the sports package, and it expects the subscription price "
        "to stay the same for the rest of the year while it tests a cheaper plan in two regions of Valdoria. "
        "Analysts said the results were better than expected for a channel that lost two of its biggest shows."
    )
    text = "Orr channel adds viewers\n\n" + long_paragraph + "\n\n" + long_paragraph.replace("rose by a fifth", "fell slightly") + "\n"
    article = load_article(_write(tmp_path / "subscriptions.txt", text))  # the BBC corpus has seven such
    assert len(article.paragraphs) == 3
