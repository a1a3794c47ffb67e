"""Entity mentions, canonical actors (alias merging within one article), counts and co-occurrence."""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import combinations
from typing import TYPE_CHECKING, Collection, Iterable, Sequence

import pandas as pd

from .config import BODY_ROLES, RESOURCES_DIR, read_yaml
from .tokens import ParagraphIndex, doc_text, select_roles, sentence_ids, tokens_where
from .rows import frame, shared, table_rows

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .article import Article

# Labels that name actors, places and things; numeric and date labels are not entities here.
NAMED_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")
ACTOR_LABELS = ("PERSON", "ORG", "GPE")
MENTION_COLUMNS = ["text", "label", "canonical", "paragraph", "role", "sentence", "start_char", "end_char", "modifier"]
MENTION_SCHEMA = dict(zip(MENTION_COLUMNS, ["str", "str", "str", "int64", "str", "int64", "int64", "int64", "bool"]))
ACTOR_SCHEMA = {"canonical": "str", "label": "str", "mentions": "int64", "aliases": "str", "first_paragraph": "int64"}
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame"})
# Head nouns that classify the named thing itself ("the X group", "X ward"): the name still counts.
CLASSIFIER_HEADS = frozenset(
    "group organisation organization movement militia network faction party alliance coalition ward district "
    "region area city town village province county country state republic".split()
)
_NICKNAME = re.compile(r"\s[\"“'‘][^\"”’]{1,25}[\"”'’]\s")
_STOP_PREFIX = re.compile(r"^(the|a|an)\s+", re.I)
_OPEN_BRACKET = re.compile(r"\s*\([^)]*$")
_POSSESSIVE = re.compile(r"(['’]s|['’])$")
_INITIAL_NAME = re.compile(r"^([A-Z])\.\s*([A-Z][\w'’-]+)$")
_ACRONYM_SKIP = {"of", "the", "and", "for", "on", "in", "de", "du", "la"}


@functools.lru_cache(maxsize=1)
def alias_table() -> dict[str, str]:
    """Lower-cased alias -> canonical name, from resources/aliases.yaml."""
    data = read_yaml(RESOURCES_DIR / "aliases.yaml", "alias table")
    table = {}
    for canonical, aliases in data["bodies"].items():
        table[canonical.lower()] = canonical
        for alias in aliases:
            table[alias.lower()] = canonical
    return table


