"""The command line: output formats, --help, and bad input (one line on stderr, exit 2, nothing written)."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from framelens.config import SEED_ARTICLE

FIXTURE = Path(__file__).parent / "fixtures" / "harbour_flood.txt"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framelens", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("command", ["analyze", "entities", "tokens", "quotes", "evaluate", "frames", "report", "corrections", "compare"])
def test_every_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "usage: framelens " + command in result.stdout


def test_entities_csv_and_json_agree():
    csv_out = run_cli("entities", str(FIXTURE), "--format", "csv")
    json_out = run_cli("entities", str(FIXTURE), "--format", "json")
    assert csv_out.returncode == json_out.returncode == 0
    table = pd.read_csv(io.StringIO(csv_out.stdout))
    records = json.loads(json_out.stdout)
    assert list(table.columns) == ["canonical", "label", "mentions", "aliases", "first_paragraph"]
    assert table["canonical"].tolist() == [r["canonical"] for r in records]
    assert "Joanna Pike" in set(table["canonical"])


def test_tokens_kwic_and_frequencies():
    kwic = run_cli("tokens", str(FIXTURE), "--kwic", "harbour", "--format", "csv")
    assert kwic.returncode == 0
    assert len(pd.read_csv(io.StringIO(kwic.stdout))) == 1  # the headline is not body text
    everywhere = run_cli("tokens", str(FIXTURE), "--kwic", "harbour", "--format", "csv", "--all-paragraphs")
    assert len(pd.read_csv(io.StringIO(everywhere.stdout))) == 2
    freq = run_cli("tokens", str(FIXTURE), "--frequencies", "--top", "5", "--format", "json")
    assert len(json.loads(freq.stdout)) == 5


def test_quotes_csv_follows_the_contract():
    from framelens.article import load_article

    result = run_cli("quotes", str(SEED_ARTICLE), "--format", "csv")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(table.columns) == [
        "quote_id", "kind", "speaker", "speaker_mention", "cue", "paragraph", "start_char", "end_char", "text"
    ]
    text = load_article(SEED_ARTICLE).text
    assert len(table) >= 15
    assert set(table["kind"]) == {"direct", "indirect"}
    assert list(table["start_char"]) == sorted(table["start_char"])
    for row in table.itertuples():
        assert text[row.start_char : row.end_char] == row.text
        assert not row.text.startswith(('"', "“")) and row.speaker


def test_evaluate_prints_both_thresholds(project_root):
    gold = project_root / "data/gold/000_794d6e0919ecebcf.quotes.tsv"
    result = run_cli("evaluate", str(SEED_ARTICLE), str(gold), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["threshold"] for r in rows] == [0.3, 0.8]
    assert {"precision", "recall", "f1", "speaker_accuracy"} <= set(rows[0])


def test_evaluate_bad_gold_file_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.quotes.tsv"
    bad.write_text("no\theader\n")
    result = run_cli("evaluate", str(SEED_ARTICLE), str(bad))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_analyze_writes_tables(tmp_path):
    result = run_cli("analyze", str(FIXTURE), str(SEED_ARTICLE), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for article_id in ("harbour_flood", SEED_ARTICLE.stem):
        names = {p.name for p in (tmp_path / article_id).iterdir()}
        assert {"article.json", "doc.spacy", "tokens.csv", "mentions.csv", "actors.csv", "sentences.csv"} <= names


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "whitespace": b" \n\n\t ",
        "binary": bytes(range(256)) * 8,
        "undecodable": b"The minister said \xff\xfe the plan was fine and the council agreed with her.",
        "not_english": "El presidente dijo que la reunión con el gobierno fue muy difícil pero necesaria para todos.".encode(),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(data)
    paths["missing"] = tmp_path / "missing.txt"
    paths["directory"] = tmp_path
    return paths


BAD = ["empty", "whitespace", "binary", "undecodable", "not_english", "missing", "directory"]


@pytest.mark.parametrize(
    ("command", "name"),
    # for analyze a folder is a corpus (its bad files go in the errors table: tests/test_corpus.py)
    [(c, n) for c in ["entities", "tokens", "quotes", "analyze", "report"] for n in BAD if (c, n) != ("analyze", "directory")],
)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, name, command):
    path = _bad_inputs(tmp_path)[name]
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command in ("analyze", "report") else []
    result = run_cli(command, str(path), *extra)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framelens: error:"), result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_usage_errors_are_one_line_exit_2():
    result = run_cli("entities", "--format", "xml", str(FIXTURE))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_frames_coder_sheet_round_trip(tmp_path):
    sheet = run_cli("frames", str(FIXTURE), "--template", "--format", "csv")
    assert sheet.returncode == 0, sheet.stderr
    blank = pd.read_csv(io.StringIO(sheet.stdout), keep_default_na=False)
    assert len(blank) == 20 and (blank["answer"] == "").all()
    machine = pd.read_csv(io.StringIO(run_cli("frames", str(FIXTURE), "--format", "csv").stdout), keep_default_na=False)
    filled = blank.assign(answer=["yes" if a else "no" for a in machine["answer"]], coder="ana")
    filled.loc[0, "answer"] = "no" if machine.loc[0, "answer"] else "yes"  # disagree on one question
    path = tmp_path / "coded.csv"
    filled.to_csv(path, index=False)
    result = run_cli("frames", str(FIXTURE), "--coder", str(path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    agreement = pd.read_csv(io.StringIO(result.stdout))
    assert agreement["agree"].sum() == 19 and not agreement.loc[0, "agree"]
    assert "20 questions compared: 95% agreement" in result.stderr


# --- issue 10: ids, dates and hostile files through the command line ------------------------------


def _main(capsys, *args: str) -> tuple[int, str, str]:
    from framelens.cli import main

    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()


@pytest.mark.parametrize("filename", ["..txt", "_failed.txt", ".hidden.txt"])
@pytest.mark.parametrize("command", ["analyze", "report"])
def test_file_names_that_are_not_ids_are_refused_and_nothing_is_replaced(tmp_path, capsys, filename, command):
    out = tmp_path / "out"
    (out / "_failed" / "kept").mkdir(parents=True)
    (out / "other" ).mkdir()
    before = _tree(out)
    path = tmp_path / filename
    path.write_text(FIXTURE.read_text())
    code, _, err = _main(capsys, command, str(path), "--out", str(out))
    assert code == 2 and "cannot be an article id" in err and len(err.strip().splitlines()) == 1
    assert _tree(out) == before


def test_analyze_refuses_two_files_with_one_name(tmp_path, capsys):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text(FIXTURE.read_text().replace("Pike", "Pike" if folder == "a" else "Marsh"))
    out = tmp_path / "out"
    code, _, err = _main(capsys, "analyze", str(tmp_path / "a" / "index.txt"), str(tmp_path / "b" / "index.txt"), "--out", str(out))
    assert code == 2 and "same article id 'index'" in err
    assert not out.exists()


def test_a_symlink_is_analysed_and_reported_under_its_own_name(tmp_path, capsys):
    from framelens.runner import run_report

    link = tmp_path / "my_story.txt"
    link.symlink_to(FIXTURE)
    out = tmp_path / "out"
    code, stdout, err = _main(capsys, "analyze", str(link), "--out", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["my_story"]
    result = run_report(link, out_dir=tmp_path / "reports", notebooks=(), processed_root=tmp_path / "p")
    assert result.article_id == "my_story" and sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["my_story"]


@pytest.mark.parametrize("date", ["2015-13-45", "next tuesday <b>soon</b>"])
def test_bad_date_option_is_one_line_exit_2(capsys, date):
    with pytest.raises(SystemExit) as info:
        _main(capsys, "report", str(FIXTURE), "--date", date)
    err = capsys.readouterr().err
    assert info.value.code == 2 and len(err.strip().splitlines()) == 1 and "ISO 8601" in err


def test_stderr_stays_short_on_a_run_full_of_warnings(monkeypatch, capsys):
    import logging

    import framelens.cli as cli

    def noisy(args):
        for n in range(50):
            logging.getLogger("framelens.quotes").warning("stray quote mark %d", n)
        logging.getLogger("trafilatura.core").warning("discarding data")
        logging.getLogger("framelens.analysis").warning("saved analysis damaged; recomputing", extra={"notice": True})
        import warnings

        warnings.warn("a library's UserWarning")
        return 0

    monkeypatch.setattr(cli, "cmd_entities", noisy)
    code, _, err = _main(capsys, "entities", str(FIXTURE))
    lines = err.strip().splitlines()
    assert code == 0 and len(lines) == 2, err
    assert lines[0] == "framelens: notice: saved analysis damaged; recomputing"
    assert "50 warning(s)" in lines[1] and "trafilatura" not in err and "UserWarning" not in err


def test_error_messages_are_one_line_without_invisible_characters(tmp_path, capsys):
    path = tmp_path / "two\nlines\u202etxt.txt"
    path.write_text("")
    code, _, err = _main(capsys, "entities", str(path))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "\u202e" not in err
