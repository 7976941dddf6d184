"""Read-only access for analysts: the canned views as pandas frames, and renderers.

Notebooks and ``warehouse ask`` use these. Every function opens the warehouse
read-only and closes it before returning, so a running load is never blocked for long
and asking never changes the file.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .db import WarehouseError, open_duckdb
from .paths import default_db_path
from .views import load_views

if TYPE_CHECKING:
    import duckdb


def list_views() -> list[dict]:
    return [{"view": v.name, "question": v.question, "grain": v.grain, "columns": v.columns} for v in load_views()]


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def view_names() -> list[str]:
    return [v.name for v in load_views()]


class PredicateError(WarehouseError):
    """A ``--where`` that is not one boolean expression on a view's columns."""


def parse_predicate(where: str) -> duckdb.Expression:
    """``where`` as one SQL expression, parsed by DuckDB's own parser, or PredicateError.

    Refused: stacked statements (``;``), comments (``--`` or ``/* */``, which could swallow
    what follows), and anything DuckDB does not parse as exactly one expression. The
    expression is then attached to the query as a parsed node (``relation.filter``), never
    pasted into SQL text. What it may call is limited by the sandboxed connection
    (``db.SANDBOX_CONFIG``): even a subquery over ``read_text`` cannot reach a file.
    """
    import duckdb

    text = where.strip()
    if not text:
        raise PredicateError("--where: empty predicate")
    if "\x00" in text:
        raise PredicateError("--where: NUL character in the predicate")
    try:
        tokens = duckdb.tokenize(text)
    except duckdb.Error as exc:
        raise PredicateError(f"--where: not a SQL expression: {_first_line(exc)}") from exc
    for start, kind in tokens:
        if kind == duckdb.token_type.comment:
            raise PredicateError(f"--where: comments are not allowed (at character {start + 1})")
        if kind == duckdb.token_type.operator and text[start] == ";":
            raise PredicateError(f"--where: one expression only, ';' found at character {start + 1}")
    try:
        return duckdb.SQLExpression(text)
    except (duckdb.Error, RuntimeError, ValueError) as exc:
        raise PredicateError(f"--where: not a single SQL expression: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def ask(db: Path | str | None, name: str, where: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Rows of the canned view NAME, optionally filtered by one boolean SQL expression.

    The view name must be a canned view and ``where`` one expression (``parse_predicate``);
    the query runs on a sandboxed read-only connection (``open_duckdb``).
    """
    import duckdb

    if name not in view_names():
        raise WarehouseError(f"unknown view {name!r}; 'warehouse ask' lists the views")
    predicate = parse_predicate(where) if where is not None else None
    if limit is not None and limit < 0:
        raise WarehouseError("--limit must be 0 or more")
    db = Path(db) if db is not None else default_db_path()
    with open_duckdb(db, read_only=True) as con:
        try:
            rel = con.sql(f'SELECT * FROM "{name}"')
            if predicate is not None:
                rel = rel.filter(predicate)
            if limit is not None:
                rel = rel.limit(int(limit))
            return rel.df()
        except duckdb.Error as exc:
            raise WarehouseError(f"view {name}: {_first_line(exc)}") from exc


def sql_frame(db: Path | str | None, sql: str, params: list | None = None, what: str = "query") -> pd.DataFrame:
    """Run read-only SQL against the warehouse and return a DataFrame.

    The connection is sandboxed (``open_duckdb``): the SQL sees the warehouse and nothing else,
    cannot write, attach, install or load extensions, or touch any file.
    """
    import duckdb

    db = Path(db) if db is not None else default_db_path()
    with open_duckdb(db, read_only=True) as con:
        try:
            return con.execute(sql, params or []).df()
        except duckdb.Error as exc:
            raise WarehouseError(f"{what}: {_first_line(exc)}") from exc


# articles whose current record is curated / an extractor's / none; stored records that are not current
ARTICLES_BY_RECORD_SQL = (
    "SELECT count(*) FILTER (WHERE r.extractor = 'curated'), count(*) FILTER (WHERE r.extractor <> 'curated'), "
    "count(*) FILTER (WHERE r.article_id IS NULL) FROM articles a LEFT JOIN current_records r USING (article_id)"
)
SUPERSEDED_SQL = (
    "SELECT count(*) FROM article_extractions x ANTI JOIN current_records r "
    "ON r.article_id = x.article_id AND r.extractor = x.extractor"
)


def status(db: Path | str | None) -> dict:
    """The warehouse at a glance (read-only): revision, articles by current record, superseded, batches."""
    db = Path(db) if db is not None else default_db_path()
    with open_duckdb(db, read_only=True) as con:
        def one(sql: str):
            return con.execute(sql).fetchone()

        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        rev = one("SELECT version_num FROM alembic_version")[0] if "alembic_version" in tables else None
        if "current_records" not in tables:
            raise WarehouseError(f"{db}: schema {rev or 'base'} is older than this geo-warehouse; run 'warehouse init'")
        cur, ext, none = one(ARTICLES_BY_RECORD_SQL)
        superseded = one(SUPERSEDED_SQL)[0]
        batches, failed, last = one("SELECT count(*), count(*) FILTER (WHERE outcome = 'failed'), "
                                    "max(started_at)::VARCHAR FROM load_batches")
    return {"revision": rev, "articles": cur + ext + none, "curated": cur, "extracted": ext, "without_record": none,
            "superseded": superseded, "batches": batches, "failed_batches": failed, "last_batch": last}


def current_revision(db: Path) -> str | None:
    with open_duckdb(db, read_only=True) as con:
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'alembic_version'"
        ).fetchone()[0]
        if not has:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


# ---------------------------------------------------------------- rendering


def _plain(value):
    """A JSON-friendly Python value for one cell (lists, structs, dates, NaN)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and +-Infinity are not JSON
    if isinstance(value, datetime | date | pd.Timestamp):
        if isinstance(value, datetime) and value == datetime(value.year, value.month, value.day):
            return value.date().isoformat()  # DATE columns arrive as midnight timestamps
        return value.isoformat()
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value) if abs(value) < 2**53 else value
    if hasattr(value, "item"):
        return _plain(value.item())
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def records(df: pd.DataFrame) -> list[dict]:
    return [{c: _plain(v) for c, v in zip(df.columns, row, strict=True)} for row in df.itertuples(index=False)]


def _cell_text(value) -> str:
    v = _plain(value)
    if v is None:
        return ""
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def render(df: pd.DataFrame, fmt: str) -> str:
    """csv, json (a list of objects) or markdown; lists and structs as JSON in csv/markdown."""
    if fmt == "json":
        return json.dumps(records(df), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "csv":
        text = df.copy()
        for c in text.columns:
            text[c] = [_cell_text(v) for v in df[c]]
        buf = io.StringIO()
        text.to_csv(buf, index=False)
        return buf.getvalue()
    if fmt == "markdown":

        def esc(s: str) -> str:
            return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = [
            "| " + " | ".join(esc(str(c)) for c in df.columns) + " |",
            "| " + " | ".join("---" for _ in df.columns) + " |",
        ]
        for row in df.itertuples(index=False):
            lines.append("| " + " | ".join(esc(_cell_text(v)) for v in row) + " |")
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def rich_table(df: pd.DataFrame, title: str | None = None):
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in df.columns:
        table.add_column(str(c), overflow="fold")
    for row in df.itertuples(index=False):
        table.add_row(*(_cell_text(v) for v in row))
    table.caption = f"{len(df)} row{'s' if len(df) != 1 else ''}"
    return table
