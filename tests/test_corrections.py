"""A researcher's corrections file: template, round trip through every table, stable ids, clear errors."""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from framelens.analysis import analyze, load_or_analyze
from framelens.article import load_article
from framelens.cli import main
from framelens.corrections import find_corrections, read_corrections, sidecar_path, template_text
from framelens.errors import FramelensError

FIXTURE = Path(__file__).parent / "fixtures" / "ferry_strike.txt"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run ``framelens ARGS`` in this process (the model is loaded once): exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return subprocess.CompletedProcess(["framelens", *args], status, out.getvalue(), err.getvalue())


@pytest.fixture()
def article_path(tmp_path) -> Path:
    """The fixture article copied to a folder of its own, so a sidecar can sit beside it."""
    path = tmp_path / FIXTURE.name
    shutil.copyfile(FIXTURE, path)
    return path


@pytest.fixture(scope="module")
def machine(nlp):
    """The machine's own analysis of the fixture (no corrections)."""
    return analyze(load_article(FIXTURE), nlp)


def quote_id(analysis, words: str) -> str:
    """The id of the quote whose text contains ``words``."""
    rows = analysis.quotes[analysis.quotes["text"].str.contains(words, regex=False)]
    assert len(rows) == 1, (words, analysis.quotes[["quote_id", "text"]])
    return rows.iloc[0]["quote_id"]


def paragraph_of(analysis, words: str) -> int:
    return next(p.index for p in analysis.article.paragraphs if words in p.text)


def offsets(analysis, words: str) -> tuple[int, int]:
    start = analysis.article.text.index(words)
    return start, start + len(words)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def corrected(nlp, article_path: Path, body: str):
    write(sidecar_path(article_path), "version: 1\n" + body)
    return analyze(load_article(article_path), nlp, corrections=find_corrections(article_path))


# --- the template and the round trip -------------------------------------------------------------


def test_template_is_valid_yaml_built_from_the_article(machine):
    text = template_text(machine)
    assert yaml.safe_load(text) == {"version": 1}
    for row in machine.quotes.itertuples():
        assert re.search(rf"^#\s+{row.quote_id}\s+{row.paragraph}\s+{row.kind}\s+{re.escape(row.speaker)}:", text, re.M)
    assert "Jonas Pell (PERSON" in text


def test_template_examples_apply_cleanly_when_uncommented(nlp, machine, article_path):
    example = re.compile(r"^# ((speakers|roles|sides|merges|drop_quotes|add_quotes):|\s+(- )?\w+: )")
    lines = [line[2:] if example.match(line) else line for line in template_text(machine).splitlines()]
    write(sidecar_path(article_path), "\n".join(lines))
    fixes = read_corrections(sidecar_path(article_path))
    assert {e.kind for e in fixes.entries} == {"speakers", "roles", "sides", "merges", "drop_quotes", "add_quotes"}
    fixed = analyze(load_article(article_path), nlp, corrections=fixes)
    assert len(fixed.tables["corrections"]) == 6


