"""Re-loading unchanged input is cheap (byte-identical inputs are skipped unparsed) and
--batch-size streams: each batch is atomic, and a bad record stops the load after the
batches before it have landed."""

from __future__ import annotations

import contextlib
import json

import pytest
from conftest import table_counts, table_rows, write_records
from factories import mini_record

from warehouse import etl, load
from warehouse.db import writer
from warehouse.normalize import article_id_for


def variant(n: int) -> dict:
    """A valid record for a distinct article (the mini record's text with a suffix)."""
    rec = mini_record()
    text = rec["article"]["text"] + f" Report number {n}."
    rec["article"]["text"] = text
    rec["article"]["id"] = article_id_for(text)
    return rec


def test_unchanged_input_is_skipped_without_parsing(fresh_db, tmp_path, monkeypatch):
    path = write_records(tmp_path / "r.jsonl", *(variant(i) for i in range(3)))
    with writer(fresh_db) as engine:
        first = etl.load_paths(engine, [path])
    assert first[0].unchanged == 0
    before = {t: table_rows(fresh_db, t) for t in ("claims", "transfers", "article_extractions")}

    def no_parsing(*args, **kwargs):
        raise AssertionError("an unchanged input was parsed")

    monkeypatch.setattr(load, "parse_record", no_parsing)
    with writer(fresh_db) as engine:
        again = etl.load_paths(engine, [path])
    assert (again[0].records, again[0].unchanged, again[0].rows) == (3, 3, {})
    assert {t: table_rows(fresh_db, t) for t in before} == before


def test_reformatted_but_equal_record_is_parsed_and_found_unchanged(fresh_db, tmp_path):
    rec = variant(1)
    compact = write_records(tmp_path / "a.json", rec)
    with writer(fresh_db) as engine:
        etl.load_paths(engine, [compact])
    before = table_rows(fresh_db, "claims")
    pretty = tmp_path / "b.json"
    pretty.write_text(json.dumps(rec, indent=2), encoding="utf-8")
    with writer(fresh_db) as engine:
        res = etl.load_paths(engine, [pretty])
    assert res[0].unchanged == 1 and res[0].rows == {}
    assert table_rows(fresh_db, "claims") == before


def test_a_changed_record_beside_its_old_loaded_version_is_a_conflict(fresh_db, tmp_path):
    rec = variant(1)
    old = write_records(tmp_path / "old.json", rec)
    with writer(fresh_db) as engine:
        etl.load_paths(engine, [old])
    changed = json.loads(json.dumps(rec))
    changed["claims"][0]["hedge"] = "alleged"
    new = write_records(tmp_path / "z_new.json", changed)
    with writer(fresh_db) as engine, pytest.raises(load.LoadError, match="with different contents"):
        etl.load_paths(engine, [old, new])


def test_rows_loaded_before_input_hashes_get_theirs_on_the_next_load(fresh_db, tmp_path):
    path = write_records(tmp_path / "r.json", variant(1))
    with writer(fresh_db) as engine:
        etl.load_paths(engine, [path])
        with engine.begin() as conn:  # as if loaded by a warehouse before revision 0003
            conn.exec_driver_sql("UPDATE article_extractions SET input_sha256 = NULL")
        etl.load_paths(engine, [path])
        with engine.connect() as conn:
            known = load.known_inputs(conn)
    assert len(known) == 1


def test_batch_size_streams_and_a_bad_record_keeps_earlier_batches(fresh_db, tmp_path):
    good = [variant(i) for i in range(4)]
    bad = variant(9)
    bad["claims"][0]["quote"] = "not the text at that span"
    path = write_records(tmp_path / "r.jsonl", *good, bad)
    with writer(fresh_db) as engine, pytest.raises(load.LoadError, match=r"line 5 field claims\[0\]\.quote"):
        etl.load_paths(engine, [path], batch_size=2)
    counts = table_counts(fresh_db, ("articles", "load_batches"))
    assert counts["articles"] == 4  # two batches of two landed; the third failed whole
    outcomes = [r[0] for r in table_rows(fresh_db, "load_batches", order_by="started_at")
                if r[1] == "load"]
    assert len(outcomes) == 3


def test_batch_size_matches_one_batch(fresh_db, tmp_path, initialized_template):
    import shutil

    other = tmp_path / "other.duckdb"
    shutil.copy(initialized_template, other)
    path = write_records(tmp_path / "r.jsonl", *(variant(i) for i in range(5)))
    with writer(fresh_db) as engine:
        streamed = etl.load_paths(engine, [path], batch_size=2)
    with writer(other) as engine:
        whole = etl.load_paths(engine, [path])
    assert len(streamed) == 3 and len(whole) == 1
    def strip(rows):  # batch ids differ between the two loads; everything else must not
        return [tuple(v for v in r if not (isinstance(v, str) and v.startswith("batch_"))) for r in rows]

    for table in ("claims", "transfers", "mentions", "claim_denials", "person_roles"):
        assert strip(table_rows(fresh_db, table)) == strip(table_rows(other, table)), table


def test_known_inputs_are_looked_up_a_group_at_a_time(fresh_db, tmp_path, monkeypatch):
    """Input hashes are joined against the warehouse LOOKUP_CHUNK records at a time (never read
    whole): a partly known file skips exactly its known lines, whatever the group size."""
    monkeypatch.setattr(load, "LOOKUP_CHUNK", 2)
    old = write_records(tmp_path / "old.jsonl", *(variant(i) for i in range(3)))
    with writer(fresh_db) as engine:
        etl.load_paths(engine, [old])
    both = write_records(tmp_path / "both.jsonl", variant(5), variant(0), variant(6), variant(2), variant(1))
    calls: list[int] = []
    real = load.known_lookup

    def counting(engine):
        with real(engine) as lookup:
            yield lambda shas: calls.append(len(shas)) or lookup(shas)

    monkeypatch.setattr(etl, "known_lookup", contextlib.contextmanager(counting))
    with writer(fresh_db) as engine:
        res = etl.load_paths(engine, [both])
    assert calls == [2, 2, 1]
    assert (res[0].records, res[0].unchanged) == (5, 3)
    assert table_counts(fresh_db, ("articles",))["articles"] == 5


def test_a_group_reports_its_records_errors_in_line_order(fresh_db, tmp_path):
    """A bad record before an undecodable line of the same group is the error reported."""
    bad = variant(2)
    bad["claims"][0]["quote"] = "not the text at that span"
    path = tmp_path / "r.jsonl"
    path.write_bytes((json.dumps(variant(1)) + "\n" + json.dumps(bad) + "\n").encode() + b"\xff\xfe\n")
    with writer(fresh_db) as engine, pytest.raises(load.LoadError, match=r"line 2 field claims\[0\]\.quote"):
        etl.load_paths(engine, [path])
    path.write_bytes((json.dumps(variant(1)) + "\n").encode() + b"\xff\xfe\n")
    with writer(fresh_db) as engine, pytest.raises(load.LoadError, match=r"line 2: not UTF-8"):
        etl.load_paths(engine, [path])
    assert table_counts(fresh_db, ("articles",))["articles"] == 0
