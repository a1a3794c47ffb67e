"""A researcher's corrections to the machine: read ``<article>.corrections.yaml``, check it, apply it.

The sidecar is a flat YAML mapping: ``version: 1`` and up to six lists, one per kind of
correction, each entry with an optional ``note`` saying why (see ``SCHEMA`` and the README,
"Correcting the machine"). ``analysis.analyze`` applies them stage by stage through a
``CorrectionRun``: paragraph roles before anything reads a role, actor merges on the mentions
before quotes are attributed, quote speakers / drops / additions on the quotes table before the
framing tables, and actors' sides inside ``framing.framing_tables``. Quote ids in the file are
the machine's ids, which stay stable: a dropped quote does not renumber the rest, an added quote
gets ``c1``, ``c2`` ..., and a quote that only exists because a role correction made its
paragraph body gets ``r1``, ``r2`` ...
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .config import BODY_ROLES, ROLES
from .errors import FramelensError
from .staging import atomic_path

# pandas and framing (most of a second of imports) are imported by the methods of a correction run
# that use them: the report runner's process finds and checks a corrections file, and builds no table.
if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

    from .analysis import Analysis
    from .article import Article

SUFFIX = ".corrections.yaml"
VERSION = 1
MAX_BYTES = 1_000_000  # a corrections file is typed by hand; anything larger is not one
QUOTE_KINDS = ("direct", "indirect")
CORRECTED_ROUTE = "corrected"
CORRECTED_CONFIDENCE = "high"

# list key -> (required fields, optional fields), each field with its type; any entry may add a note.
SCHEMA: dict[str, tuple[dict[str, type], dict[str, type]]] = {
    "roles": ({"paragraph": int, "role": str}, {}),
    "merges": ({"alias": str, "canonical": str}, {}),
    "speakers": ({"quote_id": str, "speaker": str}, {}),
    "drop_quotes": ({"quote_id": str}, {}),
    "add_quotes": ({"start_char": int, "end_char": int, "kind": str, "speaker": str}, {"cue": str}),
    "sides": ({"actor": str, "side": str}, {}),
}
# The field that names what an entry corrects; two entries of one list may not correct the same thing.
TARGET_FIELD = {"roles": "paragraph", "merges": "alias", "speakers": "quote_id", "drop_quotes": "quote_id", "sides": "actor"}
CORRECTION_NAMES = {"roles": "role", "merges": "merge", "speakers": "speaker", "drop_quotes": "drop", "add_quotes": "add", "sides": "side"}
CORRECTION_COLUMNS = ["correction", "entry", "target", "before", "after", "note"]
CORRECTION_SCHEMA = {c: "int64" if c == "entry" else "str" for c in CORRECTION_COLUMNS}


@dataclass(frozen=True)
class Entry:
    """One correction as written: its list, its 1-based place in that list, its fields and note."""

    kind: str
    number: int
    values: Mapping[str, Any]
    note: str = ""

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(frozen=True)
class Corrections:
    """A parsed corrections file (``path`` None and no entries: no corrections)."""

    path: Path | None = None
    sha256: str = ""
    entries: tuple[Entry, ...] = ()

    def of(self, kind: str) -> list[Entry]:
        """The entries of one list (``roles``, ``merges`` ...), in file order."""
        return [e for e in self.entries if e.kind == kind]

    def error(self, entry: Entry, message: str) -> FramelensError:
        """A FramelensError naming the file and the entry."""
        return FramelensError(f"{self.path}: {entry.kind} entry {entry.number}: {message}")

    def info(self) -> dict[str, str]:
        """What provenance and the saved analysis record: the file name and its sha256 ({} if none)."""
        return {"file": self.path.name, "sha256": self.sha256} if self.path else {}


# --- reading ---------------------------------------------------------------------------------


def sidecar_path(article_path: Path | str) -> Path:
    """Where an article's corrections live by default: ``<stem>.corrections.yaml`` beside it."""
    path = Path(article_path)
    return path.with_name(path.stem + SUFFIX)


