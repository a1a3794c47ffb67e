"""Tables from rows and rows from tables at a fraction of pandas' cost on an article's small tables:
``frame`` builds a DataFrame from rows or columns with the dtypes of a schema, ``table_rows`` gives
a table's rows as namedtuples; and values derived from one table are shared by the functions that
build an article's tables."""
from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
import logging
from typing import Any, Callable, Hashable, Iterator, Mapping, NamedTuple, Sequence, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas._libs.internals import BlockPlacement
from pandas.core.arrays.string_arrow import ArrowStringArray
from pandas.core.internals.blocks import new_block
from pandas.core.internals.managers import BlockManager

log = logging.getLogger(__name__)
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


STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype
_STRING_TEMPLATE = ArrowStringArray(pa.array([], type=pa.large_string()), dtype=STR)
_NUMPY_KINDS = {"int64": np.dtype(np.int64), "float64": np.dtype(np.float64), "bool": np.dtype(bool)}
Schema = Mapping[str, str]  # column name -> "str", "int64", "float64", "bool", "Int64" (nullable) or "object", in table order


def frame(rows: Sequence[Sequence[Any]], schema: Schema) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=list(schema))`` with the dtypes of ``schema``, built from typed
    arrays at about a third of the constructor's cost (which infers each column from Python objects).

    A column whose values do not make its dtype (an int column holding None, say) falls back to
    the constructor for the whole table, so the result is always what pandas would have built;
    no rows give object columns, as pandas does. Inside ``sharing`` the Python values are kept
    for ``table_rows``, so a table read back into rows costs no pandas column reads.
    """
    if not rows:
        return _empty_frame(tuple(schema))
    table = _typed_frame(dict(zip(schema, map(list, zip(*rows)))), schema)
    return pd.DataFrame(rows, columns=list(schema)) if table is None else table


def frame_from_columns(columns: Mapping[str, Sequence[Any]], schema: Schema) -> pd.DataFrame:
    """``pd.DataFrame(columns)`` (in ``schema`` order) with ``schema``'s dtypes; see ``frame``.

    A column is a list, or a numpy array that the table then owns (not a view of another array).
    """
    columns = {name: columns[name] if isinstance(columns[name], np.ndarray) else list(columns[name]) for name in schema}
    if not columns or not len(next(iter(columns.values()))):
        return pd.DataFrame(columns)  # (pandas types a column of no values float64)
    table = _typed_frame(columns, schema)
    return pd.DataFrame(columns) if table is None else table


def same_rows(copy: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``copy`` (a shallow copy of ``table``: the same columns and values) reads its rows from ``table``'s inside ``sharing``."""
    memo = _SHARED.get()
    if memo is not None:
        for key in ("values", "rows"):
            if (id(table), key) in memo and memo[(id(table), key)][0] is table:
                memo[(id(copy), key)] = (copy, memo[(id(table), key)][1])
    return copy


def typed_as(table: pd.DataFrame, schema: Schema) -> bool:
    """Whether ``table`` has every column of ``schema`` with its dtype (a table framelens built, not read from elsewhere)."""
    built = _built(table)
    if built is not None and table.columns.is_unique:  # the arrays' dtypes, without a Series per column
        dtypes = dict(zip(table.columns, (array.dtype for array in built[1])))
        return all(name in dtypes and dtypes[name] == kind for name, kind in schema.items())
    return all(name in table.columns and table[name].dtype == kind for name, kind in schema.items())


def _typed_frame(columns: dict[str, list], schema: Schema) -> pd.DataFrame | None:
    arrays = []
    for name, kind in schema.items():
        array = _typed_array(columns[name], kind)
        if array is None:
            log.debug("column %s is not %s: the table's dtypes are inferred", name, kind)
            return None
        arrays.append(array)
    manager = _block_manager(arrays, _column_index(tuple(schema)))
    table = pd.DataFrame._from_mgr(manager, axes=manager.axes)
    memo = _SHARED.get()
    if memo is not None:
        memo[(id(table), "values")] = (table, (columns, arrays))
    return table


