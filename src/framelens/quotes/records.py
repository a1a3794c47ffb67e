"""The records quote extraction passes around: speakers, cues, quote items, mentions, subject events."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: ``name`` as reported, the words naming it and their offsets (-1 if none)."""

    name: str = UNKNOWN
    mention: str = ""
    start: int = -1
    end: int = -1
    label: str = ""


@dataclass
class Cue:
    """A reporting cue: its head token, surface form, lemma and the time expression attached to it."""

    token: "Token"
    surface: str
    lemma: str
    time_anchor: str = ""


@dataclass
class _Item:
    kind: str  # direct | indirect | intro (an "X said:" paragraph: sets the next speaker, no row)
    paragraph: int
    start: int
    end: int
    cue: Cue | None = None
    origin: str = "own"  # own | sibling | floating | turn | intro
    fixed: Speaker | None = None
    source: "_Item | None" = None
    speaker: Speaker | None = None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    canonical: str
    label: str


@dataclass(frozen=True)
class _Event:
    pos: int
    names: tuple[str, ...]
    label: str
    head: str = ""
