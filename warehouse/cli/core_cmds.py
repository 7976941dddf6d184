"""Core commands: init, db ..., ingest, load, run, ask, schema.

Imports are lazy: this module loads typer only, and each command imports the library it uses
(pandas, SQLAlchemy, Alembic, pydantic, the ETL), so ``warehouse --help`` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer

from .app import CONNECT_TIMEOUT, ENGINE, SCHEDULER, EngineName, app, db_app, extraction_engine, fail, state

_PKG = __name__.split(".")[0]  # "warehouse"


def _user_error_message(exc: BaseException) -> str | None:
    """The one-line message of an error a user can cause, or None for anything else (a bug).

    The classes are looked up in ``sys.modules``: an exception of a module's class can only
    exist once that module is imported, so no library is imported to recognise its errors.
    """
    db, views = sys.modules.get(f"{_PKG}.db"), sys.modules.get(f"{_PKG}.views")
    mine = tuple(c for c in (db and db.WarehouseError, views and views.ViewFileError) if c)
    if mine and isinstance(exc, mine):
        return str(exc)
    duck, sa_exc = sys.modules.get("duckdb"), sys.modules.get("sqlalchemy.exc")
    driver = tuple(c for c in (duck and duck.Error, sa_exc and sa_exc.DBAPIError) if c)
    if driver and isinstance(exc, driver):
        from ..db import WarehouseError, translate_duckdb_error

        cause = getattr(exc, "orig", None) or exc
        translated = translate_duckdb_error(cause, state.db)
        if isinstance(translated, WarehouseError):
            return str(translated)
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        return f"{state.db}: database error: {first}"  # the real cause, in one line
    return None


@contextmanager
def user_errors(interrupted: str | Callable[[], str] = "interrupted") -> Iterator[None]:
    """Turn the errors a user can cause into one ``Error:`` line and exit 1; Ctrl-C into one line and exit 130.

    ``interrupted``: what to say after Ctrl-C (what was committed), or a function that finds it out.
    typer would turn a KeyboardInterrupt into a silent exit 130, so it is caught here, where it happens.
    """
    try:
        yield
    except KeyboardInterrupt:
        message = interrupted() if callable(interrupted) else interrupted
        typer.echo(f"Error: {message}", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:
        message = _user_error_message(exc)
        if message is None:
            raise
        fail(message)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # load_batches.started_at is naive UTC


def committed_since(since: datetime) -> list[str] | None:
    """Batches committed (outcome ok) since SINCE, oldest first; None when the warehouse cannot be read."""
    try:
        from ..db import open_duckdb

        with open_duckdb(state.db, read_only=True) as con:
            return [r[0] for r in con.execute(
                "SELECT batch_id FROM load_batches WHERE outcome = 'ok' AND started_at >= ? ORDER BY started_at",
                [since]).fetchall()]
    except Exception:  # noqa: BLE001 - a missing, locked or old file: say less
        return None


def interrupted_batches(since: datetime, what: str) -> Callable[[], str]:
    """After Ctrl-C in a writing command: what of it was committed, looked up in load_batches."""

    def message() -> str:
        done = committed_since(since)
        if done is None:
            return f"interrupted; 'warehouse status' shows what the warehouse holds (the {what} may be incomplete)"
        if not done:
            return (f"interrupted; nothing of this {what} was written "
                    "(the warehouse holds what earlier batches committed)")
        shown = ", ".join(done[:3]) + (" ..." if len(done) > 3 else "")
        return (f"interrupted; {len(done)} batch(es) of this {what} were committed before it ({shown}) and stay; "
                "nothing of the interrupted batch was written")

    return message


@contextmanager
def progress_bar(quiet: bool, unit: str = "articles") -> Iterator[Callable[[str, int, int | None], None] | None]:
    """A callback ``update(what, done, total)`` drawing bars on stderr (None when quiet or not a terminal).

    Each bar shows done/total, the rate (UNIT per second), the time spent and the time left; a
    total of None draws a pulsing bar for a phase whose size is unknown. The bars vanish at the end.
    """
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} {unit}/s" if speed else f"- {unit}/s", style="progress.data.speed")

    prog = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        "left",
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, int] = {}

    def update(what: str, done: int, total: int | None) -> None:
        if what not in tasks:
            for other in tasks.values():  # a new phase: the pulsing bar of the one before goes
                if prog.tasks[other].total is None:
                    prog.update(other, visible=False)
            tasks[what] = prog.add_task(what, total=total)
        prog.update(tasks[what], completed=done, total=total)

    prog.start()
    try:
        yield update
    finally:
        prog.stop()


@app.command()
def init() -> None:
    """Create the warehouse (or upgrade it to the latest schema), load reference data, apply views."""
    from .. import etl, migrate
    from ..db import writer

    with user_errors(_INTERRUPTED_SCHEMA), writer(state.db) as engine:
        loaded = etl.init_warehouse(engine)
        rev = migrate.current_revision(engine)
    added = ", ".join(f"{n} {t}" for t, n in loaded.items() if n) or "nothing new"
    typer.echo(f"{state.db}: schema at revision {rev}; reference data: {added}")


_INTERRUPTED_SCHEMA = "interrupted; 'warehouse db current' shows the schema revision the warehouse is at"


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision (default: head).")) -> None:
    """Upgrade the schema to REVISION (default: head)."""
    from .. import migrate
    from ..db import writer

    with user_errors(_INTERRUPTED_SCHEMA), writer(state.db) as engine:
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
    from .. import migrate
    from ..db import writer

    with user_errors(_INTERRUPTED_SCHEMA), writer(state.db) as engine:
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
    from .. import migrate, query

    with user_errors():
        if not state.db.exists():
            fail(f"{state.db}: no warehouse here; run 'warehouse init' first")
        rev = query.current_revision(state.db)
    head = migrate.head_revision()
    typer.echo(f"{rev or 'base'}{' (head)' if rev == head else f' (head is {head})'}")


@db_app.command("history")
def db_history() -> None:
    """List the migrations, oldest first."""
    from .. import migrate

    for rev, down, doc in migrate.history():
        typer.echo(f"{down or 'base'} -> {rev}: {doc}")


QUIET = typer.Option(False, "--quiet", "-q", help="No progress bar (there is none when stderr is not a terminal).")


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Article files (.txt .md .html .jsonl) or folders."),
    quiet: bool = QUIET,
) -> None:
    """Clean and store articles (deduplicated by the hash of their cleaned text)."""
    from .. import etl
    from ..db import writer

    since = _utcnow()
    with progress_bar(quiet) as update, user_errors(interrupted_batches(since, "ingest")), \
            writer(state.db) as engine:
        etl.init_warehouse(engine)
        articles, new, batch = etl.ingest_files(
            engine, paths, progress=(lambda n, t: update("ingest: files", n, t)) if update else None)
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
    quiet: bool = QUIET,
) -> None:
    """Validate extracted records and load them, atomically per batch and idempotently."""
    from .. import etl
    from ..db import writer

    since = _utcnow()
    on_interrupt = "interrupted; nothing was loaded (a dry run writes nothing)" if dry_run else \
        interrupted_batches(since, "load")
    with progress_bar(quiet, unit="records") as update, user_errors(on_interrupt), writer(state.db) as engine:
        etl.init_warehouse(engine)
        results = etl.load_paths(
            engine,
            paths,
            dry_run=dry_run,
            batch_size=batch_size,
            progress=(lambda n, t: update("load: records", n, t)) if update else None,
        )
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
    engine: EngineName = ENGINE,
    scheduler: str = SCHEDULER,
    connect_timeout: float = CONNECT_TIMEOUT,
    quiet: bool = QUIET,
) -> None:
    """The main job: build the warehouse from articles and show the analyst summary."""
    from .. import etl

    where = extraction_engine(engine, scheduler, workers, connect_timeout)
    since = _utcnow()
    with progress_bar(quiet) as update, user_errors(interrupted_batches(since, "run")):
        s = etl.run(state.db, paths, workers=workers, progress=update,  # read: files, extract, load: records
                    extraction_engine=where if where.name != "local" else None)
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


class Format(StrEnum):
    table = "table"
    vertical = "vertical"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def terminal_width() -> int | None:
    """The terminal's width when stdout is a terminal ($COLUMNS wins), else None (a pipe or a file)."""
    if not stdout_is_terminal():
        return None
    import shutil

    return max(20, shutil.get_terminal_size().columns)


