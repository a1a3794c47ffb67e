"""Comparison charts, one function per chart (``f(table, *, ax=None) -> Axes`` as in framelens.plots);
sides keep one colour in every chart (side_palette)."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..framing.voice import UNKNOWN_SIDE
from ..plots import _axes, _empty
from ..framing.generic_frames import FRAME_NAMES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Colour-blind-safe (Okabe & Ito 2008); "unknown" is always grey.
SIDE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
UNKNOWN_COLOUR = "#AAAAAA"
OTHER_COLOUR = "#DDDDDD"


def side_palette(side_voice: pd.DataFrame) -> dict[str, str]:
    """side -> colour, the most quoted sides of the whole corpus first; beyond eight sides, light grey."""
    totals = side_voice[side_voice["side"] != UNKNOWN_SIDE].groupby("side")["words_quoted"].sum()
    ranked = sorted(totals.index, key=lambda s: (-totals[s], s))
    palette = {side: SIDE_COLOURS[i] if i < len(SIDE_COLOURS) else OTHER_COLOUR for i, side in enumerate(ranked)}
    return {**palette, UNKNOWN_SIDE: UNKNOWN_COLOUR}


def side_voice_multiples(side_voice: pd.DataFrame, *, palette: dict[str, str] | None = None, columns: int = 3) -> "Figure":
    """Small multiples: for each group, the share of its quoted words per side (bars), with the
    bootstrap interval as a line where the group has one."""
    import matplotlib.pyplot as plt

    palette = palette or side_palette(side_voice)
    groups = sorted(side_voice["group"].unique())
    sides = [s for s in palette if s in set(side_voice.loc[side_voice["words_quoted"] > 0, "side"])]
    rows = max(math.ceil(len(groups) / columns), 1)
    fig, axes = plt.subplots(rows, min(columns, max(len(groups), 1)), figsize=(9, 0.35 * len(sides) * rows + 1.2 * rows + 0.5),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    for ax, group in zip(axes.flat, groups):
        part = side_voice[side_voice["group"] == group].set_index("side").reindex(sides)
        y = np.arange(len(sides))[::-1]
        ax.barh(y, part["share"].fillna(0), color=[palette[s] for s in sides])
        for yi, (low, high) in zip(y, zip(part["low"], part["high"])):
            if not (pd.isna(low) or pd.isna(high)):
                ax.plot([low, high], [yi, yi], color="black", lw=1.2)
        ax.set_yticks(y, sides)
        ax.set_xlim(0, 1)
        n = int(part["articles"].max()) if part["articles"].notna().any() else 0
        ax.set_title(f"{_short(group)} ({n} article{'s' if n != 1 else ''})", fontsize="small")
        ax.grid(axis="x", color="0.9")
    for ax in list(axes.flat)[len(groups):]:
        ax.set_axis_off()
    fig.supxlabel("share of the group's quoted words (line: 95% bootstrap interval)", fontsize="small")
    fig.suptitle("Share of voice by side")
    if not sides:
        _empty(axes.flat[0], "no quotes found")
    return fig


def naming_heatmap(naming: pd.DataFrame, *, top: int = 14, ax: "Axes | None" = None) -> "Axes":
    """Heatmap: the most used naming expressions (actor: words; pronouns left out) × groups, cells = times used."""
    data = naming[naming["kind"] != "pronoun"]
    if data.empty:
        return _empty(_axes(ax), "no named people or organisations")
    actors = data.groupby("actor")["count"].sum().nlargest(4).index
    data = data[data["actor"].isin(actors)]
    keep = data.groupby(["actor", "expression"])["count"].sum().nlargest(top).index
    pivot = data.set_index(["actor", "expression"]).loc[lambda d: d.index.isin(keep)].reset_index().pivot_table(
        index=["actor", "expression"], columns="group", values="count", aggfunc="sum", fill_value=0)
    pivot = pivot.sort_index()
    ax = _axes(ax, (max(6, 0.55 * pivot.shape[1] + 4), 0.35 * len(pivot) + 1.8))
    image = ax.imshow(pivot.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_yticks(range(len(pivot)), [f"{a}: “{e}”" for a, e in pivot.index], fontsize="small")
    ax.set_xticks(range(pivot.shape[1]), [_short(g) for g in pivot.columns], rotation=40, ha="right", fontsize="small")
    _annotate(ax, pivot.to_numpy(), "{:.0f}")
    ax.figure.colorbar(image, ax=ax, label="times used", shrink=0.7)
    ax.set_title("How each group names the main actors")
    return ax


def frames_heatmap(frames: pd.DataFrame, *, ax: "Axes | None" = None) -> "Axes":
    """Heatmap: the five generic frames × groups, cells = mean share of the frame's questions answered yes."""
    if frames.empty:
        return _empty(_axes(ax), "no frame scores")
    pivot = frames.pivot_table(index="frame", columns="group", values="score", aggfunc="mean", fill_value=0.0)
    ax = _axes(ax, (max(6, 0.55 * pivot.shape[1] + 3.5), 3.4))
    image = ax.imshow(pivot.to_numpy(), cmap="Purples", vmin=0, vmax=1, aspect="auto")
    ax.set_yticks(range(len(pivot)), [FRAME_NAMES.get(f, f) for f in pivot.index])
    ax.set_xticks(range(pivot.shape[1]), [_short(g) for g in pivot.columns], rotation=40, ha="right", fontsize="small")
    _annotate(ax, pivot.to_numpy(), "{:.2f}")
    ax.figure.colorbar(image, ax=ax, label="share of questions answered yes", shrink=0.8)
    ax.set_title("Generic news frames (Semetko & Valkenburg 2000)")
    return ax


