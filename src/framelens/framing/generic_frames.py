"""Generic news frames (Semetko & Valkenburg 2000): the codebook, its rules, and the answers per article."""
from __future__ import annotations

import bisect
import copy
import functools
import itertools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Mapping

import pandas as pd

from ..config import BODY_ROLES, RESOURCES_DIR, ROLES, read_yaml
from ..errors import FramelensError
from .common import Voiced, VoicedSpans, WordStartSearch, _any_term_regex, _lowers_like_ignorecase, _norm, _quotes
from ..rows import column_values, frame, table_rows

RULE_KEYS = {
    "terms_any", "lemmas_any", "patterns_any", "none_of_terms", "requires_entity", "min_actors",
    "actor_labels", "requires_quote", "all_of", "any_of",
}
QUESTION_KEYS = {"id", "question", "rule", "min_sentences", "roles", "note"}
DEFAULT_ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")
# How the report and the charts name each frame in a sentence (the codebook's ids are short).
FRAME_NAMES = {
    "responsibility": "responsibility",
    "human_interest": "human interest",
    "conflict": "conflict",
    "morality": "morality",
    "economic": "economic consequences",
}


def frame_name(frame: str) -> str:
    """The frame as words: "economic" -> "economic consequences", an unknown id with spaces."""
    return FRAME_NAMES.get(frame, str(frame).replace("_", " "))


def load_codebook(path: Path | str | None = None) -> dict[str, Any]:
    """Read and check a frames codebook (default: resources/frames_codebook.yaml).

    "@name" items in term, lemma and pattern lists are replaced by the codebook's shared
    ``lists``. Every rule key is checked against the documented vocabulary.

    Returns:
        dict with keys reference (str) and frames: a list of {frame, label, description,
        questions: [{id, question, note, min_sentences, roles, rule}]}.

    Raises:
        FramelensError: when the file is missing, is not YAML, or uses an unknown key, list or
            regular expression.
    """
    return copy.deepcopy(_cached_codebook(path))  # a copy: the caller may edit it, the cache stays intact


def _cached_codebook(path: Path | str | None) -> dict[str, Any]:
    """The checked codebook at ``path``, parsed once per process and again only when the file changes."""
    return _read_codebook(*_codebook_key(path))


def _codebook_key(path: Path | str | None) -> tuple[Path, tuple[int, int] | None]:
    file = Path(path) if path else RESOURCES_DIR / "frames_codebook.yaml"
    try:
        stat = file.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None  # _read_codebook reports the unreadable file
    return file, stamp


def _book_and_rules(codebook: Mapping[str, Any] | Path | str | None) -> tuple[Mapping[str, Any], list[Callable]]:
    """The codebook and the compiled rule of each question in order; a codebook file's rules are
    compiled once per process (a Mapping the caller holds, each time: it may have changed)."""
    if isinstance(codebook, Mapping):
        return codebook, _compile_questions(codebook)
    key = _codebook_key(codebook)
    return _read_codebook(*key), _compiled_codebook(*key)


@functools.lru_cache(maxsize=8)
def _compiled_codebook(file: Path, stamp: tuple[int, int] | None) -> list[Callable]:
    return _compile_questions(_read_codebook(file, stamp))


def _compile_questions(book: Mapping[str, Any]) -> list[Callable]:
    return [_compile_rule(q["rule"], q["id"]) for f in book["frames"] for q in f["questions"]]


