"""Lesson self-checks (checkers printing a one-line verdict, answers computed from the article) and lesson-only views."""
from __future__ import annotations

import csv
import math
import numbers
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pandas as pd

from .config import BODY_ROLES, GOLD_DIR, PROJECT_ROOT

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .article import Article

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

_MARKS = {
    CORRECT: "✅ correct",
    WRONG: "❌ not yet",
    WRONG_TYPE: "❌ not yet",
    UNANSWERED: "⏳ not answered yet",
    UNCHECKABLE: "⚪ cannot be checked on this article",
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


def _verdict(status: str, text: str = "", details: pd.DataFrame | None = None) -> CheckResult:
    message = _MARKS[status] + (f" — {text}" if text else "")
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
    from .framing import coder_agreement

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


# --- lesson helpers: names, gold files --------------------------------------------------------


def name_variants(names: Iterable[str], mentions: pd.DataFrame | None = None) -> set[str]:
    """Each canonical name plus every way the article writes it (titles and possessives removed).

    Used to accept "Roe" as well as "Jane Roe"; a joint speaker "A + B" is kept whole.
    """
    from .entities import clean_name

    names = [str(n) for n in names if not _missing(n)]
    variants = set(names)
    if mentions is not None and not mentions.empty:
        for row in mentions[mentions["canonical"].isin(names)].itertuples(index=False):
            variants.add(clean_name(str(row.text), str(row.label)))
    return {v for v in variants if v}


def gold_file(article: "Article", gold_path: str | Path = "", *, kind: str = "quotes") -> Path | None:
    """The gold file to use: ``gold_path`` if given (relative to the project root), else
    ``data/gold/<article-id>.<kind>.tsv`` when it exists, else None."""
    if gold_path:
        path = Path(gold_path)
        return path if path.is_absolute() else PROJECT_ROOT / path
    path = GOLD_DIR / f"{article.id}.{kind}.tsv"
    return path if path.is_file() else None


def quote_gold(article: "Article", gold_path: str | Path = "") -> tuple[pd.DataFrame | None, str]:
    """The article's gold quotes located in its text, from ``gold_path`` or the gold folder.

    Looks for ``data/gold/<article-id>.quotes.tsv`` (quote texts), then ``data/gold/*/<article-id>.quotes.tsv``
    (offsets and hashes into a third-party text, such as unga70); both formats are read by
    ``evaluate.read_any_gold``.

    Returns:
        (gold with int start_char and end_char, "") or (None, why there is none: no file, or a file
        that does not fit this version of the article).
    """
    from .errors import FramelensError
    from .evaluate import read_any_gold

    path = gold_file(article, gold_path) or next(iter(sorted(GOLD_DIR.glob(f"*/{article.id}.quotes.tsv"))), None)
    if path is None:
        return None, f"there is no gold file for {article.id}"
    try:
        return read_any_gold(path, article), ""
    except FramelensError as exc:
        return None, f"the gold file does not fit this article ({exc})"


def passages(article: "Article", paragraphs: Iterable[int], *, before: int = 2) -> str:
    """The text to read for checking the machine: each listed paragraph (1-based) and the ``before``
    paragraphs preceding it, numbered from 1 ("[7] ..."), a paragraph that is not body text marked
    with its role; "" when nothing is listed."""
    wanted = sorted({n for p in paragraphs for n in range(max(1, int(p) - before), int(p) + 1) if n <= len(article.paragraphs)})
    lines = []
    for n in wanted:
        paragraph = article.paragraphs[n - 1]
        role = "" if paragraph.role in BODY_ROLES else f"({paragraph.role}) "
        lines.append(f"[{n}] {role}{' '.join(paragraph.text.split())}")
    return "\n\n".join(lines)


def read_gold_actors(path: Path | str) -> pd.DataFrame:
    """Read a gold actors file (canonical, label, mentions, aliases; see data/gold/README.md)."""
    table = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)
    table["mentions"] = table["mentions"].astype(int)
    return table


# --- L1: tokens ----------------------------------------------------------------------------------


