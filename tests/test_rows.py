"""rows.frame builds what pandas' constructor builds (values, dtypes, index), only from typed arrays;
table_rows and column_values read back what the table holds; tone means match pandas' groupby."""
from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from framelens.framing.sentiment import TONE_SCORES, _paragraph_means
from framelens.rows import column_values, frame, frame_from_columns, same_rows, sharing, table_rows, typed_as

SCHEMA = {"name": "str", "count": "int64", "share": "float64", "quoted": "bool"}
ROWS = [("Ilse Varn", 3, 0.5, True), ("the ferry union", 1, 0.25, False), ("Mara Quell", 0, 0.0, False)]

# (rows, schema): values that do not make the schema's dtype; pandas infers something else from them
ODD_COLUMNS = [
    ([("a", None, 0.5, True)], SCHEMA),  # an int column holding None: float64
    ([("a", 1, 2, True)], SCHEMA),  # ints in a float column: int64
    ([(None, 1, 0.5, True), (None, 2, 0.5, False)], SCHEMA),  # no string at all: object
    ([("a", 1, 0.5, 1)], SCHEMA),  # an int in a bool column: int64
    ([("a", 1, 0.5, True)], {"name": "object", "count": "int64", "share": "float64", "quoted": "bool"}),  # strings: str
]


def test_frame_equals_the_constructor():
    expected = pd.DataFrame(ROWS, columns=list(SCHEMA))
    assert_frame_equal(frame(ROWS, SCHEMA), expected, check_exact=True)
    assert [str(t) for t in frame(ROWS, SCHEMA).dtypes] == ["str", "int64", "float64", "bool"]


@pytest.mark.parametrize("rows, schema", ODD_COLUMNS)
def test_values_that_do_not_fit_the_schema_get_pandas_dtypes(rows, schema):
    assert_frame_equal(frame(rows, schema), pd.DataFrame(rows, columns=list(schema)), check_exact=True)


def test_missing_strings_and_nullable_ints():
    rows = [("a", None), (None, 4), ("c", 5)]
    built = frame(rows, {"text": "str", "paragraph": "Int64"})
    expected = pd.DataFrame({"text": ["a", None, "c"], "paragraph": pd.array([None, 4, 5], dtype="Int64")})
    assert_frame_equal(built, expected, check_exact=True)


def test_no_rows_give_pandas_empty_table():
    assert_frame_equal(frame([], SCHEMA), pd.DataFrame(columns=list(SCHEMA)))
    assert_frame_equal(frame_from_columns({c: [] for c in SCHEMA}, SCHEMA), pd.DataFrame({c: [] for c in SCHEMA}))


def test_list_cells_stay_one_cell_each():
    built = frame([("q1", [1, 2]), ("q2", [])], {"question_id": "str", "evidence": "object"})
    assert built["evidence"].tolist() == [[1, 2], []]
    assert built["evidence"].dtype == object


def test_columns_with_numpy_arrays():
    columns = {"i": np.arange(3, dtype=np.int64), "flag": np.array([True, False, True]), "text": ["x", "y", "z"]}
    schema = {"i": "int64", "flag": "bool", "text": "str"}
    assert_frame_equal(frame_from_columns(columns, schema), pd.DataFrame(columns), check_exact=True)


def test_rows_read_back_inside_and_outside_sharing():
    expected = list(pd.DataFrame(ROWS + [(None, 2, math.nan, True)], columns=list(SCHEMA)).itertuples(index=False))
    for shared in (True, False):
        with sharing() if shared else _nothing():
            table = frame(ROWS + [(None, 2, math.nan, True)], SCHEMA)
            got = _shown(table_rows(table))
            assert got == _shown(expected)
            assert repr(column_values(table, "name")) == repr(table["name"].tolist())
            assert _shown(table_rows(same_rows(table.copy(deep=False), table))) == got


def test_typed_as():
    table = frame(ROWS, SCHEMA)
    assert typed_as(table, SCHEMA)
    assert not typed_as(table.astype({"count": "float64"}), SCHEMA)
    assert not typed_as(table.drop(columns="share"), SCHEMA)


def test_paragraph_means_are_pandas_groupby_means():
    rng = random.Random(11)
    for trial in range(300):
        sizes = [rng.choice([1, 2, 3, 9, 40, 150]) for _ in range(rng.randint(1, 12))]
        paragraphs = [3 * p for p, n in enumerate(sizes) for _ in range(n)]
        if trial % 4 == 0:
            rng.shuffle(paragraphs)  # a paragraph in several runs: pandas' other summation
        scores = {s: [rng.uniform(-1, 1) for _ in paragraphs] for s in TONE_SCORES}
        if trial % 7 == 0:
            scores["pos"][0] = math.nan
        table = frame_from_columns({"paragraph": paragraphs, **scores}, {"paragraph": "int64", **dict.fromkeys(TONE_SCORES, "float64")})
        order, means = _paragraph_means(table, list(table_rows(table)))
        expected = table.groupby("paragraph", sort=False)[list(TONE_SCORES)].mean()
        assert order == expected.index.tolist()
        for score, values in zip(TONE_SCORES, means):
            np.testing.assert_array_equal(values, expected[score].to_numpy())  # bit for bit (NaN equal to NaN)


def _shown(rows) -> list[tuple[str, ...]]:
    return [tuple(f"{type(v).__name__}:{v!r}" for v in row) for row in rows]  # NaN shown equal to NaN, types compared


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
