"""CSV for spreadsheets: formula-looking cells neutralised (OWASP), text restored exactly on reading."""
from __future__ import annotations

import pandas as pd
import pytest

from framelens.csvfiles import read_csv, spreadsheet_restore, spreadsheet_safe, write_csv
from framelens.runner import save_table

HOSTILE = ['=HYPERLINK("http://example.com","x")', "+1 more", "-2 points", "@SUM(A1)", "\tTab", "\rCR", "'quoted", "plain", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_round_trip_is_exact(value):
    assert spreadsheet_restore(spreadsheet_safe(value)) == value


def test_report_tables_cannot_run_as_formulas(tmp_path):
    table = pd.DataFrame({"text": HOSTILE, "compound": [-0.5] * len(HOSTILE)})
    path = save_table(table, tmp_path, "tone_sentences")
    cells = pd.read_csv(path, keep_default_na=False, dtype=str)["text"]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert pd.read_csv(path)["compound"].tolist() == [-0.5] * len(HOSTILE)  # numbers stay numbers
    assert read_csv(path)["text"].tolist() == HOSTILE


def test_write_csv_keeps_booleans_and_numbers(tmp_path):
    table = pd.DataFrame({"flag": [True, False], "n": [-1, 2], "s": ["-x", "y"]})
    back = read_csv(write_csv(table, tmp_path / "t.csv"))
    assert back["flag"].tolist() == [True, False] and back["n"].tolist() == [-1, 2] and back["s"].tolist() == ["-x", "y"]
