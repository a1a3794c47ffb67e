"""The written report: findings computed from the analysis tables, worded by Jinja2 templates.

``report.md`` is rendered from templates/report.md.j2 (every value Markdown-escaped, so article
text is inert), then converted to a self-contained ``report.html`` (figures embedded). No sentence
states what a table does not hold: each one is chosen by the numbers in ``findings``.
"""
from __future__ import annotations

import base64
import datetime as dt
import platform
import re
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import __version__
from .framing.common import NARRATOR, UNKNOWN, split_speakers
from .framing.generic_frames import frame_name

if TYPE_CHECKING:
    from .analysis import Analysis

PROVENANCE_PACKAGES = ("spacy", "pandas", "matplotlib", "nltk", "papermill", "vaderSentiment", "trafilatura", "jinja2")
# How the report names each paragraph role it set aside (config.ROLES minus the body): one, many.
ROLE_NAMES = {
    "headline": ("the headline", "headlines"), "subheading": ("a subheading", "subheadings"),
    "caption": ("a photo caption", "photo captions"), "related": ("a link to another story", "links to other stories"),
    "credit": ("a photo credit", "photo credits"), "boilerplate": ("a page widget", "page widgets"),
    "embed": ("a social-media embed", "social-media embeds"),
}
# VADER's own thresholds for calling a compound score positive or negative (Hutto & Gilbert 2014).
TONE_THRESHOLD = 0.05
FIGURES = (
    ("top_actors", "Who is named most"),
    ("actor_mentions_along", "Where each actor is named"),
    ("share_of_voice", "Share of voice"),
    ("quote_timeline", "The quote timeline"),
    ("naming", "How the main actors are named"),
    ("tone_arc", "Tone along the article"),
    ("frame_scores", "Generic news frames"),
    ("cooccurrence_network", "Actors named together"),
)


def md_escape(value: Any) -> str:
    """Backslash-escape what Markdown would read as markup (framelens.markdown.escape), so text
    renders literally and inertly; invisible and bidi control characters are dropped, so nothing
    is disguised.

    Values marked safe (markupsafe.Markup: our own figure paths) pass unchanged.
    """
    from markupsafe import Markup

    if isinstance(value, Markup):
        return str(value)
    from .inputs import neutralise_invisible
    from .markdown import escape

    return "" if value is None else escape(neutralise_invisible(str(value)))


def tone_word(score: float) -> str:
    """'positive', 'negative' or 'neutral' for a VADER compound score, judged on the score as the
    report prints it (two decimals), so "-0.05" is never called neutral nor "-0.04" negative."""
    shown = round(float(score), 2)
    return "positive" if shown >= TONE_THRESHOLD else "negative" if shown <= -TONE_THRESHOLD else "neutral"


def pct(share: float) -> str:
    return f"{100 * share:.0f}%"


# --- findings ----------------------------------------------------------------------------------


def _voice_claim(words: dict[str, float]) -> tuple[str, str]:
    """(kind of claim, top speaker) the summary's voice sentence makes from words per speaker.

    Kinds: "none" (no named speaker), "dominates" (the first has at least 60% of all quoted
    words), "balanced" (first and second within 15 points), "spread" (anything else).
    """
    total = sum(words.values())
    named = sorted(((w, s) for s, w in words.items() if s != "UNKNOWN" and w > 0), reverse=True)
    if not named or not total:
        return "none", ""
    first = named[0][0] / total
    second = named[1][0] / total if len(named) > 1 else 0.0
    kind = "dominates" if first >= 0.6 else "balanced" if first - second <= 0.15 else "spread"
    return kind, named[0][1]


def _with_sides(quotes: "pd.DataFrame", by_actor: "pd.DataFrame") -> "pd.DataFrame":
    """The quotes with a ``side`` column: each speaker's side ("UNKNOWN" when none), " + "-joined."""
    side_of = {a: (s if isinstance(s, str) and s else "UNKNOWN") for a, s in zip(by_actor["actor"], by_actor["side"])}
    sides = [" + ".join(side_of.get(n, "UNKNOWN") for n in str(sp).split(" + ")) for sp in quotes["speaker"]]
    return quotes.assign(side=sides)


