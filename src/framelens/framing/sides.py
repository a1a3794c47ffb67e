"""Actors' sides: the country or affiliation the text itself gives each actor."""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, Sequence

import pandas as pd

from ..config import BODY_ROLES
from ..entities import demonyms, institution_countries, titles
from ..tokens import tokens_where
from .common import _span
from ..rows import frame, shared, table_rows

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SIDES_SCHEMA = {"canonical": "str", "side": "str", "evidence": "str"}


def actor_sides(
    doc: "Doc",
    mentions: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None = None,
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
    Places (GPE) are their own side. State institutions map to their country through the
    alias table's ``institutions`` ("Downing Street" -> United Kingdom), as do people affiliated
    with them ("Downing Street spokesman X"). The descriptions a quote's speaker was found through
    ("the Russian leader said" -> X) are evidence for X too, and unnamed speakers get a row
    with the side their own description gives ("a senior US official"). A side is never made
    from a fragment of a name ("Islamic" of "Islamic State") or a word that is not a name.

    Args:
        doc: the parse of ``article.text``.
        mentions: ``entities.mention_table`` of the same parse.
        quotes: the quotes table (speaker, speaker_mention, route, speaker_affiliation), or None.
        labels: which actor labels get a row.
        roles: actors mentioned in paragraphs of these roles get a row (None: all); evidence
            is read from every paragraph (a photo caption can say "Brazil's President X").

    Returns:
        DataFrame with columns canonical, side (country, affiliation, or "" when the text gives
        none), evidence (the words that gave the side, "" when none), one row per actor in order
        of first mention.
    """
    if mentions.empty:
        return frame([], SIDES_SCHEMA)
    mention_rows, from_mentions = shared(mentions, ("side evidence", id(doc)), lambda: _mention_evidence(doc, mentions))
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # canonical -> [(kind, side, evidence)]
    for canonical, items in from_mentions.items():
        found[canonical].extend(items)  # a copy: what follows adds to it
    for speaker, evidence in _speaker_descriptions(quotes):
        found[speaker].append(evidence)
    for person, evidence in _described_people(doc, mention_rows, found, roles=roles):
        found[person].append(evidence)
    label_of = {row.canonical: row.label for row in mention_rows}
    direct: dict[str, tuple[str, str, str]] = {}
    for canonical, items in found.items():
        countries = [i for i in items if i[0] == "country"] or items
        counts = Counter(side for _, side, _ in countries)
        best = max(counts, key=lambda s: (counts[s], -[i[1] for i in countries].index(s)))
        direct[canonical] = next(i for i in countries if i[1] == best)
    rows = []
    for canonical in dict.fromkeys(row.canonical for row in mention_rows if roles is None or row.role in roles):
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
        elif kind == "affiliation" and side.lower() in institution_countries():
            evidence = f"{evidence}; {side} (state institution)"
            side = institution_countries()[side.lower()]
        rows.append((canonical, side, evidence))
    listed_names = {r[0] for r in rows}
    for speaker, (kind, side, evidence) in _unnamed_speaker_sides(quotes):
        if speaker not in listed_names:
            rows.append((speaker, side, evidence))
            listed_names.add(speaker)
    return frame(rows, SIDES_SCHEMA)


def _mention_evidence(doc: "Doc", mentions: pd.DataFrame) -> tuple[list[Any], dict[str, list[tuple[str, str, str]]]]:
    """(the mention rows in text order, canonical -> [(kind, side, evidence)] read from the mentions'
    own noun phrases): the part of ``actor_sides`` that needs no quotes (naming asks for sides too)."""
    if not mentions["start_char"].is_monotonic_increasing:  # the mention table is in text order already
        mentions = mentions.sort_values("start_char", kind="stable")
    ent_at: dict[int, Any] = {}
    spans: list[tuple[Any, "Span"]] = []
    mention_rows = list(table_rows(mentions))
    for row in mention_rows:
        span = _span(doc, row.start_char, row.end_char)
        if span is None:
            continue
        spans.append((row, span))
        for t in span:
            ent_at.setdefault(t.i, row)
    found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row, span in spans:
        if row.label not in ("PERSON", "ORG"):
            continue
        evidence = _mention_side(span, row, ent_at)
        if evidence:
            found[row.canonical].append(evidence)
        institution = institution_countries().get(row.canonical.lower())
        if institution:
            found[row.canonical].append(("country", institution, f"{row.canonical} (state institution)"))
    return mention_rows, found


PERSON_HEADS = frozenset({"leader", "counterpart", "head", "chief", "premier", "envoy", "official", "diplomat"})


def _described_people(
    doc: "Doc", mention_rows: list[Any], found: dict[str, list[tuple[str, str, str]]], *, roles: Sequence[str] | None
) -> list[tuple[str, tuple[str, str, str]]]:
    """Country evidence from definite descriptions: "the Russian leader" -> the person last named before it.

    The person is the most recent one named (in the selected paragraphs) whose own evidence does
    not already give another country; a description nobody fits is ignored.
    """
    people = [  # ``mentions`` is in text order; read once, not filtered per description
        row for row in mention_rows
        if row.label == "PERSON" and not getattr(row, "modifier", False) and (roles is None or row.role in roles)
    ]
    starts = [person.start_char for person in people]
    fitting = _people_fitting_each_country(people, found)
    table = demonyms()
    out = []
    for token in tokens_where(doc, "LOWER", lambda lower: bool(table.get(lower) or table.get(lower.rstrip(".")))):
        country = table.get(token.lower_) or table.get(token.lower_.rstrip("."))
        head = token.head
        if not country or not token.text[:1].isupper() or token.dep_ not in ("amod", "compound") or head.i == token.i:
            continue
        if head.lemma_.lower() not in PERSON_HEADS and head.lemma_.lower() not in titles():
            continue
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            continue
        if head.ent_type_ == "PERSON" or any(c.dep_ == "appos" for c in head.children):
            continue  # a name follows ("the Russian President X"): the mention's own evidence covers it
        before = bisect.bisect_left(starts, token.idx)  # a mention ending before the word starts before it
        i = _last_before(people, (fitting[None], fitting.get(country, [])), before, token.idx)
        if i is not None:
            words = doc[head.left_edge.i : head.i + 1].text
            out.append((people[i].canonical, ("country", country, words)))
    return out


def _people_fitting_each_country(people: list[Any], found: dict[str, list[tuple[str, str, str]]]) -> dict[str | None, list[int]]:
    """Indices of the people a description with a country may mean, by country: those with that
    country in their own evidence, and (under None) those with no country at all."""
    fitting: dict[str | None, list[int]] = {None: []}
    countries_of: dict[str, set[str]] = {}
    for i, row in enumerate(people):
        if row.canonical not in countries_of:
            countries_of[row.canonical] = {side for kind, side, _ in found.get(row.canonical, []) if kind == "country"}
        for country in countries_of[row.canonical] or (None,):
            fitting.setdefault(country, []).append(i)
    return fitting


def _last_before(people: list[Any], indices: tuple[list[int], ...], before: int, char: int) -> int | None:
    """The greatest index below ``before`` in any of the sorted ``indices`` whose person ends by ``char``."""
    best = None
    for fits in indices:
        k = bisect.bisect_left(fits, before)
        while k > 0 and (best is None or fits[k - 1] > best):
            k -= 1
            if people[fits[k]].end_char <= char:
                best = fits[k]
                break
    return best


def _speaker_descriptions(quotes: pd.DataFrame | None) -> list[tuple[str, tuple[str, str, str]]]:
    """(speaker, evidence) from the descriptions speakers were found through: "the Russian leader"."""
    if quotes is None or quotes.empty or "route" not in quotes:
        return []
    table = demonyms()
    out = []
    for q in table_rows(quotes):
        if q.route not in ("description", "named later") or " + " in str(q.speaker):
            continue
        for word in str(q.speaker_mention).replace("’s", "").replace("'s", "").split():
            country = table.get(word.lower()) or table.get(word.lower().rstrip("."))
            if country and word[:1].isupper():
                out.append((str(q.speaker), ("country", country, str(q.speaker_mention))))
                break
    return out


def _unnamed_speaker_sides(quotes: pd.DataFrame | None) -> list[tuple[str, tuple[str, str, str]]]:
    """Sides of unnamed speakers from their own words: "a senior US official", "an Elysee aide"."""
    if quotes is None or quotes.empty or "speaker_affiliation" not in quotes:
        return []
    out = []
    for q in table_rows(quotes):
        affiliation = str(q.speaker_affiliation or "")
        if q.route != "unnamed" or not affiliation:
            continue
        country = institution_countries().get(affiliation.lower(), affiliation)
        out.append((str(q.speaker), ("country", country, str(q.speaker_mention))))
    return out


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
        if not _is_name(other.canonical):
            continue  # never a side from a word that is no name ("n't" tagged as a place)
        if other.label == "GPE":
            countries.append(other.canonical)
        elif other.label == "ORG":
            affiliations.append(other.canonical)
        elif other.label == "NORP" and not _continues_a_name(t):
            affiliations.append(other.canonical)  # "Republican Senator X"; not "Islamic" of "Islamic State"
    if countries:
        return "country", countries[0]
    if affiliations:
        return "affiliation", affiliations[0]
    return None


def _is_name(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and name[:1].isupper()


def _continues_a_name(token: "Token") -> bool:
    """Whether a token is the first word of a longer capitalised name ("Islamic" in "Islamic State")."""
    nxt = token.nbor() if token.i + 1 < len(token.doc) else None
    return (
        nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
        and nxt.ent_type_ != "PERSON" and nxt.lower_.rstrip(".") not in titles()
    )
