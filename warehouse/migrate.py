"""Alembic, driven from Python: upgrade, downgrade, current, history.

The CLI's ``warehouse db ...`` commands and ``warehouse init`` call these.
"""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from .db import WarehouseError
from .paths import MIGRATIONS_DIR


def alembic_config(engine: sa.Engine | None = None, connection: sa.Connection | None = None) -> Config:
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", str(engine.url))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _run(engine: sa.Engine, direction: str, revision: str) -> None:
    with engine.begin() as conn:
        cfg = alembic_config(engine, conn)
        cfg.attributes["direction"] = direction
        try:
            if direction == "upgrade":
                command.upgrade(cfg, revision)
            else:
                command.downgrade(cfg, revision)
        except CommandError as exc:
            raise WarehouseError(f"{direction} {revision}: {exc}") from exc


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    _run(engine, "upgrade", revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    _run(engine, "downgrade", revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def history() -> list[tuple[str, str | None, str]]:
    """(revision, down_revision, first docstring line), oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    out = []
    for rev in reversed(list(script.walk_revisions())):
        out.append((rev.revision, rev.down_revision, (rev.doc or "").strip().splitlines()[0]))
    return out


def revision_files() -> list[Path]:
    return sorted((MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
