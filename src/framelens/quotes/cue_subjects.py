"""The subject of a reporting cue: the tokens that name who speaks."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..entities import HONORIFICS, titles
from .marks import QUOTE_CHARS
from .vocabulary import DATA_NOUNS, _AGENT_SUFFIXES, _TEXT_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Token


class _CueSubjects:
    """Who the subject of a cue is, token by token: "X said", "said X", "according to X", the
    parser's misreadings of each. Mixed into ``speakers._SpeakerResolver``, whose state it shares."""

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
            heads = (
                heads or self._inverted_object(cue) or self._name_misread_before_cue(cue) or self._inverted_subject(cue)
                or self._elided_subject(cue) or self._name_after_quote(cue)
            )
        if len(heads) > 1:  # "Jay Dee, real name Ivo Ranz, said": the other name is an alias, not a speaker
            heads = [h for h in heads if h.lemma_.lower() != "name"] or heads
        heads = [self._name_before_alias(h) for h in heads]
        if len(heads) > 1:
            before = [h for h in heads if h.i < cue.i]
            inverted = self._inverted_after_comma(cue, heads)
            if inverted is not None:
                heads = [inverted]
            elif before:
                heads = [max(before, key=lambda h: h.i)]
            else:
                heads = [min(heads, key=lambda h: h.i)]
        if not heads and cue.dep_ == "xcomp" and depth < 3:  # "X was forced to deny ...": the passive subject
            heads = [c for c in cue.head.children if c.dep_ == "nsubjpass" and not self._inside_quote(c, cue)][:1]
            if heads:
                return self._with_conjuncts(heads[0])
        if not heads and cue.dep_ in ("conj", "advcl", "xcomp") and cue.head.i != cue.i and depth < 3:
            found = self._subject_heads(cue.head, depth + 1)
            if cue.tag_ == "VBG" and len(found) == 1 and self._is_thing(found[0]):
                found = self._absolute_subject(found[0], cue) or found
            if not found and cue.dep_ == "conj":  # "X is rumoured to ..., but says ...": the passive subject
                found = self._with_conjuncts_of_first(cue.head, "nsubjpass", cue)
            return found
        if not heads and cue.dep_ == "acl" and cue.tag_ == "VBG" and self._is_thing(cue.head) and depth < 3 and cue.lemma_.lower() not in self.lex.weak_verbs:
            verb = self._clause_verb(cue.head)  # "X will argue against discrimination saying ...": X says it
            if verb is not None and verb.i != cue.i:
                return self._subject_heads(verb, depth + 1)
        if not heads and self._misread_participle(cue):
            return self._with_conjuncts(cue.head)  # "Writer Ivo Ranz, from Valdor, asked: "..."": the verb read as "asked by"
        if not heads and cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and depth < 3:  # "X ordered ... after saying"
            verb = cue.head.head  # "X was criticised for insisting": the passive subject
            return self._subject_heads(verb, depth + 1) or self._with_conjuncts_of_first(verb, "nsubjpass", cue)
        if not heads:
            return []
        return self._with_conjuncts(heads[0])

    def _inverted_after_comma(self, cue: "Token", heads: list["Token"]) -> "Token | None":
        """"..., in particular Valdor and Brill, said the report.": the subject after ", said" that ends
        the sentence, not a word of the reported clause the parser also read as a subject."""
        after = [h for h in heads if h.i > cue.i]
        if len(after) != 1 or cue.i == 0 or self.doc[cue.i - 1].text != ",":
            return None
        end = after[0].right_edge.i + 1
        return after[0] if end >= len(self.doc) or self.doc[end].is_punct and self.doc[end].text in ".;!?" else None

    def _misread_participle(self, cue: "Token") -> bool:
        """A past-tense cue the parser hung on a person's name as a participle, after a comma and
        right before the colon that opens a quote: "X, from Y, asked of the war: "..."" (not "a
        question asked by X", which has its agent)."""
        if cue.dep_ != "acl" or cue.tag_ not in ("VBN", "VBD") or any(c.dep_ == "agent" for c in cue.children):
            return False
        mention = self._mention_at(cue.head)
        if mention is None or mention.label != "PERSON" or cue.i == 0 or self.doc[cue.i - 1].text != ",":
            return False
        after = [t for t in self.doc[cue.i + 1 : min(len(self.doc), cue.i + 12)]]
        colon = next((t for t in after if t.text == ":"), None)
        return colon is not None and colon.i + 1 < len(self.doc) and self.doc[colon.i + 1].text in QUOTE_CHARS and all(
            t.i in {d.i for d in cue.subtree} for t in after if t.i < colon.i
        )

    def _absolute_subject(self, thing: "Token", cue: "Token") -> list["Token"]:
        """"The trouble began, with Ann Roe marching up to him, saying ...": the person subject of a
        "with X doing" phrase between a subject that cannot speak and the participle cue."""
        for t in reversed(self.doc[thing.i + 1 : cue.i]):
            if t.dep_ == "nsubj" and t.head.tag_ == "VBG" and t.head.dep_ == "pcomp" and t.head.head.lower_ == "with":
                mention = self._mention_at(t)
                return [t] if mention is not None and mention.label == "PERSON" else []
        return []

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

    def _opens_sentence(self, cue: "Token") -> bool:
        """Only a conjunction, an adverb or punctuation stands before the cue in its sentence."""
        return all(t.dep_ in ("cc", "advmod", "punct") for t in cue.sent[: cue.i - cue.sent.start])

    def _inverted_subject(self, cue: "Token") -> list["Token"]:
        """"Often, said Mr Roe, the files ...", "On a larger scale, said Mr Roe, ...": a subjectless cue
        opening its sentence, or after a comma, with a person named right after it."""
        if cue.dep_ != "ROOT" or not (self._opens_sentence(cue) or (cue.i > 0 and self.doc[cue.i - 1].text == ",")):
            return []
        return self._inverted_name_after(cue)

    def _elided_subject(self, cue: "Token") -> list["Token"]:
        """"X told the paper he had not read it. But told BBC News: ...": a cue opening its sentence
        with no subject (only a conjunction or adverb before it) has the previous sentence's named subject."""
        sent = cue.sent
        if cue.dep_ != "ROOT" or not self._opens_sentence(cue) or sent.start == 0:
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
        if self._noun_for_people(head) and self._ends_with_person_name(conjunct):
            return True  # "Leading China watcher, and founder of the CGA consultancy Ana Kolt,": one person, named last
        return head.pos_ in ("NOUN", "ADJ") and any(c.dep_ in ("det", "poss") for c in head.children)  # "The comic and actor"

    def _ends_with_person_name(self, token: "Token") -> bool:
        last = max((t for t in token.subtree if not t.is_punct), key=lambda t: t.i)
        mention = self._mention_at(last)
        return mention is not None and mention.label == "PERSON" and last.i != token.i

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