@functools.lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Lower-cased nationality adjective -> country, from resources/aliases.yaml."""
    data = read_yaml(RESOURCES_DIR / "aliases.yaml", "alias table")
    return {str(k).lower(): v for k, v in data["demonyms"].items()}


@functools.lru_cache(maxsize=1)
def institution_countries() -> dict[str, str]:
    """Lower-cased state institution ("white house", "kremlin") -> its country, from resources/aliases.yaml."""
    data = read_yaml(RESOURCES_DIR / "aliases.yaml", "alias table")
    return {str(k).lower(): v for k, v in data.get("institutions", {}).items()}


@functools.lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Honorifics and office titles (lower case), from resources/titles.txt."""
    lines = (RESOURCES_DIR / "titles.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# --- name normalisation ------------------------------------------------------------------


def clean_name(text: str, label: str) -> str:
    """Surface form without leading article, possessive, and (for people) titles and nationalities.

    "the UN General Assembly's" -> "UN General Assembly"; "US President Jane Roe" -> "Jane Roe".
    """
    name = " ".join(text.split())
    name = _STOP_PREFIX.sub("", name)
    name = _POSSESSIVE.sub("", name).strip(" ,.;:-–—")
    name = _OPEN_BRACKET.sub("", name)  # "Acme Bankers' Association (ABA": NER stopped inside the bracket
    if label == "PERSON":
        name = _NICKNAME.sub(" ", name)  # 'Antonio "LA" Reid' is Antonio Reid
        words = name.replace(".", ". ").split() if _INITIAL_NAME.match(name) else name.split()
        described = [k for k, w in enumerate(words[:-1]) if w.isalpha() and w.islower() and w not in _NAME_PARTICLES]
        if described:  # "Liberal Democrat peer Lord Carlile", "Labour leader Ana Kolt": the name follows the role
            words = words[described[-1] + 1 :]
        stripped = ""
        while len(words) > 1 and (
            _is_title(words[0]) or words[0].lower() in alias_table()
            or (words[0].lower() in demonyms() and len(words) > 2)  # "Economy minister German Gref": a given name
            or words[0].lower() in _ROLE_NOUNS  # "Rapper Jay-Dee" opening a sentence
            or (words[0].lower() in _PARTY_WORDS and len(words) > 2)  # "Tory Ana Kolt", "Lib Dem Ivo Ranz"; not "Lib Dems"
        ):
            if words[0].lower().rstrip(".") in PEERAGE and (len(words) == 2 or words[2].lower() == "of"):
                break  # "Lord Bach", "Lord Nicholls of Birkenhead": a peer's title is the name
            stripped, words = words[0], words[1:]
        while len(words) > 2 and words[-1].rstrip(".,").upper() in _POST_NOMINALS:
            words = words[:-1]  # "Guy Mansfield QC" is Guy Mansfield
        roles = [k for k, w in enumerate(words[:-2]) if w.rstrip(".,") in _POST_NOMINALS]
        if roles:  # "MSP Karen Whitefield", "Lib Dem MP Lembit Opik": the letters as a role before the name
            words = words[roles[-1] + 1 :]
        if stripped.lower() not in _TITLE_MODIFIERS:  # "Foreign Policy" (a magazine) is not "Policy"
            name = " ".join(words)
    return name


# Lower-case words that belong inside a name ("Charles de Vere", "Ali bin Omar").
_NAME_PARTICLES = frozenset({"al", "el", "ad", "bin", "ibn", "ben", "van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "del", "della", "dos", "das", "y", "of"})
# A peer is named by title and one name ("Lord Bach", "Baroness Kell"); the title stays.
PEERAGE = frozenset({"lord", "lady", "baroness", "baron", "viscount", "viscountess", "earl", "countess", "marquess"})
# Letters after a name: qualifications and honours, not part of it.
_POST_NOMINALS = frozenset({"QC", "KC", "MP", "MSP", "MEP", "AM", "OBE", "MBE", "CBE", "KBE", "DBE", "PHD", "FRS", "JP"})

# Common nouns for what a person does, written before a name ("England coach X", "Rapper Y"):
# not offices (titles.txt), but they still say the name is a person's and are not part of it.
_ROLE_NOUNS = frozenset(
    "coach boss manager striker midfielder defender goalkeeper keeper captain skipper winger forward "
    "player star singer actor actress rapper comedian presenter host director analyst economist "
    "executive founder designer author writer novelist champion boxer sprinter runner golfer "
    "cyclist swimmer jockey trainer musician guitarist drummer songwriter veteran "
    # playing positions ("France centre X", "fly-half Y": the last word of a hyphenated one)
    "centre center half back fullback quarterback prop hooker flanker lock wing batsman bowler spinner "
    "opener wicketkeeper pitcher catcher shortstop referee umpire driver rider athlete gymnast "
    # other trades written before a name
    "pundit commentator columnist journalist reporter editor composer dancer artist photographer "
    "lawyer barrister solicitor campaigner activist entrepreneur tycoon billionaire rocker frontman crooner".split()
)

# Party labels written before a politician's name (not names themselves).
_PARTY_WORDS = frozenset({"tory", "labour", "lib", "dem", "libdem", "conservative", "democrat", "republican", "ukip", "snp"})

# Title words that only qualify another title ("Foreign Minister", "Deputy Mayor"): a name left
# after stripping one of them alone was never preceded by a title.
_TITLE_MODIFIERS = frozenset({"foreign", "interior", "defence", "defense", "deputy", "vice", "prime", "former"})


def _is_title(word: str) -> bool:
    """A title word, singular or plural ("President", "Presidents", "Dr.")."""
    word = word.lower().rstrip(".")
    return word in titles() or (len(word) > 4 and word.endswith("s") and word[:-1] in titles())


def expand_aliases(name: str) -> str:
    """Replace a known alias (whole name or leading word) by its canonical long form.

    "U.S." -> "United States"; "UN General Assembly" -> "United Nations General Assembly".
    """
    table = alias_table()
    key = name.lower()
    if key in table:
        return table[key]
    if key + "." in table:  # "U.S" after a sentence-final full stop was trimmed
        return table[key + "."]
    first, _, rest = name.partition(" ")
    if rest and first.lower() in table and first.isupper():
        return f"{table[first.lower()]} {rest}"
    return name


def acronym(name: str) -> str:
    """Initials of the capitalised words of ``name`` ("United Nations General Assembly" -> "UNGA")."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in _ACRONYM_SKIP and w[0].isupper())


def _key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.casefold()).strip()


# --- mentions and canonical actors ------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """One entity mention; ``text == article.text[start_char:end_char]``."""

    text: str
    label: str
    name: str  # cleaned surface form (see clean_name)
    start_char: int
    end_char: int
    modifier: bool = False  # the name only modifies a noun for something else ("US counterpart")


def raw_mentions(doc: "Doc", *, labels: Sequence[str] = NAMED_LABELS) -> list[Mention]:
    """Entity spans from the parse (possessive ending trimmed), before alias merging.

    Two adjacent entities whose joined name is in the alias table become one ("Islamic" +
    "State"), since the small model often splits such names, and an honorific inside an entity
    starts a second one. Then each span's label is checked against what the words around it say
    (an honorific, a role or organisation noun, a peer's title, a brand's spelling), and a last
    pass over all mentions fixes what only the whole text shows: companies NER read as people,
    full names whose surname stands alone elsewhere, surnames NER left out, short forms of
    organisations, full names the model missed.
    """
    spans = _split_at_honorifics(_join_split_names([e for e in doc.ents if e.label_ in labels], doc_text(doc)))
    common = _common_words(doc)
    mentions = []
    organisations: set[str] = set()  # person-like names an organisation noun showed to be companies
    for span, label in spans:
        while len(span) > 1 and (span[-1].is_space or span[-1].tag_ == "POS"):
            span = span[:-1]  # "Acme's" -> "Acme"; NER sometimes swallows a paragraph break
        if label != "PERSON" and (len(span) > 1 and span[0].lower_.rstrip(".") in HONORIFICS or _after_honorific(span)):
            label = "PERSON"  # "Dr Jane Roe" tagged ORG, "Mr [Kolt]" tagged a place: still a person
        if label == "PERSON" and _plural_with_article(span):
            label = "ORG"  # "the Lib Dems", "the Greens": a party or a group, though NER tagged a person
            organisations.add(clean_name(span.text, label))
        span, label = _with_peerage(span, label)
        span = _with_cut_name_completed(span, label)
        if label in ("GPE", "LOC") and _CAMEL_CASE.match(span.text):
            label = "ORG"  # "OptInRealBig", "NetRanz": a capital inside a word names a brand, not a place
        if label != "PERSON" and len(span) > 2 and span[-1].text.rstrip(".").upper() in _POST_NOMINALS:
            label = "PERSON"  # "Guy Mansfield QC" tagged ORG: letters after a name are a person's
        if label == "ORG" and (_named_in_apposition_to_title(span) or _named_after_role_noun(span)):
            label = "PERSON"  # "the party's leader, Ana Kolt,", "England coach Ivo Ranz" tagged ORG
        if label == "PERSON" and len(span) > 2 and _opens_with_organisation_noun(span):
            span, label = span[1:], "ORG"  # "Bookmaker Ivo Ranz has stopped ...": the noun says what the name is
            organisations.add(clean_name(span.text, label))
        if label == "PERSON" and _named_by_organisation_noun(span):
            label = "ORG"  # "building products group Ivo Ranz": the noun before the name says what it is
            organisations.add(clean_name(span.text, label))
        span = _with_given_name(span, label)
        span = _with_name_word_before(span, label)
        name = clean_name(span.text, label)
        if not name or not any(ch.isalpha() for ch in name) or (label != "NORP" and name.lower() in common):
            continue
        mentions.append(Mention(span.text, label, name, span.start_char, span.end_char, _is_modifier(span)))
    mentions = _with_untagged_surnames(doc, _people_named_by_surname(doc, _as_organisations(mentions, organisations)))
    mentions = _short_names_of_organisations(doc, mentions)
    return sorted(mentions + _untagged_full_names(doc, mentions), key=lambda m: m.start_char)


def _after_honorific(span: "Span") -> bool:
    """"Mr Kolt" with only "Kolt" tagged, as a place or a company: an honorific names a person."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.lower_.rstrip(".") in HONORIFICS and len(span) <= 2 and before.text[:1].isupper()


def _plural_with_article(span: "Span") -> bool:
    """"the Lib Dems said": a plural proper name after "the" names a group, never one person."""
    words = [t for t in span if t.lower_ != "the"]
    before = span.doc[span.start - 1] if span.start > 0 else None
    led_by_the = span[0].lower_ == "the" or (before is not None and before.lower_ == "the")
    last = words[-1] if words else None
    return (
        led_by_the and last is not None and last.tag_ in ("NNP", "NNPS") and len(last) > 3
        and last.lower_.endswith("s") and not last.lower_.endswith("ss") and span.root.dep_ not in ("compound", "poss")
    )  # not "the Evans family"


def _looks_like_personal_name(span: "Span") -> bool:
    """Two or three capitalised words, none a title or an organisation's classifier noun."""
    words = [t for t in span if not t.is_punct]
    return 2 <= len(words) <= 3 and all(
        t.text.istitle() and t.is_alpha and t.lower_ not in CLASSIFIER_HEADS and not _is_title(t.text) for t in words
    )


def _named_in_apposition_to_title(span: "Span") -> bool:
    """"the leader, Ana Kolt," / "Ana Kolt, the leader,": a name in apposition to a title noun."""
    if not _looks_like_personal_name(span):
        return False
    root = span.root
    if root.dep_ == "appos" and _is_title(root.head.text) and root.head.pos_ == "NOUN":
        return True
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" and _is_title(c.text) for c in root.children)


# Organisation nouns that are never a person's role, though they may stand right before a name.
_NOT_BEFORE_ORGS = frozenset({"side", "camp", "team", "squad", "club", "state", "country", "nation", "city", "region", "capital", "party", "show", "programme", "program"}) | _ROLE_NOUNS


def _named_after_role_noun(span: "Span") -> bool:
    """"England coach Ivo Ranz", "Valdor boss Ana Kolt", "shadow chancellor Ivo Ranz": a personal name
    led by a role noun or an office."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is None or before.dep_ != "compound" or before.head.i not in range(span.start, span.end):
        return False
    return (before.lower_ in _ROLE_NOUNS or _is_title(before.text)) and _looks_like_personal_name(span)  # "shadow chancellor Ivo Ranz"


def _named_by_organisation_noun(span: "Span") -> bool:
    """"building products group Ivo Ranz", "the drinks firm Ana Kolt": a name right after an
    organisation noun that modifies it names that organisation, though NER tagged a person."""
    from .quotes.lexicon import cue_lexicon  # the quote lexicons list organisation nouns

    before = span.doc[span.start - 1] if span.start > 0 else None
    if _in_list_of_organisations(span):
        return True
    if before is None or before.pos_ != "NOUN" or before.dep_ not in ("compound", "amod"):
        return False
    if before.head.i not in range(span.start, span.end) and before.head.i != span.root.head.i:
        return False  # (in "gas giant Ranz's unit" both modify "unit")
    if before.i > 0 and span.doc[before.i - 1].text == "-":
        return False  # "film-maker Ivo Ranz" is a person; "car maker Ranz" a company
    noun = before.lower_
    return noun in cue_lexicon().organisation_nouns and noun not in _NOT_BEFORE_ORGS


def _opens_with_organisation_noun(span: "Span") -> bool:
    """A person span NER started with a capitalised organisation noun ("Bookmaker Ivo Ranz")."""
    from .quotes.lexicon import cue_lexicon

    first = span[0]
    noun = first.lower_
    return first.is_sent_start and first.is_title and noun in cue_lexicon().organisation_nouns and noun not in _NOT_BEFORE_ORGS


def _in_list_of_organisations(span: "Span") -> bool:
    """"companies such as Ivo Ranz", "firms like Ana Kolt": a one-word name given as an example of
    organisations is one of them."""
    from .quotes.lexicon import cue_lexicon

    root = span.root
    if len(span) != 1 or root.dep_ != "pobj" or root.head.lower_ not in ("as", "like"):
        return False
    prep = root.head
    head = prep.head.head if prep.lower_ == "as" and prep.head.lower_ == "such" else prep.head
    return head.tag_ == "NNS" and head.lemma_.lower() in cue_lexicon().organisation_nouns


def _as_organisations(mentions: list[Mention], organisations: set[str]) -> list[Mention]:
    """Every mention of a company NER read as a person ("group Ivo Ranz" ... "Ranz's actions"),
    by its full name or its last word, is that organisation."""
    if not organisations:
        return mentions
    by_word = {name.split()[-1]: name for name in organisations if " " in name}
    named = []
    for m in mentions:
        full = m.name if m.name in organisations else by_word.get(m.name) if m.label in ("PERSON", "ORG") else None
        named.append(replace(m, label="ORG", name=full) if full else m)
    return named


def _words_after_honorifics(doc: "Doc") -> set[str]:
    """The words right after "Mr", "Dr", ...: surnames, whatever NER made of them."""
    return {t.nbor().text for t in tokens_where(doc, "LOWER", lambda w: w.rstrip(".") in HONORIFICS) if t.i + 1 < len(doc)}


def _short_names_of_organisations(doc: "Doc", mentions: list[Mention]) -> list[Mention]:
    """"Contrack International ... Contrack said" with the short form tagged PERSON: a name that is
    the first words of one organisation's longer name, and no person's given name or surname (nor
    a word after "Mr" or "Dr": the founder of "Kolt Audio" is "Mr Kolt"), is that organisation
    ("Age Concern" of "Age Concern England"; one word only before an ORG)."""
    people = [m.name.split() for m in mentions if m.label == "PERSON" and " " in m.name]
    person_words = {w for words in people for w in (words[0], words[-1])}
    person_words |= _words_after_honorifics(doc)
    longer: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = m.name.split()
        for k in range(1, len(words)):
            rest = words[k:]
            if set(rest) & person_words or (len(rest) > 1 and rest[0] not in ("&", "and") and not {w.lower() for w in rest} & CLASSIFIER_HEADS):
                continue  # "Lib Dems David Laws": NER ran a party into a person's name ("Marsh & McLennan" is a firm's)
            if m.label == "ORG" or (m.label in ("LOC", "FAC") and k > 1):
                longer[" ".join(words[:k])].add(m.name)
    return [
        replace(m, label="ORG")
        if m.label == "PERSON" and len(longer.get(m.name, ())) == 1 and m.name not in person_words
        and not any(words[: len(m.name.split())] == m.name.split() for words in people if " ".join(words) != m.name)
        else m
        for m in mentions
    ]


def _people_named_by_surname(doc: "Doc", mentions: list[Mention]) -> list[Mention]:
    """"Vincent Cable ... Mr Cable": a full name tagged ORG whose surname follows an honorific
    elsewhere is that person (the small model often tags an unknown full name ORG). So is one whose
    surname stands alone elsewhere as a name ("Marion Jones ... Jones said") when its first word is
    never written in lower case (not "Budget Aston" ... "Aston" in a text about the budget)."""
    surnames = _words_after_honorifics(doc)
    from .quotes.lexicon import cue_lexicon  # its organisation nouns: "Wells Fargo Bank" ... "the Bank"

    alone = {m.name for m in mentions if m.label in ("PERSON", "ORG") and " " not in m.name}
    common = _common_words(doc) if alone else set()
    organisation_nouns = cue_lexicon().organisation_nouns

    def misread_person(m: Mention) -> bool:
        words = m.name.split()
        if m.label not in _MISREAD_NAME_LABELS or len(words) not in (2, 3):
            return False
        if not all(w.istitle() and w.lower() not in CLASSIFIER_HEADS for w in words):
            return False
        if words[-1] in surnames:
            return True
        return words[-1] in alone and words[0].isalpha() and not {w.lower() for w in words} & (common | organisation_nouns)

    return [replace(m, label="PERSON", name=clean_name(m.text, "PERSON")) if misread_person(m) else m for m in mentions]


# One word with a capital after lower-case letters; "McAllen", "DeKalb", "LaSalle" are places.
_CAMEL_CASE = re.compile(r"^(?!Mc|Mac|De|Di|Du|La|Le|Van|Von)[A-Z][a-z]+(?:[A-Z][a-z]*)+$")

# Labels the small model gives an unfamiliar full name ("Darleen Druyun" as a work of art).
_MISREAD_NAME_LABELS = frozenset({"ORG", "WORK_OF_ART", "PRODUCT", "FAC", "LOC", "GPE", "EVENT"})


def _untagged_full_names(doc: "Doc", mentions: list[Mention]) -> list[Mention]:
    """"Ivo Ranz insists ..." with only a later "Ranz" tagged: a capitalised untagged name word right
    before an untagged one-word name of a person is the given name of that person's full name (the
    small model often misses a name opening the story)."""
    surnames = {m.name for m in mentions if m.label == "PERSON" and " " not in m.name}
    found = []
    for token in tokens_where(doc, "ORTH", lambda w: w in surnames):
        before = doc[token.i - 1] if token.i > 0 else None
        if token.ent_type_ or before is None or before.ent_type_ or before.whitespace_ != " ":
            continue  # (the parser may even split the name into two sentences: no dependency is required)
        if not (before.text.istitle() and before.is_alpha and before.pos_ == "PROPN") or _is_title(before.text):
            continue
        if before.lower_.rstrip(".") in HONORIFICS or before.lower_ in CLASSIFIER_HEADS:
            continue
        span = doc[token.i - 1 : token.i + 1]
        found.append(Mention(span.text, "PERSON", span.text, span.start_char, span.end_char, _is_modifier(span)))
    return found


def _with_untagged_surnames(doc: "Doc", mentions: list[Mention]) -> list[Mention]:
    """"Ivo Ranz, the man behind ..." with only "Ivo" tagged: an untagged name word right after a
    one-word person is that person's surname when the text elsewhere names a person by it (alone, or
    as the family name of someone else: "Ivo Ranz" and his lawyer "Ana Ranz")."""
    # a word NER also tags as something else ("Disney" the company) is not taken for a family name
    surnames = {m.name.split()[-1] for m in mentions if m.label == "PERSON"} - {m.name for m in mentions if m.label != "PERSON"}
    result = []
    for m in mentions:
        span = doc.char_span(m.start_char, m.end_char) if m.label == "PERSON" and " " not in m.name else None
        after = doc[span.end] if span is not None and span.end < len(doc) else None
        if (
            after is not None and span[-1].whitespace_ == " " and not after.ent_type_ and after.text in surnames
            and after.text != m.name and after.is_alpha and after.text.istitle()
        ):
            full = doc[span.start : after.i + 1]
            m = Mention(full.text, "PERSON", full.text, full.start_char, full.end_char, _is_modifier(full))
        result.append(m)
    return result


def _with_peerage(span: "Span", label: str) -> tuple["Span", str]:
    """"Lord Bach" when NER tagged only "Bach": a peer's title is part of the name, and a person."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.text.istitle() and before.lower_ in PEERAGE and len(span) == 1 and span[0].text[:1].isupper():
        span, label = span.doc[span.start - 1 : span.end], "PERSON"
    if len(span) == 2 and span[0].lower_ in PEERAGE and span.end + 1 < len(span.doc):
        of, seat = span.doc[span.end], span.doc[span.end + 1]
        if of.lower_ == "of" and seat.pos_ == "PROPN" and seat.text.istitle() and seat.ent_type_ in ("", "GPE", "LOC"):
            return span.doc[span.start : span.end + 2], "PERSON"  # "Lord Nicholls of Birkenhead": the seat is in the title
    return span, label


def _with_given_name(span: "Span", label: str) -> "Span":
    """"Otis Ferry" when NER tagged only "Ferry" (or "Haji-Ioannou"): an untagged capitalised name word
    right before a one-word person, as its compound, is the given name (so the father Bryan Ferry stays another man)."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if (
        label == "PERSON" and " " not in span.text and before is not None and before.pos_ == "PROPN" and not before.ent_type_
        and before.text.istitle() and before.head.i in range(span.start, span.end) and before.dep_ == "compound"
        and before.lower_.rstrip(".") not in HONORIFICS and not _is_title(before.text)
    ):
        return span.doc[span.start - 1 : span.end]
    return span


def _with_name_word_before(span: "Span", label: str) -> "Span":
    """"Liberal Democrats" when NER tagged only "Democrats": an untagged capitalised name word
    modifying a party or group name is part of it."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if (
        label in ("NORP", "ORG") and before is not None and before.pos_ == "PROPN" and not before.ent_type_
        and before.text.istitle() and before.is_alpha and before.dep_ in ("amod", "compound")
        and before.head.i in range(span.start, span.end) and not _is_title(before.text)
        and before.lower_ not in HONORIFICS and not before.is_sent_start
    ):
        return span.doc[span.start - 1 : span.end]
    return span


