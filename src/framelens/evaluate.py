"""Score quote extraction against hand-made gold files (GenderGapTracker overlap protocol)."""
from __future__ import annotations

import csv
import hashlib
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import pandas as pd

from .errors import FramelensError
from .rows import table_rows

if TYPE_CHECKING:
    from spacy.language import Language

    from .article import Article

log = logging.getLogger(__name__)

GOLD_COLUMNS = ["kind", "speaker", "cue", "required", "text"]
# Gold for third-party texts holds no text: offsets into the article and a short hash of each quote.
OFFSET_GOLD_COLUMNS = ["kind", "speaker", "cue", "required", "start_char", "end_char", "sha256"]
HASH_CHARS = 16
SCORE_COLUMNS = ["threshold", "precision", "recall", "f1", "gold", "system", "found", "correct", "speaker_accuracy"]
UNKNOWN = "UNKNOWN"
WORDS = re.compile(r"\w+")


def read_gold(path: Path | str) -> pd.DataFrame:
    """Read a gold quotes file (TSV, columns kind, speaker, cue, required, text; see DESIGN.md).

    Returns:
        DataFrame with those columns; ``required`` as int (0 or 1), every other column str.

    Raises:
        FramelensError: the file is missing or malformed (wrong header, bad kind or required
            value, empty text), naming the file and line.
    """
    path = Path(path)
    gold = _read_tsv(path)
    if list(gold.columns) != GOLD_COLUMNS:
        raise FramelensError(f"{path}: gold header must be {' '.join(GOLD_COLUMNS)} (tab-separated), found {' '.join(map(str, gold.columns))}")
    for n, row in enumerate(table_rows(gold), start=2):
        _check_row(path, n, row)
    gold["required"] = gold["required"].astype(int)
    return gold


def _read_tsv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise FramelensError(f"{path}: no such gold file")
    try:
        return pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise FramelensError(f"{path}: not a readable tab-separated gold file ({exc.__class__.__name__}: {exc})") from exc


