"""Shared by the framing modules: quotes-table conventions, word counts, speakers, mention rows, term regexes."""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..errors import FramelensError
from ..rows import same_rows, shared, table_rows

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

UNKNOWN = "UNKNOWN"  # speaker of a quote nobody is named for (quotes table convention)
NARRATOR = "narrator"  # the voice of every word outside the quotes (the writer's own words)
SPEAKER_SEPARATOR = " + "
SPEAKING_LABELS = ("PERSON", "ORG")  # actors that can be quoted (entities.ACTOR_LABELS adds places)
QUOTE_COLUMNS = [
    "quote_id", "kind", "speaker", "speaker_mention", "cue", "cue_lemma", "paragraph", "sentence",
    "start_char", "end_char", "text", "time_anchor",
]
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


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
    return shared(quotes, ("quotes", *missing), lambda: _checked_quotes(quotes, missing))  # one frame (and one read) per article


def _checked_quotes(quotes: pd.DataFrame, missing: list[str]) -> pd.DataFrame:
    if missing and not quotes.empty:
        raise FramelensError(f"quotes table lacks column(s) {', '.join(missing)}; expected the columns of framelens.quotes")
    if missing:
        quotes = quotes.reindex(columns=list(quotes.columns) + missing)
    if "start_char" in quotes.columns and not quotes.empty and not quotes["start_char"].is_monotonic_increasing:
        quotes = quotes.sort_values("start_char", kind="stable")  # (every framing table asks: sorted, it is left as it is)
    if isinstance(quotes.index, pd.RangeIndex) and quotes.index.start == 0 and quotes.index.step == 1:
        return same_rows(quotes.copy(deep=False), quotes)  # a new frame, as reset_index gives (copy on write)
    return quotes.reset_index(drop=True)


class Voiced(NamedTuple):
    """A stretch of text in one voice: the narrator, or the speaker of the quote it lies in."""

    start: int
    end: int
    voice: str  # NARRATOR, or the quote's speaker value ("A", "A + B", "UNKNOWN")
    quote_id: str  # "" for the narrator
    quote_kind: str  # "direct" | "indirect" | "" for the narrator

    @property
    def in_quote(self) -> bool:
        return self.quote_id != ""


class VoicedSpans(list):
    """Voiced spans in text order (sorted by start, then end) that find the ones overlapping a
    stretch of text without reading them all: a long article has thousands of quotes and of
    sentences, and every sentence asks."""

    def __init__(self, spans: Iterable[Voiced]):
        super().__init__(spans)
        self._starts = [s.start for s in self]
        self._longest = max((s.end - s.start for s in self), default=0)

    def overlapping(self, start: int, end: int) -> list[Voiced]:
        """The spans sharing a character with ``[start, end)``, in order."""
        lo = bisect.bisect_left(self._starts, start - self._longest)  # an earlier start ends before ``start``
        hi = bisect.bisect_left(self._starts, end)
        return [s for s in self[lo:hi] if s.end > start]


def quote_spans(quotes: pd.DataFrame | None) -> VoicedSpans:
    """Each quote of a quotes table as a Voiced span, in text order."""
    return shared(quotes, "quote_spans", lambda: _quote_spans(quotes))


def _quote_spans(quotes: pd.DataFrame | None) -> VoicedSpans:
    quotes = _quotes(quotes, required=("speaker", "kind", "start_char", "end_char"))
    spans = [
        Voiced(int(q.start_char), int(q.end_char), " + ".join(split_speakers(q.speaker)),
               str(getattr(q, "quote_id", i)), str(q.kind))
        for i, q in enumerate(table_rows(quotes))
    ]
    return VoicedSpans(sorted(spans, key=lambda s: (s.start, s.end)))