def _common_words(doc: "Doc") -> frozenset[str]:
    """Words the text also writes in lower case: a name is capitalised wherever it stands, so an
    "entity" that is one of these ("Farmers" opening a sentence) is a common word."""
    strings = doc.vocab.strings  # each distinct word read once from the Doc's array, no Token per word; once per article
    return shared(doc, "common words", lambda: frozenset(
        text for text in (strings[orth] for orth in set(doc.to_array("ORTH").tolist())) if text.isalpha() and text.islower()
    ))


def _join_split_names(ents: list["Span"], text: str) -> list[tuple["Span", str]]:
    # ``text`` is doc.text, built once by the caller: Doc.text joins every token, so reading it per
    # entity is quadratic (and building it twice costs as much as the rest of this step)
    joined: list[tuple["Span", str]] = []
    for ent in ents:
        if joined:
            prev, label = joined[-1]
            gap = text[prev.end_char : ent.start_char]
            candidate = ent.doc[prev.start : ent.end]
            if gap == " " and candidate.text.lower() in alias_table():
                joined[-1] = (candidate, ent.label_ if ent.label_ != "NORP" else label)
                continue
        joined.append((ent, ent.label_))
    return joined


def _with_cut_name_completed(span: "Span", label: str) -> "Span":
    """"the Office of the" + "Deputy Prime Minister": an organisation's name NER stopped after a
    linking word runs on through the capitalised words after it."""
    if label != "ORG":
        return span
    if span[-1].lower_ not in ("of", "the", "for", "and", "&"):
        return _with_listed_words_before_acronym(span)
    end = span.end
    while end < len(span.doc) and span.doc[end].text[:1].isupper() and span.doc[end].is_alpha:
        end += 1
    return span.doc[span.start : end] if end > span.end else span