@functools.lru_cache(maxsize=8)
def _read_codebook(file: Path, stamp: tuple[int, int] | None) -> dict[str, Any]:
    data = read_yaml(file, "codebook")
    if not isinstance(data, dict) or not isinstance(data.get("frames"), list) or not data["frames"]:
        raise FramelensError(f"{file}: expected a mapping with a non-empty 'frames' list")
    lists = data.get("lists") or {}
    seen: set[str] = set()
    frames_out = []
    for f in data["frames"]:
        if not isinstance(f, dict) or not f.get("frame") or not isinstance(f.get("questions"), list):
            raise FramelensError(f"{file}: every frame needs 'frame' and a 'questions' list")
        questions = []
        for q in f["questions"]:
            where = f"{file}: frame {f['frame']!r}, question {q.get('id') if isinstance(q, dict) else q!r}"
            if not isinstance(q, dict) or not q.get("id") or not q.get("question") or not isinstance(q.get("rule"), dict):
                raise FramelensError(f"{where}: needs 'id', 'question' and a 'rule' mapping")
            unknown = set(q) - QUESTION_KEYS
            if unknown:
                raise FramelensError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(QUESTION_KEYS))}")
            if q["id"] in seen:
                raise FramelensError(f"{where}: question id {q['id']!r} is used twice")
            seen.add(q["id"])
            min_sentences = q.get("min_sentences", 1)
            if not isinstance(min_sentences, int) or min_sentences < 1:
                raise FramelensError(f"{where}: min_sentences must be a positive whole number")
            roles = q.get("roles") or list(BODY_ROLES)
            if not isinstance(roles, list) or not set(roles) <= set(ROLES):
                raise FramelensError(f"{where}: roles must be a list of paragraph roles ({', '.join(ROLES)})")
            rule = _expand_rule(q["rule"], lists, where)
            _compile_rule(rule, where)  # fail now, not when the rule is used
            questions.append({
                "id": str(q["id"]), "question": str(q["question"]), "note": str(q.get("note", "")),
                "min_sentences": min_sentences, "roles": list(roles), "rule": rule,
            })
        frames_out.append({
            "frame": str(f["frame"]), "label": str(f.get("label", f["frame"])),
            "description": str(f.get("description", "")), "questions": questions,
        })
    return {"reference": str(data.get("reference", "")), "frames": frames_out}


def _expand_rule(rule: Mapping[str, Any], lists: Mapping[str, Any], where: str) -> dict[str, Any]:
    if not rule or set(rule) <= {"actor_labels"}:
        raise FramelensError(f"{where}: a rule needs at least one condition ({', '.join(sorted(RULE_KEYS))})")
    unknown = set(rule) - RULE_KEYS
    if unknown:
        raise FramelensError(f"{where}: unknown rule key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(RULE_KEYS))}")
    out: dict[str, Any] = {}
    for key, value in rule.items():
        if key in ("all_of", "any_of"):
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise FramelensError(f"{where}: {key} must be a list of rule mappings")
            out[key] = [_expand_rule(v, lists, where) for v in value]
        elif key in ("terms_any", "lemmas_any", "patterns_any", "none_of_terms", "actor_labels", "requires_entity"):
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list):
                raise FramelensError(f"{where}: {key} must be a list")
            expanded = []
            for item in items:
                item = str(item)
                if item.startswith("@"):
                    if item[1:] not in lists:
                        raise FramelensError(f"{where}: {key} refers to unknown list {item!r}")
                    expanded.extend(str(x) for x in lists[item[1:]])
                else:
                    expanded.append(item)
            out[key] = expanded
        elif key == "min_actors":
            if not isinstance(value, int) or value < 1:
                raise FramelensError(f"{where}: min_actors must be a positive whole number")
            out[key] = value
        elif key == "requires_quote":
            if value not in (True, False, "direct", "indirect", "any"):
                raise FramelensError(f"{where}: requires_quote must be true, direct or indirect")
            out[key] = value
    return out


