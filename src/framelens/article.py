"""Load an article file into an Article: decoded text, paragraphs with offsets, and paragraph roles."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .config import BODY_ROLES
from .errors import FramelensError
from .ids import article_id_for, check_article_id
from .inputs import check_date, decode_text, neutralise_invisible, read_flat_yaml, read_regular_file, source_offset, normalise_text

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MIN_WORDS = 8
MIN_BODY_WORDS_HTML = 40

# --- paragraph role rules -------------------------------------------------------------------
# Each rule is general page-furniture knowledge, not knowledge of any one article.
CREDIT_RE = re.compile(
    r"^(©|\(c\)\s|copyright\b|photo(graph)?s?\s*(credit)?\s*:|image\s*(credit)?\s*:|credit\s*:|"
    r"picture\s*:|getty images\b|ap photo\b|(photo|image|picture) by\b)",
    re.I,
)
WIDGET_RE = re.compile(
    r"^(no comments?|post a comment|\d+\s+comments?|comments?(\s*\(\d+\))?|leave a (comment|reply)|"
    r"share (this|on|via)\b.*|share|tweet|email|print|subscribe\b.*|sign up\b.*|follow us\b.*|"
    r"click here\b.*|advertisement|loading\W*|newer posts?|older posts?|home|menu|"
    r"tags?\s*:.*|labels?\s*:.*|posted by\b.*|you (may|might) also like\b.*|all rights reserved\b.*|"
    r"related (articles|stories|posts)|subscribe to:.*|skip to (main )?content|back to top)\W*$",
    re.I,
)
RELATED_PREFIX_RE = re.compile(
    r"^(read more|read also|also read|more|related|see also|watch|in brief|recommended|listen|"
    r"more on this( story)?|further reading)\s*[:|–—-]\s*\S",
    re.I,
)
RELATED_SUFFIX_RE = re.compile(r"\((video|photos?|audio|live|infographic|gallery|poll)\)\s*$", re.I)
CAPTION_PREFIX_RE = re.compile(r"^(pictured|above|top|file photo|in this (photo|image))\s*[:,–—-]", re.I)
TERMINAL_RE = re.compile(r"[.!?…:;][\"”’'»)\]]*\s*$|[\"”»]\s*$")
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d[\d,.]*\w*")
# Notices of a page that withholds its article: login and paywalls, JavaScript-only app shells.
WALL_RE = re.compile(
    r"\b(sign in|log in|login|subscribe|subscription|subscriber|already a member|create (a free |an )?account|"
    r"register (now|for free|to)|continue reading|unlimited (digital )?access|free trial|cancel any ?time|"
    r"enable javascript|javascript (is )?(disabled|required|must be enabled)|your browser|"
    r"(accept|allow) (all )?cookies|paywall|this content is (only )?available)\b",
    re.I,
)
# Line breaks of every convention (CRLF, old-Mac CR, Unicode separators), for paragraph splitting.
NEWLINE = r"(?:\r\n|[\n\r\x85\u2028\u2029])"
FUNCTION_WORDS = frozenset(
    "a an the and or but nor of in on at to for with by from as vs via into over about after before "
    "up out off is are was be than that".split()
)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article; ``text == article.text[start_char:end_char]``."""

    index: int
    start_char: int
    end_char: int
    text: str
    role: str
    reason: str


@dataclass
class Article:
    """An article as read from disk.

    ``text`` is the decoded file text (for HTML, the main text trafilatura extracted) with line
    breaks made LF and invisible format characters (zero-width, bidi controls) removed; the
    positions of removed characters are kept in ``removed_chars`` (see ``source_offset``), and
    every offset in framelens indexes ``text``.
    """

    id: str
    path: Path
    text: str
    paragraphs: list[Paragraph]
    metadata: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    removed_chars: tuple[int, ...] = ()  # positions of invisible characters removed from the decoded text

    def source_offset(self, char: int) -> int:
        """The offset in the decoded file text (before invisible characters were removed) of ``char``."""
        return source_offset(char, self.removed_chars)

    def source_span(self, start_char: int, end_char: int) -> tuple[int, int]:
        """(start, end) in the decoded file text of the span ``text[start_char:end_char]``."""
        return self.source_offset(start_char), self.source_offset(end_char - 1) + 1 if end_char > start_char else self.source_offset(start_char)

    def paragraphs_with_role(self, roles: tuple[str, ...] = BODY_ROLES) -> list[Paragraph]:
        """Paragraphs whose role is in ``roles`` (body paragraphs by default)."""
        return [p for p in self.paragraphs if p.role in roles]

    def paragraph_table(self) -> pd.DataFrame:
        """DataFrame, one row per paragraph: paragraph, role, reason, start_char, end_char, words, text."""
        return pd.DataFrame(
            {
                "paragraph": [p.index for p in self.paragraphs],
                "role": [p.role for p in self.paragraphs],
                "reason": [p.reason for p in self.paragraphs],
                "start_char": [p.start_char for p in self.paragraphs],
                "end_char": [p.end_char for p in self.paragraphs],
                "words": [len(WORD_RE.findall(p.text)) for p in self.paragraphs],
                "text": [p.text for p in self.paragraphs],
            }
        )


# --- loading ---------------------------------------------------------------------------------


def load_article(path: Path | str, *, metadata: dict[str, Any] | None = None) -> Article:
    """Read a ``.txt`` (UTF-8, or UTF-16/32 with a BOM) or ``.html`` article.

    Metadata comes from a sidecar ``<stem>.meta.yaml`` next to the file (if any), then from the
    HTML itself, then from ``metadata`` (which wins). Raises FramelensError on unusable input:
    an unusable id, a file that is not a regular text file, text that is not an article.
    """
    path = Path(path)  # not resolved: a symlink keeps its own name (and id)
    article_id = article_id_for(path)
    raw = read_regular_file(path)
    article = article_from_bytes(raw, path=path, article_id=article_id, sidecar=_read_sidecar(path), metadata=metadata)
    article.path = path.absolute()
    return article


def article_from_bytes(
    raw: bytes,
    *,
    path: Path | str,
    article_id: str,
    sidecar: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Article:
    """Build an Article from the bytes of an article file (``.txt`` or HTML) read elsewhere (a
    corpus row, a fetched page). ``path`` names the input in messages and, by its suffix, says
    whether it is HTML. Metadata: what the HTML says, overridden by ``sidecar``, then by the
    non-empty values of ``metadata``. Same checks and FramelensErrors as load_article.
    """
    path = Path(path)
    check_article_id(article_id, source=path)
    decoded = decode_text(raw, path)
    meta: dict[str, Any] = {}
    is_html = path.suffix.lower() in HTML_SUFFIXES or re.match(r"\s*(<!doctype html|<html)", decoded[:200], re.I)
    if is_html:
        text, html_meta = _extract_html(decoded, path)
        meta.update({k: v for k, v in html_meta.items() if v})
        meta["source_format"] = "html"
    else:
        text = decoded
        meta["source_format"] = "txt"
    meta.update(sidecar or {})
    meta.update({k: v for k, v in (metadata or {}).items() if v})
    text, removed = normalise_text(text)
    return _build(article_id, path, text, _clean_metadata(meta, path), raw, removed=removed, html=bool(is_html))


def article_from_text(text: str, *, article_id: str = "text", metadata: dict[str, Any] | None = None) -> Article:
    """Build an Article from a string (for notebooks and tests); same checks as load_article."""
    check_article_id(article_id)
    text, removed = normalise_text(text)
    meta = _clean_metadata({"source_format": "txt", **(metadata or {})}, Path(article_id))
    return _build(article_id, Path(article_id), text, meta, text.encode(), removed=removed, html=False)


def _build(article_id: str, path: Path, text: str, meta: dict[str, Any], raw: bytes, *, removed: tuple[int, ...], html: bool) -> Article:
    _check_prose(text, path)
    paragraphs = classify_paragraphs(text, split_paragraphs(text), title=meta.get("title"))
    _check_article_body(paragraphs, path, html=html)
    return Article(article_id, path, text, paragraphs, meta, hashlib.sha256(raw).hexdigest(), removed)


def _clean_metadata(meta: dict[str, Any], source: Path) -> dict[str, Any]:
    """Metadata values without invisible characters, and the date checked as ISO 8601."""
    clean = {str(k): neutralise_invisible(v) for k, v in meta.items()}
    if clean.get("date"):
        clean["date"] = check_date(clean["date"], source=f"{source}: date")
    return clean


def _extract_html(html: str, path: Path) -> tuple[str, dict[str, Any]]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise FramelensError(f"{path}: no article text found in the HTML")
    # extensive=False: a date only from the page's metadata, never guessed from a copyright line
    meta = trafilatura.extract_metadata(html, extensive=False)
    info = {}
    if meta is not None:
        info = {"title": meta.title, "outlet": meta.sitename, "date": meta.date, "author": meta.author, "url": meta.url}
    if info.get("date"):
        try:
            info["date"] = check_date(info["date"])
        except FramelensError:
            info["date"] = None  # an unreadable page date is no date, not an error of the user's
    return text, info


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.stem + ".meta.yaml")
    if not sidecar.exists():
        return {}
    return read_flat_yaml(sidecar)


