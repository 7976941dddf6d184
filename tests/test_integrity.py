"""The tables that grow with the corpus have no keys in DuckDB (revision 0008): the loader keeps
them unique and their references whole, and warehouse.integrity.problems() says whether it did."""

from __future__ import annotations

import shutil

import duckdb
from conftest import write_records
from factories import mini_record, mutate
from test_load import article_text, record_n

from warehouse import integrity
from warehouse.db import writer
from warehouse.schema import metadata


def problems(db) -> list[str]:
    with writer(db) as eng, eng.connect() as conn:
        return integrity.problems(conn)


def test_growing_tables_have_no_index_the_small_ones_keep_theirs(fresh_db):
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        keyed = {t for (t,) in con.execute(
            "SELECT DISTINCT table_name FROM duckdb_constraints() "
            "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')").fetchall()} - {"alembic_version"}
    finally:
        con.close()
    assert keyed.isdisjoint(integrity.KEYS)
    assert keyed == {"load_batches", "item_categories", "sources", "entities", "entity_aliases", "sanctions_regimes"}
    assert set(integrity.KEYS) | keyed | {"article_lsh"} == set(metadata.tables)


def test_loads_replacements_and_reloads_leave_every_key_unique_and_every_reference_whole(seeded, cli, tmp_path):
    assert problems(seeded) == []
    db = tmp_path / "w2.duckdb"
    shutil.copyfile(seeded, db)
    a, b = record_n(1), record_n(2)
    auto = mini_record(article_text(1), extractor="auto")
    first = write_records(tmp_path / "ab.jsonl", a, b, auto)
    assert cli("load", first, db=db).exit_code == 0
    a2 = mutate(a, "claims.0.hedge", "alleged")
    a2["extractor"]["version"] = "1.1"
    assert cli("load", write_records(tmp_path / "a2.json", a2), db=db).exit_code == 0
    assert cli("load", first, db=db).exit_code == 0  # the old version back, the others unchanged
    assert cli("load", first, db=db).exit_code == 0
    assert problems(db) == []


def test_problems_are_found(seeded):
    con = duckdb.connect(str(seeded))
    try:
        con.execute("INSERT INTO claims SELECT * FROM claims LIMIT 1")
        con.execute("UPDATE mentions SET entity_id = 'person:nobody' WHERE mention_id = "
                    "(SELECT min(mention_id) FROM mentions)")
    finally:
        con.close()
    found = problems(seeded)
    assert any(p.startswith("claims: (claim_id)") and "2 rows" in p for p in found), found
    assert any(p.startswith("mentions: (entity_id) = ('person:nobody',) has no row in entities") for p in found), found
