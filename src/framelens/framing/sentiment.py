"""Tone with VADER (Hutto & Gilbert 2014): per sentence, per paragraph, along the article, per speaker."""
from __future__ import annotations

import functools
from collections import defaultdict
from typing import Sequence

import numpy as np
import pandas as pd

from ..config import BODY_ROLES
from ..errors import FramelensError
from .common import NARRATOR, _quotes, quote_spans, split_speakers, voice_parts, word_count
from ..rows import STR, column_values, frame, frame_from_columns, shared, table_rows, typed_as

# A stretch of narration inside a quoting sentence counts for the narrator's tone only when it has
# at least this many words: a bare attribution (", she said.") carries no tone of its own.
NARRATION_MIN_WORDS = 3
TONE_SCORES = ("compound", "pos", "neu", "neg")
_SCORE_SCHEMA = dict.fromkeys(TONE_SCORES, "float64")
TONE_SENTENCES_SCHEMA = {
    "sentence": "int64", "paragraph": "int64", "role": "str", "position": "float64", **_SCORE_SCHEMA, "text": "str",
    "voice": "str", "quote_kind": "str", "quoted_share": "float64",
}
TONE_VOICES_SCHEMA = {
    "sentence": "int64", "paragraph": "int64", "start_char": "int64", "end_char": "int64", "voice": "str", "in_quote": "bool",
    "quote_id": "str", "quote_kind": "str", "words": "int64", **_SCORE_SCHEMA, "text": "str",
}
TONE_PARAGRAPHS_SCHEMA = {
    "paragraph": "int64", "role": "str", "sentences": "int64", "position": "float64", **_SCORE_SCHEMA, "text": "str",
}
TONE_ARC_SCHEMA = {"sentence": "int64", "paragraph": "int64", "position": "float64", "compound": "float64", "rolling": "float64", "voice": "str"}
TONE_BY_SPEAKER_SCHEMA = {"speaker": "str", "units": "int64", "words": "int64", **_SCORE_SCHEMA}


