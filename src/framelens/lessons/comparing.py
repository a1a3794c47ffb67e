"""Lesson 6 (comparing coverage): the expected answers and the claim a student checks against articles."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..framing.voice import UNKNOWN_SIDE
from .checks import Reference

if TYPE_CHECKING:
    from ..compare.tables import CompareTables


def expected_smallest_group(ct: "CompareTables") -> int:
    """Articles in the smallest group."""
    return int(ct["article_groups"].groupby("group").size().min())


def expected_groups_with_intervals(ct: "CompareTables") -> int:
    """Groups with enough articles for a bootstrap interval (compare.stats.MIN_ARTICLES)."""
    from ..compare.stats import MIN_ARTICLES

    return int((ct["article_groups"].groupby("group").size() >= MIN_ARTICLES).sum())


def _known_sides(ct: "CompareTables"):
    sides = ct["side_voice"]
    return sides[(sides["side"] != UNKNOWN_SIDE) & (sides["words_quoted"] > 0)]


def expected_widest_reach(ct: "CompareTables") -> list[str]:
    """The group(s) quoting speakers of the most different known sides (ties all accepted)."""
    counts = _known_sides(ct).groupby("group")["side"].nunique()
    return sorted(counts[counts == counts.max()].index) if len(counts) else []


def claim_to_check(ct: "CompareTables") -> dict[str, Any]:
    """A claim of the comparison to check against (up to) two articles of its group.

    The claim is about the largest group quoting only one known side ("quotes only speakers
    tied to S"), else about the largest group quoting several ("quotes more than one side").
    Returns a dict with sentence, group, side ("" for the second kind), kind ("one" | "several"),
    articles (their ids); an empty sentence when no group quotes a speaker with a side.
    """
    known = _known_sides(ct)
    sizes = ct["article_groups"].groupby("group").size()
    reach = known.groupby("group")["side"].agg(["nunique", "first"])
    if reach.empty:
        return {"sentence": "", "group": "", "side": "", "kind": "", "articles": []}
    reach = reach.assign(articles=sizes.reindex(reach.index)).sort_values("articles", ascending=False, kind="stable")
    one = reach[reach["nunique"] == 1]
    group, kind = (one.index[0], "one") if len(one) else (reach.index[0], "several")
    side = str(reach.loc[group, "first"]) if kind == "one" else ""
    sentence = f"{group} quotes only speakers the text ties to {side}." if kind == "one" else f"{group} quotes speakers of more than one side."
    articles = ct["article_groups"].loc[ct["article_groups"]["group"] == group, "article_id"].head(2).tolist()
    return {"sentence": sentence, "group": group, "side": side, "kind": kind, "articles": articles}


def article_passages(ct: "CompareTables", article_ids: list[str]) -> str:
    """The body paragraphs of the articles, numbered from 1, read from the analysed corpora."""
    from ..corpus import open as open_corpus

    wanted = ", ".join("'" + a.replace("'", "''") + "'" for a in article_ids) or "''"
    blocks: dict[str, list[str]] = {}
    for directory in ct.sources:
        with open_corpus(directory) as corpus:
            rows = corpus.sql(f"SELECT article_id, paragraph, text FROM paragraphs WHERE role = 'body' AND article_id IN ({wanted}) "
                              "ORDER BY article_id, paragraph")
        for article_id, paragraph, text in rows.itertuples(index=False):
            blocks.setdefault(article_id, []).append(f"  [{int(paragraph) + 1}] {' '.join(str(text).split())}")
    return "\n\n".join(f"{a}:\n" + "\n".join(blocks.get(a, ["  (no body paragraphs)"])) for a in article_ids)


def expected_claim_verdicts(ct: "CompareTables", claim: dict[str, Any]) -> Reference:
    """The machine's own opinion of the claim, article by article ("holds" | "fails"): for "only
    S", the article quotes no speaker of another known side; for "more than one side", it quotes
    two or more. This is the machine reading its own tables, not a gold check."""
    by_article = ct["side_by_article"]
    verdicts = {}
    for article_id in claim["articles"]:
        rows = by_article[(by_article["article_id"] == article_id) & (by_article["side"] != UNKNOWN_SIDE) & (by_article["words_quoted"] > 0)]
        holds = set(rows["side"]) <= {claim["side"]} if claim["kind"] == "one" else rows["side"].nunique() > 1
        verdicts[article_id] = "holds" if holds else "fails"
    return Reference(verdicts, {}, "machine", "no gold annotation of sides for these articles")