def _with_listed_words_before_acronym(span: "Span") -> "Span":
    """"the Office of Radio" + ", Film and Television (ORFT)": a name NER cut at a comma runs on to
    the bracketed acronym after it when that acronym spells the whole."""
    doc, end = span.doc, span.end
    while end < len(doc) and end - span.end < 8 and doc[end].text != "(" and (
        doc[end].text in (",", "&") or doc[end].lower_ in ("and", "of", "for", "the") or doc[end].text[:1].isupper()
    ):
        end += 1
    if end == span.end or end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
        return span
    longer = doc[span.start : end]
    return longer if acronym(longer.text.removeprefix("the ").removeprefix("The ")) == doc[end + 1].text else span


def _split_at_honorifics(spans: list[tuple["Span", str]]) -> list[tuple["Span", str]]:
    """"the Policy Centre Mr Ranz" read as one name: an honorific inside an entity starts a person's
    name, so the entity is two, the words before it and the person from it on."""
    result = []
    for span, label in spans:
        cut = next((t.i for t in span[1:] if t.lower_.rstrip(".") in HONORIFICS and t.text[:1].isupper() and t.i + 1 < span.end), None)
        if cut is None or not any(t.pos_ == "PROPN" for t in span.doc[span.start : cut]):
            # only a name run into the person's ("Describing Mr Roe" opening a sentence stays as tagged)
            result.append((span, label))
            continue
        result += [(span.doc[span.start : cut], label), (span.doc[cut : span.end], "PERSON")]
    return result


