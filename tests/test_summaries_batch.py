"""A batch's summary refresh is limited to the batch (warehouse/summaries.py): its candidates are the articles it
wrote or gave records, the ends of its links, the articles of the stories it renamed and their superseded copies;
its new facts are read from the rows it appended (the marks load.start_batch records). These tests check that
the limited refresh leaves exactly the summaries a full recompute builds, batch after batch: new articles, changed
records, curated records for extracted articles and for copies another copy supersedes (flipping the
supersession), story merges and renames, articles ingested without records, batches of a few records. The tables
compared include revision 0012's per-answer summaries (view_flows, view_figure_flows, view_contested, view_claimants
and its multiplicities, view_source_stories, view_sources): without the rule that recomputes the old flows of the
touched articles, subtracts their old claims from view_claimants, recomputes the stories they leave or the
contested claims of older recomputed articles, a test below fails (checked by removing each rule)."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse import integrity, summaries
from warehouse.db import writer
from warehouse.etl import ingest_files, init_warehouse, load_paths

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is importable from a checkout even if not installed

from benchmarks.corpus import generate  # noqa: E402


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _rows(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(repr(r) for r in con.execute(f"SELECT * FROM {t}").fetchall())
                for t in summaries.SUMMARY_TABLES}
    finally:
        con.close()


def _recomputed(db: Path, tmp_path: Path) -> dict[str, list]:
    """The summaries of a copy of the warehouse rebuilt from nothing (every article a candidate)."""
    copy_ = tmp_path / f"full-{db.name}"
    copy_.write_bytes(db.read_bytes())
    with writer(copy_) as engine, engine.begin() as conn:
        for t in summaries.SUMMARY_TABLES:
            conn.exec_driver_sql(f"DELETE FROM {t}")
        summaries.refresh(conn)
        assert summaries.LAST["limited"] is False
    try:
        return _rows(copy_)
    finally:
        copy_.unlink()


def _load(db: Path, path: Path, batch_size: int = 0) -> dict:
    with writer(db) as engine:
        load_paths(engine, [path], batch_size=batch_size)
        with engine.connect() as conn:
            assert integrity.problems(conn) == []
    return dict(summaries.LAST)


def _curated(rec: dict) -> dict:
    out = copy.deepcopy(rec)
    out["extractor"] = {"name": "curated", "version": "1"}
    out["claims"][0]["hedge"] = "alleged" if out["claims"][0].get("hedge") != "alleged" else "confirmed"
    return out


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(generate(260, seed=23))


def test_batch_refresh_equals_a_full_recompute_batch_after_batch(corpus, tmp_path):
    db = tmp_path / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    first = _load(db, _write(tmp_path / "b1.jsonl", corpus[:120]))
    assert first["limited"] is False  # an empty warehouse: every article is new, the full statements run
    assert _rows(db) == _recomputed(db, tmp_path)

    # new articles only: the refresh compares far fewer articles than the warehouse holds
    second = _load(db, _write(tmp_path / "b2.jsonl", corpus[120:180]))
    assert second["limited"] is True
    assert second["full"] == 60  # the new ones, recomputed from the rows the batch appended
    assert second["candidates"] < 180
    assert _rows(db) == _recomputed(db, tmp_path)

    con = duckdb.connect(str(db), read_only=True)
    try:
        older = [r[0] for r in con.execute(
            "SELECT article_id FROM article_stories WHERE superseded_by IS NOT NULL ORDER BY 1").fetchall()]
        newer = [r[0] for r in con.execute(
            "SELECT DISTINCT superseded_by FROM article_stories WHERE superseded_by IS NOT NULL ORDER BY 1").fetchall()]
        stories_before = dict(con.execute("SELECT article_id, story_id FROM article_stories").fetchall())
    finally:
        con.close()
    assert older, "the corpus has copies one publisher superseded"
    by_id = {r["article"]["id"]: r for r in corpus[:180]}
    # curated records for superseded copies (a curated copy wins over its update: the supersession flips), for
    # updates and plain articles; changed records of the same extractor; and new articles (links, merges)
    curated_ids = sorted(set(older[:5]) | set(newer[-2:]) | set(list(by_id)[:4]))
    changed_ids = [a for a in list(by_id)[30:38] if a not in curated_ids]
    batch3 = [_curated(by_id[a]) for a in curated_ids if a in by_id]
    for a in changed_ids:
        rec = copy.deepcopy(by_id[a])
        rec["claims"][-1]["hedge"] = "alleged" if rec["claims"][-1].get("hedge") != "alleged" else "confirmed"
        batch3.append(rec)
    batch3 += corpus[180:230]
    third = _load(db, _write(tmp_path / "b3.jsonl", batch3))
    assert third["limited"] is True
    assert third.get("full+", 0) > 0  # older articles recomputed: new records, supersessions flipped
    assert _rows(db) == _recomputed(db, tmp_path)

    con = duckdb.connect(str(db), read_only=True)
    try:
        stories_after = dict(con.execute("SELECT article_id, story_id FROM article_stories").fetchall())
    finally:
        con.close()
    moved = [a for a, s in stories_before.items() if stories_after[a] != s]
    assert moved, "the new articles merged or renamed some stories"

    # a few records a batch (each batch its own transaction and its own marks), then the same again (unchanged)
    _load(db, _write(tmp_path / "b4.jsonl", corpus[230:]), batch_size=7)
    assert summaries.LAST["limited"] is True
    assert _rows(db) == _recomputed(db, tmp_path)
    _load(db, _write(tmp_path / "b4.jsonl", corpus[230:]))
    assert summaries.LAST["touched"] == 0
    assert _rows(db) == _recomputed(db, tmp_path)


def test_articles_ingested_without_records_then_given_records(corpus, tmp_path):
    db = tmp_path / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    _load(db, _write(tmp_path / "b1.jsonl", corpus[:80]))
    texts = tmp_path / "texts"
    texts.mkdir()
    for r in corpus[80:100]:
        (texts / f"{r['article']['id']}.txt").write_text(r["article"]["text"], encoding="utf-8")
    with writer(db) as engine:
        _articles, new, _batch = ingest_files(engine, [texts])
    assert new == 20
    assert summaries.LAST["limited"] is True
    assert _rows(db) == _recomputed(db, tmp_path)


def test_refresh_without_the_batch_marks_compares_every_article(corpus, tmp_path):
    db = tmp_path / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    _load(db, _write(tmp_path / "b1.jsonl", corpus[:40]))
    with writer(db) as engine, engine.begin() as conn:
        assert summaries.refresh(conn, "batch_not_started_here") == 0
        assert summaries.LAST == {"limited": False, "candidates": 40, "touched": 0}


# What warehouse.stories does to the tables when a batch's link joins two stories or moves a supersession,
# done here by hand inside a batch (load.start_batch's marks, then the batch's writes, then its refresh), on
# articles that are not the link's ends: only the limited refresh's own rules can find them.

def _batch(engine, writes) -> dict:
    from warehouse.load import finish_batch, new_batch_id, start_batch

    batch_id = new_batch_id()
    with engine.begin() as conn:
        start_batch(conn, batch_id, "test", [])
        writes(conn.exec_driver_sql)
        finish_batch(conn, batch_id, "ok", {})
    return dict(summaries.LAST)


def _rebuild_stories(ex, ids: list[str]) -> None:
    from warehouse.stories import STORIES_SQL

    listed = ", ".join(f"'{i}'" for i in ids)
    ex(f"DELETE FROM stories WHERE story_id IN ({listed})")
    ex(STORIES_SQL.format(where=f"WHERE s.story_id IN ({listed})"))


def test_a_renamed_story_moves_every_article_of_it(corpus, tmp_path):
    db = tmp_path / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    _load(db, _write(tmp_path / "b1.jsonl", corpus))
    with writer(db) as engine:
        with engine.connect() as conn:
            # a story of at least two articles (renamed) and an earlier one (which it joins)
            stories = conn.exec_driver_sql(
                "SELECT s.story_id, coalesce(st.first_published, DATE '9999-12-31'), count(*) FROM article_stories s "
                "JOIN stories st USING (story_id) GROUP BY ALL ORDER BY 2, 1").fetchall()
            first, later = stories[0], next(st for st in stories[1:] if st[2] >= 2)
            a = conn.exec_driver_sql("SELECT min(article_id) FROM article_stories WHERE story_id = ?",
                                     (first[0],)).scalar()
            b = conn.exec_driver_sql("SELECT min(article_id) FROM article_stories WHERE story_id = ?",
                                     (later[0],)).scalar()
            others = conn.exec_driver_sql("SELECT count(*) FROM article_stories WHERE story_id = ? "
                                          "AND article_id <> ?", (later[0], b)).scalar()
        assert others >= 1

        def merge(ex):
            lo, hi = sorted((a, b))
            ex("INSERT INTO article_links VALUES (?, ?, 'same_story', 0.5)", (lo, hi))
            ex("UPDATE article_stories SET story_id = ? WHERE story_id = ?", (first[0], later[0]))
            _rebuild_stories(ex, [first[0], later[0]])

        last = _batch(engine, merge)
    assert last["limited"] is True
    assert last["story+"] == others + 1  # every article of the renamed story, not only the link's end
    assert _rows(db) == _recomputed(db, tmp_path)


def test_a_copy_superseded_before_is_counted_again_when_another_copy_supersedes(corpus, tmp_path):
    db = tmp_path / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    _load(db, _write(tmp_path / "b1.jsonl", corpus[:200]))
    with writer(db) as engine:
        with engine.connect() as conn:
            # a copy o superseded by x
            o, x = conn.exec_driver_sql(
                "SELECT s.article_id, s.superseded_by FROM article_stories s "
                "WHERE s.superseded_by IS NOT NULL ORDER BY 1 LIMIT 1").fetchone()
            # another article of the same publisher that no copy supersedes: o's new superseder
            later = conn.exec_driver_sql(
                "SELECT a.article_id FROM articles a JOIN article_stories s USING (article_id) "
                "WHERE a.source_id IS NOT DISTINCT FROM (SELECT source_id FROM articles WHERE article_id = ?) "
                "AND a.article_id NOT IN (?, ?) AND s.superseded_by IS NULL "
                "AND a.article_id NOT IN (SELECT superseded_by FROM article_stories WHERE superseded_by IS NOT NULL) "
                "ORDER BY 1 LIMIT 1", (o, o, x)).scalar()
        assert later is not None

    # o's curated record (a curated copy wins over its update: x is superseded now)
    _load(db, _write(tmp_path / "curated.jsonl", [_curated(r) for r in corpus if r["article"]["id"] == o]))
    with writer(db) as engine:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT counted_extractor FROM view_articles WHERE article_id = ?",
                                        (x,)).scalar() is None  # x superseded by the curated o
    assert _rows(db) == _recomputed(db, tmp_path)
    with writer(db) as engine:

        def supersede(ex):
            story = ex("SELECT story_id FROM article_stories WHERE article_id = ?", (o,)).scalar()
            old_story = ex("SELECT story_id FROM article_stories WHERE article_id = ?", (later,)).scalar()
            lo, hi = sorted((o, later))
            ex("INSERT INTO article_links VALUES (?, ?, 'duplicate', 0.9)", (lo, hi))
            ex("UPDATE article_stories SET story_id = ? WHERE story_id = ?", (story, old_story))
            ex("UPDATE article_stories SET superseded_by = ? WHERE article_id = ?", (later, o))
            _rebuild_stories(ex, sorted({story, old_story}))

        _batch(engine, supersede)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT counted_extractor FROM view_articles WHERE article_id = ?",
                                        (x,)).scalar() is not None  # x counts again: no copy supersedes it now
    assert _rows(db) == _recomputed(db, tmp_path)


def test_changed_records_move_claimants_flows_and_contested_claims(corpus, tmp_path):
    # revision 0012's per-answer summaries: a changed record whose claims change claimant (one claimant losing its
    # last claim, another gaining claims) and whose transfers change flow; fails without the rules that subtract the
    # old claims from view_claimants and recompute the old flows and contested claims of the recomputed articles
    db = tmp_path / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
    _load(db, _write(tmp_path / "b1.jsonl", corpus[:100]))
    con = duckdb.connect(str(db), read_only=True)
    try:
        # a claimant of exactly one counted claim: it must leave view_claimants when that claim changes claimant
        lone = con.execute("SELECT claimant_id FROM view_claimants WHERE claims = 1 AND claimant_id IS NOT NULL "
                           "ORDER BY 1 LIMIT 1").fetchone()
        before = dict(con.execute("SELECT coalesce(claimant_id, ''), claims FROM view_claimants").fetchall())
    finally:
        con.close()
    by_id = {r["article"]["id"]: r for r in corpus[:100]}
    changed = []
    for rec in list(by_id.values())[:12]:
        rec = copy.deepcopy(rec)
        for c in rec["claims"]:
            if lone and c.get("claimant") == lone[0]:
                c["claimant"] = None  # the lone claimant's claim becomes unattributed
            elif c["predicate"] == "transfer" and c.get("claimant"):
                c["claimant"] = rec["claims"][0].get("claimant") or c["claimant"]
                c["hedge"] = "alleged" if c.get("hedge") != "alleged" else "confirmed"
                c["transfer"]["category"] = "munitions" if c["transfer"]["category"] != "munitions" else "drones"
        changed.append(rec)
    if lone:
        changed += [copy.deepcopy(r) for r in by_id.values() if any(c.get("claimant") == lone[0] for c in r["claims"])
                    and r not in changed]
        for rec in changed[12:]:
            for c in rec["claims"]:
                if c.get("claimant") == lone[0]:
                    c["claimant"] = None
    last = _load(db, _write(tmp_path / "b2.jsonl", changed))
    assert last["limited"] is True and last.get("full+", 0) > 0
    assert _rows(db) == _recomputed(db, tmp_path)
    con = duckdb.connect(str(db), read_only=True)
    try:
        after = dict(con.execute("SELECT coalesce(claimant_id, ''), claims FROM view_claimants").fetchall())
        assert sum(after.values()) == sum(before.values())  # the same counted claims, moved between claimants
        assert after != before
        if lone:
            assert lone[0] not in after
    finally:
        con.close()
