"""Article ids: made from a file name, validated, and turned into a folder that cannot escape its root.

An id names ``reports/<id>/`` and ``data/processed/<id>/``, so it must be one plain path component:
not ``.`` or ``..``, no separators, no hidden or framelens-reserved names (a leading ``.`` or
``_``, as in ``_failed``), no control or invisible characters, and short enough for any file system.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable

from .errors import FramelensError

MAX_ID_LENGTH = 120
# Characters file systems or shells treat specially; the rest of Unicode letters and digits is fine.
_UNSAFE_CHARS = re.compile(r'[/\\:*?"<>|]')
# Names Windows reserves for devices, whatever the extension.
_DEVICE_NAMES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.I)


def check_article_id(candidate: str, *, source: object = None) -> str:
    """Return ``candidate`` if it is a usable article id, else raise FramelensError saying why.

    ``source`` (a path, for the message) names where the id came from.
    """
    where = f"{source}: " if source is not None else ""
    problem = _id_problem(candidate)
    if problem:
        raise FramelensError(f"{where}{candidate!r} cannot be an article id ({problem}); rename the file")
    return candidate


def _id_problem(candidate: str) -> str | None:
    if not candidate or not candidate.strip():
        return "it is empty"
    if candidate in (".", ".."):
        return "it names a folder, not an article"
    if candidate[0] in "._-":
        return f"names starting with {candidate[0]!r} are reserved for hidden and framelens folders"
    if _UNSAFE_CHARS.search(candidate):
        return "it contains a path separator or a character file systems reserve"
    if any(unicodedata.category(ch).startswith("C") for ch in candidate):
        return "it contains control or invisible characters"
    if candidate != candidate.strip() or candidate.endswith("."):
        return "it ends with a space or a dot"
    if len(candidate) > MAX_ID_LENGTH:
        return f"it is longer than {MAX_ID_LENGTH} characters"
    if _DEVICE_NAMES.match(candidate.split(".")[0]):
        return "it is a reserved device name"
    return None


def article_id_for(path: Path | str) -> str:
    """The id of the article file at ``path``: its name without the extension, as given (a symlink
    is named by the link, not its target), NFC-normalised and validated."""
    stem = unicodedata.normalize("NFC", Path(path).stem)
    return check_article_id(stem, source=path)


def article_folder(root: Path | str, article_id: str) -> Path:
    """``root/<article_id>``, after checking the id, so the folder is always a direct child of root."""
    check_article_id(article_id)
    return Path(root) / article_id


def check_unique_ids(items: Iterable[tuple[str, object]]) -> None:
    """Raise FramelensError if two sources share an id: ``items`` are (id, source) pairs.

    Ids are compared case-insensitively, since ``A`` and ``a`` are one folder on some file systems.
    """
    seen: dict[str, object] = {}
    for article_id, source in items:
        key = article_id.casefold()
        if key in seen and str(seen[key]) != str(source):
            raise FramelensError(
                f"{source}: same article id {article_id!r} as {seen[key]}; their outputs would overwrite "
                "each other, so rename one of them"
            )
        seen.setdefault(key, source)
