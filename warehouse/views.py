"""The canned analyst views: sql/views/NAME.sql, one CREATE OR REPLACE VIEW per file.

Each file opens with a header comment::

    -- question: Which transfers are reported, by whom, with what figures?
    -- grain: one row per reported transfer
    -- columns: transfer_id, claim_id, ...

Views are plain SQL that run in the duckdb CLI (no Python functions). They are applied
in dependency order by ``warehouse init`` and after every migration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

import sqlalchemy as sa

from .paths import BASE_VIEWS_DIR, VIEWS_DIR
from .schema import metadata

_HEADER = re.compile(r"^--\s*(question|grain|columns):\s*(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class View:
    name: str
    path: Path
    sql: str
    question: str
    grain: str
    columns: str

    def references(self, names: set[str]) -> set[str]:
        body = re.sub(r"--[^\n]*", "", self.sql)
        return {n for n in names if n != self.name and re.search(rf"\b{re.escape(n)}\b", body)}


class ViewFileError(ValueError):
    pass


@cache
def load_views(folder: Path = VIEWS_DIR) -> tuple[View, ...]:
    views = []
    for path in sorted(folder.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        header = {k: v.strip() for k, v in _HEADER.findall(sql)}
        missing = {"question", "grain", "columns"} - header.keys()
        if missing:
            raise ViewFileError(f"{path}: header comment lacks {', '.join(sorted(missing))}")
        if not re.search(rf"create\s+or\s+replace\s+view\s+{re.escape(path.stem)}\b", sql, re.IGNORECASE):
            raise ViewFileError(f"{path}: must CREATE OR REPLACE VIEW {path.stem}")
        views.append(View(path.stem, path, sql, header["question"], header["grain"], header["columns"]))
    return tuple(views)


@cache
def base_views(folder: Path = BASE_VIEWS_DIR) -> tuple[View, ...]:
    """The helper views in sql/base (current_claims, current_mentions): applied before the canned
    views, which read through them; not analyst questions, so no header and not listed by ``ask``."""
    out = []
    for path in sorted(folder.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        if not re.search(rf"create\s+or\s+replace\s+view\s+{re.escape(path.stem)}\b", sql, re.IGNORECASE):
            raise ViewFileError(f"{path}: must CREATE OR REPLACE VIEW {path.stem}")
        out.append(View(path.stem, path, sql, "", "", ""))
    return tuple(out)


def ordered_views(views: tuple[View, ...] | None = None) -> list[View]:
    """Views sorted so that each comes after the views it reads."""
    views = views if views is not None else load_views()
    by_name = {v.name: v for v in views}
    graph = {v.name: v.references(set(by_name)) for v in views}
    return [by_name[n] for n in TopologicalSorter(graph).static_order()]


def _existing_tables(connection: sa.Connection) -> set[str]:
    rows = connection.exec_driver_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
    ).fetchall()
    return {r[0] for r in rows}


def _outdated_tables(connection: sa.Connection) -> set[str]:
    """Tables present but without every column the head schema gives them (an older revision)."""
    rows = connection.exec_driver_sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall()
    have: dict[str, set[str]] = {}
    for t, c in rows:
        have.setdefault(t, set()).add(c)
    return {name for name, table in metadata.tables.items()
            if name in have and not set(table.c.keys()) <= have[name]}


def apply_views(connection: sa.Connection, missing_ok: bool = False) -> list[str]:
    """CREATE OR REPLACE every view; with missing_ok, skip views whose tables are absent or
    lack columns of the head schema (an intermediate migration). Returns the names applied."""
    tables = set(metadata.tables)
    present = _existing_tables(connection) - (_outdated_tables(connection) if missing_ok else set())
    applied: list[str] = []
    skipped: set[str] = set()
    all_names = {v.name for v in load_views()} | {v.name for v in base_views()}
    for view in [*ordered_views(base_views()), *ordered_views()]:
        needs = view.references(tables)
        if missing_ok and (needs - present or view.references(all_names) & skipped):
            skipped.add(view.name)
            continue
        connection.exec_driver_sql(view.sql)
        applied.append(view.name)
    return applied


def drop_views(connection: sa.Connection) -> None:
    for view in [*reversed(ordered_views()), *reversed(ordered_views(base_views()))]:
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {view.name}")
