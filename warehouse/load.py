"""Load extracted records into the warehouse: validate, resolve entities, bulk insert.

The contract
- Every record is validated (pydantic models in warehouse.records, including that each
  quote equals the article text at its span) before anything is written.
- Entities are resolved through entity_aliases, insensitive to case, diacritics,
  hyphens and punctuation. A record entity whose id is unknown but whose name or alias
  matches exactly one warehouse entity of the same type is resolved to it; otherwise it
  is created and flagged ``is_new`` (never merged with an entity of another type).
- Ids are deterministic (content hashes), and a record whose content is unchanged for
  its (article, extractor) is skipped, so loading the same files again changes no row.
  A changed record replaces that extractor's facts for that article.
- A batch is atomic: one transaction; any error rolls the whole batch back, and a
  ``load_batches`` row with outcome 'failed' records the attempt.
- Rows go in as Arrow tables or pandas frames (INSERT ... SELECT), never executemany.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from pydantic import ValidationError

from . import __version__, stories, summaries
from .bulk import Rows, duck, insert_all, insert_new, registered, run_count, run_sql
from .db import WarehouseError
from .ingest import Article, publisher_kind
from .normalize import alias_key, short_hash, slug, text_sha256
from .records import ArticleRecord, RecordError
from .schema import FACT_TABLES_DELETE_ORDER, STALE_PREFIX

RECORD_SUFFIXES = (".json", ".jsonl")
MAX_RECORD_BYTES = 16 * 1024 * 1024  # one article's record; a bigger one is not an article
COUNTED_TABLES = (
    "articles",
    "sources",
    "entities",
    "entity_aliases",
    "mentions",
    "claims",
    "claim_denials",
    "transfers",
    "agreements",
    "agreement_parties",
    "agreement_claims",
    "agreement_provisions",
    "person_roles",
)


def record_place(file: str, number: int) -> str:
    """How a message names a record: a .jsonl record by its line number, else by its position."""
    return f"{file} {'line' if file.lower().endswith('.jsonl') else 'record'} {number}"


class LoadError(WarehouseError):
    """A bad input: ``FILE record N field F: what is wrong``."""

    batch_id: str | None = None  # set once the failure is logged in load_batches

    def __init__(self, file: str, message: str, record: int | None = None, field: str | None = None):
        where = file if record is None else record_place(file, record)
        if field:
            where += f" field {field}"
        super().__init__(f"{where}: {message}")
        self.file, self.record, self.field, self.detail = file, record, field, message


@dataclass(frozen=True)
class SourcedRecord:
    file: str
    number: int  # 1-based position in its file
    record: ArticleRecord
    input_sha256: str | None = None  # sha256 of the record's bytes as read (None: made in memory)
    content_sha256: str | None = None  # sha256 of the validated record's canonical JSON


@dataclass(frozen=True)
class KnownInput:
    """What the warehouse holds for an input it has loaded before (by the hash of its bytes)."""

    article_id: str
    extractor: str
    record_sha256: str


@dataclass
class LoadResult:
    batch_id: str
    records: int = 0
    unchanged: int = 0
    new_entities: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    superseded: int = 0  # records skipped because a newer version of their extractor is stored


# ---------------------------------------------------------------- reading records


def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "-"


def _validation_error(file: str, number: int, exc: ValidationError) -> LoadError:
    err = exc.errors(include_url=False)[0]
    ctx_err = (err.get("ctx") or {}).get("error")
    prefix = _format_loc(tuple(err["loc"]))
    if isinstance(ctx_err, RecordError):
        fld = ctx_err.field if prefix == "-" else f"{prefix}.{ctx_err.field}"
        return LoadError(file, ctx_err.message, number, fld)
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = "required field is missing"
    elif err["type"] == "literal_error" or err["type"] == "enum":
        msg = f"{err['msg']} (got {err.get('input')!r})"
    elif "input" in err and err["type"] not in ("model_type",) and not isinstance(err["input"], dict | list):
        msg = f"{msg} (got {err['input']!r})"
    return LoadError(file, msg, number, prefix)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived objects are made.

    Validated records and row dicts hold no reference cycles, but every few hundred
    allocations the collector walks all of them again: on large loads that walking
    took about half of the time. Collection resumes (as it was) on exit.

    On exit the objects made meanwhile are handed to the oldest generation
    (freeze + unfreeze: two list splices) instead of being walked by the next young
    collection: that walk alone took ~7 s after reading 100,000 records. Nothing is
    lost: full collections still visit them. Skipped when the process froze objects
    itself (unfreeze would release those too).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> None:
    """json object_pairs_hook: a key given twice in one object is an error, not "last wins".

    Returns None: the parsed value is not used (pydantic parses the record itself), so no
    dict is built; this scan costs about as much again as pydantic's own parse."""
    if len(pairs) > 1:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            seen: set[str] = set()
            dup = next(k for k in keys if k in seen or seen.add(k))
            raise _DuplicateKey(dup)


