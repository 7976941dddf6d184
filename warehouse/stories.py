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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
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
# Names and figures: r"\b[A-Z][A-Za-z0-9-]{2,}|\b\d[\d,.]*\d\b|\b\d\b", written so that the
# pattern starts with a character class: re then skips to the next capital or digit in C instead of
# trying three alternatives at every character (about 35 % less time, the same matches: the first
# character is a word character, so \b before it is "no word character before it", checked by the
# lookbehind; the optional group then \b tries \d[\d,.]*\d\b before \d\b, as the alternation did).
_NAME = re.compile(r"[A-Z\d](?<!\w[A-Z\d])(?:(?<=[A-Z])[A-Za-z0-9-]{2,}|(?<=\d)(?:[\d,.]*\d)?\b)")
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
MINHASH_PERMS = 16


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
    hv = _fmix32(np.asarray(values, dtype=np.uint32))[:, None]
    a, b = _permutations(num_perm, seed)
    block = np.empty((int(nonempty.sum()), num_perm), dtype=np.uint32)
    # MINHASH_PERMS permutations per numpy pass (a values x permutations matrix, 42 MB for a
    # 1,000-article chunk), not one: each numpy call releases and retakes the GIL, and in the load's
    # writer thread each retake waits for the validating thread (up to the 5 ms switch interval):
    # one pass per permutation made clustering's wall time twice its CPU time
    with np.errstate(over="ignore"):
        for lo in range(0, num_perm, MINHASH_PERMS):
            hi = min(lo + MINHASH_PERMS, num_perm)
            block[:, lo:hi] = np.minimum.reduceat(hv * a[lo:hi] + b[lo:hi], starts, axis=0)
    out[nonempty] = block
    return out


def _minhash(hashes: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    return minhash_many(hashes, np.array([len(hashes)]), num_perm, seed)[0]


_MASK = np.uint64(0xFFFFFFFF)
_MULT = np.uint64(1_000_003)
_MULT32 = np.uint32(1_000_003)
# bytes.translate table: a-z and 0-9 stay, every other byte (UTF-8 lead and continuation bytes
# included) is a space, so bytes.split() gives exactly re.findall("[a-z0-9]+", text.lower())
_WORD_BYTES = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))


def _words(text: str) -> list[bytes]:
    return text.lower().encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()


# zlib.crc32 of many byte strings at once, in numpy. zlib has no batch call: one zlib.crc32 per word
# (with a dict cache of the words seen, a bytes.split per text and a flat list of the chunk's
# words) cost about 0.1 ms an article, a third of signing. The values are zlib's exactly (the
# standard reflected CRC-32, polynomial 0xEDB88320; tests/test_stories.py checks them against
# zlib). The CRC is linear, so a block of k bytes is one table lookup per 16 bits of the state
# (the state xor the block): 4-byte blocks take two lookups, a 2-byte rest one, a last byte one in
# the usual byte table. Strings are taken longest first, so the ones still being hashed at a given
# block are a prefix of the arrays.
def _crc_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        c = np.where(c & np.uint32(1), (c >> np.uint32(1)) ^ np.uint32(0xEDB88320), c >> np.uint32(1))
    t8 = c.astype(np.uint32)  # the state after one zero byte from state i (i < 256)

    def zero_bytes(state: np.ndarray, n: int) -> np.ndarray:
        for _ in range(n):
            state = t8[state & np.uint32(0xFF)] ^ (state >> np.uint32(8))
        return state

    x = np.arange(1 << 16, dtype=np.uint32)
    return t8, zero_bytes(x, 2), zero_bytes(x, 4)  # t16[x]: two zero bytes from x; t16x4: four


_CRC_T8, _CRC_T16, _CRC_T16X4 = _crc_tables()


