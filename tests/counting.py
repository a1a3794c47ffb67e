"""Counting the calls a piece of code makes: how tests catch quadratic work without timing anything."""
from __future__ import annotations

import sys
from typing import Any, Callable


def calls_made(func: Callable[[], Any]) -> int:
    """The Python and C calls ``func()`` makes (spaCy's profiled Cython code counts too)."""
    calls = 0

    def count(_frame, event, _arg):
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        func()
    finally:
        sys.setprofile(None)
    return calls
