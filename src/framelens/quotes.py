"""Direct and indirect quotes with speakers, cues and time anchors; the quote timeline and share of voice."""
from __future__ import annotations

import bisect
import functools
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pandas as pd

from .article import WORD_RE
from .config import BODY_ROLES, RESOURCES_DIR
from .entities import clean_name, demonyms, titles

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .article import Article, Paragraph

log = logging.getLogger(__name__)

QUOTE_CONTRACT = ["quote_id", "kind", "speaker", "speaker_mention", "cue", "paragraph", "start_char", "end_char", "text"]
QUOTE_COLUMNS = QUOTE_CONTRACT + ["cue_lemma", "sentence", "speaker_start_char", "speaker_end_char", "time_anchor"]
TIMELINE_COLUMNS = ["quote_id", "speaker", "kind", "paragraph", "position", "words", "time_anchor", "text"]
VOICE_COLUMNS = ["speaker", "quotes", "words", "direct", "indirect", "share_words", "first_position", "last_position"]
UNKNOWN = "UNKNOWN"

# A quote paragraph with no attribution continues the previous speaker only if at most this many
# body paragraphs without quotes lie between them.
MAX_FLOAT_GAP = 2

# Quote marks. Double marks (straight or curly) form one family, single marks another, so a
# quote opened with one family ignores the other family's marks (nested quotes, apostrophes).
DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
QUOTE_CHARS = "\"'“”‘’„«»"
CLOSING_PUNCT = ",?!—–-…"
TERMINALS = ".!?…"
CLAUSAL_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj", "csubjpass"}
RELATIVE_PRONOUNS = {"who", "which", "that"}
SPEAKER_MENTION_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}  # mention labels a speaker span may carry
_TURN_RE = re.compile(r"([^\W\d_][^:\n]{0,60}?)[ \t]*:[ \t]+(?=\S)")
_FUNCTION_WORDS = frozenset("a an the and or but nor of in on at to for with by from as vs via into over about is are".split())


# --- lexicons -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CueLexicon:
    """Word lists from ``resources/quote_cues.yaml`` (see the comments there)."""

    speech_verbs: frozenset[str]
    weak_verbs: frozenset[str]
    direct_only_verbs: frozenset[str]
    phrasal_verbs: dict[str, frozenset[str]]
    content_nouns: frozenset[str]
    restating_verbs: frozenset[str]
    temporal_prepositions: frozenset[str]
    date_prepositions: frozenset[str]
    temporal_adverbs: frozenset[str]
    title_cues: frozenset[str]
    transcript_roles: dict[str, str]
    organisation_nouns: frozenset[str]
    document_nouns: frozenset[str]
    anonymous_nouns: frozenset[str]
    male_honorifics: frozenset[str]
    female_honorifics: frozenset[str]
    indefinite_determiners: frozenset[str]


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    """The quote lexicons, loaded once from ``resources/quote_cues.yaml``."""
    import yaml

    data = yaml.safe_load((RESOURCES_DIR / "quote_cues.yaml").read_text(encoding="utf-8"))
    values: dict[str, Any] = {}
    for name, kind in CueLexicon.__annotations__.items():
        raw = data[name]
        if name == "phrasal_verbs":
            values[name] = {str(k): frozenset(str(p) for p in v) for k, v in raw.items()}
        elif name == "transcript_roles":
            values[name] = {str(k).lower(): str(v) for k, v in raw.items()}
        else:
            values[name] = frozenset(str(w).lower() for w in raw)
    return CueLexicon(**values)


# --- quote marks ----------------------------------------------------------------------------


@dataclass
class MarkedSpan:
    """Text between quote marks in one paragraph; ``start``/``end`` exclude the marks.

    ``close_char`` is None when the quote runs to the end of its paragraph unclosed
    (the multi-paragraph convention, or an unbalanced mark).
    """

    open_char: int
    start: int
    end: int
    close_char: int | None
    mark: str
    paragraph: int = -1

    @property
    def outer_end(self) -> int:
        """End of the span including its closing mark."""
        return self.close_char + 1 if self.close_char is not None else self.end