def _body(table: pd.DataFrame, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    return table if roles is None else table[table["role"].isin(roles)]


def _content(tokens: pd.DataFrame) -> pd.DataFrame:
    t = _body(tokens)
    keep = ~t["is_stop"].astype(bool) & ~t["is_punct"].astype(bool) & ~t["like_num"].astype(bool)
    return t[keep & t["lower"].astype(str).str.contains(r"[^\W\d_]", regex=True)]


def lemma_groups(tokens: pd.DataFrame, *, top: int | None = 15) -> pd.DataFrame:
    """Content-word lemmas of the body text that stand for more than one word form.

    Returns:
        DataFrame with columns lemma, forms (the lower-cased forms, ' | '-joined), n_forms,
        count (tokens), stem (NLTK's Porter stemmer, which needs no downloaded data); most
        forms first.
    """
    from nltk.stem import PorterStemmer

    stemmer = PorterStemmer()
    content = _content(tokens)
    rows = []
    for lemma, group in content.groupby("lemma", sort=False):
        forms = list(dict.fromkeys(group["lower"].astype(str)))
        if len(forms) > 1:
            rows.append((lemma, " | ".join(forms), len(forms), len(group), stemmer.stem(str(lemma))))
    table = pd.DataFrame(rows, columns=["lemma", "forms", "n_forms", "count", "stem"])
    table = table.sort_values(["n_forms", "count", "lemma"], ascending=[False, False, True]).reset_index(drop=True)
    return table.head(top) if top else table


def stop_word_share(tokens: pd.DataFrame) -> float:
    """Percentage (0-100) of the body's word tokens (punctuation excluded) that are stop words."""
    t = _body(tokens)
    words = t[~t["is_punct"].astype(bool)]
    return 100.0 * float(words["is_stop"].astype(bool).mean()) if len(words) else float("nan")


def tokens_side_by_side(doc: "Doc", article: "Article", *, char: int | None = None) -> pd.DataFrame:
    """One sentence (as spaCy split it) cut into tokens by spaCy and by NLTK's Treebank tokeniser.

    Args:
        doc: the parse of ``article.text``.
        article: the article.
        char: an offset inside the sentence to show; None: the first place in the body where the
            two tokenisers disagree, else the start of the first body paragraph.

    Returns:
        DataFrame with columns tokeniser, count, tokens (' | '-joined); two rows, empty if the
        document has no tokens.
    """
    from .tokens import nltk_token_spans, tokenizer_comparison

    columns = ["tokeniser", "count", "tokens"]
    if char is None:
        disagreements = tokenizer_comparison(doc, article)
        body = article.paragraphs_with_role()
        char = int(disagreements["start_char"].iloc[0]) if len(disagreements) else (body[0].start_char if body else 0)
    span = doc.char_span(char, min(char + 1, len(doc.text)), alignment_mode="expand") if len(doc) else None
    if span is None or not len(span):
        return pd.DataFrame(columns=columns)
    sentence = span[0].sent
    start = sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
    ours = [t.text for t in sentence if not t.is_space]
    theirs = [article.text[start + a : start + b] for a, b in nltk_token_spans(sentence.text.strip())]
    return pd.DataFrame(
        [("spaCy", len(ours), " | ".join(ours)), ("NLTK Treebank + Punkt", len(theirs), " | ".join(theirs))], columns=columns
    )


def expected_token_difference(summary: pd.DataFrame) -> int:
    """L1: spaCy tokens minus NLTK tokens in a ``tokens.tokenizer_summary`` table."""
    counts = summary.set_index("tokeniser")["tokens"]
    return int(counts.iloc[0] - counts.iloc[1])


def expected_top_words(frequencies: pd.DataFrame) -> set[str]:
    """L1: the most frequent content word(s) of a ``word_frequencies`` table (all ties)."""
    if frequencies.empty:
        return set()
    return set(frequencies.loc[frequencies["count"] == frequencies["count"].max(), "word"])


def expected_lemma_merges(tokens: pd.DataFrame) -> int:
    """L1: distinct content word forms minus distinct content lemmas in the body text."""
    content = _content(tokens)
    return int(content["lower"].nunique() - content["lemma"].nunique())


# --- L2: entities --------------------------------------------------------------------------------

# Last words that usually end the name of an organisation, and of a place: a name ending in one
# of them but labelled otherwise is worth a second look.
ORGANISATION_ENDINGS = frozenset(
    "agency association authority bank board bureau center centre chronicle club college commission committee "
    "company corporation council court department echo foundation gazette group herald inc institute journal ltd "
    "ministry news office party police post press school service society telegraph times tribune union university".split()
)
PLACE_ENDINGS = frozenset("street road avenue lane square river lake sea mountain valley island bay county province".split())


def suspect_entities(doc: "Doc", article: "Article", *, roles: Sequence[str] | None = None) -> pd.DataFrame:
    """Entity mentions whose label or extent looks wrong, by general rules about name shapes.

    The rules (a mention can trip several): the span contains a verb (a headline or sentence
    fragment taken for a name); a one-word PERSON the article never gives in full (often a place
    or organisation); a name ending in an organisation word ("... Echo", "... Council") labelled
    as something else, or in a place word ("... Street") labelled PERSON or ORG; and the same
    actor labelled differently in different places (the minority label is flagged). These are
    leads for a human to check, not verdicts.

    Returns:
        DataFrame with columns text, label (as the model gave it), canonical, paragraph, role,
        start_char, reason; in text order, mentions in paragraphs of ``roles`` (None: all).
    """
    from .entities import canonical_names, raw_mentions
    from .tokens import ParagraphIndex

    mentions = raw_mentions(doc)
    canonical = canonical_names(mentions)
    where = ParagraphIndex(article)
    labels: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        labels[canonical[m]].append(m.label)
    rows = []
    for m in mentions:
        span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        words = m.name.split()
        reasons = []
        verbs = [t.text for t in span if t.pos_ in ("VERB", "AUX")]
        if verbs:
            reasons.append(f"contains the verb {verbs[0]!r}: a headline or sentence fragment, not a name")
        if m.label == "PERSON" and len(canonical[m].split()) == 1:
            reasons.append("one-word person name the article never gives in full (a place or organisation?)")
        last = words[-1].lower() if words else ""
        if m.label not in ("ORG", "NORP") and last in ORGANISATION_ENDINGS:
            reasons.append(f"ends in {words[-1]!r}, a word that usually ends an organisation's name, but is labelled {m.label}")
        if m.label in ("PERSON", "ORG") and last in PLACE_ENDINGS:
            reasons.append(f"ends in {words[-1]!r}, a word that usually ends a place name, but is labelled {m.label}")
        others = sorted(set(labels[canonical[m]]) - {m.label})
        if others:
            reasons.append(f"the same actor ({canonical[m]}) is labelled {' / '.join(others)} elsewhere")
        if reasons:
            start = m.start_char
            rows.append((m.text.strip(), m.label, canonical[m], where.index(start), where.role(start), start, "; ".join(reasons)))
    table = pd.DataFrame(rows, columns=["text", "label", "canonical", "paragraph", "role", "start_char", "reason"])
    return _body(table, roles).reset_index(drop=True)


def missed_names(doc: "Doc", article: "Article", *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Capitalised proper nouns the entity recogniser left out: runs of PROPN tokens outside every
    entity span, office titles ("President") excluded. Candidates for names the model missed.

    Returns:
        DataFrame with columns text, paragraph, role, start_char, end_char; in text order.
    """
    from .entities import titles
    from .tokens import ParagraphIndex

    inside = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    where = ParagraphIndex(article)
    runs: list[list[Any]] = []
    for t in doc:
        candidate = (
            t.pos_ == "PROPN" and t.i not in inside and t.text[:1].isupper() and any(c.isalpha() for c in t.text)
            and t.lower_.rstrip(".") not in titles()
        )
        if candidate and runs and runs[-1][-1].i == t.i - 1 and where.index(t.idx) == where.index(runs[-1][-1].idx):
            runs[-1].append(t)
        elif candidate:
            runs.append([t])
    rows = []
    for run in runs:
        start, end = run[0].idx, run[-1].idx + len(run[-1])
        rows.append((article.text[start:end], where.index(start), where.role(start), start, end))
    table = pd.DataFrame(rows, columns=["text", "paragraph", "role", "start_char", "end_char"])
    return _body(table, roles).reset_index(drop=True)


def compare_actor_counts(actors: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Machine actor counts (``entity_counts``) next to a hand count (``read_gold_actors``).

    NORP rows of the gold file are left out (they are not actors). Returns a DataFrame with
    columns canonical, label_machine, label_gold, mentions_machine, mentions_gold, difference
    (machine - gold), sorted by the size of the difference.
    """
    gold = gold[gold["label"] != "NORP"]
    merged = pd.merge(
        actors[["canonical", "label", "mentions"]], gold[["canonical", "label", "mentions"]],
        on="canonical", how="outer", suffixes=("_machine", "_gold"),
    )
    merged[["mentions_machine", "mentions_gold"]] = merged[["mentions_machine", "mentions_gold"]].fillna(0).astype(int)
    merged[["label_machine", "label_gold"]] = merged[["label_machine", "label_gold"]].fillna("—")
    merged["difference"] = merged["mentions_machine"] - merged["mentions_gold"]
    order = merged["difference"].abs().sort_values(ascending=False, kind="stable").index
    return merged.loc[order].reset_index(drop=True)


def expected_top_actors(actors: pd.DataFrame, mentions: pd.DataFrame | None = None) -> set[str]:
    """L2: the most-mentioned actor(s) of an ``entity_counts`` table, every way each is written."""
    if actors.empty:
        return set()
    top = actors.loc[actors["mentions"] == actors["mentions"].max(), "canonical"]
    return name_variants(top, mentions)


def expected_nonbody_mentions(mentions: pd.DataFrame) -> int:
    """L2: entity mentions outside body paragraphs (headline, captions, related links, credits ...)."""
    return int((~mentions["role"].isin(BODY_ROLES)).sum())


def expected_top_actor_aliases(actors: pd.DataFrame) -> set[str]:
    """L2: the surface forms merged into the actor in the first row of an ``entity_counts`` table."""
    if actors.empty:
        return set()
    return {a.strip() for a in str(actors["aliases"].iloc[0]).split(" | ") if a.strip()}


def expected_merged_forms(actors: pd.DataFrame) -> int:
    """L2: how many extra actors there would be without merging (sum over actors of forms - 1)."""
    return int(sum(len([a for a in str(x).split(" | ") if a.strip()]) - 1 for x in actors["aliases"]))


# --- L3: quotes ----------------------------------------------------------------------------------

def _blank(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip() == ""


def attribution_routes(quotes: pd.DataFrame) -> pd.DataFrame:
    """How the extractor reached each quote's speaker, from the quotes table's ``route`` column.

    Routes (``quotes.records.ROUTE_CONFIDENCE``): named, pronoun, description, document, named
    later, carried, previous subject, transcript, joint, unnamed, unknown, corrected.

    Returns:
        DataFrame with columns quote_id, kind, speaker, speaker_mention, cue, route, confidence
        (high, medium, low) and how (the route in words: 'pronoun "he" -> Jane Roe').
    """
    from .quotes.records import route_text

    columns = ["quote_id", "kind", "speaker", "speaker_mention", "cue", "route", "confidence"]
    table = quotes[columns].copy().fillna("")
    table["how"] = [route_text(str(q.route), str(q.speaker_mention), str(q.speaker)) for q in table.itertuples(index=False)]
    return table.reset_index(drop=True)


def attributions_to_check(quotes: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """L3: the ``n`` attributions most worth checking by hand: lowest confidence first, then text order.

    Returns:
        DataFrame with columns quote_id, paragraph (1-based, as the report numbers them), speaker,
        how (the route in words), confidence, text, start_char, end_char; empty without quotes.
    """
    from .quotes.records import CONFIDENCE_ORDER

    columns = ["quote_id", "paragraph", "speaker", "how", "confidence", "text", "start_char", "end_char"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    table = attribution_routes(quotes).assign(
        paragraph=quotes["paragraph"].astype(int).to_numpy() + 1, text=quotes["text"].to_numpy(),
        start_char=quotes["start_char"].astype(int).to_numpy(), end_char=quotes["end_char"].astype(int).to_numpy(),
    )
    rank = table["confidence"].map({c: i for i, c in enumerate(CONFIDENCE_ORDER)}).fillna(0)
    table = table.assign(_rank=rank).sort_values(["_rank", "start_char"], kind="stable")
    return table.head(n)[columns].reset_index(drop=True)


def _best_overlap(start: int, end: int, gold: pd.DataFrame) -> Any:
    """The gold row sharing the most characters with ``[start, end)``, or None when none overlaps."""
    best, most = None, 0
    for g in gold.itertuples(index=False):
        shared = min(end, int(g.end_char)) - max(start, int(g.start_char))
        if shared > most:
            best, most = g, shared
    return best


def expected_attribution_verdicts(to_check: pd.DataFrame, gold: pd.DataFrame | None, *, why: str = "") -> Reference:
    """L3: whether each listed attribution is right according to the gold (``quote_gold``).

    A quote is "right" when its speaker is the gold speaker (``evaluate.same_speaker``) of the gold
    quote it overlaps most; a quote overlapping no gold quote cannot be judged. Without gold the
    reference is empty (``why`` says so).
    """
    from .evaluate import same_speaker

    ids = [str(i) for i in to_check["quote_id"]]
    if not ids:
        return Reference({}, {}, "", "the extractor found no quotes in this article, so there is no attribution to check")
    if gold is None:
        return Reference(dict.fromkeys(ids), {}, "", why or "there is no gold file for this article")
    verdicts: dict[str, str | None] = {}
    notes = {}
    for q in to_check.itertuples(index=False):
        match = _best_overlap(int(q.start_char), int(q.end_char), gold)
        verdicts[str(q.quote_id)] = None if match is None else ("right" if same_speaker(str(q.speaker), str(match.speaker)) else "wrong")
        notes[str(q.quote_id)] = "the gold has no quote here" if match is None else str(match.speaker)
    return Reference(verdicts, notes, "gold")


def expected_direct_quotes(quotes: pd.DataFrame) -> int:
    """L3: number of direct quotes."""
    return int((quotes["kind"] == "direct").sum())


def expected_top_speakers(voice: pd.DataFrame, mentions: pd.DataFrame | None = None) -> set[str]:
    """L3: the speaker(s) with the most quoted words in a ``share_of_voice`` table, every way each is written."""
    if voice.empty:
        return set()
    return name_variants(voice.loc[voice["words"] == voice["words"].max(), "speaker"], mentions)


def expected_uncued_quotes(quotes: pd.DataFrame) -> int:
    """L3: quotes with no reporting verb in their own paragraph (speaker carried over from earlier)."""
    return int(_blank(quotes["cue"]).sum()) if len(quotes) else 0


def expected_pronoun_quotes(quotes: pd.DataFrame) -> set[str]:
    """L3: ids of the quotes attributed by a pronoun next to their own reporting verb ("he said")."""
    return set(quotes.loc[quotes["route"] == "pronoun", "quote_id"].astype(str)) if len(quotes) else set()


# --- L4: framing ---------------------------------------------------------------------------------


def expected_naming_variety(naming: pd.DataFrame) -> int | None:
    """L4: distinct expressions used for the actor in the first row of a ``framing.naming`` table."""
    if naming.empty:
        return None
    first = naming["actor"].iloc[0]
    return int(naming.loc[naming["actor"] == first, "expression"].nunique())


def expected_marked_verbs(quotes: pd.DataFrame) -> int:
    """L4: quotes introduced by a reporting verb whose connotation is neither neutral nor none."""
    from .framing import verb_connotation

    if quotes.empty:
        return 0
    classes = [verb_connotation(q.cue_lemma if isinstance(q.cue_lemma, str) else "", q.cue if isinstance(q.cue, str) else "")
               for q in quotes.itertuples(index=False)]
    return sum(c not in ("neutral", "none") for c in classes)


def expected_most_negative_speaker(tone: pd.DataFrame, mentions: pd.DataFrame | None = None) -> set[str]:
    """L4: the quoted speaker(s) with the lowest mean compound tone in ``framing.tone_by_speaker``
    (the narrator row excluded); empty when nobody is quoted."""
    speakers = tone[(tone["speaker"] != "narrator") & tone["compound"].notna()]
    if speakers.empty:
        return set()
    low = speakers["compound"].min()
    names = speakers.loc[(speakers["compound"] - low).abs() < 1e-9, "speaker"]
    return name_variants(names, mentions)


NARRATOR, SOURCE = "narrator", "source"
LABEL_CHECK_COLUMNS = ["label_id", "paragraph", "text", "machine", "voice", "context", "start_char", "end_char"]


def _in_context(article: "Article", start: int, end: int, *, width: int = 90) -> str:
    """The words around ``[start, end)`` in its paragraph, the label marked ⟦so⟧."""
    from .tokens import ParagraphIndex

    paragraph = article.paragraphs[ParagraphIndex(article).index(start)]
    left = article.text[max(paragraph.start_char, start - width) : start]
    right = article.text[end : min(paragraph.end_char, end + width)]
    left = left if start - width <= paragraph.start_char else "…" + left.split(" ", 1)[-1]
    right = right if end + width >= paragraph.end_char else right.rsplit(" ", 1)[0] + "…"
    return " ".join(f"{left}⟦{article.text[start:end]}⟧{right}".split())


def labels_to_check(loaded: pd.DataFrame, article: "Article", *, n: int = 3) -> pd.DataFrame:
    """L4: ``n`` loaded labels to check by hand: is each the narrator's word or a quoted source's?

    Labels are numbered w1, w2 ... in the order of the ``framing.loaded_labels`` table. The list
    takes the first label the machine puts in a quote and the first it leaves to the narrator (so
    both verdicts occur when the article allows), then the next labels in text order.

    Returns:
        DataFrame with columns ``LABEL_CHECK_COLUMNS``: label_id, paragraph (1-based), text (as
        written), machine (the machine's verdict: narrator or source), voice (the speaker it
        credits, or narrator), context (the surrounding words, the label marked ⟦so⟧),
        start_char, end_char; in text order, empty without labels.
    """
    if loaded.empty:
        return pd.DataFrame(columns=LABEL_CHECK_COLUMNS)
    table = loaded.reset_index(drop=True)
    in_quote = table["in_quote"].astype(bool) if "in_quote" in table else pd.Series(False, index=table.index)
    first = [mask.idxmax() for mask in (in_quote, ~in_quote) if mask.any()]
    chosen = list(dict.fromkeys(first + list(table.index)))[:n]
    rows = []
    for i in sorted(chosen):
        row = table.loc[i]
        start, end = int(row["start_char"]), int(row["end_char"])
        voice = str(row["voice"]) if "voice" in table else NARRATOR
        rows.append((f"w{i + 1}", int(row["paragraph"]) + 1, str(row["text"]), SOURCE if in_quote[i] else NARRATOR, voice,
                     _in_context(article, start, end), start, end))
    return pd.DataFrame(rows, columns=LABEL_CHECK_COLUMNS)


def expected_label_verdicts(to_check: pd.DataFrame, gold: pd.DataFrame | None, *, why: str = "") -> Reference:
    """L4: whose word each listed label is according to the gold (``quote_gold``).

    A label is the source's when it lies inside a gold quote span, else the narrator's. Without gold
    the reference is the machine's own split (its opinion, not a gold check; ``why`` says why).
    """
    ids = [str(i) for i in to_check["label_id"]]
    if not ids:
        return Reference({}, {}, "", "the body text uses no label from the lexicon, so there is no label to check")
    if gold is None:
        return Reference(dict(zip(ids, to_check["machine"])), dict(zip(ids, to_check["voice"])), "machine", why or "there is no gold file for this article")
    verdicts, notes = {}, {}
    for item, w in zip(ids, to_check.itertuples(index=False)):
        inside = gold[(gold["start_char"] <= int(w.start_char)) & (int(w.end_char) <= gold["end_char"])]
        verdicts[item] = SOURCE if len(inside) else NARRATOR
        notes[item] = str(inside["speaker"].iloc[0]) if len(inside) else NARRATOR
    return Reference(verdicts, notes, "gold")

# --- L5: validity --------------------------------------------------------------------------------


def match_quotes(article: "Article", quotes: pd.DataFrame, gold: pd.DataFrame, *, threshold: float = 0.3) -> pd.DataFrame:
    """Each gold quote next to the system quote that overlaps it most (error analysis).

    Args:
        article: the article both refer to.
        quotes: the system's quotes table.
        gold: a gold table (``evaluate.read_gold``), located or not.
        threshold: share of the gold quote's characters that must lie in system spans to be found.

    Returns:
        DataFrame with columns gold_text, required, kind_gold, speaker_gold, covered (0-1 share of
        the gold characters inside system quotes), found, quote_id, kind_system, speaker_system,
        speaker_ok; one row per gold quote in text order.
    """
    from .evaluate import locate_gold, same_speaker

    located = gold if "start_char" in gold else locate_gold(article, gold)
    mask = [False] * len(article.text)
    for q in quotes.itertuples(index=False):
        for i in range(int(q.start_char), int(q.end_char)):
            mask[i] = True
    rows = []
    for g in located.itertuples(index=False):
        length = max(g.end_char - g.start_char, 1)
        covered = sum(mask[g.start_char : g.end_char]) / length
        best, overlap = None, 0
        for q in quotes.itertuples(index=False):
            o = min(g.end_char, int(q.end_char)) - max(g.start_char, int(q.start_char))
            if o > overlap:
                best, overlap = q, o
        found = covered >= threshold
        speaker_ok = bool(best is not None and same_speaker(str(best.speaker), str(g.speaker)))
        rows.append((
            g.text, int(g.required), g.kind, g.speaker, round(covered, 3), found,
            best.quote_id if best is not None else "", best.kind if best is not None else "",
            best.speaker if best is not None else "", speaker_ok if found else False,
        ))
    columns = ["gold_text", "required", "kind_gold", "speaker_gold", "covered", "found", "quote_id", "kind_system",
               "speaker_system", "speaker_ok"]
    return pd.DataFrame(rows, columns=columns)


def score_extractors(
    article: "Article", extractors: Mapping[str, pd.DataFrame], gold: pd.DataFrame | None, *, thresholds: Sequence[float] = (0.3, 0.8)
) -> pd.DataFrame | None:
    """``evaluate.score`` for several quote tables against one gold table.

    Returns:
        DataFrame with an ``extractor`` column (the key of ``extractors``) followed by the
        ``evaluate.score`` columns, one row per extractor and threshold; None when ``gold`` is None.
    """
    from .evaluate import score

    if gold is None:
        return None
    frames = [score(article, quotes, gold, thresholds=thresholds).assign(extractor=name) for name, quotes in extractors.items()]
    table = pd.concat(frames, ignore_index=True)
    return table[["extractor", *[c for c in table.columns if c != "extractor"]]]


def _score_row(scores: pd.DataFrame | None, threshold: float, extractor: str | None) -> pd.Series | None:
    if scores is None or scores.empty:
        return None
    rows = scores[(scores["threshold"] - threshold).abs() < 1e-9]
    if extractor is not None and "extractor" in rows:
        rows = rows[rows["extractor"] == extractor]
    return rows.iloc[0] if len(rows) else None


def expected_recall(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> float | None:
    """L5: recall (found / gold) at ``threshold`` in a score table (of ``extractor``); None without one."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None or not row["gold"] else float(row["found"] / row["gold"])


def expected_f1(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> float | None:
    """L5: F1 at ``threshold`` in a score table (of ``extractor``); None without one."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None else float(row["f1"])


def expected_missed(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> int | None:
    """L5: required gold quotes the system did not find at ``threshold``."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None else int(row["gold"] - row["found"])


def expected_right_speakers(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> int | None:
    """L5: found gold quotes whose speaker the system got right (speaker_accuracy x found)."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None else int(round(row["speaker_accuracy"] * row["found"]))


def score_gold_files(*, model: str | None = None, processed_root: Path | str | None = None) -> pd.DataFrame:
    """Score the quote extractor on every article that has a gold file in data/gold/.

    The article of ``<id>.quotes.tsv`` is looked up as ``seeds/<id>.*`` or ``data/raw/<id>.*``
    (.txt or .html); gold files without an article are skipped. Each article is analysed once
    (or its saved analysis reused, see ``analysis.load_or_analyze``).

    Returns:
        DataFrame with columns article, then the ``evaluate.score`` columns; one row per article
        and threshold.
    """
    from .analysis import load_or_analyze
    from .config import RAW_DIR, SEEDS_DIR
    from .evaluate import SCORE_COLUMNS, read_gold, score

    frames = []
    for gold_path in sorted(GOLD_DIR.glob("*.quotes.tsv")):
        article_id = gold_path.name[: -len(".quotes.tsv")]
        candidates = [d / f"{article_id}{ext}" for d in (SEEDS_DIR, RAW_DIR) for ext in (".txt", ".html", ".htm")]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            continue
        analysis = load_or_analyze(path, model=model or None, processed_root=Path(processed_root) if processed_root else None)
        table = score(analysis.article, analysis.quotes, read_gold(gold_path))
        table.insert(0, "article", article_id)
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=["article", *SCORE_COLUMNS])
    return pd.concat(frames, ignore_index=True)
