"""The command line: output formats, --help, and bad input (one line on stderr, exit 2, nothing written)."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from framelens.config import SEED_ARTICLE

FIXTURE = Path(__file__).parent / "fixtures" / "harbour_flood.txt"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framelens", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("command", ["analyze", "entities", "tokens", "quotes", "evaluate", "frames", "report", "corrections", "export", "compare"])
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


# --- issue 13: the researcher's habits -----------------------------------------------------------


def test_version():
    from framelens import __version__

    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"framelens {__version__}"


def test_table_cuts_long_quotes_to_the_width_and_wide_shows_them(monkeypatch):
    monkeypatch.setenv("COLUMNS", "90")
    cut = run_cli("quotes", str(FIXTURE))
    assert cut.returncode == 0, cut.stderr
    lines = cut.stdout.splitlines()
    assert lines[0].startswith("quote_id  kind") and all(len(line) <= 90 for line in lines)
    assert any(line.endswith("…") for line in lines) and not lines[1].startswith(" ")  # text left-aligned
    wide = run_cli("quotes", str(FIXTURE), "--wide")
    assert "insurers had already been in touch" in wide.stdout and "the town's defences had held for most of the night before" in wide.stdout


def test_frames_evidence_by_paragraph_and_sentence_and_json_keeps_offsets():
    from framelens.article import load_article

    table = pd.read_csv(io.StringIO(run_cli("frames", str(FIXTURE), "--format", "csv").stdout), keep_default_na=False)
    records = json.loads(run_cli("frames", str(FIXTURE), "--format", "json").stdout)
    text = load_article(FIXTURE).text
    assert table["question_id"].tolist() == [r["question_id"] for r in records]
    found = [r for r in records if r["evidence"]]
    assert found
    for record in found:
        cell = table.loc[table["question_id"] == record["question_id"], "evidence"].iloc[0]
        parts = cell.split(" | ")
        assert len(parts) == len(record["evidence"])
        for part, e in zip(parts, record["evidence"]):
            assert text[e["start_char"] : e["end_char"]] == e["text"]
            assert part == f"p{e['paragraph']} s{e['sentence']}: " + " ".join(e["text"].split())
    shopkeeper = next(e for r in found for e in r["evidence"] if "shopkeeper" in e["text"])
    assert (shopkeeper["paragraph"], shopkeeper["sentence"]) == (6, 1)  # the sixth paragraph, counted from 1


GOLD_FOR_FIXTURE = (
    "kind\tspeaker\tcue\trequired\ttext\n"
    "indirect\tUNKNOWN\t\t1\tResidents of Port Ellery spent Sunday bailing out homes and shops\n"
    "direct\tJoanna Pike\tsaid\t1\tWe were lucky that nobody was hurt,\n"
    "indirect\tHarbour Office\tsaid\t1\tthe river peaked at 4.2 metres\n"
)


def test_evaluate_details_lists_misses_wrong_quotes_and_wrong_speakers(tmp_path):
    gold = tmp_path / "harbour_flood.quotes.tsv"
    gold.write_text(GOLD_FOR_FIXTURE, encoding="utf-8")
    result = run_cli("evaluate", str(FIXTURE), str(gold), "--details", "--format", "csv")
    assert result.returncode == 0, result.stderr
    details = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    by_problem = details.groupby("problem")["text"].apply(list).to_dict()
    assert by_problem["missed"] == ["Residents of Port Ellery spent Sunday bailing out homes and shops"]
    assert by_problem["wrong speaker"] == ["the river peaked at 4.2 metres"]
    assert details.loc[details["problem"] == "wrong speaker", ["gold_speaker", "system_speaker"]].values.tolist() == [["Harbour Office", "Environment Agency"]]
    assert len(by_problem["wrong quote"]) == 4 and "insurers had already been in touch" in by_problem["wrong quote"]
    summary = result.stderr.strip().splitlines()
    assert len(summary) == 1 and "1 missed, 4 wrong quote(s), 1 wrong speaker(s)" in summary[0] and "T=0.3" in summary[0]


@pytest.mark.parametrize("threshold", ["0", "1.5", "half"])
def test_evaluate_bad_threshold_is_one_line_exit_2(tmp_path, threshold):
    gold = tmp_path / "g.quotes.tsv"
    gold.write_text(GOLD_FOR_FIXTURE, encoding="utf-8")
    result = run_cli("evaluate", str(FIXTURE), str(gold), "--details", "--threshold", threshold)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("body", [b"\xff\xfe\x00binary", b"kind\tspeaker\n", b""])
def test_evaluate_hostile_gold_is_one_line_exit_2(tmp_path, body):
    gold = tmp_path / "g.quotes.tsv"
    gold.write_bytes(body)
    result = run_cli("evaluate", str(FIXTURE), str(gold), "--details")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr


def _coding_sheet(tmp_path: Path, name: str, coder: str, flip: int | None) -> Path:
    blank = pd.read_csv(io.StringIO(run_cli("frames", str(FIXTURE), "--template", "--format", "csv").stdout), keep_default_na=False)
    machine = json.loads(run_cli("frames", str(FIXTURE), "--format", "json").stdout)
    answers = [r["answer"] for r in machine]
    if flip is not None:
        answers[flip] = not answers[flip]
    path = tmp_path / name
    blank.assign(answer=["yes" if a else "no" for a in answers], coder=coder).to_csv(path, index=False)
    return path


def test_frames_several_coders_pairwise_agreement_and_alpha(tmp_path):
    ana = _coding_sheet(tmp_path, "ana.csv", "ana", flip=0)
    ben = _coding_sheet(tmp_path, "ben.csv", "", flip=None)
    result = run_cli("frames", str(FIXTURE), "--coder", str(ana), str(ben), "--format", "csv")
    assert result.returncode == 0, result.stderr
    matrix = pd.read_csv(io.StringIO(result.stdout))
    assert list(matrix.columns) == ["question_id", "frame", "machine", "ana", "ben", "agree"]
    assert matrix["agree"].sum() == 19 and (matrix["machine"] == matrix["ben"]).all()
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("machine vs ana: 20 questions compared: 95% agreement, Cohen's kappa ")
    assert lines[1].startswith("machine vs ben: 20 questions compared: 100% agreement, Cohen's kappa 1.00")
    assert lines[2].startswith("ana vs ben: 20 questions compared: 95% agreement")
    assert lines[3].startswith("Krippendorff's alpha (nominal) over 3 coders incl. the machine: ") and "over the 2 human coders" in lines[3]
    pairs = run_cli("frames", str(FIXTURE), "--coder", str(ana), str(ben), "--pairs", "--format", "json")
    assert pairs.returncode == 0, pairs.stderr
    records = json.loads(pairs.stdout)
    assert [(r["coder_a"], r["coder_b"]) for r in records] == [("machine", "ana"), ("machine", "ben"), ("ana", "ben")]
    assert [r["n"] for r in records] == [20, 20, 20] and records[1]["kappa"] == records[1]["alpha"] == 1.0
    assert f"Krippendorff's alpha {records[0]['alpha']:.2f}" in lines[0]
    assert run_cli("frames", str(FIXTURE), "--pairs").returncode == 2  # --pairs needs --coder


def test_frames_bad_sheet_among_several_is_one_line_exit_2(tmp_path):
    ana = _coding_sheet(tmp_path, "ana.csv", "ana", flip=None)
    bad = tmp_path / "bad.csv"
    bad.write_text("question_id,answer\nR1,perhaps\n", encoding="utf-8")
    same = _coding_sheet(tmp_path, "again.csv", "ana", flip=None)
    for sheets in ([ana, bad], [ana, same]):
        result = run_cli("frames", str(FIXTURE), "--coder", *map(str, sheets))
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stdout == ""


@pytest.mark.parametrize("body", [b"", b"\x00\xff\xfe binary", b"question_id,answer\n", b'question_id,answer\n"R1,yes\n', "folder", "missing"])
def test_frames_hostile_coding_sheets_are_one_line_exit_2(tmp_path, capsys, body):
    sheet = tmp_path / "sheet.csv"
    if body == "folder":
        sheet.mkdir()
    elif body != "missing":
        sheet.write_bytes(body)
    code, out, err = _main(capsys, "frames", str(FIXTURE), "--coder", str(sheet))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and err.startswith("framelens: error:"), err


def _notebook(tmp_path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Port Ellery flood notes"), nbformat.v4.new_code_cell("print(2 + 2)")]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="4\n")]
    path = tmp_path / "notes.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_export_writes_an_offline_page(tmp_path, capsys):
    notebook = _notebook(tmp_path)
    code, out, err = _main(capsys, "export", str(notebook))
    page = tmp_path / "notes.html"
    assert code == 0 and out.strip() == str(page), err
    html = page.read_text(encoding="utf-8")
    assert "Port Ellery flood notes" in html and "print" in html
    assert not re.search(r'<script[^>]*\ssrc="https?://', html)
    code, _, _ = _main(capsys, "export", str(notebook), "--out", str(tmp_path / "site" / "page.html"), "--no-code")
    assert code == 0 and "print(2" not in (tmp_path / "site" / "page.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "body", [b"not json", b"{}", b"[1, 2]", b"\xff\xfe", b'{"nbformat": 99, "cells": []}', None, "fifo", "folder"]
)
def test_export_bad_notebook_is_one_line_exit_2_and_the_old_page_stays(tmp_path, capsys, body):
    import os

    notebook = tmp_path / "bad.ipynb"
    if body == "fifo":
        os.mkfifo(notebook)
    elif body == "folder":
        notebook.mkdir()
    elif body is not None:
        notebook.write_bytes(body)
    page = tmp_path / "out.html"
    page.write_text("the old page", encoding="utf-8")
    code, out, err = _main(capsys, "export", str(notebook), "--out", str(page))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and err.startswith("framelens: error:"), err
    assert page.read_text(encoding="utf-8") == "the old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["bad.ipynb", "out.html"] if body is not None else ["out.html"])


def test_export_refuses_a_folder_or_the_notebook_itself_as_output(tmp_path, capsys):
    notebook = _notebook(tmp_path)
    before = notebook.read_bytes()
    for target in (tmp_path, notebook):
        code, _, err = _main(capsys, "export", str(notebook), "--out", str(target))
        assert code == 2 and len(err.strip().splitlines()) == 1
    assert notebook.read_bytes() == before


def test_report_several_files_one_line_each_and_a_bad_file_stops_nothing(tmp_path, capsys, monkeypatch):
    import functools
    import os

    import framelens.runner as runner

    monkeypatch.setattr(runner, "run_report", functools.partial(runner.run_report, notebooks=(), processed_root=tmp_path / "p"))
    good = tmp_path / "harbour.txt"
    good.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    (tmp_path / "other").mkdir()
    twin = tmp_path / "other" / "harbour.txt"  # the same article id: its report would replace the first
    twin.write_text(FIXTURE.read_text(encoding="utf-8").replace("Pike", "Marsh"), encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = tmp_path / "reports"
    code, stdout, err = _main(capsys, "report", str(empty), str(good), str(fifo), str(twin), "--out", str(out))
    assert code == 2
    assert stdout.splitlines() == [str(out / "harbour" / "report.html")]
    lines = err.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith("framelens: error:") for line in lines[:3])
    assert "empty.txt" in lines[0] and "pipe.txt" in lines[1] and "same article id 'harbour'" in lines[2]
    assert lines[3] == "framelens: 1 of 4 reports written, 3 failed"
    assert sorted(p.name for p in out.iterdir()) == ["harbour"]
    report = (out / "harbour" / "report.md").read_text(encoding="utf-8")
    assert "Pike" in report and "Marsh" not in report


def test_report_title_with_several_files_is_refused_before_anything_is_written(tmp_path, capsys):
    out = tmp_path / "reports"
    code, _, err = _main(capsys, "report", str(FIXTURE), str(SEED_ARTICLE), "--title", "One title", "--out", str(out))
    assert code == 2 and len(err.strip().splitlines()) == 1 and not out.exists()
