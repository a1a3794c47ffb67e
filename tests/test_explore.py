"""Explorer views (plain HTML functions), the explorer notebook, and offline HTML export."""
from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

from framelens import explore
from framelens.config import NOTEBOOKS_DIR, PROJECT_ROOT, SEED_ARTICLE
from framelens.runner import export_html, kernel_name

FIXTURE = Path(__file__).parent / "fixtures" / "harbour_flood.txt"


def test_highlight_escapes_and_nests():
    text = "<b>Anna</b> & Bo"
    html = explore.highlight(text, 10, [(13, 17, "background:red", "name"), (10, 26, "x", "all"), (23, 25, "y", "bo")])
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert html.count("<mark") == 3 and html.count("</mark>") == 3


def test_highlight_skips_crossing_spans():
    html = explore.highlight("abcdef", 0, [(0, 4, "a", "a"), (2, 6, "b", "b")])
    assert html.count("<mark") == 1 and html.replace("</mark>", "").endswith("ef")


@pytest.fixture()
def flood(make_analysis):
    return make_analysis(FIXTURE.read_text())


def test_actor_view_shows_mentions_and_kwic_once_per_place(flood):
    html = explore.actor_view(flood, "Joanna Pike")
    assert html.count('title="mention"') == 2
    assert html.count('title="direct quote"') == 2 and html.count('title="indirect quote"') == 1
    assert html.count("<td>Joanna Pike</td>") == 1 and html.count("<td>Pike</td>") == 1


def test_paragraph_view_gives_role_reason_entities_and_tone(flood):
    caption = next(p.index for p in flood.article.paragraphs if p.role == "caption")
    html = explore.paragraph_view(flood, caption)
    assert "caption" in html and "photo caption" in html and "Tone" in html
    assert "Joanna Pike" in explore.paragraph_view(flood, 2)


def test_displacy_labels_surnames_with_canonical_actor(flood):
    html = explore.entities_displacy(flood)
    assert "PERSON · Joanna Pike" in html


def test_explorer_widget_switches_views(flood):
    panel = explore.explorer(flood)
    actor_box, para_box = panel.children
    picker, view = actor_box.children
    picker.value = picker.options[1]
    assert picker.options[1] in view.value
    slider, para_view = para_box.children
    slider.value = 3
    assert "Paragraph 3" in para_view.value


@pytest.mark.slow
@pytest.mark.parametrize("article", [SEED_ARTICLE, FIXTURE], ids=["seed", "fixture"])
def test_explorer_notebook_runs_and_exports_offline(article, tmp_path):
    out = tmp_path / "explorer.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / "explorer.ipynb"), str(out), parameters={"article_path": str(article), "processed_root": str(tmp_path / "p")},
        kernel_name=kernel_name(), cwd=str(PROJECT_ROOT), progress_bar=False,
    )
    html = export_html(out, tmp_path / "explorer.html").read_text()
    assert "Every entity, labelled" in html
    assert '<script src="https://' not in html
    # no widget frontend in the exported page: the panel's static views, not its repr
    assert "Tab(children" not in html and "VBox(" not in html
    static = html.split(explore.STATIC_NOTE, 1)[1]
    assert "<summary>Actors</summary>" in static and "<summary>Paragraphs</summary>" in static
    assert "mentions in body paragraphs" in static and "Paragraph 0" in static


def test_explorer_panel_falls_back_to_its_views_as_html(flood):
    panel = explore.explorer(flood)
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab still gets the widget
    assert bundle["text/plain"] == explore.STATIC_NOTE
    first_actor = flood.actors["canonical"].iloc[0]
    assert explore.actor_view(flood, first_actor) in bundle["text/html"]
    assert explore.paragraph_view(flood, 0) in bundle["text/html"]
    panel.children[1].children[0].value = 3  # the fallback shows the views as they are now
    assert explore.paragraph_view(flood, 3) in panel._repr_mimebundle_()["text/html"]


def test_quotes_html_colours_each_speaker_and_marks_kinds(flood):
    html = explore.quotes_html(flood)
    speakers = flood.quotes["speaker"].unique()
    for name in speakers:
        assert f">{name}</mark>" in html  # legend entry
    assert html.count("border-bottom:2px solid") == (flood.quotes["kind"] == "direct").sum()
    assert html.count("border-bottom:2px dashed") == (flood.quotes["kind"] == "indirect").sum()
