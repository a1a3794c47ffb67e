"""Analysis: every table framelens derives from ONE spaCy parse of an article; save and load it."""
from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import __version__
from .article import Article, Paragraph, load_article
from .config import PACKAGE_DIR, PROCESSED_DIR
from .entities import entity_counts, mention_table
from .errors import FramelensError, atomic_path
from .nlp import load_pipeline, model_label, parse_article
from . import framing
from .quotes import extract_quotes, quote_timeline, share_of_voice
from .tokens import sentence_table, token_table

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


@dataclass
class Analysis:
    """An article, its parse and the tables computed from it.

    ``tables`` (DataFrames, columns documented by the function that builds each):
    paragraphs (Article.paragraph_table), sentences (tokens.sentence_table),
    tokens (tokens.token_table), mentions (entities.mention_table),
    actors (entities.entity_counts over body paragraphs), quotes (quotes.extract_quotes),
    timeline (quotes.quote_timeline), voice (quotes.share_of_voice), and the framing measures
    of framing.framing_tables (sides, voice_by_actor, voice_by_side, naming, loaded_labels,
    reporting_verbs, verb_profile, tone_*, frames, frame_scores, prominence, page_furniture).
    Tables are also attributes: ``analysis.mentions``.
    """

    article: Article
    model: str
    doc: "Doc | None" = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    source: str = "parsed"  # "parsed" now, or "loaded" from a saved analysis

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def analyze(article: Article, nlp: "Language | None" = None, *, doc: "Doc | None" = None) -> Analysis:
    """Parse ``article`` once with ``nlp`` (default pipeline if None) and build every table.

    ``doc``: the article already parsed by ``nlp`` (e.g. from ``nlp.pipe`` over
    ``nlp.prepare_doc`` Docs, as the corpus engine does); it is then not parsed again.
    """
    nlp = nlp or load_pipeline()
    doc = doc if doc is not None else parse_article(article, nlp)
    sentences = sentence_table(doc, article)
    tokens = token_table(doc, article)
    mentions = mention_table(doc, article)
    quotes = extract_quotes(doc, article, mentions)
    measures = framing.framing_tables(article, doc, sentences, tokens, mentions, quotes)
    measures["frames"] = _flatten_lists(measures["frames"])
    tables = {
        "paragraphs": article.paragraph_table(),
        "sentences": sentences,
        "tokens": tokens,
        "mentions": mentions,
        "actors": entity_counts(mentions),
        "quotes": quotes,
        "timeline": quote_timeline(quotes, article),
        "voice": share_of_voice(quotes, article=article),
        **measures,
    }
    return Analysis(article=article, model=model_label(nlp), doc=doc, tables=tables)


def _flatten_lists(table: pd.DataFrame) -> pd.DataFrame:
    """List cells become '; '-joined strings, so a table survives a CSV round trip unchanged."""
    out = table.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, (list, tuple))).any():
            out[column] = out[column].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over framelens's own source and resources: a saved analysis made by other code is stale."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yaml", ".txt"}:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def processed_dir(article: Article, root: Path | None = None) -> Path:
    """Where an article's analysis is saved: ``data/processed/<article-id>/``."""
    return (root or PROCESSED_DIR) / article.id


def save_analysis(analysis: Analysis, directory: Path | str) -> Path:
    """Write the analysis to ``directory`` atomically: article.json, doc.spacy, one CSV per table."""
    directory = Path(directory)
    with atomic_path(directory) as tmp:
        tmp.mkdir()
        a = analysis.article
        info = {
            "id": a.id,
            "path": str(a.path),
            "sha256": a.sha256,
            "metadata": a.metadata,
            "model": analysis.model,
            "framelens": __version__,
            "code": code_fingerprint(),
            "paragraphs": [p.__dict__ for p in a.paragraphs],
        }
        (tmp / "article.json").write_text(json.dumps(info, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        (tmp / "article.txt").write_bytes(a.text.encode("utf-8"))
        if analysis.doc is not None:
            (tmp / "doc.spacy").write_bytes(analysis.doc.to_bytes())
        for name, table in analysis.tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False)
    return directory


def load_analysis(directory: Path | str) -> Analysis:
    """Read an analysis written by ``save_analysis`` (the Doc is restored without re-parsing)."""
    directory = Path(directory)
    info_path = directory / "article.json"
    if not info_path.is_file():
        raise FramelensError(f"{directory}: no saved analysis (article.json missing)")
    info = json.loads(info_path.read_text(encoding="utf-8"))
    text = (directory / "article.txt").read_bytes().decode("utf-8")
    article = Article(
        id=info["id"],
        path=Path(info["path"]),
        text=text,
        paragraphs=[Paragraph(**p) for p in info["paragraphs"]],
        metadata=info["metadata"],
        sha256=info["sha256"],
    )
    doc = None
    if (directory / "doc.spacy").is_file():
        import spacy
        from spacy.tokens import Doc

        doc = Doc(spacy.blank("en").vocab).from_bytes((directory / "doc.spacy").read_bytes())
    tables = {p.stem: _read_table(p) for p in sorted(directory.glob("*.csv"))}
    return Analysis(article=article, model=info["model"], doc=doc, tables=tables, source="loaded")


def _read_table(path: Path) -> pd.DataFrame:
    """Read a saved table: empty text cells come back as "" (not NaN), numbers stay numeric."""
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].fillna("")
    return table


def load_or_analyze(
    path: Path | str, *, model: str | None = None, processed_root: Path | None = None, metadata: dict[str, Any] | None = None
) -> Analysis:
    """The saved analysis of the article at ``path`` if it is current, else a fresh one (saved).

    Current means: same file content (sha256), same model, same metadata and the same framelens
    code (see code_fingerprint). This is how every notebook of a report run reuses one parse.
    """
    article = load_article(path, metadata=metadata)
    nlp = load_pipeline(model)
    directory = processed_dir(article, processed_root)
    if (directory / "article.json").is_file():
        info = json.loads((directory / "article.json").read_text(encoding="utf-8"))
        if (info.get("sha256"), info.get("model"), info.get("code"), info.get("metadata")) == (
            article.sha256, model_label(nlp), code_fingerprint(), json.loads(json.dumps(article.metadata, default=str))
        ):
            log.info("reusing saved analysis in %s", directory)
            return load_analysis(directory)
    analysis = analyze(article, nlp)
    save_analysis(analysis, directory)
    return analysis
