"""Load an article file into an Article: decoded text, paragraphs with offsets, and paragraph roles."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .config import BODY_ROLES, read_yaml
from .errors import FramelensError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MIN_WORDS = 8

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

    ``text`` is exactly the decoded file text (for HTML, the main text trafilatura extracted);
    every offset in framelens indexes it.
    """

    id: str
    path: Path
    text: str
    paragraphs: list[Paragraph]
    metadata: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""

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
    """Read a ``.txt`` (UTF-8, BOM allowed) or ``.html`` article.

    Metadata comes from a sidecar ``<stem>.meta.yaml`` next to the file (if any), then from the
    HTML itself, then from ``metadata`` (which wins). Raises FramelensError on unusable input.
    """
    path = Path(path)
    raw = _read_bytes(path)
    return article_from_bytes(raw, path=path, sidecar=_read_sidecar(path), metadata=metadata)


def article_from_bytes(
    raw: bytes,
    *,
    path: Path | str,
    article_id: str | None = None,
    sidecar: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Article:
    """Build an Article from the bytes of an article file (``.txt`` or HTML) read elsewhere.

    ``path`` names the input in messages; the id is ``article_id`` or the path's stem. Metadata:
    what the HTML says, overridden by ``sidecar``, then by the non-empty values of ``metadata``.
    Same checks and FramelensErrors as load_article.
    """
    path = Path(path)
    _check_bytes(raw, path)
    decoded = _decode(raw, path)
    meta: dict[str, Any] = {}
    if path.suffix.lower() in HTML_SUFFIXES or re.match(r"\s*(<!doctype html|<html)", decoded[:200], re.I):
        text, html_meta = _extract_html(decoded, path)
        meta.update({k: v for k, v in html_meta.items() if v})
        meta["source_format"] = "html"
    else:
        text = decoded
        meta["source_format"] = "txt"
    meta.update(sidecar or {})
    meta.update({k: v for k, v in (metadata or {}).items() if v})
    _check_prose(text, path)
    paragraphs = classify_paragraphs(text, split_paragraphs(text), title=meta.get("title"))
    return Article(
        id=article_id or path.stem,
        path=path,
        text=text,
        paragraphs=paragraphs,
        metadata=meta,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def article_from_text(text: str, *, article_id: str = "text", metadata: dict[str, Any] | None = None) -> Article:
    """Build an Article from a string (for notebooks and tests); same checks as load_article."""
    _check_prose(text, Path(article_id))
    meta = {"source_format": "txt", **(metadata or {})}
    paragraphs = classify_paragraphs(text, split_paragraphs(text), title=meta.get("title"))
    return Article(article_id, Path(article_id), text, paragraphs, meta, hashlib.sha256(text.encode()).hexdigest())


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise FramelensError(f"{path}: no such file")
    if path.is_dir():
        raise FramelensError(f"{path}: is a directory, expected an article file (.txt or .html)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FramelensError(f"{path}: cannot be read ({exc.strerror})") from exc
    _check_bytes(raw, path)
    return raw


def _check_bytes(raw: bytes, path: Path) -> None:
    if not raw.strip():
        raise FramelensError(f"{path}: file is empty")
    if b"\x00" in raw[:8192]:
        raise FramelensError(f"{path}: looks like a binary file, expected UTF-8 text or HTML")


def _decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FramelensError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); re-save it as UTF-8"
        ) from exc
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise FramelensError(f"{path}: looks like a binary file (control characters), expected text")
    return text


def _extract_html(html: str, path: Path) -> tuple[str, dict[str, Any]]:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise FramelensError(f"{path}: no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    info = {}
    if meta is not None:
        info = {"title": meta.title, "outlet": meta.sitename, "date": meta.date, "author": meta.author, "url": meta.url}
    return text, info


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.stem + ".meta.yaml")
    if not sidecar.is_file():
        return {}
    data = read_yaml(sidecar, "metadata sidecar") or {}
    if not isinstance(data, dict):
        raise FramelensError(f"{sidecar}: expected a mapping of metadata fields")
    return {str(k): (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


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
    inside a block are hard wraps), otherwise one paragraph per line.
    """
    separator = r"\n[ \t\r\f\v]*\n\s*" if re.search(r"\n[ \t\r\f\v]*\n", text) else r"\n"
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
