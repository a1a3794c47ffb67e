"""Check that a change to the table-building code leaves every table of analyze() identical.

    python benchmarks/same_tables.py save  DIR   # before the change: every table, pickled
    python benchmarks/same_tables.py check DIR   # after it: assert_frame_equal(check_exact=True)

Articles: the seed, the ferry fixture with every kind of correction (its template's examples), data/raw, the .txt/.html test
fixtures, 6 unga70 and 30 BBC articles read from ../shared/corpora (skipped if absent; never
copied). Each Doc is parsed once and cached in DIR, so a check costs the tables, not the parses.
"""
from __future__ import annotations

import json
import pickle
import re
import sys
from pathlib import Path

import pandas as pd
from pandas.testing import assert_frame_equal

from framelens.analysis import analyze
from framelens.article import article_from_text, load_article
from framelens.config import PROJECT_ROOT, SEED_ARTICLE, SHARED_CORPORA_DIR
from framelens.corrections import read_corrections, template_text
from framelens.nlp import load_pipeline, parse_article

FERRY = PROJECT_ROOT / "tests" / "fixtures" / "ferry_strike.txt"
BBC_EVERY = 70
EDGE_CASES = {  # invented: the empty and one-row tables an ordinary article never gives
    "no actors, no quotes": "The river rose again on Tuesday and the lower fields were under water by noon.",
    "one speaker": '"We will rebuild the bridge before winter," said Mara Quell, the engineer in charge of the works.',
    "unnamed voices": "It rained all week in the valley. It rained again on Sunday, residents said, and nobody came.",
    "pronouns and roles": (
        "Brindle council delays the ferry plan\n\nThe council of Brindle met on Monday. \"No,\" he said. "
        "Officials said the plan was late. The mayor, Ilse Varn, said she would decide. The mayor left."
    ),
}  # 30 articles spread over the categories of the 2,220 in the file


def articles(workdir: Path):
    """(name, article, corrections) of every article checked."""
    files = [SEED_ARTICLE, *sorted((PROJECT_ROOT / "data" / "raw").glob("*.txt"))]
    files += sorted(p for p in (PROJECT_ROOT / "tests" / "fixtures").rglob("*") if p.suffix in {".txt", ".html"})
    for path in files:
        yield path.relative_to(PROJECT_ROOT).as_posix(), load_article(path), None
    for name, text in EDGE_CASES.items():
        yield f"edge/{name}", article_from_text(text, article_id=name.replace(" ", "-").replace(",", "")), None
    ferry = load_article(FERRY)
    yield "ferry+corrections", ferry, _template_corrections(ferry, workdir)
    unga = SHARED_CORPORA_DIR / "unga70"
    for path in sorted(unga.glob("[0-9]*.txt"))[:6]:
        yield f"unga70/{path.name}", load_article(path), None
    bbc = SHARED_CORPORA_DIR / "bbc-news" / "bbc-news.jsonl"
    if bbc.is_file():
        records = [json.loads(line) for line in bbc.read_text(encoding="utf-8").splitlines()]
        for record in records[::BBC_EVERY][:30]:
            yield f"bbc/{record['id']}", article_from_text(record["text"], article_id=record["id"]), None


def _template_corrections(article, workdir: Path):
    """The corrections template of ``article`` with its examples uncommented (every kind of correction)."""
    example = re.compile(r"^# ((speakers|roles|sides|merges|drop_quotes|add_quotes):|\s+(- )?\w+: )")
    text = template_text(analyze(article, load_pipeline()))
    path = workdir / "example.corrections.yaml"
    path.write_text("\n".join(line[2:] if example.match(line) else line for line in text.splitlines()), encoding="utf-8")
    return read_corrections(path)


def tables_of_every_article(workdir: Path) -> dict[str, dict[str, pd.DataFrame]]:
    from spacy.tokens import Doc

    nlp = load_pipeline()
    out = {}
    for name, article, corrections in articles(workdir):
        cached = workdir / "docs" / (name.replace("/", "__") + ".spacy")
        if cached.is_file():
            doc = Doc(nlp.vocab).from_bytes(cached.read_bytes())
        else:
            doc = parse_article(article, nlp)
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(doc.to_bytes())
        out[name] = analyze(article, nlp, corrections=corrections, doc=doc).tables
    return out


def main(mode: str, workdir: Path) -> int:
    snapshot = workdir / "tables.pickle"
    if mode == "check" and not snapshot.is_file():
        print(f"same_tables.py: error: {snapshot} does not exist; run `same_tables.py save {workdir}` first", file=sys.stderr)
        return 2
    workdir.mkdir(parents=True, exist_ok=True)
    tables = tables_of_every_article(workdir)
    if mode == "save":
        snapshot.write_bytes(pickle.dumps(tables))
        print(f"saved {sum(map(len, tables.values()))} tables of {len(tables)} articles in {snapshot}")
        return 0
    saved = pickle.loads(snapshot.read_bytes())
    failures = 0
    for name, before in saved.items():
        after = tables[name]
        if set(after) != set(before):
            print(f"{name}: tables {sorted(set(after) ^ set(before))} differ")
            failures += 1
        for table in sorted(set(after) & set(before)):
            try:
                assert_frame_equal(after[table], before[table], check_exact=True)
            except AssertionError as exc:
                failures += 1
                print(f"{name}: {table}: {str(exc).splitlines()[0:6]}")
    print(f"{failures} differences in {len(saved)} articles")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"save", "check"}:
        print("usage: same_tables.py save|check DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
