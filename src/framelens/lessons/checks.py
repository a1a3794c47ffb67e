"""Generic lesson self-checks: each checker prints a one-line verdict and returns a CheckResult.

They know nothing about a particular lesson: the answers they compare with come from
``lessons.answers``.
"""
from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

# --- verdicts ------------------------------------------------------------------------------------
#
# The checkers are the one place in framelens that prints: a lesson's self-check cell exists to
# show its verdict to the student. Every checker also returns a CheckResult, never raises on a
# wrong answer or a wrong type, and says "not answered yet" while the answer is still None.

CORRECT = "correct"
WRONG = "wrong"
WRONG_TYPE = "wrong_type"
UNANSWERED = "unanswered"
UNCHECKABLE = "uncheckable"

# Text marks in ASCII, not emoji: they render in every font (an exported lesson in a browser
# without an emoji font showed empty boxes), in a terminal and to a screen reader.
_MARKS = {
    CORRECT: "(+) correct",
    WRONG: "(x) not yet",
    WRONG_TYPE: "(x) not yet",
    UNANSWERED: "(?) not answered yet",
    UNCHECKABLE: "(-) cannot be checked on this article",
}
_UNANSWERED_TEXT = "replace None in the answer cell above with your answer, then run both cells again"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one self-check.

    ``status`` is one of correct, wrong, wrong_type, unanswered, uncheckable; ``message`` is the
    verdict line the checker printed; ``details`` an optional table (``check_coding`` puts the
    question-by-question comparison there).
    """

    status: str
    message: str
    details: pd.DataFrame | None = None

    @property
    def correct(self) -> bool:
        """True when the answer was accepted."""
        return self.status == CORRECT

    def __repr__(self) -> str:
        return f"CheckResult(status={self.status!r})"


# Characters that break a line; a verdict always prints as one line, so a student's answer that
# holds one ("0\n0") is shown escaped.
_LINE_BREAKS = {ord(c): c.encode("unicode_escape").decode("ascii") for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def _verdict(status: str, text: str = "", details: pd.DataFrame | None = None) -> CheckResult:
    message = _MARKS[status] + (f" — {text.translate(_LINE_BREAKS)}" if text else "")
    print(message)
    return CheckResult(status, message, details)


def _unanswered(unavailable: str = "") -> CheckResult:
    note = f" (note: this article cannot check it: {unavailable})" if unavailable else ""
    return _verdict(UNANSWERED, _UNANSWERED_TEXT + note)


def _type_name(value: Any) -> str:
    return type(value).__name__


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not _missing(value)


def _norm(text: str) -> str:
    """Comparable form of a short text answer: case-folded, apostrophes unified, outer quotes,
    punctuation and a leading "the" removed, whitespace collapsed."""
    text = str(text).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = " ".join(text.split()).strip(" \"'.,;:!?()[]").casefold()
    return re.sub(r"^the\s+", "", text)


def _with_hint(text: str, hint: str) -> str:
    return f"{text}. Hint: {hint}" if hint else text


def check_number(answer: Any, expected: float | None, *, tolerance: float = 0, hint: str = "", unavailable: str = "") -> CheckResult:
    """Check a numeric answer against ``expected`` (within ``tolerance``).

    Args:
        answer: the student's answer; None means not answered yet.
        expected: the value computed from the article; None when the article cannot provide one.
        tolerance: largest accepted absolute difference (0: exact).
        hint: shown with a wrong answer.
        unavailable: why ``expected`` is None (shown instead of a verdict).

    Returns:
        CheckResult; its message was printed.
    """
    if _missing(answer):
        return _unanswered(unavailable if _missing(expected) else "")
    if _missing(expected):
        return _verdict(UNCHECKABLE, unavailable or "the article gives no value to compare with")
    if not _is_number(answer):
        extra = " (write the number without quote marks)" if isinstance(answer, str) else ""
        return _verdict(WRONG_TYPE, f"expected a number (int or float), got {_type_name(answer)} {_shown(answer)}{extra}")
    expected = float(expected)
    if abs(float(answer) - expected) <= tolerance + 1e-9:
        within = f" (within ±{tolerance:g} of the computed value)" if tolerance else ""
        return _verdict(CORRECT, f"{answer:g}{within}")
    direction = "too high" if answer > expected else "too low"
    return _verdict(WRONG, _with_hint(f"{answer:g} is {direction}", hint))


def _as_options(options: Any) -> list[Any]:
    if _missing(options):
        return []
    if isinstance(options, (str, numbers.Real)):
        return [options]
    return [o for o in options if not _missing(o)]


def check_choice(answer: Any, options_expected: Any, *, hint: str = "", unavailable: str = "") -> CheckResult:
    """Check an answer that must be one of the accepted options.

    Text is compared case-insensitively, ignoring outer quotes, punctuation and a leading "the";
    numbers are compared numerically.

    Args:
        answer: the student's answer (a string, or a number when the options are numbers).
        options_expected: the accepted answer, or a collection of accepted answers (ties, or
            several ways of writing one name). Empty or None: the article cannot check it.
        hint: shown with a wrong answer.
        unavailable: why there is nothing to compare with.

    Returns:
        CheckResult; its message was printed.
    """
    options = _as_options(options_expected)
    if _missing(answer):
        return _unanswered(unavailable if not options else "")
    if not options:
        return _verdict(UNCHECKABLE, unavailable or "the article gives no answer to compare with")
    numeric = all(_is_number(o) for o in options)
    if numeric:
        if not _is_number(answer):
            return _verdict(WRONG_TYPE, f"expected a number, got {_type_name(answer)} {_shown(answer)}")
        if any(math.isclose(float(answer), float(o), abs_tol=1e-9) for o in options):
            return _verdict(CORRECT, f"{answer:g}")
        return _verdict(WRONG, _with_hint(f"{answer:g} is not it", hint))
    if not isinstance(answer, str):
        return _verdict(WRONG_TYPE, f"expected a text answer (a str in quote marks), got {_type_name(answer)} {_shown(answer)}")
    if not answer.strip():
        return _unanswered(unavailable if not options else "")
    accepted = {_norm(o) for o in options}
    if _norm(answer) in accepted:
        return _verdict(CORRECT, repr(answer.strip()))
    return _verdict(WRONG, _with_hint(f"{answer.strip()!r} is not it", hint))


def check_set(
    answer: Any,
    expected: Iterable[Any] | None,
    *,
    min_overlap: float = 1.0,
    allow_extra: bool = False,
    hint: str = "",
    unavailable: str = "",
) -> CheckResult:
    """Check an answer that is a collection of items (names, ids) against the expected items.

    Args:
        answer: a list, tuple or set of strings; None means not answered yet.
        expected: the items computed from the article (None: the article cannot check it; an
            empty collection: the right answer is ``[]``).
        min_overlap: share of the expected items the answer must name (1.0: all of them).
        allow_extra: accept items that are not expected.
        hint: shown with a wrong answer.
        unavailable: why ``expected`` is None.

    Returns:
        CheckResult; its message was printed.
    """
    if _missing(answer):
        return _unanswered(unavailable if expected is None else "")
    if expected is None:
        return _verdict(UNCHECKABLE, unavailable or "the article gives no answer to compare with")
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (list, tuple, set, frozenset, pd.Series)):
        return _verdict(
            WRONG_TYPE, f"expected a list of strings such as ['a', 'b'] (or [] for none), got {_type_name(answer)} {_shown(answer)}"
        )
    items = list(answer)
    bad = [x for x in items if not isinstance(x, str)]
    if bad:
        return _verdict(WRONG_TYPE, f"every item should be a string in quote marks; {_shown(bad[0])} is {_type_name(bad[0])}")
    wanted = {_norm(x) for x in expected}
    given = {_norm(x): x for x in items}
    hits = wanted & set(given)
    extras = [given[k] for k in given if k not in wanted]
    share = len(hits) / len(wanted) if wanted else (1.0 if not given else 0.0)
    if share >= min_overlap - 1e-9 and (allow_extra or not extras):
        return _verdict(CORRECT, f"{len(hits)} of {len(wanted)}" if wanted else "there are none")
    parts = [f"{len(hits)} of {len(wanted)} right" if wanted else "there should be none"]
    if extras and not allow_extra:
        parts.append(f"not in the article's list: {', '.join(map(repr, extras[:5]))}")
    return _verdict(WRONG, _with_hint("; ".join(parts), hint))


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    if _is_number(value) and value in (0, 1):
        return bool(value)
    return None


def check_coding(answer: Any, machine: pd.DataFrame, *, hint: str = "") -> CheckResult:
    """Compare a student's hand coding of codebook questions with the machine's answers.

    There is no single right answer: the check reports how often student and machine agree
    (percent agreement and Cohen's kappa, via ``framing.coder_agreement``). ``details`` holds
    the question-by-question table with the machine's evidence.

    Args:
        answer: a dict of question id -> "yes"/"no" (or True/False), e.g. {"C1": "yes"}; None
            (or a dict of Nones) means not answered yet.
        machine: ``framing.frames`` output (question_id, frame, question, answer, evidence_text).
        hint: shown when the answer cannot be used.

    Returns:
        CheckResult (status correct when at least one question was coded); its message was printed.
    """
    from ..framing import coder_agreement

    if _missing(answer):
        return _unanswered()
    if not isinstance(answer, Mapping):
        return _verdict(WRONG_TYPE, f"expected a dict such as {{'C1': 'yes', 'HI1': 'no'}}, got {_type_name(answer)} {_shown(answer)}")
    coded = {str(k).strip().upper(): v for k, v in answer.items() if not _missing(v) and not (isinstance(v, str) and not v.strip())}
    if not coded:
        return _unanswered()
    known = set(machine["question_id"].astype(str).str.upper())
    unknown = sorted(set(coded) - known)
    if unknown:
        return _verdict(WRONG, _with_hint(f"unknown question id(s) {', '.join(unknown)}; use ids from the codebook table", hint))
    values = {k: _yes_no(v) for k, v in coded.items()}
    bad = [k for k, v in values.items() if v is None]
    if bad:
        return _verdict(WRONG_TYPE, f"answer each question with 'yes' or 'no'; {bad[0]} is {_shown(coded[bad[0]])}")
    machine = machine.assign(question_id=machine["question_id"].astype(str).str.upper())
    human = pd.DataFrame({"question_id": list(values), "answer": list(values.values())})
    table = coder_agreement(machine, human)
    n, agree, kappa = table.attrs["n"], int(table["agree"].sum()), table.attrs["kappa"]
    kappa_text = f"Cohen's kappa {kappa:.2f}" if not math.isnan(kappa) else "Cohen's kappa undefined (no variation to compare)"
    evidence = machine.set_index("question_id")["evidence_text"] if "evidence_text" in machine else None
    if evidence is not None:
        table["machine_evidence"] = [str(evidence.get(q, "")) for q in table["question_id"]]
    text = f"you coded {n} question(s); you and the machine agree on {agree} of {n} ({100 * agree / n:.0f}%), {kappa_text}"
    return _verdict(CORRECT, text, table)


@dataclass(frozen=True)
class Reference:
    """What a student's verdicts on a list of items (quotes, labels) are compared with.

    ``verdicts`` maps each item id on the list, in list order, to the right verdict, or None where
    the reference cannot judge that item; ``notes`` gives the reference's note per id (the gold
    speaker); ``source`` is "gold", "machine" (the machine's own opinion, not a check) or ""
    (nothing to compare with); ``why`` says why the gold is missing.
    """

    verdicts: Mapping[str, str | None]
    notes: Mapping[str, str]
    source: str
    why: str = ""


VERDICT_COLUMNS = ["id", "verdict", "note", "reference", "reference_verdict", "reference_note", "agree"]


def _split_verdict(value: Any) -> tuple[Any, str]:
    """A verdict written as "wrong: Jane Roe" or ("wrong", "Jane Roe") -> ("wrong", "Jane Roe")."""
    if isinstance(value, (tuple, list)) and value:
        note = " ".join(str(v) for v in value[1:] if not _missing(v))
        return value[0], note.strip()
    if isinstance(value, str) and re.search(r"[:,;]", value):
        verdict, note = re.split(r"\s*[:,;]\s*", value.strip(), maxsplit=1)
        return verdict, note.strip()
    return value, ""


def _note_matches(note: str, reference: str) -> bool:
    """A student's note names the reference's: the same text, or some of its words ("Roe" for "Jane Roe")."""
    mine, theirs = set(_norm(note).split()), set(_norm(reference).split())
    return bool(mine) and mine <= theirs


def _verdict_table(verdicts: Mapping[str, tuple[str, str]], reference: Reference) -> pd.DataFrame:
    rows = []
    for item, (verdict, note) in verdicts.items():
        right = reference.verdicts.get(item)
        agree = None if right is None else verdict == right
        rows.append((item, verdict, note, reference.source or "none", right or "", reference.notes.get(item, ""), agree))
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS)


def check_verdicts(answer: Any, reference: Reference, *, choices: Sequence[str], hint: str = "") -> CheckResult:
    """Check a student's verdicts on the items of a list (e.g. "right"/"wrong" per quote) against a reference.

    With a gold reference the verdicts are checked (correct when every item is judged as the gold
    judges it); with the machine's own opinion, or nothing, they are recorded and compared where
    possible but the status is uncheckable. ``details`` holds the item-by-item table
    (``VERDICT_COLUMNS``: id, verdict, note — the student's, e.g. the true speaker —, reference,
    reference_verdict, reference_note, agree: True/False, None where the reference cannot judge).

    Args:
        answer: a dict of item id -> verdict, e.g. {"q3": "right", "q7": "wrong: Jane Roe"}; a verdict
            may carry a note after a colon, or be a (verdict, note) pair. None (or a dict of Nones)
            means not answered yet.
        reference: the ids to judge and their right verdicts (``Reference``).
        choices: the accepted verdict words, e.g. ("right", "wrong").
        hint: shown with a wrong answer.

    Returns:
        CheckResult; its message was printed.
    """
    ids = list(reference.verdicts)
    if _missing(answer):
        return _unanswered("" if reference.source == "gold" else reference.why)
    if not ids:
        return _verdict(UNCHECKABLE, reference.why or "there is nothing on the list to judge")
    verdicts = _read_verdicts(answer, reference, choices, hint)
    if isinstance(verdicts, CheckResult):
        return verdicts
    table = _verdict_table({k: verdicts[k] for k in ids if k in verdicts}, reference)
    if reference.source != "gold":
        return _recorded(table, reference)
    return _graded(table, [k for k in ids if k not in verdicts], hint)


def _read_verdicts(answer: Any, reference: Reference, choices: Sequence[str], hint: str) -> dict[str, tuple[str, str]] | CheckResult:
    """The answer as id -> (verdict word, note), or the CheckResult saying why it cannot be read."""
    ids = list(reference.verdicts)
    if not isinstance(answer, Mapping):
        return _verdict(WRONG_TYPE, f"expected a dict such as {({ids[0]: choices[0]})}, got {_type_name(answer)} {_shown(answer)}")
    given = {str(k).strip(): _split_verdict(v) for k, v in answer.items() if not _missing(v) and not (isinstance(v, str) and not v.strip())}
    if not given:
        return _unanswered()
    unknown = [k for k in given if k not in reference.verdicts]
    if unknown:
        return _verdict(WRONG, _with_hint(f"not on the list: {', '.join(unknown[:3])}; judge {', '.join(ids)}", hint))
    words = {_norm(c): c for c in choices}
    bad = [k for k, (v, _) in given.items() if not isinstance(v, str) or _norm(v) not in words]
    if bad:
        return _verdict(WRONG_TYPE, f"answer each item with {' or '.join(map(repr, choices))}; {bad[0]} is {_shown(given[bad[0]][0])}")
    return {k: (words[_norm(v)], note) for k, (v, note) in given.items()}


def _recorded(table: pd.DataFrame, reference: Reference) -> CheckResult:
    """Verdicts with no gold to check them: recorded, and compared with the machine's opinion if given."""
    text = f"your {len(table)} verdict(s) are recorded but cannot be checked: {reference.why or 'no gold for this article'}"
    compared = table["agree"].dropna()
    if reference.source == "machine" and len(compared):
        text += f"; the machine's own opinion (not a gold check) agrees with you on {int(compared.sum())} of {len(compared)}"
    return _verdict(UNCHECKABLE, text, table)


def _graded(table: pd.DataFrame, missing: list[str], hint: str) -> CheckResult:
    """Verdicts checked against the gold: correct when every item is judged and all the gold can judge agree."""
    compared = table["agree"].dropna()
    if not len(compared):
        return _verdict(UNCHECKABLE, f"the gold cannot judge {', '.join(table['id'])}", table)
    agree = int(compared.sum())
    text = f"you agree with the gold on {agree} of {len(compared)}"
    named = [r.id for r in table.itertuples() if r.note and r.reference_note and _note_matches(r.note, r.reference_note)]
    if named:
        text += f" (and name the gold's choice for {', '.join(named)})"
    unjudged = table[table["agree"].isna()]
    if len(unjudged):
        text += f"; the gold cannot judge {', '.join(unjudged['id'])} ({unjudged['reference_note'].iloc[0] or 'no gold verdict'})"
    if agree < len(compared):
        differ = ", ".join(table.loc[table["agree"].eq(False), "id"])
        return _verdict(WRONG, _with_hint(f"{text}; look again at {differ}", hint), table)
    if missing:
        return _verdict(WRONG, f"{text}; judge {', '.join(missing)} too", table)
    return _verdict(CORRECT, text, table)