def test_round_trip_template_edit_report(nlp, machine, article_path, tmp_path):
    cli = run_cli("corrections", str(article_path), "--template")
    assert cli.returncode == 0, cli.stderr
    sidecar = sidecar_path(article_path)
    assert cli.stdout.strip() == str(sidecar)
    start, end = offsets(machine, "The strike is a disgrace and everyone here is tired of it")
    offer, comment, friday = (quote_id(machine, w) for w in ("The offer is still", "would not comment", "meet again on Friday"))
    edits = f"""
speakers:
  - quote_id: {offer}
    speaker: Northsound Ferries
    note: Brenn speaks for the company here
drop_quotes:
  - quote_id: {comment}
    note: declining to comment is not a quote
add_quotes:
  - start_char: {start}
    end_char: {end}
    kind: direct
    speaker: Jonas Pell
    note: a quote without quotation marks
merges:
  - alias: Baltrade Shipping
    canonical: Northsound Ferries
    note: the owner speaks for the ferry company in this dispute
roles:
  - paragraph: {paragraph_of(machine, "meet again on Friday")}
    role: caption
    note: a picture caption in the original layout
sides:
  - actor: Ilse Varga
    side: Kelby
    note: she is the town's mayor
"""
    write(sidecar, sidecar.read_text(encoding="utf-8") + edits)
    fixed = load_or_analyze(article_path, processed_root=tmp_path / "processed")
    quotes = fixed.quotes.set_index("quote_id")

    # a speaker corrected: in the quotes and in every voice table
    assert quotes.loc[offer, "speaker"] == "Northsound Ferries"
    assert (quotes.loc[offer, "route"], quotes.loc[offer, "confidence"]) == ("corrected", "high")
    voice = fixed.voice_by_actor.set_index("actor")
    before = machine.voice_by_actor.set_index("actor")
    assert voice.loc["Tomas Brenn", "quotes"] == before.loc["Tomas Brenn", "quotes"] - 1
    assert voice.loc["Northsound Ferries", "quotes"] == 1
    assert "Northsound Ferries" in set(fixed.voice["speaker"])
    # a dropped quote is gone, the others keep their ids
    assert comment not in quotes.index and friday not in quotes.index
    kept = set(machine.quotes["quote_id"]) - {comment, friday}
    assert kept <= set(quotes.index)
    for qid in kept:
        assert quotes.loc[qid, "start_char"] == machine.quotes.set_index("quote_id").loc[qid, "start_char"]
    # an added quote is present, in text order, and counts
    assert quotes.loc["c1", "text"] == "The strike is a disgrace and everyone here is tired of it"
    assert quotes.loc["c1", "speaker"] == "Jonas Pell" and quotes.loc["c1", "route"] == "corrected"
    assert quotes.loc["c1", "speaker_label"] == "PERSON" and quotes.loc[offer, "speaker_label"] == "ORG"
    assert list(fixed.quotes["start_char"]) == sorted(fixed.quotes["start_char"])
    assert voice.loc["Jonas Pell", "status"] == "quoted directly"
    assert "c1" in set(fixed.timeline["quote_id"]) and "Jonas Pell" in set(fixed.voice["speaker"])
    # merged actors: one actor with both counts
    actors = fixed.actors.set_index("canonical")
    machine_actors = machine.actors.set_index("canonical")
    assert "Baltrade Shipping" not in actors.index
    assert actors.loc["Northsound Ferries", "mentions"] == (
        machine_actors.loc["Northsound Ferries", "mentions"] + machine_actors.loc["Baltrade Shipping", "mentions"]
    )
    # a role change removes the paragraph's quotes and its role everywhere
    index = paragraph_of(machine, "meet again on Friday")
    assert fixed.paragraphs.set_index("paragraph").loc[index, "role"] == "caption"
    assert fixed.paragraphs.set_index("paragraph").loc[index, "reason"] == "corrected: a picture caption in the original layout"
    assert index not in set(fixed.quotes["paragraph"])
    assert index in set(fixed.page_furniture["paragraph"])
    assert voice.loc["Mara Lindqvist", "quotes"] == before.loc["Mara Lindqvist", "quotes"] - 1
    # a side corrected: in sides and in voice by side
    assert fixed.sides.set_index("canonical").loc["Ilse Varga", "side"] == "Kelby"
    assert "Kelby" in set(fixed.voice_by_side[fixed.voice_by_side["quotes"] > 0]["side"])
    # every correction is listed with its note
    applied = fixed.tables["corrections"]
    assert sorted(applied["correction"]) == sorted(["speaker", "drop", "add", "merge", "role", "side"])
    assert "Brenn speaks for the company here" in set(applied["note"])
    assert fixed.corrections["sha256"] == read_corrections(sidecar).sha256


