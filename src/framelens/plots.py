"""One function per chart: ``f(table, *, ax=None) -> Axes``, plus saving a figure as PNG and SVG."""
from __future__ import annotations

import struct
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import pandas as pd

# Labels are article text: a name like "$5 fund$" must be drawn as written, not as mathtext
# (which would fail to parse or render something else). Set for every chart of the process.
matplotlib.rcParams["text.parse_math"] = False

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox


def _axes(ax: "Axes | None", size: tuple[float, float] = (7, 4)) -> "Axes":
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _empty(ax: "Axes", message: str) -> "Axes":
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_axis_off()
    return ax


def top_actors(actors: pd.DataFrame, *, top: int = 10, ax: "Axes | None" = None) -> "Axes":
    """Horizontal bars: mentions of the ``top`` actors of an ``entity_counts`` table."""
    ax = _axes(ax)
    data = actors.head(top).iloc[::-1]
    if data.empty:
        return _empty(ax, "no named actors found")
    colors = data["label"].map({"PERSON": "#3b6ea8", "ORG": "#d08c2c", "GPE": "#5a9e5a"}).fillna("#888888")
    ax.barh(data["canonical"], data["mentions"], color=colors)
    ax.set_xlabel("mentions in body paragraphs")
    ax.set_title("Who is named most")
    ax.xaxis.get_major_locator().set_params(integer=True)
    for label, color in (("person", "#3b6ea8"), ("organisation", "#d08c2c"), ("place/country", "#5a9e5a")):
        ax.bar(0, 0, color=color, label=label)
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    return ax


def actor_mentions_along(
    mentions: pd.DataFrame, actors: list[str], *, n_paragraphs: int, ax: "Axes | None" = None
) -> "Axes":
    """Dot strip: for each actor (a row), the paragraphs that name it, along the article."""
    ax = _axes(ax, (8, 0.45 * max(len(actors), 3) + 1.2))
    data = mentions[mentions["canonical"].isin(actors)]
    if data.empty:
        return _empty(ax, "no named actors found")
    counts = data.groupby(["canonical", "paragraph"]).size().reset_index(name="n")
    rows = {name: i for i, name in enumerate(reversed(actors))}
    ax.scatter(counts["paragraph"], counts["canonical"].map(rows), s=40 * counts["n"], color="#3b6ea8", alpha=0.75)
    ax.set_yticks(list(rows.values()), list(rows.keys()))
    ax.set_xlim(-0.5, max(n_paragraphs - 0.5, 0.5))
    ax.set_xlabel("paragraph (start of article → end)")
    ax.set_title("Where each actor is named")
    ax.grid(axis="x", color="0.9")
    return ax


def word_frequencies(freq: pd.DataFrame, *, top: int = 15, ax: "Axes | None" = None) -> "Axes":
    """Horizontal bars of a ``tokens.word_frequencies`` table."""
    ax = _axes(ax)
    data = freq.head(top).iloc[::-1]
    if data.empty:
        return _empty(ax, "no content words")
    ax.barh(data["word"], data["count"], color="#6b6b9e")
    ax.set_xlabel("occurrences (stop words removed)")
    ax.set_title("Most frequent words")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return ax


def tokenizer_counts(summary: pd.DataFrame, *, ax: "Axes | None" = None) -> "Axes":
    """Grouped bars of a ``tokens.tokenizer_summary`` table (tokens and sentences per tokeniser)."""
    ax = _axes(ax, (6, 3))
    data = summary.set_index("tokeniser")[["tokens", "sentences"]].T
    data.plot.bar(ax=ax, rot=0, color=["#3b6ea8", "#c05a5a"])
    ax.set_title("Same text, two tokenisers")
    ax.set_ylabel("count")
    return ax


def _draw_png(fig: "Figure", path: Path) -> "Bbox":
    """Lay ``fig`` out and draw it once at SAVE_DPI, write ``path`` (its tight box, padded as
    savefig pads), and return that box (inches) for the other formats; the layout is then fixed.

    ``savefig(bbox_inches=...)`` would draw twice, once only to lay out and measure (and the text
    measured by one renderer is measured again by the next). Here the one Agg draw lays out,
    measures and renders, and the PNG is cut from it; a figure with something drawn outside its
    own edges (which savefig's larger canvas would keep) is saved by savefig instead.
    """
    import matplotlib
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba

    shown_canvas, shown_dpi = fig.canvas, fig.dpi
    canvas = FigureCanvasAgg(fig)  # (becomes fig.canvas until the finally below)
    try:
        fig.dpi = SAVE_DPI
        canvas.draw()
        fig.set_layout_engine("none")
        content = fig.get_tightbbox(canvas.get_renderer())
        box = content.padded(matplotlib.rcParams["savefig.pad_inches"])
        inside = content.x0 >= 0 and content.y0 >= 0 and content.x1 <= fig.get_figwidth() and content.y1 <= fig.get_figheight()
        if inside:
            image = _cut(np.asarray(canvas.buffer_rgba()), box, SAVE_DPI, to_rgba(fig.get_facecolor()))
            matplotlib.image.imsave(path, image, format="png", dpi=SAVE_DPI)
    finally:
        fig.dpi = shown_dpi
        fig.set_canvas(shown_canvas)
    if not inside:
        fig.savefig(path, dpi=SAVE_DPI, bbox_inches=box)
    return box


