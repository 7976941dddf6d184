"""Property tests of the hardening contract (issue 11), on generated input.

Whatever a record, an article file or a ``--where`` predicate holds, the command ends either
in success or in exit 1 with exactly one ``Error:`` line; a failure writes nothing (the
warehouse's rows are unchanged) and no command ever writes a file outside the warehouse.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import FACT_TABLES
from factories import mini_record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from warehouse.cli import app

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def invoke(db: Path, *args: object):
    return CliRunner().invoke(app, ["--db", str(db), *(str(a) for a in args)], catch_exceptions=True)


def snapshot(db: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in FACT_TABLES}
    finally:
        con.close()


def assert_contract(res, db: Path, before: dict) -> None:
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    assert res.exit_code in (0, 1), res.output
    if res.exit_code == 1:
        lines = res.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
        assert snapshot(db) == before, "a failed command wrote nothing"


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory) -> Path:
    """A warehouse holding one good record, so "nothing changed" compares real rows."""
    folder = tmp_path_factory.mktemp("tpl")
    db = folder / "w.duckdb"
    (folder / "r.json").write_text(json.dumps(mini_record()), encoding="utf-8")
    assert invoke(db, "load", folder / "r.json").exit_code == 0
    return db


def _fresh(template: Path, tmp_path: Path, n: int) -> Path:
    db = tmp_path / f"w{n}.duckdb"
    shutil.copyfile(template, db)
    return db


# ---------------------------------------------------------------- records mutated at random

JSON_VALUES = st.recursive(
    st.none() | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
    | st.sampled_from(["", "\u200b\u200c", "country:XXX", "2024-02-30", "2024", "yesterday", "Iran"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


BASE = mini_record("Good 2. " + mini_record()["article"]["text"])
PATHS = [p for p in _paths(BASE) if p]


def _apply(record: dict, path: tuple, value, delete: bool) -> dict:
    rec = json.loads(json.dumps(record))
    target = rec
    for part in path[:-1]:
        target = target[part]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return rec


@SETTINGS
@given(path=st.sampled_from(PATHS), value=JSON_VALUES, delete=st.booleans(), n=st.integers(0, 10**9))
def test_a_randomly_mutated_record_loads_or_fails_cleanly(loaded_template, tmp_path, path, value, delete, n):
    db = _fresh(loaded_template, tmp_path, n)
    before = snapshot(db)
    f = tmp_path / f"r{n}.jsonl"
    f.write_text(json.dumps(mini_record()) + "\n" + json.dumps(_apply(BASE, path, value, delete)) + "\n",
                 encoding="utf-8")
    assert_contract(invoke(db, "load", f), db, before)


# ---------------------------------------------------------------- article files at random

ARTICLE_FIELDS = st.fixed_dictionaries(
    {"text": st.one_of(JSON_VALUES, st.just("SEOUL (Reuters) - North Korea sent shells to Russia, officials said."))},
    optional={"title": JSON_VALUES, "published": JSON_VALUES, "published_precision": JSON_VALUES,
              "publisher": JSON_VALUES, "url": JSON_VALUES},
)


@SETTINGS
@given(kind=st.sampled_from(["bytes", "jsonl"]), data=st.binary(max_size=400), fields=ARTICLE_FIELDS,
       suffix=st.sampled_from([".txt", ".md", ".html"]), n=st.integers(0, 10**9))
def test_a_random_article_file_ingests_or_fails_cleanly(loaded_template, tmp_path, kind, data, fields, suffix, n):
    db = _fresh(loaded_template, tmp_path, n)
    before = snapshot(db)
    if kind == "bytes":
        f = tmp_path / f"a{n}{suffix}"
        f.write_bytes(data)
    else:
        f = tmp_path / f"a{n}.jsonl"
        f.write_text(json.dumps(fields) + "\n", encoding="utf-8")
    assert_contract(invoke(db, "ingest", f), db, before)


# ---------------------------------------------------------------- predicates at random

TOKENS = [
    "supplier_id", "reports", "articles", "item_category", "quantity_max", "=", "<>", ">", "<", ">=", "AND", "OR",
    "NOT", "(", ")", "1", "0", "'country:PRK'", "'%'", "LIKE", "IS NULL", "IN", ",", "+", "*", ";", "--", "/*", "*/",
    "SELECT", "FROM", "claims", "COPY", "TO", "'{out}/x.csv'", "ATTACH", "'{out}/y.duckdb'", "AS", "READ_WRITE",
    "INSTALL", "httpfs", "LOAD", "read_text('/etc/passwd')", "read_csv('{out}/z.csv')", "query('SELECT 1')",
    "glob('/*')", "DELETE", "DROP TABLE claims", "SET", "enable_external_access", "true", "PRAGMA", "EXPORT DATABASE",
    "'{out}'", "\n", "\x00", "\"", "'", "$1", "?", "UNION ALL", "CASE WHEN", "THEN", "ELSE", "END",
]


@SETTINGS
@given(tokens=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10))
def test_a_generated_predicate_never_writes_or_reads_files(loaded_template, tmp_path, tokens):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    predicate = " ".join(tokens).replace("{out}", str(out))
    db = loaded_template
    before = snapshot(db)
    res = invoke(db, "ask", "transfer_reports", "--where", predicate, "--format", "csv")
    assert_contract(res, db, before)
    assert snapshot(db) == before
    assert list(out.iterdir()) == [], "no file was written"
    assert "root:" not in res.stdout, "no file was read"