def _is_modifier(span: "Span") -> bool:
    """True when the name premodifies a noun that names something else ("Kiev authorities")."""
    root = span.root
    head = root.head
    if root.dep_ not in ("compound", "nmod", "amod") or span.start <= head.i < span.end:
        return False
    return head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() not in CLASSIFIER_HEADS


def canonical_names(mentions: Iterable[Mention]) -> dict[Mention, str]:
    """Map each mention to the canonical name of its actor.

    Rules, in order: people — a full name defines the actor; a lone surname, a first-name-less
    "V. Surname" or a title + surname joins the full name with that surname (the most recent
    one before it when two share it), whatever label NER gave the lone word; everything else —
    the alias table and acronyms expand names ("US" -> "United States", "UNGA" and
    "UN General Assembly" -> "United Nations General Assembly"), then equal keys merge.
    The canonical name is the longest full name seen, or the alias table's name.
    """
    mentions = sorted(mentions, key=lambda m: m.start_char)
    people = _person_actors(mentions)
    result: dict[Mention, str] = {}
    long_forms: dict[str, str] = {}  # acronym -> long name seen in the article
    for m in mentions:
        if m.label != "PERSON" and m.label != "NORP":
            expanded = expand_aliases(m.name)
            if len(expanded.split()) > 1:
                long_forms.setdefault(acronym(expanded), expanded)
    for m in mentions:
        if _acronym_of_long_form(m, long_forms):  # "RICS" tagged PERSON after its long name
            result[m] = long_forms[m.name.replace(".", "")]
        elif m in people:
            result[m] = people[m]
        elif m.label == "NORP":
            result[m] = m.name
        else:
            expanded = expand_aliases(m.name)
            if expanded.isupper() and expanded.replace(".", "") in long_forms:
                expanded = long_forms[expanded.replace(".", "")]
            result[m] = expanded
    _merge_short_org_names(result)
    _merge_abbreviated_names(result)
    # merge spellings that differ only in case or punctuation; prefer mixed case ("Accra" over
    # a dateline's "ACCRA"), then the most frequent spelling
    by_key: dict[str, Counter] = defaultdict(Counter)
    for name in result.values():
        by_key[_key(name)][name] += 1
    best = {k: max(c, key=lambda n: (not n.isupper(), c[n], len(n))) for k, c in by_key.items()}
    return {m: best[_key(name)] for m, name in result.items()}


