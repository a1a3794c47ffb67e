"""The corpus engine: the same ``analyze()`` for every article of a corpus, in batches through
``nlp.pipe`` (spaCy's own ``n_process``) or on a Dask ``distributed`` cluster, streamed into
Parquet parts, resumable.

Every article goes the same way, whatever the engine: its entry becomes an Article and a
tokenised Doc with paragraph starts marked (nlp.prepare_doc); the pipeline parses it and its
last component, ``framelens_corpus_analysis``, calls ``analyze(article, nlp, doc=doc)`` in the
process that parsed it, so the tables are built where the parse happened (a spaCy worker
process, a Dask worker) and only the tables travel back. Tables come out identical, row for
row, from a serial, a multi-process and a Dask run.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import pandas as pd
from spacy.language import Language

from .. import __version__
from ..analysis import analyze, code_fingerprint
from ..article import Article, Paragraph
from ..errors import FramelensError
from ..nlp import _load, model_label, parse_article, prepare_doc, resolve_model_name
from .fetch import PoliteFetcher
from .inputs import CorpusEntry, corpus_entries, reason_without
from .store import LEDGER, CorpusStore

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

COMPONENT = "framelens_corpus_analysis"
ARTICLE_KEY = "framelens_article"
RESULT_KEY = "framelens_result"
ERRORS = "errors"
ERROR_COLUMNS = ("origin", "stage", "reason")
# Tables of an Analysis not written for a corpus unless asked: one row per token is the bulk of
# the data and every corpus measure is already in the other tables.
OPTIONAL_TABLES = ("tokens",)
ENGINES = ("local", "dask")
METADATA_ORDER = ("outlet", "title", "date", "url")  # first after article_id; other fields follow as given


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


@dataclass
class RunSummary:
    """Counts of one ``analyze_corpus`` run."""

    out: Path
    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    failed_before: int = 0  # skipped articles whose earlier failure is still recorded
    seconds: float = 0.0

    @property
    def any_failed(self) -> bool:
        return bool(self.failed or self.failed_before)


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
        if payload is not None:
            article = article_from_payload(payload, doc.text)
            result = analyse_parsed(article, doc, self.nlp, tokens=payload["tokens"])
            result.origin = payload["origin"]
            doc.user_data[RESULT_KEY] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        return doc


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


def article_payload(article: Article, *, origin: str, tokens: bool) -> dict[str, Any]:
    """The Article as plain data that travels inside ``Doc.user_data`` (msgpack) to a worker."""
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
    """A pipeline of its own (not the shared one of load_pipeline) with the analysis component last."""
    nlp = _load.__wrapped__(resolve_model_name(model))
    nlp.add_pipe(COMPONENT, last=True)
    return nlp


# --- from entries to results --------------------------------------------------------------------


def prepared(entry: CorpusEntry, nlp: Language, settings: Settings) -> "Doc | ArticleResult":
    """The entry as a Doc ready for nlp.pipe; else its ArticleResult: why it cannot be
    analysed, or, for a text longer than one Doc holds, its analysis by parse_article alone
    (which parses or refuses it exactly as for a single article)."""
    failure = functools.partial(ArticleResult, entry.id, origin=entry.origin, sha256=entry.sha256)
    try:
        article = entry.article()
    except FramelensError as exc:
        return failure({**entry.sidecar, **entry.metadata}, stage="load", reason=reason_without(str(exc), entry.origin))
    if len(article.text) > nlp.max_length:
        try:
            doc = parse_article(article, nlp)
        except FramelensError as exc:
            return failure(article.metadata, stage="parse", reason=reason_without(str(exc), entry.origin), chars=len(article.text))
        result = analyse_parsed(article, doc, nlp, tokens=settings.tokens)
        result.origin = entry.origin
        return result
    doc = prepare_doc(article, nlp)
    doc.user_data[ARTICLE_KEY] = article_payload(article, origin=entry.origin, tokens=settings.tokens)
    return doc


def analyse_entries(entries: Iterable[CorpusEntry], nlp: Language, settings: Settings, *, n_process: int = 1,
                    batch_size: int = 16) -> Iterator[ArticleResult]:
    """ArticleResults of ``entries``, lazily; parsed with ``nlp.pipe`` (n_process processes).

    Results of entries that do not go through nlp.pipe (failed before parsing, or too long for
    one Doc) come out as soon as they are ready, so the order is not the input order; every
    entry gives exactly one result.
    """
    ready: list[ArticleResult] = []

    def docs() -> Iterator["Doc"]:
        for entry in entries:
            item = prepared(entry, nlp, settings)
            if isinstance(item, ArticleResult):
                ready.append(item)
            else:
                yield item

    for doc in nlp.pipe(docs(), batch_size=batch_size, n_process=n_process):
        yield from _drain(ready)
        yield pickle.loads(doc.user_data[RESULT_KEY])
    yield from _drain(ready)


def _drain(results: list[ArticleResult]) -> Iterator[ArticleResult]:
    while results:
        yield results.pop(0)


def analyse_batch(entries: list[CorpusEntry], settings: Settings, batch_size: int = 16) -> list[ArticleResult]:
    """Analyse a batch in this process (a Dask task): the corpus pipeline is loaded once per worker."""
    return list(analyse_entries(entries, corpus_pipeline(settings.model), settings, batch_size=batch_size))


# --- fingerprints and the ledger ----------------------------------------------------------------


def fingerprint(entry: CorpusEntry, settings: Settings, model: str) -> str:
    """Input bytes, metadata, model, settings and code: when any changes the article is analysed again."""
    parts = [entry.sha256, entry.metadata, entry.sidecar, entry.problem, model, settings.key(), code_fingerprint()]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def ledger_row(result: ArticleResult, fp: str, model: str, settings: Settings) -> dict[str, Any]:
    """The article's row of the ``articles`` table (documented in analyze_corpus)."""
    tables = result.tables
    return {
        "status": "failed" if result.stage else "analysed",
        "origin": result.origin,
        "chars": result.chars,
        "paragraphs": len(tables.get("paragraphs", ())),
        "sentences": len(tables.get("sentences", ())),
        "quotes": len(tables.get("quotes", ())),
        "actors": len(tables.get("actors", ())),
        "warnings": "; ".join(result.warnings),
        "sha256": result.sha256,
        "model": model,
        "settings": settings.key(),
        "code": code_fingerprint(),
        "framelens": __version__,
        "fingerprint": fp,
    }


def with_metadata(frames: list[tuple[ArticleResult, pd.DataFrame]]) -> pd.DataFrame:
    """One table of a part: the rows of every (article, table) pair, each row led by
    ``article_id`` and the article's metadata columns (outlet, title, date, url, then the rest).

    Columns are the union over all pairs, empty tables included, so a part's columns do not
    depend on which of its articles had rows, and a table with no rows is still written (as its
    columns): every dataset exists whatever the articles held. A metadata field whose name is
    already a column of the table is added as ``article_<name>``.
    """
    columns = list(dict.fromkeys(c for _r, f in frames for c in f.columns))
    keys = list(dict.fromkeys(k for r, _f in frames for k in r.metadata))
    keys.sort(key=lambda k: METADATA_ORDER.index(k) if k in METADATA_ORDER else len(METADATA_ORDER))
    filled = [(r, f) for r, f in frames if len(f)]
    body = pd.concat([f for _r, f in filled], ignore_index=True) if filled else frames[0][1].iloc[:0]
    front = pd.DataFrame(
        [[r.article_id, *(_text(r.metadata.get(k)) for k in keys)] for r, f in filled for _ in range(len(f))],
        columns=["article_id", *(f"article_{k}" if k in columns or k == "article_id" else k for k in keys)],
        dtype=object,
    )
    return pd.concat([front, body.reindex(columns=columns).reset_index(drop=True)], axis=1)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class PartWriter:
    """Collects results and writes them as one part every ``part_size`` articles."""

    def __init__(self, store: CorpusStore, part_size: int, model: str, settings: Settings):
        self.store, self.part_size, self.model, self.settings = store, part_size, model, settings
        self.pending: list[tuple[ArticleResult, str]] = []

    def add(self, result: ArticleResult, fp: str) -> None:
        self.pending.append((result, fp))
        if len(self.pending) >= self.part_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        no_errors = ArticleResult("", {}), pd.DataFrame(columns=list(ERROR_COLUMNS))
        rows: dict[str, list[tuple[ArticleResult, pd.DataFrame]]] = {ERRORS: [no_errors]}
        for result, fp in self.pending:
            rows.setdefault(LEDGER, []).append((result, pd.DataFrame([ledger_row(result, fp, self.model, self.settings)])))
            if result.stage:
                error = pd.DataFrame([dict(zip(ERROR_COLUMNS, (result.origin, result.stage, result.reason)))])
                rows[ERRORS].append((result, error))
            for name, table in result.tables.items():
                rows.setdefault(name, []).append((result, table))
        self.store.write_part(self.store.next_part(), {name: with_metadata(frames) for name, frames in rows.items()})
        self.pending = []


