"""Token and sentence tables, spaCy vs NLTK tokenisation, frequencies, collocations and KWIC lines."""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np
import pandas as pd

from .config import BODY_ROLES
from .rows import frame, frame_from_columns, shared

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .article import Article


class ParagraphIndex:
    """Map a character offset to its paragraph index and role."""

    def __init__(self, article: "Article"):
        self._starts = [p.start_char for p in article.paragraphs]
        self._paragraphs = article.paragraphs

    def index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._starts, char) - 1)

    def role(self, char: int) -> str:
        return self._paragraphs[self.index(char)].role


def sentence_table(doc: "Doc", article: "Article") -> pd.DataFrame:
    """One row per sentence: sentence, paragraph, role, start_char, end_char, text (stripped)."""
    starts, ends = _sentence_chars(doc)
    if not len(starts):
        return frame([], SENTENCE_SCHEMA)
    text = doc_text(doc)
    paragraph = paragraph_indices(article, starts)
    roles = [p.role for p in article.paragraphs]
    return frame_from_columns({
        "sentence": np.arange(len(starts), dtype=np.int64),
        "paragraph": paragraph,
        "role": [roles[n] for n in paragraph.tolist()],
        "start_char": starts,
        "end_char": ends,
        "text": [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())],
    }, SENTENCE_SCHEMA)


def paragraph_indices(article: "Article", chars: np.ndarray) -> np.ndarray:
    """``ParagraphIndex(article).index`` of every offset in ``chars`` at once (int64)."""
    starts = [p.start_char for p in article.paragraphs]
    return np.maximum(np.searchsorted(starts, chars, side="right") - 1, 0).astype(np.int64)


SENTENCE_SCHEMA = {"sentence": "int64", "paragraph": "int64", "role": "str", "start_char": "int64", "end_char": "int64", "text": "str"}
TOKEN_SCHEMA = {
    "paragraph": "int64", "role": "str", "sentence": "int64", "i": "int64", "text": "str", "lower": "str", "lemma": "str",
    "pos": "str", "is_stop": "bool", "is_punct": "bool", "like_num": "bool", "start_char": "int64",
}


def doc_text(doc: "Doc") -> str:
    """``doc.text``, built once per article inside ``rows.sharing`` (spaCy joins a Token per word for it)."""
    return shared(doc, "text", lambda: doc.text)


def _sentence_chars(doc: "Doc") -> tuple[np.ndarray, np.ndarray]:
    """(start_char, end_char) arrays (int64) of the sentences of ``doc.sents`` that hold a word,
    trailing whitespace tokens left out; read from the Doc's arrays, not a Span per sentence."""
    if not len(doc):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if not doc.has_annotation("SENT_START"):
        next(iter(doc.sents))  # spaCy's own error: the pipeline set no sentence boundaries
    idx, length, space, sent_start = doc.to_array(["IDX", "LENGTH", "IS_SPACE", "SENT_START"]).astype(np.int64).T
    sent_start[0] = 1
    firsts = np.flatnonzero(sent_start == 1)
    words = np.flatnonzero(space == 0)
    last = np.searchsorted(words, np.append(firsts[1:], len(doc))) - 1  # each sentence's last word, as an index into words
    lasts = words[np.maximum(last, 0)]
    kept = (last >= 0) & (lasts >= firsts)  # a sentence of whitespace alone is no sentence (as in sentence_ids)
    return idx[firsts[kept]], idx[lasts[kept]] + length[lasts[kept]]


def sentence_ids(doc: "Doc") -> list[int]:
    """Sentence number of every token (sentences counted as in ``sentence_table``: a sentence of
    whitespace alone gets no number, its tokens take the previous sentence's, or 0).

    Read from the Doc's arrays, not by walking ``doc.sents``; once per article inside
    ``rows.sharing`` (five tables ask): read the list, do not change it.
    """
    return shared(doc, "sentence ids", lambda: _sentence_ids(doc))


def _sentence_ids(doc: "Doc") -> list[int]:
    if not len(doc):
        return []
    starts = doc.to_array("SENT_START") == 1  # where doc.sents starts a sentence
    starts[0] = True
    sentence = np.cumsum(starts) - 1
    has_words = np.bincount(sentence, weights=doc.to_array("IS_SPACE") == 0) > 0
    return np.maximum(np.cumsum(has_words) - 1, 0)[sentence].tolist()


def tokens_where(doc: "Doc", attribute: str, accept: Callable[[str], bool]) -> list["Token"]:
    """The tokens whose ``attribute`` ("LOWER", "LEMMA", ...) string passes ``accept``, in text order.

    Each distinct string is judged once, so a scan for a few lexicon words does not build a
    Token object for every word of a long text.
    """
    values, distinct = shared(doc, ("attribute", attribute), lambda: _attribute_values(doc, attribute))
    wanted = [value for value, string in distinct if accept(string)]
    if not wanted:
        return []
    return [doc[i] for i in np.flatnonzero(np.isin(values, np.array(wanted, dtype=values.dtype))).tolist()]


