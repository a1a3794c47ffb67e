"""Framing measures: actors' sides, share of voice, naming, loaded labels, reporting verbs, tone, generic frames, prominence."""
from __future__ import annotations

import functools
import logging
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

import pandas as pd

from .config import BODY_ROLES, RESOURCES_DIR, ROLES
from .entities import clean_name, demonyms, titles
from .errors import FramelensError
from .tokens import sentence_ids

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .article import Article

log = logging.getLogger(__name__)

UNKNOWN = "UNKNOWN"  # speaker of a quote nobody is named for (quotes table convention)
UNKNOWN_SIDE = "unknown"  # side label used in voice_by_side for actors with no side
NARRATOR = "narrator"
SPEAKER_SEPARATOR = " + "
SPEAKING_LABELS = ("PERSON", "ORG")  # actors that can be quoted (entities.ACTOR_LABELS adds places)
QUOTE_COLUMNS = [
    "quote_id", "kind", "speaker", "speaker_mention", "cue", "cue_lemma", "paragraph", "sentence",
    "start_char", "end_char", "text", "time_anchor",
]
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_POSSESSIVE_END = re.compile(r"\s*['’]s?$")

# Nouns that name a role a person holds; a definite noun phrase headed by one ("the German
# leader", "his counterpart") can be a description of an actor (see ``naming``). Office titles
# from resources/titles.txt are added at run time.
ROLE_NOUNS = frozenset(
    """leader counterpart head chief official spokesman spokeswoman spokesperson president minister
    premier chancellor envoy diplomat ambassador host boss founder chairman chairwoman chair ceo
    director candidate incumbent challenger monarch ruler politician lawmaker legislator activist
    commander dictator strongman tycoon billionaire businessman businesswoman opponent rival ally
    negotiator mediator representative secretary governor mayor senator king queen prince general
    adviser advisor aide deputy successor predecessor colleague premier""".split()
)
PRONOUN_GENDER = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m",
                    "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f", "queen": "f", "princess": "f"}


# --- shared helpers ----------------------------------------------------------------------------


def word_count(text: Any) -> int:
    """Number of words in ``text`` (letters/digits, inner apostrophes kept); 0 for missing text."""
    return len(WORD_RE.findall(text)) if isinstance(text, str) else 0


def split_speakers(speaker: Any) -> list[str]:
    """Actors of a quotes-table ``speaker`` value ("A + B" -> ["A", "B"]; missing -> ["UNKNOWN"])."""
    if not isinstance(speaker, str) or not speaker.strip():
        return [UNKNOWN]
    parts = [s.strip() for s in speaker.split(SPEAKER_SEPARATOR.strip()) if s.strip()]
    return parts or [UNKNOWN]


def _quotes(quotes: pd.DataFrame | None, required: Sequence[str] = ("speaker", "kind", "text")) -> pd.DataFrame:
    """The quotes table with the columns this module reads; an empty table is fine."""
    if quotes is None:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    missing = [c for c in required if c not in quotes.columns]
    if missing and not quotes.empty:
        raise FramelensError(f"quotes table lacks column(s) {', '.join(missing)}; expected the columns of framelens.quotes")
    if missing:
        quotes = quotes.reindex(columns=list(quotes.columns) + missing)
    if "start_char" in quotes.columns and not quotes.empty:
        quotes = quotes.sort_values("start_char", kind="stable")
    return quotes.reset_index(drop=True)


def _mention_rows(
    mentions: pd.DataFrame, *, roles: Sequence[str] | None, labels: Sequence[str] | None, modifiers: bool = False
) -> pd.DataFrame:
    m = mentions
    if roles is not None:
        m = m[m["role"].isin(roles)]
    if labels is not None:
        m = m[m["label"].isin(labels)]
    if not modifiers and "modifier" in m.columns:
        m = m[~m["modifier"].fillna(False).astype(bool)]
    return m


def _span(doc: "Doc", start: int, end: int) -> "Span | None":
    span = doc.char_span(int(start), int(end), alignment_mode="expand")
    return span if span is not None and len(span) else None


def _norm(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).split())


def _term_regex(terms: Iterable[str], *, plural: bool = False) -> str:
    """Alternation matching each term as whole words (``*`` = any word ending; a hyphen or
    space inside a term matches either)."""
    parts = []
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        term = term.translate(_APOSTROPHES)
        wildcard = term.endswith("*")
        words = re.split(r"[\s\-]+", term.rstrip("*"))
        body = r"[\s\-‐‑]+".join(re.escape(w) for w in words if w)
        if wildcard:
            body += r"[\w'\-]*"
        elif plural:
            body += r"(?:s|es)?"
        parts.append(body)
    return r"(?<![\w'])(?:" + "|".join(parts) + r")(?![\w])" if parts else r"(?!x)x"


# --- sides -------------------------------------------------------------------------------------


def actor_sides(
    doc: "Doc",
    mentions: pd.DataFrame,
    *,
    labels: Sequence[str] = ("PERSON", "ORG", "GPE"),
    roles: Sequence[str] | None = BODY_ROLES,
) -> pd.DataFrame:
    """The country or affiliation the text itself gives each actor.

    Evidence is read from the noun phrase of every mention: nationality adjectives (through
    ``entities.demonyms()``) and place names modifying the name ("German Chancellor X",
    "Brazil's President X", "US Secretary of State X"); the noun the name stands in apposition
    to ("his US counterpart X", "X, the French foreign minister", "the foreign minister of
    France, X", "X, a spokesman for the German Foreign Office"); and for organisations their
    own name ("the German Foreign Office"). A country (or other place) wins over an affiliation
    (a party or organisation modifying the name: "Republican Senator X", "Foreign Office
    spokesman X"); an affiliated organisation's own country is used when the text gives one.
    Modifiers nested inside a possessor ("the German leader's spokesman") count only when
    nothing closer does. The most frequent side over all mentions wins (first seen on a tie).
    Places (GPE) are their own side.

    Args:
        doc: the parse of ``article.text``.
        mentions: ``entities.mention_table`` of the same parse.
        labels: which actor labels get a row.
        roles: actors mentioned in paragraphs of these roles get a row (None: all); evidence
            is read from every paragraph (a photo caption can say "Brazil's President X").

    Returns:
        DataFrame with columns canonical, side (country, affiliation, or "" when the text gives
        none), evidence (the words that gave the side, "" when none), one row per actor in order
        of first mention.
    """
    columns = ["canonical", "side", "evidence"]
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    mentions = mentions.sort_values("start_char", kind="stable")
    ent_at: dict[int, Any] = {}
    spans: list[tuple[Any, "Span"]] = []
    for row in mentions.itertuples(index=False):
        span = _span(doc, row.start_char, row.end_char)
        if span is None:
            continue
        spans.append((row, span))
        for t in span:
            ent_at.setdefault(t.i, row)
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # canonical -> [(kind, side, evidence)]
    for row, span in spans:
        if row.label not in ("PERSON", "ORG"):
            continue
        evidence = _mention_side(span, row, ent_at)
        if evidence:
            found[row.canonical].append(evidence)
    label_of = dict(zip(mentions["canonical"], mentions["label"]))
    direct: dict[str, tuple[str, str, str]] = {}
    for canonical, items in found.items():
        countries = [i for i in items if i[0] == "country"] or items
        counts = Counter(side for _, side, _ in countries)
        best = max(counts, key=lambda s: (counts[s], -[i[1] for i in countries].index(s)))
        direct[canonical] = next(i for i in countries if i[1] == best)
    listed = mentions if roles is None else mentions[mentions["role"].isin(roles)]
    rows = []
    for canonical in dict.fromkeys(listed["canonical"]):
        label = label_of[canonical]
        if label not in labels:
            continue
        if label == "GPE":
            rows.append((canonical, canonical, "place name"))
            continue
        kind, side, evidence = direct.get(canonical, ("", "", ""))
        if kind == "affiliation" and side in direct and direct[side][0] == "country" and side != canonical:
            evidence = f"{evidence}; {side}: {direct[side][2]}"
            side = direct[side][1]
        rows.append((canonical, side, evidence))
    return pd.DataFrame(rows, columns=columns)


