"""Tone with VADER (Hutto & Gilbert 2014): per sentence, per paragraph, along the article, per speaker."""
from __future__ import annotations

import functools
from collections import defaultdict
from typing import Sequence

import pandas as pd

from ..config import BODY_ROLES
from ..errors import FramelensError
from ..spans import Overlapping, Range
from .common import _quotes, split_speakers, word_count

NARRATOR = "narrator"


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
    quoted = Overlapping(Range(int(q.start_char), int(q.end_char)) for q in quotes.itertuples(index=False))
    narrator = []
    for row in _select(sentences, roles).itertuples(index=False):
        if not quoted.overlapping(row.start_char, row.end_char):
            narrator.append({**tone(row.text), "words": word_count(row.text)})

    def summary(name: str, items: list[dict[str, float]]) -> tuple:
        frame = pd.DataFrame(items, columns=["compound", "pos", "neu", "neg", "words"])
        means = (float(frame[c].mean()) if items else float("nan") for c in ("compound", "pos", "neu", "neg"))
        return (name, len(items), int(frame["words"].sum()), *means)

    rows = sorted((summary(name, items) for name, items in per.items()), key=lambda r: -r[1])
    rows.append(summary(NARRATOR, narrator))
    return pd.DataFrame(rows, columns=["speaker", "units", "words", "compound", "pos", "neu", "neg"])
