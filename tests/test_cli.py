"""The ``warehouse`` command: help everywhere, exact outputs, one-line errors."""

from __future__ import annotations

import ast
import json

import pytest
import typer
import typer.main
from conftest import table_counts

from warehouse import __version__, migrate
from warehouse.cli import app
from warehouse.paths import MIGRATIONS_DIR
from warehouse.records import json_schema_text
from warehouse.views import load_views


def walk(command, path=()):
    """(path, click command) for the root, every group and every command under it."""
    yield path, command
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        yield from walk(sub, (*path, name))


def help_problems(typer_app: typer.Typer) -> list[str]:
    """Commands and parameters without help text, as readable strings."""
    problems = []
    for path, cmd in walk(typer.main.get_command(typer_app)):
        label = " ".join(("warehouse", *path))
        if cmd.hidden if hasattr(cmd, "hidden") else False:
            continue
        if not (cmd.help or "").strip() and not (getattr(cmd, "short_help", None) or "").strip():
            problems.append(f"{label}: command has no help")
        for param in cmd.params:
            if getattr(param, "hidden", False) or param.name == "help":
                continue
            if not (getattr(param, "help", None) or "").strip():
                problems.append(f"{label}: parameter {param.name} has no help")
    return problems


COMMAND_PATHS = [path for path, _ in walk(typer.main.get_command(app))]


