"""The corpus layer: inputs and ids, Parquet tables with metadata on every row, bad articles,
resumption (also after a killed run), identical tables from every engine, SQL, real corpora."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import framelens.corpus as corpus
from framelens.analysis import analyze
from framelens.article import load_article
from framelens.config import PROJECT_ROOT
from framelens.corpus.engine import OPTIONAL_TABLES, analyze_corpus
from framelens.corpus.inputs import corpus_entries
from framelens.corpus.store import CorpusStore
from framelens.errors import FramelensError
from shared_data import shared_corpus

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"
FIXTURE_IDS = ["courier--index", "gazette--index", "radio--bridge-engineers", "radio--ferry-plan"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framelens", *args], capture_output=True, text=True, timeout=600)


def fixture_texts() -> list[tuple[str, str, dict]]:
    """(id, text, metadata) of the fixture corpus's .txt articles."""
    rows = []
    for path in sorted(FIXTURE_CORPUS.rglob("*.txt")):
        meta = {"outlet": load_article(path).metadata["outlet"], "title": path.read_text().splitlines()[0]}
        rows.append((path.stem, path.read_text(encoding="utf-8"), meta))
    return rows


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def write_csv(path: Path, records: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def sorted_table(table: pd.DataFrame) -> pd.DataFrame:
    table = table[sorted(table.columns)]
    return table.sort_values(list(table.columns)).reset_index(drop=True)


def assert_same_tables(left: Path, right: Path) -> None:
    with corpus.open(left) as a, corpus.open(right) as b:
        assert a.tables == b.tables
        for name in a.tables:
            pd.testing.assert_frame_equal(sorted_table(a.table(name)), sorted_table(b.table(name)), check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "fixture"
    summary = analyze_corpus(FIXTURE_CORPUS, out, part_size=3, progress=False)
    return out, summary


# --- inputs and ids --------------------------------------------------------------------------------


def test_folder_ids_keep_the_path_so_two_index_files_do_not_collide():
    entries = list(corpus_entries(FIXTURE_CORPUS))
    assert [e.id for e in entries] == FIXTURE_IDS
    articles = list(corpus.load_corpus(FIXTURE_CORPUS))
    by_id = {a.id: a for a in articles}
    assert by_id["gazette--index"].metadata["outlet"] == "Larkspur Gazette"  # sidecar honoured
    assert by_id["courier--index"].metadata["source_format"] == "html"
    assert "Share this story" not in by_id["courier--index"].text  # main text extracted from the HTML


def test_files_differing_only_in_suffix_keep_it(tmp_path):
    text = (FIXTURE_CORPUS / "gazette" / "index.txt").read_text()
    (tmp_path / "story.txt").write_text(text)
    (tmp_path / "story.html").write_text(f"<html><body><article><p>{text}</p></article></body></html>")
    (tmp_path / "other.txt").write_text(text)
    assert [e.id for e in corpus_entries(tmp_path)] == ["other", "story.html", "story.txt"]


def test_folder_ids_equal_but_for_case_are_an_error(tmp_path):
    text = (FIXTURE_CORPUS / "gazette" / "index.txt").read_text()
    for name in ("Story.txt", "story.txt"):
        (tmp_path / name).write_text(text)
    with pytest.raises(FramelensError, match="same article id"):
        list(corpus_entries(tmp_path))


def test_jsonl_and_csv_inputs_keep_metadata_columns(tmp_path):
    records = [{"id": i, "text": t, "outlet": m["outlet"], "title": m["title"], "date": "2031-03-05", "desk": "local"}
               for i, t, m in fixture_texts()]
    for path in (write_jsonl(tmp_path / "c.jsonl", records), write_csv(tmp_path / "c.csv", records)):
        articles = list(corpus.load_corpus(path))
        assert [a.id for a in articles] == [r["id"] for r in records]
        assert articles[0].metadata["desk"] == "local" and articles[0].metadata["outlet"] == records[0]["outlet"]
        assert articles[0].text == records[0]["text"]


def test_rows_without_id_get_file_stem_and_row_number(tmp_path):
    records = [{"text": t} for _i, t, _m in fixture_texts()]
    assert [e.id for e in corpus_entries(write_jsonl(tmp_path / "wire.jsonl", records))] == ["wire-1", "wire-2", "wire-3"]


def test_csv_file_column_reads_texts_next_to_the_table(tmp_path):
    rows = [{"id": "a", "file": "gazette/index.txt", "outlet": "X"}, {"id": "b", "file": "radio/ferry-plan.txt", "outlet": "Y"}]
    table = write_csv(tmp_path / "list.csv", rows)
    for row in rows:
        target = tmp_path / row["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((FIXTURE_CORPUS / row["file"]).read_bytes())
    assert [(a.id, a.metadata["outlet"]) for a in corpus.load_corpus(table)] == [("a", "X"), ("b", "Y")]


def test_a_repeated_id_is_an_error_before_anything_is_written(tmp_path):
    text = fixture_texts()[0][1]
    path = write_jsonl(tmp_path / "dup.jsonl", [{"id": "x", "text": text}, {"id": "y", "text": text}, {"id": "x", "text": text}])
    with pytest.raises(FramelensError, match="row 3: same article id 'x' as .* row 1"):
        analyze_corpus(path, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()
    result = run_cli("analyze", str(path), "--out", str(tmp_path / "out2"))
    assert result.returncode == 2 and result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize("bad", ["missing.jsonl", "empty_folder", "notes.md"])
def test_unusable_sources_are_one_line_exit_2(tmp_path, bad):
    (tmp_path / "empty_folder").mkdir()
    (tmp_path / "notes.md").write_text("not a corpus")
    result = run_cli("analyze", str(tmp_path / bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "out").exists()


# --- the tables ------------------------------------------------------------------------------------


def test_every_table_is_a_dataset_with_article_metadata_on_every_row(fixture_run):
    out, summary = fixture_run
    assert (summary.analysed, summary.failed, summary.skipped) == (4, 0, 0)
    with corpus.open(out) as c:
        assert {"articles", "paragraphs", "sentences", "mentions", "actors", "quotes", "voice", "sides", "naming",
                "loaded_labels", "reporting_verbs", "tone_sentences", "frames", "prominence", "page_furniture"} <= set(c.tables)
        assert not set(OPTIONAL_TABLES) & set(c.tables)
        ledger = c.articles.set_index("article_id")
        assert sorted(ledger.index) == FIXTURE_IDS and set(ledger["status"]) == {"analysed"}
        assert c.errors.empty and c.loaded_labels.empty  # datasets exist even with no rows
        for name in c.tables:
            table = c.table(name)
            if table.empty:
                continue
            assert list(table.columns[:2]) == ["article_id", "outlet"], name
            assert (table["outlet"] == ledger.loc[table["article_id"], "outlet"].to_numpy()).all(), name
        assert len(list((out / "articles").glob("part-*.parquet"))) == 2  # 4 articles, parts of 3


def test_corpus_tables_equal_the_single_article_analysis(fixture_run, nlp):
    out, _ = fixture_run
    single = analyze(load_article(FIXTURE_CORPUS / "gazette" / "index.txt"), nlp)
    with corpus.open(out) as c:
        for name in ("quotes", "mentions", "frames", "tone_sentences"):
            rows = c.sql(f"SELECT * FROM {name} WHERE article_id = 'gazette--index'")[list(single.tables[name].columns)]
            pd.testing.assert_frame_equal(sorted_table(rows), sorted_table(single.tables[name]), check_dtype=False, obj=name)


def test_bad_articles_are_recorded_and_the_rest_analysed(tmp_path):
    good = fixture_texts()
    records = [{"id": i, "text": t, "outlet": m["outlet"]} for i, t, m in good]
    records += [
        {"id": "blank", "text": "   ", "outlet": "Nowhere"},
        {"id": "spanish", "text": "El alcalde dijo que el puente de la ciudad estará cerrado durante todo el año próximo.", "outlet": "Nowhere"},
        {"id": "nulls", "text": None, "outlet": "Nowhere"},
    ]
    out = tmp_path / "out"
    result = run_cli("analyze", str(write_jsonl(tmp_path / "mixed.jsonl", records)), "--out", str(out), "--part-size", "2")
    assert result.returncode == 1, result.stderr
    assert "3 analysed, 3 failed" in result.stderr and "Traceback" not in result.stderr
    with corpus.open(out) as c:
        errors = c.errors.set_index("article_id")
        assert sorted(errors.index) == ["blank", "nulls", "spanish"]
        assert "English" in errors.loc["spanish", "reason"] and errors.loc["blank", "stage"] == "load"
        assert set(errors["outlet"]) == {"Nowhere"}
        assert set(c.sql("SELECT DISTINCT article_id FROM quotes")["article_id"]) == {r[0] for r in good}
    again = run_cli("analyze", str(tmp_path / "mixed.jsonl"), "--out", str(out))
    assert again.returncode == 1 and "0 analysed, 3 failed" in again.stderr  # failures stay on record


@pytest.mark.parametrize("bound", ["model limit", "chunk size"])
def test_a_text_longer_than_one_doc_fares_as_a_single_article_does(tmp_path, nlp, monkeypatch, caplog, bound):
    import framelens.nlp as nlp_module
    from framelens.article import article_from_text
    from framelens.corpus.worker import corpus_pipeline

    long_text = "\n\n".join(t for _i, t, _m in fixture_texts()) * 3
    pipelines = (nlp, corpus_pipeline(None))
    limits = [p.max_length for p in pipelines]
    if bound == "chunk size":  # under the model's limit, but parse_article parses it in chunks
        monkeypatch.setattr(nlp_module, "CHUNK_CHARS", len(long_text) // 2)
    try:
        for p in pipelines:
            if bound == "model limit":
                p.max_length = len(long_text) // 2  # parse_article chunks or refuses it, as for one article
        try:
            single = analyze(article_from_text(long_text, article_id="long"), nlp).tables["quotes"]
        except FramelensError as exc:
            single = str(exc)
        with caplog.at_level("INFO", logger="framelens.nlp"):
            summary = analyze_corpus(write_jsonl(tmp_path / "l.jsonl", [{"id": "long", "text": long_text}]), tmp_path / "out", progress=False)
    finally:
        for p, limit in zip(pipelines, limits):
            p.max_length = limit
    if bound == "chunk size":
        assert any("chunks" in r.getMessage() for r in caplog.records)  # parsed by parse_article, not piped whole
    with corpus.open(tmp_path / "out") as c:
        if isinstance(single, str):
            assert summary.failed == 1 and c.errors["stage"].tolist() == ["parse"]
            assert c.errors["reason"][0] in single
        else:
            assert summary.analysed == 1
            pd.testing.assert_frame_equal(sorted_table(c.quotes[list(single.columns)]), sorted_table(single), check_dtype=False)


# --- resuming --------------------------------------------------------------------------------------


def test_a_finished_corpus_is_skipped_and_a_changed_article_redone(tmp_path):
    records = [{"id": i, "text": t, "outlet": m["outlet"]} for i, t, m in fixture_texts()]
    source = write_jsonl(tmp_path / "c.jsonl", records)
    out = tmp_path / "out"
    analyze_corpus(source, out, part_size=1, progress=False)
    parts = sorted(p.name for p in (out / "articles").iterdir())
    again = analyze_corpus(source, out, part_size=1, progress=False)
    assert (again.analysed, again.skipped) == (0, 3)
    assert sorted(p.name for p in (out / "articles").iterdir()) == parts
    records[1]["outlet"] = "Corrected Outlet"
    write_jsonl(source, records)
    third = analyze_corpus(source, out, part_size=1, progress=False)
    assert (third.analysed, third.skipped) == (1, 2)
    with corpus.open(out) as c:
        assert c.sql("SELECT count(*) AS n FROM articles")["n"][0] == 3  # no article twice
        outlets = c.sql(f"SELECT DISTINCT outlet FROM quotes WHERE article_id = '{records[1]['id']}'")["outlet"]
        assert outlets.tolist() == ["Corrected Outlet"]


def test_a_killed_run_resumes_to_the_same_tables(tmp_path):
    texts = fixture_texts()
    records = [{"id": f"copy{n:02d}-{i}", "text": t, "outlet": m["outlet"]} for n in range(6) for i, t, m in texts]
    source = write_jsonl(tmp_path / "many.jsonl", records)
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "framelens", "analyze", str(source), "--out", str(killed), "--part-size", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 300
    while not list((killed / "articles").glob("part-*.parquet")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    done = len(list((killed / "articles").glob("part-*.parquet")))
    assert 1 <= done < len(records) / 2
    summary = analyze_corpus(source, killed, part_size=2, progress=False)
    assert summary.skipped == 2 * done and summary.analysed == len(records) - 2 * done
    analyze_corpus(source, clean, part_size=2, progress=False)
    assert_same_tables(killed, clean)


def test_recover_removes_the_parts_of_an_uncommitted_batch(fixture_run, tmp_path):
    out, _ = fixture_run
    store = CorpusStore(out)
    orphan = out / "quotes" / store.next_part()
    orphan.write_bytes((out / "quotes" / "part-000000.parquet").read_bytes())
    (out / "quotes" / ".part-000009.parquet.1.tmp").write_bytes(b"half")
    assert store.recover() == 2
    assert not orphan.exists()


# --- engines ---------------------------------------------------------------------------------------


def test_serial_multiprocess_and_dask_runs_give_identical_tables(fixture_run, tmp_path):
    serial, _ = fixture_run
    multi = analyze_corpus(FIXTURE_CORPUS, tmp_path / "multi", n_process=2, batch_size=1, part_size=2, progress=False)
    dask = analyze_corpus(FIXTURE_CORPUS, tmp_path / "dask", engine="dask", n_process=2, batch_size=1, part_size=3, progress=False)
    assert multi.analysed == dask.analysed == 4
    assert_same_tables(serial, tmp_path / "multi")
    assert_same_tables(serial, tmp_path / "dask")


def test_an_unreachable_scheduler_is_one_line_exit_2(tmp_path):
    result = run_cli("analyze", str(FIXTURE_CORPUS), "--out", str(tmp_path / "out"), "--engine", "dask",
                     "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 2 and "Dask scheduler" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- querying --------------------------------------------------------------------------------------


def test_open_gives_dataframes_and_sql_over_views(fixture_run):
    out, _ = fixture_run
    with corpus.open(out) as c:
        per_outlet = c.sql("SELECT outlet, count(*) AS quotes FROM quotes GROUP BY outlet ORDER BY outlet")
        assert per_outlet["outlet"].tolist() == ["Coastline Courier", "Larkspur Gazette", "Northshore Radio"]
        assert per_outlet["quotes"].sum() == len(c.quotes)
        with pytest.raises(FramelensError, match="SQL error"):
            c.sql("SELECT nope FROM quotes")
        with pytest.raises(FramelensError, match="no table"):
            c.table("nope")


def test_tables_command_prints_sql_results(fixture_run, tmp_path):
    out, _ = fixture_run
    listing = run_cli("tables", str(out), "--format", "csv")
    assert listing.returncode == 0 and "quotes," in listing.stdout
    query = "SELECT article_id, count(*) AS n FROM mentions GROUP BY article_id ORDER BY article_id"
    as_json = run_cli("tables", str(out), "--sql", query, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert [r["article_id"] for r in json.loads(as_json.stdout)] == FIXTURE_IDS
    bad = run_cli("tables", str(out), "--sql", "SELEC 1")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    missing = run_cli("tables", str(tmp_path))
    assert missing.returncode == 2 and "not an analysed corpus" in missing.stderr


# --- the real corpora (read from ../shared, never copied) --------------------------------------------



def test_unga70_articles_csv_by_outlet(tmp_path):
    source = shared_corpus("unga70", "articles.csv")
    summary = analyze_corpus(source, tmp_path / "unga70", progress=False)
    assert summary.analysed == 15 and not summary.any_failed
    with corpus.open(tmp_path / "unga70") as c:
        assert c.sql("SELECT count(DISTINCT outlet) AS n FROM articles")["n"][0] == 15
        assert c.sql("SELECT count(DISTINCT country) AS n FROM quotes")["n"][0] >= 5


def test_unga70_url_list_holds_the_facts_of_articles_csv():
    shipped = pd.read_csv(PROJECT_ROOT / "data" / "corpora" / "unga70.urls.csv", dtype=str, keep_default_na=False)
    # no title: a headline is a line of the third-party text, and the fetched page gives it anyway
    assert {"url", "outlet", "date"} <= set(shipped.columns) and not {"text", "title"} & set(shipped.columns)
    facts = pd.read_csv(shared_corpus("unga70", "articles.csv"), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shipped, facts[list(shipped.columns)])


def test_bbc_subset_identical_serial_and_two_processes(tmp_path):
    source = shared_corpus("bbc-news", "bbc-news.jsonl")
    lines = source.read_text(encoding="utf-8").splitlines()
    subset = tmp_path / "bbc.jsonl"
    subset.write_text("\n".join(lines[::220]) + "\n", encoding="utf-8")  # 11 articles, every category
    serial = analyze_corpus(subset, tmp_path / "serial", progress=False)
    analyze_corpus(subset, tmp_path / "multi", n_process=2, part_size=4, progress=False)
    assert serial.analysed == 11
    assert_same_tables(tmp_path / "serial", tmp_path / "multi")