def _mention_side(span: "Span", row: Any, ent_at: dict[int, Any]) -> tuple[str, str, str] | None:
    """(kind 'country'|'affiliation', side, evidence) for one mention, or None."""
    doc = span.doc
    root = span.root
    regions: list[tuple[list["Token"], list["Token"], int, int]] = []  # (near, far, start_i, end_i)

    def noun_region(head: "Token", *, include_head: bool) -> tuple[list["Token"], list["Token"]]:
        """Words modifying ``head``: near (its own modifiers, a possessor, an "of" phrase) and
        far (words nested inside a possessor)."""
        near: list["Token"] = []
        far: list["Token"] = []
        for child in head.children:
            if child.i > head.i:
                if child.dep_ == "prep" and child.lower_ in ("of", "for", "at"):
                    near.extend(child.subtree)  # "the foreign minister of France", "a spokesman for X"
                continue
            if child.dep_ == "poss":
                inner = [t for t in child.subtree if t == child or (t.head == child and t.dep_ in ("compound", "flat"))]
                near.extend(inner)
                far.extend(t for t in child.subtree if t not in inner)
            else:
                near.extend(child.subtree)
        if include_head:
            near.append(head)
        return near, far

    # 1. the name's own words and its premodifiers ("German Chancellor X", "Brazil's President X")
    near, far = noun_region(root, include_head=False)
    near = [t for t in near if t.i < span.start] + list(span)
    regions.append((near, far, min([t.i for t in near + far] + [span.start]), span.end))
    # 2. an apposition attached to the name ("X, the French foreign minister")
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and child.i not in ent_at:
            n, f = noun_region(child, include_head=True)
            regions.append((n, f, span.start, max(t.i for t in n + f) + 1))
    # 3. the name is the apposition of a noun ("his US counterpart X", "the French minister, X")
    if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i not in ent_at:
        head = root.head
        n, f = noun_region(head, include_head=True)
        n = [t for t in n if t.i < span.start]
        f = [t for t in f if t.i < span.start]
        regions.append((n, f, min([t.i for t in n + f] + [span.start]), span.end))
    for tier in (0, 1):
        for near, far, start_i, end_i in regions:
            result = _side_from_tokens(near if tier == 0 else far, row, ent_at)
            if result:
                kind, side = result
                return kind, side, doc[start_i:end_i].text
    return None


def _side_from_tokens(tokens: list["Token"], row: Any, ent_at: dict[int, Any]) -> tuple[str, str] | None:
    table = demonyms()
    countries, affiliations = [], []
    seen_mentions = set()
    for t in sorted(set(tokens), key=lambda t: t.i):
        other = ent_at.get(t.i)
        own = other is not None and other.start_char == row.start_char
        pair = f"{t.lower_} {t.nbor().lower_}" if t.i + 1 < len(t.doc) else ""
        if t.text[:1].isupper() and (pair in table or t.lower_ in table):
            countries.append(table[pair] if pair in table else table[t.lower_])
            continue
        if other is None or own or other.start_char in seen_mentions:
            continue
        seen_mentions.add(other.start_char)
        if other.label == "GPE":
            countries.append(other.canonical)
        elif other.label in ("NORP", "ORG"):
            affiliations.append(other.canonical)
    if countries:
        return "country", countries[0]
    if affiliations:
        return "affiliation", affiliations[0]
    return None


# --- share of voice ------------------------------------------------------------------------------


def _quote_credit(quotes: pd.DataFrame) -> tuple[dict[str, dict[str, float]], int]:
    """Per speaker: quotes, direct, indirect, words (full), share_words (split); and total words."""
    stats: dict[str, dict[str, float]] = defaultdict(lambda: {"quotes": 0, "direct": 0, "indirect": 0, "words": 0, "share_words": 0.0})
    total = 0
    for row in quotes.itertuples(index=False):
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
) -> pd.DataFrame:
    """Who gets to speak: quotes and quoted words per actor.

    Every actor mentioned in the selected paragraphs (people and organisations by default) gets
    a row, and so does every speaker of the quotes table (including ``UNKNOWN`` and unnamed
    sources). A quote with several speakers ("A + B") counts for each; for the share of voice
    its words are split evenly between them, so shares over all rows sum to 1.

    Args:
        quotes: the quotes table (quote_id, kind, speaker, ..., text).
        mentions: ``entities.mention_table``.
        sides: ``actor_sides`` (canonical, side, evidence).
        roles: paragraph roles whose mentions are counted (None: all).
        labels: entity labels of the mentioned actors listed.

    Returns:
        DataFrame with columns actor, side ("" when unknown), mentions (in the selected
        paragraphs, names used only as modifiers excluded), quotes, direct, indirect,
        words_quoted (words of the actor's quotes), share_of_voice (share of all quoted words),
        status ("quoted directly", "only reported" or "mentioned, never quoted"); most voice
        first.
    """
    quotes = _quotes(quotes)
    body = _mention_rows(mentions, roles=roles, labels=None)
    counts = body["canonical"].value_counts()
    listed = _mention_rows(mentions, roles=roles, labels=labels)
    stats, total = _quote_credit(quotes)
    side_of = dict(zip(sides["canonical"], sides["side"])) if not sides.empty else {}
    order = list(dict.fromkeys(list(listed["canonical"]) + list(stats)))
    rows = []
    for actor in order:
        s = stats.get(actor, {"quotes": 0, "direct": 0, "indirect": 0, "words": 0, "share_words": 0.0})
        status = "quoted directly" if s["direct"] else "only reported" if s["quotes"] else "mentioned, never quoted"
        side = side_of.get(actor, "")
        rows.append((
            actor, side if isinstance(side, str) else "", int(counts.get(actor, 0)), int(s["quotes"]), int(s["direct"]),
            int(s["indirect"]), int(s["words"]), s["share_words"] / total if total else 0.0, status,
        ))
    columns = ["actor", "side", "mentions", "quotes", "direct", "indirect", "words_quoted", "share_of_voice", "status"]
    table = pd.DataFrame(rows, columns=columns)
    table["_order"] = range(len(table))
    table = table.sort_values(["share_of_voice", "quotes", "mentions", "_order"], ascending=[False, False, False, True])
    return table.drop(columns="_order").reset_index(drop=True)


def voice_by_side(
    quotes: pd.DataFrame,
    mentions: pd.DataFrame,
    sides: pd.DataFrame,
    *,
    roles: Sequence[str] | None = BODY_ROLES,
    labels: Sequence[str] = SPEAKING_LABELS,
) -> pd.DataFrame:
    """Share of voice per side (country or affiliation) of the speakers.

    Same arguments as ``voice_by_actor``. A quote counts once for each distinct side among its
    speakers; its words are split evenly between its speakers for the share, so shares sum to 1.
    Speakers with no known side (and ``UNKNOWN`` speakers) form the side "unknown".

    Returns:
        DataFrame with columns side, actors (listed actors on that side, see
        ``voice_by_actor``), quotes, words_quoted, share_of_voice; most voice first.
    """
    quotes = _quotes(quotes)
    voice = voice_by_actor(quotes, mentions, sides, roles=roles, labels=labels)
    side_of = {a: (s or UNKNOWN_SIDE) for a, s in zip(voice["actor"], voice["side"])}
    total = sum(word_count(t) for t in quotes["text"])
    agg: dict[str, dict[str, float]] = defaultdict(lambda: {"quotes": 0, "words": 0, "share": 0.0})
    for row in quotes.itertuples(index=False):
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
    table = pd.DataFrame(rows, columns=["side", "actors", "quotes", "words_quoted", "share_of_voice"])
    return table.sort_values(["share_of_voice", "quotes", "actors"], ascending=False, kind="stable").reset_index(drop=True)


# --- loaded labels ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _loaded_lexicon(path: str | None = None) -> tuple[list[dict[str, Any]], re.Pattern]:
    import yaml

    file = Path(path) if path else RESOURCES_DIR / "loaded_labels.yaml"
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FramelensError(f"{file}: cannot read the loaded-label lexicon ({exc.__class__.__name__})") from exc
    entries = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise FramelensError(f"{file}: expected a 'labels' list of {{term, pos, note}} entries")
    groups = []
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("note"):
            raise FramelensError(f"{file}: entry {n + 1} needs a 'term' and a 'note'")
        forms = [str(entry["term"])] + [str(f) for f in entry.get("forms") or []]
        groups.append(f"(?P<g{n}>{_term_regex(forms, plural=entry.get('pos') == 'noun')})")
    return entries, re.compile("|".join(groups), re.I)


def loaded_lexicon() -> pd.DataFrame:
    """The loaded-label lexicon (resources/loaded_labels.yaml) as a DataFrame: term, pos, forms, note."""
    entries, _ = _loaded_lexicon()
    return pd.DataFrame(
        [(e["term"], e.get("pos", ""), " | ".join(e.get("forms") or []), e["note"]) for e in entries],
        columns=["term", "pos", "forms", "note"],
    )