# --- the run ---------------------------------------------------------------------------------------


def analyze_corpus(
    source: Path | str,
    out: Path | str,
    *,
    model: str | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    part_size: int = 100,
    engine: str = "local",
    scheduler: str | None = None,
    tokens: bool = False,
    progress: bool | None = None,
    cache_dir: Path | None = None,
    delay: float = 1.0,
    fetcher: PoliteFetcher | None = None,
) -> RunSummary:
    """Analyse every article of ``source`` into Parquet datasets under ``out``; resumable.

    Args:
        source: a folder, CSV, JSONL or URL list (see inputs.corpus_entries).
        out: the corpus directory, one dataset per table (see store).
        n_process: spaCy processes (engine "local"), or workers of the LocalCluster (engine "dask").
        batch_size: articles per nlp.pipe batch.
        part_size: articles per Parquet part (memory stays bounded by one part).
        engine: "local" (nlp.pipe in this machine's processes) or "dask".
        scheduler: a Dask scheduler address (tcp://host:port); None starts a LocalCluster.
        tokens: also write the (large) ``tokens`` table.
        progress: tqdm bar on stderr; None shows it when stderr is a terminal.
        cache_dir, delay, fetcher: URL lists only: where pages go (default data/raw/<corpus>/),
            seconds between requests to one host, or a PoliteFetcher of your own.

    An article already in ``out`` with the same fingerprint (input sha256, metadata, model,
    settings, code) is skipped; one whose fingerprint changed has its old part analysed again.

    Every row of every table starts with ``article_id`` and the article's metadata columns. The
    ``articles`` table has one row per input article: status (analysed | failed), origin, chars,
    paragraphs, sentences, quotes, actors (row counts), warnings (what the analysis logged),
    sha256, model, settings, code, framelens, fingerprint. The ``errors`` table has one row per
    failed article: origin, stage (load | parse | analyse), reason.

    Returns a RunSummary; ``any_failed`` says whether any article of the corpus failed.
    """
    if engine not in ENGINES:
        raise FramelensError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if n_process < 1 or batch_size < 1 or part_size < 1:
        raise FramelensError("--n-process, --batch-size and --part-size must be at least 1")
    started = time.perf_counter()
    store = CorpusStore(out)
    store.recover()
    nlp = corpus_pipeline(model)
    label = model_label(nlp)
    settings = Settings(model=resolve_model_name(model), tokens=tokens)
    summary = RunSummary(Path(out))
    fetcher = fetcher or PoliteFetcher(delay)
    entries = lambda: corpus_entries(source, cache_dir=cache_dir, fetcher=fetcher)  # noqa: E731 - read twice, streamed
    todo, total = _plan(entries(), store, settings, label, summary)
    writer = PartWriter(store, part_size, label, settings)
    bar = _progress(total, summary.skipped, progress)
    try:
        pending = (e for e in entries() if e.id in todo)
        if engine == "dask":
            results = _dask_results(pending, settings, n_process, batch_size, part_size, scheduler)
        else:
            results = analyse_entries(pending, nlp, settings, n_process=n_process, batch_size=batch_size)
        for result in results:
            writer.add(result, todo[result.article_id])
            summary.failed += bool(result.stage)
            summary.analysed += not result.stage
            bar.update(1)
        writer.flush()
    finally:
        bar.close()
    summary.seconds = time.perf_counter() - started
    log.info("%s: %d analysed, %d failed, %d already done, in %.1fs", out, summary.analysed, summary.failed, summary.skipped, summary.seconds)
    return summary


