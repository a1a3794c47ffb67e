"""Where the CPU seconds of a one-process corpus run go, against bare ``nlp.pipe`` (issue 11).

    python benchmarks/corpus_breakdown.py [--articles 200] [--profile FILE]

Runs bare ``nlp.pipe`` over the first N BBC articles (../shared/corpora/bbc-news, never copied)
and then ``analyze_corpus`` over the same articles (one process, the same batch size), with a
timer around each step of the engine. The timers keep a stack, so each second is charged to the
innermost step running (a spaCy component's ``pipe`` pulls its Docs from the component before it:
that time is the earlier component's). ``--profile`` also writes a cProfile of the corpus run.
Prints a Markdown table of CPU seconds (this process: one-process runs have no other).
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterator

from corpus import BATCH, BBC, corpus_file

clock = time.thread_time  # this thread's: in an n_process run, not the queue feeder's pickling


class Steps:
    """CPU seconds per step; nested steps are charged to the innermost one."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.stack: list[str] = []
        self.mark = clock()

    def _switch(self) -> None:
        now = clock()
        if self.stack:
            self.seconds[self.stack[-1]] += now - self.mark
        self.mark = now

    def enter(self, name: str) -> None:
        self._switch()
        self.stack.append(name)

    def leave(self) -> None:
        self._switch()
        self.stack.pop()

    def call(self, name: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(name)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()
        return timed

    def generator(self, name: str, function: Callable) -> Callable:
        """``function`` returns an iterator: each ``next`` on it is charged to ``name``."""
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Iterator:
            iterator = iter(self.call(name, function)(*args, **kwargs))
            while True:
                self.enter(name)
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    self.leave()
                yield item
        return timed


class TimedComponent:
    """A pipeline component whose ``pipe`` and ``__call__`` are charged to ``steps``."""

    def __init__(self, component: Any, name: str, steps: Steps):
        self.component, self.name, self.steps = component, name, steps

    def __call__(self, doc: Any) -> Any:
        return self.steps.call(self.name, self.component)(doc)

    def pipe(self, docs: Any, **kwargs: Any) -> Iterator:
        if not hasattr(self.component, "pipe"):
            return map(self, docs)
        return self.steps.generator(self.name, self.component.pipe)(docs, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.component, attribute)


def time_garbage_collection(steps: Steps) -> None:
    gc.callbacks.append(lambda phase, _info: steps.enter("garbage collection") if phase == "start" else steps.leave())


def time_components(nlp: Any, steps: Steps, prefix: str) -> None:
    nlp._components = [(name, TimedComponent(proc, f"{prefix}{name}", steps)) for name, proc in nlp._components]


def bare_pipe(source: Path, steps: Steps) -> float:
    from framelens.nlp import load_pipeline

    nlp = load_pipeline()
    texts = [json.loads(line)["text"] for line in source.open(encoding="utf-8")]
    time_components(nlp, steps, "parse: ")
    time_garbage_collection(steps)
    nlp.make_doc = steps.call("tokenise (make_doc)", nlp.make_doc)
    start = clock()
    for _doc in nlp.pipe(texts, batch_size=BATCH):
        pass
    seconds = clock() - start
    gc.callbacks.clear()
    return seconds


# (module[:class], attribute, step, is it a generator function)
ENGINE_STEPS = [
    ("framelens.corpus.engine", "corpus_entries", "read input (JSONL)", True),
    ("framelens.corpus.engine", "fingerprint", "fingerprints (sha256 of input, plan)", False),
    ("framelens.corpus.store:CorpusStore", "ledger", "store: ledger read, recover", False),
    ("framelens.corpus.store:CorpusStore", "recover", "store: ledger read, recover", False),
    ("framelens.corpus.inputs:CorpusEntry", "article", "Article: decode, checks, paragraphs", False),
    ("framelens.corpus.worker:ArticleTokenizer", "__call__", "tokenise + paragraph starts", False),
    ("framelens.corpus.worker", "prepare_doc", "tokenise + paragraph starts", False),  # before ArticleTokenizer
    ("framelens.corpus.worker", "article_text", "payload with the text", False),
    ("framelens.corpus.worker", "article_payload", "payload with the text", False),
    ("framelens.corpus.worker", "unpack", "unpickling results (n_process > 1)", False),
    ("framelens.corpus.worker:AnalysisComponent", "__call__", "analysis component (payload back, carrier Doc)", False),
    ("framelens.corpus.worker", "analyze", "analysis after the parse (analyze)", False),
    ("framelens.corpus.engine", "ledger_row", "part: ledger rows", False),
    ("framelens.corpus.engine", "with_metadata", "part: concat + metadata columns", False),
    ("framelens.corpus.engine", "led_by_metadata", "part: concat + metadata columns", False),
    ("framelens.corpus.store", "to_arrow", "part: pandas -> Arrow", False),
    ("pyarrow.parquet", "write_table", "part: Parquet write", False),
    ("framelens.corpus.store:CorpusStore", "next_part", "part: next part name", False),
    ("framelens.corpus.engine", "_progress", "tqdm", False),
]


def patch_engine(steps: Steps) -> None:
    import importlib

    for where, attribute, step, is_generator in ENGINE_STEPS:
        module_name, _, class_name = where.partition(":")
        owner = importlib.import_module(module_name)
        owner = getattr(owner, class_name, None) if class_name else owner
        if hasattr(owner, attribute):  # an older engine may lack a step (compare before / after a change)
            setattr(owner, attribute, (steps.generator if is_generator else steps.call)(step, getattr(owner, attribute)))


def process_cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def corpus_run(source: Path, out: Path, steps: Steps, profile: Path | None, n_process: int) -> dict[str, float]:
    """CPU seconds of a corpus run: this thread (timed by ``steps``), this process, its children."""
    from tqdm import tqdm

    from framelens.corpus.engine import analyze_corpus
    from framelens.corpus.worker import corpus_pipeline

    nlp = corpus_pipeline(None)
    time_components(nlp, steps, "parse: ")
    nlp._components[-1] = (nlp._components[-1][0], nlp._components[-1][1].component)  # timed as AnalysisComponent
    patch_engine(steps)
    time_garbage_collection(steps)
    tqdm.update = steps.call("tqdm", tqdm.update)
    profiler = cProfile.Profile() if profile else None
    os.register_at_fork(after_in_child=lambda: sys.setprofile(None))  # profile this process only
    start, own, children = clock(), process_cpu(resource.RUSAGE_SELF), process_cpu(resource.RUSAGE_CHILDREN)
    if profiler:
        profiler.enable()
    summary = analyze_corpus(source, out, n_process=n_process, batch_size=BATCH, progress=True)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    assert summary.analysed + summary.failed == sum(1 for _ in source.open()), summary
    return {"thread": clock() - start, "process": process_cpu(resource.RUSAGE_SELF) - own,
            "children": process_cpu(resource.RUSAGE_CHILDREN) - children}


def table(bare: Steps, bare_total: float, engine: Steps, engine_total: float, n: int) -> str:
    names = sorted(set(bare.seconds) | set(engine.seconds), key=lambda s: (not s.startswith("parse"), s))
    lines = [f"| step ({n} articles, CPU s) | bare nlp.pipe | corpus run | ms an article (corpus) |", "|---|---:|---:|---:|"]
    for name in names:
        b, e = bare.seconds.get(name, 0.0), engine.seconds.get(name, 0.0)
        lines.append(f"| {name} | {b:.2f} | {e:.2f} | {1000 * e / n:.1f} |")
    rest_b = bare_total - sum(bare.seconds.values())
    rest_e = engine_total - sum(engine.seconds.values())
    lines.append(f"| untimed (loops, generators, spaCy's batching) | {rest_b:.2f} | {rest_e:.2f} | {1000 * rest_e / n:.1f} |")
    lines.append(f"| **total** | **{bare_total:.2f}** | **{engine_total:.2f}** | {1000 * engine_total / n:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the corpus run here")
    parser.add_argument("--n-process", type=int, default=1, help="spaCy processes of the corpus run (>1: this process's share only)")
    args = parser.parse_args(argv)
    if not BBC.is_file():
        print(f"corpus breakdown skipped: {BBC} not found")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        source = corpus_file(args.articles, Path(tmp))
        bare, engine = Steps(), Steps()
        bare_total = bare_pipe(source, bare)
        cpu = corpus_run(source, Path(tmp) / "out", engine, args.profile, args.n_process)
    print(table(bare, bare_total, engine, cpu["thread"], args.articles))
    print(f"\nCPU s of the corpus run: this thread {cpu['thread']:.2f}, this process {cpu['process']:.2f} "
          f"(other threads {cpu['process'] - cpu['thread']:.2f}), spaCy worker processes {cpu['children']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
