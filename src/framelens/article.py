"""Load an article file into an Article: decoded text, paragraphs with offsets, and paragraph roles."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import BODY_ROLES
from .errors import FramelensError
from .ids import article_id_for, check_article_id
from .inputs import check_date, decode_text, neutralise_invisible, read_flat_yaml, read_regular_file, source_offset, normalise_text

if TYPE_CHECKING:
    import pandas as pd  # imported by paragraph_table: loading an article (the report runner) needs no pandas

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MIN_WORDS = 8
MIN_BODY_WORDS_HTML = 40
# The bound on work per article: the longest text analysed (five times spaCy's default
# max_length; a book, not an article). A longer file is refused before any parsing.
MAX_ARTICLE_CHARS = 5_000_000

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
# Scraping artefacts: HTML tags (also with the "<" lost, as in "./p>") and character entities.
_TAGS = r"(?:p|br|div|span|a|b|i|em|strong|li|ul|ol|h[1-6]|blockquote|figure|figcaption|img|hr|td|tr|section)"
ARTEFACT_RE = re.compile(
    rf"(?:<|&lt;)\s*/?\s*{_TAGS}\b[^<>&]*(?:>|&gt;)|"  # a whole tag, perhaps entity-escaped
    rf"(?<![\w/])/?\s*{_TAGS}\s*/?\s*(?:>|&gt;)|"  # a tag that lost its "<": "./p>", "br /&gt;"
    r"&(?:[a-z]{2,8}|#\d{1,6}|#x[0-9a-f]{1,5});",  # a character entity: "&nbsp;", "&#8217;"
    re.I,
)
# A list bullet or number: "• ", "- ", "1. ", "2) ", "(a) " (not "J. Smith").
LIST_MARKER_RE = re.compile(r"^(?:[•●▪◦·*‣–—-]|\(?\d{1,2}[.)]|\(?[a-z]\))\s+(?=\S)")
# Social-media embeds: a post's signature line, its links, Instagram's and Facebook's markers.
EMBED_RE = re.compile(
    r"(?:^|[—–-])\s*[^()\n]{1,60}\(@\w{1,15}\)\s+\w+\.?\s+\d{1,2},\s+\d{4}|"  # tweet signature: "— Name (@handle) Month D, YYYY"
    r"\bpic\.twitter\.com/\w+|\bhttps?://t\.co/\w+|"
    r"^view this post on instagram\b|^a post shared by\b.*\(@[\w.]+\)|"
    r"^posted by\b.+\bon \w+day,\s+\w+\s+\d{1,2},\s+\d{4}$",  # Facebook post signature
    re.I,
)
SIGNATURE_RE = re.compile(r"^(?:[—–-]\s*)?[^()]{1,60}\(@\w{1,15}\)\s+\w+\.?\s+\d{1,2},\s+\d{4}\W*$", re.I)
# A photo credit at the end of a line: "(Photo: Name)", ". Picture: Name", "Name/Getty Images".
CREDIT_SUFFIX_RE = re.compile(
    r"(?:\((?:photo|image|picture|pic|credit)s?\s*(?:credit)?\s*[:/][^()]{1,60}\)|"
    r"[.!?]\s*(?:photo|image|picture|credit)s?\s*(?:credit)?\s*:\s*[^.]{1,60}|"
    r"[/|]\s*(?:getty images|reuters|afp|ap|pa( wire| media)?|epa)\b[^.]{0,30})\s*$",
    re.I,
)
# Where a person stands in a photo: "(L)", "(left)", "(L-R)", "(pictured)". A one-letter marker
# counts only on a line without terminal punctuation, since "(R)" also marks a US party in prose.
POSITION_WORD_RE = re.compile(r"\((?:left|right|centre|center|l-r|r-l|front|rear|second (?:left|right)|pictured|file( photo)?)\)", re.I)
POSITION_LETTER_RE = re.compile(r"\([LRC]\)")
CAPTION_MAX_WORDS = 45
SUBHEADING_MAX_WORDS = 6
SENTENCE_END_RE = re.compile(r"[.!?…][\"”’'»)\]]*$")
TERMINAL_RE = re.compile(r"[.!?…:;][\"”’'»)\]]*\s*$|[\"”»]\s*$")
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d[\d,.]*\w*")
# Notices of a page that withholds its article: login and paywalls, JavaScript-only app shells.
MAX_WALL_PARAGRAPH_WORDS = 60  # longest paragraph read as a sign-in, subscription or JavaScript notice
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


PARAGRAPH_SCHEMA = {
    "paragraph": "int64", "role": "str", "reason": "str", "start_char": "int64", "end_char": "int64", "words": "int64", "text": "str",
}


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
        from .rows import frame

        rows = [(p.index, p.role, p.reason, p.start_char, p.end_char, len(WORD_RE.findall(p.text)), p.text) for p in self.paragraphs]
        if not rows:  # (every Article has a paragraph; pandas' dtypes for a table of empty lists)
            import pandas as pd

            return pd.DataFrame({c: [] for c in PARAGRAPH_SCHEMA})
        return frame(rows, PARAGRAPH_SCHEMA)


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
    if len(text) > MAX_ARTICLE_CHARS:
        raise FramelensError(
            f"{path}: {len(text):,} characters is longer than one news article (limit {MAX_ARTICLE_CHARS:,}); "
            "split it into articles"
        )
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
    # a notice is a short paragraph; a long one that mentions "subscription" is reporting on it
    wall = sum(n for p, n in zip(body, words) if n <= MAX_WALL_PARAGRAPH_WORDS and WALL_RE.search(p.text))
    if wall >= 0.5 * sum(words):
        raise FramelensError(f"{path}: looks like a login wall, paywall or JavaScript notice, not an article")
    if html and sum(words) < MIN_BODY_WORDS_HTML:
        raise FramelensError(
            f"{path}: too little article text in the page ({sum(words)} words of body prose; "
            f"need at least {MIN_BODY_WORDS_HTML}); was it saved before the article loaded?"
        )


def _check_prose(text: str, path: Path) -> None:
    """Refuse text that is empty, too short, or not English prose (by function-word share)."""
    from .nlp import english_stop_words

    STOP_WORDS = english_stop_words()
    if not text.strip():
        raise FramelensError(f"{path}: file has no text (only whitespace)")
    words = [w.lower().replace("’", "'") for w in WORD_RE.findall(text) if not w[0].isdigit()]
    if len(words) < MIN_WORDS:
        raise FramelensError(f"{path}: too short to analyse ({len(words)} words; need at least {MIN_WORDS})")
    letters = sum(map(str.isalpha, text))  # map, not a generator: a fifth of the time on a corpus
    visible = len(text) - sum(map(str.isspace, text))
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
    """Give each span a role and the reason for it.

    Each paragraph is first judged alone (``paragraph_role``); then its neighbours settle what
    its shape cannot: list items under a body sentence are body, the text of a post whose
    signature line follows is an embed too, and a short line between body paragraphs is a
    subheading. Only roles guessed from shape are overruled, never an explicit marker.
    """
    chunks = [text[start:end] for start, end in spans]
    lines = [_role_text(chunk) for chunk in chunks]
    marked = [_marker_role(line, title=title) for line in lines]
    judged = [m or _shape_role(line, index=i) for i, (m, line) in enumerate(zip(marked, lines))]
    guessed = [m is None and j[0] in _SHAPE_GUESSES for m, j in zip(marked, judged)]
    bulleted = [bool(LIST_MARKER_RE.match(" ".join(ARTEFACT_RE.sub(" ", c).split()))) for c in chunks]
    judged = _with_context(lines, judged, guessed, bulleted)
    return [Paragraph(i, start, end, chunks[i], *judged[i]) for i, (start, end) in enumerate(spans)]


def paragraph_role(text: str, *, index: int = 1, title: str | None = None) -> tuple[str, str]:
    """Return (role, reason) for one paragraph from its shape alone.

    Roles: headline, body, caption, related, credit, boilerplate, embed (``classify_paragraphs``
    adds subheading and list items from the neighbours). Scraping artefacts
    (stray tags such as "</p>" or "./p>", entities such as "&nbsp;") and a list bullet are
    ignored first. The rules, in order: social-media embed markers; credit markers; known
    widget phrases; related-story prefixes and (VIDEO)-style suffixes; caption prefixes, a
    trailing photo credit or a position marker such as "(L)"; prose ending in terminal
    punctuation (or long) is body; a first line that is not prose is the headline; a very short
    line is navigation; a Title Case line is a headline of another story; a sentence-case line
    without terminal punctuation is a photo caption.
    """
    line = _role_text(text)
    return _marker_role(line, title=title) or _shape_role(line, index=index)


def _role_text(text: str) -> str:
    """The paragraph on one line, without scraping artefacts or a leading list bullet."""
    return LIST_MARKER_RE.sub("", " ".join(ARTEFACT_RE.sub(" ", text).split()))


def _marker_role(line: str, *, title: str | None) -> tuple[str, str] | None:
    """(role, reason) from an explicit marker in the line, or None when only its shape can tell."""
    words = WORD_RE.findall(line)
    if title and line.casefold() == " ".join(_role_text(str(title)).split()).casefold():
        return "headline", "matches the article title in the metadata"
    if EMBED_RE.search(line):
        return "embed", "social-media embed (post signature, pic.twitter.com link or Instagram marker)"
    if CREDIT_RE.match(line) or (len(words) <= 4 and _all_caps(words) and not TERMINAL_RE.search(line)):
        return "credit", "photo credit or copyright marker"
    if len(words) <= 6 and CREDIT_SUFFIX_RE.search(line):
        return "credit", "photo credit: a name and an agency"
    if WIDGET_RE.match(line):
        return "boilerplate", "known page-widget phrase"
    if RELATED_PREFIX_RE.match(line):
        return "related", "related-story prefix"
    if RELATED_SUFFIX_RE.search(line):
        return "related", "media tag such as (VIDEO) at the end of a headline"
    if CAPTION_PREFIX_RE.match(line):
        return "caption", "photo-caption prefix"
    if len(words) <= CAPTION_MAX_WORDS and CREDIT_SUFFIX_RE.search(line):
        return "caption", "short line ending with a photo credit"
    if len(words) <= CAPTION_MAX_WORDS and (
        POSITION_WORD_RE.search(line) or (POSITION_LETTER_RE.search(line) and not TERMINAL_RE.search(line))
    ):
        return "caption", "position marker such as (L) or (pictured) describing a photo"
    return None


def _shape_role(line: str, *, index: int) -> tuple[str, str]:
    """(role, reason) from the line's shape: punctuation, length, position and capitalisation."""
    words = WORD_RE.findall(line)
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