def _plan(entries: Iterable[CorpusEntry], store: CorpusStore, settings: Settings, label: str,
          summary: RunSummary) -> tuple[dict[str, str], int]:
    """First pass over the inputs: the fingerprint of each entry that needs analysing (by id),
    and the number of entries. Drops the parts of articles whose fingerprint changed, so no
    article ever has two versions in the store; the other articles of such a part are redone."""
    ledger = store.ledger()
    todo: dict[str, str] = {}
    done: dict[str, str] = {}
    stale_parts: set[str] = set()
    total = 0
    for entry in entries:
        total += 1
        fp = fingerprint(entry, settings, label)
        known = ledger.get(entry.id)
        if known and known.fingerprint == fp:
            done[entry.id] = fp
        else:
            todo[entry.id] = fp
            if known:
                stale_parts.add(known.part)
    if stale_parts:
        store.drop_parts(stale_parts)
        for article_id in [a for a in done if ledger[a].part in stale_parts]:
            todo[article_id] = done.pop(article_id)
    summary.skipped = len(done)
    summary.failed_before = sum(ledger[a].status == "failed" for a in done)
    return todo, total


def _progress(total: int, done: int, enabled: bool | None):
    from tqdm.auto import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: spaCy forks its worker processes after the bar starts

    return Bar(total=total, initial=done, unit="article", desc="analyse", disable=None if enabled is None else not enabled, smoothing=0.1)


# --- Dask ------------------------------------------------------------------------------------------


def _dask_results(entries: Iterable[CorpusEntry], settings: Settings, workers: int, batch_size: int,
                  part_size: int, scheduler: str | None) -> Iterator[ArticleResult]:
    """Results of ``entries`` analysed on a Dask cluster, one task per part-sized batch.

    At most two batches per worker are in flight, so memory stays bounded however long the corpus.
    """
    from distributed import as_completed
    from spacy.util import minibatch

    with dask_client(scheduler, workers) as client:
        _check_same_code(client)
        slots = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        batches = minibatch(entries, part_size)
        submit = lambda batch: client.submit(analyse_batch, batch, settings, batch_size, pure=False)  # noqa: E731
        running = as_completed([submit(b) for _, b in zip(range(slots), batches)])
        for future in running:
            results = future.result()
            future.release()
            following = next(batches, None)
            if following:
                running.add(submit(following))
            yield from results


@contextmanager
def dask_client(scheduler: str | None, workers: int):
    """A Dask client of the cluster at ``scheduler``, or of a new LocalCluster of ``workers``
    single-threaded worker processes (closed afterwards)."""
    from distributed import Client, LocalCluster

    quiet = max(logging.WARNING, logging.getLogger("framelens").getEffectiveLevel())
    logging.getLogger("distributed").setLevel(quiet)  # its INFO lines would bury the progress bar
    if scheduler:
        try:
            _reachable(scheduler)
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise FramelensError(f"cannot reach the Dask scheduler at {scheduler} ({exc.__class__.__name__})") from exc
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


def _check_same_code(client: Any) -> None:
    """FramelensError if a worker runs other framelens code (its tables would not be this code's)."""
    theirs = client.run(code_fingerprint)
    other = sorted(worker for worker, fp in theirs.items() if fp != code_fingerprint())
    if other:
        raise FramelensError(f"Dask worker(s) {', '.join(other)} run other framelens code than this machine; install the same version there")


def _reachable(address: str) -> None:
    """Fail fast (OSError) when nothing listens at a tcp:// scheduler address; Dask itself retries
    a refused connection until its timeout."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        socket.create_connection((parts.hostname, parts.port), timeout=5).close()