def crc32_many(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """zlib.crc32 (uint32) of the byte strings buf[starts[i] : starts[i] + lengths[i]] (buf: uint8)."""
    n = len(starts)
    if n == 0:
        return np.zeros(0, dtype=np.uint32)
    lengths = np.asarray(lengths, dtype=np.int64)
    blocks = lengths // 4
    # longest first (a stable sort on a 16-bit key is numpy's radix sort, ~5x faster than on int64)
    order = np.argsort(-blocks.astype(np.int16) if blocks.max() < 1 << 15 else -blocks, kind="stable")
    s, blocks = np.asarray(starts, dtype=np.int64)[order], blocks[order]
    padded = np.zeros(len(buf) + 4, dtype=np.uint8)
    padded[: len(buf)] = buf
    # every position's next 4 bytes as one little-endian uint32: an overlapping, unaligned view
    w32 = np.ndarray(shape=(len(buf) + 1,), dtype="<u4", buffer=padded, strides=(1,))
    crc = np.full(n, 0xFFFFFFFF, dtype=np.uint32)
    active = np.bincount(blocks)[::-1].cumsum()[::-1]  # active[k]: strings with more than k blocks (k >= 1)
    lo16 = np.uint32(0xFFFF)
    for k in range(1, len(active)):
        m = int(active[k])
        u = crc[:m] ^ w32[s[:m] + 4 * (k - 1)]
        crc[:m] = _CRC_T16X4[u & lo16] ^ _CRC_T16[u >> np.uint32(16)]
    pos = s + 4 * blocks
    rest = lengths[order] % 4
    two = np.flatnonzero(rest >= 2)
    if len(two):
        u = crc[two] ^ (w32[pos[two]] & lo16)
        crc[two] = _CRC_T16[u & lo16] ^ (u >> np.uint32(16))
        pos[two] += 2
    one = np.flatnonzero(rest & 1)
    if len(one):
        u = crc[one] ^ (w32[pos[one]] & np.uint32(0xFF))
        crc[one] = _CRC_T8[u & np.uint32(0xFF)] ^ (u >> np.uint32(8))
    out = np.empty(n, dtype=np.uint32)
    out[order] = ~crc
    return out


def _word_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """crc32 (uint32) of every word of the texts, in order, and how many words each text has: the
    words of _words(), found in one buffer of the chunk's texts (lowered, UTF-8, joined by a space,
    every byte but a-z and 0-9 a space)."""
    encoded = [t.lower().encode("utf-8", "surrogatepass") for t in texts]
    buf = np.frombuffer(b" ".join(encoded).translate(_WORD_BYTES), dtype=np.uint8)
    is_word = np.zeros(len(buf) + 2, dtype=bool)
    is_word[1:-1] = buf != 32
    edge = np.flatnonzero(is_word[1:] != is_word[:-1])  # word starts and ends alternate
    starts, ends = edge[0::2], edge[1::2]
    bounds = np.cumsum([0] + [len(e) + 1 for e in encoded])  # text i's bytes start at bounds[i]
    counts = np.diff(np.searchsorted(starts, bounds))
    return crc32_many(buf, starts, ends - starts), counts


def _shingles_of(wh: np.ndarray) -> np.ndarray:
    """Distinct (sorted) 32-bit shingle hashes of one text's word hashes (uint64)."""
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
    wh, _counts = _word_hashes([text])
    if not len(wh):
        return np.zeros(0, dtype=np.uint64)
    return _shingles_of(wh.astype(np.uint64))


def _shingles_many(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of every text (uint32), concatenated, and how many each text has. The
    polynomial runs once over the chunk's words, in uint32 (the low 32 bits of shingle_hashes'
    uint64 arithmetic are the same); windows that cross two texts are dropped. A shingle repeated
    in a text is kept: the values only feed MinHash, a minimum per text, which repeats do not
    change (so the distinct sort shingle_hashes does is not paid here)."""
    wh, lengths = _word_hashes(texts)
    k = SHINGLE_WORDS
    counts = np.where(lengths >= k, lengths - k + 1, 0)
    parts: list[np.ndarray] = []
    if counts.any():
        n = len(wh) - k + 1
        h = np.zeros(n, dtype=np.uint32)
        with np.errstate(over="ignore"):
            for i in range(k):
                h = h * _MULT32 + wh[i : i + n]
        owner = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
        parts.append(h[owner[: n] == owner[k - 1 :]])  # the window's first and last word in one text
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    if len(short):  # fewer words than a shingle: one shingle of all their words
        starts = np.cumsum(lengths) - lengths
        pieces = {int(i): _shingles_of(wh[starts[i] : starts[i] + lengths[i]].astype(np.uint64)).astype(np.uint32)
                  for i in short}
        counts[short] = 1
        # the groups must stay consecutive, in text order (minhash_many): split the long texts'
        # values at the short texts' places
        flat = parts[0] if parts else np.zeros(0, dtype=np.uint32)
        at = np.cumsum(counts) - counts
        out = np.empty(int(counts.sum()), dtype=np.uint32)
        is_short = np.zeros(len(out), dtype=bool)
        is_short[at[short]] = True
        out[~is_short] = flat
        out[at[short]] = [pieces[int(i)][0] for i in short]
        return out, counts
    return (parts[0] if parts else np.zeros(0, dtype=np.uint32)), counts


_YEAR_PREFIXES = ("19", "20")


def names(text: str) -> list[str]:
    """The story's names and figures: capitalised words (not sentence starters) and numbers."""
    out = {tok.replace(",", "").lower() for tok in set(_NAME.findall(text)) - _NOT_NAMES}
    # years date the background, not the story
    out.difference_update([tok for tok in out if len(tok) == 4 and tok[:2] in _YEAR_PREFIXES and tok[2:].isdecimal()])
    return sorted(out)


def _crc32s(items: list[str]) -> np.ndarray:
    """zlib.crc32 of each string's UTF-8 (uint64), by crc32_many over the strings joined."""
    joined = "".join(items)
    if joined.isascii():  # one byte a character: the lengths are the strings'
        return crc32_many(np.frombuffer(joined.encode(), dtype=np.uint8), *_offsets(list(map(len, items))))
    encoded = [x.encode() for x in items]
    return crc32_many(np.frombuffer(b"".join(encoded), dtype=np.uint8), *_offsets(list(map(len, encoded))))


def _offsets(lengths: list[int]) -> tuple[np.ndarray, np.ndarray]:
    ln = np.array(lengths, dtype=np.int64)
    return np.cumsum(ln) - ln, ln


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
    sigs, lsh = _sign_many(articles)
    return sigs, lsh.to_pandas()


def _sign_many(articles: list[tuple[str, str, date | None, str | None]]) -> tuple[list[Signature], pa.Table]:
    """sign_many, the LSH rows as an Arrow table (the article ids repeated by Arrow's take, not as
    320,000 Python references a chunk for DuckDB to read one by one)."""
    sigs: list[Signature] = []
    tables: list[pa.Table] = []
    for lo in range(0, len(articles), SIGN_CHUNK):
        part = articles[lo : lo + SIGN_CHUNK]
        values, counts = _shingles_many([a[1] for a in part])
        dup = minhash_many(values, counts, DUP_PERM, DUP_SEED)
        name_lists = [names(a[1]) for a in part]
        banded = [i for i, (a, nm) in enumerate(zip(part, name_lists, strict=True)) if nm and a[2] is not None]
        ids = pa.array([a[0] for a in part], pa.string())
        dup_keys = _band_keys(dup, DUP_BANDS, DUP_ROWS)
        tables.append(pa.table({
            "band": np.tile(np.arange(DUP_BANDS, dtype=np.int16), len(part)),
            "bucket": dup_keys.reshape(-1),
            "article_id": ids.take(np.repeat(np.arange(len(part)), DUP_BANDS)),
        }))
        if banded:
            flat = [x for i in banded for x in name_lists[i]]
            name_sigs = minhash_many(_crc32s(flat), np.array([len(name_lists[i]) for i in banded]), NAME_PERM,
                                     NAME_SEED)
            tables.append(pa.table({
                "band": np.tile(np.arange(NAME_BAND_BASE, NAME_BAND_BASE + NAME_BANDS, dtype=np.int16), len(banded)),
                "bucket": _band_keys(name_sigs, NAME_BANDS, NAME_ROWS).reshape(-1),
                "article_id": ids.take(np.repeat(np.array(banded), NAME_BANDS)),
            }))
        sigs.extend(Signature(a[0], dup[i], name_lists[i], a[2], a[3]) for i, a in enumerate(part))
    lsh = pa.concat_tables(tables) if tables else pa.table(
        {"band": pa.array([], pa.int16()), "bucket": pa.array([], pa.int64()), "article_id": pa.array([], pa.string())})
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
    sigs, lsh = _sign_many(articles)
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
        pairs = run_sql(d, CANDIDATES_SQL).fetchall()
    pairs = sorted({tuple(sorted(p)) for p in pairs})
    if not pairs:
        _write_stories(conn, {s.article_id for s in sigs}, [])
        return 0
    known = {s.article_id: s for s in sigs}  # the batch's own signatures are at hand; the others are read
    known.update(_load_signatures(conn, sorted({x for p in pairs for x in p} - known.keys())))
    # relation() for every pair, the duplicate similarity of all pairs in one numpy pass (the same
    # values: a count of equal positions over DUP_PERM)
    same = np.stack([known[a].dup for a, _b in pairs]) == np.stack([known[b].dup for _a, b in pairs])
    sims = (np.count_nonzero(same, axis=1) / same.shape[1]).tolist()
    found = []
    for (a, b), sim in zip(pairs, sims, strict=True):
        rel = ("duplicate", sim) if sim >= DUP_THRESHOLD else _story_relation(known[a], known[b])
        if rel is not None:
            found.append((a, b, rel[0], rel[1]))
    _write_stories(conn, {s.article_id for s in sigs}, found)
    return len(pairs)


# Candidates: articles sharing at least MIN_SHARED_BANDS band keys with a new one (same-story bands
# only within STORY_DAYS days), through buckets of at most MAX_BUCKET articles (a bigger bucket is
# boilerplate every article has, not a sign of one story), the CANDIDATES_PER_ARTICLE that share the
# most bands; so a batch costs its own articles' candidates, whatever the corpus. article_lsh is
# scanned once (the rows in the new articles' buckets: `hits`); the pairs are counted on integers
# numbering the articles of the small buckets (grouping about a million (article, article) rows a
# 5,000-article chunk on their 16-character ids took most of the query), then mapped back. The new
# articles' own rows are in article_lsh already, so `hits` holds both ends of every pair.
CANDIDATES_SQL = f"""
WITH keys AS (SELECT DISTINCT band, bucket FROM _new_lsh),
hits AS MATERIALIZED (
    SELECT o.band, o.bucket, o.article_id FROM article_lsh o
    SEMI JOIN keys k ON k.band = o.band AND k.bucket = o.bucket
),
small AS (
    SELECT h.band, h.bucket, h.article_id FROM hits h
    SEMI JOIN (SELECT band, bucket FROM hits GROUP BY band, bucket HAVING count(*) <= {MAX_BUCKET}) s
        ON s.band = h.band AND s.bucket = h.bucket
),
ids AS MATERIALIZED (
    SELECT article_id, row_number() OVER () AS k, article_id IN (SELECT article_id FROM _new_lsh) AS is_new
    FROM (SELECT DISTINCT article_id FROM small)
),
numbered AS MATERIALIZED (SELECT s.band, s.bucket, i.k, i.is_new FROM small s JOIN ids i USING (article_id)),
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
QUALIFY row_number() OVER (PARTITION BY ia.article_id ORDER BY s.bands DESC, ib.article_id) <= {CANDIDATES_PER_ARTICLE}
"""


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
