"""Interactive exploration: actor and paragraph views as HTML, displaCy with canonical actors, widgets.

Every view is a plain function returning HTML, so a notebook reads the same when exported
without a kernel; ``explorer()`` only wires the same functions to ipywidgets.
"""
from __future__ import annotations

import functools
import html
from typing import TYPE_CHECKING, Iterable

import pandas as pd

from . import framing
from .config import BODY_ROLES
from .tokens import kwic, select_roles

if TYPE_CHECKING:
    from .analysis import Analysis

PALETTE = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe", "#fed7aa", "#a5f3fc", "#f5d0fe")
QUOTE_STYLE = {"direct": "border-bottom:2px solid #3b6ea8", "indirect": "border-bottom:2px dashed #d08c2c"}


def highlight(text: str, offset: int, spans: Iterable[tuple[int, int, str, str]]) -> str:
    """HTML of ``text`` (which starts at ``offset`` in the article) with spans marked.

    ``spans`` are (start_char, end_char, css, title) in article offsets; overlapping spans are
    nested when they nest and otherwise the later one is skipped. All text is HTML-escaped.
    """
    events = sorted(
        ((s - offset, e - offset, css, title) for s, e, css, title in spans if offset <= s and e <= offset + len(text)),
        key=lambda x: (x[0], -x[1]),
    )
    out, pos, open_ends = [], 0, []
    for start, end, css, title in events:
        while open_ends and open_ends[-1] <= start:
            out.append(html.escape(text[pos : open_ends[-1]]) + "</mark>")
            pos = open_ends.pop()
        if open_ends and end > open_ends[-1]:
            continue  # crosses an open span: skip rather than break the markup
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark style="{html.escape(css)};padding:0 2px" title="{html.escape(title)}">')
        pos = start
        open_ends.append(end)
    while open_ends:
        out.append(html.escape(text[pos : open_ends[-1]]) + "</mark>")
        pos = open_ends.pop()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, border=0) if not frame.empty else "<p><em>none</em></p>"


def actor_colors(analysis: "Analysis", *, top: int = len(PALETTE)) -> dict[str, str]:
    """A highlight colour for each of the ``top`` most mentioned actors."""
    return dict(zip(analysis.actors["canonical"].head(top), PALETTE))


def actor_view(analysis: "Analysis", actor: str, *, width: int = 6) -> str:
    """HTML: where ``actor`` is named (highlighted paragraphs), its quotes and its KWIC lines."""
    mentions = select_roles(analysis.mentions, BODY_ROLES)
    mine = mentions[mentions["canonical"] == actor]
    quotes = analysis.quotes
    spoken = quotes[quotes["speaker"].astype(str).str.split(" \\+ ").apply(lambda s: actor in s)] if not quotes.empty else quotes
    parts = [f"<h3>{html.escape(actor)}</h3>", f"<p>{len(mine)} mentions in body paragraphs; {len(spoken)} quotes.</p>"]
    paragraphs = sorted(set(mine["paragraph"]) | set(spoken["paragraph"]))
    for index in paragraphs:
        p = analysis.article.paragraphs[int(index)]
        spans = [(r.start_char, r.end_char, "background:#fde68a", "mention") for r in mine.itertuples()]
        spans += [(r.start_char, r.end_char, QUOTE_STYLE.get(r.kind, ""), f"{r.kind} quote") for r in spoken.itertuples()]
        parts.append(f"<p><small>¶{p.index}</small> {highlight(p.text, p.start_char, spans)}</p>")
    if not spoken.empty:
        parts.append("<h4>Quotes</h4>" + _table(spoken[["quote_id", "kind", "cue", "paragraph", "text"]]))
    aliases = sorted({t.lower().removeprefix("the ") for t in mine["text"]}, key=len, reverse=True)
    lines = pd.concat([kwic(analysis.tokens, a, width=width) for a in aliases], ignore_index=True) if aliases else pd.DataFrame()
    if not lines.empty:
        lines = _outermost(lines)
        parts.append("<h4>Keyword in context</h4>" + _table(lines[["paragraph", "left", "keyword", "right"]]))
    return "\n".join(parts)


def quotes_html(analysis: "Analysis", *, roles: tuple[str, ...] | None = BODY_ROLES) -> str:
    """HTML of the article with every quote highlighted: colour = speaker, underline = kind
    (solid: direct, dashed: indirect), with a legend; hover a quote for speaker and cue."""
    quotes = analysis.quotes
    speakers = quotes.groupby("speaker")["text"].size().sort_values(ascending=False).index.tolist() if not quotes.empty else []
    colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(speakers)}
    spans = [
        (q.start_char, q.end_char, f"background:{colors[q.speaker]};{QUOTE_STYLE.get(q.kind, '')}", f"{q.kind} · {q.speaker} · {q.cue or 'no cue'}")
        for q in quotes.itertuples()
    ]
    legend = " ".join(
        f'<mark style="background:{colors[name]};padding:0 4px">{html.escape(name)}</mark>' for name in speakers
    )
    keys = "solid underline: direct quote; dashed: reported speech"
    parts = [f"<p><b>Speakers:</b> {legend or '<em>no quotes</em>'}<br><small>{keys}</small></p>"]
    for p in analysis.article.paragraphs:
        if roles is None or p.role in roles:
            parts.append(f"<p><small>¶{p.index}</small> {highlight(p.text, p.start_char, spans)}</p>")
    return "\n".join(parts)


