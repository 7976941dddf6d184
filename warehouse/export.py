"""Exporting the warehouse: every table and canned view as Parquet, CSV or JSON Lines files.

``export(db, to, names, fmt)`` writes one file per table or view (a folder of Parquet files,
hive-partitioned by ``published_month``, for the tables whose rows belong to an article) and a
``manifest.json`` beside them. DuckDB writes the files itself (``COPY ... TO``: fast, and it
streams, so a big table never sits in Python memory).

Safety: the export connection is opened read-only and sandboxed like the query connections
(``db.SANDBOX_CONFIG``: no extension, no network, configuration locked), except that DuckDB's
``allowed_directories`` lets it write inside one folder, the export's private staging folder, and
nowhere else. The only statements run on it are the ``COPY`` statements composed here, from table
and view names checked against the warehouse's own tables and the canned views (and quoted);
no user text ever becomes SQL. Files land in the staging folder first and are moved into the
target folder when every one of them is written, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .db import WarehouseError, WarehouseMissing, check_warehouse_file, open_error, translate_duckdb_error

if TYPE_CHECKING:
    import duckdb

FORMATS = ("parquet", "csv", "jsonl")
EXTENSIONS = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}
MANIFEST = "manifest.json"
PARTITION_COLUMN = "published_month"
UNKNOWN_MONTH = "unknown"  # the partition of rows whose article has no date
MANIFEST_VERSION = 1

# The export connection: the query sandbox's settings, applied after ``allowed_directories``
# (DuckDB accepts that list only once the database is open, so it cannot go in the connect config).
_CONNECT_CONFIG = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
}


@dataclass(frozen=True)
class Exportable:
    """A table or canned view, and how its month is found (None: not partitioned)."""

    name: str
    kind: str  # "table" or "view"
    month_from: str | None = None  # "self" (articles), "article_id" or "claim_id"


@dataclass
class ExportResult:
    folder: Path
    manifest: dict
    files: list[dict] = field(default_factory=list)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def exportables(con: duckdb.DuckDBPyConnection) -> dict[str, Exportable]:
    """The tables (of the schema, as present in this warehouse) and canned views, by name.

    A table is partitioned by month when its rows belong to an article: ``articles`` itself, a
    table with an ``article_id`` column (claims, mentions, ...), or one with a ``claim_id`` column
    (transfers, person roles, agreement claims and provisions: the article of the claim).
    """
    from .query import view_names
    from .schema import metadata

    rows = con.execute(
        "SELECT t.table_name, t.table_type, list(c.column_name) FROM information_schema.tables t "
        "JOIN information_schema.columns c USING (table_schema, table_name) "
        "WHERE t.table_schema = 'main' GROUP BY ALL"
    ).fetchall()
    present = {name: (kind, set(cols)) for name, kind, cols in rows}
    out: dict[str, Exportable] = {}
    for name in sorted(metadata.tables):
        kind, cols = present.get(name, (None, set()))
        if kind != "BASE TABLE" or name.startswith("view_"):
            continue  # (view_*: the summary tables the views read, derived; the views are exported themselves)
        month_from = None
        if PARTITION_COLUMN not in cols:
            if name == "articles":
                month_from = "self"
            elif "article_id" in cols:
                month_from = "article_id"
            elif "claim_id" in cols and "claims" in present:
                month_from = "claim_id"
        out[name] = Exportable(name, "table", month_from)
    for name in sorted(view_names()):
        if present.get(name, (None,))[0] == "VIEW":
            out[name] = Exportable(name, "view")
    return out


def _month_query(item: Exportable) -> str:
    """The rows of a partitioned table with their article's month (``unknown`` when undated)."""
    t = quote_ident(item.name)
    month = f"coalesce(strftime(a.published_on, '%Y-%m'), '{UNKNOWN_MONTH}') AS {PARTITION_COLUMN}"
    if item.month_from == "self":
        return f"SELECT a.*, {month} FROM {t} a"
    if item.month_from == "article_id":
        return f"SELECT t.*, {month} FROM {t} t LEFT JOIN articles a ON a.article_id = t.article_id"
    return (f"SELECT t.*, {month} FROM {t} t LEFT JOIN claims c ON c.claim_id = t.claim_id "
            "LEFT JOIN articles a ON a.article_id = c.article_id")


def _finite(expr: str, dtype, depth: int = 0) -> str | None:
    """An expression giving ``expr`` with NaN and +-Infinity as NULL, at any depth of lists and
    structs; None when the type holds no floating-point value (the column is left as it is).

    DuckDB's JSON writer prints NaN and Infinity as bare words, which no JSON parser accepts.
    """
    kind = dtype.id
    if kind in ("double", "float"):
        return f"CASE WHEN isfinite({expr}) THEN {expr} END"
    if kind == "list":
        var = f"x{depth}"
        inner = _finite(var, dtype.children[0][1], depth + 1)
        return None if inner is None else f"CASE WHEN {expr} IS NOT NULL THEN [{inner} FOR {var} IN {expr}] END"
    if kind == "struct":
        parts, changed = [], False
        for key, child in dtype.children:
            sub = f"({expr}).{quote_ident(key)}"
            fixed = _finite(sub, child, depth + 1)
            changed |= fixed is not None
            parts.append(f"{quote_ident(key)} := {fixed or sub}")
        return f"CASE WHEN {expr} IS NOT NULL THEN struct_pack({', '.join(parts)}) END" if changed else None
    return None


def _json_safe_query(con: duckdb.DuckDBPyConnection, query: str) -> str:
    rel = con.sql(query)
    cols = []
    changed = False
    for name, dtype in zip(rel.columns, rel.types, strict=True):
        q = quote_ident(name)
        fixed = _finite(q, dtype)
        changed |= fixed is not None
        cols.append(f"{fixed} AS {q}" if fixed else q)
    return f"SELECT {', '.join(cols)} FROM ({query})" if changed else query


def _check_target(folder: Path, overwrite: bool) -> bool:
    """Refuse a file, a non-empty folder (unless overwrite), an unwritable one; create a missing
    one. True when the folder was created here."""
    if folder.exists() and not folder.is_dir():
        raise WarehouseError(f"{folder}: is a file, not a folder (give a folder with --to)")
    if folder.is_dir():
        try:
            entries = [p.name for p in folder.iterdir()]
        except OSError as exc:
            raise WarehouseError(f"{folder}: cannot read the folder: {exc.strerror}") from exc
        if entries and not overwrite:
            raise WarehouseError(f"{folder}: folder is not empty ({len(entries)} entries); "
                                 "choose an empty folder or re-run with --overwrite")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise WarehouseError(f"{folder}: folder is not writable")
        return False
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise WarehouseError(f"{folder}: cannot create the folder: {exc.strerror}") from exc
    return True