def find_quote_marks(text: str, start: int = 0, end: int | None = None, *, warn: bool = True) -> list[MarkedSpan]:
    """Quoted spans in ``text[start:end]`` (one paragraph), as absolute offsets into ``text``.

    Straight and curly double quotes and curly single quotes (UK style) are recognised; ’ is a
    closing mark only when it is not between two letters (don’t, council’s); a word-final ’ after
    "s" (Residents’ Association) closes a quote only if no better closing mark follows. A straight
    single quote counts only when it is paired. Never raises; unbalanced marks are logged.
    """
    end = len(text) if end is None else end
    spans: list[MarkedSpan] = []
    state: tuple[str, int] | None = None  # (family, index of the opening mark)
    for i in range(start, end):
        ch = text[i]
        if ch not in QUOTE_CHARS:
            continue
        family = "d" if ch in '"' + DOUBLE_OPEN + DOUBLE_CLOSE else "s"
        if state is None:
            if _opens(text, i, start, end):
                state = (family, i)
            elif ch in '"' + DOUBLE_CLOSE and warn:
                log.warning("stray closing quote mark at char %d ignored", i)
            continue
        if family != state[0]:
            continue  # a mark of the other family inside a quote: nested quote or apostrophe
        if ch in DOUBLE_OPEN or ch == "‘":
            if warn:
                log.warning("quote opened at char %d not closed before the next opening mark", state[1])
            _add_span(spans, text, state[1], i, None)
            state = (family, i)
        elif ch == '"' or ch in DOUBLE_CLOSE or _closes_single(text, i, start, end):
            _add_span(spans, text, state[1], i, i)
            state = None
    if state is not None and text[state[1]] != "'":
        _add_span(spans, text, state[1], end, None)
    return spans


