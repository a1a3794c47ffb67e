"""Tables for the terminal: text left, numbers right, long cells cut to the width, hostile cells inert."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from framelens.display import ELLIPSIS, emit, plain_table

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG = "The harbour board said the repairs to the sea wall would take most of the coming winter " * 3
TABLE = pd.DataFrame({
    "speaker": ["Joanna Pike", "a port official"],
    "paragraph": [3, 12],
    "share": [0.5, 0.125],
    "text": [LONG, "short"],
})


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_text_left_numbers_right_and_every_line_fits():
    lines = plain_table(TABLE, width=72).splitlines()
    assert all(len(line) <= 72 for line in lines)
    header, first, second = lines
    assert header.startswith("speaker") and first.startswith("Joanna Pike ") and second.startswith("a port official")
    assert first.endswith(ELLIPSIS) and second.endswith("short")
    # numbers end in the same column as their header (right-aligned), floats with one number of decimals
    for name, values in (("paragraph", (" 3", "12")), ("share", ("0.500", "0.125"))):
        end = header.index(name) + len(name)
        assert first[end - len(values[0]) : end] == values[0] and second[end - len(values[1]) : end] == values[1]


def test_wide_keeps_every_cell_whole():
    text = plain_table(TABLE, width=None)
    assert LONG.strip() in text and ELLIPSIS not in text


def test_numbers_are_never_cut_even_when_the_width_is_tiny():
    table = pd.DataFrame({"start_char": [1234567], "end_char": [1234999], "text": [LONG]})
    line = plain_table(table, width=20).splitlines()[1]
    assert _cells(line)[:2] == ["1234567", "1234999"]


def test_hostile_cells_stay_on_one_line_and_inert():
    table = pd.DataFrame({"note": ["red\x1b[31m alert\nsecond line\ttab", "[bold]markup[/bold] :smile:"], "n": [1, 2]})
    text = plain_table(table, width=80)
    assert "\x1b" not in text and "\n" not in text.splitlines()[1] and len(text.splitlines()) == 3
    assert "[bold]markup[/bold] :smile:" in text


def test_wide_characters_are_measured_in_terminal_cells():
    from rich.cells import cell_len

    table = pd.DataFrame({"name": ["東京の港湾局" * 10], "n": [7]})
    lines = plain_table(table, width=30).splitlines()
    assert all(cell_len(line) <= 30 for line in lines) and lines[1].endswith("7")


def test_a_terminal_gets_a_rich_table_fitted_to_its_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    out = Terminal()
    emit(TABLE.assign(speaker=["[red]Joanna Pike[/red]", "a port official"]), "table", out=out)
    lines = ANSI.sub("", out.getvalue()).rstrip("\n").splitlines()
    assert all(len(line) <= 70 for line in lines)
    header, first, second = lines
    assert header.startswith("speaker") and first.startswith("[red]Joanna Pike[/red]")  # as written, not read as markup
    assert first.rstrip().endswith(ELLIPSIS) and "0.500" in first and " 12 " in second


def test_a_terminal_with_wide_folds_long_cells_instead_of_cutting(monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    out = Terminal()
    emit(TABLE, "table", out=out, wide=True)
    text = ANSI.sub("", out.getvalue())
    assert ELLIPSIS not in text and "".join(text.split()).count("".join(LONG.split())) == 1


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_are_never_cut(fmt, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    out = io.StringIO()
    emit(TABLE, fmt, out=out)
    assert LONG.strip() in out.getvalue()


def test_no_rows():
    out = io.StringIO()
    emit(TABLE.iloc[:0], "table", out=out)
    assert out.getvalue() == "(no rows)\n"
