"""The written comparison: findings from the comparison tables, worded by Jinja2 templates
(templates/compare_summary.j2, compare.md.j2), rendered to report.md and a self-contained report.html.

No sentence states what a table does not hold; shares of a group with fewer than 3 articles are
said to describe its articles, and a difference between groups is called one only when their
bootstrap intervals do not overlap.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..framing.voice import UNKNOWN_SIDE
from ..framing.generic_frames import FRAME_NAMES
from ..report import _environment, attribution_certainty, lock_fingerprint, markdown_to_html, tone_word
from .stats import MIN_ARTICLES, intervals_apart
from .tables import CompareTables

MAX_SENTENCES = 8
ONE_SIDE = 0.999  # a group "quotes only" one side when it has all the words with a known side
# A claim about sides needs at least half the group's quoted words to come from speakers with a
# side: "only speakers tied to X" about 3 of 54 words would hide the 51 words nobody placed.
MIN_KNOWN_SHARE = 0.5
FIGURES = (
    ("side_voice", "Share of voice by side, per group"),
    ("naming_heatmap", "How each group names the main actors"),
    ("frames_heatmap", "Generic news frames per group"),
    ("tone_dots", "Tone of the narration and of each side's quotes"),
    ("timeline", "When each group published"),
)


def group_noun(by: str) -> str:
    """What a group is called in the text: 'outlet', 'country', or 'group' for other columns."""
    return by if by in ("outlet", "country") else "group"


def _subject(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """How the text names one or more groups as a subject, and whether its verb is plural:
    'Harbour Ledger', "Valley Post's article", 'Harbour Ledger and Meridian Wire'."""
    names = [g["group"] if not g["small"] else f"{g['group']}'s {'article' if g['articles'] == 1 else '%d articles' % g['articles']}" for g in groups]
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    plural = len(names) > 1 or groups[0]["articles"] == 2 and groups[0]["small"]
    return {"text": text, "plural": plural}


def _groups(ct: CompareTables) -> list[dict[str, Any]]:
    counts = ct["article_groups"].groupby("group")["article_id"].size()
    return [{"group": g, "articles": int(n), "small": int(n) < MIN_ARTICLES} for g, n in counts.items()]


def _side_claims(ct: CompareTables, groups: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per group: what its quoted words with a known side look like. kind "none" (no such
    words, or under MIN_KNOWN_SHARE of the group's quoted words), "one" (one side has them all)
    or "split" (the two largest sides, with shares among the known-side words and intervals);
    hedge when low-confidence quotes could change it."""
    claims = []
    sides = ct["side_voice"]
    for group, info in groups.items():
        rows = sides[(sides["group"] == group) & (sides["side"] != UNKNOWN_SIDE) & (sides["words_quoted"] > 0)]
        rows = rows.sort_values("words_quoted", ascending=False)
        quotes = ct["quotes"][ct["quotes"]["group"] == group]
        known_share = float(rows["share"].sum()) if len(rows) else 0.0
        kind = ("none" if rows.empty or known_share < MIN_KNOWN_SHARE
                else "one" if float(rows["share_known"].iloc[0]) >= ONE_SIDE else "split")
        certainty = _side_certainty(quotes, rows["side"].iloc[0] if kind == "one" else None)
        top = [{"side": r["side"], "share": float(r["share_known"]), "share_all": float(r["share"]),
                "interval": _interval_text({"low": r["known_low"], "high": r["known_high"]})}
               for _, r in rows.head(2).iterrows()]
        subject = _subject([info])["text"]
        claims.append({**info, "kind": kind, "sides": top, "subject": subject, "more_sides": max(len(rows) - 2, 0), "hedge": certainty["hedge"], "uncertain": certainty["uncertain"],
                       "stable": certainty["stable"], "words": int(quotes["words"].sum())})
    return claims


def _side_certainty(quotes: pd.DataFrame, only_side: str | None) -> dict[str, Any]:
    """Whether low-confidence attributions could change a group's claim about sides: for "only
    one side", any low-confidence quote not credited to that side could be another side's; for
    a split, report.attribution_certainty's test (set aside, or given to the runner-up)."""
    if quotes.empty:
        return {"stable": True, "hedge": "", "uncertain": 0}
    if only_side is not None:
        doubtful = int((quotes["low"] & (quotes["side"] != only_side)).sum())
        return {"stable": not doubtful, "hedge": "probably " if doubtful else "", "uncertain": doubtful}
    # attribution_certainty reads "UNKNOWN" as no named source: a speaker without a side here
    by_side = quotes.assign(side=quotes["side"].replace(UNKNOWN_SIDE, "UNKNOWN"))
    return attribution_certainty(by_side, key="side")


