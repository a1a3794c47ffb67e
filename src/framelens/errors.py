"""The one exception type users see (atomic writing of outputs lives in staging.py)."""
from __future__ import annotations


class FramelensError(ValueError):
    """A problem the user can act on (bad input, missing model); the CLI prints it on one line."""
