"""``warehouse ask`` at a terminal and in a pipe, --columns, jsonl, Ctrl-C, and a light start-up.

At a terminal (``stdout_is_terminal`` patched true, the width from $COLUMNS) every row must be
legible at any width: a table when each row fits on one line, else one block per row, and no
line wider than the terminal. Piped (CliRunner's stdout is not a terminal) the output is plain
tab-separated values.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warehouse import etl, query
from warehouse.cli import app
from warehouse.paths import PROJECT_ROOT, SEEDS_DIR
from warehouse.views import load_views

BOX = re.compile("[\u2500-\u257f]")  # box-drawing characters
ANSI = re.compile("\x1b\\[")


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("terminal") / "warehouse.duckdb"
    etl.run(path, [SEEDS_DIR])
    return path


def ask(db: Path, *args: str, width: int | None = None, monkeypatch: pytest.MonkeyPatch | None = None):
    """``warehouse ask ARGS``; WIDTH: as if stdout were a terminal that wide."""
    if width is not None:
        import warehouse.cli.core_cmds as cmds

        monkeypatch.setattr(cmds, "stdout_is_terminal", lambda: True)
    env = {"COLUMNS": str(width)} if width is not None else {}
    return CliRunner().invoke(app, ["--db", str(db), "ask", *args], env=env, catch_exceptions=False)


def display_width(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def short_scalars(res: query.Rows) -> list[list[str]]:
    """Per row, the text of its cells that are scalars without a space (ids, names, numbers)."""
    out = []
    for row in res.rows:
        texts = [query._cell_text(v) for v in row if not isinstance(v, list | dict)]
        out.append([t for t in texts if t and " " not in t and len(t) <= 30])
    return out


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("view", [v.name for v in load_views()])
def test_every_row_legible_at_a_terminal(seed_db, monkeypatch, view, width):
    res = ask(seed_db, view, width=width, monkeypatch=monkeypatch)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    too_wide = [ln for ln in lines if display_width(ln) > width]
    assert not too_wide, too_wide[:3]
    rows = query.ask_rows(seed_db, view)
    for i, values in enumerate(short_scalars(rows)):
        missing = [v for v in values if v not in res.stdout]
        assert not missing, (view, i, missing)
    assert lines[-1] in (f"{len(rows.rows)} row{'s' if len(rows.rows) != 1 else ''}",
                         f"({len(rows.rows)} row{'s' if len(rows.rows) != 1 else ''})")


def test_wide_views_at_80_columns_are_blocks_of_column_value_lines(seed_db, monkeypatch):
    res = ask(seed_db, "transfer_reports", width=80, monkeypatch=monkeypatch)
    rows = query.ask_rows(seed_db, "transfer_reports")
    blocks = [ln for ln in res.stdout.splitlines() if ln.startswith("-[ transfer_reports ")]
    assert len(blocks) == len(rows.rows) == 57
    assert "-[ transfer_reports 1/57 ]" in blocks[0]
    for tid in (r[0] for r in rows.rows):
        assert re.search(rf"^transfer_id: +{tid}$", res.stdout, re.MULTILINE), tid
    assert not BOX.search(res.stdout)

    res = ask(seed_db, "figure_disagreements", "--limit", "1", width=80, monkeypatch=monkeypatch)
    lines = res.stdout.splitlines()
    assert len(lines) < 40, len(lines)  # was 286 lines for one row
    figures = [ln for ln in lines if ln.startswith("figures:")]
    assert figures and figures[0].split(None, 1)[1].startswith('[{"low": ')


def test_rows_that_fit_are_a_table(seed_db, monkeypatch):
    res = ask(seed_db, "transfer_flows", "--columns", "supplier_id,recipient_id,item_category,reports",
              width=80, monkeypatch=monkeypatch)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "transfer_flows"
    assert [c.strip() for c in lines[2].split("│")[1:-1]] == ["supplier_id", "recipient_id", "item_category",
                                                              "reports"]
    rows = query.ask_rows(seed_db, "transfer_flows").select(["supplier_id", "reports"])
    assert len(lines) == len(rows.rows) + 6 and lines[-1] == f"{len(rows.rows)} rows"
    assert all(display_width(ln) <= 80 for ln in lines)
    first = [c.strip() for c in lines[4].split("│")[1:-1]]
    assert first[0] == rows.rows[0][0] and first[3] == str(rows.rows[0][1])
    assert lines[4].endswith(f" {rows.rows[0][1]} │")  # numbers are right-aligned


def test_vertical_format_wraps_long_values_and_keeps_words():
    text = query.vertical(["quote", "n"], [("word " * 40, 3)], width=40, title="t")
    lines = text.splitlines()
    assert lines[0] == "-[ t 1/1 ]" + "-" * 30
    assert all(len(ln) <= 40 for ln in lines)
    assert lines[1].startswith("quote: word") and lines[2].startswith("       word")
    assert "n:     3" in lines and lines[-1] == "(1 row)"
    assert query.wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_piped_output_is_plain_tab_separated_values(seed_db):
    res = ask(seed_db, "transfer_flows")
    assert res.exit_code == 0, res.output
    assert not BOX.search(res.stdout) and not ANSI.search(res.stdout)
    expected = query.records(query.ask(seed_db, "transfer_flows"))
    lines = res.stdout.splitlines()
    assert lines[0].split("\t") == list(expected[0])
    assert len(lines) == 1 + len(expected)
    cells = lines[1].split("\t")
    assert cells[list(expected[0]).index("denied_by")] == json.dumps(expected[0]["denied_by"])
    assert query.render_rows(["a", "b"], [("x\ty\nz\\", None)], "tsv") == "a\tb\nx\\ty\\nz\\\\\t\n"


def test_columns_picks_and_orders_columns(seed_db):
    res = ask(seed_db, "transfer_flows", "--columns", "item_category, reports", "--format", "csv", "-n", "2")
    assert res.exit_code == 0, res.output
    expected = query.records(query.ask(seed_db, "transfer_flows", limit=2))
    assert res.stdout.splitlines() == ["item_category,reports"] + [f"{r['item_category']},{r['reports']}"
                                                                     for r in expected]


def test_unknown_column_is_one_error_line(seed_db):
    res = ask(seed_db, "transfer_flows", "--columns", "item_category,nope")
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --columns: view transfer_flows has no column 'nope'; "
                                                   "its columns: supplier_id, supplier_name, ")
    assert res.stdout == ""


def test_jsonl_is_one_object_a_line_without_nan(seed_db):
    res = ask(seed_db, "figure_disagreements", "--format", "jsonl")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert [json.loads(ln) for ln in lines] == query.records(query.ask(seed_db, "figure_disagreements"))
    text = query.render_rows(["x"], [(float("nan"),), (float("inf"),), (1.5,)], "jsonl")
    assert text == '{"x": null}\n{"x": null}\n{"x": 1.5}\n'


def test_json_of_rows_equals_json_of_the_dataframe(seed_db):
    for name in ("transfer_reports", "figure_disagreements", "sanctions_exposure", "timeline"):
        rows = query.ask_rows(seed_db, name)
        df = query.ask(seed_db, name)
        for fmt in ("json", "csv", "markdown"):
            assert query.render_rows(rows.columns, rows.rows, fmt) == query.render(df, fmt), (name, fmt)


def test_ctrl_c_is_one_line_saying_what_was_committed(seed_db, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(query, "ask_rows", interrupted)
    res = ask(seed_db, "transfer_flows")
    assert res.exit_code == 130
    assert res.stderr == "Error: interrupted (asking only reads: nothing was written)\n"

    db = tmp_path / "w.duckdb"
    assert CliRunner().invoke(app, ["--db", str(db), "init"]).exit_code == 0
    monkeypatch.setattr(etl, "run", interrupted)
    res = CliRunner().invoke(app, ["--db", str(db), "run", str(SEEDS_DIR)])
    assert res.exit_code == 130
    assert res.stderr == ("Error: interrupted; nothing of this run was written (the warehouse holds what earlier "
                          "batches committed)\n")


def test_ctrl_c_after_a_committed_batch_names_it(seed_db, tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    real = etl.load_paths

    def load_then_interrupt(engine, paths, **kwargs):
        real(engine, paths, **kwargs)  # commits its batch
        raise KeyboardInterrupt

    monkeypatch.setattr(etl, "load_paths", load_then_interrupt)
    res = CliRunner().invoke(app, ["--db", str(db), "load", str(SEEDS_DIR / "records")])
    assert res.exit_code == 130
    assert re.fullmatch(r"Error: interrupted; 1 batch\(es\) of this load were committed before it \(\S+\) and stay; "
                        r"nothing of the interrupted batch was written\n", res.stderr), res.stderr


IMPORTS = """
import json, sys
from warehouse.cli import app
try:
    app({argv!r}, standalone_mode=False)
except SystemExit:
    pass
sys.stdout.flush()
print("\\nIMPORTED", json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def imported(argv: list[str], heavy: tuple[str, ...]) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", IMPORTS.format(argv=argv, heavy=heavy)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True)
    line = proc.stdout.rstrip().splitlines()[-1]
    assert line.startswith("IMPORTED "), proc.stdout[-500:] + proc.stderr[-2000:]
    return json.loads(line.removeprefix("IMPORTED "))


def test_help_imports_no_heavy_library():
    heavy = ("pandas", "sqlalchemy", "alembic", "pydantic", "numpy", "spacy", "duckdb", "warehouse.etl", "dask",
             "distributed")
    assert imported(["--help"], heavy) == []
    assert imported(["run", "--help"], tuple(m for m in heavy if m != "pydantic")) == []
    # a subcommand processes the global --db option first, and typer (0.29) coerces option values
    # through pydantic: that import is typer's own
    assert imported(["ask", "--help"], tuple(m for m in heavy if m != "pydantic")) == []


def test_ask_imports_neither_pandas_nor_alembic(seed_db):
    heavy = ("pandas", "numpy", "alembic", "spacy", "warehouse.etl", "warehouse.load")
    assert imported(["--db", str(seed_db), "ask", "transfer_flows", "--format", "csv"], heavy) == []
    assert imported(["--db", str(seed_db), "ask", "transfer_flows"], heavy) == []