def attribution_certainty(quotes: "pd.DataFrame", *, key: str = "speaker") -> dict[str, Any]:
    """Whether the low-confidence attributions could change what the summary says about voice.

    The claim (one voice / dominates / balanced / spread, and who is first) is made from every
    quote; it is stable when it stays the same with the low-confidence quotes set aside, and
    with all their words given to the runner-up (the worst case). ``key`` is the column to
    group by ("speaker", or "side" for a quotes table with a side per row).

    Returns:
        dict with uncertain (number of low-confidence quotes), uncertain_ids (their quote ids),
        stable (bool), hedge ("" or "probably ").
    """
    import pandas as pd

    from .framing.common import word_count

    if quotes is None or quotes.empty or "confidence" not in quotes:
        return {"uncertain": 0, "uncertain_ids": [], "stable": True, "hedge": ""}
    words = quotes["text"].map(word_count)
    low = quotes["confidence"] == "low"

    def tally(mask) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, n in zip(quotes.loc[mask, key], words[mask]):
            names = [x for x in str(name).split(" + ") if x] or ["UNKNOWN"]
            for x in names:
                out[x] = out.get(x, 0.0) + n / len(names)
        return out

    claim = _voice_claim(tally(pd.Series(True, index=quotes.index)))
    confident = tally(~low)
    dropped = {**confident, "UNKNOWN": confident.get("UNKNOWN", 0.0) + float(words[low].sum())}
    ranked = sorted(((w, s) for s, w in confident.items() if s != "UNKNOWN"), reverse=True)
    runner_up = ranked[1][1] if len(ranked) > 1 else ranked[0][1] if ranked else "UNKNOWN"
    worst = {**confident, runner_up: confident.get(runner_up, 0.0) + float(words[low].sum())}
    stable = not low.any() or (_voice_claim(dropped) == claim and _voice_claim(worst) == claim)
    return {
        "uncertain": int(low.sum()),
        "uncertain_ids": quotes.loc[low, "quote_id"].tolist() if "quote_id" in quotes else [],
        "stable": bool(stable),
        "hedge": "" if stable else "probably ",
    }


