"""Entity mentions, canonical actors, counts against hand counts, co-occurrence."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from framelens import entities as E
from framelens.config import GOLD_DIR
from misread import parsed_with_ents


@pytest.mark.parametrize(
    "text,label,expected",
    [
        ("the UN General Assembly's", "ORG", "UN General Assembly"),
        ("President Macron", "PERSON", "Macron"),
        ("German Chancellor Angela Merkel", "PERSON", "Angela Merkel"),
        ("Dr. Jane Goodall's", "PERSON", "Jane Goodall"),
        ("Merkel", "PERSON", "Merkel"),
        ("Presidents Dana Whitfield", "PERSON", "Dana Whitfield"),  # plural title, as in "Presidents A and B"
        ("Foreign Policy", "ORG", "Foreign Policy"),  # titles are stripped from people only
        ("Rapper Kix-T", "PERSON", "Kix-T"),  # a role noun opening a sentence
        ("Lib Dem Ivo Ranz", "PERSON", "Ivo Ranz"),  # a party label before a politician
        ("Lib Dems", "PERSON", "Lib Dems"),  # ... but a party is not stripped to nothing
        ("Valdor Bankers' Association (VBA", "ORG", "Valdor Bankers' Association"),  # NER stopped inside a bracket
        ("Acme (Europe) Ltd", "ORG", "Acme (Europe) Ltd"),
    ],
)
def test_clean_name(text, label, expected):
    assert E.clean_name(text, label) == expected


@pytest.mark.parametrize(
    "name,expected",
    [("US", "United States"), ("U.S.", "United States"), ("UNGA", "United Nations General Assembly"),
     ("UN General Assembly", "United Nations General Assembly"), ("Nato", "North Atlantic Treaty Organization"),
     ("Acme Corp", "Acme Corp"), ("U.S", "United States")],
)
def test_expand_aliases(name, expected):
    assert E.expand_aliases(name) == expected


def test_acronym():
    assert E.acronym("United Nations General Assembly") == "UNGA"
    assert E.acronym("Food and Agriculture Organization") == "FAO"


ALIAS_ARTICLE = (
    "German Chancellor Angela Merkel met French President Emmanuel Macron in Berlin on Monday.\n"
    "Merkel said the talks were useful. President Macron agreed, and A. Merkel later thanked him.\n"
    "The U.S. and the United States Congress were not mentioned by Chancellor Merkel, but the US was.\n"
    "The Food and Agriculture Organization said on Tuesday that the FAO would publish new figures soon.\n"
)


@pytest.fixture()
def alias_analysis(make_analysis):
    return make_analysis(ALIAS_ARTICLE)


def test_person_aliases_merge_into_full_names(alias_analysis):
    counts = E.entity_counts(alias_analysis.mentions).set_index("canonical")
    assert counts.loc["Angela Merkel", "mentions"] == 4
    assert counts.loc["Emmanuel Macron", "mentions"] == 2
    assert "Merkel" not in counts.index and "Macron" not in counts.index


def test_country_forms_and_acronyms_merge(alias_analysis):
    counts = E.entity_counts(alias_analysis.mentions).set_index("canonical")
    assert counts.loc["United States", "mentions"] >= 2
    assert "US" not in counts.index and "U.S." not in counts.index
    assert counts.loc["Food and Agriculture Organization", "mentions"] == 2


def test_two_people_with_one_surname_stay_apart(make_analysis):
    text = (
        "Hillary Clinton spoke in Ohio on Monday. Clinton said the campaign was going well.\n"
        "Later, Bill Clinton spoke in Iowa. Clinton said he was proud of the campaign.\n"
    )
    mentions = make_analysis(text).mentions
    surnames = mentions[mentions["text"] == "Clinton"]["canonical"].tolist()
    assert surnames == ["Hillary Clinton", "Bill Clinton"]


def test_mentions_point_into_the_text(alias_analysis):
    for row in alias_analysis.mentions.itertuples():
        assert alias_analysis.article.text[row.start_char : row.end_char] == row.text


def test_modifier_uses_are_not_counted(make_analysis):
    text = "The Canadian government criticised the Kenya authorities, and Kenya replied on Friday that it had done nothing wrong.\n"
    mentions = make_analysis(text).mentions
    kenya = mentions[mentions["text"] == "Kenya"]
    assert kenya["modifier"].tolist() == [True, False]
    assert E.entity_counts(mentions).set_index("canonical").loc["Kenya", "mentions"] == 1


def gold_actor_counts(article_id: str) -> dict[str, int]:
    gold = pd.read_csv(GOLD_DIR / f"{article_id}.actors.tsv", sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False)
    gold = gold[gold["label"].isin(["PERSON", "ORG", "GPE"])]
    return dict(zip(gold["canonical"], gold["mentions"].astype(int)))


def test_seed_actor_counts_match_hand_counts(seed_analysis):
    gold = gold_actor_counts("000_794d6e0919ecebcf")
    ours = dict(zip(seed_analysis.actors["canonical"], seed_analysis.actors["mentions"]))
    assert ours == gold


def test_seed_page_furniture_does_not_reach_the_counts(seed_analysis):
    actors = set(seed_analysis.actors["canonical"])
    mentions = seed_analysis.mentions
    furniture_only = set(mentions.loc[mentions["role"] != "body", "canonical"]) - set(mentions.loc[mentions["role"] == "body", "canonical"])
    assert furniture_only and not (furniture_only & actors)


def count_agreement(ours: dict[str, int], gold: dict[str, int]) -> float:
    """Share of hand-counted actors whose machine count is within one of the hand count."""
    return sum(abs(ours.get(actor, 0) - n) <= 1 for actor, n in gold.items()) / len(gold)


# Measured 2026-11-28 with en_core_web_sm 3.8.0 (share of hand-counted actors within one mention):
# uk_council 0.90, press_briefing 1.00; held-out articles, first run 0.91 / 0.92 / 1.00, after the
# missed-surname rule 1.00 / 0.92 / 1.00. The misses are NER errors of the small model
# ("Millbrook ward" tagged NORP, "Castlegate" not tagged at all).
@pytest.mark.parametrize(
    "article_id,floor",
    [("gold_uk_council", 0.85), ("gold_press_briefing", 0.95), ("heldout_courtroom", 0.9), ("heldout_sports", 0.85), ("heldout_health", 0.9)],
)
def test_unseen_articles_actor_counts_close_to_hand_counts(article_id, floor, nlp, project_root):
    from framelens.analysis import analyze
    from framelens.article import load_article

    analysis = analyze(load_article(project_root / "data/raw" / f"{article_id}.txt"), nlp)
    ours = dict(zip(analysis.actors["canonical"], analysis.actors["mentions"]))
    assert count_agreement(ours, gold_actor_counts(article_id)) >= floor


def test_mention_matrix_and_cooccurrence(alias_analysis):
    matrix = E.mention_matrix(alias_analysis.mentions, top=3)
    assert matrix.loc[0, "Angela Merkel"] == 1 and matrix.loc[1, "Angela Merkel"] == 2
    pairs = E.cooccurrence(alias_analysis.mentions)
    first = pairs.iloc[0]
    assert {first["actor_a"], first["actor_b"]} == {"Angela Merkel", "Emmanuel Macron"}
    graph = E.cooccurrence_graph(pairs)
    assert graph["Angela Merkel"]["Emmanuel Macron"]["weight"] == first["sentences"]


def test_honorific_makes_a_person_whatever_ner_said(nlp):
    from spacy.tokens import Span

    doc = nlp("Dr Amara Osei led the trial in the north of the country.")
    doc.ents = [Span(doc, 0, 3, label="ORG")]
    (mention,) = E.raw_mentions(doc)
    assert mention.label == "PERSON" and mention.name == "Amara Osei"


def test_mentions_never_end_in_whitespace(make_analysis):
    text = "Sandbags were stacked outside a bakery in Port Ellery\n\n© Ellery Echo\n\nShare this article\n"
    mentions = make_analysis("The river rose overnight in the town and the mayor spoke to residents.\n\n" + text).mentions
    assert all(t == t.strip() for t in mentions["text"])


def test_untagged_surname_of_a_named_person_is_found(nlp):
    from spacy.tokens import Span

    from framelens.article import article_from_text
    from framelens.nlp import parse_article

    text = "Deputy prosecutor Marcus Webb told jurors the driver had lied. Webb said the sentence was fair, near Webb Street."
    article = article_from_text(text)
    doc = parse_article(article, nlp)
    doc.ents = [Span(doc, 2, 4, label="PERSON")]  # NER found only the full name
    mentions = E.mention_table(doc, article)
    webb = mentions[mentions["canonical"] == "Marcus Webb"]
    assert webb["text"].tolist() == ["Marcus Webb", "Webb"]  # "Webb Street" is a place, not the person


# Class 13 of the trust issue: one person, several name forms, one actor.
MERGE_CASES = [
    (  # a surname particle dropped in one place
        "Syrian President Khalil al-Hadid spoke at the meeting on Monday. Khalil Hadid left the hall after it. Then Hadid said nothing more to the press.",
        {"Khalil al-Hadid": 3},
    ),
    (  # family name written first, then used with an honorific
        "Secretary-General Park Ji-won hosted the lunch for the delegates. Mr Park joked with the guests in the hall.",
        {"Park Ji-won": 2},
    ),
    (  # a given name alone, when only one person has it
        "Callum Reeve scored twice for the club on Saturday. The fans sang for Callum after the game.",
        {"Callum Reeve": 2},
    ),
]


@pytest.mark.parametrize("text, expected", MERGE_CASES)
def test_name_forms_merge(text, expected, make_analysis):
    actors = make_analysis(text).actors
    counts = dict(zip(actors["canonical"], actors["mentions"]))
    for name, n in expected.items():
        assert counts.get(name) == n, counts


def test_a_given_name_shared_by_two_people_stays_apart(make_analysis):
    text = "Anna Berg met Anna Holt at the council offices on Monday. Anna said the talks were useful for the town."
    actors = set(make_analysis(text).actors["canonical"])
    assert {"Anna Berg", "Anna Holt"} <= actors


def _mentions_with_ents(text: str, ents: list[tuple[str, str]], nlp) -> pd.DataFrame:
    """The mention table of ``text`` with NER's output replaced by ``ents`` (see tests/misread.py)."""
    article, doc = parsed_with_ents(text, ents, nlp)
    return E.mention_table(doc, article)


