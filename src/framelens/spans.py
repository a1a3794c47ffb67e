"""Which spans of the article text cover a character offset, answered without scanning every span."""
from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any, Generic, Iterable, NamedTuple, Protocol, TypeVar


class _Span(Protocol):
    start: int
    end: int


S = TypeVar("S", bound=_Span)


class Range(NamedTuple):
    """A half-open character range ``[start, end)``, with whatever it stands for."""

    start: int
    end: int
    item: Any = None


class CoveredChars:
    """The union of half-open character ranges ``[start, end)``; ``char in covered`` in O(log n)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(r for r in ranges if r[0] < r[1]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, char: int) -> bool:
        i = bisect.bisect_right(self._starts, char) - 1
        return i >= 0 and char < self._ends[i]


class SpansAt(Generic[S]):
    """Spans (anything with ``start`` and ``end``) by the characters they cover, in their given order.

    Building costs the spans' total length; ``at(char)`` is one dictionary look-up.
    """

    def __init__(self, spans: Iterable[S]):
        self._at: dict[int, list[S]] = defaultdict(list)
        for span in spans:
            for char in range(span.start, span.end):
                self._at[char].append(span)

    def at(self, char: int) -> list[S]:
        """The spans with ``start <= char < end``, in the order they were given."""
        return self._at.get(char, [])


class Overlapping(Generic[S]):
    """Spans that overlap a range, found by bisection over their starts instead of a full scan."""

    def __init__(self, spans: Iterable[S]):
        self._spans = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in self._spans]
        self._longest = max((s.end - s.start for s in self._spans), default=0)

    def __len__(self) -> int:
        return len(self._spans)

    def overlapping(self, start: int, end: int) -> list[S]:
        """The spans with ``span.start < end`` and ``start < span.end``, by start."""
        # a span ending after ``start`` starts after ``start - longest``: only that window is read
        lo = bisect.bisect_right(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        return [s for s in self._spans[lo:hi] if start < s.end]
