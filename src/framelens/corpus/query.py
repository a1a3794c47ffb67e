"""Reading a corpus directory: each dataset as a pandas DataFrame or a DuckDB view for SQL."""
from __future__ import annotations

import builtins
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import FramelensError
from .store import LEDGER, CorpusStore, connect, create_views

if TYPE_CHECKING:
    import duckdb


class Corpus:
    """The tables of an analysed corpus.

    ``corpus.tables`` lists the datasets; ``corpus.table("quotes")`` (or ``corpus.quotes``) reads
    one as a DataFrame; ``corpus.sql("SELECT outlet, count(*) FROM quotes GROUP BY outlet")``
    runs SQL over the views in ``corpus.con`` (one per dataset) without loading the tables.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        store = CorpusStore(self.path)
        if not store.committed_parts():
            raise FramelensError(f"{self.path}: not an analysed corpus (no {LEDGER}/ dataset); run framelens analyze first")
        self.tables: list[str] = store.table_names()
        self.con: "duckdb.DuckDBPyConnection" = connect()
        create_views(self.con, self.path, self.tables)

    def table(self, name: str) -> pd.DataFrame:
        """The whole dataset ``name`` as a DataFrame."""
        if name not in self.tables:
            raise FramelensError(f"{self.path}: no table {name!r}; tables: {', '.join(self.tables)}")
        return self.sql(f'SELECT * FROM "{name}"')

    def sql(self, query: str) -> pd.DataFrame:
        """The result of a SQL query over the dataset views, as a DataFrame."""
        import duckdb

        try:
            return self.con.execute(query).df()
        except duckdb.Error as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise FramelensError(f"SQL error: {first_line}") from exc

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in self.__dict__.get("tables", ()):
            raise AttributeError(name)
        return self.table(name)

    def __dir__(self) -> builtins.list[str]:
        return [*super().__dir__(), *self.tables]

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(path: Path | str) -> Corpus:  # noqa: A001 - framelens.corpus.open(path), like io.open
    """Open the corpus directory written by ``framelens analyze`` (see Corpus)."""
    return Corpus(path)
