"""The written report: wording follows the numbers, nothing leaks between articles, text is inert."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from framelens import report
from framelens.config import SEED_ARTICLE
from framelens.runner import run_report

FIXTURE = Path(__file__).parent / "fixtures" / "harbour_flood.txt"

TWO_SIDES = (
    "German Chancellor Anna Weber met French President Louis Martin in Brussels on Monday to discuss fishing rights.\n"
    '"We want a fair deal for our fishing towns," Weber said.\n'
    '"We want a fair deal for our fishing towns too," Martin said.\n'
    "The talks will continue next month.\n"
)
ONE_SIDE = (
    "German Chancellor Anna Weber met French President Louis Martin in Brussels on Monday to discuss fishing rights.\n"
    '"We want a fair deal for our fishing towns," Weber said.\n'
    '"Our boats have waited long enough for an answer," she added.\n'
    "Martin did not speak to reporters after the talks.\n"
)
NO_QUOTES = (
    "The city council met on Monday to discuss the new bus routes for the northern districts.\n"
    "The plan adds two routes and removes one, and it will start in the spring after a public consultation.\n"
)


def summary_of(make_analysis, text: str) -> list[str]:
    return report.summary(report.findings(make_analysis(text)))


def test_balanced_sourcing_is_called_balanced(make_analysis):
    sentences = summary_of(make_analysis, TWO_SIDES)
    assert sentences[0].startswith("Sourcing is balanced: ")
    assert "Louis Martin" in sentences[0] and "Anna Weber" in sentences[0]
    assert any("Germany" in s and "France" in s for s in sentences)
    assert not any("never quoted" in s for s in sentences)


def test_one_voice_is_called_one_voice(make_analysis):
    sentences = summary_of(make_analysis, ONE_SIDE)
    assert sentences[0] == "Only one voice is heard: Anna Weber is the source of every quote (2 direct, 0 reported)."
    assert any(s.startswith("Louis Martin, named 2 times, is never quoted") for s in sentences)
    assert not any("balanced" in s for s in sentences)


def test_no_quotes_is_said_plainly(make_analysis):
    sentences = summary_of(make_analysis, NO_QUOTES)
    assert sentences[0] == "The article quotes no one: every sentence is in the narrator's own voice."
    assert not any("voice is heard" in s or "dominates" in s for s in sentences)
    assert 2 <= len(sentences) <= 5


def test_summary_has_three_to_five_sentences_on_the_seed(seed_analysis):
    sentences = report.summary(report.findings(seed_analysis))
    assert 3 <= len(sentences) <= 5
    assert all(s.endswith(".") for s in sentences)


SCRAPED = (
    "Ferry Returns To Dunmere\n\n"
    "The Dunmere ferry will sail again in May, the harbour board said on Monday after months of repairs.\n\n"
    "Ana Lind (left) and Piet Varn at the harbour\n\n"
    "The ferry is back! pic.twitter.com/Xy12Ab — Dunmere Harbour (@dunmereharbour) September 28, 2015\n\n"
    "The board said the first crossing would leave at nine in the morning, weather permitting.\n"
)


def test_the_report_names_exactly_the_roles_set_aside(make_analysis, tmp_path):
    analysis = make_analysis(SCRAPED)
    assert [p.role for p in analysis.article.paragraphs] == ["headline", "body", "caption", "embed", "body"]
    facts = report.findings(analysis)
    assert facts["furniture"]["roles_named"] == ["the headline", "a photo caption", "a social-media embed"]
    report.write_report(analysis, tmp_path)
    markdown = (tmp_path / "report.md").read_text()
    set_aside = markdown[markdown.index("## What was set aside") : markdown.index("## Method")]
    assert "the headline, a photo caption, a social-media embed." in set_aside
    assert "credit" not in set_aside and "widget" not in set_aside


VOICES = (
    "Anna Berg, the mayor of Dunmere, spoke after the Harbour Summit on Monday, where delegates of the Dunmere "
    "Ferry Company and the regime in Northland met.\n\n"
    '"These terrorists will not close our harbour," Berg said.\n\n'
    "The regime in Northland has blocked the port for months.\n\n"
    "A spokeswoman for the Dunmere Ferry Company said the first crossing would leave in May.\n"
)


def test_the_report_says_who_uses_each_label_and_tone(make_analysis, tmp_path):
    analysis = make_analysis(VOICES)
    facts = report.findings(analysis)
    assert facts["loaded_voices"]["direct"] == 1 and facts["loaded_voices"]["narrator"] >= 1
    report.write_report(analysis, tmp_path)
    markdown = (tmp_path / "report.md").read_text()
    naming = markdown[markdown.index("## How actors are named") : markdown.index("## Reporting verbs")]
    assert "Anna Berg, quoted, uses the word *terrorists* (paragraph 2)" in naming
    assert "The narrator uses the word *regime* (paragraph 3)" in naming
    tone = markdown[markdown.index("## Tone") : markdown.index("## Frames")]
    assert "no quoted word among them" in tone and "not the narrator's" in tone


@pytest.mark.parametrize(
    "voice, kind, target, target_kind, lead",
    [
        ("narrator", "", "the rebel army", "noun phrase", "The narrator calls"),
        ("Ana Lind", "direct", "the rebel army", "noun phrase", "Ana Lind, quoted, calls"),
        ("Ana Lind + Piet Varn", "direct", "the rebel army", "noun phrase", "Ana Lind and Piet Varn, quoted, call"),
        ("Ana Lind", "indirect", "the rebel army", "noun phrase", "The narrator, paraphrasing Ana Lind, calls"),
        ("UNKNOWN", "direct", "the rebel army", "noun phrase", "An unattributed quote calls"),
        ("narrator", "", "stole the funds", "verb phrase", "The narrator writes"),
        ("Ana Lind", "direct", "the rebels", "noun phrase", "Ana Lind, quoted, uses the word"),
    ],
)
def test_label_wording_names_who_uses_it(voice, kind, target, target_kind, lead):
    text = "rebels" if target == "the rebels" else "rebel"
    label = {"voice": voice, "quote_kind": kind, "target": target, "target_kind": target_kind, "text": text}
    assert report._label_words(label)["lead"] == lead


def test_events_and_represented_organisations_are_not_called_never_quoted(make_analysis):
    analysis = make_analysis(VOICES)
    facts = report.findings(analysis)
    silent = {s["actor"] for s in facts["silent"]}
    assert "Harbour Summit" not in silent and "Dunmere Ferry Company" not in silent
    assert {r["actor"] for r in facts["represented"]} == {"Dunmere Ferry Company"}
    assert not any("Summit" in s and "never quoted" in s for s in report.summary(facts))


def test_a_quote_credited_to_a_venue_is_not_a_voice_in_the_summary(make_analysis):
    analysis = make_analysis("Ana Lind told NorthStar Radio on Monday that the ferry would return in May after the repairs.")
    for name in ("quotes", "voice"):  # the attribution error class 12 guards against
        analysis.tables[name]["speaker"] = "NorthStar Radio"
    facts = report.findings(analysis)
    assert facts["speakers"] == [] and facts["quotes"]["unattributed"] == 1
    assert "NorthStar Radio" in {r["canonical"] for r in facts["not_voices"]}
    assert not any("NorthStar" in s for s in report.summary(facts))


HOSTILE = (
    'Mayor Tom Reed said the vote was "<script>alert(1)</script> {{ 7 * 7 }} {% if true %}yes{% endif %}".\n'
    "The council of <b>Springfield</b> met on Monday and agreed to the plan, with [a link](http://example.org) in the minutes.\n"
    '"This is *not* over | and never was," Reed said on Tuesday after the meeting.\n'
)


def test_hostile_article_text_is_escaped_and_inert(make_analysis, tmp_path):
    analysis = make_analysis(HOSTILE, title="<img src=x onerror=alert(2)> {{ title }}")
    html = report.write_report(analysis, tmp_path).read_text()
    markdown = (tmp_path / "report.md").read_text()
    assert "<script>" not in html and "<img src=x" not in html and "<b>Springfield" not in html
    # the template syntax stays text, never evaluated (look where the payload stands: hashes may hold "49")
    assert "&lt;script&gt;" in html and "{{ 7 * 7 }}" in html and not re.search(r"&lt;/script&gt;\s*49", html)
    assert 'href="http://example.org"' not in html
    assert "\\<script\\>" in markdown


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    runs = []
    for n in range(2):
        root = tmp_path_factory.mktemp(f"run{n}")
        runs.append(run_report(FIXTURE, out_dir=root / "reports", processed_root=root / "processed").report_dir)
    return runs


@pytest.mark.slow
def test_two_runs_give_identical_report_text_apart_from_the_time(two_reports):
    first, second = ((d / "report.md").read_text() for d in two_reports)
    strip = lambda text: re.sub(r"generated: .*", "", text)  # noqa: E731
    assert strip(first) == strip(second)
    assert first != strip(first)


@pytest.mark.slow
def test_report_for_another_article_says_nothing_about_the_seed(two_reports):
    text = (two_reports[0] / "report.md").read_text() + (two_reports[0] / "report.html").read_text()
    for word in ("Putin", "Obama", "Sputnik", "Kremlin", "Syria", "UN General Assembly"):
        assert word not in text
    assert "Joanna Pike" in text


@pytest.mark.slow
def test_seed_report_has_every_section_and_chart(tmp_path):
    d = run_report(SEED_ARTICLE, out_dir=tmp_path / "r", processed_root=tmp_path / "p").report_dir
    markdown = (d / "report.md").read_text()
    for heading in ("## Summary", "## Who speaks", "## How actors are named", "## Reporting verbs", "## Tone",
                    "## Frames", "## What was set aside", "## Method and limits", "## Provenance"):
        assert heading in markdown
    for figure in ("top_actors", "share_of_voice", "quote_timeline", "naming", "tone_arc", "frame_scores", "cooccurrence_network"):
        assert f"figures/{figure}.png" in markdown
    assert c79475e_in(markdown)
    html = (d / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 7 and "<pre" not in html


def c79475e_in(text: str) -> bool:
    return "c79475ef42d4aaa0d2a1ee228019e884c1159d9745ad8152579b6ff62dd303a5" in text


# --- the checkable part: every quote, every paragraph, corrections ---------------------------------


def appendix_rows(markdown: str) -> list[list[str]]:
    section = markdown.split("## Appendix: every quote", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:]]  # rows[0] is the header


def test_appendix_lists_every_quote_with_its_route_and_a_link_to_its_paragraph(seed_analysis, tmp_path):
    html = report.write_report(seed_analysis, tmp_path).read_text()
    markdown = (tmp_path / "report.md").read_text()
    header = markdown.split("## Appendix: every quote", 1)[1]
    assert "| quote | paragraph (from 1) | kind | speaker | how the speaker was found | confidence | cue | text |" in header
    rows = appendix_rows(markdown)
    quotes = seed_analysis.quotes
    assert [r[0] for r in rows] == list(quotes["quote_id"])
    for row, q in zip(rows, quotes.itertuples()):
        assert row[1] == str(q.paragraph + 1) and row[2] == q.kind
        assert row[7].endswith(f"](#p{q.paragraph + 1})")
    for number in set(quotes["paragraph"] + 1):
        assert f'<li id="p{number}"><a href="#p{number}">' in html  # every link has its target
    assert html.count("<li id=\"p") == len(seed_analysis.article.paragraphs)
    assert "## Corrections applied" in markdown and "None: this is the machine's own reading." in markdown
    assert "- corrections: none" in markdown


def test_hostile_quote_stays_inert_in_the_appendix(make_analysis, tmp_path):
    analysis = make_analysis(HOSTILE)
    assert analysis.quotes["text"].str.contains("<script>", regex=False).any()
    html = report.write_report(analysis, tmp_path).read_text()
    appendix = html.split("Appendix: every quote", 1)[1]
    assert "<script>" not in appendix and "&lt;script&gt;alert(1)&lt;/script&gt;" in appendix
    assert "<b>Springfield" not in appendix and "&lt;b&gt;Springfield" in appendix
    assert re.search(r'<a href="#p\d+">[^<]*&lt;script&gt;', appendix)  # the quote is linked, its text inert


# --- hedged claims: low-confidence attributions that could change the voice sentence -----------

def _quotes_table(rows):
    import pandas as pd

    return pd.DataFrame(
        [{"quote_id": f"q{n}", "speaker": s, "text": t, "confidence": c} for n, (s, t, c) in enumerate(rows, 1)]
    )


@pytest.mark.parametrize(
    "rows, stable",
    [
        ([("Ann Lee", "one two three four five six", "high"), ("Bo Chen", "one two", "high")], True),
        # the low row is small: whoever it belongs to, Ann Lee still dominates
        ([("Ann Lee", "one two three four five six seven eight", "high"), ("Bo Chen", "one", "low")], True),
        # the low row decides who is first
        ([("Ann Lee", "one two three", "high"), ("Bo Chen", "one two", "high"), ("Ann Lee", "one two three", "low")], False),
        # every quote rests on a low-confidence attribution
        ([("Ann Lee", "one two three", "low")], False),
    ],
)
def test_attribution_certainty(rows, stable):
    from framelens.report import attribution_certainty

    certainty = attribution_certainty(_quotes_table(rows))
    assert certainty["stable"] is stable
    assert certainty["hedge"] == ("" if stable else "probably ")


def test_summary_hedges_an_uncertain_top_speaker(make_analysis):
    from framelens.report import findings, summary

    text = (
        "Mayor Ruth Adler opened the new bridge over the river on Monday.\n\n"
        '"It is a great day for the town and for everyone who crosses the river," Adler said.\n\n'
        '"It came in late and cost twice the budget," said Councillor Omar Haddad.'
    )
    analysis = make_analysis(text)
    assert "probably" not in summary(findings(analysis))[0]
    quotes = analysis.tables["quotes"]
    quotes.loc[quotes["speaker"] == "Ruth Adler", "confidence"] = "low"  # as if found through a weak route
    first = summary(findings(analysis))[0]
    assert "probably" in first and "the attribution of 1 quote is uncertain" in first


def test_sides_sentence_says_how_much_voice_has_no_side(make_analysis):
    from framelens.report import findings, summary

    text = (
        "Valdorian President Tomas Krell and Ostmark Prime Minister Anna Vey met in Brill on Monday.\n\n"
        '"We agreed on nothing at all," Krell said. "Nothing."\n\n'
        '"We will meet again," Vey said.\n\n'
        "Mara Lind, who studies the region, said the two leaders had wasted a rare chance to end a long and bitter war over the border."
    )
    facts = findings(make_analysis(text))
    sentences = " ".join(summary(facts))
    assert facts["unknown_side_share"] >= 0.2 and facts["sides"]
    assert "ties to no side" in sentences


def test_no_date_is_said_as_date_unknown_and_the_lock_is_in_provenance(make_analysis, tmp_path):
    text = '"We will rebuild the wall," the mayor said on Monday. The council agreed with her plan.\n'
    dated = report.render_markdown(make_analysis(text, outlet="Echo", date="2024-05-01"), tmp_path)
    undated = report.render_markdown(make_analysis(text, outlet="Echo"), tmp_path)
    assert "2024-05-01 · article" in dated and "date unknown" not in dated
    assert "Echo · date unknown · article" in undated
    assert re.search(r"dependency lock: requirements\.lock sha256 `[0-9a-f]{64}`", undated)


def test_invisible_and_bidi_characters_never_reach_the_report():
    assert report.md_escape("Smith\u202e said \u200bso\u2066") == "Smith said so"


# --- wording: names at the start of a sentence, possessives, "the" before institutions ----------

TRICKY_NAMES = {
    "unnamed source": (
        "A senior port official said on Monday that the new quay in Velmar would not open before May, because the cranes had not arrived.\n"
        '"We have waited two years for these cranes and we will wait a little longer," the official said.\n'
        '"The delay costs money every single day," the official added.\n'
        "Mayor Ilse Varga said she was disappointed.\n",
        "A senior port official dominates the sourcing", "- A senior port official's quotes",
    ),
    "institution named with the": (
        "The Harbour Board said on Monday that the new quay in Velmar would not open before May.\n"
        '"We have waited two years for these cranes and we will wait a little longer," the Harbour Board said in a statement.\n'
        '"The delay costs money every single day," the Harbour Board added.\n'
        "Mayor Ilse Varga said she was disappointed.\n",
        "The Harbour Board dominates the sourcing", "- The Harbour Board's quotes",
    ),
    "a title for a name": (
        "The President of Valdoria opened the new port in Velmar on Monday, two years after work began.\n"
        '"This port will feed the whole north of the country," the President said.\n'
        '"We built it without a single loan from abroad," the President added.\n'
        "Opposition leader Marta Kell said the port had cost far more than planned.\n",
        "The President dominates the sourcing", "- The President's quotes",
    ),
    "names ending in s": (
        "Shares in Velmar Shipping fell sharply on Monday, Reuters reported, after the company cut its forecast for the year.\n"
        '"The market did not expect this cut," Reuters quoted a trader in Velmar as saying.\n'
        '"Nobody saw it coming at all," Thomas Jones said.\n'
        '"It will be a hard year for the whole port and its workers," Jones added.\n',
        "the most quoted is Thomas Jones", "- Reuters' quotes",
    ),
}


@pytest.mark.parametrize("text, in_summary, tone_line", TRICKY_NAMES.values(), ids=TRICKY_NAMES.keys())
def test_summary_and_report_word_tricky_speaker_names(make_analysis, tmp_path, text, in_summary, tone_line):
    analysis = make_analysis(text)
    sentences = report.summary(report.findings(analysis))
    assert any(in_summary in s for s in sentences), sentences
    assert all(s[0].isupper() for s in sentences), sentences
    markdown = report.render_markdown(analysis, tmp_path)
    assert tone_line in markdown
    assert "Reuters's" not in markdown and "Jones's" not in markdown
    assert "- a " not in markdown and "- the " not in markdown  # list items start with a capital


@pytest.mark.parametrize(
    "name, possessive",
    [("Ana Lind", "Ana Lind's"), ("Reuters", "Reuters'"), ("Thomas Jones", "Thomas Jones'"), ("NEWS", "NEWS'"),
     ("McDonald's", "McDonald's"), ("the Harbour Board", "the Harbour Board's"), ("a senior official", "a senior official's")],
)
def test_possessive(name, possessive):
    assert report.possessive(name) == possessive


@pytest.mark.parametrize(
    "sentence, expected",
    [("a senior official dominates", "A senior official dominates"), ("the Harbour Board", "The Harbour Board"),
     ("eBay leads", "eBay leads"), ('"quoted" first', '"Quoted" first'), ("Ana Lind", "Ana Lind"), ("", ""),
     ("98% of the quoted words", "98% of the quoted words"), ("\u201ca quote\u201d", "\u201cA quote\u201d")],
)
def test_capitalise_first(sentence, expected):
    assert report.capitalise_first(sentence) == expected


def test_prose_names_join_speakers_and_give_institutions_their_article():
    definite = frozenset({"Harbour Board"})
    assert report.prose_name("Harbour Board + Ana Lind", definite) == "the Harbour Board and Ana Lind"
    assert report.prose_name("A + B + C") == "A, B and C"
    assert report.prose_name("UNKNOWN") == "an unattributed source"


@pytest.mark.parametrize("score, word", [(-0.0502, "negative"), (-0.0496, "negative"), (-0.0449, "neutral"), (0.0451, "positive"), (0.0449, "neutral"), (0.3, "positive")])
def test_tone_word_follows_the_printed_score(score, word):
    assert report.tone_word(score) == word  # -0.0496 prints "-0.05": at the threshold, so negative


def test_charts_use_the_words_of_the_tables(make_analysis):
    import matplotlib

    matplotlib.use("Agg")
    from framelens import plots

    analysis = make_analysis(TWO_SIDES)
    ax = plots.naming(analysis.tables["naming"], actors=analysis.actors["canonical"].head(2).tolist())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend and all("_" not in label for label in legend) and "title name" in legend
    frames = plots.frame_scores(analysis.tables["frame_scores"])
    assert "economic consequences" in [t.get_text() for t in frames.get_yticklabels()]
