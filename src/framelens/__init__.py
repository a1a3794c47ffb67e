"""framelens: how a news article frames an event — actors, quotes, tone and frames."""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Each name is imported from its module when first used (PEP 562): `import framelens` stays cheap,
# so a process that only runs notebooks or checks inputs (the report runner) never loads pandas.
_EXPORTS = {
    "analysis": ("Analysis", "analyze", "load_analysis", "load_or_analyze", "save_analysis"),
    "article": ("Article", "Paragraph", "article_from_text", "load_article"),
    "config": ("PROJECT_ROOT",),
    "entities": ("cooccurrence", "entity_counts", "mention_matrix", "mention_table"),
    "errors": ("FramelensError",),
    "nlp": ("load_pipeline", "parse_article"),
    "tokens": ("collocations", "kwic", "sentence_table", "token_table", "tokenizer_comparison", "word_frequencies"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    else:
        try:
            value = importlib.import_module(f".{name}", __name__)  # a submodule: framelens.tokens
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