def _acronym_of_long_form(m: Mention, long_forms: dict[str, str]) -> bool:
    """An all-capital word NER took for a person that spells a long name of the article."""
    short = m.name.replace(".", "")
    return m.label == "PERSON" and len(short) >= 3 and short.isupper() and short.isalpha() and short in long_forms


def _merge_abbreviated_names(result: dict[Mention, str]) -> None:
    """"Lib Dems" is the "Liberal Democrats" of the same article: a name of two or more words, each
    the start of the matching word of one organisation's name (plural "s" aside), is that name."""
    # (a party may be tagged NORP: "the Liberal Democrats")
    organisations = {name for m, name in result.items() if m.label != "PERSON" and len(name.split()) > 1}
    full_form = {}
    for name in {name for name in result.values() if " " in name}:  # each distinct name once
        longer = {o for o in organisations if _abbreviates(name.lower().split(), o.lower().split())}
        if len(longer) == 1:
            full_form[name] = longer.pop()
    for m, name in result.items():
        result[m] = full_form.get(name, name)


def _abbreviates(short: list[str], long: list[str]) -> bool:
    if len(short) != len(long) or short == long:
        return False
    stems = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in short]
    if not any(len(w) > len(s) + 1 for s, w in zip(stems, long)):
        return False  # "South African" and "South Africans": a plural, not an abbreviation
    return all(len(s) >= 3 and s.isalpha() and w.startswith(s) for s, w in zip(stems, long))


def _merge_short_org_names(result: dict[Mention, str]) -> None:
    """An organisation named by the leading words of a longer organisation name is that
    organisation ("Acme" and "Acme Holdings"), when exactly one longer name fits. NER's label for
    either may be a place or a building ("Age Concern" and "Age Concern England" as LOC): a short
    name of two words or more may shorten one of those too."""
    orgs = {name for m, name in result.items() if m.label == "ORG"}
    places = {name for m, name in result.items() if m.label in ("LOC", "FAC")}
    known_bodies = set(alias_table().values())
    starts: dict[str, list[int]] = defaultdict(list)
    for m, name in result.items():
        starts[name].append(m.start_char)
    full_form: dict[str, str | None] = {}
    for m, name in result.items():
        if m.label not in ("ORG", "FAC") or name in known_bodies:
            continue  # "United Nations" is not short for "United Nations General Assembly"
        if name not in full_form:  # each distinct name looked up once
            candidates = orgs | places if " " in name else orgs
            longer = {o for o in candidates if len(o.split()) > len(name.split()) and _key(o).startswith(_key(name) + " ")}
            full_form[name] = longer.pop() if len(longer) == 1 else None
            if full_form[name] is not None and _named_first(name, full_form[name], starts):
                full_form[name] = None  # "Next" (headline and lead) ... "Next Directory": a part, not the full name
        result[m] = full_form[name] or name


def _named_first(short: str, long: str, starts: dict[str, list[int]]) -> bool:
    """The short name comes twice before the long one (a headline alone may shorten a name)."""
    first_long = min(starts[long])
    return sum(start < first_long for start in starts[short]) >= 2


def _person_actors(mentions: list[Mention]) -> dict[Mention, str]:
    """Canonical person name for every mention that refers to a person (see canonical_names)."""
    mentions = sorted(mentions, key=lambda m: m.start_char)
    full_names = [m for m in mentions if m.label == "PERSON" and len(m.name.split()) > 1 and not _INITIAL_NAME.match(m.name)]
    is_full_name = set(full_names)
    by_surname: dict[str, list[Mention]] = defaultdict(list)
    by_first_name: dict[str, set[str]] = defaultdict(set)
    for m in full_names:
        for key in surname_keys(m.name):
            by_surname[key].append(m)
        by_first_name[_key(m.name.split()[0])].add(m.name)
    # Looked up once per mention, so everything a look-up needs is tabled here, not rescanned:
    # where each surname's full names start, whether two first names share it, and the fullest
    # name per surname and per surname + first name (the first of equals, as max() gives).
    starts = {k: [m.start_char for m in ms] for k, ms in by_surname.items()}
    shared = {k for k, ms in by_surname.items() if len({_key(m.name.split()[0]) for m in ms}) > 1}
    fullest: dict[tuple[str, str | None], str] = {}
    for k, ms in by_surname.items():
        for m in ms:
            for slot in ((k, None), (k, m.name.split()[0])):
                if slot not in fullest or _fullness(m.name) > _fullness(fullest[slot]):
                    fullest[slot] = m.name

    misspelt = _transposition_index(by_surname)

    def longest(surname_key: str, before: int) -> str | None:
        surname_key = surname_key if surname_key in by_surname else misspelt.get(surname_key, surname_key)
        candidates = by_surname.get(surname_key)
        if not candidates:
            return None
        if surname_key not in shared:
            return fullest[(surname_key, None)]
        # two people share the surname: the most recent one at or before ``before`` (else the last)
        at = starts[surname_key]
        k = bisect.bisect_right(at, before) - 1
        recent = candidates[bisect.bisect_left(at, at[k if k >= 0 else -1])]
        return fullest[(surname_key, recent.name.split()[0])]

    people: dict[Mention, str] = {}
    for m in mentions:
        initial = _INITIAL_NAME.match(m.name.replace(". ", "."))
        words = m.name.split()
        if m in is_full_name:
            people[m] = longest(surname_keys(m.name)[-1], m.start_char) or m.name
        elif initial:
            name = longest(_key(initial.group(2)), m.start_char)
            if name and name[0] == initial.group(1):
                people[m] = name
            elif m.label == "PERSON":
                people[m] = m.name
        elif len(words) == 1 and (name := longest(_key(words[0]), m.start_char)):
            people[m] = name
        elif len(words) == 1 and m.label in ("PERSON", "ORG") and len(by_first_name.get(_key(words[0]), ())) == 1:
            # a given name alone ("Callum"), or a family name written first ("Mr Ban" for Ban Ki-moon)
            people[m] = longest(surname_keys(next(iter(by_first_name[_key(words[0])])))[-1], m.start_char) or m.name
        elif m.label == "PERSON":
            people[m] = m.name
    return people