def _block_manager(arrays: list, columns: pd.Index) -> BlockManager:
    """The blocks ``DataFrame._from_arrays`` makes of new typed arrays (one 2-D block per numpy dtype,
    in order of first column, and one per string or object-like array), made directly: pandas'
    general path checks and groups each array again, a fixed cost per table that outweighs the rows."""
    groups: dict[Any, list[int]] = {}
    for position, array in enumerate(arrays):
        groups.setdefault(array.dtype if isinstance(array.dtype, np.dtype) else id(array), []).append(position)
    blocks = []
    for positions in groups.values():
        first = arrays[positions[0]]
        if not isinstance(first.dtype, np.dtype):  # an extension array is a block of its own
            blocks.append(new_block(first, placement=BlockPlacement(slice(positions[0], positions[0] + 1)), ndim=2))
            continue
        values = np.vstack([arrays[p] for p in positions]) if len(positions) > 1 else first.reshape(1, -1)
        placement = BlockPlacement(positions) if len(positions) > 1 else BlockPlacement(slice(positions[0], positions[0] + 1))
        blocks.append(new_block(values, placement=placement, ndim=2))
    manager = BlockManager(tuple(blocks), [columns, pd.RangeIndex(len(arrays[0]))], verify_integrity=False)
    manager._consolidate_inplace()  # (already one block per dtype: this only records it, as _from_arrays does)
    return manager


def _empty_frame(names: tuple[str, ...]) -> pd.DataFrame:
    """``pd.DataFrame(columns=names)``: object columns of no rows (what pandas makes of no rows)."""
    arrays = [np.empty(0, dtype=object) for _ in names]
    return pd.DataFrame._from_arrays(arrays, columns=_column_index(names), index=pd.RangeIndex(0), verify_integrity=False)


def _typed_array(values: "list | np.ndarray", kind: str) -> Any:
    """``values`` as an array of dtype ``kind``, or None when pandas would infer another dtype from them."""
    if kind == "str":
        try:
            array = pa.array(values, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
        # all missing: object; else pandas' own wrapper of an arrow result, without its constructor's checks
        return None if array.null_count == len(values) else _STRING_TEMPLATE._from_pyarrow_array(array)
    if kind == "object":  # lists and other non-string objects (pandas makes a column of strings "str")
        if any(isinstance(value, str) for value in values):
            return None
        array = np.empty(len(values), dtype=object)
        for i, value in enumerate(values):  # one by one: a list value must stay one cell
            array[i] = value
        return array
    if kind == "Int64":
        try:
            return pd.array(values, dtype="Int64")
        except (TypeError, ValueError):
            return None
    array = np.asarray(values)
    return array if array.dtype == _NUMPY_KINDS[kind] else None


@functools.lru_cache(maxsize=256)
def _column_index(names: tuple[str, ...]) -> pd.Index:
    return pd.Index(list(names))  # immutable, so one Index serves every table with these columns


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
    return tuple(map(row._make, zip(*_column_values(table))))


def _column_values(table: pd.DataFrame) -> list[list]:
    """Each column's ``tolist()``: from the values ``frame`` built the table from, if it did."""
    built = _built(table)
    if built is None:
        return [table[column].tolist() for column in table.columns]
    return [_python_values(values, array) for values, array in zip(*built)]


def column_values(table: pd.DataFrame, column: str) -> list:
    """``table[column].tolist()``, from the values ``frame`` built the table from when it did (inside
    ``sharing``; then the list may be the table's own: read it, do not change it)."""
    built = _built(table)
    if built is None or not table.columns.is_unique:
        return table[column].tolist()
    position = table.columns.get_loc(column)
    return _python_values(built[0][position], built[1][position])


def _built(table: pd.DataFrame) -> tuple[list[list], list] | None:
    """(the values, the arrays) of each column of a table ``frame`` built inside this ``sharing`` block."""
    memo = _SHARED.get()
    built = memo.get((id(table), "values")) if memo is not None else None
    if built is None or built[0] is not table:
        return None
    columns, arrays = built[1]
    return list(columns.values()), arrays


def _python_values(values: list, array: Any) -> list:
    if isinstance(array, ArrowStringArray) and not array._pa_array.null_count:
        return values  # the strings themselves (missing ones would read as NaN)
    return array.tolist()


@functools.lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...]) -> type:
    return collections.namedtuple("Row", columns, rename=True)