def quote_hash(text: str) -> str:
    """The short sha256 an offset gold file stores for a quote text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_CHARS]


def read_offset_gold(path: Path | str, article: "Article") -> pd.DataFrame:
    """Read an offset gold file (``OFFSET_GOLD_COLUMNS``) and check it against ``article``.

    Each row's ``article.text[start_char:end_char]`` must hash to its ``sha256``, so a gold file
    made for another version of the text is refused rather than scored.

    Returns:
        DataFrame with the ``GOLD_COLUMNS`` plus int ``start_char`` and ``end_char``.

    Raises:
        FramelensError: malformed file, offsets out of range, or a hash that does not match.
    """
    path = Path(path)
    gold = _read_tsv(path)
    if list(gold.columns) != OFFSET_GOLD_COLUMNS:
        raise FramelensError(f"{path}: offset gold header must be {' '.join(OFFSET_GOLD_COLUMNS)} (tab-separated)")
    texts = []
    for n, row in enumerate(table_rows(gold), start=2):
        try:
            start, end = int(row.start_char), int(row.end_char)
        except ValueError:
            raise FramelensError(f"{path}:{n}: start_char and end_char must be whole numbers") from None
        if not 0 <= start < end <= len(article.text):
            raise FramelensError(f"{path}:{n}: offsets {start}-{end} are outside article {article.id!r}")
        text = article.text[start:end]
        if quote_hash(text) != row.sha256:
            raise FramelensError(f"{path}:{n}: the text at {start}-{end} does not match the gold hash (another version of {article.id!r}?)")
        texts.append(text)
    gold = gold.assign(text=texts)
    for n, row in enumerate(table_rows(gold[GOLD_COLUMNS]), start=2):
        _check_row(path, n, row)
    gold["required"] = gold["required"].astype(int)
    gold["start_char"] = gold["start_char"].astype(int)
    gold["end_char"] = gold["end_char"].astype(int)
    return gold[GOLD_COLUMNS + ["start_char", "end_char"]]


def _check_row(path: Path, line: int, row: tuple) -> None:
    if row.kind not in ("direct", "indirect"):
        raise FramelensError(f"{path}:{line}: kind must be 'direct' or 'indirect', found {row.kind!r}")
    if row.required not in ("0", "1"):
        raise FramelensError(f"{path}:{line}: required must be 0 or 1, found {row.required!r}")
    if not row.text.strip():
        raise FramelensError(f"{path}:{line}: empty quote text")
    if not row.speaker.strip():
        raise FramelensError(f"{path}:{line}: empty speaker (write UNKNOWN when the speaker is not named)")


def locate_gold(article: "Article", gold: pd.DataFrame) -> pd.DataFrame:
    """Find each gold text in ``article.text``, in order.

    A text occurring twice takes the next occurrence after the previous row's match (rows are in
    text order); a text found only earlier is taken there with a warning.

    Returns:
        A copy of ``gold`` with int columns ``start_char`` and ``end_char``.

    Raises:
        FramelensError: a gold text is not in the article (wrong article, or the text was edited).
    """
    starts, ends = [], []
    cursor = 0
    for n, text in enumerate(gold["text"]):
        start = article.text.find(text, cursor)
        if start < 0:
            start = article.text.find(text)
            if start < 0:
                raise FramelensError(f"gold row {n + 1} is not in article {article.id!r}: {text[:60]!r}")
            log.warning("gold row %d found only before the previous row's match (rows out of order?)", n + 1)
        starts.append(start)
        ends.append(start + len(text))
        cursor = start + 1
    located = gold.copy()
    located["start_char"] = starts
    located["end_char"] = ends
    return located


def score(
    article: "Article",
    quotes: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    thresholds: Sequence[float] = (0.3, 0.8),
    unnamed_as_unknown: bool = True,
) -> pd.DataFrame:
    """Precision, recall, F1 and speaker accuracy of ``quotes`` against ``gold``.

    A required gold quote is found when at least T of its characters lie in system quote spans; a
    system quote is correct when at least T of its characters lie in required gold spans. A
    system quote that is not correct but has at least T of its characters in gold spans of
    ``required == 0`` rows is neutral (not counted), and unfound ``required == 0`` rows are not
    misses. Speaker accuracy is over the found required gold quotes: the system quote overlapping
    the gold quote most must name the same speaker (case-insensitive; "A + B" compared as a set).
    With ``unnamed_as_unknown`` a system speaker written as a description (lower-case initial,
    "a council spokeswoman") matches a gold UNKNOWN: gold files mark unnamed people UNKNOWN.

    Returns:
        DataFrame, one row per threshold, columns ``SCORE_COLUMNS``: threshold, precision, recall,
        f1, gold (required rows), system (counted system quotes), found, correct, speaker_accuracy.
    """
    gold = gold if "start_char" in gold else locate_gold(article, gold)
    size = len(article.text)
    system_mask = _mask(size, quotes["start_char"], quotes["end_char"]) if len(quotes) else np.zeros(size, bool)
    required = gold[gold["required"].astype(int) == 1]
    optional = gold[gold["required"].astype(int) == 0]
    required_mask = _mask(size, required["start_char"], required["end_char"])
    optional_mask = _mask(size, optional["start_char"], optional["end_char"])
    rows = []
    for t in thresholds:
        found = [g for g in table_rows(required) if _share(system_mask, g.start_char, g.end_char) >= t]
        correct = neutral = 0
        for q in table_rows(quotes):
            if _share(required_mask, q.start_char, q.end_char) >= t:
                correct += 1
            elif _share(required_mask | optional_mask, q.start_char, q.end_char) >= t:
                neutral += 1
        system = len(quotes) - neutral
        precision = correct / system if system else 0.0
        recall = len(found) / len(required) if len(required) else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        accuracy = _speaker_accuracy(found, quotes, unnamed_as_unknown=unnamed_as_unknown)
        rows.append((t, precision, recall, f1, len(required), system, len(found), correct, accuracy))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


DETAIL_COLUMNS = ["problem", "paragraph", "start_char", "end_char", "gold_speaker", "system_speaker", "quote_id", "text"]
MISSED, WRONG_QUOTE, WRONG_SPEAKER = "missed", "wrong quote", "wrong speaker"


def score_details(
    article: "Article", quotes: pd.DataFrame, gold: pd.DataFrame, *, threshold: float = 0.3, unnamed_as_unknown: bool = True
) -> pd.DataFrame:
    """What ``score`` counts against the system at one threshold, quote by quote.

    Returns:
        DataFrame with columns ``DETAIL_COLUMNS``, in text order: problem ("missed": a required
        gold quote not found; "wrong quote": a counted system quote that is not correct; "wrong
        speaker": a found gold quote whose best-overlapping system quote names another speaker),
        paragraph (0-based, as in ``framelens quotes``), start_char and end_char (of the gold
        quote, or of the system quote for a wrong one), gold_speaker, system_speaker, quote_id
        (the system quote's, "" for a miss) and text (the article text at those offsets).
    """
    gold = gold if "start_char" in gold else locate_gold(article, gold)
    size = len(article.text)
    system_mask = _mask(size, quotes["start_char"], quotes["end_char"])
    required = gold[gold["required"].astype(int) == 1]
    gold_mask = _mask(size, gold["start_char"], gold["end_char"])  # a quote in a borderline row is neutral, not wrong
    rows = []
    for g in table_rows(required):
        if _share(system_mask, g.start_char, g.end_char) < threshold:
            rows.append((MISSED, g.start_char, g.end_char, g.speaker, "", ""))
            continue
        best = _best_overlap(g, quotes)
        if not _speaker_right(g, best, unnamed_as_unknown=unnamed_as_unknown):
            rows.append((WRONG_SPEAKER, g.start_char, g.end_char, g.speaker, best.speaker, getattr(best, "quote_id", "")))
    for q in table_rows(quotes):
        if _share(gold_mask, q.start_char, q.end_char) < threshold:
            rows.append((WRONG_QUOTE, q.start_char, q.end_char, "", q.speaker, getattr(q, "quote_id", "")))
    return _detail_table(article, rows)


ATTRIBUTION_CHECK_COLUMNS = ["route", "confidence", "right"]


def attribution_checks(article: "Article", quotes: pd.DataFrame, gold: pd.DataFrame, *, threshold: float = 0.3) -> pd.DataFrame:
    """Whether each found required gold quote got the right speaker, with the route and confidence
    of the system quote it was matched to (the best-overlapping one, as speaker accuracy counts):
    what a report's confidence labels are worth.

    Returns:
        DataFrame with columns ``ATTRIBUTION_CHECK_COLUMNS`` (right: bool), one row per found quote.
    """
    gold = gold if "start_char" in gold else locate_gold(article, gold)
    system_mask = _mask(len(article.text), quotes["start_char"], quotes["end_char"])
    rows = []
    for g in gold[gold["required"].astype(int) == 1].itertuples(index=False):
        if _share(system_mask, g.start_char, g.end_char) < threshold:
            continue
        best = _best_overlap(g, quotes)
        rows.append((getattr(best, "route", ""), getattr(best, "confidence", ""), _speaker_right(g, best, unnamed_as_unknown=True)))
    return pd.DataFrame(rows, columns=ATTRIBUTION_CHECK_COLUMNS)


def _detail_table(article: "Article", rows: list[tuple]) -> pd.DataFrame:
    from .tokens import ParagraphIndex

    where = ParagraphIndex(article)
    records = [
        (problem, where.index(int(start)), int(start), int(end), gold, system, quote_id, article.text[int(start) : int(end)])
        for problem, start, end, gold, system, quote_id in rows
    ]
    table = pd.DataFrame(records, columns=DETAIL_COLUMNS)
    return table.sort_values(["start_char", "problem"], kind="stable").reset_index(drop=True)


def _mask(size: int, starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
    mask = np.zeros(size, bool)
    for start, end in zip(starts, ends):
        mask[int(start) : int(end)] = True
    return mask


def _share(mask: np.ndarray, start: int, end: int) -> float:
    start, end = int(start), int(end)
    return float(mask[start:end].mean()) if end > start else 0.0


def _speaker_accuracy(found: list, quotes: pd.DataFrame, *, unnamed_as_unknown: bool) -> float:
    """Share of found gold quotes whose best-overlapping system quote names the gold speaker.

    A system quote whose ``route`` or ``speaker_label`` says the source is unnamed counts as UNKNOWN (with
    ``unnamed_as_unknown``), whatever its description's first letter ("Valdoria's envoy").
    """
    if not found:
        return 0.0
    right = sum(_speaker_right(g, _best_overlap(g, quotes), unnamed_as_unknown=unnamed_as_unknown) for g in found)
    return right / len(found)


def _best_overlap(gold_row: Any, quotes: pd.DataFrame) -> Any:
    """The system quote overlapping a (found) gold quote most."""
    overlaps = [(min(gold_row.end_char, q.end_char) - max(gold_row.start_char, q.start_char), q) for q in table_rows(quotes)]
    return max(overlaps, key=lambda o: o[0])[1]


def _speaker_right(gold_row: Any, system_row: Any, *, unnamed_as_unknown: bool) -> bool:
    if unnamed_as_unknown and _unnamed(system_row):
        return speaker_key(gold_row.speaker) == frozenset({UNKNOWN.casefold()})
    return same_speaker(system_row.speaker, gold_row.speaker, unnamed_as_unknown=unnamed_as_unknown)


def same_speaker(system: str, gold: str, *, unnamed_as_unknown: bool = True) -> bool:
    """Whether a system speaker matches a gold speaker.

    Names compare case-insensitively and through the alias table ("EU" = "European Union"),
    "A + B" as a set. With ``unnamed_as_unknown`` a gold
    UNKNOWN also accepts a system description of an unnamed person (a lower-case initial, as
    framelens writes them: "a council spokeswoman").
    """
    if speaker_key(system) == speaker_key(gold):
        return True
    unknown = frozenset({UNKNOWN.casefold()})
    return unnamed_as_unknown and speaker_key(gold) == unknown and speaker_key(system, unnamed_as_unknown=True) == unknown


def speaker_key(speaker: str, *, unnamed_as_unknown: bool = False) -> frozenset[str]:
    """Comparable form of a speaker: the case-folded set of its " + "-joined names.

    With ``unnamed_as_unknown`` a name with a lower-case initial (a description) becomes UNKNOWN.
    """
    names = _names(speaker)
    if unnamed_as_unknown:
        names = [UNKNOWN if n[:1].islower() else n for n in names]
    return frozenset(n.casefold() for n in names) or frozenset({UNKNOWN.casefold()})


def _names(speaker: str) -> list[str]:
    """The " + "-joined names of a speaker, each in the alias table's long form ("EU" = "European Union")
    and without a leading "The" (names are compared as framelens writes them: "The Times" = "Times")."""
    from .entities import expand_aliases

    return [expand_aliases(re.sub(r"^The\s+(?=[A-Z])", "", n.strip())) for n in str(speaker).split(" + ") if n.strip()]


def voice_shares(quotes: pd.DataFrame) -> dict[str, float]:
    """Share of quoted words per speaker (a joint quote's words split evenly), unnamed as UNKNOWN.

    Speakers are compared as in ``same_speaker``: case-folded, an unnamed source ("a senior
    official") counted as UNKNOWN, since gold files mark unnamed people UNKNOWN.
    """
    words: dict[str, float] = {}
    for row in table_rows(quotes):
        names = sorted(_system_key(row))
        count = len(WORDS.findall(str(row.text)))
        for name in names:
            words[name] = words.get(name, 0.0) + count / len(names)
    total = sum(words.values())
    return {name: n / total for name, n in words.items()} if total else {}


def _system_key(row: Any) -> frozenset[str]:
    """A quote row's comparable speaker; a source framelens found unnamed (route or label) is UNKNOWN."""
    if _unnamed(row):
        return frozenset({UNKNOWN.casefold()})
    return speaker_key(row.speaker, unnamed_as_unknown=True)


def _unnamed(row: Any) -> bool:
    return getattr(row, "route", "") == "unnamed" or getattr(row, "speaker_label", "") == "UNNAMED"


def voice_distance(quotes: pd.DataFrame, gold: pd.DataFrame) -> float:
    """Total variation distance between the system's and the gold's share of voice (0 = same, 1 = disjoint).

    As in ``score``, borderline gold rows (``required == 0``) and the system quotes lying in them
    count neither way: the comparison is over required gold quotes and the rest of the system's.
    """
    quotes = _counted_quotes(quotes, gold)
    system, truth = voice_shares(quotes), voice_shares(gold[gold["required"].astype(int) == 1])
    if not system and not truth:
        return 0.0
    return 0.5 * sum(abs(system.get(k, 0.0) - truth.get(k, 0.0)) for k in set(system) | set(truth))


def _counted_quotes(quotes: pd.DataFrame, gold: pd.DataFrame, *, threshold: float = 0.3) -> pd.DataFrame:
    """System quotes without the neutral ones: those lying in borderline gold rows only."""
    if quotes.empty:
        return quotes
    size = max(int(quotes["end_char"].max()), int(gold["end_char"].max()) if len(gold) else 0)
    required = gold[gold["required"].astype(int) == 1]
    optional = gold[gold["required"].astype(int) == 0]
    required_mask = _mask(size, required["start_char"], required["end_char"])
    optional_mask = _mask(size, optional["start_char"], optional["end_char"])
    keep = [
        _share(required_mask, q.start_char, q.end_char) >= threshold or _share(optional_mask, q.start_char, q.end_char) < threshold
        for q in table_rows(quotes)
    ]
    return quotes[keep]


def top_speaker(quotes: pd.DataFrame) -> str:
    """The named speaker with the largest share of voice (case-folded), "" when none is named."""
    shares = {k: v for k, v in voice_shares(quotes).items() if k != UNKNOWN.casefold()}
    return max(sorted(shares), key=lambda k: shares[k]) if shares else ""


def trust_scores(article: "Article", quotes: pd.DataFrame, gold: pd.DataFrame) -> dict[str, Any]:
    """The numbers a report's claims rest on, for one article: quote F1 at 0.3 and 0.8, speaker
    accuracy, share-of-voice distance and whether the top named speaker is right.

    Returns:
        dict with keys f1_03, f1_08, speaker_accuracy, found (required gold quotes found at 0.3),
        gold (required gold quotes), voice_tvd, top_gold, top_system, top_right.
    """
    gold = gold if "start_char" in gold else locate_gold(article, gold)
    scores = score(article, quotes, gold)
    low, high = scores.iloc[0], scores.iloc[-1]
    top_gold, top_system = top_speaker(gold[gold["required"].astype(int) == 1]), top_speaker(_counted_quotes(quotes, gold))
    return {
        "f1_03": float(low.f1), "f1_08": float(high.f1), "speaker_accuracy": float(low.speaker_accuracy),
        "found": int(low.found), "gold": int(low.gold), "voice_tvd": voice_distance(quotes, gold),
        "top_gold": top_gold, "top_system": top_system, "top_right": top_gold == top_system,
    }


def read_any_gold(path: Path | str, article: "Article") -> pd.DataFrame:
    """A gold file in either format: with a ``text`` column, or offsets and hashes (third-party texts)."""
    return read_offset_gold(path, article) if "sha256" in _header(Path(path)) else locate_gold(article, read_gold(path))


def _header(path: Path) -> list[str]:
    """The first line's tab-separated fields; [] when unreadable (read_gold then says why)."""
    if not path.is_file():  # a FIFO would block
        return []
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\r\n").split("\t")
    except (OSError, UnicodeDecodeError):
        return []


def gold_set_scores(pairs: Sequence[tuple["Path | str | Article", Path | str]], *, nlp: "Language | None" = None) -> pd.DataFrame:
    """``trust_scores`` for each (article, gold file) pair, analysed the way a report analyses it.

    An article is a path, or an Article already loaded (one row of a JSONL corpus).

    Returns:
        DataFrame, one row per article: article (id), the ``trust_scores`` keys, and the counts
        behind pooled scores (correct, system at T=0.3).
    """
    from .analysis import analyze
    from .article import load_article
    from .nlp import load_pipeline

    nlp = nlp or load_pipeline()
    rows = []
    for article_path, gold_path in pairs:
        article = article_path if hasattr(article_path, "text") else load_article(article_path)
        gold = read_any_gold(gold_path, article)
        rows.append(_scores_row(article, analyze(article, nlp).quotes, gold))
    return pd.DataFrame(rows)


def _scores_row(article: "Article", quotes: pd.DataFrame, gold: pd.DataFrame) -> dict[str, Any]:
    """One row of ``gold_set_scores``: ``trust_scores`` and the counts ``pooled`` needs."""
    low = score(article, quotes, gold, thresholds=(0.3,)).iloc[0]
    return {"article": article.id, **trust_scores(article, quotes, gold), "correct": int(low.correct), "system": int(low.system)}


def annotator_agreement(triples: Sequence[tuple["Article", Path | str, Path | str]]) -> dict[str, pd.DataFrame]:
    """How far two independent annotations of the same articles agree, measured as framelens is.

    Each (article, first gold file, second gold file) is scored twice, each annotation in turn the
    gold and the other the "system" (all its rows, as a system reports everything it finds): the
    ceiling a machine can be expected to reach against one annotator.

    Returns:
        {"second vs first": DataFrame, "first vs second": DataFrame}, each shaped like
        ``gold_set_scores`` (one row per article; ``pooled`` sums it up).
    """
    forward, backward = [], []
    for article, first_path, second_path in triples:
        first, second = read_any_gold(first_path, article), read_any_gold(second_path, article)
        forward.append(_scores_row(article, second, first))
        backward.append(_scores_row(article, first, second))
    return {"second vs first": pd.DataFrame(forward), "first vs second": pd.DataFrame(backward)}


def pooled(scores: pd.DataFrame) -> dict[str, float]:
    """Scores over a whole gold set: pooled F1@0.3 and speaker accuracy, mean and worst voice distance."""
    precision = scores["correct"].sum() / max(scores["system"].sum(), 1)
    recall = scores["found"].sum() / max(scores["gold"].sum(), 1)
    return {
        "articles": len(scores),
        "f1_03": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "mean_f1_03": float(scores["f1_03"].mean()),
        "speaker_accuracy": float((scores["speaker_accuracy"] * scores["found"]).sum() / max(scores["found"].sum(), 1)),
        "mean_voice_tvd": float(scores["voice_tvd"].mean()),
        "articles_tvd_over_0_05": int((scores["voice_tvd"] > 0.05).sum()),
        "top_speaker_wrong": int((~scores["top_right"].astype(bool)).sum()),
    }


def evaluate_file(article_path: Path | str, gold_path: Path | str, *, nlp: "Language | None" = None) -> pd.DataFrame:
    """Load an article, parse it, extract its quotes and score them against a gold file (text or offset gold).

    Returns:
        The ``score`` table (one row per threshold 0.3 and 0.8).
    """
    return score(*system_and_gold(article_path, gold_path, nlp=nlp))


def system_and_gold(article_path: Path | str, gold_path: Path | str, *, nlp: "Language | None" = None) -> tuple["Article", pd.DataFrame, pd.DataFrame]:
    """The article, its extracted quotes and its gold quotes located in it (``read_any_gold``): what ``score`` takes."""
    from .article import load_article
    from .entities import mention_table
    from .nlp import load_pipeline, parse_article
    from .quotes import extract_quotes

    article = load_article(article_path)
    gold = read_any_gold(gold_path, article)
    doc = parse_article(article, nlp or load_pipeline())
    return article, extract_quotes(doc, article, mention_table(doc, article)), gold
