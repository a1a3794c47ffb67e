"""Gold files for the lessons: finding an article's gold, reading hand counts, scoring every gold file."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..config import GOLD_DIR, PROJECT_ROOT

if TYPE_CHECKING:
    from ..article import Article


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
    from ..errors import FramelensError
    from ..evaluate import read_any_gold

    path = gold_file(article, gold_path) or next(iter(sorted(GOLD_DIR.glob(f"*/{article.id}.quotes.tsv"))), None)
    if path is None:
        return None, f"there is no gold file for {article.id}"
    try:
        return read_any_gold(path, article), ""
    except FramelensError as exc:
        return None, f"the gold file does not fit this article ({exc})"


def read_gold_actors(path: Path | str) -> pd.DataFrame:
    """Read a gold actors file (canonical, label, mentions, aliases; see data/gold/README.md)."""
    table = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)
    table["mentions"] = table["mentions"].astype(int)
    return table


def score_gold_files(*, model: str | None = None, processed_root: Path | str | None = None) -> pd.DataFrame:
    """Score the quote extractor on every article that has a gold file in data/gold/.

    The article of ``<id>.quotes.tsv`` is looked up as ``seeds/<id>.*`` or ``data/raw/<id>.*``
    (.txt or .html); gold files without an article are skipped. Each article is analysed once
    (or its saved analysis reused, see ``analysis.load_or_analyze``).

    Returns:
        DataFrame with columns article, then the ``evaluate.score`` columns; one row per article
        and threshold.
    """
    from ..analysis import load_or_analyze
    from ..config import RAW_DIR, SEEDS_DIR
    from ..evaluate import SCORE_COLUMNS, read_gold, score

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
