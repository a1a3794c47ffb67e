"""Corpus engine benchmarks, as ratios measured in the same run (``make bench``; not in the tests).

On the BBC corpus (../shared/corpora/bbc-news, repeated with new ids when more articles are asked):

* throughput of ``analyze_corpus`` against bare ``nlp.pipe`` with the same model, batch size and
  processes (goal >= 0.85);
* ``n_process=2`` against 1 (goal >= 1.7x);
* peak RSS of a run over N_SMALL against N_LARGE articles (goal <= 1.2x);
* Dask LocalCluster with 2 workers against ``n_process=2`` (goal >= 0.9x);
* resuming a finished corpus against the full run (goal < 5%).

Printed, and written to benchmarks/corpus_results.md with the machine. Sizes are options
(``python benchmarks/corpus.py --articles 2000 --rss 1000 10000``); the defaults are the issue's.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from framelens.config import PROJECT_ROOT

BBC = PROJECT_ROOT.parent / "shared" / "corpora" / "bbc-news" / "bbc-news.jsonl"
RESULTS = PROJECT_ROOT / "benchmarks" / "corpus_results.md"
BATCH = 16


def corpus_file(n: int, folder: Path) -> Path:
    """A JSONL of the first ``n`` BBC articles, the corpus repeated with new ids past its end."""
    lines = BBC.read_text(encoding="utf-8").splitlines()
    target = folder / f"bbc-{n}.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for i in range(n):
            record = json.loads(lines[i % len(lines)])
            if i >= len(lines):
                record["id"] = f"{record['id']}-r{i // len(lines)}"
            out.write(json.dumps(record) + "\n")
    return target


def in_child(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (own memory, own processes); it prints one JSON line,
    echoed here as the step ends (a long run shows its progress)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{result.stderr[-2000:]}")
    line = result.stdout.strip().splitlines()[-1]
    print(f"  {time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}: {line}", flush=True)
    return json.loads(line)


# CPU seconds of the child and of every process it waited for (spaCy and Dask workers): load
# from other programs disturbs it less than wall time.
CPU_SECONDS = (
    "import resource\n"
    "cpu = lambda: sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)"
    " for f in ('ru_utime', 'ru_stime'))\n"
)


def timed_corpus(source: Path, out: Path, **options) -> dict:
    return in_child(
        "import json, time\n" + CPU_SECONDS +
        "from framelens.corpus.engine import analyze_corpus\n"
        "from framelens.corpus.worker import corpus_pipeline\n"
        "corpus_pipeline(None)\n"
        "start, cpu0 = time.perf_counter(), cpu()\n"
        f"s = analyze_corpus({str(source)!r}, {str(out)!r}, progress=False, **{options!r})\n"
        "seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu0\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'seconds': seconds, 'cpu': cpu_seconds, 'analysed': s.analysed, 'skipped': s.skipped, 'rss_kb': rss}))\n"
    )


def timed_bare_pipe(source: Path, n_process: int) -> dict:
    return in_child(
        "import json, time\n" + CPU_SECONDS +
        "from framelens.nlp import load_pipeline\n"
        "nlp = load_pipeline()\n"
        f"texts = [json.loads(l)['text'] for l in open({str(source)!r}, encoding='utf-8')]\n"
        "start, cpu0 = time.perf_counter(), cpu()\n"
        f"docs = sum(1 for _ in nlp.pipe(texts, batch_size={BATCH}, n_process={n_process}))\n"
        "print(json.dumps({'seconds': time.perf_counter() - start, 'cpu': cpu() - cpu0, 'docs': docs}))\n"
    )


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles for the throughput runs (default: 2000)")
    parser.add_argument("--rss", type=int, nargs=2, default=(1000, 10000), metavar=("SMALL", "LARGE"), help="corpus sizes for peak RSS")
    parser.add_argument("--skip-rss", action="store_true", help="skip the (long) peak-RSS runs")
    parser.add_argument("--skip-throughput", action="store_true", help="only the peak-RSS runs")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"where the table goes (default: benchmarks/{RESULTS.name})")
    args = parser.parse_args(argv)
    if not BBC.is_file():
        print(f"corpus benchmark skipped: {BBC} not found")
        return 0
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_throughput:
            rows += throughput_rows(corpus_file(args.articles, folder), folder, args.articles)
        if not args.skip_rss:
            rows.append(rss_row(folder, *args.rss))
    report = render(rows, args.articles, load=os.getloadavg())
    print(report)
    args.results.write_text(report, encoding="utf-8")
    return 0


def throughput_rows(source: Path, folder: Path, n: int) -> list[tuple[str, str, str, str]]:
    """Analyse against bare nlp.pipe, 2 processes against 1, Dask against processes, resume against
    a full run: each run in a fresh interpreter on the ``n`` articles of ``source``."""
    bare1 = timed_bare_pipe(source, 1)
    serial = timed_corpus(source, folder / "serial", n_process=1, batch_size=BATCH)
    resume = timed_corpus(source, folder / "serial", n_process=1, batch_size=BATCH)
    bare2 = timed_bare_pipe(source, 2)
    multi = timed_corpus(source, folder / "multi", n_process=2, batch_size=BATCH)
    dask = timed_corpus(source, folder / "dask", engine="dask", n_process=2, batch_size=BATCH)
    rate = lambda r: n / r["seconds"]  # noqa: E731
    versus = lambda a, b: f"{rate(a):.1f} vs {rate(b):.1f} articles/s; CPU {a['cpu']:.0f} vs {b['cpu']:.0f} s"  # noqa: E731
    return [
        ("analyze / bare nlp.pipe, 1 process", f"{bare1['seconds'] / serial['seconds']:.2f}", ">= 0.85", versus(serial, bare1)),
        ("analyze / bare nlp.pipe, 2 processes", f"{bare2['seconds'] / multi['seconds']:.2f}", ">= 0.85", versus(multi, bare2)),
        ("--n-process 2 / 1", f"{serial['seconds'] / multi['seconds']:.2f}x", ">= 1.7x", versus(multi, serial)),
        ("Dask LocalCluster 2 workers / --n-process 2", f"{multi['seconds'] / dask['seconds']:.2f}x", ">= 0.9x", versus(dask, multi)),
        ("resume of a finished corpus / full run", f"{resume['seconds'] / serial['seconds']:.1%}", "< 5%",
         f"{resume['seconds']:.1f}s vs {serial['seconds']:.1f}s ({resume['skipped']} skipped)"),
    ]


def rss_row(folder: Path, small_n: int, large_n: int) -> tuple[str, str, str, str]:
    """Peak RSS of a serial run over ``large_n`` articles against one over ``small_n``."""
    small = timed_corpus(corpus_file(small_n, folder), folder / "rss-small", n_process=1, batch_size=BATCH)
    large = timed_corpus(corpus_file(large_n, folder), folder / "rss-large", n_process=1, batch_size=BATCH)
    return (f"peak RSS {large_n:,} / {small_n:,} articles", f"{large['rss_kb'] / small['rss_kb']:.2f}x", "<= 1.2x",
            f"{large['rss_kb'] / 1024:.0f} vs {small['rss_kb'] / 1024:.0f} MiB ({large_n / large['seconds']:.1f} vs "
            f"{small_n / small['seconds']:.1f} articles/s)")


def render(rows: list[tuple[str, str, str, str]], n: int, *, load: tuple[float, float, float]) -> str:
    lines = [
        "# Corpus benchmarks",
        "",
        f"Machine: {machine()}. Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"`python benchmarks/corpus.py` on {n:,} BBC articles (batch size {BATCH}); load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at the end: other processes share the machine.",
        "",
        "| measure | ratio | goal | numbers |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
