"""The report's methods paragraph: versions, the rules in brief, the codebook version, validation
scores measured on the project's gold files at build time, and how to cite (from CITATION.cff).

Nothing here is typed by hand: the scores come from ``framelens.evaluate`` over ``data/gold``,
computed once per set of inputs and cached (in this process, and on disk keyed by everything the
scores depend on), so a report does not re-analyse the gold articles each time.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from . import __version__
from .config import GOLD_DIR, PROCESSED_DIR, PROJECT_ROOT, RAW_DIR, RESOURCES_DIR, SEED_ARTICLE

log = logging.getLogger(__name__)

CITATION_FILE = PROJECT_ROOT / "CITATION.cff"
CODEBOOK_FILE = RESOURCES_DIR / "frames_codebook.yaml"
# Under data/processed/ but never an article's folder: article ids cannot start with "_".
VALIDATION_CACHE = PROCESSED_DIR / "_validation"
KEEP_CACHED = 8


def codebook_version(path: Path = CODEBOOK_FILE) -> str:
    """The frames codebook's version: the first 12 hex digits of its sha256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# --- citation ----------------------------------------------------------------------------------


def read_citation(path: Path = CITATION_FILE) -> dict[str, Any]:
    """CITATION.cff as a dict ({} when the file is absent, e.g. in an installed wheel)."""
    from .config import read_yaml

    if not path.is_file():
        return {}
    data = read_yaml(path, "citation file")
    return data if isinstance(data, dict) else {}


def _author(entry: dict[str, Any]) -> str:
    """'Lind, A.' for a person, the name for an entity."""
    if entry.get("name"):
        return str(entry["name"])
    family, given = str(entry.get("family-names", "")), str(entry.get("given-names", ""))
    initials = " ".join(f"{part[0]}." for part in given.split() if part)
    return f"{family}, {initials}".strip(", ")


def citation_line(citation: dict[str, Any] | None = None) -> str:
    """How to cite framelens, APA-style, from CITATION.cff: authors (year). title (version) [software]. url"""
    cff = read_citation() if citation is None else citation
    if not cff:
        return f"framelens (version {__version__}) [computer software]."
    authors = [_author(a) for a in cff.get("authors") or [] if isinstance(a, dict)]
    year = str(cff.get("date-released", ""))[:4] or "n.d."
    names = ", ".join(authors[:-1]) + f" & {authors[-1]}" if len(authors) > 1 else "".join(authors)
    url = cff.get("url") or cff.get("repository-code") or ""
    doi = f" https://doi.org/{cff['doi']}" if cff.get("doi") else ""
    line = f"{names} ({year}). {cff.get('title', 'framelens')} (version {cff.get('version', __version__)}) [computer software].{doi}"
    return f"{line} {url}".strip() if url and not doi else line


# --- validation --------------------------------------------------------------------------------


def own_gold_pairs(gold_dir: Path = GOLD_DIR) -> list[tuple[Path, Path]]:
    """(article, gold file) for each of the project's own gold files (``data/gold/*.quotes.tsv``):
    the seed, or ``data/raw/<id>.txt``. Gold files without their article are left out."""
    pairs = []
    for gold in sorted(gold_dir.glob("*.quotes.tsv")):
        article_id = gold.name.split(".")[0]
        article = SEED_ARTICLE if SEED_ARTICLE.stem == article_id else RAW_DIR / f"{article_id}.txt"
        if article.is_file():
            pairs.append((article, gold))
    return pairs


def _inputs_key(pairs: list[tuple[Path, Path]], model_label: str) -> str:
    """sha256 over everything the scores depend on: framelens's code, the model, each article and gold file."""
    from .analysis import code_fingerprint

    digest = hashlib.sha256(f"{code_fingerprint()}\0{model_label}".encode())
    for article, gold in pairs:
        digest.update(article.read_bytes())
        digest.update(gold.read_bytes())
    return digest.hexdigest()[:20]


def validation_scores(*, model: str | None = None, cache_dir: Path = VALIDATION_CACHE, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """Quote extraction scored on the project's gold articles (``evaluate.gold_set_scores``, pooled).

    Returns:
        dict with articles, gold_quotes (required gold quotes), f1_03 (pooled F1 at T=0.3),
        mean_f1_08 (mean F1 at T=0.8), speaker_accuracy, mean_voice_tvd, model; {} when there is
        no gold file with its article.
    """
    from .nlp import installed_model_label

    pairs = own_gold_pairs(gold_dir)
    if not pairs:
        return {}
    label = installed_model_label(model)
    return dict(_cached_scores(tuple(pairs), model, label, _inputs_key(pairs, label), cache_dir))


@functools.lru_cache(maxsize=4)
def _cached_scores(pairs: tuple, model: str | None, label: str, key: str, cache_dir: Path) -> dict[str, Any]:
    """The scores for ``key``: read from ``cache_dir/<key>.json``, else measured and saved there."""
    cached = cache_dir / f"{key}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    scores = {**_measure(list(pairs), model), "model": label}
    _write_atomically(cached, json.dumps(scores, indent=1, sort_keys=True))
    for stale in sorted(cache_dir.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP_CACHED]:
        stale.unlink(missing_ok=True)  # scores of older code or gold: a few are kept, for other checkouts
    return scores


def _measure(pairs: list[tuple[Path, Path]], model: str | None) -> dict[str, Any]:
    from .evaluate import gold_set_scores, pooled
    from .nlp import load_pipeline

    log.info("scoring quote extraction on %d gold articles for the methods paragraph", len(pairs))
    quiet = logging.getLogger("framelens")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # notices about the gold texts are not about the user's article
    try:
        table = gold_set_scores(pairs, nlp=load_pipeline(model))
    finally:
        quiet.setLevel(level)
    total = pooled(table)
    return {
        "articles": int(total["articles"]), "gold_quotes": int(table["gold"].sum()), "f1_03": float(total["f1_03"]),
        "mean_f1_08": float(table["f1_08"].mean()), "speaker_accuracy": float(total["speaker_accuracy"]),
        "mean_voice_tvd": float(total["mean_voice_tvd"]),
    }


def _write_atomically(target: Path, text: str) -> None:
    """``text`` into ``target`` through a temporary file renamed into place (a cache: failure is only logged)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        log.info("could not cache the validation scores in %s (%s)", target.parent, exc.strerror)
    finally:
        tmp.unlink(missing_ok=True)


# --- the paragraph -----------------------------------------------------------------------------


def methods(provenance: dict[str, Any], *, corrections: int = 0, validation: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the methods paragraph says (report.md.j2 words it): versions, codebook, scores, citation.

    ``provenance`` is ``report.provenance(...)``; ``validation`` defaults to ``validation_scores``
    for the model named in its parameters.
    """
    model = (provenance.get("parameters") or {}).get("spacy_model") or None
    return {
        "framelens": provenance["framelens"],
        "spacy": provenance["packages"].get("spacy", "?"),
        "vader": provenance["packages"].get("vaderSentiment", "?"),
        "model": provenance["model"],
        "codebook": codebook_version(),
        "corrections": corrections,
        "validation": validation_scores(model=model) if validation is None else validation,
        "citation": citation_line(),
    }