def _attribute_values(doc: "Doc", attribute: str) -> tuple["np.ndarray", list[tuple[int, str]]]:
    """(the string id of ``attribute`` of every token, each distinct id with its string): read once
    per article by the several scans for lexicon words."""
    values = doc.to_array(attribute)
    strings = doc.vocab.strings
    return values, [(value, strings[value]) for value in np.unique(values).tolist()]


def token_table(doc: "Doc", article: "Article") -> pd.DataFrame:
    """One row per non-space token.

    Columns: paragraph, role, sentence, i (token index in the Doc), text, lower, lemma, pos,
    is_stop, is_punct, like_num, start_char.
    """
    # the Doc's attribute arrays (string ids, flags), a column at a time: no Token object per word
    attributes = ("IDX", "ORTH", "LOWER", "LEMMA", "POS", "IS_STOP", "IS_PUNCT", "LIKE_NUM", "IS_SPACE")
    array = doc.to_array(attributes).reshape(len(doc), len(attributes))
    kept = np.flatnonzero(array[:, 8] == 0)
    if not len(kept):
        return pd.DataFrame([], columns=list(TOKEN_SCHEMA))
    idx = array[kept, 0].astype(np.int64)
    paragraph = paragraph_indices(article, idx)
    roles = [p.role for p in article.paragraphs]
    return frame_from_columns({
        "paragraph": paragraph,
        "role": [roles[n] for n in paragraph.tolist()],
        "sentence": np.asarray(sentence_ids(doc), dtype=np.int64)[kept],
        "i": kept.astype(np.int64),
        "text": _strings(doc, "ORTH", array[kept, 1]),
        "lower": _strings(doc, "LOWER", array[kept, 2]),
        "lemma": _strings(doc, "LEMMA", array[kept, 3], str.lower),
        "pos": _strings(doc, "POS", array[kept, 4]),
        **{name: array[kept, k] != 0 for name, k in (("is_stop", 5), ("is_punct", 6), ("like_num", 7))},
        "start_char": idx,
    }, TOKEN_SCHEMA)


def _strings(doc: "Doc", attribute: str, ids, transform: Callable[[str], str] | None = None) -> list[str]:
    """The strings (``transform``-ed, if given) of the StringStore ids of ``attribute``, each distinct
    id looked up once per article (``tokens_where`` reads the same ones)."""
    _, distinct = shared(doc, ("attribute", attribute), lambda: _attribute_values(doc, attribute))
    lookup = {value: transform(string) for value, string in distinct} if transform else dict(distinct)
    return [lookup[value] for value in ids.tolist()]


