"""Tests for framelens.framing: sides, voice, naming, loaded labels, verbs, tone, frames, prominence."""
from __future__ import annotations

import math
import random
import re

import pandas as pd
import pytest

from framelens import framing as F
from framelens.article import article_from_text
from framelens.config import PACKAGE_DIR
from framelens.errors import FramelensError

QUOTE_COLUMNS = [
    "quote_id", "kind", "speaker", "speaker_mention", "cue", "cue_lemma", "paragraph", "sentence",
    "start_char", "end_char", "text", "time_anchor",
]


def make_quotes(analysis, *specs: tuple) -> pd.DataFrame:
    """A quotes table by hand: each spec is (text, speaker, kind[, speaker_mention, cue, cue_lemma])."""
    article = analysis.article
    rows = []
    for n, spec in enumerate(specs):
        text, speaker, kind, *rest = spec
        mention, cue, lemma = (rest + [speaker.split()[-1], "said", "say"][len(rest):])[:3]
        start = article.text.index(text)
        paragraph = next(p.index for p in article.paragraphs if p.start_char <= start < p.end_char)
        rows.append((n, kind, speaker, mention, cue, lemma, paragraph, -1, start, start + len(text), text, ""))
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def empty_quotes() -> pd.DataFrame:
    return pd.DataFrame(columns=QUOTE_COLUMNS)


# --- sides ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, actor, side",
    [
        ("German Chancellor Angela Merkel visited a car factory in Stuttgart on Monday.", "Angela Merkel", "Germany"),
        ("Jean Dupont, the French foreign minister, said the talks had failed.", "Jean Dupont", "France"),
        ("Brazil's President Lucas Silva met business leaders in the capital on Friday.", "Lucas Silva", "Brazil"),
        ("Prime Minister Ana Costa met her US counterpart John Smith in Lisbon on Tuesday.", "John Smith", "United States"),
        ("The foreign minister of Italy, Marco Rossi, arrived in Brussels on Sunday.", "Marco Rossi", "Italy"),
        ("Hans Vogel, a spokesman for the German Foreign Office, declined to comment on the report.", "Hans Vogel", "Germany"),
        ("Republican Senator John Hale voted against the bill on Monday.", "John Hale", "Republican"),
        ("Maria Lopez opened a bakery in the old town last week.", "Maria Lopez", ""),
    ],
)
def test_actor_sides(make_analysis, text, actor, side):
    a = make_analysis(text)
    sides = F.actor_sides(a.doc, a.mentions)
    assert list(sides.columns) == ["canonical", "side", "evidence"]
    row = sides[sides["canonical"] == actor]
    assert len(row) == 1, sides
    assert row["side"].iloc[0] == side
    assert (row["evidence"].iloc[0] == "") == (side == "")


# --- voice ---------------------------------------------------------------------------------------

VOICE_TEXT = (
    "Anna Berg, the Swedish trade minister, met Frank Weber and Thomas Keller in Stockholm on Monday.\n\n"
    "\"We agreed on a new plan for the port,\" Berg said.\n\n"
    "Weber said the plan would create jobs.\n\n"
    "Keller, a German engineer, did not comment on the plan."
)


@pytest.mark.parametrize(
    "actor, status, direct, indirect",
    [
        ("Anna Berg", "quoted directly", 1, 0),
        ("Frank Weber", "only reported", 0, 1),
        ("Thomas Keller", "mentioned, never quoted", 0, 0),
    ],
)
def test_voice_status(make_analysis, actor, status, direct, indirect):
    a = make_analysis(VOICE_TEXT)
    quotes = make_quotes(
        a,
        ("We agreed on a new plan for the port", "Anna Berg", "direct"),
        ("the plan would create jobs", "Frank Weber", "indirect"),
    )
    voice = F.voice_by_actor(quotes, a.mentions, F.actor_sides(a.doc, a.mentions))
    assert list(voice.columns) == [
        "actor", "side", "mentions", "quotes", "direct", "indirect", "words_quoted", "share_of_voice", "status",
        "can_speak", "speaks_through",
    ]
    row = voice.set_index("actor").loc[actor]
    assert row["status"] == status
    assert (row["direct"], row["indirect"]) == (direct, indirect)
    assert row["mentions"] >= 2
    assert voice["share_of_voice"].sum() == pytest.approx(1.0)
    assert voice.set_index("actor").loc["Anna Berg", "words_quoted"] == 9
    assert voice.set_index("actor").loc["Anna Berg", "side"] == "Sweden"


def hand_mentions(*names: tuple[str, str]) -> pd.DataFrame:
    """A mention table by hand: one body mention per (canonical, label)."""
    rows = [(name, label, name, 0, "body", 0, 10 * n, 10 * n + len(name), False) for n, (name, label) in enumerate(names)]
    return pd.DataFrame(rows, columns=["text", "label", "canonical", "paragraph", "role", "sentence", "start_char", "end_char", "modifier"])


@pytest.mark.parametrize(
    "name, label, can_speak",
    [
        ("Ana Lind", "PERSON", True),
        ("Dunmere Ferry Company", "ORG", True),
        ("Northland Ministry of Transport", "ORG", True),
        ("Dunmere Museum", "ORG", True),  # a museum issues statements
        ("Northland People's Assembly Party", "ORG", True),  # the head noun decides, not any word
        ("Northland General Assembly", "ORG", False),
        ("Harbour Summit", "ORG", False),
        ("Island Games", "ORG", False),
        ("Dunmere Arena", "ORG", False),
        ("Morning Show", "ORG", False),
        ("Spring Festival", "EVENT", False),
        ("Dunmere Bridge", "FAC", False),
    ],
)
def test_who_can_speak(name, label, can_speak):
    table = F.speaking_actors(hand_mentions((name, label)))
    assert table.set_index("canonical").loc[name, "can_speak"] == can_speak
    assert table.set_index("canonical").loc[name, "reason"]


