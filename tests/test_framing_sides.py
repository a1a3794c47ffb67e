"""Sides (framing.sides.actor_sides): each actor's country or affiliation from the text itself.

Class 9 of the trust issue; invented people and organisations, real countries as places.
"""
from __future__ import annotations

import pytest

SIDE_CASES = [
    (  # each person takes the modifier of their own name, not their neighbour's
        "U.S. President Dana Whitfield and Russian President Ivan Sokolov met at the summit on Monday.",
        {"Dana Whitfield": "United States", "Ivan Sokolov": "Russia"},
    ),
    (  # a state institution speaks for its country, and so does its spokesman
        "The Kremlin said the talks were useful. Kremlin spokesman Oleg Varga said more talks would follow.",
        {"Kremlin": "Russia", "Oleg Varga": "Russia"},
    ),
    (  # a definite description with a nationality is evidence for the person it describes
        "Ivan Sokolov arrived in New York on Sunday. On Monday the Russian leader gave a long speech at the assembly.",
        {"Ivan Sokolov": "Russia"},
    ),
    (  # the text gives no nationality: no side is invented
        "Dana Whitfield and Ivan Sokolov met at the summit on Monday to talk about the war.",
        {"Dana Whitfield": "", "Ivan Sokolov": ""},
    ),
]


@pytest.mark.parametrize("text, expected", SIDE_CASES)
def test_sides_from_the_text(text, expected, make_analysis):
    sides = make_analysis(text).sides
    got = dict(zip(sides["canonical"], sides["side"]))
    assert {name: got.get(name, "<missing>") for name in expected} == expected


def test_no_side_from_a_fragment_of_a_name(make_analysis):
    text = "Islamic State fighters attacked the town. Commander Rafi Noor of the Islamic State said the attack had worked."
    sides = make_analysis(text).sides
    assert "Islamic" not in set(sides["side"])


def test_unnamed_source_takes_the_side_of_its_description(make_analysis):
    text = "A senior US official said the talks had been frank. The meeting in Geneva lasted for two hours."
    analysis = make_analysis(text)
    sides = dict(zip(analysis.sides["canonical"], analysis.sides["side"]))
    assert sides.get("a senior US official") == "United States"
    by_side = dict(zip(analysis.voice_by_side["side"], analysis.voice_by_side["share_of_voice"]))
    assert by_side.get("United States") == pytest.approx(1.0)


@pytest.mark.parametrize(("who", "side"), [("official", "Russia"), ("correspondent", None)])
def test_a_journalist_covering_an_institution_does_not_speak_for_it(who, side, make_analysis):
    text = f"The talks in Geneva lasted for two hours on Monday. The meeting was frank, a Kremlin {who} said."
    voice = make_analysis(text).voice_by_side
    by_side = dict(zip(voice["side"], voice["words_quoted"]))
    assert (by_side.get("Russia", 0) > 0) == (side is not None)
