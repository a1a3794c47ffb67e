"""Fuzz: the CLI on generated hostile files (names and contents) exits 0 or 2, says at most three
lines on stderr, never a traceback, and touches nothing outside its output folder."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROSE = "The council met on Monday and agreed to rebuild the harbour wall, the mayor said.\n"
CONTENTS = [
    b"",
    b"%PDF-1.4\n" + PROSE.encode(),
    PROSE.encode("utf-16"),
    PROSE.replace("\n", "\r").encode() * 3,
    ("=HYPERLINK(\"http://x\") " + PROSE).encode(),
    ("The $\\nosuch$ Fund said the $5 plan was fine. " + PROSE).encode(),
    ("Jo\u200bhn Sm\u202eith said the plan was fine. " + PROSE).encode(),
    b"<html><body><p>Subscribe to continue reading. Sign in.</p></body></html>",
    bytes(range(256)),
    PROSE.encode()[:-1].replace(b".", b""),
]
SIDECARS = [None, b"date: 2015-13-45\n", b"a: &a [x, x]\nb: [*a, *a]\n", b"title: [nested]\n", b"title: ok\ndate: 2015-09\n"]
NAME_CHARS = st.sampled_from(list("ab._- ") + ["\u202e", "\u200b", "é", "\n", "'", "$", "=", "%"])


@st.composite
def hostile_files(draw):
    stem = draw(st.text(NAME_CHARS, min_size=0, max_size=8))
    suffix = draw(st.sampled_from([".txt", ".html", ""]))
    body = draw(st.sampled_from(CONTENTS)) + draw(st.binary(max_size=40))
    if draw(st.booleans()):
        body = PROSE.encode() + body
    return stem + suffix, body, draw(st.sampled_from(SIDECARS))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_files(), st.sampled_from(["analyze", "entities"]))
def test_cli_on_hostile_files(case, command):
    from framelens.cli import main

    name, body, sidecar = case
    if not name or name in (".", "..") or "/" in name:
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        path = root / "in" / name
        path.write_bytes(body)
        if sidecar is not None:
            path.with_name(path.stem + ".meta.yaml").write_bytes(sidecar)
        before = _snapshot(root / "in")
        out = root / "out"
        err = io.StringIO()
        argv = [command, str(path)] + (["--out", str(out)] if command == "analyze" else [])
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
        lines = err.getvalue().strip().splitlines()
        assert code in (0, 2), err.getvalue()
        assert len(lines) <= 3 and "Traceback" not in err.getvalue()
        assert _snapshot(root / "in") == before
        assert sorted(p.name for p in root.iterdir()) in (["in"], ["in", "out"])
        if code == 2:
            assert not out.exists()


@pytest.mark.parametrize("kind", ["fifo", "dotdot"])
def test_real_subprocess_runs_on_hostile_paths(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
    else:
        path = tmp_path / "..txt"
        path.write_text(PROSE * 3)
    out = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "framelens", "report", str(path), "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()
