"""The codebook's term search on lower-cased text finds exactly what the guarded re.I pattern finds."""
from __future__ import annotations

import random
import re

import pytest

from framelens.framing.common import WordStartSearch, _any_term_regex
from framelens.framing.generic_frames import _Joined, _lowers_like_ignorecase, _Terms

TERMS = ["strike*", "ferry", "union", "pay rise", "it's", "sinks"]
PIECES = ["Strike", "strikers", "ferry", "FERRY", "re", "union", "Reunion", "pay", " ", "  ", "rise", "-", "it", "'s",
          "’", "“", "é", "É", "sinks", "ſinks", "\u212aey", "\u0131", "x", ".", "\n"]


def _all_matches(search, text: str) -> list[tuple[int, int]]:
    found, position = [], 0
    while (match := search(text, position)) is not None:
        found.append(match.span())
        position = match.end() if match.end() > match.start() else match.start() + 1
    return found


def test_word_start_search_finds_what_the_guarded_pattern_finds():
    rng = random.Random(5)
    guarded = re.compile(_any_term_regex([t.lower() for t in TERMS]))
    unguarded = WordStartSearch(_any_term_regex([t.lower() for t in TERMS], word_start=False))
    for _ in range(2000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 25))).lower()
        assert _all_matches(unguarded.search, text) == _all_matches(guarded.search, text), text
        start = rng.randint(0, len(text))
        assert unguarded.search(text, start, len(text)) is None or guarded.search(text, start, len(text)) is not None


@pytest.mark.parametrize("text, safe", [
    ("plain ASCII", True), ("curly ’quotes’ and “dashes” — ok", True), ("Élodie and café", True),
    ("\u212aelvin sign", False), ("dotless \u0131", False), ("long \u017f", False), ("\u0130stanbul", False),
])
def test_lowers_like_ignorecase(text, safe):
    assert _lowers_like_ignorecase(text) is safe


def test_sentences_found_on_lower_case_text_are_the_re_i_ones():
    rng = random.Random(9)
    terms = _Terms(TERMS)
    for _ in range(500):
        strings = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 6))]
        joined = _Joined(strings)
        by_re_i = {i for i, s in enumerate(strings) if terms.any_case.search(s)}
        assert joined.matching(terms) == by_re_i, strings


def test_loaded_labels_found_as_the_lexicon_pattern_finds_them():
    from framelens.framing.loaded import _APOSTROPHES, _find_loaded, _loaded_lexicon

    entries, pattern, _ = _loaded_lexicon()
    forms = [f for e in entries for f in [e["term"], *(e.get("forms") or [])]]
    rng = random.Random(3)
    for _ in range(1500):
        words = [rng.choice(forms) for _ in range(3)] + [rng.choice(PIECES) for _ in range(8)]
        rng.shuffle(words)
        text = "".join(w.upper() if rng.random() < 0.2 else w for w in words)
        expected = [(m.start(), m.end(), entries[int(m.lastgroup[1:])]) for m in pattern.finditer(text.translate(_APOSTROPHES))]
        assert _find_loaded(text) == expected, text
