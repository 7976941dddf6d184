"""The LSH buckets split into small (article_lsh) and full (article_lsh_full) give the same candidates.

Until revision 0010 article_lsh kept every band row of every article and each batch counted the
buckets' sizes from all of them (REFERENCE_SQL below, the query of that layout, frozen here). Now a
bucket that passes stories.MAX_BUCKET is recorded in article_lsh_full and its rows leave
article_lsh; the loader reads only the small buckets' rows. These tests load corpora in many
chunks beside a shadow table holding every band row (what article_lsh held before), and check that
each chunk's candidate pairs are the reference query's, that the two tables are the shadow table
split, and that the links and stories equal those of a load whose candidates come from the
reference query; and that the migration splits a warehouse loaded before it and puts the rows back
on a downgrade.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest

from warehouse import etl, load, migrate, stories
from warehouse.bulk import duck, registered, run_sql
from warehouse.db import writer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # benchmarks/ is importable from a checkout even if not installed

from benchmarks.corpus import write_corpus  # noqa: E402

# warehouse.stories.CANDIDATES_SQL as of revision 0009 (commit 05e208a), over a table of every band row
REFERENCE_SQL = """
WITH keys AS (SELECT DISTINCT band, bucket FROM _new_lsh),
small AS (
    SELECT o.band, o.bucket FROM _ref_lsh o JOIN keys k ON k.band = o.band AND k.bucket = o.bucket
    GROUP BY o.band, o.bucket HAVING count(*) <= {MAX_BUCKET}
),
rows_ AS MATERIALIZED (
    SELECT o.band, o.bucket, o.article_id FROM _ref_lsh o
    SEMI JOIN small s ON s.band = o.band AND s.bucket = o.bucket
),
ids AS MATERIALIZED (
    SELECT article_id, row_number() OVER () AS k, article_id IN (SELECT article_id FROM _new_lsh) AS is_new
    FROM (SELECT DISTINCT article_id FROM rows_)
),
numbered AS MATERIALIZED (SELECT r.band, r.bucket, i.k, i.is_new FROM rows_ r JOIN ids i USING (article_id)),
shared AS (
    SELECT n.k AS a, o.k AS b, n.band >= {NAME_BAND_BASE} AS by_names, count(*) AS bands
    FROM numbered n
    JOIN numbered o ON o.band = n.band AND o.bucket = n.bucket AND o.k <> n.k
    WHERE n.is_new
    GROUP BY ALL
    HAVING count(*) >= {MIN_SHARED_BANDS}
)
SELECT ia.article_id, ib.article_id
FROM shared s
JOIN ids ia ON ia.k = s.a
JOIN ids ib ON ib.k = s.b
LEFT JOIN article_signatures sa ON sa.article_id = ia.article_id
LEFT JOIN article_signatures sb ON sb.article_id = ib.article_id
WHERE NOT s.by_names OR abs(date_diff('day', sa.published_on, sb.published_on)) <= {STORY_DAYS}
QUALIFY row_number() OVER (PARTITION BY ia.article_id ORDER BY s.bands DESC, ib.article_id)
    <= {CANDIDATES_PER_ARTICLE}