def _inflections(lemma: str) -> list[str]:
    """Regular inflected forms of a lemma (used when no token table gives lemmas)."""
    first, _, rest = lemma.partition(" ")
    forms = {first, first + "s", first + "es", first + "ed", first + "d", first + "ing"}
    if first.endswith("e"):
        forms |= {first[:-1] + "ing"}
    if first.endswith("y") and len(first) > 2 and first[-2] not in "aeiou":
        forms |= {first[:-1] + "ies", first[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", first) and len(first) <= 4:
        forms |= {first + first[-1] + "ed", first + first[-1] + "ing"}
    return [f"{f} {rest}".strip() for f in forms]


class _Sentences:
    """The features of an article's sentences (see ``_sentence_features``) with their texts (and
    lemma strings) joined, so one regex search finds every sentence a term occurs in."""

    SEPARATOR = "\n\x00\n"  # no term pattern matches NUL, and a newline bounds words as a string's ends do

    def __init__(self, features: list[dict[str, Any]]):
        self.features = features
        self.everyone = frozenset(range(len(features)))
        self.text = _Joined([f["text"] for f in features])
        self.lemmas = _Joined([f["lemmas"] for f in features]) if features and features[0]["lemmas"] is not None else None

    def where(self, test: Callable[[dict[str, Any]], bool], among: frozenset[int] | None) -> frozenset[int]:
        """The sentences (of ``among``; None: all) whose features pass ``test``."""
        return frozenset(i for i in (self.everyone if among is None else among) if test(self.features[i]))


class _Joined:
    """Strings joined by ``_Sentences.SEPARATOR``: ``matching`` gives the indices of the strings a
    pattern matches in (a pattern that cannot match across NUL, as no term pattern can)."""

    def __init__(self, strings: list[str]):
        self.strings = strings
        self.text = _Sentences.SEPARATOR.join(strings)
        self.ascii_lower = self.text.lower() if _lowers_like_ignorecase(self.text) else None  # for ``_Terms.ascii``: the same offsets
        self.starts = list(itertools.accumulate((len(x) + len(_Sentences.SEPARATOR) for x in strings[:-1]), initial=0))
        self.ends = [start + len(x) for start, x in zip(self.starts, strings)]

    def matching(self, pattern: "re.Pattern | _Terms", among: frozenset[int] | None = None) -> frozenset[int]:
        """The strings (of ``among``; None: all) ``pattern`` matches in: a few are searched one by one."""
        text = self.text
        if isinstance(pattern, _Terms):
            pattern, text = (pattern.ascii, self.ascii_lower) if pattern.ascii and self.ascii_lower is not None else (pattern.any_case, text)
        if among is not None and len(among) * 4 < len(self.strings):
            return frozenset(i for i in among if pattern.search(text, self.starts[i], self.ends[i]))
        found: set[int] = set()
        position = 0 if self.ends else len(text) + 1  # no strings: nothing to find
        while position <= len(text) and (match := pattern.search(text, position)) is not None:
            index = bisect.bisect_right(self.starts, match.start()) - 1
            if match.end() > self.ends[index]:  # an empty match in a separator: not in any string
                position = match.start() + 1
                continue
            found.add(index)
            position = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text) + 1  # the next string
        return frozenset(found) if among is None else frozenset(found) & among


class _Terms:
    """A term list's trie regex, case-insensitive, and for ASCII terms also written in lower case
    without re.I: on a lower-cased ASCII text it matches in the same places, a third faster."""

    def __init__(self, terms: list[str]):
        self.any_case = re.compile(_any_term_regex(terms), re.I)  # (re.I finds no first letters to skip to: guarded as it is)
        ascii_terms = all(t.isascii() for t in terms)
        self.ascii = WordStartSearch(_any_term_regex([t.lower() for t in terms], word_start=False)) if ascii_terms else None


Rule = Callable[[_Sentences, "frozenset[int] | None"], frozenset[int]]


def _compile_rule(rule: Mapping[str, Any], where: str = "codebook") -> Rule:
    """The indices of the sentences (``_Sentences``; of ``among``, None: all) a rule holds for.

    Its checks all must hold: the cheap ones (entities, quotes) run first, and each later one
    reads only the sentences the earlier ones kept.
    """
    cheap: list[Rule] = []
    searches: list[Rule] = []
    if "terms_any" in rule:
        pattern = _Terms(rule["terms_any"])
        searches.append(lambda s, among, p=pattern: s.text.matching(p, among))
    if "none_of_terms" in rule:
        pattern = _Terms(rule["none_of_terms"])
        searches.append(lambda s, among, p=pattern: (s.everyone if among is None else among) - s.text.matching(p, among))
    if "patterns_any" in rule:
        try:
            pattern = re.compile("|".join(f"(?:{p})" for p in rule["patterns_any"]), re.I)
        except re.error as exc:
            raise FramelensError(f"{where}: invalid regular expression in patterns_any ({exc})") from exc
        # a researcher's regex: one sentence at a time
        searches.append(lambda s, among, p=pattern: s.where(lambda f: bool(p.search(f["text"])), among))
    if "lemmas_any" in rule:
        lemmas = [" ".join(str(x).lower().split()) for x in rule["lemmas_any"]]
        by_lemma = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(x) for x in lemmas) + r")(?!\S)")
        by_form = _Terms([f for x in lemmas for f in _inflections(x)])
        searches.append(
            lambda s, among, a=by_lemma, b=by_form: s.lemmas.matching(a, among) if s.lemmas is not None else s.text.matching(b, among)
        )
    if "requires_entity" in rule:
        wanted = set(rule["requires_entity"])
        cheap.append(lambda s, among, w=wanted: s.where(lambda f: bool(w & set(f["actors"])), among))
    if "min_actors" in rule:
        labels = set(rule.get("actor_labels") or DEFAULT_ACTOR_LABELS)
        n = rule["min_actors"]
        cheap.append(lambda s, among, l=labels, n=n: s.where(
            lambda f: len({a for lab, actors in f["actors"].items() if lab in l for a in actors}) >= n, among
        ))
    if "requires_quote" in rule and rule["requires_quote"]:
        kind = rule["requires_quote"]
        cheap.append(lambda s, among, k=kind: s.where(lambda f: bool(f["quotes"]) if k in (True, "any") else k in f["quotes"], among))
    if "all_of" in rule:
        searches.append(functools.partial(_all_hold, [_compile_rule(r, where) for r in rule["all_of"]]))
    if "any_of" in rule:
        searches.append(functools.partial(_any_holds, [_compile_rule(r, where) for r in rule["any_of"]]))
    return functools.partial(_all_hold, cheap + searches)


