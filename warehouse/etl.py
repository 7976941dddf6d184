"""The ETL jobs behind ``warehouse init``, ``ingest``, ``load`` and ``run``.

Library functions: notebooks, tests and the CLI call these; the CLI only prints.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from . import migrate, refdata, stories, summaries, views
from .bulk import count_rows
from .db import WarehouseError, writer
from .ingest import ARTICLE_SUFFIXES, Article, IngestError, read_articles, scan_article_files, skipped_summary
from .load import (
    LoadError,
    LoadResult,
    RecordReader,
    SourcedRecord,
    dry_run_batch,
    finish_batch,
    known_inputs,
    load_records,
    new_batch_id,
    record_failed_batch,
    start_batch,
    write_records,
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
    if dry_run:
        known = {}
    else:
        with engine.connect() as conn:
            known = known_inputs(conn)
    reader = RecordReader(known)
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


def run(
    db_path: Path, paths: list[Path], *, workers: int = 1, progress: Callable[[str, int, int], None] | None = None
) -> RunSummary:
    """The main job: init if needed, ingest articles, load curated records beside them,
    extract the articles that have no curated record, and count what is there.

    Atomic: every article and curated record is read and validated, and the articles without
    a curated record are extracted, before anything is written; then the articles and all
    records go in as one batch (one transaction). A bad input ends in an error naming its
    file, line or record, and field, with nothing of the run written (the failed batch is
    logged in load_batches); a later run of the fixed folder completes.
    """
    t0 = time.perf_counter()
    summary = RunSummary()
    inputs = [str(p) for p in paths]
    with writer(db_path) as engine:
        init_warehouse(engine)
        batch_id = new_batch_id()
        try:
            articles = read_article_files(paths, (lambda n, t: progress("read: files", n, t)) if progress else None)
            summary.articles = len(articles)
            with engine.connect() as conn:
                reader = RecordReader(known_inputs(conn))
            rec_dirs = _records_dirs(paths)
            curated = list(reader.read(rec_dirs)) if rec_dirs else []
            to_extract, already = _articles_to_extract(engine, articles, reader.article_ids)
            extracted = _extract(to_extract, workers,
                                 (lambda n, t: progress("extract: articles", n, t)) if progress else None)
        except LoadError as exc:
            record_failed_batch(engine, batch_id, "run", inputs, str(exc))
            exc.batch_id = batch_id
            raise
        except WarehouseError as exc:
            record_failed_batch(engine, batch_id, "run", inputs, str(exc))
            raise
        all_records = curated + extracted
        try:
            with engine.begin() as conn:
                start_batch(conn, batch_id, "run", inputs)
                summary.new_articles = _insert_articles(conn, articles, batch_id)
                res = write_records(
                    conn,
                    all_records,
                    batch_id,
                    progress=(lambda n: progress("load: records", n, len(all_records))) if progress else None,
                )
                finish_batch(conn, batch_id, "ok", {"articles_new": summary.new_articles, **res.rows})
        except LoadError as exc:
            record_failed_batch(engine, batch_id, "run", inputs, str(exc))
            exc.batch_id = batch_id
            raise
        except sa.exc.DBAPIError as exc:
            msg = str(exc.orig or exc).splitlines()[0]
            record_failed_batch(engine, batch_id, "run", inputs, msg)
            raise WarehouseError(f"batch {batch_id} failed and was rolled back: {msg}") from exc
        summary.unchanged_records = res.unchanged + reader.skipped + already
        summary.curated_records = len(curated) + reader.skipped
        summary.extracted_records = len(extracted) + already
        with engine.connect() as conn:
            summary.counts = summary_counts(conn)
    summary.elapsed_s = time.perf_counter() - t0
    return summary


def _articles_to_extract(engine: sa.Engine, articles: list[Article], curated_ids: set[str]) -> tuple[list, int]:
    """Articles without a curated record and not yet (fully) extracted by this extractor version;
    and how many were skipped as extracted before."""
    with engine.connect() as conn:  # an article with a curated record (now or loaded before) is never extracted
        curated_before = {r[0] for r in conn.exec_driver_sql(
            "SELECT article_id FROM article_extractions WHERE extractor = 'curated'").fetchall()}
    candidates = [a for a in articles if a.article_id not in curated_ids and a.article_id not in curated_before]
    if not candidates:
        return [], 0
    from .extract import EXTRACTOR_NAME, EXTRACTOR_VERSION

    with engine.connect() as conn:  # extracted before by this very extractor: nothing to redo
        done = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT article_id FROM article_extractions WHERE extractor = ? AND extractor_version = ? "
                "AND NOT starts_with(record_sha256, ?)",
                (EXTRACTOR_NAME, EXTRACTOR_VERSION, migrate.STALE_PREFIX),
            ).fetchall()
        }
    seen: set[str] = set()
    todo = []
    for a in candidates:  # the same text in two files is one article
        if a.article_id not in done and a.article_id not in seen:
            seen.add(a.article_id)
            todo.append(a)
    return todo, len(candidates) - len(todo)


def _extract(articles: list[Article], workers: int,
             progress: Callable[[int, int], None] | None = None) -> list[SourcedRecord]:
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
        recs = extract_many(items, workers=workers, progress=progress)
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
