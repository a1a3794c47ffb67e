"""Checking the frame answers against a human coder: blank coding sheet, reading it back, Cohen's kappa."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from ..errors import FramelensError

log = logging.getLogger(__name__)

CODER_COLUMNS = ["question_id", "frame", "question", "answer", "coder", "note"]
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
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
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
        for q in machine.itertuples(index=False)
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
        dict with n (questions compared), percent_agreement (0..100) and kappa (Cohen's kappa).
    """
    n = len(agreement)
    return {
        "n": n,
        "percent_agreement": 100.0 * float(agreement["agree"].mean()) if n else float("nan"),
        "kappa": cohen_kappa(agreement["machine"], agreement["human"]),
    }
