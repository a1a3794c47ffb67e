"""Share of voice: which actors can speak, and quotes and quoted words per actor and per side."""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Iterable, Sequence

import pandas as pd

from ..config import BODY_ROLES, RESOURCES_DIR, read_yaml
from ..errors import FramelensError
from .common import SPEAKING_LABELS, _mention_records, _quotes, _span, split_speakers, word_count
from ..rows import frame, table_rows

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SPEAKING_SCHEMA = {"canonical": "str", "label": "str", "can_speak": "bool", "reason": "str"}
VOICE_BY_ACTOR_SCHEMA = {
    "actor": "str", "side": "str", "mentions": "int64", "quotes": "int64", "direct": "int64", "indirect": "int64",
    "words_quoted": "int64", "share_of_voice": "float64", "status": "str", "can_speak": "bool", "speaks_through": "str",
}
VOICE_BY_SIDE_SCHEMA = {"side": "str", "actors": "int64", "quotes": "int64", "words_quoted": "int64", "share_of_voice": "float64"}
UNKNOWN_SIDE = "unknown"  # side label used in voice_by_side for actors with no side
NON_SPEAKER_KEYS = ("labels", "events", "venues", "programmes", "venue_cues", "representatives")


@functools.lru_cache(maxsize=1)
def non_speaker_lexicon() -> dict[str, frozenset[str]]:
    """resources/non_speakers.yaml: entity labels, head nouns and cues of actors that cannot speak."""
    file = RESOURCES_DIR / "non_speakers.yaml"
    data = read_yaml(file, "non-speaker lexicon")
    if not isinstance(data, dict) or any(not isinstance(data.get(k), list) for k in NON_SPEAKER_KEYS):
        raise FramelensError(f"{file}: expected lists {', '.join(NON_SPEAKER_KEYS)}")
    return {k: frozenset(str(w) if k == "labels" else str(w).lower() for w in data[k]) for k in NON_SPEAKER_KEYS}


def _head_word(name: str) -> str:
    words = [w for w in name.lower().replace("’", "'").split() if w[:1].isalnum()]
    return words[-1] if words else ""


def _cannot_speak_by_name(canonical: str, label: str) -> str:
    """Why an actor of this name and entity label cannot speak ("" if it can)."""
    lex = non_speaker_lexicon()
    if label in lex["labels"]:
        return f"a {label} name (an event, place or work), not a speaker"
    head = _head_word(canonical)
    for kind, what in (("events", "an event or meeting"), ("venues", "a venue"), ("programmes", "a programme")):
        if head in lex[kind] or (head.endswith("s") and head[:-1] in lex[kind]):
            return f"{what} (head noun '{head}'), not a speaker"
    return ""


def _named_as_venue(token: "Token") -> bool:
    """True for a name that is where someone spoke: "told X", "told X's show", "speaking to X",
    "in an interview with X"."""
    cues = non_speaker_lexicon()["venue_cues"]
    while token.dep_ in ("poss", "compound", "nmod", "appos") and token.head is not token:
        token = token.head
    if token.dep_ in ("dobj", "dative", "iobj") and token.head.lemma_ in cues:
        return True
    prep = token.head if token.dep_ == "pobj" else None
    return bool(prep is not None and prep.lower_ in ("to", "with", "on") and prep.head.lemma_.lower() in cues)


