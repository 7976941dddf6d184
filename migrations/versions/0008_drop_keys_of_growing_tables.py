"""Drop the primary keys, foreign keys and unique constraints of the tables that grow with the corpus.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

DuckDB keeps an ART index behind every PRIMARY KEY, UNIQUE and FOREIGN KEY constraint and
rewrites each index of a changed table whole at every checkpoint: a daily load of 1,000 articles
into a 100,000-article warehouse rewrote about 1 GB of indexes (the file grew 1.4-1.8x a load)
and took five times as long as the same load into an empty warehouse. The tables whose rows grow
with the articles (articles and everything hanging off them) keep their NOT NULL and CHECK
constraints (checked row by row, no index) and lose their keys; the loader guarantees what the
keys enforced (deterministic content-hash ids written once, references resolved before they are
written: warehouse/load.py, warehouse/integrity.py). The small tables (load_batches, sources,
item_categories, entities, entity_aliases, sanctions_regimes) keep theirs.

DuckDB cannot drop a constraint, so each table is rebuilt: its rows are copied aside, the old
tables dropped (children before parents), each created anew from its own columns and CHECK
constraints (as the catalog had them) and filled again (parents first). Ids, rows and their
order do not change. The downgrade rebuilds the tables with their keys (it fails, changing
nothing, if the rows break one).
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# table -> (primary key, unique column sets, foreign keys (columns, table, columns)), as 0001-0007 made them;
# listed parents first (creation order), children first when reversed (drop order).
KEYS: dict[str, tuple[list[str], list[list[str]], list[tuple[list[str], str, list[str]]]]] = {
    "articles": (["article_id"], [["text_sha256"]],
                 [(["source_id"], "sources", ["source_id"]), (["batch_id"], "load_batches", ["batch_id"])]),
    "agreements": (["agreement_id"], [], [(["batch_id"], "load_batches", ["batch_id"])]),
    "article_extractions": (["article_id", "extractor"], [],
                            [(["article_id"], "articles", ["article_id"]),
                             (["batch_id"], "load_batches", ["batch_id"])]),
    "article_authors": (["article_id"], [], []),
    "current_records": (["article_id"], [], []),
    "article_signatures": (["article_id"], [], []),
    "article_links": (["article_a", "article_b"], [], []),
    "article_stories": (["article_id"], [], []),
    "stories": (["story_id"], [], []),
    "mentions": (["mention_id"], [],
                 [(["article_id"], "articles", ["article_id"]), (["entity_id"], "entities", ["entity_id"]),
                  (["batch_id"], "load_batches", ["batch_id"])]),
    "claims": (["claim_id"], [],
               [(["article_id"], "articles", ["article_id"]), (["claimant_id"], "entities", ["entity_id"]),
                (["subject_id"], "entities", ["entity_id"]), (["object_id"], "entities", ["entity_id"]),
                (["batch_id"], "load_batches", ["batch_id"])]),
    "claim_denials": (["denial_claim_id", "denied_claim_id"], [], []),
    "transfers": (["transfer_id"], [["claim_id"]],
                  [(["supplier_id"], "entities", ["entity_id"]), (["recipient_id"], "entities", ["entity_id"]),
                   (["item_category"], "item_categories", ["category"]), (["system_id"], "entities", ["entity_id"])]),
    "person_roles": (["role_assertion_id"], [["claim_id"]],
                     [(["person_id"], "entities", ["entity_id"]), (["organization_id"], "entities", ["entity_id"])]),
    "agreement_parties": (["agreement_id", "entity_id"], [],
                          [(["agreement_id"], "agreements", ["agreement_id"]),
                           (["entity_id"], "entities", ["entity_id"])]),
    "agreement_claims": (["agreement_id", "claim_id"], [], [(["agreement_id"], "agreements", ["agreement_id"])]),
    "agreement_provisions": (["provision_id"], [], [(["agreement_id"], "agreements", ["agreement_id"])]),
}


def _cols(names: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in names)


def _definition(conn, table: str, with_keys: bool) -> str:
    """CREATE TABLE body of ``table`` from the catalog: columns, NOT NULL, CHECK; keys when asked."""
    columns = conn.exec_driver_sql(
        "SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index", (table,)
    ).fetchall()
    checks = [r[0] for r in conn.exec_driver_sql(
        "SELECT constraint_text FROM duckdb_constraints() WHERE schema_name = 'main' AND table_name = ? "
        "AND constraint_type = 'CHECK' ORDER BY constraint_index", (table,)
    ).fetchall()]
    parts = [f'"{name}" {dtype}{"" if nullable else " NOT NULL"}' for name, dtype, nullable in columns]
    parts += checks
    if with_keys:
        pk, uniques, fks = KEYS[table]
        parts.append(f"PRIMARY KEY ({_cols(pk)})")
        parts += [f"UNIQUE ({_cols(u)})" for u in uniques]
        parts += [f"FOREIGN KEY ({_cols(c)}) REFERENCES {t} ({_cols(rc)})" for c, t, rc in fks]
    return ", ".join(parts)


def _rebuild(with_keys: bool) -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("SET enable_progress_bar = false")  # the copies of a big warehouse take seconds
    tables = list(KEYS)
    definitions = {t: _definition(conn, t, with_keys) for t in tables}
    for t in tables:  # rows aside in plain tables (no constraints), then the old tables go, children first
        conn.exec_driver_sql(f"CREATE TABLE _rows_{t} AS SELECT * FROM {t}")
    for t in reversed(tables):
        conn.exec_driver_sql(f"DROP TABLE {t}")
    for t in tables:  # parents first: a child's foreign keys need its parent's key and rows
        conn.exec_driver_sql(f"CREATE TABLE {t} ({definitions[t]})")
        conn.exec_driver_sql(f"INSERT INTO {t} SELECT * FROM _rows_{t}")
        conn.exec_driver_sql(f"DROP TABLE _rows_{t}")


def upgrade() -> None:
    _rebuild(with_keys=False)


def downgrade() -> None:
    _rebuild(with_keys=True)