# Names the small model misreads (the bbc_g gold): each rule and a near-miss it must leave alone.
MISREAD_NAME_CASES = [
    (  # a playing position before a name tagged ORG: a person
        "Former Brill centre Pavel Dorn believes the coach must act.", [("Pavel Dorn", "ORG")], {"Pavel Dorn": "PERSON"},
    ),
    (  # near-miss: "centre" is also an organisation noun, but a name after it tagged PERSON stays a person
        "Veteran centre Ivo Ranz says the side is ready for the match.", [("Ivo Ranz", "PERSON")], {"Ivo Ranz": "PERSON"},
    ),
    (  # a word with a capital inside is a brand, not a place
        "Brightnova said it would fight the case in court next week.", [("Brightnova", "GPE")], {"Brightnova": "GPE"},
    ),
    ("NetRanzBig said it would fight the case in court next week.", [("NetRanzBig", "GPE")], {"NetRanzBig": "ORG"}),
    ("Flooding hit the town of McAllen on Monday night.", [("McAllen", "GPE")], {"McAllen": "GPE"}),  # near-miss: a Mc- name
]


@pytest.mark.parametrize("text, ents, expected", MISREAD_NAME_CASES)
def test_misread_name_labels(text, ents, expected, nlp):
    mentions = _mentions_with_ents(text, ents, nlp)
    assert dict(zip(mentions["canonical"], mentions["label"])) == expected


