"""Export commands: export (tables and views as files), graph (the transfer network for Gephi/networkx).

Imports of duckdb, pandas and networkx stay inside the commands, so ``warehouse --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .app import app, fail, state

GRAPH_FORMATS = {".gexf": "gexf", ".graphml": "graphml"}


@app.command("export")
def export_cmd(
    names: list[str] = typer.Argument(None, help="Tables or canned views to export (default: all of them)."),
    to: Path = typer.Option(..., "--to", help="Folder to write into (created if missing; must be empty)."),
    fmt: str = typer.Option("parquet", "--format", "-f", help="parquet, csv or jsonl."),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Write into a non-empty folder, replacing the files of the same names."
    ),
) -> None:
    """Export tables and canned views, one file each, with a manifest.json (read-only on the warehouse).

    In Parquet, the tables whose rows belong to an article (articles, claims, mentions, transfers, ...)
    are hive-partitioned datasets NAME/published_month=YYYY-MM/ (published_month=unknown when undated).
    """
    from .. import export
    from .core_cmds import user_errors

    with user_errors():
        result = export.export(state.db, to, names or None, fmt=fmt, overwrite=overwrite)
    files = result.files
    rows = sum(f["rows"] for f in files)
    tables = sum(f["kind"] == "table" for f in files)
    what = ", ".join(_count(n, kind) for n, kind in ((tables, "table"), (len(files) - tables, "view")) if n)
    typer.echo(f"exported {what} ({_count(rows, 'row')}) as {fmt} to {to}")
    width = max(len(f["path"]) for f in files) if files else 0
    for f in files:
        how = f"  partitioned by {f['partition_by']}: {', '.join(f['partitions']) or '-'}" if f["partition_by"] else ""
        typer.echo(f"  {f['path']:<{width}}  {_count(f['rows'], 'row'):>12}{how}")
    typer.echo(f"manifest: {Path(to) / export.MANIFEST}")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@app.command("graph")
def graph_cmd(
    out: Path = typer.Argument(..., help="File to write: FILE.gexf (Gephi) or FILE.graphml."),
    where: str = typer.Option(None, "--where", help="SQL predicate on transfer_flows' columns (as in 'ask')."),
) -> None:
    """Write the supplier -> recipient transfer network (from transfer_flows) as GEXF or GraphML."""
    kind = GRAPH_FORMATS.get(out.suffix.lower())
    if kind is None:
        fail(f"{out}: unknown graph format {out.suffix or '(no suffix)'!r}; name the file .gexf or .graphml")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        fail(f"{out}: folder {parent} does not exist")
    if out.is_dir():
        fail(f"{out}: is a folder, not a file")
    # networkx is a runtime dependency (pyproject): the graph is built with it in warehouse.analysis,
    # and its GEXF and GraphML writers are the formats' reference implementations that Gephi and
    # networkx itself read back, which hand-written XML would only imitate.
    import networkx as nx

    from .. import analysis
    from .core_cmds import user_errors

    with user_errors():
        G = analysis.transfer_graph(state.db, where=where)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        (nx.write_gexf if kind == "gexf" else nx.write_graphml)(G, tmp)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        fail(f"{out}: cannot write the graph: {exc.strerror or exc}")
    typer.echo(f"wrote {out} ({kind}): {G.number_of_nodes()} nodes (entities), "
               f"{G.number_of_edges()} edges (supplier -> recipient per item category)")
