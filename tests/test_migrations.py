"""The hand-written migrations reproduce warehouse.schema exactly, and move data safely."""

from __future__ import annotations

import ast
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROLE_TABLE, table_counts, write_records
from factories import mini_record

from warehouse import migrate, views
from warehouse.db import writer
from warehouse.paths import MIGRATIONS_DIR
from warehouse.schema import metadata

# ---------------------------------------------------------------- helpers


def _sql(conn: sa.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    return conn.exec_driver_sql(sql, params).fetchall()


def base_tables(conn: sa.Connection) -> set[str]:
    return {r[0] for r in _sql(conn, "SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'")}


def view_names(conn: sa.Connection) -> set[str]:
    return {r[0] for r in _sql(conn, "SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = 'main' AND table_type = 'VIEW'")}


def _norm(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s+", " ", text).strip()


def schema_snapshot(conn: sa.Connection) -> dict:
    """What DuckDB itself says about the tables (not views, not alembic_version)."""
    tables = base_tables(conn) - {"alembic_version"}
    columns = {
        t: [(name, pos, dtype, nullable, default) for _, name, pos, dtype, nullable, default in _sql(
            conn,
            "SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
            "ORDER BY ordinal_position", (t,))]
        for t in tables
    }
    constraints: dict[str, Counter] = {}
    for t in tables:
        rows = _sql(
            conn,
            "SELECT constraint_type, constraint_text, constraint_column_names, referenced_table, "
            "referenced_column_names FROM duckdb_constraints() WHERE schema_name = 'main' AND table_name = ?",
            (t,))
        # Constraint names are DuckDB's own (it ignores the declared ones), so they are not compared.
        constraints[t] = Counter(
            (ctype, _norm(text), tuple(cols or ()), ref, tuple(ref_cols or ())) for ctype, text, cols, ref, ref_cols
            in rows)
    return {"tables": tables, "columns": columns, "constraints": constraints}


def constraint_kinds(snapshot: dict) -> Counter:
    return Counter(c[0] for cs in snapshot["constraints"].values() for c in cs.elements())


# ---------------------------------------------------------------- (a) metadata == migrations


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    folder = tmp_path_factory.mktemp("schemas")
    with writer(folder / "metadata.duckdb") as eng:
        metadata.create_all(eng)
        with eng.connect() as conn:
            from_metadata = schema_snapshot(conn)
    with writer(folder / "migrations.duckdb") as eng:
        migrate.upgrade(eng, "head")
        with eng.connect() as conn:
            from_migrations = schema_snapshot(conn)
    return from_metadata, from_migrations


def test_migrations_create_every_metadata_table(snapshots):
    from_metadata, from_migrations = snapshots
    assert from_metadata["tables"] == set(metadata.tables)
    assert from_migrations["tables"] == from_metadata["tables"]


def test_migrations_match_metadata_columns(snapshots):
    from_metadata, from_migrations = snapshots
    for table in sorted(from_metadata["tables"]):
        assert from_migrations["columns"][table] == from_metadata["columns"][table], table


@pytest.mark.parametrize("kind", ["NOT NULL", "PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK"])
def test_migrations_match_metadata_constraints(snapshots, kind):
    from_metadata, from_migrations = snapshots
    for table in sorted(from_metadata["tables"]):
        want = sorted(c for c in from_metadata["constraints"][table].elements() if c[0] == kind)
        got = sorted(c for c in from_migrations["constraints"][table].elements() if c[0] == kind)
        assert got == want, f"{kind} constraints of {table} differ"


def test_snapshot_sees_every_kind_of_constraint(snapshots):
    """The comparison above is not vacuous: each kind of constraint is present."""
    kinds = constraint_kinds(snapshots[0])
    for kind in ("NOT NULL", "PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK"):
        assert kinds[kind] > 0, kind
    checks = {c[1] for cs in snapshots[0]["constraints"].values() for c in cs if c[0] == "CHECK"}
    assert any("quantity_low <= quantity_high" in c for c in checks)


# ---------------------------------------------------------------- (b) round trip with data


def test_downgrade_base_with_data_then_upgrade_leaves_an_empty_valid_schema(tmp_path, tmp_db, cli):
    rec = write_records(tmp_path / "mini.json", mini_record())
    res = cli("load", rec)
    assert res.exit_code == 0, res.output
    before = table_counts(tmp_db)
    for table in ("articles", "claims", "transfers", "claim_denials", ROLE_TABLE, "agreements",
                  "agreement_claims", "agreement_provisions", "mentions"):
        assert before[table] > 0, table

    with writer(tmp_db) as eng:
        migrate.downgrade(eng, "base")
        with eng.connect() as conn:
            assert base_tables(conn) - {"alembic_version"} == set()
            assert view_names(conn) == set()
        assert migrate.current_revision(eng) is None
        migrate.upgrade(eng, "head")
        assert migrate.current_revision(eng) == migrate.head_revision()
        with eng.connect() as conn:
            assert base_tables(conn) - {"alembic_version"} == set(metadata.tables)
            for table in metadata.tables:
                assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one() == 0, table

    # ...and a valid one: the same record loads again into it.
    res = cli("load", rec)
    assert res.exit_code == 0, res.output
    after = table_counts(tmp_db)
    for table in set(before) - {"entities", "entity_aliases"}:  # those two also hold reference data
        assert after[table] == before[table], table


# ---------------------------------------------------------------- (c) data survives an upgrade


def test_rows_in_0001_tables_survive_upgrade_to_head(engine):
    migrate.upgrade(engine, "0001")
    assert migrate.current_revision(engine) == "0001"
    now = datetime(2024, 6, 19, 12, 0, 0)
    with engine.begin() as conn:
        assert "agreements" not in base_tables(conn)
        ex = conn.exec_driver_sql
        ex("INSERT INTO load_batches VALUES ('b1', 'test', '[]', ?, ?, 'ok', '{}', NULL, '0.1.0')", (now, now))
        ex("INSERT INTO item_categories VALUES ('drones', 'weapons', 'Drones')")
        ex("INSERT INTO sources VALUES ('reuters', 'Reuters', 'wire', NULL)")
        ex("INSERT INTO articles VALUES ('a1', 'sha-a1', 'reuters', 'T', NULL, 'SEOUL', ?, 'day', 'raw', "
           "'Iran sent drones.', 'a.txt', ?, 'b1')", (date(2024, 6, 19), now))
        ex("INSERT INTO entities VALUES ('country:IRN', 'country', 'Iran', 'IRN', NULL, 'reference', false, NULL),"
           " ('country:RUS', 'country', 'Russia', 'RUS', NULL, 'reference', false, NULL)")
        ex("INSERT INTO entity_aliases VALUES ('iran', 'country:IRN', 'Iran', 'name', 'reference')")
        ex("INSERT INTO article_extractions VALUES ('a1', 'curated', '1.0', 'sha', 'b1')")
        ex("INSERT INTO mentions VALUES ('m1', 'a1', 'country:IRN', 0, 4, 'Iran', 0, 'curated', '1.0', 'b1')")
        ex("INSERT INTO claims VALUES ('c1', 'a1', 't1', NULL, 'transfer', 'country:IRN', 'country:RUS', "
           "'asserts', 'reported', 'Iran sent drones.', 0, 17, NULL, 'unknown', NULL, NULL, 'curated', '1.0', 'b1')")
        ex("INSERT INTO transfers (transfer_id, claim_id, supplier_id, recipient_id, item, item_category, status, "
           "quantity_low) VALUES ('t1', 'c1', 'country:IRN', 'country:RUS', 'drones', 'drones', 'delivered', 5)")
        ex("INSERT INTO claim_denials VALUES ('c1', 'c0')")
        columns = {t: [r[0] for r in ex("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                           "ORDER BY ordinal_position", (t,)).fetchall()]
                   for t in base_tables(conn) - {"alembic_version"}}
        before = {t: sorted(ex(f"SELECT {', '.join(cols)} FROM {t}").fetchall()) for t, cols in columns.items()}
    assert all(before.values()), "every 0001 table got a row"

    migrate.upgrade(engine, "head")
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        after = {t: sorted(conn.exec_driver_sql(f"SELECT {', '.join(cols)} FROM {t}").fetchall())
                 for t, cols in columns.items()}
        # the record loaded at 0001 had no agreements or roles stored: 0002 marks it stale so the
        # next load writes it again in full; every other row is unchanged
        assert after.pop("article_extractions") == [("a1", "curated", "1.0", "stale:upgraded-from-0001", "b1")]
        before.pop("article_extractions")
        assert after == before
        before["article_extractions"] = True
        # columns added by later revisions (0003: article_extractions.input_sha256) start empty
        assert conn.exec_driver_sql("SELECT input_sha256 FROM article_extractions").fetchall() == [(None,)]
        assert base_tables(conn) - {"alembic_version"} == set(metadata.tables)
        # 0005 fills current_records from the extractions already there: the article's one record
        assert conn.exec_driver_sql("SELECT * FROM current_records").fetchall() == [("a1", "curated", "1.0", "b1")]
        # 0009 fills the views' summary tables from the facts already there: the one counted transfer
        assert conn.exec_driver_sql("SELECT article_id, counted_extractor, claims, transfers FROM view_articles"
                                    ).fetchall() == [("a1", "curated", 1, 1)]
        assert conn.exec_driver_sql("SELECT transfer_id, supplier_id FROM view_transfers").fetchall() == [
            ("t1", "country:IRN")]
        assert conn.exec_driver_sql("SELECT entity_id, mentions FROM view_entity_articles ORDER BY 1").fetchall() == [
            ("country:IRN", 1), ("country:RUS", 0)]
        assert conn.exec_driver_sql("SELECT claim_id FROM view_claims").fetchall() == [("c1",)]
        # 0012 fills the per-answer summaries from those: the transfer's flow, the claim's claimant
        assert conn.exec_driver_sql("SELECT supplier_id, reports, articles FROM view_flows").fetchall() == [
            ("country:IRN", 1, 1)]
        assert conn.exec_driver_sql("SELECT claims, transfer_claims, articles, predicates FROM view_claimants"
                                    ).fetchall() == [(1, 1, 1, ["transfer"])]
        assert conn.exec_driver_sql("SELECT predicate, claims FROM view_claimant_predicates").fetchall() == [
            ("transfer", 1)]
        assert conn.exec_driver_sql("SELECT articles, stories, claims, transfers FROM view_sources").fetchall() == [
            (1, 1, 1, 1)]
        filled = {"current_records", "view_articles", "view_claims", "view_transfers", "view_entity_articles",
                  "view_flows", "view_claimants", "view_claimant_predicates", "view_claimant_subjects",
                  "view_source_stories", "view_sources"}
        for table in set(metadata.tables) - set(before) - filled:
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one() == 0, table


def test_upgrade_head_is_a_no_op_when_at_head(engine):
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        first = schema_snapshot(conn)
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        assert schema_snapshot(conn) == first


def test_step_by_step_downgrade_removes_each_revisions_tables(engine):
    migrate.upgrade(engine, "head")
    revs = [rev for rev, _down, _doc in migrate.history()]
    assert revs[-1] == migrate.head_revision()
    for rev in reversed(revs[:-1]):
        migrate.downgrade(engine, rev)
        assert migrate.current_revision(engine) == rev
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    with engine.connect() as conn:
        assert base_tables(conn) - {"alembic_version"} == set()


# ---------------------------------------------------------------- (d) revision files


REVISION_FILES = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))


def test_there_are_revision_files():
    assert len(REVISION_FILES) >= 2
    assert [p.name for p in migrate.revision_files()] == [p.name for p in REVISION_FILES]


@pytest.mark.parametrize("path", REVISION_FILES, ids=lambda p: p.name)
def test_revision_file_is_named_and_documented(path: Path):
    assert re.fullmatch(r"\d{4}_[a-z]+(?:_[a-z0-9]+)+\.py", path.name), path.name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and doc.strip().splitlines()[0].strip(), f"{path.name} has no docstring"
    revision = next(n.value.value for n in tree.body if isinstance(n, ast.Assign)
                    and any(getattr(t, "id", None) == "revision" for t in n.targets))
    assert path.name.startswith(f"{revision}_"), "the file name starts with its revision id"


def test_revisions_form_one_numbered_chain():
    hist = migrate.history()
    assert [down for _rev, down, _doc in hist] == [None, *(rev for rev, _down, _doc in hist[:-1])]
    assert [rev for rev, _down, _doc in hist] == [f"{i:04d}" for i in range(1, len(hist) + 1)]


# ---------------------------------------------------------------- (e) views follow the schema


def test_views_exist_at_head_and_are_gone_at_base(engine):
    expected = {v.name for v in views.load_views()} | {v.name for v in views.base_views()}
    assert expected >= {"transfer_flows", "current_claims", "current_mentions"}, "canned and base views"
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        assert view_names(conn) == expected
        for name in sorted(expected):  # each one runs on the empty schema
            conn.exec_driver_sql(f"SELECT * FROM {name} LIMIT 0").fetchall()
    migrate.downgrade(engine, "base")
    with engine.connect() as conn:
        assert view_names(conn) == set()
    migrate.upgrade(engine, "head")
    with engine.connect() as conn:
        assert view_names(conn) == expected


def test_intermediate_revision_only_has_views_whose_tables_exist(engine):
    migrate.upgrade(engine, "0001")
    with engine.connect() as conn:
        present = base_tables(conn)
        names = view_names(conn)
    all_tables = set(metadata.tables)
    by_name = {v.name: v for v in views.load_views()}
    for name in names:
        assert by_name[name].references(all_tables) <= present, name
