"""Descriptions as speakers: who "the foreign minister" or "the company" is."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..entities import demonyms, institution_countries, titles
from .records import Speaker, fitting_at_earliest
from .vocabulary import (
    ORIGIN, _COLLECTIVE_NOUNS, _COMMERCIAL_NOUNS, _COURT_OFFICES, _HONORIFIC_TITLES, _NOT_HOLDING, _NOT_ORGANISATIONS,
    _PUBLIC_BODIES, _STATE_NOUNS, _describing_words, _origins, _personal_name, _same_office,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


# Bodies an organisation appoints, which speak for it when named with it ("the Acme board said").
_BODIES_OF_ORGANISATIONS = frozenset({"jury", "panel", "board", "committee"})


class _Descriptions:
    """Descriptions as speakers: "the Russian president", "the company", "a senior official" resolved
    to the person or organisation so described, or kept as written. Mixed into ``speakers._SpeakerResolver``."""

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
        known = self._known_name(raw) if raw[:1].isupper() and head.i == first.i else None
        if known is not None and self._known_label(known) != "PERSON":  # "Tories say" opening a sentence,
            return Speaker(known, raw, start, end, self._known_label(known) or "ORG", route="named")  # "the Tories" before
        det = next((c for c in head.children if c.dep_ in ("det", "nummod", "poss") and c.i < head.i), None)
        if det is None and first.dep_ == "det" and first.i < head.i:
            det = first  # "the Gloucester fly-half": the parser hung "the" on the place word
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
        body = self._body_of_organisation(head)
        if body is not None:  # "the 13-strong Valdor Institute jury concluded": the institute's jury speaks for it
            return Speaker(body, raw, start, end, "ORG", route="description")
        if lemma in self.lex.group_nouns:
            group = self._recent_group(start)
            if group is not None:  # "A and B missed the race. The pair said ...": both of them
                return Speaker(" + ".join(group.names), raw, start, end, "GROUP", route="description")
        if lemma in self.lex.document_nouns or lemma in self.lex.group_nouns:
            return unnamed  # "the report", "the pair" with no earlier author or group: never one person
        mods = self._modifier_words(head)
        if self._is_org_noun(lemma):
            found = self._company_just_named(head, mods, start) or self._organisation_by_description(lemma, mods, start)
        else:
            found = self._person_by_description(lemma, mods, start)
        if found is None:
            return unnamed
        if found[1] == "LEAD":  # the story's lead person, by elimination: a guess
            return Speaker(found[0], raw, start, end, "PERSON", route="description", confidence="low")
        return Speaker(found[0], raw, start, end, found[1], route="description")

    def _named_in_paragraph(self, name: str, pos: int) -> bool:
        paragraph = self._paragraph_of(pos)
        return any(m.canonical == name and m.start < pos and self._paragraph_of(m.start) == paragraph for m in self.mentions)

    def _body_of_organisation(self, head: "Token") -> str | None:
        """The organisation named before a jury, panel, board or committee of its own ("the AFI jury")."""
        if head.lemma_.lower() not in _BODIES_OF_ORGANISATIONS:
            return None
        for child in head.children:
            mention = self._mention_at(child) if child.dep_ in ("compound", "amod", "nmod") and child.i < head.i else None
            if mention is not None and mention.label == "ORG":
                return mention.canonical
        return None

    def _company_just_named(self, head: "Token", mods: set[str], pos: int) -> tuple[str, str] | None:
        """"Acme announced a deal. The US company also said ...": a company description opening a
        sentence is the company the sentence before was about, unless another is known to be from
        where the description says and that one is not."""
        lemma = head.lemma_.lower()
        if lemma not in _COMMERCIAL_NOUNS or head.left_edge.i != head.sent.start or not head.dep_.startswith("nsubj"):
            return None
        mention = self._organisation_subject_of_sentence_before(head)
        if mention is None or mention.canonical.split()[-1].lower() in _PUBLIC_BODIES:
            return None
        wanted = _origins(mods)
        theirs = _origins(self.descriptors.before(mention.canonical, pos))
        if wanted and not wanted & theirs:
            other = self._organisation_by_description(lemma, mods, pos)
            if theirs or other is not None and wanted & _origins(self.descriptors.before(other[0], pos)) and self._named_in_paragraph(other[0], pos):
                return None  # "The French firm" after "Boeing signed ...", when "France's Acme" was just named
        return mention.canonical, "ORG"

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
            if lemma.startswith("spokes") and _origins(mods) and unnamed_last is None:
                return self._subject_in_paragraph(mods, pos)
            if lemma not in titles() or lemma in self.lex.anonymous_nouns:
                return None  # "the Acme spokesman" is no office the story's lead holds
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

    def _subject_in_paragraph(self, mods: set[str], pos: int) -> tuple[str, str] | None:
        """"Mr Doe condemned it ... he asked. The Tory spokesman also criticised ...": a definite
        "the <party or nation> spokesman" that no earlier unnamed source and no description fits is
        a politician's portfolio, held by the person who was the subject just before in the same
        paragraph, unless a nationality rules them out. (A company's spokesman is not so resolved:
        "Ann Roe, head of Acme, said ... the Acme spokesman said" are two people.) A guess, as in
        ``_lead_person``."""
        event = self.events.latest_before(pos, lambda e: len(e.names) == 1 and not self._in_quote(e.pos), key="PERSON")
        if event is None or self._paragraph_of(event.pos) != self._paragraph_of(pos):
            return None
        words = self.descriptors.before(event.names[0], pos)
        if _origins(mods) and _origins(words) and not _origins(mods) & _origins(words):
            return None
        return event.names[0], "LEAD"

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
