"""Speaker resolution: who a cue's subject is (names, pronouns, descriptions, transcript labels)."""
from __future__ import annotations

import bisect
import functools
import heapq
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Iterator

import pandas as pd

from ..entities import HONORIFICS, PEERAGE, clean_name, demonyms, institution_countries, titles
from ..rows import table_rows
from .lexicon import cue_lexicon
from .marks import QUOTE_CHARS
from .records import (
    CONFIDENCE_ORDER, UNKNOWN, Speaker, _Event, _Item, _LatestByKey, _Mention, _MentionNames, fitting_at_earliest, fitting_at_latest,
    lower_confidence,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

# A quote paragraph with no attribution continues the previous speaker only if at most this many
# body paragraphs without quotes lie between them.
MAX_FLOAT_GAP = 2
RELATIVE_PRONOUNS = {"who", "which", "that"}
REFLEXIVE_PRONOUNS = {"himself", "herself", "itself", "themselves"}
SPEAKER_MENTION_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}  # mention labels a speaker span may carry


class _SpeakerResolver:
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


    # -- the subject of a cue --

    def _subject_heads(self, cue: "Token", depth: int = 0) -> list["Token"]:
        """Subject head tokens of a cue (joint subjects included): "X said", "said X", "according to X".

        "the paper quoted X as saying": X, not the paper. A subject inside a quotation is never the
        speaker; of two subjects the one before the verb wins ("X said five countries ..."). Only
        subjects joined by "and"/"or" are joint speakers: the comma list in "X, engineer, IT, ACME
        Corp, said" is X's description, not three voices.
        """
        if cue.lower_ == "according":
            to = next((c for c in cue.children if c.lower_ == "to"), None)
            heads = [c for c in to.children if c.dep_ == "pobj"] if to is not None else []
            # "according to local newspaper the Daily Courier": the name the parser hung on "according"
            named = [c for c in cue.children if c.dep_ == "pobj" and c.i > cue.i and self._mention_at(c) is not None]
            if named and heads and heads[0].pos_ == "NOUN" and named[0].left_edge.i == heads[0].right_edge.i + 1:
                heads = named[:1]
        else:
            quoted = self._quoted_source(cue)
            if quoted is not None:
                return self._with_conjuncts(quoted)
            heads = [c for c in cue.children if c.dep_ == "nsubj" and not self._inside_quote(c, cue)]
            if self._thing_before_participle(cue, heads) and depth < 3:
                return self._subject_heads(cue.head, depth + 1)
            if not heads and cue.dep_ == "conj" and (misread := self._name_misread_before_cue(cue)):
                return misread  # not joined with the list the parser read it into
            heads = heads or self._inverted_object(cue) or self._name_misread_before_cue(cue) or self._elided_subject(cue) or self._name_after_quote(cue)
        if len(heads) > 1:  # "Jay Dee, real name Ivo Ranz, said": the other name is an alias, not a speaker
            heads = [h for h in heads if h.lemma_.lower() != "name"] or heads
        heads = [self._name_before_alias(h) for h in heads]
        if len(heads) > 1:
            before = [h for h in heads if h.i < cue.i]
            heads = [max(before, key=lambda h: h.i)] if before else [min(heads, key=lambda h: h.i)]
        if not heads and cue.dep_ == "xcomp" and depth < 3:  # "X was forced to deny ...": the passive subject
            heads = [c for c in cue.head.children if c.dep_ == "nsubjpass" and not self._inside_quote(c, cue)][:1]
            if heads:
                return self._with_conjuncts(heads[0])
        if not heads and cue.dep_ in ("conj", "advcl", "xcomp") and cue.head.i != cue.i and depth < 3:
            found = self._subject_heads(cue.head, depth + 1)
            if not found and cue.dep_ == "conj":  # "X is rumoured to ..., but says ...": the passive subject
                found = self._with_conjuncts_of_first(cue.head, "nsubjpass", cue)
            return found
        if not heads and cue.dep_ == "acl" and cue.tag_ == "VBG" and self._is_thing(cue.head) and depth < 3 and cue.lemma_.lower() not in self.lex.weak_verbs:
            verb = self._clause_verb(cue.head)  # "X will argue against discrimination saying ...": X says it
            if verb is not None and verb.i != cue.i:
                return self._subject_heads(verb, depth + 1)
        if not heads and cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and depth < 3:  # "X ordered ... after saying"
            verb = cue.head.head  # "X was criticised for insisting": the passive subject
            return self._subject_heads(verb, depth + 1) or self._with_conjuncts_of_first(verb, "nsubjpass", cue)
        if not heads:
            return []
        return self._with_conjuncts(heads[0])

    def _is_thing(self, noun: "Token") -> bool:
        """A common noun for no person, body, text or speech ("figures", "discrimination"): it cannot speak."""
        lemma = noun.lemma_.lower()
        lex = self.lex
        if noun.pos_ != "NOUN" or self._is_person_noun(noun) or lemma.endswith(_AGENT_SUFFIXES):
            return False
        if lemma in DATA_NOUNS:
            return True  # figures may "show", as a text does, but they do not insist
        if lemma in _TEXT_NOUNS:
            return False  # "a rule stating that ...": a text says what it says
        return lemma not in lex.organisation_nouns | lex.document_nouns | lex.group_nouns | lex.press_nouns | lex.spoken_nouns

    def _clause_verb(self, token: "Token") -> "Token | None":
        """The verb whose clause ``token`` sits in."""
        while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
            token = token.head
        return token if token.pos_ in ("VERB", "AUX") else None

    def _with_conjuncts_of_first(self, verb: "Token", dep: str, cue: "Token") -> list["Token"]:
        child = next((c for c in verb.children if c.dep_ == dep and not self._inside_quote(c, cue)), None)
        return self._with_conjuncts(child) if child is not None else []

    def _thing_before_participle(self, cue: "Token", heads: list["Token"]) -> bool:
        """"X dismissed the figures insisting that ...": the parser may make the object the subject of
        the participle; a thing (no noun for a person, a body or a text) cannot insist, so the main
        verb's named subject is the speaker."""
        if cue.tag_ != "VBG" or cue.dep_ not in ("ccomp", "acl", "advcl") or len(heads) != 1 or cue.head.i == cue.i:
            return False
        noun = heads[0]
        if not self._is_thing(noun):
            return False
        subject = next((c for c in cue.head.children if c.dep_ == "nsubj" and c.i < noun.i), None)
        mention = self._mention_at(subject) if subject is not None else None
        return mention is not None and mention.label in ("PERSON", "ORG")

    def _name_before_alias(self, head: "Token") -> "Token":
        """"Jay Dee, real name Ivo Ranz": the name the story uses is the one before "real name"."""
        alias = next((t for t in head.lefts if t.lemma_.lower() == "name"), None)
        if alias is None:
            alias = next((t for t in head.subtree if t.lemma_.lower() == "name" and t.i < head.i), None)
        if alias is None:
            return head
        for token in reversed(self.doc[head.left_edge.i : alias.i]):
            mention = self._mention_at(token)
            if mention is not None and mention.label == "PERSON" and mention != self._mention_at(head):
                return token
        return head

    def _inverted_object(self, cue: "Token") -> list["Token"]:
        """'"...," warned Richards.': after a quote, the parser may read the inverted subject as the
        verb's object; a name right after the verb that ends the clause is the speaker."""
        before = self.doc[cue.i - 1] if cue.i > 0 else None
        if before is None or before.text not in QUOTE_CHARS:  # not "..., X, told the paper": X is before
            return []
        for obj in (c for c in cue.children if c.dep_ == "dobj" and c.pos_ == "PROPN"):
            end = max(t.i for t in obj.subtree)
            if min(t.i for t in obj.subtree) == cue.i + 1 and (end + 1 >= len(self.doc) or self.doc[end + 1].is_punct):
                return [obj]
        return []

    def _name_after_quote(self, cue: "Token") -> list["Token"]:
        """'"... Valdor and Ostmark," Ivo Ranz, head of policy at Aidwell, said.': the parser may hang
        the name after a closing mark on a word inside the quote; a person named right after the
        mark, with only their description (no verb) before the cue, is the subject."""
        if cue.dep_ != "ROOT":
            return []
        tokens = list(self.doc[cue.sent.start : cue.i])
        marks = [k for k, t in enumerate(tokens) if t.text in QUOTE_CHARS]
        if not marks:
            return []
        between = tokens[marks[-1] + 1 :]
        if not between or any(t.pos_ in ("VERB", "AUX") for t in between):
            return []
        mention = self._mention_at(between[0])
        if mention is None or mention.label != "PERSON" or mention.start != between[0].idx:
            return []
        last = max((t for t in between if mention.start <= t.idx < mention.end), key=lambda t: t.i)
        return [last]

    def _elided_subject(self, cue: "Token") -> list["Token"]:
        """"X told the paper he had not read it. But told BBC News: ...": a cue opening its sentence
        with no subject (only a conjunction or adverb before it) has the previous sentence's named subject."""
        sent = cue.sent
        if cue.dep_ != "ROOT":
            return []
        opening = all(t.dep_ in ("cc", "advmod", "punct") for t in sent[: cue.i - sent.start])
        if opening or (cue.i > 0 and self.doc[cue.i - 1].text == ","):
            inverted = self._inverted_name_after(cue)  # "Often, said Mr Roe, ...", "On a larger scale, said Mr Roe, ..."
            if inverted:
                return inverted
        if not opening or sent.start == 0:
            return []
        previous = self.doc[sent.start - 1].sent.root
        subject = next((c for c in previous.children if c.dep_ == "nsubj"), None)
        if subject is None or self._inside_quote(subject, cue):
            return []
        mention = self._mention_at(subject)
        return [subject] if mention is not None and mention.label in ("PERSON", "ORG") else []

    def _inverted_name_after(self, cue: "Token") -> list["Token"]:
        """The person named right after a cue with no subject, whom the parser read into the clause after."""
        name_at = cue.i + 1
        after = self._mention_at(self.doc[name_at]) if name_at < len(self.doc) else None
        if after is None and name_at + 1 < len(self.doc) and self.doc[name_at].lower_.rstrip(".") in HONORIFICS:
            name_at += 1  # "said Mr Roe": NER may leave the honorific out of the name
            after = self._mention_at(self.doc[name_at])
        if after is None or after.label != "PERSON" or after.start != self.doc[name_at].idx:
            return []
        return [max((t for t in self.doc[name_at : name_at + 5] if after.start <= t.idx < after.end), key=lambda t: t.i)]

    def _name_misread_before_cue(self, cue: "Token") -> list["Token"]:
        """"Ranz says the ...", "At the fair in Valdor ACME boss Ivo Ranz said ...": the parser may
        read a name opening the sentence as an adverb of the verb, or swallow it into the phrase
        before (or, after "and", into a list: "meet at Brill and Ranz says"); a person's name ending
        right before a cue with no subject is that subject."""
        before = self.doc[cue.i - 1] if cue.i > 0 else None
        if before is None:
            return []
        if before.text == "," and cue.dep_ in ("ROOT", "conj") and cue.i > 1 and not self._inverted_name_after(cue):
            # "Responding, shadow minister to the Treasury, Ana Kolt, said", "X claimed ..., but his
            # lawyer, Ana Kolt, told": the name just before the cue, read as an appositive or an adverb
            before = self.doc[cue.i - 2]
            if before.dep_ not in (("advmod", "npadvmod", "pobj", "appos", "conj") if cue.dep_ == "ROOT" else ("appos",)):
                return []
            mention = self._mention_at(before)
            ok = mention is not None and mention.label == "PERSON" and mention.end == before.idx + len(before.text)
            return [before] if ok else []
        elif cue.dep_ == "ROOT":
            if before.dep_ not in ("advmod", "npadvmod", "pobj"):
                return []
        elif cue.dep_ != "conj" or before.dep_ not in ("conj", "pobj", "dobj"):
            return []  # "They meet at Brill and Ranz says ...": the name read as a conjunct of the place
        mention = self._mention_at(before)
        # "... as a survey by the website Rightmove said ...": an organisation as the author the parser hung on "by"
        by_author = cue.dep_ == "ROOT" and before.dep_ == "pobj" and before.head.lower_ == "by"
        if mention is None or mention.label not in (("PERSON", "ORG") if by_author else ("PERSON",)):
            return []
        if mention.end != before.idx + len(before.text):
            return []
        if cue.dep_ == "conj":
            first = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if first is None or first.start == 0 or self.doc[first.start - 1].dep_ != "cc":
                return []
        return [before]

    def _with_conjuncts(self, head: "Token") -> list["Token"]:
        """``head`` and the subjects coordinated with it by a conjunction ("A and B", "A, B and C")."""
        conjuncts = sorted(head.conjuncts, key=lambda t: t.i)
        if self._office_with_portfolio_list(head, conjuncts):
            return [conjuncts[-1]]  # "Minister for Children, Young People and Families Jane Doe": one person
        joined = any(c.dep_ == "cc" for t in [head, *conjuncts] for c in t.children)
        more = [c for c in conjuncts if not self._same_person_described(head, c) and not self._in_head_phrase(head, c)] if joined else []
        for appos in (c for c in head.children if c.dep_ == "appos"):
            # "X, the mayor, and Y said": a person name coordinated inside the appositive
            more.extend(c for c in appos.conjuncts if self._is_person_name(c) and any(k.dep_ == "cc" for k in appos.children))
        heads = [head] + sorted(set(more) - {head}, key=lambda t: t.i)
        names = [t for t in heads if self._is_person_name(t) or any(self._is_person_name(a) for a in t.children if a.dep_ == "appos")]
        if len(heads) > 1 and len(names) == 1 and all(t in names or self._bare_role_noun(t, t is head) for t in heads):
            return names  # "ACME founder and director Jane Doe", "media and PR strategist Jane Doe": one person
        return heads

    def _in_head_phrase(self, head: "Token", conjunct: "Token") -> bool:
        """"A spokesman for the Department for Culture, Media and Sport": the list lies inside the name
        in the head's own "for/of" phrase (the parser hung it on the head), so it is no second speaker."""
        mention = self._mention_at(conjunct)
        if mention is None or mention.label == "PERSON" or len(mention.canonical.split()) > 1:
            return False  # "the Council of X and the Y Association": a second body, named in full
        objects = [o for c in head.children if c.dep_ == "prep" and c.lower_ in ("for", "of") for o in c.children if o.dep_ == "pobj"]
        names = [m for m in (self._mention_at(o) for o in objects) if m is not None and m.end < mention.start]
        # one word after the object's name with only commas and "and" between: the name goes on
        return any(self._list_between(m.end, mention.start) for m in names)

    def _list_between(self, start: int, end: int) -> bool:
        """Whether text[start:end] holds only one-word names, commas and "and" ("…Culture, Media and ")."""
        return all(w == "and" or w[:1].isupper() for w in re.split(r"[\s,]+", self.text[start:end].strip()) if w)

    def _bare_role_noun(self, token: "Token", first: bool) -> bool:
        """A common noun for a role with no name and, after the first, no determiner of its own."""
        if token.pos_ not in ("NOUN", "ADJ") or self._mention_at(token) is not None:
            return False
        return first or not any(c.dep_ in ("det", "poss") for c in token.children)

    def _office_with_portfolio_list(self, head: "Token", conjuncts: list["Token"]) -> bool:
        """Whether "A, B and C" are an office's portfolio ("Minister for A, B and C Jane Doe"), not
        joint subjects: the head is a title with a "for"/"of" phrase, the list ends in a person's
        name, and no other item is a title (as in "Minister for A Jane Doe and Minister for B ...")."""
        if not conjuncts or head.lower_.rstrip(".") not in titles() or not self._is_person_name(conjuncts[-1]):
            return False
        if not any(c.dep_ == "prep" and c.lower_ in ("for", "of") for c in head.children):
            return False
        return not any(t.lower_.rstrip(".") in titles() for c in conjuncts[:-1] for t in c.subtree)

    def _same_person_described(self, head: "Token", conjunct: "Token") -> bool:
        """"Ana's best friend and fellow runner, Liz Kell": a singular role noun with no determiner
        of its own shares the head's ("Ana's", "the"): a second description of one person."""
        if conjunct.pos_ != "NOUN" or conjunct.tag_ != "NN" or self._mention_at(conjunct) is not None:
            return False
        if any(c.dep_ in ("det", "poss") for c in conjunct.children):
            return False
        return head.pos_ in ("NOUN", "ADJ") and any(c.dep_ in ("det", "poss") for c in head.children)  # "The comic and actor"

    def _is_person_name(self, token: "Token") -> bool:
        mention = self._mention_at(token)
        return mention is not None and mention.label == "PERSON" and token.lower_.rstrip(".") not in titles()

    def _inside_quote(self, token: "Token", cue: "Token") -> bool:
        """Whether ``token`` sits inside a quotation that ``cue`` itself is outside of."""
        return self._masked(token.idx) and not self._masked(cue.idx)

    def _quoted_source(self, cue: "Token") -> "Token | None":
        """X in "the paper quoted X as saying", "quoting X as telling", "cited X saying"."""
        found = self._quoting_verb(cue)
        if found is None:
            return None
        verb, node = found
        if node.dep_ in ("dobj", "nsubj") and node.i != cue.i:
            return node
        # "the paper quoted X as saying", or in the passive "X was quoted as saying"
        return next((c for c in verb.children if c.dep_ == "dobj"), None) or next((c for c in verb.children if c.dep_ == "nsubjpass"), None)

    def _quoting_verb(self, cue: "Token") -> tuple["Token", "Token"] | None:
        """(the quoting verb governing ``cue``, the child of it on the way), or None."""
        node = cue
        for _ in range(3):
            head = node.head
            if head.i == node.i:
                return None
            if head.lemma_.lower() in self.lex.quoting_verbs and head.pos_ == "VERB":
                return head, node
            if node.dep_ not in ("pcomp", "prep", "advcl", "xcomp", "acl", "oprd", "ccomp", "dobj", "advmod"):
                return None
            node = head
        return None

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
                gap = self._body_between(last_paragraph, item.paragraph) if last is not None else MAX_FLOAT_GAP + 1
                if gap <= MAX_FLOAT_GAP and last is not None:
                    sure = last.confidence if gap == 0 and last.name != UNKNOWN else lower_confidence(last.confidence)
                    item.speaker = last.via("carried", confidence=min(sure, "medium", key=CONFIDENCE_ORDER.index))
                else:
                    item.speaker = self._previous_subject(item.paragraph)
                subject = (
                    self._intro_subject(item) or self._subject_before(item, since=last_paragraph)
                    or self._introduced_before(item, last)
                )
                if subject is not None:
                    item.speaker = subject
                elif item.speaker.name == UNKNOWN:
                    item.speaker = self._spoken_by(item) or self._named_after(item) or item.speaker
            last = item.speaker
            last_paragraph = item.paragraph
            if item.kind != "intro":
                rows.append(item)
        self._link_named_later(rows)
        self._link_lead_description(rows)
        return rows

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
            and item.speaker.mention.lower().startswith(("a ", "an ")) and self._one_person(item.speaker)
        }
        if len(described) != 1:
            return
        name = self._opening_subject(second)
        if name is None or any(item.speaker is not None and item.speaker.name == name for item in rows if item.paragraph == lead):
            return
        noun = next(iter(described)).split()[-1]
        if self._offices(name) - {noun}:
            return  # "Chancellor Jane Roe" is not "a leading economist"
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
            if not self._one_person(speaker):
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
        return head.tag_ == "NN" and head.lemma_.lower() not in self.lex.organisation_nouns

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

    def _intro_subject(self, item: _Item) -> Speaker | None:
        """'She began her answer with a joke: "..."': a quote with no cue that ends a sentence of its
        own, introduced by a clause whose subject is a person or a personal pronoun, is that subject's."""
        before = [t for t in self._tokens(self._paragraph(item.paragraph).start_char, item.start) if t.text not in QUOTE_CHARS]
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
        before = [t for t in self._tokens(self._paragraph(item.paragraph).start_char, item.start) if t.text not in QUOTE_CHARS]
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
        if head.pos_ == "PROPN" and not self._bare_title(head) and not indefinite and not _nationality_noun(head):  # "a Valdor Party MEP" is unnamed
            return self._proper_name(head, start, end)
        return self._resolve_description(head, start, end)

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
        det = next((c for c in head.children if c.dep_ == "det"), None)
        if lemma not in self.lex.document_nouns or det is None or det.lower_ not in ("the", "this", "that"):
            return None
        earlier = [(pos, noun, speaker) for pos, noun, speaker in self.documents if pos < head.idx]
        same = [d for d in earlier if d[1] == lemma] or earlier
        return max(same, key=lambda d: d[0])[2] if same else None

    def _note_addressee(self, cue: "Token") -> None:
        """"One pupil asked X how ...; he began his answer": the person asked is who answers next."""
        if cue.lemma_.lower() not in _QUESTION_VERBS:
            return
        for obj in (c for c in cue.children if c.dep_ in ("dobj", "dative")):
            mention = self._mention_at(obj)
            if mention is not None and mention.label == "PERSON":
                self.events.append(_Event(cue.idx + 1, (mention.canonical,), "PERSON"))

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
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ != "PRON":
                return child
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                author = next((o for o in child.children if o.dep_ == "pobj"), None)
                if author is not None and child.lower_ == "from" and self._is_place(author):
                    return None  # "reports from the country say": where they come from, not who wrote them
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
        if self._is_person_noun(head):
            # "A spokesman for Customs and Enforcement, Dean Boyd, said": the parser hung the name on
            # the body he speaks for; a person's name closing the description is the spokesman's
            last = max((t for t in head.subtree if not t.is_punct), key=lambda t: t.i)
            for appos in (t for t in head.subtree if t.dep_ == "appos" and t.head.i != head.i and t.i == last.i):
                if any(a.pos_ in ("VERB", "AUX") for a in appos.ancestors if a.i != head.i and head in a.ancestors):
                    continue  # "a senior official, speaking to correspondent Ivo Ranz,": a clause, not his name
                if appos.head.pos_ == "NOUN" and (self._is_person_noun(appos.head) or appos.head.lemma_.lower().endswith(_AGENT_SUFFIXES)):
                    continue  # "a spokesman for the prosecutor, Ana Kolt,": the prosecutor's name, not his
                mention = self._mention_at(appos)
                if mention is not None and mention.label == "PERSON":
                    return mention
        return None

    def _names_whom_spoken_for(self, head: "Token", appos: "Token") -> bool:
        """"a spokesman for the prosecutor, Ana Kolt,": the name after a person the source speaks for is that person's."""
        return any(
            o.dep_ == "pobj" and o.pos_ == "NOUN" and (self._is_person_noun(o) or o.lemma_.lower().endswith(_AGENT_SUFFIXES)) and o.i < appos.i
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
                if mention is None and child.pos_ == "PROPN":  # a name NER missed: "the Al-Dawla daily"
                    return self._untagged_name(child, "ORG")
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
        if word in ("he", "she", "him", "her"):
            gender = "m" if word in ("he", "him") else "f"
            found = self._recent_person(pronoun.idx, gender)
        elif word in ("they", "them"):  # an organisation, a group, or people described in the plural ("union officials")
            found = self._recent_event(pronoun.idx, ("ORG", "GROUP", "GPE", "NORP"), plural_sources=True)
        elif word == "it":
            found = self._recent_event(pronoun.idx, ("ORG", "GPE", ""), organisations=True)
        else:
            found = None
        if found is None:
            return Speaker(UNKNOWN, pronoun.text, *where, route="unknown")
        name, label, seen_at = found
        if word in ("he", "she", "him", "her") and label == "PERSON":
            self.gender.setdefault(name, gender)  # "he said" -> X: X is not the next "she"
        near = self._body_between(self._paragraph_of(seen_at), self._paragraph_of(pronoun.idx)) == 0
        return Speaker(name, pronoun.text, *where, label, route="pronoun", confidence="medium" if near else "low")

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

    # -- descriptions --

    def _resolve_description(self, head: "Token", start: int, end: int) -> Speaker:
        """"the Russian president", "the company", "a senior official": resolved or kept as described."""
        end, affiliation = self._affiliation(head, end)
        raw = self.text[start:end]
        first = self.doc[head.left_edge.i]
        # "A senior official" -> "a senior official"; "Valdoria's envoy", "Syrian newspapers" keep their capital
        named_first = (
            first.pos_ == "PROPN" or first.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")
            or sum(ch.isupper() for ch in first.text) > 1  # "MPs said" is not "mPs"
        )
        described = raw if named_first else raw[:1].lower() + raw[1:]
        det = next((c for c in head.children if c.dep_ in ("det", "nummod", "poss") and c.i < head.i), None)
        lemma = head.lemma_.lower()
        unnamed = Speaker(described, raw, start, end, "UNNAMED", route="unnamed", affiliation=affiliation)
        if det is not None and det.lower_ == "our" and lemma in self.lex.press_nouns:
            # "our correspondent": the outlet's own journalist, named earlier with that noun
            best = self._best_person(lemma, self._modifier_words(head), start)
            if best is not None and best[1] >= 2:
                return Speaker(best[0], raw, start, end, "PERSON", route="description")
            return unnamed
        epithet = self._epithet_for_organisation(head, start)
        if epithet is not None:  # "GlaxoSmithKline saw profits fall, but Europe's biggest drugmaker says ..."
            return Speaker(epithet, raw, start, end, "ORG", route="description", confidence="medium")
        if det is not None and det.dep_ == "poss" and self._is_place(det) and lemma in titles():
            # "McConnell in row / Scotland's first minister has told ...": opening the story, a place's
            # office is the one person the headline names
            lead = self._headline_person(start)
            if lead is not None:
                return Speaker(lead, raw, start, end, "PERSON", route="description", confidence="low")
        if det is not None and det.lower_ in ("the", "both") and head.tag_ == "NNS" and self._is_org_noun(lemma):
            group = self._recent_group(start)  # "A and B welcomed it. ... the companies said": both of them
            if group is not None and all(self._known_label(n) not in ("PERSON", "") for n in group.names):
                return Speaker(" + ".join(group.names), raw, start, end, "GROUP", route="description")
        if det is None or det.lower_ in self.lex.indefinite_determiners or det.dep_ == "poss" or head.tag_ in ("NNS", "NNPS"):
            return unnamed
        if det.lower_ not in ("the", "this", "that"):
            return unnamed
        if lemma in self.lex.group_nouns:
            group = self._recent_group(start)
            if group is not None:  # "A and B missed the race. The pair said ...": both of them
                return Speaker(" + ".join(group.names), raw, start, end, "GROUP", route="description")
        if lemma in self.lex.document_nouns or lemma in self.lex.group_nouns:
            return unnamed  # "the report", "the pair" with no earlier author or group: never one person
        mods = self._modifier_words(head)
        if self._is_org_noun(lemma):
            found = self._organisation_by_description(lemma, mods, start)
        else:
            found = self._person_by_description(lemma, mods, start)
        if found is None:
            return unnamed
        if found[1] == "LEAD":  # the story's lead person, by elimination: a guess
            return Speaker(found[0], raw, start, end, "PERSON", route="description", confidence="low")
        return Speaker(found[0], raw, start, end, found[1], route="description")

    def _epithet_for_organisation(self, head: "Token", pos: int) -> str | None:
        """The organisation a superlative epithet stands for: "Europe's biggest drugmaker", "the
        world's largest retailer" right after that organisation was the subject in the same paragraph."""
        if head.tag_ != "NN" or self._is_person_noun(head) or head.lemma_.lower() in self.lex.anonymous_nouns:
            return None
        if not any(c.dep_ == "amod" and (c.tag_ == "JJS" or c.lower_ in ("leading", "top")) for c in head.children):
            return None
        # NER tags a one-word company as a person now and then ("GlaxoSmithKline saw ...")
        found = self._recent_event(pos, ("ORG", "PERSON", ""))
        if found is None or self._paragraph_of(found[2]) != self._paragraph_of(pos):
            return None
        if found[1] != "ORG" and _personal_name(found[0]):
            return None  # a person, not a company
        return found[0]

    def _affiliation(self, head: "Token", end: int) -> tuple[int, str]:
        """(new end, organisation) of "a spokesman for ACME", "an ACME spokesman", "a US official".

        The end grows over a "for/at/of/from" phrase naming an organisation or place, so the
        description keeps it ("a spokesman for ACME"); the organisation is "" when none is named.
        """
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "at", "of", "from", "with") and child.i > head.i:
                obj = next((o for o in child.children if o.dep_ == "pobj"), None)
                mention = self._mention_at(obj) if obj is not None else None
                if mention is not None and mention.label in ("ORG", "GPE", "NORP"):
                    last = obj.right_edge
                    return max(end, last.idx + len(last.text)), mention.canonical
        for child in head.children:
            if child.dep_ in ("compound", "amod", "nmod", "poss") and child.i < head.i:
                mention = self._mention_at(child)
                if mention is not None and mention.label in ("ORG", "GPE"):
                    if head.lemma_.lower() in self.lex.press_nouns and mention.canonical.lower() in institution_countries():
                        continue  # "a Downing Street correspondent" reports on it, not for it
                    return end, mention.canonical
                country = next((w[len(ORIGIN):] for w in _describing_words(child) if w.startswith(ORIGIN)), "")
                if country and child.text[:1].isupper():
                    return end, str(demonyms().get(country, country)).title() if country not in demonyms().values() else country
        return end, ""

    def _modifier_words(self, head: "Token") -> set[str]:
        words = set()
        for child in head.children:
            if child.dep_ in ("amod", "compound", "nmod", "poss"):
                words |= _describing_words(child)
        return words

    def _person_by_description(self, lemma: str, mods: set[str], pos: int) -> tuple[str, str] | None:
        """The person "the <mods> <lemma>" refers to, or None (the description stays as written).

        An office title ("the foreign minister") or an anonymous noun ("the official") must match
        the person's own descriptors; other nouns ("the 45-year-old") fall back to the most recent
        person. A nationality in the description excludes people described with another one.
        """
        unnamed_last = self.events.latest_before(pos, lambda e: (
            e.label == "UNNAMED" and (e.head == lemma or lemma in self.lex.anonymous_nouns)
            and e.names[0] not in self.plural_sources  # "the prime minister" is not the "ministers" before
            and (lemma not in titles() or _same_office(mods, set(e.names[0].lower().split())))
        ), key="UNNAMED" if lemma in self.lex.anonymous_nouns else ("UNNAMED", lemma))
        best = self._best_person(lemma, mods, pos)
        if unnamed_last is not None and (best is None or best[1] < 2 or unnamed_last.pos > best[2]):
            return unnamed_last.names[0], "UNNAMED"
        strict = lemma in self.lex.anonymous_nouns or lemma in titles()
        if best is None or (strict and best[1] < (2 if lemma in self.lex.anonymous_nouns else 1)):
            if lemma not in titles():
                return None
            if mods & _NOT_HOLDING.keys():  # "the shadow chancellor", "the ex home secretary": not the office holder,
                return self._recent_subject_without_office(pos)  # but, perhaps, the person just named
            if lemma in _COURT_OFFICES:
                return None  # the people a court story is about stand before "the judge": no guess
            return self._lead_person(lemma, mods, pos) or self._recent_person_without_office(pos)
        return best[0], "PERSON"

    def _offices(self, name: str, pos: int | None = None) -> set[str]:
        """The office titles the text gives ``name`` (before ``pos``, or anywhere), forms of address aside."""
        words = self.descriptors.all_words(name) if pos is None else self.descriptors.before(name, pos)
        return (words & titles()) - _HONORIFIC_TITLES

    def _recent_subject_without_office(self, pos: int) -> tuple[str, str] | None:
        """"But Jane Doe, for the opposition, attacked the plan. / The shadow chancellor said ...": a
        former or shadow office nobody in the text is described with most likely belongs to the
        person who was the subject just before, in this or the previous body paragraph, when the
        text gives them no office. A guess, as in ``_lead_person``."""
        event = self.events.latest_before(pos, lambda e: len(e.names) == 1 and not self._in_quote(e.pos), key="PERSON")
        if event is None or self._body_between(self._paragraph_of(event.pos), self._paragraph_of(pos)) > 0:
            return None
        name = event.names[0]
        return None if self._offices(name, pos) else (name, "LEAD")

    def _recent_person_without_office(self, pos: int) -> tuple[str, str] | None:
        """"... a call from Jane Doe. The party leader said": when the story's lead holds another
        office, an office nobody is described with goes to the latest person named before it who
        holds no office in the text. A guess, as in ``_lead_person``."""
        people = self._latest_people(pos, lambda m: not self._in_quote(m.start))
        if not people:
            return None
        latest = people[0].canonical
        return None if self._offices(latest, pos) else (latest, "LEAD")

    def _lead_person(self, lemma: str, mods: set[str], pos: int) -> tuple[str, str] | None:
        """"Gordon Brown is to freeze ... The chancellor also hailed ...": an office nobody in the text
        is described with is, most likely, held by the story's lead person (the first person subject),
        unless the text gives that person another office. A guess: the caller marks it low confidence."""
        # the first person subject or named person (read from the start: only the earliest ones count)
        events = self.events.earliest_before(pos, lambda e: len(e.names) == 1 and not self._in_quote(e.pos), key="PERSON")
        people = [(e.pos, e.names[0]) for e in events]
        # the standfirst under a headline names the lead too, though it is not body text
        named = fitting_at_earliest(self._person_mentions, pos, lambda i: (
            not self._in_quote(self.mentions[i].start) and self._paragraph(self._paragraph_of(self.mentions[i].start)).role != "headline"
        ))
        people += [(self.mentions[i].start, self.mentions[i].canonical) for i in named]
        if not people:
            lead = self._headline_person(pos)
            return (lead, "LEAD") if lead is not None else None
        name = min(people)[1]
        if self._offices(name, pos):
            return None  # the lead holds an office the text names, and not this one (else it had matched)
        if " " not in name:
            return None  # a lead is named in full; one word tagged PERSON ("Bollywood") is too weak to guess from
        return name, "LEAD"

    def _headline_person(self, pos: int) -> str | None:
        """The one person the headline names, when no person is named in the body before ``pos``
        and the body names that person later ("McConnell in row / The first minister has ...")."""
        if any(m.label == "PERSON" and m.start < pos and self._paragraph_of(m.start) in self.body for m in self.mentions):
            return None
        headline = {m.canonical for m in self.mentions if m.label == "PERSON" and self._paragraph(self._paragraph_of(m.start)).role == "headline"}
        later = {m.canonical for m in self.mentions if m.label == "PERSON" and m.start > pos}
        return next(iter(headline)) if len(headline) == 1 and headline <= later else None

    def _best_person(self, lemma: str, mods: set[str], pos: int) -> tuple[str, int, int] | None:
        """(canonical, score, last position) of the person a description fits best before ``pos``."""
        candidates = []
        people = self.mentioned_people | self.events.people
        for name in people:
            spoke_at = self.events.last_position((name,), pos)
            seen = [p for p in (self.descriptors.last_before(name, pos), spoke_at) if p is not None]
            if not seen:
                continue
            words = self.descriptors.before(name, pos)
            if _origins(mods) and _origins(words) and not _origins(mods) & _origins(words):
                continue  # "the Russian president" is not the person described as American
            if lemma in titles() and not _same_office(mods, words):
                continue  # "the foreign secretary" is not the home secretary, "the chancellor" not the shadow one
            score = 2 * (lemma in words) + len(mods & words)
            candidates.append((name, score, max(seen), spoke_at))
        # with no word of the description to go by ("the 36-year-old"), the latest subject or speaker
        # (the story's topic) before the latest person merely named ("his role was played by X")
        best = max(candidates, key=lambda c: (c[1], c[3] if not c[1] and c[3] is not None else -1, c[2]), default=None)
        return best[:3] if best is not None else None

    def _organisation_by_description(self, lemma: str, mods: set[str], pos: int) -> tuple[str, str] | None:
        labels = ("ORG", "") + (("GPE",) if lemma in ("country", "nation", "state", "government", "city", "capital", "region") else ())
        # "the alliance" is also the "Making Decisions Alliance" NER tagged as a work of art
        def fits(name: str, label: str) -> bool:
            last = name.lower().split()[-1:]
            if lemma in _COMMERCIAL_NOUNS and last and last[0] in _PUBLIC_BODIES:
                return False  # "the firm" is not "Stanford University"
            return label in labels or (label not in _NOT_ORGANISATIONS and last == [lemma])

        # every earlier fitting event and body mention is a candidate; of one name, label and kind
        # only the latest can win (the score below differs between them by position alone)
        latest: dict[tuple[str, str, bool], tuple[int, int]] = {}
        for kind, index in ((True, self.events.one_name), (False, self._body_mentions)):
            for (name, label), at, order in index.latest_of_each(pos):
                if fits(name, label):
                    group = (name, label if label in labels else "ORG", kind)
                    latest[group] = max(latest.get(group, (at, -order)), (at, -order))
        # in the order a scan of the events, then the mentions, met them (max keeps the first of equals)
        candidates = sorted(((*group, at) for group, (at, _) in latest.items()), key=lambda c: (not c[2], -latest[c[:3]][1]))
        if not candidates:
            return None

        # events that are attributions, not mere subjects
        spoke = {c[0] for c in candidates if c[2] and c[0] in self.resolved.names}

        def score(c: tuple[str, str, bool, int]) -> tuple[int, bool, bool, int]:
            words = set(re.findall(r"[\w-]+", c[0].lower()))
            words |= self.descriptors.before(c[0], pos)
            # "the magazine writes": an organisation that already spoke beats one only mentioned
            return 2 * (lemma in words) + len(mods & words), c[0] in spoke, c[2], c[3]

        named = len({c[0] for c in candidates})
        if lemma in _STATE_NOUNS:  # "the government said" after "the Home Office said": a department is not the government
            candidates = [c for c in candidates if c[1] == "GPE" or score(c)[0] > 0]
            if not candidates:
                return None
        if lemma in _COLLECTIVE_NOUNS:  # "the record industry" is a body only when one is described so
            candidates = [c for c in candidates if score(c)[0] > 0 and self._known_label(c[0]) == "ORG" and not _personal_name(c[0])]
            if not candidates:
                return None
        best = max(candidates, key=score)
        if score(best)[0] == 0 and best[0] not in spoke and named > 1:
            # "the police said" with several organisations named, none a police force and none that
            # spoke before ("the paper wrote" after the paper's name): the description stays as written,
            # but "the company" is the one business a clause was about ("Acme has expanded its range")
            subjects = {c[0] for c in candidates if c[2]}
            if lemma in _COMMERCIAL_NOUNS and len(subjects) == 1:
                subject = next(c for c in candidates if c[2])
                return subject[0], subject[1] or "ORG"
            return None
        return best[0], best[1] or "ORG"


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
# "the company"/"the firm" is a business: never a body whose name says it is a public one.
_COMMERCIAL_NOUNS = frozenset({"company", "firm", "business", "corporation"})
_PUBLIC_BODIES = frozenset({
    "university", "school", "college", "hospital", "council", "ministry", "government", "department", "court",
    "police", "army", "parliament", "party", "union", "charity", "committee", "commission", "embassy", "agency",
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