def _opens(text: str, i: int, lo: int, hi: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < hi else " "
    if nxt.isspace():
        return False
    if ch in DOUBLE_OPEN or ch in "\"‘":
        return True
    if ch == "'":
        prev = text[i - 1] if i > lo else " "
        if (prev.isspace() or prev in "([{—–-\"“") and nxt.isalpha():
            return any(text[j] == "'" and _closes_single(text, j, lo, hi) for j in range(i + 2, hi))
    return False


def _closes_single(text: str, i: int, lo: int, hi: int) -> bool:
    """Whether the ’ or ' at ``i`` closes a single-quoted span (rather than being an apostrophe)."""
    if text[i] not in "’'":
        return False
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev.isspace() or (prev.isalnum() and nxt.isalpha()):
        return False
    if prev in "sS" and nxt.isspace() and i + 2 < hi and text[i + 2].isalpha():
        # plural possessive or closing mark: close only if no better candidate follows
        for j in range(i + 1, hi):
            if text[j] == "‘":
                break
            if text[j] == text[i] and _strong_close(text, j, lo, hi):
                return False
    return True


def _strong_close(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev.isspace() or (prev.isalnum() and nxt.isalpha()):
        return False
    return not (prev in "sS" and nxt.isspace())


def _add_span(spans: list[MarkedSpan], text: str, open_char: int, end: int, close_char: int | None) -> None:
    start = open_char + 1
    while start < end and text[start].isspace():
        start += 1
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop > start:
        spans.append(MarkedSpan(open_char, start, stop, close_char, text[open_char]))


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: ``name`` as reported, the words naming it and their offsets (-1 if none)."""

    name: str = UNKNOWN
    mention: str = ""
    start: int = -1
    end: int = -1
    label: str = ""


@dataclass
class Cue:
    """A reporting cue: its head token, surface form, lemma and the time expression attached to it."""

    token: "Token"
    surface: str
    lemma: str
    time_anchor: str = ""


@dataclass
class _Item:
    kind: str  # direct | indirect | intro (an "X said:" paragraph: sets the next speaker, no row)
    paragraph: int
    start: int
    end: int
    cue: Cue | None = None
    origin: str = "own"  # own | sibling | floating | turn | intro
    fixed: Speaker | None = None
    source: "_Item | None" = None
    speaker: Speaker | None = None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    canonical: str
    label: str


@dataclass(frozen=True)
class _Event:
    pos: int
    names: tuple[str, ...]
    label: str
    head: str = ""


# --- extraction -----------------------------------------------------------------------------


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
        ``tokens.sentence_table``), speaker_start_char / speaker_end_char (-1 if none) and
        time_anchor (the time expression attached to the cue, else "").
    """
    items = _Extractor(doc, article, mentions, tuple(roles)).run()
    return _to_frame(items, doc, article)


class _Extractor:
    """One extraction run over one article; holds the lookups the rules share."""

    def __init__(self, doc: "Doc", article: "Article", mentions: pd.DataFrame | None, roles: tuple[str, ...]):
        self.doc, self.article, self.text = doc, article, article.text
        self.lex = cue_lexicon()
        self.paragraphs = article.paragraphs_with_role(roles)
        self.body = {p.index for p in self.paragraphs}
        self.starts = [t.idx for t in doc]
        self.paragraph_starts = [p.start_char for p in article.paragraphs]
        self.mentions = _mention_records(mentions)
        self.turns: list[_Item] = []
        self.marked: list[MarkedSpan] = []
        self.masks: list[tuple[int, int]] = []
        self.events: list[_Event] = []
        self.descriptors: dict[str, list[tuple[int, set[str]]]] = {}
        self.gender: dict[str, str] = {}
        self.resolved: dict[int, Speaker] = {}

    # -- driver --

    def run(self) -> list[_Item]:
        self._find_turns_and_marks()
        self._profile_mentions()
        self._subject_events()
        indirect = self._indirect_items()
        direct = self._direct_items(indirect)
        items = sorted(self.turns + indirect + direct + self._intro_items(), key=lambda i: (i.start, i.end))
        return self._resolve(items)

    # -- token helpers --

    def _tokens(self, start: int, end: int) -> list["Token"]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [t for t in self.doc[lo:hi] if not t.is_space]

    def _masked(self, char: int) -> bool:
        return any(a <= char < b for a, b in self.masks)

    def _mention_at(self, token: "Token") -> _Mention | None:
        hits = [m for m in self.mentions if m.start <= token.idx < m.end]
        return max(hits, key=lambda m: m.label == "PERSON", default=None)

    def _paragraph(self, index: int) -> "Paragraph":
        return self.article.paragraphs[index]

    # -- quote marks and transcript turns --

    def _find_turns_and_marks(self) -> None:
        for p in self.paragraphs:
            turn = self._transcript_turn(p)
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

    def _transcript_turn(self, p: "Paragraph") -> _Item | None:
        """'Name: text' at the start of a paragraph, Name a person or a role such as Reporter or Q."""
        match = _TURN_RE.match(p.text)
        if not match or len(match.group(1).split()) > 6 or not match.group(1)[0].isupper():
            return None
        rest = p.start_char + match.end()
        if self.text[rest] in QUOTE_CHARS:
            return None
        label_start = p.start_char + match.start(1)
        speaker = self._turn_speaker(match.group(1).strip(), label_start)
        if speaker is None:
            return None
        end = p.end_char
        while end > rest and self.text[end - 1].isspace():
            end -= 1
        return _Item("direct", p.index, rest, end, origin="turn", fixed=speaker)

    def _turn_speaker(self, label: str, start: int) -> Speaker | None:
        """Who a transcript label names: a role, a tagged person, or title + name; None if not a speaker."""
        end = start + len(label)
        role = self.lex.transcript_roles.get(label.lower().rstrip("."))
        if role is not None:
            return Speaker(role, label, start, end, "UNNAMED")
        overlapping = [m for m in self.mentions if m.start < end and start < m.end and m.label == "PERSON"]
        if overlapping and sum(min(end, m.end) - max(start, m.start) for m in overlapping) >= len(label) / 2:
            return Speaker(overlapping[0].canonical, label, start, end, "PERSON")
        words = label.split()
        if len(words) >= 2 and words[0].lower().rstrip(".") in titles() and all(w[0].isupper() for w in words):
            name = clean_name(label, "PERSON")
            return Speaker(self._known_name(name) or name, label, start, end, "PERSON")
        return None

    # -- who is who: mention profiles and salient subjects --

    def _profile_mentions(self) -> None:
        """Descriptor words (titles, nationality, appositives) and honorific gender of body mentions."""
        for m in self.mentions:
            if self._paragraph_of(m.start) not in self.body:
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            words = self._descriptor_words(span.root, exclude=set(m.canonical.lower().split()))
            self.descriptors.setdefault(m.canonical, []).append((m.start, words))
            before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
            for word in (before, span[0].lower_.rstrip(".")):
                if word in self.lex.male_honorifics:
                    self.gender.setdefault(m.canonical, "m")
                elif word in self.lex.female_honorifics:
                    self.gender.setdefault(m.canonical, "f")

    def _descriptor_words(self, head: "Token", *, exclude: set[str]) -> set[str]:
        """Lower-case words that describe ``head``: its premodifiers, title and appositive."""
        tokens = list(self.doc[head.left_edge.i : head.i + 1])
        for child in head.children:
            if child.dep_ == "appos":
                tokens.extend(child.subtree)
        if head.dep_ == "appos":  # "the governor's spokeswoman, Kate Lin"
            tokens.extend(self.doc[head.head.left_edge.i : head.head.i + 1])
        words = set()
        for t in tokens:
            word = t.lower_.rstrip(".")
            if t.is_alpha and word not in exclude:
                words.add(word)
                words.add(str(demonyms().get(word, word)).lower())
        return words

    def _paragraph_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.paragraph_starts, char) - 1)

    def _subject_events(self) -> None:
        """Named main-clause subjects of body sentences: the salient actors pronouns can refer to."""
        turn_pars = {t.paragraph for t in self.turns}
        for sent in self.doc.sents:
            if self._paragraph_of(sent.start_char) not in self.body - turn_pars:
                continue
            root = sent.root
            verbs = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
            for verb in verbs:
                for subj in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
                    self._add_subject_event(subj)

    def _add_subject_event(self, subj: "Token") -> None:
        if self._masked(subj.idx):
            return
        named = []
        for head in [subj, *subj.conjuncts]:
            mention = self._mention_at(head)
            if mention is not None and mention.label in SPEAKER_MENTION_LABELS - {"NORP"}:
                named.append((mention.canonical, mention.label))
            elif mention is None and head.pos_ == "PROPN":
                speaker = self._proper_name(head, *self._core_span(head))
                named.append((speaker.name, speaker.label))
        if named:
            names = tuple(dict.fromkeys(name for name, _ in named))
            label = named[0][1] if len(names) == 1 else "GROUP"
            self.events.append(_Event(subj.idx, names, label))

    # -- cues --

    def _cue(self, token: "Token", *, direct: bool) -> Cue | None:
        """The reporting cue headed by ``token``, or None."""
        if token.lower_ == "according":
            return self._according_cue(token)
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "compound"):
            return None
        lemma = token.lemma_.lower()
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

    def _subject_heads(self, cue: "Token", depth: int = 0) -> list["Token"]:
        """Subject head tokens of a cue (conjuncts included): "X said", "said X", "according to X"."""
        if cue.lower_ == "according":
            to = next((c for c in cue.children if c.lower_ == "to"), None)
            heads = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
        else:
            heads = [c for c in cue.children if c.dep_ == "nsubj"]
        if len(heads) > 1:
            heads = [min(heads, key=lambda h: abs(h.i - cue.i))]
        if not heads and cue.dep_ in ("conj", "advcl", "xcomp") and cue.head.i != cue.i and depth < 3:
            return self._subject_heads(cue.head, depth + 1)
        if not heads:
            return []
        head = heads[0]
        more = list(head.conjuncts)
        for appos in (c for c in head.children if c.dep_ == "appos"):
            more.extend(c for c in appos.conjuncts if c.pos_ == "PROPN")
        return [head] + sorted(set(more) - {head}, key=lambda t: t.i)

    # -- indirect quotes --

    def _indirect_items(self) -> list[_Item]:
        turn_pars = {t.paragraph for t in self.turns}
        items = []
        for p in self.paragraphs:
            if p.index in turn_pars:
                continue
            for token in self._tokens(p.start_char, p.end_char):
                if self._masked(token.idx):
                    continue
                found = self._reported_content(token)
                if found is not None and not self._is_direct_content(*found[1]):
                    cue, (start, end) = found
                    items.append(_Item("indirect", p.index, start, end, cue=cue))
        return [i for i in items if not any(o is not i and o.start <= i.cue.token.idx < o.end for o in items)]

    def _is_direct_content(self, start: int, end: int) -> bool:
        """Whether a content clause is itself a quoted span (then the verb attributes a direct quote)."""
        for s in self.marked:
            if s.open_char <= start < s.outer_end:
                return min(end, s.end) - max(start, s.start) >= 0.5 * (end - start)
        return False

    def _reported_content(self, token: "Token") -> tuple[Cue, tuple[int, int]] | None:
        cue = self._cue(token, direct=False)
        if cue is None or self._passive_participle(token):
            return None
        if cue.lemma in self.lex.weak_verbs and not self._can_speak(self._subject_heads(token)):
            return None
        if cue.lemma == "according to":
            span = self._according_content(token)
        else:
            heads = self._content_heads(token)
            span = self._clause_span([t for h in heads for t in h.subtree]) if heads else None
        return (cue, span) if span else None

    def _can_speak(self, heads: list["Token"]) -> bool:
        """Whether a subject can utter something: a name, a pronoun, a person, organisation or document."""
        if not heads:
            return False
        head = heads[0]
        lemma = head.lemma_.lower()
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
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
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
        return [clause for noun in nouns for clause in noun.children if clause.dep_ in ("acl", "ccomp", "relcl") and _that_clause(clause)]

    def _according_content(self, token: "Token") -> tuple[int, int] | None:
        head = token.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        if head.i == token.i:
            return None
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
        return ordered[0].idx, ordered[-1].idx + len(ordered[-1].text)

    def _balanced_mark(self, tokens: list["Token"]) -> bool:
        text = self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        spans = find_quote_marks(text, warn=False)
        return bool(spans) and all(s.close_char is not None for s in spans)

    # -- direct quotes --

    def _direct_items(self, indirect: list[_Item]) -> list[_Item]:
        by_paragraph: dict[int, list[MarkedSpan]] = {}
        for span in self.marked:
            if not any(_overlap(span.start, span.end, i.start, i.end) >= 0.5 * (span.end - span.start) for i in indirect):
                by_paragraph.setdefault(span.paragraph, []).append(span)
            else:
                log.debug("quoted fragment at %d belongs to a reported-speech clause", span.start)
        items = []
        for index, spans in by_paragraph.items():
            items.extend(self._paragraph_quotes(self._paragraph(index), spans))
        return items

    def _paragraph_quotes(self, p: "Paragraph", spans: list[MarkedSpan]) -> list[_Item]:
        items = []
        for k, span in enumerate(spans):
            gap_lo = spans[k - 1].outer_end if k else p.start_char
            gap_hi = spans[k + 1].open_char if k + 1 < len(spans) else p.end_char
            cue = self._cue_after(span, gap_hi) or self._cue_before(gap_lo, span.open_char)
            if self._is_speech(span, cue, gap_lo, p):
                items.append(_Item("direct", p.index, span.start, span.end, cue=cue, origin="own" if cue else "floating"))
        for k, item in enumerate(items):
            if item.cue is None:
                earlier = [i for i in items[:k] if i.cue is not None]
                later = [i for i in items[k + 1 :] if i.cue is not None]
                source = earlier[-1] if earlier else (later[0] if later else None)
                if source is not None:
                    item.origin, item.source = "sibling", source
        return items

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
        for t in tokens:
            if t.is_punct or t.is_space or t.i in allowed:
                continue
            if t.head.i == cue.i and t.dep_ in ("advmod", "aux", "neg", "npadvmod", "prt", "nsubj"):
                continue
            return False
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
        if not words:
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

    def _title_like(self, words: list[str], span: MarkedSpan) -> bool:
        before = re.findall(r"[\w-]+", self.text[max(0, span.open_char - 30) : span.open_char].lower())
        if before and (before[-1] in self.lex.title_cues or before[-2:] == ["known", "as"]):
            return True
        content = [w for w in words if w[0].isalpha() and w.lower() not in _FUNCTION_WORDS]
        return len(content) >= 2 and all(w[0].isupper() for w in content)

    def _intro_items(self) -> list[_Item]:
        """Paragraphs that end "X said:" with the quote in the next paragraph."""
        quoted = {s.paragraph for s in self.marked} | {t.paragraph for t in self.turns}
        items = []
        for p in self.paragraphs:
            if p.index not in quoted and p.text.rstrip().endswith(":"):
                cue = self._cue_before(p.start_char, p.end_char)
                if cue is not None:
                    items.append(_Item("intro", p.index, cue.token.idx, cue.token.idx, cue=cue, origin="intro"))
        return items

    # -- speakers --

    def _resolve(self, items: list[_Item]) -> list[_Item]:
        last: Speaker | None = None
        last_paragraph = -1
        rows = []
        for item in items:
            if item.origin == "turn":
                item.speaker = item.fixed
            elif item.origin == "sibling":
                item.speaker, item.cue = self._speaker_for(item.source), item.source.cue
            elif item.cue is not None:
                item.speaker = self._speaker_for(item)
            else:
                close = last is not None and self._body_between(last_paragraph, item.paragraph) <= MAX_FLOAT_GAP
                item.speaker = last if close else self._previous_subject(item.paragraph)
            last = item.speaker
            last_paragraph = item.paragraph
            if item.kind != "intro":
                rows.append(item)
        return rows

    def _previous_subject(self, paragraph: int) -> Speaker:
        """For a quote nobody was speaking before: the named subject ending the previous body paragraph."""
        earlier = [i for i in self.body if i < paragraph]
        if not earlier:
            return Speaker()
        p = self._paragraph(max(earlier))
        events = [e for e in self.events if p.start_char <= e.pos < p.end_char]
        if not events:
            return Speaker()
        event = max(events, key=lambda e: e.pos)
        return Speaker(" + ".join(event.names), "", -1, -1, event.label)

    def _body_between(self, a: int, b: int) -> int:
        return sum(1 for i in self.body if a < i < b)

    def _speaker_for(self, item: _Item) -> Speaker:
        key = id(item)
        if key not in self.resolved:
            heads = self._subject_heads(item.cue.token)
            speaker = self._resolve_heads(heads) if heads else Speaker()
            self.resolved[key] = speaker
            if speaker.name != UNKNOWN:
                names = tuple(speaker.name.split(" + "))
                head = heads[0].lemma_.lower() if speaker.label == "UNNAMED" else ""
                self.events.append(_Event(item.cue.token.idx, names, speaker.label, head))
        return self.resolved[key]

    def _resolve_heads(self, heads: list["Token"]) -> Speaker:
        parts = [self._resolve_head(h) for h in heads]
        named = [s for s in parts if s.name != UNKNOWN] or parts[:1]
        names = list(dict.fromkeys(n for s in named for n in s.name.split(" + ")))
        start = min(s.start for s in parts)
        end = max(s.end for s in parts)
        label = named[0].label if len(names) == 1 else "GROUP"
        return Speaker(" + ".join(names), self.text[start:end], start, end, label)

    def _core_span(self, head: "Token") -> tuple[int, int]:
        tokens = list(self.doc[head.left_edge.i : head.i + 1])
        while len(tokens) > 1 and (tokens[0].dep_ in ("preconj", "cc", "punct") or tokens[0].is_space):
            tokens.pop(0)
        start, end = tokens[0].idx, head.idx + len(head.text)
        mention = self._mention_at(head)
        if mention is not None:
            start, end = min(start, mention.start), max(end, mention.end)
        return start, end

    def _resolve_head(self, head: "Token", depth: int = 0) -> Speaker:
        if head.lower_ in RELATIVE_PRONOUNS and head.dep_.startswith("nsubj") and depth == 0:
            antecedent = self._antecedent(head)
            if antecedent is not None:
                return self._resolve_head(antecedent, depth + 1)
        start, end = self._core_span(head)
        mention = self._mention_at(head)
        if mention is not None:
            return Speaker(mention.canonical, self.text[start:end], start, end, mention.label)
        if head.pos_ == "PRON":
            return self._resolve_pronoun(head)
        author = self._document_author(head)
        if author is not None and depth < 2:
            return self._resolve_head(author, depth + 1)
        named = self._named_appositive(head)
        if named is not None:
            return Speaker(named.canonical, self.text[start:end], start, end, named.label)
        if head.pos_ == "PROPN":
            return self._proper_name(head, start, end)
        return self._resolve_description(head, start, end)

    def _document_author(self, head: "Token") -> "Token | None":
        """"the ministry's statement", "a statement from the ministry": the author of a document noun."""
        if head.lemma_.lower() not in self.lex.document_nouns:
            return None
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ != "PRON":
                return child
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                return next((o for o in child.children if o.dep_ == "pobj"), None)
        return None

    def _named_appositive(self, head: "Token") -> _Mention | None:
        """"The council leader, Jane Doe, said": the name in an appositive of a description."""
        for appos in (c for c in head.children if c.dep_ == "appos"):
            mention = self._mention_at(appos)
            if mention is not None and mention.label in SPEAKER_MENTION_LABELS - {"NORP"}:
                return mention
        return None

    def _antecedent(self, pronoun: "Token") -> "Token | None":
        """The noun a relative pronoun subject refers to: the name just before it, else the clause head."""
        prev = pronoun.i - 1
        while prev >= 0 and (self.doc[prev].is_punct or self.doc[prev].is_space):
            prev -= 1
        if prev >= 0:
            token = self.doc[prev]
            mention = self._mention_at(token)
            if mention is not None or token.pos_ in ("PROPN", "NOUN"):
                return token
        clause = pronoun.head
        return clause.head if clause.dep_ == "relcl" else None

    def _resolve_pronoun(self, pronoun: "Token") -> Speaker:
        word = pronoun.lower_
        where = (pronoun.idx, pronoun.idx + len(pronoun.text))
        if word in ("he", "she", "him", "her"):
            gender = "m" if word in ("he", "him") else "f"
            found = self._recent_person(pronoun.idx, gender)
        elif word in ("they", "them"):
            found = self._recent_event(pronoun.idx, ("ORG", "GROUP", "GPE", "NORP"))
        elif word == "it":
            found = self._recent_event(pronoun.idx, ("ORG", "GPE", ""), organisations=True)
        else:
            found = None
        if found is None:
            return Speaker(UNKNOWN, pronoun.text, *where)
        return Speaker(found[0], pronoun.text, *where, found[1])

    def _recent_person(self, pos: int, gender: str) -> tuple[str, str] | None:
        ok = lambda name: self.gender.get(name, gender) == gender  # noqa: E731
        events = [e for e in self.events if e.pos < pos and e.label == "PERSON" and len(e.names) == 1 and ok(e.names[0])]
        if events:
            return max(events, key=lambda e: e.pos).names[0], "PERSON"
        people = [m for m in self.mentions if m.start < pos and m.label == "PERSON" and ok(m.canonical)]
        people = [m for m in people if self._paragraph_of(m.start) in self.body]
        return (max(people, key=lambda m: m.start).canonical, "PERSON") if people else None

    def _recent_event(self, pos: int, labels: tuple[str, ...], *, organisations: bool = False) -> tuple[str, str] | None:
        """Names and label of the latest salient actor with one of ``labels`` before ``pos``.

        With ``organisations``, an unnamed organisation ("the company") counts too.
        """
        events = [
            e for e in self.events
            if e.pos < pos and (e.label in labels or (organisations and e.label == "UNNAMED" and self._is_org_noun(e.head)))
        ]
        if not events:
            return None
        event = max(events, key=lambda e: e.pos)
        return " + ".join(event.names), event.label

    def _proper_name(self, head: "Token", start: int, end: int) -> Speaker:
        """A name NER did not tag: its cleaned surface form, or the known actor it names."""
        raw = self.text[start:end]
        name = clean_name(raw, "PERSON") or raw
        known = self._known_name(name)
        canonical = known or name
        first = raw.split()[0].lower().rstrip(".") if raw.split() else ""
        label = self._label_from_appositive(head) or ("ORG" if self._is_org_noun(head.lemma_.lower()) else "")
        if first in titles() or first in self.lex.male_honorifics | self.lex.female_honorifics:
            label = "PERSON"
            gender = "m" if first in self.lex.male_honorifics else "f" if first in self.lex.female_honorifics else ""
            if gender:
                self.gender.setdefault(canonical, gender)
        self.descriptors.setdefault(canonical, []).append((start, self._descriptor_words(head, exclude=set(name.lower().split()))))
        return Speaker(canonical, raw, start, end, label or self._known_label(canonical))

    def _label_from_appositive(self, head: "Token") -> str:
        """ORG or PERSON from an appositive's head noun ("X, a technology start-up,"), else ""."""
        for appos in (c for c in head.children if c.dep_ == "appos"):
            words = self.text[appos.left_edge.idx : appos.idx + len(appos.text)].lower().split()
            return "ORG" if words and self._is_org_noun(words[-1]) else "PERSON"
        return ""

    def _is_org_noun(self, word: str) -> bool:
        return word in self.lex.organisation_nouns or word.replace("-", "") in self.lex.organisation_nouns

    def _known_name(self, name: str) -> str | None:
        """The canonical actor ``name`` refers to (same name, or a person's surname), if any."""
        key = name.casefold()
        for m in self.mentions:
            if m.canonical.casefold() == key:
                return m.canonical
        people = {m.canonical for m in self.mentions if m.label == "PERSON"}
        last = key.split()[-1] if key.split() else ""
        matches = [p for p in people if p.casefold().split()[-1] == last]
        return matches[0] if len(matches) == 1 else None

    def _known_label(self, canonical: str) -> str:
        return next((m.label for m in self.mentions if m.canonical == canonical), "")

    # -- descriptions --

    def _resolve_description(self, head: "Token", start: int, end: int) -> Speaker:
        """"the Russian president", "the company", "a senior official": resolved or kept as described."""
        raw = self.text[start:end]
        described = raw[:1].lower() + raw[1:]
        det = next((c for c in head.children if c.dep_ in ("det", "nummod", "poss") and c.i < head.i), None)
        lemma = head.lemma_.lower()
        unnamed = Speaker(described, raw, start, end, "UNNAMED")
        if det is None or det.lower_ in self.lex.indefinite_determiners or det.dep_ == "poss" or det.tag_ == "NNS":
            return unnamed
        if det.lower_ not in ("the", "this", "that"):
            return unnamed
        mods = self._modifier_words(head)
        if self._is_org_noun(lemma):
            found = self._organisation_by_description(lemma, mods, start)
        else:
            found = self._person_by_description(lemma, mods, start)
        if found is None:
            return unnamed
        return Speaker(found[0], raw, start, end, found[1])

    def _modifier_words(self, head: "Token") -> set[str]:
        words = set()
        for child in head.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.is_alpha:
                word = child.lower_
                words |= {word, str(demonyms().get(word, word)).lower()}
        return words

    def _person_by_description(self, lemma: str, mods: set[str], pos: int) -> tuple[str, str] | None:
        unnamed = [e for e in self.events if e.pos < pos and e.label == "UNNAMED" and (e.head == lemma or lemma in self.lex.anonymous_nouns)]
        unnamed_last = max(unnamed, key=lambda e: e.pos, default=None)
        best = self._best_person(lemma, mods, pos)
        if unnamed_last is not None and (best is None or best[1] < 2 or unnamed_last.pos > best[2]):
            return unnamed_last.names[0], "UNNAMED"
        if best is None or (best[1] < 2 and lemma in self.lex.anonymous_nouns):
            return None
        return best[0], "PERSON"

    def _best_person(self, lemma: str, mods: set[str], pos: int) -> tuple[str, int, int] | None:
        """(canonical, score, last position) of the person a description fits best before ``pos``."""
        candidates = []
        people = {m.canonical for m in self.mentions if m.label == "PERSON"} | {e.names[0] for e in self.events if e.label == "PERSON" and len(e.names) == 1}
        for name in people:
            described = [(p, w) for p, w in self.descriptors.get(name, []) if p < pos]
            seen = [p for p, _ in described] + [e.pos for e in self.events if e.names == (name,) and e.pos < pos]
            if not seen:
                continue
            words = set().union(*(w for _, w in described))
            score = 2 * (lemma in words) + len(mods & words)
            candidates.append((name, score, max(seen)))
        return max(candidates, key=lambda c: (c[1], c[2]), default=None)

    def _organisation_by_description(self, lemma: str, mods: set[str], pos: int) -> tuple[str, str] | None:
        labels = ("ORG", "") + (("GPE",) if lemma in ("country", "nation", "state", "government", "city", "capital", "region") else ())
        candidates = []
        for e in self.events:
            if e.pos < pos and e.label in labels and len(e.names) == 1:
                candidates.append((e.names[0], e.label, True, e.pos))
        for m in self.mentions:
            if m.start < pos and m.label in labels and self._paragraph_of(m.start) in self.body:
                candidates.append((m.canonical, m.label, False, m.start))
        if not candidates:
            return None

        def score(c: tuple[str, str, bool, int]) -> tuple[int, bool, int]:
            words = set(re.findall(r"[\w-]+", c[0].lower()))
            for p, described in self.descriptors.get(c[0], []):
                if p < pos:
                    words |= described
            return 2 * (lemma in words) + len(mods & words), c[2], c[3]

        best = max(candidates, key=score)
        return best[0], best[1] or "ORG"


