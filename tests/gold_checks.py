"""Checks shared by the tests of gold files made for third-party texts (offsets and hashes only)."""
from __future__ import annotations

from pathlib import Path


def gold_copies_text(text: str, quotes_file: Path, *, run: int = 8) -> bool:
    """Whether a quotes file or its speakers file holds a run of ``run`` consecutive words of ``text``."""
    words = text.split()
    speakers = quotes_file.with_name(quotes_file.name.replace("quotes", "speakers"))
    content = quotes_file.read_text(encoding="utf-8") + speakers.read_text(encoding="utf-8")
    return any(" ".join(words[i : i + run]) in content for i in range(len(words) - run + 1))
