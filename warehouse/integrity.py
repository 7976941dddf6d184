"""What the dropped keys enforced, checked by queries (revision 0008; see warehouse/schema.py).

The tables that grow with the corpus carry no PRIMARY KEY, UNIQUE or FOREIGN KEY (DuckDB would
rewrite an index of each at every checkpoint). The loader keeps them true by construction; this
module says whether they are: every key unique, every reference pointing at a row. A full check
reads every row of those tables (seconds at 100,000 articles), so the loader does not run it per
batch; the tests run it after their loads, and anyone can (``problems(conn)``).
"""

from __future__ import annotations

import sqlalchemy as sa

Cols = tuple[str, ...]
# table -> (key columns, other unique column sets, references (columns, table, columns))
KEYS: dict[str, tuple[Cols, tuple[Cols, ...], tuple[tuple[Cols, str, Cols], ...]]] = {
    "articles": (("article_id",), (("text_sha256",),),
                 ((("source_id",), "sources", ("source_id",)), (("batch_id",), "load_batches", ("batch_id",)))),
    "agreements": (("agreement_id",), (), ((("batch_id",), "load_batches", ("batch_id",)),)),
    "article_extractions": (("article_id", "extractor"), (),
                            ((("article_id",), "articles", ("article_id",)),
                             (("batch_id",), "load_batches", ("batch_id",)))),
    "article_authors": (("article_id",), (), ((("article_id",), "articles", ("article_id",)),)),
    "current_records": (("article_id",), (),
                        ((("article_id", "extractor"), "article_extractions", ("article_id", "extractor")),)),
    "article_signatures": (("article_id",), (), ((("article_id",), "articles", ("article_id",)),)),
    "article_links": (("article_a", "article_b"), (),
                      ((("article_a",), "articles", ("article_id",)), (("article_b",), "articles", ("article_id",)))),
    "article_stories": (("article_id",), (), ((("article_id",), "articles", ("article_id",)),
                                              (("story_id",), "stories", ("story_id",)))),
    "stories": (("story_id",), (), ()),
    "article_lsh_full": (("band", "bucket"), (), ()),
    "mentions": (("mention_id",), (),
                 ((("article_id",), "articles", ("article_id",)), (("entity_id",), "entities", ("entity_id",)),
                  (("batch_id",), "load_batches", ("batch_id",)))),
    "claims": (("claim_id",), (),
               ((("article_id",), "articles", ("article_id",)), (("claimant_id",), "entities", ("entity_id",)),
                (("subject_id",), "entities", ("entity_id",)), (("object_id",), "entities", ("entity_id",)),
                (("batch_id",), "load_batches", ("batch_id",)))),
    "claim_denials": (("denial_claim_id", "denied_claim_id"), (),
                      ((("denial_claim_id",), "claims", ("claim_id",)),)),
    "transfers": (("transfer_id",), (("claim_id",),),
                  ((("claim_id",), "claims", ("claim_id",)), (("supplier_id",), "entities", ("entity_id",)),
                   (("recipient_id",), "entities", ("entity_id",)),
                   (("item_category",), "item_categories", ("category",)),
                   (("system_id",), "entities", ("entity_id",)))),
    "person_roles": (("role_assertion_id",), (("claim_id",),),
                     ((("claim_id",), "claims", ("claim_id",)), (("person_id",), "entities", ("entity_id",)),
                      (("organization_id",), "entities", ("entity_id",)))),
    "agreement_parties": (("agreement_id", "entity_id"), (),
                          ((("agreement_id",), "agreements", ("agreement_id",)),
                           (("entity_id",), "entities", ("entity_id",)))),
    "agreement_claims": (("agreement_id", "claim_id"), (),
                         ((("agreement_id",), "agreements", ("agreement_id",)),
                          (("claim_id",), "claims", ("claim_id",)))),
    "agreement_provisions": (("provision_id",), (),
                             ((("agreement_id",), "agreements", ("agreement_id",)),
                              (("claim_id",), "claims", ("claim_id",)))),
    # the summary tables the views read (revision 0009, warehouse/summaries.py)
    "view_articles": (("article_id",), (), ((("article_id",), "articles", ("article_id",)),)),
    "view_transfers": (("transfer_id",), (), ((("transfer_id",), "transfers", ("transfer_id",)),)),
    "view_pairs": (("entity_a", "entity_b"), (), ()),
    "view_claims": (("claim_id",), (), ((("claim_id",), "claims", ("claim_id",)),)),
    "view_flow_denials": ((), (), ((("article_id",), "articles", ("article_id",)),)),
    "view_entity_articles": (("entity_id", "article_id"), (), ((("article_id",), "articles", ("article_id",)),)),
    "view_article_pairs": (("article_id", "entity_a", "entity_b"), (),
                           ((("article_id",), "articles", ("article_id",)),)),
    # revision 0011
    "view_roles": ((), (), ((("claim_id",), "view_claims", ("claim_id",)),)),
    "view_agreement_claims": (("agreement_id", "claim_id"), (), ((("claim_id",), "view_claims", ("claim_id",)),
                                                               (("agreement_id",), "agreements", ("agreement_id",)))),
    "view_agreement_provisions": ((), (), ((("article_id",), "view_articles", ("article_id",)),)),
    "view_agreements": (("agreement_id",), (), ((("agreement_id",), "agreements", ("agreement_id",)),)),
    # revision 0012
    "view_flows": (("supplier_id", "recipient_id", "item_category"), (), ()),
    "view_figure_flows": (("supplier_id", "recipient_id", "item_category", "quantity_unit"), (), ()),
    "view_contested": (("claim_id",), (), ((("claim_id",), "view_claims", ("claim_id",)),)),
    "view_claimants": (("claimant_id",), (), ()),
    "view_claimant_predicates": (("claimant_id", "predicate"), (), ()),
    "view_claimant_subjects": (("claimant_id", "subject_id"), (), ()),
    "view_source_stories": (("publisher", "story_id"), (), ()),
    "view_sources": (("publisher",), (), ()),
}


def problems(conn: sa.Connection, limit: int = 3) -> list[str]:
    """Keys given twice and references to missing rows, one line each (empty: all hold)."""
    out: list[str] = []
    ex = conn.exec_driver_sql
    for table, (key, uniques, refs) in KEYS.items():
        for cols in (key, *uniques):
            if not cols:
                continue  # (a table with no key of its own: only its references are checked)
            c = ", ".join(cols)
            for row in ex(f"SELECT {c}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1 LIMIT {limit}"):
                out.append(f"{table}: ({c}) = {tuple(row[:-1])} is in {row[-1]} rows")
        for cols, parent, pcols in refs:
            on = " AND ".join(f"p.{pc} = t.{tc}" for tc, pc in zip(cols, pcols, strict=True))
            nonnull = " AND ".join(f"t.{tc} IS NOT NULL" for tc in cols)
            c = ", ".join(f"t.{tc}" for tc in cols)
            for row in ex(f"SELECT DISTINCT {c} FROM {table} t WHERE {nonnull} "
                          f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {on}) LIMIT {limit}"):
                out.append(f"{table}: ({', '.join(cols)}) = {tuple(row)} has no row in {parent}")
    return out