def _that_clause(clause: "Token") -> bool:
    """Whether a clause is introduced by the complementiser "that" (not the relative pronoun)."""
    return any(t.dep_ == "mark" and t.lower_ == "that" for t in clause.children)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _mention_records(mentions: pd.DataFrame | None) -> list[_Mention]:
    """Mention spans with canonical names; a name NER mislabelled but led by an honorific is a person."""
    if mentions is None or len(mentions) == 0:
        return []
    lex = cue_lexicon()
    honorifics = lex.male_honorifics | lex.female_honorifics | {"dr", "prof", "professor"}
    records = []
    for r in mentions.itertuples(index=False):
        canonical, label = str(r.canonical), str(r.label)
        words = str(r.text).split()
        if label != "PERSON" and len(words) > 1 and words[0].lower().rstrip(".") in honorifics:
            canonical, label = clean_name(str(r.text), "PERSON"), "PERSON"
        records.append(_Mention(int(r.start_char), int(r.end_char), canonical, label))
    return sorted(records, key=lambda m: m.start)


def _to_frame(items: list[_Item], doc: "Doc", article: "Article") -> pd.DataFrame:
    from .tokens import sentence_ids

    sent_of = sentence_ids(doc)
    starts = [t.idx for t in doc]
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
            }
        )
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


