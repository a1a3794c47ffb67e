"""Saved analyses: a manifest of sha256 per file; anything damaged is recomputed with one notice."""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from framelens.analysis import DamagedAnalysis, load_analysis, load_or_analyze, manifest_problem, save_analysis
from framelens.config import SEED_ARTICLE
from framelens.errors import FramelensError


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The seed analysed once and saved; each test damages its own copy."""
    root = tmp_path_factory.mktemp("saved")
    article = root / SEED_ARTICLE.name
    shutil.copyfile(SEED_ARTICLE, article)
    shutil.copyfile(SEED_ARTICLE.with_name(SEED_ARTICLE.stem + ".meta.yaml"), root / (SEED_ARTICLE.stem + ".meta.yaml"))
    analysis = load_or_analyze(article, processed_root=root / "processed")
    return article, root / "processed" / SEED_ARTICLE.stem, len(analysis.quotes)


@pytest.fixture()
def damaged_copy(saved, tmp_path):
    article, directory, quotes = saved
    processed = tmp_path / "processed"
    shutil.copytree(directory, processed / directory.name)
    return article, processed, processed / directory.name, quotes


def test_manifest_lists_every_file_with_its_sha256(saved):
    _, directory, _ = saved
    files = json.loads((directory / "manifest.json").read_text())["files"]
    assert {"article.json", "article.txt", "doc.spacy", "quotes.csv"} <= set(files)
    assert manifest_problem(directory) is None
    assert load_analysis(directory).source == "loaded"


def _truncate_quotes(d: Path) -> None:
    lines = (d / "quotes.csv").read_text().splitlines(keepends=True)
    (d / "quotes.csv").write_text("".join(lines[:8]))


def _edit_speaker(d: Path) -> None:
    (d / "quotes.csv").write_text((d / "quotes.csv").read_text().replace("Putin", "Someone Else"))


DAMAGE = {
    "truncated quotes.csv": _truncate_quotes,
    "edited speaker": _edit_speaker,
    "empty csv": lambda d: (d / "tokens.csv").write_text(""),
    "cut-off article.json": lambda d: (d / "article.json").write_text((d / "article.json").read_text()[:200]),
    "missing doc.spacy": lambda d: (d / "doc.spacy").unlink(),
    "missing manifest": lambda d: (d / "manifest.json").unlink(),
    "garbage manifest": lambda d: (d / "manifest.json").write_text("[1, 2"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_analysis_is_recomputed_with_one_notice(damaged_copy, damage, caplog):
    article, processed, directory, quotes = damaged_copy
    DAMAGE[damage](directory)
    assert manifest_problem(directory) is not None
    with caplog.at_level(logging.WARNING, logger="framelens"):
        analysis = load_or_analyze(article, processed_root=processed)
    assert analysis.source == "parsed"
    assert len(analysis.quotes) == quotes and "Someone Else" not in set(analysis.quotes["speaker"])
    notices = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(notices) == 1 and "recomputing" in notices[0].getMessage()
    assert manifest_problem(directory) is None  # repaired on disk, so the next run trusts it again
    assert load_or_analyze(article, processed_root=processed).source == "loaded"


def test_load_analysis_refuses_a_damaged_folder(damaged_copy):
    _, _, directory, _ = damaged_copy
    _truncate_quotes(directory)
    with pytest.raises(DamagedAnalysis, match="quotes.csv"):
        load_analysis(directory)


def test_another_article_with_the_same_id_is_not_overwritten(saved, tmp_path):
    article, directory, _ = saved
    other = tmp_path / "elsewhere" / article.name
    other.parent.mkdir()
    other.write_text("The council met on Monday and agreed the budget after a long debate about the roads.\n")
    with pytest.raises(FramelensError, match="already holds the analysis of"):
        load_or_analyze(other, processed_root=directory.parent)
    assert load_analysis(directory).article.path == article.absolute()


def test_formula_cells_are_neutralised_in_csv_and_restored_on_load(make_analysis, tmp_path):
    text = '=HYPERLINK("http://example.com") was pasted in. "+1 is what we want," the mayor said on Monday.\n'
    analysis = make_analysis(text)
    save_analysis(analysis, tmp_path / "a")
    raw = (tmp_path / "a" / "paragraphs.csv").read_text()
    assert "\n0,body" in raw or "body" in raw
    assert ',"=HYPERLINK' not in raw and ",=HYPERLINK" not in raw and "'=HYPERLINK" in raw
    quotes_raw = (tmp_path / "a" / "quotes.csv").read_text()
    assert "'+1 is what we want" in quotes_raw
    loaded = load_analysis(tmp_path / "a")
    assert loaded.paragraphs["text"].tolist() == analysis.paragraphs["text"].tolist()
    assert loaded.quotes["text"].tolist() == analysis.quotes["text"].tolist()


SHARED_BBC = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"


def _bbc_text(chars: int) -> str:
    import os

    if not SHARED_BBC.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_BBC} is missing (needed under CI)")
        pytest.skip("../shared corpora not available")
    texts, total = [], 0
    with SHARED_BBC.open(encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            total += len(texts[-1]) + 2
            if total > chars:
                break
    return "\n\n".join(texts)[:chars]


@pytest.mark.slow
def test_a_one_megabyte_article_finishes(tmp_path, nlp):
    """It used to be unfinished after ten minutes (the entity step rebuilt Doc.text per entity)."""
    from framelens.analysis import analyze
    from framelens.article import load_article

    path = tmp_path / "long.txt"
    path.write_text(_bbc_text(999_000), encoding="utf-8")
    analysis = analyze(load_article(path), nlp)
    assert len(analysis.mentions) > 1000 and len(analysis.sentences) > 5000


def test_an_article_over_the_bound_is_refused_before_parsing(tmp_path):
    from framelens.article import MAX_ARTICLE_CHARS, load_article

    path = tmp_path / "huge.txt"
    path.write_text(("The council met on Monday and agreed the budget. " * 25 + "\n") * (MAX_ARTICLE_CHARS // 1200 + 10))
    with pytest.raises(FramelensError, match="longer than one news article"):
        load_article(path)
