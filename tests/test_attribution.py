"""Speaker attribution rules, one parametrised group per error class seen on real articles.

Every article here is invented (people, places, outlets); each class has near-misses that the
rule must leave alone. Cases are (text, [(speaker, route) per quote in text order]).
"""
from __future__ import annotations

import pytest

from framelens.article import article_from_text
from framelens.entities import mention_table
from framelens.nlp import parse_article
from framelens.quotes import extract_quotes
from misread import parsed_with_ents, with_arcs


def attributions(text: str, nlp) -> list[tuple[str, str]]:
    article = article_from_text(text)
    doc = parse_article(article, nlp)
    quotes = extract_quotes(doc, article, mention_table(doc, article))
    return [(q.speaker, q.route) for q in quotes.itertuples()]


def speakers(text: str, nlp) -> list[str]:
    return [s for s, _ in attributions(text, nlp)]


# 1. A description resolves to a person (or stays unnamed), never to a title word or a place.
DESCRIPTION_CASES = [
    (
        "Valdorian President Tomas Krell met Ostmark's leader Anna Vey in Brill on Monday.\n\n"
        "The Valdorian President told reporters that the talks had been frank.",
        ["Tomas Krell"],
    ),
    (
        "Ostmark Prime Minister Anna Vey and Valdorian President Tomas Krell met in Brill.\n\n"
        "The Ostmark prime minister said the border would stay open.",
        ["Anna Vey"],
    ),
    (  # a country modifier that fits nobody: the description stays as written
        "Valdorian President Tomas Krell arrived in Brill on Monday.\n\n"
        "The foreign minister said the visit was a success.",
        ["the foreign minister"],
    ),
    (  # the nearest president is the wrong country: modifiers decide
        "U.S. President Dana Whitfield criticised Valdorian President Tomas Krell on Monday at the summit.\n\n"
        'The U.S. president said that "some of the powers in the world ignore the law."',
        ["Dana Whitfield"],
    ),
]


@pytest.mark.parametrize("text, expected", DESCRIPTION_CASES)
def test_descriptions_resolve_to_people(text, expected, nlp):
    assert speakers(text, nlp) == expected


# 2. An appositive describes the speaker; it is not a second voice.
APPOSITIVE_CASES = [
    (
        '"We ship on Friday," said Mara Lind, Technical Lead of Cloud at Brightcore and Vice President of Engineering.',
        ["Mara Lind"],
    ),
    ('"It works," said Ivo Stanek, distinguished engineer, IT, Brightcore Systems.', ["Ivo Stanek"]),
    # near-miss: a real joint subject keeps both voices
    ("Mara Lind and Ivo Stanek said the product would ship on Friday.", ["Mara Lind + Ivo Stanek"]),
]


@pytest.mark.parametrize("text, expected", APPOSITIVE_CASES)
def test_appositives_are_not_extra_speakers(text, expected, nlp):
    assert speakers(text, nlp) == expected


# 3. Inverted attribution after a quote that starts with a non-name.
INVERTED_CASES = [
    ('"Thanks to everyone who came out tonight," said Priya Naidoo.', [("Priya Naidoo", "named")]),
    ('"Nobody saw this coming," said the coach, Luis Ferreira.', [("Luis Ferreira", "named")]),
    ('"Sorry for the delay," said a spokesman for Harlow Rail.', [("a spokesman for Harlow Rail", "unnamed")]),
]


@pytest.mark.parametrize("text, expected", INVERTED_CASES)
def test_inverted_attribution(text, expected, nlp):
    assert attributions(text, nlp) == expected


# 4. A pronoun goes to the speaker of the previous quote / subject of the previous attribution,
#    not to a person named inside a quote or to the subject of the story.
PRONOUN_CASES = [
    (
        "Detective Sam Ortega said the boy, Jamie Fell, had been missing for two days.\n\n"
        '"We will not stop until we find Jamie Fell," he said.',
        ["Sam Ortega", "Sam Ortega"],
    ),
    (
        'A senior Ostmark official said the talks had failed.\n\n'
        "He added that both sides would meet again.",
        ["a senior Ostmark official", "a senior Ostmark official"],
    ),
    (
        'Lena Marsh died in the crash. Her mother told the Courier: "She loved that road."\n\n'
        'She added: "We want answers."',
        ["her mother", "her mother"],
    ),
]


@pytest.mark.parametrize("text, expected", PRONOUN_CASES)
def test_pronouns_follow_the_previous_speaker(text, expected, nlp):
    assert speakers(text, nlp) == expected


# 5. A statement goes to whoever issued it.
STATEMENT_CASES = [
    (
        "Harlow Rail said in a statement that services would resume on Monday.\n\n"
        'The statement concluded: "We apologise to every passenger."',
        [("Harlow Rail", "named"), ("Harlow Rail", "document")],
    ),
]


@pytest.mark.parametrize("text, expected", STATEMENT_CASES)
def test_statement_author(text, expected, nlp):
    assert attributions(text, nlp) == expected


# 6. A source described first and named later is one person.
NAMED_LATER_CASES = [
    (
        "A spokesman stressed that the clinic was safe.\n\n"
        'Brill Health spokesman Dr Ansel Moor said: "No patient was ever at risk."',
        ["Ansel Moor", "Ansel Moor"],
    ),
    (  # near-miss: an unnamed official and a differently described named person stay apart
        "A senior official said the clinic was safe.\n\n"
        'The health minister, Carla Wendt, said: "We will review the case."',
        ["a senior official", "Carla Wendt"],
    ),
]


@pytest.mark.parametrize("text, expected", NAMED_LATER_CASES)
def test_source_named_later(text, expected, nlp):
    assert speakers(text, nlp) == expected


# 7. Joint subjects are joint speakers.
JOINT_CASES = [
    ("Tomas Krell and Anna Vey agreed that the border should stay open.", ["Tomas Krell + Anna Vey"]),
    ("Both Harlow Rail and the Brill council said the line would reopen.", ["Harlow Rail + Brill council"]),
]


@pytest.mark.parametrize("text, expected", JOINT_CASES)
def test_joint_subjects(text, expected, nlp):
    assert [s.replace("the ", "") for s in speakers(text, nlp)] == [e.replace("the ", "") for e in expected]


# "X quoted Y as saying": Y speaks, X only reports it.
QUOTED_AS_CASES = [
    ('"We will not back down," the Brill Courier quoted Anna Vey as saying.', ["Anna Vey"]),
    ("The paper cited Tomas Krell saying the border would stay open.", ["Tomas Krell"]),
]


@pytest.mark.parametrize("text, expected", QUOTED_AS_CASES)
def test_quoted_as_saying(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_every_route_has_a_confidence(nlp):
    from framelens.quotes.records import ROUTE_CONFIDENCE

    text = (
        "Valdorian President Tomas Krell arrived on Monday.\n\n"
        '"We came in peace," he said. "We leave as friends."\n\n'
        '"It was a good day."\n\n'
        "Officials said nothing more."
    )
    article = article_from_text(text)
    doc = parse_article(article, nlp)
    quotes = extract_quotes(doc, article, mention_table(doc, article))
    assert set(quotes["route"]) <= set(ROUTE_CONFIDENCE)
    assert set(quotes["confidence"]) <= {"high", "medium", "low"}
    assert quotes.loc[quotes["text"] == "It was a good day.", "route"].tolist() == ["carried"]


# A quote with no cue after a sentence about someone in its own paragraph is theirs, not the
# previous paragraph's speaker's.
def test_cueless_quote_goes_to_the_subject_of_its_paragraph(nlp):
    text = (
        'The mayor, Ruth Adler, said: "The bridge will open in May."\n\n'
        'Councillor Omar Haddad mocked the timetable at the meeting: "Nobody in this town believes that date."'
    )
    assert speakers(text, nlp) == ["Ruth Adler", "Omar Haddad"]


# "He said" resolved to a person tells that person's gender: the next "she" is someone else.
def test_resolved_pronoun_tells_gender(nlp):
    text = (
        "Prosecutor Jordan Blake told the jury that the defendant had lied about the crash.\n\n"
        '"He had time to lie," he said.\n\n'
        "Defence lawyer Casey Morgan said her client had panicked. Blake called that account weak.\n\n"
        '"He is not a bad person," she said.'
    )
    assert speakers(text, nlp) == ["Jordan Blake", "Jordan Blake", "Casey Morgan", "Casey Morgan"]


# 8. Missed quotes: a block quote without marks after "X said:".
def test_block_quote_after_a_colon_intro(nlp):
    text = (
        "Valdorian President Tomas Krell spoke for twenty minutes. He told the assembly:\n\n"
        "Our country has waited too long for peace. We will not wait any longer, and we ask every nation here to help.\n\n"
        "The speech drew loud applause from the delegates in the hall."
    )
    assert attributions(text, nlp) == [("Tomas Krell", "carried")]


# A "Name Word: ..." link line is not a transcript turn; a "Name: ..." turn still is.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mara Lind Analysis: Could the new law end the strike in the city?\n\nThe strike went on for a week.", []),
        ("Mara Lind: We will keep the factory open for as long as we can.\n\nIvo Stanek: And we will pay every worker.", ["Mara Lind", "Ivo Stanek"]),
    ],
)
def test_transcript_turn_labels(text, expected, nlp):
    assert speakers(text, nlp) == expected