def _check_article_body(paragraphs: list[Paragraph], path: Path, *, html: bool) -> None:
    """Refuse text with no article prose: no body paragraph at all, a saved login wall or app
    shell (most body words are sign-in, subscription or JavaScript notices), or, for a web page,
    fewer than MIN_BODY_WORDS_HTML words of body prose."""
    body = [p for p in paragraphs if p.role in BODY_ROLES]
    if not body:
        raise FramelensError(
            f"{path}: no article prose found (the {len(paragraphs)} paragraph(s) look like headlines, captions "
            "or page furniture; body paragraphs end with a full stop)"
        )
    words = [len(WORD_RE.findall(p.text)) for p in body]
    wall = sum(n for p, n in zip(body, words) if WALL_RE.search(p.text))
    if wall >= 0.5 * sum(words):
        raise FramelensError(f"{path}: looks like a login wall, paywall or JavaScript notice, not an article")
    if html and sum(words) < MIN_BODY_WORDS_HTML:
        raise FramelensError(
            f"{path}: too little article text in the page ({sum(words)} words of body prose; "
            f"need at least {MIN_BODY_WORDS_HTML}); was it saved before the article loaded?"
        )


def _check_prose(text: str, path: Path) -> None:
    """Refuse text that is empty, too short, or not English prose (by function-word share)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    if not text.strip():
        raise FramelensError(f"{path}: file has no text (only whitespace)")
    words = [w.lower().replace("’", "'") for w in WORD_RE.findall(text) if not w[0].isdigit()]
    if len(words) < MIN_WORDS:
        raise FramelensError(f"{path}: too short to analyse ({len(words)} words; need at least {MIN_WORDS})")
    letters = sum(ch.isalpha() for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    stop_share = sum(w in STOP_WORDS for w in words) / len(words)
    if letters < 0.6 * visible or stop_share < 0.2:
        raise FramelensError(
            f"{path}: does not look like English prose ({stop_share:.0%} English function words); "
            "framelens analyses English news articles"
        )


# --- paragraphs and roles ---------------------------------------------------------------------


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start_char, end_char) of each paragraph, whitespace trimmed.

    Paragraphs are blank-line separated blocks when the text has blank lines (single newlines
    inside a block are hard wraps), otherwise one paragraph per line. CRLF, CR-only and Unicode
    line separators count as line breaks; offsets still index ``text`` as it is.
    """
    blank_line = NEWLINE + r"[ \t\f\v]*" + NEWLINE
    separator = blank_line + r"\s*" if re.search(blank_line, text) else NEWLINE
    spans = []
    pos = 0
    for match in re.finditer(separator, text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    trimmed = []
    for start, end in spans:
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            trimmed.append((start + lead, end - trail))
    return trimmed


def classify_paragraphs(text: str, spans: list[tuple[int, int]], *, title: str | None = None) -> list[Paragraph]:
    """Give each span a role and the reason for it (see ``paragraph_role``)."""
    paragraphs = []
    for index, (start, end) in enumerate(spans):
        chunk = text[start:end]
        role, reason = paragraph_role(chunk, index=index, title=title)
        paragraphs.append(Paragraph(index, start, end, chunk, role, reason))
    return paragraphs


def paragraph_role(text: str, *, index: int = 1, title: str | None = None) -> tuple[str, str]:
    """Return (role, reason) for one paragraph from its shape alone.

    Roles: headline, body, caption, related, credit, boilerplate. The rules, in order: credit
    markers; known widget phrases; related-story prefixes and (VIDEO)-style suffixes; caption
    prefixes; prose ending in terminal punctuation (or long) is body; a first line that is
    not prose is the headline; a very short line is navigation; a Title Case line is a headline
    of another story; a sentence-case line without terminal punctuation is a photo caption.
    """
    line = " ".join(text.split())
    words = WORD_RE.findall(line)
    if title and line.casefold() == " ".join(str(title).split()).casefold():
        return "headline", "matches the article title in the metadata"
    if CREDIT_RE.match(line) or (len(words) <= 4 and _all_caps(words) and not TERMINAL_RE.search(line)):
        return "credit", "photo credit or copyright marker"
    if WIDGET_RE.match(line):
        return "boilerplate", "known page-widget phrase"
    if RELATED_PREFIX_RE.match(line):
        return "related", "related-story prefix"
    if RELATED_SUFFIX_RE.search(line):
        return "related", "media tag such as (VIDEO) at the end of a headline"
    if CAPTION_PREFIX_RE.match(line):
        return "caption", "photo-caption prefix"
    if TERMINAL_RE.search(line):
        return "body", "ends with terminal punctuation"
    if len(words) >= 40:
        return "body", "long prose line"
    if index == 0:
        return "headline", "first line without terminal punctuation"
    if len(words) <= 3:
        return "boilerplate", "very short line without punctuation (navigation or widget)"
    if _title_case(words):
        return "related", "Title Case line without terminal punctuation (headline of another story)"
    return "caption", "sentence-case line without terminal punctuation (photo caption)"


def _all_caps(words: list[str]) -> bool:
    letters = [w for w in words if w[0].isalpha()]
    return bool(letters) and all(w.isupper() for w in letters)


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if w[0].isalpha() and w.lower() not in FUNCTION_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)
