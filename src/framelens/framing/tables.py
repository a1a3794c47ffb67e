"""Every framing table of one parse at once (framing_tables)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

import pandas as pd

from ..rows import sharing
from .common import _quotes
from .generic_frames import frame_scores, frames
from .loaded import loaded_by_voice, loaded_labels
from .names import naming
from .page import page_furniture, prominence
from .sentiment import tone_arc, tone_by_speaker, tone_paragraphs, tone_sentences, tone_voices
from .sides import actor_sides
from .verbs import reporting_verbs, verb_profile
from .voice import speaking_actors, voice_by_actor, voice_by_side

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..article import Article


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
    adjust_sides: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    joined_lists: bool = False,
) -> dict[str, pd.DataFrame]:
    """Every framing table of one parse, keyed by table name (for ``analysis.analyze``).

    ``adjust_sides`` (a researcher's side corrections, see corrections.CorrectionRun.sides) is
    applied to the sides table before anything reads it. ``joined_lists``: the one list column
    (frames' evidence) as a "; "-joined string, as a saved analysis holds it.

    Returns:
        dict with sides, speaking_actors, voice_by_actor, voice_by_side, naming, loaded_labels, loaded_by_voice,
        reporting_verbs, verb_profile, tone_sentences, tone_voices, tone_paragraphs, tone_arc,
        tone_by_speaker, frames, frame_scores, prominence, page_furniture; each as documented
        by its function.
    """
    with sharing():  # the tables below read the same quotes and mentions: into rows once
        return _framing_tables(article, doc, sentences, tokens, mentions, quotes, codebook, window, adjust_sides, joined_lists)


def _framing_tables(article, doc, sentences, tokens, mentions, quotes, codebook, window, adjust_sides, joined_lists) -> dict[str, pd.DataFrame]:
    quotes = _quotes(quotes, required=())
    sides = actor_sides(doc, mentions, quotes=quotes)
    if adjust_sides is not None:
        sides = adjust_sides(sides)
    speakers = speaking_actors(mentions, doc)
    answers = frames(sentences, mentions, quotes, codebook=codebook, tokens=tokens, joined_evidence=joined_lists)
    loaded = loaded_labels(doc, article, quotes)
    voiced = tone_voices(sentences, quotes)
    tones = tone_sentences(sentences, quotes)
    voice = voice_by_actor(quotes, mentions, sides, speakers=speakers)
    verbs = reporting_verbs(quotes)
    return {  # each table built once, and handed to the tables made from it
        "sides": sides,
        "speaking_actors": speakers,
        "voice_by_actor": voice,
        "voice_by_side": voice_by_side(quotes, mentions, sides, speakers=speakers, voice=voice),
        "naming": naming(doc, mentions, quotes, article=article),
        "loaded_labels": loaded,
        "loaded_by_voice": loaded_by_voice(loaded),
        "reporting_verbs": verbs,
        "verb_profile": verb_profile(quotes, verbs=verbs),
        "tone_sentences": tones,
        "tone_voices": voiced,
        "tone_paragraphs": tone_paragraphs(sentences, tones=tones),
        "tone_arc": tone_arc(sentences, window=window, quotes=quotes, tones=tones),
        "tone_by_speaker": tone_by_speaker(quotes, sentences, parts=voiced),
        "frames": answers,
        "frame_scores": frame_scores(answers),
        "prominence": prominence(article, mentions, quotes),
        "page_furniture": page_furniture(article),
    }
