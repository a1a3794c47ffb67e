"""The corpus engine: every article of a corpus through the same ``analyze()`` (see worker), in
batches through ``nlp.pipe`` (spaCy's own ``n_process``) or on a Dask ``distributed`` cluster
(see cluster), streamed into Parquet parts (see store), resumable.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .. import __version__
from ..analysis import code_fingerprint
from ..errors import FramelensError
from ..nlp import installed_model_label, resolve_model_name
from .fetch import PoliteFetcher
from .inputs import CorpusEntry, corpus_entries
from .store import LEDGER, CorpusStore
from .worker import OPTIONAL_TABLES, ArticleResult, Settings, analyse_entries, corpus_pipeline, long_lived_objects_frozen

log = logging.getLogger(__name__)

ERRORS = "errors"
ERROR_COLUMNS = ("origin", "stage", "reason")
ENGINES = ("local", "dask")
METADATA_ORDER = ("outlet", "title", "date", "url")  # first after article_id; other fields follow as given
__all__ = ["OPTIONAL_TABLES", "RunSummary", "analyze_corpus"]


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
    filled = [(r, f) for r, f in frames if len(f)]
    body = pd.concat([f for _r, f in filled], ignore_index=True) if filled else frames[0][1].iloc[:0]
    return led_by_metadata(body.reindex(columns=columns), [r for r, _f in filled], [len(f) for _r, f in filled],
                           metadata_keys(r for r, _f in frames))


def metadata_keys(results: Iterable[ArticleResult]) -> list[str]:
    """The metadata fields of ``results``, in column order (METADATA_ORDER first)."""
    keys = list(dict.fromkeys(k for r in results for k in r.metadata))
    keys.sort(key=lambda k: METADATA_ORDER.index(k) if k in METADATA_ORDER else len(METADATA_ORDER))
    return keys


def led_by_metadata(body: pd.DataFrame, results: list[ArticleResult], lengths: list[int], keys: list[str]) -> pd.DataFrame:
    """``body`` (the rows of ``results``, ``lengths[i]`` rows each, in order) led by
    ``article_id`` and the ``keys`` metadata columns (text, one value repeated per article)."""
    names = ["article_id", *(f"article_{k}" if k in body.columns or k == "article_id" else k for k in keys)]
    values = np.array([[r.article_id, *(_text(r.metadata.get(k)) for k in keys)] for r in results], dtype=object)
    front = pd.DataFrame(np.repeat(values.reshape(len(results), len(names)), lengths, axis=0), columns=names, dtype=object)
    return pd.concat([front, body.reset_index(drop=True)], axis=1)


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
        results = [result for result, _fp in self.pending]
        ledger = pd.DataFrame([ledger_row(result, fp, self.model, self.settings) for result, fp in self.pending])
        failed = [r for r in results if r.stage]
        errors = pd.DataFrame([[r.origin, r.stage, r.reason] for r in failed], columns=list(ERROR_COLUMNS))
        tables = {LEDGER: led_by_metadata(ledger, results, [1] * len(results), metadata_keys(results)),
                  ERRORS: led_by_metadata(errors, failed, [1] * len(failed), metadata_keys(failed))}
        rows: dict[str, list[tuple[ArticleResult, pd.DataFrame]]] = {}
        for result in results:
            for name, table in result.tables.items():
                rows.setdefault(name, []).append((result, table))
        tables.update({name: with_metadata(frames) for name, frames in rows.items()})
        self.store.write_part(self.store.next_part(), tables)
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
    label = installed_model_label(model)  # the model is loaded only if an article needs analysing
    settings = Settings(model=resolve_model_name(model), tokens=tokens)
    summary = RunSummary(Path(out))
    fetcher = fetcher or PoliteFetcher(delay)
    entries = lambda: corpus_entries(source, cache_dir=cache_dir, fetcher=fetcher)  # noqa: E731 - read twice, streamed
    todo, total = _plan(entries(), store, settings, label, summary)
    writer = PartWriter(store, part_size, label, settings)
    bar = _progress(total, summary.skipped, progress)
    try:
        pending = (e for e in entries() if e.id in todo)
        if not todo:
            results: Iterable[ArticleResult] = ()  # a finished corpus: no second pass over the inputs, no model
        elif engine == "dask":
            from .cluster import dask_results

            results = dask_results(pending, settings, n_process, batch_size, scheduler)
        else:
            results = analyse_entries(pending, corpus_pipeline(model), settings, n_process=n_process, batch_size=batch_size)
        with long_lived_objects_frozen():
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
