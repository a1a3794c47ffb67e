"""CSV files that are safe to open in a spreadsheet, and read back to the exact text.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice (CSV injection); OWASP's advice is to prefix it with a single quote, which
spreadsheets show as plain text. Cells that already start with a quote get one too, so reading
removes exactly one leading quote from every quoted cell and the original text comes back.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_STARTS = (*FORMULA_STARTS, "'")


def spreadsheet_safe(value: object) -> object:
    """``value`` with a leading quote if it is a string a spreadsheet would run as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(_ESCAPED_STARTS) else value


def spreadsheet_restore(value: object) -> object:
    """Undo ``spreadsheet_safe``."""
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def write_csv(table: pd.DataFrame, path: Path | str) -> Path:
    """Write ``table`` as CSV (no index, CRLF rows) with every text cell made spreadsheet-safe."""
    safe = table.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and not pd.api.types.is_bool_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    safe.to_csv(path, index=False, lineterminator="\r\n")  # RFC 4180; a CR inside a cell is then quoted
    return Path(path)


def read_csv(path: Path | str) -> pd.DataFrame:
    """Read a CSV written by ``write_csv``: empty text cells come back as "" (not NaN), numbers
    stay numeric, escaped cells lose their quote."""
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].fillna("").map(spreadsheet_restore)
    return table