def test_report_lists_corrections_and_their_hash(nlp, article_path, tmp_path):
    from framelens.runner import run_report

    write(sidecar_path(article_path), "version: 1\nsides:\n  - actor: Ilse Varga\n    side: Kelby\n    note: she is <b>the</b> mayor\n")
    result = run_report(article_path, out_dir=tmp_path / "reports", processed_root=tmp_path / "processed", notebooks=())
    markdown = (result.report_dir / "report.md").read_text(encoding="utf-8")
    section = markdown.split("## Corrections applied", 1)[1].split("\n## ", 1)[0]
    assert "Ilse Varga's side is Kelby" in section and "she is \\<b\\>the\\</b\\> mayor" in section
    assert f"sha256 `{read_corrections(sidecar_path(article_path)).sha256}`" in markdown
    assert "<b>the</b>" not in (result.report_dir / "report.html").read_text(encoding="utf-8")


def test_a_changed_corrections_file_makes_the_saved_analysis_stale(article_path, tmp_path):
    processed = tmp_path / "processed"
    first = load_or_analyze(article_path, processed_root=processed)
    assert load_or_analyze(article_path, processed_root=processed).source == "loaded"
    write(sidecar_path(article_path), "version: 1\nsides:\n  - actor: Ilse Varga\n    side: Kelby\n")
    second = load_or_analyze(article_path, processed_root=processed)
    assert second.source == "parsed" and second.sides.set_index("canonical").loc["Ilse Varga", "side"] == "Kelby"
    again = load_or_analyze(article_path, processed_root=processed)
    assert again.source == "loaded" and again.corrections == second.corrections != first.corrections
    assert list(again.tables["corrections"]["correction"]) == ["side"]


def test_quotes_found_after_a_role_change_get_new_ids_and_the_rest_keep_theirs(nlp, machine, article_path):
    caption = next(p.index for p in machine.article.paragraphs if p.role == "caption")
    fixed = corrected(nlp, article_path, f"roles:\n  - paragraph: {caption}\n    role: body\n")
    new = fixed.quotes[fixed.quotes["paragraph"] == caption]
    assert len(new) >= 1 and all(re.fullmatch(r"r\d+", q) for q in new["quote_id"])
    old = fixed.quotes[fixed.quotes["paragraph"] != caption].reset_index(drop=True)
    assert old[["quote_id", "start_char", "speaker"]].equals(machine.quotes[["quote_id", "start_char", "speaker"]])


def test_speaker_may_be_an_alias_a_joint_pair_an_unnamed_source_or_unknown(nlp, machine, article_path):
    offer, first = quote_id(machine, "The offer is still"), quote_id(machine, "We have asked")
    fixed = corrected(nlp, article_path, f"""
merges:
  - alias: Baltrade Shipping
    canonical: Northsound Ferries
speakers:
  - quote_id: {offer}
    speaker: Baltrade Shipping + Tomas Brenn
  - quote_id: {first}
    speaker: a union official
""")
    quotes = fixed.quotes.set_index("quote_id")
    assert quotes.loc[offer, "speaker"] == "Northsound Ferries + Tomas Brenn"
    assert quotes.loc[first, "speaker"] == "a union official"
    assert (quotes.loc[offer, "speaker_label"], quotes.loc[first, "speaker_label"]) == ("GROUP", "UNNAMED")


def test_cli_applies_the_sidecar_and_a_file_named_elsewhere(machine, article_path, tmp_path):
    offer = quote_id(machine, "The offer is still")
    write(sidecar_path(article_path), f"version: 1\nspeakers:\n  - quote_id: {offer}\n    speaker: UNKNOWN\n")
    elsewhere = write(tmp_path / "mine.yaml", f"version: 1\ndrop_quotes:\n  - quote_id: {offer}\n")
    auto = run_cli("quotes", str(article_path), "--format", "csv")
    named = run_cli("quotes", str(article_path), "--format", "csv", "--corrections", str(elsewhere))
    assert auto.returncode == named.returncode == 0, auto.stderr + named.stderr
    assert f"\n{offer},direct,UNKNOWN," in auto.stdout
    assert f"\n{offer}," not in named.stdout
    listed = run_cli("corrections", str(article_path), "--format", "csv")
    assert listed.returncode == 0 and listed.stdout.splitlines()[1].startswith(f"speaker,1,{offer},Tomas Brenn,UNKNOWN")


