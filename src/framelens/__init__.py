"""framelens: how a news article frames an event — actors, quotes, tone and frames."""
__version__ = "0.1.0"

from .analysis import Analysis, analyze, load_analysis, load_or_analyze, save_analysis  # noqa: E402
from .article import Article, Paragraph, article_from_text, load_article  # noqa: E402
from .config import PROJECT_ROOT  # noqa: E402
from .entities import cooccurrence, entity_counts, mention_matrix, mention_table  # noqa: E402
from .errors import FramelensError  # noqa: E402
from .nlp import load_pipeline, parse_article  # noqa: E402
from .tokens import collocations, kwic, sentence_table, token_table, tokenizer_comparison, word_frequencies  # noqa: E402

__all__ = [
    "Analysis", "Article", "FramelensError", "Paragraph", "PROJECT_ROOT", "analyze", "article_from_text",
    "collocations", "cooccurrence", "entity_counts", "kwic", "load_analysis", "load_article", "load_or_analyze",
    "load_pipeline", "mention_matrix", "mention_table", "parse_article", "save_analysis", "sentence_table",
    "token_table", "tokenizer_comparison", "word_frequencies",
]
