"""`warehouse export` (tables and views as Parquet / CSV / JSON Lines, with a manifest) and
`warehouse graph` (the transfer network as GEXF / GraphML), on the seed warehouse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from warehouse import __version__, analysis, etl, export
from warehouse.cli import app
from warehouse.paths import SEEDS_DIR
from warehouse.query import view_names
from warehouse.schema import metadata

# From `warehouse ask transfer_flows` on the seeds: 22 flows among 9 parties; North Korea
# supplies 6 of them, all to Russia.
SEED_FLOWS, SEED_PARTIES, PRK_FLOWS = 22, 9, 6


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "warehouse.duckdb"
    etl.run(path, [SEEDS_DIR])
    return path


@pytest.fixture(scope="module")
def parquet_dir(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "export"
    export.export(seed_db, out, fmt="parquet")
    return out


def run(db: Path, *args: object):
    return CliRunner().invoke(app, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def counts(db: Path, names) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}


# ---------------------------------------------------------------- export: parquet


def test_parquet_export_has_every_table_and_view_and_a_true_manifest(seed_db: Path, parquet_dir: Path) -> None:
    manifest = json.loads((parquet_dir / "manifest.json").read_text())
    from warehouse import migrate

    assert manifest["schema_revision"] == migrate.head_revision()
    assert manifest["geo_warehouse_version"] == __version__
    assert manifest["format"] == "parquet" and manifest["exported_at"].endswith("+00:00")
    files = {f["name"]: f for f in manifest["files"]}
    assert {n for n, f in files.items() if f["kind"] == "view"} == set(view_names())
    # every table but the derived view_* summaries the views read (the views themselves are exported)
    assert {n for n, f in files.items() if f["kind"] == "table"} == {t for t in metadata.tables
                                                                     if not t.startswith("view_")}
    assert {n: f["rows"] for n, f in files.items()} == counts(seed_db, files)
    assert files["claims"]["rows"] == 136 and files["transfers"]["rows"] == 57
    # every entry is where the manifest says, and nothing else is in the folder
    assert {p.name for p in parquet_dir.iterdir()} == {f["path"] for f in files.values()} | {"manifest.json"}
    with duckdb.connect(str(seed_db), read_only=True) as con:
        described = con.execute("describe transfer_flows").fetchall()
    assert files["transfer_flows"]["columns"] == [{"name": r[0], "type": r[1]} for r in described]
    flows = files["transfer_flows"]
    assert flows["partition_by"] is None and flows["path"] == "transfer_flows.parquet"


def test_article_tables_are_hive_partitioned_by_published_month(parquet_dir: Path) -> None:
    files = {f["name"]: f for f in json.loads((parquet_dir / "manifest.json").read_text())["files"]}
    partitioned = {n for n, f in files.items() if f["partition_by"]}
    assert {"articles", "claims", "mentions", "transfers", "article_stories", "person_roles"} <= partitioned
    assert not partitioned & {"entities", "entity_aliases", "sources", "stories", "claim_denials", *view_names()}
    claims = files["claims"]
    assert claims["path"] == "claims" and claims["partition_by"] == "published_month"
    assert claims["partitions"] == ["2024-01", "2024-06"]
    assert claims["columns"][-1] == {"name": "published_month", "type": "VARCHAR"}
    assert sorted(p.name for p in (parquet_dir / "claims").iterdir()) == [
        "published_month=2024-01", "published_month=2024-06"]


def test_a_partitioned_dataset_reads_back_as_the_table(seed_db: Path, parquet_dir: Path) -> None:
    glob = str(parquet_dir / "claims" / "**" / "*.parquet")
    with duckdb.connect(str(seed_db), read_only=True) as con:
        table = con.execute("select * from claims order by claim_id").df()
        back = con.execute(f"select * from read_parquet('{glob}', hive_partitioning=true) order by claim_id").df()
        months = con.execute(
            f"select c.claim_id, strftime(a.published_on, '%Y-%m') from claims c join articles a using (article_id) "
            f"except select claim_id, published_month from read_parquet('{glob}', hive_partitioning=true)"
        ).fetchall()
    assert list(back.columns) == [*table.columns, "published_month"]
    pd.testing.assert_frame_equal(back.drop(columns="published_month"), table)
    assert months == []  # every claim sits in its article's month
    # transfers have no article_id: their month is their claim's article's
    tglob = str(parquet_dir / "transfers" / "**" / "*.parquet")
    assert duckdb.sql(f"select count(*) from read_parquet('{tglob}', hive_partitioning=true)").fetchall() == [(57,)]


def test_undated_articles_go_to_published_month_unknown(seed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "undated.duckdb"
    shutil.copy(seed_db, db)
    with duckdb.connect(str(db)) as con:
        article = con.execute("select article_id from articles where published_on = date '2024-01-01'").fetchone()[0]
        con.execute("update articles set published_on = null, published_precision = 'unknown' "
                    "where article_id = ?", [article])
        expected = con.execute("select count(*) from claims where article_id = ?", [article]).fetchone()[0]
    result = export.export(db, tmp_path / "out", ["claims", "article_links"])
    claims = result.manifest["files"][0]
    assert claims["partitions"] == ["2024-06", "unknown"] and claims["rows"] == 136
    got = duckdb.sql(f"select count(*) from read_parquet('{tmp_path}/out/claims/published_month=unknown/*.parquet')")
    assert got.fetchall()[0][0] == expected > 0
    assert result.manifest["files"][1]["rows"] == 0 and (tmp_path / "out" / "article_links.parquet").exists()


def test_names_choose_what_is_exported_in_their_order(seed_db: Path, tmp_path: Path) -> None:
    result = run(seed_db, "export", "transfer_flows", "claims", "transfer_flows", "--to", tmp_path / "two")
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "two" / "manifest.json").read_text())
    assert [(f["name"], f["kind"]) for f in manifest["files"]] == [("transfer_flows", "view"), ("claims", "table")]
    assert result.stdout.splitlines()[0] == f"exported 1 table, 1 view (158 rows) as parquet to {tmp_path / 'two'}"


# ---------------------------------------------------------------- export: csv and jsonl


def test_csv_round_trips_a_view(seed_db: Path, tmp_path: Path) -> None:
    result = run(seed_db, "export", "transfer_flows", "source_coverage", "--to", tmp_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(seed_db), read_only=True) as con:
        view = con.execute("select * from source_coverage").df()
        flows = con.execute("select supplier_id, recipient_id, item_category, reports, quantity_min "
                            "from transfer_flows").df()
    back = pd.read_csv(tmp_path / "source_coverage.csv", parse_dates=["first_published", "last_published"])
    assert back.to_dict("records") == view.to_dict("records")
    csv_flows = pd.read_csv(tmp_path / "transfer_flows.csv")
    pd.testing.assert_frame_equal(csv_flows[list(flows.columns)], flows, check_dtype=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert [f["path"] for f in manifest["files"]] == ["transfer_flows.csv", "source_coverage.csv"]
    assert all(f["partition_by"] is None for f in manifest["files"])


def test_jsonl_round_trips_a_view_and_a_big_table_is_one_file(seed_db: Path, tmp_path: Path) -> None:
    assert run(seed_db, "export", "transfer_flows", "claims", "--to", tmp_path, "-f", "jsonl").exit_code == 0
    lines = (tmp_path / "transfer_flows.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    with duckdb.connect(str(seed_db), read_only=True) as con:
        view = con.execute("select * from transfer_flows").df()
    assert len(rows) == len(view) == SEED_FLOWS
    assert list(rows[0]) == list(view.columns)
    top = rows[0]
    assert (top["supplier_id"], top["recipient_id"], top["item_category"], top["reports"]) == (
        "country:PRK", "country:RUS", "ballistic_missiles", 10)
    assert top["denied_by"] == ["country:PRK", "country:RUS"] and top["first_published"] == "2024-06-01"
    assert len((tmp_path / "claims.jsonl").read_text().splitlines()) == 136
    assert not (tmp_path / "claims").exists()


def test_jsonl_never_holds_nan_or_infinity(tmp_path: Path) -> None:
    """DuckDB's JSON writer prints NaN and Infinity bare; the export writes them as null, at any depth."""
    con = duckdb.connect()
    query = ("select 'nan'::double as a, 'inf'::float as b, ['-inf'::double, 1.5] as l, "
             "[{'x': 'nan'::double, 'y': 'k'}] as s, null::double[] as n, 2.5 as ok")
    con.execute(f"copy ({export._json_safe_query(con, query)}) to '{tmp_path}/x.jsonl' (format json)")
    text = (tmp_path / "x.jsonl").read_text()
    assert json.loads(text) == {"a": None, "b": None, "l": [None, 1.5], "s": [{"x": None, "y": "k"}], "n": None,
                                "ok": 2.5}
    assert "NaN" not in text and "Infinity" not in text