# Roles a paragraph gets from its shape alone, which its neighbours may overrule.
_SHAPE_GUESSES = ("caption", "related", "boilerplate")
LIST_ITEM = ("body", "list item under a body sentence")


def _with_context(
    lines: list[str], judged: list[tuple[str, str]], guessed: list[bool], bulleted: list[bool]
) -> list[tuple[str, str]]:
    """Roles after looking at neighbours: list items, post texts above a signature, subheadings."""
    judged = list(judged)
    for i in range(1, len(lines)):
        if guessed[i] and _continues_list(i, lines, judged, bulleted[i]):
            judged[i] = LIST_ITEM
    for i in range(1, len(lines)):
        if SIGNATURE_RE.match(lines[i]) and (guessed[i - 1] or judged[i - 1][0] == "body"):
            judged[i - 1] = ("embed", "text of the social-media post signed in the next paragraph")
    for i in range(1, len(lines) - 1):
        if guessed[i] and judged[i] != LIST_ITEM and _between_sentences(i, lines, judged):
            judged[i] = ("subheading", "short line between body paragraphs (a subheading)")
    return judged


def _between_sentences(i: int, lines: list[str], judged: list[tuple[str, str]]) -> bool:
    """A short capitalised line after a finished body sentence and before body prose (a line
    split out of a sentence starts lower case, with a digit, or follows an unfinished one)."""
    words = WORD_RE.findall(lines[i])
    return (
        1 <= len(words) <= SUBHEADING_MAX_WORDS
        and lines[i][:1].isupper()
        and not lines[i].endswith(",")
        and judged[i - 1][0] == "body"
        and judged[i + 1][0] == "body"
        and bool(SENTENCE_END_RE.search(lines[i - 1]))
    )


def _continues_list(i: int, lines: list[str], judged: list[tuple[str, str]], bulleted: bool) -> bool:
    """A bulleted or numbered line after body prose (or after earlier items of its list), or any
    line in a run introduced by a body sentence ending in ":"."""
    j = i - 1
    while j > 0 and judged[j] == LIST_ITEM:
        j -= 1
    return judged[j][0] == "body" and (bulleted or lines[j].endswith(":"))


def _all_caps(words: list[str]) -> bool:
    letters = [w for w in words if w[0].isalpha()]
    return bool(letters) and all(w.isupper() for w in letters)


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if w[0].isalpha() and w.lower() not in FUNCTION_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)
