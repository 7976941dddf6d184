"""Opening the warehouse file: engines, read-only connections, the "in use" error.

DuckDB allows one read-write process per file and that process blocks readers too,
so query paths open read-only and close promptly, and a second writer gets a
``WarehouseBusy`` error that the CLI prints as one line.
"""

from __future__ import annotations

import os
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


# Every read-only connection is a sandbox: no file but the warehouse itself can be read or
# written (COPY, read_text, read_csv, ATTACH, EXPORT), no extension can be installed or loaded
# (so nothing reaches the network), and the configuration is locked so no statement can undo
# this. DuckDB applies these settings at connect time, before any SQL runs.
SANDBOX_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}

_DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
_SQLITE_MAGIC = b"SQLite format 3\x00"


def check_warehouse_file(path: Path, *, for_write: bool) -> None:
    """Refuse, in one line, a path that cannot be (or become) a DuckDB warehouse.

    A folder, an empty file, a text file, a SQLite database, a missing or read-only folder:
    each is a user mistake with its own message, never a DuckDB traceback.
    """
    if path.is_dir():
        raise WarehouseError(f"{path}: is a folder, not a warehouse file (give a file path with --db)")
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise WarehouseError(f"{path}: cannot read the warehouse file: {exc.strerror}") from exc
        if not head:
            raise WarehouseError(f"{path}: empty file, not a DuckDB warehouse (remove it or choose another --db)")
        if head.startswith(_SQLITE_MAGIC):
            raise WarehouseError(f"{path}: is a SQLite database, not a DuckDB warehouse")
        if len(head) < 12 or head[8:12] != _DUCKDB_MAGIC:
            raise WarehouseError(f"{path}: not a DuckDB database file")
        if for_write and not os.access(path, os.W_OK):
            raise WarehouseError(f"{path}: the warehouse file is read-only (no write permission)")
    elif for_write:
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.exists():
            raise WarehouseError(f"{path}: folder {parent} does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise WarehouseError(f"{path}: folder {parent} is not writable")


def open_error(exc: BaseException, path: Path) -> WarehouseError:
    """A DuckDB error raised while opening the file, as one line."""
    translated = translate_duckdb_error(exc, path)
    if isinstance(translated, WarehouseError):
        return translated
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return WarehouseError(f"{path}: cannot open the warehouse: {first}")


@contextmanager
def open_duckdb(path: str | Path, read_only: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A plain DuckDB connection, closed on exit.

    Read-only (the default) means the sandbox too (SANDBOX_CONFIG): what runs on this
    connection can read the warehouse's tables and views and nothing else.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(f"{path}: no warehouse here; run 'warehouse init' or 'warehouse run seeds/' first")
    check_warehouse_file(path, for_write=not read_only)
    try:
        if read_only:
            con = duckdb.connect(str(path), read_only=True, config=dict(SANDBOX_CONFIG))
        else:
            con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise open_error(exc, path) from exc
    try:
        yield con
    finally:
        con.close()


# New warehouse files are written in a storage format that the DuckDB 1.5 command-line
# client (PyPI: duckdb-cli, the newest CLI there) can open: the Python package is 2.0,
# whose default format the 1.5 CLI refuses ("database file with version number 69").
STORAGE_COMPATIBILITY = "v1.5.0"


# What DuckDB may hold in memory in a read-write process (its default is 80 % of the machine's RAM,
# which it fills with cached and uncommitted blocks: a 100,000-article batch held 5 GB until its
# commit). A load's own working set (one chunk of rows, hash joins against a batch's keys) fits in
# far less; WAREHOUSE_MEMORY_LIMIT (a DuckDB size, "4GB") overrides it.
WRITER_MEMORY_LIMIT = "1GB"


def make_engine(path: str | Path, read_only: bool = False) -> Engine:
    """A SQLAlchemy engine on the file (duckdb_engine); one pooled connection."""
    path = Path(path)
    # no extension is ever fetched or auto-loaded, on any connection (this machine is offline,
    # and a file that merely looks like another engine's must not pull in its extension)
    config: dict = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if not read_only and not path.exists():
        config["storage_compatibility_version"] = STORAGE_COMPATIBILITY
    if not read_only:  # DuckDB's share of a writer's memory: beyond it, it evicts and spills to <file>.tmp
        config["memory_limit"] = os.environ.get("WAREHOUSE_MEMORY_LIMIT") or WRITER_MEMORY_LIMIT
    connect_args: dict = {"read_only": True, "config": config} if read_only else {"config": config}
    return sa.create_engine(f"duckdb:///{path}", connect_args=connect_args, poolclass=sa.pool.SingletonThreadPool)


@contextmanager
def writer(path: str | Path) -> Iterator[Engine]:
    """The read-write engine for the duration of a command; busy files raise WarehouseBusy."""
    path = Path(path)
    check_warehouse_file(path, for_write=True)
    engine = make_engine(path)
    try:
        try:
            with engine.connect():
                pass
        except sa.exc.DBAPIError as exc:
            raise open_error(exc.orig or exc, path) from exc
        except duckdb.Error as exc:
            raise open_error(exc, path) from exc
        yield engine
    finally:
        engine.dispose()