def test_given_name_tagged_alone_takes_the_surname_the_text_gives_a_person(nlp):
    text = (
        "Ivo Ranz, the man behind Brightcore, said he would appeal. Ivo Brill, a neighbour, was not surprised. "
        "His lawyer, Ana Ranz, said the case was weak."
    )
    mentions = _mentions_with_ents(text, [("Ivo", "PERSON"), ("Ivo", "PERSON"), ("Ana Ranz", "PERSON")], nlp)
    # "Brill" is no one's name in the text, so the second "Ivo" stays as NER tagged it
    assert mentions["text"].tolist() == ["Ivo Ranz", "Ivo", "Ana Ranz"]


def test_a_surname_misspelt_by_two_swapped_letters_is_the_same_person(nlp):
    text = "Dana Rietveld runs the lab at the hospital. Ms Reitveld said that the tests had worked. Omar Holst and Ms Holts did not agree with her."
    ents = [("Dana Rietveld", "PERSON"), ("Reitveld", "PERSON"), ("Omar Holst", "PERSON"), ("Holts", "PERSON")]
    mentions = _mentions_with_ents(text, ents, nlp)
    # "Holts" is also "Holst" with two letters swapped, but names under six letters are too short to tell
    assert mentions["canonical"].tolist() == ["Dana Rietveld", "Dana Rietveld", "Omar Holst", "Holts"]