# An organisation noun led by a name NER missed speaks as that name.
def test_untagged_name_before_an_organisation_noun(nlp):
    text = 'The Brill Morning Star daily said the vote was "a disgrace" and called for new elections in the spring.'
    assert speakers(text, nlp) == ["Brill Morning Star"]


def quotes_found(text: str, nlp) -> list[tuple[str, str, str]]:
    article = article_from_text(text)
    doc = parse_article(article, nlp)
    quotes = extract_quotes(doc, article, mention_table(doc, article))
    return [(q.kind, q.speaker, q.text) for q in quotes.itertuples()]


# 8. Missed (or overlong) quotes.
MISSED_CASES = [
    (  # the opening mark was lost in scraping
        "Tomas Krell and Anna Vey each blamed the other on Monday for the crisis in the north...”, the magazine said.",
        [("direct", "magazine", "Tomas Krell and Anna Vey each blamed the other on Monday for the crisis in the north...")],
    ),
    (  # a parenthetical cue
        "The northern province, he was saying, will remain part of Valdoria whatever its neighbours think.",
        [("indirect", "UNKNOWN", "The northern province, he was saying, will remain part of Valdoria whatever its neighbours think")],
    ),
    (  # the narrator's contrast is not part of what was said
        "The Brill council insists the bridge cannot reopen, while the mayor appears keen to open it by May.",
        [("indirect", "Brill council", "the bridge cannot reopen")],
    ),
    (  # an adverbial "when" clause is not reported content
        "When Anna Vey asked the question, “what have you done”, she meant the whole war in the north.",
        [("direct", "Anna Vey", "what have you done")],
    ),
]


@pytest.mark.parametrize("text, expected", MISSED_CASES)
def test_missed_and_overlong_quotes(text, expected, nlp):
    assert [(k, s.replace("the ", ""), t) for k, s, t in quotes_found(text, nlp)] == expected


FRAGMENT_CASES = [
    # a quoted fragment of four or more words inside a characterising verb's clause is the subject's
    ('Anna Vey called him a tyrant who "drops bombs on his own towns."', [("direct", "Anna Vey", "drops bombs on his own towns.")]),
    ('Anna Vey described the raid as "an attack on every one of us."', [("direct", "Anna Vey", "an attack on every one of us.")]),
    # near-miss: a short scare-quoted term stays a term
    ('Anna Vey called the plan "reckless" and left the hall.', []),
    # the reporter's question is not the speaker's words
    ("Asked whether he feared for his job, Tomas Krell said the board still backed him.", [("indirect", "Tomas Krell", "the board still backed him")]),
]


@pytest.mark.parametrize("text, expected", FRAGMENT_CASES)
def test_quoted_fragments_and_questions(text, expected, nlp):
    assert quotes_found(text, nlp) == expected


MORE_MISSED_CASES = [
    # "told X's Y programme (that)": the programme is the venue, not the content
    ("Anna Vey told BBC Radio 4's Today programme the strike would end on Friday.", [("indirect", "Anna Vey", "the strike would end on Friday")]),
    # "hoped" (the small model lemmatises it "hop")
    ("Anna Vey hoped the strike would end on Friday.", [("indirect", "Anna Vey", "the strike would end on Friday")]),
    # present-tense "says"
    ("Anna Vey says the strike will end on Friday.", [("indirect", "Anna Vey", "the strike will end on Friday")]),
    # transcript labels on a line of their own
    (
        "Mara Lind\n\nWe will keep the factory open for as long as we can and we will pay every worker.\n\n"
        "Ivo Stanek\n\nAnd we will pay them on time, every single week of the year.",
        [
            ("direct", "Mara Lind", "We will keep the factory open for as long as we can and we will pay every worker."),
            ("direct", "Ivo Stanek", "And we will pay them on time, every single week of the year."),
        ],
    ),
    # near-miss: one name line followed by prose is not a transcript
    ("Mara Lind\n\nThe factory will stay open for as long as the owners can pay every worker.", []),
]


@pytest.mark.parametrize("text, expected", MORE_MISSED_CASES)
def test_more_missed_quotes(text, expected, nlp):
    assert quotes_found(text, nlp) == expected


def test_a_repeated_byline_is_not_a_transcript(nlp):
    text = (
        "Mara Lind\n\nThe factory will stay open for as long as the owners can pay every worker.\n\n"
        "Mara Lind\n\nThe owners met the union on Monday and agreed to talk again next week."
    )
    assert quotes_found(text, nlp) == []


