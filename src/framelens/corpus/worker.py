"""What runs where an article is parsed (this process, a spaCy worker process, a Dask worker):
entry -> Article -> Doc -> ``analyze()`` -> ArticleResult.

Every article goes the same way, whatever the engine: its entry becomes an Article, and its
text goes into ``nlp.pipe`` as an ArticleText carrying the Article as plain data. The pipeline's
tokenizer (ArticleTokenizer) makes the Doc in the process that parses it, with the paragraph
starts marked (as nlp.prepare_doc marks them); the pipeline parses it and its last component,
``framelens_corpus_analysis``, calls ``analyze(article, nlp, doc=doc)`` there too, so the tables
are built where the parse happened and only the tables travel back. Tables come out identical,
row for row, from a serial, a multi-process and a Dask run.
"""
from __future__ import annotations

import functools
import gc
import json
import logging
import multiprocessing
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from ..analysis import analyze
from ..article import Article, Paragraph
from ..errors import FramelensError
from ..nlp import _load, chunk_limit, mark_paragraph_starts, parse_article, resolve_model_name
from .inputs import CorpusEntry, reason_without

log = logging.getLogger(__name__)

COMPONENT = "framelens_corpus_analysis"
ARTICLE_KEY = "framelens_article"
RESULT_KEY = "framelens_result"
# Tables of an Analysis not written for a corpus unless asked: one row per token is the bulk of
# the data and every corpus measure is already in the other tables.
OPTIONAL_TABLES = ("tokens",)


@dataclass(frozen=True)
class Settings:
    """What, besides the input and the code, decides an article's tables (part of its fingerprint)."""

    model: str
    tokens: bool = False

    def key(self) -> str:
        return json.dumps({"model": self.model, "tokens": self.tokens}, sort_keys=True)


@dataclass
class ArticleResult:
    """What analysing one entry gave: its tables, or the stage and reason it failed."""

    article_id: str
    metadata: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    origin: str = ""
    sha256: str = ""
    stage: str = ""  # "" when analysed; else load | parse | analyse
    reason: str = ""
    chars: int = 0


# --- the pipeline component: analyze() where the parse happened --------------------------------


@Language.factory(COMPONENT)
def _make_component(nlp: Language, name: str) -> "AnalysisComponent":
    return AnalysisComponent(nlp)


class AnalysisComponent:
    """Last pipeline component: builds every table of a Doc that carries an article payload."""

    def __init__(self, nlp: Language):
        self.nlp = nlp

    def __call__(self, doc: "Doc") -> "Doc":
        payload = doc.user_data.pop(ARTICLE_KEY, None)
        if payload is None:
            return doc
        article = article_from_payload(payload, payload["text"])  # Doc.text would join every token's text again
        result = analyse_parsed(article, doc, self.nlp, tokens=payload["tokens"])
        result.origin = payload["origin"]
        # Only the tables go back to the engine: an empty Doc carries them, not the parse (with its
        # tensor, some 185 KB for a short article, serialised and sent from every spaCy worker).
        # Pickled only when they leave this process: nlp.pipe with one process hands the Doc over as it is.
        carrier = Doc(doc.vocab)
        carrier.user_data[RESULT_KEY] = result if multiprocessing.parent_process() is None else pack(result)
        return carrier


def analyse_parsed(article: Article, doc: "Doc", nlp: Language, *, tokens: bool) -> ArticleResult:
    """analyze() over a parsed Doc; a failure becomes an ArticleResult with the reason."""
    result = ArticleResult(article.id, article.metadata, sha256=article.sha256, chars=len(article.text))
    with captured_warnings() as warnings:
        try:
            analysis = analyze(article, nlp, doc=doc)
        except Exception as exc:  # noqa: BLE001 - one bad article never stops a corpus
            log.debug("analysis of %s failed", article.id, exc_info=True)
            result.stage, result.reason = "analyse", f"{exc.__class__.__name__}: {exc}"
            return result
    result.warnings = warnings
    result.tables = {k: v for k, v in analysis.tables.items() if tokens or k not in OPTIONAL_TABLES}
    return result


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect framelens's warnings while analysing one article (they go in its ledger row
    instead of flooding the terminal under the progress bar)."""
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("framelens")
    handler, propagate = _Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class ArticleText(str):
    """An article's text as ``nlp.pipe``'s input, carrying ``payload`` (article_payload).

    spaCy sends a str to its worker processes as it is, where a Doc would be serialised
    (msgpack) in this process and read back in the worker: with a str, each worker tokenises its
    own articles, and this process, which competes with the workers for the cores, does not.
    """

    payload: dict[str, Any]


def article_text(article: Article, *, origin: str, tokens: bool) -> ArticleText:
    text = ArticleText(article.text)
    text.payload = article_payload(article, origin=origin, tokens=tokens)
    return text


class ArticleTokenizer:
    """The corpus pipeline's tokenizer: spaCy's own, and for an ArticleText the Doc gets its
    paragraph starts marked (nlp.prepare_doc's Doc) and the payload, with the text, in ``user_data``."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> "Doc":
        payload = getattr(text, "payload", None)
        if payload is None:
            return self.tokenizer(text)
        plain = str(text)  # spaCy's tokenizer takes a str, not a subclass
        doc = mark_paragraph_starts(self.tokenizer(plain), (start for _i, start, *_rest in payload["paragraphs"]))
        doc.user_data[ARTICLE_KEY] = {**payload, "text": plain}
        return doc


def article_payload(article: Article, *, origin: str, tokens: bool) -> dict[str, Any]:
    """The Article as plain data that travels with its text to a worker, then in ``Doc.user_data``."""
    return {
        "origin": origin,
        "id": article.id,
        "path": str(article.path),
        "sha256": article.sha256,
        "metadata": article.metadata,
        "paragraphs": [[p.index, p.start_char, p.end_char, p.role, p.reason] for p in article.paragraphs],
        "removed_chars": list(article.removed_chars),
        "tokens": tokens,
    }


def article_from_payload(payload: dict[str, Any], text: str) -> Article:
    paragraphs = [Paragraph(i, s, e, text[s:e], role, reason) for i, s, e, role, reason in payload["paragraphs"]]
    return Article(payload["id"], Path(payload["path"]), text, paragraphs, dict(payload["metadata"]), payload["sha256"],
                   tuple(payload["removed_chars"]))


@functools.lru_cache(maxsize=2)
def corpus_pipeline(model: str | None = None) -> Language:
    """A pipeline of its own (not the shared one of load_pipeline): ArticleTokenizer, and the
    analysis component last."""
    nlp = _load.__wrapped__(resolve_model_name(model))
    nlp.tokenizer = ArticleTokenizer(nlp.tokenizer)
    nlp.add_pipe(COMPONENT, last=True)
    _msgpack_without_plugin_lookups()
    return nlp


def _msgpack_without_plugin_lookups() -> None:
    """srsly's msgpack (spaCy sends every Doc between its processes as msgpack, three calls a
    Doc) looks up plugin entry points on every call, reading the metadata of every installed
    distribution: 0.3-0.8 ms a call, 0.2 without. When no plugin is installed, it stops looking."""
    import srsly.msgpack

    for registry in (srsly.msgpack.msgpack_encoders, srsly.msgpack.msgpack_decoders):
        if registry.entry_points and not registry.get_entry_points():
            registry.entry_points = False


# --- from entries to results --------------------------------------------------------------------


def prepared(entry: CorpusEntry, nlp: Language, settings: Settings) -> "ArticleText | ArticleResult":
    """The entry as an ArticleText ready for nlp.pipe; else its ArticleResult: why it cannot be
    analysed, or, for a text longer than parse_article parses as one Doc (nlp.chunk_limit), its
    analysis by parse_article alone (which parses or refuses it exactly as for a single article)."""
    failure = functools.partial(ArticleResult, entry.id, origin=entry.origin, sha256=entry.sha256)
    try:
        article = entry.article()
    except FramelensError as exc:
        return failure({**entry.sidecar, **entry.metadata}, stage="load", reason=reason_without(str(exc), entry.origin))
    if len(article.text) > chunk_limit(nlp):
        try:
            doc = parse_article(article, nlp)
        except FramelensError as exc:
            return failure(article.metadata, stage="parse", reason=reason_without(str(exc), entry.origin), chars=len(article.text))
        result = analyse_parsed(article, doc, nlp, tokens=settings.tokens)
        result.origin = entry.origin
        return result
    return article_text(article, origin=entry.origin, tokens=settings.tokens)


def analyse_entries(entries: Iterable[CorpusEntry], nlp: Language, settings: Settings, *, n_process: int = 1,
                    batch_size: int = 16) -> Iterator[ArticleResult]:
    """ArticleResults of ``entries``, lazily; parsed with ``nlp.pipe`` (n_process processes).

    Results of entries that do not go through nlp.pipe (failed before parsing, or too long for
    one Doc) come out as soon as they are ready, so the order is not the input order; every
    entry gives exactly one result.
    """
    return map(_unpacked, _results(entries, nlp, settings, n_process=n_process, batch_size=batch_size))


def packed_results(entries: Iterable[CorpusEntry], nlp: Language, settings: Settings, *, n_process: int = 1,
                   batch_size: int = 16) -> Iterator[bytes]:
    """As analyse_entries, each result pickled (as the analysis component sends it back from a
    worker process), so a Dask task returns bytes instead of pickling every table a second time."""
    return map(_packed, _results(entries, nlp, settings, n_process=n_process, batch_size=batch_size))


def _packed(result: "ArticleResult | bytes") -> bytes:
    return result if isinstance(result, bytes) else pack(result)


def _unpacked(result: "ArticleResult | bytes") -> ArticleResult:
    return unpack(result) if isinstance(result, bytes) else result


def _results(entries: Iterable[CorpusEntry], nlp: Language, settings: Settings, *, n_process: int,
             batch_size: int) -> Iterator["ArticleResult | bytes"]:
    """Every entry's result: packed when the analysis component ran in another process, else as it is."""
    ready: list[ArticleResult] = []

    def texts() -> Iterator[ArticleText]:
        for entry in entries:
            item = prepared(entry, nlp, settings)
            if isinstance(item, ArticleResult):
                ready.append(item)
            else:
                yield item

    for doc in nlp.pipe(texts(), batch_size=batch_size, n_process=n_process):
        yield from _drain(ready)
        yield doc.user_data[RESULT_KEY]
    yield from _drain(ready)


def pack(result: ArticleResult) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(packed: bytes) -> ArticleResult:
    """The ArticleResult of ``pack``, with the garbage collector paused: unpickling some 30
    DataFrames makes objects fast enough to set off collections that scan everything alive
    (3-4x the time of the unpickling itself); what it leaves is collected at the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(packed)
    finally:
        if enabled:
            gc.enable()


@contextmanager
def long_lived_objects_frozen() -> Iterator[None]:
    """Objects alive now (the modules, the spaCy model) kept out of the garbage collector's
    scans until the end (gc.freeze): every analysis makes enough objects to set off collections,
    and each full one scanned them all (some 4% of a corpus run). spaCy's worker processes,
    forked later, inherit the frozen state."""
    _freeze_alive()
    try:
        yield
    finally:
        gc.unfreeze()


def _drain(results: list[ArticleResult]) -> Iterator[ArticleResult]:
    while results:
        yield results.pop(0)


def analyse_batch(entries: list[CorpusEntry], settings: Settings, batch_size: int = 16) -> list[bytes]:
    """Analyse a batch in this process (a Dask task), each result packed (see unpack): the
    corpus pipeline is loaded once per worker."""
    return list(packed_results(entries, dask_worker_pipeline(settings.model), settings, batch_size=batch_size))


@functools.lru_cache(maxsize=2)
def dask_worker_pipeline(model: str) -> Language:
    """corpus_pipeline in a Dask worker, with what is alive once it is loaded frozen for the
    worker's life (see long_lived_objects_frozen)."""
    nlp = corpus_pipeline(model)
    _freeze_alive()
    return nlp


def _freeze_alive() -> None:
    gc.collect()  # garbage left now would otherwise never be freed
    gc.freeze()
