"""Speed of framelens as ratios against a baseline measured in the same run (``make bench``).

1. Analysis vs parse: ``analyze()`` (one parse + every table) against a bare ``nlp(text)`` with
   the same model, on the seed, every article in data/raw/, and articles of 4 KB, 100 KB and
   1 MB made by repeating the seed's body paragraphs; a 5 MB article shows that texts past the
   model's limit are parsed in chunks, at the cost per character of the 1 MB one.
2. Report vs floor: ``framelens report`` on the seed (from a clean state, and again through
   ``make report`` with its analysis saved) against a script that imports spaCy, pandas and
   matplotlib, parses the seed and saves one chart (benchmarks/report_floor.py); both whole
   processes.
3. Quote extraction against textacy (benchmarks/quotes_vs_textacy.py).

Every ratio is the median over paired runs (baseline and measured one right after the other),
so load from other processes on a shared machine hits both sides of a pair alike. Ratios are
printed and written to benchmarks/results.md. ``--quick`` leaves out the 1 MB and 5 MB rows,
``--no-5mb`` the 5 MB one.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from framelens.analysis import analyze
from framelens.article import load_article
from framelens.config import PROJECT_ROOT, SEED_ARTICLE
from framelens.nlp import load_pipeline

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.md"
PAIRS = 3
SIZES = {"4 KB": 4_000, "100 KB": 100_000, "1 MB": 990_000, "5 MB": 4_990_000}  # just under spaCy's and framelens's limits
GOALS = {"analysis": 1.1, "linear": 0.10, "report": 3.0}


def median_ratio(baseline, measured, pairs: int = PAIRS) -> tuple[float, float, float, float, float]:
    """(median measured/baseline wall time over ``pairs`` paired runs, median baseline s, median
    measured s, median measured/baseline CPU time, median measured CPU s). CPU time (this process and the processes it
    waited for) is what the work costs whatever else the machine runs; wall time is what a user waits."""
    base, full = [], []
    for _ in range(pairs):
        base.append(_timed(baseline))
        full.append(_timed(measured))
    ratio = statistics.median(f[0] / b[0] for b, f in zip(base, full))
    cpu_ratio = statistics.median(f[1] / b[1] for b, f in zip(base, full))
    return ratio, statistics.median(b[0] for b in base), statistics.median(f[0] for f in full), cpu_ratio, statistics.median(f[1] for f in full)


def _seconds(func) -> float:
    return _timed(func)[0]


def _timed(func) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``func()``."""
    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    func()
    return time.perf_counter() - start, cpu() - start_cpu


def repeated_seed(chars: int, directory: Path) -> Path:
    """An article of about ``chars`` characters: the seed's headline, then its body paragraphs over and over."""
    seed = load_article(SEED_ARTICLE)
    parts = [p.text for p in seed.paragraphs if p.role == "headline"][:1]
    body = [p.text for p in seed.paragraphs if p.role == "body"]
    size = sum(len(p) + 2 for p in parts)
    while size < chars:
        paragraph = body[len(parts) % len(body)]
        parts.append(paragraph)
        size += len(paragraph) + 2
    path = directory / f"seed_body_{chars // 1000}k.txt"
    path.write_text("\n\n".join(parts)[:chars].rstrip() + "\n", encoding="utf-8")
    return path


# --- 1. analysis vs parse ----------------------------------------------------------------------


def analysis_rows(largest: int) -> list[dict]:
    nlp = load_pipeline()
    analyze(load_article(SEED_ARTICLE), nlp)  # warm caches (lexicons, codebook) before timing
    rows = []
    for path in [SEED_ARTICLE, *sorted((PROJECT_ROOT / "data" / "raw").glob("*.txt"))]:
        rows.append(_analysis_row(path.stem, load_article(path), nlp))
    with tempfile.TemporaryDirectory() as tmp:
        for label, chars in SIZES.items():
            if chars > largest:
                continue
            article = load_article(repeated_seed(chars, Path(tmp)))
            if chars > nlp.max_length:
                rows.append(_chunked_row(label, article, nlp, rows))
            else:
                rows.append(_analysis_row(f"seed body, {label}", article, nlp, pairs=1 if chars > 100_000 else PAIRS))
    return rows


