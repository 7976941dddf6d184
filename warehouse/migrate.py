"""Alembic, driven from Python: upgrade, downgrade, current, history.

The CLI's ``warehouse db ...`` commands and ``warehouse init`` call these.
"""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from .db import WarehouseError
from .paths import MIGRATIONS_DIR
from .schema import STALE_PREFIX  # noqa: F401  (migrate.STALE_PREFIX: what a stale record's hash starts with)


def alembic_config(engine: sa.Engine | None = None, connection: sa.Connection | None = None) -> Config:
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", str(engine.url))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


# A record counts as unchanged on re-load only when its facts are fully in the warehouse at the
# current schema (load.py compares record_sha256). A downgrade drops fact tables or columns,
# and an upgrade through a revision that adds fact tables (``invalidates_records = True`` in
# the revision file) leaves earlier loads incomplete: both mark every stored extraction stale,
# so the next load or run writes each record again in full.


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def known_revisions() -> set[str]:
    return {rev.revision for rev in _script().walk_revisions()}


def _stored_revision(conn: sa.Connection) -> str | None:
    # read directly: alembic's MigrationContext needs the DuckDB impl that only env.py registers
    has = conn.exec_driver_sql(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'alembic_version'"
    ).scalar_one()
    if not has:
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def check_known_revision(conn: sa.Connection) -> str | None:
    """The warehouse's revision, or WarehouseError when a newer geo-warehouse wrote it."""
    rev = _stored_revision(conn)
    if rev is not None and rev not in known_revisions():
        raise WarehouseError(
            f"this warehouse was written by a newer geo-warehouse (schema revision {rev}; this version "
            f"knows revisions up to {head_revision()}): upgrade geo-warehouse to use it"
        )
    return rev


def _revisions_between(lower: str | None, upper: str | None) -> list:
    """Revision scripts after ``lower`` up to and including ``upper`` (None: base)."""
    if upper is None:
        return []
    out = []
    for rev in _script().iterate_revisions(upper, lower or "base"):
        if rev.revision == lower:
            break
        out.append(rev)
    return out


def mark_extractions_stale(conn: sa.Connection, reason: str) -> int:
    """Every stored extraction is to be written again by the next load (see STALE_PREFIX)."""
    cols = {
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'article_extractions'"
        ).fetchall()
    }
    if not cols:
        return 0
    sets = "record_sha256 = ?" + (", input_sha256 = NULL" if "input_sha256" in cols else "")
    return conn.exec_driver_sql(f"UPDATE article_extractions SET {sets}", (STALE_PREFIX + reason,)).rowcount


def _alembic(conn: sa.Connection, engine: sa.Engine, direction: str, revision: str) -> None:
    cfg = alembic_config(engine, conn)
    cfg.attributes["direction"] = direction
    try:
        if direction == "upgrade":
            command.upgrade(cfg, revision)
        else:
            command.downgrade(cfg, revision)
    except CommandError as exc:
        raise WarehouseError(f"{direction} {revision}: {exc}") from exc


def _run(engine: sa.Engine, direction: str, revision: str) -> None:
    with engine.begin() as conn:
        before = check_known_revision(conn)
        _alembic(conn, engine, direction, revision)
        after = _stored_revision(conn)
        if before == after:
            return
        if direction == "downgrade":
            mark_extractions_stale(conn, f"downgraded-to-{after or 'base'}")
        elif before is not None and any(
            getattr(rev.module, "invalidates_records", False) for rev in _revisions_between(before, after)
        ):
            mark_extractions_stale(conn, f"upgraded-from-{before}")


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    _run(engine, "upgrade", revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    _run(engine, "downgrade", revision)


def table_rows(conn: sa.Connection) -> dict[str, int]:
    """Base table -> row count (views excluded)."""
    names = [
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = 'main' ORDER BY table_name"
        ).fetchall()
    ]
    return {n: conn.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar_one() for n in names}


def downgrade_plan(engine: sa.Engine, revision: str) -> tuple[str | None, str | None, dict[str, int]]:
    """(from revision, to revision, tables dropped -> rows they hold) of a downgrade, without doing it.

    The downgrade is run inside a transaction that is rolled back (DuckDB's DDL is
    transactional), so the plan is exactly what the revision scripts would drop.
    """
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            before = check_known_revision(conn)
            rows = table_rows(conn)
            _alembic(conn, engine, "downgrade", revision)
            after = _stored_revision(conn)
            remaining = set(table_rows(conn))
        finally:
            trans.rollback()
    dropped = {t: n for t, n in rows.items() if t not in remaining and t != "alembic_version"}
    return before, after, dropped


def head_revision() -> str:
    return _script().get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return _stored_revision(conn)


def history() -> list[tuple[str, str | None, str]]:
    """(revision, down_revision, first docstring line), oldest first."""
    script = _script()
    out = []
    for rev in reversed(list(script.walk_revisions())):
        out.append((rev.revision, rev.down_revision, (rev.doc or "").strip().splitlines()[0]))
    return out


def revision_files() -> list[Path]:
    return sorted((MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
