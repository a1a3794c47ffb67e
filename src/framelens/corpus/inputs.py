"""Corpus inputs: a folder of article files, a CSV or JSONL of texts, or a URL list, as entries
with metadata and unique, stable ids (see ``corpus_entries`` for the id rules)."""
from __future__ import annotations

import csv
import hashlib
import json
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..article import HTML_SUFFIXES, Article, _read_sidecar, article_from_bytes
from ..errors import FramelensError
from ..ids import check_article_id, check_unique_ids
from ..inputs import read_regular_file

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = {".txt", *HTML_SUFFIXES}
TABLE_SUFFIXES = {".csv", ".jsonl", ".ndjson"}
TEXT_COLUMNS = ("text", "file")  # a row's article: its text, or a file path relative to the table
SKIPPED_COLUMNS = {"id", *TEXT_COLUMNS}
csv.field_size_limit(2**31 - 1)  # article texts are longer than csv's 128 KiB default field


@dataclass(frozen=True)
class CorpusEntry:
    """One article of a corpus before analysis: its input bytes and metadata, enough to
    fingerprint it and to build its Article anywhere (this process, a spaCy or a Dask worker).

    ``problem`` is set when the input could not be had at all (a failed download); the entry is
    then recorded as failed without being analysed.
    """

    id: str
    origin: str  # where it comes from, for messages: "dir/a.html", "articles.csv row 3"
    raw: bytes
    metadata: dict[str, Any] = field(default_factory=dict)
    sidecar: dict[str, Any] = field(default_factory=dict)
    problem: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def article(self) -> Article:
        """The Article (FramelensError if the input is empty, undecodable, not English prose...)."""
        if self.problem:
            raise FramelensError(f"{self.origin}: {self.problem}")
        return article_from_bytes(self.raw, path=self.origin, article_id=self.id, sidecar=self.sidecar, metadata=self.metadata)


def load_corpus(source: Path | str, **options: Any) -> Iterator[Article]:
    """Yield the Articles of a corpus (folder, CSV, JSONL or URL list; see corpus_entries).

    An entry that cannot be made an Article is logged and skipped; ``framelens analyze`` records
    such entries in its ``errors`` table instead.
    """
    for entry in corpus_entries(source, **options):
        try:
            yield entry.article()
        except FramelensError as exc:
            log.warning("skipped %s", exc, extra={"notice": True})


def corpus_entries(source: Path | str, *, cache_dir: Path | None = None, fetcher: Any = None) -> Iterator[CorpusEntry]:
    """Yield the entries of a corpus, lazily, in a stable order.

    ``source`` is one of:

    * a folder: every ``.txt``/``.html`` file below it (recursive, sorted, hidden ones skipped),
      with its sidecar ``<stem>.meta.yaml``. Id: the path relative to the folder without its
      suffix, folders joined by ``--`` (``business--001``; a file at the top keeps its stem, as
      ``framelens analyze FILE`` names it); files that differ only in suffix keep it (``a.txt``,
      ``a.html``).
    * a CSV or JSONL file with a ``text`` column (or ``file``, a path relative to the table) and
      metadata columns (``id, outlet, title, date, url``; others kept). Id: the ``id`` column;
      without it ``<file-stem>-<row>``.
    * a URL list: a CSV with a ``url`` column and no text (e.g. ``data/corpora/x.urls.csv``), whose
      pages are fetched into ``cache_dir`` by ``fetcher`` (see fetch.fetch_url_list). Id: the ``id``
      column, else made from the URL (fetch.url_ids).

    Ids are checked by ids.check_article_id and must be unique (case-insensitively): a repeated
    or unusable id is a FramelensError naming the rows, raised before any entry is yielded, so
    nothing is analysed or overwritten. So is a source that cannot be read at all.
    """
    path = Path(source)
    if path.is_dir():
        yield from _folder_entries(path)
    elif not path.is_file():
        raise FramelensError(f"{path}: no such file or folder")
    elif path.suffix.lower() == ".csv" and _is_url_list(path):
        from .fetch import fetch_url_list

        yield from fetch_url_list(path, cache_dir=cache_dir, fetcher=fetcher)
    elif path.suffix.lower() in TABLE_SUFFIXES:
        yield from _table_entries(path)
    elif path.suffix.lower() in ARTICLE_SUFFIXES:
        yield from _file_entries([path], path.parent)
    else:
        raise FramelensError(
            f"{path}: not a corpus; give a folder of .txt/.html files, a .csv or .jsonl of texts, or a URL list"
        )


# --- folders -----------------------------------------------------------------------------------