@pytest.mark.parametrize(
    "text, actor, can_speak",
    [
        ("Ana Lind told NorthStar Radio on Monday that the ferry would return in May after the repairs.", "NorthStar Radio", False),
        ("In an interview with the Dunmere Herald, Ana Lind said the ferry would return in May after the repairs.", "Dunmere Herald", False),
        ("Ana Lind spoke in an interview with the local television station NSTV yesterday, after the repairs.", "NSTV", False),
        ("NorthStar Radio said on Monday that the ferry would return in May after the repairs.", "NorthStar Radio", True),
    ],
)
def test_a_broadcaster_named_only_as_the_venue_is_not_a_voice(make_analysis, text, actor, can_speak):
    a = make_analysis(text)
    table = F.speaking_actors(a.mentions, a.doc).set_index("canonical")
    assert table.loc[actor, "can_speak"] == can_speak
    voice = F.voice_by_actor(a.quotes, a.mentions, F.actor_sides(a.doc, a.mentions), speakers=table.reset_index())
    assert (actor in set(voice["actor"])) == can_speak


def test_events_are_never_listed_as_never_quoted():
    mentions = hand_mentions(("Harbour Summit", "ORG"), ("Ana Lind", "PERSON"), ("Piet Varn", "PERSON"))
    quotes = pd.DataFrame(
        [("q1", "direct", "Ana Lind", "Lind", 0, 50, 70, "The ferry will sail again")],
        columns=["quote_id", "kind", "speaker", "speaker_mention", "paragraph", "start_char", "end_char", "text"],
    )
    voice = F.voice_by_actor(quotes, mentions, pd.DataFrame(columns=["canonical", "side", "evidence"])).set_index("actor")
    assert "Harbour Summit" not in voice.index
    assert voice.loc["Piet Varn", "status"] == "mentioned, never quoted"


@pytest.mark.parametrize("with_affiliation", [True, False], ids=["speaker_affiliation", "described"])
def test_an_organisation_speaks_through_its_representative(with_affiliation):
    mentions = hand_mentions(("Dunmere Ferry Company", "ORG"), ("Piet Varn", "PERSON"), ("Ola Brenn", "PERSON"))
    quotes = pd.DataFrame(
        [("q1", "direct", "Piet Varn", "Piet Varn, a Dunmere Ferry Company spokesman", 0, 50, 70, "The ferry will sail")],
        columns=["quote_id", "kind", "speaker", "speaker_mention", "paragraph", "start_char", "end_char", "text"],
    )
    if with_affiliation:
        quotes["speaker_mention"] = "Piet Varn"
        quotes["speaker_affiliation"] = "Dunmere Ferry Company"
    voice = F.voice_by_actor(quotes, mentions, pd.DataFrame(columns=["canonical", "side", "evidence"])).set_index("actor")
    assert voice.loc["Dunmere Ferry Company", "status"] == "speaks through a representative"
    assert voice.loc["Dunmere Ferry Company", "speaks_through"] == "Piet Varn"
    assert voice.loc["Dunmere Ferry Company", "share_of_voice"] == 0  # the words stay the spokesman's
    assert voice.loc["Piet Varn", "share_of_voice"] == 1
    assert voice.loc["Ola Brenn", "status"] == "mentioned, never quoted"  # near miss: no affiliation


def test_a_person_named_in_the_description_is_not_a_represented_organisation():
    mentions = hand_mentions(("Dunmere Ferry Company", "ORG"), ("Piet Varn", "PERSON"))
    quotes = pd.DataFrame(
        [("q1", "direct", "Piet Varn", "Piet Varn, who once worked at Dunmere Ferry Company", 0, 50, 70, "The ferry will sail")],
        columns=["quote_id", "kind", "speaker", "speaker_mention", "paragraph", "start_char", "end_char", "text"],
    )
    voice = F.voice_by_actor(quotes, mentions, pd.DataFrame(columns=["canonical", "side", "evidence"])).set_index("actor")
    assert voice.loc["Dunmere Ferry Company", "status"] == "mentioned, never quoted"


SIDES_TEXT = (
    "Swedish minister Anna Berg and German minister Frank Weber met in Stockholm on Monday.\n\n"
    "\"The talks went well for both sides,\" Berg said.\n\n"
    "\"We will meet again soon in Berlin,\" Weber said."
)


@pytest.mark.parametrize(
    "speakers, expected",
    [
        (("Anna Berg", "Frank Weber"), {"Sweden": 0.5, "Germany": 0.5}),
        (("Anna Berg", "Anna Berg"), {"Sweden": 1.0, "Germany": 0.0}),
    ],
    ids=["both-sides", "one-side"],
)
def test_voice_by_side(make_analysis, speakers, expected):
    a = make_analysis(SIDES_TEXT)
    # both quotes have seven words, so equal quoting means equal shares
    quotes = make_quotes(
        a,
        ("The talks went well for both sides", speakers[0], "direct"),
        ("We will meet again soon in Berlin", speakers[1], "direct"),
    )
    by_side = F.voice_by_side(quotes, a.mentions, F.actor_sides(a.doc, a.mentions)).set_index("side")
    assert list(by_side.reset_index().columns) == ["side", "actors", "quotes", "words_quoted", "share_of_voice"]
    for side, share in expected.items():
        assert by_side.loc[side, "share_of_voice"] == pytest.approx(share)
    assert by_side["share_of_voice"].sum() == pytest.approx(1.0)


def test_joint_and_unknown_speakers_share_the_voice(make_analysis):
    a = make_analysis(SIDES_TEXT)
    quotes = make_quotes(
        a,
        ("The talks went well for both sides", "Anna Berg + Frank Weber", "direct"),
        ("We will meet again soon in Berlin", "UNKNOWN", "direct"),
    )
    voice = F.voice_by_actor(quotes, a.mentions, F.actor_sides(a.doc, a.mentions)).set_index("actor")
    assert voice.loc["Anna Berg", "quotes"] == voice.loc["Frank Weber", "quotes"] == 1
    assert voice.loc["Anna Berg", "words_quoted"] == 7
    assert voice.loc["Anna Berg", "share_of_voice"] == pytest.approx(0.25)
    assert voice.loc["UNKNOWN", "share_of_voice"] == pytest.approx(0.5)
    by_side = F.voice_by_side(quotes, a.mentions, F.actor_sides(a.doc, a.mentions)).set_index("side")
    assert by_side.loc["unknown", "quotes"] == 1


