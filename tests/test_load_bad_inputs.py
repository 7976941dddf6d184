"""A catalogue of bad inputs: each ends in exit 1, one precise ``Error:`` line, and no write.

The format is ``Error: FILE record N field F: message`` (record and field where they apply).
Bad records come after a good one in the same file, so "nothing was written" is not vacuous.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import FACT_TABLES, table_counts, write_records
from factories import DELETE, TEXT, mini_record, mutate

from warehouse.load import MAX_RECORD_BYTES


def good(n: int = 0) -> dict:
    return mini_record(f"Good {n}. " + TEXT)


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], tuple[list[Path], Path]]  # tmp folder -> (paths to load, the file to blame)
    record: int | None
    field: str | None
    message: str  # a regex for the message after "FIELD: "


def bad_record_case(id: str, path: str, value, field: str, message: str) -> Case:
    """A .jsonl whose first record is good and whose second has one field replaced."""

    def make(folder: Path) -> tuple[list[Path], Path]:
        f = write_records(folder / f"{id}.jsonl", good(1), mutate(good(2), path, value))
        return [f], f

    return Case(id, make, 2, field, message)


def _raw(name: str, data: bytes, prefix_good: bool = False) -> Callable[[Path], tuple[list[Path], Path]]:
    def make(folder: Path) -> tuple[list[Path], Path]:
        f = folder / name
        f.write_bytes((json.dumps(good(1)).encode() + b"\n" if prefix_good else b"") + data)
        return [f], f

    return make


def _two_files_same_article(folder: Path) -> tuple[list[Path], Path]:
    first = write_records(folder / "first.json", good(3))
    second = write_records(folder / "second.jsonl", good(1), mutate(good(3), "claims.0.hedge", "alleged"))
    return [first, second], second


def _huge_line(folder: Path) -> tuple[list[Path], Path]:
    """A 50 MB .jsonl whose second line (one record) is far over the 16 MiB limit."""
    f = folder / "huge.jsonl"
    filler = 50 * 1024 * 1024
    with f.open("wb") as fh:
        fh.write(json.dumps(good(1)).encode() + b"\n")
        fh.write(b'{"article": {"text": "')
        block = b"x" * (1024 * 1024)
        for _ in range(filler // len(block)):
            fh.write(block)
        fh.write(b'"}}\n')
    assert f.stat().st_size > 50 * 1024 * 1024 > MAX_RECORD_BYTES
    return [f], f


def _missing(folder: Path) -> tuple[list[Path], Path]:
    f = folder / "no_such_file.jsonl"
    return [f], f


def _suffix(folder: Path) -> tuple[list[Path], Path]:
    f = write_records(folder / "records.txt.json", good(1)).rename(folder / "records.txt")
    return [f], f


def _duplicate_entity(rec: dict) -> dict:
    return mutate(rec, "entities", [*rec["entities"], {"id": "country:IRN", "type": "country", "name": "Persia",
                                                       "country_code": "IRN"}])


CASES = [
    Case("malformed JSON", _raw("malformed.jsonl", b'{"extractor": {"name": \n', prefix_good=True), 2, None,
         r"malformed JSON: Expecting value \(column \d+\)"),
    Case("not an object", _raw("array.jsonl", b"[1, 2]\n", prefix_good=True), 2, None,
         r"a record is a JSON object, got list"),
    bad_record_case("quantity low is a string", "claims.0.transfer.quantity.low", "ten",
                    "claims[0].transfer.quantity.low", r"Input should be a valid number.*\(got 'ten'\)"),
    bad_record_case("missing quote", "claims.0.quote", DELETE, "claims[0].quote", r"required field is missing"),
    bad_record_case("quote does not match span", "claims.0.quote", "Iran has shipped thousands",
                    "claims[0].quote", r"quote does not match the article text at \[\d+:\d+\]: .*"),
    bad_record_case("span past the end", "claims.0.end", 10**6, "claims[0].end",
                    r"span end 1000000 is past the end of the article text \(\d+\)"),
    bad_record_case("unknown item category", "claims.0.transfer.category", "spaceships",
                    "claims[0].transfer.category", r"Input should be 'artillery_ammunition'.*\(got 'spaceships'\)"),
    bad_record_case("negative quantity", "claims.0.transfer.quantity.low", -5, "claims[0].transfer.quantity.low",
                    r"Input should be greater than or equal to 0 \(got -5\)"),
    bad_record_case("inverted bounds", "claims.0.transfer.quantity", {"low": 300, "high": 200},
                    "claims[0].transfer.quantity.low", r"low bound 300 is above high bound 200"),
    Case("entity id declared twice differently",
         lambda folder: (lambda f: ([f], f))(write_records(folder / "dup.jsonl", good(1), _duplicate_entity(good(2)))),
         2, "entities[5].id", r"entity country:IRN is declared twice with different contents"),
    Case("same article and extractor in two files", _two_files_same_article, 2, "article.id",
         r"article [0-9a-f]{16} by extractor curated is also in .*first\.json record 1 with different contents"),
    bad_record_case("unknown entity reference", "claims.0.subject", "country:XXX", "claims[0].subject",
                    r"unknown entity country:XXX \(declare it in 'entities'\)"),
    bad_record_case("unknown field", "claims.0.bogus", 1, "claims[0].bogus", r"Extra inputs are not permitted.*"),
    bad_record_case("unknown record version", "record_version", "2.0", "record_version", r"Input should be '1\.0'.*"),
    bad_record_case("supplier is recipient", "claims.0.transfer.recipient", "country:IRN",
                    "claims[0].transfer.recipient", r"supplier and recipient are the same entity"),
    bad_record_case("claim denies itself", "claims.1.denies", ["d1"], "claims[1].denies[0]",
                    r"a claim cannot deny itself"),
    bad_record_case("unknown denied key", "claims.1.denies", ["zz"], "claims[1].denies[0]",
                    r"unknown claim key 'zz'"),
    bad_record_case("calendar date", "claims.0.date", "2024-02-30", "claims[0].date",
                    r"date '2024-02-30' is not a calendar date"),
    bad_record_case("date shape vs precision", "claims.0.date", "2024-06", "claims[0].date",
                    r"date '2024-06' does not match precision 'day'"),
    Case("non-UTF-8 file", _raw("latin1.jsonl", b'{"article": {"text": "caf\xe9"}}\n', prefix_good=True), 2, None,
         r"not UTF-8 text \(invalid byte at offset \d+\)"),
    Case("empty file", _raw("empty.jsonl", b""), None, None, r"empty file: no records"),
    Case("blank file", _raw("blank.json", b"\n  \n"), None, None, r"empty file: no records"),
    Case("50 MB file", _huge_line, 2, None,
         r"record is [\d,]+ bytes, over the 16,777,216-byte limit for one article's record"),
    Case("missing path", _missing, None, None, r"no such file or folder"),
    Case("non-record suffix", _suffix, None, None, r"not a record file \(expected \.json or \.jsonl\)"),
]


def expected_line(blame: Path, case: Case) -> str:
    where = re.escape(str(blame))
    if case.record is not None:  # a .jsonl record is named by its line number
        where += f" {'line' if blame.suffix == '.jsonl' else 'record'} {case.record}"
    if case.field is not None:
        where += " field " + re.escape(case.field)
    return f"Error: {where}: {case.message}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_error_line_and_no_write(case: Case, fresh_db, cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    paths, blame = case.make(folder)
    before = table_counts(fresh_db, FACT_TABLES)
    res = cli("load", *paths)
    assert res.exit_code == 1, res.output
    assert res.stdout == ""
    assert "Traceback" not in res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert re.fullmatch(expected_line(blame, case), lines[0]), lines[0]
    assert table_counts(fresh_db, FACT_TABLES) == before
    # the attempt is in the lineage, with the same message
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        rows = con.execute("SELECT outcome, error FROM load_batches").fetchall()
    finally:
        con.close()
    assert rows == [("failed", lines[0].removeprefix("Error: "))]


@pytest.mark.parametrize("case", [c for c in CASES if c.id in ("quote does not match span", "malformed JSON")],
                         ids=lambda c: c.id)
def test_dry_run_reports_the_same_error(case: Case, fresh_db, cli, tmp_path):
    paths, blame = case.make(tmp_path)
    res = cli("load", "--dry-run", *paths)
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert re.fullmatch(expected_line(blame, case), line), line


def test_first_bad_record_is_the_one_reported(fresh_db, cli, tmp_path):
    f = write_records(tmp_path / "many.jsonl", good(1), good(2), mutate(good(3), "claims.0.start", -1),
                      mutate(good(4), "claims.0.quote", DELETE))
    res = cli("load", f)
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"Error: {f} line 3 field claims[0].start: ")


def test_a_jsonl_record_is_named_by_its_line_number(fresh_db, cli, tmp_path):
    f = tmp_path / "gaps.jsonl"
    f.write_text(json.dumps(good(1)) + "\n\n   \n" + json.dumps(mutate(good(2), "claims.0.hedge", "sure")) + "\n",
                 encoding="utf-8")
    res = cli("load", f)
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"Error: {f} line 4 field claims[0].hedge: ")  # blank lines 2 and 3 count


def test_a_folder_without_record_files_is_an_error(tmp_path):
    from typer.testing import CliRunner

    from warehouse.cli import app

    empty = tmp_path / "empty"
    empty.mkdir()
    res = CliRunner().invoke(app, ["--db", str(tmp_path / "w.duckdb"), "load", str(empty)])
    assert res.exit_code == 1
    assert res.stderr == f"Error: {empty}: no record files (.json, .jsonl) found\n"