def _find_loaded(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, entry) of every loaded label in ``text``."""
    entries, pattern = _loaded_lexicon()
    return [(m.start(), m.end(), entries[int(m.lastgroup[1:])]) for m in pattern.finditer(text.translate(_APOSTROPHES))]


def loaded_labels(doc: "Doc", article: "Article", *, roles: Sequence[str] = BODY_ROLES) -> pd.DataFrame:
    """Every loaded label (resources/loaded_labels.yaml) in the body text and what it labels.

    Args:
        doc: the parse of ``article.text``.
        article: the article (its paragraph roles choose the text searched).
        roles: paragraph roles searched (body by default).

    Returns:
        DataFrame with columns paragraph, sentence, start_char, end_char, label (the lexicon
        term), text (as written), target (the noun phrase the label modifies or heads, e.g.
        "the self-proclaimed Islamic State terrorist group"; for an adverb such as "allegedly",
        the verb phrase), note (why the label is loaded), in text order.
    """
    sent_of = sentence_ids(doc)
    text = article.text.translate(_APOSTROPHES)
    rows = []
    for p in article.paragraphs:
        if p.role not in roles:
            continue
        for start, end, entry in _find_loaded(text[p.start_char : p.end_char]):
            start, end = start + p.start_char, end + p.start_char
            span = _span(doc, start, end)
            target = _label_target(span) if span is not None else ""
            sentence = sent_of[span[0].i] if span is not None else -1
            rows.append((p.index, sentence, start, end, entry["term"], article.text[start:end], target, entry["note"]))
    columns = ["paragraph", "sentence", "start_char", "end_char", "label", "text", "target", "note"]
    return pd.DataFrame(rows, columns=columns)


def _noun_phrase(head: "Token") -> str:
    """The noun phrase headed by ``head``: its left dependents, the head, and an "of" phrase."""
    doc = head.doc
    start = head.left_edge.i
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            end = max(end, child.right_edge.i + 1)
        elif child.dep_ in ("compound", "flat"):
            end = max(end, child.i + 1)
    sent = head.sent
    return doc[max(start, sent.start) : min(end, sent.end)].text.strip(" ,;:")


def _label_target(span: "Span") -> str:
    token = span.root
    nominal = ("NOUN", "PROPN")
    if token.pos_ == "ADV" or (token.dep_ == "advmod" and token.head.pos_ in ("VERB", "AUX")):
        verb = token.head
        objects = [c for c in verb.children if c.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp")]
        end = max([c.right_edge.i for c in objects] + [verb.i]) + 1
        return span.doc[verb.i : min(end, verb.i + 12)].text
    if token.dep_ in ("acomp", "attr") and token.head.lemma_ == "be":
        subjects = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return _noun_phrase(subjects[0])
    head = token
    if head.dep_ in ("amod", "compound", "nmod", "npadvmod", "advmod", "nummod") and head.head.pos_ in nominal:
        head = head.head
    while head.dep_ in ("compound", "flat") and head.head.pos_ in nominal and head.head != head:
        head = head.head
    if head.pos_ not in nominal and head.head.pos_ in nominal and head.dep_ in ("amod", "acl"):
        head = head.head
    return _noun_phrase(head)


def _loaded_in(text: str) -> list[dict[str, Any]]:
    return list({e["term"]: e for _, _, e in _find_loaded(text)}.values())


# --- naming --------------------------------------------------------------------------------------


def naming(
    doc: "Doc",
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    *,
    article: "Article | None" = None,
    roles: Sequence[str] = BODY_ROLES,
    labels: Sequence[str] = SPEAKING_LABELS,
) -> pd.DataFrame:
    """Every expression the text uses to refer to each actor, with counts.

    Expressions and their ``kind``:

    - names from the mention table, with the titles and modifiers in front of them:
      full_name ("Angela Merkel"), surname ("Merkel"), title_name ("German Chancellor Angela
      Merkel", "Mrs Merkel"), acronym ("UN"), other (a first name, "A. Merkel", an alias);
    - description: a definite noun phrase headed by a role noun ("the German leader", "his
      French counterpart"), attributed to an actor when it is in apposition to the name, when a
      quote's ``speaker_mention`` is that phrase, or else to the most recently mentioned person
      whose side (``actor_sides``) matches the phrase's nationality adjective or whose title
      matches its head noun;
    - pronoun: he/him/his/she/her (outside direct quotes), attributed through the quotes
      table (a quote whose ``speaker_mention`` is the pronoun) or else by recency: an earlier
      person in the same sentence, otherwise the subject (or first person named) of the nearest
      earlier sentence naming a person, within five sentences, skipping people whose gender
      (from Mr/Mrs-type honorifics or quote-attributed pronouns) does not match.

    Args:
        doc: the parse of the article text.
        mentions: ``entities.mention_table``.
        quotes: the quotes table (speaker, speaker_mention, kind, start_char, end_char used;
            speaker_start_char/speaker_end_char too when present).
        article: when given, descriptions and pronouns are searched in the ``roles``
            paragraphs only (otherwise in the whole text); mentions always follow ``roles``.
        roles: paragraph roles searched.
        labels: labels of the actors whose names are listed.

    Returns:
        DataFrame with columns actor, expression (as written; a description's leading article
        lower-cased, possessive 's removed, pronouns lower-cased), kind, count, loaded (True
        when the expression or a word modifying it is in the loaded-label lexicon),
        loaded_note; sorted by actor (most referred-to first) then count.
    """
    quotes = _quotes(quotes, required=("speaker", "kind", "text", "start_char", "end_char"))
    body = _mention_rows(mentions, roles=roles, labels=None, modifiers=True).sort_values("start_char")
    sides = actor_sides(doc, mentions)
    side_of = dict(zip(sides["canonical"], sides["side"]))
    label_of = dict(zip(mentions["canonical"], mentions["label"]))
    sent_of = sentence_ids(doc)
    allowed = _allowed_tokens(doc, article, roles)
    direct_spans = [
        (int(q.start_char), int(q.end_char)) for q in quotes.itertuples(index=False) if str(q.kind) == "direct"
    ]

    def in_direct_quote(char: int) -> bool:
        return any(s <= char < e for s, e in direct_spans)

    mention_tokens: dict[int, Any] = {}
    events: list[tuple[int, str, Any]] = []  # (token index, type, payload)
    for row in body.itertuples(index=False):
        span = _span(doc, row.start_char, row.end_char)
        if span is None:
            continue
        for t in span:
            mention_tokens[t.i] = row
        if row.label in labels and not getattr(row, "modifier", False):
            events.append((span.root.i, "mention", (row, span)))
    for t in doc:
        if t.i not in allowed or t.i in mention_tokens or in_direct_quote(t.idx):
            continue
        if t.pos_ == "PRON" and t.lower_ in PRONOUN_GENDER:
            events.append((t.i, "pronoun", t))
        elif t.pos_ == "NOUN" and t.tag_ == "NN" and t.lemma_.lower() in _role_nouns():
            if t.dep_ in ("compound", "flat"):
                continue  # modifies another noun ("spokesman X", "the host country"): not a referring phrase
            events.append((t.i, "description", t))
    events.sort(key=lambda e: e[0])

    by_quote = _quote_attributions(doc, quotes, events)
    gender: dict[str, str] = {}
    for token_i, actor in by_quote.items():
        g = PRONOUN_GENDER.get(doc[token_i].lower_)
        if g:
            gender.setdefault(actor, g)
    person_titles: dict[str, set[str]] = defaultdict(set)
    history: list[tuple[str, int, int, bool]] = []  # (actor, token index, sentence, is subject)
    rows: list[tuple[str, str, str, bool, str]] = []

    def remember(actor: str, token: "Token") -> None:
        history.append((actor, token.i, sent_of[token.i], _is_subject(token)))

    for token_i, kind, payload in events:
        if kind == "mention":
            row, span = payload
            expression, name_kind, prefix = _name_expression(span, row)
            own_titles = [
                w for w in prefix
                if w.head == span.root or (w.head in prefix and w.head.head == span.root and w.dep_ in ("compound", "amod"))
            ]
            for word in own_titles:
                person_titles[row.canonical].add(word.lower_)
                if word.lower_.rstrip(".") in HONORIFIC_GENDER:
                    gender.setdefault(row.canonical, HONORIFIC_GENDER[word.lower_.rstrip(".")])
            notes = _loaded_in(_modifier_text(span.root, span))
            rows.append((row.canonical, expression, name_kind, bool(notes), "; ".join(f"{e['term']}: {e['note']}" for e in notes)))
            if label_of.get(row.canonical) == "PERSON":
                remember(row.canonical, span.root)
        elif kind == "description":
            token = payload
            actor = by_quote.get(token.i) or _description_actor(token, mention_tokens, history, side_of, person_titles, label_of)
            if not actor:
                continue
            phrase = doc[_phrase_start(token) : token.i + 1]
            expression = _norm(_POSSESSIVE_END.sub("", phrase.text))
            if expression[:1].isupper() and phrase[0].pos_ in ("DET", "PRON"):
                expression = expression[0].lower() + expression[1:]
            notes = _loaded_in(_modifier_text(token, phrase))
            rows.append((actor, expression, "description", bool(notes), "; ".join(f"{e['term']}: {e['note']}" for e in notes)))
            if label_of.get(actor, "PERSON") == "PERSON":
                remember(actor, token)
        else:
            token = payload
            actor = by_quote.get(token.i) or _pronoun_actor(token, history, gender, sent_of)
            if not actor:
                continue
            rows.append((actor, token.lower_, "pronoun", False, ""))
            remember(actor, token)
    columns = ["actor", "expression", "kind", "count", "loaded", "loaded_note"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(rows, columns=["actor", "expression", "kind", "loaded", "loaded_note"])
    grouped = (
        table.groupby(["actor", "expression", "kind"], sort=False)
        .agg(count=("loaded", "size"), loaded=("loaded", "any"), loaded_note=("loaded_note", "max"))
        .reset_index()
    )
    totals = grouped.groupby("actor")["count"].transform("sum")
    grouped = grouped.assign(_total=totals).sort_values(["_total", "actor", "count"], ascending=[False, True, False], kind="stable")
    return grouped[columns].reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _role_nouns() -> frozenset[str]:
    return ROLE_NOUNS | {t for t in titles() if t.isalpha() and len(t) > 3}


def _allowed_tokens(doc: "Doc", article: "Article | None", roles: Sequence[str]) -> set[int]:
    if article is None:
        return set(range(len(doc)))
    allowed: set[int] = set()
    for p in article.paragraphs:
        if p.role in roles:
            span = _span(doc, p.start_char, p.end_char)
            if span is not None:
                allowed.update(range(span.start, span.end))
    return allowed


def _is_subject(token: "Token") -> bool:
    head = token
    while head.dep_ in ("compound", "flat", "conj", "appos") and head.head != head:
        head = head.head
    return head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ == "ROOT"


def _phrase_start(token: "Token") -> int:
    start = token.left_edge.i
    while start < token.i and token.doc[start].is_punct:
        start += 1
    return start


def _modifier_text(root: "Token", span: "Span") -> str:
    """Text of the noun phrase a name or description belongs to, with its modifiers and appositions."""
    head = root
    while head.dep_ in ("compound", "flat", "nmod", "amod") and head.head.pos_ in ("NOUN", "PROPN") and head.head != head:
        head = head.head
    doc = root.doc
    parts = [doc[min(head.left_edge.i, span.start) : max(head.i + 1, span.end)].text]
    for token in (root, head):
        parts.extend(doc[c.left_edge.i : c.i + 1].text for c in token.children if c.dep_ == "appos")
        if token.dep_ == "appos":
            parts.append(doc[token.head.left_edge.i : token.head.i + 1].text)
    return " | ".join(parts)


def _name_expression(span: "Span", row: Any) -> tuple[str, str, list["Token"]]:
    """(expression, kind, title/modifier tokens) for a name mention."""
    doc = span.doc
    root = span.root
    start = span.start
    if row.label == "PERSON":
        # walk left over the name's own premodifiers ("German Chancellor", "Mrs", "Brazil's")
        subtree = {t.i for t in root.subtree}
        while start > 0 and (start - 1) in subtree and not doc[start - 1].is_space and (
            doc[start - 1].dep_ not in ("det", "punct", "prep", "cc")
            or (doc[start - 1].text in "-‐‑" and not doc[start - 1].whitespace_ and not doc[start - 2].whitespace_)
        ):
            start -= 1
        if start < span.start and doc[start].dep_ == "poss" and doc[start].pos_ == "PRON":
            start += 1  # "his" starts a description, not a title
    prefix = list(doc[start : span.start])
    raw = _POSSESSIVE_END.sub("", doc[start : span.end].text)
    expression = _norm(re.sub(r"^(the|The)\s+", "", raw))
    name = clean_name(span.text, row.label)
    canonical = str(row.canonical)
    key = lambda s: re.sub(r"[^\w]+", " ", s.casefold()).strip()  # noqa: E731
    if row.label == "PERSON":
        words = name.split()
        inner_title = key(_POSSESSIVE_END.sub("", re.sub(r"^(the|The)\s+", "", span.text))) != key(name)
        if prefix or inner_title:
            kind = "title_name"
            prefix = prefix + [t for t in span if key(t.text) not in key(name).split()]
        elif len(words) > 1 and key(name) == key(canonical):
            kind = "full_name"
        elif len(words) == 1 and key(name) == key(canonical.split()[-1]):
            kind = "surname"
        else:
            kind = "other"
        return expression, kind, prefix
    letters = name.replace(".", "").replace("&", "")
    if letters.isupper() and len(letters) <= 8 and key(name) != key(canonical):
        kind = "acronym"
    elif key(name) == key(canonical):
        kind = "full_name"
    else:
        kind = "other"
    return _norm(_POSSESSIVE_END.sub("", name)), kind, []


def _quote_attributions(doc: "Doc", quotes: pd.DataFrame, events: list[tuple[int, str, Any]]) -> dict[int, str]:
    """Token index of a pronoun or description -> speaker, from quotes' speaker_mention.

    When the quotes table gives the speaker mention's offsets (speaker_start_char,
    speaker_end_char) the pronoun or description inside them is used; otherwise the one written
    like ``speaker_mention`` nearest to the quote (within 400 characters).
    """
    if "speaker_mention" not in quotes.columns:
        return {}
    found: dict[int, str] = {}
    candidates = [(i, kind, payload) for i, kind, payload in events if kind in ("pronoun", "description")]
    has_offsets = {"speaker_start_char", "speaker_end_char"} <= set(quotes.columns)
    for q in quotes.itertuples(index=False):
        speakers = split_speakers(q.speaker)
        mention = q.speaker_mention
        if len(speakers) != 1 or speakers[0] == UNKNOWN or not isinstance(mention, str) or not mention.strip():
            continue
        if has_offsets and pd.notna(q.speaker_start_char) and pd.notna(q.speaker_end_char):
            lo, hi = int(q.speaker_start_char), int(q.speaker_end_char)
            inside = [i for i, _, token in candidates if lo <= token.idx < hi]
            if inside:
                found.setdefault(inside[-1], speakers[0])
            continue
        wanted = _strip_determiner(_norm(_POSSESSIVE_END.sub("", mention)).lower())
        best: tuple[int, int] | None = None
        for i, kind, token in candidates:
            if kind == "pronoun":
                text = token.lower_
            else:
                text = _strip_determiner(_norm(doc[_phrase_start(token) : token.i + 1].text).lower())
            if text != wanted:
                continue
            distance = max(int(q.start_char) - token.idx, token.idx - int(q.end_char), 0)
            if distance <= 400 and (best is None or distance < best[0]):
                best = (distance, i)
        if best is not None:
            found.setdefault(best[1], speakers[0])
    return found


def _strip_determiner(text: str) -> str:
    return re.sub(r"^(the|a|an|this|that)\s+", "", text)


def _description_actor(
    token: "Token",
    mention_tokens: dict[int, Any],
    history: list[tuple[str, int, int, bool]],
    side_of: dict[str, str],
    person_titles: dict[str, set[str]],
    label_of: dict[str, str],
) -> str | None:
    """The actor a role-noun description refers to (apposition, then nationality or title + recency)."""
    for child in token.children:
        if child.dep_ == "appos" and child.i in mention_tokens:
            return mention_tokens[child.i].canonical
    if token.dep_ == "appos" and token.head.i in mention_tokens:
        return mention_tokens[token.head.i].canonical
    phrase = token.doc[_phrase_start(token) : token.i + 1]
    first = phrase[0]
    definite = first.lower_ in ("the", "this", "that") or first.dep_ == "poss" or first.tag_ == "PRP$"
    if not definite:
        return None
    table = demonyms()
    country = None
    for t in phrase:
        if t.text[:1].isupper() and t.lower_ in table:
            country = table[t.lower_]
        elif t.i in mention_tokens and mention_tokens[t.i].label == "GPE":
            country = mention_tokens[t.i].canonical
    lemma = token.lemma_.lower()
    seen = set()
    for actor, *_ in reversed(history):
        if actor in seen or label_of.get(actor) != "PERSON":
            continue
        seen.add(actor)
        if country is not None:
            if side_of.get(actor) == country:
                return actor
        elif lemma in person_titles.get(actor, set()):
            return actor
    return None


def _pronoun_actor(token: "Token", history: list[tuple[str, int, int, bool]], gender: dict[str, str], sent_of: list[int]) -> str | None:
    """Antecedent of a third-person pronoun by salience-weighted recency (see ``naming``)."""
    want = PRONOUN_GENDER[token.lower_]
    sentence = sent_of[token.i]
    compatible = [h for h in history if gender.get(h[0], want) == want and h[1] < token.i]
    same = [h for h in compatible if h[2] == sentence]
    if same:
        subjects = [h for h in same if h[3]]
        return (subjects or same)[-1][0]
    earlier = [h for h in compatible if sentence - 5 <= h[2] < sentence]
    if not earlier:
        return None
    last = max(h[2] for h in earlier)
    in_last = [h for h in earlier if h[2] == last]
    subjects = [h for h in in_last if h[3]]
    return (subjects or in_last)[0][0]


# --- reporting verbs ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _verb_lexicon(path: str | None = None) -> tuple[dict[str, str], tuple[str, ...]]:
    import yaml

    file = Path(path) if path else RESOURCES_DIR / "reporting_verbs.yaml"
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FramelensError(f"{file}: cannot read the reporting-verb lexicon ({exc.__class__.__name__})") from exc
    classes = data.get("classes") if isinstance(data, dict) else None
    if not isinstance(classes, dict):
        raise FramelensError(f"{file}: expected a 'classes' mapping of class -> {{description, verbs}}")
    table: dict[str, str] = {}
    for name, spec in classes.items():
        for verb in (spec or {}).get("verbs") or []:
            verb = " ".join(str(verb).lower().split())
            if verb in table and table[verb] != name:
                raise FramelensError(f"{file}: verb {verb!r} is in both {table[verb]!r} and {name!r}; keep it in one class")
            table[verb] = str(name)
    return table, tuple(classes)


def verb_connotations() -> pd.DataFrame:
    """The reporting-verb lexicon (resources/reporting_verbs.yaml): columns lemma, connotation."""
    table, _ = _verb_lexicon()
    return pd.DataFrame(sorted(table.items(), key=lambda kv: (kv[1], kv[0])), columns=["lemma", "connotation"])


def verb_connotation(cue_lemma: Any, cue: Any = "") -> str:
    """Connotation class of a reporting verb ("claim" -> "distancing"); "other" when unlisted,
    "none" when the quote has no cue. A particle in ``cue`` is used ("pointed out" -> "point out")."""
    table, _ = _verb_lexicon()
    lemma = " ".join(str(cue_lemma).lower().split()) if isinstance(cue_lemma, str) else ""
    surface = " ".join(str(cue).lower().split()) if isinstance(cue, str) else ""
    if not lemma and not surface:
        return "none"
    words = surface.split()
    candidates = [lemma]
    if lemma and len(words) > 1:
        candidates.insert(0, f"{lemma.split()[0]} {words[-1]}")
    candidates.append(lemma.split()[0] if lemma else "")
    candidates.append(surface)
    for c in candidates:
        if c and c in table:
            return table[c]
    return "other"


def reporting_verbs(quotes: pd.DataFrame) -> pd.DataFrame:
    """How each speaker's words are introduced: reporting verbs per speaker with their connotation.

    A quote with several speakers counts for each. Connotation classes come from
    resources/reporting_verbs.yaml (see ``verb_connotation``).

    Returns:
        DataFrame with columns speaker, cue_lemma, cue (lower-cased, "" when none), count,
        connotation; by speaker then count.
    """
    quotes = _quotes(quotes, required=("speaker", "cue", "cue_lemma"))
    rows = []
    for q in quotes.itertuples(index=False):
        lemma = str(q.cue_lemma).lower().strip() if isinstance(q.cue_lemma, str) else ""
        cue = " ".join(str(q.cue).lower().split()) if isinstance(q.cue, str) else ""
        connotation = verb_connotation(lemma, cue)
        for speaker in dict.fromkeys(split_speakers(q.speaker)):
            rows.append((speaker, lemma, cue, connotation))
    columns = ["speaker", "cue_lemma", "cue", "count", "connotation"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(rows, columns=["speaker", "cue_lemma", "cue", "connotation"])
    grouped = table.groupby(["speaker", "cue_lemma", "cue", "connotation"], sort=False).size().reset_index(name="count")
    return grouped.sort_values(["speaker", "count"], ascending=[True, False], kind="stable")[columns].reset_index(drop=True)


def verb_profile(quotes: pd.DataFrame) -> pd.DataFrame:
    """Speaker x connotation counts of reporting verbs.

    Returns:
        DataFrame with a speaker column, one column per connotation class used (in the
        lexicon's order, then "other" and "none"), and total; speakers with most quotes first.
    """
    verbs = reporting_verbs(quotes)
    _, classes = _verb_lexicon()
    if verbs.empty:
        return pd.DataFrame(columns=["speaker", "total"])
    wide = verbs.pivot_table(index="speaker", columns="connotation", values="count", aggfunc="sum", fill_value=0)
    order = [c for c in (*classes, "other", "none") if c in wide.columns]
    wide = wide[order]
    wide["total"] = wide.sum(axis=1)
    wide = wide.sort_values("total", ascending=False, kind="stable").reset_index()
    wide.columns.name = None
    return wide


# --- tone ----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(text: str) -> dict[str, float]:
    """VADER scores of ``text``: compound (-1..1), pos, neu, neg (shares)."""
    scores = _analyzer().polarity_scores(text if isinstance(text, str) else "")
    return {k: float(scores[k]) for k in ("compound", "pos", "neu", "neg")}


def _select(sentences: pd.DataFrame, roles: Sequence[str] | None) -> pd.DataFrame:
    s = sentences if roles is None else sentences[sentences["role"].isin(roles)]
    return s.sort_values("start_char", kind="stable").reset_index(drop=True) if "start_char" in s.columns else s.reset_index(drop=True)


def tone_sentences(sentences: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """VADER tone of every sentence (Hutto & Gilbert 2014).

    Args:
        sentences: ``tokens.sentence_table``.
        roles: paragraph roles kept (None: all).

    Returns:
        DataFrame with columns sentence, paragraph, role, position (0 for the first kept
        sentence, 1 for the last), compound, pos, neu, neg, text.
    """
    s = _select(sentences, roles)
    n = len(s)
    scores = [tone(t) for t in s["text"]]
    table = pd.DataFrame(
        {
            "sentence": s["sentence"].astype(int) if n else [],
            "paragraph": s["paragraph"].astype(int) if n else [],
            "role": s["role"] if n else [],
            "position": [i / (n - 1) if n > 1 else 0.0 for i in range(n)],
            "compound": [x["compound"] for x in scores],
            "pos": [x["pos"] for x in scores],
            "neu": [x["neu"] for x in scores],
            "neg": [x["neg"] for x in scores],
            "text": s["text"] if n else [],
        }
    )
    return table


def tone_paragraphs(sentences: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Tone per paragraph: the mean VADER scores of its sentences.

    Returns:
        DataFrame with columns paragraph, role, sentences, position (0..1 over the kept
        paragraphs), compound, pos, neu, neg, text (the sentences joined).
    """
    t = tone_sentences(sentences, roles=roles)
    columns = ["paragraph", "role", "sentences", "position", "compound", "pos", "neu", "neg", "text"]
    if t.empty:
        return pd.DataFrame(columns=columns)
    grouped = t.groupby("paragraph", sort=False).agg(
        role=("role", "first"), sentences=("sentence", "size"), compound=("compound", "mean"),
        pos=("pos", "mean"), neu=("neu", "mean"), neg=("neg", "mean"), text=("text", " ".join),
    ).reset_index()
    n = len(grouped)
    grouped["position"] = [i / (n - 1) if n > 1 else 0.0 for i in range(n)]
    return grouped[columns]


def tone_arc(sentences: pd.DataFrame, *, window: int = 3, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """The tone arc: a centred rolling mean of sentence tone along the body.

    Args:
        sentences: ``tokens.sentence_table``.
        window: sentences averaged (a positive integer; ends use the sentences available).
        roles: paragraph roles kept.

    Returns:
        DataFrame with columns sentence, paragraph, position (0..1), compound, rolling.
    """
    if not isinstance(window, int) or window < 1:
        raise FramelensError(f"tone_arc: window must be a positive whole number of sentences, got {window!r}")
    t = tone_sentences(sentences, roles=roles)
    t["rolling"] = t["compound"].rolling(window, center=True, min_periods=1).mean()
    return t[["sentence", "paragraph", "position", "compound", "rolling"]]


def tone_by_speaker(quotes: pd.DataFrame, sentences: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Mean VADER tone of each speaker's quotes, and of the narrator.

    The narrator is every kept sentence that overlaps no quote span. A quote with several
    speakers counts for each.

    Returns:
        DataFrame with columns speaker, units (quotes, or sentences for "narrator"), words,
        compound, pos, neu, neg (means); speakers with most units first, narrator last.
    """
    quotes = _quotes(quotes, required=("speaker", "text", "start_char", "end_char"))
    per: dict[str, list[dict[str, float]]] = defaultdict(list)
    for q in quotes.itertuples(index=False):
        scores = {**tone(q.text), "words": word_count(q.text)}
        for speaker in dict.fromkeys(split_speakers(q.speaker)):
            per[speaker].append(scores)
    spans = [(int(q.start_char), int(q.end_char)) for q in quotes.itertuples(index=False)]
    narrator = []
    for row in _select(sentences, roles).itertuples(index=False):
        if not any(s < row.end_char and row.start_char < e for s, e in spans):
            narrator.append({**tone(row.text), "words": word_count(row.text)})

    def summary(name: str, items: list[dict[str, float]]) -> tuple:
        frame = pd.DataFrame(items, columns=["compound", "pos", "neu", "neg", "words"])
        means = (float(frame[c].mean()) if items else float("nan") for c in ("compound", "pos", "neu", "neg"))
        return (name, len(items), int(frame["words"].sum()), *means)

    rows = sorted((summary(name, items) for name, items in per.items()), key=lambda r: -r[1])
    rows.append(summary(NARRATOR, narrator))
    return pd.DataFrame(rows, columns=["speaker", "units", "words", "compound", "pos", "neu", "neg"])


# --- generic frames (Semetko & Valkenburg 2000) -------------------------------------------------

RULE_KEYS = {
    "terms_any", "lemmas_any", "patterns_any", "none_of_terms", "requires_entity", "min_actors",
    "actor_labels", "requires_quote", "all_of", "any_of",
}
QUESTION_KEYS = {"id", "question", "rule", "min_sentences", "roles", "note"}
DEFAULT_ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")


def load_codebook(path: Path | str | None = None) -> dict[str, Any]:
    """Read and check a frames codebook (default: resources/frames_codebook.yaml).

    "@name" items in term, lemma and pattern lists are replaced by the codebook's shared
    ``lists``. Every rule key is checked against the documented vocabulary.

    Returns:
        dict with keys reference (str) and frames: a list of {frame, label, description,
        questions: [{id, question, note, min_sentences, roles, rule}]}.

    Raises:
        FramelensError: when the file is missing, is not YAML, or uses an unknown key, list or
            regular expression.
    """
    import yaml

    file = Path(path) if path else RESOURCES_DIR / "frames_codebook.yaml"
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FramelensError(f"{file}: cannot read the codebook ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise FramelensError(f"{file}: invalid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("frames"), list) or not data["frames"]:
        raise FramelensError(f"{file}: expected a mapping with a non-empty 'frames' list")
    lists = data.get("lists") or {}
    seen: set[str] = set()
    frames_out = []
    for f in data["frames"]:
        if not isinstance(f, dict) or not f.get("frame") or not isinstance(f.get("questions"), list):
            raise FramelensError(f"{file}: every frame needs 'frame' and a 'questions' list")
        questions = []
        for q in f["questions"]:
            where = f"{file}: frame {f['frame']!r}, question {q.get('id') if isinstance(q, dict) else q!r}"
            if not isinstance(q, dict) or not q.get("id") or not q.get("question") or not isinstance(q.get("rule"), dict):
                raise FramelensError(f"{where}: needs 'id', 'question' and a 'rule' mapping")
            unknown = set(q) - QUESTION_KEYS
            if unknown:
                raise FramelensError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(QUESTION_KEYS))}")
            if q["id"] in seen:
                raise FramelensError(f"{where}: question id {q['id']!r} is used twice")
            seen.add(q["id"])
            min_sentences = q.get("min_sentences", 1)
            if not isinstance(min_sentences, int) or min_sentences < 1:
                raise FramelensError(f"{where}: min_sentences must be a positive whole number")
            roles = q.get("roles") or list(BODY_ROLES)
            if not isinstance(roles, list) or not set(roles) <= set(ROLES):
                raise FramelensError(f"{where}: roles must be a list of paragraph roles ({', '.join(ROLES)})")
            rule = _expand_rule(q["rule"], lists, where)
            _compile_rule(rule, where)  # fail now, not when the rule is used
            questions.append({
                "id": str(q["id"]), "question": str(q["question"]), "note": str(q.get("note", "")),
                "min_sentences": min_sentences, "roles": list(roles), "rule": rule,
            })
        frames_out.append({
            "frame": str(f["frame"]), "label": str(f.get("label", f["frame"])),
            "description": str(f.get("description", "")), "questions": questions,
        })
    return {"reference": str(data.get("reference", "")), "frames": frames_out}


def _expand_rule(rule: Mapping[str, Any], lists: Mapping[str, Any], where: str) -> dict[str, Any]:
    if not rule or set(rule) <= {"actor_labels"}:
        raise FramelensError(f"{where}: a rule needs at least one condition ({', '.join(sorted(RULE_KEYS))})")
    unknown = set(rule) - RULE_KEYS
    if unknown:
        raise FramelensError(f"{where}: unknown rule key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(RULE_KEYS))}")
    out: dict[str, Any] = {}
    for key, value in rule.items():
        if key in ("all_of", "any_of"):
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise FramelensError(f"{where}: {key} must be a list of rule mappings")
            out[key] = [_expand_rule(v, lists, where) for v in value]
        elif key in ("terms_any", "lemmas_any", "patterns_any", "none_of_terms", "actor_labels", "requires_entity"):
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list):
                raise FramelensError(f"{where}: {key} must be a list")
            expanded = []
            for item in items:
                item = str(item)
                if item.startswith("@"):
                    if item[1:] not in lists:
                        raise FramelensError(f"{where}: {key} refers to unknown list {item!r}")
                    expanded.extend(str(x) for x in lists[item[1:]])
                else:
                    expanded.append(item)
            out[key] = expanded
        elif key == "min_actors":
            if not isinstance(value, int) or value < 1:
                raise FramelensError(f"{where}: min_actors must be a positive whole number")
            out[key] = value
        elif key == "requires_quote":
            if value not in (True, False, "direct", "indirect", "any"):
                raise FramelensError(f"{where}: requires_quote must be true, direct or indirect")
            out[key] = value
    return out


def _inflections(lemma: str) -> list[str]:
    """Regular inflected forms of a lemma (used when no token table gives lemmas)."""
    first, _, rest = lemma.partition(" ")
    forms = {first, first + "s", first + "es", first + "ed", first + "d", first + "ing"}
    if first.endswith("e"):
        forms |= {first[:-1] + "ing"}
    if first.endswith("y") and len(first) > 2 and first[-2] not in "aeiou":
        forms |= {first[:-1] + "ies", first[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", first) and len(first) <= 4:
        forms |= {first + first[-1] + "ed", first + first[-1] + "ing"}
    return [f"{f} {rest}".strip() for f in forms]


def _compile_rule(rule: Mapping[str, Any], where: str = "codebook") -> Callable[[dict[str, Any]], bool]:
    """A predicate over one sentence's features (see ``_sentence_features``)."""
    checks: list[Callable[[dict[str, Any]], bool]] = []
    if "terms_any" in rule:
        pattern = re.compile(_term_regex(rule["terms_any"]), re.I)
        checks.append(lambda s, p=pattern: bool(p.search(s["text"])))
    if "none_of_terms" in rule:
        pattern = re.compile(_term_regex(rule["none_of_terms"]), re.I)
        checks.append(lambda s, p=pattern: not p.search(s["text"]))
    if "patterns_any" in rule:
        try:
            pattern = re.compile("|".join(f"(?:{p})" for p in rule["patterns_any"]), re.I)
        except re.error as exc:
            raise FramelensError(f"{where}: invalid regular expression in patterns_any ({exc})") from exc
        checks.append(lambda s, p=pattern: bool(p.search(s["text"])))
    if "lemmas_any" in rule:
        lemmas = [" ".join(str(x).lower().split()) for x in rule["lemmas_any"]]
        by_lemma = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(x) for x in lemmas) + r")(?!\S)")
        by_form = re.compile(_term_regex([f for x in lemmas for f in _inflections(x)]), re.I)
        checks.append(
            lambda s, a=by_lemma, b=by_form: bool(a.search(s["lemmas"])) if s["lemmas"] is not None else bool(b.search(s["text"]))
        )
    if "requires_entity" in rule:
        wanted = set(rule["requires_entity"])
        checks.append(lambda s, w=wanted: bool(w & set(s["actors"])))
    if "min_actors" in rule:
        labels = set(rule.get("actor_labels") or DEFAULT_ACTOR_LABELS)
        n = rule["min_actors"]
        checks.append(lambda s, l=labels, n=n: len({a for lab, actors in s["actors"].items() if lab in l for a in actors}) >= n)
    if "requires_quote" in rule and rule["requires_quote"]:
        kind = rule["requires_quote"]
        checks.append(lambda s, k=kind: bool(s["quotes"]) if k in (True, "any") else k in s["quotes"])
    if "all_of" in rule:
        subs = [_compile_rule(r, where) for r in rule["all_of"]]
        checks.append(lambda s, subs=subs: all(f(s) for f in subs))
    if "any_of" in rule:
        subs = [_compile_rule(r, where) for r in rule["any_of"]]
        checks.append(lambda s, subs=subs: any(f(s) for f in subs))
    return lambda s: all(check(s) for check in checks)


def _sentence_features(
    sentences: pd.DataFrame, mentions: pd.DataFrame, quotes: pd.DataFrame, tokens: pd.DataFrame | None
) -> list[dict[str, Any]]:
    """Per sentence: number, role, normalised text, lemma string (None without tokens), actors by label, quote kinds."""
    actors: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in mentions.itertuples(index=False):
        actors[int(m.sentence)][m.label].add(m.canonical)
    lemmas: dict[int, str] = {}
    if tokens is not None and not tokens.empty:
        for n, group in tokens.groupby("sentence", sort=False):
            lemmas[int(n)] = " ".join(str(x).lower() for x in group["lemma"])
    spans = [(int(q.start_char), int(q.end_char), str(q.kind)) for q in quotes.itertuples(index=False)]
    features = []
    for s in sentences.itertuples(index=False):
        n = int(s.sentence)
        features.append({
            "sentence": n,
            "role": s.role,
            "text": _norm(str(s.text)),
            "raw": str(s.text),
            "lemmas": lemmas.get(n, "") if tokens is not None else None,
            "actors": actors.get(n, {}),
            "quotes": {k for a, b, k in spans if a < s.end_char and s.start_char < b},
        })
    return features


def frames(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    *,
    codebook: Mapping[str, Any] | Path | str | None = None,
    tokens: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Answer the codebook's yes/no questions (Semetko & Valkenburg 2000 by default).

    Each question's rule is applied to every sentence of the roles it names (body by default);
    the answer is yes when at least ``min_sentences`` sentences match.

    Args:
        sentences: ``tokens.sentence_table``.
        mentions: ``entities.mention_table`` (for entity conditions).
        quotes: the quotes table (for quote conditions; may be empty).
        codebook: a codebook returned by ``load_codebook``, a path to a codebook file, or None
            for the packaged one (resources/frames_codebook.yaml).
        tokens: ``tokens.token_table``; when given, lemma conditions use its lemmas exactly,
            otherwise regular inflections of each lemma are matched in the text.

    Returns:
        DataFrame, one row per question in codebook order, with columns frame, question_id,
        question, answer (bool), evidence (list of matching sentence numbers),
        evidence_text (up to three matching sentences joined by " | ").
    """
    book = codebook if isinstance(codebook, Mapping) else load_codebook(codebook)
    quotes = _quotes(quotes, required=("kind", "start_char", "end_char"))
    features = _sentence_features(sentences, mentions, quotes, tokens)
    rows = []
    for f in book["frames"]:
        for q in f["questions"]:
            test = _compile_rule(q["rule"], q["id"])
            roles = set(q.get("roles") or BODY_ROLES)
            matches = [s for s in features if s["role"] in roles and test(s)]
            answer = len(matches) >= int(q.get("min_sentences", 1))
            text = " | ".join(s["raw"] for s in matches[:3]) + (f" | (+{len(matches) - 3} more)" if len(matches) > 3 else "")
            rows.append((f["frame"], q["id"], q["question"], bool(answer), [s["sentence"] for s in matches], text))
    return pd.DataFrame(rows, columns=["frame", "question_id", "question", "answer", "evidence", "evidence_text"])


def frame_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Per frame: questions answered yes, questions asked, and score = share of yes.

    Returns:
        DataFrame with columns frame, yes, questions, score (0..1), in codebook order.
    """
    if answers.empty:
        return pd.DataFrame(columns=["frame", "yes", "questions", "score"])
    grouped = answers.groupby("frame", sort=False)["answer"].agg(yes="sum", questions="size").reset_index()
    grouped["yes"] = grouped["yes"].astype(int)
    grouped["score"] = grouped["yes"] / grouped["questions"]
    return grouped[["frame", "yes", "questions", "score"]]


CODER_COLUMNS = ["question_id", "frame", "question", "answer", "coder", "note"]
_YES = {"yes", "y", "true", "1", "ja", "x"}
_NO = {"no", "n", "false", "0", "nein"}


def coder_template(answers: pd.DataFrame) -> pd.DataFrame:
    """A blank coding sheet for a human coder, one row per question of ``answers``.

    The machine's answers are left out so the coder codes blind. Save it with
    ``coder_template(answers).to_csv(path, index=False)``; the coder fills answer (yes/no),
    coder (a name or initials) and note.

    Returns:
        DataFrame with columns question_id, frame, question, answer, coder, note (the last three
        empty strings).
    """
    sheet = answers[["question_id", "frame", "question"]].copy()
    for column in ("answer", "coder", "note"):
        sheet[column] = ""
    return sheet[CODER_COLUMNS].reset_index(drop=True)


def read_coder_answers(path: Path | str) -> pd.DataFrame:
    """Read a coding sheet (see ``coder_template``) filled in by a human coder.

    Answers may be yes/no, y/n, true/false or 1/0 (any case); a blank answer means the question
    was not coded.

    Returns:
        DataFrame with columns question_id, answer (bool, or <NA> when blank), coder, note, plus
        frame and question when the sheet has them.

    Raises:
        FramelensError: when the file is missing, lacks question_id/answer, or has an answer
            that is not yes or no.
    """
    path = Path(path)
    if not path.is_file():
        raise FramelensError(f"{path}: no such coding sheet")
    try:
        sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise FramelensError(f"{path}: not a readable CSV coding sheet ({exc.__class__.__name__})") from exc
    missing = [c for c in ("question_id", "answer") if c not in sheet.columns]
    if missing:
        raise FramelensError(f"{path}: coding sheet lacks column(s) {', '.join(missing)}; start from coder_template()")
    values = []
    for n, raw in enumerate(sheet["answer"], start=2):
        value = str(raw).strip().lower()
        if value in _YES:
            values.append(True)
        elif value in _NO:
            values.append(False)
        elif value == "":
            values.append(pd.NA)
        else:
            raise FramelensError(f"{path}, line {n}: answer {raw!r} is neither yes nor no")
    sheet["answer"] = pd.array(values, dtype="boolean")
    for column in ("coder", "note"):
        if column not in sheet.columns:
            sheet[column] = ""
    sheet["question_id"] = sheet["question_id"].str.strip()
    columns = ["question_id", "answer", "coder", "note"] + [c for c in ("frame", "question") if c in sheet.columns]
    return sheet[columns]


def _to_bool(value: Any) -> Any:
    """True/False for yes/no-like values, <NA> for blanks; FramelensError otherwise."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return pd.NA
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text == "":
        return pd.NA
    raise FramelensError(f"coder answer {value!r} is neither yes nor no")


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float:
    """Cohen's kappa of two coders' yes/no answers to the same items.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e the agreement
    expected from each coder's share of yes. NaN when p_e is 1 (both coders gave one and the
    same answer to every item: kappa is undefined) or when there are no items.
    """
    a, b = [bool(x) for x in a], [bool(x) for x in b]
    if len(a) != len(b):
        raise FramelensError(f"cohen_kappa: {len(a)} answers vs {len(b)} answers; pair them by question")
    n = len(a)
    if n == 0:
        return float("nan")
    p_o = sum(x == y for x, y in zip(a, b)) / n
    ya, yb = sum(a) / n, sum(b) / n
    p_e = ya * yb + (1 - ya) * (1 - yb)
    if p_e >= 1:
        return float("nan")
    return (p_o - p_e) / (1 - p_e)


def coder_agreement(machine: pd.DataFrame, human: pd.DataFrame) -> pd.DataFrame:
    """Compare the machine's answers (``frames``) with a human coder's (``read_coder_answers``).

    Questions the coder left blank are skipped. The overall figures are stored in the result's
    ``attrs``: ``n`` (questions compared), ``percent_agreement`` (0..100) and ``kappa``
    (Cohen's kappa, see ``cohen_kappa``); ``agreement_summary`` returns them as a dict.

    Returns:
        DataFrame with columns question_id, frame, machine (bool), human (bool), agree (bool),
        in the machine's question order.

    Raises:
        FramelensError: when the human sheet answers a question twice (several coders: select
            one coder's rows first) or shares no question with the machine's answers.
    """
    human = human.assign(answer=[_to_bool(v) for v in human["answer"]])
    coded = human[human["answer"].notna()]
    duplicated = coded["question_id"][coded["question_id"].duplicated()]
    if not duplicated.empty:
        raise FramelensError(
            f"coding sheet answers {', '.join(sorted(set(duplicated)))} more than once; "
            "compare one coder at a time (human[human.coder == name])"
        )
    answers = dict(zip(coded["question_id"], coded["answer"]))
    extra = set(answers) - set(machine["question_id"])
    if extra:
        log.warning("coding sheet has questions the machine did not answer: %s", ", ".join(sorted(extra)))
    rows = [
        (q.question_id, q.frame, bool(q.answer), bool(answers[q.question_id]), bool(q.answer) == bool(answers[q.question_id]))
        for q in machine.itertuples(index=False)
        if q.question_id in answers
    ]
    if not rows:
        raise FramelensError("the coding sheet shares no answered question with the machine's answers; check question_id values")
    table = pd.DataFrame(rows, columns=["question_id", "frame", "machine", "human", "agree"])
    table.attrs.update(agreement_summary(table))
    return table


def agreement_summary(agreement: pd.DataFrame) -> dict[str, float]:
    """Overall agreement of a ``coder_agreement`` table.

    Returns:
        dict with n (questions compared), percent_agreement (0..100) and kappa (Cohen's kappa).
    """
    n = len(agreement)
    return {
        "n": n,
        "percent_agreement": 100.0 * float(agreement["agree"].mean()) if n else float("nan"),
        "kappa": cohen_kappa(agreement["machine"], agreement["human"]),
    }


# --- prominence and page furniture -------------------------------------------------------------


def prominence(
    article: "Article", mentions: pd.DataFrame, quotes: pd.DataFrame, *, labels: Sequence[str] = SPEAKING_LABELS
) -> pd.DataFrame:
    """Where each actor first appears and whose voice opens and closes the article.

    Actors are the people and organisations named in body paragraphs (``labels``) and every
    named speaker of the quotes table; only quotes in body paragraphs count.

    Returns:
        DataFrame with columns actor, in_lead (named in the first two body paragraphs),
        first_mention_paragraph and first_quote_paragraph (0-based paragraph index, <NA> if
        never), opens_article (a speaker of the first quote), closes_article (a speaker of the
        last quote); by first mention.
    """
    quotes = _quotes(quotes, required=("speaker", "paragraph", "start_char"))
    body_paragraphs = [p.index for p in article.paragraphs if p.role in BODY_ROLES]
    lead = set(body_paragraphs[:2])
    m = _mention_rows(mentions, roles=BODY_ROLES, labels=labels)
    every = _mention_rows(mentions, roles=BODY_ROLES, labels=None)
    named = set(every.loc[every["paragraph"].isin(lead), "canonical"])
    first_mention = every.groupby("canonical")["paragraph"].min().to_dict()
    q = quotes[quotes["paragraph"].isin(body_paragraphs)] if not quotes.empty else quotes
    first_quote: dict[str, int] = {}
    for row in q.itertuples(index=False):
        for s in split_speakers(row.speaker):
            first_quote.setdefault(s, int(row.paragraph))
    opening = set(split_speakers(q.iloc[0]["speaker"])) if len(q) else set()
    closing = set(split_speakers(q.iloc[-1]["speaker"])) if len(q) else set()
    actors = [a for a in dict.fromkeys(list(m["canonical"]) + list(first_quote)) if a != UNKNOWN]
    rows = [
        (a, a in named, first_mention.get(a, pd.NA), first_quote.get(a, pd.NA), a in opening, a in closing)
        for a in actors
    ]
    table = pd.DataFrame(
        rows, columns=["actor", "in_lead", "first_mention_paragraph", "first_quote_paragraph", "opens_article", "closes_article"]
    )
    for column in ("first_mention_paragraph", "first_quote_paragraph"):
        table[column] = table[column].astype("Int64")
    table = table.sort_values(["first_mention_paragraph", "first_quote_paragraph"], na_position="last", kind="stable")
    return table.reset_index(drop=True)


def page_furniture(article: "Article") -> pd.DataFrame:
    """Every paragraph that is not body text (headline, captions, related links, credits, widgets).

    Returns:
        DataFrame with columns paragraph, role, reason (why the paragraph got its role), chars,
        share_of_text (its characters over the characters of all paragraphs), text.
    """
    total = sum(len(p.text) for p in article.paragraphs) or 1
    rows = [
        (p.index, p.role, p.reason, len(p.text), len(p.text) / total, p.text)
        for p in article.paragraphs
        if p.role not in BODY_ROLES
    ]
    return pd.DataFrame(rows, columns=["paragraph", "role", "reason", "chars", "share_of_text", "text"])


def furniture_share(article: "Article") -> float:
    """Share (0..1) of the article's paragraph characters that are not body text (headline included)."""
    total = sum(len(p.text) for p in article.paragraphs)
    return sum(len(p.text) for p in article.paragraphs if p.role not in BODY_ROLES) / total if total else 0.0


# --- everything at once ------------------------------------------------------------------------


def framing_tables(
    article: "Article",
    doc: "Doc",
    sentences: pd.DataFrame,
    tokens: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame | None = None,
    *,
    codebook: Mapping[str, Any] | Path | str | None = None,
    window: int = 3,
) -> dict[str, pd.DataFrame]:
    """Every framing table of one parse, keyed by table name (for ``analysis.analyze``).

    Returns:
        dict with sides, voice_by_actor, voice_by_side, naming, loaded_labels, reporting_verbs,
        verb_profile, tone_sentences, tone_paragraphs, tone_arc, tone_by_speaker, frames,
        frame_scores, prominence, page_furniture; each as documented by its function.
    """
    quotes = _quotes(quotes, required=())
    sides = actor_sides(doc, mentions)
    answers = frames(sentences, mentions, quotes, codebook=codebook, tokens=tokens)
    return {
        "sides": sides,
        "voice_by_actor": voice_by_actor(quotes, mentions, sides),
        "voice_by_side": voice_by_side(quotes, mentions, sides),
        "naming": naming(doc, mentions, quotes, article=article),
        "loaded_labels": loaded_labels(doc, article),
        "reporting_verbs": reporting_verbs(quotes),
        "verb_profile": verb_profile(quotes),
        "tone_sentences": tone_sentences(sentences),
        "tone_paragraphs": tone_paragraphs(sentences),
        "tone_arc": tone_arc(sentences, window=window),
        "tone_by_speaker": tone_by_speaker(quotes, sentences),
        "frames": answers,
        "frame_scores": frame_scores(answers),
        "prominence": prominence(article, mentions, quotes),
        "page_furniture": page_furniture(article),
    }