# --- naming and loaded labels --------------------------------------------------------------------

NAMING_TEXT = (
    "German Chancellor Peter Hoffmann met farmers in Bavaria on Monday.\n\n"
    "Hoffmann said prices were too low. The German leader later visited a school, where he read to pupils.\n\n"
    "Dictator Omar Khalid spoke to the crowd that was waiting in the square."
)


def test_naming_kinds(make_analysis):
    a = make_analysis(NAMING_TEXT)
    quotes = make_quotes(a, ("prices were too low", "Peter Hoffmann", "indirect"))
    names = F.naming(a.doc, a.mentions, quotes, article=a.article)
    assert list(names.columns) == ["actor", "expression", "kind", "count", "loaded", "loaded_note", "in_quotes"]
    hoffmann = {(r.expression, r.kind) for r in names[names["actor"] == "Peter Hoffmann"].itertuples()}
    assert hoffmann == {
        ("German Chancellor Peter Hoffmann", "title_name"),
        ("Hoffmann", "surname"),
        ("the German leader", "description"),
        ("he", "pronoun"),
    }
    assert not names.loc[names["actor"] == "Peter Hoffmann", "loaded"].any()
    khalid = names[names["actor"] == "Omar Khalid"].iloc[0]
    assert khalid["loaded"] and "dictator" in khalid["loaded_note"]


def test_naming_counts_the_uses_inside_quotes(make_analysis):
    a = make_analysis(
        "\"Omar Khalid must go now,\" said Anna Berg, the Swedish trade minister, on Monday.\n\n"
        "Omar Khalid did not answer, and Anna Berg left for Stockholm."
    )
    quotes = make_quotes(a, ("Omar Khalid must go now,", "Anna Berg", "direct"))
    names = F.naming(a.doc, a.mentions, quotes, article=a.article).set_index(["actor", "expression"])
    assert names.loc[("Omar Khalid", "Omar Khalid"), ["count", "in_quotes"]].tolist() == [2, 1]
    assert names.loc[("Anna Berg", "Anna Berg"), "in_quotes"] == 0


@pytest.mark.parametrize("with_offsets", [False, True], ids=["by-text", "by-offsets"])
def test_naming_pronoun_from_quote_speaker_mention(make_analysis, with_offsets):
    text = (
        "Lisa Grant met Tom Baker at the bridge on Monday.\n\n"
        "\"It was hard work, but it was worth it,\" she said after the visit."
    )
    a = make_analysis(text)
    quotes = make_quotes(a, ("It was hard work, but it was worth it", "Lisa Grant", "direct", "she"))
    if with_offsets:
        start = text.index("she said")
        quotes["speaker_start_char"], quotes["speaker_end_char"] = start, start + 3
    names = F.naming(a.doc, a.mentions, quotes, article=a.article)
    pronouns = names[names["kind"] == "pronoun"]
    assert pronouns[["actor", "expression"]].values.tolist() == [["Lisa Grant", "she"]]


def test_naming_pronoun_prefers_the_previous_subject(make_analysis):
    text = (
        "Lisa Grant said that Tom Baker and Anna Berg were not ready for the vote.\n\n"
        "Still, she remained hopeful that the plan would pass."
    )
    a = make_analysis(text)
    names = F.naming(a.doc, a.mentions, empty_quotes(), article=a.article)
    pronouns = names[names["kind"] == "pronoun"]
    assert pronouns[["actor", "expression"]].values.tolist() == [["Lisa Grant", "she"]]


@pytest.mark.parametrize(
    "text, label, target",
    [
        ("The regime of Omar Khalid denied the report on Monday.", "regime", "The regime of Omar Khalid"),
        ("The self-proclaimed republic held a vote on its future last week.", "self-proclaimed", "The self-proclaimed republic"),
        ("Police said the notorious gang leader was arrested at his home.", "notorious", "the notorious gang leader"),
        ("Rebel fighters seized the town during the night, and they are still there now.", "rebel", "Rebel fighters"),
        ("The officials allegedly stole funds from the school budget.", "alleged", "stole funds"),
    ],
)
def test_loaded_labels_and_targets(make_analysis, text, label, target):
    a = make_analysis(text)
    labels = F.loaded_labels(a.doc, a.article)
    assert list(labels.columns) == [
        "paragraph", "sentence", "start_char", "end_char", "label", "pos", "text", "target", "target_kind", "note",
        "voice", "in_quote", "quote_id", "quote_kind",
    ]
    assert labels["label"].tolist() == [label]
    assert labels["voice"].tolist() == ["narrator"]
    row = labels.iloc[0]
    assert row["target"] == target
    assert a.article.text[row["start_char"] : row["end_char"]] == row["text"]
    assert row["note"]


VOICED_TEXT = (
    "\"These terrorists must be stopped,\" said Ana Lind, the mayor of Dunmere.\n\n"
    "Ana Lind called the group \"a terrorist outfit\" on Monday, but the regime in Northland disagreed.\n\n"
    "Piet Varn said the militants had left the harbour.\n\n"
    "\"We will talk to them,\" said Piet Varn of the rebels."
)


@pytest.mark.parametrize(
    "term, occurrence, voice, kind",
    [
        ("terrorist", 0, "Ana Lind", "direct"),  # the label sits in a direct quote
        ("terrorist", 1, "Ana Lind", "direct"),  # a quoted fragment inside a narrator's sentence
        ("regime", 0, "narrator", ""),  # the same sentence's narration stays the writer's
        ("militant", 0, "Piet Varn", "indirect"),  # reported speech
        ("rebel", 0, "narrator", ""),  # near miss: right after the quote, outside its span
    ],
)
def test_loaded_labels_say_who_uses_them(make_analysis, term, occurrence, voice, kind):
    a = make_analysis(VOICED_TEXT)
    quotes = make_quotes(
        a,
        ("These terrorists must be stopped,", "Ana Lind", "direct"),
        ("a terrorist outfit", "Ana Lind", "direct"),
        ("the militants had left the harbour", "Piet Varn", "indirect"),
        ("We will talk to them,", "Piet Varn", "direct"),
    )
    labels = F.loaded_labels(a.doc, a.article, quotes)
    row = labels[labels["label"] == term].iloc[occurrence]
    assert (row["voice"], row["quote_kind"], bool(row["in_quote"])) == (voice, kind, voice != "narrator")
    assert (row["quote_id"] != "") == (voice != "narrator")
    by_voice = F.loaded_by_voice(labels).set_index("voice")
    assert by_voice.index[0] == "narrator"
    assert by_voice.loc["Ana Lind", "labels"] == 2 and by_voice.loc["Ana Lind", "direct"] == 2
    assert by_voice.loc["Piet Varn", "direct"] == 0
    assert F.loaded_labels(a.doc, a.article)["voice"].eq("narrator").all()  # no quotes table: no split


