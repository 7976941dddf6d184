"""Near-duplicate articles and stories: one story, one count.

Two relations between articles, found when an article is first stored:

- **duplicate**: the same text with other page furniture, an update line, a changed paragraph,
  or a wire story re-published by another outlet. Found by word 5-gram shingles: a MinHash
  signature per article (datasketch), banded for LSH (``DUP_BANDS`` bands of ``DUP_ROWS``
  rows), and a pair counts when the signatures' estimated Jaccard similarity is at least
  ``DUP_THRESHOLD``.
- **same story**: another outlet's rewrite of the same news (other words, the same event).
  Found by the names and figures the two texts share (capitalised words, numbers): a second
  MinHash over those (``NAME_BANDS`` x ``NAME_ROWS``) gives the candidates among articles
  published within ``STORY_DAYS`` days, and a pair counts when the exact Jaccard similarity
  of their name sets, less ``DAY_PENALTY`` per day between them, is at least
  ``STORY_THRESHOLD``.

The thresholds were tuned on the dev half of tests/data/dedup (families with an even number)
and scored once on the test half (``benchmarks/dedup_eval.py``).

The LSH index lives in the warehouse (``article_lsh``: band, bucket, article), not in memory:
datasketch's MinHashLSH keeps its index in a Python dict (or Redis/Cassandra), so every run
would have to rebuild it from every stored signature. Stored in DuckDB, a batch inserts its
own articles' band keys and joins only those against the table: a new article is compared
with its candidates, never with every article. The banding itself is the standard one (a
band's key is a hash of its rows' minimum hash values). A bucket that passes ``MAX_BUCKET``
articles gives no candidates (boilerplate) and never will (buckets only grow): its key moves to
``article_lsh_full`` and its rows leave ``article_lsh`` (revision 0010), which so holds the
small buckets alone (a quarter of the band rows at 100,000 benchmark articles).

Stories are connected components of both relations. A story's id is ``sty_`` + the id of its
earliest article (published date, then article id), so loading the same articles again
changes nothing. An article that duplicates an earlier one **from the same publisher** (an
updated version, the same page with other furniture; two copies without a publisher count as
the same) supersedes it: the older article's facts are counted by no view
(``article_stories.superseded_by``, read by the base view ``superseded_articles``), except that
a copy with a curated record always wins over one without. Copies by other outlets stay as
articles of their own and join the story.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import pickle
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from . import signing
from .bulk import duck, registered, run_arrow, run_sql
from .signing import (  # noqa: F401 (re-exported: warehouse.stories is where the tests and callers look)
    _NAME,
    _NOT_NAMES,
    DUP_BANDS,
    DUP_PERM,
    DUP_ROWS,
    DUP_SEED,
    NAME_BANDS,
    NAME_PERM,
    NAME_ROWS,
    NAME_SEED,
    SHINGLE_WORDS,
    SIGN_CHUNK,
    _band_keys,
    _bands,
    _crc32s,
    _minhash,
    _shingles_many,
    _words,
    crc32_many,
    minhash_many,
    names,
    shingle_hashes,
)

DUP_THRESHOLD = 0.2  # dev: duplicates 0.38-0.88, everything else at most 0.02
STORY_THRESHOLD = 0.25  # dev: rewrites 0.26-0.63 on the day, a next-day denial story 0.37-0.41
DAY_PENALTY = 0.2  # per day between the two publication dates
STORY_DAYS = 2
NAME_BAND_BASE = 100  # name bands are numbered from here in article_lsh
MIN_SHARED_BANDS = 2  # of 32 (2 rows each): 0.95 of pairs at Jaccard 0.38 (the dev set's least similar copy)
MAX_BUCKET = 50
CANDIDATES_PER_ARTICLE = 20

@dataclass(frozen=True)
class Signature:
    article_id: str
    dup: np.ndarray
    names: list[str]
    published_on: date | None
    source_id: str | None

    def lsh_rows(self) -> list[tuple[int, int, str]]:
        keys = _bands(self.dup, DUP_BANDS, DUP_ROWS, 0)
        if self.names and self.published_on is not None:
            name_sig = _minhash(_crc32s(self.names), NAME_PERM, NAME_SEED)
            keys += _bands(name_sig, NAME_BANDS, NAME_ROWS, NAME_BAND_BASE)
        return [(band, bucket, self.article_id) for band, bucket in keys]


def signature(article_id: str, text: str, published_on: date | None, source_id: str | None) -> Signature:
    return Signature(article_id, _minhash(shingle_hashes(text), DUP_PERM, DUP_SEED), names(text), published_on,
                     source_id)


def sign_many(articles: list[tuple[str, str, date | None, str | None]]) -> tuple[list[Signature], pd.DataFrame]:
    """Signatures of (id, text, published_on, source_id) and their LSH rows (band, bucket, article_id)
    as one frame; the same values as signature() and Signature.lsh_rows() one by one."""
    sigs, lsh = _sign_many(articles)
    return sigs, lsh.to_pandas()


def _sign_many(articles: list[tuple[str, str, date | None, str | None]],
               pending: Future | None = None) -> tuple[list[Signature], pa.Table]:
    """sign_many, the LSH rows as an Arrow table (the article ids repeated by Arrow's take, not as
    320,000 Python references a chunk for DuckDB to read one by one). With ``pending``
    (start_signing's future for the same articles) the arrays come from the worker process."""
    arrays, lsh = _sign_arrays(articles, pending)
    sigs = [Signature(a[0], arrays["dup"][i], nm.split("\n") if nm else [], a[2], a[3])
            for i, (a, nm) in enumerate(zip(articles, arrays["names"], strict=True))]
    return sigs, lsh


def _sign_arrays(articles: list[tuple[str, str, date | None, str | None]],
                 pending: Future | None = None) -> tuple[dict, pa.Table]:
    """_sign_many without the Signature objects: signing.sign_texts()'s arrays (``dup``: one row per
    article, ``names``: each article's names joined by newlines) and the LSH rows."""
    arrays = None
    if pending is not None:
        try:
            arrays = pending.result()
            TIMING["sign_process_cpu_seconds"] = TIMING.get("sign_process_cpu_seconds", 0.0) + arrays["cpu_seconds"]
        except Exception:  # noqa: BLE001 (the worker died or could not start: sign here; a real error recurs here)
            arrays = None
    if arrays is None:
        arrays = signing.sign_texts([a[1] for a in articles], [a[2] is not None for a in articles])
    dup_keys, name_rows, name_keys = arrays["dup_keys"], arrays["name_rows"], arrays["name_keys"]
    ids = pa.array([a[0] for a in articles], pa.string())
    tables: list[pa.Table] = []
    for lo in range(0, len(articles), SIGN_CHUNK):  # rows in the order they always had: a chunk's dup bands, its names
        hi = min(lo + SIGN_CHUNK, len(articles))
        tables.append(pa.table({
            "band": np.tile(np.arange(DUP_BANDS, dtype=np.int16), hi - lo),
            "bucket": dup_keys[lo:hi].reshape(-1),
            "article_id": ids.take(np.repeat(np.arange(lo, hi), DUP_BANDS)),
        }))
        sel = (name_rows >= lo) & (name_rows < hi)
        if sel.any():
            tables.append(pa.table({
                "band": np.tile(np.arange(NAME_BAND_BASE, NAME_BAND_BASE + NAME_BANDS, dtype=np.int16), int(sel.sum())),
                "bucket": name_keys[sel].reshape(-1),
                "article_id": ids.take(np.repeat(name_rows[sel], NAME_BANDS)),
            }))
    lsh = pa.concat_tables(tables) if tables else pa.table(
        {"band": pa.array([], pa.int16()), "bucket": pa.array([], pa.int64()), "article_id": pa.array([], pa.string())})
    return arrays, lsh


# Signing in a worker process. In a load, clustering runs in the writer thread while the main
# thread validates the next chunk; signing is Python and numpy that holds the GIL, so the two
# threads took turns (clustering's wall time was about twice its CPU time, and the validation
# waited as well). start_signing() hands the texts to a worker process (numpy and re only:
# warehouse.signing) as soon as the chunk's new articles are known; the load writes the chunk's
# facts meanwhile and clusters at the end of the chunk. The worker's results are the same arrays
# sign_texts() computes in-process (a test checks it); if the worker fails, the chunk is signed
# in-process. A chunk of fewer than SIGN_IN_PROCESS_BELOW new articles is signed in-process:
# a 1,000-article daily load in a fresh process took 2.1-2.5 s with the worker (started for it)
# and 1.9-2.2 s without (3 runs each, in turn, into the 10k benchmark warehouse).
#
# Not multiprocessing / ProcessPoolExecutor: a "spawn" or "forkserver" worker imports the caller's
# main module again (a script that calls the loader without an `if __name__ == "__main__"` guard
# would run again in the worker), and a plain fork would copy the load's DuckDB threads mid-flight.
# The worker is `python -c` running warehouse.signing.serve from this very package, fed pickles
# through a pipe by one thread here (pipe I/O releases the GIL).
SIGN_IN_PROCESS_BELOW = 2_000  # new articles in a chunk (load.WRITE_CHUNK is 5,000)
_WORKER: dict = {}  # "proc": the worker's Popen, "io": the thread that talks to it


def _worker_call(texts: list[str], banded: list[bool]) -> dict:
    proc = _WORKER.get("proc")
    if proc is None or proc.poll() is not None:
        root = str(Path(__file__).resolve().parent.parent)  # the folder holding this warehouse package
        proc = _WORKER["proc"] = subprocess.Popen(
            [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); from warehouse.signing import serve; "
             "serve(sys.stdin.buffer, sys.stdout.buffer)", root],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        pickle.dump((texts, banded), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        proc.stdin.flush()
        return pickle.load(proc.stdout)
    except BaseException:
        _stop_worker()  # a half-read answer cannot be resynchronised: the next call starts a new worker
        raise


def _stop_worker() -> None:
    proc = _WORKER.pop("proc", None)
    if proc is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()  # the worker's input ends: it returns
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with contextlib.suppress(OSError):
            proc.stdout.close()


def start_signing(articles: list[tuple[str, str, date | None, str | None]]) -> Future | None:
    """Start signing (id, text, published_on, source_id) in the worker process; None when the batch is
    small (cluster_new_articles then signs in-process)."""
    if len(articles) < SIGN_IN_PROCESS_BELOW:
        return None
    if "io" not in _WORKER:
        _WORKER["io"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warehouse-sign")
        atexit.register(_stop_worker)
    return _WORKER["io"].submit(_worker_call, [a[1] for a in articles], [a[2] is not None for a in articles])


def dup_similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def story_score(names_a: Iterable[str], names_b: Iterable[str], days: int) -> float:
    return _set_score(set(names_a), set(names_b), days)


def _set_score(a: set[str] | frozenset[str], b: set[str] | frozenset[str], days: int) -> float:
    union = len(a | b)
    jaccard = len(a & b) / union if union else 0.0
    return jaccard - DAY_PENALTY * days


def relation(a: Signature, b: Signature) -> tuple[str, float] | None:
    """('duplicate' | 'same_story', score) of two articles, or None."""
    sim = dup_similarity(a.dup, b.dup)
    if sim >= DUP_THRESHOLD:
        return "duplicate", sim
    return _story_relation(a, b)


def _story_relation(a: Signature, b: Signature) -> tuple[str, float] | None:
    """relation() of two articles that are not duplicates."""
    if a.published_on is None or b.published_on is None:
        return None
    days = abs((a.published_on - b.published_on).days)
    if days > STORY_DAYS:
        return None
    score = story_score(a.names, b.names, days)
    return ("same_story", score) if score >= STORY_THRESHOLD else None


# ---------------------------------------------------------------- in the warehouse


def _load_signature_arrays(conn: sa.Connection, ids: list[str]
                           ) -> tuple[list[str], np.ndarray, list[str | None], list[date | None]]:
    """The stored signatures of ``ids`` as (ids, dup rows (uint32 x DUP_PERM), names joined by newlines,
    published_on), without a Signature object and a split of the names per article."""
    if not ids:
        return [], np.zeros((0, DUP_PERM), dtype=np.uint32), [], []
    d = duck(conn)
    with registered(d, "_sig_ids", pa.table({"article_id": pa.array(ids, pa.string())})):
        got = run_arrow(d,
            "SELECT s.article_id, s.dup_sig, s.names, s.published_on FROM article_signatures s "
            "SEMI JOIN _sig_ids i ON i.article_id = s.article_id")
    blobs = got["dup_sig"].to_pylist()
    dup = np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(len(blobs), -1) if blobs else \
        np.zeros((0, DUP_PERM), dtype=np.uint32)
    return got["article_id"].to_pylist(), dup, got["names"].to_pylist(), got["published_on"].to_pylist()


# What clustering has cost in this process (the benchmark reads and resets it): wall seconds, and
# the CPU seconds of the thread that ran it (less sensitive to a busy machine); and the CPU seconds
# the signing worker process spent (start_signing), not in this process's CPU time.
TIMING = {"seconds": 0.0, "cpu_seconds": 0.0, "articles": 0, "candidate_pairs": 0, "sign_process_cpu_seconds": 0.0}


def cluster_new_articles(conn: sa.Connection, articles: list[tuple[str, str, date | None, str | None]],
                         pending: Future | None = None) -> int:
    """_cluster_new_articles, timed; ``pending``: start_signing()'s future for these articles."""
    t0, c0 = time.perf_counter(), time.thread_time()
    try:
        n = _cluster_new_articles(conn, articles, pending)
    finally:
        TIMING["seconds"] += time.perf_counter() - t0
        TIMING["cpu_seconds"] = TIMING.get("cpu_seconds", 0.0) + time.thread_time() - c0
    TIMING["articles"] += len(articles)
    TIMING["candidate_pairs"] += n
    return n


def _cluster_new_articles(conn: sa.Connection, articles: list[tuple[str, str, date | None, str | None]],
                          pending: Future | None = None) -> int:
    """Store signatures of new articles (id, cleaned text, published_on, source_id), find their
    duplicates and stories among their LSH candidates, and update the stories they touch.

    Runs inside the caller's transaction. Returns the number of candidate pairs verified."""
    if not articles:
        return 0
    d = duck(conn)
    t = time.perf_counter()
    arrays, lsh = _sign_arrays(articles, pending)
    t = _phase("sign", t)
    # the new articles' signatures as arrays (no Signature objects: their names are split into sets
    # only for the pairs that need them)
    new_ids = [a[0] for a in articles]
    dup = np.ascontiguousarray(arrays["dup"], dtype=np.uint32)
    width = dup.shape[1] * dup.itemsize
    frame = pa.table({  # Arrow, not pandas: DuckDB read a pandas column of bytes objects one by one
        "article_id": pa.array(new_ids, pa.string()),
        "dup_sig": pa.Array.from_buffers(pa.binary(), len(articles), [
            None, pa.py_buffer(np.arange(len(articles) + 1, dtype=np.int32) * np.int32(width)), pa.py_buffer(dup)]),
        "names": pa.array(arrays["names"], pa.string()),
        "published_on": pa.array([a[2] for a in articles], pa.date32()),
        "source_id": pa.array([a[3] for a in articles], pa.string()),
    })
    with registered(d, "_new_sigs", frame):
        run_sql(conn,
            "INSERT INTO article_signatures (article_id, dup_sig, names, published_on, source_id) "
            "SELECT article_id, dup_sig, names, published_on, source_id FROM _new_sigs "
            "ANTI JOIN article_signatures USING (article_id)"  # (NOT IN built a hash table of every stored id)
        )
    t = _phase("store_signatures", t)
    with registered(d, "_new_lsh", lsh):
        rows = run_arrow(d, BUCKET_ROWS_SQL)
    rows, ids = _numbered(rows)
    t = _phase("bucket_rows", t)
    with registered(d, "_lsh_rows", rows), registered(d, "_lsh_ids", ids):
        _store_bands(conn, rows)
        t = _phase("store_bands", t)
        pairs = _candidate_pairs(conn)
    # the batch's own signatures are at hand (the last of an id given twice, as a dict keeps it); the
    # others are read
    row_of = {aid: i for i, aid in enumerate(new_ids)}
    names_text: list[str | None] = list(arrays["names"])
    days: list[date | None] = [a[2] for a in articles]
    stored = _load_signature_arrays(conn, sorted(set(itertools.chain.from_iterable(pairs)) - row_of.keys()))
    if stored[0]:
        row_of.update({aid: len(new_ids) + i for i, aid in enumerate(stored[0])})
        dup = np.concatenate((dup, stored[1]))
        names_text += stored[2]
        days += stored[3]
    t = _phase("candidates", t)
    if not pairs:
        _write_stories(conn, set(new_ids), [])
        _phase("write_stories", t)
        return 0
    # relation() for every pair, the duplicate similarity of all pairs in one numpy pass (the same
    # values: a count of equal positions over DUP_PERM)
    ia = np.array([row_of[a] for a, _b in pairs], dtype=np.int64)
    ib = np.array([row_of[b] for _a, b in pairs], dtype=np.int64)
    same = dup[ia] == dup[ib]
    sims = (np.count_nonzero(same, axis=1) / same.shape[1]).tolist()
    found = []
    name_sets: dict[int, frozenset[str]] = {}  # each article's names as a set once, not once per pair

    def names_of(row: int) -> frozenset[str]:
        got = name_sets.get(row)
        if got is None:
            text = names_text[row]
            got = name_sets[row] = frozenset(text.split("\n")) if text else frozenset()
        return got

    for (a, b), ra, rb, sim in zip(pairs, ia.tolist(), ib.tolist(), sims, strict=True):
        if sim >= DUP_THRESHOLD:
            found.append((a, b, "duplicate", sim))
            continue
        # _story_relation() of the two, their name sets built once per article
        day_a, day_b = days[ra], days[rb]
        if day_a is None or day_b is None:
            continue
        apart = abs((day_a - day_b).days)
        if apart > STORY_DAYS:
            continue
        score = _set_score(names_of(ra), names_of(rb), apart)
        if score >= STORY_THRESHOLD:
            found.append((a, b, "same_story", score))
    t = _phase("verify", t)
    _write_stories(conn, set(new_ids), found)
    _phase("write_stories", t)
    return len(pairs)


def _phase(name: str, since: float) -> float:
    """Add the wall seconds since ``since`` to TIMING["phases"][name]; returns now."""
    now = time.perf_counter()
    phases = TIMING.setdefault("phases", {})
    phases[name] = phases.get(name, 0.0) + now - since
    return now


# Candidates: articles sharing at least MIN_SHARED_BANDS band keys with a new one (same-story bands
# only within STORY_DAYS days), through buckets of at most MAX_BUCKET articles (a bigger bucket is
# boilerplate every article has, not a sign of one story), the CANDIDATES_PER_ARTICLE that share the
# most bands (ties: the smaller article id); so a batch costs its own articles' candidates.
#
# A bucket only grows (articles are never removed from it), so once it holds more than MAX_BUCKET
# articles it can never give a candidate again: its key goes to article_lsh_full and its rows leave
# article_lsh (revision 0010), and a new article's band in it is not stored. So article_lsh holds
# the small buckets alone: at 100,000 benchmark articles 1.5 of the 6.4 million band rows (every
# article has 64). BUCKET_ROWS_SQL reads the rows of the buckets the new articles fall in (one
# scan of article_lsh, joined on the new keys that are not full; before this layout, two scans of
# every band row), with each bucket's size counting the new rows; _store_bands records the buckets
# that pass MAX_BUCKET with this batch and deletes their stored rows, and stores the new rows of the
# others; CANDIDATES_SQL counts the pairs on integers numbering the small buckets' articles (as
# before; a bucket of one, the new article alone, gives no pair and is left out), and reads the
# publication dates of the same-story pairs' ends only. In DuckDB, not numpy:
# the same pair counting in numpy was as fast alone, but in a load it holds the GIL the validating
# thread needs (0.18-0.24 s alone, 0.66-0.84 s beside a busy Python thread; this SQL 0.19-0.24 s and
# 0.40-0.43 s, for 5,000 new articles into 100,000). The pairs are exactly those of the query this
# replaced (tests/test_stories_lsh.py runs that query beside every chunk of its loads).
BUCKET_ROWS_SQL = """
WITH keys AS (SELECT DISTINCT band, bucket FROM _new_lsh ANTI JOIN article_lsh_full USING (band, bucket)),
r AS MATERIALIZED (
    SELECT band, bucket, article_id, false AS is_new FROM article_lsh SEMI JOIN keys USING (band, bucket)
    UNION ALL
    SELECT band, bucket, article_id, true AS is_new FROM _new_lsh SEMI JOIN keys USING (band, bucket)
),
sizes AS (SELECT band, bucket, count(*) AS n, count(*) FILTER (WHERE NOT is_new) AS stored FROM r GROUP BY ALL)
SELECT r.band, r.bucket, r.article_id, r.is_new, s.n, s.stored FROM r JOIN sizes s USING (band, bucket)
"""

_PAIR_A = 1 << 41  # a shared-bands group's key: k of the new end * _PAIR_A + k of the other * 2 + by names
CANDIDATES_SQL = f"""
WITH ids AS MATERIALIZED (
    SELECT i.article_id, i.k, s.published_on AS day FROM _lsh_ids i LEFT JOIN article_signatures s USING (article_id)
),
numbered AS MATERIALIZED (
    SELECT r.band, r.bucket, r.k, r.is_new, i.day FROM _lsh_rows r JOIN ids i USING (k)
    WHERE r.n BETWEEN 2 AND {{max_bucket}}
),
shared AS (
    SELECT n.k::BIGINT * {_PAIR_A} + o.k::BIGINT * 2 + (n.band >= {NAME_BAND_BASE})::BIGINT AS pair, count(*) AS bands
    FROM numbered n
    JOIN numbered o ON o.band = n.band AND o.bucket = n.bucket AND o.k <> n.k
    WHERE n.is_new AND (n.band < {NAME_BAND_BASE} OR abs(date_diff('day', n.day, o.day)) <= {STORY_DAYS})
    GROUP BY pair
    HAVING count(*) >= {MIN_SHARED_BANDS}
)
SELECT ia.article_id AS id_a, ib.article_id AS id_b
FROM shared s JOIN ids ia ON ia.k = s.pair // {_PAIR_A} JOIN ids ib ON ib.k = (s.pair // 2) % {_PAIR_A // 2}
QUALIFY row_number() OVER (PARTITION BY ia.article_id ORDER BY s.bands DESC, ib.article_id) <= {{per_article}}
"""


def _numbered(rows: pa.Table) -> tuple[pa.Table, pa.Table]:
    """BUCKET_ROWS_SQL's rows with ``k``, a number per article (Arrow's dictionary encoding, in C++ and
    without the GIL), and the table of the numbers (article_id, k): the pair counting joins and groups
    on integers without hashing the 16-character ids of the rows in SQL first."""
    ids = rows["article_id"].combine_chunks() if rows.num_rows else pa.array([], pa.string())
    enc = pc.dictionary_encode(ids)
    numbers = pa.table({"article_id": enc.dictionary, "k": pa.array(np.arange(len(enc.dictionary), dtype=np.int32))})
    return rows.append_column("k", enc.indices), numbers


def _candidate_pairs(conn: sa.Connection) -> list[tuple[str, str]]:
    """The candidate pairs (a, b), a < b, sorted, of the bucket rows registered as _lsh_rows."""
    sql = CANDIDATES_SQL.format(max_bucket=int(MAX_BUCKET), per_article=int(CANDIDATES_PER_ARTICLE))
    # each pair once, (smaller id, larger), sorted: in SQL (ids compare by their bytes, as Python's
    # str compares code points), not a Python set and sort of the rows
    return run_sql(duck(conn), f"SELECT DISTINCT least(id_a, id_b) AS a, greatest(id_a, id_b) AS b FROM ({sql}) "
                               "ORDER BY a, b").fetchall()


def _store_bands(conn: sa.Connection, rows: pa.Table) -> None:
    """Store the batch's band rows of the small buckets (rows: BUCKET_ROWS_SQL's, registered as
    _lsh_rows); record the buckets that pass MAX_BUCKET with this batch as full, and delete their
    stored rows."""
    m = int(MAX_BUCKET)
    full = pc.greater(rows["n"], m)
    if rows.num_rows and pc.any(full).as_py():
        run_sql(conn, f"INSERT INTO article_lsh_full (band, bucket) SELECT DISTINCT band, bucket FROM _lsh_rows "
                      f"WHERE n > {m}")
        if pc.any(pc.and_(full, pc.greater(rows["stored"], 0))).as_py():
            run_sql(conn, "DELETE FROM article_lsh o USING (SELECT DISTINCT band, bucket FROM _lsh_rows "
                          f"WHERE n > {m} AND stored > 0) f WHERE o.band = f.band AND o.bucket = f.bucket")
    run_sql(conn, "INSERT INTO article_lsh (band, bucket, article_id) SELECT band, bucket, article_id "
                  f"FROM _lsh_rows WHERE is_new AND n <= {m}")


def _write_stories(conn: sa.Connection, new_ids: set[str], links: list[tuple[str, str, str, float]]) -> None:
    """Record the links, then update the stories they touch, incrementally.

    Stories only grow: a batch's links join the stories of their ends (their stored story ids,
    or the new article alone) into one. The joined story's id is 'sty_' + its earliest article,
    which is the earliest of the joined stories' own first articles (each story id names its
    first article); its members' rows are renamed by one UPDATE when that id changes. An
    article is superseded by its latest same-publisher duplicate: each new duplicate link offers
    its later end to its earlier one, kept when later than the one stored. So a batch costs its
    own articles and links (and one SQL pass over the stories it touches), not the size of the
    stories: a daily load that joins a big story does not walk it.
    """
    d = duck(conn)
    if links:
        with registered(d, "_links", _frame(links, a=pa.string(), b=pa.string(), relation=pa.string(),
                                            score=pa.float64())):
            run_sql(conn,
                "INSERT INTO article_links (article_a, article_b, relation, score) "
                "SELECT a, b, relation, score FROM _links l WHERE NOT EXISTS (SELECT 1 FROM article_links x "
                "WHERE x.article_a = l.a AND x.article_b = l.b)"
            )
    touched = set(new_ids) | {x for a, b, _r, _s in links for x in (a, b)}
    with registered(d, "_touched_articles", pa.table({"article_id": pa.array(list(touched), pa.string())})):
        stored = {a: (sid, sup) for a, sid, sup in run_sql(d,
            "SELECT s.article_id, s.story_id, s.superseded_by FROM article_stories s "
            "SEMI JOIN _touched_articles t ON t.article_id = s.article_id").fetchall()}

    def node(a: str) -> str:  # a stored story, or an article without one ("+id")
        return stored[a][0] if a in stored else "+" + a

    parent = {node(a): node(a) for a in touched}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _r, _s in links:
        ra, rb = find(node(a)), find(node(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    # the first article of each node (a story id names its own), and the order of every article
    # a supersession may involve: (published or never, ingested, id)
    first_of = {n: (n[4:] if n.startswith("sty_") else n[1:]) for n in parent}
    current_sup = {a: sup for a, (_sid, sup) in stored.items() if sup}
    need = set(first_of.values()) | touched | set(current_sup.values())
    with registered(d, "_story_articles", pa.table({"article_id": pa.array(list(need), pa.string())})):
        info = {aid: (pub or date.max, ing, src) for aid, pub, ing, src in run_sql(d,
            "SELECT a.article_id, a.published_on, a.ingested_at, a.source_id FROM articles a "
            "SEMI JOIN _story_articles t ON t.article_id = a.article_id").fetchall()}

    def first_key(aid: str) -> tuple:
        return (info[aid][0], aid)

    groups: dict[str, list[str]] = {}
    for n in parent:
        groups.setdefault(find(n), []).append(n)
    renames: list[tuple[str, str]] = []  # stored story id -> the joined story's id
    new_rows: list[tuple[str, str]] = []  # article without a story -> its story id
    for nodes in groups.values():
        sid = "sty_" + min((first_of[n] for n in nodes), key=first_key)
        for n in nodes:
            if n.startswith("+"):
                new_rows.append((n[1:], sid))
            elif n != sid:
                renames.append((n, sid))
    superseded: dict[str, str] = {}
    for a, b, rel, _s in links:  # the same publisher's later copy supersedes the earlier one
        # (two copies that both lack a publisher are taken for the same page: nothing tells them apart)
        if rel != "duplicate" or info[a][2] != info[b][2]:
            continue
        old, later = sorted((a, b), key=lambda x: (info[x][0], info[x][1], x))
        now = superseded.get(old) or current_sup.get(old)
        if now is None or (info[later][0], info[later][1], later) > (info[now][0], info[now][1], now):
            superseded[old] = later
    rebuilt = {sid for _a, sid in new_rows} | {new for _old, new in renames}  # stories whose rows change
    frames = {
        "_story_renames": _frame(renames, old=pa.string(), new=pa.string()),
        "_story_new": _frame(new_rows, article_id=pa.string(), story_id=pa.string()),
        "_story_sup": _frame(list(superseded.items()), article_id=pa.string(), superseded_by=pa.string()),
        "_story_ids": pa.table({"story_id": pa.array(list(rebuilt | {old for old, _new in renames}), pa.string())}),
    }
    affected = bool(rebuilt)
    with registered(d, "_story_renames", frames["_story_renames"]), \
            registered(d, "_story_new", frames["_story_new"]), \
            registered(d, "_story_sup", frames["_story_sup"]), \
            registered(d, "_story_ids", frames["_story_ids"]):
        if renames:
            run_sql(conn, "UPDATE article_stories s SET story_id = r.new FROM _story_renames r "
                                 "WHERE s.story_id = r.old")
        if new_rows:
            run_sql(conn, "INSERT INTO article_stories (article_id, story_id, superseded_by) "
                                 "SELECT article_id, story_id, NULL FROM _story_new")
        if superseded:
            run_sql(conn, "UPDATE article_stories s SET superseded_by = u.superseded_by FROM _story_sup u "
                                 "WHERE s.article_id = u.article_id")
        if affected:
            run_sql(conn, "DELETE FROM stories WHERE story_id IN (SELECT story_id FROM _story_ids)")
            run_sql(conn, STORIES_SQL.format(where="WHERE s.story_id IN (SELECT story_id FROM _story_ids)"))


def _frame(rows: list[tuple], **columns: pa.DataType) -> pa.Table:
    """Rows (tuples) as an Arrow table of the named, typed columns (for registered(): cheaper to build
    than a pandas frame, and DuckDB scans it without converting Python objects)."""
    return pa.table({name: pa.array([r[i] for r in rows], kind) for i, (name, kind) in enumerate(columns.items())})


STORIES_SQL = """
INSERT INTO stories (story_id, first_published, articles, publishers, original_publisher, title)
SELECT s.story_id, min(a.published_on), count(*), count(DISTINCT a.source_id),
       arg_min(a.source_id, (coalesce(a.published_on, DATE '9999-12-31'), a.article_id)),
       arg_min(a.title, (coalesce(a.published_on, DATE '9999-12-31'), a.article_id))
FROM article_stories s JOIN articles a USING (article_id)
{where}
GROUP BY s.story_id
"""


def backfill(conn: sa.Connection, chunk: int = 5_000) -> int:
    """Signatures and stories for stored articles that have none (stored before revision 0006),
    oldest first, a chunk at a time. Returns the number of articles signed."""
    d = duck(conn)
    done = 0
    while True:
        rows = d.execute(
            "SELECT a.article_id, a.cleaned_text, CASE WHEN a.published_precision = 'day' THEN a.published_on END, "
            "a.source_id FROM articles a ANTI JOIN article_signatures s USING (article_id) "
            f"ORDER BY a.published_on NULLS LAST, a.article_id LIMIT {int(chunk)}"
        ).fetchall()
        if not rows:
            return done
        cluster_new_articles(conn, [tuple(r) for r in rows])
        done += len(rows)
