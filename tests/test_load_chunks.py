"""One batch is written a chunk of records at a time (load.WRITE_CHUNK) inside its one transaction.

Chunk boundaries must not show: the same input gives the same warehouse whatever the chunk size,
entities first met in one chunk resolve in the next, an agreement redeclared differently in a
later chunk is still an error, and any error rolls back every chunk of the batch.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import FACT_TABLES, table_counts, write_records
from factories import mini_record, mutate

from warehouse import etl, load
from warehouse.db import writer
from warehouse.normalize import article_id_for
from warehouse.paths import SEEDS_DIR
from warehouse.schema import metadata

VOLATILE = {"batch_id", "ingested_at", "started_at", "finished_at"}


def content(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table but load_batches, without the columns that name the batch or the time."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for name, table in sorted(metadata.tables.items()):
            if name == "load_batches":
                continue
            cols = ", ".join(f'"{c.name}"' for c in table.columns if c.name not in VOLATILE)
            out[name] = sorted(con.execute(f"SELECT {cols} FROM {name}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def load_with_chunk(db: Path, paths: list[Path], chunk: int, monkeypatch) -> list[load.LoadResult]:
    monkeypatch.setattr(load, "WRITE_CHUNK", chunk)
    with writer(db) as engine:
        return etl.load_paths(engine, paths)


def variant(n: int, agreement_status: str | None = None) -> dict:
    rec = mini_record()
    text = rec["article"]["text"] + f" Report number {n}."
    rec["article"]["text"] = text
    rec["article"]["id"] = article_id_for(text)
    if agreement_status:
        rec = mutate(rec, "agreements.0.status", agreement_status)
    return rec


def test_seed_records_give_the_same_warehouse_with_any_chunk_size(fresh_db, initialized_template, tmp_path,
                                                                 monkeypatch):
    records = sorted((SEEDS_DIR / "records").glob("*.json"))
    assert len(records) == 5
    big = fresh_db
    small = tmp_path / "small.duckdb"
    shutil.copyfile(initialized_template, small)
    whole = load_with_chunk(big, records, 10_000, monkeypatch)
    chunked = load_with_chunk(small, records, 2, monkeypatch)  # chunks of 2, 2, 1 records
    assert len(whole) == len(chunked) == 1
    assert chunked[0].rows == whole[0].rows
    assert sorted(chunked[0].new_entities) == sorted(whole[0].new_entities)
    assert content(small) == content(big)
    assert table_counts(small)["claims"] == 136


def test_an_agreement_changed_in_a_later_chunk_fails_the_whole_batch(fresh_db, tmp_path, monkeypatch):
    path = write_records(tmp_path / "r.jsonl", variant(1), variant(2), variant(3, agreement_status="in_force"))
    before = table_counts(fresh_db)
    monkeypatch.setattr(load, "WRITE_CHUNK", 1)
    with writer(fresh_db) as engine, pytest.raises(load.LoadError) as err:
        etl.load_paths(engine, [path])
    assert str(err.value) == (
        f"{path} line 3 field agreements[0]: agreement agreement:irn-rus-defence-pact is declared in "
        f"{path} line 1 with different contents"
    )
    assert table_counts(fresh_db) == before  # chunks 1 and 2 were rolled back with chunk 3


def test_a_bad_record_after_several_chunks_leaves_nothing(fresh_db, tmp_path, monkeypatch):
    bad = mutate(variant(4), "claims.0.quote", "not in the text")
    path = write_records(tmp_path / "r.jsonl", variant(1), variant(2), variant(3), bad)
    before = table_counts(fresh_db, FACT_TABLES)
    monkeypatch.setattr(load, "WRITE_CHUNK", 1)
    with writer(fresh_db) as engine, pytest.raises(load.LoadError, match="line 4 field claims\\[0\\].quote"):
        etl.load_paths(engine, [path])
    assert table_counts(fresh_db, FACT_TABLES) == before


def test_a_batch_does_not_keep_the_frames_it_inserted(fresh_db):
    """Frames are read by DuckDB's replacement scan, not register()ed: a view registered inside a
    transaction (and the frame it scans) is kept until the commit, so a big batch held every
    frame it had written."""
    import gc

    import pandas as pd
    import pyarrow as pa

    from warehouse.bulk import duck, registered, run_count

    with writer(fresh_db) as engine, engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE _t (x VARCHAR)")
        gc.collect()
        before = pa.total_allocated_bytes()
        for _ in range(20):
            frame = pa.table({"x": ["y" * 1000] * 5000})
            with registered(duck(conn), "_chunk", frame):
                assert run_count(conn, "INSERT INTO _t SELECT x FROM _chunk") == 5000
            del frame
        gc.collect()
        assert pa.total_allocated_bytes() - before < 5_000_000  # 20 frames of 5 MB were made
        with registered(duck(conn), "_p", pd.DataFrame({"x": ["z"]})):
            assert run_count(conn, "INSERT INTO _t SELECT x FROM _p WHERE x = ?", ("z",)) == 1
