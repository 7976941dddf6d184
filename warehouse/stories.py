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

from .bulk import duck, registered, run_sql

SHINGLE_WORDS = 5
DUP_PERM, DUP_BANDS, DUP_ROWS = 64, 32, 2
NAME_PERM, NAME_BANDS, NAME_ROWS = 64, 32, 2
DUP_SEED, NAME_SEED = 1, 2  # the MinHash seeds (datasketch's seed argument)
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


# datasketch's MinHash, scheme "affine32" (its default): an item's 32-bit hash is mixed by the
# MurmurHash3 finalizer, then each permutation is h -> a * h + b mod 2**32, and the signature holds
# each permutation's minimum. The parameters are datasketch's own (_init_permutations: numpy's
# RandomState(seed)), so the values are exactly MinHash(num_perm, seed).update_batch(hashes) with an
# identity hash function (tests/test_stories.py checks it against datasketch). Computed here for a
# whole chunk of articles at once, one numpy pass per permutation over every article's hashes:
# building a datasketch object per article cost about 0.1 ms an article, and importing datasketch
# (it imports scipy) 1.6 s per process.
_EMPTY = np.uint32(0xFFFFFFFF)


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(2246822507)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(3266489909)
    return h ^ (h >> np.uint32(16))


def minhash_many(values: np.ndarray, counts: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (rows: uint32 x num_perm) of consecutive groups of 32-bit hashes:
    ``values`` holds group 0's ``counts[0]`` hashes, then group 1's, ... An empty group's
    signature is all 0xFFFFFFFF (datasketch's empty MinHash)."""
    counts = np.asarray(counts, dtype=np.int64)
    out = np.full((len(counts), num_perm), _EMPTY, dtype=np.uint32)
    nonempty = counts > 0
    if not nonempty.any():
        return out
    starts = (np.cumsum(counts) - counts)[nonempty]
    hv = _fmix32(np.asarray(values, dtype=np.uint32))
    a, b = _permutations(num_perm, seed)
    block = np.empty((int(nonempty.sum()), num_perm), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for i in range(num_perm):
            block[:, i] = np.minimum.reduceat(hv * a[i] + b[i], starts)
    out[nonempty] = block
    return out


def _minhash(hashes: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    return minhash_many(hashes, np.array([len(hashes)]), num_perm, seed)[0]


_MASK = np.uint64(0xFFFFFFFF)
_MULT = np.uint64(1_000_003)
# bytes.translate table: a-z and 0-9 stay, every other byte (UTF-8 lead and continuation bytes
# included) is a space, so bytes.split() gives exactly re.findall("[a-z0-9]+", text.lower())
_WORD_BYTES = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))
_WORD_CRC: dict[bytes, int] = {}  # crc32 of words seen in this process (bounded: cleared when full)
_WORD_CRC_MAX = 2_000_000


def _words(text: str) -> list[bytes]:
    return text.lower().encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()


def _word_crcs(words: list[bytes]) -> np.ndarray:
    cache_ = _WORD_CRC
    missing = set(words).difference(cache_)
    if len(cache_) + len(missing) > _WORD_CRC_MAX:
        cache_.clear()
        missing = set(words)
    for w in missing:
        cache_[w] = zlib.crc32(w)
    return np.fromiter(map(cache_.__getitem__, words), dtype=np.uint64, count=len(words))


def _shingles_of(wh: np.ndarray) -> np.ndarray:
    k = min(SHINGLE_WORDS, len(wh))
    n = len(wh) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(k):
            h = h * _MULT + wh[i : i + n]
    h = np.sort(h & _MASK)
    return h[np.concatenate(([True], h[1:] != h[:-1]))] if len(h) > 1 else h


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's word 5-gram shingles, distinct (sorted).

    Each word is hashed once (crc32) and a shingle's hash combines its words' hashes
    polynomially in numpy: hashing every shingle's joined string in Python (what datasketch's
    update_batch does, item by item) took about half of a load's time on big batches."""
    words = _words(text)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    return _shingles_of(_word_crcs(words))


def _shingles_many(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """shingle_hashes of every text, concatenated (uint32), and how many each text has; the
    polynomial runs once over the chunk's words, windows that cross two texts are dropped."""
    word_lists = [_words(t) for t in texts]
    lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
    flat = [w for ws in word_lists for w in ws]
    counts = np.zeros(len(texts), dtype=np.int64)
    if not flat:
        return np.zeros(0, dtype=np.uint32), counts
    wh = _word_crcs(flat)
    k = SHINGLE_WORDS
    long_ = lengths >= k
    parts_idx: list[np.ndarray] = []
    parts_val: list[np.ndarray] = []
    if long_.any() and len(wh) >= k:
        n = len(wh) - k + 1
        h = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(k):
                h = h * _MULT + wh[i : i + n]
        starts = np.cumsum(lengths) - lengths
        windows = np.where(long_, lengths - k + 1, 0)
        owner = np.repeat(np.arange(len(texts), dtype=np.int64), windows)
        first = np.repeat(starts, windows)
        offset = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(windows) - windows, windows)
        parts_idx.append(owner)
        parts_val.append(h[first + offset] & _MASK)
    starts = np.cumsum(lengths) - lengths
    for i in np.flatnonzero((lengths > 0) & ~long_):  # fewer words than a shingle: one shingle of all
        sh = _shingles_of(wh[starts[i] : starts[i] + lengths[i]])
        parts_idx.append(np.full(len(sh), i, dtype=np.int64))
        parts_val.append(sh)
    keys = np.sort((np.concatenate(parts_idx).astype(np.uint64) << np.uint64(32)) | np.concatenate(parts_val))
    if len(keys) > 1:  # distinct (a sort and a neighbour compare: np.unique's hash path is ~10x slower here)
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    counts = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=len(texts))
    return (keys & _MASK).astype(np.uint32), counts


_YEAR_PREFIXES = ("19", "20")


def names(text: str) -> list[str]:
    """The story's names and figures: capitalised words (not sentence starters) and numbers."""
    out = set()
    for tok in set(_NAME.findall(text)):
        if tok in _NOT_NAMES:
            continue
        tok = tok.replace(",", "").lower()
        if len(tok) == 4 and tok[:2] in _YEAR_PREFIXES and tok[2:].isdecimal():
            continue  # years date the background, not the story
        out.add(tok)
    return sorted(out)


def _crc32s(items: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(x.encode()) for x in items), dtype=np.uint64, count=len(items))


def _band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(articles x bands) int64 bucket keys; with two 32-bit rows a band's key is the two values side by side."""
    assert rows == 2, "a band key packs two 32-bit values"
    pairs = sigs[:, : bands * rows].astype(np.uint64).reshape(len(sigs), bands, rows)
    return ((pairs[:, :, 0] << np.uint64(32)) | pairs[:, :, 1]).view(np.int64)


def _bands(sig: np.ndarray, bands: int, rows: int, base: int) -> list[tuple[int, int]]:
    """(band number, bucket) per band of one signature."""
    keys = _band_keys(sig.reshape(1, -1), bands, rows)[0]
    return list(zip(range(base, base + bands), keys.tolist(), strict=True))


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


SIGN_CHUNK = 1_000  # articles signed in one numpy pass (memory: ~5 MB of hashes per 1,000 articles)


def sign_many(articles: list[tuple[str, str, date | None, str | None]]) -> tuple[list[Signature], pd.DataFrame]:
    """Signatures of (id, text, published_on, source_id) and their LSH rows (band, bucket, article_id)
    as one frame; the same values as signature() and Signature.lsh_rows() one by one."""
    sigs: list[Signature] = []
    frames: list[pd.DataFrame] = []
    for lo in range(0, len(articles), SIGN_CHUNK):
        part = articles[lo : lo + SIGN_CHUNK]
        values, counts = _shingles_many([a[1] for a in part])
        dup = minhash_many(values, counts, DUP_PERM, DUP_SEED)
        name_lists = [names(a[1]) for a in part]
        banded = [i for i, (a, nm) in enumerate(zip(part, name_lists, strict=True)) if nm and a[2] is not None]
        ids = np.array([a[0] for a in part], dtype=object)
        dup_keys = _band_keys(dup, DUP_BANDS, DUP_ROWS)
        frames.append(pd.DataFrame({
            "band": np.tile(np.arange(DUP_BANDS, dtype=np.int16), len(part)),
            "bucket": dup_keys.reshape(-1),
            "article_id": np.repeat(ids, DUP_BANDS),
        }))
        if banded:
            flat = [x for i in banded for x in name_lists[i]]
            name_sigs = minhash_many(_crc32s(flat), np.array([len(name_lists[i]) for i in banded]), NAME_PERM,
                                     NAME_SEED)
            frames.append(pd.DataFrame({
                "band": np.tile(np.arange(NAME_BAND_BASE, NAME_BAND_BASE + NAME_BANDS, dtype=np.int16), len(banded)),
                "bucket": _band_keys(name_sigs, NAME_BANDS, NAME_ROWS).reshape(-1),
                "article_id": np.repeat(ids[banded], NAME_BANDS),
            }))
        sigs.extend(Signature(a[0], dup[i], name_lists[i], a[2], a[3]) for i, a in enumerate(part))
    lsh = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        {"band": np.zeros(0, np.int16), "bucket": np.zeros(0, np.int64), "article_id": np.zeros(0, object)})
    return sigs, lsh


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
        rows = run_sql(d,
            "SELECT s.article_id, s.dup_sig, s.names, s.published_on, s.source_id FROM article_signatures s "
            "SEMI JOIN _sig_ids i ON i.article_id = s.article_id"
        ).fetchall()
    return {a: Signature(a, np.frombuffer(sig, dtype=np.uint32), (n or "").split("\n") if n else [], p, src)
            for a, sig, n, p, src in rows}


# What clustering has cost in this process (the benchmark reads and resets it): wall seconds, and
# the CPU seconds of the thread that ran it (less sensitive to a busy machine).
TIMING = {"seconds": 0.0, "cpu_seconds": 0.0, "articles": 0, "candidate_pairs": 0}


def cluster_new_articles(conn: sa.Connection, articles: list[tuple[str, str, date | None, str | None]]) -> int:
    t0, c0 = time.perf_counter(), time.thread_time()
    try:
        n = _cluster_new_articles(conn, articles)
    finally:
        TIMING["seconds"] += time.perf_counter() - t0
        TIMING["cpu_seconds"] = TIMING.get("cpu_seconds", 0.0) + time.thread_time() - c0
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
    sigs, lsh = sign_many(articles)
    frame = pd.DataFrame({
        "article_id": [s.article_id for s in sigs],
        "dup_sig": [s.dup.tobytes() for s in sigs],
        "names": ["\n".join(s.names) for s in sigs],
        "published_on": [s.published_on for s in sigs],
        "source_id": [s.source_id for s in sigs],
    })
    with registered(d, "_new_sigs", frame), registered(d, "_new_lsh", lsh):
        run_sql(conn,
            "INSERT INTO article_signatures (article_id, dup_sig, names, published_on, source_id) "
            "SELECT article_id, dup_sig, names, published_on, source_id FROM _new_sigs "
            "WHERE article_id NOT IN (SELECT article_id FROM article_signatures)"
        )
        run_sql(conn, "INSERT INTO article_lsh (band, bucket, article_id) SELECT band, bucket, article_id "
                             "FROM _new_lsh")
        # candidates: articles sharing at least MIN_SHARED_BANDS band keys with a new one (same-story
        # bands only within STORY_DAYS days), through buckets of at most MAX_BUCKET articles (a bigger
        # bucket is boilerplate every article has, not a sign of one story), the CANDIDATES_PER_ARTICLE
        # that share the most bands; so a batch costs its own articles' candidates, whatever the corpus
        pairs = run_sql(d,
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
    known = {s.article_id: s for s in sigs}  # the batch's own signatures are at hand; the others are read
    known.update(_load_signatures(conn, sorted({x for p in pairs for x in p} - known.keys())))
    found = []
    for a, b in sorted(pairs):
        rel = relation(known[a], known[b])
        if rel is not None:
            found.append((a, b, rel[0], rel[1]))
    _write_stories(conn, {s.article_id for s in sigs}, found)
    return len(pairs)


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
        with registered(d, "_links", pd.DataFrame(links, columns=["a", "b", "relation", "score"])):
            run_sql(conn,
                "INSERT INTO article_links (article_a, article_b, relation, score) "
                "SELECT a, b, relation, score FROM _links l WHERE NOT EXISTS (SELECT 1 FROM article_links x "
                "WHERE x.article_a = l.a AND x.article_b = l.b)"
            )
    touched = set(new_ids) | {x for a, b, _r, _s in links for x in (a, b)}
    with registered(d, "_touched_articles", pd.DataFrame({"article_id": sorted(touched)})):
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
    with registered(d, "_story_articles", pd.DataFrame({"article_id": sorted(need)})):
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
        "_story_renames": pd.DataFrame(renames, columns=["old", "new"]),
        "_story_new": pd.DataFrame(new_rows, columns=["article_id", "story_id"]),
        "_story_sup": pd.DataFrame(sorted(superseded.items()), columns=["article_id", "superseded_by"]),
        "_story_ids": pd.DataFrame({"story_id": sorted(rebuilt | {old for old, _new in renames})}),
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
