"""Lessons: notebook structure, every lesson run with papermill on the seed and on a fixture (checks
say "not answered yet", accept the right answers, reject wrong ones), and the checkers themselves."""
from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from framelens import lessons
from framelens.article import article_from_text
from framelens.config import GOLD_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, RAW_DIR, REPORTS_DIR, SEED_ARTICLE
from framelens.runner import kernel_name

LESSONS_DIR = NOTEBOOKS_DIR / "lessons"
LESSONS = ("L1_tokens", "L2_entities", "L3_quotes", "L4_framing", "L5_validity")
FIXTURE = Path(__file__).parent / "fixtures" / "harbour_flood.txt"
UK_COUNCIL = RAW_DIR / "gold_uk_council.txt"
ARTICLES = {"seed": SEED_ARTICLE, "fixture": FIXTURE}
PARAMETER_LINE = re.compile(r'^(\w+): (str|int|float|bool) = (.+?)  # ([^"]+)$')


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(LESSONS_DIR / f"{name}.ipynb", as_version=4)


def _prefix(name: str) -> str:
    return name.split("_")[0].lower()


def _exercises(nb: nbformat.NotebookNode, name: str) -> list[int]:
    pattern = re.compile(rf"^{_prefix(name)}-answer-(\d+)$")
    return [int(m.group(1)) for c in nb.cells if (m := pattern.match(c.get("id", "")))]


# --- structure (no kernel) ------------------------------------------------------------------


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_is_committed_clean_with_stable_ids(name):
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "framelens"  # the project kernel `make` installs
    ids = [c["id"] for c in nb.cells]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(_prefix(name) + "-") for i in ids), "ids are stable, readable and per lesson"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: cell {cell.id} has outputs"
    text = "\n".join(c.source for c in nb.cells)
    assert "nltk.download" not in text
    assert "../" not in text, "paths come from the project root, not relative strings"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_has_goals_parameters_exercises_and_limits(name):
    nb = _read(name)
    cells = nb.cells
    assert cells[0].cell_type == "markdown" and "Learning goals" in cells[0].source
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    params = cells[tagged[0]]
    names = []
    for line in params.source.splitlines():
        match = PARAMETER_LINE.match(line)
        assert match, f"{name}: parameter line {line!r} needs 'name: type = literal  # comment' without double quotes in the comment"
        names.append(match.group(1))
        assert re.fullmatch(r'"[^"]*"|-?\d+(\.\d+)?|True|False', match.group(3)), f"{line!r}: literals only"
    expected = ["article_path", "spacy_model", "processed_root", "output_dir"] + (["gold_path"] if name == "L5_validity" else [])
    assert names == expected
    derived = cells[tagged[0] + 1].source
    assert "notebook_inputs(" in derived and "tempfile.mkdtemp" in derived and "output_dir=" in derived
    exercises = _exercises(nb, name)
    assert 2 <= len(exercises) <= 5 and exercises == list(range(1, len(exercises) + 1))
    by_id = {c.id: i for i, c in enumerate(cells)}
    for n in exercises:
        answer = cells[by_id[f"{_prefix(name)}-answer-{n}"]]
        check = cells[by_id[f"{_prefix(name)}-answer-{n}"] + 1]
        assert answer.source == f"answer_{n} = None  # your answer here"
        assert check.id == f"{_prefix(name)}-check-{n}" and "lessons.check_" in check.source and f"answer_{n}" in check.source
    assert any(c.cell_type == "markdown" and c.source.startswith("## Limits of this method") for c in cells)
    assert any(c.cell_type == "markdown" and c.source.startswith("## References") for c in cells)


@pytest.mark.parametrize("name", LESSONS)
def test_papermill_documents_the_parameters(name):
    import papermill as pm

    params = pm.inspect_notebook(str(LESSONS_DIR / f"{name}.ipynb"))
    assert params["article_path"]["default"] == '"seeds/000_794d6e0919ecebcf.txt"'
    assert params["output_dir"]["default"] == '""' and "temporary" in params["output_dir"]["help"]
    assert all(p["help"] for p in params.values())


# --- running the lessons ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def processed_root(tmp_path_factory) -> Path:
    """One saved analysis per article for every run in this module (the lessons reuse the parse)."""
    return tmp_path_factory.mktemp("processed")


def _run(name: str, article: Path, out: Path, processed_root: Path, *, answers: dict[int, object] | None = None) -> dict[str, str]:
    """Execute a lesson (answers filled into its answer cells); return cell id -> printed text."""
    import papermill as pm

    nb = _read(name)
    for cell in nb.cells:
        match = re.fullmatch(rf"{_prefix(name)}-answer-(\d+)", cell.get("id", ""))
        if match and answers and int(match.group(1)) in answers:
            cell.source = f"answer_{match.group(1)} = {answers[int(match.group(1))]!r}"
    source = out / f"{name}.in.ipynb"
    nbformat.write(nb, source)
    executed = out / f"{name}.ipynb"
    pm.execute_notebook(
        str(source), str(executed), kernel_name=kernel_name(), cwd=str(PROJECT_ROOT), progress_bar=False,
        parameters={"article_path": str(article), "processed_root": str(processed_root)},
    )
    printed = {}
    for cell in nbformat.read(executed, as_version=4).cells:
        streams = [o for o in cell.get("outputs", []) if o.get("output_type") == "stream"]
        printed[cell.get("id", "")] = "".join(o["text"] for o in streams if o["name"] == "stdout")
        errors = "".join(o["text"] for o in streams if o["name"] == "stderr")
        assert "Traceback" not in errors, f"{name} cell {cell.get('id')}: {errors}"
    return printed