def find_corrections(article_path: Path | str, explicit: Path | str | None = None) -> Corrections | None:
    """The corrections for an article: ``explicit`` (which must exist), else the sidecar if there is one."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise FramelensError(f"{path}: no such corrections file")
        return read_corrections(path)
    path = sidecar_path(article_path)
    return read_corrections(path) if path.is_file() else None


def read_corrections(path: Path | str) -> Corrections:
    """Parse and check a corrections file; FramelensError (naming the file and entry) if it is bad.

    Checks here need no article: YAML without anchors or aliases, a mapping at the top with
    ``version: 1`` and only the lists of ``SCHEMA``, each entry with its required fields of the
    right type and no unknown keys, no two entries correcting the same thing. Checks against the
    article (quote ids, paragraph range, offsets, actors, roles) happen when it is applied.
    """
    from .inputs import read_regular_file

    path = Path(path)
    raw = read_regular_file(path, what="corrections file", max_bytes=MAX_BYTES)  # a FIFO would hang a plain read
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FramelensError(f"{path}: the corrections file is not UTF-8 text (byte offset {exc.start})") from exc
    data = _plain_yaml(text, path)
    if not isinstance(data, dict):
        raise FramelensError(f"{path}: expected a mapping with 'version: {VERSION}' and lists of corrections at the top")
    unknown = sorted(str(k) for k in data if k not in SCHEMA and k != "version")
    if unknown:
        raise FramelensError(f"{path}: unknown key(s) {', '.join(unknown)}; expected version and {', '.join(SCHEMA)}")
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        raise FramelensError(f"{path}: 'version: {VERSION}' is missing or different (got {data.get('version')!r})")
    entries = [entry for kind in SCHEMA for entry in _entries(kind, data.get(kind), path)]
    corrections = Corrections(path, hashlib.sha256(raw).hexdigest(), tuple(entries))
    _check_targets_unique(corrections)
    return corrections


def _plain_yaml(text: str, path: Path) -> Any:
    """yaml.safe_load, refusing anchors and aliases (a hand-written file needs neither) and a key
    given twice (YAML would silently keep the last: a second ``speakers:`` list would hide the first)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    raise yaml.constructor.ConstructorError(None, None, "a key must be a plain word", key.start_mark)
                if key.value in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"{key.value!r} appears twice in one mapping", key.start_mark)
                seen.add(key.value)
            return super().construct_mapping(node, deep)

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1
                raise FramelensError(f"{path}: line {line}: YAML anchors and aliases (&name, *name) are not allowed; write each entry out")
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise FramelensError(f"{path}: not valid YAML{where} ({problem})") from None


def _entries(kind: str, items: Any, path: Path) -> list[Entry]:
    if items is None:  # "speakers:" with nothing under it
        return []
    if not isinstance(items, list):
        raise FramelensError(f"{path}: {kind}: expected a list of entries, each starting with '- '")
    required, optional = SCHEMA[kind]
    fields = {**required, **optional, "note": str}
    entries = []
    for number, item in enumerate(items, 1):
        where = f"{path}: {kind} entry {number}"
        if not isinstance(item, dict):
            raise FramelensError(f"{where}: expected a mapping of {', '.join(fields)}")
        unknown = sorted(str(k) for k in item if k not in fields)
        if unknown:
            raise FramelensError(f"{where}: unknown key(s) {', '.join(unknown)}; expected {', '.join(fields)}")
        missing = [k for k in required if item.get(k) is None]
        if missing:
            raise FramelensError(f"{where}: missing {', '.join(missing)}")
        values = {}
        for key, value in item.items():
            if key == "note" and value is None:
                continue
            values[key] = _typed(value, fields[key], f"{where}: {key}")
        note = " ".join(values.pop("note", "").split())
        entries.append(Entry(kind, number, values, note))
    return entries


