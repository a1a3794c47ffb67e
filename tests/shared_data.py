"""The shared third-party corpora in tests: finding them, and checking gold files hold none of their text.

They live in ../shared/corpora (never copied into the repository). A test that needs one skips on a
user's clone without it and fails under CI (CI set), where it must be present.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from framelens.config import SHARED_CORPORA_DIR


def shared_corpus(*parts: str) -> Path:
    """The path of a shared corpus file or folder; skips the test (fails it under CI) when absent."""
    path = SHARED_CORPORA_DIR.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI needs ../shared/corpora")
        pytest.skip(f"{path} not available")
    return path


def gold_copies_text(text: str, quotes_file: Path, *, run: int = 8) -> bool:
    """Whether a quotes file or its speakers file holds a run of ``run`` consecutive words of ``text``."""
    words = text.split()
    speakers = quotes_file.with_name(quotes_file.name.replace("quotes", "speakers"))
    content = quotes_file.read_text(encoding="utf-8") + speakers.read_text(encoding="utf-8")
    return any(" ".join(words[i : i + run]) in content for i in range(len(words) - run + 1))
