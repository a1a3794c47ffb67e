"""The word lists quote extraction relies on, loaded once from resources/quote_cues.yaml."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..config import RESOURCES_DIR, read_yaml


@dataclass(frozen=True)
class CueLexicon:
    """Word lists from ``resources/quote_cues.yaml`` (see the comments there)."""

    speech_verbs: frozenset[str]
    weak_verbs: frozenset[str]
    direct_only_verbs: frozenset[str]
    phrasal_verbs: dict[str, frozenset[str]]
    content_nouns: frozenset[str]
    restating_verbs: frozenset[str]
    temporal_prepositions: frozenset[str]
    date_prepositions: frozenset[str]
    temporal_adverbs: frozenset[str]
    title_cues: frozenset[str]
    transcript_roles: dict[str, str]
    organisation_nouns: frozenset[str]
    document_nouns: frozenset[str]
    anonymous_nouns: frozenset[str]
    male_honorifics: frozenset[str]
    female_honorifics: frozenset[str]
    indefinite_determiners: frozenset[str]
    quoting_verbs: frozenset[str]
    link_words: frozenset[str]
    characterising_verbs: frozenset[str]
    group_nouns: frozenset[str]
    press_nouns: frozenset[str]
    male_nouns: frozenset[str]
    female_nouns: frozenset[str]
    spoken_nouns: frozenset[str]


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    """The quote lexicons, loaded once from ``resources/quote_cues.yaml``."""
    data = read_yaml(RESOURCES_DIR / "quote_cues.yaml", "quote-cue lexicon")
    values: dict[str, Any] = {}
    for name, kind in CueLexicon.__annotations__.items():
        raw = data[name]
        if name == "phrasal_verbs":
            values[name] = {str(k): frozenset(str(p) for p in v) for k, v in raw.items()}
        elif name == "transcript_roles":
            values[name] = {str(k).lower(): str(v) for k, v in raw.items()}
        else:
            values[name] = frozenset(str(w).lower() for w in raw)
    return CueLexicon(**values)