def test_voice_parts_split_a_mixed_sentence():
    from framelens.framing.common import quote_spans, voice_parts

    text = 'The mayor called it "a grave mistake" and left.'
    start = text.index("a grave")
    quotes = pd.DataFrame([("q1", "direct", "Ana Lind", start, start + 15)], columns=["quote_id", "kind", "speaker", "start_char", "end_char"])
    parts = voice_parts(0, len(text), quote_spans(quotes))
    assert [(text[p.start : p.end], p.voice) for p in parts] == [
        ('The mayor called it "', "narrator"), ("a grave mistake", "Ana Lind"), ('" and left.', "narrator"),
    ]


def test_no_loaded_labels_in_neutral_text(make_analysis):
    a = make_analysis("The government said on Monday that the report was accurate and complete.")
    assert F.loaded_labels(a.doc, a.article).empty


def test_loaded_labels_skip_page_furniture(make_analysis):
    a = make_analysis("Regime Change In The Capital\n\nThe minister said on Monday that the new rules would apply from May.")
    assert a.article.paragraphs[0].role != "body"
    assert F.loaded_labels(a.doc, a.article).empty


# --- reporting verbs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cue_lemma, cue, connotation",
    [
        ("say", "said", "neutral"),
        ("tell", "told", "neutral"),
        ("add", "added", "additive"),
        ("insist", "insisted", "emphatic"),
        ("claim", "claimed", "distancing"),
        ("admit", "admitted", "concessive"),
        ("accuse", "accused", "critical"),
        ("argue", "argued", "assertive"),
        ("warn", "warned", "cautionary"),
        ("point", "pointed out", "explanatory"),
        ("mumble", "mumbled", "other"),
        ("", "", "none"),
    ],
)
def test_verb_connotation(cue_lemma, cue, connotation):
    assert F.verb_connotation(cue_lemma, cue) == connotation


def test_reporting_verbs_and_profile():
    quotes = pd.DataFrame(
        [
            (0, "direct", "A", "she", "said", "say"),
            (1, "direct", "A", "she", "claimed", "claim"),
            (2, "indirect", "A", "she", "claimed", "claim"),
            (3, "direct", "B", "he", "Insisted", "insist"),
            (4, "direct", "A + B", "they", "said", "say"),
        ],
        columns=["quote_id", "kind", "speaker", "speaker_mention", "cue", "cue_lemma"],
    )
    verbs = F.reporting_verbs(quotes)
    assert list(verbs.columns) == ["speaker", "cue_lemma", "cue", "count", "connotation"]
    claim = verbs[(verbs["speaker"] == "A") & (verbs["cue_lemma"] == "claim")].iloc[0]
    assert (claim["count"], claim["connotation"]) == (2, "distancing")
    assert verbs[verbs["speaker"] == "B"]["cue"].tolist() == ["insisted", "said"]
    profile = F.verb_profile(quotes).set_index("speaker")
    assert profile.loc["A", "neutral"] == 2 and profile.loc["A", "distancing"] == 2 and profile.loc["A", "total"] == 4
    assert profile.loc["B", "emphatic"] == 1 and profile.loc["B", "distancing"] == 0


def test_verb_lexicon_has_one_class_per_verb():
    table = F.verb_connotations()
    assert table["lemma"].is_unique
    assert {"neutral", "distancing", "critical", "concessive", "emphatic"} <= set(table["connotation"])


# --- tone ----------------------------------------------------------------------------------------


def sentence_table(*texts: str, role: str = "body") -> pd.DataFrame:
    rows, pos = [], 0
    for n, text in enumerate(texts):
        rows.append((n, n, role, pos, pos + len(text), text))
        pos += len(text) + 2
    return pd.DataFrame(rows, columns=["sentence", "paragraph", "role", "start_char", "end_char", "text"])


@pytest.mark.parametrize(
    "text, sign",
    [
        ("The rescue was a wonderful success and the families are happy and grateful.", 1),
        ("The attack was a horrible, brutal tragedy that left everyone devastated.", -1),
        ("The committee meets on Tuesday.", 0),
    ],
)
def test_tone_sign(text, sign):
    t = F.tone_sentences(sentence_table(text))
    compound = t["compound"].iloc[0]
    if sign == 0:
        assert abs(compound) < 0.05
    else:
        assert compound * sign > 0.5