def _fresh_analysis(article, nlp):
    """analyze() as a new article pays it: the tone cache holds this article's sentences after the
    first pair, so it is emptied first (a few microseconds, inside the timing)."""
    from framelens.framing.sentiment import _scores

    _scores.cache_clear()
    return analyze(article, nlp)


def _analysis_row(name: str, article, nlp, pairs: int = PAIRS) -> dict:
    ratio, parse_s, analyze_s, cpu, analyze_cpu = median_ratio(lambda: nlp(article.text), lambda: _fresh_analysis(article, nlp), pairs)
    print(f"  {name:32} {len(article.text):>9,} chars  parse {parse_s:7.2f} s  analyze {analyze_s:7.2f} s  ratio {ratio:5.2f}"
          f"  CPU ratio {cpu:5.2f}", flush=True)
    return {"name": name, "chars": len(article.text), "parse": parse_s, "analyze": analyze_s, "ratio": ratio, "cpu": cpu,
            "analyze_cpu": analyze_cpu}


def _chunked_row(label: str, article, nlp, rows: list[dict]) -> dict:
    """A text past the model's limit has no bare parse: its cost per character is compared with the 1 MB row's."""
    seconds = _seconds(lambda: analyze(article, nlp))
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux reports KiB
    one_mb = next((r for r in rows if r["name"].endswith("1 MB")), None)
    per_char = (seconds / len(article.text)) / (one_mb["analyze"] / one_mb["chars"]) if one_mb else float("nan")
    print(f"  {'seed body, ' + label:32} {len(article.text):>9,} chars  analyze {seconds:7.2f} s (chunked)  "
          f"cost per character vs 1 MB {per_char:5.2f}  peak memory {peak_gb:.1f} GB", flush=True)
    return {
        "name": f"seed body, {label}", "chars": len(article.text), "parse": None, "analyze": seconds, "ratio": None,
        "per_char": per_char, "peak_gb": peak_gb,
    }


# --- 2. report vs floor ------------------------------------------------------------------------


def report_rows() -> list[dict]:
    python = sys.executable
    framelens = str(Path(python).parent / "framelens")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        floor = [python, str(BENCH_DIR / "report_floor.py"), tmp]

        def fresh_report():
            # a project root of its own, so nothing saved by an earlier run is reused
            run_root = Path(tempfile.mkdtemp(dir=root))
            for name in ("notebooks", "seeds"):
                (run_root / name).symlink_to(PROJECT_ROOT / name)
            (run_root / "data" / "processed").mkdir(parents=True)
            _run([framelens, "report", str(SEED_ARTICLE), "--out", str(run_root / "reports")], FRAMELENS_ROOT=str(run_root))

        ratio, floor_s, report_s, cpu, _ = median_ratio(lambda: _run(floor), fresh_report)
        print(f"  {'framelens report (fresh)':32} report {report_s:6.2f} s  floor {floor_s:6.2f} s  ratio {ratio:5.2f}"
              f"  CPU ratio {cpu:5.2f}", flush=True)
        rows.append({"name": "framelens report, nothing saved", "report": report_s, "floor": floor_s, "ratio": ratio, "cpu": cpu})
        # -o: the venv is installed already; a checkout newer than its stamp must not reinstall it mid-benchmark
        make = ["make", "-s", "-o", ".venv/.installed", "-C", str(PROJECT_ROOT), "report"]
        _run(make)  # saves the seed's analysis, as a second `make report` finds it
        ratio, floor_s, report_s, cpu, _ = median_ratio(lambda: _run(floor), lambda: _run(make))
        print(f"  {'make report (analysis saved)':32} report {report_s:6.2f} s  floor {floor_s:6.2f} s  ratio {ratio:5.2f}"
              f"  CPU ratio {cpu:5.2f}", flush=True)
        rows.append({"name": "make report, analysis saved", "report": report_s, "floor": floor_s, "ratio": ratio, "cpu": cpu})
    return rows


def _run(command: list[str], **env: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env})
    if result.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{result.stderr}")


# --- results -----------------------------------------------------------------------------------