def test_two_people_whose_surnames_swap_into_each_other_stay_apart(nlp):
    text = "Dana Rietveld met Omar Reitveld at the hospital on Monday. Ms Rietveld was the first of them to speak."
    mentions = _mentions_with_ents(text, [("Dana Rietveld", "PERSON"), ("Omar Reitveld", "PERSON"), ("Rietveld", "PERSON")], nlp)
    assert mentions["canonical"].tolist() == ["Dana Rietveld", "Omar Reitveld", "Dana Rietveld"]


def test_an_organisation_named_once_by_ner_is_found_where_it_was_not(nlp):
    text = "Brightcore was fighting several legal battles. Later Brightcore said it would appeal. Brightcore Street was closed."
    mentions = _mentions_with_ents(text, [("Brightcore", "ORG"), ("Brightcore", "ORG")], nlp)
    # the first one untagged is found; the street (a longer name) is not the company
    assert mentions["start_char"].tolist() == [0, text.index("Brightcore said")]
    mentions = _mentions_with_ents(text, [("Brightcore", "ORG")], nlp)
    assert mentions["start_char"].tolist() == [0, text.index("Brightcore said")]


def _mention(text: str, label: str, start: int) -> "E.Mention":
    return E.Mention(text, label, E.clean_name(text, label), start, start + len(text))


@pytest.mark.parametrize(
    "short, organisations, expected",
    [
        ("Lib Dems", ["the Liberal Democrats"], "Liberal Democrats"),
        ("Prog Unionists", ["the Progressive Unionists"], "Progressive Unionists"),
        # near-misses: two organisations fit; a word that starts no word of the long name
        ("Con Assocs", ["Conservative Association", "Consumer Association"], "Con Assocs"),
        ("Lib Dems", ["the Liberal Unionists"], "Lib Dems"),
    ],
)
def test_an_abbreviated_name_is_the_organisation_it_shortens(short, organisations, expected):
    mentions = [_mention(name, "ORG", 100 * k) for k, name in enumerate(organisations, 1)] + [_mention(short, "PERSON", 1000)]
    canonical = E.canonical_names(mentions)
    assert canonical[mentions[-1]] == expected


