"""Many articles: corpus inputs, the corpus engine (local processes or Dask), Parquet tables and SQL.

``load_corpus(source)`` yields Articles; ``analyze_corpus(source, out)`` writes one Parquet
dataset per table under ``out``; ``open(out)`` reads them back as pandas DataFrames and DuckDB views.
"""
from .engine import RunSummary, analyze_corpus
from .inputs import CorpusEntry, corpus_entries, load_corpus
from .query import Corpus, open

__all__ = ["Corpus", "CorpusEntry", "RunSummary", "analyze_corpus", "corpus_entries", "load_corpus", "open"]