def _previous_outputs(folder: Path) -> set[str]:
    """The entries a previous export's manifest lists (replaced by --overwrite); others are kept."""
    try:
        old = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        paths = {f["path"] for f in old.get("files", [])}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return set()
    return {p for p in paths if isinstance(p, str) and p and "/" not in p and "\\" not in p
            and not p.startswith(".") and p not in ("..",)}


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _revision(con: duckdb.DuckDBPyConnection) -> str | None:
    has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'alembic_version'")
    if not has.fetchone()[0]:
        return None
    row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _open(db: Path, staging: Path) -> duckdb.DuckDBPyConnection:
    """Read-only, sandboxed, allowed to write inside ``staging`` only."""
    import duckdb

    if not db.exists():
        raise WarehouseMissing(f"{db}: no warehouse here; run 'warehouse init' or 'warehouse run seeds/' first")
    check_warehouse_file(db, for_write=False)
    try:
        con = duckdb.connect(str(db), read_only=True, config=dict(_CONNECT_CONFIG))
    except duckdb.Error as exc:
        raise open_error(exc, db) from exc
    try:
        con.execute(f"SET allowed_directories = [{quote_literal(str(staging) + os.sep)}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def export(db: Path | str, to: Path | str, names: list[str] | tuple[str, ...] | None = None,
           fmt: str = "parquet", overwrite: bool = False) -> ExportResult:
    """Write tables and canned views (all of them, or ``names``) into the folder ``to``.

    One file per table or view (``NAME.parquet``, ``NAME.csv``, ``NAME.jsonl``); in Parquet, a table
    whose rows belong to an article is a hive-partitioned dataset ``NAME/published_month=YYYY-MM/``
    (``published_month=unknown`` for undated articles). ``manifest.json`` describes every file: its
    table or view, kind, format, rows, columns and types, partition column. A non-empty folder is
    refused unless ``overwrite``; then the entries written now (and those an old manifest there
    lists) are replaced and any other file is left alone.
    """
    import duckdb

    db, folder = Path(db), Path(to)
    if fmt not in FORMATS:
        raise WarehouseError(f"unknown export format {fmt!r}; use {', '.join(FORMATS)}")
    if not db.exists():
        raise WarehouseMissing(f"{db}: no warehouse here; run 'warehouse init' or 'warehouse run seeds/' first")
    check_warehouse_file(db, for_write=False)
    created = _check_target(folder, overwrite)
    folder = folder.resolve()
    try:
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    except OSError as exc:
        raise WarehouseError(f"{folder}: cannot write in the folder: {exc.strerror}") from exc
    done = False
    try:
        con = _open(db, staging)
        try:
            try:
                entries = _write_all(con, staging, names, fmt)
                revision = _revision(con)
            except duckdb.Error as exc:
                translated = translate_duckdb_error(exc, db)
                if isinstance(translated, WarehouseError):
                    raise translated from exc
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise WarehouseError(f"{db}: export failed: {first}") from exc
        finally:
            con.close()
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "geo_warehouse_version": __version__,
            "schema_revision": revision,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "warehouse": db.name,
            "format": fmt,
            "files": entries,
        }
        text = json.dumps(manifest, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        try:
            for stale in _previous_outputs(folder) | {e["path"] for e in entries} | {MANIFEST}:
                _remove(folder / stale)
            for e in entries:
                os.replace(staging / e["path"], folder / e["path"])
            (staging / MANIFEST).write_text(text, encoding="utf-8")
            os.replace(staging / MANIFEST, folder / MANIFEST)
        except OSError as exc:
            raise WarehouseError(f"{folder}: cannot write the export: {exc.strerror or exc}") from exc
        done = True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not done:
            shutil.rmtree(folder, ignore_errors=True)  # a folder made for this export, left empty
    return ExportResult(folder, manifest, entries)


def resolve_names(available: dict[str, Exportable], names: list[str] | tuple[str, ...] | None) -> list[Exportable]:
    """The tables and views to export, in the order given (all: tables, then views), or an error."""
    if not names:
        return [e for e in available.values() if e.kind == "table"] + \
               [e for e in available.values() if e.kind == "view"]
    unknown = [n for n in names if n not in available]
    if unknown:
        shown = ", ".join(repr(n) for n in unknown)
        raise WarehouseError(f"unknown table or view {shown}; known: {', '.join(available)}")
    return [available[n] for n in dict.fromkeys(names)]


def _write_all(con: duckdb.DuckDBPyConnection, staging: Path, names, fmt: str) -> list[dict]:
    items = resolve_names(exportables(con), names)
    entries = []
    for item in items:
        entries.append(_write_one(con, staging, item, fmt))
    return entries


def _write_one(con: duckdb.DuckDBPyConnection, staging: Path, item: Exportable, fmt: str) -> dict:
    base = f"SELECT * FROM {quote_ident(item.name)}"
    rel = con.sql(base)
    columns = [{"name": n, "type": str(t)} for n, t in zip(rel.columns, rel.types, strict=True)]
    partitioned = fmt == "parquet" and item.month_from is not None
    if partitioned:
        path = item.name
        query = _month_query(item)
        options = f"FORMAT parquet, PARTITION_BY ({PARTITION_COLUMN})"
        columns.append({"name": PARTITION_COLUMN, "type": "VARCHAR"})
    else:
        path = item.name + EXTENSIONS[fmt]
        query = base
        options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}[fmt]
        if fmt == "jsonl":
            query = _json_safe_query(con, query)
    target = quote_literal(str(staging / path))
    rows = con.execute(f"COPY ({query}) TO {target} ({options})").fetchone()[0]
    if partitioned and not (staging / path).exists():
        # no rows, so no partition: an empty file keeps the dataset readable, with its columns
        empty = staging / path / f"{PARTITION_COLUMN}={UNKNOWN_MONTH}"
        empty.mkdir(parents=True)
        con.execute(f"COPY (SELECT * EXCLUDE ({PARTITION_COLUMN}) FROM ({query})) "
                    f"TO {quote_literal(str(empty / 'data_0.parquet'))} (FORMAT parquet)")
    entry = {"name": item.name, "kind": item.kind, "format": fmt, "path": path, "rows": int(rows),
             "columns": columns, "partition_by": PARTITION_COLUMN if partitioned else None}
    if partitioned:
        prefix = f"{PARTITION_COLUMN}="
        entry["partitions"] = [] if not rows else sorted(
            p.name[len(prefix):] for p in (staging / path).iterdir() if p.is_dir() and p.name.startswith(prefix))
        entry["glob"] = f"{path}/**/*.parquet"
    return entry
