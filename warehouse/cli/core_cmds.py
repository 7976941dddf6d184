"""Core commands: init, db ..., ingest, load, run, ask, schema."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import duckdb
import sqlalchemy as sa
import typer

from .. import etl, migrate, query
from ..db import WarehouseError, translate_duckdb_error, writer
from ..records import json_schema_text
from ..views import ViewFileError
from .app import app, db_app, fail, state


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into one ``Error:`` line and exit 1."""
    try:
        yield
    except (WarehouseError, ViewFileError) as exc:
        fail(str(exc))
    except (duckdb.Error, sa.exc.DBAPIError) as exc:
        cause = getattr(exc, "orig", None) or exc
        translated = translate_duckdb_error(cause, state.db)
        if isinstance(translated, WarehouseError):
            fail(str(translated))
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        fail(f"{state.db}: database error: {first}")  # the real cause, in one line


def _progress(quiet: bool):
    """A progress callback drawing a bar on stderr, or None when quiet / not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    prog = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, int] = {}

    def update(what: str, done: int, total: int) -> None:
        if what not in tasks:
            tasks[what] = prog.add_task(what, total=total)
        prog.update(tasks[what], completed=done)

    return prog, update


@app.command()
def init() -> None:
    """Create the warehouse (or upgrade it to the latest schema), load reference data, apply views."""
    with user_errors(), writer(state.db) as engine:
        loaded = etl.init_warehouse(engine)
        rev = migrate.current_revision(engine)
    added = ", ".join(f"{n} {t}" for t, n in loaded.items() if n) or "nothing new"
    typer.echo(f"{state.db}: schema at revision {rev}; reference data: {added}")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision (default: head).")) -> None:
    """Upgrade the schema to REVISION (default: head)."""
    with user_errors(), writer(state.db) as engine:
        migrate.upgrade(engine, revision)
        typer.echo(f"{state.db}: at revision {migrate.current_revision(engine)}")


def interactive() -> bool:
    """May we ask a question? Only with a terminal on both stdin and stdout (never in CI or a pipe)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@db_app.command("downgrade")
def db_downgrade(
    revision: str = typer.Argument(..., help="Target revision, e.g. 0001 or base."),
    yes: bool = typer.Option(
        False, "--yes", "-y", help="Drop the tables without asking (needed when not at a terminal)."
    ),
) -> None:
    """Downgrade the schema to REVISION ('base' removes every table); asks first when data would be lost."""
    with user_errors(), writer(state.db) as engine:
        before, after, dropped = migrate.downgrade_plan(engine, revision)
        if before == after:
            typer.echo(f"{state.db}: already at revision {after or 'base'}")
            return
        losing = {t: n for t, n in dropped.items() if n}
        if losing and not yes:
            what = ", ".join(f"{t} ({n:,} rows)" for t, n in sorted(losing.items()))
            plan = f"downgrade {before} -> {after or 'base'} drops {len(dropped)} tables holding data: {what}"
            if not interactive():
                fail(f"{state.db}: {plan}; re-run with --yes to confirm")
            typer.echo(f"{state.db}: {plan}", err=True)
            if not typer.confirm("Drop them?", default=False, err=True):
                fail("downgrade cancelled; nothing changed")
        migrate.downgrade(engine, revision)
        typer.echo(f"{state.db}: at revision {migrate.current_revision(engine) or 'base'}"
                   + (f" (dropped {len(dropped)} tables)" if dropped else ""))


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the warehouse."""
    with user_errors():
        if not state.db.exists():
            fail(f"{state.db}: no warehouse here; run 'warehouse init' first")
        rev = query.current_revision(state.db)
    head = migrate.head_revision()
    typer.echo(f"{rev or 'base'}{' (head)' if rev == head else f' (head is {head})'}")


@db_app.command("history")
def db_history() -> None:
    """List the migrations, oldest first."""
    for rev, down, doc in migrate.history():
        typer.echo(f"{down or 'base'} -> {rev}: {doc}")


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Article files (.txt .md .html .jsonl) or folders."),
) -> None:
    """Clean and store articles (deduplicated by the hash of their cleaned text)."""
    with user_errors(), writer(state.db) as engine:
        etl.init_warehouse(engine)
        articles, new, batch = etl.ingest_files(engine, paths)
    typer.echo(etl.ingest_summary(articles, new, batch))


@app.command()
def load(
    paths: list[Path] = typer.Argument(..., help="Record files (.json, .jsonl) or folders of them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate only; write nothing but the batch log."),
    batch_size: int = typer.Option(
        0,
        "--batch-size",
        min=0,
        help="Records per atomic batch (one transaction each); a bad record stops the load and earlier "
        "batches stay (0: the whole load is one batch, all or nothing).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Validate extracted records and load them, atomically per batch and idempotently."""
    prog, update = _progress(quiet)
    with user_errors(), writer(state.db) as engine:
        etl.init_warehouse(engine)
        if prog:
            prog.start()
        try:
            results = etl.load_paths(
                engine,
                paths,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=(lambda n, t: update("load", n, t)) if update else None,
            )
        finally:
            if prog:
                prog.stop()
    records = sum(r.records for r in results)
    if dry_run:
        typer.echo(f"valid: {records} records (dry run, nothing loaded)")
        return
    unchanged = sum(r.unchanged for r in results)
    rows: dict[str, int] = {}
    for r in results:
        for t, n in r.rows.items():
            rows[t] = rows.get(t, 0) + n
    new_entities = sorted({e for r in results for e in r.new_entities})
    detail = ", ".join(f"{t} +{n}" for t, n in rows.items()) or "no new rows"
    typer.echo(f"loaded {records} records ({unchanged} unchanged) in {len(results)} batch(es): {detail}")
    if new_entities:
        shown = ", ".join(new_entities[:8]) + (" ..." if len(new_entities) > 8 else "")
        typer.echo(f"new entities flagged for review: {len(new_entities)} ({shown})")