@functools.lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import BOOSTER_DICT as BOOSTERS, SentiText, SentimentIntensityAnalyzer

    class Analyzer(SentimentIntensityAnalyzer):
        """VADER's ``polarity_scores``, its emoji step skipped for a text without an emoji: that
        step copies such a text character by character (a quarter of a sentence's cost); the
        rest is VADER's own method, calling VADER's own rules."""

        def polarity_scores(self, text: str) -> dict[str, float]:
            if not isinstance(text, str) or not self.emojis.keys().isdisjoint(text):
                return super().polarity_scores(text)
            text = text.strip()
            sentitext = SentiText(text)
            words = sentitext.words_and_emoticons
            sentiments: list[float] = []
            for i, item in enumerate(words):
                lower = item.lower()
                if lower in BOOSTERS or (lower == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"):
                    sentiments.append(0)  # a modifier of the next word, not a sentiment of its own
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
            return self.score_valence(self._but_check(words, sentiments), text)

    return Analyzer()


def tone(text: str) -> dict[str, float]:
    """VADER scores of ``text``: compound (-1..1), pos, neu, neg (shares)."""
    return dict(zip(("compound", "pos", "neu", "neg"), _scores(text if isinstance(text, str) else "")))


@functools.lru_cache(maxsize=8192)
def _scores(text: str) -> tuple[float, float, float, float]:
    # one article asks for the same sentence's tone several times (sentences, parts, paragraphs)
    scores = _analyzer().polarity_scores(text)
    return tuple(float(scores[k]) for k in ("compound", "pos", "neu", "neg"))


def _kept(sentences: pd.DataFrame, roles: Sequence[str] | None) -> tuple:
    """The rows (``table_rows``) of the sentences in ``roles`` (None: all), in text order; read
    once per article by the tone tables."""
    return shared(sentences, ("kept", None if roles is None else tuple(roles)), lambda: _kept_rows(sentences, roles))


def _kept_rows(sentences: pd.DataFrame, roles: Sequence[str] | None) -> tuple:
    rows = list(table_rows(sentences))
    if roles is not None:
        wanted = set(roles)
        rows = [row for row in rows if row.role in wanted]
    if "start_char" in sentences.columns:
        rows.sort(key=lambda row: row.start_char)  # stable: a sentence table in text order is left as it is
    return tuple(rows)


def tone_sentences(
    sentences: pd.DataFrame, quotes: pd.DataFrame | None = None, *, roles: Sequence[str] | None = BODY_ROLES
) -> pd.DataFrame:
    """VADER tone of every sentence (Hutto & Gilbert 2014), and whose words it mostly holds.

    Args:
        sentences: ``tokens.sentence_table``.
        quotes: the quotes table (None: every sentence counts as narration).
        roles: paragraph roles kept (None: all).

    Returns:
        DataFrame with columns sentence, paragraph, role, position (0 for the first kept
        sentence, 1 for the last), compound, pos, neu, neg, text, voice ("narrator" or the
        speaker of the quote holding most of its characters), quote_kind (that quote's kind, ""
        for the narrator), quoted_share (0..1 of its characters inside quotes).
        ``tone_voices`` splits mixed sentences.
    """
    kept = _kept(sentences, roles)
    n = len(kept)
    scores = [_scores(row.text if isinstance(row.text, str) else "") for row in kept]
    voices = [_sentence_voice(int(row.start_char), int(row.end_char), parts) for row, parts in zip(kept, _kept_parts(sentences, quotes, roles))]
    columns = {
        "sentence": [int(row.sentence) for row in kept],
        "paragraph": [int(row.paragraph) for row in kept],
        "role": [row.role for row in kept],
        "position": [i / (n - 1) if n > 1 else 0.0 for i in range(n)],
        **{score: [x[k] for x in scores] for k, score in enumerate(TONE_SCORES)},
        "text": [row.text for row in kept],
        "voice": [v for v, _, _ in voices],
        "quote_kind": [k for _, k, _ in voices],
        "quoted_share": [share for _, _, share in voices],
    }
    if all(sentences[c].dtype == STR for c in ("role", "text")):  # as sentence_table makes them
        return frame_from_columns(columns, TONE_SENTENCES_SCHEMA)
    return pd.DataFrame({**columns, "role": _like(sentences, "role", columns["role"]), "text": _like(sentences, "text", columns["text"])})


def _like(table: pd.DataFrame, column: str, values: list) -> "list | pd.Series":
    """``values`` with the dtype of ``table[column]`` (an empty list stays a list, as pandas types it)."""
    return pd.Series(values, dtype=table[column].dtype) if values else values


def _kept_parts(sentences: pd.DataFrame, quotes: pd.DataFrame | None, roles: Sequence[str] | None) -> list[list]:
    """``voice_parts`` of each of the ``_kept`` sentences: read once per article by tone_sentences and tone_voices."""
    spans = quote_spans(quotes)
    key = ("voice parts", id(spans), None if roles is None else tuple(roles))
    return shared(sentences, key, lambda: [voice_parts(int(row.start_char), int(row.end_char), spans) for row in _kept(sentences, roles)])


def _sentence_voice(start: int, end: int, parts: list) -> tuple[str, str, float]:
    """(voice with most characters, its quote kind, share of characters inside quotes) of one sentence, from its voice parts."""
    chars: dict[tuple[str, str], int] = defaultdict(int)
    for part in parts:
        chars[(part.voice, part.quote_kind)] += part.end - part.start
    quoted = sum(part.end - part.start for part in parts if part.in_quote)
    voice, kind = max(chars, key=chars.get, default=(NARRATOR, ""))
    return voice, kind, quoted / max(end - start, 1)


def tone_voices(sentences: pd.DataFrame, quotes: pd.DataFrame | None, *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """VADER tone of every sentence part in one voice: a sentence that mixes narration and
    quotation ("The plan is \"a disaster\", the mayor said of the council's scheme.") is split
    by the quotes' character spans into the narrator's parts and the speaker's.

    Args:
        sentences: ``tokens.sentence_table``.
        quotes: the quotes table.
        roles: paragraph roles kept (None: all).

    Returns:
        DataFrame with columns sentence, paragraph, start_char, end_char, voice ("narrator" or
        the quote's speaker), in_quote, quote_id ("" for the narrator), quote_kind, words,
        compound, pos, neu, neg, text; parts without a word are left out; in text order.
    """
    rows = []
    for row, parts in zip(_kept(sentences, roles), _kept_parts(sentences, quotes, roles)):
        offset = int(row.start_char)
        for part in parts:
            text = row.text[part.start - offset : part.end - offset].strip()
            if words := word_count(text):
                rows.append((
                    int(row.sentence), int(row.paragraph), part.start, part.end, part.voice, part.in_quote,
                    part.quote_id, part.quote_kind, words, *_scores(text), text,
                ))
    if not rows:  # pandas' dtypes of an empty table built from no rows
        return pd.DataFrame(rows, columns=list(TONE_VOICES_SCHEMA))
    return frame(rows, TONE_VOICES_SCHEMA)


def tone_paragraphs(
    sentences: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES, tones: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Tone per paragraph: the mean VADER scores of its sentences.

    ``tones`` is ``tone_sentences`` of the same sentences and roles, when already computed.

    Returns:
        DataFrame with columns paragraph, role, sentences, position (0..1 over the kept
        paragraphs), compound, pos, neu, neg, text (the sentences joined).
    """
    t = tone_sentences(sentences, roles=roles) if tones is None else tones
    if t.empty:
        return frame([], TONE_PARAGRAPHS_SCHEMA)
    rows = list(table_rows(t))
    order, means = _paragraph_means(t, rows)
    roles: dict[int, str] = {}
    texts: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        roles.setdefault(row.paragraph, row.role)
        texts[row.paragraph].append(row.text)
    n = len(order)
    columns = {
        "paragraph": order, "role": [roles[p] for p in order], "sentences": [len(texts[p]) for p in order],
        "position": [i / (n - 1) if n > 1 else 0.0 for i in range(n)],
        **dict(zip(TONE_SCORES, means)),
        "text": [" ".join(texts[p]) for p in order],
    }
    return frame_from_columns(columns, TONE_PARAGRAPHS_SCHEMA)


def _paragraph_means(t: pd.DataFrame, rows: list) -> tuple[list, list[np.ndarray]]:
    """(paragraphs in order of first sentence, the mean of each TONE_SCORES column per paragraph):
    ``t.groupby("paragraph", sort=False)[TONE_SCORES].mean()``, to the last bit.

    For sentences in paragraph order with no missing score, pandas sums each paragraph's scores
    with ``np.add.reduceat`` over the (scores x sentences) block and divides by the counts: done
    here on the same block, without a groupby. Other tables go through pandas' groupby itself.
    """
    paragraphs = [row.paragraph for row in rows]
    starts = [i for i, p in enumerate(paragraphs) if i == 0 or p != paragraphs[i - 1]]
    order = [paragraphs[i] for i in starts]
    if typed_as(t, {"paragraph": "int64", **_SCORE_SCHEMA}) and len(set(order)) == len(order):
        block = np.array([[getattr(row, score) for row in rows] for score in TONE_SCORES], dtype=np.float64)
        if not np.isnan(block).any():
            sizes = np.diff(starts, append=len(rows)).astype(np.float64)
            return order, list(np.add.reduceat(block, starts, axis=1) / sizes)
    means = t.groupby("paragraph", sort=False)[list(TONE_SCORES)].mean()
    return means.index.tolist(), [means[score].to_numpy() for score in TONE_SCORES]


def tone_arc(
    sentences: pd.DataFrame, *, window: int = 3, roles: Sequence[str] | None = BODY_ROLES, quotes: pd.DataFrame | None = None,
    tones: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The tone arc: a centred rolling mean of sentence tone along the body.

    Args:
        sentences: ``tokens.sentence_table``.
        window: sentences averaged (a positive integer; ends use the sentences available).
        roles: paragraph roles kept.
        quotes: the quotes table, to say whose words each sentence mostly holds.
        tones: ``tone_sentences(sentences, quotes, roles=roles)``, when already computed.

    Returns:
        DataFrame with columns sentence, paragraph, position (0..1), compound, rolling, voice
        ("narrator" or the speaker quoted in most of the sentence, as in ``tone_sentences``).
    """
    if not isinstance(window, int) or window < 1:
        raise FramelensError(f"tone_arc: window must be a positive whole number of sentences, got {window!r}")
    t = tone_sentences(sentences, quotes, roles=roles) if tones is None else tones
    rolling = t["compound"].rolling(window, center=True, min_periods=1).mean()  # pandas' own sums, kept
    plain = len(t) and isinstance(t.index, pd.RangeIndex) and t.index.start == 0 and t.index.step == 1
    if not plain or not typed_as(t, {c: kind for c, kind in TONE_ARC_SCHEMA.items() if c != "rolling"}):
        return pd.DataFrame({c: rolling if c == "rolling" else t[c] for c in TONE_ARC_SCHEMA})
    return frame_from_columns(
        {c: rolling.to_numpy(copy=True) if c == "rolling" else column_values(t, c) for c in TONE_ARC_SCHEMA}, TONE_ARC_SCHEMA
    )


def tone_by_speaker(
    quotes: pd.DataFrame, sentences: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES, parts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Mean VADER tone of each speaker's quotes, and of the narrator: narration against each voice.

    The narrator's units are the kept sentences outside every quote span, and the narration
    parts of quoting sentences with at least ``NARRATION_MIN_WORDS`` words (``tone_voices``),
    so no quoted word ever counts as the writer's. A quote with several speakers counts for each.
    ``parts`` is ``tone_voices`` of the same tables, when already computed.

    Returns:
        DataFrame with columns speaker, units (quotes, or sentences and sentence parts for
        "narrator"), words, compound, pos, neu, neg (means); speakers with most units first,
        narrator last.
    """
    quotes = _quotes(quotes, required=("speaker", "text", "start_char", "end_char"))
    per: dict[str, list[dict[str, float]]] = defaultdict(list)
    for q in table_rows(quotes):
        scores = {**tone(q.text), "words": word_count(q.text)}
        for speaker in dict.fromkeys(split_speakers(q.speaker)):
            per[speaker].append(scores)
    parts = tone_voices(sentences, quotes, roles=roles) if parts is None else parts
    part_rows = list(table_rows(parts))
    mixed = {part.sentence for part in part_rows if part.in_quote}
    narrator = [
        {"compound": part.compound, "pos": part.pos, "neu": part.neu, "neg": part.neg, "words": part.words}
        for part in part_rows
        if part.voice == NARRATOR and (part.sentence not in mixed or part.words >= NARRATION_MIN_WORDS)
    ]

    def summary(name: str, items: list[dict[str, float]]) -> tuple:
        # numpy's mean is Series.mean's (same summation), without a DataFrame per speaker
        means = (float(np.mean([item[c] for item in items])) if items else float("nan") for c in TONE_SCORES)
        return (name, len(items), int(sum(item["words"] for item in items)), *means)

    rows = sorted((summary(name, items) for name, items in per.items()), key=lambda r: -r[1])
    rows.append(summary(NARRATOR, narrator))
    return frame(rows, TONE_BY_SPEAKER_SCHEMA)
