"""Quote extraction: direct quotes between quote marks, reported speech, transcript turns, one table."""
from __future__ import annotations

import bisect
import logging
import re
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np
import pandas as pd

from ..article import WORD_RE
from ..config import BODY_ROLES
from ..entities import titles
from ..rows import frame
from ..spans import CoveredChars, Overlapping, Range, SpansAt
from .lexicon import cue_lexicon
from .marks import QUOTE_CHARS, MarkedSpan, find_quote_marks
from .records import Cue, Speaker, _Descriptors, _Events, _Item, _Resolved
from .speakers import _mention_records, _SpeakerResolver
from .vocabulary import DATA_NOUNS, RELATIVE_PRONOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from ..article import Article, Paragraph

log = logging.getLogger(__package__)  # "framelens.quotes", as before the module became a package

QUOTE_CONTRACT = ["quote_id", "kind", "speaker", "speaker_mention", "cue", "paragraph", "start_char", "end_char", "text"]
QUOTE_COLUMNS = QUOTE_CONTRACT + [
    "cue_lemma", "sentence", "speaker_start_char", "speaker_end_char", "time_anchor", "route", "confidence", "speaker_affiliation",
    "speaker_label",
]
_INT_COLUMNS = {"paragraph", "start_char", "end_char", "sentence", "speaker_start_char", "speaker_end_char"}
QUOTE_SCHEMA = {c: "int64" if c in _INT_COLUMNS else "str" for c in QUOTE_COLUMNS}
TERMINALS = ".!?…"
CLAUSAL_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj", "csubjpass"}
_TURN_RE = re.compile(r"([^\W\d_][^:\n]{0,60}?)[ \t]*:[ \t]+(?=\S)")
# Lemmas the small English model gets wrong for reporting verbs ("hoped" -> "hop").
_LEMMA_FIXES = {"hoped": "hope", "hopes": "hope", "hoping": "hope"}
_CONTRAST_MARKS = frozenset({"while", "whereas"})
_CONCESSIVE_MARKS = frozenset({"although", "though"})
# Bare nouns for people in general: "people who say ..." defines, it does not report.
_GENERIC_PEOPLE = frozenset({"people", "anyone", "anybody", "someone", "somebody", "everyone", "those", "whoever"})
# Verbs whose object is the person spoken to, never the subject of what was said.
_ADDRESSEE_VERBS = frozenset({"tell", "inform", "assure", "warn", "remind", "advise", "notify", "brief", "ask", "promise", "show", "teach"})
_ADVERBIAL_MARKS = frozenset({"when", "because", "while", "although", "though", "since", "after", "before", "as", "once", "until", "unless", "whereas"})
_FUNCTION_WORDS = frozenset("a an the and or but nor of in on at to for with by from as vs via into over about is are".split())


def extract_quotes(doc: "Doc", article: "Article", mentions: pd.DataFrame | None, *, roles: Sequence[str] = BODY_ROLES) -> pd.DataFrame:
    """Find the direct and indirect quotes in the paragraphs whose role is in ``roles``.

    Args:
        doc: ``parse_article(article, nlp)``, one Doc over ``article.text``.
        article: the Article (paragraph offsets and roles).
        mentions: ``entities.mention_table(doc, article)``; speakers map to its ``canonical`` names.
        roles: paragraph roles searched (body only by default).

    Returns:
        DataFrame, one row per quote in text order, columns ``QUOTE_COLUMNS``: quote_id (q1, q2 ...),
        kind (direct | indirect), speaker (canonical actor, several joined " + ", an unnamed source
        as described with a lower-case initial such as "a council spokeswoman", else UNKNOWN),
        speaker_mention (the words naming the speaker; for a quote continuing an earlier speaker, the
        words that named them there; "" if none), cue (surface form, "" when the
        quote has no reporting verb in its paragraph), paragraph, start_char, end_char, text
        (``article.text[start_char:end_char]``, quote marks excluded), cue_lemma, sentence (as in
        ``tokens.sentence_table``), speaker_start_char / speaker_end_char (-1 if none),
        time_anchor (the time expression attached to the cue, else ""), route (how the speaker
        was found: a key of ``records.ROUTE_CONFIDENCE`` such as named, pronoun, description,
        carried, joint, unknown), confidence (high | medium | low, from the route) and
        speaker_affiliation (the organisation or country the text says the speaker speaks for, else "")
        and speaker_label (PERSON, ORG, GPE, GROUP for joint speakers, UNNAMED for a source the
        text does not name, "" when unknown).
    """
    items = _Extractor(doc, article, mentions, tuple(roles)).run()
    return _to_frame(items, doc, article)


