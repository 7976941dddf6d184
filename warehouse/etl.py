"""The ETL jobs behind ``warehouse init``, ``ingest``, ``load`` and ``run``.

Library functions: notebooks, tests and the CLI call these; the CLI only prints.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import sqlalchemy as sa

from . import migrate, refdata, stories, summaries, views
from .bulk import count_rows, duck, registered, run_sql
from .db import WarehouseError, writer
from .ingest import (
    ARTICLE_SUFFIXES,
    Article,
    IngestError,
    iter_articles,
    read_articles,
    scan_article_files,
    skipped_summary,
)
from .load import (
    WRITE_CHUNK,
    LoadError,
    LoadResult,
    RecordReader,
    SourcedRecord,
    _BatchWriter,
    dry_run_batch,
    finish_batch,
    known_lookup,
    load_records,
    new_batch_id,
    record_failed_batch,
    start_batch,
)
from .load import insert_articles as _insert_articles

SUMMARY_TABLES = ("articles", "entities", "claims", "transfers", "agreements")


def init_warehouse(engine: sa.Engine) -> dict[str, int]:
    """Create or upgrade the schema to head, load reference data, apply the views."""
    migrate.upgrade(engine, "head")
    with engine.begin() as conn:
        loaded = refdata.load_reference_data(conn)
        views.apply_views(conn)
    with engine.begin() as conn:  # articles stored before revision 0006 get their story
        signed = stories.backfill(conn)
        if signed:  # their stories reach the views' summary tables
            summaries.refresh(conn)
    if signed:
        loaded["article_signatures"] = signed
    return loaded


class ArticlesRead(list):
    """The articles read from some paths (a list of Article), and ``skipped``: the files of
    their folders that are not articles, counted by kind ("README", ".pdf")."""

    def __init__(self, articles=(), skipped=None):
        super().__init__(articles)
        self.skipped = skipped if skipped is not None else {}


def read_article_files(paths: list[Path], progress: Callable[[int, int], None] | None = None) -> ArticlesRead:
    """Read, decode, clean and validate every article under ``paths`` (nothing is written).

    A bad file ends in IngestError naming the file (and the line and field of a .jsonl, .csv
    or .tsv row or a feed entry). Files of a folder that are not articles are counted in
    ``skipped``."""
    files = scan_article_files(paths)
    if not files:
        raise WarehouseError(f"{', '.join(map(str, paths))}: no article files ({' '.join(ARTICLE_SUFFIXES)}) found")
    articles = ArticlesRead(skipped=files.skipped)
    for n, f in enumerate(files, start=1):
        try:
            articles.extend(read_articles(f))
        except IngestError as exc:
            raise WarehouseError(f"{f}: {exc}") from exc
        if progress:
            progress(n, len(files))
    return articles


def ingest_summary(articles: list[Article], new: int, batch_id: str) -> str:
    """The line ``warehouse ingest`` prints: "ingested N articles (M new) in BATCH; skipped K
    files (2 README, 1 .pdf)" (the skipped part only when some file was passed over)."""
    line = f"ingested {len(articles)} articles ({new} new) in {batch_id}"
    skipped = skipped_summary(getattr(articles, "skipped", None) or {})
    return f"{line}; {skipped}" if skipped else line


def ingest_files(engine: sa.Engine, paths: list[Path], command: str = "ingest",
                 progress: Callable[[int, int], None] | None = None) -> tuple[list[Article], int, str]:
    """Read, clean and insert articles; returns (articles read, articles new, batch id).

    Every file is read and validated before anything is written; the insert is one transaction."""
    batch_id = new_batch_id()
    inputs = [str(p) for p in paths]
    try:
        articles = read_article_files(paths, progress)
    except WarehouseError as exc:  # nothing written; the attempt is logged
        record_failed_batch(engine, batch_id, command, inputs, str(exc))
        raise
    try:
        with engine.begin() as conn:
            start_batch(conn, batch_id, command, inputs)
            new = _insert_articles(conn, articles, batch_id)
            finish_batch(conn, batch_id, "ok", {"articles": new})
    except sa.exc.DBAPIError as exc:
        msg = str(exc.orig or exc).splitlines()[0]
        record_failed_batch(engine, batch_id, command, inputs, msg)
        raise WarehouseError(f"batch {batch_id} failed and was rolled back: {msg}") from exc
    return articles, new, batch_id


