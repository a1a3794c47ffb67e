"""The corpus store: one Parquet dataset per table, written in parts, and read back through DuckDB.

Layout of a corpus directory::

    <out>/articles/part-000000.parquet     the ledger: one row per input article (status, fingerprint)
    <out>/<table>/part-000000.parquet      rows of the same articles for every other table
    <out>/errors/part-000000.parquet       articles that could not be analysed, with the reason

Each batch of articles is one *part*: its table files are written first (each atomically), its
``articles`` file last. A part is committed when its ``articles`` file exists; table files of a
part without one are leftovers of an interrupted run and are removed (``recover``), so a killed
run loses at most the part it was writing.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import FramelensError

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)

LEDGER = "articles"
PART_RE = re.compile(r"^part-(\d{6})\.parquet$")
TABLE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LedgerRow:
    """What the store knows about one analysed (or failed) article."""

    article_id: str
    fingerprint: str
    status: str
    part: str


class CorpusStore:
    """The Parquet datasets of one corpus directory."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    # --- writing --------------------------------------------------------------------------------

    def recover(self) -> int:
        """Remove table parts (and temporary files) of parts that were never committed.

        Returns how many files were removed.
        """
        committed = self.committed_parts()
        removed = 0
        for directory in self._table_dirs():
            for file in directory.iterdir():
                stale_tmp = file.name.startswith(".") and file.name.endswith(".tmp")
                orphan = PART_RE.match(file.name) and file.name not in committed and directory.name != LEDGER
                if stale_tmp or orphan:
                    file.unlink()
                    removed += 1
        if removed:
            log.info("removed %d files of an interrupted run in %s", removed, self.root)
        return removed

    def next_part(self) -> str:
        """The name of the next part: one past the highest part number in any table."""
        numbers = [int(m.group(1)) for d in self._table_dirs() for f in d.iterdir() if (m := PART_RE.match(f.name))]
        return f"part-{max(numbers, default=-1) + 1:06d}.parquet"

    def write_part(self, part: str, tables: dict[str, pd.DataFrame]) -> None:
        """Write one part: every table (an empty one as its columns), the ledger table last (the commit)."""
        for name in sorted(tables, key=lambda n: n == LEDGER):
            if not TABLE_NAME_RE.match(name):
                raise FramelensError(f"table name {name!r} cannot be a dataset name")
            write_parquet(tables[name], self.root / name / part)

    def drop_parts(self, parts: set[str]) -> None:
        """Remove whole parts: un-commit them first (ledger file), then their table files."""
        for part in sorted(parts):
            (self.root / LEDGER / part).unlink(missing_ok=True)
        for directory in self._table_dirs():
            for part in parts:
                (directory / part).unlink(missing_ok=True)

    # --- reading --------------------------------------------------------------------------------

    def committed_parts(self) -> set[str]:
        ledger = self.root / LEDGER
        return {f.name for f in ledger.iterdir() if PART_RE.match(f.name)} if ledger.is_dir() else set()

    def ledger(self) -> dict[str, LedgerRow]:
        """article_id -> LedgerRow for every committed article."""
        if not self.committed_parts():
            return {}
        con = connect()
        rows = con.execute(
            f"SELECT article_id, fingerprint, status, filename FROM read_parquet({_glob(self.root / LEDGER)}, "
            "union_by_name = true, filename = true)"
        ).fetchall()
        return {r[0]: LedgerRow(r[0], r[1], r[2], Path(r[3]).name) for r in rows}

    def table_names(self) -> list[str]:
        """Names of the datasets that hold at least one committed part."""
        return sorted(d.name for d in self._table_dirs() if any(PART_RE.match(f.name) for f in d.iterdir()))

    def _table_dirs(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [d for d in self.root.iterdir() if d.is_dir() and TABLE_NAME_RE.match(d.name)]


def write_parquet(table: pd.DataFrame, target: Path) -> None:
    """Write ``table`` to ``target`` atomically (a temporary file renamed into place)."""
    import pyarrow.parquet as pq

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(to_arrow(table), tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def to_arrow(table: pd.DataFrame) -> Any:
    """A pyarrow Table of ``table``; object columns of mixed types are stored as text."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(table, preserve_index=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        fixed = table.copy()
        for column in fixed.columns:
            if fixed[column].dtype == object:
                fixed[column] = fixed[column].map(lambda v: None if v is None else str(v))
        return pa.Table.from_pandas(fixed, preserve_index=False)


def connect() -> "duckdb.DuckDBPyConnection":
    """A new in-memory DuckDB connection."""
    import duckdb

    return duckdb.connect(":memory:")


def _glob(directory: Path) -> str:
    """SQL string literal of the glob of a dataset's parts."""
    return "'" + str(directory / "part-*.parquet").replace("'", "''") + "'"


def create_views(con: "duckdb.DuckDBPyConnection", root: Path, names: list[str]) -> None:
    """One view per dataset, named after it, reading all its parts (columns united by name)."""
    for name in names:
        con.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM read_parquet({_glob(root / name)}, union_by_name = true)')
