"""Atomic output: the old or the new version in place at every instant, dead runs cleaned, writers take turns."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from framelens.staging import OWNER_FILE, atomic_path, clean_dead_stages


def _write_report(folder: Path, text: str) -> None:
    folder.mkdir()
    (folder / "report.html").write_text(text)


def test_new_version_replaces_old(tmp_path):
    target = tmp_path / "story"
    for text in ("old", "new"):
        with atomic_path(target) as stage:
            _write_report(stage, text)
    assert (target / "report.html").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["story"]


def test_a_failing_block_leaves_the_old_version(tmp_path):
    target = tmp_path / "story"
    with atomic_path(target) as stage:
        _write_report(stage, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as stage:
            _write_report(stage, "half")
            raise RuntimeError("killed notebook")
    assert (target / "report.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["story"]


def test_the_report_is_in_place_at_every_instant_of_a_swap(tmp_path):
    target = tmp_path / "story"
    with atomic_path(target) as stage:
        _write_report(stage, "0")
    missing = []
    done = threading.Event()

    def watch():
        while not done.is_set():
            if not (target / "report.html").is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(150):
            with atomic_path(target) as stage:
                _write_report(stage, str(n))
    finally:
        done.set()
        watcher.join()
    assert not missing


def _dead_stage(parent: Path, name: str) -> Path:
    stage = parent / f".{name}.stage-dead1234"
    stage.mkdir()
    (stage / OWNER_FILE).write_text("99999\n")  # nobody holds its lock: the run is gone
    return stage


def test_staging_left_by_a_killed_run_is_removed_by_the_next_run(tmp_path):
    stale = _dead_stage(tmp_path, "story")
    _write_report(stale / "story", "half-written")
    with atomic_path(tmp_path / "story") as stage:
        _write_report(stage, "new")
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story"]


def test_legacy_staging_folders_of_dead_runs_are_removed(tmp_path):
    legacy = tmp_path / ".story.k2j4_x9a"
    (legacy / "story").mkdir(parents=True)
    os.utime(legacy, (time.time() - 3600, time.time() - 3600))
    assert clean_dead_stages(tmp_path) == [legacy]


def test_a_live_run_keeps_its_staging_folder(tmp_path):
    live = tmp_path / ".story.stage-live1234"
    live.mkdir()
    with open(live / OWNER_FILE, "a+b") as owner:
        fcntl.flock(owner.fileno(), fcntl.LOCK_EX)
        assert clean_dead_stages(tmp_path) == []
        with atomic_path(tmp_path / "other") as stage:
            _write_report(stage, "x")
        assert live.exists()


def test_a_kill_between_the_two_renames_is_repaired(tmp_path):
    """Where no atomic exchange exists, the old version waits inside the stage; the next run restores it."""
    stage = _dead_stage(tmp_path, "story")
    _write_report(stage / "story.old", "old")
    clean_dead_stages(tmp_path)
    assert (tmp_path / "story" / "report.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story"]


def test_fallback_swap_without_exchange(tmp_path, monkeypatch):
    import framelens.staging as staging

    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    target = tmp_path / "story"
    for text in ("old", "new"):
        with atomic_path(target) as stage:
            _write_report(stage, text)
    assert (target / "report.html").read_text() == "new"


SLOW_WRITER = """
import sys, time
from pathlib import Path
from framelens.staging import atomic_path
with atomic_path(Path(sys.argv[1])) as stage:
    stage.mkdir()
    (stage / "report.html").write_text("from the killed run")
    print("staged", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_really_killed_run_leaves_nothing_the_next_run_keeps(tmp_path, sig):
    target = tmp_path / "story"
    with atomic_path(target) as stage:
        _write_report(stage, "old")
    writer = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "staged"
    writer.send_signal(sig)
    writer.wait(timeout=30)
    assert (target / "report.html").read_text() == "old"
    with atomic_path(target) as stage:
        _write_report(stage, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story"]
    assert (target / "report.html").read_text() == "new"


def test_concurrent_writers_of_one_target_take_turns_and_both_succeed(tmp_path):
    target = tmp_path / "story"
    errors, inside, overlap = [], [], []

    def write(text):
        try:
            with atomic_path(target) as stage:
                if inside:
                    overlap.append(text)
                inside.append(text)
                _write_report(stage, text)
                time.sleep(0.3)
                inside.remove(text)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(str(n),)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and not overlap
    assert (target / "report.html").read_text() in {"0", "1", "2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story"]
