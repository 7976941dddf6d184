"""Alembic environment for the DuckDB warehouse.

Alembic ships no 'duckdb' implementation (KeyError: 'duckdb'), so one is registered
here. Revisions are written by hand: autogenerate is unreliable with duckdb_engine.
The canned views (sql/views) are re-applied after every upgrade and dropped before a
downgrade, so they always match the tables they read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context
from alembic.ddl.impl import DefaultImpl


class DuckDBImpl(DefaultImpl):
    __dialect__ = "duckdb"
    transactional_ddl = True


def run_migrations_online() -> None:
    from warehouse import views

    config = context.config
    connection = config.attributes.get("connection")
    owns = connection is None
    if owns:
        engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
        connection = engine.connect()
    try:
        context.configure(connection=connection, target_metadata=None, transaction_per_migration=False)
        with context.begin_transaction():
            if config.attributes.get("direction") == "downgrade":
                views.drop_views(connection)
            context.run_migrations()
            if config.attributes.get("direction") == "upgrade":
                views.apply_views(connection, missing_ok=True)
    finally:
        if owns:
            connection.close()
            engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) mode is not supported for the DuckDB warehouse")
run_migrations_online()
