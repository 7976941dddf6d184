"""``warehouse run`` streams: articles are read, extracted and written RUN_CHUNK at a time (and a
big .jsonl file line by line) inside the run's one transaction. Chunk boundaries must not show,
and a bad input after several chunks leaves nothing of the run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FACT_TABLES, table_counts
from test_load_chunks import content

from warehouse import etl, ingest, integrity, load
from warehouse.db import WarehouseError, writer
from warehouse.paths import SEEDS_DIR

EXTRA = [
    "Iran ships drones to Russia\nIran has shipped hundreds of Shahed drones to Russia, according to U.S. "
    "officials. Tehran denied the reports.\n",
    "North Korea sends shells\nNorth Korea has sent at least one million artillery shells to Russia, "
    "South Korea's intelligence service said on Tuesday.\n",
    "Belarus and Russia sign pact\nBelarus and Russia signed a defence pact in Minsk on Friday, the "
    "ministries said.\n",
]


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS_DIR, folder)
    for i, text in enumerate(EXTRA):
        (folder / f"extra_{i}.txt").write_text(text, encoding="utf-8")
    with (folder / "more.jsonl").open("w", encoding="utf-8") as fh:
        for i, text in enumerate(EXTRA):
            row = {"text": text.replace("Russia", f"Russia (report {i})"), "publisher": "Reuters"}
            fh.write(json.dumps(row) + "\n")
    return folder


def test_run_in_chunks_of_two_gives_the_same_warehouse(tmp_path, monkeypatch):
    folder = corpus(tmp_path)
    whole, chunked = tmp_path / "whole.duckdb", tmp_path / "chunked.duckdb"
    first = etl.run(whole, [folder])
    monkeypatch.setattr(etl, "RUN_CHUNK", 2)
    monkeypatch.setattr(etl, "WRITE_CHUNK", 1)
    monkeypatch.setattr(ingest, "STREAM_JSONL_BYTES", 0)  # the .jsonl file streamed line by line
    second = etl.run(chunked, [folder])
    assert (second.articles, second.new_articles, second.curated_records, second.extracted_records) == \
        (first.articles, first.new_articles, first.curated_records, first.extracted_records) == (11, 11, 5, 6)
    assert second.counts == first.counts
    assert content(chunked) == content(whole)
    with writer(chunked) as eng, eng.connect() as conn:
        assert integrity.problems(conn) == []
    again = etl.run(chunked, [folder])  # nothing new, nothing extracted again
    assert (again.new_articles, again.unchanged_records) == (0, 11)
    assert content(chunked) == content(whole)


def test_a_bad_article_after_several_chunks_leaves_nothing_of_the_run(tmp_path, monkeypatch):
    folder = corpus(tmp_path)
    db = tmp_path / "w.duckdb"
    with writer(db) as eng:
        etl.init_warehouse(eng)
    before = table_counts(db, FACT_TABLES)
    with (folder / "more.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"text": ""}\n')
    monkeypatch.setattr(etl, "RUN_CHUNK", 2)
    monkeypatch.setattr(load, "WRITE_CHUNK", 1)
    monkeypatch.setattr(ingest, "STREAM_JSONL_BYTES", 0)
    with pytest.raises(WarehouseError, match=r"more\.jsonl: line 4 field text: a non-empty string is required"):
        etl.run(db, [folder])
    assert table_counts(db, FACT_TABLES) == before
    with writer(db) as eng, eng.connect() as conn:
        outcomes = conn.exec_driver_sql("SELECT command, outcome FROM load_batches").fetchall()
    assert outcomes == [("run", "failed")]


def test_a_streamed_jsonl_file_gives_the_articles_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps({"text": t, "published": "2024-06-19"}) + "\n"
                                               for t in EXTRA).encode())
    whole = ingest.read_articles(path)
    monkeypatch.setattr(ingest, "STREAM_JSONL_BYTES", 0)
    assert list(ingest.iter_articles(path)) == whole
    path.write_bytes(path.read_bytes() + b'{"text": "caf\xe9"}\n')
    with pytest.raises(ingest.IngestError, match=r"line 4: not valid utf-8 text"):
        list(ingest.iter_articles(path))
