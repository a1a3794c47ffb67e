"""Where the quotes fall in the story (the quote timeline) and who gets how much of it (share of voice)."""
from __future__ import annotations

import bisect
import itertools
from typing import TYPE_CHECKING, Iterable, Sequence

import pandas as pd

from ..article import WORD_RE
from ..config import BODY_ROLES
from ..rows import frame, table_rows, typed_as

if TYPE_CHECKING:
    from ..article import Article

TIMELINE_COLUMNS = ["quote_id", "speaker", "kind", "paragraph", "position", "words", "time_anchor", "text"]
VOICE_COLUMNS = ["speaker", "quotes", "words", "direct", "indirect", "share_words", "first_position", "last_position"]
TIMELINE_SCHEMA = {
    "quote_id": "str", "speaker": "str", "kind": "str", "paragraph": "int64", "position": "float64", "words": "int64",
    "time_anchor": "str", "text": "str",
}
VOICE_SCHEMA = {
    "speaker": "str", "quotes": "int64", "words": "int64", "direct": "int64", "indirect": "int64", "share_words": "float64",
    "first_position": "float64", "last_position": "float64",
}
_QUOTE_SCHEMA = {c: TIMELINE_SCHEMA[c] for c in ("quote_id", "speaker", "kind", "paragraph", "time_anchor", "text")}


def body_position(article: "Article", char: int, *, roles: Sequence[str] = BODY_ROLES) -> float:
    """Position (0-1) of ``char`` in the article's text counted over the paragraphs with ``roles``.

    Other paragraphs (captions, related links) take no room, so 0.5 is the middle of the story
    itself. Offsets outside those paragraphs fall back to ``char / len(article.text)``.
    """
    return body_positions(article, [char], roles=roles)[0]


def body_positions(article: "Article", chars: Iterable[int], *, roles: Sequence[str] = BODY_ROLES) -> list[float]:
    """``body_position`` of each offset in ``chars``; the paragraphs are indexed once, not read per offset."""
    paragraphs = article.paragraphs_with_role(tuple(roles))
    starts = [p.start_char for p in paragraphs]
    done = list(itertools.accumulate((p.end_char - p.start_char for p in paragraphs), initial=0))
    total = done[-1]
    positions = []
    for char in chars:
        i = bisect.bisect_right(starts, char) - 1
        if i >= 0 and char < paragraphs[i].end_char and total:
            positions.append((done[i] + char - paragraphs[i].start_char) / total)
        else:
            positions.append(char / max(len(article.text), 1))
    return positions


def quote_timeline(quotes: pd.DataFrame, article: "Article", *, roles: Sequence[str] = BODY_ROLES) -> pd.DataFrame:
    """The quotes in text order with where they fall in the story.

    Returns:
        DataFrame with columns ``TIMELINE_COLUMNS``: quote_id, speaker, kind, paragraph, position
        (0-1, the quote's start measured over the body text, see ``body_position``), words,
        time_anchor, text.
    """
    if quotes is None or quotes.empty:
        return frame([], TIMELINE_SCHEMA)
    if typed_as(quotes, _QUOTE_SCHEMA):  # extract_quotes's table: a frame from its rows
        rows = sorted(table_rows(quotes), key=lambda q: q.start_char)  # stable: text order already
        positions = body_positions(article, (int(q.start_char) for q in rows), roles=roles)
        return frame([
            (q.quote_id, q.speaker, q.kind, q.paragraph, position, _word_count(q.text), q.time_anchor, q.text)
            for q, position in zip(rows, positions)
        ], TIMELINE_SCHEMA)
    starts = quotes["start_char"].tolist()
    in_order = all(a < b for a, b in zip(starts, starts[1:]))  # extract_quotes gives them in text order
    table = quotes if in_order else quotes.sort_values("start_char")
    starts = starts if in_order else table["start_char"].tolist()
    columns = {  # one frame: the quotes' own columns (their dtypes kept) and the two measured here
        "position": body_positions(article, (int(c) for c in starts), roles=roles),
        "words": [_word_count(text) for text in table["text"].tolist()],
        "time_anchor": table["time_anchor"].array if "time_anchor" in table else [""] * len(table),
    }
    return pd.DataFrame({c: columns[c] if c in columns else table[c].array for c in TIMELINE_COLUMNS})


def share_of_voice(quotes: pd.DataFrame, *, article: "Article | None" = None) -> pd.DataFrame:
    """Who speaks, and how much: one row per speaker string (a joint "A + B" speaker is its own row).

    Positions come from a ``position`` column if ``quotes`` has one (a ``quote_timeline``), else
    from ``article`` (``body_position``), else ``start_char`` over the last quote's ``end_char``.

    Returns:
        DataFrame with columns ``VOICE_COLUMNS``: speaker, quotes, words, direct, indirect,
        share_words (0-1 share of all quoted words), first_position, last_position; sorted by words,
        most first.
    """
    if quotes is None or quotes.empty:
        return frame([], VOICE_SCHEMA)
    if "position" in quotes:
        positions = quotes["position"].tolist()
    elif article is not None:
        positions = body_positions(article, (int(c) for c in quotes["start_char"].tolist()))
    else:
        positions = (quotes["start_char"] / max(int(quotes["end_char"].max()), 1)).tolist()
    totals = _speaker_totals(quotes, positions)
    total = sum(words for _, _, words, *_ in totals)
    rows = [
        (speaker, n, words, direct, indirect, words / total if total else 0.0, first, last)
        for speaker, n, words, direct, indirect, first, last in totals
    ]
    rows.sort(key=lambda r: (-r[2], -r[1], r[6]))  # most words first (a stable sort, as pandas' on several columns)
    return frame(rows, VOICE_SCHEMA)


def _speaker_totals(quotes: pd.DataFrame, positions: list[float]) -> list[tuple[str, int, int, int, int, float, float]]:
    """(speaker, quotes, words, direct, indirect, first position, last position) per speaker, in
    order of first quote (a groupby in plain Python: pandas' costs more than a short article's quotes)."""
    totals: dict[str, list] = {}
    for q, position in zip(table_rows(quotes), positions):
        speaker, text, kind = q.speaker, q.text, q.kind
        if pd.isna(speaker):
            continue  # as groupby: a quote without a speaker value is nobody's
        row = totals.setdefault(speaker, [0, 0, 0, 0, position, position])
        row[0] += 1
        row[1] += _word_count(text)
        row[2] += kind == "direct"
        row[3] += kind == "indirect"
        row[4], row[5] = min(row[4], position), max(row[5], position)
    return [(speaker, *row) for speaker, row in totals.items()]


def _word_count(text: str) -> int:
    return len(WORD_RE.findall(str(text)))
