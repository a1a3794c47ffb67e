"""The comparison tables: every measure of the single-article analysis, per article and per group.

Every table has a ``group`` column (the value of the ``by`` metadata column; "no <by>" when an
article has none). Per-article tables also have ``article_id``. Actors carry their one name
across the corpus (actors.match_actors). Shares over a group carry 95% bootstrap intervals
over its articles (``low``, ``high``) when the group has at least 3 articles (else NaN).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import FramelensError
from ..framing.common import NARRATOR, UNKNOWN, split_speakers, word_count
from ..framing.voice import UNKNOWN_SIDE
from .actors import match_actors
from .stats import bootstrap_mean, bootstrap_ratio

# The corpus tables a comparison reads (framelens analyze writes them all).
SOURCE_TABLES = (
    "articles", "actors", "quotes", "voice_by_actor", "voice_by_side", "naming", "loaded_labels",
    "reporting_verbs", "tone_voices", "frame_scores", "prominence", "page_furniture", "errors",
)
DEFAULT_SEED = 70
# Columns of the corpus ``articles`` table that are not the article's metadata (corpus.engine).
LEDGER_COLUMNS = frozenset({"article_id", "status", "origin", "chars", "paragraphs", "sentences", "quotes", "actors",
                            "warnings", "sha256", "model", "settings", "code", "framelens", "fingerprint"})


@dataclass
class CompareTables:
    """The tables of one comparison and what they were made from."""

    by: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # the analysed corpus directories

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def load_tables(corpus_dirs: Sequence[Path | str], *, by: str = "outlet") -> dict[str, pd.DataFrame]:
    """The corpus tables of one or more analysed corpora, joined, with a ``group`` column.

    Only analysed articles are kept (failed ones stay in ``errors``). FramelensError when a
    directory is not an analysed corpus, two corpora share an article id, or ``by`` is not a
    metadata column of the articles.
    """
    from ..corpus import open as open_corpus

    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in SOURCE_TABLES}
    for directory in corpus_dirs:
        with open_corpus(directory) as corpus:
            for name in SOURCE_TABLES:
                if name in corpus.tables:
                    parts[name].append(corpus.table(name))
    tables = {name: pd.concat(frames, ignore_index=True) if frames else pd.DataFrame() for name, frames in parts.items()}
    articles = tables["articles"]
    if articles["article_id"].duplicated().any():
        twice = articles.loc[articles["article_id"].duplicated(), "article_id"].iloc[0]
        raise FramelensError(f"article id {twice!r} is in two of the corpora compared; rename one of them")
    analysed = articles[articles["status"] == "analysed"]
    if analysed.empty:
        raise FramelensError("no analysed article in the corpus: nothing to compare (see its errors table)")
    if by not in analysed.columns:
        usable = [c for c in analysed.columns if c not in LEDGER_COLUMNS]
        raise FramelensError(f"--by {by!r}: no such metadata column; columns: {', '.join(usable)}")
    groups = dict(zip(analysed["article_id"], analysed[by].map(lambda v: _group_name(v, by))))
    if set(groups.values()) == {f"no {by}"}:
        raise FramelensError(f"--by {by!r}: no article has a value in that column (for a folder, put it in each "
                             f"article's .meta.yaml sidecar; for a CSV or JSONL, in a column)")
    for name, table in tables.items():
        if name != "errors" and "article_id" in table:
            table = table[table["article_id"].isin(groups)]
            tables[name] = table.assign(group=table["article_id"].map(groups)).reset_index(drop=True)
    return tables


def _group_name(value: object, by: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or not str(value).strip():
        return f"no {by}"
    return str(value).strip()


def comparison(
    tables: dict[str, pd.DataFrame], *, by: str = "outlet", aliases: dict[str, str] | None = None,
    seed: int = DEFAULT_SEED, sources: Sequence[Path | str] = (), sides_from_corpus: bool = True,
) -> CompareTables:
    """Every comparison table from the joined corpus tables (see load_tables).

    ``sources`` names the corpus directories (for the provenance). With ``sides_from_corpus``
    a named actor whose article gives it no side takes the one side the other articles of the
    corpus give it (``side_from`` "corpus" in article_voice and quotes; never for unnamed
    sources, nor when the articles disagree). Tables (columns documented
    in each function): article_groups, sources (article_id, group, origin, sha256, model), article_voice, voice_by_speaker,
    side_by_article, side_voice, opening_closing, naming, naming_kinds, narrator_labels,
    verb_profiles, tone_by_article, tone, frames, prominence, furniture, quotes.
    """
    names = match_actors(tables["actors"], aliases=aliases) if not tables["actors"].empty else {}
    voices = article_voice(tables["voice_by_actor"], names, sides_from_corpus=sides_from_corpus)
    quotes = quotes_with_sides(tables["quotes"], voices, names)
    side_articles = side_by_article(quotes, tables["articles"])
    tone_articles = tone_by_article(tables["tone_voices"], voices, tables["articles"])
    out = {
        "article_groups": article_groups(tables["articles"], quotes),
        "sources": tables["articles"].reindex(columns=["article_id", "group", "origin", "sha256", "model"]),
        "article_voice": voices,
        "quotes": quotes,
        "side_by_article": side_articles,
        "side_voice": side_voice(side_articles, seed=seed),
        "opening_closing": opening_closing(quotes, tables["articles"]),
        "naming": naming(tables["naming"], names),
        "narrator_labels": narrator_labels(tables["loaded_labels"]),
        "verb_profiles": verb_profiles(tables["reporting_verbs"]),
        "tone_by_article": tone_articles,
        "tone": tone(tone_articles, seed=seed),
        "frames": frames(tables["frame_scores"], seed=seed),
        "prominence": prominence(tables["prominence"], names),
        "furniture": furniture(tables["page_furniture"], tables["articles"]),
    }
    out["voice_by_speaker"] = voice_by_speaker(out["article_voice"])
    out["naming_kinds"] = naming_kinds(out["naming"])
    return CompareTables(by=by, tables=out, sources=[str(s) for s in sources])


# --- who speaks ---------------------------------------------------------------------------------


def article_groups(articles: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per article: article_id, group, title, date, quotes, words_quoted, low_confidence
    (quotes whose speaker framelens found by a low-confidence route)."""
    per = quotes.groupby("article_id").agg(
        quotes=("quote_id", "size"), words_quoted=("words", "sum"), low_confidence=("low", "sum"),
    )
    rows = articles.reindex(columns=["article_id", "group", "title", "date"]).set_index("article_id").join(per)
    rows[["quotes", "words_quoted", "low_confidence"]] = rows[["quotes", "words_quoted", "low_confidence"]].fillna(0).astype(int)
    rows[["title", "date"]] = rows[["title", "date"]].astype(object).where(rows[["title", "date"]].notna(), None)
    return rows.reset_index().sort_values(["group", "date", "article_id"], na_position="last").reset_index(drop=True)