def _pick_columns(res, columns: str, what: str):
    """``--columns a,b,c``: only those columns, in that order; an unknown one is one Error line."""
    names = [c.strip() for c in columns.split(",") if c.strip()]
    if not names:
        fail("--columns: give one or more column names, separated by commas")
    unknown = [c for c in names if c not in res.columns]
    if unknown:
        fail(f"--columns: {what} has no column {unknown[0]!r}; its columns: {', '.join(res.columns)}")
    return res.select(names)


def _emit(res, fmt: Format, title: str | None) -> None:
    """Print rows: at a terminal a table if every row fits on one line, else one block per row;
    in a pipe (or a file) the table format is tab-separated values."""
    from .. import query

    width = terminal_width()
    if fmt is Format.table:
        if width is None:
            fmt = Format.tsv
        else:
            widths = query.table_fits(res.columns, res.rows, width)
            if widths is not None:
                typer.echo(query.text_table(res.columns, res.types, res.rows, widths, title=title), nl=False)
                return
            fmt = Format.vertical
    typer.echo(query.render_rows(res.columns, res.rows, fmt.value, width=width, title=title), nl=False)


@app.command()
def ask(
    name: str = typer.Argument(None, help="A view name; omit it to list the views and their questions."),
    where: str = typer.Option(None, "--where", help="SQL predicate on the view's columns."),
    fmt: Format = typer.Option(
        Format.table, "--format", "-f",
        help="table (the default: a table or blocks at a terminal, tsv in a pipe), vertical (always the "
        "blocks), tsv, csv, json (a list of objects), jsonl (one object a line) or markdown.",
    ),
    limit: int = typer.Option(None, "--limit", "-n", min=0, help="At most N rows."),
    columns: str = typer.Option(
        None, "--columns", "-c", help="Only these columns, in this order, comma-separated: e.g. "
        "-c item_category,reports"
    ),
) -> None:
    """Answer an analyst question from a canned view (the database is opened read-only).

    At a terminal: a table when every row fits the width, else one block of 'column: value' lines per row.

    Piped or redirected: plain tab-separated values, a header line and one line per row.

    In tsv a NULL is an empty cell; a tab, newline or backslash in a cell is written \\t, \\n or \\\\.

    JSON and JSONL hold null for NULL, NaN and Infinity; lists and structs are JSON in every format.
    """
    from .. import query

    with user_errors("interrupted (asking only reads: nothing was written)"):
        if name is None:
            views = query.list_views()
            keys = ["view", "question", "grain", "columns"]
            res = query.Rows(keys, ["VARCHAR"] * 4, [tuple(v[k] for k in keys) for v in views])
            if fmt is Format.table:
                res = res.select(keys[:3])
                if terminal_width() is not None:  # a few short columns: a table that wraps the questions
                    from rich.console import Console

                    Console().print(query.rich_table_rows(res.columns, res.rows))
                    return
        else:
            res = query.ask_rows(state.db, name, where=where, limit=limit)
        if columns is not None:
            res = _pick_columns(res, columns, f"view {name}" if name else "the view list")
        _emit(res, fmt, name)


@app.command()
def status() -> None:
    """What the warehouse holds: schema revision, articles by current record, superseded records, batches."""
    from .. import query

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
    from ..records import json_schema_text

    text = json_schema_text()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")
