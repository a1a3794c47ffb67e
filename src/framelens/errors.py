"""The one exception type users see, and atomic file writing so no half-written output is left."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class FramelensError(ValueError):
    """A problem the user can act on (bad input, missing model); the CLI prints it on one line."""


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it into place only if the block succeeds.

    Works for files and for directories (the caller creates either at the yielded path).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staged = tmp / target.name
    try:
        yield staged
        if target.is_dir() and staged.is_dir():
            old = tmp / (target.name + ".old")
            os.replace(target, old)
            os.replace(staged, target)
        elif staged.exists():
            os.replace(staged, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

