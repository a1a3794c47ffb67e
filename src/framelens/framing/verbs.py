"""Reporting verbs: how each speaker's words are introduced, and the verbs' connotations."""
from __future__ import annotations

import functools
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import RESOURCES_DIR, read_yaml
from ..errors import FramelensError
from .common import _quotes, split_speakers
from ..rows import frame, table_rows


@functools.lru_cache(maxsize=4)
def _verb_lexicon(path: str | None = None) -> tuple[dict[str, str], tuple[str, ...]]:
    file = Path(path) if path else RESOURCES_DIR / "reporting_verbs.yaml"
    data = read_yaml(file, "reporting-verb lexicon")
    classes = data.get("classes") if isinstance(data, dict) else None
    if not isinstance(classes, dict):
        raise FramelensError(f"{file}: expected a 'classes' mapping of class -> {{description, verbs}}")
    table: dict[str, str] = {}
    for name, spec in classes.items():
        for verb in (spec or {}).get("verbs") or []:
            verb = " ".join(str(verb).lower().split())
            if verb in table and table[verb] != name:
                raise FramelensError(f"{file}: verb {verb!r} is in both {table[verb]!r} and {name!r}; keep it in one class")
            table[verb] = str(name)
    return table, tuple(classes)


def verb_connotations() -> pd.DataFrame:
    """The reporting-verb lexicon (resources/reporting_verbs.yaml): columns lemma, connotation."""
    table, _ = _verb_lexicon()
    return pd.DataFrame(sorted(table.items(), key=lambda kv: (kv[1], kv[0])), columns=["lemma", "connotation"])


def verb_connotation(cue_lemma: Any, cue: Any = "") -> str:
    """Connotation class of a reporting verb ("claim" -> "distancing"); "other" when unlisted,
    "none" when the quote has no cue. A particle in ``cue`` is used ("pointed out" -> "point out")."""
    table, _ = _verb_lexicon()
    lemma = " ".join(str(cue_lemma).lower().split()) if isinstance(cue_lemma, str) else ""
    surface = " ".join(str(cue).lower().split()) if isinstance(cue, str) else ""
    if not lemma and not surface:
        return "none"
    words = surface.split()
    candidates = [lemma]
    if lemma and len(words) > 1:
        candidates.insert(0, f"{lemma.split()[0]} {words[-1]}")
    candidates.append(lemma.split()[0] if lemma else "")
    candidates.append(surface)
    for c in candidates:
        if c and c in table:
            return table[c]
    return "other"


def reporting_verbs(quotes: pd.DataFrame) -> pd.DataFrame:
    """How each speaker's words are introduced: reporting verbs per speaker with their connotation.

    A quote with several speakers counts for each. Connotation classes come from
    resources/reporting_verbs.yaml (see ``verb_connotation``).

    Returns:
        DataFrame with columns speaker, cue_lemma, cue (lower-cased, "" when none), count,
        connotation; by speaker then count.
    """
    quotes = _quotes(quotes, required=("speaker", "cue", "cue_lemma"))
    rows = []
    for q in table_rows(quotes):
        lemma = str(q.cue_lemma).lower().strip() if isinstance(q.cue_lemma, str) else ""
        cue = " ".join(str(q.cue).lower().split()) if isinstance(q.cue, str) else ""
        connotation = verb_connotation(lemma, cue)
        for speaker in dict.fromkeys(split_speakers(q.speaker)):
            rows.append((speaker, lemma, cue, connotation))
    if not rows:
        return frame([], REPORTING_VERBS_SCHEMA)
    counted = Counter(rows)  # keeps the order of first use, as groupby(sort=False) does
    ordered = sorted(counted.items(), key=lambda item: (item[0][0], -item[1]))  # by speaker, then count (stable)
    return frame([(speaker, lemma, cue, n, connotation) for (speaker, lemma, cue, connotation), n in ordered], REPORTING_VERBS_SCHEMA)


REPORTING_VERBS_SCHEMA = {"speaker": "str", "cue_lemma": "str", "cue": "str", "count": "int64", "connotation": "str"}


def verb_profile(quotes: pd.DataFrame, *, verbs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Speaker x connotation counts of reporting verbs (``verbs``: ``reporting_verbs(quotes)``, when already computed).

    Returns:
        DataFrame with a speaker column, one column per connotation class used (in the
        lexicon's order, then "other" and "none"), and total; speakers with most quotes first.
    """
    verbs = reporting_verbs(quotes) if verbs is None else verbs
    _, classes = _verb_lexicon()
    if verbs.empty:
        return pd.DataFrame(columns=["speaker", "total"])
    counts: dict[str, Counter] = defaultdict(Counter)
    used = set()
    for verb in table_rows(verbs):
        counts[verb.speaker][verb.connotation] += verb.count
        used.add(verb.connotation)
    order = [c for c in (*classes, "other", "none") if c in used]
    rows = [(speaker, *(counts[speaker][c] for c in order), sum(counts[speaker][c] for c in order)) for speaker in sorted(counts)]
    rows.sort(key=lambda r: -r[-1])  # most quotes first (stable, as pandas' sort)
    return frame(rows, {"speaker": "str", **dict.fromkeys(order, "int64"), "total": "int64"})