def _outermost(lines: pd.DataFrame) -> pd.DataFrame:
    """Drop KWIC lines whose keyword lies inside a longer keyword's line ("Surname" in "Full Surname")."""
    lines = lines.assign(end=lines["start_char"] + lines["keyword"].str.len()).sort_values(["start_char", "end"], ascending=[True, False])
    keep, reach = [], -1
    for row in lines.itertuples():
        keep.append(row.start_char >= reach)
        reach = max(reach, row.end) if keep[-1] else reach
    return lines[keep].drop(columns="end")


def paragraph_view(analysis: "Analysis", index: int) -> str:
    """HTML: one paragraph with its role (and why), entities highlighted, quotes, loaded labels and
    tone, the last two split by who uses the words (the narrator or a quoted speaker)."""
    p = analysis.article.paragraphs[index]
    colors = actor_colors(analysis)
    ents = analysis.mentions[analysis.mentions["paragraph"] == index]
    quotes = analysis.quotes
    quotes = quotes[quotes["paragraph"] == index] if not quotes.empty else quotes
    spans = [(r.start_char, r.end_char, f"background:{colors.get(r.canonical, '#e5e7eb')}", f"{r.label}: {r.canonical}") for r in ents.itertuples()]
    spans += [(r.start_char, r.end_char, QUOTE_STYLE.get(r.kind, ""), f"{r.kind} quote: {r.speaker}") for r in quotes.itertuples()]
    parts = [
        f"<h3>Paragraph {p.index} <small>role: <b>{html.escape(p.role)}</b> ({html.escape(p.reason)})</small></h3>",
        f"<blockquote>{highlight(p.text, p.start_char, spans)}</blockquote>",
        "<h4>Entities</h4>" + _table(ents[["text", "label", "canonical", "modifier"]]),
    ]
    if not quotes.empty:
        parts.append("<h4>Quotes</h4>" + _table(quotes[["quote_id", "kind", "speaker", "cue", "text"]]))
    labels = analysis.tables.get("loaded_labels")
    if labels is not None and (labels["paragraph"] == index).any():
        parts.append("<h4>Loaded labels, by who uses them</h4>" + _table(labels.loc[labels["paragraph"] == index, ["text", "target", "voice", "quote_kind"]]))
    tone = framing.tone(p.text)["compound"]
    parts.append(f"<p>Tone (VADER compound, -1 to 1): <b>{tone:+.2f}</b></p>")
    voiced = analysis.tables.get("tone_voices")
    if voiced is not None and (voiced["paragraph"] == index).any():
        parts.append("<h4>Tone by voice</h4>" + _table(voiced.loc[voiced["paragraph"] == index, ["voice", "quote_kind", "compound", "text"]]))
    return "\n".join(parts)


def entities_displacy(analysis: "Analysis", *, roles: tuple[str, ...] | None = BODY_ROLES) -> str:
    """displaCy entity rendering of the chosen paragraphs, labelled with canonical actors."""
    from spacy import displacy

    colors = actor_colors(analysis)
    docs = []
    for p in analysis.article.paragraphs:
        if roles is not None and p.role not in roles:
            continue
        ents = analysis.mentions[analysis.mentions["paragraph"] == p.index]
        docs.append(
            {
                "text": p.text,
                "ents": [
                    {"start": r.start_char - p.start_char, "end": r.end_char - p.start_char,
                     "label": r.label if r.text.removeprefix("the ").removeprefix("The ") == r.canonical else f"{r.label} · {r.canonical}"}
                    for r in ents.itertuples()
                ],
                "title": f"¶{p.index}",
            }
        )
    labels = {f"{lab} · {name}": color for name, color in colors.items() for lab in ("PERSON", "ORG", "GPE")}
    return displacy.render(docs, style="ent", manual=True, page=False, jupyter=False, options={"colors": labels})


def explorer(analysis: "Analysis"):
    """An ipywidgets panel: pick an actor or a paragraph and see the matching view.

    Where no widget frontend runs (a notebook exported to HTML, a viewer without the widget
    extension) the panel displays its two views as static HTML instead of the widget's repr.
    """
    import ipywidgets as widgets

    actors = analysis.actors["canonical"].tolist()
    actor_pick = widgets.Dropdown(options=actors, description="Actor")
    actor_out = widgets.HTML(actor_view(analysis, actors[0]) if actors else "<p>No actors found.</p>")
    actor_pick.observe(lambda change: setattr(actor_out, "value", actor_view(analysis, change["new"])), names="value")
    para_pick = widgets.IntSlider(min=0, max=len(analysis.article.paragraphs) - 1, value=0, description="Paragraph")
    para_out = widgets.HTML(paragraph_view(analysis, 0))
    para_pick.observe(lambda change: setattr(para_out, "value", paragraph_view(analysis, change["new"])), names="value")
    return _panel_class()(
        children=[widgets.VBox([actor_pick, actor_out]), widgets.VBox([para_pick, para_out])],
        titles=("Actors", "Paragraphs"),
    )


STATIC_NOTE = "The interactive explorer needs a running kernel with widgets; here are its views as they first open."


@functools.lru_cache(maxsize=1)
def _panel_class():
    """ipywidgets' Tab, displayed with a text/html fallback: each tab's view as it is now."""
    import ipywidgets as widgets

    class ExplorerPanel(widgets.Tab):
        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs) or {}
            bundle["text/html"] = self.static_html()
            bundle["text/plain"] = STATIC_NOTE
            return bundle

        def static_html(self) -> str:
            """Each tab's title and its view (the HTML widget in it), in <details> blocks."""
            parts = [f"<p><em>{html.escape(STATIC_NOTE)}</em></p>"]
            for index, box in enumerate(self.children):
                views = [child.value for child in box.children if isinstance(child, widgets.HTML)]
                parts.append(f"<details open><summary>{html.escape(self.get_title(index) or '')}</summary>{''.join(views)}</details>")
            return "".join(parts)

    return ExplorerPanel
