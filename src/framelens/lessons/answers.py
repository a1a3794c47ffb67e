"""What each lesson (L1-L5) shows and what its self-checks compare with: lesson-only views of the
analysis tables and the answers computed from the article in use."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pandas as pd

from ..config import BODY_ROLES
from .checks import Reference, _missing

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..article import Article

# --- shared by several lessons --------------------------------------------------------------------


def name_variants(names: Iterable[str], mentions: pd.DataFrame | None = None) -> set[str]:
    """Each canonical name plus every way the article writes it (titles and possessives removed).

    Used to accept "Roe" as well as "Jane Roe"; a joint speaker "A + B" is kept whole.
    """
    from ..entities import clean_name

    names = [str(n) for n in names if not _missing(n)]
    variants = set(names)
    if mentions is not None and not mentions.empty:
        for row in mentions[mentions["canonical"].isin(names)].itertuples(index=False):
            variants.add(clean_name(str(row.text), str(row.label)))
    return {v for v in variants if v}


def passages(article: "Article", paragraphs: Iterable[int], *, before: int = 2) -> str:
    """The text to read for checking the machine: each listed paragraph (1-based) and the ``before``
    paragraphs preceding it, numbered from 1 ("[7] ..."), a paragraph that is not body text marked
    with its role; "" when nothing is listed."""
    wanted = sorted({n for p in paragraphs for n in range(max(1, int(p) - before), int(p) + 1) if n <= len(article.paragraphs)})
    lines = []
    for n in wanted:
        paragraph = article.paragraphs[n - 1]
        role = "" if paragraph.role in BODY_ROLES else f"({paragraph.role}) "
        lines.append(f"[{n}] {role}{' '.join(paragraph.text.split())}")
    return "\n\n".join(lines)


# --- L1: tokens ----------------------------------------------------------------------------------


def _body(table: pd.DataFrame, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    return table if roles is None else table[table["role"].isin(roles)]


def _content(tokens: pd.DataFrame) -> pd.DataFrame:
    t = _body(tokens)
    keep = ~t["is_stop"].astype(bool) & ~t["is_punct"].astype(bool) & ~t["like_num"].astype(bool)
    return t[keep & t["lower"].astype(str).str.contains(r"[^\W\d_]", regex=True)]


def lemma_groups(tokens: pd.DataFrame, *, top: int | None = 15) -> pd.DataFrame:
    """Content-word lemmas of the body text that stand for more than one word form.

    Returns:
        DataFrame with columns lemma, forms (the lower-cased forms, ' | '-joined), n_forms,
        count (tokens), stem (NLTK's Porter stemmer, which needs no downloaded data); most
        forms first.
    """
    from nltk.stem import PorterStemmer

    stemmer = PorterStemmer()
    content = _content(tokens)
    rows = []
    for lemma, group in content.groupby("lemma", sort=False):
        forms = list(dict.fromkeys(group["lower"].astype(str)))
        if len(forms) > 1:
            rows.append((lemma, " | ".join(forms), len(forms), len(group), stemmer.stem(str(lemma))))
    table = pd.DataFrame(rows, columns=["lemma", "forms", "n_forms", "count", "stem"])
    table = table.sort_values(["n_forms", "count", "lemma"], ascending=[False, False, True]).reset_index(drop=True)
    return table.head(top) if top else table


def stop_word_share(tokens: pd.DataFrame) -> float:
    """Percentage (0-100) of the body's word tokens (punctuation excluded) that are stop words."""
    t = _body(tokens)
    words = t[~t["is_punct"].astype(bool)]
    return 100.0 * float(words["is_stop"].astype(bool).mean()) if len(words) else float("nan")


def tokens_side_by_side(doc: "Doc", article: "Article", *, char: int | None = None) -> pd.DataFrame:
    """One sentence (as spaCy split it) cut into tokens by spaCy and by NLTK's Treebank tokeniser.

    Args:
        doc: the parse of ``article.text``.
        article: the article.
        char: an offset inside the sentence to show; None: the first place in the body where the
            two tokenisers disagree, else the start of the first body paragraph.

    Returns:
        DataFrame with columns tokeniser, count, tokens (' | '-joined); two rows, empty if the
        document has no tokens.
    """
    from ..tokens import nltk_token_spans, tokenizer_comparison

    columns = ["tokeniser", "count", "tokens"]
    if char is None:
        disagreements = tokenizer_comparison(doc, article)
        body = article.paragraphs_with_role()
        char = int(disagreements["start_char"].iloc[0]) if len(disagreements) else (body[0].start_char if body else 0)
    span = doc.char_span(char, min(char + 1, len(doc.text)), alignment_mode="expand") if len(doc) else None
    if span is None or not len(span):
        return pd.DataFrame(columns=columns)
    sentence = span[0].sent
    start = sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
    ours = [t.text for t in sentence if not t.is_space]
    theirs = [article.text[start + a : start + b] for a, b in nltk_token_spans(sentence.text.strip())]
    return pd.DataFrame(
        [("spaCy", len(ours), " | ".join(ours)), ("NLTK Treebank + Punkt", len(theirs), " | ".join(theirs))], columns=columns
    )


def expected_token_difference(summary: pd.DataFrame) -> int:
    """L1: spaCy tokens minus NLTK tokens in a ``tokens.tokenizer_summary`` table."""
    counts = summary.set_index("tokeniser")["tokens"]
    return int(counts.iloc[0] - counts.iloc[1])


def expected_top_words(frequencies: pd.DataFrame) -> set[str]:
    """L1: the most frequent content word(s) of a ``word_frequencies`` table (all ties)."""
    if frequencies.empty:
        return set()
    return set(frequencies.loc[frequencies["count"] == frequencies["count"].max(), "word"])


def expected_lemma_merges(tokens: pd.DataFrame) -> int:
    """L1: distinct content word forms minus distinct content lemmas in the body text."""
    content = _content(tokens)
    return int(content["lower"].nunique() - content["lemma"].nunique())


# --- L2: entities --------------------------------------------------------------------------------

# Last words that usually end the name of an organisation, and of a place: a name ending in one
# of them but labelled otherwise is worth a second look.
ORGANISATION_ENDINGS = frozenset(
    "agency association authority bank board bureau center centre chronicle club college commission committee "
    "company corporation council court department echo foundation gazette group herald inc institute journal ltd "
    "ministry news office party police post press school service society telegraph times tribune union university".split()
)
PLACE_ENDINGS = frozenset("street road avenue lane square river lake sea mountain valley island bay county province".split())


def suspect_entities(doc: "Doc", article: "Article", *, roles: Sequence[str] | None = None) -> pd.DataFrame:
    """Entity mentions whose label or extent looks wrong, by general rules about name shapes.

    The rules (a mention can trip several): the span contains a verb (a headline or sentence
    fragment taken for a name); a one-word PERSON the article never gives in full (often a place
    or organisation); a name ending in an organisation word ("... Echo", "... Council") labelled
    as something else, or in a place word ("... Street") labelled PERSON or ORG; and the same
    actor labelled differently in different places (the minority label is flagged). These are
    leads for a human to check, not verdicts.

    Returns:
        DataFrame with columns text, label (as the model gave it), canonical, paragraph, role,
        start_char, reason; in text order, mentions in paragraphs of ``roles`` (None: all).
    """
    from ..entities import canonical_names, raw_mentions
    from ..tokens import ParagraphIndex

    mentions = raw_mentions(doc)
    canonical = canonical_names(mentions)
    where = ParagraphIndex(article)
    labels: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        labels[canonical[m]].append(m.label)
    rows = []
    for m in mentions:
        span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        words = m.name.split()
        reasons = []
        verbs = [t.text for t in span if t.pos_ in ("VERB", "AUX")]
        if verbs:
            reasons.append(f"contains the verb {verbs[0]!r}: a headline or sentence fragment, not a name")
        if m.label == "PERSON" and len(canonical[m].split()) == 1:
            reasons.append("one-word person name the article never gives in full (a place or organisation?)")
        last = words[-1].lower() if words else ""
        if m.label not in ("ORG", "NORP") and last in ORGANISATION_ENDINGS:
            reasons.append(f"ends in {words[-1]!r}, a word that usually ends an organisation's name, but is labelled {m.label}")
        if m.label in ("PERSON", "ORG") and last in PLACE_ENDINGS:
            reasons.append(f"ends in {words[-1]!r}, a word that usually ends a place name, but is labelled {m.label}")
        others = sorted(set(labels[canonical[m]]) - {m.label})
        if others:
            reasons.append(f"the same actor ({canonical[m]}) is labelled {' / '.join(others)} elsewhere")
        if reasons:
            start = m.start_char
            rows.append((m.text.strip(), m.label, canonical[m], where.index(start), where.role(start), start, "; ".join(reasons)))
    table = pd.DataFrame(rows, columns=["text", "label", "canonical", "paragraph", "role", "start_char", "reason"])
    return _body(table, roles).reset_index(drop=True)


def missed_names(doc: "Doc", article: "Article", *, roles: Sequence[str] | None = BODY_ROLES) -> pd.DataFrame:
    """Capitalised proper nouns the entity recogniser left out: runs of PROPN tokens outside every
    entity span, office titles ("President") excluded. Candidates for names the model missed.

    Returns:
        DataFrame with columns text, paragraph, role, start_char, end_char; in text order.
    """
    from ..entities import titles
    from ..tokens import ParagraphIndex

    inside = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    where = ParagraphIndex(article)
    runs: list[list[Any]] = []
    for t in doc:
        candidate = (
            t.pos_ == "PROPN" and t.i not in inside and t.text[:1].isupper() and any(c.isalpha() for c in t.text)
            and t.lower_.rstrip(".") not in titles()
        )
        if candidate and runs and runs[-1][-1].i == t.i - 1 and where.index(t.idx) == where.index(runs[-1][-1].idx):
            runs[-1].append(t)
        elif candidate:
            runs.append([t])
    rows = []
    for run in runs:
        start, end = run[0].idx, run[-1].idx + len(run[-1])
        rows.append((article.text[start:end], where.index(start), where.role(start), start, end))
    table = pd.DataFrame(rows, columns=["text", "paragraph", "role", "start_char", "end_char"])
    return _body(table, roles).reset_index(drop=True)


def compare_actor_counts(actors: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Machine actor counts (``entity_counts``) next to a hand count (``read_gold_actors``).

    NORP rows of the gold file are left out (they are not actors). Returns a DataFrame with
    columns canonical, label_machine, label_gold, mentions_machine, mentions_gold, difference
    (machine - gold), sorted by the size of the difference.
    """
    gold = gold[gold["label"] != "NORP"]
    merged = pd.merge(
        actors[["canonical", "label", "mentions"]], gold[["canonical", "label", "mentions"]],
        on="canonical", how="outer", suffixes=("_machine", "_gold"),
    )
    merged[["mentions_machine", "mentions_gold"]] = merged[["mentions_machine", "mentions_gold"]].fillna(0).astype(int)
    merged[["label_machine", "label_gold"]] = merged[["label_machine", "label_gold"]].fillna("—")
    merged["difference"] = merged["mentions_machine"] - merged["mentions_gold"]
    order = merged["difference"].abs().sort_values(ascending=False, kind="stable").index
    return merged.loc[order].reset_index(drop=True)


def expected_top_actors(actors: pd.DataFrame, mentions: pd.DataFrame | None = None) -> set[str]:
    """L2: the most-mentioned actor(s) of an ``entity_counts`` table, every way each is written."""
    if actors.empty:
        return set()
    top = actors.loc[actors["mentions"] == actors["mentions"].max(), "canonical"]
    return name_variants(top, mentions)


def expected_nonbody_mentions(mentions: pd.DataFrame) -> int:
    """L2: entity mentions outside body paragraphs (headline, captions, related links, credits ...)."""
    return int((~mentions["role"].isin(BODY_ROLES)).sum())


def expected_top_actor_aliases(actors: pd.DataFrame) -> set[str]:
    """L2: the surface forms merged into the actor in the first row of an ``entity_counts`` table."""
    if actors.empty:
        return set()
    return {a.strip() for a in str(actors["aliases"].iloc[0]).split(" | ") if a.strip()}


def expected_merged_forms(actors: pd.DataFrame) -> int:
    """L2: how many extra actors there would be without merging (sum over actors of forms - 1)."""
    return int(sum(len([a for a in str(x).split(" | ") if a.strip()]) - 1 for x in actors["aliases"]))


# --- L3: quotes ----------------------------------------------------------------------------------

def _blank(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip() == ""


def attribution_routes(quotes: pd.DataFrame) -> pd.DataFrame:
    """How the extractor reached each quote's speaker, from the quotes table's ``route`` column.

    Routes (``quotes.records.ROUTE_CONFIDENCE``): named, pronoun, description, document, named
    later, carried, introduced, previous subject, transcript, joint, unnamed, unknown, corrected.

    Returns:
        DataFrame with columns quote_id, kind, speaker, speaker_mention, cue, route, confidence
        (high, medium, low) and how (the route in words: 'pronoun "he" -> Jane Roe').
    """
    from ..quotes.records import route_text

    columns = ["quote_id", "kind", "speaker", "speaker_mention", "cue", "route", "confidence"]
    table = quotes[columns].copy().fillna("")
    table["how"] = [route_text(str(q.route), str(q.speaker_mention), str(q.speaker)) for q in table.itertuples(index=False)]
    return table.reset_index(drop=True)


def attributions_to_check(quotes: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """L3: the ``n`` attributions most worth checking by hand: lowest confidence first, then text order.

    Returns:
        DataFrame with columns quote_id, paragraph (1-based, as the report numbers them), speaker,
        how (the route in words), confidence, text, start_char, end_char; empty without quotes.
    """
    from ..quotes.records import CONFIDENCE_ORDER

    columns = ["quote_id", "paragraph", "speaker", "how", "confidence", "text", "start_char", "end_char"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    table = attribution_routes(quotes).assign(
        paragraph=quotes["paragraph"].astype(int).to_numpy() + 1, text=quotes["text"].to_numpy(),
        start_char=quotes["start_char"].astype(int).to_numpy(), end_char=quotes["end_char"].astype(int).to_numpy(),
    )
    rank = table["confidence"].map({c: i for i, c in enumerate(CONFIDENCE_ORDER)}).fillna(0)
    table = table.assign(_rank=rank).sort_values(["_rank", "start_char"], kind="stable")
    return table.head(n)[columns].reset_index(drop=True)


def _best_overlap(start: int, end: int, gold: pd.DataFrame) -> Any:
    """The gold row sharing the most characters with ``[start, end)``, or None when none overlaps."""
    best, most = None, 0
    for g in gold.itertuples(index=False):
        shared = min(end, int(g.end_char)) - max(start, int(g.start_char))
        if shared > most:
            best, most = g, shared
    return best


def expected_attribution_verdicts(to_check: pd.DataFrame, gold: pd.DataFrame | None, *, why: str = "") -> Reference:
    """L3: whether each listed attribution is right according to the gold (``quote_gold``).

    A quote is "right" when its speaker is the gold speaker (``evaluate.same_speaker``) of the gold
    quote it overlaps most; a quote overlapping no gold quote cannot be judged. Without gold the
    reference is empty (``why`` says so).
    """
    from ..evaluate import same_speaker

    ids = [str(i) for i in to_check["quote_id"]]
    if not ids:
        return Reference({}, {}, "", "the extractor found no quotes in this article, so there is no attribution to check")
    if gold is None:
        return Reference(dict.fromkeys(ids), {}, "", why or "there is no gold file for this article")
    verdicts: dict[str, str | None] = {}
    notes = {}
    for q in to_check.itertuples(index=False):
        match = _best_overlap(int(q.start_char), int(q.end_char), gold)
        verdicts[str(q.quote_id)] = None if match is None else ("right" if same_speaker(str(q.speaker), str(match.speaker)) else "wrong")
        notes[str(q.quote_id)] = "the gold has no quote here" if match is None else str(match.speaker)
    return Reference(verdicts, notes, "gold")


def expected_direct_quotes(quotes: pd.DataFrame) -> int:
    """L3: number of direct quotes."""
    return int((quotes["kind"] == "direct").sum())


def expected_top_speakers(voice: pd.DataFrame, mentions: pd.DataFrame | None = None) -> set[str]:
    """L3: the speaker(s) with the most quoted words in a ``share_of_voice`` table, every way each is written."""
    if voice.empty:
        return set()
    return name_variants(voice.loc[voice["words"] == voice["words"].max(), "speaker"], mentions)


def expected_uncued_quotes(quotes: pd.DataFrame) -> int:
    """L3: quotes with no reporting verb in their own paragraph (speaker carried over from earlier)."""
    return int(_blank(quotes["cue"]).sum()) if len(quotes) else 0


def expected_pronoun_quotes(quotes: pd.DataFrame) -> set[str]:
    """L3: ids of the quotes attributed by a pronoun next to their own reporting verb ("he said")."""
    return set(quotes.loc[quotes["route"] == "pronoun", "quote_id"].astype(str)) if len(quotes) else set()


# --- L4: framing ---------------------------------------------------------------------------------


def expected_naming_variety(naming: pd.DataFrame) -> int | None:
    """L4: distinct expressions used for the actor in the first row of a ``framing.naming`` table."""
    if naming.empty:
        return None
    first = naming["actor"].iloc[0]
    return int(naming.loc[naming["actor"] == first, "expression"].nunique())


def expected_marked_verbs(quotes: pd.DataFrame) -> int:
    """L4: quotes introduced by a reporting verb whose connotation is neither neutral nor none."""
    from ..framing import verb_connotation

    if quotes.empty:
        return 0
    classes = [verb_connotation(q.cue_lemma if isinstance(q.cue_lemma, str) else "", q.cue if isinstance(q.cue, str) else "")
               for q in quotes.itertuples(index=False)]
    return sum(c not in ("neutral", "none") for c in classes)


def expected_most_negative_speaker(tone: pd.DataFrame, mentions: pd.DataFrame | None = None) -> set[str]:
    """L4: the quoted speaker(s) with the lowest mean compound tone in ``framing.tone_by_speaker``
    (the narrator row excluded); empty when nobody is quoted."""
    speakers = tone[(tone["speaker"] != "narrator") & tone["compound"].notna()]
    if speakers.empty:
        return set()
    low = speakers["compound"].min()
    names = speakers.loc[(speakers["compound"] - low).abs() < 1e-9, "speaker"]
    return name_variants(names, mentions)


NARRATOR, SOURCE = "narrator", "source"
LABEL_CHECK_COLUMNS = ["label_id", "paragraph", "text", "machine", "voice", "context", "start_char", "end_char"]


def _in_context(article: "Article", start: int, end: int, *, width: int = 90) -> str:
    """The words around ``[start, end)`` in its paragraph, the label marked ⟦so⟧."""
    from ..tokens import ParagraphIndex

    paragraph = article.paragraphs[ParagraphIndex(article).index(start)]
    left = article.text[max(paragraph.start_char, start - width) : start]
    right = article.text[end : min(paragraph.end_char, end + width)]
    left = left if start - width <= paragraph.start_char else "…" + left.split(" ", 1)[-1]
    right = right if end + width >= paragraph.end_char else right.rsplit(" ", 1)[0] + "…"
    return " ".join(f"{left}⟦{article.text[start:end]}⟧{right}".split())


def labels_to_check(loaded: pd.DataFrame, article: "Article", *, n: int = 3) -> pd.DataFrame:
    """L4: ``n`` loaded labels to check by hand: is each the narrator's word or a quoted source's?

    Labels are numbered w1, w2 ... in the order of the ``framing.loaded_labels`` table. The list
    takes the first label the machine puts in a quote and the first it leaves to the narrator (so
    both verdicts occur when the article allows), then the next labels in text order.

    Returns:
        DataFrame with columns ``LABEL_CHECK_COLUMNS``: label_id, paragraph (1-based), text (as
        written), machine (the machine's verdict: narrator or source), voice (the speaker it
        credits, or narrator), context (the surrounding words, the label marked ⟦so⟧),
        start_char, end_char; in text order, empty without labels.
    """
    if loaded.empty:
        return pd.DataFrame(columns=LABEL_CHECK_COLUMNS)
    table = loaded.reset_index(drop=True)
    in_quote = table["in_quote"].astype(bool) if "in_quote" in table else pd.Series(False, index=table.index)
    first = [mask.idxmax() for mask in (in_quote, ~in_quote) if mask.any()]
    chosen = list(dict.fromkeys(first + list(table.index)))[:n]
    rows = []
    for i in sorted(chosen):
        row = table.loc[i]
        start, end = int(row["start_char"]), int(row["end_char"])
        voice = str(row["voice"]) if "voice" in table else NARRATOR
        rows.append((f"w{i + 1}", int(row["paragraph"]) + 1, str(row["text"]), SOURCE if in_quote[i] else NARRATOR, voice,
                     _in_context(article, start, end), start, end))
    return pd.DataFrame(rows, columns=LABEL_CHECK_COLUMNS)


def expected_label_verdicts(to_check: pd.DataFrame, gold: pd.DataFrame | None, *, why: str = "") -> Reference:
    """L4: whose word each listed label is according to the gold (``quote_gold``).

    A label is the source's when it lies inside a gold quote span, else the narrator's. Without gold
    the reference is the machine's own split (its opinion, not a gold check; ``why`` says why).
    """
    ids = [str(i) for i in to_check["label_id"]]
    if not ids:
        return Reference({}, {}, "", "the body text uses no label from the lexicon, so there is no label to check")
    if gold is None:
        return Reference(dict(zip(ids, to_check["machine"])), dict(zip(ids, to_check["voice"])), "machine", why or "there is no gold file for this article")
    verdicts, notes = {}, {}
    for item, w in zip(ids, to_check.itertuples(index=False)):
        inside = gold[(gold["start_char"] <= int(w.start_char)) & (int(w.end_char) <= gold["end_char"])]
        verdicts[item] = SOURCE if len(inside) else NARRATOR
        notes[item] = str(inside["speaker"].iloc[0]) if len(inside) else NARRATOR
    return Reference(verdicts, notes, "gold")


# --- L5: validity --------------------------------------------------------------------------------


def match_quotes(article: "Article", quotes: pd.DataFrame, gold: pd.DataFrame, *, threshold: float = 0.3) -> pd.DataFrame:
    """Each gold quote next to the system quote that overlaps it most (error analysis).

    Args:
        article: the article both refer to.
        quotes: the system's quotes table.
        gold: a gold table (``evaluate.read_gold``), located or not.
        threshold: share of the gold quote's characters that must lie in system spans to be found.

    Returns:
        DataFrame with columns gold_text, required, kind_gold, speaker_gold, covered (0-1 share of
        the gold characters inside system quotes), found, quote_id, kind_system, speaker_system,
        speaker_ok; one row per gold quote in text order.
    """
    from ..evaluate import locate_gold, same_speaker

    located = gold if "start_char" in gold else locate_gold(article, gold)
    mask = [False] * len(article.text)
    for q in quotes.itertuples(index=False):
        for i in range(int(q.start_char), int(q.end_char)):
            mask[i] = True
    rows = []
    for g in located.itertuples(index=False):
        length = max(g.end_char - g.start_char, 1)
        covered = sum(mask[g.start_char : g.end_char]) / length
        best, overlap = None, 0
        for q in quotes.itertuples(index=False):
            o = min(g.end_char, int(q.end_char)) - max(g.start_char, int(q.start_char))
            if o > overlap:
                best, overlap = q, o
        found = covered >= threshold
        speaker_ok = bool(best is not None and same_speaker(str(best.speaker), str(g.speaker)))
        rows.append((
            g.text, int(g.required), g.kind, g.speaker, round(covered, 3), found,
            best.quote_id if best is not None else "", best.kind if best is not None else "",
            best.speaker if best is not None else "", speaker_ok if found else False,
        ))
    columns = ["gold_text", "required", "kind_gold", "speaker_gold", "covered", "found", "quote_id", "kind_system",
               "speaker_system", "speaker_ok"]
    return pd.DataFrame(rows, columns=columns)


def score_extractors(
    article: "Article", extractors: Mapping[str, pd.DataFrame], gold: pd.DataFrame | None, *, thresholds: Sequence[float] = (0.3, 0.8)
) -> pd.DataFrame | None:
    """``evaluate.score`` for several quote tables against one gold table.

    Returns:
        DataFrame with an ``extractor`` column (the key of ``extractors``) followed by the
        ``evaluate.score`` columns, one row per extractor and threshold; None when ``gold`` is None.
    """
    from ..evaluate import score

    if gold is None:
        return None
    frames = [score(article, quotes, gold, thresholds=thresholds).assign(extractor=name) for name, quotes in extractors.items()]
    table = pd.concat(frames, ignore_index=True)
    return table[["extractor", *[c for c in table.columns if c != "extractor"]]]


def _score_row(scores: pd.DataFrame | None, threshold: float, extractor: str | None) -> pd.Series | None:
    if scores is None or scores.empty:
        return None
    rows = scores[(scores["threshold"] - threshold).abs() < 1e-9]
    if extractor is not None and "extractor" in rows:
        rows = rows[rows["extractor"] == extractor]
    return rows.iloc[0] if len(rows) else None


def expected_recall(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> float | None:
    """L5: recall (found / gold) at ``threshold`` in a score table (of ``extractor``); None without one."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None or not row["gold"] else float(row["found"] / row["gold"])


def expected_f1(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> float | None:
    """L5: F1 at ``threshold`` in a score table (of ``extractor``); None without one."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None else float(row["f1"])


def expected_missed(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> int | None:
    """L5: required gold quotes the system did not find at ``threshold``."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None else int(row["gold"] - row["found"])


def expected_right_speakers(scores: pd.DataFrame | None, threshold: float, *, extractor: str | None = None) -> int | None:
    """L5: found gold quotes whose speaker the system got right (speaker_accuracy x found)."""
    row = _score_row(scores, threshold, extractor)
    return None if row is None else int(round(row["speaker_accuracy"] * row["found"]))
