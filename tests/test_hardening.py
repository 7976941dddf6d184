"""Hostile and careless use: every case ends in exit 1, one ``Error:`` line, the warehouse's
facts unchanged and no file written (issue 11).

The seeded warehouse is built once per module (curated seed records, no extraction) and
copied per test; "unchanged" compares every row of every fact table before and after.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import FACT_TABLES, write_records
from factories import mini_record, mutate
from typer.testing import CliRunner

from warehouse import analysis, query
from warehouse.bulk import duck, registered, run_sql
from warehouse.cli import app
from warehouse.db import WarehouseError, writer

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def invoke(db: Path, *args: object, input: str | None = None):
    return CliRunner().invoke(app, ["--db", str(db), *(str(a) for a in args)], input=input, catch_exceptions=True)


def one_error(res) -> str:
    """The result failed with exit 1 and exactly one line on stderr, an ``Error:`` line."""
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code == 1, (res.exit_code, res.output)
    assert "Traceback" not in res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    return lines[0]


def snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in FACT_TABLES}
    finally:
        con.close()


def batches(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT command, outcome, error FROM load_batches ORDER BY started_at").fetchall()
    finally:
        con.close()


def files_under(*folders: Path) -> set[Path]:
    return {p for f in folders if f.exists() for p in f.rglob("*")}


# ---------------------------------------------------------------- ask --where: one expression, sandboxed

HOSTILE_PREDICATES = {
    "stacked COPY": ("1=1; COPY (select * from claims) TO '{out}/x.csv'", "one expression only"),
    "COPY after a comment": ("1=1 --\nCOPY (select 1) TO '{out}/x.csv'", "comments are not allowed"),
    "block comment": ("1=1 /* swallow */", "comments are not allowed"),
    "read_text": ("(select content from read_text('/etc/passwd')) like '%root%'", "Permission Error"),
    "read_csv": ("(select count(*) from read_csv('/etc/passwd')) > 0", "Permission Error"),
    "glob": ("(select count(*) from glob('/etc/*')) > 0", "Permission Error"),
    "attach": ("1=1; ATTACH '{out}/other.duckdb' AS o (READ_WRITE)", "one expression only"),
    "install": ("1=1; INSTALL httpfs", "one expression only"),
    "breaking out of the filter": ("1=1) UNION ALL (select * from claims", "not a single SQL expression"),
    "a statement": ("select 1", "not a single SQL expression"),
    "set": ("1=1; SET enable_external_access = true", "one expression only"),
    "empty": ("   ", "empty predicate"),
    "NUL": ("1=1\x00", "NUL character"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PREDICATES))
def test_hostile_predicate_is_refused_and_touches_nothing(case, seeded, tmp_path):
    predicate, message = HOSTILE_PREDICATES[case]
    predicate = predicate.format(out=tmp_path)
    before, files = snapshot(seeded), files_under(tmp_path)
    line = one_error(invoke(seeded, "ask", "transfer_flows", "--where", predicate))
    assert message in line, line
    assert snapshot(seeded) == before
    assert files_under(tmp_path) == files, "no file was written"


def test_a_plain_predicate_still_filters(seeded):
    res = invoke(seeded, "ask", "transfer_flows", "--where", "supplier_id = 'country:PRK' AND reports >= 3",
                 "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert rows and {r["supplier_id"] for r in rows} == {"country:PRK"} and min(r["reports"] for r in rows) >= 3


def test_a_semicolon_inside_a_string_is_part_of_the_expression(seeded):
    res = invoke(seeded, "ask", "transfer_flows", "--where", "supplier_name = 'a;b'", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert res.stdout.count("\n") == 1  # the header only


def test_library_read_helpers_are_sandboxed(seeded, tmp_path):
    """What notebooks call: sql_frame and the analysis helpers cannot write or read files."""
    out = tmp_path / "leak.csv"
    for sql in (f"COPY (SELECT * FROM claims) TO '{out}'", "SELECT * FROM read_text('/etc/passwd')",
                f"ATTACH '{tmp_path / 'x.duckdb'}' AS x", "INSTALL httpfs", "CREATE TABLE t AS SELECT 1",
                "DELETE FROM claims", "SET enable_external_access = true", "LOAD sqlite"):
        with pytest.raises(WarehouseError):
            query.sql_frame(seeded, sql)
    assert not out.exists() and not (tmp_path / "x.duckdb").exists()
    with analysis.connect(seeded) as con:  # the notebooks' own connection
        for sql in (f"COPY (SELECT 1) TO '{out}'", "SELECT * FROM read_text('/etc/passwd')", "INSTALL httpfs"):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
    assert not out.exists()
    assert isinstance(query.sql_frame(seeded, "SELECT count(*) AS n FROM claims"), pd.DataFrame)


def test_json_output_never_holds_nan_or_infinity(seeded):
    df = pd.DataFrame({"x": [float("inf"), float("nan"), 1.5, float("-inf")]})
    text = query.render(df, "json")
    assert json.loads(text) == [{"x": None}, {"x": None}, {"x": 1.5}, {"x": None}]
    assert "Infinity" not in text and "NaN" not in text


# ---------------------------------------------------------------- --db that is not a warehouse


def _sqlite(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return path


BAD_DB_FILES = {
    "a folder": (lambda p: (p.mkdir(), p)[1], "is a folder, not a warehouse file"),
    "a text file": (lambda p: (p.write_text("hello\n" * 10), p)[1], "not a DuckDB database file"),
    "an empty file": (lambda p: (p.write_bytes(b""), p)[1], "empty file, not a DuckDB warehouse"),
    "a SQLite file": (_sqlite, "is a SQLite database, not a DuckDB warehouse"),
    "a missing folder": (lambda p: p / "sub" / "w.duckdb", "does not exist"),
}


@pytest.mark.parametrize("case", sorted(BAD_DB_FILES))
@pytest.mark.parametrize("command", [("ask", "transfer_flows"), ("init",), ("run", SEEDS), ("db", "current")])
def test_db_path_that_is_not_a_warehouse(case, command, tmp_path):
    make, message = BAD_DB_FILES[case]
    db = make(tmp_path / "target")
    line = one_error(invoke(db, *command))
    if command == ("db", "current") and case == "a missing folder":
        assert "no warehouse here" in line
    elif command[0] in ("ask", "db") and case == "a missing folder":
        assert "no warehouse here" in line
    else:
        assert message in line, line


def test_db_in_a_folder_without_write_permission(tmp_path, monkeypatch):
    import warehouse.db as dbmod

    monkeypatch.setattr(dbmod.os, "access", lambda path, mode: False)  # root ignores chmod; ask the check
    line = one_error(invoke(tmp_path / "w.duckdb", "init"))
    assert line == f"Error: {tmp_path / 'w.duckdb'}: folder {tmp_path} is not writable"


def test_a_warehouse_from_a_newer_geo_warehouse(seeded):
    con = duckdb.connect(str(seeded))
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.close()
    for args in (("init",), ("run", SEEDS), ("db", "upgrade"), ("db", "downgrade", "0001", "--yes")):
        line = one_error(invoke(seeded, *args))
        assert "this warehouse was written by a newer geo-warehouse (schema revision 0099" in line, line


# ---------------------------------------------------------------- downgrade asks first; a reload restores


def test_downgrade_with_data_refuses_without_yes(seeded):
    before = snapshot(seeded)
    line = one_error(invoke(seeded, "db", "downgrade", "base"))
    from warehouse import migrate
    from warehouse.schema import metadata

    tables_with_rows = sum(1 for rows in before.values() if rows)  # the fact tables with rows ...
    assert f"downgrade {migrate.head_revision()} -> base drops {len(metadata.tables)} tables" in line, line
    assert line.count(" rows)") >= tables_with_rows
    assert "claims (136 rows)" in line and "agreements (2 rows)" in line and "re-run with --yes" in line
    assert snapshot(seeded) == before


def test_downgrade_prompt_at_a_terminal_can_be_declined(seeded, monkeypatch):
    import warehouse.cli.core_cmds as cmds

    monkeypatch.setattr(cmds, "interactive", lambda: True)
    before = snapshot(seeded)
    res = invoke(seeded, "db", "downgrade", "0001", input="n\n")
    assert res.exit_code == 1
    assert res.stderr.endswith("Drop them? [y/N]: Error: downgrade cancelled; nothing changed\n") or \
        res.stderr.endswith("Error: downgrade cancelled; nothing changed\n"), res.stderr
    assert snapshot(seeded) == before


@pytest.mark.parametrize("target", ["0001", "0002", "base"])
def test_after_a_downgrade_a_rerun_restores_everything(seeded, target):
    before = snapshot(seeded)
    assert invoke(seeded, "db", "downgrade", target, "--yes").exit_code == 0
    res = invoke(seeded, "run", SEEDS, "--quiet")
    assert res.exit_code == 0, res.output
    after = snapshot(seeded)
    # batch ids differ for rows written again; compare the facts without them
    for table in ("agreements", "agreement_parties", "agreement_provisions", "person_roles", "claims",
                  "transfers", "mentions"):
        assert len(after[table]) == len(before[table]), table
    assert invoke(seeded, "run", SEEDS, "--quiet").exit_code == 0  # and a further run is a no-op
    assert snapshot(seeded) == after


# ---------------------------------------------------------------- run is atomic


def _article_folder(tmp_path: Path, published: str) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Ankara signs drone deal\n\nANKARA (Reuters) - Turkey will supply 12 Bayraktar "
                                  "TB2 drones to Poland, the defence ministry said on Monday.\n", encoding="utf-8")
    row = {"text": "SEOUL (Reuters) - North Korea sent artillery shells to Russia, officials said.",
           "published": published, "published_precision": "day"}
    (folder / "b.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    return folder


def test_run_validates_everything_before_writing(seeded, tmp_path):
    folder = _article_folder(tmp_path, "2024")
    before = snapshot(seeded)
    line = one_error(invoke(seeded, "run", folder, "--quiet"))
    assert line == (f"Error: {folder / 'b.jsonl'}: line 1 field published: "
                    "published '2024' does not match precision 'day'")
    assert snapshot(seeded) == before, "nothing of the run landed"
    assert batches(seeded)[-1][:2] == ("run", "failed")
    (folder / "b.jsonl").write_text(json.dumps({"text": "SEOUL (Reuters) - North Korea sent artillery shells "
                                                "to Russia, officials said.", "published": "2024-06-01"}) + "\n")
    res = invoke(seeded, "run", folder, "--quiet")
    assert res.exit_code == 0, res.output
    assert "(2 new; 0 curated records, 2 extracted, 0 unchanged)" in res.stdout, res.stdout


# ---------------------------------------------------------------- ingest refuses what is not an article

TEXT = "SEOUL (Reuters) - North Korea has shipped artillery shells to Russia, officials said on Tuesday."


def _jsonl(**fields) -> bytes:
    return (json.dumps({"text": TEXT, **fields}) + "\n").encode()


BAD_ARTICLES = {
    "random binary": ("x.txt", bytes(range(256)) * 20, None, "not text"),
    "binary with a text suffix": ("x.md", os.urandom(0) + b"\x00\x01\x02\x03" * 500, None, "not text"),
    "title an object": ("x.jsonl", _jsonl(title={"a": 1}), "line 1 field title",
                        "Input should be a valid string (got a JSON object)"),
    "year at day precision": ("x.jsonl", _jsonl(published="2024", published_precision="day"),
                              "line 1 field published", "published '2024' does not match precision 'day'"),
    "yesterday": ("x.jsonl", _jsonl(published="yesterday"), "line 1 field published", "got 'yesterday'"),
    "30 February": ("x.jsonl", _jsonl(published="2024-02-30"), "line 1 field published",
                    "published '2024-02-30' is not a calendar date"),
    "month 13": ("x.jsonl", _jsonl(published="2024-13"), "line 1 field published",
                 "published '2024-13' is not a calendar date"),
    "duplicate key": ("x.jsonl", b'{"text": "a b c", "title": "one", "title": "two"}\n', "line 1",
                      "key 'title' appears twice in one JSON object"),
    "deep nesting": ("x.jsonl", b'{"text": "a", "x": ' + b"[" * 10000 + b"]" * 10000 + b"}\n", "line 1",
                     "JSON nested too deeply"),
    "integer 2**63 as a title": ("x.jsonl", b'{"text": "a b", "title": 9223372036854775808}\n',
                                 "line 1 field title", "Input should be a valid string"),
    "blank line then bad": ("x.jsonl", _jsonl() + b"\n\n" + _jsonl(url=5), "line 4 field url",
                            "Input should be a valid string"),
    "an empty file": ("x.txt", b"", None, "empty file"),
    "unknown kind by name": ("x.pdf", b"%PDF-1.4", None, "not an article file"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARTICLES))
def test_bad_article_is_one_error_line(case, seeded, tmp_path):
    name, data, where, message = BAD_ARTICLES[case]
    f = tmp_path / name
    f.write_bytes(data)
    before = snapshot(seeded)
    line = one_error(invoke(seeded, "ingest", f))
    assert line.startswith(f"Error: {f}: " + (f"{where}: " if where else "")), line
    assert message in line, line
    assert snapshot(seeded) == before
    assert batches(seeded)[-1] == ("ingest", "failed", line.removeprefix("Error: "))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-8-sig", "cp1252"])
def test_text_in_other_encodings_is_decoded(encoding, fresh_db, tmp_path):
    text = TEXT + "\n\nThe café owner in Città said the shipments were “routine” and déjà vu."
    f = tmp_path / "a.txt"
    f.write_bytes(text.encode(encoding))
    res = invoke(fresh_db, "ingest", f)
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(fresh_db), read_only=True)
    (stored,) = con.execute("SELECT cleaned_text FROM articles").fetchone()
    con.close()
    assert stored == text


def test_unreadable_or_vanished_files_and_folders(seeded, tmp_path, monkeypatch):
    import warehouse.ingest as ingest

    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT)
    real_walk = os.walk

    def walk_with_unreadable(top, onerror=None, **kw):
        yield from real_walk(top, onerror=onerror, **kw)
        onerror(PermissionError(13, "Permission denied", str(folder / "sub")))

    monkeypatch.setattr(ingest.os, "walk", walk_with_unreadable)
    assert one_error(invoke(seeded, "ingest", folder)) == \
        f"Error: {folder / 'sub'}: cannot read folder: Permission denied"
    monkeypatch.setattr(ingest.os, "walk", real_walk)

    def gone(self):
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(Path, "read_bytes", gone)
    assert one_error(invoke(seeded, "ingest", folder)) == \
        f"Error: {folder / 'a.txt'}: no such file (was it deleted while reading?)"

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert one_error(invoke(seeded, "ingest", folder)) == f"Error: {folder / 'a.txt'}: cannot read: Permission denied"


# ---------------------------------------------------------------- records


def good(n: int) -> dict:
    return mini_record(f"Good {n}. " + mini_record()["article"]["text"])


BAD_RECORDS = {
    "Infinity as a quantity": ('"low": 100', '"low": Infinity', "field claims[0].transfer.quantity.low",
                               "finite number"),
    "2**63 as a span start": ('"start": 12345', f'"start": {2**63}', "field claims[0].start",
                              "less than or equal to 2147483647"),
    "2**40 into an INT32 column": ('"sentence": 0', f'"sentence": {2**40}', "field mentions[0].sentence",
                                   "less than or equal to 2147483647"),
    "duplicate key": ('"title": "Mini"', '"title": "Mini", "title": "Other"', None,
                      "key 'title' appears twice in one JSON object"),
    "period date 2024-13": ('"status": "delivered"', '"status": "delivered", "period_start": "2024-13"',
                            "field claims[0].transfer.period_start", "period_start '2024-13' is not a calendar date"),
    "zero-width entity name": ('"name": "Iran"', '"name": "\\u200b\\u200c\\u2060"', "field entities[0].name",
                               "visible characters"),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_bad_record_is_one_error_line(case, seeded, tmp_path):
    old, new, field, message = BAD_RECORDS[case]
    rec = good(2)
    if case == "Infinity as a quantity":
        rec = mutate(rec, "claims.0.transfer.quantity", {"low": 100, "unit": "drone"})
    if case == "2**63 as a span start":
        rec = mutate(rec, "claims.0.start", 12345)
    text = json.dumps(rec)
    assert old in text, old
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(good(1)) + "\n" + text.replace(old, new, 1) + "\n")
    before = snapshot(seeded)
    line = one_error(invoke(seeded, "load", f))
    assert line.startswith(f"Error: {f} line 2" + (f" field {field.removeprefix('field ')}" if field else "")), line
    assert message in line, line
    assert snapshot(seeded) == before
    assert batches(seeded)[-1][:2] == ("load", "failed")


def test_quote_mismatch_says_where_it_differs(seeded, tmp_path):
    rec = good(1)
    q = rec["claims"][0]["quote"]
    rec["claims"][0]["quote"] = q[:50] + "X" + q[51:]
    f = write_records(tmp_path / "r.json", rec)
    line = one_error(invoke(seeded, "load", f))
    assert "first difference at character 50 of the quote (expected 'X' (U+0058)" in line, line


def test_quote_differing_only_in_normalization_says_so(seeded, tmp_path):
    text = "Caf\u00e9 owners said Iran shipped drones to Russia."
    rec = mini_record()
    rec = {**rec, "article": {**rec["article"], "id": None, "text": text}, "mentions": [], "agreements": [],
           "claims": [{**rec["claims"][0], "quote": "Cafe\u0301 owners said", "start": 0, "end": 16,
                       "date": None, "date_precision": "unknown", "date_text": None}]}
    rec["article"].pop("id")
    f = write_records(tmp_path / "r.json", rec)
    line = one_error(invoke(seeded, "load", f))
    assert "differ only in Unicode normalization" in line, line


def test_a_database_error_in_a_batch_shows_the_real_cause(fresh_db):
    with writer(fresh_db) as engine:
        with pytest.raises(Exception, match="Conversion Error"), engine.begin() as conn:
            with registered(duck(conn), "_f", pd.DataFrame({"x": ["a"]})):
                run_sql(conn, "SELECT CAST(x AS INTEGER) FROM _f").fetchall()


# ---------------------------------------------------------------- usage errors: one line too (exit 2)


@pytest.mark.parametrize("args, expected", [
    (("ask", "transfer_flows", "--limit", "-1"),
     "Error: warehouse ask: Invalid value for '--limit' / '-n': "),
    (("ask", "transfer_flows", "--format", "xml"), "Error: warehouse ask: Invalid value for '--format' / '-f': "),
    (("nope",), "Error: warehouse: No such command 'nope'."),
    (("db", "downgrade"), "Error: warehouse db downgrade: Missing argument 'revision'."),
])
def test_usage_errors_are_one_line_with_exit_2(seeded, args, expected):
    res = invoke(seeded, *args)
    assert res.exit_code == 2, res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), res.stderr
