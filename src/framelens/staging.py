"""Write a file or folder atomically: build it in a staging folder beside the target, swap it in.

Guarantees, for ``reports/<id>/`` and ``data/processed/<id>/``:

* the target holds the old or the new version at every instant: folders are swapped with one
  ``renameat2(RENAME_EXCHANGE)`` on Linux; elsewhere two renames, and a run killed between them
  is repaired by the next run, which puts the old version back;
* runs writing the same target take turns (an exclusive lock per target, outside the output
  folder), so concurrent runs on one article both succeed, one after the other;
* staging folders ``.<name>.stage-XXXX`` are owned through a lock held for the run; the next run
  removes those whose owner is gone (killed by SIGKILL, SIGTERM or a power cut), never a live one.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

log = logging.getLogger(__name__)

STAGE_MARK = ".stage-"
OWNER_FILE = ".owner"
OLD_SUFFIX = ".old"
# A staging folder with no owner file is younger than this only while its run is starting up.
UNOWNED_GRACE_SECONDS = 600
_LEGACY_STAGE = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}$")  # tempfile.mkdtemp names of earlier versions
LOCK_DIR = Path(tempfile.gettempdir()) / "framelens-locks"


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a path in a fresh staging folder beside ``target``; swap it into place only if the
    block succeeds (the caller creates a file or a folder there). Waits for other writers of
    ``target`` and first cleans staging folders that dead runs left beside it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target_lock(target):
        clean_dead_stages(target.parent)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGE_MARK}", dir=target.parent))
        owner = _own(tmp)
        try:
            staged = tmp / target.name
            yield staged
            if staged.exists():
                swap_into_place(staged, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            owner.close()


@contextmanager
def target_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``target`` (blocking); the lock file lives outside its folder."""
    LOCK_DIR.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(str(target.absolute()).encode()).hexdigest()[:32]
    with open(LOCK_DIR / f"{key}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _own(stage: Path) -> IO[bytes]:
    handle = open(stage / OWNER_FILE, "a+b")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write(f"{os.getpid()}\n".encode())
    handle.flush()
    return handle


def swap_into_place(staged: Path, target: Path) -> None:
    """Move ``staged`` to ``target``; an existing target ends up at ``staged`` (to be deleted)."""
    if not (target.exists() or target.is_symlink()):
        os.replace(staged, target)
    elif not _exchange(staged, target):
        if not (target.is_dir() and not target.is_symlink()):
            os.replace(staged, target)  # a file replaces a file atomically
            return
        old = staged.with_name(staged.name + OLD_SUFFIX)
        os.replace(target, old)  # a kill here leaves old inside the stage; clean_dead_stages restores it
        os.replace(staged, target)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def clean_dead_stages(parent: Path) -> list[Path]:
    """Remove staging folders in ``parent`` whose run is gone; return the folders removed.

    A previous version of a target found in a dead stage while the target itself is missing
    (a run killed mid-swap) is put back first.
    """
    removed = []
    for stage in parent.iterdir() if parent.is_dir() else ():
        name = _stage_target_name(stage)
        if name is None or not _owner_gone(stage):
            continue
        target, old = parent / name, stage / (name + OLD_SUFFIX)
        if old.exists() and not target.exists():
            os.replace(old, target)
            log.warning("restored %s, left half-swapped by a run that was killed", target, extra={"notice": True})
        shutil.rmtree(stage, ignore_errors=True)
        removed.append(stage)
    return removed


def _stage_target_name(path: Path) -> str | None:
    if not path.name.startswith(".") or not path.is_dir() or path.is_symlink():
        return None
    if STAGE_MARK in path.name:
        return path.name[1:].rsplit(STAGE_MARK, 1)[0]
    legacy = _LEGACY_STAGE.match(path.name)
    if legacy and {p.name for p in path.iterdir()} <= {legacy["name"], legacy["name"] + OLD_SUFFIX}:
        return legacy["name"]
    return None


def _owner_gone(stage: Path) -> bool:
    try:
        handle = open(stage / OWNER_FILE, "rb")
    except FileNotFoundError:
        return time.time() - stage.stat().st_mtime > UNOWNED_GRACE_SECONDS
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # its run still holds the lock
        return True