def linearity(rows: list[dict], measure: str = "ratio") -> list[tuple[str, float]]:
    """(size, value at that size / value at 4 KB - 1) for the 100 KB and 1 MB rows; ``measure``:
    "ratio" (analyze / bare parse) or "per_char" (analyze's CPU seconds per character)."""
    by_name = {r["name"]: r for r in rows}
    small = by_name.get("seed body, 4 KB")
    value = (lambda r: r["ratio"]) if measure == "ratio" else (lambda r: r["analyze_cpu"] / r["chars"])
    return [
        (label, value(by_name[f"seed body, {label}"]) / value(small) - 1)
        for label in ("100 KB", "1 MB")
        if small and f"seed body, {label}" in by_name
    ]


def write_results(analysis: list[dict], reports: list[dict]) -> str:
    load = os.getloadavg()
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {load[0]:.1f} at the end (other processes share the machine: compare ratios, not seconds).",
        "",
        "## Analysis vs a bare parse (same model)",
        "",
        f"Goal: analyze() within {GOALS['analysis']}x a bare `nlp(text)`; ratio at 100 KB and 1 MB within "
        f"{GOALS['linear']:.0%} of the ratio at 4 KB. Median of {PAIRS} paired runs (one pair above 100 KB).",
        "",
        "Both sides run the same pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner: analyze "
        "uses every one); the bare side is `nlp(text)` alone, analyze is `parse_article` (the same components, "
        "with paragraph starts marked as sentence starts) and then every table. CPU ratio: the same pairs in "
        "CPU seconds, which load from other processes disturbs less than wall time.",
        "",
        "| article | chars | bare parse s | analyze s | analyze / parse | CPU ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in analysis:
        if r["ratio"] is None:
            lines.append(
                f"| {r['name']} (chunked) | {r['chars']:,} | – | {r['analyze']:.2f} | cost per character "
                f"{r['per_char']:.2f}x the 1 MB row's (peak memory of the benchmark {r['peak_gb']:.1f} GB) |"
            )
        else:
            lines.append(f"| {r['name']} | {r['chars']:,} | {r['parse']:.3f} | {r['analyze']:.3f} | {r['ratio']:.2f} | {r['cpu']:.2f} |")
    lines += [
        "", "Ratio against the 4 KB ratio: " + ", ".join(f"{label} {change:+.0%}" for label, change in linearity(analysis)),
        "", "analyze()'s CPU seconds per character against the 4 KB row's: "
        + ", ".join(f"{label} {change:+.0%}" for label, change in linearity(analysis, "per_char"))
        + " (a bare `nlp(text)` of one long Doc costs more per character past ~100 KB; analyze parses in chunks of that size)",
        "",
    ]
    lines += [
        "## Report vs floor (whole processes)",
        "",
        f"Goal: within {GOALS['report']}x a script that imports spaCy, pandas and matplotlib, parses the seed and "
        f"saves one chart. Median of {PAIRS} paired runs.",
        "",
        "| run | report s | floor s | report / floor | CPU ratio |",
        "|---|---:|---:|---:|---:|",
        *[f"| {r['name']} | {r['report']:.2f} | {r['floor']:.2f} | {r['ratio']:.2f} | {r['cpu']:.2f} |" for r in reports],
        "",
    ]
    text = "\n".join(lines)
    RESULTS.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the 1 MB and 5 MB articles")
    parser.add_argument("--no-5mb", action="store_true", help="leave out the 5 MB article (half an hour on a busy machine)")
    parser.add_argument("--no-quotes", action="store_true", help="leave out the comparison with textacy")
    parser.add_argument("--only-report", action="store_true",
                        help="only the report rows, printed (results.md is not rewritten: it holds every row)")
    args = parser.parse_args(argv)
    logging.getLogger("framelens").setLevel(logging.ERROR)  # the articles' own warnings (unclosed quotes) are not results
    if args.only_report:
        print("report vs floor", flush=True)
        report_rows()
        print(f"load average {os.getloadavg()[0]:.1f}")
        return 0
    print("analysis vs parse", flush=True)
    analysis = analysis_rows(100_000 if args.quick else 1_000_000 if args.no_5mb else 5_000_000)
    print("report vs floor", flush=True)
    reports = report_rows()
    write_results(analysis, reports)
    print(f"wrote {RESULTS.relative_to(PROJECT_ROOT)}")
    if args.no_quotes:
        return 0
    print()
    return subprocess.call([sys.executable, str(BENCH_DIR / "quotes_vs_textacy.py")])


if __name__ == "__main__":
    sys.exit(main())