@pytest.mark.parametrize(
    "text, ents, expected",
    [
        (  # a full name tagged ORG whose surname stands alone elsewhere: a person
            "Sprinter's appeal\n\nDana Welk has denied the claims made against her. Welk said she would be cleared.",
            [("Dana Welk", "ORG"), ("Welk", "PERSON")],
            {"Dana Welk": "PERSON"},
        ),
        (  # near-miss: the first word is a common word of the text ("the budget" ... "Budget Aston")
            "The budget was cut again this year. Budget Aston said the budget had to fall. Aston will close in May.",
            [("Budget Aston", "ORG"), ("Aston", "ORG")],
            {"Budget Aston": "ORG", "Aston": "ORG"},
        ),
        (  # near-miss: an organisation noun in the name ("Harlow Trust Bank" ... "the Bank said")
            "Harlow Trust Bank raised its rates on Monday. The Bank said that inflation would rise this year.",
            [("Harlow Trust Bank", "ORG"), ("Bank", "ORG")],
            {"Harlow Trust Bank": "ORG", "Bank": "ORG"},
        ),
    ],
)
def test_a_full_name_tagged_org_is_a_person_when_its_surname_stands_alone(text, ents, expected, nlp):
    mentions = _mentions_with_ents(text, ents, nlp)
    assert dict(zip(mentions["canonical"], mentions["label"])) == expected


def test_an_untagged_given_name_before_a_hyphenated_surname(nlp):
    text = "Founder Stelios Haji-Marou has pledged to contest the action. Mr Haji-Marou said he would win the case."
    mentions = _mentions_with_ents(text, [("Haji-Marou", "PERSON"), ("Haji-Marou", "PERSON")], nlp)
    assert mentions["canonical"].tolist() == ["Stelios Haji-Marou", "Stelios Haji-Marou"]


@pytest.mark.parametrize(
    "text, ents, expected",
    [
        (  # the short form of a company's name tagged PERSON is the company
            "Brightcore Holdings has pulled out of the deal. Brightcore said the terms had changed since May.",
            [("Brightcore Holdings", "ORG"), ("Brightcore", "PERSON")],
            {"Brightcore Holdings": "ORG"},
        ),
        (  # near-miss: the founder is "Mr Kolt", so "Kolt" alone is still the man
            "Kolt Audio makes speakers for phones. Mr Kolt said that Kolt would sell them in Brill.",
            [("Kolt Audio", "ORG"), ("Kolt", "PERSON"), ("Kolt", "PERSON")],
            {"Kolt Audio": "ORG", "Kolt": "PERSON"},
        ),
        (  # two words before a name NER read as a place: the charity
            "The charity Age Aware said the plan was cowardly. Age Aware England has written to every member of the board.",
            [("Age Aware", "PERSON"), ("Age Aware England", "LOC")],
            {"Age Aware England": "ORG"},
        ),
    ],
)
def test_a_short_name_is_the_organisation_it_begins(text, ents, expected, nlp):
    mentions = _mentions_with_ents(text, ents, nlp)
    assert dict(zip(mentions["canonical"], mentions["label"])) == expected


def test_an_honorific_inside_an_entity_starts_a_persons_name(nlp):
    text = 'In a speech to the Brill Policy Centre Mr Ranz said of the mayor: "He is clever but he is not wise."'
    mentions = _mentions_with_ents(text, [("the Brill Policy Centre Mr Ranz", "ORG")], nlp)
    assert mentions[["canonical", "label"]].values.tolist() == [["Brill Policy Centre", "ORG"], ["Ranz", "PERSON"]]


def test_an_organisation_the_parser_read_as_a_noun_is_found(nlp):
    text = "Vexa insists the poster is fair. Vexa later took the image off its website after a row with the paper."
    from spacy.tokens import Span

    from framelens.article import article_from_text
    from framelens.nlp import parse_article

    article = article_from_text(text)
    doc = parse_article(article, nlp)
    doc.ents = [Span(doc, 0, 1, label="ORG")]
    later = next(t for t in doc if t.idx == text.index("Vexa later"))
    later.pos_ = "NOUN"  # the small model's reading of a sentence-initial party name
    mentions = E.mention_table(doc, article)
    assert mentions["start_char"].tolist() == [0, later.idx]


def test_an_abbreviated_party_name_is_the_party_tagged_as_a_nationality():
    mentions = [_mention("the Liberal Democrats", "NORP", 0), _mention("Lib Dems", "ORG", 100), _mention("South African", "NORP", 200), _mention("South Africans", "NORP", 300)]
    canonical = E.canonical_names(mentions)
    # a plural is no abbreviation: "South African" stays itself
    assert [canonical[m] for m in mentions] == ["Liberal Democrats", "Liberal Democrats", "South African", "South Africans"]


