"""One version of the facts per article (issue 14, part 1): curated records win, a newer extractor
version supersedes an older one, and which record is current is a table the views read."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from conftest import write_records
from factories import mini_record
from typer.testing import CliRunner

from warehouse import query
from warehouse.cli import app

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def invoke(db: Path, *args: object):
    res = CliRunner().invoke(app, ["--db", str(db), *(str(a) for a in args)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


def flows(db: Path) -> dict[tuple, int]:
    return {(r["supplier_id"], r["recipient_id"], r["item_category"]): r["reports"]
            for r in query.records(query.ask(db, "transfer_flows"))}


def current(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT article_id, extractor, extractor_version FROM current_records ORDER BY 1").fetchall()
    finally:
        con.close()


def test_extracted_records_of_curated_articles_are_kept_but_not_counted(seeded, tmp_path):
    before = flows(seeded)
    assert before[("country:PRK", "country:RUS", "ballistic_missiles")] == 10
    invoke(seeded, "extract", "--all", "--out", tmp_path / "ex")
    invoke(seeded, "load", tmp_path / "ex")
    assert flows(seeded) == before, "the curated 10 stay 10"
    con = duckdb.connect(str(seeded), read_only=True)
    try:
        stored = con.execute("SELECT count(*) FROM claims WHERE extractor = 'rules'").fetchone()[0]
    finally:
        con.close()
    assert stored > 0, "the extracted facts are in the tables (for evaluation)"
    assert {e for _a, e, _v in current(seeded)} == {"curated"}
    s = query.status(seeded)
    assert (s["articles"], s["curated"], s["extracted"], s["superseded"]) == (5, 5, 0, 5)
    res = invoke(seeded, "status")
    assert "articles:        5  (5 curated, 0 extracted, 0 without a record)" in res.stdout
    assert "superseded:      5  records kept for evaluation, counted by no view" in res.stdout


def test_run_never_extracts_an_article_that_has_a_curated_record(seeded, tmp_path):
    before = flows(seeded)
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    shutil.copy(SEEDS / "000_5fa28b2da516ed9a.txt", copy / "same.txt")
    res = invoke(seeded, "run", copy, "--quiet")
    assert "(0 new; 0 curated records, 0 extracted, 0 unchanged)" in res.stdout
    assert flows(seeded) == before
    assert query.status(seeded)["superseded"] == 0


def _rec(version: str, extractor: str = "rules", quantity: int = 100) -> dict:
    rec = mini_record(extractor=extractor)
    rec["extractor"]["version"] = version
    rec["claims"][0]["transfer"]["quantity"] = {"low": quantity, "high": quantity, "unit": "drone"}
    return rec


def _quantities(db: Path) -> list:
    return [r["quantity_low"] for r in query.records(query.ask(db, "transfer_reports"))]


def test_a_newer_extractor_version_supersedes_an_older_one(fresh_db, tmp_path):
    invoke(fresh_db, "load", write_records(tmp_path / "a.json", _rec("0.5.0", quantity=100)))
    invoke(fresh_db, "load", write_records(tmp_path / "b.json", _rec("0.10.0", quantity=200)))
    assert _quantities(fresh_db) == [200]
    res = invoke(fresh_db, "load", write_records(tmp_path / "c.json", _rec("0.9.1", quantity=300)))
    assert _quantities(fresh_db) == [200], "an older version never replaces a newer one"
    assert "loaded 1 records (0 unchanged)" in res.stdout
    assert current(fresh_db)[0][1:] == ("rules", "0.10.0")


def test_a_curated_record_loaded_later_takes_over(fresh_db, tmp_path):
    invoke(fresh_db, "load", write_records(tmp_path / "a.json", _rec("0.6.0", quantity=100)))
    assert _quantities(fresh_db) == [100]
    invoke(fresh_db, "load", write_records(tmp_path / "b.json", _rec("1.0", extractor="curated", quantity=7)))
    assert _quantities(fresh_db) == [7]
    assert [e for _a, e, _v in current(fresh_db)] == ["curated"]
    assert query.status(fresh_db)["superseded"] == 1
