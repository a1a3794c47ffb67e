"""Trust scores on every gold file: quote F1, speaker accuracy, share-of-voice distance, top speaker.

The numbers behind the claims a report makes (issue "Reports you can trust"). Gold for the
third-party unga70 corpus is offsets and hashes into ../shared/corpora/unga70/ (skipped when it is
absent). Run with `make trust`; prints Markdown and writes benchmarks/trust.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from framelens.config import GOLD_DIR, SHARED_CORPORA_DIR
from framelens.corpus import load_corpus
from framelens.evaluate import annotator_agreement, gold_set_scores, pooled
from framelens.methods import own_gold_pairs

OUT = Path(__file__).with_name("trust.md")
BBC_CORPUS = SHARED_CORPORA_DIR / "bbc-news" / "bbc-news.jsonl"

# The blind BBC gold sets (data/gold/bbc*/) and what each has been used for, in the order annotated.
_USED = "all five genres, annotated blind; scored once before any rule, then used to write rules"
_HELD_OUT = "held out: all five genres, annotated at the start of a session, scored once at its end"
BBC_SETS = [
    ("bbc", "first held out, since used to write rules"),
    ("bbc_b", "second held out, since used to write rules"),
    ("bbc_c", "four other genres; held out several sessions, then used to write rules"),
    ("bbc_d", "four other genres, annotated blind, used to write rules"),
    ("bbc_e", "all five genres; held out several sessions, then used to write rules"),
    ("bbc_f", _USED),
    ("bbc_g", "all five genres; held out one session, scored once, then used to write rules"),
    ("bbc_h", _HELD_OUT),
    ("bbc_i", _USED),
    ("bbc_j", _USED),
    ("bbc_k", _USED),
    ("bbc_l", _HELD_OUT),
    ("bbc_m", _USED),
    ("bbc_n", _HELD_OUT),
]


def gold_pairs() -> dict[str, list[tuple[Path, Path]]]:
    """(article, gold file) pairs per gold set: the project's own articles and unga70."""
    own = own_gold_pairs()
    unga = [
        (SHARED_CORPORA_DIR / "unga70" / f"{gold.name.split('.')[0]}.txt", gold)
        for gold in sorted((GOLD_DIR / "unga70").glob("*.quotes.tsv"))
    ]
    sets = {"own": own}
    if (SHARED_CORPORA_DIR / "unga70").is_dir():
        sets["unga70"] = unga
    if BBC_CORPUS.is_file():
        for folder, status in BBC_SETS:
            sets[f"{folder} ({status})"] = bbc_gold_pairs(folder)
    return sets


def calibration_lines(sets: dict[str, list]) -> list[str]:
    """What each confidence label is worth: speaker accuracy of found gold quotes by the confidence
    (and route) of the system quote they matched, per BBC gold set."""
    from framelens.analysis import analyze
    from framelens.evaluate import attribution_checks, read_any_gold
    from framelens.nlp import load_pipeline

    nlp = load_pipeline()
    lines = [
        "## What a confidence label is worth (BBC sets)", "",
        "Speaker accuracy of the found gold quotes by the confidence of the system quote each matched (n in brackets).", "",
        "| gold set | high | medium | low | worst route |", "|---|---|---|---|---|",
    ]
    for name, pairs in sets.items():
        if not name.startswith("bbc"):
            continue
        checks = pd.concat([attribution_checks(a, analyze(a, nlp).quotes, read_any_gold(g, a)) for a, g in pairs])
        cells = []
        for level in ("high", "medium", "low"):
            rows = checks[checks["confidence"] == level]
            cells.append(f"{rows['right'].mean():.3f} ({len(rows)})" if len(rows) else "–")
        routes = checks.groupby("route")["right"].agg(["mean", "size"])
        routes = routes[routes["size"] >= 5].sort_values("mean")
        worst = f"{routes.index[0]} {routes['mean'].iloc[0]:.3f} ({int(routes['size'].iloc[0])})" if len(routes) else "–"
        lines.append(f"| {name.split(' ')[0]} | {' | '.join(cells)} | {worst} |")
    return lines + [""]


def agreement_lines() -> list[str]:
    """Set c annotated twice, the second blind to the first: does the gold reproduce under its rules?

    Both annotators were instances of the same annotation procedure (same written rules), so this
    measures how reproducible the gold is, not how far two human coders would disagree."""
    second = GOLD_DIR / "bbc_c" / "second"
    if not BBC_CORPUS.is_file() or not second.is_dir():
        return []
    triples = [(article, gold, second / gold.name) for article, gold in bbc_gold_pairs("bbc_c")]
    lines = [
        "## Reproducibility of bbc_c: a second blind annotation", "",
        "Each annotation scored against the other, as framelens is scored against the gold. Both annotators followed",
        "the same written rules (data/gold/*/README.md) as instances of one procedure: this says the gold reproduces,",
        "not how far two human coders would disagree.", "",
        "| direction | pooled F1@0.3 | speaker accuracy | mean voice TVD | articles TVD > 0.05 | top speaker differs |",
        "|---|---|---|---|---|---|",
    ]
    for direction, table in annotator_agreement(triples).items():
        t = pooled(table)
        lines.append(
            f"| {direction} | {t['f1_03']:.3f} | {t['speaker_accuracy']:.3f} | {t['mean_voice_tvd']:.3f} | "
            f"{t['articles_tvd_over_0_05']} | {t['top_speaker_wrong']} |"
        )
    return lines + [""]


def bbc_gold_pairs(folder: str) -> list:
    """(Article, gold file) for BBC articles annotated blind (data/gold/<folder>/)."""
    golds = {g.name.split(".")[0]: g for g in sorted((GOLD_DIR / folder).glob("*.quotes.tsv"))}
    articles = {a.id: a for a in load_corpus(BBC_CORPUS) if a.id in golds}
    return [(articles[i], golds[i]) for i in sorted(golds)]


def main() -> int:
    lines = ["# Trust scores", "", "`python benchmarks/trust.py` (`make trust`); T = 0.3 overlap unless noted.", ""]
    sets = gold_pairs()
    for name, pairs in sets.items():
        scores = gold_set_scores(pairs)
        total = pooled(scores)
        lines += [f"## {name} ({total['articles']} articles)", ""]
        lines += [
            f"pooled F1@0.3 {total['f1_03']:.3f} · mean F1@0.3 {total['mean_f1_03']:.3f} · speaker accuracy "
            f"{total['speaker_accuracy']:.3f} · mean share-of-voice TVD {total['mean_voice_tvd']:.3f} · "
            f"articles with TVD > 0.05: {total['articles_tvd_over_0_05']} · top speaker wrong: {total['top_speaker_wrong']}",
            "",
            "| article | F1@0.3 | F1@0.8 | speaker acc. | found/gold | voice TVD | top speaker right |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in scores.itertuples(index=False):
            lines.append(
                f"| {r.article} | {r.f1_03:.3f} | {r.f1_08:.3f} | {r.speaker_accuracy:.3f} | {r.found}/{r.gold} | {r.voice_tvd:.3f} | {'yes' if r.top_right else 'no'} |"
            )
        lines.append("")
    lines += calibration_lines(sets)
    lines += agreement_lines()
    text = "\n".join(lines)
    print(text)
    OUT.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