def _cut(pixels, box: "Bbox", dpi: float, background: tuple[float, float, float, float]):
    """The part of a figure's RGBA ``pixels`` (top row first) inside ``box`` (inches from the
    bottom left), at the size savefig gives it; where the box passes the figure's edges, ``background``."""
    import numpy as np

    height, width = int(box.height * dpi), int(box.width * dpi)
    # savefig's canvas is the box's size in whole pixels, drawn from the box's lower left corner
    left, top = round(box.x0 * dpi), pixels.shape[0] - round(box.y0 * dpi) - height
    image = np.empty((height, width, 4), dtype=np.uint8)
    image[:] = np.round(np.array(background) * 255)
    rows = slice(max(top, 0), min(top + height, pixels.shape[0]))
    columns = slice(max(left, 0), min(left + width, pixels.shape[1]))
    image[rows.start - top:rows.stop - top, columns.start - left:columns.stop - left] = pixels[rows, columns]
    return image


def save_figure(fig: "Figure", directory: Path | str, name: str) -> list[Path]:
    """Save ``fig`` as ``name.png`` and ``name.svg`` in ``directory``; returns the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    png, svg = directory / f"{name}.png", directory / f"{name}.svg"
    box = _draw_png(fig, png)
    fig.savefig(svg, dpi=SAVE_DPI, bbox_inches=box, metadata={"Date": None})
    fig.stale = False  # any change from now on marks it stale again (matplotlib propagates it up)
    _SAVED_PNG[fig] = png
    return [png, svg]


SAVE_DPI = 150
# Figures saved by save_figure, with their PNG: see show_saved_figures.
_SAVED_PNG: "weakref.WeakKeyDictionary[Figure, Path]" = weakref.WeakKeyDictionary()


def show_saved_figures(shell) -> None:
    """In an IPython kernel with the inline backend (the report runner's), display a figure that
    save_figure saved, and that is unchanged since, as its saved PNG instead of drawing it again
    (drawing is most of a chart's cost). Any other figure is drawn by the inline backend as before."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    plt.close(plt.figure())  # loads the backend now, which registers its own formatter (replacing any later one)
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        draw = formatter.lookup_by_type(Figure)
    except KeyError:
        return  # not the inline backend: figures are not shown as PNGs at all

    def saved_or_drawn(fig: "Figure"):
        path = _SAVED_PNG.get(fig)
        if path is None or fig.stale or not path.is_file():
            return draw(fig)
        data = path.read_bytes()
        width, height = struct.unpack(">II", data[16:24])  # the PNG header's size in pixels
        scale = matplotlib.rcParams["figure.dpi"] / SAVE_DPI  # shown at the size the inline backend would use
        return data, {"width": round(width * scale), "height": round(height * scale)}

    formatter.for_type(Figure, saved_or_drawn)


KIND_STYLE = {"direct": ("o", "#3b6ea8"), "indirect": ("D", "#d08c2c")}


def quote_swimlanes(timeline: pd.DataFrame, *, ax: "Axes | None" = None, max_speakers: int = 8) -> "Axes":
    """Swim-lane timeline: one lane per speaker, a mark per quote at its position in the article
    (0 = start, 1 = end), circles for direct and diamonds for indirect quotes; size = words."""
    speakers = timeline.groupby("speaker")["words"].sum().sort_values(ascending=False).index[:max_speakers].tolist()
    ax = _axes(ax, (8, 0.5 * max(len(speakers), 2) + 1.4))
    if timeline.empty:
        return _empty(ax, "no quotes found")
    lanes = {name: i for i, name in enumerate(reversed(speakers))}
    data = timeline[timeline["speaker"].isin(speakers)]
    for kind, (marker, color) in KIND_STYLE.items():
        part = data[data["kind"] == kind]
        ax.scatter(part["position"], part["speaker"].map(lanes), s=12 + 2.5 * part["words"], marker=marker,
                   color=color, alpha=0.75, label=f"{kind} ({len(part)})", edgecolors="white")
    ax.set_yticks(list(lanes.values()), list(lanes.keys()))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    ax.set_xlabel("position in the article (0 = first word, 1 = last)")
    ax.set_title("Who speaks where: the quote timeline")
    ax.grid(axis="x", color="0.9")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, frameon=False, fontsize="small")
    return ax


def share_of_voice(voice: pd.DataFrame, *, ax: "Axes | None" = None, top: int = 8) -> "Axes":
    """Stacked horizontal bars of words quoted per speaker, direct vs indirect, from a table with
    columns speaker, direct_words, indirect_words (or speaker, words when the split is missing)."""
    data = voice.head(top).iloc[::-1]
    ax = _axes(ax, (7, 0.55 * max(len(data), 2) + 1.3))
    if data.empty:
        return _empty(ax, "no quotes found")
    if {"direct_words", "indirect_words"} <= set(data.columns):
        ax.barh(data["speaker"], data["direct_words"], color=KIND_STYLE["direct"][1], label="direct")
        ax.barh(data["speaker"], data["indirect_words"], left=data["direct_words"], color=KIND_STYLE["indirect"][1], label="indirect")
        ax.legend(loc="lower right", frameon=False, fontsize="small")
    else:
        ax.barh(data["speaker"], data["words"], color=KIND_STYLE["direct"][1])
    ax.set_xlabel("words quoted")
    ax.set_title("Share of voice")
    return ax


def naming(table: pd.DataFrame, *, actors: list[str], ax: "Axes | None" = None) -> "Axes":
    """Stacked bars: for each actor, how often it is named by each kind of expression
    (full name, surname, title + name, description, pronoun ...), from a ``framing.naming`` table."""
    ax = _axes(ax, (8, 0.5 * max(len(actors), 2) + 1.5))
    data = table[table["actor"].isin(actors)]
    if data.empty:
        return _empty(ax, "no named people or organisations")
    pivot = data.pivot_table(index="actor", columns="kind", values="count", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex([a for a in reversed(actors) if a in pivot.index])
    pivot.columns = [str(kind).replace("_", " ") for kind in pivot.columns]  # "full name", as the tables say
    pivot.plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.7)
    ax.set_xlabel("references in body text")
    ax.set_ylabel("")
    ax.set_title("How the main actors are named")
    ax.legend(title="", fontsize="small", frameon=False, loc="lower right")
    return ax


def tone_arc(arc: pd.DataFrame, *, ax: "Axes | None" = None) -> "Axes":
    """Sentence tone along the article, from ``framing.tone_arc``: the narrator's sentences as dots,
    sentences mostly quoting someone as triangles, and the rolling mean as a line."""
    ax = _axes(ax, (8, 3.2))
    if arc.empty:
        return _empty(ax, "no body sentences")
    quoted = (arc["voice"] != "narrator") if "voice" in arc else pd.Series(False, index=arc.index)
    for mask, marker, label in ((~quoted, "o", "narrator's sentence"), (quoted, "^", "sentence mostly quoted")):
        if mask.any():
            colors = ["#c05a5a" if c < -0.05 else "#5a9e5a" if c > 0.05 else "#999999" for c in arc.loc[mask, "compound"]]
            ax.scatter(arc.loc[mask, "position"], arc.loc[mask, "compound"], c=colors, s=18, alpha=0.8, marker=marker, label=label)
    ax.plot(arc["position"], arc["rolling"], color="#3b6ea8", lw=2, label="rolling mean")
    ax.axhspan(-0.05, 0.05, color="0.93", zorder=0)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("position in the article (0 = start, 1 = end)")
    ax.set_ylabel("VADER compound")
    ax.set_title("Tone along the article")
    ax.legend(fontsize="small", frameon=False, loc="lower left")
    return ax


def frame_scores(scores: pd.DataFrame, *, ax: "Axes | None" = None) -> "Axes":
    """Bars: share of each generic frame's indicator questions answered yes (``framing.frame_scores``)."""
    from .framing.generic_frames import frame_name

    ax = _axes(ax, (7, 3.2))
    data = scores.iloc[::-1]
    labels = [frame_name(f) for f in data["frame"]]
    ax.barh(labels, data["score"], color="#6b6b9e")
    for y, (yes, total) in enumerate(zip(data["yes"], data["questions"])):
        ax.text(0.01, y, f"{yes} of {total}", va="center", fontsize="small", color="white" if yes else "0.3")
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the frame's questions answered yes")
    ax.set_title("Generic news frames (Semetko & Valkenburg 2000)")
    return ax


def cooccurrence_network(pairs: pd.DataFrame, *, ax: "Axes | None" = None, top: int = 12) -> "Axes":
    """Network of actors named in the same sentence (edge width = shared sentences), via networkx."""
    import networkx as nx

    from .entities import cooccurrence_graph

    ax = _axes(ax, (7, 5.5))
    graph = cooccurrence_graph(pairs)
    if graph.number_of_nodes() == 0:
        return _empty(ax, "no two actors share a sentence")
    keep = sorted(graph.nodes, key=lambda n: graph.degree(n, weight="weight"), reverse=True)[:top]
    graph = graph.subgraph(keep)
    layout = nx.spring_layout(graph, seed=7, weight="weight")
    widths = [1 + 1.5 * graph[a][b]["weight"] for a, b in graph.edges]
    sizes = [200 + 120 * graph.degree(n, weight="weight") for n in graph.nodes]
    nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, edge_color="#9aa8bd")
    nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=sizes, node_color="#3b6ea8", alpha=0.85)
    nx.draw_networkx_labels(graph, layout, ax=ax, font_size=8)
    ax.set_title("Actors named in the same sentence")
    ax.set_axis_off()
    ax.margins(0.15)
    return ax