def test_an_office_before_a_name_tagged_org_and_a_cut_organisation_name(nlp):
    text = "Brill shadow chancellor Ivo Ranz warned that figures from the Office of the Deputy Mayor were wrong."
    mentions = _mentions_with_ents(text, [("Ivo Ranz", "ORG"), ("the Office of the", "ORG")], nlp)
    assert dict(zip(mentions["canonical"], mentions["label"])) == {"Ivo Ranz": "PERSON", "Office of the Deputy Mayor": "ORG"}
    assert E.clean_name("Magistrate Lee Gilmore", "PERSON") == "Lee Gilmore"


@pytest.mark.parametrize(
    "names, expected",
    [
        # named in full first, then short: one organisation
        (["Ardent Holdings", "Ardent", "Ardent"], "Ardent Holdings"),
        (["Ardent", "Ardent Holdings", "Ardent"], "Ardent Holdings"),  # a headline may shorten it
        # the short name twice before the longer one: the longer one is a part of it ("Next Directory")
        (["Ardent", "Ardent", "Ardent Directory", "Ardent"], "Ardent"),
    ],
)
def test_a_short_organisation_name_named_first_is_not_a_longer_names_short_form(names, expected):
    mentions = [_mention(name, "ORG", 100 * k) for k, name in enumerate(names)]
    canonical = E.canonical_names(mentions)
    assert canonical[mentions[-1]] == expected


@pytest.mark.parametrize(
    "text, word",
    [
        ("Critics say firms like Vorsk should be sold. Vorsk denies it.", "Vorsk"),
        ("The privatisation of companies such as Vorsk was badly handled. Vorsk denies it.", "Vorsk"),
        ("The buyer of oil and gas giant Vorsk's main unit was a surprise. Vorsk denies it.", "Vorsk"),
    ],
)
def test_a_name_given_as_an_example_of_companies_is_a_company(text, word, nlp):
    table = _mentions_with_ents(text, [(word, "PERSON"), (word, "PERSON")], nlp)
    assert set(table["label"]) == {"ORG"}


def test_a_person_named_as_an_example_of_people_stays_a_person(nlp):
    text = "Critics say players like Vorsk should be paid more. Vorsk denies it."
    table = _mentions_with_ents(text, [("Vorsk", "PERSON"), ("Vorsk", "PERSON")], nlp)
    assert set(table["label"]) == {"PERSON"}


def test_a_place_tagged_a_person_once_among_many_stays_a_place(nlp):
    text = "Brill beat Ostmark. Brill face Valdor next. Brill lost in May. Brill will win, Marsh said."
    ents = [("Brill", "GPE"), ("Ostmark", "GPE"), ("Brill", "GPE"), ("Valdor", "GPE"), ("Brill", "PERSON"), ("Brill", "GPE"), ("Marsh", "PERSON")]
    table = _mentions_with_ents(text, ents, nlp)
    assert set(table.loc[table["canonical"] == "Brill", "label"]) == {"GPE"}
    # near-miss: a name tagged a person and a place as often is a person (the small model misreads names)
    ents = [("Brill", "GPE"), ("Ostmark", "GPE"), ("Brill", "PERSON"), ("Valdor", "GPE"), ("Brill", "PERSON"), ("Brill", "GPE"), ("Marsh", "PERSON")]
    table = _mentions_with_ents(text, ents, nlp)
    assert set(table.loc[table["canonical"] == "Brill", "label"]) == {"PERSON"}


def test_a_person_whose_surname_ner_read_as_a_place_stays_a_person(nlp):
    text = "David Brill scored twice in the game. Then Brill ran on to the ball and Brill shot wide, but in the end Brill won it for the team."
    ents = [("David Brill", "PERSON"), ("Brill", "GPE"), ("Brill", "GPE"), ("Brill", "GPE")]
    table = _mentions_with_ents(text, ents, nlp)
    assert set(table["label"]) == {"PERSON"} and set(table["canonical"]) == {"David Brill"}
