"""Quote marks: the spans between opening and closing quotation marks in one paragraph."""
from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__package__)  # "framelens.quotes", as before the module became a package

# Quote marks. Double marks (straight or curly) form one family, single marks another, so a
# quote opened with one family ignores the other family's marks (nested quotes, apostrophes).
DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
QUOTE_CHARS = "\"'“”‘’„«»"
CLOSING_PUNCT = ",?!—–-…"


@dataclass
class MarkedSpan:
    """Text between quote marks in one paragraph; ``start``/``end`` exclude the marks.

    ``close_char`` is None when the quote runs to the end of its paragraph unclosed
    (the multi-paragraph convention, or an unbalanced mark).
    """

    open_char: int
    start: int
    end: int
    close_char: int | None
    mark: str
    paragraph: int = -1

    @property
    def outer_end(self) -> int:
        """End of the span including its closing mark."""
        return self.close_char + 1 if self.close_char is not None else self.end


def find_quote_marks(text: str, start: int = 0, end: int | None = None, *, warn: bool = True) -> list[MarkedSpan]:
    """Quoted spans in ``text[start:end]`` (one paragraph), as absolute offsets into ``text``.

    Straight and curly double quotes and curly single quotes (UK style) are recognised; ’ is a
    closing mark only when it is not between two letters (don’t, council’s); a word-final ’ after
    "s" (Residents’ Association) closes a quote only if no better closing mark follows. A straight
    single quote counts only when it is paired. Never raises; unbalanced marks are logged.
    """
    end = len(text) if end is None else end
    spans: list[MarkedSpan] = []
    state: tuple[str, int] | None = None  # (family, index of the opening mark)
    for i in range(start, end):
        ch = text[i]
        if ch not in QUOTE_CHARS:
            continue
        family = "d" if ch in '"' + DOUBLE_OPEN + DOUBLE_CLOSE else "s"
        if state is None:
            if _opens(text, i, start, end):
                state = (family, i)
            elif ch in DOUBLE_CLOSE and not spans and _closes_a_sentence(text, i, start):
                # the opening mark was lost (often in scraping): quoted from the paragraph start
                if warn:
                    log.warning("closing quote mark at char %d has no opening mark; quoted from the paragraph start", i)
                _add_span(spans, text, start - 1, i, i, mark="")
            elif ch in '"' + DOUBLE_CLOSE and warn:
                log.warning("stray closing quote mark at char %d ignored", i)
            continue
        if family != state[0]:
            continue  # a mark of the other family inside a quote: nested quote or apostrophe
        if ch in DOUBLE_OPEN or ch == "‘":
            if warn:
                log.warning("quote opened at char %d not closed before the next opening mark", state[1])
            _add_span(spans, text, state[1], i, None)
            state = (family, i)
        elif ch == '"' and _reopens(text, i, state[1], end):
            # 'said: "I have no regrets. "We did nothing wrong': the convention of a quote running on
            # into a new paragraph, with the paragraphs run together (scraped or flattened text)
            _add_span(spans, text, state[1], i, None)
            state = (family, i)
        elif ch == '"' or ch in DOUBLE_CLOSE or _closes_single(text, i, start, end):
            _add_span(spans, text, state[1], i, i)
            state = None
    if state is not None and text[state[1]] != "'":
        _add_span(spans, text, state[1], end, None)
    return spans


def _opens(text: str, i: int, lo: int, hi: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < hi else " "
    if nxt.isspace():
        return False
    if ch in DOUBLE_OPEN or ch in "\"‘":
        return True
    if ch == "'":
        prev = text[i - 1] if i > lo else " "
        if (prev.isspace() or prev in "([{—–-\"“") and nxt.isalpha():
            return any(text[j] == "'" and _closes_single(text, j, lo, hi) for j in range(i + 2, hi))
    return False


def _reopens(text: str, i: int, opened: int, hi: int) -> bool:
    """Whether the straight mark at ``i``, inside a quote opened at ``opened``, opens a new quote:
    a space before it, a word right after it, and a finished sentence of the open quote before."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    before = text[opened + 1 : i].rstrip()
    return prev.isspace() and nxt.isalnum() and bool(before) and before[-1] in ".!?…"


def _closes_single(text: str, i: int, lo: int, hi: int) -> bool:
    """Whether the ’ or ' at ``i`` closes a single-quoted span (rather than being an apostrophe)."""
    if text[i] not in "’'":
        return False
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev.isspace() or (prev.isalnum() and nxt.isalpha()):
        return False
    if prev in "sS" and nxt.isspace() and i + 2 < hi and text[i + 2].isalpha():
        # plural possessive or closing mark: close only if no better candidate follows
        for j in range(i + 1, hi):
            if text[j] == "‘":
                break
            if text[j] == text[i] and _strong_close(text, j, lo, hi):
                return False
    return True


def _strong_close(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev.isspace() or (prev.isalnum() and nxt.isalpha()):
        return False
    return not (prev in "sS" and nxt.isspace())


def _closes_a_sentence(text: str, i: int, lo: int) -> bool:
    """Whether the mark at ``i`` ends quoted words: sentence punctuation before it, several words since ``lo``."""
    before = text[lo:i].rstrip()
    return bool(before) and before[-1] in ".,!?…" and sum(any(c.isalpha() for c in w) for w in before.split()) >= 4


def _add_span(spans: list[MarkedSpan], text: str, open_char: int, end: int, close_char: int | None, *, mark: str | None = None) -> None:
    """Add the span opened at ``open_char`` (``open_char + 1`` is its first character)."""
    start = open_char + 1
    while start < end and text[start].isspace():
        start += 1
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop > start:
        opened = start if mark == "" else open_char  # no opening mark: the span opens at its first character
        spans.append(MarkedSpan(opened, start, stop, close_char, text[open_char] if mark is None else mark))
