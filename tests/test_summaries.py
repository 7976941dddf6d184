"""The summary tables the views read (warehouse/summaries.py, revision 0009) give the answers of the
original SQL: every canned view is compared with its definition before the summaries
(tests/data/reference_sql, which reads the fact tables through the original sql/base), on the seed
warehouse and on a generated corpus after a first batch, after a second incremental batch (new
articles, changed records, curated records arriving for extracted articles, also for copies that
another copy supersedes), and after the migration that backfills them."""

from __future__ import annotations

import copy
import json
import re
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse import migrate, summaries
from warehouse.db import writer
from warehouse.etl import init_warehouse, load_paths
from warehouse.views import base_views, load_views, ordered_views

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is importable from a checkout even if not installed

from benchmarks.corpus import generate  # noqa: E402

REFERENCE = Path(__file__).resolve().parent / "data" / "reference_sql"
VIEW_NAMES = [v.name for v in load_views()]


def _rows(con: duckdb.DuckDBPyConnection, view: str) -> tuple[list[str], list[str]]:
    cur = con.execute(f"SELECT * FROM {view}")
    cols = [(d[0], str(d[1])) for d in cur.description]  # names and types
    return cols, sorted(repr(r) for r in cur.fetchall())


def answers(db: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {v: _rows(con, v) for v in VIEW_NAMES}
    finally:
        con.close()


def reference_answers(db: Path, tmp_path: Path) -> dict[str, tuple]:
    """The answers of the original view SQL, on a copy of the warehouse (its views replaced)."""
    ref = tmp_path / f"reference-{db.name}"
    shutil.copyfile(db, ref)
    con = duckdb.connect(str(ref))
    try:
        for view in [*ordered_views(base_views(REFERENCE / "base")), *ordered_views(load_views(REFERENCE / "views"))]:
            con.execute(view.sql)
        return {v: _rows(con, v) for v in VIEW_NAMES}
    finally:
        con.close()
        ref.unlink()


def assert_same_answers(db: Path, tmp_path: Path) -> None:
    got, want = answers(db), reference_answers(db, tmp_path)
    assert set(VIEW_NAMES) == {p.stem for p in (REFERENCE / "views").glob("*.sql")}
    for view in VIEW_NAMES:
        assert got[view][0] == want[view][0], f"{view}: columns or their types differ"
        assert got[view][1] == want[view][1], f"{view}: rows differ from the original SQL"


def summary_rows(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        # every column but article_id (a table without one: every column)
        return {t: sorted(repr(r) for r in con.execute(f"SELECT COLUMNS(lambda c: c <> 'article_id') FROM {t}"
                                                       ).fetchall())
                if t != "view_pairs" else sorted(con.execute("SELECT * FROM view_pairs").fetchall())
                for t in summaries.SUMMARY_TABLES}
    finally:
        con.close()


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _load(db: Path, path: Path) -> None:
    with writer(db) as engine:
        load_paths(engine, [path])


def test_seed_views_equal_the_original_sql(seeded, tmp_path):
    assert_same_answers(seeded, tmp_path)


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(generate(200, seed=11))


def _curated(rec: dict) -> dict:
    out = copy.deepcopy(rec)
    out["extractor"] = {"name": "curated", "version": "1"}
    out["claims"][0]["hedge"] = "alleged" if out["claims"][0].get("hedge") != "alleged" else "confirmed"
    return out


def test_generated_corpus_incremental_batches_equal_the_original_sql(corpus, tmp_path):
    db = tmp_path / "gen.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    _load(db, _write(tmp_path / "b1.jsonl", corpus[:140]))
    assert_same_answers(db, tmp_path)

    con = duckdb.connect(str(db), read_only=True)
    try:
        older = [r[0] for r in con.execute(
            "SELECT article_id FROM article_stories WHERE superseded_by IS NOT NULL ORDER BY 1").fetchall()]
        newer = [r[0] for r in con.execute(
            "SELECT DISTINCT superseded_by FROM article_stories WHERE superseded_by IS NOT NULL ORDER BY 1").fetchall()]
    finally:
        con.close()
    assert older, "the corpus has copies one publisher superseded"
    by_id = {r["article"]["id"]: r for r in corpus[:140]}
    # curated records: for superseded copies (a curated copy wins over its update), for a few updates,
    # for plain articles; changed records of the same extractor; and new articles
    curated_ids = sorted(set(older[:6]) | set(newer[-2:]) | set(list(by_id)[:5]))
    changed_ids = [a for a in list(by_id)[20:30] if a not in curated_ids]
    batch2 = [_curated(by_id[a]) for a in curated_ids if a in by_id]
    for a in changed_ids:
        rec = copy.deepcopy(by_id[a])
        rec["claims"][-1]["hedge"] = "alleged" if rec["claims"][-1].get("hedge") != "alleged" else "confirmed"
        batch2.append(rec)
    batch2 += corpus[140:]
    _load(db, _write(tmp_path / "b2.jsonl", batch2))
    assert_same_answers(db, tmp_path)

    # the incremental upkeep leaves the same summaries as a backfill from scratch
    incremental = summary_rows(db)
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(db, rebuilt)
    with writer(rebuilt) as engine, engine.begin() as conn:
        for t in summaries.SUMMARY_TABLES:
            conn.exec_driver_sql(f"DELETE FROM {t}")
        assert summaries.refresh(conn) == len(corpus)
    assert summary_rows(rebuilt) == incremental

    # reloading the same files touches nothing
    with writer(db) as engine, engine.begin() as conn:
        assert summaries.refresh(conn) == 0

    # the migration's backfill (downgrade drops the summaries, upgrade rebuilds them)
    with writer(db) as engine:
        migrate.downgrade(engine, "0007")
        migrate.upgrade(engine)
    assert summary_rows(db) == incremental
    assert_same_answers(db, tmp_path)


def test_summaries_computed_in_chunks_equal_the_original_sql(corpus, tmp_path, monkeypatch):
    # a batch touching more articles than summaries.CHUNK is summarised chunk by chunk (bounded memory);
    # the answers are those of the original SQL, and the same as one chunk gives
    db, one = tmp_path / "chunked.duckdb", tmp_path / "one.duckdb"
    path = _write(tmp_path / "b.jsonl", corpus[:60])
    for target, chunk in ((one, 10_000), (db, 7)):
        monkeypatch.setattr(summaries, "CHUNK", chunk)
        with writer(target) as engine:
            init_warehouse(engine)
        _load(target, path)
    assert_same_answers(db, tmp_path)

    def rows(path: Path) -> dict:  # the two loads differ only in their batch ids
        return {t: sorted(re.sub(r"batch_\w+", "batch", repr(r)) for r in v) for t, v in summary_rows(path).items()}

    assert rows(db) == rows(one)