def _typed(value: Any, expected: type, where: str) -> Any:
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FramelensError(f"{where}: expected a whole number, got {value!r}")
        return value
    if not isinstance(value, str) or not value.strip():
        raise FramelensError(f"{where}: expected non-empty text, got {value!r} (quote it if YAML read it as something else)")
    return value.strip()


def _check_targets_unique(corrections: Corrections) -> None:
    seen: dict[tuple[str, Any], Entry] = {}
    for entry in corrections.entries:
        field = TARGET_FIELD.get(entry.kind)
        if field is None:
            continue
        group = "quote" if field == "quote_id" else entry.kind  # a quote is either re-attributed or dropped
        key = (group, entry[field])
        if key in seen:
            first = seen[key]
            raise corrections.error(entry, f"{field} {entry[field]!r} is already corrected by {first.kind} entry {first.number}")
        seen[key] = entry


# --- applying ----------------------------------------------------------------------------------


class CorrectionRun:
    """Applies one Corrections to one article's tables, stage by stage, recording every change.

    Call the stages in analysis order: ``roles`` (on the Article), ``merges`` (on the mention
    table), ``quotes`` (on the quotes table), ``sides`` (on framing's sides table); then
    ``table()`` lists what was applied (columns ``CORRECTION_COLUMNS``).
    """

    def __init__(self, corrections: Corrections | None):
        self.corrections = corrections or Corrections()
        self.applied: list[dict[str, Any]] = []
        self.merged: dict[str, str] = {}  # alias -> canonical after merges
        self.actors: set[str] = set()  # canonical actors after merges
        self.labels: dict[str, str] = {}  # their entity labels
        self._speakers: set[str] = set()  # actors and the speakers the machine found

    @property
    def changes_extraction(self) -> bool:
        """Whether role or merge corrections may change which quotes the machine finds."""
        return bool(self.corrections.of("roles") or self.corrections.of("merges"))

    def _record(self, entry: Entry, target: str, before: Any, after: Any) -> None:
        self.applied.append({
            "correction": CORRECTION_NAMES[entry.kind], "entry": entry.number, "target": target,
            "before": "" if before is None else str(before), "after": str(after), "note": entry.note,
        })

    def table(self) -> pd.DataFrame:
        """One row per correction applied: correction, entry, target, before, after, note."""
        from .rows import frame

        return frame([tuple(row[c] for c in CORRECTION_COLUMNS) for row in self.applied], CORRECTION_SCHEMA)

    # -- roles --

    def roles(self, article: "Article") -> "Article":
        """The article with corrected paragraph roles (reason "corrected: <note>")."""
        entries = self.corrections.of("roles")
        if not entries:
            return article
        paragraphs = list(article.paragraphs)
        for entry in entries:
            index, role = entry["paragraph"], entry["role"]
            if not 0 <= index < len(paragraphs):
                raise self.corrections.error(
                    entry, f"paragraph {index} is out of range (the article has {len(paragraphs)} paragraphs, numbered 0 to {len(paragraphs) - 1})"
                )
            if role not in ROLES:
                raise self.corrections.error(entry, f"unknown role {role!r} (roles: {', '.join(ROLES)})")
            old = paragraphs[index]
            paragraphs[index] = dataclasses.replace(old, role=role, reason=_reason(entry))
            self._record(entry, f"paragraph {index + 1} (index {index})", old.role, role)
        return dataclasses.replace(article, paragraphs=paragraphs)

    # -- merges --

    def merges(self, mentions: pd.DataFrame) -> pd.DataFrame:
        """The mention table with each alias actor renamed to its canonical actor (taking its label)."""
        self.actors = set(mentions["canonical"]) if not mentions.empty else set()
        self.labels = dict(zip(mentions["canonical"], mentions["label"]))
        entries = self.corrections.of("merges")
        if not entries:
            return mentions
        target = {}
        for entry in entries:
            alias, canonical = entry["alias"], entry["canonical"]
            for name in (alias, canonical):
                if name not in self.actors:
                    raise self.corrections.error(entry, f"unknown actor {name!r}; {self._known_actors()}")
            if alias == canonical:
                raise self.corrections.error(entry, f"merges {alias!r} with itself")
            target[alias] = (canonical, entry)
        for alias in target:
            seen = [alias]
            while seen[-1] in target:
                seen.append(target[seen[-1]][0])
                if seen[-1] in seen[:-1]:
                    raise self.corrections.error(target[alias][1], f"merges go round in a circle: {' -> '.join(seen)}")
            self.merged[alias] = seen[-1]
        counts = mentions["canonical"].value_counts()
        for alias, (canonical, entry) in target.items():
            n = int(counts[alias])
            self._record(entry, alias, f"{n} mention{'s' if n != 1 else ''}", self.merged[alias])
        label_of = dict(zip(mentions["canonical"], mentions["label"]))  # one label per actor already
        out = mentions.copy()
        out["canonical"] = out["canonical"].map(lambda c: self.merged.get(c, c))
        out["label"] = out["canonical"].map(label_of)
        self.actors = set(out["canonical"])
        return out

    def _known_actors(self, limit: int = 12) -> str:
        names = sorted(self.actors)
        shown = ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")
        return f"the actors are: {shown}" if names else "framelens found no actors in this article"

    # -- quotes --

    def quotes(self, quotes: pd.DataFrame, *, machine: pd.DataFrame | None, article: "Article", doc: "Doc") -> pd.DataFrame:
        """The quotes table with speaker, drop and add corrections applied, in text order.

        ``machine`` is the machine's own quotes table (no role or merge corrections) when those
        corrections may have changed what was found: quotes keep the machine's id when their
        offsets match one of its quotes, else get r1, r2 ... Corrected and added rows carry
        route "corrected" and confidence "high". Call it even with no quote corrections: it
        notes the speakers, whose sides ``sides()`` may correct.
        """
        import pandas as pd
        from .framing.common import split_speakers
        self._speakers = set(self.actors) | {s for v in quotes["speaker"] for s in split_speakers(v)}
        if machine is None and not any(self.corrections.of(k) for k in ("speakers", "drop_quotes", "add_quotes")):
            return quotes
        out = quotes.copy()
        if machine is not None:
            out["quote_id"] = _stable_ids(out, machine)
        ids = list(out["quote_id"])
        by_id = {q: i for i, q in enumerate(ids)}
        dropped = []
        for entry in self.corrections.of("drop_quotes"):
            row = self._quote_row(out, by_id, entry, ids)
            self._record(entry, entry["quote_id"], f"{out.at[row, 'speaker']}: {_snippet(out.at[row, 'text'])}", "dropped")
            dropped.append(row)
        for entry in self.corrections.of("speakers"):
            row = self._quote_row(out, by_id, entry, ids)
            speaker = self._speaker(entry, entry["speaker"])
            self._record(entry, entry["quote_id"], out.at[row, "speaker"], speaker)
            out.loc[row, ["speaker", "speaker_mention", "route", "confidence"]] = [speaker, "", CORRECTED_ROUTE, CORRECTED_CONFIDENCE]
            fresh = (("speaker_start_char", -1), ("speaker_end_char", -1), ("speaker_affiliation", ""), ("speaker_label", self._label(speaker)))
            for column, value in fresh:
                if column in out.columns:  # they described the machine's speaker
                    out.at[row, column] = value
        out = out.drop(index=dropped)
        added: list[dict[str, Any]] = []
        for n, entry in enumerate(self.corrections.of("add_quotes"), 1):
            spans = [(r.quote_id, r.start_char, r.end_char) for r in out.itertuples()] + [(a["quote_id"], a["start_char"], a["end_char"]) for a in added]
            added.append(self._added_row(entry, n, spans, article, doc))
        if added:
            rows = pd.DataFrame(added).reindex(columns=out.columns)
            out = rows if out.empty else pd.concat([out, rows], ignore_index=True)
            for column in out.columns:
                if out[column].isna().any():
                    numeric = column in quotes.columns and pd.api.types.is_integer_dtype(quotes[column])
                    out[column] = out[column].fillna(-1).astype(int) if numeric else out[column].fillna("")
        return out.sort_values(["start_char", "end_char"], kind="stable").reset_index(drop=True)

    def _quote_row(self, quotes: pd.DataFrame, by_id: dict[str, int], entry: Entry, ids: list[str]) -> int:
        quote_id = entry["quote_id"]
        if quote_id not in by_id:
            shown = ", ".join(ids[:15]) + (", ..." if len(ids) > 15 else "")
            known = f"the quotes are {shown}" if ids else "framelens found no quotes"
            raise self.corrections.error(entry, f"unknown quote id {quote_id!r} ({known}; see `framelens quotes` or the report's appendix)")
        return quotes.index[by_id[quote_id]]

    def _speaker(self, entry: Entry, value: str) -> str:
        """A speaker written in the file, checked: known actors (aliases merged), UNKNOWN, or an
        unnamed source written in lower case ("a port official"); "A + B" for a joint quote."""
        from .framing.common import UNKNOWN, split_speakers
        names = []
        for part in split_speakers(value):
            name = self.merged.get(part, part)
            if not (name == UNKNOWN or name in self._speakers or name[:1].islower()):
                raise self.corrections.error(
                    entry,
                    f"unknown actor {part!r} as speaker; use an actor framelens lists ({self._known_actors()}), "
                    'an unnamed source in lower case ("a port official") or UNKNOWN',
                )
            names.append(name)
        return " + ".join(dict.fromkeys(names))

    def _label(self, speaker: str) -> str:
        """The quotes table's speaker_label for a corrected speaker (as quotes.extract_quotes sets it)."""
        from .framing.common import UNKNOWN, split_speakers
        if len(split_speakers(speaker)) > 1:
            return "GROUP"
        if speaker == UNKNOWN:
            return ""
        return "UNNAMED" if speaker[:1].islower() else self.labels.get(speaker, "")

    def _added_row(self, entry: Entry, number: int, spans: list[tuple[str, int, int]], article: "Article", doc: "Doc") -> dict[str, Any]:
        start, end, kind = entry["start_char"], entry["end_char"], entry["kind"]
        if not 0 <= start < end <= len(article.text):
            raise self.corrections.error(
                entry, f"offsets {start}-{end} are reversed or out of range (the text has {len(article.text)} characters; start_char < end_char)"
            )
        if kind not in QUOTE_KINDS:
            raise self.corrections.error(entry, f"unknown kind {kind!r} (kinds: {', '.join(QUOTE_KINDS)})")
        paragraph = next((p for p in article.paragraphs if p.start_char <= start and end <= p.end_char), None)
        if paragraph is None:
            raise self.corrections.error(entry, f"offsets {start}-{end} do not lie inside one paragraph (add one quote per paragraph)")
        if paragraph.role not in BODY_ROLES:
            raise self.corrections.error(
                entry, f"offsets {start}-{end} lie in paragraph {paragraph.index}, a {paragraph.role}; only body quotes are measured, so correct its role first (roles)"
            )
        other = next((quote_id for quote_id, a, b in spans if a < end and b > start), None)
        if other is not None:
            raise self.corrections.error(entry, f"offsets {start}-{end} overlap quote {other}; drop it first (drop_quotes) to replace it")
        speaker = self._speaker(entry, entry["speaker"])
        cue = entry.get("cue", "")
        text = article.text[start:end]
        quote_id = f"c{number}"
        self._record(entry, quote_id, "", f"{speaker}: {_snippet(text)}")
        return {
            "quote_id": quote_id, "kind": kind, "speaker": speaker, "speaker_mention": "", "cue": cue,
            "paragraph": paragraph.index, "start_char": start, "end_char": end, "text": text,
            "cue_lemma": _cue_lemma(doc, paragraph, cue, start) if cue else "", "sentence": _sentence_at(doc, start),
            "speaker_start_char": -1, "speaker_end_char": -1, "time_anchor": "",
            "route": CORRECTED_ROUTE, "confidence": CORRECTED_CONFIDENCE, "speaker_affiliation": "",
            "speaker_label": self._label(speaker),
        }

    # -- sides --

    def sides(self, sides: pd.DataFrame) -> pd.DataFrame:
        """framing's sides table with each corrected actor's side replaced (evidence "corrected: ...")."""
        import pandas as pd
        entries = self.corrections.of("sides")
        if not entries:
            return sides
        out = sides.copy()
        for entry in entries:
            actor = self.merged.get(entry["actor"], entry["actor"])
            if actor not in self.actors | self._speakers | set(out["canonical"]):  # unnamed sources have sides too
                raise self.corrections.error(entry, f"unknown actor {entry['actor']!r}; {self._known_actors()}")
            rows = out.index[out["canonical"] == actor]
            before = out.at[rows[0], "side"] if len(rows) else ""
            if len(rows):
                out.loc[rows, ["side", "evidence"]] = [entry["side"], _reason(entry)]
            else:
                out = pd.concat([out, pd.DataFrame([{"canonical": actor, "side": entry["side"], "evidence": _reason(entry)}])], ignore_index=True)
            self._record(entry, actor, before, entry["side"])
        return out


