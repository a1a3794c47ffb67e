"""Share of voice: quotes and quoted words per actor and per side."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

import pandas as pd

from ..config import BODY_ROLES
from .common import SPEAKING_LABELS, _mention_rows, _quotes, split_speakers, word_count

UNKNOWN_SIDE = "unknown"  # side label used in voice_by_side for actors with no side


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
