"""Actors across articles: one name per actor for the whole corpus, by the per-article alias rules
(entities.canonical_names) and a cross-article alias table the researcher can edit (YAML)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config import read_yaml
from ..entities import Mention, canonical_names
from ..errors import FramelensError



def load_alias_table(path: Path | str | None) -> dict[str, str]:
    """The cross-article alias table at ``path`` as alias -> actor (None: no table, an empty map).

    The file is flat YAML: ``version: 1`` and ``actors``, a mapping from the name the comparison
    should use to a list of the names articles use for the same actor::

        version: 1
        actors:
          Ana Rocha: [Minister Rocha, A. Rocha]
    """
    if not path:
        return {}
    path = Path(path)
    data = read_yaml(path, "cross-article alias table")
    actors = data.get("actors") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(actors, dict):
        raise FramelensError(f"{path}: expected 'version: 1' and an 'actors' mapping from a name to its aliases, e.g. 'actors: {{Ana Rocha: [Minister Rocha]}}'")
    table: dict[str, str] = {}
    for actor, aliases in actors.items():
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise FramelensError(f"{path}: the aliases of {actor!r} must be a list of names")
        for alias in aliases:
            table[alias.strip()] = str(actor)
    return table


def match_actors(actors: pd.DataFrame, *, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Each per-article canonical name -> the actor's one name across the corpus.

    ``actors`` has columns canonical and label (the corpus ``actors`` table). The researcher's
    ``aliases`` apply first; then the names of all articles are merged by the same rules as the
    mentions of one article (a lone surname joins the one full name with that surname, the
    alias table expands "US" to "United States", case and punctuation variants merge).
    """
    aliases = aliases or {}
    names = (
        actors[["canonical", "label"]].dropna().drop_duplicates()
        .assign(name=lambda d: d["canonical"].map(lambda n: aliases.get(n, n)))
    )
    mentions = [
        Mention(text=name, label=label, name=name, start_char=i, end_char=i + 1)
        for i, (name, label) in enumerate(sorted(set(zip(names["name"], names["label"]))))
    ]
    merged = {(m.name, m.label): actor for m, actor in canonical_names(mentions).items()}
    out = {}
    for canonical, label, name in names[["canonical", "label", "name"]].itertuples(index=False):
        out[canonical] = name if name in aliases.values() else merged.get((name, label), name)
    return out