def _cue_positions(doc: "Doc") -> list[int]:
    """Indices of the tokens ``_Extractor._cue`` may accept (a verb or auxiliary that does not modify a
    noun, or "according"), read from the Doc's arrays."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    verbs, refused, according = {strings["VERB"], strings["AUX"]}, {strings["amod"], strings["compound"]}, strings["according"]
    pos, dep, lower = doc.to_array(["POS", "DEP", "LOWER"]).T
    accepted = np.isin(pos, list(verbs)) & ~np.isin(dep, list(refused))
    return np.flatnonzero(accepted | (lower == according)).tolist()


class _Extractor(_SpeakerResolver):
    """One extraction run over one article; holds the lookups the rules share."""

    def __init__(self, doc: "Doc", article: "Article", mentions: pd.DataFrame | None, roles: tuple[str, ...]):
        self.doc, self.article, self.text = doc, article, article.text
        self.lex = cue_lexicon()
        self.paragraphs = article.paragraphs_with_role(roles)
        self.body = {p.index for p in self.paragraphs}
        self.body_in_order = sorted(self.body)
        self.starts = doc.to_array("IDX").tolist()  # token offsets, without a Token object per word
        self.cue_positions = _cue_positions(doc)
        self.paragraph_starts = [p.start_char for p in article.paragraphs]
        self.mentions = _mention_records(mentions)
        self.mentions_at = SpansAt(self.mentions)
        self.mentioned_people = {m.canonical for m in self.mentions if m.label == "PERSON"}
        self.first_mention: dict[str, int] = {}  # canonical name -> where the text first names it
        for m in self.mentions:
            self.first_mention[m.canonical] = min(m.start, self.first_mention.get(m.canonical, m.start))
        self.turns: list[_Item] = []
        self.marked: list[MarkedSpan] = []
        self.masks: list[tuple[int, int]] = []
        self.masked_chars = CoveredChars(())  # the masks, indexed once they are all found
        self.marked_ranges: Overlapping[Range] = Overlapping(())  # likewise the marked spans
        self.events = _Events()
        self.descriptors = _Descriptors()
        self.gender: dict[str, str] = {}
        self.resolved = _Resolved()  # speaker per quote item, and their names
        self.quote_spans: list[tuple[int, int]] = []
        self.quoted_chars = CoveredChars(())  # the quote spans, indexed once they are known
        self.documents: list[tuple[int, str, Speaker]] = []  # (position, document noun, author)
        self.plural_sources: set[str] = set()  # unnamed speakers described in the plural ("officials")

    # -- driver --

    def run(self) -> list[_Item]:
        self._find_turns_and_marks()
        self.masked_chars = CoveredChars(self.masks)
        self.marked_ranges = Overlapping(Range(s.open_char, s.outer_end, (k, s)) for k, s in enumerate(self.marked))
        self._profile_mentions()
        self._subject_events()
        indirect = self._indirect_items()
        direct = self._direct_items(indirect)
        items = sorted(self.turns + indirect + direct + self._intro_items(), key=lambda i: (i.start, i.end))
        self.quote_spans = [(i.start, i.end) for i in items if i.kind != "intro"]
        self.quoted_chars = CoveredChars(self.quote_spans)
        return self._resolve(items)

    # -- token helpers --

    def _tokens(self, start: int, end: int) -> list["Token"]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [t for t in self.doc[lo:hi] if not t.is_space]

    def _possible_cues(self, start: int, end: int) -> list["Token"]:
        """The tokens in ``[start, end)`` that ``_cue`` may accept: the other words of a paragraph get no Token object."""
        lo = bisect.bisect_left(self.cue_positions, bisect.bisect_left(self.starts, start))
        hi = bisect.bisect_left(self.cue_positions, bisect.bisect_left(self.starts, end))
        return [self.doc[i] for i in self.cue_positions[lo:hi]]

    def _masked(self, char: int) -> bool:
        return char in self.masked_chars

    def _paragraph(self, index: int) -> "Paragraph":
        return self.article.paragraphs[index]

    # -- quote marks and transcript turns --

    def _find_turns_and_marks(self) -> None:
        # a label NER missed is a turn only in an article that has other, recognised turns
        in_transcript = any(self._transcript_turn(p) is not None for p in self.paragraphs)
        own_line = self._label_line_turns()
        for p in self.paragraphs:
            turn = own_line.get(p.index) or self._transcript_turn(p, in_transcript=in_transcript)
            if turn is not None:
                self.turns.append(turn)
                self.masks.append((turn.start, turn.end))
                continue
            spans = find_quote_marks(self.text, p.start_char, p.end_char)
            for span in spans:
                span.paragraph = p.index
            if spans and spans[-1].close_char is None and not self._repair_unclosed(spans[-1]):
                self._warn_unbalanced(p, spans)
            self.marked.extend(spans)
            self.masks.extend((s.open_char, s.outer_end) for s in spans)

    def _repair_unclosed(self, span: MarkedSpan) -> bool:
        """'"A, he said. B.' (closing mark forgotten): end the quote at the comma before its attribution."""
        tokens = self._tokens(span.start, span.end)
        for k, token in enumerate(tokens):
            if k < 2 or self._cue(token, direct=True) is None:
                continue
            comma = next((j for j in range(k - 1, 0, -1) if tokens[j].text == ","), None)
            heads = self._subject_heads(token)
            if comma is None or not heads or heads[0].lower_ in ("i", "we", "you") or heads[0].i > token.i:
                continue
            if self._clean_before_cue(tokens[comma + 1 : k], token) and self._ends_clause(tokens[k + 1 :], token):
                log.warning("quote opened at char %d has no closing mark; ended it before its attribution", span.open_char)
                span.end = tokens[comma].idx + 1
                span.close_char = span.end
                return True
        return False

    def _ends_clause(self, tokens: list["Token"], cue: "Token") -> bool:
        """Whether the cue's clause ends (at a full stop) without a clause of its own after the cue."""
        for t in tokens:
            if t.text in (".", "!", "?"):
                return True
            if not self._attached(t, cue) or t.dep_ == "ccomp":
                return False
        return False

    def _warn_unbalanced(self, p: "Paragraph", spans: list[MarkedSpan]) -> None:
        """Log a quote left open at the end of a paragraph, unless the next paragraph reopens it."""
        if spans and spans[-1].close_char is None:
            nxt = p.index + 1
            following = self.article.paragraphs[nxt].text[:1] if nxt < len(self.article.paragraphs) else ""
            if following not in QUOTE_CHARS:
                log.warning("paragraph %d: quote opened at char %d is never closed; it is read to the end of the paragraph", p.index, spans[-1].open_char)

    def _label_line_turns(self) -> dict[int, _Item]:
        """Transcripts that put each speaker's label on a line of its own ("Jane Doe" / her words).

        A label line is a short line of capitalised words (or one ending in ":") naming a person or
        a role; it counts only when such lines name at least two different speakers, each followed
        by a body paragraph, so a stray name line or a repeated byline is not taken for a transcript.
        """
        turns: dict[int, _Item] = {}
        paragraphs = self.article.paragraphs
        for p, nxt in zip(paragraphs, paragraphs[1:]):
            label = p.text.strip().rstrip(":").strip()
            words = label.split()
            if nxt.index not in self.body or not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
                continue
            speaker = self._turn_speaker(label, p.start_char + p.text.index(label), in_transcript=True)
            if speaker is None:
                continue
            start, end = nxt.start_char, nxt.end_char
            while end > start and self.text[end - 1].isspace():
                end -= 1
            turns[nxt.index] = _Item("direct", nxt.index, start, end, origin="turn", fixed=speaker)
        speakers = {t.fixed.name for t in turns.values()}
        return turns if len(speakers) >= 2 else {}  # a dialogue; one repeated name line is a byline

    def _transcript_turn(self, p: "Paragraph", *, in_transcript: bool = False) -> _Item | None:
        """'Name: text' at the start of a paragraph, Name a person or a role such as Reporter or Q."""
        match = _TURN_RE.match(p.text)
        if not match or len(match.group(1).split()) > 6 or not match.group(1)[0].isupper():
            return None
        rest = p.start_char + match.end()
        if self.text[rest] in QUOTE_CHARS:
            return None
        label_start = p.start_char + match.start(1)
        speaker = self._turn_speaker(match.group(1).strip(), label_start, in_transcript=in_transcript)
        if speaker is None:
            return None
        end = p.end_char
        while end > rest and self.text[end - 1].isspace():
            end -= 1
        return _Item("direct", p.index, rest, end, origin="turn", fixed=speaker)

    # -- cues --

    def _cue(self, token: "Token", *, direct: bool) -> Cue | None:
        """The reporting cue headed by ``token``, or None."""
        if token.lower_ == "according":
            return self._according_cue(token)
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "compound") or _discourse_marker(token):
            return None
        if _self_compound(token):
            return None  # "the self-declared spam king", "self declared": an adjective, no speech
        lemma = _LEMMA_FIXES.get(token.lower_, token.lemma_.lower())
        particles = self.lex.phrasal_verbs.get(lemma)
        if particles:
            prt = next((c for c in token.children if c.dep_ == "prt" and c.lower_ in particles), None)
            if prt is not None:
                surface = self.text[token.idx : prt.idx + len(prt.text)] if prt.i == token.i + 1 else f"{token.text} {prt.text}"
                return Cue(token, surface, f"{lemma} {prt.lower_}", self._time_anchor(token))
        if lemma in self.lex.speech_verbs or (direct and lemma in self.lex.direct_only_verbs):
            return Cue(token, token.text, lemma, self._time_anchor(token))
        return None

    def _according_cue(self, token: "Token") -> Cue | None:
        to = next((c for c in token.children if c.lower_ == "to"), None)
        if to is None or not any(c.dep_ == "pobj" for c in to.children):
            return None
        return Cue(token, self.text[token.idx : to.idx + len(to.text)], "according to")

    def _time_anchor(self, verb: "Token") -> str:
        """The time expression attached to the cue verb ("after the meeting", "on Tuesday"), else ""."""
        queue = [c for c in verb.children if c.dep_ not in CLAUSAL_DEPS | {"nsubj", "nsubjpass", "punct"}]
        while queue:
            child = queue.pop(0)
            if self._masked(child.idx) or (child.dep_ == "dobj" and child.lemma_.lower() in self.lex.content_nouns):
                continue
            found = self._temporal(child)
            if found:
                return found
            if child.dep_ in ("prep", "pobj", "dobj", "dative", "agent"):
                queue.extend(c for c in child.children if c.dep_ not in CLAUSAL_DEPS | {"punct"})
        return ""

    def _temporal(self, token: "Token") -> str:
        subtree = list(token.subtree)
        words = self.text[subtree[0].idx : subtree[-1].idx + len(subtree[-1].text)]
        if token.dep_ == "prep" and token.lower_ in self.lex.temporal_prepositions:
            return words
        if token.dep_ == "prep" and token.lower_ in self.lex.date_prepositions:
            return words if any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in token.children) else ""
        if token.dep_ in ("npadvmod", "tmod", "advmod") and token.ent_type_ in ("DATE", "TIME"):
            return words
        if token.dep_ == "advmod" and token.lower_ in self.lex.temporal_adverbs:
            return token.text
        return ""

    # -- indirect quotes --

    def _indirect_items(self) -> list[_Item]:
        turn_pars = {t.paragraph for t in self.turns}
        items = []
        for p in self.paragraphs:
            if p.index in turn_pars:
                continue
            for token in self._possible_cues(p.start_char, p.end_char):
                if self._masked(token.idx):
                    continue
                found = self._reported_content(token)
                if found is not None and not self._is_direct_content(*found[1]):
                    cue, (start, end) = found
                    items.append(_Item("indirect", p.index, start, end, cue=cue))
        items = self._without_outer_according(items)
        spans = Overlapping(items)  # a cue inside another item's clause is part of that report
        return [i for i in items if not any(o is not i for o in spans.overlapping(i.cue.token.idx, i.cue.token.idx + 1))]

    def _without_outer_according(self, items: list[_Item]) -> list[_Item]:
        """"... and, according to the paper, once told analysts that he would ...": a person's own
        report inside an "according to" clause is that person's; the paper only relays it (a person
        as the source makes it their own claim, and it stays theirs)."""
        according = [i for i in items if i.cue.lemma == "according to"]
        if not according:
            return items
        spans = Overlapping(according)
        relayed = set()
        for item in items:
            if item.cue.lemma == "according to":
                continue
            outer = [
                o for o in spans.overlapping(item.cue.token.idx, item.cue.token.idx + 1)
                if o.start <= item.start and not self._person_source(o.cue.token)
            ]
            if outer and self._person_subject(item.cue.token):
                relayed.update(id(o) for o in outer)
        return [i for i in items if id(i) not in relayed]

    def _person_source(self, according: "Token") -> bool:
        """Whether "according to X" names a person: "According to Ranz, Kolt vowed ..." is Ranz's claim."""
        heads = self._subject_heads(according)
        mention = self._mention_at(heads[0]) if heads else None
        return mention is not None and mention.label == "PERSON"

    def _person_subject(self, cue: "Token") -> bool:
        heads = self._subject_heads(cue)
        if not heads:
            return False
        mention = self._mention_at(heads[0])
        return heads[0].lower_ in ("he", "she") or (mention is not None and mention.label == "PERSON")

    def _is_direct_content(self, start: int, end: int) -> bool:
        """Whether a content clause is itself a quoted span (then the verb attributes a direct quote)."""
        around = self.marked_ranges.overlapping(start, start + 1)
        if not around:
            return False
        s = min(around, key=lambda r: r.item[0]).item[1]  # the first marked span around ``start``
        return min(end, s.end) - max(start, s.start) >= 0.5 * (end - start)

    def _reported_content(self, token: "Token") -> tuple[Cue, tuple[int, int]] | None:
        cue = self._cue(token, direct=False)
        if cue is None or self._passive_participle(token):
            return None
        if token.i == token.sent.start and token.tag_ in ("VBN", "VBD") and not any(c.dep_.startswith("nsubj") for c in token.children):
            return None  # "Asked whether he feared ..., X said": the reporter's question, not X's words
        if cue.lemma in self.lex.weak_verbs and not self._can_speak(self._subject_heads(token)):
            return None
        if self._generic_definition(token):
            return None
        if any(c.tag_ == "WP" and c.i < token.i and not c.dep_.startswith("nsubj") for c in token.children):
            return None  # "is who they say they are", "what he says": a free relative, no report
        if cue.lemma == "add" and self._adds_a_thing(token):
            return None  # "The win adds to the titles", "X and Y added tries": adding things is no speech
        if cue.lemma == "according to":
            span = self._according_content(token)
        else:
            heads = self._content_heads(token)
            if heads:
                span = self._clause_span(self._content_tokens(token, heads))
            elif (stranded := self._stranded_clause(token)) is not None:
                span = self._clause_span(stranded)
            elif token.dep_ == "parataxis" and self._subject_heads(token):
                span = self._parenthetical_content(token)  # "Crimea, he was saying, will remain ..."
            else:
                span = None
        return (cue, span) if span else None

    def _adds_a_thing(self, verb: "Token") -> bool:
        """"adds to the titles won", "added two tries" (a common noun object and no clause of its own)."""
        children = list(verb.children)
        if any(c.dep_ == "prep" and c.lower_ == "to" for c in children):
            return True
        thing = any(c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lemma_.lower() not in self.lex.content_nouns for c in children)
        return thing and not any(c.dep_ == "ccomp" for c in children)

    def _content_tokens(self, verb: "Token", heads: list["Token"]) -> list["Token"]:
        """The reported clause's tokens, without a trailing contrast the narrator adds.

        "X insisted A, while B appears keen ...": the "while/whereas" clause is the writer's, and so is
        "although/though" with a named person as its subject ("..., although Y was forced to deny").
        A second subject after the verb ("X said five countries ... hold the key") opens the content.
        """
        tokens = {t for h in heads for t in h.subtree}
        for head in heads:  # "When X asked ..., “do you realize ...”": the leading when-clause is not content
            for child in head.children:
                if child.dep_ == "advcl" and child.i < head.i and any(
                    c.dep_ in ("mark", "advmod") and c.lower_ in _ADVERBIAL_MARKS for c in child.children
                ):
                    tokens -= set(child.subtree)
        for t in list(tokens):
            mark = next((c.lower_ for c in t.children if c.dep_ == "mark"), "") if t.dep_ == "advcl" else ""
            if mark in _CONTRAST_MARKS or mark in _CONCESSIVE_MARKS:
                first = min(t.subtree, key=lambda x: x.i)
                # "although X was forced to deny ...": a concession only with a named person of its own
                by_comma = mark in _CONTRAST_MARKS and self.doc[first.i - 1].text == ","
                if first.i > min(tokens, key=lambda x: x.i).i and (by_comma or self._named_subject(t)):
                    tokens -= set(t.subtree)
        chosen = set(self._subject_heads(verb))
        for subject in (c for c in verb.children if c.dep_ == "nsubj" and c.i > verb.i and c not in chosen):
            if any(h.i > subject.i for h in heads):
                tokens |= set(subject.subtree)
        tokens |= self._misparsed_subject(verb, heads)
        return sorted(tokens, key=lambda t: t.i)

    def _stranded_clause(self, verb: "Token") -> list["Token"] | None:
        """"ACME, which claims Jane Roe, for the first time, gave the green light ...": the parser makes
        the name the verb's object and hangs "gave ..." on the main clause. A subjectless finite verb
        right after the object (only commas and adverbials between) is the reported clause."""
        if verb.lemma_.lower() not in self.lex.speech_verbs or verb.lemma_.lower() in _ADDRESSEE_VERBS:
            return None
        objects = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "PROPN" and c.i > verb.i]
        if not objects:
            return None
        obj = objects[0]
        ancestors = {a.i for a in verb.ancestors}
        after = max(t.i for t in obj.subtree)
        for token in verb.sent[after + 1 - verb.sent.start :]:
            if (
                token.dep_ == "conj" and token.head.i in ancestors and token.tag_ in ("VBD", "VBZ", "VBP")
                and not any(c.dep_.startswith("nsubj") for c in token.children)
            ):
                return sorted(set(obj.subtree) | set(token.subtree) | set(self.doc[after + 1 : token.i]), key=lambda t: t.i)
            if not (token.is_punct or token.dep_ in ("prep", "advmod", "npadvmod") or token.head.dep_ in ("prep", "pobj") or token.head.head.dep_ in ("prep", "pobj")):
                return None
        return None

    def _named_subject(self, clause: "Token") -> bool:
        """Whether a clause's subject is a named person: "X insisted A must go while B backed A" —
        a second named actor's stance, set beside the report by the writer, even without a comma."""
        return any(c.dep_.startswith("nsubj") and c.ent_type_ == "PERSON" for c in clause.children)

    def _misparsed_subject(self, verb: "Token", heads: list["Token"]) -> set["Token"]:
        """"X insisted President Y must go": the parser may take Y as the verb's object and leave the
        clause with no subject. An object right before a subjectless clause is that clause's subject."""
        found: set["Token"] = set()
        if verb.lemma_.lower() in _ADDRESSEE_VERBS:  # "told the court (that) ...": the object is who heard it
            return found
        for head in heads:
            if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in head.children):
                continue
            first = min(head.subtree, key=lambda t: t.i)
            if first.dep_ == "mark" or first.tag_.startswith("W"):  # "... X that ...", "... X what ...": X is not inside
                continue
            start = first.i
            for obj in (c for c in verb.children if c.dep_ == "dobj" and c.i < head.i):
                if max(t.i for t in obj.subtree) == start - 1:
                    found |= set(obj.subtree)
        return found

    def _parenthetical_content(self, verb: "Token") -> tuple[int, int] | None:
        host = verb.head
        if host.i == verb.i or host.pos_ not in ("VERB", "AUX"):
            return None
        skip = {t.i for t in verb.subtree}
        return self._clause_span([t for t in host.subtree if t.i not in skip])

    def _generic_definition(self, verb: "Token") -> bool:
        """"a fine for people who fail to say they have moved", "living wills, where people say they
        want ...": a speech verb in a relative clause about people in general defines something;
        nobody is reported."""
        if not self._in_modifier_clause(verb):
            return False
        heads = self._subject_heads(verb)
        head = heads[0] if heads else None
        if head is not None and head.lower_ in RELATIVE_PRONOUNS:
            head = self._antecedent(head)
        return (
            head is not None and head.lower_ in _GENERIC_PEOPLE
            and not any(c.dep_ in ("det", "amod", "nummod", "poss") for c in head.children)
        )

    def _can_speak(self, heads: list["Token"]) -> bool:
        """Whether a subject can utter something: a name, a pronoun, a person, organisation or document."""
        if not heads:
            return False
        head = heads[0]
        lemma = head.lemma_.lower()
        if lemma in DATA_NOUNS:
            return False  # "the figures suggest ...": evidence, not a source (it counts only with an author)
        nouns = self.lex.organisation_nouns | self.lex.anonymous_nouns | self.lex.document_nouns | titles()
        return (
            self._mention_at(head) is not None
            or head.pos_ in ("PROPN", "PRON")
            or lemma in nouns
            or self._is_org_noun(lemma)
            or self._named_appositive(head) is not None
        )

    def _content_heads(self, verb: "Token") -> list["Token"]:
        """Heads of the reported clause: the ccomp after the verb, else the nearest one before it."""
        # "When X asked ..., he asks": a clause led by when/because/if-not-a-question is adverbial, not content
        clauses = [c for c in verb.children if c.dep_ == "ccomp" and not any(m.dep_ == "mark" and m.lower_ in _ADVERBIAL_MARKS for m in c.children)]
        # "told BBC Radio's Today programme the strike would end": the programme is where, not what
        clauses = [next((v for v in c.children if v.dep_ == "ccomp" and v.pos_ in ("VERB", "AUX")), c) if c.pos_ in ("NOUN", "PROPN") else c for c in clauses]
        after = [c for c in clauses if c.i > verb.i]
        before = [c for c in clauses if c.i < verb.i][-1:]
        return after or before or self._content_noun_clauses(verb)

    def _passive_participle(self, verb: "Token") -> bool:
        """"Asked whether he would resign, X said ...": a question put to X, not X's words."""
        if verb.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return verb.dep_ in ("advcl", "acl", "amod", "ccomp", "conj") or verb.head.i == verb.i
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)

    def _content_noun_clauses(self, verb: "Token") -> list["Token"]:
        """The that-clause of a noun the cue governs.

        "reiterated his stance that ..." (an object in ``content_nouns``) and "said in a statement
        that ..." (the parser hangs the cue's clause on the noun of a prepositional phrase).
        """
        lemma = verb.lemma_.lower()
        if lemma not in self.lex.speech_verbs | self.lex.restating_verbs:
            return []
        nouns = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in self.lex.content_nouns]
        if lemma in self.lex.speech_verbs:
            nouns += [o for c in verb.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
        clauses = [clause for noun in nouns for clause in noun.children if clause.dep_ in ("acl", "ccomp", "relcl") and _that_clause(clause)]
        return clauses + [r for c in clauses for r in _cleft_relative(c)]

    def _according_content(self, token: "Token") -> tuple[int, int] | None:
        head = token.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        if head.i == token.i:
            return None
        relative = [t.i for t in token.subtree if t.dep_ == "relcl"]
        if relative and head.i > min(relative) and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in head.children):
            return None  # a misparse hung "according to X" on a verb of X's relative clause ("who ... and has written Y")
        skip = {t.i for t in token.subtree}
        return self._clause_span([t for t in head.subtree if t.i not in skip])

    def _clause_span(self, tokens: Iterable["Token"]) -> tuple[int, int] | None:
        """Character span of a content clause: no leading "that", no edge punctuation or final period."""
        ordered = sorted(set(tokens), key=lambda t: t.i)
        while ordered and (ordered[0].is_punct or ordered[0].is_space or (ordered[0].dep_ == "mark" and ordered[0].lower_ == "that")):
            if ordered[0].text in QUOTE_CHARS and self._balanced_mark(ordered):
                break
            ordered.pop(0)
        while ordered and (ordered[-1].is_punct or ordered[-1].is_space):
            if ordered[-1].text in QUOTE_CHARS and self._balanced_mark(ordered):
                break
            ordered.pop()
        if not ordered:
            return None
        start, end = ordered[0].idx, ordered[-1].idx + len(ordered[-1].text)
        # never cut a name in half (the parser may leave a given name out of its clause)
        start = min([start] + [m.start for m in self.mentions_at.at(start)])
        end = max([end] + [m.end for m in self.mentions_at.at(end - 1)])
        return start, end

    def _balanced_mark(self, tokens: list["Token"]) -> bool:
        text = self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        spans = find_quote_marks(text, warn=False)
        return bool(spans) and all(s.close_char is not None for s in spans)

    # -- direct quotes --

    def _direct_items(self, indirect: list[_Item]) -> list[_Item]:
        by_paragraph: dict[int, list[MarkedSpan]] = {}
        clauses = Overlapping(indirect)
        for span in self.marked:
            if not _in_reported_clause(span, clauses):
                by_paragraph.setdefault(span.paragraph, []).append(span)
            else:
                log.debug("quoted fragment at %d belongs to a reported-speech clause", span.start)
        last_span = {span.paragraph: span for span in self.marked}
        left_open = {index for index, span in last_span.items() if span.close_char is None}
        reports: dict[int, list[_Item]] = {}
        for item in indirect:
            reports.setdefault(item.paragraph, []).append(item)
        items = []
        for index, spans in by_paragraph.items():
            paragraph = self._paragraph(index)
            items.extend(self._paragraph_quotes(paragraph, spans, continues=index - 1 in left_open, reports=reports.get(index, [])))
        return items

    def _paragraph_quotes(self, p: "Paragraph", spans: list[MarkedSpan], *, continues: bool = False, reports: Sequence[_Item] = ()) -> list[_Item]:
        """Direct quotes of one paragraph, each with its own cue or a sibling's.

        A cueless quote takes the cue of the nearest cued quote before it in the paragraph, or of a
        reported one right before it ('X said he expected A. "B."' is X's), else of the first one after it
        whose cue follows it.
        With ``continues`` (the paragraph before ended inside an open quote), a cueless quote opening
        the paragraph, and the quoted sentences right after it, go on with that speaker rather than
        borrowing a later quote's cue.
        """
        items = []
        for k, span in enumerate(spans):
            gap_lo = spans[k - 1].outer_end if k else p.start_char
            gap_hi = spans[k + 1].open_char if k + 1 < len(spans) else p.end_char
            cue = self._cue_after(span, gap_hi) or self._cue_before(gap_lo, span.open_char)
            if self._is_speech(span, cue, gap_lo, p):
                items.append(_Item("direct", p.index, span.start, span.end, cue=cue, origin="own" if cue else "floating"))
            elif cue is None and (cue := self._enclosing_cue(span)) is not None:
                items.append(_Item("direct", p.index, span.start, span.end, cue=cue, origin="own"))
        carried = False  # the quote before was the open quote's continuation
        for k, item in enumerate(items):
            if item.cue is None:
                # a report counts only right before the quote: 'X said A. "B."', not 'X said A. Y. "B," said Z'
                adjacent = [r for r in reports if r.end <= item.start and (
                    not re.search(r"\w", self.text[r.end : item.start]) or self._cue_sentence_just_before(r, item)
                )]
                earlier = sorted((i for i in [*items[:k], *adjacent] if i.cue is not None and i.end <= item.start), key=lambda i: i.end)
                # a later quote lends its cue only when the cue follows it ('"A." "B," said X'), not when
                # the cue introduces it ('"A." And X says: "B."': A goes on with the speaker before)
                later = [i for i in items[k + 1 :] if i.cue is not None and i.cue.token.idx > i.start]
                later = [i for i in later[:1] if self._narrative_sentences(items, item, i) < 2]
                source = earlier[-1] if earlier else (later[0] if later else None)
                opening = not self.text[p.start_char : item.start].strip(" \t\"'“‘")
                # the next quoted sentence, with no word between: the same quotation goes on
                abutting = k > 0 and not re.search(r"\w", self.text[items[k - 1].end : item.start])
                if abutting and items[k - 1].origin == "sibling":
                    source = items[k - 1].source
                carried = continues and not earlier and (opening or (carried and abutting))
                if carried:
                    continue  # the multi-paragraph quote's next paragraph (and its next sentences): carried over in _resolve
                if source is not None:
                    item.origin, item.source = "sibling", source
            carried = False
        return items

    def _narrative_sentences(self, items: list[_Item], item: _Item, later: _Item) -> int:
        """Sentences of the writer's own between two quotes of a paragraph: '"A." X was banned. Y
        was fined. The coach was too. "B," said Z' - A is not Z's words across that story."""
        quoted = [(i.start, i.end) for i in items if item.end <= i.start < later.start]
        count = 0
        for token in self._tokens(item.end, later.start):
            if token.is_sent_start and token.is_alpha and not any(lo <= token.idx < hi for lo, hi in quoted):
                count += 1
        return count

    def _cue_sentence_just_before(self, report: _Item, item: _Item) -> bool:
        """'... to the WTO," said Ann Roe, a spokesman for X. "We have said ..."': the report's cue ends
        the sentence right before the quote (its marks lost, the report took the quote's words)."""
        if report.cue is None:
            return False
        sentence = report.cue.token.sent
        return report.cue.token.idx > report.end and not re.search(r"\w", self.text[sentence.end_char : item.start])

    def _cue_after(self, span: MarkedSpan, gap_hi: int) -> Cue | None:
        """'"...," he said': a cue in the clause right after the closing mark."""
        if span.close_char is None:
            return None
        lo = span.close_char + 1
        gap = self.text[lo:gap_hi]
        first = gap.lstrip()[:1]
        last = self.text[span.end - 1]
        if last in ".:;" and first and not (first.islower() or first == ","):
            return None
        stop = re.search(r"[.!?;](\s|$)", gap)
        tokens = self._tokens(lo, lo + stop.start() if stop else gap_hi)
        for k, token in enumerate(tokens):
            cue = self._cue(token, direct=True)
            if cue is None or self._in_modifier_clause(token):
                continue  # "one analyst, who asked not to be named, said": skip the relative clause
            if last in TERMINALS and first.isupper() and any(c.dep_ == "ccomp" and c.i > token.i for c in token.children):
                return None  # '... criminals?" The spokeswoman, X, said she was pleased': X reports her own words
            return cue if self._clean_before_cue(tokens[:k], token) else None
        return None

    def _in_modifier_clause(self, token: "Token") -> bool:
        """Whether a verb sits in a relative clause or appositive (so it describes someone, not a cue)."""
        node = token
        for _ in range(50):
            if node.dep_ in ("relcl", "acl", "appos"):
                return True
            if node.head.i == node.i:
                return False
            node = node.head
        return False

    def _clean_before_cue(self, tokens: list["Token"], cue: "Token") -> bool:
        """Tokens between a closing mark and its cue may only be the subject, adverbs and punctuation."""
        allowed = {t.i for h in self._subject_heads(cue) for t in h.subtree}
        quoting = self._quoting_verb(cue)
        if quoting is not None:  # '"...," the paper quoted X as saying'
            allowed |= {t.i for t in quoting[0].subtree}
        for t in tokens:
            if t.is_punct or t.is_space or t.i in allowed:
                continue
            if t.head.i == cue.i and t.dep_ in ("advmod", "aux", "neg", "npadvmod", "prt", "nsubj"):
                continue
            return bool(self._name_by_surface(cue))
        return True

    def _cue_before(self, gap_lo: int, hi: int) -> Cue | None:
        """'He added: "..."', 'X told the Gazette: "..."', 'According to X, "..."': a cue ending the text before."""
        gap = self.text[gap_lo:hi].rstrip()
        if not gap:
            return None
        cut = max((m.end() for m in re.finditer(r"[.!?]\s", gap[:-1])), default=0)
        tokens = self._tokens(gap_lo + cut, hi)
        for k in range(len(tokens) - 1, -1, -1):
            cue = self._cue(tokens[k], direct=True)
            if cue is None:
                continue
            after = tokens[k + 1 :]
            words = [t for t in after if not t.is_punct]
            if (gap[-1] in ":," or len(words) <= 2) and all(self._attached(t, tokens[k]) for t in after):
                return cue
            return None
        return None

    def _attached(self, token: "Token", cue: "Token") -> bool:
        """Whether ``token`` belongs to the cue's own clause (object, particle, prepositional phrase)."""
        if token.is_punct or token.is_space or (token.dep_ == "mark" and token.lower_ == "that"):
            return True
        node = token
        for _ in range(50):
            if node.i == cue.i:
                return True
            if node.dep_ in CLAUSAL_DEPS or node.head.i == node.i:
                return False
            node = node.head
        return False

    def _is_speech(self, span: MarkedSpan, cue: Cue | None, gap_lo: int, p: "Paragraph") -> bool:
        """Quoted speech, as opposed to a scare quote, a short term or a title."""
        words = WORD_RE.findall(self.text[span.start : span.end])
        if not words or self._nickname(span, words):
            return False
        if self._title_like(words, span) and cue is None:
            return False
        if cue is not None:
            return True
        before = self.text[gap_lo : span.open_char].rstrip()
        sentence_like = not before or before[-1] in TERMINALS + ":"
        if len(words) <= 3:  # a short quoted term is speech only as a sentence of its own: 'We expected better.'
            return sentence_like and self.text[span.end - 1] in TERMINALS
        return sentence_like

    def _nickname(self, span: MarkedSpan, words: list[str]) -> bool:
        """'Antonio "LA" Reid', 'Jimmy "the Whirlwind" White': a short quoted name between a given
        name and a surname is a nickname, not words anyone said."""
        if len(words) > 3 or span.close_char is None:
            return False
        before = re.search(r"([A-Z][\w'-]*) $", self.text[max(0, span.open_char - 40) : span.open_char])
        after = re.match(r" ?([A-Z][\w'-]*)", self.text[span.close_char + 1 : span.close_char + 40])
        inside = self.text[span.start : span.end].strip()
        return bool(before and after) and (inside[:1].isupper() or words[0].lower() == "the")

    def _enclosing_cue(self, span: MarkedSpan) -> Cue | None:
        """'X called him a tyrant who "drops barrel bombs on ..."': a quoted fragment of four or more
        words inside the clause of a reporting or characterising verb with a subject is that subject's."""
        tokens = [t for t in self._tokens(span.start, span.end) if not t.is_punct]
        words = WORD_RE.findall(self.text[span.start : span.end])
        if len(words) < 4 or not tokens or self._title_like(words, span):
            return None  # 'what Acme calls the "Next Generation Secure Computing Base"': a name, not words spoken
        inside = {t.i for t in tokens}
        node = tokens[0]
        for _ in range(8):
            if node.head.i == node.i:
                break
            node = node.head
            if node.i in inside:
                continue
            lemma = node.lemma_.lower()
            if node.pos_ in ("VERB", "AUX") and (lemma in self.lex.speech_verbs or lemma in self.lex.characterising_verbs):
                if not self._subject_heads(node):
                    return None
                return Cue(node, node.text, lemma, self._time_anchor(node))
        return self._speech_cue_earlier_in_sentence(tokens[0])

    def _speech_cue_earlier_in_sentence(self, first: "Token") -> Cue | None:
        """"X opened, reminding delegates of the leaders of “the nations that won the war,” ...":
        when the parser hangs a long quoted fragment off the wrong clause, the nearest speech verb
        with a subject earlier in its sentence is its cue — unless a new clause with its own
        subject starts in between (then the fragment is that clause's, not the speaker's)."""
        for token in reversed(first.sent[: first.i - first.sent.start]):
            lemma = token.lemma_.lower()
            if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("relcl", "acl") and any(c.dep_.startswith("nsubj") for c in token.children):
                if lemma not in self.lex.speech_verbs:
                    return None  # a new clause of its own
            if token.pos_ == "VERB" and lemma in self.lex.speech_verbs and not self._in_modifier_clause(token):
                return Cue(token, token.text, lemma, self._time_anchor(token)) if self._subject_heads(token) else None
        return None

    def _title_like(self, words: list[str], span: MarkedSpan) -> bool:
        before = re.findall(r"[\w-]+", self.text[max(0, span.open_char - 30) : span.open_char].lower())
        if before and (before[-1] in self.lex.title_cues or before[-2:] == ["known", "as"]):
            return True
        content = [w for w in words if w[0].isalpha() and w.lower() not in _FUNCTION_WORDS]
        return len(content) >= 2 and all(w[0].isupper() for w in content)

    def _intro_items(self) -> list[_Item]:
        """Paragraphs that end "X said:" with the quote in the next paragraph.

        When that next body paragraph has no quote marks at all it is a block quote (the whole
        paragraph, as newspapers set long extracts of a speech), carried over from the intro.
        """
        quoted = {s.paragraph for s in self.marked} | {t.paragraph for t in self.turns}
        items = []
        for p in self.paragraphs:
            if p.index not in quoted and p.text.rstrip().endswith(":"):
                cue = self._cue_before(p.start_char, p.end_char) or self._last_cue(p)
                if cue is not None:
                    items.append(_Item("intro", p.index, cue.token.idx, cue.token.idx, cue=cue, origin="intro"))
                    block = self._block_quote(p.index + 1, quoted)
                    if block is not None:
                        items.append(block)
        return items

    def _last_cue(self, p: "Paragraph") -> Cue | None:
        """The cue of the last sentence of ``p`` when that sentence reports speech ("X insisted Y:")."""
        tokens = self._tokens(p.start_char, p.end_char)
        if not tokens:
            return None
        sentence = tokens[-1].sent
        for token in sentence:
            if token.idx >= p.start_char and self._subject_heads(token):
                cue = self._cue(token, direct=False)
                if cue is not None and token.dep_ == "ROOT":
                    return cue
        return None

    def _block_quote(self, index: int, quoted: set[int]) -> _Item | None:
        if index not in self.body or index in quoted:
            return None
        p = self._paragraph(index)
        if any(ch in QUOTE_CHARS for ch in p.text if ch not in "'’"):
            return None
        start, end = p.start_char, p.end_char
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return _Item("direct", index, start, end, origin="floating") if end > start else None