def quotes_with_sides(quotes: pd.DataFrame, voices: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The corpus quotes with: actor (the speaker's corpus-wide name, " + "-joined), side (the
    speaker's side, see article_voice; "unknown" when none), side_from ("text", "corpus" or ""
    per speaker, " + "-joined), words, low (confidence is low)."""
    columns = ["article_id", "group", "quote_id", "kind", "speaker", "actor", "side", "side_from", "words", "start_char",
               "route", "confidence", "low", "text"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    side_of = {(a, c): (s, f) for a, c, s, f in voices[["article_id", "canonical", "side", "side_from"]].itertuples(index=False)}
    quotes = quotes.sort_values(["article_id", "start_char"], kind="stable")
    speakers = quotes["speaker"].map(split_speakers)
    found = [[side_of.get((a, s), (UNKNOWN_SIDE, "")) for s in ss] for a, ss in zip(quotes["article_id"], speakers)]
    confidence = quotes.get("confidence", pd.Series("", index=quotes.index))
    return quotes.assign(
        actor=speakers.map(lambda ss: " + ".join(names.get(s, s) for s in ss)),
        side=[" + ".join(s for s, _ in f) for f in found],
        side_from=[" + ".join(src for _, src in f) for f in found],
        words=quotes["text"].map(word_count),
        route=quotes.get("route", pd.Series("", index=quotes.index)),
        confidence=confidence, low=confidence.eq("low"),
    )[columns].reset_index(drop=True)


def article_voice(by_actor: pd.DataFrame, names: dict[str, str], *, sides_from_corpus: bool = True) -> pd.DataFrame:
    """voice_by_actor of every article, with the actor's corpus-wide name in ``actor`` (its
    article's name in ``canonical``). Columns: article_id, group, actor, canonical, side,
    side_from ("text": the article gives it; "corpus": borrowed from the other articles, see
    comparison; "": none), mentions, quotes, direct, indirect, words_quoted, share_of_voice,
    status, can_speak."""
    table = by_actor.rename(columns={"actor": "canonical"})
    side = table["side"].fillna("").replace("", UNKNOWN_SIDE)
    table = table.assign(actor=table["canonical"].map(lambda n: names.get(n, n)), side=side,
                         side_from=np.where(side != UNKNOWN_SIDE, "text", ""))
    if sides_from_corpus:
        borrowed = corpus_sides(table, named=set(names))
        missing = (table["side"] == UNKNOWN_SIDE) & table["actor"].isin(borrowed) & table["canonical"].isin(names)
        table.loc[missing, "side"] = table.loc[missing, "actor"].map(borrowed)
        table.loc[missing, "side_from"] = "corpus"
    return table[["article_id", "group", "actor", "canonical", "side", "side_from", "mentions", "quotes", "direct", "indirect",
                  "words_quoted", "share_of_voice", "status", "can_speak"]].reset_index(drop=True)


def corpus_sides(voices: pd.DataFrame, *, named: set[str]) -> dict[str, str]:
    """Named actor -> the one side the articles that give it a side agree on (actors given two
    different sides by different articles are left out)."""
    given = voices[(voices["side"] != UNKNOWN_SIDE) & voices["canonical"].isin(named)]
    agreed = given.groupby("actor")["side"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else None).dropna()
    return agreed.to_dict()


def voice_by_speaker(article_voice: pd.DataFrame) -> pd.DataFrame:
    """Per group and actor (actors that can speak): group, actor, side (the most common in the
    group), articles (naming the actor), quoted_in (articles quoting it), mentions, quotes,
    direct, indirect, words_quoted, share_of_voice (of the group's quoted words), status
    ("quoted directly" in some article, "only reported" or "never quoted")."""
    table = article_voice[article_voice["can_speak"].astype(bool)]
    grouped = table.groupby(["group", "actor"])
    out = grouped.agg(
        side=("side", lambda s: s.mode().iloc[0] if len(s.mode()) else UNKNOWN_SIDE),
        articles=("article_id", "nunique"),
        quoted_in=("quotes", lambda q: int((q > 0).sum())),
        mentions=("mentions", "sum"), quotes=("quotes", "sum"), direct=("direct", "sum"),
        indirect=("indirect", "sum"), words_quoted=("words_quoted", "sum"),
    ).reset_index()
    totals = out.groupby("group")["words_quoted"].transform("sum")
    out["share_of_voice"] = np.where(totals > 0, out["words_quoted"] / totals.where(totals > 0, 1), 0.0)
    out["status"] = np.select([out["direct"] > 0, out["quotes"] > 0], ["quoted directly", "only reported"], "never quoted")
    return out.sort_values(["group", "words_quoted", "mentions"], ascending=[True, False, False]).reset_index(drop=True)


def side_by_article(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Quoted words per article and side, every side of the corpus on every article (0 when
    absent): article_id, group, side, words_quoted (a joint quote's words split evenly between
    its speakers, as framing.voice_by_side shares them), article_words (all quoted words of the
    article)."""
    rows = [(a, side, words / len(sides)) for a, joined, words in quotes[["article_id", "side", "words"]].itertuples(index=False)
            for sides in [str(joined).split(" + ")] for side in sides]
    parts = pd.DataFrame(rows, columns=["article_id", "side", "words_quoted"])
    sides = sorted(set(parts["side"])) or [UNKNOWN_SIDE]
    grid = pd.MultiIndex.from_product([articles["article_id"], sides], names=["article_id", "side"])
    table = parts.groupby(["article_id", "side"])["words_quoted"].sum().reindex(grid, fill_value=0.0).reset_index()
    table["article_words"] = table.groupby("article_id")["words_quoted"].transform("sum")
    table["group"] = table["article_id"].map(dict(zip(articles["article_id"], articles["group"])))
    return table[["article_id", "group", "side", "words_quoted", "article_words"]]


def side_voice(side_articles: pd.DataFrame, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Share of each group's quoted words per side: group, side, articles (of the group),
    quoted_in (articles quoting the side), words_quoted, share, low, high (bootstrap over
    articles; NaN below 3 articles), share_known, known_low, known_high (the same among the
    words of speakers with a known side; NaN for "unknown")."""
    known_words = side_articles[side_articles["side"] != UNKNOWN_SIDE].groupby("article_id")["words_quoted"].sum()
    rows = []
    for (group, side), part in side_articles.groupby(["group", "side"], sort=True):
        words, whole = part["words_quoted"].to_numpy(), part["article_words"].to_numpy()
        known = part["article_id"].map(known_words).fillna(0).to_numpy()
        low, high = bootstrap_ratio(words, whole, seed=seed, key=("side", group, side))
        is_known = side != UNKNOWN_SIDE and known.sum() > 0
        k_low, k_high = bootstrap_ratio(words, known, seed=seed, key=("known side", group, side)) if is_known else (np.nan, np.nan)
        rows.append({"group": group, "side": side, "articles": len(part), "quoted_in": int((words > 0).sum()),
                     "words_quoted": int(round(words.sum())), "share": words.sum() / whole.sum() if whole.sum() else 0.0,
                     "low": low, "high": high, "share_known": words.sum() / known.sum() if is_known else np.nan,
                     "known_low": k_low, "known_high": k_high})
    columns = ["group", "side", "articles", "quoted_in", "words_quoted", "share", "low", "high", "share_known", "known_low", "known_high"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["group", "words_quoted"], ascending=[True, False]).reset_index(drop=True)


def opening_closing(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Whose voice opens and closes each story: article_id, group, opens / opens_side (the
    first quote's speaker and side), closes / closes_side (the last quote's); empty when the
    article quotes no one."""
    first = quotes.groupby("article_id").first()
    last = quotes.groupby("article_id").last()
    table = articles[["article_id", "group"]].set_index("article_id")
    table = table.assign(
        opens=first["actor"], opens_side=first["side"], closes=last["actor"], closes_side=last["side"],
    ).fillna("")
    return table.reset_index()


# --- how actors are named, labelled, quoted ------------------------------------------------------


def naming(naming_table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Every referring expression per group and actor: group, actor, kind, expression, count,
    articles (articles of the group using it), loaded."""
    table = naming_table.assign(actor=naming_table["actor"].map(lambda n: names.get(n, n)))
    out = table.groupby(["group", "actor", "kind", "expression"]).agg(
        count=("count", "sum"), articles=("article_id", "nunique"), loaded=("loaded", "max"),
    ).reset_index()
    return out.sort_values(["group", "actor", "count"], ascending=[True, True, False]).reset_index(drop=True)


def naming_kinds(naming_table: pd.DataFrame) -> pd.DataFrame:
    """Per group and actor, the kinds of naming and the most used expression: group, actor,
    references, top_expression, top_count, top_clear (used at least twice and more than any
    other expression), plus one column per kind (counts)."""
    if naming_table.empty:
        return pd.DataFrame(columns=["group", "actor", "references", "top_expression", "top_count"])
    kinds = naming_table.pivot_table(index=["group", "actor"], columns="kind", values="count", aggfunc="sum", fill_value=0)
    names = naming_table[naming_table["kind"] != "pronoun"].sort_values("count", ascending=False, kind="stable")
    ranked = names.groupby(["group", "actor"])["count"]
    top = names.groupby(["group", "actor"]).first()[["expression", "count"]].rename(columns={"expression": "top_expression", "count": "top_count"})
    second = ranked.nth(1).groupby([names.loc[ranked.nth(1).index, "group"], names.loc[ranked.nth(1).index, "actor"]]).first()
    top["top_clear"] = (top["top_count"] >= 2) & (top["top_count"] > second.reindex(top.index).fillna(0))
    out = kinds.assign(references=kinds.sum(axis=1)).join(top).reset_index()
    return out.sort_values(["group", "references"], ascending=[True, False]).reset_index(drop=True)


def narrator_labels(loaded: pd.DataFrame) -> pd.DataFrame:
    """Loaded labels in the narrator's own words (not inside any quote, nor in quotation marks
    of their own: 'called him a "tyrant"' gives someone else's word): group, label, count,
    articles, targets (the phrases, "; "-joined)."""
    columns = ["group", "label", "count", "articles", "targets"]
    if loaded.empty:
        return pd.DataFrame(columns=columns)
    own = loaded[(loaded["voice"].fillna(NARRATOR) == NARRATOR) & ~loaded.apply(_in_quote_marks, axis=1)]
    out = own.groupby(["group", "label"]).agg(
        count=("label", "size"), articles=("article_id", "nunique"),
        targets=("target", lambda t: "; ".join(dict.fromkeys(str(x) for x in t))),
    ).reset_index()
    return out.reindex(columns=columns).sort_values(["group", "count"], ascending=[True, False]).reset_index(drop=True)


QUOTE_MARKS = "\"“”‘’'«»"


def _in_quote_marks(row: pd.Series) -> bool:
    """Whether a loaded label is written in quotation marks in its target phrase (a partial
    quote or scare quotes the quote extractor did not take for a quote)."""
    target, word = str(row.get("target") or ""), str(row.get("text") or "")
    at = target.lower().find(word.lower()) if word else -1
    return at > 0 and target[at - 1] in QUOTE_MARKS


def verb_profiles(verbs: pd.DataFrame) -> pd.DataFrame:
    """Reporting verbs per group by connotation: group, connotation, count, share (of the
    group's reporting verbs), verbs (the most used lemmas)."""
    columns = ["group", "connotation", "count", "share", "verbs"]
    if verbs.empty:
        return pd.DataFrame(columns=columns)
    out = verbs.groupby(["group", "connotation"]).agg(
        count=("count", "sum"),
        verbs=("cue_lemma", lambda v: ", ".join(v.value_counts().index[:4])),
    ).reset_index()
    out["share"] = out["count"] / out.groupby("group")["count"].transform("sum")
    return out[columns].sort_values(["group", "count"], ascending=[True, False]).reset_index(drop=True)


# --- tone, frames, prominence, furniture ---------------------------------------------------------


def tone_by_article(tone_voices: pd.DataFrame, voices: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Mean VADER tone per article and voice (weighted by words): article_id, group, voice
    ("narrator", or "quoted: <side>" for the words inside quotes of speakers of that side, sides
    as in article_voice), words, compound."""
    columns = ["article_id", "group", "voice", "words", "compound"]
    if tone_voices.empty:
        return pd.DataFrame(columns=columns)
    side_of = {(a, c): s for a, c, s in voices[["article_id", "canonical", "side"]].itertuples(index=False)}

    def voice(article_id: str, speaker: str) -> str:
        if speaker == NARRATOR:
            return NARRATOR
        sides = {side_of.get((article_id, s), UNKNOWN_SIDE) for s in split_speakers(speaker) if s != UNKNOWN}
        return f"quoted: {sides.pop() if len(sides) == 1 else UNKNOWN_SIDE}"

    parts = tone_voices[tone_voices["words"] > 0]
    parts = parts.assign(voice=[voice(a, v) for a, v in zip(parts["article_id"], parts["voice"])],
                         weighted=parts["compound"] * parts["words"])
    out = parts.groupby(["article_id", "group", "voice"]).agg(words=("words", "sum"), weighted=("weighted", "sum")).reset_index()
    out["compound"] = out["weighted"] / out["words"]
    return out[columns]


def tone(tone_articles: pd.DataFrame, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Tone per group and voice: group, voice, articles (with words in that voice), words,
    compound (mean over those articles), low, high (bootstrap; NaN below 3 articles)."""
    rows = []
    for (group, voice), part in tone_articles.groupby(["group", "voice"], sort=True):
        low, high = bootstrap_mean(part["compound"], seed=seed, key=("tone", group, voice))
        rows.append({"group": group, "voice": voice, "articles": len(part), "words": int(part["words"].sum()),
                     "compound": float(part["compound"].mean()), "low": low, "high": high})
    return pd.DataFrame(rows, columns=["group", "voice", "articles", "words", "compound", "low", "high"])


def frames(frame_scores: pd.DataFrame, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The five generic frames per group: group, frame, articles, score (mean share of the
    frame's questions answered yes), low, high (bootstrap), present_in (articles with at least one yes)."""
    rows = []
    for (group, frame), part in frame_scores.groupby(["group", "frame"], sort=True):
        low, high = bootstrap_mean(part["score"], seed=seed, key=("frame", group, frame))
        rows.append({"group": group, "frame": frame, "articles": len(part), "score": float(part["score"].mean()),
                     "low": low, "high": high, "present_in": int((part["yes"] > 0).sum())})
    return pd.DataFrame(rows, columns=["group", "frame", "articles", "score", "low", "high", "present_in"])


def prominence(prominence_table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Who is in the lead: group, actor, articles (naming it), in_lead (articles naming it in
    the lead), opens (articles whose first quote is its), closes (last quote)."""
    table = prominence_table.assign(actor=prominence_table["actor"].map(lambda n: names.get(n, n)))
    flags = table[["in_lead", "opens_article", "closes_article"]].fillna(False).astype(bool)
    out = table[["group", "actor", "article_id"]].join(flags).groupby(["group", "actor"]).agg(
        articles=("article_id", "nunique"), in_lead=("in_lead", "sum"), opens=("opens_article", "sum"), closes=("closes_article", "sum"),
    ).reset_index()
    return out.sort_values(["group", "in_lead", "articles"], ascending=[True, False, False]).reset_index(drop=True)


def furniture(page_furniture: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Page furniture set aside per group: group, articles, with_furniture (articles with some),
    paragraphs, share_of_text (mean over the group's articles), roles ("role: n" list)."""
    share = page_furniture.groupby("article_id")["share_of_text"].sum() if not page_furniture.empty else pd.Series(dtype=float)
    per = articles[["article_id", "group"]].assign(share=lambda d: d["article_id"].map(share).fillna(0.0))
    rows = []
    for group, part in per.groupby("group", sort=True):
        pf = page_furniture[page_furniture["group"] == group] if not page_furniture.empty else page_furniture
        roles = pf["role"].value_counts() if not pf.empty else pd.Series(dtype=int)
        rows.append({"group": group, "articles": len(part), "with_furniture": int((part["share"] > 0).sum()),
                     "paragraphs": len(pf), "share_of_text": float(part["share"].mean()),
                     "roles": ", ".join(f"{r}: {n}" for r, n in roles.items())})
    return pd.DataFrame(rows, columns=["group", "articles", "with_furniture", "paragraphs", "share_of_text", "roles"])