def one_error_line(result) -> str:
    """The single stderr line of a failed command (asserts there is exactly one)."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert "Traceback" not in result.output
    return lines[0]


# ---------------------------------------------------------------- version and help


def test_version(cli):
    res = cli("--version", db=None)
    assert res.exit_code == 0
    assert res.stdout == f"warehouse {__version__}\n"


def test_command_tree_is_not_trivial():
    assert ("init",) in COMMAND_PATHS and ("db", "upgrade") in COMMAND_PATHS and ("load",) in COMMAND_PATHS


def test_every_command_and_parameter_has_help():
    assert help_problems(app) == []


def test_help_check_catches_a_command_without_help():
    bad = typer.Typer()
    sub = typer.Typer(help="A group.")
    bad.add_typer(sub, name="grp")

    @bad.callback()
    def _root() -> None:
        """Root."""

    @sub.command()
    def undocumented(x: int = typer.Option(1, "--x")) -> None:
        pass

    problems = help_problems(bad)
    assert "warehouse grp undocumented: command has no help" in problems
    assert "warehouse grp undocumented: parameter x has no help" in problems


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "warehouse")
def test_help_exits_0(cli, path):
    res = cli(*path, "--help", db=None)
    assert res.exit_code == 0, res.output
    assert "Usage: warehouse" in res.stdout
    assert res.stderr == ""


def test_no_arguments_shows_usage(cli):
    res = cli(db=None)
    assert "Usage: warehouse" in res.output
    for name in ("init", "load", "ask", "db"):
        assert name in res.output


# ---------------------------------------------------------------- init


def test_init_twice_adds_nothing_the_second_time(cli, tmp_db):
    first = cli("init")
    assert first.exit_code == 0, first.output
    head = migrate.head_revision()
    assert first.stdout.startswith(f"{tmp_db}: schema at revision {head}; reference data: ")
    assert "entities" in first.stdout and "nothing new" not in first.stdout
    counts = table_counts(tmp_db, ("entities", "entity_aliases", "item_categories", "sanctions_regimes",
                                   "load_batches"))
    assert counts["entities"] > 0 and counts["item_categories"] > 0

    second = cli("init")
    assert second.exit_code == 0, second.output
    assert second.stdout == f"{tmp_db}: schema at revision {head}; reference data: nothing new\n"
    assert table_counts(tmp_db, tuple(counts)) == counts


def test_init_in_a_missing_folder_is_one_error_line(cli, tmp_path):
    res = cli("init", db=tmp_path / "nope" / "w.duckdb")
    assert res.exit_code == 1
    assert "does not exist" in one_error_line(res)


# ---------------------------------------------------------------- db ...


def _revision_docs() -> list[tuple[str, str | None, str]]:
    """(revision, down_revision, first docstring line), read from the files themselves."""
    out = []
    for path in sorted((MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        values = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                  for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
        out.append((values["revision"], values["down_revision"], ast.get_docstring(tree).splitlines()[0]))
    return out


def test_db_history_exact(cli):
    res = cli("db", "history")
    assert res.exit_code == 0
    expected = "".join(f"{down or 'base'} -> {rev}: {doc}\n" for rev, down, doc in _revision_docs())
    assert res.stdout == expected
    assert res.stdout.startswith("base -> 0001: Create the core schema")


def test_db_upgrade_downgrade_current_exact(cli, tmp_db):
    head = migrate.head_revision()
    assert head == _revision_docs()[-1][0]

    res = cli("db", "upgrade", "0001")
    assert (res.exit_code, res.stdout) == (0, f"{tmp_db}: at revision 0001\n")
    assert cli("db", "current").stdout == f"0001 (head is {head})\n"

    res = cli("db", "upgrade")
    assert (res.exit_code, res.stdout) == (0, f"{tmp_db}: at revision {head}\n")
    res = cli("db", "current")
    assert (res.exit_code, res.stdout) == (0, f"{head} (head)\n")

    from warehouse.schema import metadata

    res = cli("db", "downgrade", "0001")  # an empty warehouse: nothing to lose, no question
    later = len(metadata.tables) - 11  # the tables revisions after 0001 add (0001 makes 11)
    assert (res.exit_code, res.stdout) == (0, f"{tmp_db}: at revision 0001 (dropped {later} tables)\n")
    assert cli("db", "current").stdout == f"0001 (head is {head})\n"

    res = cli("db", "downgrade", "base")
    assert (res.exit_code, res.stdout) == (0, f"{tmp_db}: at revision base (dropped 11 tables)\n")
    assert cli("db", "current").stdout == f"base (head is {head})\n"

    res = cli("db", "upgrade", "head")
    assert (res.exit_code, res.stdout) == (0, f"{tmp_db}: at revision {head}\n")


def test_db_current_on_a_missing_warehouse(cli, tmp_db):
    res = cli("db", "current")
    assert res.exit_code == 1
    assert one_error_line(res) == f"Error: {tmp_db}: no warehouse here; run 'warehouse init' first"
    assert not tmp_db.exists()


def test_db_upgrade_to_an_unknown_revision_is_one_error_line(cli):
    res = cli("db", "upgrade", "9999")
    assert res.exit_code == 1
    assert one_error_line(res).startswith("Error: upgrade 9999: ")


def test_db_downgrade_needs_a_revision(cli):
    res = cli("db", "downgrade")
    assert res.exit_code == 2  # a usage error, from click
    assert "Missing argument" in res.output


# ---------------------------------------------------------------- WAREHOUSE_DB and --db


def test_warehouse_db_env_var_is_honoured(cli, tmp_path):
    env_db = tmp_path / "from_env.duckdb"
    res = cli("init", db=None, env={"WAREHOUSE_DB": str(env_db)})
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith(f"{env_db}: schema at revision")
    assert env_db.exists()
    res = cli("db", "current", db=None, env={"WAREHOUSE_DB": str(env_db)})
    assert res.stdout == f"{migrate.head_revision()} (head)\n"


def test_db_option_overrides_the_env_var(cli, tmp_path):
    env_db = tmp_path / "from_env.duckdb"
    opt_db = tmp_path / "from_option.duckdb"
    res = cli("init", db=opt_db, env={"WAREHOUSE_DB": str(env_db)})
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith(f"{opt_db}: ")
    assert opt_db.exists() and not env_db.exists()


def test_default_db_is_in_the_working_directory(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = cli("init", db=None)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("warehouse.duckdb: ")
    assert (tmp_path / "warehouse.duckdb").exists()


# ---------------------------------------------------------------- ask and schema


def test_ask_on_a_missing_db(cli, tmp_db):
    name = load_views()[0].name
    res = cli("ask", name)
    assert res.exit_code == 1
    line = one_error_line(res)
    assert str(tmp_db) in line and "no warehouse here" in line
    assert not tmp_db.exists(), "asking never creates the file"


def test_ask_unknown_view(cli):
    assert cli("init").exit_code == 0
    res = cli("ask", "no_such_view")
    assert res.exit_code == 1
    assert one_error_line(res).startswith("Error: unknown view")


def test_ask_lists_the_views_without_a_db(cli):
    res = cli("ask", "--format", "json")
    assert res.exit_code == 0, res.output
    listed = json.loads(res.stdout)
    assert [v["view"] for v in listed] == [v.name for v in load_views()]
    assert all(v["question"] for v in listed)


def test_ask_a_view_on_an_empty_warehouse(cli):
    assert cli("init").exit_code == 0
    for view in load_views():
        res = cli("ask", view.name, "--format", "json")
        assert res.exit_code == 0, (view.name, res.output)
        assert isinstance(json.loads(res.stdout), list)


def test_ask_bad_where_is_one_error_line(cli):
    assert cli("init").exit_code == 0
    res = cli("ask", load_views()[0].name, "--where", "no_such_column = 1")
    assert res.exit_code == 1
    assert one_error_line(res).startswith(f"Error: view {load_views()[0].name}: ")


def test_schema_prints_the_record_json_schema(cli, tmp_path):
    res = cli("schema", db=None)
    assert res.exit_code == 0
    assert res.stdout == json_schema_text()
    out = tmp_path / "schema.json"
    res = cli("schema", "--out", out, db=None)
    assert (res.exit_code, res.stdout) == (0, f"wrote {out}\n")
    assert out.read_text(encoding="utf-8") == json_schema_text()