def _self_compound(token: "Token") -> bool:
    """"self-declared", "self declared": a participle compounded with "self" is an adjective."""
    k = token.i - 1
    if k >= 0 and token.doc[k].text in ("-", "\u2011"):
        k -= 1
    return k >= 0 and token.doc[k].lower_ == "self" and token.tag_ in ("VBN", "VBD")


def _discourse_marker(token: "Token") -> bool:
    """"That said, she is working on a new film": a phrase that links sentences, not a cue."""
    doc = token.doc
    return (
        token.lower_ == "said" and token.i >= 1 and doc[token.i - 1].lower_ == "that" and token.i + 1 < len(doc)
        and doc[token.i + 1].text == "," and (token.i == 1 or doc[token.i - 1].is_sent_start or doc[token.i - 2].text in ".!?\"")
    )


def _that_clause(clause: "Token") -> bool:
    """Whether a clause is introduced by the complementiser "that" (not the relative pronoun)."""
    return any(t.dep_ == "mark" and t.lower_ == "that" for t in clause.children)


def _cleft_relative(clause: "Token") -> list["Token"]:
    """"the claim that it was X who sought the meeting": the parser may hang "who sought ..." on the
    noun; a relative clause starting right where the that-clause ends belongs to it."""
    end = max(t.i for t in clause.subtree)
    return [r for r in clause.head.children if r.dep_ == "relcl" and min(t.i for t in r.subtree) == end + 1]


