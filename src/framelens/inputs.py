"""Read what a user hands framelens, defensively: article bytes, their decoding, sidecars and dates.

Only regular files are read (a FIFO or device would hang or never end), each with a size bound;
text is decoded from UTF-8 or BOM-marked UTF-16/32; invisible format characters and the CR of
CRLF are removed for analysis with their positions kept; sidecars are small flat YAML mappings; dates are ISO 8601.
"""
from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import FramelensError

MAX_ARTICLE_BYTES = 20_000_000  # a saved news page with inline scripts; far above any article
MAX_SIDECAR_BYTES = 64_000
# Signatures of formats people rename to .txt; framelens reads text and HTML only.
BINARY_SIGNATURES = {
    b"%PDF-": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (such as .docx or .odt)",
    b"{\\rtf": "an RTF document",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}
# BOMs, longest first (the UTF-32-LE BOM begins with the UTF-16-LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Characters that are invisible or reorder text: zero-width (joiners, spaces, word joiner, soft
# hyphen, BOM), bidirectional controls, and C0/C1 controls other than tab and line breaks. They
# split names for the tokenizer and can disguise text in a report.
INVISIBLE_RE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000e0001-\U000e007f\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]"
)
_REMOVED_RE = re.compile(INVISIBLE_RE.pattern + "|\r(?=\n)")
_LINE_BREAKS_TO_LF = str.maketrans({"\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def read_regular_file(path: Path | str, *, what: str = "article file", max_bytes: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), read once.

    Raises FramelensError for a missing path, a directory, a FIFO, socket or device, an
    unreadable or oversized file. The file is opened without blocking and checked through the
    open descriptor, so a FIFO put in its place cannot make the read hang.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FramelensError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FramelensError(f"{path}: is a directory, expected an {what} (.txt or .html)") from None
    except OSError as exc:
        raise FramelensError(f"{path}: cannot be read ({exc.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FramelensError(f"{path}: is a directory, expected an {what} (.txt or .html)")
        raise FramelensError(f"{path}: is not a regular file (a pipe, socket or device); save the {what} to a file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > max_bytes:
            raise FramelensError(f"{path}: {info.st_size:,} bytes is too large for an {what} (limit {max_bytes:,})")
        try:
            raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise FramelensError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > max_bytes:  # it grew after the check
        raise FramelensError(f"{path}: too large for an {what} (limit {max_bytes:,} bytes)")
    return raw


def decode_text(raw: bytes, path: Path | str) -> str:
    """Decode article bytes: UTF-8 (BOM optional) or UTF-16/32 with a BOM; refuse binary formats."""
    if not raw.strip():
        raise FramelensError(f"{path}: file is empty")
    for signature, kind in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise FramelensError(f"{path}: is {kind}, not text; save the article as .txt (UTF-8) or .html")
    encoding = next((name for bom, name in BOMS if raw.startswith(bom)), None)
    if encoding is None and b"\x00" in raw[:8192]:
        raise FramelensError(f"{path}: looks like a binary file, expected UTF-8 text or HTML (UTF-16 needs a BOM)")
    try:
        text = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise FramelensError(
            f"{path}: not {encoding or 'UTF-8'} text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); re-save it as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > 0.01 * min(len(text), 8192):
        raise FramelensError(f"{path}: looks like a binary file (control characters), expected text")
    return text


def normalise_text(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` ready for analysis, and the positions (in ``text``) of the characters removed.

    Invisible and bidi control characters are removed, and so is the CR of each CRLF; a CR-only
    or Unicode line break becomes LF. A CRLF, CR or LF file thus gives the same analysis, and
    ``source_offset`` maps any offset into the result back to ``text``.
    """
    removed = tuple(m.start() for m in _REMOVED_RE.finditer(text))
    if removed:
        text = _REMOVED_RE.sub("", text)
    return text.translate(_LINE_BREAKS_TO_LF), removed


def source_offset(offset: int, removed: tuple[int, ...]) -> int:
    """Map an offset into the stripped text back to the text before ``strip_invisible``."""
    for position in removed:  # sorted ascending; each removed char before the target shifts it by one
        if position <= offset:
            offset += 1
        else:
            break
    return offset


def neutralise_invisible(value: Any) -> Any:
    """Strings lose invisible and bidi control characters (for metadata and output); others pass."""
    return INVISIBLE_RE.sub("", value) if isinstance(value, str) else value


# --- dates -----------------------------------------------------------------------------------


def check_date(value: object, *, source: object = "date") -> str:
    """Return ``value`` as an ISO 8601 date string, or raise FramelensError naming ``source``.

    Accepted: YYYY, YYYY-MM, YYYY-MM-DD, and a date with a time (``2015-09-28T14:30Z``).
    """
    text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value).strip()
    partial = _PARTIAL_DATE_RE.match(text)
    try:
        if partial:
            if partial.group(2) and not 1 <= int(partial.group(2)) <= 12:
                raise ValueError("month must be in 1..12")
            return text
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
        if len(text) > 10 and text[10] in "T ":
            dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return text
        raise ValueError("not a date")
    except ValueError as exc:
        raise FramelensError(
            f"{source}: {text[:40]!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) ({exc})"
        ) from None


# --- sidecars --------------------------------------------------------------------------------


def read_flat_yaml(path: Path | str, *, what: str = "metadata sidecar") -> dict[str, str]:
    """A small YAML file holding one flat mapping of plain scalars, as strings.

    Anchors, aliases, tags, lists and nested mappings are refused before anything is built, so
    an alias bomb costs no more than reading its bytes; values stay strings (no YAML timestamp
    or number conversion), so a bad date is reported by ``check_date`` rather than by PyYAML.
    """
    import yaml

    path = Path(path)
    raw = read_regular_file(path, what=what, max_bytes=MAX_SIDECAR_BYTES)
    try:
        events = list(yaml.parse(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FramelensError(f"{path}: the {what} is not valid UTF-8 YAML ({exc.__class__.__name__})") from None
    return _flat_mapping(events, path, what)


def _flat_mapping(events: list, path: Path, what: str) -> dict[str, str]:
    import yaml

    body = [e for e in events if not isinstance(e, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                                    yaml.DocumentStartEvent, yaml.DocumentEndEvent))]
    if not body:
        return {}
    refuse = FramelensError(f"{path}: the {what} must be one flat mapping of 'key: value' lines (no lists, nesting, anchors or aliases)")
    if not isinstance(body[0], yaml.MappingStartEvent) or not isinstance(body[-1], yaml.MappingEndEvent):
        raise refuse
    if body[0].anchor or body[0].tag or len(events) - len(body) > 4:  # more than one document
        raise refuse
    scalars = body[1:-1]
    if any(not isinstance(e, yaml.ScalarEvent) or e.anchor or e.tag for e in scalars):
        raise refuse
    return {k.value: v.value for k, v in zip(scalars[::2], scalars[1::2])}
