"""Word lists and small predicates the speaker rules share (cue subjects, descriptions, the resolver)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..entities import demonyms, titles
from .lexicon import cue_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token


# Words that open a relative clause, reflexives, and the mention labels a speaker span may carry.
RELATIVE_PRONOUNS = {"who", "which", "that"}
REFLEXIVE_PRONOUNS = {"himself", "herself", "itself", "themselves"}
SPEAKER_MENTION_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}


# Document nouns for numbers, not texts: with a named author they are that author's ("Labor
# Department figures"); alone they are evidence, not a voice.
DATA_NOUNS = frozenset({"figure", "figures", "datum", "data", "statistic", "statistics"})

# Texts that "state" or "say" what they hold, beyond the document nouns of the lexicon.
_TEXT_NOUNS = frozenset({
    "rule", "law", "clause", "regulation", "treaty", "constitution", "bill", "act", "agreement", "contract",
    "charter", "code", "resolution", "motion", "sign", "poster", "banner", "headline", "slogan", "label", "placard",
})

# Offices of a court or a match official: the people a story is about stand before them.
_COURT_OFFICES = frozenset({"judge", "magistrate", "coroner", "prosecutor", "referee", "umpire"})

# Endings of nouns for people by what they do ("observers", "economists", "critics", "residents").
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ic", "ant", "ent", "ee")


ORIGIN = "@"  # prefix of a describing word that names a country or nationality: "@russia"


def _describing_words(token: "Token") -> set[str]:
    """The lower-case word(s) a token adds to a description; a nationality also as ORIGIN + country.

    "U.S." -> {"us", "@united states"}, "Valdorian" (a NORP) -> {"valdorian", "@valdorian"}.
    """
    # spaCy splits a possessive "'s" into its own token, which describes nothing
    word = "" if token.lower_ in ("'s", "’s", "'", "’") else token.lower_.rstrip(".").replace(".", "")
    if not word.replace("-", "").isalpha():
        return set()
    table = demonyms()
    country = table.get(token.lower_) or table.get(word) or table.get(token.lower_.rstrip("."))
    words = {word}
    if country:
        words |= {str(country).lower(), ORIGIN + str(country).lower()}
    elif token.ent_type_ in ("NORP", "GPE") and token.text[:1].isupper():
        words.add(ORIGIN + word)
    return words


def _describing_words_of(text: str) -> set[str]:
    """Nationality words of a description given as text ("a senior US official" -> {"@united states"})."""
    table = demonyms()
    words = set()
    for raw in text.split():
        w = raw.lower().strip(",.;:")
        country = table.get(w) or table.get(w.replace(".", ""))
        if country:
            words.add(ORIGIN + str(country).lower())
    return words


# Words that make a title another office ("home" vs "foreign secretary"), and words that say
# the person does not (or no longer) hold it ("shadow", "former").
_OFFICE_QUALIFIERS = frozenset({"foreign", "home", "interior", "defence", "defense", "finance", "health", "justice", "education", "trade", "deputy", "vice", "junior"})
_NOT_HOLDING = {"shadow": "shadow", "former": "former", "ex": "former"}


# Title words that are forms of address, not offices: they never make another office.
_HONORIFIC_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "former", "acting", "then"})
# Nouns for a state's government as a whole: a country, or a name or description that fits, resolves them.
_STATE_NOUNS = frozenset({"government", "administration", "authorities", "authority", "state"})
_NOT_ORGANISATIONS = frozenset({"PERSON", "UNNAMED", "GROUP"})
# A whole trade, not one body in it ("the music industry said"): no person, and an organisation
# only when the text describes one with the same words.
_COLLECTIVE_NOUNS = frozenset({"industry", "sector"})
_PLACE_NOUNS = frozenset({"country", "city", "region", "area", "town", "capital", "province", "state", "ground", "scene", "border", "front"})
# The last word of a street's name: "the High Street retailer", "a Wall Street bank" name a place.
STREET_WORDS = frozenset({"street", "road", "avenue", "lane", "square", "boulevard"})
# "the company"/"the firm" is a business: never a body whose name says it is a public one.
_COMMERCIAL_NOUNS = frozenset({"company", "firm", "business", "corporation"})
_PUBLIC_BODIES = frozenset({
    "university", "school", "college", "hospital", "council", "ministry", "government", "department", "court",
    "police", "army", "parliament", "party", "union", "charity", "committee", "commission", "embassy", "agency",
    "force", "navy", "federation", "association", "institute", "foundation", "authority",
})
# Verbs of leaving an office: "X quit as home secretary" makes X the former home secretary.
_LEAVING_VERBS = frozenset({"quit", "resign", "step", "leave", "retire", "stand"})
_QUESTION_VERBS = frozenset({"ask", "question", "press", "quiz"})


def _same_office(mods: set[str], words: set[str]) -> bool:
    """Whether a description's title qualifiers fit a person's descriptors (see the sets above)."""
    asked = mods & _OFFICE_QUALIFIERS
    if asked and not asked <= words:
        return False
    return {_NOT_HOLDING[w] for w in mods if w in _NOT_HOLDING} == {_NOT_HOLDING[w] for w in words if w in _NOT_HOLDING}


# Nouns for works, whose appositive is a title, not a person ("The film, A Different Story, chronicles").
_WORK_NOUNS = frozenset("film movie book novel album song single show series play documentary programme musical record game track opera story".split())
_NATIONALITY_NOUNS = frozenset({"briton", "brit", "scot", "scots", "spaniard", "swede", "dane", "finn", "pole", "turk", "kiwi", "aussie", "argentine", "yank"})


def _nationality_noun(head: "Token") -> bool:
    """"the Northern Irishman", "the Spaniard": a capitalised noun for a person of a nationality
    describes someone named elsewhere; it is no name."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return False
    word = head.lower_
    stem = word[:-3] if word.endswith(("man", "men")) else word[:-5] if word.endswith(("woman", "women")) else ""
    return word in _NATIONALITY_NOUNS or stem in demonyms() or stem in _NATIONALITY_NOUNS


def _personal_name(name: str) -> bool:
    """Two or three capitalised words with no organisation noun: a person's name, as far as its form goes."""
    words = name.split()
    lex = cue_lexicon()
    common = lex.organisation_nouns | lex.anonymous_nouns | titles()
    return (
        2 <= len(words) <= 3 and words[0].lower() not in demonyms()  # "Scottish Executive" is nobody's name
        and all(w.istitle() and w.isalpha() and w.lower() not in common for w in words)
    )


def _origins(words: set[str]) -> set[str]:
    return {w for w in words if w.startswith(ORIGIN)}