def _reason(entry: Entry) -> str:
    return f"corrected: {entry.note}" if entry.note else "corrected by the researcher"


def _snippet(text: Any, words: int = 8) -> str:
    parts = str(text).split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def _stable_ids(quotes: pd.DataFrame, machine: pd.DataFrame) -> list[str]:
    """Machine ids for quotes at the machine's offsets; r1, r2 ... for quotes the machine did not have."""
    known = {}
    for row in machine.itertuples(index=False):
        known.setdefault((row.start_char, row.end_char), row.quote_id)
    ids, extra = [], 0
    for row in quotes.itertuples(index=False):
        quote_id = known.get((row.start_char, row.end_char))
        if quote_id is None:
            extra += 1
            quote_id = f"r{extra}"
        ids.append(quote_id)
    return ids


def _token_at(doc: "Doc", char: int) -> int:
    return max(0, bisect.bisect_right([t.idx for t in doc], char) - 1)


def _sentence_at(doc: "Doc", char: int) -> int:
    from .tokens import sentence_ids

    ids = sentence_ids(doc)
    return ids[_token_at(doc, char)] if ids else 0


def _cue_lemma(doc: "Doc", paragraph: Any, cue: str, start: int) -> str:
    """Lemma of the cue word nearest the quote in its paragraph ("said" -> "say"); the cue
    lower-cased if it does not occur there."""
    text = paragraph.text.lower()
    needle = cue.lower()
    hits = [paragraph.start_char + i for i in range(len(text)) if text.startswith(needle, i)]
    if not hits:
        return " ".join(needle.split())
    nearest = min(hits, key=lambda h: abs(h - start))
    words = needle.split()
    return " ".join([doc[_token_at(doc, nearest)].lemma_.lower()] + words[1:])