def _folder_entries(folder: Path) -> Iterator[CorpusEntry]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    if not files:
        raise FramelensError(f"{folder}: no .txt or .html article files in this folder")
    yield from _file_entries(files, folder)


def _file_entries(files: list[Path], root: Path) -> Iterator[CorpusEntry]:
    ids = folder_ids([p.relative_to(root) for p in files])
    for path, article_id in zip(files, ids):
        check_article_id(article_id, source=path)
    check_unique_ids(zip(ids, files))
    for path, article_id in zip(files, ids):
        try:
            raw = read_regular_file(path)
            sidecar = _read_sidecar(path)
        except FramelensError as exc:  # an unreadable file or a broken sidecar spoils its article only
            yield CorpusEntry(article_id, str(path), b"", problem=reason_without(str(exc), path))
            continue
        yield CorpusEntry(article_id, str(path), raw, sidecar=sidecar)


def folder_ids(relative_paths: list[Path]) -> list[str]:
    """Ids of files in a folder (see corpus_entries): relative path without suffix, folders joined by ``--``."""
    stems = [p.with_suffix("").parts for p in relative_paths]
    return ["--".join(p.parts if stems.count(s) > 1 else s) for p, s in zip(relative_paths, stems)]


def reason_without(message: str, path: Path | str) -> str:
    """A FramelensError message without the input's name in front (the row already names it)."""
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


# --- CSV and JSONL -------------------------------------------------------------------------------


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, record) of a CSV (header row, UTF-8) or JSONL file; row numbers count from 1."""
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for number, record in enumerate(csv.DictReader(handle), 1):
                    yield number, record
        else:
            with path.open(encoding="utf-8-sig") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        yield number, _json_record(line, path, number)
    except UnicodeDecodeError as exc:
        raise FramelensError(f"{path}: not UTF-8 ({exc.reason}); re-save it as UTF-8") from exc
    except csv.Error as exc:
        raise FramelensError(f"{path}: not a readable CSV ({exc})") from exc
    except OSError as exc:
        raise FramelensError(f"{path}: cannot be read ({exc.strerror})") from exc


def _json_record(line: str, path: Path, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FramelensError(f"{path}: line {number} is not JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise FramelensError(f"{path}: line {number} is not a JSON object")
    return record


def _is_url_list(path: Path) -> bool:
    columns = _columns(path)
    return "url" in columns and not set(TEXT_COLUMNS) & columns


def _columns(path: Path) -> set[str]:
    for _number, record in read_rows(path):
        return set(record)
    raise FramelensError(f"{path}: has no rows")


def _table_entries(path: Path) -> Iterator[CorpusEntry]:
    columns = _columns(path)
    text_column = next((c for c in TEXT_COLUMNS if c in columns), None)
    if text_column is None:
        raise FramelensError(f"{path}: needs a 'text' column (or 'file', a path relative to it, or 'url' for a URL list)")
    check_table_ids(read_rows(path), path)
    for number, record in read_rows(path):
        article_id = clean_value(record.get("id")) or f"{path.stem}-{number}"
        origin = f"{path} row {number}"
        metadata = row_metadata(record)
        if text_column == "file":
            if not record.get("file"):
                yield CorpusEntry(str(article_id), origin, b"", metadata, problem="no file named")
                continue
            file = path.parent / str(record["file"])
            try:
                raw = file.read_bytes()
            except OSError as exc:
                yield CorpusEntry(str(article_id), origin, b"", metadata, problem=f"{file}: cannot be read ({exc.strerror})")
                continue
            yield CorpusEntry(str(article_id), str(file), raw, metadata)
        else:
            text = record.get("text")
            raw = text.encode("utf-8") if isinstance(text, str) else b""
            yield CorpusEntry(str(article_id), origin, raw, metadata)


def check_table_ids(rows: Iterable[tuple[int, dict[str, Any]]], path: Path) -> None:
    """FramelensError naming the row if an explicit id is unusable or repeats (ids key every row)."""
    numbered = [(str(v), f"{path} row {n}") for n, r in rows if (v := clean_value(r.get("id"))) is not None]
    for article_id, origin in numbered:
        check_article_id(article_id, source=origin)
    check_unique_ids(numbered)


def row_metadata(record: dict[str, Any]) -> dict[str, Any]:
    """A row's metadata: every column but id/text/file; empty cells are None, nested values JSON."""
    return {str(k): clean_value(v) for k, v in record.items() if k not in SKIPPED_COLUMNS and k is not None}


def clean_value(value: Any) -> Any:
    """Empty strings and NaN become None; lists and mappings become JSON text (Parquet-friendly)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def slug(text: str, *, limit: int = 60) -> str:
    """Lower-case ASCII letters, digits and hyphens: a readable id fragment."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")
