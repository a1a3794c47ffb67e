"""Loaded labels: the lexicon (resources/loaded_labels.yaml), where its terms occur, and what they label."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import pandas as pd

from ..config import BODY_ROLES, RESOURCES_DIR, read_yaml
from ..errors import FramelensError
from ..rows import frame, table_rows
from ..tokens import sentence_ids
from .common import _APOSTROPHES, NARRATOR, WORD_END, WORD_START, WordStartSearch, _any_term_regex, _lowers_like_ignorecase, _span, _term_regex, quote_spans, voice_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..article import Article


@functools.lru_cache(maxsize=4)
def _loaded_lexicon(path: str | None = None) -> tuple[list[dict[str, Any]], re.Pattern, tuple[re.Pattern, "WordStartSearch | None"]]:
    file = Path(path) if path else RESOURCES_DIR / "loaded_labels.yaml"
    data = read_yaml(file, "loaded-label lexicon")
    entries = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise FramelensError(f"{file}: expected a 'labels' list of {{term, pos, note}} entries")
    groups, every_form, plural_forms = [], [], []
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("note"):
            raise FramelensError(f"{file}: entry {n + 1} needs a 'term' and a 'note'")
        forms = [str(entry["term"])] + [str(f) for f in entry.get("forms") or []]
        groups.append(f"(?P<g{n}>{_term_regex(forms, plural=entry.get('pos') == 'noun', whole_words=False)})")
        every_form += forms
        plural_forms += forms if entry.get("pos") == "noun" else []
    # the guards once around all the terms, not once per term: the same matches, and every
    # position that starts no word fails at once instead of trying each term (7x faster)
    pattern = re.compile(WORD_START + "(?:" + "|".join(groups) + ")" + WORD_END, re.I)
    # a trie of the same forms matches at the same places, faster: it finds where ``pattern`` is tried;
    # and lower-cased (ASCII forms), on a text where that finds the same (see _find_loaded)
    where = re.compile(_any_term_regex(every_form, plural=plural_forms), re.I)
    lowered = [f.translate(_APOSTROPHES).lower() for f in every_form]
    plural_lowered = {f.translate(_APOSTROPHES).lower() for f in plural_forms}
    lower = WordStartSearch(_any_term_regex(lowered, plural=plural_lowered, word_start=False)) if all(map(str.isascii, lowered)) else None
    return entries, pattern, (where, lower)


def loaded_lexicon() -> pd.DataFrame:
    """The loaded-label lexicon (resources/loaded_labels.yaml) as a DataFrame: term, pos, forms, note."""
    entries, _, _ = _loaded_lexicon()
    return pd.DataFrame(
        [(e["term"], e.get("pos", ""), " | ".join(e.get("forms") or []), e["note"]) for e in entries],
        columns=["term", "pos", "forms", "note"],
    )


def _find_loaded(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, entry) of every loaded label in ``text`` (what ``pattern.finditer`` gives)."""
    entries, pattern, where = _loaded_lexicon()
    text = text.translate(_APOSTROPHES)
    where, lower = where
    searched = text
    if lower is not None and _lowers_like_ignorecase(text):
        where, searched = lower, text.lower()  # the same candidates, at the same offsets
    found, position = [], 0
    while (candidate := where.search(searched, position)) is not None:
        match = pattern.match(text, candidate.start())  # the leftmost place the lexicon matches, as finditer finds it
        if match is None:  # (cannot happen: the trie matches where the pattern does)
            position = candidate.start() + 1
            continue
        found.append((match.start(), match.end(), entries[int(match.lastgroup[1:])]))
        position = match.end() if match.end() > match.start() else match.start() + 1
    return found


LOADED_COLUMNS = [
    "paragraph", "sentence", "start_char", "end_char", "label", "pos", "text", "target", "target_kind", "note",
    "voice", "in_quote", "quote_id", "quote_kind",
]
LOADED_SCHEMA = {c: "int64" if c in ("paragraph", "sentence", "start_char", "end_char") else "bool" if c == "in_quote" else "str" for c in LOADED_COLUMNS}
BY_VOICE_SCHEMA = {"voice": "str", "in_quote": "bool", "labels": "int64", "direct": "int64", "terms": "str", "paragraphs": "str"}


