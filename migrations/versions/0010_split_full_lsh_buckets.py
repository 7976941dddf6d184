"""Split the LSH buckets that hold more than 50 articles out of article_lsh into article_lsh_full.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

A new article's candidates come from the LSH buckets it shares with other articles, and only from
buckets of at most 50 articles (warehouse.stories.MAX_BUCKET): a bigger one is boilerplate. A bucket
only grows (articles are never removed from one), so once it has passed 50 it never gives a
candidate again; yet its rows were kept, and every batch scanned them to count the bucket's size:
at 100,000 benchmark articles 4.9 of the 6.4 million rows of article_lsh (64 an article) were in
such buckets, and a daily load of 1,000 articles into 1,000,000 spent 2.7 s in those scans. Now
article_lsh holds the rows of the small buckets, article_lsh_full the keys (band, bucket) of the
full ones, and the loader moves a bucket from one to the other in the batch that makes it pass 50
(warehouse/stories.py). The candidate pairs are the same.

The upgrade records every bucket of more than 50 rows and deletes its rows. The downgrade puts the
rows back: it recomputes every stored signature's band keys (warehouse.signing: the band keys of
article_signatures' dup_sig and of its names' MinHash, exactly as the loader computes them) and
inserts the rows whose bucket is full, then drops article_lsh_full. Like the other tables that grow
with the corpus (revision 0008), article_lsh_full carries no key.
"""

import numpy as np
import pyarrow as pa
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MAX_BUCKET = 50  # warehouse.stories.MAX_BUCKET as of this revision
NAME_BAND_BASE = 100
CHUNK = 50_000  # signatures recomputed at a time by the downgrade


def upgrade() -> None:
    op.create_table(
        "article_lsh_full",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
    )
    op.execute(
        "INSERT INTO article_lsh_full (band, bucket) SELECT band, bucket FROM article_lsh "
        f"GROUP BY band, bucket HAVING count(*) > {MAX_BUCKET} ORDER BY band, bucket"
    )
    op.execute("DELETE FROM article_lsh o USING article_lsh_full f WHERE o.band = f.band AND o.bucket = f.bucket")


def downgrade() -> None:
    from warehouse.bulk import duck, registered, run_sql  # noqa: PLC0415 (only the downgrade needs them)
    from warehouse.signing import (  # noqa: PLC0415
        DUP_BANDS,
        DUP_ROWS,
        NAME_BANDS,
        NAME_PERM,
        NAME_ROWS,
        NAME_SEED,
        _band_keys,
        _crc32s,
        minhash_many,
    )

    conn = op.get_bind()
    d = duck(conn)
    if d.execute("SELECT count(*) FROM article_lsh_full").fetchone()[0]:
        total = d.execute("SELECT count(*) FROM article_signatures").fetchone()[0]
        for lo in range(0, total, CHUNK):
            rows = d.execute(
                "SELECT article_id, dup_sig, names, published_on FROM article_signatures "
                f"ORDER BY article_id LIMIT {CHUNK} OFFSET {lo}"
            ).fetchall()
            ids = [r[0] for r in rows]
            dup = np.stack([np.frombuffer(r[1], dtype=np.uint32) for r in rows])
            parts = [pa.table({
                "band": np.tile(np.arange(DUP_BANDS, dtype=np.int16), len(rows)),
                "bucket": _band_keys(dup, DUP_BANDS, DUP_ROWS).reshape(-1),
                "article_id": pa.array(ids).take(np.repeat(np.arange(len(rows)), DUP_BANDS)),
            })]
            banded = [i for i, r in enumerate(rows) if r[2] and r[3] is not None]
            if banded:
                lists = [rows[i][2].split("\n") for i in banded]
                sigs = minhash_many(_crc32s([x for nm in lists for x in nm]), np.array([len(nm) for nm in lists]),
                                    NAME_PERM, NAME_SEED)
                parts.append(pa.table({
                    "band": np.tile(np.arange(NAME_BAND_BASE, NAME_BAND_BASE + NAME_BANDS, dtype=np.int16),
                                    len(banded)),
                    "bucket": _band_keys(sigs, NAME_BANDS, NAME_ROWS).reshape(-1),
                    "article_id": pa.array(ids).take(np.repeat(np.array(banded), NAME_BANDS)),
                }))
            with registered(d, "_bands", pa.concat_tables(parts)):
                run_sql(d, "INSERT INTO article_lsh (band, bucket, article_id) SELECT b.band, b.bucket, b.article_id "
                           "FROM _bands b SEMI JOIN article_lsh_full f ON f.band = b.band AND f.bucket = b.bucket")
    op.drop_table("article_lsh_full")
