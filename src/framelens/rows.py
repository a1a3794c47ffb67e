"""Rows of a DataFrame as namedtuples, at a fraction of ``itertuples``'s cost on small tables; and
values derived from one table shared by the functions that build an article's tables."""
from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
from typing import Any, Callable, Hashable, Iterator, NamedTuple, TypeVar

import pandas as pd

T = TypeVar("T")
_SHARED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("framelens_shared", default=None)


@contextlib.contextmanager
def sharing() -> Iterator[None]:
    """Within this block a value derived from one table (one DataFrame object) by ``shared`` is
    computed once: analyze() reads its quotes and mentions tables in a dozen functions, each
    public and taking DataFrames. The tables must not be edited in place meanwhile (framelens's
    table builders never do); the values are dropped when the outermost block ends."""
    token = _SHARED.set({}) if _SHARED.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _SHARED.reset(token)


def shared(table: Any, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per (``table`` object, ``key``) inside ``sharing``; every call outside it."""
    memo = _SHARED.get()
    if memo is None:
        return compute()
    slot = (id(table), key)
    if slot not in memo:
        memo[slot] = (table, compute())  # the table is kept alive, so its id is not reused meanwhile
    return memo[slot][1]


def table_rows(table: pd.DataFrame) -> Iterator[NamedTuple]:
    """The rows of ``table`` as ``table.itertuples(index=False)`` gives them (same fields, same
    Python values), read a column at a time (once per table inside ``sharing``).

    pandas 3 builds a Series per column and a new namedtuple class on every ``itertuples`` call:
    on the few dozen rows of an article's tables that fixed cost is most of the work.
    """
    if not table.columns.is_unique or not len(table.columns):
        return table.itertuples(index=False)
    return iter(shared(table, "rows", lambda: _read_rows(table)))


def _read_rows(table: pd.DataFrame) -> tuple[NamedTuple, ...]:
    row = _row_type(tuple(map(str, table.columns)))
    return tuple(map(row._make, zip(*(table[column].tolist() for column in table.columns))))


@functools.lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...]) -> type:
    return collections.namedtuple("Row", columns, rename=True)