def _json_problem(file: str, number: int, data: bytes | str) -> LoadError | None:
    """Malformed JSON, a duplicate key, or nesting too deep, as a LoadError (None: well-formed)."""
    try:
        json.loads(data, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        return LoadError(file, f"key {exc.args[0]!r} appears twice in one JSON object", number)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if file.lower().endswith(".jsonl") else f"line {exc.lineno} column {exc.colno}"
        return LoadError(file, f"malformed JSON: {exc.msg} ({at})", number)
    except RecursionError:
        return LoadError(file, "JSON nested too deeply to be a record", number)
    except ValueError as exc:  # e.g. an integer literal with more than 4,300 digits
        return LoadError(file, f"malformed JSON: {exc}", number)
    return None


def parse_record(file: str, number: int, data: bytes | str) -> ArticleRecord:
    if len(data) > MAX_RECORD_BYTES:
        raise LoadError(
            file,
            f"record is {len(data):,} bytes, over the {MAX_RECORD_BYTES:,}-byte limit for one article's record",
            number,
        )
    try:  # fast path: pydantic parses and validates the JSON in one go (no Python dicts)
        record = ArticleRecord.model_validate_json(data)
    except (ValueError, RecursionError):
        record = None  # anything wrong: the path below gives the error
    problem = _json_problem(file, number, data)
    if problem is not None:
        raise problem
    if record is not None:
        return record
    obj = json.loads(data)
    if not isinstance(obj, dict):
        raise LoadError(file, f"a record is a JSON object, got {type(obj).__name__}", number)
    try:
        return ArticleRecord.model_validate(obj)
    except ValidationError as exc:
        raise _validation_error(file, number, exc) from exc
    except RecursionError as exc:
        raise LoadError(file, "JSON nested too deeply to be a record", number) from exc


def iter_raw_records(path: Path) -> Iterator[tuple[str, int, str, bytes]]:
    """(file, number, text, bytes) of each record in a .json (one document) or .jsonl (one per line) file.

    A .jsonl file is streamed line by line: only one record's text is held at a time (reading
    the whole file, decoding it and splitting it held three copies of it: 3.5 GB at 100,000
    articles). Lines end at "\n" (an optional "\r" before it is dropped), as JSON Lines says;
    str.splitlines() would also split inside a JSON string holding a raw U+2028 or U+0085.
    """
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise LoadError(name, f"cannot read: {exc.strerror}") from exc
    with fh:
        if path.suffix.lower() != ".jsonl":
            raw = fh.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise LoadError(name, f"not UTF-8 text (invalid byte at offset {exc.start})") from exc
            if not text.strip():
                raise LoadError(name, "empty file: no records")
            yield name, 1, text, raw
            return
        records = 0
        offset = 0
        for number, line in enumerate(fh, start=1):  # a .jsonl record is named by its line number
            at, offset = offset, offset + len(line)
            line = line.removesuffix(b"\n").removesuffix(b"\r")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise LoadError(name, f"not UTF-8 text (invalid byte at offset {at + exc.start})", number) from exc
            if not text.strip():
                continue
            records += 1
            yield name, number, text, line
        if records == 0:
            raise LoadError(name, "empty file: no records")


def find_record_files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in RECORD_SUFFIXES))
        elif p.is_file():
            if p.suffix.lower() not in RECORD_SUFFIXES:
                raise LoadError(str(p), "not a record file (expected .json or .jsonl)")
            out.append(p)
        else:
            raise LoadError(str(p), "no such file or folder")
    return out


# Input hashes are looked up in the warehouse this many records at a time (one join of their
# hashes against article_extractions), not read whole before the load: a daily load into a big
# warehouse read every input hash it had ever loaded (a million rows at a million articles).
LOOKUP_CHUNK = 5_000

Lookup = Callable[[list[str]], dict[str, KnownInput]]


class RecordReader:
    """Reads and validates the records of files and folders, one at a time.

    Within one load, the same (article, extractor) twice is read once if the contents are
    equal and is an error if they differ. With ``known`` (input hash -> KnownInput, or a
    function giving that for a list of hashes: known_lookup), an input whose bytes were loaded
    before is skipped without parsing: that is what makes re-loading unchanged files cheap. A
    parsed record that meets a skipped one for the same article and extractor is compared by
    content hash. Records are read LOOKUP_CHUNK at a time (one lookup each), and an unreadable
    line is reported after the records before it, as if they were read one by one.
    """

    def __init__(self, known: dict[str, KnownInput] | Lookup | None = None):
        if known is None or isinstance(known, dict):
            table = known or {}
            self._lookup: Lookup = lambda shas: {s: table[s] for s in shas if s in table}
        else:
            self._lookup = known
        self.skipped = 0
        self._seen: dict[tuple[str, str], tuple[str, int, str]] = {}  # key -> file, number, content sha

    @property
    def article_ids(self) -> set[str]:
        """Articles with a record read so far, parsed or skipped as loaded before."""
        return {article_id for article_id, _extractor in self._seen}

    def read(self, paths: Iterable[Path]) -> Iterator[SourcedRecord]:
        with _gc_paused():
            for f in find_record_files(paths):
                raw_records = iter_raw_records(f)
                while True:
                    group: list[tuple[str, int, str, bytes]] = []
                    failure: LoadError | None = None
                    try:
                        for item in raw_records:
                            group.append(item)
                            if len(group) >= LOOKUP_CHUNK:
                                break
                    except LoadError as exc:  # raised after the records read before it
                        failure = exc
                    if group:
                        yield from self._read_group(group)
                    if failure is not None:
                        raise failure
                    if len(group) < LOOKUP_CHUNK:
                        break

    def _read_group(self, group: list[tuple[str, int, str, bytes]]) -> Iterator[SourcedRecord]:
        shas = [hashlib.sha256(raw).hexdigest() for _n, _i, _t, raw in group]  # = text_sha256(text)
        known = self._lookup(shas)
        for (name, number, text, _raw), sha in zip(group, shas, strict=True):
            hit = known.get(sha)
            if hit is not None:
                key = (hit.article_id, hit.extractor)
                if key not in self._seen:
                    self._seen[key] = (name, number, hit.record_sha256)
                    self.skipped += 1
                continue
            record = parse_record(name, number, text)
            sr = SourcedRecord(name, number, record, sha, _record_sha(record))
            key = (record.article.article_id, record.extractor.name)
            prev = self._seen.get(key)
            if prev is not None:
                if prev[2] != sr.content_sha256:
                    raise LoadError(
                        name,
                        f"article {key[0]} by extractor {key[1]} is also in {record_place(prev[0], prev[1])} "
                        "with different contents",
                        number,
                        "article.id",
                    )
                continue
            self._seen[key] = (name, number, sr.content_sha256)
            yield sr