def voice_parts(start: int, end: int, spans: Sequence[Voiced]) -> list[Voiced]:
    """Split the text ``[start, end)`` into maximal stretches each in one voice.

    A character inside a quote span belongs to that quote's speaker (the shortest span, then a
    direct quote, wins where spans overlap); every other character is the narrator's. A
    sentence that mixes narration and quotation comes back in several parts.
    """
    if isinstance(spans, VoicedSpans):
        spans = spans.overlapping(start, end)  # the others hold no character of it
    cuts = sorted({start, end, *(p for s in spans for p in (s.start, s.end) if start < p < end)})
    parts: list[Voiced] = []
    for a, b in zip(cuts, cuts[1:]):
        inside = [s for s in spans if s.start <= a and b <= s.end]
        owner = min(inside, key=lambda s: (s.end - s.start, s.quote_kind != "direct")) if inside else None
        voice, quote_id, kind = (owner.voice, owner.quote_id, owner.quote_kind) if owner else (NARRATOR, "", "")
        if parts and parts[-1].quote_id == quote_id and parts[-1].voice == voice:
            parts[-1] = parts[-1]._replace(end=b)
        else:
            parts.append(Voiced(a, b, voice, quote_id, kind))
    return parts


def voice_of(start: int, end: int, spans: Sequence[Voiced]) -> Voiced:
    """The voice of most characters of ``[start, end)`` (a word or a phrase)."""
    return max(voice_parts(start, end, spans), key=lambda p: p.end - p.start, default=Voiced(start, end, NARRATOR, "", ""))


def _mention_rows(
    mentions: pd.DataFrame, *, roles: Sequence[str] | None, labels: Sequence[str] | None, modifiers: bool = False
) -> pd.DataFrame:
    key = ("mentions", None if roles is None else tuple(roles), None if labels is None else tuple(labels), modifiers)
    return shared(mentions, key, lambda: _selected_mentions(mentions, roles, labels, modifiers))


def _mention_records(
    mentions: pd.DataFrame, *, roles: Sequence[str] | None, labels: Sequence[str] | None, modifiers: bool = False
) -> tuple[NamedTuple, ...]:
    """The rows (``table_rows``) of the mentions ``_mention_rows`` selects, selected in plain Python."""
    key = ("mention records", None if roles is None else tuple(roles), None if labels is None else tuple(labels), modifiers)
    return shared(mentions, key, lambda: _selected_records(mentions, roles, labels, modifiers))


def _selected_records(
    mentions: pd.DataFrame, roles: Sequence[str] | None, labels: Sequence[str] | None, modifiers: bool
) -> tuple[NamedTuple, ...]:
    rows = table_rows(mentions)
    if roles is not None:
        wanted_roles = set(roles)
        rows = (r for r in rows if r.role in wanted_roles)
    if labels is not None:
        wanted_labels = set(labels)
        rows = (r for r in rows if r.label in wanted_labels)
    if not modifiers and "modifier" in mentions.columns:
        rows = (r for r in rows if pd.isna(r.modifier) or not r.modifier)  # a missing flag is no modifier (fillna(False))
    return tuple(rows)


def _selected_mentions(
    mentions: pd.DataFrame, roles: Sequence[str] | None, labels: Sequence[str] | None, modifiers: bool
) -> pd.DataFrame:
    keep = np.ones(len(mentions), dtype=bool)  # one mask, one selection: each selection copies every column
    if roles is not None:
        keep &= mentions["role"].isin(roles).to_numpy()
    if labels is not None:
        keep &= mentions["label"].isin(labels).to_numpy()
    if not modifiers and "modifier" in mentions.columns:
        keep &= ~mentions["modifier"].fillna(False).astype(bool).to_numpy()
    return mentions.copy(deep=False) if keep.all() else mentions[keep]  # a new frame either way (copy on write)


def _span(doc: "Doc", start: int, end: int) -> "Span | None":
    span = doc.char_span(int(start), int(end), alignment_mode="expand")
    return span if span is not None and len(span) else None


def _norm(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).split())


WORD_START, WORD_END = r"(?<![\w'])", r"(?![\w])"  # the whole-word guards of _term_regex