def _in_reported_clause(span: MarkedSpan, clauses: Overlapping[_Item]) -> bool:
    """Whether half of a quoted span or more lies in one reported-speech clause."""
    half = 0.5 * (span.end - span.start)
    if half <= 0:
        return len(clauses) > 0  # an empty span "overlaps" every clause by zero characters
    return any(_overlap(span.start, span.end, i.start, i.end) >= half for i in clauses.overlapping(span.start, span.end))


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))



def _to_frame(items: list[_Item], doc: "Doc", article: "Article") -> pd.DataFrame:
    from ..tokens import sentence_ids

    sent_of = sentence_ids(doc)
    starts = doc.to_array("IDX").tolist()
    rows = []
    for n, item in enumerate(items, 1):
        speaker = item.speaker or Speaker()
        cue = item.cue if item.origin in ("own", "sibling") else None
        token_i = max(0, bisect.bisect_right(starts, item.start) - 1)
        rows.append(
            {
                "quote_id": f"q{n}",
                "kind": item.kind,
                "speaker": speaker.name,
                "speaker_mention": speaker.mention,
                "cue": cue.surface if cue else "",
                "paragraph": item.paragraph,
                "start_char": item.start,
                "end_char": item.end,
                "text": article.text[item.start : item.end],
                "cue_lemma": cue.lemma if cue else "",
                "sentence": sent_of[token_i] if sent_of else 0,
                "speaker_start_char": speaker.start,
                "speaker_end_char": speaker.end,
                "time_anchor": cue.time_anchor if cue else "",
                "route": speaker.route,
                "confidence": speaker.confidence,
                "speaker_affiliation": speaker.affiliation,
                "speaker_label": speaker.label if speaker.name != "UNKNOWN" else "",
            }
        )
    return frame([tuple(row[c] for c in QUOTE_COLUMNS) for row in rows], QUOTE_SCHEMA)