"""

_REAL = (stories._cluster_new_articles, stories._candidate_pairs)  # before any test wraps them
STORY_TABLES = ("article_links", "article_stories", "stories", "article_signatures")


def _reference_pairs(d) -> list[tuple[str, str]]:
    sql = REFERENCE_SQL.format(**{k: getattr(stories, k) for k in (
        "MAX_BUCKET", "NAME_BAND_BASE", "MIN_SHARED_BANDS", "STORY_DAYS", "CANDIDATES_PER_ARTICLE")})
    return sorted({tuple(sorted(p)) for p in run_sql(d, sql).fetchall()})


class Shadow:
    """Wraps stories._cluster_new_articles: keeps _ref_lsh (every band row, the old article_lsh) in the
    same transaction, and per chunk compares the candidates with REFERENCE_SQL's. With ``use_reference``
    the chunk's candidates are REFERENCE_SQL's (the old layout's load)."""

    def __init__(self, monkeypatch, use_reference: bool = False):
        self.chunks = 0
        self.pairs = 0
        self.full_seen = 0
        real_cluster, real_candidates = _REAL
        state: dict = {}

        def candidates(conn):
            got = real_candidates(conn)
            d = state["d"]
            with registered(d, "_new_lsh", state["lsh"]):
                run_sql(d, "INSERT INTO _ref_lsh SELECT band, bucket, article_id FROM _new_lsh")
                want = _reference_pairs(d)
            assert got == want
            self.pairs += len(want)
            return want if use_reference else got

        def cluster(conn, articles, pending=None):
            d = duck(conn)
            run_sql(d, "CREATE TABLE IF NOT EXISTS _ref_lsh (band SMALLINT, bucket BIGINT, article_id VARCHAR)")
            _sigs, state["lsh"] = stories._sign_many(articles)
            state["d"] = d
            n = real_cluster(conn, articles, pending)  # asks _candidate_pairs() once if there are articles
            self._check_split(d)
            self.chunks += 1
            return n

        monkeypatch.setattr(stories, "_cluster_new_articles", cluster)
        monkeypatch.setattr(stories, "_candidate_pairs", candidates)

    def _check_split(self, d) -> None:
        """article_lsh = the shadow's rows of buckets of at most MAX_BUCKET; article_lsh_full = the others."""
        m = stories.MAX_BUCKET
        full = run_sql(d, f"SELECT band, bucket FROM _ref_lsh GROUP BY ALL HAVING count(*) > {m} ORDER BY ALL"
                       ).fetchall()
        assert run_sql(d, "SELECT band, bucket FROM article_lsh_full ORDER BY ALL").fetchall() == full
        assert run_sql(d, f"""
            (SELECT * FROM article_lsh EXCEPT ALL
             SELECT * FROM _ref_lsh WHERE (band, bucket) IN (SELECT band, bucket FROM _ref_lsh GROUP BY ALL
                                                            HAVING count(*) <= {m}))
            UNION ALL
            (SELECT * FROM _ref_lsh WHERE (band, bucket) IN (SELECT band, bucket FROM _ref_lsh GROUP BY ALL
                                                            HAVING count(*) <= {m})
             EXCEPT ALL SELECT * FROM article_lsh)""").fetchall() == []
        self.full_seen = max(self.full_seen, len(full))


def _content(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in STORY_TABLES}
    finally:
        con.close()


def _load_batches(db: Path, paths: list[Path]) -> None:
    with writer(db) as engine:
        for p in paths:  # one batch (transaction) per file
            etl.load_paths(engine, [p])


@pytest.fixture
def corpora(tmp_path: Path) -> list[Path]:
    """Three files: 300 articles, 200 of another seed (other days, other stories), then 150 of the first seed's
    corpus again and more (its first 150 are known: not clustered again)."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_corpus(a, 450)
    write_corpus(b, 200, 7)
    lines = a.read_text(encoding="utf-8").splitlines(keepends=True)
    first, third = tmp_path / "1.jsonl", tmp_path / "3.jsonl"
    first.write_text("".join(lines[:300]), encoding="utf-8")
    third.write_text("".join(lines[150:]), encoding="utf-8")
    return [first, b, third]


@pytest.mark.parametrize(("max_bucket", "per_article"), [(stories.MAX_BUCKET, stories.CANDIDATES_PER_ARTICLE), (4, 3)])
def test_each_chunk_has_the_reference_candidates_and_the_same_stories(
        initialized_template, tmp_path, monkeypatch, corpora, max_bucket, per_article):
    monkeypatch.setattr(stories, "MAX_BUCKET", max_bucket)  # small: many buckets fill up, some within one chunk
    monkeypatch.setattr(stories, "CANDIDATES_PER_ARTICLE", per_article)  # small: the cap and its ties decide
    monkeypatch.setattr(load, "WRITE_CHUNK", 40)
    new_db, ref_db = tmp_path / "new.duckdb", tmp_path / "ref.duckdb"
    for db in (new_db, ref_db):
        shutil.copyfile(initialized_template, db)
    checked = Shadow(monkeypatch)
    _load_batches(new_db, corpora)
    assert checked.chunks >= 15 and checked.pairs > 250 and checked.full_seen > 20
    Shadow(monkeypatch, use_reference=True)
    _load_batches(ref_db, corpora)
    new, ref = _content(new_db), _content(ref_db)
    assert new["article_links"] and len(new["stories"]) < len(new["article_stories"]) == 650
    assert new == ref


def test_a_batch_whose_articles_fill_a_bucket_alone_stores_it_full(initialized_template, tmp_path, monkeypatch):
    """Buckets passing MAX_BUCKET with no stored rows (the batch's own articles fill them), and buckets
    already full getting new articles: neither stores a row."""
    monkeypatch.setattr(stories, "MAX_BUCKET", 3)
    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 120)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(initialized_template, db)
    checked = Shadow(monkeypatch)
    _load_batches(db, [corpus])  # one chunk: every full bucket is filled by the batch alone
    more = tmp_path / "more.jsonl"
    write_corpus(more, 60, 3)
    _load_batches(db, [more])
    assert checked.chunks == 2 and checked.full_seen > 50
    con = duckdb.connect(str(db), read_only=True)
    try:
        sizes = con.execute("SELECT max(n) FROM (SELECT count(*) n FROM article_lsh GROUP BY band, bucket)").fetchone()
        assert sizes[0] <= 3
        assert con.execute("SELECT count(*) FROM article_lsh SEMI JOIN article_lsh_full USING (band, bucket)"
                           ).fetchone() == (0,)
    finally:
        con.close()


def _all_band_rows(db: Path) -> list[tuple]:
    """Every stored signature's band rows, as the loader computes them (Signature.lsh_rows)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT article_id, dup_sig, names, published_on, source_id FROM article_signatures"
                           ).fetchall()
    finally:
        con.close()
    out = []
    for aid, sig, names, pub, src in rows:
        s = stories.Signature(aid, np.frombuffer(sig, dtype=np.uint32), names.split("\n") if names else [], pub, src)
        out.extend(s.lsh_rows())
    return sorted(out)


def _lsh(db: Path) -> tuple[list[tuple], list[tuple] | None]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = sorted(con.execute("SELECT band, bucket, article_id FROM article_lsh").fetchall())
        has_full = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'article_lsh_full'"
                               ).fetchone()[0]
        full = sorted(con.execute("SELECT band, bucket FROM article_lsh_full").fetchall()) if has_full else None
        return rows, full
    finally:
        con.close()


