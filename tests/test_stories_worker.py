"""Signing in the worker process (warehouse.stories.start_signing) changes nothing but where it runs.

A load of at least stories.SIGN_IN_PROCESS_BELOW new articles in a chunk signs them in a worker
process (warehouse.signing.serve) while the chunk's facts are written, and clusters them at the
end of the chunk; a smaller one signs in-process. Both must give the same arrays and the same
warehouse, and a worker that fails must leave the load to sign in-process.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import numpy as np
from test_load_chunks import content

from warehouse import etl, load, signing, stories
from warehouse.db import writer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is importable from a checkout even if not installed

from benchmarks.corpus import write_corpus  # noqa: E402

STORY_TABLES = ("article_signatures", "article_lsh", "article_links", "article_stories", "stories")


def _articles() -> list[tuple[str, str, date | None, str | None]]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/dedup").rglob("*.txt"))[:40]]
    texts += ["", "one", "a b c d", "Ünïcödé İstanbul straße 12,000 1999 ٣٤ North-Korea K"]
    return [(f"a{i:03d}", t, None if i % 3 == 0 else date(2024, 6, 1 + i % 20), "src") for i, t in enumerate(texts)]


def test_the_worker_signs_exactly_as_this_process(monkeypatch):
    monkeypatch.setattr(stories, "SIGN_IN_PROCESS_BELOW", 0)
    monkeypatch.setattr(signing, "SIGN_CHUNK", 7)  # several chunks (the worker has its own SIGN_CHUNK)
    arts = _articles()
    pending = stories.start_signing(arts)
    assert pending is not None
    there = pending.result(timeout=120)
    here = signing.sign_texts([a[1] for a in arts], [a[2] is not None for a in arts])
    assert there["names"] == here["names"]
    for key in ("dup", "dup_keys", "name_rows", "name_keys"):
        assert there[key].dtype == here[key].dtype and np.array_equal(there[key], here[key]), key
    # and what the clustering gets from either: the same signatures and LSH rows
    sigs_w, lsh_w = stories._sign_many(arts, stories.start_signing(arts))
    sigs_h, lsh_h = stories._sign_many(arts)
    assert lsh_w.equals(lsh_h)
    assert [(s.article_id, s.dup.tolist(), s.names, s.published_on) for s in sigs_w] == \
        [(s.article_id, s.dup.tolist(), s.names, s.published_on) for s in sigs_h]


def _load(db: Path, corpus: Path) -> dict:
    with writer(db) as engine:
        etl.load_paths(engine, [corpus])
    return content(db)


def test_a_load_signed_in_the_worker_gives_the_same_warehouse(initialized_template, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 240)  # a quarter retell earlier stories: duplicates and same-story links
    monkeypatch.setattr(load, "WRITE_CHUNK", 80)
    dbs = {k: tmp_path / f"{k}.duckdb" for k in ("here", "worker", "broken")}
    for db in dbs.values():
        shutil.copyfile(initialized_template, db)
    monkeypatch.setattr(stories, "SIGN_IN_PROCESS_BELOW", 10**9)
    here = _load(dbs["here"], corpus)
    monkeypatch.setattr(stories, "SIGN_IN_PROCESS_BELOW", 1)
    worker = _load(dbs["worker"], corpus)

    def broken(texts, banded):
        raise BrokenPipeError("the worker died")

    monkeypatch.setattr(stories, "_worker_call", broken)
    fallback = _load(dbs["broken"], corpus)
    assert here["article_links"] and len(here["stories"]) < len(here["articles"]) == 240  # copies joined stories
    for table in STORY_TABLES:
        assert worker[table] == here[table], table
        assert fallback[table] == here[table], table
    assert worker == here and fallback == here
