"""The typer application, its global options and the shared error handling."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import NoReturn

import typer
from typer.core import TyperGroup

from .. import __version__
from ..paths import default_db_path


class OneLineErrors(TyperGroup):
    """Usage errors (a bad option value, a missing argument) in one line, keeping click's exit code 2.

    typer draws them as a multi-line box; every other mistake is one ``Error:`` line, so these
    are too: ``Error: warehouse ask: Invalid value for '--limit' / '-n': -1 is not in the range x>=0.``
    """

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except typer.Abort:
            typer.echo("Error: aborted", err=True)
            sys.exit(1)
        except Exception as exc:
            # click's ClickException, by name: newer typer vendors click, older ones import it
            if not any(c.__name__ == "ClickException" for c in type(exc).__mro__):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare "warehouse" or "warehouse db": the help
                exc.show()
                sys.exit(0)
            where = getattr(getattr(exc, "ctx", None), "command_path", None)
            message = " ".join(exc.format_message().split())
            typer.echo(f"Error: {where + ': ' if where else ''}{message}", err=True)
            sys.exit(exc.exit_code)
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    cls=OneLineErrors,
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


# ---------------------------------------------------------------- where extraction runs (extract, run)


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


ENGINE = typer.Option(EngineName.local, "--engine",
                      help="Where to extract: local processes (--workers), or a Dask cluster (--scheduler).")
SCHEDULER = typer.Option(None, "--scheduler", metavar="ADDRESS",
                         help="With --engine dask: the scheduler's address (tcp://HOST:8786); none or 'local': "
                              "a local cluster of --workers processes.")
CONNECT_TIMEOUT = typer.Option(10.0, "--connect-timeout", min=0.1, metavar="SECONDS",
                               help="With --engine dask: how long to try to reach the scheduler and find a worker.")


def extraction_engine(engine: EngineName, scheduler: str | None, workers: int, connect_timeout: float):
    """The library's ExtractionEngine for the command's options; a wrong combination is a usage error (exit 2)."""
    if scheduler is not None and engine is not EngineName.dask:
        raise typer.BadParameter("a scheduler address needs --engine dask", param_hint="'--scheduler'")
    if engine is EngineName.dask and scheduler not in (None, "local") and workers != 1:
        raise typer.BadParameter("sets the size of a local cluster; the cluster at --scheduler has its own workers",
                                 param_hint="'--workers'")
    from ..extract.engines import ExtractionEngine

    return ExtractionEngine(engine.value, scheduler=scheduler, workers=workers, connect_timeout=connect_timeout)
