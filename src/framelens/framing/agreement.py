"""Checking the frame answers against human coders: blank coding sheet, reading it back, percent
agreement, Cohen's kappa (pairwise) and Krippendorff's alpha (all coders)."""
from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import FramelensError
from ..rows import table_rows

log = logging.getLogger(__name__)

CODER_COLUMNS = ["question_id", "frame", "question", "answer", "coder", "note"]
MACHINE = "machine"
# Columns of answer_matrix besides one per coder: no coder may take these names.
MATRIX_COLUMNS = ("question_id", "frame", MACHINE, "agree")
PAIR_COLUMNS = ["coder_a", "coder_b", "n", "percent_agreement", "kappa", "alpha"]
_YES = {"yes", "y", "true", "1", "ja", "x"}
_NO = {"no", "n", "false", "0", "nein"}


def coder_template(answers: pd.DataFrame) -> pd.DataFrame:
    """A blank coding sheet for a human coder, one row per question of ``answers``.

    The machine's answers are left out so the coder codes blind. Save it with
    ``coder_template(answers).to_csv(path, index=False)``; the coder fills answer (yes/no),
    coder (a name or initials) and note.

    Returns:
        DataFrame with columns question_id, frame, question, answer, coder, note (the last three
        empty strings).
    """
    sheet = answers[["question_id", "frame", "question"]].copy()
    for column in ("answer", "coder", "note"):
        sheet[column] = ""
    return sheet[CODER_COLUMNS].reset_index(drop=True)


def read_coder_answers(path: Path | str) -> pd.DataFrame:
    """Read a coding sheet (see ``coder_template``) filled in by a human coder.

    Answers may be yes/no, y/n, true/false or 1/0 (any case); a blank answer means the question
    was not coded.

    Returns:
        DataFrame with columns question_id, answer (bool, or <NA> when blank), coder, note, plus
        frame and question when the sheet has them.

    Raises:
        FramelensError: when the file is missing, lacks question_id/answer, or has an answer
            that is not yes or no.
    """
    path = Path(path)
    if not path.is_file():
        raise FramelensError(f"{path}: no such coding sheet")
    try:
        sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise FramelensError(f"{path}: not a readable CSV coding sheet ({exc.__class__.__name__})") from exc
    missing = [c for c in ("question_id", "answer") if c not in sheet.columns]
    if missing:
        raise FramelensError(f"{path}: coding sheet lacks column(s) {', '.join(missing)}; start from coder_template()")
    values = []
    for n, raw in enumerate(sheet["answer"], start=2):
        value = str(raw).strip().lower()
        if value in _YES:
            values.append(True)
        elif value in _NO:
            values.append(False)
        elif value == "":
            values.append(pd.NA)
        else:
            raise FramelensError(f"{path}, line {n}: answer {raw!r} is neither yes nor no")
    sheet["answer"] = pd.array(values, dtype="boolean")
    for column in ("coder", "note"):
        if column not in sheet.columns:
            sheet[column] = ""
    sheet["question_id"] = sheet["question_id"].str.strip()
    columns = ["question_id", "answer", "coder", "note"] + [c for c in ("frame", "question") if c in sheet.columns]
    return sheet[columns]


