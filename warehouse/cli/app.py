"""The typer application, its global options and the shared error handling."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

from .. import __version__
from ..paths import default_db_path

app = typer.Typer(
    name="warehouse",
    help="geo-warehouse: arms transfers, alliances and who-said-what from news, in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Schema migrations (Alembic): upgrade, downgrade, current, history.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class State:
    db: Path = Path("warehouse.duckdb")


state = State()


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 1: how every user mistake ends."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"warehouse {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    db: Path = typer.Option(
        None,
        "--db",
        help="Warehouse file (default: $WAREHOUSE_DB, else ./warehouse.duckdb).",
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """geo-warehouse: arms transfers, alliances and who-said-what from news, in DuckDB."""
    state.db = db if db is not None else default_db_path()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("Error: interrupted", err=True)
        sys.exit(130)
