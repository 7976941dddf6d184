"""Bulk writes into DuckDB through pandas frames (executemany is very slow in DuckDB).

Inside a SQLAlchemy transaction, ``conn.connection.driver_connection`` is the same DuckDB
connection, so frames registered on it are inserted (and rolled back) with the
transaction. DuckDB finds a DataFrame by name only in the calling frame, so frames are
register()ed explicitly under a unique name and unregistered afterwards.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa


def duck(conn: sa.Connection):
    """The DuckDB connection behind a SQLAlchemy connection (same transaction)."""
    return conn.connection.driver_connection


def insert_new(conn: sa.Connection, table: str, frame: pd.DataFrame, key: list[str]) -> int:
    """Insert the rows of ``frame`` whose key is not in ``table`` yet; returns rows inserted.

    Rows with the same key inside the frame are reduced to the first. Columns are
    matched by name; the table's other columns get their defaults (NULL).
    """
    if frame.empty:
        return 0
    frame = frame.drop_duplicates(subset=key, keep="first")
    name = f"_frame_{table}"
    d = duck(conn)
    d.register(name, frame)
    try:
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        on = " AND ".join(f't."{k}" IS NOT DISTINCT FROM f."{k}"' for k in key)
        sql = (
            f"INSERT INTO {table} ({cols}) SELECT {', '.join(f'f.{c}' for c in cols.split(', '))} "
            f"FROM {name} f WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on})"
        )
        return conn.exec_driver_sql(sql).rowcount
    finally:
        d.unregister(name)


def count_rows(conn: sa.Connection, tables: list[str]) -> dict[str, int]:
    return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in tables}
