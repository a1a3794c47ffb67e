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
def long_article():
    """A generated article of ``paragraphs`` paragraphs: a four-paragraph cycle naming people,
    places and an agency, each with a reported statement and a direct quote."""
    people = ["Maria Lopez", "Daniel Okafor", "Helen Brandt", "Tomas Novak"]
    places = ["Leeds", "the River Aire", "Kirkstall", "West Yorkshire"]

    def build(paragraphs: int):
        lines = []
        for i in range(paragraphs):
            who, where = people[i % 4], places[(i * 3) % 4]
            lines.append(
                f"{who} of the Environment Agency said on Monday that water near {where} had risen by {i % 4 + 2} inches. "
                f'"We are watching it closely," {who.split()[1]} told reporters at the council offices.'
            )
        return article_from_text("\n\n".join(lines) + "\n")

    return build


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT
