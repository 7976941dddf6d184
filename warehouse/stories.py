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
band's key is a hash of its rows' minimum hash values).

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

import re
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .bulk import duck, registered

SHINGLE_WORDS = 5
DUP_PERM, DUP_BANDS, DUP_ROWS = 64, 32, 2
NAME_PERM, NAME_BANDS, NAME_ROWS = 64, 32, 2
DUP_THRESHOLD = 0.2  # dev: duplicates 0.38-0.88, everything else at most 0.02
STORY_THRESHOLD = 0.25  # dev: rewrites 0.26-0.63 on the day, a next-day denial story 0.37-0.41
DAY_PENALTY = 0.2  # per day between the two publication dates
STORY_DAYS = 2
NAME_BAND_BASE = 100  # name bands are numbered from here in article_lsh
MIN_SHARED_BANDS = 2  # of 32 (2 rows each): 0.95 of pairs at Jaccard 0.38 (the dev set's least similar copy)
MAX_BUCKET = 50
CANDIDATES_PER_ARTICLE = 20

_WORD = re.compile(r"[a-z0-9]+")
_NAME = re.compile(r"\b[A-Z][A-Za-z0-9-]{2,}|\b\d[\d,.]*\d\b|\b\d\b")
# capitalised words that start sentences or name days and months, not the story
_NOT_NAMES = frozenset(
    "The And But For This That These Those They Their There Then Than When Where While With From Into Over "
    "Under After Before About Also Under Its His Her Our Who What Which Why How Not Nor Yet Such Some Any All "
    "Both Each Most More Many Much One Two Three Four Five Six Seven Eight Nine Ten Said Says Asked Told "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Advertisement Read Share Updated Reporting Editing "
    "Writing Photo File Copyright Related Subscribe".split()
)


@cache
def _minhash_templates():
    from datasketch import MinHash

    return (MinHash(num_perm=DUP_PERM, hashfunc=_identity, seed=1),
            MinHash(num_perm=NAME_PERM, hashfunc=_identity, seed=2))


def _identity(value: int) -> int:
    return value


def _minhash(hashes: np.ndarray, template) -> np.ndarray:
    """datasketch's MinHash (its permutations and scheme) of items already hashed to 32 bits."""
    from datasketch import MinHash

    m = MinHash(num_perm=len(template.hashvalues), hashfunc=_identity, permutations=template.permutations,
                scheme=template.scheme)
    if len(hashes):
        m.update_batch(hashes.tolist())
    return m.hashvalues.astype(np.uint32)


_MASK = np.uint64(0xFFFFFFFF)
_MULT = np.uint64(1_000_003)


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's word 5-gram shingles, distinct.

    Each word is hashed once (crc32) and a shingle's hash combines its words' hashes
    polynomially in numpy: hashing every shingle's joined string in Python (what datasketch's
    update_batch does, item by item) took about half of a load's time on big batches."""
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    vocab = {w: zlib.crc32(w.encode()) for w in dict.fromkeys(words)}
    wh = np.fromiter((vocab[w] for w in words), dtype=np.uint64, count=len(words))
    k = min(SHINGLE_WORDS, len(words))
    n = len(words) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            h = h * _MULT + wh[i : i + n]
    return np.unique(h & _MASK)


def names(text: str) -> list[str]:
    """The story's names and figures: capitalised words (not sentence starters) and numbers."""
    out = set()
    for m in _NAME.finditer(text):
        tok = m.group(0)
        if tok in _NOT_NAMES:
            continue
        tok = tok.replace(",", "").lower()
        if re.fullmatch(r"(?:19|20)\d\d", tok):  # years date the background, not the story
            continue
        out.add(tok)
    return sorted(out)


def _bands(sig: np.ndarray, bands: int, rows: int, base: int) -> list[tuple[int, int]]:
    """(band number, bucket) per band; with two 32-bit rows a band's key is the two values side by side."""
    assert rows == 2, "a band key packs two 32-bit values"
    pairs = sig[: bands * rows].astype(np.uint64).reshape(bands, rows)
    keys = ((pairs[:, 0] << np.uint64(32)) | pairs[:, 1]).view(np.int64)
    return list(zip(range(base, base + bands), keys.tolist(), strict=True))


@dataclass(frozen=True)
class Signature:
    article_id: str
    dup: np.ndarray
    names: list[str]
    published_on: date | None
    source_id: str | None

    def lsh_rows(self) -> list[tuple[int, int, str]]:
        name_sig = _minhash(np.array([zlib.crc32(n.encode()) for n in self.names], dtype=np.uint64),
                            _minhash_templates()[1])
        keys = _bands(self.dup, DUP_BANDS, DUP_ROWS, 0)
        if self.names and self.published_on is not None:
            keys += _bands(name_sig, NAME_BANDS, NAME_ROWS, NAME_BAND_BASE)
        return [(band, bucket, self.article_id) for band, bucket in keys]


def signature(article_id: str, text: str, published_on: date | None, source_id: str | None) -> Signature:
    return Signature(article_id, _minhash(shingle_hashes(text), _minhash_templates()[0]), names(text), published_on,
                     source_id)


def dup_similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def story_score(names_a: Iterable[str], names_b: Iterable[str], days: int) -> float:
    a, b = set(names_a), set(names_b)
    jaccard = len(a & b) / len(a | b) if a | b else 0.0
    return jaccard - DAY_PENALTY * days


def relation(a: Signature, b: Signature) -> tuple[str, float] | None:
    """('duplicate' | 'same_story', score) of two articles, or None."""
    sim = dup_similarity(a.dup, b.dup)
    if sim >= DUP_THRESHOLD:
        return "duplicate", sim
    if a.published_on is None or b.published_on is None:
        return None
    days = abs((a.published_on - b.published_on).days)
    if days > STORY_DAYS:
        return None
    score = story_score(a.names, b.names, days)
    return ("same_story", score) if score >= STORY_THRESHOLD else None


# ---------------------------------------------------------------- in the warehouse


def _load_signatures(conn: sa.Connection, ids: list[str]) -> dict[str, Signature]:
    if not ids:
        return {}
    d = duck(conn)
    with registered(d, "_sig_ids", pd.DataFrame({"article_id": ids})):
        rows = d.execute(
            "SELECT s.article_id, s.dup_sig, s.names, s.published_on, s.source_id FROM article_signatures s "
            "SEMI JOIN _sig_ids i ON i.article_id = s.article_id"
        ).fetchall()
    return {a: Signature(a, np.frombuffer(sig, dtype=np.uint32), (n or "").split("\n") if n else [], p, src)
            for a, sig, n, p, src in rows}


# What clustering has cost in this process (the benchmark reads and resets it).
TIMING = {"seconds": 0.0, "articles": 0, "candidate_pairs": 0}


def cluster_new_articles(conn: sa.Connection, articles: list[tuple[str, str, date | None, str | None]]) -> int:
    t0 = time.perf_counter()
    try:
        n = _cluster_new_articles(conn, articles)
    finally:
        TIMING["seconds"] += time.perf_counter() - t0
    TIMING["articles"] += len(articles)
    TIMING["candidate_pairs"] += n
    return n


def _cluster_new_articles(conn: sa.Connection, articles: list[tuple[str, str, date | None, str | None]]) -> int:
    """Store signatures of new articles (id, cleaned text, published_on, source_id), find their
    duplicates and stories among their LSH candidates, and update the stories they touch.

    Runs inside the caller's transaction. Returns the number of candidate pairs verified."""
    if not articles:
        return 0
    d = duck(conn)
    sigs = [signature(*a) for a in articles]
    frame = pd.DataFrame({
        "article_id": [s.article_id for s in sigs],
        "dup_sig": [s.dup.tobytes() for s in sigs],
        "names": ["\n".join(s.names) for s in sigs],
        "published_on": [s.published_on for s in sigs],
        "source_id": [s.source_id for s in sigs],
    })
    lsh = pd.DataFrame([r for s in sigs for r in s.lsh_rows()], columns=["band", "bucket", "article_id"])
    with registered(d, "_new_sigs", frame), registered(d, "_new_lsh", lsh):
        conn.exec_driver_sql(
            "INSERT INTO article_signatures (article_id, dup_sig, names, published_on, source_id) "
            "SELECT article_id, dup_sig, names, published_on, source_id FROM _new_sigs "
            "WHERE article_id NOT IN (SELECT article_id FROM article_signatures)"
        )
        conn.exec_driver_sql("INSERT INTO article_lsh (band, bucket, article_id) SELECT band, bucket, article_id "
                             "FROM _new_lsh")
        # candidates: articles sharing at least MIN_SHARED_BANDS band keys with a new one (same-story
        # bands only within STORY_DAYS days), through buckets of at most MAX_BUCKET articles (a bigger
        # bucket is boilerplate every article has, not a sign of one story), the CANDIDATES_PER_ARTICLE
        # that share the most bands; so a batch costs its own articles' candidates, whatever the corpus
        pairs = d.execute(
            f"""
            WITH keys AS (SELECT DISTINCT band, bucket FROM _new_lsh),
            small AS (
                SELECT o.band, o.bucket FROM article_lsh o JOIN keys k ON k.band = o.band AND k.bucket = o.bucket
                GROUP BY o.band, o.bucket HAVING count(*) <= {MAX_BUCKET}
            ),
            shared AS (
                SELECT n.article_id AS a, o.article_id AS b, n.band >= {NAME_BAND_BASE} AS by_names, count(*) AS bands
                FROM _new_lsh n
                JOIN small s ON s.band = n.band AND s.bucket = n.bucket
                JOIN article_lsh o ON o.band = n.band AND o.bucket = n.bucket AND o.article_id <> n.article_id
                GROUP BY ALL
                HAVING count(*) >= {MIN_SHARED_BANDS}
            )
            SELECT s.a, s.b
            FROM shared s
            LEFT JOIN article_signatures sa ON sa.article_id = s.a
            LEFT JOIN article_signatures sb ON sb.article_id = s.b
            WHERE NOT s.by_names OR abs(date_diff('day', sa.published_on, sb.published_on)) <= {STORY_DAYS}
            QUALIFY row_number() OVER (PARTITION BY s.a ORDER BY s.bands DESC, s.b) <= {CANDIDATES_PER_ARTICLE}
            """
        ).fetchall()
    pairs = {tuple(sorted(p)) for p in pairs}
    if not pairs:
        _write_stories(conn, {s.article_id for s in sigs}, [])
        return 0
    known = _load_signatures(conn, sorted({x for p in pairs for x in p}))
    found = []
    for a, b in sorted(pairs):
        rel = relation(known[a], known[b])
        if rel is not None:
            found.append((a, b, rel[0], rel[1]))
    _write_stories(conn, {s.article_id for s in sigs}, found)
    return len(pairs)


def _write_stories(conn: sa.Connection, new_ids: set[str], links: list[tuple[str, str, str, float]]) -> None:
    """Record the links, then recompute the stories of every article they touch."""
    d = duck(conn)
    if links:
        with registered(d, "_links", pd.DataFrame(links, columns=["a", "b", "relation", "score"])):
            conn.exec_driver_sql(
                "INSERT INTO article_links (article_a, article_b, relation, score) "
                "SELECT a, b, relation, score FROM _links l WHERE NOT EXISTS (SELECT 1 FROM article_links x "
                "WHERE x.article_a = l.a AND x.article_b = l.b)"
            )
    touched = set(new_ids) | {x for a, b, _r, _s in links for x in (a, b)}
    # the connected components the touched articles belong to (stories only grow; the walk
    # follows stored links from the touched articles, so it costs the size of their stories)
    comp: dict[str, str] = {}
    frontier = set(touched)
    edges: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while frontier:
        seen |= frontier
        with registered(d, "_frontier", pd.DataFrame({"article_id": sorted(frontier)})):
            rows = d.execute(
                "SELECT article_a, article_b, relation FROM article_links WHERE article_a IN "
                "(SELECT article_id FROM _frontier) OR article_b IN (SELECT article_id FROM _frontier)"
            ).fetchall()
        edges.extend(rows)
        frontier = {x for a, b, _r in rows for x in (a, b)} - seen
    parent = {a: a for a in seen}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _r in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    for a in seen:
        comp[a] = find(a)
    with registered(d, "_members", pd.DataFrame({"article_id": sorted(seen), "root": [comp[a] for a in sorted(seen)]})):
        info = d.execute(
            "SELECT m.article_id, m.root, a.published_on, a.source_id, a.ingested_at FROM _members m "
            "JOIN articles a USING (article_id)"
        ).fetchall()
    by_root: dict[str, list] = {}
    for aid, root, pub, src, ing in info:
        by_root.setdefault(root, []).append((pub or date.max, aid, src, ing))
    dup_pairs = {(a, b) for a, b, r in edges if r == "duplicate"}
    rows = []
    for members in by_root.values():
        members.sort(key=lambda m: (m[0], m[1]))
        story_id = "sty_" + members[0][1]
        src_of = {m[1]: m[2] for m in members}
        order = {m[1]: (m[0], m[3], m[1]) for m in members}
        superseded: dict[str, str] = {}
        for a, b in dup_pairs:  # the same publisher's later copy supersedes the earlier one
            # (two copies that both lack a publisher are taken for the same page: nothing tells them apart)
            if a in src_of and b in src_of and src_of[a] == src_of[b]:
                old, new = sorted((a, b), key=lambda x: order[x])
                if old not in superseded or order[new] > order[superseded[old]]:
                    superseded[old] = new
        for _pub, aid, _src, _ing in members:
            rows.append((aid, story_id, superseded.get(aid)))
    frame = pd.DataFrame(rows, columns=["article_id", "story_id", "superseded_by"])
    with registered(d, "_story_rows", frame):
        conn.exec_driver_sql("DELETE FROM article_stories WHERE article_id IN (SELECT article_id FROM _story_rows)")
        conn.exec_driver_sql("INSERT INTO article_stories (article_id, story_id, superseded_by) "
                             "SELECT article_id, story_id, superseded_by FROM _story_rows")
        conn.exec_driver_sql(
            "DELETE FROM stories WHERE story_id IN (SELECT story_id FROM _story_rows) "
            "OR story_id IN (SELECT 'sty_' || article_id FROM _story_rows)"
        )
        conn.exec_driver_sql(STORIES_SQL.format(where="WHERE s.story_id IN (SELECT story_id FROM _story_rows)"))


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