def test_migration_splits_a_warehouse_loaded_before_it_and_the_downgrade_puts_the_rows_back(
        initialized_template, tmp_path):
    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 400)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(initialized_template, db)
    _load_batches(db, [corpus])
    loaded_rows, loaded_full = _lsh(db)
    every = _all_band_rows(db)
    assert loaded_full, "the corpus fills some buckets (boilerplate sentences)"
    with writer(db) as engine:
        migrate.downgrade(engine, "0009")
    before_rows, before_full = _lsh(db)
    assert before_full is None
    assert before_rows == every  # revision 0009's article_lsh: every band row of every article
    with writer(db) as engine:
        with engine.begin() as conn:  # the rows of a 0009 warehouse are in insertion order, not sorted
            conn.exec_driver_sql("CREATE TABLE _t AS SELECT * FROM article_lsh ORDER BY article_id DESC, band")
            conn.exec_driver_sql("DELETE FROM article_lsh")
            conn.exec_driver_sql("INSERT INTO article_lsh SELECT * FROM _t")
            conn.exec_driver_sql("DROP TABLE _t")
        migrate.upgrade(engine, "head")
    after_rows, after_full = _lsh(db)
    assert (after_rows, after_full) == (loaded_rows, loaded_full)
    assert len(after_rows) < len(every)
    # and a load after the upgrade goes on as on a warehouse loaded at head
    more = tmp_path / "more.jsonl"
    write_corpus(more, 80, 5)
    upgraded = tmp_path / "upgraded.duckdb"
    shutil.copyfile(db, upgraded)
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(initialized_template, fresh)
    _load_batches(fresh, [corpus])
    _load_batches(fresh, [more])
    _load_batches(upgraded, [more])
    assert _lsh(upgraded) == _lsh(fresh)
    up, fr = _content(upgraded), _content(fresh)
    assert up == fr


def test_links_are_relation_of_every_candidate_pair(initialized_template, tmp_path, monkeypatch, corpora):
    """The loader verifies a chunk's candidate pairs on arrays (its own signatures as signed, the others read
    from article_signatures, name sets built once per article); every pair's outcome is relation() of the
    two Signature objects, pair by pair: the links stored are exactly the pairs relation() relates, with
    its relation and score (multi-chunk, multi-batch loads, so most pairs have an end stored before)."""
    monkeypatch.setattr(load, "WRITE_CHUNK", 40)
    asked: list[tuple[str, str]] = []
    real = _REAL[1]

    def candidates(conn):
        got = real(conn)
        asked.extend(got)
        return got

    monkeypatch.setattr(stories, "_candidate_pairs", candidates)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(initialized_template, db)
    _load_batches(db, corpora)
    con = duckdb.connect(str(db), read_only=True)
    try:
        sigs = {aid: stories.Signature(aid, np.frombuffer(sig, dtype=np.uint32), names.split("\n") if names else [],
                                       pub, src)
                for aid, sig, names, pub, src in con.execute(
                    "SELECT article_id, dup_sig, names, published_on, source_id FROM article_signatures").fetchall()}
        links = sorted(con.execute("SELECT article_a, article_b, relation, score FROM article_links").fetchall())
    finally:
        con.close()
    expected = sorted((a, b, *rel) for a, b in set(asked) if (rel := stories.relation(sigs[a], sigs[b])) is not None)
    kinds = {r for _a, _b, r, _s in expected}
    assert len(asked) > 250 and kinds == {"duplicate", "same_story"}
    assert links == expected
