"""Comparing coverage: tables per group, actors across articles, bootstrap intervals, the written
comparison (one-sided and balanced outlets, one group, one article, low-confidence hedges),
hostile text, reproducibility, ``framelens compare`` end to end (fixture corpus, unga70 + seed)."""
from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from framelens.compare import comparison, load_alias_table, load_tables, match_actors
from framelens.compare import report
from framelens.compare.stats import bootstrap_ratio, intervals_apart
from framelens.config import SEED_ARTICLE
from framelens.corpus import analyze_corpus
from framelens.errors import FramelensError
from shared_data import shared_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "compare"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framelens", *args], capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "dam"
    summary = analyze_corpus(FIXTURE, out, progress=False)
    assert summary.analysed == 7 and not summary.any_failed
    return out


@pytest.fixture(scope="module")
def tables(analysed):
    return load_tables([analysed], by="outlet")


def sentences(tables, **options) -> list[str]:
    return report.summary(report.findings(comparison(tables, **options)))


def only_articles(tables, ids: set[str]):
    return {name: t[t["article_id"].isin(ids)] if "article_id" in t else t for name, t in tables.items()}


# --- the written comparison -----------------------------------------------------------------------


def test_one_sided_and_balanced_outlets_get_the_matching_sentences(tables):
    text = sentences(tables)
    assert 4 <= len(text) <= 8
    assert text[0] == ("The 7 articles come from 3 outlets; Valley Post has fewer than 3 articles, "
                       "so what is said of it describes articles, not the outlet.")
    assert ("Harbour Ledger quotes only speakers tied to Portugal and Valley Post's article only "
            "speakers tied to Spain.") in text
    split = next(s for s in text if s.startswith("Meridian Wire splits"))
    assert "Spain 58% [54–64%], Portugal 42% [36–46%]" in split
    assert any("Harbour Ledger gives speakers tied to Portugal a larger share" in s and "do not overlap" in s for s in text)
    assert "Luis Moreno is quoted by 2 outlets (Meridian Wire and Valley Post) but named and never quoted by 1 (Harbour Ledger)." in text
    assert ("The outlets name Ana Rocha differently: Harbour Ledger most often as “Rocha”; "
            "Meridian Wire most often as “Portuguese Environment Minister Ana Rocha”.") in text  # Valley Post names her once
    assert "Only Harbour Ledger uses loaded labels in the narrator's own words (“so-called”)." in text


def test_a_single_group_is_not_compared_with_anything(tables):
    ledger = only_articles(tables, {"ledger--dam-opens", "ledger--farmers", "ledger--commission"})
    text = sentences(ledger)
    assert text[0].startswith("All 3 articles come from one outlet (Harbour Ledger), so there is nothing to compare")
    assert not any("larger share" in s or "ranges from" in s for s in text)
    assert "Harbour Ledger uses loaded labels in the narrator's own words (“so-called”)." in text
    assert any(s.startswith("The narration's mean VADER score per article is") and "bootstrap interval" in s for s in text)


def test_one_article_describes_the_article_not_the_outlet(tables):
    text = sentences(only_articles(tables, {"post--dam"}))
    assert text[0] == "This comparison has one article (Valley Post), so it describes that article, not its outlet."
    assert "Valley Post's article quotes only speakers tied to Spain." in text
    assert not any("–" in s for s in text)  # no interval for one article
    assert "The narration uses no loaded label from framelens's lexicon." in text
    assert "Its first quote comes from a speaker tied to Spain." in text


def test_low_confidence_attributions_that_could_change_a_claim_are_hedged(tables):
    shaky = dict(tables)
    quotes = tables["quotes"].copy()
    quotes.loc[(quotes["group"] == "Meridian Wire") & (quotes["speaker"] == "Luis Moreno"), "confidence"] = "low"
    shaky["quotes"] = quotes
    text = sentences(shaky)
    split = next(s for s in text if s.startswith("Meridian Wire"))
    assert "(probably Spain 58%" in split and "the attribution of 3 quotes is uncertain" in split
    assert any(s.startswith("Harbour Ledger probably gives speakers tied to Portugal a larger share") for s in text)


def test_a_one_sided_claim_is_hedged_when_a_low_confidence_quote_has_no_side(tables):
    shaky = dict(tables)
    quotes = tables["quotes"].copy()
    quotes.loc[quotes["article_id"] == "ledger--farmers", ["speaker", "confidence"]] = ["UNKNOWN", "low"]
    shaky["quotes"] = quotes
    text = sentences(shaky)
    assert any(s.startswith("Harbour Ledger probably quotes only speakers tied to Portugal (among speakers with a known "
                            "side; the attribution of 2 quotes is uncertain)") for s in text), text