def _transposition_index(surnames: Collection[str]) -> dict[str, str]:
    """Each long surname key with two neighbouring letters swapped, or (seven letters or more) one
    inner letter dropped -> that surname ("montieth", "mukerjee" -> "monteith", "mukherjee"): a name
    misspelt that way in one article is the same person, as in a reader's eyes. A spelling two
    surnames could both give is left out."""
    index: dict[str, str] = {}
    clashes = set()
    for key in surnames:
        if len(key) < 6 or not key.isalpha():
            continue
        variants = {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(len(key) - 1) if key[i] != key[i + 1]}
        if len(key) >= 7:  # first and last letters kept: "Kolt" / "Kolts" are not one spelling slip
            variants |= {key[:i] + key[i + 1 :] for i in range(1, len(key) - 1)}
        for variant in variants:
            if index.get(variant, key) != key:
                clashes.add(variant)
            index[variant] = key
    return {variant: key for variant, key in index.items() if variant not in clashes and variant not in surnames}


# Particles that may lead a surname or be dropped from it ("Khalil al-Hadid" = "Khalil Hadid").
_SURNAME_PARTICLES = re.compile(r"^(al|el|ad|as|ar|an|bin|ibn|ben|van|von|der|de|da|di|du|la|le)[\s-]+", re.I)


def surname_keys(name: str) -> list[str]:
    """Keys a person is found by from the surname: the last word, and without a leading particle.

    "Khalil al-Hadid" -> ["al hadid", "hadid"] (the last key is the canonical one).
    """
    last = name.split()[-1]
    keys = [_key(last)]
    bare = _SURNAME_PARTICLES.sub("", last)
    if bare and bare != last:
        keys.append(_key(bare))
    return keys


def _fullness(name: str) -> tuple[int, int]:
    return len(name.split()), len(name)


def missed_surnames(doc: "Doc", mentions: list[Mention], canonical: dict[Mention, str]) -> dict[Mention, str]:
    """Surnames of people already named in full that NER did not tag elsewhere in the text.

    The small model misses a bare surname now and then (often at the start of a sentence); a
    proper noun equal to the surname of exactly one person named in full, standing alone (not
    part of a longer name), is that person. Returns the new mentions with their canonical names.
    """
    people = {name for m, name in canonical.items() if m.label == "PERSON" and len(name.split()) > 1}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for name in people:
        by_surname[name.split()[-1]].add(name)
    unique = {surname: next(iter(names)) for surname, names in by_surname.items() if len(names) == 1}
    return _untagged_names(doc, mentions, unique, "PERSON")


def missed_organisations(doc: "Doc", mentions: list[Mention], canonical: dict[Mention, str]) -> dict[Mention, str]:
    """One-word organisation names NER tagged somewhere but not everywhere ("Acmebank was fighting
    ..." untagged, "Acmebank said" tagged): each standing-alone proper noun equal to one is that
    organisation. Returns the new mentions with their canonical names."""
    people = {name for m, name in canonical.items() if m.label == "PERSON"}
    found: dict[str, set[str]] = defaultdict(set)
    for m, name in canonical.items():
        if m.label == "ORG" and " " not in m.name and len(m.name) > 2:
            found[m.name].add(name)
    # only a word that is one organisation's name, and no person's ("Disney" may be Roy Disney)
    names = {word: next(iter(names)) for word, names in found.items() if len(names) == 1 and not names & people}
    return _untagged_names(doc, mentions, names, "ORG", parts_of_speech=("PROPN", "NOUN"))  # "Labour" read as a noun


def _untagged_names(
    doc: "Doc", mentions: list[Mention], names: dict[str, str], label: str, *, parts_of_speech: tuple[str, ...] = ("PROPN",)
) -> dict[Mention, str]:
    """Mentions of ``label`` for the untagged proper nouns that are a key of ``names`` (word ->
    canonical name) and stand alone, not inside a tagged mention nor a longer name; the text never
    writes the word in lower case."""
    covered = {i for m in mentions for i in range(m.start_char, m.end_char)}
    common = _common_words(doc)
    found = {}
    for token in tokens_where(doc, "ORTH", names.__contains__):
        if token.idx in covered or token.pos_ not in parts_of_speech or token.lower_ in common:
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if before is not None and before.pos_ == "PROPN" and before.lower_.rstrip(".") not in titles():
            continue  # part of another name ("Dan Webb")
        if after is not None and after.pos_ == "PROPN" and after.tag_ != "POS":
            continue  # a longer name or a place ("Webb Street")
        span = doc[token.i : token.i + 1]
        found[Mention(token.text, label, token.text, token.idx, token.idx + len(token), _is_modifier(span))] = names[token.text]
    return found


