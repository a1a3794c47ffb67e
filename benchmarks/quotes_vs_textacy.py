"""Benchmark: framelens quote extraction vs textacy's direct_quotations on every gold file.

Run:  .venv/bin/python benchmarks/quotes_vs_textacy.py

Both systems read the same spaCy Doc (framelens.nlp.parse_article) and are scored with
framelens.evaluate.score (GenderGapTracker protocol, T = 0.3 and 0.8). textacy quotes are
converted to character spans without their quote marks, limited to body paragraphs (as
framelens is), and their speaker tokens are mapped to canonical actors through the mention
table when they overlap a mention (pronouns stay pronouns: textacy has no coreference).
textacy refuses a whole document with an odd number of quote marks, so it is run twice: on
the whole Doc ("textacy") and paragraph by paragraph ("textacy/para").
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from framelens.article import Article, load_article  # noqa: E402
from framelens.config import BODY_ROLES, GOLD_DIR, RAW_DIR, SEEDS_DIR  # noqa: E402
from framelens.entities import mention_table  # noqa: E402
from framelens.evaluate import read_gold, score  # noqa: E402
from framelens.nlp import load_pipeline, parse_article  # noqa: E402
from framelens.quotes import QUOTE_CHARS, extract_quotes  # noqa: E402

SYSTEM_COLUMNS = ["speaker", "start_char", "end_char", "text"]


def article_for(gold_path: Path) -> Path | None:
    """The article a gold file annotates: seeds/<id>.txt or data/raw/<id>.{txt,html}."""
    stem = gold_path.name.removesuffix(".quotes.tsv")
    for folder in (SEEDS_DIR, RAW_DIR):
        for suffix in (".txt", ".html", ".htm"):
            if (folder / f"{stem}{suffix}").is_file():
                return folder / f"{stem}{suffix}"
    return None


def textacy_quotes(doc, article: Article, mentions: pd.DataFrame, *, per_paragraph: bool) -> pd.DataFrame:
    """textacy's direct quotations as a framelens-style table (speaker, start_char, end_char, text)."""
    from textacy.extract.triples import direct_quotations

    body = [p for p in article.paragraphs if p.role in BODY_ROLES]
    units = [doc.char_span(p.start_char, p.end_char, alignment_mode="expand") for p in body] if per_paragraph else [doc]
    rows = []
    for unit in units:
        if unit is None:
            continue
        part = unit.as_doc() if per_paragraph else unit
        offset = unit.start_char if per_paragraph else 0
        try:
            triples = list(direct_quotations(part))
        except ValueError:  # odd number of quote marks: textacy gives up on the unit
            continue
        for triple in triples:
            span = _strip_marks(article.text, offset + triple.content.start_char, offset + triple.content.end_char)
            speaker_chars = [(offset + t.idx, offset + t.idx + len(t.text)) for t in triple.speaker]
            if span and any(p.start_char <= span[0] < p.end_char for p in body):
                rows.append((_canonical(speaker_chars, mentions, article.text), *span, article.text[span[0] : span[1]]))
    return pd.DataFrame(rows, columns=SYSTEM_COLUMNS)


def _strip_marks(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start] in QUOTE_CHARS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in QUOTE_CHARS or text[end - 1].isspace()):
        end -= 1
    return (start, end) if end > start else None


def _canonical(speaker_chars: list[tuple[int, int]], mentions: pd.DataFrame, text: str) -> str:
    if not speaker_chars:
        return "UNKNOWN"
    start, end = min(s for s, _ in speaker_chars), max(e for _, e in speaker_chars)
    hits = mentions[(mentions["start_char"] < end) & (mentions["end_char"] > start)]
    hits = hits[hits["label"] != "NORP"]
    if len(hits):
        return " + ".join(dict.fromkeys(hits["canonical"]))
    return text[start:end]


def summarise(name: str, result: pd.DataFrame, strict: pd.DataFrame) -> dict:
    at = result.set_index("threshold")
    return {
        "system": name,
        "P@0.3": at.loc[0.3, "precision"],
        "R@0.3": at.loc[0.3, "recall"],
        "F1@0.3": at.loc[0.3, "f1"],
        "P@0.8": at.loc[0.8, "precision"],
        "R@0.8": at.loc[0.8, "recall"],
        "F1@0.8": at.loc[0.8, "f1"],
        "spk@0.3": at.loc[0.3, "speaker_accuracy"],
        "spk strict": strict.set_index("threshold").loc[0.3, "speaker_accuracy"],
        "quotes": int(at.loc[0.3, "system"]),
    }


def benchmark() -> pd.DataFrame:
    """One row per (gold file, system) with precision/recall/F1 at T=0.3 and 0.8 and speaker accuracy."""
    nlp = load_pipeline()
    rows = []
    for gold_path in sorted(GOLD_DIR.glob("*.quotes.tsv")):
        article_path = article_for(gold_path)
        if article_path is None:
            print(f"skipping {gold_path.name}: no article file found", file=sys.stderr)
            continue
        article = load_article(article_path)
        gold = read_gold(gold_path)
        doc = parse_article(article, nlp)
        mentions = mention_table(doc, article)
        systems = {
            "framelens": extract_quotes(doc, article, mentions),
            "textacy": textacy_quotes(doc, article, mentions, per_paragraph=False),
            "textacy/para": textacy_quotes(doc, article, mentions, per_paragraph=True),
        }
        for name, quotes in systems.items():
            result = score(article, quotes, gold)
            strict = score(article, quotes, gold, unnamed_as_unknown=False)
            rows.append({"gold": article.id, **summarise(name, result, strict)})
    return pd.DataFrame(rows)


def main() -> int:
    try:
        import textacy  # noqa: F401
    except ImportError:
        print("SKIPPED: textacy is not installed (pip install textacy, or make bench); nothing to compare against.")
        return 0
    table = benchmark()
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    print(
        "\nspk@0.3: speaker accuracy over found gold quotes, an unnamed source described by the system "
        "('a council spokeswoman') matching gold UNKNOWN; spk strict: exact names only."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
