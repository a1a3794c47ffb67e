"""Bootstrap intervals over articles (numpy), seeded per quantity so the text is reproducible."""
from __future__ import annotations

import zlib
from typing import Sequence

import numpy as np

MIN_ARTICLES = 3  # a group with fewer articles describes articles, not an outlet: no interval
RESAMPLES = 2000
LEVEL = 0.95


def _rng(seed: int, *key: object) -> np.random.Generator:
    """A generator seeded by ``seed`` and the quantity's own key (group, side ...), so an
    interval does not depend on which other quantities were computed before it."""
    return np.random.default_rng([seed, zlib.crc32("\x1f".join(map(str, key)).encode())])


def bootstrap_ratio(part: Sequence[float], whole: Sequence[float], *, seed: int, key: tuple = ()) -> tuple[float, float]:
    """95% percentile interval of sum(part)/sum(whole) over articles resampled with replacement.

    (nan, nan) when there are fewer than MIN_ARTICLES articles. Resamples whose ``whole`` sums
    to 0 are left out.
    """
    part, whole = np.asarray(part, float), np.asarray(whole, float)
    if len(part) < MIN_ARTICLES:
        return float("nan"), float("nan")
    picks = _rng(seed, *key).integers(0, len(part), size=(RESAMPLES, len(part)))
    num, den = part[picks].sum(axis=1), whole[picks].sum(axis=1)
    ratios = num[den > 0] / den[den > 0]
    if not len(ratios):
        return float("nan"), float("nan")
    low, high = np.quantile(ratios, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return float(low), float(high)


def bootstrap_mean(values: Sequence[float], *, seed: int, key: tuple = ()) -> tuple[float, float]:
    """95% percentile interval of the mean of ``values`` (one per article); nan below MIN_ARTICLES."""
    values = np.asarray(values, float)
    return bootstrap_ratio(values, np.ones_like(values), seed=seed, key=key)


def intervals_apart(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """True when both intervals exist and do not overlap: only then is a difference called one."""
    if any(np.isnan(x) for x in (*a, *b)):
        return False
    return a[1] < b[0] or b[1] < a[0]
