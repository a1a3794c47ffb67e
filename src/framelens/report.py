"""Build the report pages (report.html, report.md) from a report directory's figures and tables."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import platform
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import __version__

if TYPE_CHECKING:
    from .analysis import Analysis

PROVENANCE_PACKAGES = ("spacy", "pandas", "matplotlib", "nltk", "papermill", "vaderSentiment", "trafilatura")


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("framelens", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def provenance(analysis: "Analysis", *, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """Input file, its sha256, model, package versions, parameters and the time of the run."""
    versions = {}
    for name in PROVENANCE_PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "input": analysis.article.path.name,
        "sha256": analysis.article.sha256,
        "model": analysis.model,
        "framelens": __version__,
        "python": platform.python_version(),
        "packages": versions,
        "parameters": parameters or {},
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def embed_image(path: Path) -> str:
    """A data: URI for a PNG or SVG file, so the HTML report is one self-contained file."""
    mime = "image/svg+xml" if path.suffix == ".svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def write_index(analysis: "Analysis", report_dir: Path | str, *, parameters: dict[str, Any] | None = None) -> Path:
    """Write report.html (figures embedded, no code) and report.md for a report directory."""
    report_dir = Path(report_dir)
    figures = sorted((report_dir / "figures").glob("*.png"))
    tables = sorted((report_dir / "tables").glob("*.csv"))
    notebooks = sorted((report_dir / "notebooks").glob("*.ipynb"))
    context = {
        "article": analysis.article,
        "meta": analysis.article.metadata,
        "roles": analysis.paragraphs["role"].value_counts().to_dict(),
        "actors": analysis.actors.head(10).to_dict("records"),
        "figures": [{"name": f.stem.replace("_", " "), "file": f"figures/{f.name}", "src": embed_image(f)} for f in figures],
        "tables": [f"tables/{t.name}" for t in tables],
        "notebooks": [f"notebooks/{n.name}" for n in notebooks],
        "provenance": provenance(analysis, parameters=parameters),
    }
    env = _environment()
    (report_dir / "report.html").write_text(env.get_template("report.html.j2").render(**context), encoding="utf-8")
    (report_dir / "report.md").write_text(env.get_template("report.md.j2").render(**context), encoding="utf-8")
    return report_dir / "report.html"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
