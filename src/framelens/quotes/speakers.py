"""Speaker resolution: who speaks each quote (names, pronouns, transcript labels, quotes with no cue).

The subject of a cue is found in ``cue_subjects``, descriptions ("the company") are resolved in
``descriptions``, and the word lists they share are in ``vocabulary``; ``_SpeakerResolver`` mixes
them in and is itself mixed into ``extract._Extractor``.
"""
from __future__ import annotations

import bisect
import functools
import heapq
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator

import pandas as pd

from ..entities import PEERAGE, clean_name, institution_countries, titles
from ..rows import table_rows
from .cue_subjects import _CueSubjects
from .descriptions import _Descriptions
from .lexicon import cue_lexicon
from .marks import QUOTE_CHARS
from .records import CONFIDENCE_ORDER, UNKNOWN, Speaker, _Event, _Item, _LatestByKey, _Mention, _MentionNames, fitting_at_latest, lower_confidence
from .vocabulary import (
    RELATIVE_PRONOUNS, REFLEXIVE_PRONOUNS, SPEAKER_MENTION_LABELS, STREET_WORDS, _AGENT_SUFFIXES, _LEAVING_VERBS, _PLACE_NOUNS, _QUESTION_VERBS, _WORK_NOUNS,
    _describing_words, _describing_words_of, _nationality_noun, _origins, _personal_name, _same_office,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

# A quote paragraph with no attribution continues the previous speaker only if at most this many
# body paragraphs without quotes lie between them.
MAX_FLOAT_GAP = 2


_FRONTED_VERBS = ("Said", "Says", "Added", "Adds")
_OTHER_DOCUMENT = frozenset({"separate", "another", "other", "second", "different", "earlier", "previous"})


class _SpeakerResolver(_CueSubjects, _Descriptions):
    """The speaker rules of ``extract._Extractor``, which mixes this class in.

    The methods share the extractor's state: ``doc``, ``text``, ``lex``, ``body`` (indices of the
    searched paragraphs), ``paragraph_starts``, ``turns``, ``mentions`` (``_mention_records``) and
    ``mentions_at`` (the same, by the characters they cover), and
    the lookups filled while reading the article: ``events`` (salient subjects, in text order),
    ``descriptors`` (words describing each actor), ``gender`` (from honorifics) and ``resolved``
    (speaker per quote item). The only extractor methods they call are ``_masked`` and ``_paragraph``.
    """

    # -- who is who: mention profiles and salient subjects --

    def _mention_at(self, token: "Token") -> _Mention | None:
        hits = self.mentions_at.at(token.idx)
        return max(hits, key=lambda m: m.label == "PERSON", default=None)

    def _profile_mentions(self) -> None:
        """Descriptor words (titles, nationality, appositives) and honorific gender of body mentions."""
        for m in self.mentions:
            if self._paragraph_of(m.start) not in self.body:
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            words = self._descriptor_words(span.root, exclude=set(m.canonical.lower().split()))
            words |= self._office_served_as(span.root)
            self.descriptors.add(m.canonical, m.start, words)
            before = self.doc[span.start - 1].lower_ if span.start > 0 else ""
            for word in (before, span[0].lower_.rstrip(".")):
                if word in self.lex.male_honorifics:
                    self.gender.setdefault(m.canonical, "m")
                elif word in self.lex.female_honorifics:
                    self.gender.setdefault(m.canonical, "f")

    def _office_served_as(self, subject: "Token") -> set[str]:
        """"X quit as home secretary", "X, who served as finance minister": the office a subject's
        verb names with "as" (and "former" when the verb says they left it)."""
        if not subject.dep_.startswith("nsubj"):
            return set()
        verb = subject.head
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
            office = next((o for o in prep.children if o.dep_ == "pobj" and o.lower_ in titles()), None)
            if office is not None:
                words = set().union(*(_describing_words(t) for t in office.subtree))
                return words | ({"former"} if verb.lemma_.lower() in _LEAVING_VERBS else set())
        return set()

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
            if t.lower_.rstrip(".") not in exclude:
                words |= _describing_words(t)
        return words

    def _paragraph_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.paragraph_starts, char) - 1)

    def _subject_events(self) -> None:
        """Named main-clause subjects of body sentences: the salient actors pronouns can refer to."""
        searched = self.body - {t.paragraph for t in self.turns}
        for sent in self.doc.sents:
            if self._paragraph_of(sent.start_char) not in searched:
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
            elif mention is None and head.lemma_.lower() not in _WORK_NOUNS and (appositive := self._named_appositive(head)) is not None:
                named.append((appositive.canonical, appositive.label))  # "her coach Ivo Stanek"
        if named:
            names = tuple(dict.fromkeys(name for name, _ in named))
            label = named[0][1] if len(names) == 1 else "GROUP"
            self.events.append(_Event(subj.idx, names, label))
        elif self._is_person_noun(subj) and not subj.conjuncts and subj.tag_ not in ("NNS", "NNPS"):
            # "Valdoria's ambassador expressed regret ... in which he said": an unnamed person is salient too
            start, end = self._core_span(subj)
            described = self._resolve_description(subj, start, end)
            if described.label == "UNNAMED":
                self.events.append(_Event(subj.idx, (described.name,), "UNNAMED", subj.lemma_.lower()))
            elif described.label == "PERSON":
                self.events.append(_Event(subj.idx, (described.name,), "PERSON"))  # "The prime minister toured ... He said"

    def _is_person_noun(self, token: "Token") -> bool:
        lemma = token.lemma_.lower()
        return token.pos_ == "NOUN" and (
            lemma in titles() or lemma in self.lex.anonymous_nouns or lemma in self.lex.male_nouns or lemma in self.lex.female_nouns
        )


    # -- transcript labels --

    def _turn_speaker(self, label: str, start: int, *, in_transcript: bool = False) -> Speaker | None:
        """Who a transcript label names: a role, a tagged person, or title + name; None if not a speaker.

        With ``in_transcript`` (other turns were found in the article) a capitalised name NER
        missed counts too. A label with a link-line word ("Jane Doe Analysis:") is never a turn.
        """
        end = start + len(label)
        if any(w.lower() in self.lex.link_words for w in label.split()):
            return None
        role = self.lex.transcript_roles.get(label.lower().rstrip("."))
        if role is not None:
            return Speaker(role, label, start, end, "UNNAMED", route="transcript")
        overlapping = [m for m in self.mentions if m.start < end and start < m.end and m.label == "PERSON"]
        if overlapping and sum(min(end, m.end) - max(start, m.start) for m in overlapping) >= len(label) / 2:
            # "Name Surname Analysis: ..." is a link line, not a turn: the label is the name (and titles) only
            rest = self.text[start : overlapping[0].start] + " " + self.text[overlapping[-1].end : end]
            if all(w.lower().rstrip(".") in titles() for w in rest.split()):
                return Speaker(overlapping[0].canonical, label, start, end, "PERSON", route="transcript")
            return None
        words = label.split()
        if len(words) >= 2 and words[0].lower().rstrip(".") in titles() and all(w[0].isupper() for w in words):
            name = clean_name(label, "PERSON")
            return Speaker(self._known_name(name) or name, label, start, end, "PERSON", route="transcript")
        if in_transcript and 2 <= len(words) <= 4 and all(w[:1].isupper() and w.strip(".-'’").isalpha() for w in words):
            return Speaker(self._known_name(label) or label, label, start, end, "PERSON", route="transcript")
        return None


    # -- speakers --

    def _resolve(self, items: list[_Item]) -> list[_Item]:
        last: Speaker | None = None
        last_paragraph = -1
        rows = []
        asked: Speaker | None = None  # the person the quote before asked, who answers next
        for item in items:
            if item.origin == "turn":
                item.speaker = item.fixed
            elif item.origin == "sibling" and (agent := self._agent_before_colon(item)) is not None:
                item.speaker = agent  # 'X said: "A?" And ... the question posed by Y: "B?"' is Y's
            elif item.origin == "sibling":
                item.speaker, item.cue = self._speaker_for(item.source), item.source.cue
            elif item.cue is not None:
                item.speaker = self._speaker_for(item)
            else:
                gap = self._body_between(last_paragraph, item.paragraph) if last is not None else MAX_FLOAT_GAP + 1
                if gap == 0 and asked is not None:
                    item.speaker = asked  # 'When a pupil asked Y how ..., the answer: "..."' is Y's
                elif gap <= MAX_FLOAT_GAP and last is not None:
                    sure = last.confidence if gap == 0 and last.name != UNKNOWN else lower_confidence(last.confidence)
                    item.speaker = last.via("carried", confidence=min(sure, "medium", key=CONFIDENCE_ORDER.index))
                else:
                    item.speaker = self._previous_subject(item.paragraph)
                subject = (
                    self._fronted_said(item) or self._intro_subject(item) or self._subject_before(item, since=last_paragraph)
                    or self._introduced_before(item, last)
                )
                if subject is not None:
                    item.speaker = subject
                elif item.speaker.name == UNKNOWN:
                    item.speaker = self._spoken_by(item) or self._named_after(item) or item.speaker
            asked = self._person_asked(item)
            last = item.speaker
            last_paragraph = item.paragraph
            if item.kind != "intro":
                rows.append(item)
        self._link_named_later(rows)
        self._link_document_named_later(rows)
        self._link_lead_description(rows)
        return rows

    def _link_document_named_later(self, rows: list[_Item]) -> None:
        """"A new book says ..." then "A new book, Valdor Rising by Ivo Ranz, says ...": the document
        whose author is named at its next mention is that author's."""
        for item in rows:
            speaker = item.speaker
            if speaker is None or speaker.route != "unnamed" or speaker.start < 0:
                continue
            span = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
            lemma = span.root.lemma_.lower() if span is not None else ""
            if lemma not in self.lex.document_nouns:
                continue
            later = min((d for d in self.documents if d[0] > speaker.end and d[1] == lemma), default=None, key=lambda d: d[0])
            if later is None or later[2].label not in ("PERSON", "ORG") or self._another_one(later[0]):
                continue
            named = replace(later[2], mention=speaker.mention, start=speaker.start, end=speaker.end).via("named later")
            for row in rows:
                if row.speaker is not None and row.speaker.name == speaker.name and row.speaker.route == "unnamed":
                    row.speaker = named

    def _link_lead_description(self, rows: list[_Item]) -> None:
        """"A senior barrister who quit ... says ..." / "Ian Roe QC quit when ...": a news lead often
        describes its source and names them as the subject opening the next paragraph. A guess
        (low confidence), taken only when that person holds no other office in the text."""
        if len(self.body_in_order) < 2:
            return
        lead, second = self.body_in_order[0], self.body_in_order[1]
        described = {
            item.speaker.name for item in rows
            if item.paragraph == lead and item.speaker is not None and item.speaker.route == "unnamed"
            and self._one_person(item.speaker) and (
                item.speaker.mention.lower().startswith(("a ", "an "))
                or (item.speaker.mention.lower().startswith("the ") and item.speaker.name.split()[-1] in titles())
            )  # "the shadow chancellor said ... / Ivo Ranz said": an office no one held before the lead
        }
        if len(described) != 1:
            return
        name = self._opening_subject(second)
        if name is None or any(item.speaker is not None and item.speaker.name == name for item in rows if item.paragraph == lead):
            return
        description = next(iter(described)).lower().split()
        noun = description[-1]
        if self._offices(name) - {noun}:
            return  # "Chancellor Jane Roe" is not "a leading economist"
        if description[0] == "the" and self._offices(name) and not _same_office(set(description[1:-1]), self.descriptors.all_words(name)):
            return  # "the foreign secretary" is not "Home Secretary Ivo Ranz"
        for item in rows:
            if item.speaker is not None and item.speaker.name in described and item.speaker.label == "UNNAMED":
                item.speaker = replace(item.speaker, name=name, label="PERSON").via("named later", confidence="low")

    def _opening_subject(self, index: int) -> str | None:
        """The person named as the subject of a paragraph's first sentence, if any."""
        p = self._paragraph(index)
        tokens = self._tokens(p.start_char, p.end_char)
        if not tokens:
            return None
        root = tokens[0].sent.root
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        mention = self._mention_at(subject) if subject is not None else None
        return mention.canonical if mention is not None and mention.label == "PERSON" else None

    def _link_named_later(self, rows: list[_Item]) -> None:
        """"a spokesman stressed ..." then "ACME spokesman Dr Jane Doe said": one person.

        An unnamed speaker becomes the first person quoted after it whose own description has the
        same head noun (and no other nationality), unless another unnamed source with that noun
        speaks in between.
        """
        heads = {e.names[0]: e.head for e in self.events if e.label == "UNNAMED" and len(e.names) == 1 and e.head}
        relevant = _RowsByNoun(rows, heads, self.descriptors)
        for k, item in enumerate(rows):
            speaker = item.speaker
            if speaker is None or speaker.label != "UNNAMED" or speaker.name not in heads or speaker.route != "unnamed":
                continue
            noun = heads[speaker.name]
            if noun in self.lex.document_nouns or not self._one_person(speaker):  # "research suggests": no person
                continue  # "Analysts said", "the organisers", "Police": a group is not the person named later
            mine = _origins(_describing_words_of(speaker.mention))
            for later in relevant.after(noun, k):  # the rows the tests below can stop at, in order
                other = later.speaker
                if other is None or other.route not in ("named", "transcript") or other.label != "PERSON":
                    if other is not None and other.label == "UNNAMED" and heads.get(other.name) == noun and other.name != speaker.name:
                        break
                    continue
                words = self.descriptors.all_words(other.name)
                office = noun not in titles() or _same_office(set(speaker.mention.lower().split()), words)
                if noun in words and office and not (mine and _origins(words) and not mine & _origins(words)):
                    named = replace(other, mention=speaker.mention, start=speaker.start, end=speaker.end).via("named later")
                    for row in rows:
                        if row.speaker is not None and row.speaker.name == speaker.name and row.speaker.label == "UNNAMED":
                            row.speaker = named if row.speaker.route == "unnamed" else named.via(row.speaker.route, confidence="low")
                    break

    def _another_one(self, pos: int) -> bool:
        """"a separate survey", "another report": not the document mentioned before."""
        noun = self.doc[max(0, bisect.bisect_right(self.starts, pos) - 1)]
        return any(c.dep_ in ("amod", "det") and c.lower_ in _OTHER_DOCUMENT for c in noun.children)

    def _recent_group(self, pos: int) -> _Event | None:
        """The latest joint subject ("A and B ...") in this or the previous body paragraph."""
        group = self.events.latest_before(pos, lambda e: len(e.names) > 1, key="GROUP")
        if group is None:
            return None
        return group if self._body_between(self._paragraph_of(group.pos), self._paragraph_of(pos)) == 0 else None

    def _one_person(self, speaker: Speaker) -> bool:
        """Whether an unnamed speaker's description denotes a single person ("a spokesman", not "officials")."""
        if speaker.start < 0:
            return False
        span = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        head = span.root
        singular = head.tag_ == "NN" or (head.tag_ == "NNP" and head.text.islower())  # "the shadow chancellor" read as NNP
        return singular and head.lemma_.lower() not in self.lex.organisation_nouns

    def _subject_before(self, item: _Item, *, since: int) -> Speaker | None:
        """'X took a dig at Y: "..."': a quote with no cue after a sentence about X in its own paragraph.

        Only when that paragraph holds no earlier speaker (``since`` is the last speaker's paragraph).
        """
        if since == item.paragraph:
            return None
        p = self._paragraph(item.paragraph)
        subjects = [
            t for t in self._tokens(p.start_char, item.start)
            if t.dep_ == "nsubj" and not self._in_quote(t.idx) and not self._masked(t.idx)
        ]
        for subject in reversed(subjects):
            mention = self._mention_at(subject)
            if mention is not None and mention.label in ("PERSON", "ORG"):
                start, end = self._core_span(subject)
                return Speaker(mention.canonical, self.text[start:end], start, end, mention.label, route="previous subject", confidence="medium")
        return None

    def _words_before(self, item: _Item) -> list["Token"]:
        """The tokens of the quote's paragraph before it, quote marks aside."""
        return [t for t in self._tokens(self._paragraph(item.paragraph).start_char, item.start) if t.text not in QUOTE_CHARS]

    def _agent_before_colon(self, item: _Item) -> Speaker | None:
        """'... the question posed by nurse Ann Roe: "..."': a quote introduced by the agent of a
        participle right before the colon is that person's."""
        before = self._words_before(item)
        if len(before) < 3 or before[-1].text != ":":
            return None
        name = before[-2]
        if name.dep_ != "pobj" or name.head.dep_ != "agent" or name.head.head.tag_ != "VBN":
            return None
        mention = self._mention_at(name)
        if mention is None and name.pos_ == "PROPN":
            mention = self._untagged_name(name, "PERSON")
        if mention is None or mention.label != "PERSON" or " " not in mention.canonical:
            return None
        start, end = self._core_span(name)
        return Speaker(mention.canonical, self.text[start:end], start, end, "PERSON", route="named", confidence="medium")

    def _fronted_said(self, item: _Item) -> Speaker | None:
        """'Said team coach Ana Kolt: "..."': a sentence that opens with the speech verb and names its
        speaker before a colon right before the quote (the parser cuts "Said" off as a sentence)."""
        before = self._words_before(item)
        if len(before) < 3 or before[-1].text != ":":
            return None
        mention = self._mention_at(before[-2])
        if mention is None or mention.label != "PERSON" or mention.end != before[-2].idx + len(before[-2]):
            return None
        words = [t for t in before if mention.start > t.idx]
        # back over the description before the name ("team coach") to the verb opening the sentence
        while words and words[-1].text not in _FRONTED_VERBS and (words[-1].pos_ in ("PROPN", "NOUN", "ADJ") or words[-1].tag_ == "HYPH"):
            words.pop()
        if not words or words[-1].text not in _FRONTED_VERBS:
            return None
        if len(words) > 1 and words[-2].text not in (".", "!", "?"):
            return None  # the verb must open its sentence
        start, end = self._core_span(before[-2])
        return Speaker(mention.canonical, self.text[start:end], start, end, "PERSON", route="named")

    def _intro_subject(self, item: _Item) -> Speaker | None:
        """'She began her answer with a joke: "..."': a quote with no cue that ends a sentence of its
        own, introduced by a clause whose subject is a person or a personal pronoun, is that subject's."""
        before = self._words_before(item)
        if not before or before[-1].text != ":":  # only 'X began ...: "..."', the colon right before the quote
            return None
        root = before[-1].sent.root
        if root.idx >= item.start or root.pos_ not in ("VERB", "AUX"):
            return None
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subject is None or self._in_quote(subject.idx):
            return None
        if subject.lower_ in ("he", "she"):
            found = self._resolve_pronoun(subject)
            return found if found.name != UNKNOWN else None
        mention = self._mention_at(subject)
        if mention is not None and mention.label == "PERSON":
            start, end = self._core_span(subject)
            return Speaker(mention.canonical, self.text[start:end], start, end, "PERSON", route="previous subject", confidence="medium")
        return None

    def _introduced_before(self, item: _Item, last: Speaker | None) -> Speaker | None:
        """'... grew out of research by its director Dr Ana Kolt. "We are ..."': a quote with no cue
        right after a sentence that ends by naming a person for the first time (and whose subject
        is no one named) is that person's, not the previous speaker's. Only a full name counts."""
        before = self._words_before(item)
        if len(before) < 3 or not before[-1].is_sent_end or not before[-1].is_punct or self._in_quote(before[-1].idx):
            return None
        mention = self._mention_at(before[-2])
        sentence = before[-1].sent
        if mention is None or mention.label != "PERSON" or len(mention.canonical.split()) < 2 or mention.end != before[-2].idx + len(before[-2]):
            return None
        if (last is not None and last.name == mention.canonical) or self.first_mention.get(mention.canonical) != mention.start:
            return None
        if any(t.dep_ in ("nsubj", "nsubjpass") and self._mention_at(t) is not None for t in sentence):
            return None  # 'Ivo Ranz took a dig at rival Ana Kolt. "..."' is Ivo Ranz's (the previous-subject rule)
        start, end = self._core_span(before[-2])
        return Speaker(mention.canonical, self.text[start:end], start, end, "PERSON", route="introduced")

    def _spoken_by(self, item: _Item) -> Speaker | None:
        """'X's speech ... One line stood out: "..."': a quote with no cue and no speaker before it
        is the words of the person whose speech (address, remarks) its paragraph names, latest first."""
        p = self._paragraph(item.paragraph)
        for token in reversed(self._tokens(p.start_char, item.start)):
            speaker = self._owner_of_words(token, route="document")
            if speaker is not None:
                return speaker
        return None

    def _named_after(self, item: _Item) -> Speaker | None:
        """'"We will win." / That was the message from X at the rally.': a quote paragraph with no
        speaker, followed by a body paragraph whose first sentence says whose words they were."""
        p = self._paragraph(item.paragraph)
        if self.text[p.start_char : item.start].strip(" \t\"'“‘"):
            return None  # only a paragraph that opens with the quote
        later = [i for i in self.body if i > item.paragraph]
        if not later:
            return None
        nxt = self._paragraph(min(later))
        tokens = self._tokens(nxt.start_char, nxt.end_char)
        if not tokens:
            return None
        first = tokens[0].sent
        for token in first:
            speaker = self._owner_of_words(token, route="named later")
            if speaker is not None:
                return speaker
        return None

    def _owner_of_words(self, token: "Token", *, route: str) -> Speaker | None:
        """The person a noun for spoken words belongs to: "X's speech", "the remarks of X", "the message from X"."""
        if token.lemma_.lower() not in self.lex.spoken_nouns or self._in_quote(token.idx):
            return None
        owners = [c for c in token.children if c.dep_ == "poss"]
        owners += [o for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "from") for o in c.children if o.dep_ == "pobj"]
        for owner in owners:
            mention = self._mention_at(owner)
            if mention is not None and self._person_like(mention):
                start = min(self._core_span(owner)[0], token.left_edge.idx)  # "X's speech", "the speech of X"
                end = max(token.idx + len(token.text), mention.end)
                return Speaker(mention.canonical, self.text[start:end], start, end, mention.label, route=route, confidence="medium")
        return None

    def _person_like(self, mention: _Mention) -> bool:
        """A person, or a two-or-more-word "ORG" with no organisation noun (NER often tags "Ivo
        Ranz" ORG); a one-word ORG is as likely a country or a company."""
        words = mention.canonical.lower().split()
        return mention.label == "PERSON" or (mention.label == "ORG" and len(words) > 1 and not any(self._is_org_noun(w) for w in words))

    @functools.cached_property
    def _person_mentions(self) -> list[tuple[int, int]]:
        """(start, index) of the PERSON mentions, sorted."""
        return sorted((m.start, i) for i, m in enumerate(self.mentions) if m.label == "PERSON")

    def _latest_people(self, pos: int, fits) -> list[_Mention]:
        """The PERSON mentions that ``fits`` at the greatest start before ``pos`` where any does, in mention order."""
        return [self.mentions[i] for i in fitting_at_latest(self._person_mentions, pos, lambda i: fits(self.mentions[i]))]

    @functools.cached_property
    def _body_mentions(self) -> _LatestByKey:
        """The mentions in searched paragraphs by (canonical, label), in mention order."""
        index = _LatestByKey()
        for order, m in enumerate(self.mentions):
            if self._paragraph_of(m.start) in self.body:
                index.add((m.canonical, m.label), m.start, order)
        return index

    def _previous_subject(self, paragraph: int) -> Speaker:
        """For a quote nobody was speaking before: the named subject ending the previous body paragraph."""
        k = bisect.bisect_left(self.body_in_order, paragraph)  # the body paragraphs before this one: body_in_order[:k]
        if not k:
            return Speaker()
        p = self._paragraph(self.body_in_order[k - 1])
        event = self.events.latest_in(p.start_char, p.end_char)
        if event is None:
            return Speaker()
        return Speaker(" + ".join(event.names), "", -1, -1, event.label, route="previous subject")

    def _body_between(self, a: int, b: int) -> int:
        return max(0, bisect.bisect_left(self.body_in_order, b) - bisect.bisect_right(self.body_in_order, a))

    def _speaker_for(self, item: _Item) -> Speaker:
        key = id(item)
        if key not in self.resolved:
            heads = self._subject_heads(item.cue.token)
            heads = self._role_and_name_before_cue(heads, item.cue.token) or heads
            if all(self._in_quote(h.idx) for h in heads):
                heads = self._name_by_surface(item.cue.token) or heads
            speaker = self._resolve_heads(heads) if heads else Speaker()
            self.resolved[key] = speaker
            if speaker.name != UNKNOWN:
                names = tuple(speaker.name.split(" + "))
                head = heads[0].lemma_.lower() if speaker.label == "UNNAMED" else ""
                if speaker.label == "UNNAMED" and heads[0].tag_ in ("NNS", "NNPS"):
                    self.plural_sources.add(speaker.name)
                self.events.append(_Event(item.cue.token.idx, names, speaker.label, head))
                self._note_documents(item.cue.token, speaker)
                self._note_addressee(item.cue.token)
        return self.resolved[key]

    def _name_by_surface(self, cue: "Token") -> list["Token"]:
        """'"...," director of rugby Ann Roe told the Courier': between a closing mark and the cue,
        words that read as a description and a person's name ending right before the cue are the
        cue's subject, however the parser hung them (here off a noun inside the quote)."""
        if cue.i == 0 or self.doc[cue.i - 1].ent_type_ != "PERSON":
            return []
        k = cue.i - 1
        while k >= 0 and (self.doc[k].pos_ in ("NOUN", "PROPN", "ADJ", "DET") or self.doc[k].lower_ == "of"):
            k -= 1
        if k < 0 or k == cue.i - 1 or self.doc[k].text not in QUOTE_CHARS:
            return []
        return [self.doc[cue.i - 1]]

    def _role_and_name_before_cue(self, heads: list["Token"], cue: "Token") -> list["Token"] | None:
        """"The Valdor Guide to Ports 2005 author Jane Doe said": the parser made the title the
        subject and hung the person off it; a person's name right before the cue, led by a role
        noun ("author", "chairman"), inside the subject, is the speaker."""
        if len(heads) != 1 or cue.i == 0 or heads[0].i >= cue.i:
            return None
        last = self.doc[cue.i - 1]
        mention = self._mention_at(last)
        if mention is None or mention.label != "PERSON" or self._mention_at(heads[0]) == mention:
            return None
        if last.i not in {t.i for t in heads[0].subtree}:
            return None
        first = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        before = self.doc[first.start - 1] if first is not None and first.start > 0 else None
        if before is None or before.pos_ != "NOUN" or before.dep_ != "compound" or before.head.i != last.i:
            return None
        return [last]

    def _resolve_heads(self, heads: list["Token"]) -> Speaker:
        parts = [self._resolve_head(h) for h in heads]
        named = [s for s in parts if s.name != UNKNOWN] or parts[:1]
        names = list(dict.fromkeys(n for s in named for n in s.name.split(" + ")))
        start = min(s.start for s in parts)
        end = max(s.end for s in parts)
        if len(names) == 1:
            return replace(named[0], mention=self.text[start:end], start=start, end=end)
        return Speaker(" + ".join(names), self.text[start:end], start, end, "GROUP", route="joint", confidence=min((s.confidence for s in named), key=CONFIDENCE_ORDER.index))

    def _core_span(self, head: "Token") -> tuple[int, int]:
        tokens = list(self.doc[head.left_edge.i : head.i + 1])
        while len(tokens) > 1 and (tokens[0].dep_ in ("preconj", "cc", "punct") or tokens[0].is_space):
            tokens.pop(0)
        start, end = tokens[0].idx, head.idx + len(head.text)
        seat = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == head.i + 1), None)
        if tokens[0].lower_ in PEERAGE and seat is not None:  # "Lord Nicholls of Birkenhead": the seat is in the title
            place = next((o for o in seat.children if o.dep_ == "pobj" and o.i == seat.i + 1 and o.pos_ == "PROPN"), None)
            end = place.idx + len(place.text) if place is not None else end
        mention = self._mention_at(head)
        if mention is not None:
            start, end = min(start, mention.start), max(end, mention.end)
        return start, end

    def _resolve_head(self, head: "Token", depth: int = 0) -> Speaker:
        if head.lower_ in RELATIVE_PRONOUNS and head.dep_.startswith("nsubj") and depth == 0:
            antecedent = self._antecedent(head)
            if antecedent is not None:
                return self._resolve_head(antecedent, depth + 1)
        if head.lower_ in REFLEXIVE_PRONOUNS and depth == 0:
            named = self._name_before(head)  # "Mr Bez - himself a former executive - said"
            if named is not None:
                return self._resolve_head(named, depth + 1)
        start, end = self._core_span(head)
        mention = self._mention_at(head)
        if mention is not None and mention.canonical.lower().rstrip(".") not in titles() and not _nationality_noun(head):  # "the Bishop" NER tagged
            return Speaker(mention.canonical, self.text[start:end], start, end, mention.label, route="named")
        if head.pos_ == "PRON":
            return self._resolve_pronoun(head)
        institution = self._institution_name(head)
        if institution is not None:
            return institution
        author = self._document_author(head)
        if author is not None and depth < 2:
            speaker = self._resolve_head(author, depth + 1)
            if speaker.name != UNKNOWN:  # later "the report says" is this author's too
                self.documents.append((head.idx, head.lemma_.lower(), speaker))
            return speaker
        issued = self._earlier_document(head)
        if issued is not None:
            return replace(issued, mention=self.text[start:end], start=start, end=end).via("document")
        named = self._named_appositive(head) or self._named_modifier(head)
        if named is not None:
            return Speaker(named.canonical, self.text[start:end], start, end, named.label, route="named")
        indefinite = any(c.dep_ == "det" and c.lower_ in self.lex.indefinite_determiners for c in head.children)
        if head.pos_ == "PROPN" and self._former_member(head):  # "the ex-Wallaby added": someone named before
            event = self.events.latest_before(start, lambda e: len(e.names) == 1 and not self._in_quote(e.pos), key="PERSON")
            start = self.doc[head.i - 3].idx
            if event is not None:
                return Speaker(event.names[0], self.text[start:end], start, end, "PERSON", route="description")
        if head.pos_ == "PROPN" and not self._bare_title(head) and not indefinite and not _nationality_noun(head):  # "a Valdor Party MEP" is unnamed
            return self._proper_name(head, start, end)
        return self._resolve_description(head, start, end)

    def _former_member(self, head: "Token") -> bool:
        """"the ex-Wallaby", "the ex-Red": a former member of a team or party, written as "the ex-" and a name."""
        i = head.i
        return i >= 3 and self.doc[i - 1].text == "-" and self.doc[i - 2].lower_ == "ex" and self.doc[i - 3].lower_ == "the"

    def _institution_name(self, head: "Token") -> Speaker | None:
        """"Number 10 said", "Downing Street insisted": an institution of the alias table that NER
        did not tag (it reads "Number 10" as a number) is a named organisation."""
        tokens = list(self.doc[head.left_edge.i : head.right_edge.i + 1])
        while tokens and tokens[0].dep_ == "det":
            tokens.pop(0)
        if not tokens or not tokens[0].text[:1].isupper():
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        name = self.text[start:end]
        if name.lower() not in institution_countries():
            return None
        return Speaker(name, name, start, end, "ORG", route="named")

    def _earlier_document(self, head: "Token") -> Speaker | None:
        """"The statement concluded": the speaker who issued the statement mentioned before."""
        lemma = head.lemma_.lower()
        det = next((c for c in head.children if c.dep_ == "det" or (c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME"))), None)
        if lemma not in self.lex.document_nouns or det is None or (det.lower_ not in ("the", "this", "that") and det.dep_ != "poss"):
            return None  # "the statement", "Monday's statement": one mentioned before
        earlier = [(pos, noun, speaker) for pos, noun, speaker in self.documents if pos < head.idx]
        same = [d for d in earlier if d[1] == lemma] or earlier
        return max(same, key=lambda d: d[0])[2] if same else None

    def _person_asked(self, item: _Item) -> Speaker | None:
        """The named person a reported question ("X asked Y how ...") was put to."""
        cue = item.cue.token if item.cue is not None and item.kind == "indirect" else None
        asked = self._addressee(cue) if cue is not None else None
        if asked is None:
            return None
        start, end = self._core_span(asked[0])
        return Speaker(asked[1].canonical, self.text[start:end], start, end, "PERSON", route="carried", confidence="medium")

    def _addressee(self, cue: "Token") -> tuple["Token", _Mention] | None:
        """The object of a question verb that names a person ("asked Ann Roe how ...")."""
        if cue.lemma_.lower() not in _QUESTION_VERBS:
            return None
        for obj in (c for c in cue.children if c.dep_ in ("dobj", "dative")):
            mention = self._mention_at(obj)
            if mention is not None and mention.label == "PERSON":
                return obj, mention
        return None

    def _note_addressee(self, cue: "Token") -> None:
        """"One pupil asked X how ...; he began his answer": the person asked is who answers next."""
        asked = self._addressee(cue)
        if asked is not None:
            self.events.append(_Event(cue.idx + 1, (asked[1].canonical,), "PERSON"))

    def _note_documents(self, cue: "Token", speaker: Speaker) -> None:
        """Remember "X said in a statement", "X issued a statement": X is that document's author."""
        for child in cue.children:
            nouns = [child] if child.dep_ == "dobj" else [o for o in child.children if o.dep_ == "pobj"] if child.dep_ == "prep" else []
            for noun in nouns:
                if noun.lemma_.lower() in self.lex.document_nouns:
                    self.documents.append((noun.idx, noun.lemma_.lower(), speaker))

    def _bare_title(self, head: "Token") -> bool:
        """"the Russian President", "The U.S. Secretary of State": a title with no name in it."""
        if head.lower_.rstrip(".") not in titles():
            return False
        for t in self.doc[head.left_edge.i : head.i + 1]:
            word = t.lower_.rstrip(".")
            if t.pos_ == "PROPN" and word not in titles() and not _origins(_describing_words(t)) and t.ent_type_ not in ("GPE", "NORP"):
                return False
        return True

    def _document_author(self, head: "Token") -> "Token | None":
        """"the ministry's statement", "a statement from the ministry": the author of a document noun."""
        if head.lemma_.lower() not in self.lex.document_nouns:
            return None
        for title in (c for c in head.children if c.dep_ == "appos"):  # "a new book, Valdor Rising by X, says"
            by = next((o for p in title.children if p.dep_ == "prep" and p.lower_ == "by" for o in p.children if o.dep_ == "pobj"), None)
            if by is not None:
                return by
        for child in head.children:
            if child.dep_ == "poss" and (child.pos_ != "PRON" or child.lower_ in ("his", "her", "its", "their")):
                return None if child.ent_type_ in ("DATE", "TIME") else child  # "Her lawsuit said"; not "Monday's statement"
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                author = next((o for o in child.children if o.dep_ == "pobj"), None)
                if author is not None and child.lower_ == "from" and self._is_place(author):
                    return None  # "reports from the country say": where they come from, not who wrote them
                if author is not None and child.lower_ == "of" and self._mention_at(author) is None and not self._is_org_noun(author.lemma_.lower()):
                    return None  # "a survey of 1,000 people": whom it asked, not who made it
                return author
        for child in head.children:  # "a National Audit Office report": a named author before the noun
            mention = self._mention_at(child) if child.dep_ == "compound" else None
            if mention is not None and mention.label in ("ORG", "PERSON"):
                return child
        return None

    def _is_place(self, token: "Token") -> bool:
        mention = self._mention_at(token)
        if mention is not None:
            return mention.label in ("GPE", "LOC")
        return token.lemma_.lower() in _PLACE_NOUNS

    def _named_appositive(self, head: "Token") -> _Mention | None:
        """"The council leader, Jane Doe, said": the name in an appositive of a description; also a
        person's name right after a role noun that the parser hung off it otherwise ("Former club
        captain Ivo Ranz, who ..., says" with the name as an adverbial)."""
        for named in (c for c in head.children if c.i == head.i + 1 and c.dep_ in ("advmod", "npadvmod", "dep")):
            mention = self._mention_at(named)
            if mention is not None and mention.label == "PERSON" and self._is_person_noun(head):
                return mention
        for appos in (c for c in head.children if c.dep_ == "appos"):
            mention = self._mention_at(appos)
            if mention is not None and mention.label in SPEAKER_MENTION_LABELS - {"NORP"}:
                if self._names_whom_spoken_for(head, appos):
                    continue
                return mention
            if mention is None and appos.pos_ == "PROPN" and appos.lower_ not in titles() and self._is_org_noun(head.lemma_.lower()):
                return self._untagged_name(appos, "ORG")  # "the magazine Foreign Affairs", NER missed it
        if self._noun_for_people(head):
            # "A spokesman for Customs and Enforcement, Dean Boyd, said": the parser hung the name on
            # the body he speaks for; a person's name closing the description is the spokesman's
            last = max((t for t in head.subtree if not t.is_punct), key=lambda t: t.i)
            for appos in (t for t in head.subtree if t.dep_ == "appos" and t.head.i != head.i and t.i == last.i):
                if any(a.pos_ in ("VERB", "AUX") for a in appos.ancestors if a.i != head.i and head in a.ancestors):
                    continue  # "a senior official, speaking to correspondent Ivo Ranz,": a clause, not his name
                if self._noun_for_people(appos.head):
                    continue  # "a spokesman for the prosecutor, Ana Kolt,": the prosecutor's name, not his
                mention = self._mention_at(appos)
                if mention is not None and mention.label == "PERSON":
                    return mention
        return None

    def _noun_for_people(self, token: "Token") -> bool:
        """A common noun for a person or people: a title, an anonymous source, or a doer ("prosecutor")."""
        return token.pos_ == "NOUN" and (self._is_person_noun(token) or token.lemma_.lower().endswith(_AGENT_SUFFIXES))

    def _names_whom_spoken_for(self, head: "Token", appos: "Token") -> bool:
        """"a spokesman for the prosecutor, Ana Kolt,": the name after a person the source speaks for is that person's."""
        return any(
            o.dep_ == "pobj" and self._noun_for_people(o) and o.i < appos.i
            for c in head.children if c.dep_ == "prep" and c.lower_ == "for" for o in c.children  # not "one of the men, X,"
        )

    def _named_modifier(self, head: "Token") -> _Mention | None:
        """"the Daily Courier newspaper", "the ACME group": an organisation noun led by its own name."""
        if not head.text[:1].islower() or not self._is_org_noun(head.lemma_.lower()):
            return None  # a capitalised "Unit" is part of the name itself ("the West Coast Infection Unit")
        for child in head.children:
            if child.dep_ in ("compound", "nmod") and child.i < head.i:
                mention = self._mention_at(child)
                if mention is not None and mention.label == "ORG":
                    return mention
                if mention is None and child.pos_ == "PROPN" and child.lower_ not in STREET_WORDS:
                    return self._untagged_name(child, "ORG")  # a name NER missed: "the Al-Dawla daily"
        return None

    def _untagged_name(self, token: "Token", label: str) -> _Mention:
        """A proper name NER did not tag, as a mention: its words (with their compounds), canonical if known."""
        first = min([token.left_edge.i] + [t.i for t in token.subtree if t.dep_ == "compound"])
        while first < token.i and (self.doc[first].is_punct or self.doc[first].pos_ == "DET"):
            first += 1
        start, end = self.doc[first].idx, token.idx + len(token.text)
        name = clean_name(self.text[start:end], label)
        return _Mention(start, end, self._known_name(name) or name, label)

    def _name_before(self, token: "Token") -> "Token | None":
        """The named token right before ``token``, across punctuation only."""
        prev = token.i - 1
        while prev >= 0 and (self.doc[prev].is_punct or self.doc[prev].is_space):
            prev -= 1
        return self.doc[prev] if prev >= 0 and prev < token.i - 1 and self._mention_at(self.doc[prev]) is not None else None

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
        """"he said" -> the latest speaker or named subject the pronoun can refer to.

        Candidates are the speakers of earlier attributions and the named subjects of earlier main
        clauses (never a name inside a quotation); a person named anywhere else is the last resort.
        Confidence is medium when the referent was found in this or the previous body paragraph,
        else low.
        """
        word = pronoun.lower_
        where = (pronoun.idx, pronoun.idx + len(pronoun.text))
        word = {"his": "he", "its": "it", "their": "they"}.get(word, word)  # the owner of "her lawsuit", "its statement"
        if word in ("he", "she", "him", "her"):
            gender = "m" if word in ("he", "him") else "f"
            found = self._recent_person(pronoun.idx, gender)
        elif word in ("they", "them"):  # an organisation, a group, or people described in the plural ("union officials")
            found = self._recent_event(pronoun.idx, ("ORG", "GROUP", "GPE", "NORP"), plural_sources=True)
        elif word == "it":
            found = self._document_just_cited(pronoun.idx) or self._recent_event(pronoun.idx, ("ORG", "GPE", ""), organisations=True)
            found = self._organisation_subject_just_before(pronoun, found) or found
        else:
            found = None
        if found is None:
            return Speaker(UNKNOWN, pronoun.text, *where, route="unknown")
        name, label, seen_at = found
        if word in ("he", "she", "him", "her") and label == "PERSON":
            self.gender.setdefault(name, gender)  # "he said" -> X: X is not the next "she"
        near = self._body_between(self._paragraph_of(seen_at), self._paragraph_of(pronoun.idx)) == 0
        return Speaker(name, pronoun.text, *where, label, route="pronoun", confidence="medium" if near else "low")

    def _organisation_subject_just_before(self, pronoun: "Token", found: tuple[str, str, int] | None) -> tuple[str, str, int] | None:
        """"... hours after Acme accused Brill of cheating. It has said ...": an organisation subject of
        any clause of the sentence before "it", when it comes after the actor found otherwise."""
        if pronoun.i != pronoun.sent.start:
            return None  # only "it" opening its sentence
        mention = self._organisation_subject_of_sentence_before(pronoun)
        if mention is None or found is not None and (found[2] >= mention.start or found[0] == mention.canonical):
            return None  # what was found is as recent, or the same
        return mention.canonical, "ORG", mention.start

    def _organisation_subject_of_sentence_before(self, token: "Token") -> _Mention | None:
        """The latest organisation subject of a finite clause in the sentence before ``token``'s."""
        start = token.sent.start
        if start == 0:
            return None
        for t in reversed(list(self.doc[start - 1].sent)):
            if t.dep_ != "nsubj" or t.head.tag_ not in ("VBD", "VBZ", "VBP") or self._in_quote(t.idx):
                continue  # a finite clause's subject: not "to stop Acme pursuing it"
            # "the world's largest delivery company, Acme, said": the name in apposition
            for mention in [self._mention_at(t), *(self._mention_at(a) for a in t.children if a.dep_ == "appos")]:
                if mention is not None and mention.label == "ORG":
                    return mention
        return None

    def _document_just_cited(self, pos: int) -> tuple[str, str, int] | None:
        """"Ann Roe's statement said: ... It added:": "it" after an attribution to a document, with
        no attribution since, is that document, and speaks for its author."""
        earlier = [d for d in self.documents if d[0] < pos]
        if not earlier:
            return None
        at, _, author = max(earlier, key=lambda d: d[0])
        latest = self.events.latest_before(pos, lambda e: True)
        if latest is None or self._sentence_start(latest.pos) != self._sentence_start(at):
            return None  # someone was cited after the document
        if self._paragraph_of(at) != self._paragraph_of(pos) or author.name == UNKNOWN:
            return None
        return author.name, author.label, at

    def _sentence_start(self, pos: int) -> int:
        return self.doc[max(0, bisect.bisect_right(self.starts, pos) - 1)].sent.start

    def _recent_person(self, pos: int, gender: str) -> tuple[str, str, int] | None:
        """(name, label, position) of the latest person "he"/"she" at ``pos`` can refer to."""
        ok = lambda name: self.gender.get(name, gender) == gender  # noqa: E731

        def fits(e: _Event) -> bool:
            if len(e.names) != 1 or self._in_quote(e.pos):
                return False
            if e.label == "PERSON" or (e.label == "" and _personal_name(e.names[0]) and self._paragraph_of(e.pos) in self.body):
                return ok(e.names[0])  # "" : a name NER missed, subject of a body clause ("Vincent Cable accused ...")
            return e.label == "UNNAMED" and not self._is_org_noun(e.head) and self._noun_gender(e.head) in ("", gender)

        same_sentence = self._subject_in_sentence(pos, ok)
        if same_sentence is not None:
            return same_sentence
        event = self.events.latest_before(pos, fits)
        if event is not None:
            return event.names[0], event.label, event.pos
        people = self._latest_people(pos, lambda m: ok(m.canonical) and not self._in_quote(m.start) and self._paragraph_of(m.start) in self.body)
        if not people:
            return None
        last = people[0]
        return last.canonical, "PERSON", last.start

    def _subject_in_sentence(self, pos: int, ok) -> tuple[str, str, int] | None:
        """"When X asked ..., he asks": a person subject earlier in the pronoun's own sentence."""
        token = self.doc[max(0, bisect.bisect_right(self.starts, pos) - 1)]
        for t in reversed(list(self.doc[token.sent.start : token.i])):
            if t.dep_ in ("nsubj", "nsubjpass") and not self._in_quote(t.idx) and not self._masked(t.idx):
                if any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in t.head.children):
                    continue  # "Asked if X could return, he replied": X is in the question, not the answer
                mention = self._mention_at(t)
                if mention is not None and mention.label == "PERSON" and ok(mention.canonical):
                    return mention.canonical, "PERSON", mention.start
        return None

    def _noun_gender(self, lemma: str) -> str:
        return "m" if lemma in self.lex.male_nouns else "f" if lemma in self.lex.female_nouns else ""

    def _in_quote(self, char: int) -> bool:
        """Whether ``char`` lies inside quoted words (a direct quote or reported content)."""
        return char in self.quoted_chars

    def _recent_event(
        self, pos: int, labels: tuple[str, ...], *, organisations: bool = False, plural_sources: bool = False
    ) -> tuple[str, str, int] | None:
        """Names and label of the latest salient actor with one of ``labels`` before ``pos``.

        With ``organisations``, an unnamed organisation ("the company") counts too; with
        ``plural_sources``, unnamed sources described in the plural ("officials").
        """
        event = self.events.latest_before(
            pos, lambda e: e.label in labels or (e.label == "UNNAMED" and (
                (organisations and self._is_org_noun(e.head))
                or (plural_sources and e.names[0] in self.plural_sources and self._can_be_people(e.head))
            ))
        )
        if event is None:
            return None
        return " + ".join(event.names), event.label, event.pos

    def _can_be_people(self, noun: str) -> bool:
        """Whether a source's head noun names people or a body of them ("officials", "analysts",
        "firms"), not things a misparse made a source of ("titles")."""
        return noun in self.lex.anonymous_nouns or noun.endswith(_AGENT_SUFFIXES) or self._is_org_noun(noun)

    def _proper_name(self, head: "Token", start: int, end: int) -> Speaker:
        """A name NER did not tag: its cleaned surface form, or the known actor it names."""
        raw = self.text[start:end]
        name = clean_name(raw, "PERSON") or raw
        titled = any(w.lower().rstrip(".") in titles() for w in raw.split())
        body = clean_name(raw, "ORG").split()
        if len(name.split()) == 1 and len(body) > 1 and not titled and all(w[:1].isupper() for w in body):
            name = clean_name(raw, "ORG")  # "the Scottish Executive" keeps its nationality: it is no person's
        known = self._known_name(name)
        canonical = known or name
        first = raw.split()[0].lower().rstrip(".") if raw.split() else ""
        label = self._label_from_appositive(head) or ("ORG" if self._is_org_noun(head.lemma_.lower()) else "")
        if first in titles() or first in self.lex.male_honorifics | self.lex.female_honorifics:
            label = "PERSON"
            gender = "m" if first in self.lex.male_honorifics else "f" if first in self.lex.female_honorifics else ""
            if gender:
                self.gender.setdefault(canonical, gender)
        self.descriptors.add(canonical, start, self._descriptor_words(head, exclude=set(name.lower().split())))
        return Speaker(canonical, raw, start, end, label or self._known_label(canonical), route="named")

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
        if key in self._mention_names.canonical:
            return self._mention_names.canonical[key]
        matches = self._mention_names.people_by_surname.get(key.split()[-1] if key.split() else "", ())
        return next(iter(matches)) if len(matches) == 1 else None

    def _known_label(self, canonical: str) -> str:
        return self._mention_names.label.get(canonical, "")

    @functools.cached_property
    def _mention_names(self) -> _MentionNames:
        return _MentionNames(self.mentions)


class _RowsByNoun:
    """For ``_link_named_later``: the rows after a point where the search for the person an unnamed
    source with a given noun was can stop, so it does not read every later row. A superset, checked
    again as read: another unnamed source with that noun, a named person described with it, and
    any unnamed row with a named or transcript route (linking may make it a named person)."""

    def __init__(self, rows: list[_Item], heads: dict[str, str], descriptors) -> None:
        self._rows = rows
        self._by_noun: dict[str, list[int]] = {}
        self._always: list[int] = []
        for i, row in enumerate(rows):
            sp = row.speaker
            if sp is None:
                continue
            if sp.label == "UNNAMED" and sp.route in ("named", "transcript"):
                self._always.append(i)
            elif sp.label == "UNNAMED" and sp.name in heads:
                self._by_noun.setdefault(heads[sp.name], []).append(i)
            elif sp.label == "PERSON" and sp.route in ("named", "transcript"):
                for noun in descriptors.all_words(sp.name):
                    self._by_noun.setdefault(noun, []).append(i)

    def after(self, noun: str, k: int) -> Iterator[_Item]:
        """The candidate rows after row ``k``, in order."""
        found = self._by_noun.get(noun, [])
        merged = heapq.merge(found[bisect.bisect_right(found, k):], self._always[bisect.bisect_right(self._always, k):])
        return (self._rows[i] for i in merged)


def _mention_records(mentions: pd.DataFrame | None) -> list[_Mention]:
    """Mention spans with canonical names; a name NER mislabelled but led by an honorific is a person."""
    if mentions is None or len(mentions) == 0:
        return []
    lex = cue_lexicon()
    honorifics = lex.male_honorifics | lex.female_honorifics | {"dr", "prof", "professor"}
    records = []
    for r in table_rows(mentions):
        canonical, label = str(r.canonical), str(r.label)
        words = str(r.text).split()
        if label != "PERSON" and len(words) > 1 and words[0].lower().rstrip(".") in honorifics:
            canonical, label = clean_name(str(r.text), "PERSON"), "PERSON"
        records.append(_Mention(int(r.start_char), int(r.end_char), canonical, label))
    return sorted(records, key=lambda m: m.start)
