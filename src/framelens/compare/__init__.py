"""Comparing coverage: how each group of articles (an outlet, a country, a date...) framed one event.

``load_tables(corpus_dirs, by="outlet")`` reads analysed corpora (``framelens analyze``);
``comparison(tables)`` gives every comparison table (see ``tables``); ``compare.report`` words
the comparison; ``compare.run.run_compare`` is ``framelens compare``.
"""
from __future__ import annotations

from .actors import load_alias_table, match_actors
from .tables import CompareTables, comparison, load_tables

__all__ = ["CompareTables", "comparison", "load_alias_table", "load_tables", "match_actors"]
