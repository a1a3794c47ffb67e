"""The records quote extraction passes around: speakers, cues, quote items, mentions, subject events."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from spacy.tokens import Token

UNKNOWN = "UNKNOWN"

# How a speaker was found (the quotes table's ``route``) and the confidence that route earns by
# default. A rule may lower it (a pronoun far from its antecedent, a description that fits
# weakly); a researcher's correction is "corrected".
ROUTE_CONFIDENCE = {
    "named": "high",  # the cue's subject names the speaker: "Jane Doe said", "said the mayor, Jane Doe"
    "transcript": "high",  # a "Name: ..." transcript turn
    "joint": "high",  # several named subjects: "A and B said"
    # an unnamed source, kept as described: "a senior official said". Medium, not high: on the BBC
    # gold about one in four of them is a person the article names elsewhere (benchmarks/trust.md)
    "unnamed": "medium",
    "pronoun": "medium",  # "he said" -> the person it most likely refers to
    "description": "medium",  # "the foreign minister said" -> the person described so earlier
    "document": "medium",  # "the statement said" -> whoever issued it
    "named later": "medium",  # "a spokesman said" ... later "spokesman Dr Jane Doe said"
    "carried": "medium",  # a quote with no cue continues the previous quote's speaker
    "previous subject": "low",  # a quote with no cue, after no quote: the last named subject
    "introduced": "medium",  # a quote with no cue right after the sentence that first names a person
    "unknown": "low",  # no attribution found
    "corrected": "high",  # set by a researcher's corrections file
}
CONFIDENCE_ORDER = ("low", "medium", "high")


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: ``name`` as reported, the words naming it and their offsets (-1 if none).

    ``route`` says how the name was found (a key of ``ROUTE_CONFIDENCE``), ``confidence`` how sure
    that route is (low, medium, high) and ``affiliation`` the organisation or country an appositive
    or modifier says the speaker speaks for ("a spokesman for the ministry", "ACME chief X"), or "".
    """

    name: str = UNKNOWN
    mention: str = ""
    start: int = -1
    end: int = -1
    label: str = ""
    route: str = "unknown"
    confidence: str = ""
    affiliation: str = ""

    def __post_init__(self) -> None:
        if not self.confidence:
            object.__setattr__(self, "confidence", ROUTE_CONFIDENCE.get(self.route, "low"))

    def via(self, route: str, *, confidence: str = "") -> "Speaker":
        """The same speaker found by another route (confidence from the route unless given)."""
        return replace(self, route=route, confidence=confidence or ROUTE_CONFIDENCE.get(route, "low"))


def lower_confidence(confidence: str) -> str:
    """One step down: high -> medium -> low."""
    return CONFIDENCE_ORDER[max(0, CONFIDENCE_ORDER.index(confidence) - 1)]


def route_text(route: str, mention: str, speaker: str) -> str:
    """How a speaker was found, in words: 'pronoun "he" -> Jane Doe', 'named subject'."""
    if route == "named":
        return "named subject"
    if route in ("pronoun", "description", "document", "named later"):
        return f"{route} \u201c{mention}\u201d \u2192 {speaker}" if mention else f"{route} \u2192 {speaker}"
    if route == "carried":
        return "carried over from the previous quote"
    if route == "previous subject":
        return f"no cue: last named subject \u2192 {speaker}"
    if route == "introduced":
        return f"no cue: the person just introduced \u2192 {speaker}"
    if route == "unnamed":
        return "unnamed source, as described"
    return {"transcript": "transcript label", "joint": "joint subject", "corrected": "corrected by the researcher"}.get(route, "no attribution found")


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


class _Events(list):
    """Salient subjects (``_Event``) in the order they were noted, also indexed by position and by
    names, so the latest one that fits before a point is found without reading them all: a long
    text notes thousands, and every pronoun and description asks."""

    def __init__(self) -> None:
        super().__init__()
        self._by_pos: list[tuple[int, int]] = []  # (pos, order noted), sorted
        self._pos_of_names: dict[tuple[str, ...], list[int]] = {}  # names -> their positions, sorted
        self.people: set[str] = set()  # names of the one-person PERSON events, added in the order noted

    def append(self, event: _Event) -> None:
        bisect.insort(self._by_pos, (event.pos, len(self)))
        bisect.insort(self._pos_of_names.setdefault(event.names, []), event.pos)
        if event.label == "PERSON" and len(event.names) == 1:
            self.people.add(event.names[0])
        super().append(event)

    def latest_before(self, pos: int, fits: Callable[[_Event], bool]) -> _Event | None:
        """The event at the greatest position before ``pos`` that ``fits``; of several there, the
        first noted (what ``max`` over the list by position gives)."""
        best = None
        i = bisect.bisect_left(self._by_pos, (pos, -1))
        while i > 0:
            i -= 1
            at, order = self._by_pos[i]
            if best is not None and at < best.pos:
                break
            if fits(self[order]):
                best = self[order]  # going down the order noted: the last one found was noted first
        return best

    def last_position(self, names: tuple[str, ...], before: int) -> int | None:
        """The greatest position before ``before`` of an event naming exactly ``names``, or None."""
        positions = self._pos_of_names.get(names, [])
        i = bisect.bisect_left(positions, before)
        return positions[i - 1] if i else None


class _Descriptors:
    """Words describing each actor (titles, nationality, appositive nouns), by the position they were
    seen at. The words seen before a point come from a running union, not from a scan of every
    entry: a long text describes its people thousands of times, and every description asks."""

    _EMPTY: frozenset[str] = frozenset()

    def __init__(self) -> None:
        self._positions: dict[str, list[int]] = {}  # name -> positions, sorted
        self._words: dict[str, list[set[str]]] = {}  # name -> the words at each position
        self._union: dict[str, list[frozenset[str]]] = {}  # name -> running union, as far as computed

    def add(self, name: str, pos: int, words: set[str]) -> None:
        positions, entries = self._positions.setdefault(name, []), self._words.setdefault(name, [])
        union = self._union.setdefault(name, [])
        i = bisect.bisect_right(positions, pos)
        positions.insert(i, pos)
        entries.insert(i, words)
        del union[i:]  # an entry in the middle: the union from here on is computed again when asked

    def before(self, name: str, pos: int) -> frozenset[str]:
        """Every word describing ``name`` at a position before ``pos``."""
        i = bisect.bisect_left(self._positions.get(name, []), pos)
        return self._running(name, i - 1) if i else self._EMPTY

    def last_before(self, name: str, pos: int) -> int | None:
        """The greatest position before ``pos`` where ``name`` was described, or None."""
        positions = self._positions.get(name, [])
        i = bisect.bisect_left(positions, pos)
        return positions[i - 1] if i else None

    def all_words(self, name: str) -> frozenset[str]:
        n = len(self._positions.get(name, []))
        return self._running(name, n - 1) if n else self._EMPTY

    def _running(self, name: str, k: int) -> frozenset[str]:
        union, entries = self._union[name], self._words[name]
        while len(union) <= k:
            union.append((union[-1] if union else self._EMPTY) | entries[len(union)])
        return union[k]