# --- timeline and share of voice --------------------------------------------------------------


def body_position(article: "Article", char: int, *, roles: Sequence[str] = BODY_ROLES) -> float:
    """Position (0-1) of ``char`` in the article's text counted over the paragraphs with ``roles``.

    Other paragraphs (captions, related links) take no room, so 0.5 is the middle of the story
    itself. Offsets outside those paragraphs fall back to ``char / len(article.text)``.
    """
    paragraphs = article.paragraphs_with_role(tuple(roles))
    total = sum(p.end_char - p.start_char for p in paragraphs)
    done = 0
    for p in paragraphs:
        if p.start_char <= char < p.end_char and total:
            return (done + char - p.start_char) / total
        done += p.end_char - p.start_char
    return char / max(len(article.text), 1)


def quote_timeline(quotes: pd.DataFrame, article: "Article", *, roles: Sequence[str] = BODY_ROLES) -> pd.DataFrame:
    """The quotes in text order with where they fall in the story.

    Returns:
        DataFrame with columns ``TIMELINE_COLUMNS``: quote_id, speaker, kind, paragraph, position
        (0-1, the quote's start measured over the body text, see ``body_position``), words,
        time_anchor, text.
    """
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    table = quotes.sort_values("start_char").copy()
    table["position"] = [body_position(article, int(c), roles=roles) for c in table["start_char"]]
    table["words"] = table["text"].map(_word_count)
    if "time_anchor" not in table:
        table["time_anchor"] = ""
    return table[TIMELINE_COLUMNS].reset_index(drop=True)


