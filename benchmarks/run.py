"""Speed and memory of framelens as ratios against a baseline run in the same process.

Baseline: the bare spaCy pipeline on the article text (what any spaCy tool pays). Measured:
framelens's one-parse analysis (parse + every table), and loading a saved analysis. Ratios, not
seconds, so the numbers compare across machines. Run with `make bench`.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from framelens.analysis import analyze, load_analysis, save_analysis
from framelens.article import load_article
from framelens.config import PROJECT_ROOT, SEED_ARTICLE
from framelens.nlp import load_pipeline

ARTICLES = [SEED_ARTICLE, *sorted((PROJECT_ROOT / "data" / "raw").glob("*.txt"))]
REPEATS = 5


def timed(func, repeats: int = REPEATS) -> float:
    """Median wall time of ``func()`` over ``repeats`` runs (after one warm-up)."""
    func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(func) -> int:
    """Peak Python heap allocation (bytes) while ``func()`` runs."""
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> int:
    nlp = load_pipeline()
    print(f"{'article':28} {'chars':>6} {'spaCy s':>8} {'analyze/spaCy':>14} {'load/spaCy':>11} {'mem analyze/spaCy':>18}")
    for path in ARTICLES:
        article = load_article(path)
        baseline = timed(lambda: nlp(article.text))
        full = timed(lambda: analyze(article, nlp))
        with tempfile.TemporaryDirectory() as tmp:
            saved = save_analysis(analyze(article, nlp), Path(tmp) / article.id)
            reload = timed(lambda: load_analysis(saved))
        mem_base = peak_memory(lambda: nlp(article.text))
        mem_full = peak_memory(lambda: analyze(article, nlp))
        print(
            f"{article.id[:28]:28} {len(article.text):6d} {baseline:8.3f} {full / baseline:14.2f} "
            f"{reload / baseline:11.2f} {mem_full / mem_base:18.2f}"
        )
    quotes = PROJECT_ROOT / "benchmarks" / "quotes_vs_textacy.py"
    if quotes.is_file():
        print()
        return subprocess.call([sys.executable, str(quotes)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