def load_paths(
    engine: sa.Engine,
    paths: list[Path],
    *,
    dry_run: bool = False,
    batch_size: int = 0,
    command: str = "load",
    progress: Callable[[int, int | None], None] | None = None,
) -> list[LoadResult]:
    """Validate and load record files; a LoadError names the file, record and field.

    batch_size 0: the load is one atomic batch (one transaction): records are read,
    validated and written a chunk at a time (memory stays bounded), and a bad record
    anywhere rolls all of it back. batch_size N: each N records are their own atomic
    batch; a bad record fails its batch and stops the load, and the batches before it stay.
    Inputs whose bytes the warehouse loaded before are skipped unparsed (counted unchanged).
    """
    inputs = [str(p) for p in paths]
    with contextlib.ExitStack() as stack:
        lookup = None if dry_run else stack.enter_context(known_lookup(engine))
        return _load_paths(engine, paths, inputs, RecordReader(lookup), dry_run=dry_run, batch_size=batch_size,
                           command=command, progress=progress)


def _load_paths(engine: sa.Engine, paths: list[Path], inputs: list[str], reader: RecordReader, *, dry_run: bool,
                batch_size: int, command: str, progress: Callable[[int, int | None], None] | None) -> list[LoadResult]:
    try:
        stream = reader.read(paths)
        if dry_run:
            n = sum(1 for _ in stream)
            _require_records(paths, n)
            return [LoadResult(batch_id=dry_run_batch(engine, command, inputs, n), records=n, dry_run=True)]
        first = next(stream, None)  # records are written as they are read (one chunk in memory at a time)
        if first is None:
            _require_records(paths, reader.skipped)
        results = load_records(
            engine,
            itertools.chain([first], stream) if first is not None else (),
            command=command,
            inputs=inputs,
            batch_size=batch_size,
            progress=(lambda n: progress(n, None)) if progress else None,
        )
    except LoadError as exc:
        if exc.batch_id is None:  # failed while reading: load_records has not logged it
            record_failed_batch(engine, new_batch_id(), command, inputs, str(exc))
        raise
    results[0].unchanged += reader.skipped
    results[0].records += reader.skipped
    return results


def _require_records(paths: list[Path], n: int) -> None:
    if n == 0:
        raise LoadError(", ".join(map(str, paths)), "no record files (.json, .jsonl) found")


@dataclass
class RunSummary:
    articles: int = 0
    new_articles: int = 0
    curated_records: int = 0
    extracted_records: int = 0
    unchanged_records: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0


def _records_dirs(paths: list[Path]) -> list[Path]:
    dirs = []
    for p in paths:
        base = p if p.is_dir() else p.parent
        for cand in sorted({base / "records", *(d for d in base.rglob("records") if d.is_dir())}):
            if cand.is_dir() and cand not in dirs:
                dirs.append(cand)
    return dirs


# ``run`` reads, extracts and writes this many articles at a time (one transaction for the whole run).
RUN_CHUNK = 5_000


def _article_chunks(files: list[Path], size: int,
                    progress: Callable[[int, int], None] | None = None) -> Iterator[list[Article]]:
    """The articles of the files, ``size`` at a time (a bad file: WarehouseError naming it)."""
    chunk: list[Article] = []
    for n, f in enumerate(files, start=1):
        articles = iter_articles(f)
        while True:
            try:
                a = next(articles, None)
            except IngestError as exc:
                raise WarehouseError(f"{f}: {exc}") from exc
            if a is None:
                break
            chunk.append(a)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if progress:
            progress(n, len(files))
    if chunk:
        yield chunk


