"""Markdown escaping that marks only what Markdown would otherwise read as markup.

A value dropped into the report's Markdown (an article's quote, a speaker's name, a title) must
render as the same characters, inertly. Backslash-escaping every punctuation mark does that but
leaves ``report.md`` full of ``\\(16 of 17\\)`` and ``000\\_794d``; here a character is escaped only
where CommonMark (with GFM tables) could take it for markup:

* anywhere: backticks (code spans), ``<`` and ``>`` (HTML, autolinks), ``|`` (table cells),
  an ``&`` that starts an entity (``&amp;``), a backslash before punctuation or at the end;
* ``*``, ``~`` and ``_`` that could open or close emphasis (not ``a * b`` nor ``snake_case``);
* brackets that could form a link: unbalanced ones, and a pair followed by ``(``, ``[`` or ``:``;
* at the start of a line: list markers (``- ``, ``+ ``, ``1. ``), ``#`` headings, and lines
  of ``-`` or ``=`` (rules, setext headings); a closing ``#`` run at the end of a line.

The ends of a value count as unknown neighbours (the template may put anything there), so
emphasis and brackets at a value's edges are escaped.
"""
from __future__ import annotations

import re
import string

_PUNCTUATION = frozenset(string.punctuation)
_ALWAYS = frozenset("`<>|")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_LINE_START = (
    re.compile(r"^( {0,3})([-+])(?=\s|$)"),  # bullet list item ("*" is escaped as emphasis)
    re.compile(r"^( {0,3})(#)(?=#{0,5}(?:\s|$))"),  # ATX heading
    re.compile(r"^( {0,3}[0-9]{1,9})([.)])(?=\s|$)"),  # ordered list item
    re.compile(r"^( {0,3})([-=])(?=[-= \t]*$)"),  # thematic break, setext underline
)
_CLOSING_HASHES = re.compile(r"(?<=\s)(#)(?=#*[ \t]*$)")


def escape(text: str) -> str:
    """``text`` with exactly the characters Markdown would misread backslash-escaped."""
    parts = _LINE_BREAK.split(text)
    return "".join(part if n % 2 else _escape_line(part) for n, part in enumerate(parts))


def _escape_line(line: str) -> str:
    brackets = _link_brackets(line)
    out = []
    for i, char in enumerate(line):
        before = line[i - 1] if i else None
        after = line[i + 1] if i + 1 < len(line) else None
        if i in brackets or _inline_markup(line, i, char, before, after):
            out.append("\\")
        out.append(char)
    escaped = "".join(out)
    for pattern in _LINE_START:
        escaped = pattern.sub(r"\1\\\2", escaped, count=1)
    return _CLOSING_HASHES.sub(r"\\\1", escaped)


def _inline_markup(line: str, i: int, char: str, before: str | None, after: str | None) -> bool:
    """Whether ``char`` at ``i`` could be read as inline markup (brackets aside)."""
    if char in _ALWAYS:
        return True
    if char == "\\":
        return after is None or after in _PUNCTUATION
    if char == "&":
        return bool(_ENTITY.match(line, i))
    spaced = _space(before) and _space(after)
    if char in "*~":
        return not spaced  # a delimiter between two spaces neither opens nor closes
    if char == "_":
        return not (spaced or (_word(before) and _word(after)))  # intraword "_" never emphasises
    return False


def _space(char: str | None) -> bool:
    return char is not None and char.isspace()


def _word(char: str | None) -> bool:
    return char is not None and char.isalnum()


def _link_brackets(line: str) -> set[int]:
    """Positions of brackets that could take part in a link: every unmatched one, and both of a
    matched pair whose ``]`` is followed by ``(``, ``[``, ``:`` or the end of the value."""
    escape_at: set[int] = set()
    opened: list[int] = []
    for i, char in enumerate(line):
        if char == "[":
            opened.append(i)
        elif char == "]":
            if not opened:
                escape_at.add(i)
                continue
            start = opened.pop()
            if i + 1 == len(line) or line[i + 1] in "([:":
                escape_at.update((start, i))
    return escape_at | set(opened)