def _all_hold(checks: list[Rule], s: _Sentences, among: frozenset[int] | None) -> frozenset[int]:
    for check in checks:
        if among is not None and not among:
            break
        among = check(s, among)
    return s.everyone if among is None else among


def _any_holds(checks: list[Rule], s: _Sentences, among: frozenset[int] | None) -> frozenset[int]:
    found: frozenset[int] = frozenset()
    left = s.everyone if among is None else among
    for check in checks:
        found |= check(s, left - found)  # a sentence one check found needs no other
    return found


def _sentence_features(
    sentences: pd.DataFrame, mentions: pd.DataFrame, quotes: pd.DataFrame, tokens: pd.DataFrame | None
) -> list[dict[str, Any]]:
    """Per sentence: number, role, normalised text, lemma string (None without tokens), actors by label, quote kinds."""
    actors: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in table_rows(mentions):
        actors[int(m.sentence)][m.label].add(m.canonical)
    lemmas: dict[int, str] = {}
    if tokens is not None and not tokens.empty:
        words: dict[int, list[str]] = defaultdict(list)
        for n, lemma in zip(column_values(tokens, "sentence"), column_values(tokens, "lemma")):
            words[int(n)].append(str(lemma).lower())
        lemmas = {n: " ".join(sentence) for n, sentence in words.items()}
    spans = VoicedSpans(sorted(  # the quotes overlapping each sentence found by bisect, not by reading them all
        (Voiced(int(q.start_char), int(q.end_char), "", "", str(q.kind)) for q in table_rows(quotes)), key=lambda v: (v.start, v.end)
    ))
    features = []
    for s in table_rows(sentences):
        n = int(s.sentence)
        features.append({
            "sentence": n,
            "role": s.role,
            "text": _norm(str(s.text)),
            "raw": str(s.text),
            "lemmas": lemmas.get(n, "") if tokens is not None else None,
            "actors": actors.get(n, {}),
            "quotes": {v.quote_kind for v in spans.overlapping(s.start_char, s.end_char)},
        })
    return features


