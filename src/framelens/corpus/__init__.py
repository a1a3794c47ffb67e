"""Many articles: corpus inputs, the corpus engine (local processes or Dask), Parquet tables and SQL.

``load_corpus(source)`` yields Articles; ``analyze_corpus(source, out)`` writes one Parquet
dataset per table under ``out``; ``open(out)`` reads them back as pandas DataFrames and DuckDB views.
Names are imported on first use, so reading a corpus does not load spaCy.
"""
from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "analyze_corpus": "engine", "RunSummary": "engine",
    "CorpusEntry": "inputs", "corpus_entries": "inputs", "load_corpus": "inputs",
    "Corpus": "query", "open": "query",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(name)
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
