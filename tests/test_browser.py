"""The report (and an exported lesson) in a real headless Chromium: loads cleanly, figures render."""
from __future__ import annotations

import os

import pytest

from browser import Browser, ensure_chromium
from framelens.config import SEED_ARTICLE
from framelens.runner import kernel_name, run_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    binary = ensure_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing and could not be installed")
        pytest.skip("chromium is not installed and this user cannot install it")
    b = Browser(binary)
    yield b
    b.close()


@pytest.fixture(scope="module")
def seed_report_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    return run_report(SEED_ARTICLE, out_dir=root / "reports", processed_root=root / "processed").report_dir


def test_seed_report_loads_without_errors_and_figures_render(browser, seed_report_dir, tmp_path):
    shot = tmp_path / "report.png"
    page = browser.open((seed_report_dir / "report.html").as_uri(), screenshot=shot)
    assert page.errors == []
    assert page.title.startswith("framelens report")
    assert len(page.images) >= 4
    for image in page.images:
        assert image["complete"] and image["naturalWidth"] > 0 and image["width"] > 100 and image["height"] > 100, image
    assert shot.stat().st_size > 10_000


def test_the_harness_sees_errors_and_broken_images(browser):
    page = browser.open("data:text/html,<title>x</title><script>console.error('boom')</script><img src='missing.png'>")
    assert "boom" in " ".join(page.errors)
    assert page.images[0]["naturalWidth"] == 0
    assert browser.missing_glyphs("ab\U0010fffd") == ["\U0010fffd"]  # a code point no font has is an empty box


def test_exported_lesson_loads_without_errors(browser, tmp_path):
    import papermill as pm

    from framelens.config import NOTEBOOKS_DIR, PROJECT_ROOT
    from framelens.runner import export_html

    executed = tmp_path / "L1_tokens.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / "lessons" / "L1_tokens.ipynb"), str(executed), kernel_name=kernel_name(), cwd=str(PROJECT_ROOT),
        parameters={"processed_root": str(tmp_path / "processed")}, progress_bar=False,
    )
    page = browser.open(export_html(executed, tmp_path / "L1_tokens.html").as_uri(), screenshot=tmp_path / "lesson.png")
    assert page.errors == []
    assert "Limits of this method" in page.text or "limits of this method" in page.text.lower()
    for image in page.images:
        assert image["naturalWidth"] > 0 and image["width"] > 50, image
    assert (tmp_path / "lesson.png").stat().st_size > 10_000
    verdicts = [line for line in page.text.splitlines() if "not answered yet" in line]
    assert verdicts, "the unanswered exercises print their verdicts"
    assert browser.missing_glyphs("".join(verdicts), selector=".jp-OutputArea-output pre") == []  # no empty boxes
