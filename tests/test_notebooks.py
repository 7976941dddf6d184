"""The analyst notebooks run top to bottom and draw figures; warehouse.analysis is tested directly.

One warehouse is built from seeds/ per test session (``seed_db``) into a temporary folder; the
notebooks find it through $WAREHOUSE_DB, which the kernel inherits from this process. They never build
one themselves unless BUILD_FROM_SEEDS is set: with no file they stop and say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import matplotlib
import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from warehouse import analysis
from warehouse.paths import PROJECT_ROOT

matplotlib.use("Agg")  # this process only; the notebooks' kernels use their inline backend

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built once from seeds/ (curated records) with ensure_warehouse."""
    path = tmp_path_factory.mktemp("notebooks") / "warehouse.duckdb"
    return analysis.ensure_warehouse(path, build=True)


@pytest.fixture
def con(seed_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with analysis.connect(seed_db) as c:
        yield c


@pytest.fixture
def warehouse_env(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$WAREHOUSE_DB points at the session warehouse (and is restored afterwards)."""
    monkeypatch.setenv("WAREHOUSE_DB", str(seed_db))
    return seed_db


# ---------------------------------------------------------------- notebooks


def test_the_three_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01_quickstart.ipynb", "02_transfer_network.ipynb",
                                          "03_claims_and_sources.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and "question" in nb.cells[0].source.lower()
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_draws(path: Path, warehouse_env: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError when a cell fails
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert pngs, f"{path.name} drew no figure"
    assert not list(tmp_path.glob("*.duckdb")), "the notebook built its own warehouse instead of $WAREHOUSE_DB"
    first = next(c for c in nb.cells if c.cell_type == "code")
    printed = "".join(o.get("text", "") for o in first.outputs if o.output_type == "stream")
    assert f"warehouse: {warehouse_env}" in printed, "the notebook must say which file it reads"
    assert "BUILD_FROM_SEEDS = False" in first.source


def test_a_notebook_stops_with_a_clear_message_when_the_warehouse_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nothing-here.duckdb"
    monkeypatch.setenv("WAREHOUSE_DB", str(missing))
    nb = nbformat.read(PROJECT_ROOT / "notebooks" / "02_transfer_network.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError) as err:
        client.execute()
    message = str(err.value)
    assert "WarehouseNotFound" in message and f"no warehouse at {missing}" in message
    assert "BUILD_FROM_SEEDS = True" in message and "warehouse run seeds/" in message
    assert not missing.exists() and not list(tmp_path.glob("*.duckdb")), "nothing is built unless asked"


# ---------------------------------------------------------------- analysis: opening


def test_ensure_warehouse_uses_env_and_leaves_existing_file(warehouse_env: Path) -> None:
    before = warehouse_env.stat().st_mtime_ns
    assert analysis.ensure_warehouse() == warehouse_env
    assert analysis.ensure_warehouse(build=True) == warehouse_env
    assert warehouse_env.stat().st_mtime_ns == before


def test_ensure_warehouse_builds_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "sub" / "w.duckdb"
    with pytest.raises(analysis.WarehouseNotFound, match="BUILD_FROM_SEEDS = True") as err:
        analysis.ensure_warehouse(path)
    assert str(path) in str(err.value) and err.value._render_traceback_() == [f"WarehouseNotFound: {err.value}"]
    assert not path.exists() and not path.parent.exists()
    assert analysis.ensure_warehouse(path, build=True, verbose=True) == path and path.exists()
    assert f"warehouse: {path}" in capsys.readouterr().out


def test_warehouse_path_from_the_notebooks_folder_is_the_projects(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAREHOUSE_DB", raising=False)
    monkeypatch.chdir(PROJECT_ROOT / "notebooks")  # where Jupyter starts a notebook's kernel
    assert analysis.warehouse_path() == PROJECT_ROOT / "warehouse.duckdb"
    monkeypatch.setenv("WAREHOUSE_DB", "other.duckdb")
    assert analysis.warehouse_path() == PROJECT_ROOT / "other.duckdb"
    monkeypatch.chdir(tmp_path)  # elsewhere a relative path is the current folder's, as for the CLI
    assert analysis.warehouse_path() == tmp_path / "other.duckdb"
    assert analysis.warehouse_path(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"


def test_connect_is_read_only_and_closes(seed_db: Path) -> None:
    with analysis.connect(seed_db) as c:
        with pytest.raises(duckdb.Error):
            c.execute("create table scratch (x int)")
    with pytest.raises(duckdb.Error):
        c.execute("select 1")


def test_readers_accept_a_path_or_a_connection(seed_db: Path, con) -> None:
    by_path = analysis.flows(seed_db)
    by_con = analysis.flows(con)
    assert len(by_path) == len(by_con) > 0
    assert isinstance(by_con["statuses"].iloc[0], list)


# ---------------------------------------------------------------- analysis: frames


def test_transfer_graph_edges_match_flows(con) -> None:
    flows = analysis.flows(con)
    G = analysis.transfer_graph(flows)
    edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
    assert set(edges) == set(zip(flows["supplier_id"], flows["recipient_id"], flows["item_category"], strict=True))
    for row in flows.itertuples(index=False):
        d = edges[(row.supplier_id, row.recipient_id, row.item_category)]
        assert d["reports"] == row.reports and d["category"] == row.item_category
        assert d["denied"] == bool(row.denied_by)
    assert G.nodes["country:RUS"]["name"] == "Russia"


def test_transfer_graph_on_a_hand_made_frame() -> None:
    flows = pd.DataFrame({"supplier_id": ["a", "a", "b"], "supplier_name": ["A", "A", "B"],
                          "recipient_id": ["b", "b", "a"], "recipient_name": ["B", "B", "A"],
                          "item_category": ["oil", "food", "weapons"], "reports": [3, 1, 2]})
    G = analysis.transfer_graph(flows)
    assert G.number_of_edges("a", "b") == 2 and G.number_of_edges("b", "a") == 1
    assert G["a"]["b"]["oil"]["reports"] == 3 and G.nodes["b"]["name"] == "B"


def test_claims_matrix_totals_equal_the_claims(con) -> None:
    matrix = analysis.claims_matrix(con)
    assert int(matrix.to_numpy().sum()) == con.execute("select count(*) from claims").fetchone()[0]
    assert list(matrix.columns.names) == ["stance", "hedge"]
    per_claimant = con.execute(
        "select claimant_name, claims from claimant_activity").df().set_index("claimant_name")["claims"]
    assert matrix.sum(axis=1).sort_index().to_dict() == per_claimant.sort_index().to_dict()
    totals = matrix.sum(axis=1).tolist()
    assert totals == sorted(totals, reverse=True)


def test_claims_matrix_from_counts_orders_columns_by_schema() -> None:
    long = pd.DataFrame({"claimant": ["X", "X", "Y"], "stance": ["denies", "asserts", "asserts"],
                         "hedge": ["confirmed", "speculative", "confirmed"], "claims": [1, 2, 5]})
    m = analysis.claims_matrix_from_counts(long)
    assert list(m.columns) == [("asserts", "confirmed"), ("asserts", "speculative"), ("denies", "confirmed")]
    assert list(m.index) == ["Y", "X"] and int(m.to_numpy().sum()) == 8


def test_figure_ranges_mark_the_flows_sources_disagree_on(con) -> None:
    ranges = analysis.figure_ranges(con)
    assert (ranges["low"].notna() | ranges["high"].notna()).all()
    assert ranges["quantity_unit"].notna().all()
    disputed = set(ranges.loc[ranges["disputed"], "flow"])
    dis = analysis.read_view(con, "figure_disagreements")
    assert len(disputed) == len(dis) > 0
    assert (ranges["low"].isna() | ranges["high"].isna()).any(), "the seeds have open-ended figures"


def test_contested_claims_carry_their_deniers(con) -> None:
    c = analysis.contested(con)
    assert len(c) > 0
    for names, ids in zip(c["denied_by_names"], c["denied_by"], strict=True):
        assert len(names) == len(ids)


def test_sanctions_oil_is_drawn_against_the_500k_cap(con) -> None:
    s = analysis.sanctions(con)
    oil = s[(s["item_category"] == "oil") & (s["cap"] == 500_000)]
    assert len(oil) > 0 and oil["exceeds_cap"].fillna(False).astype(bool).any()


def test_exchanges_and_timeline_read(con) -> None:
    ex = analysis.exchanges(con)
    assert isinstance(ex["a_to_b"].iloc[0], list)
    tl = analysis.timeline(con)
    assert {"event_date", "kind", "summary"} <= set(tl.columns) and len(tl) > 0


# ---------------------------------------------------------------- analysis: plotting


def test_drawing_helpers_draw_on_real_frames(con) -> None:
    import matplotlib.pyplot as plt

    flows = analysis.flows(con)
    fig, axes = plt.subplots(3, 2, figsize=(12, 12))
    try:
        analysis.draw_transfer_network(analysis.transfer_graph(flows), axes[0, 0])
        analysis.draw_top_flows(flows, axes[0, 1])
        analysis.draw_quantity_ranges(analysis.figure_ranges(con), axes[1, 0])
        analysis.draw_sanctions(analysis.sanctions(con), axes[1, 1])
        analysis.draw_claims_matrix(analysis.claims_matrix(con), axes[2, 0])
        analysis.draw_timeline(analysis.timeline(con), axes[2, 1])
        assert axes[1, 1].get_legend() is not None
        assert any(abs(line.get_ydata()[0] - 500_000) < 1 for line in axes[1, 1].get_lines())
        assert axes[0, 0].get_legend() is not None
    finally:
        plt.close(fig)


def test_drawing_helpers_cope_with_empty_frames(con) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        analysis.draw_transfer_network(analysis.transfer_graph(analysis.flows(con).iloc[0:0]), ax)
        analysis.draw_quantity_ranges(analysis.figure_ranges(con).iloc[0:0], ax)
        analysis.draw_sanctions(analysis.sanctions(con).iloc[0:0], ax)
        analysis.draw_claims_matrix(analysis.claims_matrix_from_counts(pd.DataFrame(
            columns=["claimant", "stance", "hedge", "claims"])), ax)
        analysis.draw_timeline(analysis.timeline(con).iloc[0:0], ax)
        analysis.draw_top_flows(analysis.flows(con).iloc[0:0], ax)
    finally:
        plt.close(fig)


def _inside(fig, artist, renderer) -> bool:
    box, outer = artist.get_window_extent(renderer), fig.bbox
    return box.x0 >= outer.x0 - 1 and box.x1 <= outer.x1 + 1 and box.y0 >= outer.y0 - 1 and box.y1 <= outer.y1 + 1


def test_network_draws_one_arrow_per_pair_with_names_clear_of_nodes(con) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.offsetbox import AnnotationBbox

    flows = analysis.flows(con)
    pairs = analysis.pair_stories(con)
    assert len(pairs) == len(set(zip(flows["supplier_id"], flows["recipient_id"], strict=True))) < len(flows)
    prk_rus = pairs[(pairs["supplier_id"] == "country:PRK") & (pairs["recipient_id"] == "country:RUS")].iloc[0]
    per_category = flows[(flows["supplier_id"] == "country:PRK") & (flows["recipient_id"] == "country:RUS")]
    assert per_category["stories"].max() <= prk_rus["stories"] <= per_category["stories"].sum()
    fig, ax = plt.subplots(figsize=(12, 6.5))
    try:
        pos = analysis.draw_transfer_network(analysis.transfer_graph(flows), ax, flows=flows, pairs=pairs)
        fig.tight_layout()
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None and t.get_text() == ""]
        assert len(arrows) == len(pairs), "parallel flows are merged: one arrow per supplier -> recipient"
        boxes = [a for a in ax.artists if isinstance(a, AnnotationBbox)]
        assert len(boxes) == len(pairs)
        names = [t for t in ax.texts if t.get_text()]
        assert len(names) == len(pos)
        nodes = [ax.transData.transform(p) for p in pos.values()]
        for artist in names + boxes:
            assert _inside(fig, artist, renderer), "every label is inside the figure"
            box = artist.get_window_extent(renderer)
            assert not any(box.x0 < x < box.x1 and box.y0 < y < box.y1 for x, y in nodes), "a label covers a node"
        legend = ax.get_legend()
        assert legend is not None and "stories" in legend.get_title().get_text()
    finally:
        plt.close(fig)


def test_network_without_story_counts_falls_back_to_reports() -> None:
    import matplotlib.pyplot as plt

    flows = pd.DataFrame({"supplier_id": ["a", "a", "b"], "supplier_name": ["A", "A", "B"],
                          "recipient_id": ["b", "b", "a"], "recipient_name": ["B", "B", "A"],
                          "item_category": ["oil", "food", "weapons"], "reports": [3, 1, 2]})
    fig, ax = plt.subplots()
    try:
        analysis.draw_transfer_network(analysis.transfer_graph(flows), ax)
        assert len([t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]) == 2
        assert "reports" in ax.get_legend().get_title().get_text()
    finally:
        plt.close(fig)


def test_timeline_zooms_to_the_events_and_keeps_its_labels_whole(con) -> None:
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    tl = analysis.timeline(con)
    fig, ax = plt.subplots(figsize=(11, 0.3 * len(tl) + 1.2))
    try:
        analysis.draw_timeline(tl, ax, label_width=62, label_lines=2)
        fig.tight_layout()
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        left, right = (mdates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim())
        assert left > pd.Timestamp("2023-06-01") and right < pd.Timestamp("2025-01-01"), (left, right)
        marks = {t.get_text() for t in ax.texts}
        assert {"2006", "2017", "2022", "earlier"} <= marks, "events before the period are marked with their date"
        labels = ax.get_yticklabels()
        assert len(labels) == len(tl)
        for label in labels:
            lines = label.get_text().split("\n")
            assert len(lines) <= 2 and all(len(line) <= 62 for line in lines)
            assert _inside(fig, label, renderer), f"label cut off: {label.get_text()!r}"
        shortened = [label.get_text() for label in labels if label.get_text().endswith("…")]
        assert shortened and all(t.endswith(" …") for t in shortened), "shortened at a word boundary"
    finally:
        plt.close(fig)


def test_category_colours_are_stable() -> None:
    assert analysis.category_colors(["oil"])["oil"] == analysis.category_colors()["oil"]
