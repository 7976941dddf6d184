"""Two processes, one file: the second gets one clear ``Error:`` line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import WAREHOUSE_CMD, table_counts, write_records
from factories import mini_record

from warehouse.db import writer
from warehouse.etl import init_warehouse

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])            # read-write: takes DuckDB's file lock
con.execute("CREATE TABLE IF NOT EXISTS _holder (x INTEGER)")
open(sys.argv[2], "w").write("ready")
time.sleep(float(sys.argv[3]))
"""


def _hold(db: Path, ready: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(ready), str(seconds)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # a hang guard, not a speed check: on a loaded machine starting Python and DuckDB took over 20 s
    deadline = time.monotonic() + 120
    while not ready.exists():
        if holder.poll() is not None:
            raise AssertionError(f"holder exited early: {holder.stderr.read().decode()}")
        if time.monotonic() > deadline:
            holder.kill()
            raise AssertionError("holder never became ready")
        time.sleep(0.02)
    return holder


# The contenders, each run as `warehouse --db DB ARGS` while another process holds DB.
CONTENDERS = {
    "load": ("load", "{record}"),
    "init": ("init",),
    "ask": ("ask", "source_coverage"),  # a reader: read-only opens are refused too
}


@pytest.fixture(scope="module")
def contended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, subprocess.CompletedProcess]]:
    """Initialise a warehouse, hold it from another process, run every contender at once."""
    folder = tmp_path_factory.mktemp("lock")
    db = folder / "warehouse.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    record = write_records(folder / "mini.json", mini_record())
    holder = _hold(db, folder / "holder.ready", 300)  # (killed below as soon as the contenders are done)
    try:
        env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_DB"}
        procs = {
            name: subprocess.Popen([*WAREHOUSE_CMD, "--db", str(db), *(a.format(record=record) for a in args)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for name, args in CONTENDERS.items()
        }
        results = {}
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=240)
            results[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        assert holder.poll() is None, "the holder was still holding the file throughout"
    finally:
        holder.kill()
        holder.wait(timeout=10)
        holder.stdout.close()
        holder.stderr.close()
    return db, results


def assert_busy(res: subprocess.CompletedProcess, db: Path) -> None:
    assert res.returncode == 1, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("Error: ")
    assert "in use by another process" in lines[0]
    assert str(db) in lines[0]


@pytest.mark.parametrize("name", list(CONTENDERS))
def test_second_process_gets_one_busy_error_line(contended, name):
    db, results = contended
    assert_busy(results[name], db)


def test_nothing_was_written_while_busy(contended):
    db, _results = contended
    assert table_counts(db, ("articles", "claims", "transfers")) == {"articles": 0, "claims": 0, "transfers": 0}


def test_the_file_is_usable_once_the_holder_is_gone(tmp_db, tmp_path, cli):
    assert cli("init").exit_code == 0
    holder = _hold(tmp_db, tmp_path / "ready", 0)
    assert holder.wait(timeout=30) == 0
    holder.stdout.close()
    holder.stderr.close()
    rec = write_records(tmp_path / "mini.json", mini_record())
    res = cli("load", rec)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("loaded 1 records (0 unchanged)")