def run(
    db_path: Path, paths: list[Path], *, workers: int = 1, progress: Callable[[str, int, int], None] | None = None,
    extraction_engine=None,
) -> RunSummary:
    """The main job: init if needed, ingest articles, load curated records beside them,
    extract the articles that have no curated record, and count what is there.

    Atomic, with memory bounded whatever the corpus: the curated records are read and validated
    first (nothing is written yet; only their article ids are kept); then, in one transaction
    (one batch), the articles are read and written RUN_CHUNK at a time, the curated records are
    read again and written a chunk at a time, and the articles without a curated record are read
    again, extracted and written RUN_CHUNK at a time. A bad input or a failure anywhere rolls the
    whole run back, with an error naming its file, line or record, and field: nothing of the run
    is written (the failed batch is logged in load_batches); a later run of the fixed folder
    completes.

    ``extraction_engine`` (a ``warehouse.extract.engines.ExtractionEngine``, e.g. a Dask cluster):
    where the articles are extracted; default: ``workers`` local processes.
    """
    t0 = time.perf_counter()
    summary = RunSummary()
    inputs = [str(p) for p in paths]
    with writer(db_path) as engine:
        init_warehouse(engine)
        batch_id = new_batch_id()
        try:
            with engine.begin() as conn:
                files = scan_article_files(paths)
                if not files:
                    raise WarehouseError(
                        f"{', '.join(map(str, paths))}: no article files ({' '.join(ARTICLE_SUFFIXES)}) found")
                rec_dirs = _records_dirs(paths)
                with known_lookup(engine) as lookup:
                    reader = RecordReader(lookup)  # first reading: validate, keep only the article ids
                    curated_parsed = sum(1 for _ in reader.read(rec_dirs)) if rec_dirs else 0
                    curated_ids = reader.article_ids
                    start_batch(conn, batch_id, "run", inputs)
                    batch = _BatchWriter(conn, batch_id)
                    todo: set[str] = set()  # the articles to extract (ids)
                    already = 0
                    read_progress = (lambda n, t: progress("read: files", n, t)) if progress else None
                    for chunk in _article_chunks(files, RUN_CHUNK, read_progress):
                        summary.articles += len(chunk)
                        summary.new_articles += _insert_articles(conn, chunk, batch_id)
                        already += _articles_to_extract(conn, chunk, curated_ids, todo)
                    load = _LoadProgress(progress, curated_parsed + len(todo))
                    if rec_dirs:  # the curated records again, written a chunk at a time
                        it = RecordReader(lookup).read(rec_dirs)
                        while part := list(itertools.islice(it, WRITE_CHUNK)):
                            load.write(batch, part)
                    n_extracted = _extract_and_write(batch, files, todo, workers, progress, load,
                                                     extraction_engine)
                batch.result.rows = {k: v for k, v in batch.rows.items() if v}
                finish_batch(conn, batch_id, "ok", {"articles_new": summary.new_articles, **batch.result.rows})
        except LoadError as exc:
            record_failed_batch(engine, batch_id, "run", inputs, str(exc))
            exc.batch_id = batch_id
            raise
        except WarehouseError as exc:
            record_failed_batch(engine, batch_id, "run", inputs, str(exc))
            raise
        except sa.exc.DBAPIError as exc:
            msg = str(exc.orig or exc).splitlines()[0]
            record_failed_batch(engine, batch_id, "run", inputs, msg)
            raise WarehouseError(f"batch {batch_id} failed and was rolled back: {msg}") from exc
        summary.unchanged_records = batch.result.unchanged + reader.skipped + already
        summary.curated_records = curated_parsed + reader.skipped
        summary.extracted_records = n_extracted + already
        with engine.connect() as conn:
            summary.counts = summary_counts(conn)
    summary.elapsed_s = time.perf_counter() - t0
    return summary


def _articles_to_extract(conn: sa.Connection, articles: list[Article], curated_ids: set[str], todo: set[str]) -> int:
    """Add to ``todo`` the articles of this chunk that have no curated record (read now or loaded
    before) and are not yet (fully) extracted by this extractor version; returns how many were
    skipped as extracted before. The same text in two files is one article."""
    from .extract import EXTRACTOR_NAME, EXTRACTOR_VERSION

    ids = sorted({a.article_id for a in articles} - curated_ids - todo)
    if not ids:
        return 0
    d = duck(conn)
    with registered(d, "_run_ids", pa.table({"article_id": ids})):
        # an article with a curated record (now or loaded before) is never extracted; one extracted
        # before by this very extractor has nothing to redo
        rows = run_sql(d,
            "SELECT x.article_id, x.extractor = 'curated' FROM article_extractions x "
            "SEMI JOIN _run_ids i ON i.article_id = x.article_id "
            "WHERE x.extractor = 'curated' OR (x.extractor = ? AND x.extractor_version = ? "
            "AND NOT starts_with(x.record_sha256, ?))",
            (EXTRACTOR_NAME, EXTRACTOR_VERSION, migrate.STALE_PREFIX),
        ).fetchall()
    curated_before = {a for a, cur in rows if cur}
    done = {a for a, cur in rows if not cur} - curated_before
    skipped = 0
    for a in articles:
        aid = a.article_id
        if aid in curated_ids or aid in curated_before or aid in todo:
            continue
        if aid in done:
            skipped += 1
        else:
            todo.add(aid)
    return skipped