def loaded_labels(
    doc: "Doc", article: "Article", quotes: pd.DataFrame | None = None, *, roles: Sequence[str] = BODY_ROLES
) -> pd.DataFrame:
    """Every loaded label (resources/loaded_labels.yaml) in the body text, what it labels, and who uses it.

    Args:
        doc: the parse of ``article.text``.
        article: the article (its paragraph roles choose the text searched).
        quotes: the quotes table; a label inside a quote's span is that speaker's word, not the
            writer's. Without it every label counts as the narrator's.
        roles: paragraph roles searched (body by default).

    Returns:
        DataFrame with columns paragraph, sentence, start_char, end_char, label (the lexicon
        term), pos (its part of speech in the lexicon), text (as written), target (the noun
        phrase the label modifies or heads, e.g. "the self-proclaimed Islamic State terrorist
        group"; for an adverb such as "allegedly", the verb phrase), target_kind ("noun phrase"
        or "verb phrase"), note (why the label is loaded), voice ("narrator", or the speaker of the quote the label sits in, as in the
        quotes table), in_quote, quote_id ("" for the narrator), quote_kind ("direct",
        "indirect", or "" for the narrator); in text order.
    """
    spans = quote_spans(quotes)
    sent_of = sentence_ids(doc)
    text = article.text.translate(_APOSTROPHES)
    rows = []
    for p in article.paragraphs:
        if p.role not in roles:
            continue
        for start, end, entry in _find_loaded(text[p.start_char : p.end_char]):
            start, end = start + p.start_char, end + p.start_char
            span = _span(doc, start, end)
            target, target_kind = _label_target(span) if span is not None else ("", "")
            sentence = sent_of[span[0].i] if span is not None else -1
            who = voice_of(start, end, spans)
            rows.append((
                p.index, sentence, start, end, entry["term"], entry.get("pos", ""), article.text[start:end], target,
                target_kind, entry["note"], who.voice, who.in_quote, who.quote_id, who.quote_kind,
            ))
    return frame(rows, LOADED_SCHEMA)


def loaded_by_voice(loaded: pd.DataFrame) -> pd.DataFrame:
    """Who uses the loaded labels: one row per voice (the narrator, then each quoted speaker).

    Args:
        loaded: ``loaded_labels``.

    Returns:
        DataFrame with columns voice ("narrator" or a speaker), in_quote, labels (uses),
        direct (uses inside direct quotes), terms (the distinct lexicon terms, " | "-joined, in
        text order), paragraphs (0-based, " | "-joined); the narrator first, then most uses first.
    """
    if loaded.empty:
        return frame([], BY_VOICE_SCHEMA)
    uses: dict[str, list] = {}  # voice -> [uses, direct uses, terms, paragraphs], by first use (a groupby in plain Python)
    for use in table_rows(loaded):
        voice, kind, label, paragraph = use.voice, use.quote_kind, use.label, use.paragraph
        if voice != voice:
            continue  # as groupby: no voice, no group
        tally = uses.setdefault(voice, [0, 0, {}, {}])
        tally[0] += 1
        tally[1] += kind == "direct"
        tally[2][label] = tally[3][paragraph] = None
    rows = [
        (voice, voice != NARRATOR, n, direct, " | ".join(terms), " | ".join(str(p) for p in paragraphs))
        for voice, (n, direct, terms, paragraphs) in uses.items()
    ]
    rows.sort(key=lambda r: (r[0] != NARRATOR, -r[2]))  # the narrator first, then most uses (stable)
    return frame(rows, BY_VOICE_SCHEMA)


def _noun_phrase(head: "Token") -> str:
    """The noun phrase headed by ``head``: its left dependents, the head, and an "of" phrase."""
    doc = head.doc
    start = head.left_edge.i
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            end = max(end, child.right_edge.i + 1)
        elif child.dep_ in ("compound", "flat"):
            end = max(end, child.i + 1)
    sent = head.sent
    return doc[max(start, sent.start) : min(end, sent.end)].text.strip(" ,;:")


def _label_target(span: "Span") -> tuple[str, str]:
    """(the phrase a label qualifies, "noun phrase" or "verb phrase")."""
    token = span.root
    nominal = ("NOUN", "PROPN")
    if token.pos_ == "ADV" or (token.dep_ == "advmod" and token.head.pos_ in ("VERB", "AUX")):
        verb = token.head
        objects = [c for c in verb.children if c.dep_ in ("dobj", "attr", "acomp", "xcomp", "ccomp")]
        end = max([c.right_edge.i for c in objects] + [verb.i]) + 1
        return span.doc[verb.i : min(end, verb.i + 12)].text, "verb phrase"
    if token.dep_ in ("acomp", "attr") and token.head.lemma_ == "be":
        subjects = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return _noun_phrase(subjects[0]), "noun phrase"
    head = token
    if head.dep_ in ("amod", "compound", "nmod", "npadvmod", "advmod", "nummod") and head.head.pos_ in nominal:
        head = head.head
    while head.dep_ in ("compound", "flat") and head.head.pos_ in nominal and head.head != head:
        head = head.head
    if head.pos_ not in nominal and head.head.pos_ in nominal and head.dep_ in ("amod", "acl"):
        head = head.head
    return _noun_phrase(head), "noun phrase"


def _loaded_in(text: str) -> list[dict[str, Any]]:
    return list({e["term"]: e for _, _, e in _find_loaded(text)}.values())
