"""Shared fixtures: a warehouse path per test, the CLI runner, a writer engine.

Kept small and reusable: seeded warehouses are built by their own fixtures elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from warehouse.cli import app
from warehouse.db import writer
from warehouse.etl import init_warehouse
from warehouse.paths import SEEDS_DIR
from warehouse.schema import FACT_TABLES_DELETE_ORDER, metadata

# The table holding role assertions (its name is looked up, not hard-coded).
ROLE_TABLE = next(t.name for t in metadata.sorted_tables if {"person_id", "role", "claim_id"} <= set(t.c.keys()))
# Every table a load writes facts into; tests check these are unchanged after a failed load.
FACT_TABLES = tuple(sorted({*FACT_TABLES_DELETE_ORDER, "articles", "sources", "entities", "entity_aliases",
                            "agreements", "agreement_parties", "article_extractions"}))
# Python that runs the ``warehouse`` command in a subprocess (honours PYTHONPATH, unlike a script shim).
WAREHOUSE_CMD = (sys.executable, "-c", "from warehouse.cli import main; main()")


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Where this test's warehouse lives (not created yet)."""
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def runner() -> CliRunner:
    """typer's runner; stdout and stderr are kept apart (``result.stdout``, ``result.stderr``)."""
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner, tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable:
    """``cli("load", path)`` runs ``warehouse --db tmp_db load path`` in-process.

    ``db=None`` leaves --db out (to test $WAREHOUSE_DB); ``env`` adds environment variables.
    WAREHOUSE_DB from the outer environment is removed so it never leaks into a test.
    """
    monkeypatch.delenv("WAREHOUSE_DB", raising=False)

    def invoke(*args: object, db: Path | str | None = tmp_db, env: dict | None = None):
        argv = (["--db", str(db)] if db is not None else []) + [str(a) for a in args]
        return runner.invoke(app, argv, env=env, catch_exceptions=True)

    return invoke


@pytest.fixture
def engine(tmp_db: Path) -> Iterator[sa.Engine]:
    """The read-write engine on tmp_db (warehouse.db.writer), disposed after the test."""
    with writer(tmp_db) as eng:
        yield eng


@pytest.fixture(scope="session")
def initialized_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse after ``warehouse init`` (schema, reference data, views), built once per session."""
    path = tmp_path_factory.mktemp("template") / "initialized.duckdb"
    with writer(path) as eng:
        init_warehouse(eng)
    assert not Path(f"{path}.wal").exists(), "the template was checkpointed on close"
    return path


@pytest.fixture
def fresh_db(tmp_db: Path, initialized_template: Path) -> Path:
    """tmp_db as an initialised, empty warehouse (a copy of the session template: fast)."""
    shutil.copyfile(initialized_template, tmp_db)
    return tmp_db


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse after ``warehouse run seeds/`` (curated seed records, nothing extracted), built once."""
    db = tmp_path_factory.mktemp("seeded") / "seeded.duckdb"
    res = CliRunner().invoke(app, ["--db", str(db), "run", str(SEEDS_DIR), "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return db


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path) -> Path:
    """This test's copy of the seeded warehouse (``tmp_path / "w.duckdb"``)."""
    db = tmp_path / "w.duckdb"
    shutil.copyfile(seeded_template, db)
    return db


@pytest.fixture
def run_warehouse(tmp_db: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run ``warehouse --db tmp_db ARGS`` in a subprocess (for locks, kills, real stderr)."""

    def run(*args: object, db: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_DB"}
        argv = [*WAREHOUSE_CMD, "--db", str(db or tmp_db), *(str(a) for a in args)]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)

    return run


def write_records(path: Path, *records: dict) -> Path:
    """One record -> a .json document; several (or a .jsonl path) -> one JSON object per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    else:
        assert len(records) == 1, "a .json file holds one record"
        path.write_text(json.dumps(records[0]), encoding="utf-8")
    return path


@pytest.fixture
def records_file() -> Callable[..., Path]:
    """``records_file(path, *records)`` writes records as .json or .jsonl (see write_records)."""
    return write_records


def table_rows(db: Path, table: str, order_by: str | None = None) -> list[tuple]:
    """Every row of a table, in a stable order (read-only connection, closed at once)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table]).fetchall()]
        order = order_by or ", ".join(f'"{c}"' for c in cols)
        return con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    finally:
        con.close()


def table_counts(db: Path, tables: tuple[str, ...] = FACT_TABLES) -> dict[str, int]:
    """Row counts per table ({} when the file does not exist yet)."""
    if not Path(db).exists():
        return {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.fixture
def counts() -> Callable[..., dict[str, int]]:
    """``counts(db)``: row counts of the fact tables (see table_counts)."""
    return table_counts


@pytest.fixture
def rows() -> Callable[..., list[tuple]]:
    """``rows(db, table)``: every row of a table in a stable order (see table_rows)."""
    return table_rows