def read_records(paths: Iterable[Path], allow_empty: bool = False) -> list[SourcedRecord]:
    """Validate every record in the given files and folders (raises LoadError)."""
    paths = [Path(p) for p in paths]
    records = list(RecordReader().read(paths))
    if not records and not allow_empty:
        raise LoadError(", ".join(map(str, paths)), "no record files (.json, .jsonl) found")
    return records


def known_inputs(conn: sa.Connection) -> dict[str, KnownInput]:
    """Input hash -> what it loaded, for every input the warehouse holds the current version of."""
    rows = duck(conn).execute(
        "SELECT input_sha256, article_id, extractor, record_sha256 FROM article_extractions "
        "WHERE input_sha256 IS NOT NULL"
    ).fetchall()
    return {sha: KnownInput(a, e, r) for sha, a, e, r in rows}


@contextmanager
def known_lookup(engine: sa.Engine) -> Iterator[Lookup]:
    """A function: input hashes -> KnownInput of those the warehouse has loaded (one join a call).

    It queries on a DuckDB connection of its own (a cursor): it sees committed rows only, and the
    reading thread may use it while the batch's writer thread uses the batch's connection."""
    with engine.connect() as conn:
        # DuckDB's own cursor (a new connection to the same database), not duckdb_engine's
        # ConnectionWrapper.cursor(), which shares the batch's connection
        cur = duck(conn)._ConnectionWrapper__c.cursor()
        try:
            def lookup(shas: list[str]) -> dict[str, KnownInput]:
                if not shas:
                    return {}
                cur.register("_lookup_shas", pa.table({"input_sha256": shas}))
                try:
                    rows = cur.execute(
                        "SELECT x.input_sha256, x.article_id, x.extractor, x.record_sha256 FROM article_extractions x "
                        "SEMI JOIN _lookup_shas s ON s.input_sha256 = x.input_sha256"
                    ).fetchall()
                finally:
                    cur.unregister("_lookup_shas")
                return {sha: KnownInput(a, e, r) for sha, a, e, r in rows}

            yield lookup
        finally:
            cur.close()


# ---------------------------------------------------------------- batches


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_batch_id() -> str:
    return f"batch_{_now():%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:8]}"


def start_batch(conn: sa.Connection, batch_id: str, command: str, inputs: list[str]) -> None:
    frame = pd.DataFrame(
        [
            {
                "batch_id": batch_id,
                "command": command,
                "inputs": json.dumps(inputs),
                "started_at": _now(),
                "outcome": "running",
                "tool_version": __version__,
            }
        ]
    )
    insert_new(conn, "load_batches", frame, ["batch_id"])
    # where the fact tables end before the batch writes: its refresh reads the batch's rows from there
    summaries.mark(conn, batch_id)


def finish_batch(
    conn: sa.Connection, batch_id: str, outcome: str, rows: dict | None = None, error: str | None = None
) -> None:
    if outcome == "ok":  # the views' summary tables, for the articles this batch touched
        summaries.refresh(conn, batch_id)
    conn.exec_driver_sql(
        "UPDATE load_batches SET finished_at = ?, outcome = ?, rows_json = ?, error = ? WHERE batch_id = ?",
        (_now(), outcome, json.dumps(rows or {}, sort_keys=True), error, batch_id),
    )


def record_failed_batch(engine: sa.Engine, batch_id: str, command: str, inputs: list[str], error: str) -> None:
    """After a rollback: keep the lineage of the failed attempt (its own small transaction)."""
    with engine.begin() as conn:
        start_batch(conn, batch_id, command, inputs)
        finish_batch(conn, batch_id, "failed", {}, error)


# ---------------------------------------------------------------- writing


def _iso_to_date(value: str | None) -> date | None:
    if value is None:
        return None
    y, m, d = (value + "-01-01").split("-")[:3]
    return date(int(y), int(m), int(d))


def ensure_sources(conn: sa.Connection, publishers: Iterable[str | None]) -> int:
    names = sorted({p for p in publishers if p})
    frame = pd.DataFrame(
        {"source_id": [slug(n) for n in names], "name": names, "kind": [publisher_kind(n) for n in names]}
    )
    return insert_new(conn, "sources", frame, ["source_id"])


