"""Opening the warehouse file: engines, read-only connections, the "in use" error.

DuckDB allows one read-write process per file and that process blocks readers too,
so query paths open read-only and close promptly, and a second writer gets a
``WarehouseBusy`` error that the CLI prints as one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import sqlalchemy as sa
from sqlalchemy.engine import Engine


class WarehouseError(Exception):
    """A problem the user can fix; the CLI prints it as one ``Error:`` line."""


class WarehouseBusy(WarehouseError):
    pass


class WarehouseMissing(WarehouseError):
    pass


_LOCK_PATTERNS = re.compile(
    r"Could not set lock|Conflicting lock|database is locked|being used by another", re.IGNORECASE
)


def busy_message(path: Path) -> str:
    return f"{path}: the database is in use by another process; try again when it has finished"


def translate_duckdb_error(exc: BaseException, path: Path) -> BaseException:
    """Lock conflicts become WarehouseBusy; anything else is returned unchanged."""
    if _LOCK_PATTERNS.search(str(exc)):
        return WarehouseBusy(busy_message(path))
    return exc


@contextmanager
def open_duckdb(path: str | Path, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A plain DuckDB connection, read-only by default, closed on exit."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(f"{path}: no warehouse here; run 'warehouse init' or 'warehouse run seeds/' first")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise translate_duckdb_error(exc, path) from exc
    try:
        yield con
    finally:
        con.close()


# New warehouse files are written in a storage format that the DuckDB 1.5 command-line
# client (PyPI: duckdb-cli, the newest CLI there) can open: the Python package is 2.0,
# whose default format the 1.5 CLI refuses ("database file with version number 69").
STORAGE_COMPATIBILITY = "v1.5.0"


def make_engine(path: str | Path, read_only: bool = False) -> Engine:
    """A SQLAlchemy engine on the file (duckdb_engine); one pooled connection."""
    path = Path(path)
    connect_args: dict = {"read_only": True} if read_only else {}
    if not read_only and not path.exists():
        connect_args["config"] = {"storage_compatibility_version": STORAGE_COMPATIBILITY}
    return sa.create_engine(f"duckdb:///{path}", connect_args=connect_args, poolclass=sa.pool.SingletonThreadPool)


@contextmanager
def writer(path: str | Path) -> Iterator[Engine]:
    """The read-write engine for the duration of a command; busy files raise WarehouseBusy."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise WarehouseError(f"{path}: folder {path.parent} does not exist")
    engine = make_engine(path)
    try:
        try:
            with engine.connect():
                pass
        except sa.exc.DBAPIError as exc:
            raise translate_duckdb_error(exc.orig or exc, path) from exc
        yield engine
    finally:
        engine.dispose()