def _to_bool(value: Any) -> Any:
    """True/False for yes/no-like values, <NA> for blanks; FramelensError otherwise."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return pd.NA
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text == "":
        return pd.NA
    raise FramelensError(f"coder answer {value!r} is neither yes nor no")


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float:
    """Cohen's kappa of two coders' yes/no answers to the same items.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e the agreement
    expected from each coder's share of yes. NaN when p_e is 1 (both coders gave one and the
    same answer to every item: kappa is undefined) or when there are no items.
    """
    a, b = [bool(x) for x in a], [bool(x) for x in b]
    if len(a) != len(b):
        raise FramelensError(f"cohen_kappa: {len(a)} answers vs {len(b)} answers; pair them by question")
    n = len(a)
    if n == 0:
        return float("nan")
    p_o = sum(x == y for x, y in zip(a, b)) / n
    ya, yb = sum(a) / n, sum(b) / n
    p_e = ya * yb + (1 - ya) * (1 - yb)
    if p_e >= 1:
        return float("nan")
    return (p_o - p_e) / (1 - p_e)


def coder_agreement(machine: pd.DataFrame, human: pd.DataFrame) -> pd.DataFrame:
    """Compare the machine's answers (``frames``) with a human coder's (``read_coder_answers``).

    Questions the coder left blank are skipped. The overall figures are stored in the result's
    ``attrs``: ``n`` (questions compared), ``percent_agreement`` (0..100) and ``kappa``
    (Cohen's kappa, see ``cohen_kappa``); ``agreement_summary`` returns them as a dict.

    Returns:
        DataFrame with columns question_id, frame, machine (bool), human (bool), agree (bool),
        in the machine's question order.

    Raises:
        FramelensError: when the human sheet answers a question twice (several coders: select
            one coder's rows first) or shares no question with the machine's answers.
    """
    human = human.assign(answer=[_to_bool(v) for v in human["answer"]])
    coded = human[human["answer"].notna()]
    duplicated = coded["question_id"][coded["question_id"].duplicated()]
    if not duplicated.empty:
        raise FramelensError(
            f"coding sheet answers {', '.join(sorted(set(duplicated)))} more than once; "
            "compare one coder at a time (human[human.coder == name])"
        )
    answers = dict(zip(coded["question_id"], coded["answer"]))
    extra = set(answers) - set(machine["question_id"])
    if extra:
        log.warning("coding sheet has questions the machine did not answer: %s", ", ".join(sorted(extra)))
    rows = [
        (q.question_id, q.frame, bool(q.answer), bool(answers[q.question_id]), bool(q.answer) == bool(answers[q.question_id]))
        for q in table_rows(machine)
        if q.question_id in answers
    ]
    if not rows:
        raise FramelensError("the coding sheet shares no answered question with the machine's answers; check question_id values")
    table = pd.DataFrame(rows, columns=["question_id", "frame", "machine", "human", "agree"])
    table.attrs.update(agreement_summary(table))
    return table


def agreement_summary(agreement: pd.DataFrame) -> dict[str, float]:
    """Overall agreement of a ``coder_agreement`` table.

    Returns:
        dict with n (questions compared), percent_agreement (0..100), kappa (Cohen's kappa) and
        alpha (Krippendorff's alpha, see ``krippendorff_alpha``).
    """
    n = len(agreement)
    return {
        "n": n,
        "percent_agreement": 100.0 * float(agreement["agree"].mean()) if n else float("nan"),
        "kappa": cohen_kappa(agreement["machine"], agreement["human"]),
        "alpha": krippendorff_alpha(agreement, ["machine", "human"]),
    }


def krippendorff_alpha(matrix: pd.DataFrame, coders: Sequence[str]) -> float:
    """Krippendorff's alpha (nominal) of the ``coders`` columns of ``matrix``, one row per question.

    Blank answers (<NA>) are missing values, as alpha allows. NaN when alpha is undefined: fewer
    than two answers to any question, or one and the same answer throughout.
    """
    import krippendorff

    data = np.array([[np.nan if pd.isna(v) else float(bool(v)) for v in matrix[c]] for c in coders], dtype=float)
    paired = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, paired]
    if values.size == 0 or len(np.unique(values[~np.isnan(values)])) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))


def split_coders(sheets: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """One table per human coder from ``read_coder_answers`` sheets keyed by a sheet name.

    A sheet's rows go to the coder named in its ``coder`` column; rows with a blank coder to the
    sheet's name. So one sheet may hold several coders, and several sheets one coder each.

    Returns:
        dict coder name -> DataFrame (question_id, answer), answered rows only, in sheet order.

    Raises:
        FramelensError: a coder answers a question twice, two sheets give the same coder name,
            or a coder takes a name of the matrix's own columns (``MATRIX_COLUMNS``).
    """
    coders: dict[str, pd.DataFrame] = {}
    origin: dict[str, str] = {}
    for sheet_name, sheet in sheets.items():
        named = sheet.assign(coder=[str(c).strip() or sheet_name for c in sheet["coder"]])
        for coder, rows in named.groupby("coder", sort=False):
            _check_coder(coder, sheet_name, origin)
            coded = rows[rows["answer"].notna()]
            twice = sorted(set(coded["question_id"][coded["question_id"].duplicated()]))
            if twice:
                raise FramelensError(f"{sheet_name}: coder {coder!r} answers {', '.join(twice)} more than once")
            coders[coder], origin[coder] = coded[["question_id", "answer"]], sheet_name
    return coders


def _check_coder(coder: str, sheet_name: str, origin: Mapping[str, str]) -> None:
    if coder in MATRIX_COLUMNS:
        raise FramelensError(f"{sheet_name}: coder name {coder!r} is taken by a column of the comparison; rename the coder")
    if coder in origin:
        raise FramelensError(f"{sheet_name} and {origin[coder]} both name coder {coder!r}; give each coder its own name in the coder column")


def answer_matrix(machine: pd.DataFrame, coders: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The machine's and every coder's answers side by side, one row per question.

    Args:
        machine: ``frames`` output (question_id, frame, answer).
        coders: ``split_coders`` output.

    Returns:
        DataFrame with columns question_id, frame, machine (bool), one boolean column per coder
        (<NA> where that coder left the question blank) and agree (True when every answer given
        is the same), in the machine's question order; questions no coder answered are left out.

    Raises:
        FramelensError: no coder answered any of the machine's questions.
    """
    table = machine[["question_id", "frame"]].reset_index(drop=True)
    table[MACHINE] = machine["answer"].astype(bool).to_numpy()
    for coder, rows in coders.items():
        answers = dict(zip(rows["question_id"], rows["answer"]))
        table[coder] = pd.array([answers.get(q, pd.NA) for q in table["question_id"]], dtype="boolean")
        extra = set(answers) - set(table["question_id"])
        if extra:
            log.warning("coder %s answers questions the machine did not: %s", coder, ", ".join(sorted(extra)))
    humans = list(coders)
    table = table[table[humans].notna().any(axis=1)].reset_index(drop=True)
    if table.empty:
        raise FramelensError("the coding sheets share no answered question with the machine's answers; check question_id values")
    table["agree"] = [row.dropna().nunique() == 1 for _, row in table[[MACHINE, *humans]].iterrows()]
    return table


def pairwise_agreement(matrix: pd.DataFrame, coders: Sequence[str]) -> pd.DataFrame:
    """Percent agreement, Cohen's kappa and Krippendorff's alpha for every pair of ``coders``
    (columns of ``matrix``), each pair compared over the questions both answered.

    Returns:
        DataFrame with columns coder_a, coder_b, n (questions both answered), percent_agreement
        (0..100, NaN when n is 0), kappa (``cohen_kappa``) and alpha (``krippendorff_alpha`` of
        the two), one row per pair in coder order.
    """
    rows = []
    for i, a in enumerate(coders):
        for b in coders[i + 1 :]:
            both = matrix[[a, b]].dropna()
            n = len(both)
            same = (both[a].astype(bool) == both[b].astype(bool)).mean() if n else math.nan
            rows.append((a, b, n, 100.0 * float(same), cohen_kappa(both[a], both[b]), krippendorff_alpha(both, [a, b])))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)
