"""The methods paragraph: citation from CITATION.cff, codebook version, validation scores measured on the gold."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

import framelens
from framelens import methods, report
from framelens.config import GOLD_DIR, PROJECT_ROOT
from framelens.evaluate import gold_set_scores, pooled


def test_citation_file_parses_and_matches_the_package():
    cff = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"].startswith("1.2")
    for key in ("message", "title", "authors", "version", "license"):
        assert cff[key], key
    assert str(cff["version"]) == framelens.__version__
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    pyproject = (PROJECT_ROOT / "pyproject.toml").read_text()
    assert f'version = "{cff["version"]}"' in pyproject and f'license = "{cff["license"]}"' in pyproject


def test_citation_line_is_read_from_the_file(tmp_path):
    cff = tmp_path / "CITATION.cff"
    cff.write_text(
        "cff-version: 1.2.0\nmessage: cite us\ntitle: 'Harbour tools'\nversion: 2.1.0\ndate-released: 2024-05-01\n"
        "doi: 10.5281/zenodo.0000001\nauthors:\n  - family-names: Lind\n    given-names: Ana Maria\n"
        "  - family-names: Varn\n    given-names: Piet\n  - name: Harbour Lab\n",
        encoding="utf-8",
    )
    line = methods.citation_line(methods.read_citation(cff))
    assert line == (
        "Lind, A. M., Varn, P. & Harbour Lab (2024). Harbour tools (version 2.1.0) [computer software]. "
        "https://doi.org/10.5281/zenodo.0000001"
    )
    assert methods.read_citation(tmp_path / "missing.cff") == {}
    assert methods.citation_line({}).startswith(f"framelens (version {framelens.__version__})")


def test_codebook_version_follows_the_file(tmp_path):
    copy = tmp_path / "codebook.yaml"
    shutil.copyfile(methods.CODEBOOK_FILE, copy)
    assert methods.codebook_version(copy) == methods.codebook_version()
    copy.write_text(copy.read_text() + "\n# edited\n")
    assert methods.codebook_version(copy) != methods.codebook_version()


@pytest.fixture(scope="module")
def one_gold(tmp_path_factory):
    """A gold folder with one of the project's own gold files (its article is in data/raw/)."""
    folder = tmp_path_factory.mktemp("gold")
    shutil.copyfile(GOLD_DIR / "gold_press_briefing.quotes.tsv", folder / "gold_press_briefing.quotes.tsv")
    return folder


def test_validation_scores_are_those_of_evaluate_and_cached(one_gold, tmp_path, nlp):
    cache = tmp_path / "cache"
    cache.mkdir()
    for n in range(methods.KEEP_CACHED + 1):  # scores of older code: the oldest are removed
        old = cache / f"old{n}.json"
        old.write_text("{}")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    scores = methods.validation_scores(cache_dir=cache, gold_dir=one_gold)
    assert len(list(cache.glob("*.json"))) == methods.KEEP_CACHED and not (cache / "old0.json").exists()
    for old in cache.glob("old*.json"):
        old.unlink()
    pairs = methods.own_gold_pairs(one_gold)
    expected = gold_set_scores(pairs, nlp=nlp)
    assert scores["articles"] == 1 and scores["gold_quotes"] == int(expected["gold"].sum())
    assert scores["f1_03"] == pytest.approx(pooled(expected)["f1_03"])
    assert scores["mean_f1_08"] == pytest.approx(float(expected["f1_08"].mean()))
    assert scores["speaker_accuracy"] == pytest.approx(pooled(expected)["speaker_accuracy"])
    [saved] = cache.glob("*.json")
    # a new process reads the saved scores: the file is what the next report uses
    methods._cached_scores.cache_clear()
    saved.write_text(saved.read_text().replace('"articles": 1', '"articles": 7'))
    assert methods.validation_scores(cache_dir=cache, gold_dir=one_gold)["articles"] == 7


def test_validation_is_measured_again_when_a_gold_file_changes(one_gold, tmp_path):
    gold = tmp_path / "gold"
    shutil.copytree(one_gold, gold)
    cache = tmp_path / "cache"
    methods.validation_scores(cache_dir=cache, gold_dir=gold)
    tsv = gold / "gold_press_briefing.quotes.tsv"
    lines = tsv.read_text(encoding="utf-8").splitlines(keepends=True)
    tsv.write_text("".join(lines[:-1]), encoding="utf-8")  # one quote fewer
    again = methods.validation_scores(cache_dir=cache, gold_dir=gold)
    assert len(list(cache.glob("*.json"))) == 2 and again["gold_quotes"] <= len(lines) - 2


def test_no_gold_gives_no_scores(tmp_path):
    assert methods.validation_scores(cache_dir=tmp_path / "c", gold_dir=tmp_path) == {}


def test_every_report_has_a_methods_paragraph_with_measured_numbers(make_analysis, tmp_path):
    text = '"We will rebuild the wall," Mayor Ilse Varga said on Monday. The council agreed with her plan.\n'
    markdown = report.render_markdown(make_analysis(text), tmp_path)
    section = markdown.split("## Methods paragraph", 1)[1].split("\n## ", 1)[0]
    scores = methods.validation_scores()
    assert f"framelens {framelens.__version__}" in section and "spaCy " in section
    assert f"codebook version {methods.codebook_version()}" in section
    assert f"On the {scores['articles']} hand-annotated news articles of framelens's own gold set ({scores['gold_quotes']} quotes)" in section
    assert f"pooled F1 of {scores['f1_03']:.3f}" in section and f"mean F1 of {scores['mean_f1_08']:.3f}" in section
    assert f"How to cite framelens: {methods.citation_line()}" in section
    assert "The framelens maintainers" in section  # from CITATION.cff