# ---------------------------------------------------------------- export: mistakes


def error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unknown_name_is_one_line_and_writes_nothing(seed_db: Path, tmp_path: Path) -> None:
    line = error_line(run(seed_db, "export", "claims", "nope", "--to", tmp_path / "x"))
    assert line.startswith("Error: unknown table or view 'nope'; known: agreement_claims, ")
    assert line.endswith(", transfer_flows, transfer_reports")
    assert not (tmp_path / "x").exists()


def test_a_non_empty_folder_is_refused_unless_overwrite(seed_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    line = error_line(run(seed_db, "export", "claims", "--to", out))
    assert line == f"Error: {out}: folder is not empty (1 entries); choose an empty folder or re-run with --overwrite"
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert run(seed_db, "export", "claims", "sources", "--to", out, "--overwrite").exit_code == 0
    # a second export replaces what the first one wrote (its manifest says what), and keeps the rest
    assert run(seed_db, "export", "sources", "--to", out, "--overwrite", "-f", "csv").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "notes.txt", "sources.csv"]


def test_a_bad_format_is_one_line(seed_db: Path, tmp_path: Path) -> None:
    line = error_line(run(seed_db, "export", "--to", tmp_path / "x", "--format", "xml"))
    assert line == "Error: unknown export format 'xml'; use parquet, csv, jsonl"
    assert not (tmp_path / "x").exists()