def insert_articles(conn: sa.Connection, articles: list[Article], batch_id: str,
                    deferred: list[tuple[list, Future | None]] | None = None) -> int:
    """Insert articles not in the warehouse yet (deduplicated by cleaned-text hash; first wins), and
    cluster the new ones (warehouse.stories). With ``deferred`` the clustering is left to the caller:
    the new articles and their signing (stories.start_signing, in a worker process) are appended
    to it, for stories.cluster_new_articles once the caller has written the rest of its chunk."""
    if not articles:
        return 0
    ensure_sources(conn, (a.publisher for a in articles))
    by_id: dict[str, tuple[str, Article]] = {}
    for a in articles:
        sha = text_sha256(a.cleaned_text)
        by_id.setdefault(sha[:16], (sha, a))  # sha[:16] = article_id_for(cleaned_text), hashed once
    kept = [a for _sha, a in by_id.values()]
    frame = pa.table(
        {
            "article_id": list(by_id),
            "text_sha256": [sha for sha, _a in by_id.values()],
            "source_id": [a.source_id for a in kept],
            "title": [a.title for a in kept],
            "url": [a.url for a in kept],
            "dateline": [a.dateline for a in kept],
            "published_on": pa.array([_iso_to_date(a.published) for a in kept], pa.date32()),
            "published_precision": [a.published_precision for a in kept],
            # NULL when the raw text is the cleaned one (records carry one text): the same kilobytes
            # are converted to Arrow once, and SQL copies them (raw_text is NOT NULL)
            "raw_text": [None if a.raw_text == a.cleaned_text else a.raw_text for a in kept],
            "cleaned_text": [a.cleaned_text for a in kept],
            "origin_file": [a.origin_file for a in kept],
        }
    )
    exprs = {c: f'f."{c}"' for c in frame.column_names}
    exprs["raw_text"] = "coalesce(f.raw_text, f.cleaned_text)"
    exprs |= {"ingested_at": "CAST(? AS TIMESTAMP)", "batch_id": "CAST(? AS VARCHAR)"}
    d = duck(conn)
    with registered(d, "_new_article_ids", pa.table({"article_id": list(by_id)})):
        present = {r[0] for r in run_sql(d,
            "SELECT article_id FROM articles SEMI JOIN _new_article_ids USING (article_id)").fetchall()}
    n = insert_new(conn, "articles", frame, ["article_id"], exprs=exprs, params=(_now(), batch_id))
    authors = [(aid, a.author) for aid, (_sha, a) in by_id.items() if a.author and aid not in present]
    if authors:
        insert_new(conn, "article_authors", pa.table({"article_id": [x for x, _ in authors],
                                                      "author": [y for _, y in authors]}), ["article_id"])
    # near-duplicates and stories: each new article against its LSH candidates (warehouse.stories)
    new = [
        (aid, a.cleaned_text, _iso_to_date(a.published) if a.published_precision == "day" else None, a.source_id)
        for aid, (_sha, a) in by_id.items() if aid not in present
    ]
    if deferred is None:
        stories.cluster_new_articles(conn, new)
    else:
        deferred.append((new, stories.start_signing(new)))
    return n


def _record_article(rec: ArticleRecord) -> Article:
    a = rec.article
    return Article(
        raw_text=a.text,
        cleaned_text=a.text,
        title=a.title,
        publisher=a.publisher,
        dateline=a.dateline,
        published=a.published,
        published_precision=a.published_precision,
        url=a.url,
        origin_file=a.origin_file,
    )


class _Resolver:
    """Maps record entity ids to warehouse entity ids for one batch."""

    def __init__(self, conn: sa.Connection):
        ents = duck(conn).execute("SELECT entity_id, entity_type, country_code FROM entities").fetchall()
        self.types = {e: t for e, t, _ in ents}
        self.codes = {e: c for e, _, c in ents}
        sql = (
            "SELECT a.alias_key, a.alias, a.entity_id, e.entity_type "
            "FROM entity_aliases a JOIN entities e USING (entity_id)"
        )
        rows = duck(conn).execute(sql).fetchall()
        self.by_key: dict[tuple[str, str], set[str]] = {}
        for key, _alias, eid, etype in rows:
            self.by_key.setdefault((key, etype), set()).add(eid)
        # every surface form is kept as an alias; resolution goes through the key
        self.alias_pairs = {(a, e) for _k, a, e, _t in rows}
        self.new_entities: list[dict] = []
        self.new_aliases: list[dict] = []

    def _add_alias(self, eid: str, etype: str, alias: str, kind: str) -> None:
        if (alias, eid) in self.alias_pairs:  # known pair: skip before normalising (same outcome, cheaper)
            return
        key = alias_key(alias)
        if key:
            self.alias_pairs.add((alias, eid))
            self.by_key.setdefault((key, etype), set()).add(eid)
            self.new_aliases.append(
                {"alias_key": key, "entity_id": eid, "alias": alias, "alias_kind": kind, "origin": "record"}
            )

    def resolve(self, sr: SourcedRecord, batch_id: str) -> dict[str, str]:
        mapping: dict[str, str] = {}
        rec = sr.record
        first_new = len(self.new_entities)
        for i, ent in enumerate(rec.entities):
            known_type = self.types.get(ent.id)
            if known_type is not None:
                if known_type != ent.type:
                    raise LoadError(
                        sr.file,
                        f"entity {ent.id} is a {known_type} in the warehouse, the record says {ent.type}",
                        sr.number,
                        f"entities[{i}].type",
                    )
                if ent.type == "country" and self.codes.get(ent.id) != ent.country_code:
                    raise LoadError(
                        sr.file,
                        f"entity {ent.id} has country code {self.codes.get(ent.id)} in the "
                        f"warehouse, the record says {ent.country_code}",
                        sr.number,
                        f"entities[{i}].country_code",
                    )
                target = ent.id
            else:
                candidates: set[str] = set()
                for name in (ent.name, *ent.aliases):
                    candidates |= self.by_key.get((alias_key(name), ent.type), set())
                if len(candidates) == 1:
                    target = candidates.pop()
                else:  # unknown, or ambiguous: a new entity, flagged for review
                    target = ent.id
                    self.types[target] = ent.type
                    self.codes[target] = ent.country_code
                    self.new_entities.append(
                        {
                            "entity_id": target,
                            "entity_type": ent.type,
                            "name": ent.name,
                            "country_code": ent.country_code,
                            "parent_id": ent.parent,
                            "origin": "record",
                            "is_new": True,
                            "batch_id": batch_id,
                        }
                    )
            mapping[ent.id] = target
        for ent in rec.entities:
            target = mapping[ent.id]
            etype = self.types[target]
            self._add_alias(target, etype, ent.name, "name")
            for a in ent.aliases:
                self._add_alias(target, etype, a, "record")
        # Parents given as record ids -> warehouse ids. Only this record's new rows: rows of
        # earlier records already hold warehouse ids, which every mapping maps to themselves
        # (walking all rows for every record made a batch quadratic).
        for row in self.new_entities[first_new:]:
            if row["parent_id"] in mapping:
                row["parent_id"] = mapping[row["parent_id"]]
        return mapping