def mention_table(doc: "Doc", article: "Article", *, labels: Sequence[str] = NAMED_LABELS) -> pd.DataFrame:
    """One row per entity mention, in text order.

    Columns: text, label, canonical, paragraph, role, sentence, start_char, end_char.
    ``label`` is the actor's label (PERSON wins for a name NER also tagged otherwise).
    """
    mentions = raw_mentions(doc, labels=labels)
    canonical = canonical_names(mentions)
    if "PERSON" in labels:
        canonical.update(missed_surnames(doc, mentions, canonical))
    if "ORG" in labels:
        canonical.update(missed_organisations(doc, mentions, canonical))
    mentions = sorted(canonical, key=lambda m: m.start_char)
    where = ParagraphIndex(article)
    sent_of = sentence_ids(doc)
    rows = []
    for m in mentions:
        token = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")[0]
        rows.append(
            (m.text, m.label, canonical[m], where.index(m.start_char), where.role(m.start_char), sent_of[token.i], m.start_char, m.end_char, m.modifier)
        )
    if rows:
        label_of = _actor_labels([(row[2], row[1]) for row in rows])
        rows = [(text, label_of[name], name, *rest) for text, _, name, *rest in rows]
    return frame(rows, MENTION_SCHEMA)


def _actor_labels(mentions: list[tuple[str, str]]) -> dict[str, str]:
    """canonical -> the actor's label (``_actor_label`` of its mentions' labels), from (canonical, label) pairs."""
    labels: dict[str, list[str]] = defaultdict(list)
    for canonical, label in mentions:
        labels[canonical].append(label)
    return {canonical: found[0] if len(set(found)) == 1 else _actor_label(found, canonical) for canonical, found in labels.items()}


def _actor_label(labels: Sequence[str], canonical: str = "") -> str:
    counts = Counter(labels)
    top = max(counts, key=counts.__getitem__)  # the commonest, the first seen on a tie (as value_counts orders them)
    if top in ("GPE", "LOC") and " " not in canonical and counts[top] >= 3 * counts.get("PERSON", 0):
        return top  # "England" tagged a place ten times and a person once is a place (not "Michael Jordan")
    return "PERSON" if "PERSON" in counts else top


def entity_counts(
    mentions: pd.DataFrame,
    *,
    roles: Sequence[str] | None = BODY_ROLES,
    labels: Sequence[str] | None = ACTOR_LABELS,
    modifiers: bool = False,
) -> pd.DataFrame:
    """Mentions per canonical actor, most mentioned first.

    Names used only as modifiers of another noun ("US counterpart") are left out unless
    ``modifiers`` is True. Columns: canonical, label, mentions, aliases (distinct surface
    forms, ' | '-joined), first_paragraph.
    """
    rows = list(table_rows(mentions))  # selected in plain Python: a selection of the table copies every column
    wanted_roles, wanted_labels = set(roles or ()), set(labels or ())
    if roles is not None:
        rows = [r for r in rows if r.role in wanted_roles]
    if not modifiers:
        rows = [r for r in rows if not bool(r.modifier)]  # as astype(bool): a missing flag counts as set
    if labels is not None:
        rows = [r for r in rows if r.label in wanted_labels]
    if not rows:
        return frame([], ACTOR_SCHEMA)
    totals = _actor_totals(rows)
    totals.sort(key=lambda r: (-r[2], r[4]))  # most mentioned first (stable, as pandas' sort on two columns)
    return frame(totals, ACTOR_SCHEMA)


def _actor_totals(mentions: list) -> list[tuple[str, str, int, str, int]]:
    """(canonical, label of the first mention, mentions, aliases, first paragraph) per actor in order
    of first mention, from mention rows (a groupby in plain Python: pandas' costs more than a short
    article's mentions)."""
    totals: dict[str, list] = {}
    for canonical, label, text, paragraph in ((m.canonical, m.label, m.text, m.paragraph) for m in mentions):
        row = totals.setdefault(canonical, [label, 0, {}, paragraph])
        row[1] += 1
        row[2][_STOP_PREFIX.sub("", _POSSESSIVE.sub("", text))] = None
        row[3] = min(row[3], paragraph)
    return [(canonical, label, n, " | ".join(aliases), first) for canonical, (label, n, aliases, first) in totals.items()]


def mention_matrix(
    mentions: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES, labels: Sequence[str] | None = ACTOR_LABELS, top: int | None = 10
) -> pd.DataFrame:
    """Paragraph x actor counts (rows: paragraphs with mentions; columns: the ``top`` actors)."""
    counts = entity_counts(mentions, roles=roles, labels=labels)
    actors = counts["canonical"].head(top).tolist() if top else counts["canonical"].tolist()
    m = select_roles(mentions, roles)
    m = m[m["canonical"].isin(actors)]
    matrix = pd.crosstab(m["paragraph"], m["canonical"]) if not m.empty else pd.DataFrame()
    return matrix.reindex(columns=actors, fill_value=0)


def cooccurrence(
    mentions: pd.DataFrame, *, roles: Sequence[str] | None = BODY_ROLES, labels: Sequence[str] | None = ("PERSON", "ORG", "GPE")
) -> pd.DataFrame:
    """Pairs of actors named in the same sentence. Columns: actor_a, actor_b, sentences."""
    m = select_roles(mentions, roles)
    if labels is not None:
        m = m[m["label"].isin(labels)]
    pairs: Counter = Counter()
    for _, group in m.groupby("sentence"):
        for a, b in combinations(sorted(set(group["canonical"])), 2):
            pairs[(a, b)] += 1
    rows = sorted(((a, b, n) for (a, b), n in pairs.items()), key=lambda r: (-r[2], r[0], r[1]))
    return pd.DataFrame(rows, columns=["actor_a", "actor_b", "sentences"])


def cooccurrence_graph(pairs: pd.DataFrame):
    """networkx Graph of a ``cooccurrence`` table; edge attribute ``weight`` = shared sentences."""
    import networkx as nx

    graph = nx.Graph()
    for row in table_rows(pairs):
        graph.add_edge(row.actor_a, row.actor_b, weight=int(row.sentences))
    return graph