def share_of_voice(quotes: pd.DataFrame, *, article: "Article | None" = None) -> pd.DataFrame:
    """Who speaks, and how much: one row per speaker string (a joint "A + B" speaker is its own row).

    Positions come from a ``position`` column if ``quotes`` has one (a ``quote_timeline``), else
    from ``article`` (``body_position``), else ``start_char`` over the last quote's ``end_char``.

    Returns:
        DataFrame with columns ``VOICE_COLUMNS``: speaker, quotes, words, direct, indirect,
        share_words (0-1 share of all quoted words), first_position, last_position; sorted by words,
        most first.
    """
    if quotes is None or quotes.empty:
        return pd.DataFrame(columns=VOICE_COLUMNS)
    table = quotes.copy()
    if "position" not in table:
        if article is not None:
            table["position"] = [body_position(article, int(c)) for c in table["start_char"]]
        else:
            table["position"] = table["start_char"] / max(int(table["end_char"].max()), 1)
    table["words"] = table["text"].map(_word_count)
    grouped = table.groupby("speaker", sort=False).agg(
        quotes=("text", "size"),
        words=("words", "sum"),
        direct=("kind", lambda k: int((k == "direct").sum())),
        indirect=("kind", lambda k: int((k == "indirect").sum())),
        first_position=("position", "min"),
        last_position=("position", "max"),
    )
    total = grouped["words"].sum()
    grouped["share_words"] = grouped["words"] / total if total else 0.0
    grouped = grouped.reset_index().sort_values(["words", "quotes", "first_position"], ascending=[False, False, True])
    return grouped[VOICE_COLUMNS].reset_index(drop=True)


def _word_count(text: str) -> int:
    return len(WORD_RE.findall(str(text)))