def test_template_refuses_to_overwrite(article_path):
    sidecar = write(sidecar_path(article_path), "version: 1\n")
    result = run_cli("corrections", str(article_path), "--template")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "already exists" in result.stderr and sidecar.read_text() == "version: 1\n"


# --- bad corrections --------------------------------------------------------------------------------

BAD_FILES = {
    "bad yaml": ("version: 1\nspeakers: [\n", "not valid YAML"),
    "anchor": ("version: 1\nsides:\n  - &a {actor: Ilse Varga, side: Kelby}\nroles:\n  - *a\n", "anchors and aliases"),
    "a list twice": ("version: 1\nsides: []\nsides:\n  - {actor: Ilse Varga, side: Kelby}\n", "line 3 ('sides' appears twice"),
    "a field twice": ("version: 1\nsides:\n  - actor: Ilse Varga\n    side: Kelby\n    side: Osterby\n", "'side' appears twice"),
    "not a mapping": ("- version: 1\n", "expected a mapping"),
    "empty": ("", "expected a mapping"),
    "no version": ("sides: []\n", "version: 1"),
    "unknown top key": ("version: 1\nspeaker:\n  - quote_id: q1\n", "unknown key(s) speaker"),
    "unknown entry key": ("version: 1\nsides:\n  - actor: Ilse Varga\n    side: Kelby\n    country: x\n", "sides entry 1: unknown key(s) country"),
    "missing field": ("version: 1\nroles:\n  - paragraph: 2\n", "roles entry 1: missing role"),
    "wrong type": ("version: 1\nroles:\n  - paragraph: two\n    role: body\n", "roles entry 1: paragraph: expected a whole number"),
    "not a list": ("version: 1\nroles:\n  paragraph: 2\n", "roles: expected a list"),
    "twice": ("version: 1\nspeakers:\n  - {quote_id: q1, speaker: UNKNOWN}\ndrop_quotes:\n  - {quote_id: q1}\n", "drop_quotes entry 1: quote_id 'q1' is already corrected by speakers entry 1"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_refused_naming_file_and_entry(tmp_path, name):
    text, message = BAD_FILES[name]
    path = write(tmp_path / "x.corrections.yaml", text)
    with pytest.raises(FramelensError) as error:
        read_corrections(path)
    assert str(path) in str(error.value) and message in str(error.value)


def bad_entries(machine) -> dict[str, tuple[str, str]]:
    n = len(machine.article.paragraphs)
    size = len(machine.article.text)
    q = machine.quotes.iloc[0]
    caption = next(p for p in machine.article.paragraphs if p.role == "caption")
    return {
        "unknown quote id": ("speakers:\n  - {quote_id: q99, speaker: UNKNOWN}\n", "speakers entry 1: unknown quote id 'q99'"),
        "unknown quote to drop": ("drop_quotes:\n  - {quote_id: c1}\n", "drop_quotes entry 1: unknown quote id 'c1'"),
        "paragraph out of range": (f"roles:\n  - {{paragraph: {n}, role: body}}\n", f"roles entry 1: paragraph {n} is out of range"),
        "negative paragraph": ("roles:\n  - {paragraph: -1, role: body}\n", "paragraph -1 is out of range"),
        "unknown role": ("roles:\n  - {paragraph: 1, role: sidebar}\n", "roles entry 1: unknown role 'sidebar'"),
        "offsets out of range": (f"add_quotes:\n  - {{start_char: 10, end_char: {size + 5}, kind: direct, speaker: UNKNOWN}}\n", "add_quotes entry 1: offsets 10-"),
        "offsets reversed": ("add_quotes:\n  - {start_char: 60, end_char: 55, kind: direct, speaker: UNKNOWN}\n", "offsets 60-55 are reversed or out of range"),
        "offsets across paragraphs": ("add_quotes:\n  - {start_char: 60, end_char: 220, kind: direct, speaker: UNKNOWN}\n", "do not lie inside one paragraph"),
        "overlaps a quote": (f"add_quotes:\n  - {{start_char: {q.start_char}, end_char: {q.end_char}, kind: direct, speaker: UNKNOWN}}\n", f"overlap quote {q.quote_id}"),
        "two added quotes overlap": ("add_quotes:\n  - {start_char: 55, end_char: 70, kind: direct, speaker: UNKNOWN}\n  - {start_char: 60, end_char: 80, kind: direct, speaker: UNKNOWN}\n", "add_quotes entry 2: offsets 60-80 overlap quote c1"),
        "added in a caption": (f"add_quotes:\n  - {{start_char: {caption.start_char}, end_char: {caption.end_char}, kind: direct, speaker: UNKNOWN}}\n", f"lie in paragraph {caption.index}, a caption"),
        "unknown kind": ("add_quotes:\n  - {start_char: 55, end_char: 60, kind: mixed, speaker: UNKNOWN}\n", "unknown kind 'mixed'"),
        "unknown speaker": (f"speakers:\n  - {{quote_id: {q.quote_id}, speaker: Anna Nobody}}\n", "unknown actor 'Anna Nobody' as speaker"),
        "unknown actor to merge": ("merges:\n  - {alias: Anna Nobody, canonical: Ilse Varga}\n", "merges entry 1: unknown actor 'Anna Nobody'"),
        "merge in a circle": ("merges:\n  - {alias: Ilse Varga, canonical: Jonas Pell}\n  - {alias: Jonas Pell, canonical: Ilse Varga}\n", "in a circle"),
        "unknown actor's side": ("sides:\n  - {actor: Anna Nobody, side: Kelby}\n", "sides entry 1: unknown actor 'Anna Nobody'"),
    }


@pytest.mark.parametrize("name", [
    "unknown quote id", "unknown quote to drop", "paragraph out of range", "negative paragraph", "unknown role",
    "offsets out of range", "offsets reversed", "offsets across paragraphs", "overlaps a quote", "two added quotes overlap",
    "added in a caption", "unknown kind",
    "unknown speaker", "unknown actor to merge", "merge in a circle", "unknown actor's side",
])
def test_bad_entry_is_refused_naming_file_and_entry(nlp, machine, article_path, name):
    body, message = bad_entries(machine)[name]
    with pytest.raises(FramelensError) as error:
        corrected(nlp, article_path, body)
    assert str(sidecar_path(article_path)) in str(error.value) and message in str(error.value)


@pytest.mark.parametrize("command", ["quotes", "analyze", "report", "corrections"])
def test_cli_bad_corrections_one_line_exit_2_nothing_written(article_path, tmp_path, command):
    write(sidecar_path(article_path), "version: 1\nspeakers:\n  - {quote_id: q99, speaker: UNKNOWN}\n")
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command in ("analyze", "report") else []
    result = run_cli(command, str(article_path), *extra)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framelens: error:") and "unknown quote id 'q99'" in lines[0]
    assert str(sidecar_path(article_path)) in lines[0] and "speakers entry 1" in lines[0]
    assert not out.exists()


def test_cli_missing_corrections_file_is_exit_2(article_path, tmp_path):
    result = run_cli("quotes", str(article_path), "--corrections", str(tmp_path / "none.yaml"))
    assert result.returncode == 2 and "no such corrections file" in result.stderr


def test_readme_example_is_a_valid_corrections_file(project_root, tmp_path):
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Correcting the machine", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    fixes = read_corrections(write(tmp_path / "example.corrections.yaml", example))
    assert {e.kind for e in fixes.entries} == {"speakers", "roles", "merges", "drop_quotes", "add_quotes"}
    assert all(e.note for e in fixes.entries if e.kind != "drop_quotes")


@pytest.mark.slow
def test_a_report_notebook_gets_a_corrections_file_named_elsewhere(machine, article_path, tmp_path):
    """The notebooks get the file too (else one would re-analyse without it and save that)."""
    import json

    from framelens.runner import run_report

    offer = quote_id(machine, "The offer is still")
    elsewhere = write(tmp_path / "elsewhere.yaml", f"version: 1\nspeakers:\n  - quote_id: {offer}\n    speaker: Northsound Ferries\n    note: company line\n")
    processed = tmp_path / "processed"
    report_dir = run_report(
        article_path, out_dir=tmp_path / "reports", processed_root=processed, corrections=elsewhere, notebooks=("03_quotes_timeline",)
    ).report_dir
    assert f"{offer},direct,Northsound Ferries," in (report_dir / "tables" / "quotes.csv").read_text(encoding="utf-8")
    saved = json.loads((processed / article_path.stem / "article.json").read_text(encoding="utf-8"))
    assert saved["corrections"]["sha256"] == read_corrections(elsewhere).sha256
    markdown = (report_dir / "report.md").read_text(encoding="utf-8")
    assert f"Quote {offer} is by Northsound Ferries, not by Tomas Brenn: company line." in markdown
    assert "| Northsound Ferries | corrected | high |" in markdown


def test_a_quote_added_to_an_article_without_quotes_gives_it_a_voice(nlp, tmp_path):
    from framelens import report

    path = write(tmp_path / "council.txt", (
        "The city council of Marlow met on Monday to discuss the new bus routes for the northern districts.\n\n"
        "Councillor Rita Okafor called the plan overdue. The northern districts have waited ten years for a bus.\n"
    ))
    machine = analyze(load_article(path), nlp)
    assert machine.quotes.empty
    start, end = offsets(machine, "The northern districts have waited ten years for a bus")
    fixed = corrected(nlp, path, f"add_quotes:\n  - {{start_char: {start}, end_char: {end}, kind: indirect, speaker: Rita Okafor, cue: called}}\n")
    row = fixed.quotes.iloc[0]
    assert (row["quote_id"], row["speaker"], row["paragraph"], row["cue_lemma"]) == ("c1", "Rita Okafor", 1, "call")
    assert fixed.quotes["start_char"].dtype.kind == "i"
    assert report.summary(report.findings(fixed))[0].startswith("Only one voice is heard: Rita Okafor")


def test_cli_analyze_saves_the_corrections_it_applied(machine, article_path, tmp_path):
    import json

    sidecar = write(sidecar_path(article_path), "version: 1\nsides:\n  - {actor: Ilse Varga, side: Kelby, note: mayor}\n")
    result = run_cli("analyze", str(article_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "out" / article_path.stem
    assert json.loads((saved / "article.json").read_text())["corrections"]["sha256"] == read_corrections(sidecar).sha256
    assert "side,1,Ilse Varga,,Kelby,mayor" in (saved / "corrections.csv").read_text()
    two = run_cli("analyze", str(article_path), str(FIXTURE), "--corrections", str(sidecar), "--out", str(tmp_path / "two"))
    assert two.returncode == 2 and "give one PATH" in two.stderr and not (tmp_path / "two").exists()


def test_an_unnamed_source_can_be_given_a_side(nlp, tmp_path):
    path = write(tmp_path / "ferry.txt", (
        "Ferry crews in Kelby stopped work on Tuesday in a dispute over night shifts.\n\n"
        "A spokesman for the ferry company said the timetable would be restored by the weekend.\n"
    ))
    machine = analyze(load_article(path), nlp)
    speaker = machine.quotes.iloc[0]["speaker"]
    assert speaker[:1].islower()  # an unnamed source, as the text describes it
    fixed = corrected(nlp, path, f"sides:\n  - actor: {speaker}\n    side: the company\n")
    assert fixed.voice_by_side.set_index("side").loc["the company", "quotes"] == 1