def speaking_actors(mentions: pd.DataFrame, doc: "Doc | None" = None, *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Which named actors can speak (make a statement): people, organisations, governments.

    An actor cannot speak when its entity label is an event, place or work (EVENT, FAC ...), when
    the head noun of its name is an event, venue or programme noun (resources/non_speakers.yaml:
    "... Assembly", "... Summit", "... Arena", "... Show"), or, given the parse, when every mention
    is where someone spoke ("told X", "in an interview with X"; for a name tagged as a person, only
    "told the X").

    Returns:
        DataFrame with columns canonical, label (its most frequent entity label), can_speak,
        reason; one row per actor mentioned in the selected paragraphs, by first mention.
    """
    by_actor: dict[str, list[tuple[str, int, int]]] = defaultdict(list)  # canonical -> (label, start, end), by first mention
    for row in _mention_records(mentions, roles=roles, labels=None, modifiers=True):
        if not pd.isna(row.canonical):  # as groupby: no name, no actor
            by_actor[row.canonical].append((row.label, row.start_char, row.end_char))
    rows = []
    for canonical, found in by_actor.items():
        label = str(_mode(label for label, _, _ in found))
        reason = _cannot_speak_by_name(str(canonical), label)
        spans = [(start, end) for _, start, end in found]
        if not reason and doc is not None and _only_venue_mentions(doc, spans, person=label == "PERSON"):
            reason = "named only as where someone spoke (told X, in an interview with X)"
        rows.append((canonical, label, not reason, reason or ("a person" if label == "PERSON" else "can issue statements")))
    return frame(rows, SPEAKING_SCHEMA)


def _mode(values: Iterable[str]) -> str:
    """The most frequent value; on a tie the smallest, as pandas' Series.mode gives first."""
    counts = Counter(values)
    top = max(counts.values())
    return min(value for value, n in counts.items() if n == top)


def _only_venue_mentions(doc: "Doc", mentions: list[tuple[int, int]], *, person: bool) -> bool:
    """Every mention ((start_char, end_char) of each) is where someone spoke. A person can be told
    things, so a name tagged as a person counts only when "the" comes before it each time ("told
    the Gazette"): people's names take no article."""
    spans = [_span(doc, s, e) for s, e in mentions]
    spans = [s for s in spans if s is not None]
    if person and not all(s.start > 0 and doc[s.start - 1].lower_ == "the" or s[0].lower_ == "the" for s in spans):
        return False
    return bool(spans) and all(_named_as_venue(s.root) or _names_a_venue_noun(s) for s in spans)


def _names_a_venue_noun(span: "Span") -> bool:
    """A name right after the noun it names, where that noun is where someone spoke ("an
    interview with the station X", "told the broadcaster X"), whatever the parser made of it."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    return bool(before is not None and before.pos_ == "NOUN" and _named_as_venue(before))


def _representatives(quotes: pd.DataFrame, actors: set[str]) -> dict[str, list[str]]:
    """Organisation -> the speakers quoted as its representatives (speaker_affiliation, or else an
    actor's name next to a representative noun in the speaker's description)."""
    nouns = non_speaker_lexicon()["representatives"]
    out: dict[str, list[str]] = defaultdict(list)
    for q in table_rows(quotes):
        speakers = split_speakers(q.speaker)
        affiliation = getattr(q, "speaker_affiliation", None)
        if not isinstance(affiliation, str) or not affiliation:
            mention = str(getattr(q, "speaker_mention", "") or "")
            described = set(re.findall(r"[a-z]+", mention.lower())) & nouns
            affiliation = next((a for a in sorted(actors - set(speakers)) if a in mention), "") if described else ""
        for speaker in speakers:
            if affiliation and affiliation != speaker and speaker not in out[affiliation]:
                out[affiliation].append(speaker)
    return out


def _quote_credit(quotes: pd.DataFrame) -> tuple[dict[str, dict[str, float]], int]:
    """Per speaker: quotes, direct, indirect, words (full), share_words (split); and total words."""
    stats: dict[str, dict[str, float]] = defaultdict(lambda: {"quotes": 0, "direct": 0, "indirect": 0, "words": 0, "share_words": 0.0})
    total = 0
    for row in table_rows(quotes):
        words = word_count(row.text)
        total += words
        speakers = list(dict.fromkeys(split_speakers(row.speaker)))
        for speaker in speakers:
            s = stats[speaker]
            s["quotes"] += 1
            if str(row.kind) == "direct":
                s["direct"] += 1
            else:
                s["indirect"] += 1
            s["words"] += words
            s["share_words"] += words / len(speakers)
    return stats, total


def voice_by_actor(
    quotes: pd.DataFrame,
    mentions: pd.DataFrame,
    sides: pd.DataFrame,
    *,
    roles: Sequence[str] | None = BODY_ROLES,
    labels: Sequence[str] = SPEAKING_LABELS,
    speakers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Who gets to speak: quotes and quoted words per actor.

    Every actor mentioned in the selected paragraphs (people and organisations by default) that
    can speak (``speaking_actors``: not an event, venue or programme) gets a row, and so does
    every speaker of the quotes table (including ``UNKNOWN`` and unnamed sources). A quote with
    several speakers ("A + B") counts for each; for the share of voice its words are split evenly
    between them, so shares over all rows sum to 1. An organisation whose representative is
    quoted ("a spokeswoman for X") speaks through them: it is not "never quoted", though the
    words stay the representative's.

    Args:
        quotes: the quotes table (quote_id, kind, speaker, ..., text).
        mentions: ``entities.mention_table``.
        sides: ``actor_sides`` (canonical, side, evidence).
        roles: paragraph roles whose mentions are counted (None: all).
        labels: entity labels of the mentioned actors listed.
        speakers: ``speaking_actors`` (None: judged from the names alone).

    Returns:
        DataFrame with columns actor, side ("" when unknown), mentions (in the selected
        paragraphs, names used only as modifiers excluded), quotes, direct, indirect,
        words_quoted (words of the actor's quotes), share_of_voice (share of all quoted words),
        status ("quoted directly", "only reported", "speaks through a representative" or
        "mentioned, never quoted"), can_speak (False for a quote speaker that is an event,
        venue or programme: check that attribution), speaks_through (the representatives
        quoted for it, " | "-joined); most voice first.
    """
    quotes = _quotes(quotes)
    speakers = speaking_actors(mentions, roles=roles) if speakers is None else speakers
    silent_kind = {a.canonical for a in table_rows(speakers) if not a.can_speak}
    counts: Counter[str] = Counter()  # mentions in the selected paragraphs, modifiers left out
    listed: list[str] = []  # the actors listed, in order of mention
    for row in _mention_records(mentions, roles=roles, labels=None):
        counts[row.canonical] += 1
        if row.label in labels and row.canonical not in silent_kind:
            listed.append(row.canonical)
    stats, total = _quote_credit(quotes)
    through = _representatives(quotes, set(listed))
    side_of = {row.canonical: row.side for row in table_rows(sides)}
    order = list(dict.fromkeys(listed + list(stats)))
    rows = []
    for actor in order:
        s = stats.get(actor, {"quotes": 0, "direct": 0, "indirect": 0, "words": 0, "share_words": 0.0})
        status = (
            "quoted directly" if s["direct"] else "only reported" if s["quotes"]
            else "speaks through a representative" if through.get(actor) else "mentioned, never quoted"
        )
        side = side_of.get(actor, "")
        rows.append((
            actor, side if isinstance(side, str) else "", int(counts.get(actor, 0)), int(s["quotes"]), int(s["direct"]),
            int(s["indirect"]), int(s["words"]), s["share_words"] / total if total else 0.0, status,
            actor not in silent_kind, " | ".join(through.get(actor, [])),
        ))
    rows.sort(key=lambda r: (-r[7], -r[3], -r[2]))  # most voice first; a stable sort keeps the order of mention on ties
    return frame(rows, VOICE_BY_ACTOR_SCHEMA)


def voice_by_side(
    quotes: pd.DataFrame,
    mentions: pd.DataFrame,
    sides: pd.DataFrame,
    *,
    roles: Sequence[str] | None = BODY_ROLES,
    labels: Sequence[str] = SPEAKING_LABELS,
    speakers: pd.DataFrame | None = None,
    voice: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of voice per side (country or affiliation) of the speakers.

    Same arguments as ``voice_by_actor``, and ``voice``: its table for them, when already computed. A quote counts once for each distinct side among its
    speakers; its words are split evenly between its speakers for the share, so shares sum to 1.
    Speakers with no known side (and ``UNKNOWN`` speakers) form the side "unknown".

    Returns:
        DataFrame with columns side, actors (listed actors on that side, see
        ``voice_by_actor``), quotes, words_quoted, share_of_voice; most voice first.
    """
    quotes = _quotes(quotes)
    if voice is None:
        voice = voice_by_actor(quotes, mentions, sides, roles=roles, labels=labels, speakers=speakers)
    side_of = {row.actor: (row.side or UNKNOWN_SIDE) for row in table_rows(voice)}
    total = sum(word_count(q.text) for q in table_rows(quotes))
    agg: dict[str, dict[str, float]] = defaultdict(lambda: {"quotes": 0, "words": 0, "share": 0.0})
    for row in table_rows(quotes):
        speakers = list(dict.fromkeys(split_speakers(row.speaker)))
        words = word_count(row.text)
        for side in dict.fromkeys(side_of.get(s, UNKNOWN_SIDE) for s in speakers):
            agg[side]["quotes"] += 1
            agg[side]["words"] += words
        for s in speakers:
            agg[side_of.get(s, UNKNOWN_SIDE)]["share"] += words / len(speakers) / total if total else 0.0
    actors = Counter(side_of.values())
    rows = [
        (side, int(actors.get(side, 0)), int(agg[side]["quotes"]), int(agg[side]["words"]), float(agg[side]["share"]))
        for side in dict.fromkeys(list(agg) + list(actors))
    ]
    rows.sort(key=lambda r: (-r[4], -r[2], -r[1]))  # most voice first (stable, as pandas' sort on three columns)
    return frame(rows, VOICE_BY_SIDE_SCHEMA)