def tone_dots(tone: pd.DataFrame, *, palette: dict[str, str] | None = None, ax: "Axes | None" = None) -> "Axes":
    """Dot plot: per group (a row), the narration's mean tone (black) and each side's quoted
    words (the side's colour), with bootstrap intervals where the group has them."""
    groups = sorted(tone["group"].unique())
    ax = _axes(ax, (8, 0.45 * max(len(groups), 2) + 1.6))
    if tone.empty:
        return _empty(ax, "no body sentences")
    rows = {g: i for i, g in enumerate(reversed(groups))}
    voices = sorted(tone["voice"].unique(), key=lambda v: (v != "narrator", v))
    offsets = {v: (i - (len(voices) - 1) / 2) * 0.12 for i, v in enumerate(voices)}
    for voice in voices:
        part = tone[tone["voice"] == voice]
        side = voice.removeprefix("quoted: ")
        colour = "black" if voice == "narrator" else (palette or {}).get(side, UNKNOWN_COLOUR)
        y = part["group"].map(rows) + offsets[voice]
        ax.errorbar(part["compound"], y, xerr=_errors(part), fmt="o" if voice == "narrator" else "D", color=colour,
                    ms=6, capsize=2, lw=1, label=voice.replace("quoted: ", "quoted, "))
    ax.axvspan(-0.05, 0.05, color="0.93", zorder=0)
    ax.set_yticks(list(rows.values()), [_short(g) for g in rows])
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("mean VADER compound per article (−1 negative, +1 positive)")
    ax.set_title("Tone: the narration and each side's quotes")
    ax.legend(fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def timeline(article_groups: pd.DataFrame, *, ax: "Axes | None" = None) -> "Axes":
    """When each group published: one row per group, a dot per dated article (size = words quoted)."""
    dated = article_groups.assign(when=pd.to_datetime(article_groups["date"], errors="coerce")).dropna(subset=["when"])
    groups = sorted(article_groups["group"].unique())
    ax = _axes(ax, (8, 0.4 * max(len(groups), 2) + 1.4))
    if dated.empty:
        return _empty(ax, "no article has a date")
    rows = {g: i for i, g in enumerate(reversed(groups))}
    ax.scatter(dated["when"], dated["group"].map(rows), s=20 + 2 * dated["words_quoted"], color="#3b6ea8", alpha=0.7)
    ax.set_yticks(list(rows.values()), [_short(g) for g in rows])
    ax.set_title(f"When each group published ({len(dated)} of {len(article_groups)} articles dated)")
    ax.figure.autofmt_xdate()
    ax.grid(axis="x", color="0.9")
    return ax


def _errors(part: pd.DataFrame) -> np.ndarray | None:
    if part["low"].isna().all():
        return None
    low = (part["compound"] - part["low"]).fillna(0).clip(lower=0)
    high = (part["high"] - part["compound"]).fillna(0).clip(lower=0)
    return np.vstack([low, high])


def _annotate(ax: "Axes", values: np.ndarray, fmt: str) -> None:
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize="x-small", color="white" if v > 0.6 * top else "black")


def _short(name: str, limit: int = 28) -> str:
    """A group name short enough for an axis label."""
    name = str(name)
    return name if len(name) <= limit else name[: limit - 1] + "…"