def test_a_group_is_not_the_person_named_later(nlp):
    text = (
        "Analysts said house prices would fall again in the spring.\n\n"
        'Mara Lind, an analyst at Brightcore, said: "The market is still weak."'
    )
    assert speakers(text, nlp) == ["analysts", "Mara Lind"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a document with no known author stays a document, never the last person named
        ("Mara Lind wrote the first chapter in 2019.\n\nThe book says the two leaders despised each other.", ["the book"]),
        # "the pair" is the two people just named together, not the last one named
        ("Anna Vey and her coach Ivo Stanek missed the race on Friday.\n\nThe pair said they had been injured in a crash.", ["Anna Vey + Ivo Stanek"]),
        ("Anna Vey missed the race on Friday.\n\nThe pair said they had been injured in a crash.", ["the pair"]),
        # a singular title does not refer back to a plural unnamed source
        (
            "Ministers said the plan would be ready by May.\n\n"
            "The prime minister said the deadline was fixed and would not move again.",
            ["ministers", "the prime minister"],
        ),
    ],
)
def test_descriptions_that_are_not_one_person(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_describing_words_keep_the_word_whole(nlp):
    from framelens.quotes.vocabulary import _describing_words

    doc = nlp("the US press secretary's aide")
    words = {t.text: _describing_words(t) for t in doc}
    assert words["US"] == {"us", "united states", "@united states"}
    assert words["press"] == {"press"}  # not "pre": only a possessive token is dropped
    assert words["'s"] == set()


# Content spans: a reported clause holds what the speaker said, and only that.
def quote_texts(text: str, nlp) -> list[tuple[str, str]]:
    article = article_from_text(text)
    doc = parse_article(article, nlp)
    quotes = extract_quotes(doc, article, mention_table(doc, article))
    return [(q.speaker, q.text) for q in quotes.itertuples()]


CONTENT_SPAN_CASES = [
    (  # a second named actor's stance after "while" is the writer's contrast, even with no comma
        "In remarks to reporters, Jonas Berg insisted President Marco Tull must relinquish power "
        "while Edda Lind supported Tull as the only option to defeat the rebels.",
        [("Jonas Berg", "President Marco Tull must relinquish power")],
    ),
    (  # near-miss: a "while" clause without a named person stays part of what was said
        "Jonas Berg said prices would rise while wages stayed flat.",
        [("Jonas Berg", "prices would rise while wages stayed flat")],
    ),
    (  # the parser takes the clause's subject for the verb's object: it is still what was said
        "At the summit, Kolt urged President Bashar Vell must go.",
        [("Kolt", "President Bashar Vell must go")],
    ),
    (  # near-miss: a real object (the audience) before a clause with its own subject stays out
        "At the summit, Kolt told reporters the strike would end soon.",
        [("Kolt", "the strike would end soon")],
    ),
    (  # the parser strands "gave ..." on the main clause and makes the name the verb's object
        '"Deal begins," is the front-page headline in the Valdor Post, which claims Premier Anna Kolt, '
        "for the first time, gave the green light to cooperate with Norland on a solution.",
        [("Valdor Post", "Premier Anna Kolt, for the first time, gave the green light to cooperate with Norland on a solution")],
    ),
    (  # near-miss: a verb joined to the speech verb itself is what the speaker did, not what was said
        "At the summit on Monday, the minister praised Norland and left the hall early.",
        [],
    ),
    (  # near-miss: the object of "told" is who heard it, even next to a that-clause
        "The former chief, Ivo Ranz, told a court that the fraud charges levelled against him are \"false\".",
        [("Ivo Ranz", 'the fraud charges levelled against him are "false"')],
    ),
    (  # a relative clause the parser hangs on the noun still belongs to the claim
        "Afterward, Edda Lind couldn't resist needling her rival, reiterating the ministry's claim "
        "that it was Jonas Berg who sought the meeting — a matter of pride for her.",
        [("Edda Lind", "it was Jonas Berg who sought the meeting")],
    ),
]


@pytest.mark.parametrize("text, expected", CONTENT_SPAN_CASES)
def test_reported_content_spans(text, expected, nlp):
    assert quote_texts(text, nlp) == expected


FRAGMENT_CASES = [
    (  # the parser hangs the fragments off "chose": the speech verb earlier in the sentence is their cue
        "Marta Kell chose to open her speech, reminding delegates of the summit between the leaders "
        "of the allies, leaders of “the nations that defeated the empire,” which took place "
        "“in our country – in Vessa, in Lorn.”",
        ["Marta Kell", "Marta Kell"],
    ),
    (  # near-miss: a new clause with its own subject comes between the speech verb and the fragment
        "Marta Kell spoke first, and the band outside the hall played “songs of the old republic again” for an hour.",
        [],
    ),
    (  # ... and when that clause's verb is itself a speech verb, its subject speaks
        "Marta Kell spoke first, and the crowd outside the hall chanted “down with the old council now” for an hour.",
        ["the crowd"],
    ),
]


@pytest.mark.parametrize("text, expected", FRAGMENT_CASES)
def test_quoted_fragments_take_the_sentences_speech_verb(text, expected, nlp):
    assert [s for s, _ in quote_texts(text, nlp)] == expected


def test_a_title_modifier_alone_does_not_make_a_name(nlp):
    from framelens.entities import clean_name

    assert clean_name("Foreign Policy", "PERSON") == "Foreign Policy"
    assert clean_name("Foreign Minister Ana Kolt", "PERSON") == "Ana Kolt"
    text = "Foreign Report, a weekly magazine, covered the summit.\n\nForeign Report confirms that the deal was signed."
    assert speakers(text, nlp) == ["Foreign Report"]


SPOKEN_CASES = [
    (  # a quote with no cue after "X's speech" in its own paragraph is X's words
        "The papers today quote Marta Kell's speech to the council at length. One of the most quoted "
        "lines was the question aimed at her rival: “Do you see what you have done?”",
        [("Marta Kell", "document")],
    ),
    (
        "Much of the coverage turned on the remarks of Ivo Ranz at the dinner. The line repeated "
        "everywhere was short: “We will not wait any longer.”",
        [("Ivo Ranz", "document")],
    ),
    (  # near-miss: the speech's owner is a country, not a person: nobody is made up
        "The papers today quote Norland's speech to the council at length. One line stood out: "
        "“Do you see what you have done?”",
        [("UNKNOWN", "unknown")],
    ),
]


@pytest.mark.parametrize("text, expected", SPOKEN_CASES)
def test_uncued_quote_after_a_persons_speech(text, expected, nlp):
    assert attributions(text, nlp) == expected


NAMED_AFTER_CASES = [
    (  # a quote paragraph whose speaker the next paragraph names
        '"We will win this fight."\n\nThat was the message from union leader Mark Ellis at the rally on Sunday.',
        [("Mark Ellis", "named later")],
    ),
    (  # near-miss: the next paragraph names no person's words
        '"We will win this fight."\n\nThat was the message on the banners at the rally on Sunday in Brill.',
        [("UNKNOWN", "unknown")],
    ),
]


@pytest.mark.parametrize("text, expected", NAMED_AFTER_CASES)
def test_quote_paragraph_named_after(text, expected, nlp):
    assert attributions(text, nlp) == expected


@pytest.mark.parametrize(
    "raw, name",
    [
        ("Lord Bach", "Lord Bach"),  # a peer is named by title
        ("Lord Nicholls of Birkenhead", "Lord Nicholls of Birkenhead"),
        ("the Lord Chancellor Lord Falconer", "Lord Falconer"),
        ("Sir Alan Budd", "Alan Budd"),  # near-miss: a knight keeps his given name
        ("Guy Mansfield QC", "Guy Mansfield"),  # letters after a name are not part of it
        ("MSP Kara Whitlow", "Kara Whitlow"),  # nor letters used as a role before it
        ("Valdor Green MP Ivo Ranz", "Ivo Ranz"),
        ("Ivo Ranz MSP", "Ivo Ranz"),
        ("Liberal Democrat peer Lord Carlile", "Lord Carlile"),  # the name follows the role
        ("Labour leader Ana Kolt", "Ana Kolt"),
        ("Charles de Vere", "Charles de Vere"),  # near-miss: a particle stays
    ],
)
def test_person_names_from_uk_usage(raw, name):
    from framelens.entities import clean_name

    assert clean_name(raw, "PERSON") == name


def test_a_peer_tagged_without_the_title_keeps_it(nlp):
    text = "Lord Venn, the procurement minister, spoke to reporters on Monday.\n\nLord Venn said the costs were disappointing."
    assert speakers(text, nlp) == ["Lord Venn"]


OFFICE_CASES = [
    (  # another office with the same title word is not the person described
        "Home Secretary Ivo Ranz met the judges in Brill on Monday.\n\nThe foreign secretary said the ruling was wrong.",
        ["the foreign secretary"],
    ),
    (  # the shadow office is not the office
        "Chancellor Ivo Ranz defended the plans in Brill on Monday.\n\nThe shadow chancellor said the figures were wrong.",
        ["the shadow chancellor"],
    ),
    (  # named later only by the same office: the home secretary named after is not "the foreign secretary"
        "The foreign secretary said the ruling was wrong.\n\n"
        'New Home Secretary Ivo Ranz said: "The men will stay in custody."',
        ["the foreign secretary", "Ivo Ranz"],
    ),
    (  # near-miss: the same office resolves
        "Home Secretary Ivo Ranz met the judges in Brill on Monday.\n\nThe home secretary said the ruling was wrong.",
        ["Ivo Ranz"],
    ),
]


@pytest.mark.parametrize("text, expected", OFFICE_CASES)
def test_title_qualifiers_must_fit(text, expected, nlp):
    assert speakers(text, nlp) == expected


PRONOUN_DIALOGUE_CASES = [
    (  # the subject of the question put to the speaker is not the speaker
        'Prime Minister Ana Kolt praised her former deputy Ivo Ranz on Monday.\n\n'
        'Asked if Mr Ranz could return to the cabinet, she replied: "The door is open."',
        ["Ana Kolt"],
    ),
    (  # the person asked answers
        'Anna Berg visited a school in Brill on Monday. One pupil asked Ms Berg how the council would pay for it. '
        'She began her answer with a joke: "Not with your pocket money."',
        ["one pupil", "Anna Berg"],
    ),
]


@pytest.mark.parametrize("text, expected", PRONOUN_DIALOGUE_CASES)
def test_pronouns_in_questions_and_answers(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_a_named_bodys_report_and_its_later_references(nlp):
    text = (
        "The ministry faces growing delays on its projects.\n\n"
        "A Valdor Audit Office report on the projects says costs have risen by a third. "
        "It says there is little evidence that the ministry has improved.\n\n"
        '"Many problems can be traced to poor planning," the report says.'
    )
    assert speakers(text, nlp) == ["Valdor Audit Office"] * 3


MORE_NAME_CASES = [
    (  # NER tags only the surname: the son is not his father
        "The singer Pavel Orlin watched from the stands.\n\n"
        'Dima Orlin, a former pupil and joint leader of the Brill Hunt, said: "I have no regrets."',
        ["Dima Orlin"],
    ),
    (  # a venue is not "the police", nor is any organisation that never spoke
        "Minister Ana Berg told Valdor Radio that the plan would go ahead. Staff of the Brill Council and the Orr Trust met on Monday.\n\n"
        "The opposition backed the plans as the police said the powers were needed.",
        ["Ana Berg", "the police"],
    ),
    (  # near-miss: "the paper wrote" after that paper spoke
        '"A new start," is the headline in the Valdor Courier, which claims the talks will resume. '
        "The Brill Council met on Monday.\n\nThe ministers had met twice, the paper wrote.",
        ["Valdor Courier", "Valdor Courier"],
    ),
]


@pytest.mark.parametrize("text, expected", MORE_NAME_CASES)
def test_given_names_and_organisation_descriptions(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_our_correspondent_is_the_journalist_named_before(nlp):
    text = (
        "A senior official, speaking to the Courier's defence correspondent Ivo Ranz, said that the costs had stabilised.\n\n"
        "According to our correspondent, the reports contain few new surprises."
    )
    assert speakers(text, nlp) == ["a senior official", "Ivo Ranz"]
    # near-miss: no journalist named before: the description stays
    assert speakers("The costs had stabilised, officials said.\n\nAccording to our correspondent, the reports contain few new surprises.", nlp)[-1] == "our correspondent"


LEAD_PERSON_CASES = [
    (  # an office nobody is described with goes to the story's lead person, as a low-confidence guess
        "Mark Ellis is to freeze fuel duty and fund a new childcare package.\n\n"
        "The chancellor also said the economy was growing faster than forecast.",
        [("Mark Ellis", "description", "low")],
    ),
    (  # near-miss: the lead holds another office: the description stays as written
        "Prime Minister Mark Ellis is to freeze fuel duty and fund a new childcare package.\n\n"
        "The chancellor also said the economy was growing faster than forecast.",
        [("the chancellor", "unnamed", "medium")],
    ),
]


@pytest.mark.parametrize("text, expected", LEAD_PERSON_CASES)
def test_an_unclaimed_office_is_the_lead_persons(text, expected, nlp):
    article = article_from_text(text)
    doc = parse_article(article, nlp)
    quotes = extract_quotes(doc, article, mention_table(doc, article))
    assert [(q.speaker, q.route, q.confidence) for q in quotes.itertuples()] == expected


def attributions_with_entities(text: str, nlp, labels: dict[str, str]) -> list[tuple[str, str, str]]:
    """(speaker, route, confidence) per quote, with the entity labels NER gives fixed by hand:
    ``labels`` maps a name's text to the label the small model sometimes gives it ("ORG")."""
    from spacy.tokens import Span

    article = article_from_text(text)
    doc = parse_article(article, nlp)
    spans = []
    for name, label in labels.items():
        start = article.text.index(name)
        spans.append(doc.char_span(start, start + len(name), label=label))
    doc.ents = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)] + spans
    quotes = extract_quotes(doc, article, mention_table(doc, article))
    return [(q.speaker, q.route, q.confidence) for q in quotes.itertuples()]


def test_a_name_tagged_org_in_apposition_to_a_title_is_a_person(nlp):
    text = (
        "The Valdor Green Party's health spokeswoman, Mira Tollan, welcomed the move but added that "
        'the public should be consulted. She said: "The time has come for a ban."'
    )
    found = attributions_with_entities(text, nlp, {"Mira Tollan": "ORG"})
    assert [s for s, _, _ in found] == ["Mira Tollan", "Mira Tollan"]
    # near-miss: an organisation in apposition to a noun that is no title stays an organisation
    text = 'The group, Safe Roads Network, said the law must change. "It will save lives," it said.'
    assert [s for s, _, _ in attributions_with_entities(text, nlp, {"Safe Roads Network": "ORG"})] == ["Safe Roads Network"] * 2


def test_a_full_name_tagged_org_is_the_person_called_by_its_surname(nlp):
    text = (
        "Tomas Brenn, for the Valdor Greens, called on the minister to publish the accounts.\n\n"
        '"There are serious loose ends in the accounts," Mr Brenn told reporters.'
    )
    assert attributions_with_entities(text, nlp, {"Tomas Brenn": "ORG"})[-1][0] == "Tomas Brenn"
    # near-miss: no person is called by that last word: the organisation stays one
    text = 'Orr Holdings said profits rose. "We had a strong year," Orr Holdings said.'
    assert {s for s, _, _ in attributions_with_entities(text, nlp, {"Orr Holdings": "ORG"})} == {"Orr Holdings"}


MORE_ATTRIBUTION_CASES = [
    (  # a colon cue before the quote; the next sentence's cue reports its own speaker's words
        'Mr Brenn asked: "Would it not be ironic if the plan failed?" '
        "The party's health spokeswoman, Ana Lutz, said she was pleased with the plan.",
        ["Brenn", "Ana Lutz"],
    ),
    (  # near-miss: a cue after a question with no content of its own is the question's
        '"Would it work at all?" Tomas Brenn asked.',
        ["Tomas Brenn"],
    ),
    (  # an institution of the alias table NER reads as a number
        "Number 10 said ministers were interested in governing, not in gossip.",
        ["Number 10"],
    ),
    (  # a minister's portfolio list is not a list of speakers
        "Minister for Children, Young People and Families Karen Voss said new plans would be fair.",
        ["Karen Voss"],
    ),
    (  # near-miss: two people are joint speakers
        "Karen Voss and Tomas Brenn said the new plans would be fair.",
        ["Karen Voss + Tomas Brenn"],
    ),
    (  # "the government" is not the department that spoke before
        "The Valdor Transport Office said the plan was sound. In its five year plan, the government said it was addressing the issue.",
        ["Valdor Transport Office", "the government"],
    ),
    (  # "the government" is the country that spoke, not the company that spoke since
        "Valdoria said on Monday it would seize idle farms. The Orr Meat Group said its farms were busy.\n\n"
        "Last month, the government said it had found more than 500 idle farms.",
        ["Valdoria", "Orr Meat Group", "Valdoria"],
    ),
]


@pytest.mark.parametrize("text, expected", MORE_ATTRIBUTION_CASES)
def test_cues_institutions_portfolios_and_the_government(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_the_alliance_is_the_organisation_whose_name_ends_so(nlp):
    text = 'The Safe Roads Alliance said the law had to change. "It will save lives," the alliance said.'
    assert [s for s, _, _ in attributions_with_entities(text, nlp, {"Safe Roads Alliance": "WORK_OF_ART"})] == ["Safe Roads Alliance"] * 2


def test_a_paragraph_continuing_an_open_quote_keeps_its_speaker(nlp):
    opening = (
        'A spokesman for the Valdor Office said the plan was sound. "We are building a programme," said the spokesman. '
        '"We believe it is safe.'
    )
    second = '"We do not think it right to wait." The spokesman stressed the rules would be kept. Mr Brenn said: "We oppose it."'
    found = speakers(opening + "\n\n" + second, nlp)
    assert found[3] == found[0] == "a spokesman for the Valdor Office" and found[-1] == "Brenn"
    # near-miss: the paragraph before closed its quote: the opening quote takes the paragraph's later cue
    found = speakers(opening + '"\n\n"We oppose it," Mr Brenn said.', nlp)
    assert found[-1] == "Brenn"


LEADER_CASES = [
    (  # "leader" is an office: not the latest person, who is described otherwise, but the lead
        "Tomas Brenn has backed the research.\n\n"
        "The issue was a feature of the Ostmark election, where Jim Hale opposed it. But the Green leader argued there was a moral case.",
        [("Tomas Brenn", "description", "low")],
    ),
    (  # the lead holds another office: the latest person named, who holds none, is the guess
        "Home Secretary Helen Marsh has vowed to go on with the plans despite a call from Karl Weber.\n\n"
        "The Green leader said the minister's departure was a good chance to rethink.",
        [("Karl Weber", "description", "low")],
    ),
    (  # near-miss: the latest person holds an office too: no guess
        "Home Secretary Helen Marsh has vowed to go on with the plans despite a call from Mayor Karl Weber.\n\n"
        "The Green leader said the minister's departure was a good chance to rethink.",
        [("the Green leader", "unnamed", "medium")],
    ),
]


@pytest.mark.parametrize("text, expected", LEADER_CASES)
def test_an_unclaimed_leader(text, expected, nlp):
    assert [t for t in attributions_with_entities(text, nlp, {})] == expected



def test_a_reflexive_subject_is_the_name_before_it(nlp):
    text = "Mr Bez - himself a former executive at a rival firm - said the new car was its most affordable yet."
    assert speakers("Ulrich Bez runs the Orr car company.\n\n" + text, nlp) == ["Ulrich Bez"]
    # near-miss: a reflexive with no name right before it is not resolved to one
    assert speakers("The minister said the plan was fine. Himself a former teacher, he said schools would gain.", nlp)[-1] != "Himself"


GENRE_CASES = [
    (  # an inverted name after a quote, parsed as the verb's object, is the speaker
        'Coach Karl Weber met the squad.\n\n"You cannot change history," warned Weber. "Only one can win."',
        ["Karl Weber", "Karl Weber"],
    ),
    (  # a quoted nickname inside a name is neither a quote nor part of the name
        'Antonio "LA" Reiter, chairman of the Orr Music Group, said: "No one is more credible."',
        ["Antonio Reiter"],
    ),
    (  # "real name X": the speaker is the name the story uses
        'Jay-Dee joined the label in May.\n\nJay-Dee, real name Tomas Brenn, said: "I have inherited two great brands."',
        ["Jay-Dee"],
    ),
    (  # a superlative epithet right after the company was the subject
        "Acme Pharmaceuticals saw its profits fall 9% last year, but Valdoria's biggest drugmaker says a recovery is on the way.",
        ["Acme Pharmaceuticals"],
    ),
    (  # "the firm" is not a university named before
        "The founders met at Brill University in 1994.\n\nNow the firm employs 7,600 workers and insists its culture remains.",
        ["the firm"],
    ),
    (  # "reports from the country": where they come from is not who wrote them
        "Valdoria has promised reform. But progress has been slow, reports from the country say.",
        ["reports"],
    ),
    (  # near-miss: reports from an organisation are its own
        "The Valdor Health Office has promised reform. But progress has been slow, reports from the office say.",
        ["Valdor Health Office"],
    ),
]


@pytest.mark.parametrize("text, expected", GENRE_CASES)
def test_business_sport_and_entertainment_usage(text, expected, nlp):
    assert speakers(text, nlp) == expected


ONE_PERSON_CASES = [
    (  # "quit as home secretary": the office left is a descriptor, so "the ex home secretary" fits
        "Sir Alan Brill published his inquiry's findings on Tuesday. Mr Marsh quit as home secretary last week.\n\n"
        "In a statement, the ex home secretary said he accepted the findings.",
        ["Marsh"],
    ),
    (  # a relation and a role noun sharing one possessive are one person
        "Kara Voss will run in Brill.\n\nVoss's best friend and fellow distance runner, Liz Kell, revealed that the race would be hard.",
        ["Liz Kell"],
    ),
    (  # near-miss: a second noun with its own determiner is a second speaker
        "The mayor and the council leader said the race would go ahead.",
        ["the mayor + the council leader"],
    ),
]


@pytest.mark.parametrize("text, expected", ONE_PERSON_CASES)
def test_one_person_described_twice_and_untagged_bodies(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_an_untagged_organisation_keeps_its_nationality_word(nlp):
    text = "But the Welsh Executive has insisted the minister was speaking about adults."
    assert attributions_with_entities(text, nlp, {"Welsh": "NORP"})[0][0] == "Welsh Executive"


ROLE_LIST_CASES = [
    (  # role nouns and one name joined by "and": one person
        "Orr Awards founder and director Elliot Grant said the awards were growing.",
        ["Elliot Grant"],
    ),
    (  # a list inside the head's own "for" phrase is no second speaker
        "A spokesman for the Department for Culture, Media and Sport said the broadcaster would stay public.",
        ["a spokesman for the Department for Culture"],
    ),
    (  # a capitalised title NER tags as a name is a description, resolved to its holder
        "The Bishop of Brill, Tom Wray, has written a Christmas message.\n\nThe Bishop said the book's claims were laughable.",
        ["Tom Wray"],
    ),
]


@pytest.mark.parametrize("text, expected", ROLE_LIST_CASES)
def test_role_lists_and_capitalised_titles(text, expected, nlp):
    assert speakers(text, nlp) == expected


HEADLINE_CASES = [
    (  # a place's office opening the story is the one person the headline names (a guess: low)
        "Voss in 'drunk' remark row\n\nValdoria's first minister has told a group of pupils that it is fine to relax.\n\n"
        "Ms Karen Voss later said she meant adults.",
        [("Karen Voss", "description", "low"), ("Karen Voss", "named", "high")],
    ),
    (  # near-miss: a place's ambassador after a person named in the body stays unnamed
        "Voss in row\n\nKaren Voss met pupils on Monday. Valdoria's ambassador told reporters that the visit went well.",
        [("Valdoria's ambassador", "unnamed", "medium")],
    ),
]


@pytest.mark.parametrize("text, expected", HEADLINE_CASES)
def test_an_opening_office_is_the_headlines_person(text, expected, nlp):
    assert attributions_with_entities(text, nlp, {"Voss": "PERSON"}) == expected  # the headline's surname tagged


# Found on a fresh blind set (bbc_f) and a scan of unannotated BBC text: reports before a cueless
# quote, names the parser or NER misread, descriptions with nothing to match, peers and parties.
FRESH_SET_CASES = [
    (  # a cueless quote right after a report is the reporter's, not the next speaker's
        'Ivo Ranz, the chief executive of Brightcore, said he expected prices to rise. "We want to be ready '
        'when that happens." Later in the day, Lena Holt, head of sales, said: "It is a good time to buy."',
        ["Ivo Ranz", "Ivo Ranz", "Lena Holt"],
    ),
    (  # near-miss: a report with a sentence between it and the quote does not claim it
        'Analysts said prices would rise. Sales fell in May. "We expect a rebound." "It will come soon," said '
        "Ivo Ranz, the chief executive.",
        ["analysts", "Ivo Ranz", "Ivo Ranz"],
    ),
    ("Former Brill captain Marek Dolan, who now plays in Ostmark, says the team is stronger than ever.", ["Marek Dolan"]),
    ("At the trade fair in Brill Valdor boss Ivo Ranz said sales would rise this year.", ["Ivo Ranz"]),
    ("Valdoria has expelled the envoy after saying he had spied on its army.", ["Valdoria"]),
    (  # a description with no word to match goes to the story's subject, not the last name mentioned
        'Tom Vey has signed for Brill City. His move was arranged by agent Karl Simms. "I am delighted to be '
        'part of this club," said the 24-year-old.',
        ["Tom Vey"],
    ),
    (  # a work's title in apposition is not a subject ("The film, A Quiet Year, follows ...")
        'Singer Ana Kolt has made a new film. The film, A Quiet Year, follows her life. "I wanted to explain '
        'myself," said Kolt. The 41-year-old singer told reporters she was retiring.',
        ["Ana Kolt", "Ana Kolt"],
    ),
    ("Sean Corrigan won the race in Brill on Sunday.\n\nThe Northern Irishman said he was delighted with his form.", ["Sean Corrigan"]),
    (  # an organisation noun before a name NER read as a person: "the firm" is that company
        "Australian building products group Harlan Vost has agreed to pay $1bn to victims.\n\n"
        "The deal follows protests after the firm said its fund was running out of money.",
        ["Harlan Vost"],
    ),
    ("Lord Tarrow of Glenbrook said the law was unjust.", ["Lord Tarrow of Glenbrook"]),
    (  # a shadow office nobody is described with: the person just named, holding no office
        "Budget row\n\nThe budget was published on Monday. But Oliver Lenton, for the Greens, attacked the plan and "
        "its debt.\n\nThe shadow chancellor said the plan had failed.",
        ["Oliver Lenton"],
    ),
    (  # near-miss: the person just named holds the office itself, so is not its shadow
        "Budget row\n\nChancellor Gordon Brayne defended the plan on Monday.\n\nThe shadow chancellor said the plan had failed.",
        ["the shadow chancellor"],
    ),
    (  # a cue with its subject left out continues the previous sentence's subject
        'Mr Ranz told reporters he had not yet read the report. But told the Courier: "We have drawn a line under that."',
        ["Ranz", "Ranz"],
    ),
    ("The Progressive Unionists say the plan will fail.", ["Progressive Unionists"]),
    ("Rapper Kix-T is to run a record label.\n\nKix-T said he was ready for the job.", ["Kix-T"]),
    (  # a role noun before a name tagged ORG: a person, whose surname alone is the same person
        'Brill coach Sven-Olaf Marten has named his squad. "Pedro will start," said Marten. The Brill coach '
        "said he was impressed by the young striker.",
        ["Sven-Olaf Marten", "Sven-Olaf Marten"],
    ),
]


@pytest.mark.parametrize("text, expected", FRESH_SET_CASES)
def test_reports_misread_names_descriptions_peers_and_parties(text, expected, nlp):
    assert speakers(text, nlp) == expected


# Seen on the bbc_g gold (each rule with a near-miss): a quote with no cue after the sentence that
# introduces a person; a position word before a name.
INTRODUCED_CASES = [
    (
        'Kolt Audio makes speakers for phones. "Sales have doubled," said Mr Kolt, its founder.\n\n'
        "The design grew out of research done by the firm's chief scientist Dr Ivo Ranz. "
        '"We are trying to trick the ear into hearing space." The firm now sells in Brill.',
        [("Kolt", "named"), ("Ivo Ranz", "introduced")],
    ),
    (  # near-miss: the sentence's subject is named, so the quote is the subject's, not the newcomer's
        'Kolt Audio makes speakers for phones. "Sales have doubled," said Mr Kolt, its founder.\n\n'
        'Mr Kolt then took a swipe at his rival Ivo Ranz. "He has never made a speaker in his life."',
        [("Kolt", "named"), ("Kolt", "previous subject")],
    ),
    (  # near-miss: a person named before is not being introduced
        '"Sales have doubled," said Ana Kolt of Kolt Audio. Dr Ivo Ranz is her partner.\n\n'
        "The design grew out of research done by the firm's chief scientist Dr Ivo Ranz. "
        '"We are trying to trick the ear into hearing space."',
        [("Ana Kolt", "named"), ("Ana Kolt", "carried")],
    ),
]


@pytest.mark.parametrize("text, expected", INTRODUCED_CASES)
def test_a_quote_after_a_person_is_introduced_is_theirs(text, expected, nlp):
    assert attributions(text, nlp) == expected


def _speakers_with_ents(text: str, ents: list[tuple[str, str]], nlp) -> list[str]:
    """Speakers of ``text`` with NER's output replaced by ``ents`` (see tests/misread.py)."""
    article, doc = parsed_with_ents(text, ents, nlp)
    return extract_quotes(doc, article, mention_table(doc, article))["speaker"].tolist()


def test_a_position_word_before_a_name_ner_read_as_an_organisation(nlp):
    text = (
        "Former Brill centre Pavel Dorn believes the coach must act. Dorn admitted he had been impressed "
        'by the new players. But he told the Courier: "The coach has to change the side now."'
    )
    # "Pavel Dorn" tagged ORG, as the small model read the bbc_g article
    assert _speakers_with_ents(text, [("Pavel Dorn", "ORG")], nlp) == ["Pavel Dorn", "Pavel Dorn"]


LEAD_AND_CONTINUATION_CASES = [
    (  # a lead describes its source; the next paragraph opens with the name
        "Lawyer attacks border law\n\nA senior barrister who has resigned in protest over the border law says the "
        "system is unfair.\n\nMartin Keogh QC quit when the government ignored a court ruling.\n\n"
        'Mr Keogh told reporters: "I cannot defend it any longer."',
        [("Martin Keogh", "named later"), ("Martin Keogh", "named")],
    ),
    (  # near-miss: the person named next holds another office
        "Economy slows\n\nA leading economist says growth will slow this year.\n\n"
        "Chancellor Ruth Abney said the figures were encouraging.",
        [("a leading economist", "unnamed"), ("Ruth Abney", "named")],
    ),
    (  # the quoted sentences after an open quote's continuation go on with it, not with the next cue
        'Gary Dunn of Codeforge said: "We are working on new tools. There will be better worlds to play in.\n\n'
        '"It is like being given a bigger canvas. "For the player, we can make things more real." Ana Holt, head of '
        'Brightcore, said players should expect longer games. "Prices will fall," said Ms Holt.',
        [("Gary Dunn", "named"), ("Gary Dunn", "carried"), ("Gary Dunn", "carried"), ("Ana Holt", "named"), ("Ana Holt", "named")],
    ),
    (  # a paragraph opening with a quote goes on with the speaker before, not the next quote's intro
        'Coach Hugh Rand believes the runner will recover. "How you respond to adversity is what marks you out," '
        'argues Rand.\n\n"One of the challenges is how you turn set backs into chances." And her team-mate Lin Yell '
        'says: "I think this will make her stronger."',
        [("Hugh Rand", "named"), ("Hugh Rand", "carried"), ("Lin Yell", "named")],
    ),
    (  # near-miss: a cue after the later quote covers the quote before it too
        '"We will win the league this season." "We have the best squad," said Brill manager Tom Harte.',
        [("Tom Harte", "named"), ("Tom Harte", "named")],
    ),
    (  # "according to X, who ... and has written Y": the relative clause is no report
        'The comedy will be "a character-driven satire", according to Carl Brand, who created Night Shift in 1999 '
        "and has co-written the series.",
        [("Carl Brand", "named")],
    ),
    (  # near-miss: a subjectless verb after "according to X" is still X's report
        "Cable firms Netline and Telecast are bound to raise speeds and, according to a Netline spokesman, are in a "
        "better position than their rivals.",
        [("a Netline spokesman", "unnamed")],
    ),
]


@pytest.mark.parametrize("text, expected", LEAD_AND_CONTINUATION_CASES)
def test_lead_sources_named_next_and_continued_quotes(text, expected, nlp):
    assert attributions(text, nlp) == expected


def test_a_name_after_the_closing_mark_is_the_subject_even_when_misparsed(nlp):
    """The small model sometimes hangs '..., Ivo Ranz, head of policy, said.' on a word inside the
    quote, leaving the cue with no subject: the parse below is such a misparse, built by hand."""
    from spacy.tokens import Doc

    words = ['"', "Jobs", "will", "go", "in", "Brill", ",", '"', "Ivo", "Ranz", ",", "head", "of", "policy", ",", "said", "."]
    spaces = [False, True, True, True, True, False, False, True, True, False, True, True, True, False, True, False, False]
    heads = [3, 3, 3, 15, 3, 4, 5, 5, 9, 5, 9, 9, 11, 12, 15, 15, 15]  # "Ranz" an appositive of "Brill"
    deps = ["punct", "nsubj", "aux", "ccomp", "prep", "pobj", "punct", "punct", "compound", "appos", "punct", "appos", "prep", "pobj", "punct", "ROOT", "punct"]
    pos = ["PUNCT", "NOUN", "AUX", "VERB", "ADP", "PROPN", "PUNCT", "PUNCT", "PROPN", "PROPN", "PUNCT", "NOUN", "ADP", "NOUN", "PUNCT", "VERB", "PUNCT"]
    lemmas = ['"', "job", "will", "go", "in", "Brill", ",", '"', "Ivo", "Ranz", ",", "head", "of", "policy", ",", "say", "."]
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, lemmas=lemmas,
              sent_starts=[True] + [False] * 16, ents=["O"] * 5 + ["B-GPE"] + ["O"] * 2 + ["B-PERSON", "I-PERSON"] + ["O"] * 7)
    article = article_from_text(doc.text)
    quotes = extract_quotes(doc, article, mention_table(doc, article))
    assert [(q.speaker, q.route) for q in quotes.itertuples()] == [("Ivo Ranz", "named")]


def test_an_unnamed_source_keeps_the_capitals_of_an_abbreviation(nlp):
    # a description opening a sentence is lower-cased ("A senior official" -> "a senior official"), "MEPs" is not
    text = "The plan was published on Monday.\n\nMEPs warned that the plan would not work. A senior official said it would."
    assert speakers(text, nlp) == ["MEPs", "a senior official"]


# Seen on the bbc_i gold (scored once first, then used): each rule with a near-miss.
BBC_I_CASES = [
    (  # a name the parser read into a list after "and" is the subject of the cue after it
        "Brill coach Ivo Ranz has named his side.\n\nThe two sides, both without a win, meet on Sunday at Dunmore and "
        "Ranz says his side will be ready for them.",
        ["Ivo Ranz"],
    ),
    (  # a passive first verb lends its subject to the cue joined to it
        "Pavel Dorn is rumoured to be among the candidates for the job, but says he is focused on the match.",
        ["Pavel Dorn"],
    ),
    (  # a thing cannot insist: the participle's speaker is the main verb's subject
        "Mr Ranz also dismissed the figures insisting that the typical family was better off under the council.",
        ["Ranz"],
    ),
    (  # near-miss: people can insist ("critics insisting")
        "The council welcomed critics insisting that the plan was unfair to the town.",
        ["critics"],
    ),
    (  # a person's own report inside "according to" a newspaper is that person's
        "Martin Keogh ran the firm for ten years. He had promised to cut costs and, according to the Courier, once "
        "told analysts that he would fight.",
        ["Martin Keogh"],
    ),
    (  # near-miss: "according to" a person, the claim is that person's
        "Anna Berg, the chairman of Brill Rovers, spoke on Monday. According to Ms Berg, Ranz vowed he would stay at the club.",
        ["Anna Berg"],
    ),
    (  # a whole trade is no person described with the same word
        "Ivo Ranz, an industry analyst, said prices would fall. Sales rose tenfold, according to the music industry.",
        ["Ivo Ranz", "the music industry"],
    ),
    (  # "the companies" after a joint subject of organisations is both of them
        'Valdor Airways and Brightcore Holdings welcomed the deal on Monday. "It is the right outcome," the companies '
        "said in a joint statement.",
        ["Valdor Airways + Brightcore Holdings"],
    ),
    (  # an inverted subject the parser read into the clause after the cue
        "Mr Ranz runs the archive at Brightcore. Often, said Mr Ranz, the files were lost in the move.",
        ["Ranz"],
    ),
]


@pytest.mark.parametrize("text, expected", BBC_I_CASES)
def test_cues_the_parser_misread_and_relayed_reports(text, expected, nlp):
    assert speakers(text, nlp) == expected


@pytest.mark.parametrize(
    "ents, expected",
    [
        ([("Brightcore", "ORG"), ("Zenpod", "ORG"), ("Zenpod", "ORG")], ["Brightcore"]),
        # near-miss: two businesses were the subjects of clauses, so the description stays as written
        ([("Brightcore", "ORG"), ("Zenpod", "ORG"), ("Valdor", "ORG"), ("Zenpod", "ORG")], ["the company"]),
    ],
)
def test_the_company_is_the_business_a_clause_was_about(ents, expected, nlp):
    # "Zenpod", a product, tagged as a firm: "the company" is the one business a clause was about
    text = (
        "Brightcore has expanded its Zenpod range with a new model. Valdor has cut its prices.\n\nIts latest model "
        "holds twice as many songs as the old Zenpod. The company, which hopes to keep its lead, also said the old "
        "model would go."
    )
    if len(ents) == 3:
        text = text.replace(" Valdor has cut its prices.", "")
    assert _speakers_with_ents(text, ents, nlp) == expected


BBC_J_CASES = [
    (  # "they" after people described in the plural
        "Union officials denied there had been a strike at the plant. They said that many people had flu at this time of year.",
        [("union officials", "unnamed"), ("union officials", "pronoun")],
    ),
    (  # an inverted subject after an opening phrase
        "Mr Ranz runs the archive at Brightcore. On a larger scale, said Mr Ranz, the files were lost in the move.",
        [("Ranz", "named")],
    ),
]


@pytest.mark.parametrize("text, expected", BBC_J_CASES)
def test_they_for_plural_sources_and_inverted_subjects(text, expected, nlp):
    assert attributions(text, nlp) == expected


# Seen on the bbc_k gold (scored once first, then used): each rule with a near-miss.
BBC_K_CASES = [
    (  # the name right before the cue, after a description the parser misread
        'Responding to the speech, shadow chief secretary to the Treasury, George Marten, said: "This was more talk."',
        ["George Marten"],
    ),
    (  # an appositive name before a cue joined to another speaker's verb
        "The agency claimed Mr Dorn was one of the group's leaders but his lawyer, Antony Keogh, told the Courier "
        "it was a laughable suggestion.",
        ["the agency", "Antony Keogh"],
    ),
    (  # a participle hung on a thing: the main clause's subject says it
        "But the party leader Ana Kolt will argue against quotas saying they are outdated and unjust.",
        ["Ana Kolt"],
    ),
    (  # near-miss: a text states what it holds
        "The appeal could hinge on a rule stating that decisions can only be challenged within three years.",
        ["UNKNOWN"],
    ),
    (  # a spokesman's name closing his description, hung on the body he speaks for
        "A spokesman for Brill Customs, Trade and Enforcement, Peter Walsh, said the group did not want money.",
        ["Peter Walsh"],
    ),
    (  # "according to" a description and the name right after it
        "According to local newspaper the Brill Courier, the incident involved drivers going through red lights.",
        ["Brill Courier"],
    ),
    (  # figures with a named author are that author's
        "According to Brill Statistics Office figures, 157,000 new jobs were added last month.",
        ["Brill Statistics Office"],
    ),
    (  # a court story: "the judge" is not its lead person
        "Jayanti Mehra has been jailed for selling fake films.\n\nThe judge in the case said that a heavy penalty was "
        "called for.",
        ["the judge"],
    ),
]


@pytest.mark.parametrize("text, expected", BBC_K_CASES)
def test_names_before_cues_participles_and_authors(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_the_name_of_the_person_a_spokesman_speaks_for_is_not_his(nlp):
    text = "But a spokesman for the prosecutor, State Comptroller Alan Wenger, said no formal agreement had been made."
    assert speakers(text, nlp) == ["a spokesman"]


# Rules written from the remaining errors of bbc_g, bbc_j and bbc_k and the first errors of bbc_m.
BBC_M_CASES = [
    (  # the speech verb fronted: the parser cuts "Said" off as a sentence of its own
        'Hooker Robin Evans is fit. Said Wales coach Tomas Varga: "They have worked hard."',
        ["Tomas Varga"],
    ),
    (  # "the" hung on the place word of a description: still a definite description of the player
        "David Marsh beat two team-mates to win. Marsh was delighted with his award. "
        '"It is a genuine honour," said the Brill Rovers fly-half.',
        ["David Marsh"],
    ),
    (  # a party's spokesman right after a politician's quote is that politician's portfolio
        'Shadow home secretary Ana Kolt condemned the plan. "Is this not a waste of money?" she asked. '
        "The Tory spokesman also said the plan would fail.",
        ["Ana Kolt", "Ana Kolt"],
    ),
    (  # near-miss: a company's spokesman is not the company's head
        "Ann Roe, head of Acme, said profits rose. The Acme spokesman said prices would fall in the spring.",
        ["Ann Roe", "the Acme spokesman"],
    ),
    (  # a participle cue after a subject that cannot speak: the person of the "with X doing" phrase
        "The trouble began on the breakfast show, with Mary Hutton marching up to him, saying the plan was rubbish.",
        ["Mary Hutton"],
    ),
    (  # "the ex-" and a team's name describes the player named before
        'David Marsh says the side is too slow. England face Italy on Saturday. And the ex-Wallaby added: '
        '"If they lose that, they will be in turmoil."',
        ["David Marsh", "David Marsh"],
    ),
    (  # "it" opening a sentence: the organisation subject of the sentence before, not an earlier speaker
        "Brill Gas said the sale was fair. The Vorsk announcement came hours after Ardent accused Brill Gas of "
        "taking part illegally. It has said it will seek damages.",
        ["Brill Gas", "Ardent"],
    ),
    (  # two descriptions joined by "and" with the name closing the second: one person, not a joint quote
        "Leading Valdor watcher, and founder of the Brill consultancy Jeanne Marie Gescher, agreed that the time was ripe.",
        ["Jeanne Marie Gescher"],
    ),
    (  # near-miss: two described people are a joint quote
        "A leading Valdor watcher and the founder of the Brill consultancy agreed that the time was ripe.",
        ["a leading Valdor watcher + the founder"],
    ),
    (  # "That said," links two sentences: no cue
        "Ana Kolt prefers short films. That said, she is currently working on a feature film with a Brill studio.",
        [],
    ),
    (  # near-miss: a quote after it keeps its own cue
        'Ivo Ranz spoke first. That said, "we will win," Mr Ranz added.',
        ["Ivo Ranz"],
    ),
    (  # a name NER missed at the start of a sentence is the body named so before
        "The Tories attacked the plan on Monday. Nearly half a million children skip school each day. "
        "Tories say the previous success came because the party tackled the problem.",
        ["Tories"],
    ),
    (  # a quote right after the sentence a cue ends takes that cue, though a lost mark made its report indirect
        '"We deserve an honest response," Mr Roe told the Courier. "We refuse to understand double standards." '
        'Valdor may find a friendly ear in Brill "The council has said that it supports the plan and would like that '
        'to happen this year," said Ann Lee, a spokesman for the council. "We have said as much to the ministers. '
        "We feel that it is important for us all to pull together.",
        ["Roe", "Roe", "Ann Lee", "Ann Lee"],
    ),
    (  # a street's name before a noun for a business is no organisation's name
        "Ardent has said its profit will be lower than expected. The High Street retailer said sales had fallen.",
        ["Ardent", "Ardent"],
    ),
    (  # an office named in the lead, its holder named opening the next paragraph
        "Tax cuts are needed, party insists\n\n"
        "A major change of direction is needed, the shadow chancellor said as the conference began.\n\n"
        "David Marsh said the country could not compete without tax cuts.",
        ["David Marsh", "David Marsh"],
    ),
    (  # "it" after an attribution to a person's statement is the statement, so that person
        "The Courier said the party could not win. But Mr Roe's statement said: \"The party has made an impact.\" "
        'It added: "Our rivals will want to distract attention."',
        ["Courier", "Roe", "Roe"],
    ),
    (  # near-miss: a question asked by someone is a participle with its agent
        'The question asked by the panel was simple: "Who pays?"',
        ["UNKNOWN"],
    ),
]


@pytest.mark.parametrize("text, expected", BBC_M_CASES)
def test_fronted_verbs_epithets_portfolios_leads_and_documents(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_a_name_before_the_cue_is_its_subject_however_the_parser_hung_it(nlp):
    text = (
        '"Under the agreement, the league wanted a second opinion, which they can do," director of rugby '
        "Ivo Marsh told the Brill Citizen."
    )
    article, doc = parsed_with_ents(text, [("Ivo Marsh", "PERSON"), ("Brill Citizen", "ORG")], nlp)
    # as the model parsed the bbc_m article: "told" a clause of "wanted", its subject "opinion" inside
    # the quote, and the description with the name an appositive of "opinion"
    wanted, opinion, director, told = 7, 10, 18, 23
    assert [doc[i].text for i in (wanted, opinion, director, told)] == ["wanted", "opinion", "director", "told"]
    misparsed = with_arcs(doc, {
        wanted: (wanted, "ROOT"), told: (wanted, "ccomp"), opinion: (told, "nsubj"), director: (opinion, "appos"),
        0: (wanted, "punct"), 16: (opinion, "punct"), 17: (opinion, "punct"), 27: (wanted, "punct"),
    })
    quotes = extract_quotes(misparsed, article, mention_table(misparsed, article))
    assert quotes["speaker"].tolist() == ["Ivo Marsh"]


def test_a_name_ner_cut_at_a_comma_runs_on_to_the_acronym_that_spells_it(nlp):
    text = (
        "The State Office of Radio, Film and Television (SORFT) banned the shows. "
        'The SORFT said: "There is a strong ideological component to these programmes."'
    )
    ents = [("State Office of Radio", "ORG"), ("SORFT", "ORG"), ("SORFT", "ORG")]
    assert _speakers_with_ents(text, ents, nlp) == ["State Office of Radio, Film and Television"]


def test_an_acronym_ner_read_as_a_person_is_the_long_name_it_spells(nlp):
    text = "Prices fell, the Brill Institute of Chartered Valuers said. Prices rose in the north, BICV added."
    ents = [("Brill Institute of Chartered Valuers", "ORG"), ("BICV", "PERSON")]
    assert _speakers_with_ents(text, ents, nlp) == ["Brill Institute of Chartered Valuers", "Brill Institute of Chartered Valuers"]


def test_a_past_tense_cue_the_parser_read_as_a_participle_of_the_name(nlp):
    text = 'Writer Ivo Marsh, from Brill, asked of the war: "How do you justify it?"'
    assert _speakers_with_ents(text, [("Ivo Marsh", "PERSON"), ("Brill", "GPE")], nlp) == ["Ivo Marsh"]


def test_a_nationality_word_between_an_office_and_a_surname_is_a_given_name(nlp):
    text = "Economy minister German Vorst told the Courier that direct state involvement was unjustified."
    assert _speakers_with_ents(text, [("German Vorst", "PERSON"), ("Courier", "ORG")], nlp) == ["German Vorst"]


def test_a_quote_introduced_by_the_agent_of_a_participle_is_the_agents(nlp):
    text = (
        'Teacher Diane Granger said: "Where are you going to put everyone?" And can you imagine a presenter putting '
        'the question posed by Brill nurse Marion Brown: "Would you do that job for five pounds?"'
    )
    ents = [("Diane Granger", "PERSON"), ("Marion Brown", "PERSON")]
    assert _speakers_with_ents(text, ents, nlp) == ["Diane Granger", "Marion Brown"]


BBC_CE_CASES = [
    (  # "they" after the group's own claim is the group
        "The Greens argue they were honest about taxes. Now they say the only rise they want is a new top band.",
        ["Greens", "Greens"],
    ),
    (  # one letter dropped from a long surname: the same person, as a reader takes it
        'Defence minister Pranav Mukherjee opened the show. "There is tremendous scope here," said Mr Mukerjee.',
        ["Pranav Mukherjee"],
    ),
    (  # a possessive pronoun on a document: its owner speaks through it
        "Ann Roe won two medals. Her lawsuit, filed in a Brill court, said the coach had lied.",
        ["Ann Roe"],
    ),
    (  # a day's statement is the statement: never a speaker named "Wednesday"
        "The Valdor Federation said in a statement that the case was closed. Wednesday's statement said a hearing would follow.",
        ["Valdor Federation", "Valdor Federation"],
    ),
    (  # a book is its author's, the author named in the book's title apposition
        "A new book, Valdor Rising by Brill Times journalist Ivo Ranz, says the deal was struck in 1994.",
        ["Ivo Ranz"],
    ),
    (  # ... and so is the same book cited before its author is named
        "A new book says the deal was struck in 1994. Ministers were angry. "
        "A new book, Valdor Rising by Brill Times journalist Ivo Ranz, says the pledge was broken.",
        ["Ivo Ranz", "Ivo Ranz"],
    ),
    (  # near-miss: "a separate survey" is another document, and a survey of people is not by them
        "The survey of more than 1,000 people reported that 43% would not shop online. "
        "In a separate survey by Acme, 80% said they were fed up with passwords.",
        ["the survey", "80%"],
    ),
    (  # a company described after the sentence that was about it
        "The US Air Force will attend the show. Boeing announced a deal with Kolt Systems. "
        "The US company also said it had sold ten planes.",
        ["Boeing"],
    ),
    (  # near-miss: a described origin that another company was named with
        "France's Acme bought a stake in Kolt. Boeing signed a deal with Kolt. The French firm said it would grow.",
        ["Acme"],
    ),
    (  # "adds to" something is no speech
        "The latest triumph adds to the three awards and four gongs won earlier in the year.",
        [],
    ),
    (  # adding tries is no speech, adding a warning is
        "Ivo Ranz and Tom Kolt both added tries to the tally before the final whistle, while Ann Roe gained some "
        "consolation for the visitors. Ann Roe added a warning that the side was tired.",
        ["Ann Roe"],
    ),
    (  # a name in capitals after a characterising verb is no quote; a fragment of words still is
        'This will include what Acme, in a typical act of obscurantism, calls the "Next Generation Secure Computing Base". '
        'Ann Roe called him a tyrant who "drops barrel bombs on his people".',
        ["Ann Roe"],
    ),
    (  # a free relative is no report
        "The hard part is to check whether a user is who they say they are.",
        [],
    ),
    (  # a quote opening a paragraph goes on with the speaker before, not a cue four sentences on
        '"We are almost certain the charges will be dropped," said Ivo Ranz.\n\n'
        '"We have presented a case." Ann Roe was banned. The third test was missed. Both were taken to hospital. '
        '"We were asked all kinds of questions," said Brill Kolt.',
        ["Ivo Ranz", "Ivo Ranz", "Brill Kolt"],
    ),
    (  # the quote right after a reported question is the answer of the person asked
        'When one pupil asked Ivo Ranz how the council would act, began his answer with a joke: "There is no problem here." '
        'He went on to speak about drink. He railed against offers. He said: "It is serious."',
        ["one pupil", "Ivo Ranz", "Ivo Ranz"],
    ),
    (  # near-miss: one sentence between, the later cue still lends
        '"We are certain," said Ivo Ranz.\n\n"We were robbed." The Brill manager was furious. "It was a penalty," said Ann Roe.',
        ["Ivo Ranz", "Ann Roe", "Ann Roe"],
    ),
]


@pytest.mark.parametrize("text, expected", BBC_CE_CASES)
def test_documents_their_owners_companies_just_named_and_quotes_across_a_story(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_a_plural_name_after_the_is_a_group_not_the_he_of_the_next_sentence(nlp):
    text = "Greens leader Ivo Ranz spoke in Brill. The Greens would cut spending on roads. Those cuts would pay for pensions, he said."
    article, doc = parsed_with_ents(text, [("Ivo Ranz", "PERSON"), ("The Greens", "PERSON")], nlp)
    mentions = mention_table(doc, article)
    assert mentions.loc[mentions["text"] == "The Greens", "label"].tolist() == ["ORG"]
    assert extract_quotes(doc, article, mentions)["speaker"].tolist() == ["Ivo Ranz"]


def test_a_surname_before_a_noun_after_the_stays_a_person(nlp):
    text = "The Evans family said Ivo Evans had been a kind man."
    article, doc = parsed_with_ents(text, [("Evans", "PERSON"), ("Ivo Evans", "PERSON")], nlp)
    assert mention_table(doc, article)["label"].tolist() == ["PERSON", "PERSON"]


def test_a_name_tagged_a_place_after_an_honorific_is_a_person(nlp):
    text = 'Minister Pranav Mukherjee spoke. "There is scope here," said Mr Mukerjee.'
    article, doc = parsed_with_ents(text, [("Pranav Mukherjee", "PERSON"), ("Mukerjee", "GPE")], nlp)
    mentions = mention_table(doc, article)
    assert mentions["label"].tolist() == ["PERSON", "PERSON"]
    assert mentions["canonical"].tolist() == ["Pranav Mukherjee", "Pranav Mukherjee"]


BBC_CE_CASES_2 = [
    (  # a jury named with its organisation speaks for it
        'The Valdor Film Institute (VFI) named its top ten. The 13-strong VFI jury concluded: "The film is a classic."',
        ["Valdor Film Institute"],
    ),
    (  # ", said the report." ends the sentence: the report, not a place of the reported clause
        "Brill Research said in a report that TV was losing viewers. The threat to TV was greatest in countries where "
        "broadband was on the up, in particular the UK, France and Spain, said the report.",
        ["Brill Research", "Brill Research"],
    ),
    (  # near-miss: a subject after the verb that opens the reported clause
        "Ann Roe said five countries hold the key.",
        ["Ann Roe"],
    ),
    (  # a document noun is no person named later
        "The number of Valdorians online has doubled, research suggests. "
        '"We see a shift," said Brill Research analyst Ivo Ranz.',
        ["research", "Ivo Ranz"],
    ),
    (  # "self declared" is an adjective
        "The net's self declared spam king is seeking bankruptcy protection.",
        [],
    ),
    (  # the company named in apposition to the subject of the sentence before
        "Its US rival Brill lost an order.\n\nSeparately, the world's largest delivery company, Acme, said it had ordered ten jets. "
        "The US company said it needed more planes.",
        ["Acme", "Acme"],
    ),
    (  # "recalls how X advised him:": the advice is X's words
        'Mr Kolt wants to counter complaints. Mr Kolt recalls how Ivo Ranz once advised him: "Always remember what people see." '
        "Ann Roe advised him to resign.",
        ["Kolt", "Ivo Ranz"],
    ),
    (  # a description resolved to a person is the "he" of the next sentence
        "Prime minister Tomas Roe met Ann Roe. Ann Roe and Ivo Ranz clashed. Ranz said the plan was wrong.\n\n"
        "The prime minister toured the country. He insisted he did not know the date.",
        ["Ivo Ranz", "Tomas Roe"],
    ),
]


@pytest.mark.parametrize("text, expected", BBC_CE_CASES_2)
def test_bodies_of_organisations_inverted_reports_and_described_subjects(text, expected, nlp):
    assert speakers(text, nlp) == expected


def test_a_person_span_opened_by_an_organisation_noun_is_that_organisation(nlp):
    text = "Bookmaker Ivo Ranz has stopped taking bets. The firm closed the book on Friday, saying insider information played a part."
    article, doc = parsed_with_ents(text, [("Bookmaker Ivo Ranz", "PERSON")], nlp)
    mentions = mention_table(doc, article)
    assert mentions[["text", "label"]].values.tolist() == [["Ivo Ranz", "ORG"]]
    assert extract_quotes(doc, article, mentions)["speaker"].tolist() == ["Ivo Ranz"]
