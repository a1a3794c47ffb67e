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
from .corrections import CorrectionRun, Corrections, find_corrections
from .entities import entity_counts, mention_table
from .csvfiles import read_csv, write_csv
from .errors import FramelensError
from .rows import sharing
from .staging import atomic_path
from .ids import article_folder, check_article_id
from .nlp import installed_model_label, load_pipeline, model_label, parse_article
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
    reporting_verbs, verb_profile, tone_*, frames, frame_scores, prominence, page_furniture),
    and corrections (the researcher's corrections applied, corrections.CorrectionRun.table).
    Tables are also attributes: ``analysis.mentions``. ``corrections`` records the corrections
    file applied (file name and sha256; empty when none).
    """

    article: Article
    model: str
    doc: "Doc | None" = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    source: str = "parsed"  # "parsed" now, "loaded" from a saved analysis, or "cached" in this process
    corrections: dict[str, str] = field(default_factory=dict)

    def copy(self, *, source: str | None = None) -> "Analysis":
        """The same article and parse with copies of the tables (a caller may edit its own)."""
        tables = {name: table.copy() for name, table in self.tables.items()}
        return Analysis(self.article, self.model, self.doc, tables, source or self.source, dict(self.corrections))

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def analyze(
    article: Article, nlp: "Language | None" = None, *, corrections: Corrections | None = None, doc: "Doc | None" = None
) -> Analysis:
    """Parse ``article`` once with ``nlp`` (default pipeline if None) and build every table.

    ``corrections`` (see corrections.find_corrections) are applied where each belongs: paragraph
    roles before any table reads a role, actor merges on the mentions before quotes are
    attributed, quote corrections before the framing tables, sides inside them.
    ``doc``: the article already parsed by ``nlp`` (e.g. from ``nlp.pipe`` over
    ``nlp.prepare_doc`` Docs, as the corpus engine does); it is then not parsed again.
    """
    nlp = nlp or load_pipeline()
    with sharing():  # each table read into rows once, however many tables are built from it
        return _analyze(article, nlp, corrections, doc)


def _analyze(article: Article, nlp: "Language", corrections: Corrections | None, doc: "Doc | None") -> Analysis:
    fix = CorrectionRun(corrections)
    machine_article, article = article, fix.roles(article)
    doc = doc if doc is not None else parse_article(article, nlp)  # roles do not change the parse
    sentences = sentence_table(doc, article)
    tokens = token_table(doc, article)
    mentions = fix.merges(mention_table(doc, article))
    quotes = extract_quotes(doc, article, mentions)
    # the machine's own quotes (no roles or merges corrected), so ids in the file keep their meaning
    machine = extract_quotes(doc, machine_article, mention_table(doc, machine_article)) if fix.changes_extraction else None
    quotes = fix.quotes(quotes, machine=machine, article=article, doc=doc)
    # frames' evidence lists joined, so every table survives a CSV round trip unchanged
    measures = framing.framing_tables(article, doc, sentences, tokens, mentions, quotes, adjust_sides=fix.sides, joined_lists=True)
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
        "corrections": fix.table(),
    }
    return Analysis(article=article, model=model_label(nlp), doc=doc, tables=tables, corrections=fix.corrections.info())


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
    return article_folder(root or PROCESSED_DIR, article.id)


MANIFEST = "manifest.json"


class DamagedAnalysis(FramelensError):
    """A saved analysis whose files do not match its manifest (or cannot be read)."""


def save_analysis(analysis: Analysis, directory: Path | str) -> Path:
    """Write the analysis to ``directory`` atomically: article.json, article.txt, doc.spacy, one
    CSV per table, and manifest.json with every file's sha256 (written last).

    Refuses (FramelensError) to replace the analysis of a different article that has the same
    id: another file, still on disk, with other content.
    """
    directory = Path(directory)
    _refuse_other_article(directory, analysis.article)
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
            "corrections": analysis.corrections,
            "paragraphs": [p.__dict__ for p in a.paragraphs],
            "removed_chars": list(a.removed_chars),
        }
        (tmp / "article.json").write_text(json.dumps(info, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        (tmp / "article.txt").write_bytes(a.text.encode("utf-8"))
        if analysis.doc is not None:
            (tmp / "doc.spacy").write_bytes(analysis.doc.to_bytes())
        for name, table in analysis.tables.items():
            write_csv(table, tmp / f"{name}.csv")
        files = {p.name: _sha256(p) for p in sorted(tmp.iterdir()) if p.is_file()}
        (tmp / MANIFEST).write_text(json.dumps({"files": files}, indent=1), encoding="utf-8")
    return directory


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refuse_other_article(directory: Path, article: Article) -> None:
    try:
        saved = json.loads((directory / "article.json").read_text(encoding="utf-8"))
        saved_path, saved_sha = Path(saved["path"]), saved["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # nothing (readable) saved there: nothing to protect
    if manifest_problem(directory):
        return  # damaged or from an older framelens: it is recomputed anyway
    if saved_sha != article.sha256 and saved_path != Path(article.path) and saved_path.is_file():
        raise FramelensError(
            f"{article.path}: {directory} already holds the analysis of {saved_path}, another article with the "
            f"same id {article.id!r}; rename one of the files"
        )


def manifest_problem(directory: Path | str) -> str | None:
    """Why the saved analysis in ``directory`` cannot be trusted (None if every file matches its manifest)."""
    directory = Path(directory)
    try:
        files = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return "its manifest is missing or unreadable"
    for name in ("article.json", "article.txt"):
        if name not in files:
            return f"its manifest does not list {name}"
    for name, digest in files.items():
        path = directory / name
        if Path(name).name != name or not path.is_file():
            return f"{name} is missing"
        if _sha256(path) != digest:
            return f"{name} was changed or damaged"
    return None


def load_analysis(directory: Path | str) -> Analysis:
    """Read an analysis written by ``save_analysis`` (the Doc is restored without re-parsing).

    Raises DamagedAnalysis when any file does not match the manifest or cannot be read.
    """
    directory = Path(directory)
    if not (directory / "article.json").is_file():
        raise FramelensError(f"{directory}: no saved analysis (article.json missing)")
    problem = manifest_problem(directory)
    if problem:
        raise DamagedAnalysis(f"{directory}: saved analysis is damaged ({problem})")
    files = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))["files"]
    try:
        return _read_saved(directory, files)
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise DamagedAnalysis(f"{directory}: saved analysis cannot be read ({exc.__class__.__name__})") from None


def _read_saved(directory: Path, files: dict[str, str]) -> Analysis:
    info = json.loads((directory / "article.json").read_text(encoding="utf-8"))
    text = (directory / "article.txt").read_bytes().decode("utf-8")
    article = Article(
        id=check_article_id(info["id"]),
        path=Path(info["path"]),
        text=text,
        paragraphs=[Paragraph(**p) for p in info["paragraphs"]],
        metadata=info["metadata"],
        sha256=info["sha256"],
        removed_chars=tuple(info.get("removed_chars", ())),
    )
    doc = None
    if "doc.spacy" in files:
        import spacy
        from spacy.tokens import Doc

        doc = Doc(spacy.blank("en").vocab).from_bytes((directory / "doc.spacy").read_bytes())
    tables = {Path(name).stem: read_csv(directory / name) for name in sorted(files) if name.endswith(".csv")}
    return Analysis(
        article=article, model=info["model"], doc=doc, tables=tables, source="loaded", corrections=info.get("corrections") or {}
    )


def load_or_analyze(
    path: Path | str,
    *,
    model: str | None = None,
    processed_root: Path | None = None,
    metadata: dict[str, Any] | None = None,
    corrections: Path | str | None = None,
    reuse: bool = False,
) -> Analysis:
    """The saved analysis of the article at ``path`` if it is current, else a fresh one (saved);
    with ``reuse``, first this process's own analysis of the same inputs if it made one.

    Current means: same file content (sha256), same model, same metadata, the same framelens
    code (see code_fingerprint) and the same corrections file (its sha256; ``corrections`` or
    else the sidecar ``<stem>.corrections.yaml``, see corrections.find_corrections). This is how
    every notebook of a report run reuses one parse (the report kernel analyses the article
    first, and with ``reuse`` each notebook gets a copy of its tables, source "cached"). A saved
    analysis whose files do not match its manifest is recomputed, with a one-line notice.
    """
    article = load_article(path, metadata=metadata)
    fixes = find_corrections(article.path, corrections)
    directory = processed_dir(article, processed_root)
    key = (
        str(Path(path).resolve()), article.sha256, model, str(directory),
        json.dumps(article.metadata, default=str, sort_keys=True), json.dumps(fixes.info() if fixes else {}, sort_keys=True),
    )
    if reuse and key in _REUSED:
        log.info("reusing this process's analysis of %s", article.id)
        return _REUSED[key].copy()
    analysis = _saved_or_fresh(article, directory, model, fixes)
    if reuse:
        _REUSED.clear()  # one article at a time: a long session must not keep every analysis alive
        _REUSED[key] = analysis.copy(source="cached")
    return analysis


_REUSED: dict[tuple[str, ...], Analysis] = {}


def _saved_or_fresh(article: Article, directory: Path, model: str | None, fixes: "Corrections | None") -> Analysis:
    saved = _current_saved_analysis(directory, article, installed_model_label(model), fixes.info() if fixes else {})
    if saved is not None:
        return saved
    analysis = analyze(article, load_pipeline(model), corrections=fixes)
    save_analysis(analysis, directory)
    return analysis


def _current_saved_analysis(directory: Path, article: Article, model: str, corrections: dict) -> Analysis | None:
    """The saved analysis in ``directory`` if it is intact and made from this article, model,
    code and corrections; None (after a warning, if it is damaged) otherwise."""
    try:
        info = json.loads((directory / "article.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("saved analysis in %s is damaged (article.json: %s); recomputing it", directory, exc.__class__.__name__, extra={"notice": True})
        return None
    wanted = (article.sha256, model, code_fingerprint(), json.loads(json.dumps(article.metadata, default=str)), corrections)
    if not isinstance(info, dict):
        return None
    if (info.get("sha256"), info.get("model"), info.get("code"), info.get("metadata"), info.get("corrections") or {}) != wanted:
        return None
    try:
        analysis = load_analysis(directory)
    except DamagedAnalysis as exc:
        log.warning("%s; recomputing it", exc, extra={"notice": True})
        return None
    log.info("reusing saved analysis in %s", directory)
    return analysis