class _LoadProgress:
    """Writes chunks of records, reporting "load: records" (records written of ``total``)."""

    def __init__(self, progress: Callable[[str, int, int], None] | None, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def write(self, batch: _BatchWriter, records: list[SourcedRecord]) -> None:
        report = (lambda n: self.progress("load: records", n, self.total)) if self.progress else None
        batch.write(records, report, self.done)
        self.done += len(records)


def _extract_and_write(batch: _BatchWriter, files: list[Path], todo: set[str], workers: int,
                       progress: Callable[[str, int, int], None] | None, load: _LoadProgress,
                       extraction_engine=None) -> int:
    """Read the files again and extract the articles in ``todo`` RUN_CHUNK at a time, writing
    each chunk's records; returns the records extracted."""
    if not todo:
        return 0
    total, done = len(todo), 0
    remaining = set(todo)
    for chunk in _article_chunks(files, RUN_CHUNK):
        picked = []
        for a in chunk:
            if a.article_id in remaining:
                remaining.discard(a.article_id)
                picked.append(a)
        if not picked:
            continue
        records = _extract(picked, workers,
                           (lambda n, t, s=done: progress("extract: articles", s + n, total)) if progress else None,
                           extraction_engine)
        for lo in range(0, len(records), WRITE_CHUNK):
            load.write(batch, records[lo : lo + WRITE_CHUNK])
        done += len(records)
    return done


def _extract(articles: list[Article], workers: int,
             progress: Callable[[int, int], None] | None = None, extraction_engine=None) -> list[SourcedRecord]:
    if not articles:
        return []
    from pydantic import ValidationError

    from .extract import extract_many

    items = [
        {
            "text": a.cleaned_text,
            "title": a.title,
            "publisher": a.publisher,
            "published": a.published,
            "published_precision": a.published_precision,
            "origin_file": a.origin_file,
            "url": a.url,
        }
        for a in articles
    ]
    try:
        if extraction_engine is None:
            recs = extract_many(items, workers=workers, progress=progress)
        else:
            recs = extraction_engine.extract(items, progress=progress)
    except ValidationError as exc:  # a bug of the extractor's, not the user's: still one line
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"])
        raise WarehouseError(f"the extractor made an invalid record (field {where}: {err['msg']})") from exc
    return [SourcedRecord(f"extracted:{a.origin_file}", 1, r) for a, r in zip(articles, recs, strict=True)]


def record_status(conn: sa.Connection) -> dict[str, int]:
    """Articles by the record the views count, and the records kept but not counted.

    curated / extracted: articles whose current record is curated / an extractor's; without_record:
    articles with no record; superseded: stored records that are not current (an extraction of an
    article that has a curated record, or another extractor's older record), kept for evaluation."""
    from .query import ARTICLES_BY_RECORD_SQL, SUPERSEDED_SQL

    row = conn.exec_driver_sql(ARTICLES_BY_RECORD_SQL).fetchone()
    superseded = conn.exec_driver_sql(SUPERSEDED_SQL).scalar_one()
    return {"curated": row[0], "extracted": row[1], "without_record": row[2], "superseded": superseded}


def summary_counts(conn: sa.Connection) -> dict[str, int]:
    counts = count_rows(conn, list(SUMMARY_TABLES))
    counts.update(record_status(conn))
    counts["denials"] = conn.exec_driver_sql("SELECT count(*) FROM claims WHERE predicate = 'denial'").scalar_one()
    counts["entities_in_articles"] = conn.exec_driver_sql(
        "SELECT count(*) FROM entities e WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = e.entity_id) "
        "OR EXISTS (SELECT 1 FROM claims c WHERE e.entity_id IN (c.claimant_id, c.subject_id, c.object_id))"
    ).scalar_one()
    return counts
