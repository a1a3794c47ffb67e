"""Where things sit in the article: actors' prominence (lead, first quote, opening and closing voice) and page furniture."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import pandas as pd

from ..config import BODY_ROLES
from .common import SPEAKING_LABELS, UNKNOWN, _mention_rows, _quotes, split_speakers
from ..rows import table_rows

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
    for row in table_rows(_mention_rows(mentions, roles=BODY_ROLES, labels=None)):
        if row.paragraph in lead:
            named.add(row.canonical)
        first_mention[row.canonical] = min(row.paragraph, first_mention.get(row.canonical, row.paragraph))
        if row.label in labels:
            listed.append(row.canonical)
    q = quotes[quotes["paragraph"].isin(body_paragraphs)] if not quotes.empty else quotes
    first_quote: dict[str, int] = {}
    for row in table_rows(q):
        for s in split_speakers(row.speaker):
            first_quote.setdefault(s, int(row.paragraph))
    opening = set(split_speakers(q.iloc[0]["speaker"])) if len(q) else set()
    closing = set(split_speakers(q.iloc[-1]["speaker"])) if len(q) else set()
    actors = [a for a in dict.fromkeys(listed + list(first_quote)) if a != UNKNOWN]
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
    return pd.DataFrame(rows, columns=["paragraph", "role", "reason", "chars", "share_of_text", "text"])


def furniture_share(article: "Article") -> float:
    """Share (0..1) of the article's paragraph characters that are not body text (headline included)."""
    total = sum(len(p.text) for p in article.paragraphs)
    return sum(len(p.text) for p in article.paragraphs if p.role not in BODY_ROLES) / total if total else 0.0
