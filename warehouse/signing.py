"""MinHash signatures of article texts: shingles, names, bands (pure computation: numpy and re).

Apart from warehouse.stories (which stores them and finds candidates in the warehouse) so that a
worker process can sign a load's articles importing numpy alone (stories.start_signing): there
the signing does not share the GIL with the load's validating thread.
"""

from __future__ import annotations

import pickle
import re
import time
from functools import cache
from typing import BinaryIO

import numpy as np

SHINGLE_WORDS = 5
DUP_PERM, DUP_BANDS, DUP_ROWS = 64, 32, 2
NAME_PERM, NAME_BANDS, NAME_ROWS = 64, 32, 2
DUP_SEED, NAME_SEED = 1, 2  # the MinHash seeds (datasketch's seed argument)

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
    # one numpy pass per permutation: computing several at once (a values x permutations matrix,
    # then np.minimum.reduceat along either axis) measured 3-30x slower per 1,000 articles
    with np.errstate(over="ignore"):
        for i in range(num_perm):
            block[:, i] = np.minimum.reduceat(hv * a[i] + b[i], starts)
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


SIGN_CHUNK = 1_000  # articles signed in one numpy pass (memory: ~5 MB of hashes per 1,000 articles)


def sign_texts(texts: list[str], banded: list[bool]) -> dict:
    """The arrays of the signatures of ``texts``, SIGN_CHUNK at a time: ``dup`` (texts x DUP_PERM
    uint32), ``dup_keys`` (texts x DUP_BANDS int64 band keys), ``names`` (each text's names joined
    by newlines), ``name_rows`` (the texts given ``banded`` that have names) and their ``name_keys``
    (x NAME_BANDS), and ``cpu_seconds`` (this process's CPU time for it)."""
    c0 = time.process_time()
    dup_parts, name_rows, name_keys, joined = [], [], [], []
    for lo in range(0, len(texts), SIGN_CHUNK):
        part = texts[lo : lo + SIGN_CHUNK]
        values, counts = _shingles_many(part)
        dup_parts.append(minhash_many(values, counts, DUP_PERM, DUP_SEED))
        name_lists = [names(t) for t in part]
        rows = [i for i, nm in enumerate(name_lists) if nm and banded[lo + i]]
        if rows:
            flat = [x for i in rows for x in name_lists[i]]
            sigs = minhash_many(_crc32s(flat), np.array([len(name_lists[i]) for i in rows]), NAME_PERM, NAME_SEED)
            name_keys.append(_band_keys(sigs, NAME_BANDS, NAME_ROWS))
            name_rows.append(np.array(rows, dtype=np.int64) + lo)
        joined.extend("\n".join(nm) for nm in name_lists)
    dup = np.concatenate(dup_parts) if dup_parts else np.zeros((0, DUP_PERM), dtype=np.uint32)
    return {
        "dup": dup,
        "dup_keys": _band_keys(dup, DUP_BANDS, DUP_ROWS),
        "names": joined,
        "name_rows": np.concatenate(name_rows) if name_rows else np.zeros(0, dtype=np.int64),
        "name_keys": np.concatenate(name_keys) if name_keys else np.zeros((0, NAME_BANDS), dtype=np.int64),
        "cpu_seconds": time.process_time() - c0,
    }


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    """The signing worker's loop (warehouse.stories starts it): a pickled (texts, banded) in, the
    pickled sign_texts() arrays out, until the input ends."""
    while True:
        try:
            texts, banded = pickle.load(inp)
        except EOFError:
            return
        pickle.dump(sign_texts(texts, banded), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