def test_a_named_speaker_without_a_side_takes_the_one_side_the_other_articles_give(tables):
    sideless = dict(tables)
    by_actor = tables["voice_by_actor"].copy()
    by_actor.loc[by_actor["article_id"] == "post--dam", "side"] = ""  # Valley Post's text gives nobody a side
    sideless["voice_by_actor"] = by_actor
    ct = comparison(sideless)
    moreno = ct["article_voice"].set_index(["article_id", "actor"]).loc[("post--dam", "Luis Moreno")]
    assert (moreno["side"], moreno["side_from"]) == ("Spain", "corpus")
    assert "Valley Post's article only speakers tied to Spain" in " ".join(report.summary(report.findings(ct)))
    assert report.findings(ct)["corpus_side_share"] == pytest.approx(15 / 202)
    text_only = comparison(sideless, sides_from_corpus=False)
    assert text_only["quotes"].set_index("article_id").loc["post--dam", "side"] == "unknown"


def test_a_scare_quoted_label_is_not_the_narrators():
    from framelens.compare.tables import narrator_labels

    loaded = pd.DataFrame({"group": ["A", "A"], "article_id": ["a", "a"], "label": ["tyrant", "regime"], "text": ["tyrant", "regime"],
                           "target": ['a "tyrant', "the regime"], "voice": ["narrator", "narrator"]})
    assert narrator_labels(loaded)["label"].tolist() == ["regime"]


def test_grouping_by_any_metadata_column(tables, analysed):
    by_date = load_tables([analysed], by="date")
    ct = comparison(by_date, by="date")
    assert set(ct["article_groups"]["group"]) == {"2032-06-01", "2032-06-02", "2032-06-03", "2032-06-04", "2032-06-05"}
    assert report.summary(report.findings(ct))[0].startswith("The 7 articles come from 5 groups")
    with pytest.raises(FramelensError, match="no such metadata column; columns: outlet, title, date, source_format$"):
        load_tables([analysed], by="desk")


# --- tables and intervals -------------------------------------------------------------------------


def test_side_shares_carry_intervals_only_from_three_articles(tables):
    sides = comparison(tables)["side_voice"].set_index(["group", "side"])
    assert math.isnan(sides.loc[("Valley Post", "Spain"), "low"])
    wire = sides.loc[("Meridian Wire", "Spain")]
    assert wire["low"] <= wire["share"] <= wire["high"] and wire["articles"] == 3
    assert sides.loc[("Harbour Ledger", "Portugal"), "share"] == 1.0


def test_voice_status_opening_voice_and_narrator_labels(tables):
    ct = comparison(tables)
    speakers = ct["voice_by_speaker"].set_index(["group", "actor"])
    assert speakers.loc[("Harbour Ledger", "Luis Moreno"), "status"] == "never quoted"
    assert speakers.loc[("Meridian Wire", "Luis Moreno"), "status"] == "quoted directly"
    assert speakers.loc[("Harbour Ledger", "Ana Rocha"), "indirect"] > 0
    opening = ct["opening_closing"].set_index("article_id")
    assert (opening.loc["wire--flows", "opens_side"], opening.loc["wire--flows", "closes_side"]) == ("Portugal", "Spain")
    labels = ct["narrator_labels"]
    assert labels[["group", "label"]].values.tolist() == [["Harbour Ledger", "so-called"]]  # the quoted one is not the narrator's


def test_bootstrap_is_seeded_and_intervals_apart_needs_both():
    part, whole = [10, 0, 5, 8], [10, 10, 10, 10]
    assert bootstrap_ratio(part, whole, seed=1, key=("a",)) == bootstrap_ratio(part, whole, seed=1, key=("a",))
    assert all(math.isnan(x) for x in bootstrap_ratio([1, 2], [2, 2], seed=1))
    assert intervals_apart((0.1, 0.2), (0.3, 0.4)) and not intervals_apart((0.1, 0.35), (0.3, 0.4))
    assert not intervals_apart((float("nan"), float("nan")), (0.3, 0.4))


def test_actors_match_across_articles_by_the_alias_rules_and_the_alias_table(tmp_path):
    actors = pd.DataFrame({"canonical": ["Ana Rocha", "Rocha", "US", "United States", "Minister R."],
                           "label": ["PERSON", "PERSON", "GPE", "GPE", "PERSON"]})
    names = match_actors(actors)
    assert names["Rocha"] == "Ana Rocha" and names["US"] == "United States"
    table = tmp_path / "aliases.yaml"
    table.write_text("version: 1\nactors:\n  Ana Rocha: [Minister R.]\n", encoding="utf-8")
    assert match_actors(actors, aliases=load_alias_table(table))["Minister R."] == "Ana Rocha"
    table.write_text("actors: [Ana Rocha]\n", encoding="utf-8")
    with pytest.raises(FramelensError, match="aliases.yaml: expected 'version: 1'"):
        load_alias_table(table)