def test_an_unwritable_target_is_one_line(seed_db: Path, tmp_path: Path) -> None:
    afile = tmp_path / "a.txt"
    afile.write_text("x")
    assert error_line(run(seed_db, "export", "--to", afile)) == (
        f"Error: {afile}: is a file, not a folder (give a folder with --to)")
    assert error_line(run(seed_db, "export", "--to", afile / "sub")) == (
        f"Error: {afile / 'sub'}: cannot create the folder: Not a directory")


def test_a_missing_warehouse_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.duckdb"
    assert error_line(run(missing, "export", "--to", tmp_path / "x")) == (
        f"Error: {missing}: no warehouse here; run 'warehouse init' or 'warehouse run seeds/' first")
    assert not (tmp_path / "x").exists() and not missing.exists()


def test_the_export_connection_can_write_only_into_its_staging_folder(seed_db: Path, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    con = export._open(seed_db, staging)
    try:
        assert con.execute(f"copy (select 1) to '{staging}/ok.csv'").fetchone()[0] == 1
        for sql in (f"copy (select 1) to '{tmp_path}/escape.csv'", f"copy (select 1) to '{staging}/../up.csv'",
                    "select * from read_text('/etc/hostname')", "set enable_external_access = true",
                    f"set allowed_directories = ['{tmp_path}']"):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
        with pytest.raises(duckdb.Error):  # read-only
            con.execute("delete from claims")
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staging"]


# ---------------------------------------------------------------- graph


@pytest.mark.parametrize("suffix, read", [(".gexf", nx.read_gexf), (".graphml", nx.read_graphml)])
def test_graph_file_opens_in_networkx_with_the_seed_flows(seed_db: Path, tmp_path: Path, suffix, read) -> None:
    out = tmp_path / f"flows{suffix}"
    result = run(seed_db, "graph", out)
    assert result.exit_code == 0, result.output
    kind = suffix[1:]
    assert result.stdout == (f"wrote {out} ({kind}): {SEED_PARTIES} nodes (entities), {SEED_FLOWS} edges "
                             "(supplier -> recipient per item category)\n")
    G = read(out)
    assert G.is_directed() and G.is_multigraph()
    assert (G.number_of_nodes(), G.number_of_edges()) == (SEED_PARTIES, SEED_FLOWS)
    assert {k: G.nodes["country:PRK"][k] for k in ("label", "type", "country")} == {
        "label": "North Korea", "type": "country", "country": "PRK"}
    assert G.nodes["other:western-allies"]["country"] == ""  # never None
    e = G["country:PRK"]["country:RUS"]["ballistic_missiles"]
    assert {k: e[k] for k in ("reports", "stories", "articles", "quantity_min", "quantity_max", "quantity_unit",
                              "statuses", "denied")} == {
        "reports": 10, "stories": 2, "articles": 2, "quantity_min": 20.0, "quantity_max": 24.0,
        "quantity_unit": "missile", "statuses": "delivered", "denied": True}
    tech = G["country:RUS"]["country:PRK"]["technology"]
    assert (tech["reports"], tech["statuses"], tech["quantity_unit"], tech["denied"]) == (
        8, "delivered, ongoing, planned, promised", "", True)
    assert "quantity_min" not in tech  # no figure reported: left out, not None
    assert G["country:DEU"]["country:UKR"]["air_defense"]["denied"] is False


def test_graph_where_filters_as_ask_does(seed_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "prk.gexf"
    assert run(seed_db, "graph", out, "--where", "supplier_id = 'country:PRK'").exit_code == 0
    G = nx.read_gexf(out)
    assert set(G.nodes) == {"country:PRK", "country:RUS"}
    assert G.number_of_edges() == G.number_of_edges("country:PRK", "country:RUS") == PRK_FLOWS
    assert set(G["country:PRK"]["country:RUS"]) == {
        "ballistic_missiles", "artillery_ammunition", "munitions", "troops", "weapons", "workers"}
    none = tmp_path / "none.graphml"
    assert run(seed_db, "graph", none, "--where", "reports > 100").exit_code == 0
    assert nx.read_graphml(none).number_of_nodes() == 0


def test_graph_mistakes_are_one_line(seed_db: Path, tmp_path: Path) -> None:
    assert error_line(run(seed_db, "graph", tmp_path / "g.txt")) == (
        f"Error: {tmp_path / 'g.txt'}: unknown graph format '.txt'; name the file .gexf or .graphml")
    assert error_line(run(seed_db, "graph", tmp_path / "g.gexf", "--where", "1=1; select 1")) == (
        "Error: --where: one expression only, ';' found at character 4")
    assert error_line(run(seed_db, "graph", tmp_path / "no" / "g.gexf")) == (
        f"Error: {tmp_path / 'no' / 'g.gexf'}: folder {tmp_path / 'no'} does not exist")
    assert error_line(run(seed_db, "graph", tmp_path / "g.gexf", "--where",
                          "(select content from read_text('/etc/hostname')) <> ''")).startswith(
        "Error: view transfer_flows: Permission Error: Cannot access file")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_transfer_graph_takes_a_warehouse_or_a_frame(seed_db: Path, tmp_path: Path) -> None:
    G = analysis.transfer_graph(seed_db)
    nx.write_gexf(G, tmp_path / "g.gexf")  # no None anywhere
    nx.write_graphml(G, tmp_path / "g.graphml")
    with analysis.connect(seed_db) as con:
        by_con = analysis.transfer_graph(con, where="supplier_id = 'country:PRK'")
        by_frame = analysis.transfer_graph(analysis.flows(con))
    assert by_con.number_of_edges() == PRK_FLOWS
    assert set(by_frame.edges(keys=True)) == set(G.edges(keys=True))
    assert by_frame.nodes["country:RUS"]["name"] == G.nodes["country:RUS"]["label"] == "Russia"
    assert G.nodes["country:RUS"]["type"] == "country" and by_frame.nodes["country:RUS"]["type"] == ""
    with pytest.raises(ValueError):
        analysis.transfer_graph(analysis.flows(seed_db), where="reports > 1")
