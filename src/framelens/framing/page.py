"""Where things sit in the article: actors' prominence (lead, first quote, opening and closing voice) and page furniture."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import pandas as pd

from ..config import BODY_ROLES
from .common import SPEAKING_LABELS, UNKNOWN, _mention_records, _quotes, split_speakers
from ..rows import frame, frame_from_columns, table_rows

if TYPE_CHECKING:
    from ..article import Article


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
    named: set[str] = set()  # named in the lead
    first_mention: dict[str, int] = {}
    listed: list[str] = []  # actors of ``labels``, in order of mention
    for row in _mention_records(mentions, roles=BODY_ROLES, labels=None):
        if row.paragraph in lead:
            named.add(row.canonical)
        first_mention[row.canonical] = min(row.paragraph, first_mention.get(row.canonical, row.paragraph))
        if row.label in labels:
            listed.append(row.canonical)
    in_body = set(body_paragraphs)
    body_quotes = [q for q in table_rows(quotes) if q.paragraph in in_body]
    first_quote: dict[str, int] = {}
    for row in body_quotes:
        for s in split_speakers(row.speaker):
            first_quote.setdefault(s, int(row.paragraph))
    opening = set(split_speakers(body_quotes[0].speaker)) if body_quotes else set()
    closing = set(split_speakers(body_quotes[-1].speaker)) if body_quotes else set()
    actors = [a for a in dict.fromkeys(listed + list(first_quote)) if a != UNKNOWN]
    # by first mention, then first quote, actors never mentioned or quoted last (a stable sort)
    actors.sort(key=lambda a: (a not in first_mention, first_mention.get(a, 0), a not in first_quote, first_quote.get(a, 0)))
    columns = {
        "actor": actors,
        "in_lead": [a in named for a in actors],
        "first_mention_paragraph": [first_mention.get(a) for a in actors],
        "first_quote_paragraph": [first_quote.get(a) for a in actors],
        "opens_article": [a in opening for a in actors],
        "closes_article": [a in closing for a in actors],
    }
    if not actors:  # the column types pandas gives an empty table of rows
        return pd.DataFrame(columns=list(columns)).astype({"first_mention_paragraph": "Int64", "first_quote_paragraph": "Int64"})
    return frame_from_columns(columns, PROMINENCE_SCHEMA)


PROMINENCE_SCHEMA = {
    "actor": "str", "in_lead": "bool", "first_mention_paragraph": "Int64", "first_quote_paragraph": "Int64",
    "opens_article": "bool", "closes_article": "bool",
}
FURNITURE_SCHEMA = {"paragraph": "int64", "role": "str", "reason": "str", "chars": "int64", "share_of_text": "float64", "text": "str"}


def page_furniture(article: "Article") -> pd.DataFrame:
    """Every paragraph that is not body text (headline, subheadings, captions, related links,
    credits, widgets, social-media embeds).

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
    return frame(rows, FURNITURE_SCHEMA)


def furniture_share(article: "Article") -> float:
    """Share (0..1) of the article's paragraph characters that are not body text (headline included)."""
    total = sum(len(p.text) for p in article.paragraphs)
    return sum(len(p.text) for p in article.paragraphs if p.role not in BODY_ROLES) / total if total else 0.0