def test_the_text_is_reproducible_apart_from_the_time(tables, tmp_path):
    first = report.render_markdown(comparison(tables), tmp_path)
    second = report.render_markdown(comparison(tables), tmp_path)
    strip = lambda md: re.sub(r"generated: .*", "", md)  # noqa: E731
    assert strip(first) == strip(second) and "generated: " in first


def test_hostile_text_and_metadata_stay_inert(tmp_path):
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Harbour vote splits the town\n\n"
        'Portuguese Environment Minister Ana Rocha said the plan was <script>alert("x")</script> unsafe.\n\n'
        '"We will fight it <img src=x onerror=alert(1)>," Rocha said on Monday.\n', encoding="utf-8")
    (corpus / "a.meta.yaml").write_text('outlet: "<script>alert(2)</script>"\ntitle: "<b onclick=x>bold</b>"\n', encoding="utf-8")
    analyze_corpus(corpus, tmp_path / "out", progress=False)
    ct = comparison(load_tables([tmp_path / "out"]))
    (tmp_path / "report").mkdir()
    html = report.write_report(ct, tmp_path / "report", title="<script>alert(3)</script>").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(2)" in html


# --- framelens compare -----------------------------------------------------------------------------


@pytest.mark.slow
def test_framelens_compare_writes_the_report_and_refuses_bad_input(analysed, tmp_path):
    out = tmp_path / "reports" / "dam"
    done = run_cli("compare", str(analysed), "--by", "outlet", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out / "report.html")
    for name in ("report.html", "report.md", "figures/side_voice.png", "figures/naming_heatmap.png", "figures/frames_heatmap.png",
                 "figures/tone_dots.png", "figures/timeline.png", "tables/side_voice.csv", "notebooks/05_compare.ipynb"):
        assert (out / name).is_file(), name
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "Harbour Ledger quotes only speakers tied to Portugal" in markdown and "## Provenance" in markdown
    bad = run_cli("compare", str(analysed), "--by", "desk", "--out", str(tmp_path / "never"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "no such metadata column" in bad.stderr
    assert not (tmp_path / "never").exists()
    missing = run_cli("compare", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "never"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    (tmp_path / "empty.txt").write_bytes(b"")
    empty = run_cli("compare", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "never"), "--processed", str(tmp_path / "processed"))
    assert empty.returncode == 2 and empty.stderr.count("\n") == 1 and "no article could be analysed" in empty.stderr
    assert not (tmp_path / "never").exists()



@pytest.mark.slow
def test_unga70_and_the_seed_compared_by_outlet(tmp_path):
    from framelens.compare.run import run_compare

    source = shared_corpus("unga70", "articles.csv")
    html = run_compare([source, SEED_ARTICLE.parent], by="outlet", out_dir=tmp_path / "unga70", processed_root=tmp_path / "processed")
    markdown = html.with_name("report.md").read_text(encoding="utf-8")
    summary = markdown.split("## Summary")[1].split("##")[0]
    assert "The 16 articles come from 16 outlets, none with 3 articles or more, so what follows describes articles, not outlets." in summary
    assert "Sputnik International" in markdown
    assert 4 <= len([line for line in summary.splitlines() if line.strip()]) <= 8


def test_charts_draw_every_group_with_one_colour_per_side(tables):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import to_hex

    from framelens.compare import charts

    ct = comparison(tables)
    palette = charts.side_palette(ct["side_voice"])
    assert palette["unknown"] == charts.UNKNOWN_COLOUR and palette["Spain"] != palette["Portugal"]
    fig = charts.side_voice_multiples(ct["side_voice"], palette=palette)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["Harbour Ledger (3 articles)", "Meridian Wire (3 articles)", "Valley Post (1 article)"]
    bar_colours = {to_hex(p.get_facecolor()) for p in fig.axes[1].patches if p.get_width() > 0}
    assert bar_colours == {palette["Spain"].lower(), palette["Portugal"].lower()}
    tone = charts.tone_dots(ct["tone"], palette=palette)
    legend = {t.get_text() for t in tone.get_legend().get_texts()}
    assert legend == {"narrator", "quoted, Portugal", "quoted, Spain"}
    for ax in (charts.naming_heatmap(ct["naming"]), charts.frames_heatmap(ct["frames"]), charts.timeline(ct["article_groups"])):
        assert ax.get_title()
    undated = ct["article_groups"].assign(date=None)
    assert charts.timeline(undated).texts[0].get_text() == "no article has a date"
