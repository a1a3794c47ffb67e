"""Markdown escaping: only what Markdown would misread is escaped, and every text renders as itself."""
from __future__ import annotations

from html.parser import HTMLParser

import mistune
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.markdown import escape

# The report's own renderer (report.markdown_to_html).
render = mistune.create_markdown(escape=True, plugins=["table"])


@pytest.mark.parametrize(
    "text",
    ["(16 of 17 quotes)", "+0.08", "-0.05 (negative)", "000_794d6e0919ecebcf", "a * b", "[computer software].",
     "AT&T", "snake_case_name", "50% of 3 + 4 = 7", "U.S. #1 hit!", "Smith & Jones (2014): a [note] here"],
)
def test_plain_text_is_left_alone(text):
    assert escape(text) == text


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("*not* over", r"\*not\* over"),
        ("_x_", r"\_x\_"),
        ("[a link](http://example.org)", r"\[a link\](http://example.org)"),
        ("a [half open", r"a \[half open"),
        ("<script>", r"\<script\>"),
        ("&amp; &#60;", r"\&amp; \&#60;"),
        ("a | b", r"a \| b"),
        ("`code`", r"\`code\`"),
        ("- not a list", r"\- not a list"),
        ("+ not a list", r"\+ not a list"),
        ("2015. A year", r"2015\. A year"),
        ("# not a heading", r"\# not a heading"),
        ("---", r"\---"),
        ("first\n=====", "first\n\\====="),
        ("line\n- two", "line\n\\- two"),
        ("ends with \\", "ends with \\\\"),
        ("Title ##", r"Title \##"),
    ],
)
def test_markup_is_escaped(text, escaped):
    assert escape(text) == escaped


class _Text(HTMLParser):
    """The text and the tags of an HTML fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.feed(html)

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()


# Where the report's templates put values: a paragraph line, emphasis, link text, a table cell.
CONTEXTS = {
    "paragraph": ("{}", ["p"]),
    "emphasis": ("*{}*", ["p", "em"]),
    "link text": ("[{}](#p1)", ["p", "a"]),
    "table cell": ("| a |\n|---|\n| {} |", ["table", "thead", "tr", "th", "tbody", "tr", "td"]),
}
PIECES = st.sampled_from(list("ab1 \\`*_{}[]()<>#+-!|&~=.:") + ["&amp;", "http://x.org", "1.", "- ", "==="])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12).map(lambda pieces: " ".join("".join(pieces).split())))
def test_any_text_renders_as_itself_in_every_context(text):
    if not text:
        return
    for context, (template, tags) in CONTEXTS.items():
        page = _Text(render(template.format(escape(text))))
        assert page.tags == tags, (context, text, escape(text))
        assert page.text.endswith(text) if context == "table cell" else page.text == text, (context, text, escape(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab1 *_[]#+-=.`") + ["\n", "1.", "- ", "==="]), min_size=1, max_size=12).map("".join))
def test_text_over_several_lines_stays_one_paragraph(text):
    text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
    if not text:
        return
    page = _Text(render(escape(text)))
    assert page.tags == ["p"] and page.text == text, escape(text)