def test_tone_scores_are_vaders_own():
    """framelens skips VADER's emoji step for a text without an emoji: every score stays VADER's."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from framelens.framing.sentiment import _analyzer

    vader, words = SentimentIntensityAnalyzer(), (
        "good bad not very kind of but BUT GREAT least at no never isn't :) 😀 ☹ , . ! ? \" extremely "
        "barely sort happy sad war peace won't — café Ünal …"
    ).split(" ")
    rng = random.Random(7)
    texts = ["", "  ", " The plan is kind of good, but the cost is TERRIBLE!!! ", "Never happy 😀 again", "At least it works."]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(400)]
    assert [_analyzer().polarity_scores(t) for t in texts] == [vader.polarity_scores(t) for t in texts]


def test_tone_tables():
    s = sentence_table("Good news came at last.", "It was a terrible, cruel loss.", "The sun shone and people smiled.")
    s.loc[3] = (3, 3, "caption", 200, 230, "A wonderful happy picture")
    t = F.tone_sentences(s)
    assert list(t.columns) == [
        "sentence", "paragraph", "role", "position", "compound", "pos", "neu", "neg", "text", "voice", "quote_kind", "quoted_share",
    ]
    assert set(t["voice"]) == {"narrator"}
    assert t["position"].tolist() == [0.0, 0.5, 1.0]  # the caption is not body text
    assert F.tone_paragraphs(s)["paragraph"].tolist() == [0, 1, 2]
    arc = F.tone_arc(s, window=3)
    assert arc["rolling"].iloc[1] == pytest.approx(t["compound"].mean())
    assert arc["rolling"].iloc[0] == pytest.approx(t["compound"].iloc[:2].mean())
    with pytest.raises(FramelensError):
        F.tone_arc(s, window=0)


def test_tone_by_speaker_and_narrator():
    s = sentence_table("\"We won a great victory,\" Ann said.", "The weather was grey and the roads were quiet.")
    quotes = pd.DataFrame(
        [(0, "direct", "Ann Lee", 1, 23, "We won a great victory")],
        columns=["quote_id", "kind", "speaker", "start_char", "end_char", "text"],
    )
    by = F.tone_by_speaker(quotes, s).set_index("speaker")
    assert list(by.index) == ["Ann Lee", "narrator"]
    assert by.loc["Ann Lee", "compound"] > 0.5
    assert by.loc["narrator", "units"] == 1  # the sentence holding the quote is not narration
    assert F.tone_arc(s, quotes=quotes)["voice"].tolist() == ["Ann Lee", "narrator"]
    from framelens import plots

    ax = plots.tone_arc(F.tone_arc(s, quotes=quotes))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["narrator's sentence", "sentence mostly quoted", "rolling mean"]


def test_tone_of_a_mixed_sentence_is_split_by_voice():
    text = 'After the grim, bitter and painful flood, Ana Lind called the rebuilt harbour "a wonderful, joyful success".'
    s = sentence_table(text)
    start = text.index("a wonderful")
    quotes = pd.DataFrame(
        [("q1", "direct", "Ana Lind", start, start + 26, "a wonderful, joyful success")],
        columns=["quote_id", "kind", "speaker", "start_char", "end_char", "text"],
    )
    parts = F.tone_voices(s, quotes)
    assert parts["voice"].tolist() == ["narrator", "Ana Lind", "narrator"][: len(parts)]
    narration = parts[parts["voice"] == "narrator"].iloc[0]
    assert narration["compound"] < -0.3 and not narration["in_quote"]
    assert parts[parts["voice"] == "Ana Lind"]["compound"].iloc[0] > 0.5
    by = F.tone_by_speaker(quotes, s).set_index("speaker")
    assert by.loc["narrator", "compound"] < -0.3  # the quoted praise is not the writer's tone
    assert by.loc["Ana Lind", "compound"] > 0.5
    sentence = F.tone_sentences(s, quotes).iloc[0]
    assert sentence["voice"] == "narrator" and 0 < sentence["quoted_share"] < 0.5


# --- frames --------------------------------------------------------------------------------------

NEUTRAL_TEXT = (
    "The committee met on Tuesday morning in the town hall.\n\n"
    "Members reviewed the minutes of the previous meeting. The meeting lasted two hours.\n\n"
    "The next meeting is scheduled for March."
)
FRAME_TEXTS = {
    "responsibility": "The government failed to prepare for the flood and is to blame for the damage, the report found.",
    "human_interest": "Maria Lopez, a 34-year-old mother of two, wept as she described the tragic loss of her home.",
    "conflict": "Senator John Hale accused Mayor Lisa Grant of lying, and the two sides remain at odds over the plan.",
    "morality": "Bishop Peter Lang said it was the moral duty of every believer to pray for peace and to follow the teaching of God.",
    "economic": "The new tariffs will cost local firms $2 million a year, and the economy could lose thousands of jobs.",
}


def test_codebook_has_the_twenty_questions():
    book = F.load_codebook()
    assert "Semetko" in book["reference"] and "Valkenburg" in book["reference"]
    counts = {f["frame"]: len(f["questions"]) for f in book["frames"]}
    assert counts == {"responsibility": 5, "human_interest": 5, "conflict": 4, "morality": 3, "economic": 3}
    assert all(q["question"].endswith("?") and q["note"] for f in book["frames"] for q in f["questions"])


@pytest.mark.parametrize(
    "rule, message",
    [
        ("{words_any: [a]}", "words_any"),
        ("{terms_any: ['@nowhere']}", "@nowhere"),
        ("{}", "at least one condition"),
        ("{patterns_any: ['(unclosed']}", "regular expression"),
    ],
)
def test_codebook_rejects_bad_rules(tmp_path, rule, message):
    path = tmp_path / "book.yaml"
    path.write_text(
        f"frames:\n  - frame: x\n    questions:\n      - id: X1\n        question: Is it?\n        rule: {rule}\n",
        encoding="utf-8",
    )
    with pytest.raises(FramelensError, match=re.escape(message)):
        F.load_codebook(path)


def test_custom_codebook(make_analysis, tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(
        "frames:\n  - frame: weather\n    questions:\n      - id: W1\n        question: Is there rain?\n"
        "        min_sentences: 2\n        rule: {terms_any: [rain*]}\n",
        encoding="utf-8",
    )
    one = make_analysis("It rained all day in the town. The roads were quiet and the shops were closed.")
    two = make_analysis("It rained all day in the town. The rain stopped at night and the roads were quiet.")
    for analysis, expected in ((one, False), (two, True)):
        answers = F.frames(analysis.sentences, analysis.mentions, empty_quotes(), codebook=path)
        assert answers["answer"].tolist() == [expected]


@pytest.mark.parametrize("use_tokens", [True, False], ids=["lemmas", "inflections"])
@pytest.mark.parametrize("frame", list(FRAME_TEXTS))
def test_frame_triggered(make_analysis, frame, use_tokens):
    a = make_analysis(FRAME_TEXTS[frame] + "\n\n" + NEUTRAL_TEXT)
    answers = F.frames(a.sentences, a.mentions, empty_quotes(), tokens=a.tokens if use_tokens else None)
    assert list(answers.columns) == ["frame", "question_id", "question", "answer", "evidence", "evidence_text"]
    assert len(answers) == 20
    scores = F.frame_scores(answers).set_index("frame")
    assert scores.loc[frame, "score"] > 0
    hits = answers[(answers["frame"] == frame) & answers["answer"]]
    assert all(ev == [0] for ev in hits["evidence"])  # the trigger sentence, nothing from the neutral part
    assert all(FRAME_TEXTS[frame] in text for text in hits["evidence_text"])


QUESTION_TEXTS = [
    ("R1", "The government can ease the shortage by releasing more grain, experts said."),
    ("R2", "Critics said the government was to blame for the long delays."),
    ("R3", "Both parties proposed a compromise that could end the long dispute."),
    ("R4", "Investigators said John Hale was responsible for the crash on the road."),
    ("R5", "Doctors said the situation in the region requires urgent action."),
    ("HI1", "Maria Lopez, a 34-year-old nurse, lost her job in March."),
    ("HI2", "The scenes at the hospital were heartbreaking, a witness said."),
    ("HI3", "Thousands of families were displaced by the fighting in the north."),
    ("HI4", "Anna Berg, who married her childhood friend, rarely talks about it."),
    ("HI5", "The funeral was held on Friday in the town where they lived.\n\nMourners walk past the coffins of the victims in the town"),
    ("C1", "The two ministers disagree over the new rules for the border."),
    ("C2", "Senator John Hale accused the mayor of lying to the council."),
    ("C3", "Talks between France and Germany ended without a deal on Friday."),
    ("C4", "The vote was a clear victory for the ruling party in the end."),
    ("M1", "It is our moral duty to help them, the charity said in a statement."),
    ("M2", "Hundreds gathered at the church to pray for the missing sailors."),
    ("M3", "Parents should keep their children at home for the rest of the week."),
    ("E1", "The company reported a profit of $3 million last year, it said."),
    ("E2", "The new bridge will cost about $40 million, according to the plan."),
    ("E3", "The sanctions have hurt the economy badly over the last year."),
]


@pytest.mark.parametrize("question_id, text", QUESTION_TEXTS, ids=[q for q, _ in QUESTION_TEXTS])
def test_question_triggered(make_analysis, question_id, text):
    a = make_analysis(text)
    answers = F.frames(a.sentences, a.mentions, empty_quotes(), tokens=a.tokens).set_index("question_id")
    assert answers.loc[question_id, "answer"], a.sentences[["role", "text"]]
    assert answers.loc[question_id, "evidence"]


def test_visual_question_reads_captions_not_body(make_analysis):
    a = make_analysis("The victims were mourned at a tragic funeral on Friday in the town where they lived.")
    answers = F.frames(a.sentences, a.mentions, empty_quotes(), tokens=a.tokens).set_index("question_id")
    assert answers.loc["HI2", "answer"] and not answers.loc["HI5", "answer"]


def test_neutral_article_triggers_no_frame(make_analysis):
    a = make_analysis(NEUTRAL_TEXT)
    answers = F.frames(a.sentences, a.mentions, empty_quotes(), tokens=a.tokens)
    assert not answers["answer"].any(), answers[answers["answer"]]
    scores = F.frame_scores(answers)
    assert list(scores.columns) == ["frame", "yes", "questions", "score"]
    assert scores["score"].eq(0).all() and scores["questions"].sum() == 20


def test_frames_read_body_sentences_only(make_analysis):
    a = make_analysis("Government To Blame For Flood Damage Says Report\n\n" + NEUTRAL_TEXT)
    assert a.article.paragraphs[0].role == "headline"
    answers = F.frames(a.sentences, a.mentions, empty_quotes(), tokens=a.tokens)
    assert not answers["answer"].any()


# --- coder agreement -----------------------------------------------------------------------------

MACHINE = [True, True, True, False, False, False, False, False, True, False]
HUMAN = ["yes", "Yes", "no", "no", "N", "no", "no", "yes", "y", "0"]


def machine_answers(values=MACHINE) -> pd.DataFrame:
    return pd.DataFrame(
        [("f" if i < 5 else "g", f"Q{i}", f"Question {i}?", v, [], "") for i, v in enumerate(values)],
        columns=["frame", "question_id", "question", "answer", "evidence", "evidence_text"],
    )


def test_coder_round_trip_and_kappa(tmp_path):
    machine = machine_answers()
    sheet = F.coder_template(machine)
    assert list(sheet.columns) == ["question_id", "frame", "question", "answer", "coder", "note"]
    assert (sheet["answer"] == "").all()
    sheet["answer"] = HUMAN
    sheet["coder"] = "AB"
    sheet.loc[len(sheet)] = ["Q99", "g", "Not asked?", "", "AB", "left blank"]
    path = tmp_path / "coder.csv"
    sheet.to_csv(path, index=False)
    human = F.read_coder_answers(path)
    assert human.loc[human["question_id"] == "Q99", "answer"].isna().all()
    agreement = F.coder_agreement(machine, human)
    assert list(agreement.columns) == ["question_id", "frame", "machine", "human", "agree"]
    assert agreement["agree"].tolist() == [True, True, False, True, True, True, True, False, True, True]
    # p_o = 0.8; both coders say yes 4 times in 10: p_e = 0.4*0.4 + 0.6*0.6 = 0.52
    assert agreement.attrs["percent_agreement"] == pytest.approx(80.0)
    assert agreement.attrs["kappa"] == pytest.approx((0.8 - 0.52) / (1 - 0.52))
    assert F.agreement_summary(agreement)["n"] == 10


def test_kappa_edge_cases():
    assert F.cohen_kappa([True, False, True], [True, False, True]) == pytest.approx(1.0)
    assert F.cohen_kappa([True, False], [False, True]) == pytest.approx(-1.0)
    assert math.isnan(F.cohen_kappa([False, False], [False, False]))


def test_coder_sheet_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("question_id,answer\nQ0,maybe\n", encoding="utf-8")
    with pytest.raises(FramelensError, match="maybe"):
        F.read_coder_answers(bad)
    twice = pd.DataFrame({"question_id": ["Q0", "Q0"], "answer": [True, False], "coder": ["A", "B"], "note": ["", ""]})
    with pytest.raises(FramelensError, match="one coder"):
        F.coder_agreement(machine_answers(), twice)
    with pytest.raises(FramelensError):
        F.read_coder_answers(tmp_path / "missing.csv")


def test_krippendorff_alpha_by_hand():
    # coincidences: o00=4, o01=o10=1, o11=5 (n=11): D_o = 2/11, D_e = 2*5*6/(11*10) = 6/11, alpha = 1 - 1/3
    matrix = pd.DataFrame({
        "A": pd.array([True, False, True, False], dtype="boolean"),
        "B": pd.array([True, False, pd.NA, False], dtype="boolean"),
        "C": pd.array([True, True, True, False], dtype="boolean"),
    })
    assert F.krippendorff_alpha(matrix, ["A", "B", "C"]) == pytest.approx(2 / 3)
    assert math.isnan(F.krippendorff_alpha(matrix.iloc[[0, 2]], ["A", "B", "C"]))  # one value throughout: undefined
    assert F.agreement_summary(F.coder_agreement(machine_answers(), _sheet(HUMAN, "AB")))["alpha"] == pytest.approx(
        F.krippendorff_alpha(pd.DataFrame({"m": MACHINE, "h": [v.lower() in ("yes", "y") for v in HUMAN]}), ["m", "h"])
    )


def _sheet(answers, coder) -> pd.DataFrame:
    values = pd.array([F.agreement._to_bool(a) for a in answers], dtype="boolean")
    return pd.DataFrame({"question_id": [f"Q{i}" for i in range(len(answers))], "answer": values, "coder": coder, "note": ""})


def test_several_coders_side_by_side_with_pairwise_agreement():
    ana = _sheet(["yes", "yes", "yes", "no", "no", "no", "no", "no", "yes", "no"], "Ana")  # as the machine
    ben = _sheet(["yes", "no", "yes", "no", "", "no", "no", "yes", "yes", "no"], "")  # Q4 left blank
    two_in_one = pd.concat([ana, _sheet(["no"] * 10, "Cy")], ignore_index=True)
    coders = F.split_coders({"sheet1": two_in_one, "ben_sheet": ben})
    assert list(coders) == ["Ana", "Cy", "ben_sheet"]  # a blank coder takes the sheet's name
    matrix = F.answer_matrix(machine_answers(), coders)
    assert list(matrix.columns) == ["question_id", "frame", "machine", "Ana", "Cy", "ben_sheet", "agree"]
    assert matrix["ben_sheet"].isna().tolist() == [False] * 4 + [True] + [False] * 5
    assert matrix["agree"].tolist() == [False, False, False, True, True, True, True, False, False, True]
    pairs = F.pairwise_agreement(matrix, ["machine", "Ana", "ben_sheet"]).set_index(["coder_a", "coder_b"])
    assert pairs.loc[("machine", "Ana")].tolist() == [10, 100.0, 1.0, 1.0]
    assert pairs.loc[("machine", "ben_sheet"), "n"] == 9  # over the questions both answered
    assert pairs.loc[("machine", "ben_sheet"), "percent_agreement"] == pytest.approx(700 / 9)
    assert F.krippendorff_alpha(matrix, ["machine", "Ana"]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "sheets, message",
    [
        ({"a": _sheet(["yes"], "Ana"), "b": _sheet(["no"], "Ana")}, "both name coder 'Ana'"),
        ({"a": _sheet(["yes"], "machine")}, "taken by a column"),
        ({"a": pd.concat([_sheet(["yes"], "Ana"), _sheet(["no"], "Ana")])}, "answers Q0 more than once"),
    ],
)
def test_coder_names_must_be_unambiguous(sheets, message):
    with pytest.raises(FramelensError, match=message):
        F.split_coders(sheets)


def test_frame_evidence_counts_paragraphs_and_sentences_from_one(make_analysis):
    analysis = make_analysis(
        "Harbour Board Cuts Budget\n\n"
        "The harbour board met on Monday. The board said the repairs would cost $4 million.\n\n"
        "Residents said the cost of living had doubled. Taxes rose by 3 percent."
    )
    answers = analysis.tables["frames"]
    evidence = F.frame_evidence(answers, analysis.tables["sentences"])
    assert list(evidence.columns) == F.EVIDENCE_COLUMNS and len(evidence)
    text = analysis.article.text
    for row in evidence.itertuples(index=False):
        assert text[row.start_char : row.end_char] == row.text
        paragraph = analysis.article.paragraphs[row.paragraph - 1]
        assert paragraph.start_char <= row.start_char < paragraph.end_char
        before = [s for s in re.split(r"(?<=\.) ", text[paragraph.start_char : row.start_char]) if s.strip()]
        assert row.sentence == len(before) + 1
    economic = evidence[evidence["question_id"] == "E2"]
    assert ("$4 million" in " ".join(economic["text"])) and set(economic["paragraph"]) <= {2, 3}


# --- prominence and page furniture ---------------------------------------------------------------

PROMINENCE_TEXT = (
    "Mayor Lisa Grant opened the new bridge over the river on Monday.\n\n"
    "\"This bridge joins the two halves of our city,\" Grant said at the ceremony.\n\n"
    "The engineer Tom Baker led the construction team for three years.\n\n"
    "\"It was hard work, but it was worth it,\" Baker said."
)


def test_prominence_opening_and_closing_voices(make_analysis):
    a = make_analysis(PROMINENCE_TEXT)
    quotes = make_quotes(
        a,
        ("This bridge joins the two halves of our city", "Lisa Grant", "direct"),
        ("It was hard work, but it was worth it", "Tom Baker", "direct"),
    )
    p = F.prominence(a.article, a.mentions, quotes)
    assert list(p.columns) == [
        "actor", "in_lead", "first_mention_paragraph", "first_quote_paragraph", "opens_article", "closes_article"
    ]
    p = p.set_index("actor")
    assert p.loc["Lisa Grant"].tolist() == [True, 0, 1, True, False]
    assert p.loc["Tom Baker"].tolist() == [False, 2, 3, False, True]


def test_page_furniture_share():
    head = "Bridge Opens After Three Years Of Work"
    body = "The new bridge over the river opened on Monday after three years of work on the site."
    credit = "© Example Photo Agency"
    related = "Read more: City council approves the budget for next year"
    article = article_from_text("\n\n".join([head, body, credit, related]))
    furniture = F.page_furniture(article)
    assert list(furniture.columns) == ["paragraph", "role", "reason", "chars", "share_of_text", "text"]
    assert furniture["role"].tolist() == ["headline", "credit", "related"]
    total = len(head) + len(body) + len(credit) + len(related)
    expected = (len(head) + len(credit) + len(related)) / total
    assert F.furniture_share(article) == pytest.approx(expected)
    assert furniture["share_of_text"].sum() == pytest.approx(expected)
    assert F.furniture_share(article_from_text(body)) == 0.0


# --- generality ----------------------------------------------------------------------------------


def test_src_names_no_seed_actor():
    """Rules are general: the module and its lexicons never name the seed article's actors."""
    pattern = re.compile(r"\b(putin|obama|kremlin|sputnik|white house|hollande|poroshenko|assad)\b", re.I)
    files = sorted((PACKAGE_DIR / "framing").glob("*.py")) + [
        PACKAGE_DIR / "resources" / n for n in ("reporting_verbs.yaml", "loaded_labels.yaml", "frames_codebook.yaml")
    ]
    for path in files:
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_tables_built_from_other_tables_are_the_same_when_handed_them(seed_analysis):
    """framing_tables builds tone_sentences, voice_by_actor and reporting_verbs once and hands
    them on; each function must give what it computes on its own."""
    a, t = seed_analysis, seed_analysis.tables
    tones = F.tone_sentences(a.sentences, a.quotes)
    pd.testing.assert_frame_equal(F.tone_paragraphs(a.sentences, tones=tones), F.tone_paragraphs(a.sentences))
    pd.testing.assert_frame_equal(F.tone_arc(a.sentences, quotes=a.quotes, tones=tones), F.tone_arc(a.sentences, quotes=a.quotes))
    assert "rolling" not in tones.columns  # the arc adds its column to its own copy
    pd.testing.assert_frame_equal(F.verb_profile(a.quotes, verbs=F.reporting_verbs(a.quotes)), F.verb_profile(a.quotes))
    voice = F.voice_by_actor(a.quotes, a.mentions, t["sides"], speakers=t["speaking_actors"])
    pd.testing.assert_frame_equal(
        F.voice_by_side(a.quotes, a.mentions, t["sides"], speakers=t["speaking_actors"], voice=voice),
        F.voice_by_side(a.quotes, a.mentions, t["sides"], speakers=t["speaking_actors"]),
    )


