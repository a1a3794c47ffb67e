"""``framelens compare``: analyse the corpora if needed, run notebooks/05_compare with papermill,
and move the comparison report into place (staging, atomic swap, as ``framelens report`` does)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from ..config import NOTEBOOKS_DIR, PROCESSED_DIR, PROJECT_ROOT, REPORTS_DIR
from ..errors import FramelensError
from ..ids import check_article_id
from ..staging import atomic_path
from .actors import load_alias_table
from .tables import DEFAULT_SEED, CompareTables, comparison, load_tables

log = logging.getLogger(__name__)

COMPARE_NOTEBOOK = "05_compare"


def is_analysed_corpus(path: Path) -> bool:
    """True for a directory written by ``framelens analyze`` (it has a committed ``articles`` dataset)."""
    from ..corpus.store import CorpusStore

    return path.is_dir() and bool(CorpusStore(path).committed_parts())


def analysed_corpora(sources: Sequence[Path | str], *, model: str | None = None, processed_root: Path | None = None) -> list[Path]:
    """The analysed corpus directory of each source: itself if it is one, else the source
    analysed (resumably) into ``processed_root/<corpus>/`` (default data/processed/)."""
    from ..corpus import analyze_corpus
    from ..corpus.fetch import corpus_name
    from ..corpus.store import CorpusStore

    dirs = []
    for source in map(Path, sources):
        if is_analysed_corpus(source):
            dirs.append(source.resolve())
            continue
        out = Path(processed_root or PROCESSED_DIR) / corpus_name(source)
        summary = analyze_corpus(source, out, model=model, progress=False)
        if not any(row.status == "analysed" for row in CorpusStore(out).ledger().values()):
            raise FramelensError(f"{source}: no article could be analysed, nothing to compare (see the errors table in {out})")
        if summary.any_failed:
            log.warning("%s: %d article(s) could not be analysed and are left out (see its errors table)",
                        source, summary.failed + summary.failed_before, extra={"notice": True})
        dirs.append(out.resolve())
    return dirs


def corpus_id(sources: Sequence[Path | str]) -> str:
    """The comparison's id (its report folder): the corpus names joined by '+'."""
    from ..corpus.fetch import corpus_name

    return check_article_id("+".join(corpus_name(Path(s)) for s in sources), source="the corpora compared")


def notebook_comparison(
    corpus_dirs: Sequence[str], *, by: str = "outlet", output_dir: str = "", aliases_path: str = "",
    spacy_model: str = "", processed_root: str = "", seed: int = DEFAULT_SEED, sides_from_corpus: bool = True,
) -> tuple[CompareTables, Path]:
    """What 05_compare starts with: the comparison tables and its output folder (relative paths
    from the project root; ``output_dir`` "" means reports/<corpus-id>/)."""
    if not corpus_dirs:
        raise FramelensError("no corpus to compare")
    sources = [_project_path(c) for c in corpus_dirs]
    dirs = analysed_corpora(sources, model=spacy_model or None, processed_root=_project_path(processed_root) if processed_root else None)
    aliases = load_alias_table(_project_path(aliases_path) if aliases_path else None)
    ct = comparison(load_tables(dirs, by=by), by=by, aliases=aliases, seed=seed, sources=dirs, sides_from_corpus=sides_from_corpus)
    out = _project_path(output_dir) if output_dir else REPORTS_DIR / corpus_id(sources)
    for sub in ("figures", "tables"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    return ct, out


def _project_path(path: str | Path) -> Path:
    return Path(path) if Path(path).is_absolute() else PROJECT_ROOT / path


def run_compare(
    sources: Sequence[Path | str], *, by: str = "outlet", out_dir: Path | str | None = None, aliases: Path | str | None = None,
    model: str | None = None, seed: int = DEFAULT_SEED, notebooks_dir: Path = NOTEBOOKS_DIR, processed_root: Path | None = None,
    sides_from_corpus: bool = True,
) -> Path:
    """Compare the corpora ``sources`` grouped by the metadata column ``by``; returns report.html's path.

    Every input is checked (the corpora read or analysed, ``by`` a column, the alias table valid)
    before anything is written to ``out_dir`` (default reports/<corpus-id>/); corpora not yet
    analysed are analysed into ``processed_root/<corpus>/`` (default data/processed/).
    ``sides_from_corpus`` False keeps each speaker's side as its own article gives it. The report is
    built in a staging folder and swapped into place when the notebook succeeded; a failing
    notebook raises runner.NotebookFailed and its executed copy is kept in ``_failed/``.
    """
    from ..runner import _execute, _one_kernel

    sources = [Path(s).absolute() for s in sources]
    comparison_id = corpus_id(sources)
    alias_file = Path(aliases).resolve() if aliases else None
    load_alias_table(alias_file)
    dirs = analysed_corpora(sources, model=model, processed_root=processed_root)
    load_tables(dirs, by=by)  # a bad --by stops here
    target = Path(out_dir).resolve() if out_dir else REPORTS_DIR / comparison_id
    params = {"corpus_dirs": [str(d) for d in dirs], "by": by, "aliases_path": str(alias_file or ""),
              "spacy_model": model or "", "seed": int(seed), "sides_from_corpus": bool(sides_from_corpus)}
    with _one_kernel() as kernel, atomic_path(target) as stage:
        (stage / "notebooks").mkdir(parents=True)
        params["output_dir"] = str(stage)
        _execute(notebooks_dir / f"{COMPARE_NOTEBOOK}.ipynb", stage / "notebooks", params, target.parent, comparison_id, kernel)
        if not (stage / "report.html").is_file():
            raise FramelensError(f"notebook {COMPARE_NOTEBOOK} wrote no report.html")
    return target / "report.html"