def findings(analysis: "Analysis") -> dict[str, Any]:
    """Everything the report says, as plain numbers, names and short lists, from the tables."""
    t = analysis.tables
    quotes = t["quotes"]
    voice = t["voice"]
    by_actor = t["voice_by_actor"]
    by_side = t["voice_by_side"]
    # Only actors that can speak are voices: events, venues and programmes are never "never quoted"
    # nor named as sources (a quote credited to one is counted as unattributed), and an
    # organisation quoted through its representative is not silent.
    speaking = t.get("speaking_actors")
    not_voices = speaking[~speaking["can_speak"].astype(bool)] if speaking is not None else pd.DataFrame(columns=["canonical", "reason"])
    misattributed = voice["speaker"].isin(set(not_voices["canonical"]))
    known = voice[(voice["speaker"] != UNKNOWN) & ~misattributed]
    silent = by_actor[by_actor["status"] == "mentioned, never quoted"].sort_values("mentions", ascending=False)
    sides = by_side[(by_side["side"] != "unknown") & (by_side["words_quoted"] > 0)]
    unquoted_sides = by_side[(by_side["side"] != "unknown") & (by_side["quotes"] == 0)]
    tone_rows = t["tone_by_speaker"].set_index("speaker")
    narrator = float(tone_rows.loc["narrator", "compound"]) if "narrator" in tone_rows.index else None
    scores = t["frame_scores"].sort_values(["score", "yes"], ascending=False)
    present = scores[scores["yes"] > 0]
    furniture = t["page_furniture"]
    prominence = t["prominence"]
    definite = definite_actors(analysis)

    def named(records: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        return [{**r, "name": prose_name(r[key], definite)} for r in records]

    def names(actors) -> list[str]:
        return [prose_name(a, definite) for a in actors]

    return {
        "quotes": {
            "total": len(quotes),
            "direct": int((quotes["kind"] == "direct").sum()),
            "indirect": int((quotes["kind"] == "indirect").sum()),
            "unattributed": int((quotes["speaker"] == UNKNOWN).sum()) + int(voice.loc[misattributed, "quotes"].sum()),
        },
        "speakers": named(known.to_dict("records"), "speaker"),
        "certainty": attribution_certainty(quotes),
        "side_certainty": attribution_certainty(_with_sides(quotes, by_actor), key="side"),
        "silent": named(silent[["actor", "mentions", "side"]].to_dict("records"), "actor"),
        "represented": by_actor.loc[by_actor["status"] == "speaks through a representative", ["actor", "speaks_through"]].to_dict("records"),
        "not_voices": not_voices[["canonical", "reason"]].to_dict("records"),
        "sides": named(sides.to_dict("records"), "side"),
        "unquoted_sides": unquoted_sides["side"].tolist(),
        "unquoted_side_names": names(unquoted_sides["side"]),
        "unknown_side_share": float(by_side.loc[by_side["side"] == "unknown", "share_of_voice"].sum()),
        "tone": {
            "narrator": narrator,
            "speakers": [
                {"speaker": s, "name": prose_name(s, definite), "compound": float(r["compound"]), "word": tone_word(float(r["compound"]))}
                for s, r in tone_rows.drop(index="narrator", errors="ignore").iterrows()
            ],
            "narrator_units": int(tone_rows.loc[NARRATOR, "units"]) if NARRATOR in tone_rows.index else 0,
            "most_negative": _with_voice(t["tone_sentences"].nsmallest(1, "compound"), definite),
            "most_positive": _with_voice(t["tone_sentences"].nlargest(1, "compound"), definite),
        },
        "frames": [
            {**r, "name": frame_name(r["frame"])} for r in present.to_dict("records")
        ],
        "frame_evidence": t["frames"][t["frames"]["answer"].astype(bool)].to_dict("records"),
        "naming": t["naming"].to_dict("records"),
        "loaded": [{**row, **_label_words(row, definite)} for row in t["loaded_labels"].to_dict("records")],
        "loaded_voices": _loaded_voices(t["loaded_labels"], t["loaded_by_voice"]),
        "verbs": t["reporting_verbs"].to_dict("records"),
        "lead": names(prominence.loc[prominence["in_lead"].astype(bool), "actor"]),
        "opens": names(prominence.loc[prominence["opens_article"].astype(bool), "actor"]),
        "closes": names(prominence.loc[prominence["closes_article"].astype(bool), "actor"]),
        "furniture": {
            "share": float(furniture["share_of_text"].sum()) if not furniture.empty else 0.0,
            "paragraphs": furniture.to_dict("records"),
            "by_role": furniture["role"].value_counts().to_dict() if not furniture.empty else {},
            "roles_named": _roles_set_aside(furniture),
        },
        "actors": t["actors"].head(10).to_dict("records"),
        "paragraphs": len(analysis.article.paragraphs),
        "body_paragraphs": sum(p.role == "body" for p in analysis.article.paragraphs),
    }


def appendix(analysis: "Analysis") -> dict[str, Any]:
    """What the checkable part of the report lists: every quote (paragraphs numbered from 1), every
    paragraph with its role, and the researcher's corrections applied."""
    quotes = analysis.tables["quotes"]
    rows = []
    for q in quotes.to_dict("records"):
        rows.append({
            "quote_id": q["quote_id"], "paragraph": int(q["paragraph"]) + 1, "kind": q["kind"], "speaker": q["speaker"],
            "route": q.get("route", ""), "mention": q.get("speaker_mention", ""), "confidence": q.get("confidence", ""),
            "cue": q["cue"], "text": q["text"],
        })
    corrections = analysis.tables.get("corrections")
    return {
        "quotes": rows,
        "paragraphs": [{"number": p.index + 1, "role": p.role, "text": p.text} for p in analysis.article.paragraphs],
        "corrections": [] if corrections is None else corrections.to_dict("records"),
    }


# --- names in sentences ------------------------------------------------------------------------


def prose_name(voice: str, definite: frozenset[str] = frozenset()) -> str:
    """How a sentence names a speaker or actor: 'Ana Lind', 'Ana Lind and Piet Varn', 'the Harbour
    Board' (an actor in ``definite``: the article names it with "the"), 'an unattributed source'."""
    names = [f"the {n}" if n in definite and not n.lower().startswith("the ") else n for n in split_speakers(voice) if n != UNKNOWN]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or "an unattributed source"


def possessive(name: str) -> str:
    """'Ana Lind's', 'Reuters'', 'the Harbour Board's'; a name that already ends in 's stays as it is."""
    name = str(name)
    if name.endswith(("'s", "’s")):
        return name
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def capitalise_first(sentence: str) -> str:
    """The sentence with its first letter in upper case ('a senior official ...' -> 'A senior
    official ...'); a word written with an inner capital ('eBay') is left alone."""
    sentence = str(sentence)
    i = len(sentence) - len(sentence.lstrip(_OPENING))  # past opening quotes and brackets
    if i == len(sentence) or not sentence[i].isalpha() or sentence[i + 1 : i + 2].isupper():
        return sentence  # "98% of ...", "eBay ..."
    return sentence[:i] + sentence[i].upper() + sentence[i + 1 :]


_OPENING = " \"'(\u201c\u2018["


def definite_actors(analysis: "Analysis") -> frozenset[str]:
    """Actors the article names with "the" ("the Harbour Board", "the president"): at least half
    of their body mentions include it or follow it."""
    mentions = analysis.mentions
    if mentions.empty:
        return frozenset()
    mentions = mentions[(mentions["role"] == "body") & ~mentions["modifier"].astype(bool)] if "modifier" in mentions else mentions
    text = analysis.article.text
    with_the = [
        str(t).lower().startswith("the ") or text[max(0, int(start) - 4) : int(start)].lower() == "the "
        for t, start in zip(mentions["text"], mentions["start_char"])
    ]
    share = pd.Series(with_the, index=mentions.index, dtype=float).groupby(mentions["canonical"]).mean()
    return frozenset(share[share >= 0.5].index)


def _who(voice: str, kind: str, definite: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """How the report names who uses a word, and whether the verb after it is plural: "The
    narrator", "Ana Lind, quoted," (direct quote), "The narrator, paraphrasing Ana Lind," (reported
    speech: the speaker's claim in the writer's words)."""
    if voice == NARRATOR:
        return "The narrator", False
    source = prose_name(voice, definite)
    if kind != "direct":
        return f"The narrator, paraphrasing {source},", False
    if source == "an unattributed source":
        return "An unattributed quote", False
    return f"{capitalise_first(source)}, quoted,", len(split_speakers(voice)) > 1


_DETERMINERS = frozenset("the a an this that these those".split())


def _label_words(label: dict[str, Any], definite: frozenset[str] = frozenset()) -> dict[str, Any]:
    """How the report words one loaded label: ``lead`` ("The narrator calls", "Ana Lind, quoted,
    uses the word") and ``bare`` (True when the label is the whole target: "these terrorists")."""
    who, plural = _who(str(label.get("voice") or NARRATOR), str(label.get("quote_kind") or ""), definite)
    target = [w for w in str(label.get("target") or "").lower().split() if w not in _DETERMINERS]
    bare = not target or target == str(label.get("text") or "").lower().split()
    verb = "use" if bare else "write" if label.get("target_kind") == "verb phrase" else "call"
    return {"lead": f"{who} {verb}{'' if plural else 's'}" + (" the word" if bare else ""), "bare": bare}


def _loaded_voices(loaded, by_voice) -> dict[str, Any]:
    """Loaded labels by who uses them: in the narrator's own words, in reported speech, inside
    direct quotes (counts), and one row per voice."""
    kinds = loaded["quote_kind"].value_counts() if len(loaded) else {}
    direct, reported = int(kinds.get("direct", 0)), int(kinds.get("indirect", 0))
    return {
        "total": len(loaded), "narrator": len(loaded) - direct - reported, "reported": reported, "direct": direct,
        "by_voice": by_voice.to_dict("records"),
    }


def _with_voice(sentences, definite: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Sentence records with whose words they are: "the narrator's words", "quoted words of X",
    "mostly reported speech of an unattributed source"."""
    records = sentences.to_dict("records")
    for r in records:
        voice = str(r.get("voice") or NARRATOR)
        mostly = "" if float(r.get("quoted_share") or 0.0) > 0.95 else "mostly "
        speech = "quoted words" if r.get("quote_kind") == "direct" else "reported speech"
        r["whose"] = "the narrator's words" if voice == NARRATOR else f"{mostly}{speech} of {prose_name(voice, definite)}"
    return records


def _roles_set_aside(furniture) -> list[str]:
    """'the headline', '3 photo captions', ... for exactly the roles of the paragraphs set aside, most first."""
    counts = furniture["role"].value_counts() if not furniture.empty else {}
    names = {role: ROLE_NAMES.get(role, (role, role)) for role in counts.index} if len(counts) else {}
    return [names[role][0] if n == 1 else f"{n} {names[role][1]}" for role, n in counts.items()]


# --- rendering ---------------------------------------------------------------------------------


def _environment(*, markdown: bool = True):
    """Jinja2 environment; for Markdown output every value goes through md_escape."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("framelens", "templates"),
        autoescape=False,
        finalize=md_escape if markdown else None,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pct=pct, tone=tone_word, signed=lambda x: f"{x:+.2f}", oneline=_one_line, anchor=_paragraph_anchor,
        frame=frame_name, possessive=possessive, capfirst=capitalise_first,
    )
    return env


def _one_line(text: Any) -> str:
    """Text with its line breaks folded into spaces (so it fits a table cell or a list item)."""
    return " ".join(str(text).split())


def _paragraph_anchor(number: int):
    """The link to paragraph ``number`` (1-based) of the report's last appendix."""
    from markupsafe import Markup

    return Markup(f"#p{int(number)}")


def summary(facts: dict[str, Any]) -> list[str]:
    """The 3-5 sentence summary (plain text): the first five sentences templates/summary.j2 chooses."""
    text = _environment(markdown=False).get_template("summary.j2").render(f=facts)
    return [capitalise_first(line.strip()) for line in text.splitlines() if line.strip()][:5]


def lock_fingerprint() -> str:
    """sha256 of requirements.lock (the pinned versions ``make`` installed), or a note if absent."""
    import hashlib

    from .config import PROJECT_ROOT

    lock = PROJECT_ROOT / "requirements.lock"
    return hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else "no requirements.lock"


def provenance(analysis: "Analysis", *, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """Input file, its sha256, model, package versions, the dependency lock's sha256, parameters
    and the time of the run."""
    versions = {}
    for name in PROVENANCE_PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "input": analysis.article.path.name,
        "sha256": analysis.article.sha256,
        "model": analysis.model,
        "framelens": __version__,
        "python": platform.python_version(),
        "packages": versions,
        "lock": lock_fingerprint(),
        "parameters": {k: v for k, v in (parameters or {}).items() if v not in ("", None)},
        "corrections": dict(analysis.corrections),
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def render_markdown(analysis: "Analysis", report_dir: Path | str, *, parameters: dict[str, Any] | None = None) -> str:
    """The report as Markdown (figures referenced as figures/<name>.png when they exist)."""
    from markupsafe import Markup

    from .methods import methods

    report_dir = Path(report_dir)
    facts = findings(analysis)
    details = appendix(analysis)
    prov = provenance(analysis, parameters=parameters)
    figures = [
        {"file": Markup(f"figures/{name}.png"), "caption": caption}
        for name, caption in FIGURES
        if (report_dir / "figures" / f"{name}.png").is_file()
    ]
    return _environment().get_template("report.md.j2").render(
        f=facts,
        summary=summary(facts),
        meta=analysis.article.metadata,
        article=analysis.article,
        figures={fig["file"].split("/")[1][:-4]: fig for fig in figures},
        provenance=prov,
        methods=methods(prov, corrections=len(details["corrections"])),
        appendix=details,
    )


def markdown_to_html(markdown: str, report_dir: Path | str, *, title: str) -> str:
    """A self-contained HTML page for the Markdown report: raw HTML escaped, figures embedded."""
    import mistune

    body = mistune.create_markdown(escape=True, plugins=["table"])(markdown)

    def embed(match: re.Match) -> str:
        path = Path(report_dir) / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f'src="data:image/png;base64,{base64.b64encode(path.read_bytes()).decode("ascii")}"'

    body = re.sub(r'src="(figures/[\w.-]+\.png)"', embed, body)
    # Paragraph anchors: our own "[¶ N](#pN)" links start the items of the paragraph appendix
    # (article text is escaped, so it cannot produce this markup).
    body = re.sub(r'<li><a href="#p(\d+)">', r'<li id="p\1"><a href="#p\1">', body)
    import jinja2

    page = jinja2.Environment(loader=jinja2.PackageLoader("framelens", "templates"), autoescape=True)
    return page.get_template("page.html.j2").render(title=title, body=jinja2.utils.markupsafe.Markup(body))


def write_report(analysis: "Analysis", report_dir: Path | str, *, parameters: dict[str, Any] | None = None) -> Path:
    """Write report.md and report.html into ``report_dir``; returns the HTML path."""
    report_dir = Path(report_dir)
    markdown = render_markdown(analysis, report_dir, parameters=parameters)
    title = f"framelens report: {analysis.article.metadata.get('title') or analysis.article.id}"
    (report_dir / "report.md").write_text(markdown, encoding="utf-8")
    (report_dir / "report.html").write_text(markdown_to_html(markdown, report_dir, title=title), encoding="utf-8")
    return report_dir / "report.html"
