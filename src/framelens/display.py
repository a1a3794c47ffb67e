"""Printing tables for people and programs: aligned text for a terminal, CSV, JSON records."""
from __future__ import annotations

import math
import os
import sys
from typing import IO, TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is printed: `framelens report` prints none

FORMATS = ("table", "csv", "json")
ELLIPSIS = "…"
GAP = "  "  # between plain-text columns
MIN_TEXT_WIDTH = 8  # a text column is never cut below this (or below its header)
MAX_DECIMALS = 3


def one_line(message: object) -> str:
    """``message`` on one line, without invisible or bidi control characters (file names can hold both)."""
    from .inputs import neutralise_invisible

    return " ".join(neutralise_invisible(str(message)).split())


def emit(table: pd.DataFrame, fmt: str, *, wide: bool = False, out: IO[str] | None = None) -> None:
    """Print a DataFrame as CSV, JSON records, or (``table``) a table fitted to the terminal.

    The table is drawn with rich when ``out`` is a terminal, as plain text otherwise; long text
    cells are cut with an ellipsis to fit the terminal's width unless ``wide``.
    """
    out = out or sys.stdout
    if fmt == "csv":
        table.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        out.write(table.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    elif table.empty:
        out.write("(no rows)\n")
    elif out.isatty():
        _print_rich(table, out, wide=wide)
    else:
        out.write(plain_table(table, width=None if wide else terminal_width()) + "\n")


def terminal_width() -> int:
    """Columns of the terminal: ``COLUMNS`` when set, else the terminal of stdout, stderr or stdin
    (so ``framelens quotes x | less`` still fits the screen), else 80."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    for fd in (1, 2, 0):
        try:
            return os.get_terminal_size(fd).columns
        except OSError:
            continue
    return 80


def numeric_columns(table: pd.DataFrame) -> list[bool]:
    """Per column: whether it holds numbers (right-aligned); booleans are not numbers here."""
    import pandas as pd

    return [
        pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype) for dtype in table.dtypes
    ]


def cell_texts(table: pd.DataFrame) -> list[list[str]]:
    """Every column as display strings: one line each, floats with a common number of decimals."""
    return [_column_texts(table[c]) for c in table.columns]


def _column_texts(column: pd.Series) -> list[str]:
    import pandas as pd

    if pd.api.types.is_float_dtype(column.dtype):
        decimals = max((_decimals(v) for v in column if _present(v)), default=1)  # at least one: 1.0 reads as a score
        return [f"{v:.{decimals}f}" if _present(v) else "" for v in column]
    return [_cell_text(v) for v in column]


def _decimals(value: float) -> int:
    """Decimals needed to show ``value`` rounded to MAX_DECIMALS places (at least 1)."""
    text = f"{value:.{MAX_DECIMALS}f}".rstrip("0")
    return max(len(text.split(".")[1]), 1)


def _present(value: Any) -> bool:
    import pandas as pd

    return not (value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)))


def _cell_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell_text(v) for v in value)
    return one_line(value) if _present(value) else ""


def plain_table(table: pd.DataFrame, *, width: int | None) -> str:
    """The table as aligned plain text: text left, numbers right, header on top.

    With a ``width``, the widest text columns are cut (ending in an ellipsis) until every line
    fits in it; number columns are never cut. None: every cell in full.
    """
    headers, columns, numeric, natural = _layout(table)
    widths = natural if width is None else _fit(natural, headers, numeric, width, gap=len(GAP))
    lines = [_line(headers, widths, numeric)]
    lines += [_line(row, widths, numeric) for row in zip(*columns)]
    return "\n".join(lines)


def _layout(table: pd.DataFrame) -> tuple[list[str], list[list[str]], list[bool], list[int]]:
    """Headers, cell texts by column, which columns are numbers, and each column's full width."""
    from rich.cells import cell_len

    headers, columns = [one_line(c) for c in table.columns], cell_texts(table)
    natural = [max([cell_len(h)] + [cell_len(v) for v in col]) for h, col in zip(headers, columns)]
    return headers, columns, numeric_columns(table), natural


def _fit(natural: Sequence[int], headers: Sequence[str], numeric: Sequence[bool], width: int, *, gap: int) -> list[int]:
    """Column widths within ``width`` (``gap`` between columns): text columns share what numbers
    leave, the widest cut first; a text column keeps its header whole when there is room for it."""
    from rich.cells import cell_len

    available = width - gap * (len(natural) - 1)
    floors = [n if num else min(n, max(cell_len(h), MIN_TEXT_WIDTH)) for n, h, num in zip(natural, headers, numeric)]
    if sum(floors) > available:
        floors = [n if num else min(n, MIN_TEXT_WIDTH) for n, num in zip(natural, numeric)]
    cap = max(natural, default=0)
    while cap > 0 and sum(max(min(n, cap), f) for n, f in zip(natural, floors)) > available:
        cap -= 1
    return [max(min(n, cap), f) for n, f in zip(natural, floors)]


def _line(cells: Sequence[str], widths: Sequence[int], numeric: Sequence[bool]) -> str:
    from rich.cells import cell_len, set_cell_size

    parts = []
    for text, width, right in zip(cells, widths, numeric):
        if cell_len(text) > width:
            text = set_cell_size(text, width - 1).rstrip() + ELLIPSIS
        pad = " " * (width - cell_len(text))
        parts.append(pad + text if right else text + pad)
    return GAP.join(parts).rstrip()


def _print_rich(table: pd.DataFrame, out: IO[str], *, wide: bool) -> None:
    """A rich table on a terminal; cells are Text, so brackets in an article are never markup.

    Column widths come from ``_fit`` (rich alone would squeeze the number columns first).
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, markup=False, emoji=False, highlight=False, soft_wrap=False)
    headers, columns, numeric, natural = _layout(table)
    widths = natural if wide else _fit(natural, headers, numeric, console.width, gap=len(GAP))
    # no box: its blank divider would cost a column per gap; the header stands out in bold and underlined
    view = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold underline")
    for header, width, right in zip(headers, widths, numeric):
        view.add_column(
            Text(header), justify="right" if right else "left", no_wrap=not wide or right,
            overflow="fold" if wide else "ellipsis", min_width=width if right else None, max_width=None if wide else width,
        )
    for row in zip(*columns):
        view.add_row(*(Text(cell) for cell in row))
    console.print(view)