# Columns of each fact table's rows as _claim_rows builds them (tuples), and the key that makes a row
# unique. batch_id is added in SQL; mention ids are computed in SQL from the natural key (below).
_FACT_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "mentions": (
        ("article_id", "extractor", "record_entity", "start_char", "end_char", "entity_id", "surface",
         "sentence_index", "extractor_version"),
        ("mention_id",),
    ),
    "claims": (
        ("claim_id", "article_id", "record_key", "claimant_id", "predicate", "subject_id", "object_id", "stance",
         "hedge", "quote", "start_char", "end_char", "event_date", "event_date_precision", "date_text", "summary",
         "extractor", "extractor_version"),
        ("claim_id",),
    ),
    "claim_denials": (("denial_claim_id", "denied_claim_id"), ("denial_claim_id", "denied_claim_id")),
    "transfers": (
        ("transfer_id", "claim_id", "supplier_id", "recipient_id", "item", "item_category", "system_id",
         "quantity_low", "quantity_high", "quantity_unit", "quantity_qualifier", "quantity_text", "status",
         "period_text", "period_start", "period_end", "value_amount", "value_currency", "value_text"),
        ("transfer_id",),
    ),
    "person_roles": (("role_assertion_id", "claim_id", "person_id", "role", "organization_id"), ("role_assertion_id",)),
    "agreements": (
        ("agreement_id", "name", "kind", "status", "signed_on", "signed_precision"),
        ("agreement_id",),
    ),
    "agreement_parties": (("agreement_id", "entity_id"), ("agreement_id", "entity_id")),
    "agreement_claims": (("agreement_id", "claim_id"), ("agreement_id", "claim_id")),
    "agreement_provisions": (("provision_id", "agreement_id", "claim_id", "provision"), ("provision_id",)),
}
_INSERT_ORDER = tuple(_FACT_COLUMNS)
_WITH_BATCH_ID = {"mentions", "claims", "agreements"}
# Rows of these tables belong to one (article, extractor): their ids hash the article and extractor (or a
# claim id that does). write_records writes only new or changed records and deletes a changed record's
# old facts first, so none of these rows can be in the warehouse already: they are inserted without a
# NOT EXISTS anti-join against their (large) tables, as the native load does, and _claim_rows keeps them
# unique within a record; a duplicate key anyway is a constraint error that fails the batch. Agreements
# and their parties are shared across articles: those go through Rows (unique within the batch) and
# insert_new (skips rows already stored).
_CLAIM_SCOPED = frozenset(_INSERT_ORDER) - {"agreements", "agreement_parties"}
# = short_hash(article_id, extractor, record entity, start, end) with "men_" in front, computed by DuckDB
# over the whole batch (hashing 4 million mention ids in Python took ~5 s at 100,000 articles).
# The record's own entity id is hashed, not the resolved one, so the id does not depend on resolution.
_MENTION_ID_SQL = (
    "'men_' || left(sha256(concat_ws(chr(31), f.article_id, f.extractor, f.record_entity, "
    "CAST(f.start_char AS VARCHAR), CAST(f.end_char AS VARCHAR))), 16)"
)


def _new_fact_rows() -> dict[str, Rows]:
    return {t: Rows(cols, None if t in _CLAIM_SCOPED else key) for t, (cols, key) in _FACT_COLUMNS.items()}


def _insert_facts(conn: sa.Connection, table: str, rows: Rows, batch_id: str) -> int:
    if not rows:
        return 0
    frame = rows.arrow()
    if table == "mentions":
        exprs = {"mention_id": _MENTION_ID_SQL}
        exprs |= {c: f'f."{c}"' for c in rows.columns if c != "record_entity"}
    else:
        exprs = {c: f'f."{c}"' for c in rows.columns}
    params: tuple = ()
    if table in _WITH_BATCH_ID:
        exprs["batch_id"] = "CAST(? AS VARCHAR)"
        params = (batch_id,)
    if table in _CLAIM_SCOPED:
        return insert_all(conn, table, frame, exprs=exprs, params=params)
    return insert_new(conn, table, frame, list(_FACT_COLUMNS[table][1]), exprs=exprs, params=params)