def _verdicts(name: str, printed: dict[str, str]) -> list[str]:
    return [text for cid, text in sorted(printed.items()) if re.fullmatch(rf"{_prefix(name)}-check-\d+", cid)]


@pytest.mark.slow
@pytest.mark.parametrize("which", ARTICLES)
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_and_waits_for_answers(name, which, tmp_path, processed_root, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the kernel's temporary output folder lands in tmp_path
    printed = _run(name, ARTICLES[which], tmp_path, processed_root)
    verdicts = _verdicts(name, printed)
    assert len(verdicts) == len(_exercises(_read(name), name))
    for verdict in verdicts:
        assert "not answered yet" in verdict and "(+)" not in verdict and "(x)" not in verdict
    setup = printed[f"{_prefix(name)}-setup"]
    assert ARTICLES[which].stem in setup
    saved_to = Path(re.search(r"tables saved by this lesson go to (.+)", setup).group(1).strip())
    assert REPORTS_DIR not in saved_to.parents, "a lesson run by a teacher must not write into reports/"
    assert tmp_path in saved_to.parents and saved_to.is_dir(), "output_dir empty means a new temporary folder"


def _analysis(article: Path, processed_root: Path, tmp_path: Path):
    from framelens.runner import notebook_inputs

    analysis, _ = notebook_inputs(str(article), processed_root=str(processed_root), output_dir=str(tmp_path / "answers"))
    return analysis


def _first(values) -> object:
    assert values, "the article should give this exercise an answer"
    return sorted(values)[0]


def _located_gold(article) -> pd.DataFrame:
    from framelens import evaluate

    return evaluate.locate_gold(article, evaluate.read_gold(GOLD_DIR / f"{article.id}.quotes.tsv"))


def _gold_speaker_verdicts(to_check: pd.DataFrame, gold: pd.DataFrame) -> dict[str, str]:
    """What a careful reader records: right where the speaker of the gold quote it overlaps most agrees."""
    from framelens.evaluate import same_speaker

    verdicts = {}
    for q in to_check.itertuples():
        overlap = (gold["end_char"].clip(upper=q.end_char) - gold["start_char"].clip(lower=q.start_char))
        best = gold.loc[overlap.idxmax()]
        verdicts[q.quote_id] = "right" if same_speaker(q.speaker, best["speaker"]) else f"wrong: {best['speaker']}"
    assert verdicts, "the article should list attributions to check"
    return verdicts


def _gold_label_verdicts(to_check: pd.DataFrame, gold: pd.DataFrame) -> dict[str, str]:
    inside = lambda w: ((gold["start_char"] <= w.start_char) & (gold["end_char"] >= w.end_char)).any()  # noqa: E731
    assert len(to_check), "the article should list labels to check"
    return {w.label_id: "Source" if inside(w) else "narrator." for w in to_check.itertuples()}  # case and dots do not matter


def right_answers(name: str, analysis) -> dict[int, object]:
    """What a student who did the exercises would type, computed the way each lesson's text asks."""
    import framelens as fl
    from framelens import evaluate, framing
    from framelens.quotes import quote_timeline, share_of_voice

    article, tokens, mentions = analysis.article, analysis.tokens, analysis.mentions
    if name == "L1_tokens":
        summary = fl.tokens.tokenizer_summary(analysis.doc, article)
        body = fl.tokens.select_roles(tokens)
        words = body[~body["is_punct"]]
        return {
            1: int(summary["tokens"].iloc[0] - summary["tokens"].iloc[1]),
            2: _first(lessons.expected_top_words(fl.word_frequencies(tokens, top=50))).upper(),  # case does not matter
            3: round(100 * float(words["is_stop"].mean()), 1),
            4: lessons.expected_lemma_merges(tokens),
        }
    if name == "L2_entities":
        actors = analysis.actors
        return {
            1: int((mentions["role"] != "body").sum()),
            2: _first(lessons.expected_top_actors(actors, mentions)),
            3: list(reversed(str(actors["aliases"].iloc[0]).split(" | "))),  # order does not matter
            4: int(sum(len(a.split(" | ")) - 1 for a in actors["aliases"])),
        }
    quotes = analysis.quotes
    if name == "L3_quotes":
        voice = share_of_voice(quote_timeline(quotes, article))
        return {
            1: int((quotes["kind"] == "direct").sum()),
            2: int((quotes["cue"] == "").sum()),
            3: sorted(lessons.expected_pronoun_quotes(quotes)),
            4: str(voice["speaker"].iloc[0]),
            5: _gold_speaker_verdicts(lessons.attributions_to_check(quotes), _located_gold(article)),
        }
    if name == "L4_framing":
        naming = framing.naming(analysis.doc, mentions, quotes, article=article)
        tone = framing.tone_by_speaker(quotes, analysis.sentences)
        machine = framing.frames(analysis.sentences, mentions, quotes, tokens=tokens)
        first = machine.groupby("frame", sort=False).head(1)
        return {
            1: int(naming.loc[naming["actor"] == naming["actor"].iloc[0], "expression"].nunique()),
            2: lessons.expected_marked_verbs(quotes),
            3: _first(lessons.expected_most_negative_speaker(tone, mentions)),
            4: {q: ("yes" if a else "no") for q, a in zip(first["question_id"], first["answer"])},
            5: _gold_label_verdicts(lessons.labels_to_check(analysis.tables["loaded_labels"], article),
                                    _located_gold(article)),
        }
    if name == "L5_validity":
        gold = evaluate.read_gold(lessons.gold_file(article))
        extractors = {"framelens": quotes, "direct quotes only": quotes[quotes["kind"] == "direct"]}
        scores = lessons.score_extractors(article, extractors, gold).set_index(["extractor", "threshold"])
        base_08, base_03, ours = scores.loc[("direct quotes only", 0.8)], scores.loc[("direct quotes only", 0.3)], scores.loc[("framelens", 0.3)]
        p, r = base_03["precision"], base_03["recall"]
        return {
            1: round(float(base_08["found"] / base_08["gold"]), 3),
            2: round(float(2 * p * r / (p + r)) if p + r else 0.0, 3),
            3: int(ours["gold"] - ours["found"]),
            4: int(round(ours["speaker_accuracy"] * ours["found"])),
        }
    raise AssertionError(name)


RIGHT_RUNS = [(n, SEED_ARTICLE) for n in LESSONS[:4]] + [
    ("L1_tokens", FIXTURE), ("L2_entities", FIXTURE), ("L5_validity", SEED_ARTICLE), ("L5_validity", UK_COUNCIL),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "article"), RIGHT_RUNS, ids=[f"{n}-{a.stem[:12]}" for n, a in RIGHT_RUNS])