def test_indexed_quote_spans_split_text_as_a_plain_list_does():
    """voice_parts reads only the spans near a sentence when given quote_spans' VoicedSpans."""
    import random

    from framelens.framing.common import Voiced, VoicedSpans, voice_parts

    rng = random.Random(7)
    spans = []
    for n in range(60):
        start = rng.randrange(0, 2000)
        spans.append(Voiced(start, start + rng.randrange(0, 300), f"speaker {n % 5}", f"q{n}", rng.choice(["direct", "indirect"])))
    spans.sort(key=lambda s: (s.start, s.end))
    indexed = VoicedSpans(spans)
    for _ in range(300):
        start = rng.randrange(0, 2200)
        end = start + rng.randrange(1, 250)
        assert voice_parts(start, end, indexed) == voice_parts(start, end, spans)


@pytest.mark.parametrize("terms", [
    ["storm"], ["storm", "storm surge", "storms", "surge barrier"], ["flood*", "floodgate"], ["harbour-master", "port"],
    ["*"], ["-"], ["o'neill", "o’neill"], [], ["Storm", "PORT"], ["straße", "ﬂood"],
])
@pytest.mark.parametrize("ascii_text", [True, False])
def test_codebook_term_search_finds_the_sentences_a_search_per_sentence_does(terms, ascii_text):
    """frames searches a trie of the terms once over the joined sentences, not each term in each
    sentence; on ASCII text with ASCII terms, lower-cased and without re.I."""
    from framelens.framing.common import _any_term_regex, _term_regex
    from framelens.framing.generic_frames import _Joined, _Terms

    sentences = [
        "The storm surge hit the port.", "", "Storms again!", "Floodgates and the flood-gate", "harbour master Lin",
        "- -", "No match in this one", "O'Neill said so", "storm\nsurge", "words-storm", "then the surge", "barrier held",
    ]  # the last two: a term must not match across two sentences
    if not ascii_text:
        sentences += ["STRASSE and Straße", "the ﬂood came", "O’Neill in the PORT"]
    per_sentence = re.compile(_term_regex(terms), re.I)
    expected = {i for i, s in enumerate(sentences) if per_sentence.search(s)}
    for joined in (re.compile(_any_term_regex(terms), re.I), _Terms(terms)):
        assert _Joined(sentences).matching(joined) == expected
        for among in ({0, 8}, {0, 2, 3, 8, 9, 10, 11}, set()):  # a few searched one by one, or the whole text
            assert _Joined(sentences).matching(joined, frozenset(among)) == expected & among
        assert _Joined([]).matching(joined) == set()


def test_loaded_labels_found_through_the_trie_are_the_lexicon_patterns_own_matches():
    """_find_loaded looks where a trie of every form matches, then applies the lexicon's pattern there."""
    import random

    from framelens.framing.loaded import _find_loaded, _loaded_lexicon

    entries, pattern, _ = _loaded_lexicon()
    forms = [f for e in entries for f in [e["term"], *(e.get("forms") or [])]]
    rng = random.Random(5)
    words = forms + ["the", "a", "-", "harbour", "Ferries", "x"]
    for _ in range(200):
        text = " ".join(rng.choice(words).upper() if rng.random() < 0.1 else rng.choice(words) + rng.choice(["", "s", "es", "'s", "-", "ly"])
                        for _ in range(30))
        expected = [(m.start(), m.end(), entries[int(m.lastgroup[1:])]) for m in pattern.finditer(text)]
        assert _find_loaded(text) == expected
