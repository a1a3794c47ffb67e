"""Shared fixtures: one spaCy pipeline per test session, the seed article and helpers."""
from __future__ import annotations

from pathlib import Path

import pytest

from framelens.article import article_from_text, load_article
from framelens.config import PROJECT_ROOT, SEED_ARTICLE
from framelens.nlp import load_pipeline

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def seed_article():
    return load_article(SEED_ARTICLE)


@pytest.fixture(scope="session")
def seed_analysis(seed_article, nlp):
    from framelens.analysis import analyze

    return analyze(seed_article, nlp)


@pytest.fixture()
def make_analysis(nlp):
    """Build an Analysis from a string: ``make_analysis("He said ...")``."""
    from framelens.analysis import analyze

    def build(text: str, **metadata):
        return analyze(article_from_text(text, metadata=metadata), nlp)

    return build


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT
