"""Rows of a DataFrame as namedtuples, at a fraction of ``itertuples``'s cost on small tables."""
from __future__ import annotations

import collections
import functools
from typing import Iterator, NamedTuple

import pandas as pd


def table_rows(table: pd.DataFrame) -> Iterator[NamedTuple]:
    """The rows of ``table`` as ``table.itertuples(index=False)`` gives them (same fields, same
    Python values), read a column at a time.

    pandas 3 builds a Series per column and a new namedtuple class on every ``itertuples`` call:
    on the few dozen rows of an article's tables that fixed cost is most of the work.
    """
    if not table.columns.is_unique or not len(table.columns):
        return table.itertuples(index=False)
    row = _row_type(tuple(map(str, table.columns)))
    return map(row._make, zip(*(table[column].tolist() for column in table.columns)))


@functools.lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...]) -> type:
    return collections.namedtuple("Row", columns, rename=True)