def _one_sided(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Groups quoting only one side, gathered by side and by whether the claim is hedged:
    [{side, subject, hedge, uncertain, all_known (no quoted word of these groups is from a
    speaker without a side)}]."""
    gathered: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for c in claims:
        if c["kind"] == "one":
            gathered.setdefault((c["sides"][0]["side"], c["stable"]), []).append(c)
    return [{"side": side, "subject": _subject(gs), "hedge": "" if stable else "probably ",
             "uncertain": sum(g["uncertain"] for g in gs),
             "all_known": all(g["sides"][0]["share_all"] >= ONE_SIDE for g in gs)} for (side, stable), gs in gathered.items()]


def _side_difference(ct: CompareTables, groups: dict[str, dict[str, Any]], claims: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The largest gap between two groups of at least 3 articles in the share of the corpus's
    most quoted known side, whether their intervals are apart, and a hedge when low-confidence
    attributions could change either group's claim about sides."""
    sides = ct["side_voice"]
    big = [g for g, info in groups.items() if not info["small"]]
    known = sides[(sides["side"] != UNKNOWN_SIDE)]
    if len(big) < 2 or known["words_quoted"].sum() == 0:
        return None
    side = known.groupby("side")["words_quoted"].sum().idxmax()
    rows = known[(known["side"] == side) & known["group"].isin(big)].set_index("group")
    hi, lo = rows["share"].idxmax(), rows["share"].idxmin()
    if hi == lo or rows.loc[hi, "share"] == rows.loc[lo, "share"]:
        return None
    apart = intervals_apart((rows.loc[hi, "low"], rows.loc[hi, "high"]), (rows.loc[lo, "low"], rows.loc[lo, "high"]))
    shaky = [c for c in claims if c["group"] in (hi, lo) and not c["stable"]]
    return {"side": side, "apart": apart, "hedge": "probably " if shaky else "", "uncertain": sum(c["uncertain"] for c in shaky),
            "high": {"group": hi, "share": float(rows.loc[hi, "share"]), "interval": _interval_text(rows.loc[hi])},
            "low": {"group": lo, "share": float(rows.loc[lo, "share"]), "interval": _interval_text(rows.loc[lo])}}


def _silenced(ct: CompareTables) -> dict[str, Any] | None:
    """An actor quoted by some groups and named but never quoted by others: the one named in
    the most articles of the groups that never quote it."""
    speakers = ct["voice_by_speaker"]
    quoted = set(speakers.loc[speakers["quotes"] > 0, "actor"])
    never = speakers[(speakers["quotes"] == 0) & speakers["actor"].isin(quoted)]
    if never.empty:
        return None
    unquoted_articles = never.groupby("actor")["articles"].sum().sort_values(ascending=False, kind="stable")
    actor = unquoted_articles.index[0]
    return {"actor": actor, "articles": int(unquoted_articles.iloc[0]),
            "quoted_by": sorted(speakers.loc[(speakers["actor"] == actor) & (speakers["quotes"] > 0), "group"]),
            "silent_in": sorted(never.loc[never["actor"] == actor, "group"])}


def _naming_contrast(ct: CompareTables) -> dict[str, Any] | None:
    """The most referred-to actor that two or more groups name most often by different words
    (only groups where one expression is used at least twice and more than any other)."""
    kinds = ct["naming_kinds"].dropna(subset=["top_expression"])
    kinds = kinds[kinds["top_clear"].astype(bool)] if "top_clear" in kinds else kinds
    if kinds.empty:
        return None
    shared = kinds.groupby("actor").filter(lambda d: d["group"].nunique() > 1 and d["top_expression"].nunique() > 1)
    if shared.empty:
        return None
    actor = shared.groupby("actor")["references"].sum().idxmax()
    rows = shared[shared["actor"] == actor].sort_values("references", ascending=False, kind="stable")
    words = {}
    for group, expression in zip(rows["group"], rows["top_expression"]):
        words.setdefault(expression, []).append(group)
    return {"actor": actor, "expressions": [{"expression": e, "groups": gs} for e, gs in list(words.items())[:3]]}


def _narrator_labels(ct: CompareTables, groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    labels = ct["narrator_labels"]
    users = []
    for group, part in labels.groupby("group", sort=True):
        users.append({"group": group, "labels": part["label"].tolist()[:3], "count": int(part["count"].sum())})
    return {"users": users, "none": [g for g in groups if g not in {u["group"] for u in users}]}


def _tone_contrast(ct: CompareTables) -> dict[str, Any] | None:
    """The groups with the most and least negative narration, and whether their intervals are apart."""
    narr = ct["tone"][ct["tone"]["voice"] == "narrator"].set_index("group")
    if len(narr) == 1:
        row = narr.iloc[0]
        return {"single": {"group": narr.index[0], "compound": float(row["compound"]), "word": tone_word(float(row["compound"])),
                           "interval": _interval_text(row, percent=False)}}
    if len(narr) < 2:
        return None
    lo, hi = narr["compound"].idxmin(), narr["compound"].idxmax()
    both = [narr.loc[g] for g in (lo, hi)]
    has_intervals = all(not math.isnan(float(r["low"])) for r in both)
    return {"lowest": {"group": lo, "compound": float(narr.loc[lo, "compound"]), "word": tone_word(float(narr.loc[lo, "compound"]))},
            "highest": {"group": hi, "compound": float(narr.loc[hi, "compound"]), "word": tone_word(float(narr.loc[hi, "compound"]))},
            "intervals": has_intervals,
            "apart": intervals_apart((both[0]["low"], both[0]["high"]), (both[1]["low"], both[1]["high"]))}


def _frames(ct: CompareTables) -> list[dict[str, Any]]:
    """The most visible frame of each group (score > 0), gathered by frame: [{frame, name, groups}]."""
    table = ct["frames"][ct["frames"]["score"] > 0].sort_values(["group", "score", "frame"], ascending=[True, False, True])
    top = table.groupby("group").first().reset_index()
    out = []
    for frame, part in top.groupby("frame", sort=False):
        out.append({"frame": frame, "name": FRAME_NAMES.get(frame, frame.replace("_", " ")), "groups": part["group"].tolist()})
    return sorted(out, key=lambda f: -len(f["groups"]))


def _openings(ct: CompareTables) -> dict[str, Any] | None:
    """The side that most often gives a story its first quote (known sides only)."""
    opened = ct["opening_closing"]
    opened = opened[opened["opens"] != ""]
    known = opened[(opened["opens_side"] != UNKNOWN_SIDE) & ~opened["opens_side"].str.contains(r" \+ ", regex=True)]
    if known.empty:
        return None
    counts = known["opens_side"].value_counts()
    return {"side": counts.index[0], "count": int(counts.iloc[0]), "quoting": len(opened)}


def findings(ct: CompareTables) -> dict[str, Any]:
    """Everything the written comparison says, as plain numbers, names and short lists."""
    groups = {g["group"]: g for g in _groups(ct)}
    claims = _side_claims(ct, groups)
    quotes = ct["quotes"]
    words = int(quotes["words"].sum()) if len(quotes) else 0
    unknown = int(quotes.loc[quotes["side"] == UNKNOWN_SIDE, "words"].sum()) if len(quotes) else 0
    borrowed = int(quotes.loc[quotes["side_from"].str.contains("corpus", regex=False), "words"].sum()) if len(quotes) else 0
    return {
        "noun": group_noun(ct.by), "by": ct.by,
        "articles": int(len(ct["article_groups"])), "groups": list(groups.values()),
        "small": [g for g in groups.values() if g["small"]],
        "quotes": int(len(quotes)), "words": words, "unknown_side_share": unknown / words if words else 0.0,
        "corpus_side_share": borrowed / words if words else 0.0,
        "low_confidence": int(quotes["low"].sum()) if len(quotes) else 0,
        "one_sided": _one_sided(claims),
        "split": sorted((c for c in claims if c["kind"] == "split"), key=lambda c: (c["small"], -c["words"])),
        "split_uncertain": sum(c["uncertain"] for c in claims if c["kind"] == "split" and not c["stable"]),
        "no_side": [c["group"] for c in claims if c["kind"] == "none" and c["words"] > 0],
        "difference": _side_difference(ct, groups, claims),
        "silenced": _silenced(ct),
        "naming": _naming_contrast(ct),
        "labels": _narrator_labels(ct, groups),
        "tone": _tone_contrast(ct),
        "frames": _frames(ct),
        "openings": _openings(ct),
    }


def _env(*, markdown: bool = True):
    """The report's Jinja2 environment (report._environment) with the comparison's filters."""
    env = _environment(markdown=markdown)
    env.filters["interval"] = _interval_text
    env.filters["the"] = with_article
    env.filters["names"] = join_names
    return env


def join_names(names: list[str], conj: str = "and", *, limit: int = 3, others: str = "others") -> str:
    """'A', 'A and B', 'A, B and C', or 'A, B, C and 4 others' past ``limit`` names."""
    names = [str(n) for n in names]
    if len(names) > limit + 1:
        names = [*names[:limit], f"{len(names) - limit} {others}"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conj} {names[-1]}" if names else ""


# Words that make a side's name a common-noun phrase read with "the": "the United States",
# "the Labour Party", "the European Commission".
_THE_FIRST = frozenset({"United", "European", "Czech", "Democratic", "Islamic", "Russian", "Central", "Federal", "National"})
_THE_LAST = frozenset({
    "Party", "Union", "Nations", "States", "Kingdom", "Federation", "Republic", "Commission", "Council", "Assembly",
    "Government", "Ministry", "Department", "Office", "Bank", "Fund", "Organization", "Organisation", "Army", "Police",
})


def with_article(name: str) -> str:
    """A country or body's name as it reads after "tied to": "the United States", "Spain"."""
    words = name.split()
    if not words or words[0].lower() == "the":
        return name
    plural_country = name.endswith("s") and len(words) == 1 and name[:1].isupper()  # the Netherlands, the Philippines
    return f"the {name}" if words[0] in _THE_FIRST or words[-1] in _THE_LAST or plural_country else name


def _interval_text(row: dict[str, Any], *, percent: bool = True) -> str:
    """'36–46%' (shares) or '-0.16 to -0.11' (scores) from a row's low and high; '' without one."""
    low, high = float(row["low"]), float(row["high"])
    if math.isnan(low):
        return ""
    return f"{100 * low:.0f}–{100 * high:.0f}%" if percent else f"{low:+.2f} to {high:+.2f}"


def summary(facts: dict[str, Any]) -> list[str]:
    """The written comparison: up to MAX_SENTENCES sentences, in the order compare_summary.j2 gives them."""
    text = _env(markdown=False).get_template("compare_summary.j2").render(f=facts)
    lines = [line.strip() for line in text.splitlines() if line.strip()][:MAX_SENTENCES]
    return [line[:1].upper() + line[1:] for line in lines]  # a group named "business" starts a sentence


def provenance(ct: CompareTables, *, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the comparison was made from: the corpora, their articles' sha256 and model, the
    framelens version, the lock's sha256, parameters and the time of the run."""
    from .. import __version__

    articles = ct.tables.get("sources", pd.DataFrame())
    return {
        "corpora": [str(s) for s in ct.sources],
        "articles": articles.to_dict("records"),
        "framelens": __version__,
        "lock": lock_fingerprint(),
        "parameters": {k: v for k, v in (parameters or {}).items() if v not in ("", None, [])},
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def render_markdown(ct: CompareTables, report_dir: Path | str, *, parameters: dict[str, Any] | None = None) -> str:
    """The comparison report as Markdown (figures referenced as figures/<name>.png when they exist)."""
    from markupsafe import Markup

    report_dir = Path(report_dir)
    facts = findings(ct)
    figures = {name: {"file": Markup(f"figures/{name}.png"), "caption": caption}
               for name, caption in FIGURES if (report_dir / "figures" / f"{name}.png").is_file()}
    return _env().get_template("compare.md.j2").render(
        f=facts, summary=summary(facts), t={k: v.to_dict("records") for k, v in ct.tables.items()},
        figures=figures, provenance=provenance(ct, parameters=parameters), frame_names=FRAME_NAMES,
    )


def write_report(ct: CompareTables, report_dir: Path | str, *, title: str, parameters: dict[str, Any] | None = None) -> Path:
    """Write report.md and report.html into ``report_dir``; returns the HTML path."""
    report_dir = Path(report_dir)
    markdown = render_markdown(ct, report_dir, parameters=parameters)
    (report_dir / "report.md").write_text(markdown, encoding="utf-8")
    (report_dir / "report.html").write_text(markdown_to_html(markdown, report_dir, title=f"framelens comparison: {title}"), encoding="utf-8")
    return report_dir / "report.html"