def test_lesson_accepts_the_right_answers(name, article, tmp_path, processed_root, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    answers = right_answers(name, _analysis(article, processed_root, tmp_path))
    verdicts = _verdicts(name, _run(name, article, tmp_path, processed_root, answers=answers))
    assert len(verdicts) == len(answers)
    for n, verdict in enumerate(verdicts, 1):
        assert verdict.startswith("(+)"), f"exercise {n} answered {answers[n]!r}: {verdict}"


@pytest.mark.slow
def test_lesson_rejects_wrong_answers(tmp_path, processed_root, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    right = right_answers("L1_tokens", _analysis(FIXTURE, processed_root, tmp_path))
    wrong = {1: right[1] + 5, 2: "zzzz", 3: "fifty", 4: right[4] + 3}
    verdicts = _verdicts("L1_tokens", _run("L1_tokens", FIXTURE, tmp_path, processed_root, answers=wrong))
    assert all(v.startswith("(x) not yet") for v in verdicts), verdicts
    assert "too high" in verdicts[0] and "Hint:" in verdicts[0]
    assert "expected a number" in verdicts[2]


# --- the checkers ------------------------------------------------------------------------------


def _check(fn, *args, **kwargs) -> tuple[lessons.CheckResult, str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = fn(*args, **kwargs)
    return result, buffer.getvalue()


@pytest.mark.parametrize(
    ("answer", "expected", "kwargs", "status", "words"),
    [
        (20, 20, {}, "correct", "(+) correct"),
        (20.0, 20, {}, "correct", "(+) correct"),
        (50.4, 50.6, {"tolerance": 1}, "correct", "within ±1"),
        (25, 20, {"hint": "subtract"}, "wrong", "too high. Hint: subtract"),
        (15, 20, {}, "wrong", "too low"),
        (None, 20, {}, "unanswered", "not answered yet"),
        ("20", 20, {}, "wrong_type", "expected a number (int or float), got str '20' (write the number without quote marks)"),
        (True, 1, {}, "wrong_type", "expected a number"),
        ([20], 20, {}, "wrong_type", "got list"),
        (3, None, {"unavailable": "no gold file"}, "uncheckable", "cannot be checked on this article — no gold file"),
        (None, None, {"unavailable": "no gold file"}, "unanswered", "not answered yet"),
        (0.75, 0.7647, {"tolerance": 0.01}, "wrong", "too low"),
    ],
)
def test_check_number(answer, expected, kwargs, status, words):
    result, printed = _check(lessons.check_number, answer, expected, **kwargs)
    assert result.status == status and words in printed and printed.count("\n") == 1
    assert result.correct == (status == "correct") and result.message == printed.strip()


@pytest.mark.parametrize(
    ("answer", "options", "status", "words"),
    [
        ("Putin", {"Vladimir Putin", "Putin"}, "correct", "(+) correct — 'Putin'"),
        ("  the WHITE house ", "White House", "correct", "(+)"),
        ("putin.", ["Putin"], "correct", "(+)"),
        ("Obama", {"Putin"}, "wrong", "(x) not yet — 'Obama' is not it"),
        (None, {"Putin"}, "unanswered", "not answered yet"),
        ("", {"Putin"}, "unanswered", "not answered yet"),
        (42, {"Putin"}, "wrong_type", "expected a text answer"),
        (0.8, [0.3, 0.8], "correct", "(+)"),
        ("0.8", [0.3, 0.8], "wrong_type", "expected a number"),
        ("Putin", set(), "uncheckable", "cannot be checked"),
    ],
)
def test_check_choice(answer, options, status, words):
    result, printed = _check(lessons.check_choice, answer, options, hint="look again")
    assert result.status == status and words in printed and printed.count("\n") == 1


@pytest.mark.parametrize(
    ("answer", "expected", "kwargs", "status", "words"),
    [
        (["Putin", "Vladimir Putin"], {"Vladimir Putin", "Putin"}, {}, "correct", "2 of 2"),
        (("putin", "VLADIMIR PUTIN"), ["Vladimir Putin", "Putin"], {}, "correct", "2 of 2"),
        (["Putin"], {"Vladimir Putin", "Putin"}, {}, "wrong", "1 of 2 right"),
        (["Putin", "Vladimir Putin", "Obama"], {"Vladimir Putin", "Putin"}, {}, "wrong", "not in the article's list: 'Obama'"),
        (["Putin", "Obama"], {"Vladimir Putin", "Putin"}, {"min_overlap": 0.5, "allow_extra": True}, "correct", "1 of 2"),
        ([], set(), {}, "correct", "there are none"),
        (["q1"], set(), {}, "wrong", "there should be none"),
        (None, {"q1"}, {}, "unanswered", "not answered yet"),
        ("q1", {"q1"}, {}, "wrong_type", "expected a list of strings"),
        ([1, 2], {"q1"}, {}, "wrong_type", "every item should be a string"),
        (["q1"], None, {"unavailable": "no quotes"}, "uncheckable", "no quotes"),
    ],
)
def test_check_set(answer, expected, kwargs, status, words):
    result, printed = _check(lessons.check_set, answer, expected, **kwargs)
    assert result.status == status and words in printed and printed.count("\n") == 1


MACHINE = pd.DataFrame(
    {
        "frame": ["conflict", "conflict", "economic", "economic"],
        "question_id": ["C1", "C2", "E1", "E2"],
        "question": ["disagreement?", "reproach?", "losses?", "costs?"],
        "answer": [True, False, False, True],
        "evidence_text": ["They clashed.", "", "", "It cost $5m."],
    }
)


@pytest.mark.parametrize(
    ("answer", "status", "words"),
    [
        (None, "unanswered", "not answered yet"),
        ({"C1": None, "E1": ""}, "unanswered", "not answered yet"),
        ({"C1": "yes", "C2": "no", "E1": "no", "E2": "yes"}, "correct", "agree on 4 of 4 (100%), Cohen's kappa 1.00"),
        ({"c1": "Yes", "e2": False}, "correct", "agree on 1 of 2 (50%)"),
        ({"C2": False, "E1": "n"}, "correct", "agree on 2 of 2 (100%), Cohen's kappa undefined"),
        ({"X9": "yes"}, "wrong", "unknown question id(s) X9"),
        ({"C1": "maybe"}, "wrong_type", "answer each question with 'yes' or 'no'; C1 is 'maybe'"),
        (["C1", "yes"], "wrong_type", "expected a dict"),
    ],
)
def test_check_coding(answer, status, words):
    result, printed = _check(lessons.check_coding, answer, MACHINE)
    assert result.status == status and words in printed and printed.count("\n") == 1
    if status == "correct":
        assert list(result.details.columns[:5]) == ["question_id", "frame", "machine", "human", "agree"]
        assert "machine_evidence" in result.details


ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=4),
    st.dictionaries(st.text(max_size=4), st.one_of(st.none(), st.text(max_size=4), st.booleans()), max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(answer=ANYTHING)
@example(answer={"0\n0": False})  # a line break inside an answer is shown escaped, still one line
def test_checkers_never_raise_and_print_one_line(answer):
    for fn, expected in (
        (lessons.check_number, 3), (lessons.check_choice, {"Putin"}), (lessons.check_choice, [0.3, 0.8]),
        (lessons.check_set, {"q1", "q2"}), (lessons.check_coding, MACHINE),
    ):
        result, printed = _check(fn, answer, expected)
        assert result.status in {"correct", "wrong", "wrong_type", "unanswered", "uncheckable"}
        assert printed.count("\n") == 1 and printed.strip() == result.message
    for reference in (lessons.Reference({"q1": "right", "q2": None}, {}, "gold"), lessons.Reference({"w1": "source"}, {}, "machine")):
        result, printed = _check(lessons.check_verdicts, answer, reference, choices=("right", "wrong"))
        assert result.status in {"correct", "wrong", "wrong_type", "unanswered", "uncheckable"}
        assert printed.count("\n") == 1 and printed.strip() == result.message


# --- the answers the checks compare with -----------------------------------------------------------


def test_expected_answers_from_tables():
    frequencies = pd.DataFrame({"word": ["putin", "obama", "said"], "count": [6, 6, 2]})
    assert lessons.expected_top_words(frequencies) == {"putin", "obama"}
    actors = pd.DataFrame({"canonical": ["Vladimir Putin", "Russia"], "label": ["PERSON", "GPE"], "mentions": [5, 5],
                           "aliases": ["Vladimir Putin | Putin | V. Putin", "Russia"]})
    assert lessons.expected_top_actor_aliases(actors) == {"Vladimir Putin", "Putin", "V. Putin"}
    assert lessons.expected_merged_forms(actors) == 2
    assert lessons.expected_top_actors(actors) == {"Vladimir Putin", "Russia"}
    quotes = _invented_quotes()
    assert lessons.expected_direct_quotes(quotes) == 3
    assert lessons.expected_uncued_quotes(quotes) == 2
    assert lessons.expected_pronoun_quotes(quotes) == {"q1"}
    routes = lessons.attribution_routes(quotes)
    assert routes["route"].tolist() == ["pronoun", "carried", "description", "unknown"]
    assert routes["how"].tolist() == [
        "pronoun \u201cshe\u201d \u2192 Jane Roe", "carried over from the previous quote",
        "description \u201ca spokesman\u201d \u2192 Acme", "no attribution found",
    ]
    tone = pd.DataFrame({"speaker": ["Jane Roe", "Acme", "narrator"], "compound": [-0.2, 0.1, -0.9]})
    assert lessons.expected_most_negative_speaker(tone) == {"Jane Roe"}
    assert lessons.expected_most_negative_speaker(tone[tone["speaker"] == "narrator"]) == set()


def test_expected_scores_pick_extractor_and_threshold():
    scores = pd.DataFrame({
        "extractor": ["a", "a", "b", "b"], "threshold": [0.3, 0.8, 0.3, 0.8], "precision": [1, 1, 0.5, 0.5],
        "recall": [1, 0.5, 0.5, 0.25], "f1": [1, 0.667, 0.5, 0.333], "gold": [4, 4, 4, 4], "system": [4, 4, 4, 4],
        "found": [4, 2, 2, 1], "correct": [4, 2, 2, 1], "speaker_accuracy": [0.75, 1, 0.5, 1],
    })
    assert lessons.expected_recall(scores, 0.8, extractor="b") == 0.25
    assert lessons.expected_f1(scores, 0.3, extractor="b") == 0.5
    assert lessons.expected_missed(scores, 0.3, extractor="b") == 2
    assert lessons.expected_right_speakers(scores, 0.3, extractor="a") == 3
    assert lessons.expected_recall(None, 0.3) is None and lessons.score_extractors(None, {}, None) is None


def test_gold_file_lookup(seed_article):
    assert lessons.gold_file(seed_article) == GOLD_DIR / f"{seed_article.id}.quotes.tsv"
    assert lessons.gold_file(seed_article, kind="actors").is_file()
    assert lessons.gold_file(article_from_text("Nobody has annotated this short article about the harbour yet.", article_id="x")) is None
    assert lessons.gold_file(seed_article, "data/gold/other.tsv") == PROJECT_ROOT / "data" / "gold" / "other.tsv"


def test_score_on_gold_article_matches_evaluate(nlp):
    from framelens.analysis import analyze
    from framelens.article import load_article
    from framelens.evaluate import read_gold, score

    analysis = analyze(load_article(UK_COUNCIL), nlp)
    quotes = analysis.quotes
    gold = read_gold(lessons.gold_file(analysis.article))
    matches = lessons.match_quotes(analysis.article, quotes, gold, threshold=0.3)
    row = score(analysis.article, quotes, gold, thresholds=(0.3,)).iloc[0]
    required = matches[matches["required"] == 1]
    assert int(required["found"].sum()) == row["found"]
    assert int(required["speaker_ok"].sum()) == round(row["speaker_accuracy"] * row["found"])


def _tagged_doc(nlp, text: str, pos: dict[str, str], ents: list[tuple[str, str, str]]):
    """A Doc of ``text`` with hand-set parts of speech and entities (no statistical model involved).

    ``ents`` holds (anchor, name, label): the entity is ``name`` where it occurs inside ``anchor``.
    """
    from spacy.tokens import Span

    doc = nlp.make_doc(text)
    for token in doc:
        token.pos_ = pos.get(token.text, "PROPN" if token.text[:1].isupper() else "NOUN")
    spans = []
    for anchor, name, label in ents:
        start = text.index(anchor) + anchor.index(name)
        span = doc.char_span(start, start + len(name))
        spans.append(Span(doc, span.start, span.end, label=label))
    doc.ents = spans
    return doc


def test_suspect_entities_and_missed_names(nlp):
    text = (
        "Mayor Joanna Pike said the water rose in the night. Pike told the Ellery Echo that Kiev "
        "was not the town, and Harbour Floods Town was never a person near the River Lune."
    )
    pos = {w: "VERB" for w in ("said", "rose", "told", "was", "Floods")}
    pos.update({w: "DET" for w in ("the", "a")})
    ents = [
        ("Joanna Pike", "Joanna Pike", "PERSON"), ("Pike told", "Pike", "ORG"), ("Ellery Echo", "Ellery Echo", "LOC"),
        ("Kiev", "Kiev", "PERSON"), ("Harbour Floods Town", "Harbour Floods Town", "PERSON"),
    ]
    doc = _tagged_doc(nlp, text, pos, ents)
    article = article_from_text(text)
    suspects = lessons.suspect_entities(doc, article)
    reasons = dict(zip(suspects["text"] + "/" + suspects["label"], suspects["reason"]))
    assert "labelled ORG elsewhere" in reasons["Joanna Pike/PERSON"]
    assert "labelled PERSON elsewhere" in reasons["Pike/ORG"]
    assert "usually ends an organisation's name" in reasons["Ellery Echo/LOC"]
    assert "one-word person name" in reasons["Kiev/PERSON"]
    assert "contains the verb 'Floods'" in reasons["Harbour Floods Town/PERSON"]
    for row in suspects.itertuples():
        assert text[row.start_char :].startswith(row.text)
    missed = lessons.missed_names(doc, article)
    assert missed["text"].tolist() == ["River Lune"], "titles (Mayor) and entity words are not missed names"


def test_lemma_groups_and_stop_word_share():
    tokens = pd.DataFrame({
        "role": ["body"] * 6 + ["caption"],
        "lower": ["leaders", "leader", "the", "said", ",", "says", "leaders"],
        "lemma": ["leader", "leader", "the", "say", ",", "say", "leader"],
        "is_stop": [False, False, True, False, False, False, False],
        "is_punct": [False, False, False, False, True, False, False],
        "like_num": [False] * 7,
    })
    groups = lessons.lemma_groups(tokens)
    assert groups["lemma"].tolist() == ["leader", "say"] and groups["forms"].iloc[0] == "leaders | leader"
    assert groups["stem"].tolist() == ["leader", "say"]
    assert lessons.expected_lemma_merges(tokens) == 2
    assert lessons.stop_word_share(tokens) == pytest.approx(20.0)


def test_lessons_helpers_are_documented():
    from framelens.lessons import answers, checks, comparing, gold

    for module in (checks, gold, answers, comparing):
        for name in dir(module):
            obj = getattr(module, name)
            if callable(obj) and not name.startswith("_") and getattr(obj, "__module__", "") == module.__name__:
                assert obj.__doc__, name
                assert getattr(lessons, name) is obj, f"framelens.lessons exports {name}"
    every = (*LESSONS, "L6_comparing")  # L6 takes a corpus, not an article: its own tests below
    assert json.dumps(sorted(every)) == json.dumps(sorted(p.stem for p in LESSONS_DIR.glob("*.ipynb")))


# --- checking the machine against the article (L3 attributions, L4 labels) ------------------------

HARBOUR = (
    "Harbour wall holds\n\n"
    "Mayor Jane Roe walked the harbour on Monday with Acme's engineers.\n\n"
    '"The wall held," she said. "We were lucky."\n\n'
    "Acme said the thugs who broke the gate would pay, and the reckless plan was dropped.\n"
)


def _span(text: str) -> tuple[int, int]:
    start = HARBOUR.index(text)
    return start, start + len(text)


def _invented_quotes() -> pd.DataFrame:
    texts = ["The wall held,", "We were lucky.", "the thugs who broke the gate would pay", "the reckless plan was dropped"]
    spans = [_span(t) for t in texts]
    return pd.DataFrame({
        "quote_id": ["q1", "q2", "q3", "q4"], "kind": ["direct", "direct", "indirect", "direct"],
        "speaker": ["Jane Roe", "Jane Roe", "Acme", "UNKNOWN"], "speaker_mention": ["she", "she", "a spokesman", ""],
        "cue": ["said", float("nan"), "said", ""], "cue_lemma": ["say", "", "say", ""],
        "route": ["pronoun", "carried", "description", "unknown"], "confidence": ["medium", "medium", "high", "low"],
        "paragraph": [2, 2, 3, 3], "start_char": [s for s, _ in spans], "end_char": [e for _, e in spans], "text": texts,
    })


def _invented_gold(speakers=("Jane Roe", "Jane Roe", "Acme")) -> pd.DataFrame:
    """Gold with the first three invented quotes (the fourth is the narrator's), speakers as given."""
    quotes = _invented_quotes().head(3)
    return pd.DataFrame({"speaker": list(speakers), "start_char": quotes["start_char"] - 1, "end_char": quotes["end_char"] + 1})


def test_attributions_to_check_lowest_confidence_first_with_routes_in_words():
    listed = lessons.attributions_to_check(_invented_quotes())
    assert listed["quote_id"].tolist() == ["q4", "q1", "q2"], "low first, then medium in text order"
    assert listed["paragraph"].tolist() == [4, 3, 3], "paragraphs are numbered from 1"
    assert listed["how"].iloc[1] == "pronoun \u201cshe\u201d \u2192 Jane Roe"
    assert lessons.attributions_to_check(_invented_quotes().head(0)).empty


def test_passages_number_paragraphs_from_one_with_the_ones_before():
    article = article_from_text(HARBOUR, article_id="harbour")
    text = lessons.passages(article, [3], before=1)
    assert text.startswith("[2] Mayor Jane Roe") and "\n\n[3] \"The wall held,\"" in text and "[4]" not in text
    assert lessons.passages(article, []) == ""


@pytest.mark.parametrize(
    ("answer", "speakers", "status", "words"),
    [
        ({"q4": "wrong", "q1": "right", "q2": "right"}, ("Jane Roe", "Jane Roe", "Acme"), "correct", "the gold cannot judge q4 (the gold has no quote here)"),
        ({"q1": "right", "q2": "Right."}, ("Jane Roe", "Jane Roe", "Acme"), "wrong", "judge q4 too"),
        ({"q1": "wrong: Ann Lee", "q2": "right"}, ("Ann Lee", "Jane Roe", "Acme"), "wrong", "name the gold's choice for q1); judge q4 too"),
        ({"q1": "right", "q2": "right", "q4": "right"}, ("Ann Lee", "Jane Roe", "Acme"), "wrong", "1 of 2; the gold cannot judge q4 (the gold has no quote here); look again at q1"),
        ({"q1": ("wrong", "Lee"), "q2": "right", "q4": "wrong"}, ("Ann Lee", "Jane Roe", "Acme"), "correct", "2 of 2 (and name the gold's choice for q1)"),
        (None, ("Jane Roe", "Jane Roe", "Acme"), "unanswered", "not answered yet"),
        ({"q1": None}, ("Jane Roe", "Jane Roe", "Acme"), "unanswered", "not answered yet"),
        ({"q9": "right"}, ("Jane Roe", "Jane Roe", "Acme"), "wrong", "not on the list: q9; judge q4, q1, q2"),
        ({"q1": "maybe"}, ("Jane Roe", "Jane Roe", "Acme"), "wrong_type", "answer each item with 'right' or 'wrong'; q1 is 'maybe'"),
        (["q1", "right"], ("Jane Roe", "Jane Roe", "Acme"), "wrong_type", "expected a dict such as {'q4': 'right'}"),
    ],
)
def test_attribution_verdicts_against_gold(answer, speakers, status, words):
    reference = lessons.expected_attribution_verdicts(lessons.attributions_to_check(_invented_quotes()), _invented_gold(speakers))
    result, printed = _check(lessons.check_verdicts, answer, reference, choices=("right", "wrong"))
    assert result.status == status and words in printed and printed.count("\n") == 1, printed
    if status in ("correct", "wrong") and result.details is not None:
        assert list(result.details.columns) == lessons.VERDICT_COLUMNS


def test_attribution_verdicts_without_gold_are_recorded_not_checked():
    listed = lessons.attributions_to_check(_invented_quotes())
    reference = lessons.expected_attribution_verdicts(listed, None, why="there is no gold file for harbour")
    result, printed = _check(lessons.check_verdicts, {"q4": "wrong: Ann Lee", "q1": "right"}, reference, choices=("right", "wrong"))
    assert result.status == "uncheckable" and "2 verdict(s) are recorded but cannot be checked: there is no gold file for harbour" in printed
    assert result.details[["id", "verdict", "note"]].values.tolist() == [["q4", "wrong", "Ann Lee"], ["q1", "right", ""]]
    assert result.details["agree"].isna().all()
    _, waiting = _check(lessons.check_verdicts, None, reference, choices=("right", "wrong"))
    assert "not answered yet" in waiting and "no gold file" in waiting


def test_verdicts_on_an_article_without_quotes_or_labels():
    no_quotes = lessons.expected_attribution_verdicts(lessons.attributions_to_check(_invented_quotes().head(0)), _invented_gold())
    result, printed = _check(lessons.check_verdicts, {"q1": "right"}, no_quotes, choices=("right", "wrong"))
    assert result.status == "uncheckable" and "no quotes" in printed
    no_labels = lessons.expected_label_verdicts(lessons.labels_to_check(_invented_labels().head(0), _harbour()), None)
    for answer, status in ((None, "unanswered"), ({"w1": "source"}, "uncheckable")):
        result, printed = _check(lessons.check_verdicts, answer, no_labels, choices=("narrator", "source"))
        assert result.status == status and "no label" in printed


def _harbour():
    return article_from_text(HARBOUR, article_id="harbour")


def _invented_labels() -> pd.DataFrame:
    """Loaded labels as framing.loaded_labels gives them: 'thugs' inside Acme's quote, 'reckless' inside the
    machine's (wrong) quote q4, and 'harbour' invented as a narrator's label to have one."""
    rows = []
    for word, voice, quote_id in (("harbour", "narrator", ""), ("thugs", "Acme", "q3"), ("reckless", "UNKNOWN", "q4")):
        start, end = _span(word) if word != "harbour" else (HARBOUR.index("the harbour") + 4, HARBOUR.index("the harbour") + 11)
        rows.append({"paragraph": 1 if word == "harbour" else 3, "start_char": start, "end_char": end, "label": word,
                     "text": word, "voice": voice, "in_quote": bool(quote_id), "quote_id": quote_id})
    return pd.DataFrame(rows)


def test_labels_to_check_mix_the_machines_verdicts_and_show_context():
    listed = lessons.labels_to_check(_invented_labels(), _harbour(), n=2)
    assert listed["label_id"].tolist() == ["w1", "w2"] and listed["machine"].tolist() == ["narrator", "source"]
    assert listed["paragraph"].tolist() == [2, 4] and "⟦thugs⟧" in listed["context"].iloc[1]
    assert lessons.labels_to_check(_invented_labels(), _harbour())["label_id"].tolist() == ["w1", "w2", "w3"]


@pytest.mark.parametrize(
    ("answer", "with_gold", "status", "words"),
    [
        ({"w1": "narrator", "w2": "source", "w3": "narrator"}, True, "correct", "agree with the gold on 3 of 3"),
        ({"w1": "narrator", "w2": "source", "w3": "source"}, True, "wrong", "look again at w3"),
        ({"w1": "narrator", "w2": "source", "w3": "narrator"}, False, "uncheckable", "the machine's own opinion (not a gold check) agrees with you on 2 of 3"),
        (None, False, "unanswered", "not answered yet"),
        ({"w1": "writer"}, True, "wrong_type", "'narrator' or 'source'"),
    ],
)
def test_label_verdicts_against_gold_or_the_machine(answer, with_gold, status, words):
    listed = lessons.labels_to_check(_invented_labels(), _harbour())
    reference = lessons.expected_label_verdicts(listed, _invented_gold() if with_gold else None)
    assert reference.source == ("gold" if with_gold else "machine")
    result, printed = _check(lessons.check_verdicts, answer, reference, choices=("narrator", "source"))
    assert result.status == status and words in printed and printed.count("\n") == 1, printed


def test_quote_gold_finds_text_and_offset_gold(seed_article, tmp_path):
    gold, why = lessons.quote_gold(seed_article)
    assert why == "" and {"start_char", "end_char", "speaker"} <= set(gold.columns)
    assert seed_article.text[gold["start_char"].iloc[0] : gold["end_char"].iloc[0]] == gold["text"].iloc[0]
    assert lessons.quote_gold(_harbour()) == (None, "there is no gold file for harbour")
    bad = tmp_path / "bad.quotes.tsv"
    bad.write_text("kind\tspeaker\tcue\trequired\tstart_char\tend_char\tsha256\ndirect\tJane Roe\tsay\t1\t0\t9\t0000000000000000\n")
    gold, why = lessons.quote_gold(_harbour(), bad)
    assert gold is None and why.startswith("the gold file does not fit this article")


def test_quote_gold_reads_offset_gold_of_a_shared_text():
    """An unga70 article (third-party, read in place) finds its offset gold in data/gold/unga70/."""
    import os

    from framelens.article import load_article
    from framelens.config import SHARED_CORPORA_DIR

    corpus = SHARED_CORPORA_DIR / "unga70"
    if not corpus.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the shared corpus at {corpus}")
        pytest.skip("../shared/corpora/unga70 is not here (a user's clone)")
    path = sorted(corpus.glob("*.txt"))[0]
    article = load_article(path)
    gold, why = lessons.quote_gold(article)
    assert why == "" and len(gold) and (gold["end_char"] > gold["start_char"]).all()
    assert gold["text"].tolist() == [article.text[s:e] for s, e in zip(gold["start_char"], gold["end_char"])]


# --- Lesson 6: comparing coverage (a corpus, not an article) -------------------------------------

COMPARE_FIXTURE = Path(__file__).parent / "fixtures" / "compare"


def test_lesson_6_has_goals_corpus_parameters_exercises_and_limits():
    nb = _read("L6_comparing")
    nbformat.validate(nb)
    assert all(c["id"].startswith("l6-") for c in nb.cells)
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    assert "Learning goals" in nb.cells[0].source
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = [PARAMETER_LINE.match(line).group(1) for line in params[0].source.splitlines()]
    assert names == ["corpus_path", "by", "spacy_model", "processed_root", "output_dir"]
    assert _exercises(nb, "L6_comparing") == [1, 2, 3, 4]
    assert any(c.source.startswith("## Limits of this method") for c in nb.cells)


def _run_lesson_6(out: Path, corpus: Path, answers: dict[int, object] | None = None) -> dict[str, str]:
    import papermill as pm

    nb = _read("L6_comparing")
    for cell in nb.cells:
        match = re.fullmatch(r"l6-answer-(\d+)", cell.get("id", ""))
        if match and answers and int(match.group(1)) in answers:
            cell.source = f"answer_{match.group(1)} = {answers[int(match.group(1))]!r}"
    source, executed = out / "L6.in.ipynb", out / "L6.ipynb"
    nbformat.write(nb, source)
    pm.execute_notebook(str(source), str(executed), kernel_name=kernel_name(), cwd=str(PROJECT_ROOT), progress_bar=False,
                        parameters={"corpus_path": str(corpus), "output_dir": str(out / "lesson")})
    return {c.get("id", ""): "".join(o.get("text", "") for o in c.get("outputs", []) if o.get("name") == "stdout")
            for c in nbformat.read(executed, as_version=4).cells}


@pytest.mark.slow
def test_lesson_6_runs_on_the_fixture_corpus_and_accepts_the_right_answers(tmp_path):
    from framelens.compare.run import notebook_comparison
    from framelens.corpus import analyze_corpus

    corpus = tmp_path / "dam"
    analyze_corpus(COMPARE_FIXTURE, corpus, progress=False)
    waiting = _verdicts("L6_comparing", _run_lesson_6(tmp_path, corpus))
    assert len(waiting) == 4 and all("not answered yet" in v for v in waiting)
    ct, _ = notebook_comparison([str(corpus)], output_dir=str(tmp_path / "answers"))
    claim = lessons.claim_to_check(ct)
    assert claim["sentence"] == "Harbour Ledger quotes only speakers the text ties to Portugal."
    right = {1: 1, 2: 2, 3: "Meridian Wire", 4: {a: "holds" for a in claim["articles"]}}
    verdicts = _verdicts("L6_comparing", _run_lesson_6(tmp_path, corpus, right))
    assert [v[:3] for v in verdicts] == ["(+)", "(+)", "(+)", "(-)"], verdicts
    assert "agrees with you on 2 of 2" in verdicts[3]
    assert (tmp_path / "lesson" / "tables" / "claim_verdicts.csv").is_file()


def test_verdict_marks_are_plain_text_every_font_has():
    """No emoji: a browser or terminal without an emoji font would show empty boxes."""
    from framelens.lessons import checks

    for status, mark in checks._MARKS.items():
        assert mark.isascii() and mark.isprintable(), status
    assert len({m.split()[0] for m in checks._MARKS.values()}) == 4  # correct, not yet, unanswered, uncheckable
