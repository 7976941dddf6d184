"""`warehouse run seeds/`: the main job, its printed counts, and a second run that changes nothing."""

from __future__ import annotations

import re
import shutil

import duckdb
from typer.testing import CliRunner

from warehouse.cli import app
from warehouse.ingest import ARTICLE_SUFFIXES
from warehouse.paths import SEEDS_DIR

FACT_TABLES = ("articles", "sources", "entities", "entity_aliases", "mentions", "claims", "claim_denials", "transfers",
               "agreements", "agreement_parties", "agreement_claims", "agreement_provisions", "person_roles",
               "article_extractions")


def _snapshot(db) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * EXCLUDE (batch_id) FROM {t}").fetchall())
                           if t in ("articles", "mentions", "claims", "agreements", "entities", "article_extractions")
                           else map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
                for t in FACT_TABLES}
    finally:
        con.close()


def _printed(output: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+):\s+(\d+)", output, re.MULTILINE)}


def test_run_seeds_prints_the_counts_in_the_database(tmp_path):
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(app, ["--db", str(db), "run", str(SEEDS_DIR), "--quiet"])
    assert result.exit_code == 0, result.output
    printed = _printed(result.stdout)
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table in ("articles", "entities", "claims", "transfers", "agreements"):
            assert printed[table] == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
        assert printed["denials"] == con.execute("SELECT count(*) FROM claims WHERE predicate = 'denial'").fetchone()[0]
        assert printed["articles"] == 5
        assert printed["denials"] >= 4
        assert printed["transfers"] >= 40
    finally:
        con.close()
    assert re.search(r"^elapsed:\s+[\d.]+ s$", result.stdout, re.MULTILINE)


def test_second_run_changes_no_row(tmp_path):
    db = tmp_path / "w.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "run", str(SEEDS_DIR), "--quiet"]).exit_code == 0
    before = _snapshot(db)
    again = runner.invoke(app, ["--db", str(db), "run", str(SEEDS_DIR), "--quiet"])
    assert again.exit_code == 0
    assert "5 unchanged" in again.stdout and "0 new" in again.stdout
    assert _snapshot(db) == before


def test_run_extracts_articles_without_curated_records(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS_DIR / "002_0fc9a8740045b183.txt", corpus)
    (corpus / "new.txt").write_text(
        "Iran ships drones to Russia\n"
        "Iran has shipped hundreds of Shahed drones to Russia, according to U.S. officials. "
        "Tehran denied the reports.\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(app, ["--db", str(db), "run", str(corpus), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "0 curated records, 2 extracted" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        extractors = {r[0] for r in con.execute("SELECT DISTINCT extractor FROM claims").fetchall()}
        assert extractors == {"rules"}
        flows = con.execute("SELECT supplier_id, recipient_id, item_category FROM transfers").fetchall()
        assert ("country:IRN", "country:RUS", "drones") in flows
    finally:
        con.close()


def test_user_mistakes_on_run_and_ingest_are_one_error_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not text")
    db = str(tmp_path / "w.duckdb")
    cases = {
        ("run", str(tmp_path / "missing")): f"Error: {tmp_path / 'missing'}: no such file or folder",
        ("ingest", str(tmp_path / "missing")): f"Error: {tmp_path / 'missing'}: no such file or folder",
        ("run", str(empty)): f"Error: {empty}: no article files ({' '.join(ARTICLE_SUFFIXES)}) found",
        ("ingest", str(bad)): f"Error: {bad}: not valid utf-16-le text (invalid bytes at offset 10)",  # a UTF-16 BOM
    }
    for args, expected in cases.items():
        result = CliRunner().invoke(app, ["--db", db, *args])
        assert result.exit_code == 1, args
        assert result.stderr == expected + "\n", args


def test_second_run_neither_reparses_curated_records_nor_reextracts(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "records").mkdir(parents=True)
    shutil.copy(SEEDS_DIR / "000_5fa28b2da516ed9a.txt", corpus)
    shutil.copy(SEEDS_DIR / "records" / "000_5fa28b2da516ed9a.json", corpus / "records")
    (corpus / "new.txt").write_text("Iran ships drones\nIran has shipped Shahed drones to Russia.\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    first = CliRunner().invoke(app, ["--db", str(db), "run", str(corpus), "--quiet"])
    assert first.exit_code == 0, first.output
    assert "1 curated records, 1 extracted, 0 unchanged" in first.stdout

    import warehouse.extract
    import warehouse.load

    def refuse(*args, **kwargs):
        raise AssertionError("nothing should be parsed or extracted again")

    monkeypatch.setattr(warehouse.extract, "extract_many", refuse)
    monkeypatch.setattr(warehouse.load, "parse_record", refuse)
    second = CliRunner().invoke(app, ["--db", str(db), "run", str(corpus), "--quiet"])
    assert second.exit_code == 0, second.output
    assert "1 curated records, 1 extracted, 2 unchanged" in second.stdout