def _claim_rows(sr: SourcedRecord, mapping: dict[str, str], out: dict[str, Rows]) -> None:
    """Add one record's fact rows (tuples in _FACT_COLUMNS order) to ``out``.

    Claim-scoped rows are made unique here, within the record (see _CLAIM_SCOPED): a mention listed
    twice, a claim key denied twice, a provision given twice are written once.
    """
    rec = sr.record
    aid = rec.article.article_id
    ext, ver = rec.extractor.name, rec.extractor.version

    def m(ref: str | None) -> str | None:
        return None if ref is None else mapping[ref]

    ments = rec.mentions
    if len({(x.entity, x.start, x.end) for x in ments}) != len(ments):  # rare: keep the first of each
        kept, seen = [], set()
        for x in ments:
            if (x.entity, x.start, x.end) not in seen:
                seen.add((x.entity, x.start, x.end))
                kept.append(x)
        ments = kept
    out["mentions"].rows.extend(
        [(aid, ext, x.entity, x.start, x.end, mapping[x.entity], x.surface, x.sentence, ver) for x in ments]
    )
    ids: dict[str, str] = {}
    for c in rec.claims:
        ids[c.key] = "clm_" + short_hash(aid, ext, c.model_dump_json())
    claims, denials, transfers, roles = (out[t].rows for t in ("claims", "claim_denials", "transfers", "person_roles"))
    for c in rec.claims:
        cid = ids[c.key]
        claims.append(
            (cid, aid, c.key, m(c.claimant), c.predicate, m(c.subject), m(c.object), c.stance, c.hedge, c.quote,
             c.start, c.end, _iso_to_date(c.date), c.date_precision, c.date_text, c.summary, ext, ver)
        )
        for k in dict.fromkeys(c.denies):
            denials.append((cid, ids[k]))
        if c.transfer is not None:
            t, q = c.transfer, c.transfer.quantity
            transfers.append(
                ("trf_" + short_hash(cid), cid, m(t.supplier), m(t.recipient), t.item, t.category, m(t.system),
                 q.low if q else None, q.high if q else None, q.unit if q else None, q.qualifier if q else None,
                 q.text if q else None, t.status, t.period, _iso_to_date(t.period_start), _iso_to_date(t.period_end),
                 t.value_amount, t.value_currency, t.value_text)
            )
        if c.role is not None:
            roles.append(("rol_" + short_hash(cid), cid, m(c.role.person), c.role.role, m(c.role.organization)))
        if c.agreement is not None:
            out["agreement_claims"].rows.append((c.agreement, cid))
            for p in dict.fromkeys(c.provisions):
                out["agreement_provisions"].rows.append(
                    ("prv_" + short_hash(c.agreement, cid, p), c.agreement, cid, p)
                )
    for ag in rec.agreements:
        out["agreements"].add((ag.id, ag.name, ag.kind, ag.status, _iso_to_date(ag.signed_on), ag.signed_precision))
        for p in ag.parties:
            out["agreement_parties"].add((ag.id, m(p)))


def _record_sha(rec: ArticleRecord) -> str:
    return text_sha256(rec.model_dump_json())


# Records are written WRITE_CHUNK at a time inside the batch's one transaction: Python holds one or
# two chunks' validated records and rows, not the whole file's (a 100,000-article batch held 12 GB),
# and writing one chunk overlaps reading the next (write_records).
WRITE_CHUNK = 5_000