def select_roles(table: pd.DataFrame, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Rows whose ``role`` is in ``roles``; ``None`` keeps every row."""
    if roles is None:
        return table
    return table[table["role"].isin(roles)]


def content_words(tokens: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES, lemma: bool = False) -> list[str]:
    """Lower-cased words (or lemmas) with stop words, punctuation, numbers and symbols removed."""
    t = select_roles(tokens, roles)
    keep = ~t["is_stop"] & ~t["is_punct"] & ~t["like_num"] & t["lower"].str.contains(r"[^\W\d_]", regex=True)
    return t.loc[keep, "lemma" if lemma else "lower"].tolist()


def word_frequencies(
    tokens: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES, lemma: bool = False, top: int | None = None
) -> pd.DataFrame:
    """Frequencies of content words (spaCy stop words removed).

    Returns a DataFrame with columns word, count, share (of all content words), sorted by count.
    """
    from nltk import FreqDist

    words = content_words(tokens, roles=roles, lemma=lemma)
    dist = FreqDist(words)
    total = max(dist.N(), 1)
    ranked = sorted(dist.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return pd.DataFrame(
        [(w, c, c / total) for w, c in ranked], columns=["word", "count", "share"]
    )


def collocations(
    tokens: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES, min_freq: int = 2, top: int = 20
) -> pd.DataFrame:
    """Bigram collocations ranked by Dunning's log-likelihood ratio (NLTK).

    Bigrams are formed within sentences over lower-cased words; bigrams containing a stop word,
    punctuation or a number are dropped. Returns columns bigram, w1, w2, freq, llr.
    """
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    t = select_roles(tokens, roles)
    sentences = [g["lower"].tolist() for _, g in t[~t["is_punct"]].groupby("sentence", sort=True)]
    finder = BigramCollocationFinder.from_documents(sentences)
    stops = set(t.loc[t["is_stop"], "lower"])
    finder.apply_word_filter(lambda w: w in stops or not any(ch.isalpha() for ch in w))
    finder.apply_freq_filter(min_freq)
    scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)[:top]
    rows = [(f"{a} {b}", a, b, finder.ngram_fd[(a, b)], llr) for (a, b), llr in scored]
    return pd.DataFrame(rows, columns=["bigram", "w1", "w2", "freq", "llr"])


def kwic(
    tokens: pd.DataFrame, term: str, *, width: int = 6, roles: Sequence[str] | None = BODY_ROLES, lemma: bool = False
) -> pd.DataFrame:
    """Keyword-in-context lines for ``term`` (case-insensitive; a phrase of several words works).

    Uses NLTK's ConcordanceIndex over the token list. Returns columns paragraph, sentence,
    start_char, left, keyword, right.
    """
    from nltk.text import ConcordanceIndex

    t = select_roles(tokens, roles).reset_index(drop=True)
    words = t["lemma" if lemma else "lower"].tolist()
    parts = term.lower().split()
    if not parts:
        return pd.DataFrame(columns=["paragraph", "sentence", "start_char", "left", "keyword", "right"])
    index = ConcordanceIndex(words)
    rows = []
    for i in index.offsets(parts[0]):
        if words[i : i + len(parts)] != parts:
            continue
        j = i + len(parts)
        rows.append(
            (
                int(t.at[i, "paragraph"]), int(t.at[i, "sentence"]), int(t.at[i, "start_char"]),
                " ".join(t["text"][max(0, i - width) : i]), " ".join(t["text"][i:j]), " ".join(t["text"][j : j + width]),
            )
        )
    return pd.DataFrame(rows, columns=["paragraph", "sentence", "start_char", "left", "keyword", "right"])


# --- spaCy vs NLTK --------------------------------------------------------------------------


def nltk_token_spans(text: str) -> list[tuple[int, int]]:
    """Token spans from NLTK's Treebank tokenizer inside sentences from an untrained Punkt model.

    Neither needs downloaded NLTK data.
    """
    from nltk.tokenize import PunktSentenceTokenizer, TreebankWordTokenizer

    words = TreebankWordTokenizer()
    spans = []
    for s_start, s_end in PunktSentenceTokenizer().span_tokenize(text):
        try:
            spans.extend((s_start + a, s_start + b) for a, b in words.span_tokenize(text[s_start:s_end]))
        except ValueError:  # Treebank rewrites some characters and may fail to align: fall back
            spans.extend((s_start + a, s_start + b) for a, b in _whitespace_spans(text[s_start:s_end]))
    return spans


def _whitespace_spans(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def tokenizer_comparison(doc: "Doc", article: "Article", *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Where spaCy and NLTK (Treebank + untrained Punkt) cut the same text differently.

    Overlapping tokens of the two tokenisers are grouped; a group where the cuts differ is one
    row. Columns: paragraph, start_char, end_char, text, spacy (tokens joined by ' | '),
    nltk (likewise), spacy_count, nltk_count.
    """
    rows = []
    for p in article.paragraphs:
        if roles is not None and p.role not in roles:
            continue
        ours = [(t.idx, t.idx + len(t)) for t in doc.char_span(p.start_char, p.end_char, alignment_mode="expand") if not t.is_space]
        theirs = [(p.start_char + a, p.start_char + b) for a, b in nltk_token_spans(p.text)]
        for group_a, group_b in _overlap_groups(ours, theirs):
            if group_a != group_b:
                start = min(s for s, _ in group_a + group_b)
                end = max(e for _, e in group_a + group_b)
                rows.append(
                    (
                        p.index, start, end, article.text[start:end],
                        " | ".join(article.text[s:e] for s, e in group_a),
                        " | ".join(article.text[s:e] for s, e in group_b),
                        len(group_a), len(group_b),
                    )
                )
    columns = ["paragraph", "start_char", "end_char", "text", "spacy", "nltk", "spacy_count", "nltk_count"]
    return pd.DataFrame(rows, columns=columns)


def _overlap_groups(a: list[tuple[int, int]], b: list[tuple[int, int]]):
    """Yield (spans of a, spans of b) for each maximal group of mutually overlapping spans."""
    group: tuple[list, list] = ([], [])
    end = -1
    for start, stop, side in sorted([(s, e, 0) for s, e in a] + [(s, e, 1) for s, e in b]):
        if start >= end and (group[0] or group[1]):
            yield group
            group = ([], [])
        group[side].append((start, stop))
        end = max(end, stop)
    if group[0] or group[1]:
        yield group


def tokenizer_summary(doc: "Doc", article: "Article", *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Token and sentence counts per tokeniser over the selected paragraphs.

    Columns: tokeniser, tokens, sentences.
    """
    from nltk.tokenize import PunktSentenceTokenizer

    paragraphs = [p for p in article.paragraphs if roles is None or p.role in roles]
    spacy_tokens = sum(
        1 for p in paragraphs for t in doc.char_span(p.start_char, p.end_char, alignment_mode="expand") if not t.is_space
    )
    spacy_sents = sum(
        1 for p in paragraphs for s in doc.char_span(p.start_char, p.end_char, alignment_mode="expand").sents if s.text.strip()
    )
    punkt = PunktSentenceTokenizer()
    nltk_tokens = sum(len(nltk_token_spans(p.text)) for p in paragraphs)
    nltk_sents = sum(len(punkt.tokenize(p.text)) for p in paragraphs)
    return pd.DataFrame(
        [("spaCy", spacy_tokens, spacy_sents), ("NLTK Treebank + Punkt", nltk_tokens, nltk_sents)],
        columns=["tokeniser", "tokens", "sentences"],
    )