def frames(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    quotes: pd.DataFrame,
    *,
    codebook: Mapping[str, Any] | Path | str | None = None,
    tokens: pd.DataFrame | None = None,
    joined_evidence: bool = False,
) -> pd.DataFrame:
    """Answer the codebook's yes/no questions (Semetko & Valkenburg 2000 by default).

    Each question's rule is applied to every sentence of the roles it names (body by default);
    the answer is yes when at least ``min_sentences`` sentences match.

    Args:
        sentences: ``tokens.sentence_table``.
        mentions: ``entities.mention_table`` (for entity conditions).
        quotes: the quotes table (for quote conditions; may be empty).
        codebook: a codebook returned by ``load_codebook``, a path to a codebook file, or None
            for the packaged one (resources/frames_codebook.yaml).
        tokens: ``tokens.token_table``; when given, lemma conditions use its lemmas exactly,
            otherwise regular inflections of each lemma are matched in the text.
        joined_evidence: evidence as a string, the sentence numbers joined by "; " (as a saved
            analysis holds it) instead of a list.

    Returns:
        DataFrame, one row per question in codebook order, with columns frame, question_id,
        question, answer (bool), evidence (list of matching sentence numbers),
        evidence_text (up to three matching sentences joined by " | ").
    """
    book, rules = _book_and_rules(codebook)
    quotes = _quotes(quotes, required=("kind", "start_char", "end_char"))
    features = _sentence_features(sentences, mentions, quotes, tokens)
    by_roles: dict[frozenset[str], tuple[list[dict[str, Any]], _Sentences]] = {}  # only a question's roles are searched
    rows = []
    tests = iter(rules)
    for f in book["frames"]:
        for q in f["questions"]:
            roles = frozenset(q.get("roles") or BODY_ROLES)
            if roles not in by_roles:
                chosen = [s for s in features if s["role"] in roles]
                by_roles[roles] = chosen, _Sentences(chosen)
            chosen, searched = by_roles[roles]
            holds = next(tests)(searched, None)
            matches = [s for i, s in enumerate(chosen) if i in holds]
            answer = len(matches) >= int(q.get("min_sentences", 1))
            text = " | ".join(s["raw"] for s in matches[:3]) + (f" | (+{len(matches) - 3} more)" if len(matches) > 3 else "")
            evidence = [s["sentence"] for s in matches]
            rows.append((f["frame"], q["id"], q["question"], bool(answer), "; ".join(map(str, evidence)) if joined_evidence else evidence, text))
    return frame(rows, {**FRAMES_SCHEMA, "evidence": "str"} if joined_evidence else FRAMES_SCHEMA)


FRAMES_SCHEMA = {"frame": "str", "question_id": "str", "question": "str", "answer": "bool", "evidence": "object", "evidence_text": "str"}
SCORES_SCHEMA = {"frame": "str", "yes": "int64", "questions": "int64", "score": "float64"}


def frame_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Per frame: questions answered yes, questions asked, and score = share of yes.

    Returns:
        DataFrame with columns frame, yes, questions, score (0..1), in codebook order.
    """
    if answers.empty:
        return frame([], SCORES_SCHEMA)
    counts: dict[str, list[int]] = {}  # frame -> [yes, questions], in codebook order (a groupby in plain Python)
    for row in table_rows(answers):
        tally = counts.setdefault(row.frame, [0, 0])
        tally[0] += int(row.answer)
        tally[1] += 1
    return frame([(name, yes, n, yes / n) for name, (yes, n) in counts.items()], SCORES_SCHEMA)


EVIDENCE_COLUMNS = ["question_id", "paragraph", "sentence", "start_char", "end_char", "text"]


def frame_evidence(answers: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Where each answer's evidence is, as a reader counts: paragraph and sentence from 1.

    Args:
        answers: ``frames`` output (its ``evidence`` lists sentence numbers of ``sentences``, as a
            list or, in a saved analysis, joined by "; ").
        sentences: ``tokens.sentence_table`` of the same article.

    Returns:
        DataFrame, one row per (question, evidence sentence) in question order, columns
        question_id, paragraph (1-based), sentence (1-based within its paragraph), start_char,
        end_char (offsets into the article text) and text (the sentence).
    """
    located = sentences.assign(
        paragraph=sentences["paragraph"] + 1,
        sentence_in_paragraph=sentences.groupby("paragraph").cumcount() + 1,
    ).set_index("sentence")
    rows = [
        (a.question_id, *located.loc[n, ["paragraph", "sentence_in_paragraph", "start_char", "end_char", "text"]])
        for a in table_rows(answers)
        for n in _sentence_numbers(a.evidence)
    ]
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    return table.astype({c: int for c in ("paragraph", "sentence", "start_char", "end_char")})


def _sentence_numbers(evidence: Any) -> list[int]:
    if isinstance(evidence, (list, tuple)):
        return [int(n) for n in evidence]
    return [int(n) for n in str(evidence).split(";") if n.strip()]