@app.command()
def run(
    paths: list[Path] = typer.Argument(..., help="Folders or files of articles; records/ beside them is loaded."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for extraction."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """The main job: build the warehouse from articles and show the analyst summary."""
    prog, update = _progress(quiet)
    with user_errors():
        if prog:
            prog.start()
        try:
            s = etl.run(state.db, paths, workers=workers, progress=update)
        finally:
            if prog:
                prog.stop()
    c = s.counts
    typer.echo(f"warehouse: {state.db}")
    typer.echo(
        f"articles:   {c['articles']:>6}  ({s.new_articles} new; {s.curated_records} curated records, "
        f"{s.extracted_records} extracted, {s.unchanged_records} unchanged)"
    )
    typer.echo(
        f"records:    {c['curated']:>6} curated, {c['extracted']} extracted, {c['superseded']} superseded "
        "(kept, not counted)"
    )
    seen = c["entities_in_articles"]
    typer.echo(f"entities:   {c['entities']:>6}  ({seen} seen in articles, the rest reference data)")
    for name in ("claims", "transfers", "agreements", "denials"):
        typer.echo(f"{name + ':':<11} {c[name]:>6}")
    typer.echo(f"elapsed:    {s.elapsed_s:>6.2f} s")
    if not quiet:
        typer.echo("next: warehouse ask            (the canned questions)")


def _console():
    """A terminal uses its own width; piped output gets room for wide views."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=400)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


@app.command()
def ask(
    name: str = typer.Argument(None, help="A view name; omit it to list the views and their questions."),
    where: str = typer.Option(None, "--where", help="SQL predicate on the view's columns."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv, json or markdown."),
    limit: int = typer.Option(None, "--limit", "-n", min=0, help="At most N rows."),
) -> None:
    """Answer an analyst question from a canned view (the database is opened read-only)."""
    with user_errors():
        if name is None:
            rows = query.list_views()
            if fmt is Format.table:
                from rich.table import Table

                table = Table("view", "question", "grain")
                for v in rows:
                    table.add_row(v["view"], v["question"], v["grain"])
                _console().print(table)
            else:
                typer.echo(query.render(query.frame(rows), fmt.value), nl=False)
            return
        df = query.ask(state.db, name, where=where, limit=limit)
    if fmt is Format.table:
        _console().print(query.rich_table(df, title=name))
    else:
        typer.echo(query.render(df, fmt.value), nl=False)


@app.command()
def status() -> None:
    """What the warehouse holds: schema revision, articles by current record, superseded records, batches."""
    with user_errors():
        if not state.db.exists():
            fail(f"{state.db}: no warehouse here; run 'warehouse init' or 'warehouse run seeds/' first")
        s = query.status(state.db)
    typer.echo(f"warehouse:  {state.db} (schema {s['revision'] or 'base'})")
    typer.echo(f"articles:   {s['articles']:>6}  ({s['curated']} curated, {s['extracted']} extracted, "
               f"{s['without_record']} without a record)")
    typer.echo(f"superseded: {s['superseded']:>6}  records kept for evaluation, counted by no view")
    typer.echo(f"batches:    {s['batches']:>6}  ({s['failed_batches']} failed; last {s['last_batch'] or '-'})")


@app.command("schema")
def schema_cmd(
    out: Path = typer.Option(None, "--out", help="Write the record JSON Schema to this file."),
) -> None:
    """Print (or write) the JSON Schema of the extracted-record format."""
    text = json_schema_text()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")