def write_records(
    conn: sa.Connection,
    records: Iterable[SourcedRecord],
    batch_id: str,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Write validated records inside the caller's transaction (consumed WRITE_CHUNK at a time).

    One chunk is written by a helper thread while this thread reads and validates the next one:
    DuckDB releases the GIL while it inserts, so the two overlap on a 2-core machine. Only the
    helper touches the connection, one chunk at a time, and it is always waited for before this
    function returns or raises (the caller's transaction then commits or rolls back). A chunk's new
    articles are clustered after the next chunk's facts are written (the last chunk's at the end),
    so their signing in the worker process overlaps a whole chunk.
    """
    batch = _BatchWriter(conn, batch_id)
    done = 0
    it = iter(records)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="warehouse-write") as pool:
        pending: Future | None = None
        try:
            while True:
                chunk = list(itertools.islice(it, WRITE_CHUNK))  # reading errors surface here
                if pending is not None:
                    pending.result()  # the previous chunk's errors surface here
                    pending = None
                if not chunk:
                    break
                pending = pool.submit(batch.write, chunk, progress, done, True)
                done += len(chunk)
            batch.cluster()  # the last chunk's new articles
        except BaseException:
            if pending is not None:  # an error while reading: let the chunk in flight finish first
                wait([pending])
            batch.cancel_clustering()
            raise
    batch.result.rows = {k: v for k, v in batch.rows.items() if v}
    batch.result.new_entities = [e["entity_id"] for e in batch.resolver.new_entities]
    return batch.result


class _BatchWriter:
    """What one batch carries from chunk to chunk: the entity resolver, the agreements seen (one
    content per id within a batch), the running row counts."""

    def __init__(self, conn: sa.Connection, batch_id: str):
        self.conn = conn
        self.batch_id = batch_id
        self.result = LoadResult(batch_id=batch_id, records=0)
        self.resolver = _Resolver(conn)
        self.agreements_seen: dict[str, tuple] = {}
        self.rows: dict[str, int] = {}
        self._entities_written = 0
        self._aliases_written = 0
        self.clustering: list[tuple[list, Future | None]] = []  # new articles whose clustering waits

    def _count(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n

    def cluster(self) -> None:
        """Cluster the new articles left waiting by write(defer_clustering=True)."""
        waiting, self.clustering = self.clustering, []
        for new, pending in waiting:
            stories.cluster_new_articles(self.conn, new, pending)

    def cancel_clustering(self) -> None:
        """After an error: a signing not started yet is not started."""
        waiting, self.clustering = self.clustering, []
        for _new, pending in waiting:
            if pending is not None:
                pending.cancel()

    def write(self, records: list[SourcedRecord], progress: Callable[[int], None] | None, done: int,
              defer_clustering: bool = False) -> None:
        """Write a chunk of records. The chunk's new articles are clustered at its end, or with
        ``defer_clustering`` at the end of the next chunk (after its facts: the signing worker has
        had a whole chunk's time) or by cluster(); the same clustering, in the same order."""
        conn, batch_id, d = self.conn, self.batch_id, duck(self.conn)
        self.result.records += len(records)
        # Which (article, extractor) pairs are unchanged, changed or new?
        keys = pd.DataFrame(
            {
                "article_id": [sr.record.article.article_id for sr in records],
                "extractor": [sr.record.extractor.name for sr in records],
            }
        )
        with registered(d, "_load_keys", keys):
            found = run_sql(d,
                "SELECT x.article_id, x.extractor, x.record_sha256, x.input_sha256, x.extractor_version "
                "FROM article_extractions x JOIN _load_keys k USING (article_id, extractor)"
            ).fetchall()
        prior = {(a, e): sha for a, e, sha, _, _ in found}
        unhashed = {(a, e) for a, e, _, inp, _ in found if inp is None}
        stored_version = {(a, e): v for a, e, sha, _, v in found if not sha.startswith(STALE_PREFIX)}
        todo: list[tuple[SourcedRecord, str]] = []
        replaced: list[tuple[str, str]] = []
        fill_inputs: list[tuple[str, str, str]] = []
        for sr in records:
            key = (sr.record.article.article_id, sr.record.extractor.name)
            sha = sr.content_sha256 or _record_sha(sr.record)
            if prior.get(key) == sha:
                self.result.unchanged += 1
                if key in unhashed and sr.input_sha256:  # loaded before input hashes were kept
                    fill_inputs.append((*key, sr.input_sha256))
                continue
            if key[1] != "curated" and key in stored_version and \
                    version_key(sr.record.extractor.version) < version_key(stored_version[key]):
                # an older extractor's record never replaces a newer one's (a curated record's version
                # is an edition the curator may roll back to: that one is loaded as given)
                self.result.superseded += 1
                continue
            if key in prior:
                replaced.append(key)
            todo.append((sr, sha))
        if fill_inputs:
            fill = pd.DataFrame(fill_inputs, columns=["article_id", "extractor", "input_sha256"])
            with registered(d, "_fill_inputs", fill):
                run_sql(conn,
                    "UPDATE article_extractions x SET input_sha256 = f.input_sha256 FROM _fill_inputs f "
                    "WHERE x.article_id = f.article_id AND x.extractor = f.extractor"
                )
        _check_agreements(todo, self.agreements_seen)
        # Only records to write need their article: an unchanged record's article (and its
        # source) went in with the load that stored its record_sha256. Their clustering waits for
        # the end of the chunk: the new articles are signed in a worker process meanwhile.
        clustering: list[tuple[list, Future | None]] = []
        insert_articles(conn, [_record_article(sr.record) for sr, _sha in todo], batch_id, deferred=clustering)
        try:
            self._write_facts(records, todo, replaced, progress, done)
            self.cluster()  # the previous chunk's, when deferred
        except BaseException:
            self.clustering += clustering
            self.cancel_clustering()
            raise
        self.clustering = clustering
        if not defer_clustering:
            self.cluster()

    def _write_facts(self, records: list[SourcedRecord], todo: list[tuple[SourcedRecord, str]],
                     replaced: list[tuple[str, str]], progress: Callable[[int], None] | None, done: int) -> None:
        conn, batch_id, d = self.conn, self.batch_id, duck(self.conn)
        if replaced:
            _delete_facts(conn, replaced)
        resolver = self.resolver
        out = _new_fact_rows()
        for n, (sr, _sha) in enumerate(todo, start=1):
            mapping = resolver.resolve(sr, batch_id)
            _claim_rows(sr, mapping, out)
            if progress:
                progress(done + n)
        if progress and len(todo) < len(records):
            progress(done + len(records))
        # this chunk's new entities and aliases before the facts that point at them
        new_entities = resolver.new_entities[self._entities_written :]
        new_aliases = resolver.new_aliases[self._aliases_written :]
        self._entities_written += len(new_entities)
        self._aliases_written += len(new_aliases)
        if new_entities:
            self._count("entities", insert_new(conn, "entities", pd.DataFrame(new_entities), ["entity_id"]))
        if new_aliases:
            self._count(
                "entity_aliases", insert_new(conn, "entity_aliases", pd.DataFrame(new_aliases), ["entity_id", "alias"])
            )
        for table in _INSERT_ORDER:
            self._count(table, _insert_facts(conn, table, out[table], batch_id))
        if out["agreements"]:
            self._count("agreements_updated", _update_agreements(conn, out["agreements"].arrow()))
        extractions = pd.DataFrame(
            [
                {
                    "article_id": sr.record.article.article_id,
                    "extractor": sr.record.extractor.name,
                    "extractor_version": sr.record.extractor.version,
                    "record_sha256": sha,
                    "input_sha256": sr.input_sha256,
                    "batch_id": batch_id,
                }
                for sr, sha in todo
            ]
        )
        if not extractions.empty:
            with registered(d, "_load_extractions", extractions):
                run_sql(conn,
                    "UPDATE article_extractions x SET extractor_version = n.extractor_version, "
                    "record_sha256 = n.record_sha256, input_sha256 = n.input_sha256, batch_id = n.batch_id "
                    "FROM _load_extractions n "
                    "WHERE x.article_id = n.article_id AND x.extractor = n.extractor"
                )
            insert_new(conn, "article_extractions", extractions, ["article_id", "extractor"])
            touched = pd.DataFrame({"article_id": sorted({sr.record.article.article_id for sr, _ in todo})})
            with registered(d, "_touched", touched):
                run_sql(conn,
                    "DELETE FROM current_records WHERE article_id IN (SELECT article_id FROM _touched)"
                )
                run_sql(conn, CURRENT_RECORDS_SQL.format(articles="_touched"))


# Which record of an article the views count: the curated one, else the extraction loaded last
# (ties: the later batch id, then the extractor's name). For the articles in {articles}.
CURRENT_RECORDS_SQL = """
INSERT INTO current_records (article_id, extractor, extractor_version, batch_id)
SELECT article_id, extractor, extractor_version, batch_id FROM (
    SELECT x.article_id, x.extractor, x.extractor_version, x.batch_id,
           row_number() OVER (PARTITION BY x.article_id
                              ORDER BY (x.extractor = 'curated') DESC, b.started_at DESC NULLS LAST,
                                       x.batch_id DESC, x.extractor) AS rn
    FROM article_extractions x
    JOIN {articles} t ON t.article_id = x.article_id
    LEFT JOIN load_batches b ON b.batch_id = x.batch_id
) WHERE rn = 1
"""


def version_key(version: str) -> tuple:
    """An extractor version as comparable parts: "0.10.0" after "0.9.1"; text parts compare as text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-+]", version))


def _update_agreements(conn: sa.Connection, frame: pa.Table) -> int:
    """An agreement is one shared row: a newly loaded record's version of it (status,
    name, signing date) replaces an older one. Parties only ever accumulate. ``frame`` has one
    row per agreement (a batch gives each agreement id one content: _check_agreements)."""
    d = duck(conn)
    with registered(d, "_load_agreements", frame):
        return run_count(conn,
            "UPDATE agreements g SET name = n.name, kind = n.kind, status = n.status, signed_on = n.signed_on, "
            "signed_precision = n.signed_precision FROM _load_agreements n WHERE g.agreement_id = n.agreement_id "
            "AND (g.name, g.kind, g.status, g.signed_on, g.signed_precision) IS DISTINCT FROM "
            "(n.name, n.kind, n.status, n.signed_on, n.signed_precision)"
        )


def _check_agreements(todo: list[tuple[SourcedRecord, str]], seen: dict[str, tuple]) -> None:
    """One agreement id, one content, within a batch (the agreement row is shared). ``seen``
    carries the agreements of the batch's earlier chunks."""
    for sr, _sha in todo:
        for i, ag in enumerate(sr.record.agreements):
            core = ag.model_dump(exclude={"parties"})
            prev = seen.get(ag.id)
            if prev is not None and prev[0] != core:
                raise LoadError(
                    sr.file,
                    f"agreement {ag.id} is declared in {record_place(prev[1], prev[2])} with different contents",
                    sr.number,
                    f"agreements[{i}]",
                )
            seen.setdefault(ag.id, (core, sr.file, sr.number))


def _delete_facts(conn: sa.Connection, pairs: list[tuple[str, str]]) -> None:
    """Remove the facts one extractor wrote for these articles (a changed record replaces them)."""
    d = duck(conn)
    with registered(d, "_replace_keys", pd.DataFrame(pairs, columns=["article_id", "extractor"])):
        run_sql(conn,
            "CREATE TEMP TABLE _old_claims AS SELECT c.claim_id FROM claims c "
            "JOIN _replace_keys k USING (article_id, extractor)"
        )
        by_claim = {
            "claim_denials": "denial_claim_id",
            "agreement_claims": "claim_id",
            "agreement_provisions": "claim_id",
            "person_roles": "claim_id",
            "transfers": "claim_id",
            "claims": "claim_id",
        }
        for table in FACT_TABLES_DELETE_ORDER:
            if table == "mentions":
                run_sql(conn,
                    "DELETE FROM mentions m USING _replace_keys k "
                    "WHERE m.article_id = k.article_id AND m.extractor = k.extractor"
                )
            else:
                run_sql(conn,
                    f"DELETE FROM {table} WHERE {by_claim[table]} IN (SELECT claim_id FROM _old_claims)"
                )
        run_sql(conn, "DELETE FROM claim_denials WHERE denied_claim_id NOT IN (SELECT claim_id FROM claims)")
        run_sql(conn, "DROP TABLE _old_claims")


def load_records(
    engine: sa.Engine,
    records: Iterable[SourcedRecord],
    *,
    command: str,
    inputs: list[str],
    batch_size: int = 0,
    progress: Callable[[int], None] | None = None,
) -> list[LoadResult]:
    """Write validated records in batches (0: one batch); each batch is one transaction.

    ``records`` may be a stream (RecordReader.read): it is consumed as the batches are written,
    so a reading error rolls back the batch it falls in (and ends the load).
    """
    with _gc_paused():
        return _load_records(engine, records, command=command, inputs=inputs, batch_size=batch_size, progress=progress)


def _load_records(
    engine: sa.Engine,
    records: Iterable[SourcedRecord],
    *,
    command: str,
    inputs: list[str],
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> list[LoadResult]:
    it = iter(records)
    results: list[LoadResult] = []
    written = 0
    while True:  # the first batch is written even when empty: its load_batches row logs the run
        part = itertools.islice(it, batch_size) if batch_size > 0 else it
        batch_id = new_batch_id()
        try:
            with engine.begin() as conn:
                start_batch(conn, batch_id, command, inputs)
                res = write_records(
                    conn, part, batch_id, progress=(lambda n, s=written: progress(s + n)) if progress else None
                )
                finish_batch(conn, batch_id, "ok", res.rows)
        except LoadError as exc:
            record_failed_batch(engine, batch_id, command, inputs, str(exc))
            exc.batch_id = batch_id
            raise
        except sa.exc.DBAPIError as exc:
            msg = str(exc.orig or exc).splitlines()[0]
            record_failed_batch(engine, batch_id, command, inputs, msg)
            raise WarehouseError(f"batch {batch_id} failed and was rolled back: {msg}") from exc
        results.append(res)
        written += res.records
        if batch_size <= 0 or res.records < batch_size:
            return results
        nxt = next(it, None)  # no empty batch after exactly k * batch_size records
        if nxt is None:
            return results
        it = itertools.chain([nxt], it)


def dry_run_batch(engine: sa.Engine, command: str, inputs: list[str], records: int) -> str:
    batch_id = new_batch_id()
    with engine.begin() as conn:
        start_batch(conn, batch_id, command, inputs)
        finish_batch(conn, batch_id, "dry_run", {"records_validated": records})
    return batch_id