def _term_regex(terms: Iterable[str], *, plural: bool = False, whole_words: bool = True) -> str:
    """Alternation matching each term as whole words (``*`` = any word ending; a hyphen or
    space inside a term matches either). ``whole_words=False`` leaves out the guards
    (WORD_START, WORD_END), for a caller joining many alternations inside one pair of them."""
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
    if not parts:
        return r"(?!x)x"
    alternation = "(?:" + "|".join(parts) + ")"
    return WORD_START + alternation + WORD_END if whole_words else alternation


_WORD_GAP, _ANY_ENDING, _PLURAL = r"[\s\-‐‑]+", r"[\w'\-]*", r"(?:s|es)?"
_TERM_END = ""  # the trie key that ends a term


def _any_term_regex(terms: Iterable[str], *, plural: Iterable[str] = (), word_start: bool = True) -> str:
    """A regex matching where ``_term_regex(terms)`` matches (the same places, maybe other
    lengths), written as a trie of the terms: terms sharing a beginning are tried once, so a
    search over a long list of terms costs about one term per position. For yes/no searches,
    and to find where a slower pattern of the same terms can match. ``plural``: terms that also
    match with -s/-es (as ``_term_regex(..., plural=True)``). ``word_start=False`` leaves out the
    leading guard, for ``WordStartSearch``."""
    trie: dict[str, dict] = {}
    plural = {t.strip() for t in plural}
    for term in {t.strip() for t in terms if t and t.strip()}:
        node = trie
        for unit in _term_units(term.translate(_APOSTROPHES), plural=term in plural):
            node = node.setdefault(unit, {})
        node[_TERM_END] = {}
    return (WORD_START if word_start else "") + _trie_alternation(trie) + WORD_END if trie else r"(?!x)x"


# Letters that re.I matches with an ASCII letter though their lower case is not it: dotless i, long s
_IGNORECASE_ASCII_TWINS = frozenset("\u0131\u017f")


def _lowers_like_ignorecase(text: str) -> bool:
    """Whether an ASCII lower-case pattern finds in ``text.lower()`` what it finds with re.I in
    ``text``, at the same offsets: every other character lower-cases to one character that is
    not ASCII (curly quotes and dashes stay, "É" becomes "é", which no ASCII letter matches
    either way; the Kelvin sign, which lower-cases to "k", is refused)."""
    return text.isascii() or all(
        len(lower := char.lower()) == 1 and not lower.isascii() and char not in _IGNORECASE_ASCII_TWINS
        for char in set(text) if not char.isascii()
    )


class WordStartSearch:
    """``re.compile(WORD_START + body)``'s ``search``, from ``body`` compiled alone.

    A pattern that opens with the lookbehind is tried at every position of the text; one that
    opens with the terms' first letters lets the regex engine skip to where one of them is (5-6x
    faster on an article). The guard is checked on each match found, and the search goes on one
    character further when it fails: the same match as the guarded pattern's, or None.
    """

    _BEFORE_WORD = re.compile(r"[\w']")

    def __init__(self, body: str, flags: int = 0):
        self.pattern = re.compile(body, flags)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> "re.Match | None":
        endpos = len(text) if endpos is None else min(endpos, len(text))
        while pos <= endpos and (match := self.pattern.search(text, pos, endpos)) is not None:
            start = match.start()
            if not start or not self._BEFORE_WORD.match(text, start - 1):  # the lookbehind sees before ``pos`` too
                return match
            pos = start + 1
        return None


def _term_units(term: str, *, plural: bool = False) -> list[str]:
    """A term as _term_regex spells it, one regex unit (a character, a word gap, an ending) at a time."""
    words = [w for w in re.split(r"[\s\-]+", term.rstrip("*")) if w]
    units = [unit for k, word in enumerate(words) for unit in ([_WORD_GAP] if k else []) + [re.escape(c) for c in word]]
    if term.endswith("*"):
        return units + [_ANY_ENDING]
    return units + [_PLURAL] if plural else units


def _trie_alternation(node: dict[str, dict]) -> str:
    branches = [unit + _trie_alternation(child) for unit, child in node.items() if unit != _TERM_END]
    if not branches:
        return ""
    if len(branches) == 1 and _TERM_END not in node:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if _TERM_END in node else "")
