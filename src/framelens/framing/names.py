"""How actors are named: names, titles, role-noun descriptions and pronouns, attributed to actors."""
from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Sequence

import pandas as pd

from ..config import BODY_ROLES
from ..entities import clean_name, demonyms, titles
from ..tokens import sentence_ids, tokens_where
from ..spans import CoveredChars
from .common import SPEAKING_LABELS, UNKNOWN, _mention_records, _mention_rows, _norm, _quotes, _span, split_speakers
from .loaded import _loaded_in
from .sides import actor_sides
from ..rows import frame, table_rows

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..article import Article

NAMING_SCHEMA = {
    "actor": "str", "expression": "str", "kind": "str", "count": "int64", "loaded": "bool", "loaded_note": "str", "in_quotes": "int64",
}
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
        loaded_note, in_quotes (how many of the uses sit inside a quote: a speaker's words, not
        the narrator's); sorted by actor (most referred-to first) then count.
    """
    quotes = _quotes(quotes, required=("speaker", "kind", "text", "start_char", "end_char"))
    body = _mention_records(mentions, roles=roles, labels=None, modifiers=True)
    starts = [row.start_char for row in body]
    if any(a >= b for a, b in zip(starts, starts[1:])):  # the mention table is in text order already
        body = table_rows(_mention_rows(mentions, roles=roles, labels=None, modifiers=True).sort_values("start_char"))
    sides = actor_sides(doc, mentions)
    side_of = {row.canonical: row.side for row in table_rows(sides)}
    label_of = {row.canonical: row.label for row in table_rows(mentions)}
    sent_of = sentence_ids(doc)
    allowed = _allowed_tokens(doc, article, roles)
    quote_rows = list(table_rows(quotes))
    direct_chars = CoveredChars((int(q.start_char), int(q.end_char)) for q in quote_rows if str(q.kind) == "direct")
    quoted_chars = CoveredChars((int(q.start_char), int(q.end_char)) for q in quote_rows)

    def in_quote(char: int) -> bool:
        return char in quoted_chars

    def in_direct_quote(char: int) -> bool:
        return char in direct_chars

    mention_tokens: dict[int, Any] = {}
    events: list[tuple[int, str, Any]] = []  # (token index, type, payload)
    for row in body:
        span = _span(doc, row.start_char, row.end_char)
        if span is None:
            continue
        for t in span:
            mention_tokens[t.i] = row
        if row.label in labels and not getattr(row, "modifier", False):
            events.append((span.root.i, "mention", (row, span)))
    pronouns = tokens_where(doc, "LOWER", PRONOUN_GENDER.__contains__)
    role_nouns = tokens_where(doc, "LEMMA", lambda lemma: lemma.lower() in _role_nouns())
    for t in sorted({t.i: t for t in pronouns + role_nouns}.values(), key=lambda t: t.i):
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
    # who a description may mean, by country and by title, and where in history each actor was last
    candidates = _DescriptionCandidates(side_of, label_of)
    rows: list[tuple[str, str, str, bool, str]] = []

    def remember(actor: str, token: "Token") -> None:
        candidates.last_seen[actor] = len(history)
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
                candidates.titled(row.canonical, word.lower_)
                if word.lower_.rstrip(".") in HONORIFIC_GENDER:
                    gender.setdefault(row.canonical, HONORIFIC_GENDER[word.lower_.rstrip(".")])
            notes = _loaded_in(_modifier_text(span.root, span))
            rows.append((row.canonical, expression, name_kind, bool(notes), "; ".join(f"{e['term']}: {e['note']}" for e in notes),
                         in_quote(span.start_char)))
            if label_of.get(row.canonical) == "PERSON":
                remember(row.canonical, span.root)
        elif kind == "description":
            token = payload
            actor = by_quote.get(token.i) or _description_actor(token, mention_tokens, candidates)
            if not actor:
                continue
            phrase = doc[_phrase_start(token) : token.i + 1]
            expression = _norm(_POSSESSIVE_END.sub("", phrase.text))
            if expression[:1].isupper() and phrase[0].pos_ in ("DET", "PRON"):
                expression = expression[0].lower() + expression[1:]
            notes = _loaded_in(_modifier_text(token, phrase))
            rows.append((actor, expression, "description", bool(notes), "; ".join(f"{e['term']}: {e['note']}" for e in notes),
                         in_quote(token.idx)))
            if label_of.get(actor, "PERSON") == "PERSON":
                remember(actor, token)
        else:
            token = payload
            actor = by_quote.get(token.i) or _pronoun_actor(token, history, gender, sent_of)
            if not actor:
                continue
            rows.append((actor, token.lower_, "pronoun", False, "", in_quote(token.idx)))
            remember(actor, token)
    if not rows:
        return frame([], NAMING_SCHEMA)
    counted = _count_expressions(rows)
    totals: dict[str, int] = defaultdict(int)
    for actor, _expression, _kind, count, *_ in counted:
        totals[actor] += count
    counted.sort(key=lambda r: (-totals[r[0]], r[0], -r[3]))  # most referred-to actor first, then its commonest words
    return frame(counted, NAMING_SCHEMA)


def _count_expressions(rows: list[tuple[str, str, str, bool, str, bool]]) -> list[tuple[str, str, str, int, bool, str, int]]:
    """(actor, expression, kind, count, loaded: any, loaded_note: the greatest, in_quotes: how many),
    one per distinct (actor, expression, kind) in order of first use (a groupby in plain Python:
    pandas' costs more than the rest of the table on a short article)."""
    groups: dict[tuple[str, str, str], list] = {}
    for actor, expression, kind, loaded, note, in_quote in rows:
        group = groups.setdefault((actor, expression, kind), [0, False, note, 0])
        group[0] += 1
        group[1] = group[1] or loaded
        group[2] = max(group[2], note)
        group[3] += in_quote
    return [(*key, count, loaded, note, in_quotes) for key, (count, loaded, note, in_quotes) in groups.items()]


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


_LEADING_THE = re.compile(r"^(the|The)\s+")
_NOT_WORD = re.compile(r"[^\w]+")


def _name_key(text: str) -> str:
    """A name compared without case or punctuation."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


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
    expression = _norm(_LEADING_THE.sub("", raw))
    name = clean_name(span.text, row.label)
    canonical = str(row.canonical)
    name_key = _name_key(name)
    if row.label == "PERSON":
        words = name.split()
        inner_title = _name_key(_POSSESSIVE_END.sub("", _LEADING_THE.sub("", span.text))) != name_key
        if prefix or inner_title:
            kind = "title_name"
            name_words = name_key.split()
            prefix = prefix + [t for t in span if _name_key(t.text) not in name_words]
        elif len(words) > 1 and name_key == _name_key(canonical):
            kind = "full_name"
        elif len(words) == 1 and name_key == _name_key(canonical.split()[-1]):
            kind = "surname"
        else:
            kind = "other"
        return expression, kind, prefix
    letters = name.replace(".", "").replace("&", "")
    if letters.isupper() and len(letters) <= 8 and name_key != _name_key(canonical):
        kind = "acronym"
    elif name_key == _name_key(canonical):
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
    at = [token.idx for _, _, token in candidates]  # in text order (events are): a quote's candidates by bisect
    has_offsets = {"speaker_start_char", "speaker_end_char"} <= set(quotes.columns)
    for q in table_rows(quotes):
        speakers = split_speakers(q.speaker)
        mention = q.speaker_mention
        if len(speakers) != 1 or speakers[0] == UNKNOWN or not isinstance(mention, str) or not mention.strip():
            continue
        if has_offsets and pd.notna(q.speaker_start_char) and pd.notna(q.speaker_end_char):
            lo, hi = int(q.speaker_start_char), int(q.speaker_end_char)
            inside = [candidates[n][0] for n in range(bisect.bisect_left(at, lo), bisect.bisect_left(at, hi))]
            if inside:
                found.setdefault(inside[-1], speakers[0])
            continue
        wanted = _strip_determiner(_norm(_POSSESSIVE_END.sub("", mention)).lower())
        best: tuple[int, int] | None = None
        near = range(bisect.bisect_left(at, int(q.start_char) - 400), bisect.bisect_right(at, int(q.end_char) + 400))
        for i, kind, token in (candidates[n] for n in near):  # farther than 400 characters never counts
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
    candidates: "_DescriptionCandidates",
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
    return candidates.latest(country=country) if country is not None else candidates.latest(title=token.lemma_.lower())


class _DescriptionCandidates:
    """The people a description can mean: those on a country's side, those named with a title so
    far; and where each actor was last remembered. The latest of them answers a description
    without reading back through every earlier mention."""

    def __init__(self, side_of: dict[str, str], label_of: dict[str, str]) -> None:
        self._people = {actor for actor, label in label_of.items() if label == "PERSON"}
        self._by_country: dict[str, set[str]] = defaultdict(set)
        for actor, side in side_of.items():
            if actor in self._people:
                self._by_country[side].add(actor)
        self._by_title: dict[str, set[str]] = defaultdict(set)
        self.last_seen: dict[str, int] = {}  # actor -> its last index in the naming history

    def titled(self, actor: str, title: str) -> None:
        if actor in self._people:
            self._by_title[title].add(actor)

    def latest(self, *, country: str | None = None, title: str | None = None) -> str | None:
        """The person last remembered of those on ``country``'s side (or named with ``title``)."""
        pool = self._by_country.get(country, ()) if country is not None else self._by_title.get(title, ())
        seen = [(self.last_seen[actor], actor) for actor in pool if actor in self.last_seen]
        return max(seen)[1] if seen else None


def _pronoun_actor(token: "Token", history: list[tuple[str, int, int, bool]], gender: dict[str, str], sent_of: list[int]) -> str | None:
    """Antecedent of a third-person pronoun by salience-weighted recency (see ``naming``)."""
    want = PRONOUN_GENDER[token.lower_]
    sentence = sent_of[token.i]
    # history is in text order: only its last five sentences can hold the antecedent
    recent = history[bisect.bisect_left(history, sentence - 5, key=lambda h: h[2]) :]
    compatible = [h for h in recent if gender.get(h[0], want) == want and h[1] < token.i]
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