# --- the starter file --------------------------------------------------------------------------


def write_template(analysis: "Analysis", target: Path | str) -> Path:
    """Write a starter corrections file for the article of ``analysis`` (the machine's own output).

    Every example is commented out and built from this article's quote ids, paragraphs and
    actors. Refuses to overwrite an existing file; the write is atomic.
    """
    target = Path(target)
    if target.exists():
        raise FramelensError(f"{target}: already exists; edit it, or move it away to write a new template")
    with atomic_path(target) as tmp:
        tmp.write_text(template_text(analysis), encoding="utf-8")
    return target


def template_text(analysis: "Analysis") -> str:
    """The text of a starter corrections file (see write_template)."""
    article, quotes, actors = analysis.article, analysis.tables["quotes"], analysis.tables["actors"]
    q = quotes.iloc[0] if not quotes.empty else None
    last_id = quotes.iloc[-1]["quote_id"] if len(quotes) > 1 else "q2"
    first_actor = str(actors.iloc[0]["canonical"]) if not actors.empty else "Actor Name"
    second_actor = str(actors.iloc[1]["canonical"]) if len(actors) > 1 else "Other Name"
    body = next((p for p in article.paragraphs if p.role == "body"), article.paragraphs[0])
    quoted = set(quotes["paragraph"]) if not quotes.empty else set()
    unquoted = next((p for p in article.paragraphs if p.role == "body" and p.index not in quoted), body)
    # the role example: set aside furniture back to body, else a body paragraph the add example leaves alone
    furniture = [p for p in article.paragraphs if p.role not in BODY_ROLES and p.index > 0]
    relabel = furniture[-1] if furniture else next((p for p in reversed(article.paragraphs) if p is not unquoted), body)
    lines = [
        f"# framelens corrections for {article.path.name} (sha256 {article.sha256[:16]}...)",
        "# Uncomment and edit the entries you need; every entry may carry a note saying why.",
        "# The report lists each correction applied, with its note. Quote ids are the machine's:",
        "# they stay the same when you drop or add quotes. Paragraphs are numbered from 0 here.",
        f"version: {VERSION}",
        "",
        "# The machine's quotes: id, paragraph (from 0), kind, speaker, first words.",
        *[f"#   {r.quote_id:<4} {r.paragraph:>3}  {r.kind:<8}  {r.speaker}: {_snippet(r.text)}" for r in quotes.itertuples(index=False)],
        *(["#   (none found)"] if quotes.empty else []),
        "# The actors: name, label, mentions.",
        *[f"#   {r.canonical} ({r.label}, {r.mentions})" for r in actors.itertuples(index=False)],
        *(["#   (none found)"] if actors.empty else []),
        "# The paragraphs: number (from 0), role, first words.",
        *[f"#   {p.index:>3}  {p.role:<11} {_snippet(p.text, 6)}" for p in article.paragraphs],
        "",
        "# A quote's speaker (an actor above, an unnamed source in lower case, or UNKNOWN; 'A + B' for both):",
        "# speakers:",
        f"#   - quote_id: {q.quote_id if q is not None else 'q1'}",
        f"#     speaker: {second_actor if q is not None and q.speaker == first_actor else first_actor}",
        "#     note: why the machine's speaker is wrong",
        "",
        "# A paragraph's role (one of: " + ", ".join(ROLES) + "):",
        "# roles:",
        f"#   - paragraph: {relabel.index}",
        f"#     role: {'caption' if relabel.role in BODY_ROLES else 'body'}",
        "#     note: why",
        "",
        "# An actor's side (the country or affiliation the text gives it):",
        "# sides:",
        f"#   - actor: {first_actor}",
        "#     side: Country or affiliation",
        "#     note: where the text says so",
        "",
        "# Two actors that are one (the alias's mentions and quotes count for the canonical actor):",
        "# merges:",
        f"#   - alias: {second_actor}",
        f"#     canonical: {first_actor}",
        "#     note: why they are the same",
        "",
        "# A quote the machine should not have found:",
        "# drop_quotes:",
        f"#   - quote_id: {last_id}",
        "#     note: why it is not a quote",
        "",
        "# A quote the machine missed, by character offsets into the article text (end excluded;",
        "# Python: text[start_char:end_char]), within one paragraph, without its quotation marks:",
        "# add_quotes:",
        f"#   - start_char: {unquoted.start_char}",
        f"#     end_char: {min(unquoted.end_char, unquoted.start_char + 40)}",
        "#     kind: direct",
        f"#     speaker: {first_actor}",
        "#     cue: said",
        "#     note: why",
        "",
    ]
    return "\n".join(lines)
