"""The records quote extraction passes around: speakers, cues, quote items, mentions, subject events."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Hashable

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
    """Salient subjects (``_Event``) in the order they were noted, also indexed by position, by
    label (and label and head) and by names, so the latest one that fits before a point is found
    without reading them all: a long text notes thousands, and every pronoun and description asks."""

    def __init__(self) -> None:
        super().__init__()
        self._by_pos: list[tuple[int, int]] = []  # (pos, order noted), sorted
        self._by_key: dict[Hashable, list[tuple[int, int]]] = {}  # label, (label, head) -> (pos, order), sorted
        self._pos_of_names: dict[tuple[str, ...], list[int]] = {}  # names -> their positions, sorted
        self.one_name = _LatestByKey()  # (name, label) of the one-name events
        self.people: set[str] = set()  # names of the one-person PERSON events, added in the order noted

    def append(self, event: _Event) -> None:
        entry = (event.pos, len(self))
        bisect.insort(self._by_pos, entry)
        for key in (event.label, (event.label, event.head)):
            bisect.insort(self._by_key.setdefault(key, []), entry)
        bisect.insort(self._pos_of_names.setdefault(event.names, []), event.pos)
        if len(event.names) == 1:
            self.one_name.add((event.names[0], event.label), *entry)
        if event.label == "PERSON" and len(event.names) == 1:
            self.people.add(event.names[0])
        super().append(event)

    def latest_before(self, pos: int, fits: Callable[[_Event], bool], *, key: Hashable = None) -> _Event | None:
        """The event at the greatest position before ``pos`` that ``fits``; of several there, the
        first noted (what ``max`` over the list by position gives). ``key``: a label, or a
        (label, head) pair, every fitting event has; only those events are read."""
        orders = fitting_at_latest(self._entries(key), pos, lambda order: fits(self[order]))
        return self[orders[0]] if orders else None

    def earliest_before(self, pos: int, fits: Callable[[_Event], bool], *, key: Hashable = None) -> list[_Event]:
        """The events that ``fits`` at the least position before ``pos`` where any does, in the order noted."""
        return [self[order] for order in fitting_at_earliest(self._entries(key), pos, lambda order: fits(self[order]))]

    def _entries(self, key: Hashable) -> list[tuple[int, int]]:
        return self._by_pos if key is None else self._by_key.get(key, [])

    def latest_in(self, start: int, end: int) -> _Event | None:
        """The event at the greatest position in ``[start, end)``; of several there, the first noted."""
        i = bisect.bisect_left(self._by_pos, (end, -1))
        if not i or self._by_pos[i - 1][0] < start:
            return None
        first = bisect.bisect_left(self._by_pos, (self._by_pos[i - 1][0], -1))
        return self[self._by_pos[first][1]]

    def last_position(self, names: tuple[str, ...], before: int) -> int | None:
        """The greatest position before ``before`` of an event naming exactly ``names``, or None."""
        positions = self._pos_of_names.get(names, [])
        i = bisect.bisect_left(positions, before)
        return positions[i - 1] if i else None


def fitting_at_latest(entries: list[tuple[int, int]], before: int, fits: Callable[[int], bool]) -> list[int]:
    """Of sorted (position, order) pairs, the orders that ``fits`` at the greatest position before
    ``before`` where any does, ascending; read back from ``before`` only as far as that position."""
    found: list[int] = []
    i = bisect.bisect_left(entries, (before, -1))
    while i > 0 and not (found and entries[i - 1][0] < entries[found[-1]][0]):
        i -= 1
        if fits(entries[i][1]):
            found.append(i)
    return [entries[i][1] for i in reversed(found)]


def fitting_at_earliest(entries: list[tuple[int, int]], before: int, fits: Callable[[int], bool]) -> list[int]:
    """As ``fitting_at_latest``, at the least position where any fits, read from the start."""
    found: list[int] = []
    end = bisect.bisect_left(entries, (before, -1))
    for i in range(end):
        if found and entries[i][0] > entries[found[0]][0]:
            break
        if fits(entries[i][1]):
            found.append(i)
    return [entries[i][1] for i in found]


class _LatestByKey:
    """Items (by their position and the order they were added) under a key, so the latest item of
    every key before a point costs one bisection per key, not a read of every item."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, list[tuple[int, int]]] = {}  # key -> (pos, order), sorted

    def add(self, key: Hashable, pos: int, order: int) -> None:
        bisect.insort(self._entries.setdefault(key, []), (pos, order))

    def latest_of_each(self, before: int) -> list[tuple[Hashable, int, int]]:
        """(key, pos, order) of each key's item at the greatest position before ``before`` (of
        several there, the least order), by order."""
        found = []
        for key, entries in self._entries.items():
            i = bisect.bisect_left(entries, (before, -1))
            if i:
                found.append((key, *entries[bisect.bisect_left(entries, (entries[i - 1][0], -1))]))
        return sorted(found, key=lambda item: item[2])


class _MentionNames:
    """Mentions by name, for look-ups that otherwise read every mention: the first canonical name of
    each case-folded name, the first label of each canonical name, PERSON names by surname."""

    def __init__(self, mentions: "list[_Mention]") -> None:
        self.canonical: dict[str, str] = {}
        self.label: dict[str, str] = {}
        self.people_by_surname: dict[str, set[str]] = {}
        for m in mentions:
            self.canonical.setdefault(m.canonical.casefold(), m.canonical)
            self.label.setdefault(m.canonical, m.label)
            if m.label == "PERSON":
                self.people_by_surname.setdefault(m.canonical.casefold().split()[-1], set()).add(m.canonical)


class _Resolved(dict):
    """Speaker per quote item (written once per item), with the set of their names kept as it fills."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def __setitem__(self, key: int, speaker: Speaker) -> None:
        super().__setitem__(key, speaker)
        self.names.add(speaker.name)


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
