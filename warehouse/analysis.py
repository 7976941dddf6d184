"""Analyst helpers for the notebooks: find or build the warehouse, read the views, draw figures.

The notebooks in ``notebooks/`` call these functions instead of repeating SQL::

    from warehouse import analysis

    db_path = analysis.ensure_warehouse()          # $WAREHOUSE_DB, else the project's warehouse.duckdb
    with analysis.connect(db_path) as con:         # read-only, closed on exit
        flows = analysis.flows(con)
        pairs = analysis.pair_stories(con)
    G = analysis.transfer_graph(flows)
    analysis.draw_transfer_network(G, ax, flows=flows, pairs=pairs)

Every reader takes ``db``: an open DuckDB connection (from :func:`connect`) or a path to the
warehouse file (opened read-only for that one query and closed again). Readers return plain
pandas DataFrames with list columns as Python lists; graph builders and plotting helpers take
those frames and never touch the database, so they can be tested on hand-made frames.
Plotting uses matplotlib only and draws on the ``Axes`` it is given (safe under the Agg backend).
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import networkx as nx
import pandas as pd

from .db import open_duckdb
from .paths import PROJECT_ROOT, SEEDS_DIR, default_db_path
from .query import ask
from .schema import HEDGES, ITEM_CATEGORIES, STANCES

__all__ = [
    "WarehouseNotFound", "warehouse_path", "ensure_warehouse", "connect", "pair_stories", "views", "read_view",
    "claims_matrix_from_counts", "flows",
    "exchanges", "figure_ranges", "claims_matrix", "contested", "sanctions", "timeline",
    "transfer_flows", "transfer_graph", "category_colors", "network_layout", "draw_top_flows",
    "draw_transfer_network", "draw_quantity_ranges", "draw_sanctions", "draw_claims_matrix",
    "draw_timeline",
]

Db = duckdb.DuckDBPyConnection | Path | str | None

# ---------------------------------------------------------------- opening


class WarehouseNotFound(FileNotFoundError):
    """No warehouse file where the notebooks look, and building one from ``seeds/`` was not asked for."""

    def _render_traceback_(self) -> list[str]:  # IPython: show the message alone, without a traceback
        return [f"{type(self).__name__}: {self}"]


def warehouse_path(path: Path | str | None = None) -> Path:
    """The warehouse file to analyse, as an absolute path: ``path``, else ``$WAREHOUSE_DB``, else the
    project's default (``warehouse.paths.default_db_path``: ``warehouse.duckdb``).

    A relative path is taken from the current folder, as the CLI takes it, except inside the
    project's ``notebooks/`` folder (where Jupyter starts a notebook's kernel): there it is taken from
    the project root, so the notebooks read the warehouse that ``warehouse run seeds/`` builds at the
    root, not a ``notebooks/warehouse.duckdb``.
    """
    db_path = (Path(path) if path is not None else default_db_path()).expanduser()
    if not db_path.is_absolute():
        cwd = Path.cwd().resolve()
        notebooks = (PROJECT_ROOT / "notebooks").resolve()
        base = PROJECT_ROOT if cwd == notebooks or notebooks in cwd.parents else cwd
        db_path = base / db_path
    return db_path


def ensure_warehouse(path: Path | str | None = None, seeds: Path | str | None = None, *, build: bool = False,
                     verbose: bool = False) -> Path:
    """The warehouse file to analyse (:func:`warehouse_path`), checked to exist; built from the seed
    articles only when asked.

    When no file is there: with ``build=True``, ``warehouse.etl.run`` builds one from ``seeds``
    (default: the project's ``seeds/`` folder, its curated records included); otherwise
    :class:`WarehouseNotFound` says where it looked and how to get a warehouse. An existing file is
    left untouched. ``verbose`` prints which file is read (and that it was just built). Returns the path.
    """
    db_path = warehouse_path(path)
    built = False
    if not db_path.exists():
        if not build:
            raise WarehouseNotFound(
                f"no warehouse at {db_path}. Build it first (`warehouse run seeds/` in {PROJECT_ROOT}), "
                "point WAREHOUSE_DB at an existing warehouse, or set BUILD_FROM_SEEDS = True in the first "
                "cell to build one from seeds/ here.")
        from . import etl

        db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            etl.run(db_path, [Path(seeds) if seeds is not None else SEEDS_DIR])
        except BaseException:
            # no half-built file: the next call would take it for a warehouse
            for leftover in (db_path, db_path.with_name(db_path.name + ".wal")):
                leftover.unlink(missing_ok=True)
            raise
        built = True
    if verbose:
        source = "$WAREHOUSE_DB" if path is None and os.environ.get("WAREHOUSE_DB") else "default path"
        if path is not None:
            source = "given path"
        print(f"warehouse: {db_path}  ({source}" + ("; just built from seeds/)" if built else ")"))
    return db_path


@contextmanager
def connect(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only DuckDB connection to the warehouse (:func:`warehouse_path`), closed on exit.

    Raises ``warehouse.db.WarehouseMissing`` when the file does not exist (call
    :func:`ensure_warehouse` first) and ``WarehouseBusy`` while a writer holds it.
    """
    with open_duckdb(warehouse_path(path), read_only=True) as con:
        yield con


def _as_list(value) -> list:
    """A DuckDB LIST cell (numpy array, list or NULL) as a Python list."""
    if value is None:
        return []
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return list(value)
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [value]


def _lists(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``df`` with the given LIST columns as Python lists."""
    df = df.copy()
    for c in columns:
        if c in df.columns:
            df[c] = pd.Series([_as_list(v) for v in df[c]], index=df.index, dtype=object)
    return df


def _query(db: Db, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run read-only SQL on an open connection, or on the file ``db`` (opened and closed here)."""
    if isinstance(db, duckdb.DuckDBPyConnection):
        return db.execute(sql, params or []).df()
    with connect(db) as con:
        return con.execute(sql, params or []).df()


def read_view(db: Db, name: str) -> pd.DataFrame:
    """All rows of the canned view ``name`` (in the view's own order)."""
    if isinstance(db, duckdb.DuckDBPyConnection):
        from .query import view_names

        if name not in view_names():
            raise ValueError(f"unknown view {name!r}")
        return db.execute(f"SELECT * FROM {name}").df()
    return ask(warehouse_path(db), name)


def views() -> pd.DataFrame:
    """The canned views and the question each answers (view, question, grain), from ``sql/views``."""
    from .query import list_views

    return pd.DataFrame(list_views())[["view", "question", "grain"]]


# ---------------------------------------------------------------- readers


def flows(db: Db) -> pd.DataFrame:
    """``transfer_flows``: one row per (supplier, recipient, item category), most reported first."""
    return _lists(read_view(db, "transfer_flows"), "statuses", "claimants", "denied_by")


_PAIRS_SQL = """
select r.supplier_id, any_value(r.supplier_name) as supplier_name, r.recipient_id,
       any_value(r.recipient_name) as recipient_name, count(*) as reports,
       count(distinct r.article_id) as articles, count(distinct ast.story_id) as stories,
       count(distinct r.item_category) as categories
from transfer_reports r
left join article_story ast on ast.article_id = r.article_id
group by r.supplier_id, r.recipient_id
order by stories desc, reports desc, r.supplier_id, r.recipient_id
"""


def pair_stories(db: Db) -> pd.DataFrame:
    """One row per supplier -> recipient pair, all item categories together: reports, articles and
    distinct ``stories`` (counted as ``transfer_flows`` counts them, so a story reporting two
    categories of the pair counts once), and how many item categories the pair has."""
    return _query(db, _PAIRS_SQL)


def exchanges(db: Db) -> pd.DataFrame:
    """``exchanges``: pairs of parties with flows both ways (a quid pro quo) and what goes each way."""
    return _lists(read_view(db, "exchanges"), "a_to_b", "b_to_a")


_RANGES_SQL = """
select
    r.supplier_id, r.supplier_name, r.recipient_id, r.recipient_name, r.item_category, r.quantity_unit,
    r.supplier_name || ' → ' || r.recipient_name || ': ' || replace(r.item_category, '_', ' ')
        || ' (' || r.quantity_unit || ')' as flow,
    r.quantity_low as low, r.quantity_high as high, r.quantity_qualifier as qualifier, r.quantity_text,
    coalesce(r.claimant_name, '(unattributed)') as claimant, r.stance, r.hedge, r.status,
    r.article_id, r.publisher, r.published_on, r.transfer_id, r.quote,
    d.supplier_id is not null as disputed,
    d.spread_ratio
from transfer_reports r
left join figure_disagreements d
    on d.supplier_id = r.supplier_id and d.recipient_id = r.recipient_id
   and d.item_category = r.item_category and d.quantity_unit = r.quantity_unit
where r.quantity_unit is not null and (r.quantity_low is not null or r.quantity_high is not null)
order by r.supplier_name, r.recipient_name, r.item_category, r.quantity_unit,
         coalesce(r.quantity_low, r.quantity_high), coalesce(r.quantity_high, r.quantity_low), r.transfer_id
"""


def figure_ranges(db: Db) -> pd.DataFrame:
    """One row per reported transfer that gives a figure, with its bounds, for a range plot.

    From ``transfer_reports`` (figures without a unit are left out, being incomparable).
    Columns: supplier/recipient ids and names, item_category, quantity_unit, ``flow`` (a label),
    ``low`` and ``high`` (either may be NaN: an open-ended figure such as "at least" or "up to"),
    qualifier, quantity_text, claimant, stance, hedge, status, article_id, publisher, published_on,
    transfer_id, quote, ``disputed`` (True when ``figure_disagreements`` lists the flow, i.e.
    sources give different figures for it) and its spread_ratio.
    """
    df = _query(db, _RANGES_SQL)
    df["disputed"] = df["disputed"].astype(bool)
    return df


_CLAIMS_SQL = """
select coalesce(e.name, '(unattributed)') as claimant, c.stance, c.hedge, count(*) as claims
from claims c
left join entities e on e.entity_id = c.claimant_id
group by all
"""


def claims_matrix(db: Db) -> pd.DataFrame:
    """Claim counts per claimant x stance x hedge: who claims what, and how firmly.

    Rows: claimants (unattributed claims form the row ``(unattributed)``), most claims first.
    Columns: a (stance, hedge) MultiIndex in schema order (asserts before denies, confirmed before
    speculative), keeping only combinations that occur. Values: number of claims; the grand total
    equals the number of rows in ``claims``.
    """
    long = _query(db, _CLAIMS_SQL)
    return claims_matrix_from_counts(long)


def claims_matrix_from_counts(long: pd.DataFrame) -> pd.DataFrame:
    """Pivot (claimant, stance, hedge, claims) rows into the :func:`claims_matrix` shape."""
    if long.empty:
        cols = pd.MultiIndex.from_tuples([], names=["stance", "hedge"])
        return pd.DataFrame(index=pd.Index([], name="claimant"), columns=cols, dtype="int64")
    wide = long.pivot_table(index="claimant", columns=["stance", "hedge"], values="claims", aggfunc="sum",
                            fill_value=0)
    order = [(s, h) for s in STANCES for h in HEDGES if (s, h) in wide.columns]
    order += [c for c in wide.columns if c not in order]
    wide = wide[order].astype("int64")
    wide.columns = pd.MultiIndex.from_tuples(order, names=["stance", "hedge"])
    totals = wide.sum(axis=1)
    wide = wide.loc[sorted(wide.index, key=lambda n: (-totals[n], n == "(unattributed)", str(n)))]
    wide.index.name = "claimant"
    return wide


def _entity_names(db: Db) -> dict[str, str]:
    df = _query(db, "select entity_id, name from entities")
    return dict(zip(df["entity_id"], df["name"], strict=True))


def contested(db: Db) -> pd.DataFrame:
    """``contested_claims`` with names: each denied claim beside who denies it and in which words.

    Adds ``supplier_name``, ``recipient_name`` and ``denied_by_names`` (a list) to the view's columns;
    ``denied_by``, ``denial_quotes`` and ``articles`` are Python lists.
    """
    df = _lists(read_view(db, "contested_claims"), "denied_by", "denial_quotes", "articles")
    names = _entity_names(db) if len(df) else {}
    df["claimant_name"] = df["claimant_name"].fillna("(unattributed)") if len(df) else df["claimant_name"]
    df["supplier_name"] = [names.get(v, v) if isinstance(v, str) else None for v in df["supplier_id"]]
    df["recipient_name"] = [names.get(v, v) if isinstance(v, str) else None for v in df["recipient_id"]]
    df["denied_by_names"] = pd.Series([[names.get(x, x) for x in v] for v in df["denied_by"]], index=df.index,
                                      dtype=object)
    return df


def sanctions(db: Db) -> pd.DataFrame:
    """``sanctions_exposure`` with ``supplier_name``, ``recipient_name`` and ``claimant_name`` added.

    One row per (regime, reported transfer) that falls under the regime; ``cap`` is NaN for a total
    ban, ``exceeds_cap`` is NULL (``pd.NA``) when the units differ or no figure is given.
    """
    df = read_view(db, "sanctions_exposure")
    names = _entity_names(db) if len(df) else {}
    df["supplier_name"] = [names.get(v, v) for v in df["supplier_id"]]
    df["recipient_name"] = [names.get(v, v) for v in df["recipient_id"]]
    df["claimant_name"] = [names.get(v, v) if isinstance(v, str) else None for v in df["claimant_id"]]
    return df


def timeline(db: Db) -> pd.DataFrame:
    """``timeline``: dated claims and agreement signings in date order; undated ones (only a date
    expression as written, ``event_date`` NaT) come last."""
    return read_view(db, "timeline")


# ---------------------------------------------------------------- graph


def transfer_flows(db: Db, where: str | None = None) -> pd.DataFrame:
    """``transfer_flows`` (as :func:`flows`), filtered by one boolean SQL expression on its columns
    exactly as ``warehouse ask transfer_flows --where`` filters it (``query.parse_predicate``)."""
    if where is None:
        return flows(db)
    if isinstance(db, duckdb.DuckDBPyConnection):
        from .query import parse_predicate

        df = db.sql("SELECT * FROM transfer_flows").filter(parse_predicate(where)).df()
    else:
        df = ask(Path(db) if db is not None else None, "transfer_flows", where=where)
    return _lists(df, "statuses", "claimants", "denied_by")


_NODE_SQL = "select entity_id, entity_type, name, country_code from entities where list_contains(?, entity_id)"


def transfer_graph(source: pd.DataFrame | Db = None, where: str | None = None) -> nx.MultiDiGraph:
    """A directed multigraph of supplier -> recipient flows, one edge per (flow, item category).

    ``source`` is the warehouse (a connection from :func:`connect`, a path, or None for the
    default file; read-only, ``where`` filters ``transfer_flows`` as ``warehouse ask --where``
    does) or a frame of :func:`flows` (then ``where`` must be None), so both
    ``transfer_graph(flows(con))`` and ``nx.write_gexf(transfer_graph(db_path), "flows.gexf")`` work.

    Nodes are entity ids with ``label`` and ``name`` (the entity's name), ``type`` and ``country``
    (its ISO code; "" when it has none, or when the graph is built from a frame alone). Edges are
    keyed by item category and carry ``category``, ``reports`` (also as ``weight``, which Gephi and
    networkx algorithms read), ``articles``, ``stories``, ``quantity_min`` and ``quantity_max``
    (left out when the flow gives no figure), ``quantity_unit``, ``statuses`` (joined by ", ") and
    ``denied`` (True when someone denies the flow). No attribute is ever None, so networkx's GEXF
    and GraphML writers accept the graph as it is.
    """
    if isinstance(source, pd.DataFrame):
        if where is not None:
            raise ValueError("where filters the warehouse; filter a frame before passing it")
        flows_df, entities = source, {}
    else:
        flows_df = transfer_flows(source, where)
        ids = sorted({*flows_df["supplier_id"], *flows_df["recipient_id"]}) if len(flows_df) else []
        entities = {r.entity_id: r for r in _query(source, _NODE_SQL, [ids]).itertuples(index=False)} if ids else {}
    G = nx.MultiDiGraph()
    for row in flows_df.itertuples(index=False):
        for node, name in ((row.supplier_id, row.supplier_name), (row.recipient_id, row.recipient_name)):
            ent = entities.get(node)
            label = name if isinstance(name, str) else _str(getattr(ent, "name", None)) or node
            G.add_node(node, label=label, name=label, type=_str(getattr(ent, "entity_type", None)) or "",
                       country=_str(getattr(ent, "country_code", None)) or "")
        denied = _as_list(getattr(row, "denied_by", None))
        attrs = {"category": row.item_category, "reports": int(row.reports), "weight": int(row.reports),
                 "articles": _int(getattr(row, "articles", None)), "stories": _int(getattr(row, "stories", None)),
                 "quantity_min": _num(getattr(row, "quantity_min", None)),
                 "quantity_max": _num(getattr(row, "quantity_max", None)),
                 "quantity_unit": _str(getattr(row, "quantity_unit", None)) or "",
                 "statuses": ", ".join(str(s) for s in _as_list(getattr(row, "statuses", None))),
                 "denied": bool(denied)}
        G.add_edge(row.supplier_id, row.recipient_id, key=row.item_category,
                   **{k: v for k, v in attrs.items() if v is not None})
    return G


def _int(v) -> int:
    try:
        return 0 if v is None or pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return 0


def _num(v) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _str(v) -> str | None:
    return v if isinstance(v, str) else None


# ---------------------------------------------------------------- plotting


def category_colors(categories=None) -> dict[str, tuple]:
    """A fixed colour per item category (the schema's order on matplotlib's tab20), so every
    figure colours the same category alike. Unknown categories get grey."""
    from matplotlib import colormaps

    cmap = colormaps["tab20"]
    colors = {c: cmap(i % 20) for i, c in enumerate(ITEM_CATEGORIES)}
    if categories is not None:
        return {c: colors.get(c, (0.5, 0.5, 0.5, 1.0)) for c in categories}
    return colors


def _pretty(category: str) -> str:
    return category.replace("_", " ")


def draw_top_flows(flows_df: pd.DataFrame, ax, *, n: int = 12) -> None:
    """Horizontal bars of the ``n`` most reported flows (the frame of :func:`flows`): length = number
    of reports, colour = item category, the number of articles written at the end of each bar."""
    from matplotlib.patches import Patch

    top = flows_df.sort_values(["reports", "articles"], ascending=False, kind="stable").head(n)
    if top.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no transfer flows", ha="center", va="center", transform=ax.transAxes)
        return
    colors = category_colors(top["item_category"])
    labels = [f"{r.supplier_name} → {r.recipient_name}: {_pretty(r.item_category)}"
              for r in top.itertuples(index=False)]
    y = range(len(top))
    ax.barh(y, top["reports"], color=[colors[c] for c in top["item_category"]], zorder=2)
    for i, r in enumerate(top.itertuples(index=False)):
        ax.annotate(f"{r.articles} article{'s' if r.articles != 1 else ''}", (r.reports, i), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(list(y), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("reports (transfer claims)")
    ax.set_xlim(0, top["reports"].max() * 1.25)
    ax.grid(axis="x", alpha=0.3, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    cats = sorted(set(top["item_category"]), key=_category_order)
    ax.legend(handles=[Patch(color=colors[c], label=_pretty(c)) for c in cats], title="item category",
              loc="lower right", fontsize=8, title_fontsize=8)


def _bezier(p0, c, p2, t: float) -> tuple[float, float]:
    return (((1 - t) ** 2) * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p2[0],
            ((1 - t) ** 2) * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p2[1])


def _label_box(anchor, direction, size, gap: float) -> tuple[float, float, float, float, str, str]:
    """Where a label of ``size`` (w, h, data units) goes when set ``gap`` away from ``anchor`` in
    ``direction`` (a unit vector): its box (x0, y0, x1, y1) and the text alignment that puts it there."""
    (x, y), (dx, dy), (w, h) = anchor, direction, size
    x, y = x + gap * dx, y + gap * dy
    ha = "left" if dx > 0.35 else "right" if dx < -0.35 else "center"
    va = "bottom" if dy > 0.35 else "top" if dy < -0.35 else "center"
    x0 = x if ha == "left" else x - w if ha == "right" else x - w / 2
    y0 = y if va == "bottom" else y - h if va == "top" else y - h / 2
    return x0, y0, x0 + w, y0 + h, ha, va


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def draw_transfer_network(G: nx.MultiDiGraph, ax, *, seed: int = 7, layout: dict | None = None,
                          flows: pd.DataFrame | None = None, pairs: pd.DataFrame | None = None,
                          max_lines: int = 8) -> dict:
    """Draw the supplier -> recipient network on ``ax``: one arrow per supplier -> recipient pair (the
    parallel flows of its item categories merged), its width the number of stories that report the pair.

    Beside each arrow, on its outer side, a label lists the pair's item categories, each with a colour
    chip (:func:`category_colors`, as in the other figures) and its number of stories, "denied" when
    someone denies it. A pair reported both ways gets two arcs, one on each side. Node names sit on
    the side of each node that no arrow leaves from; arrows stop short of the nodes, so their heads show.

    ``flows`` (the frame of :func:`flows`) gives the stories per category, ``pairs`` (the frame of
    :func:`pair_stories`) the distinct stories per pair; without them (or a ``stories`` attribute on the
    edges) the figure counts reports instead, and a pair's width is its best-reported category's
    stories when only ``flows`` is given. A legend gives the width scale. Returns the node positions.
    """
    import matplotlib.patheffects as pe
    from matplotlib.lines import Line2D
    from matplotlib.offsetbox import AnnotationBbox, HPacker, TextArea, VPacker

    ax.set_axis_off()
    if G.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no transfer flows in the warehouse", ha="center", va="center", transform=ax.transAxes)
        return {}
    layout = layout if layout is not None else network_layout(G, seed=seed)
    pos = {n: (float(x), float(y)) for n, (x, y) in layout.items()}
    cat_stories: dict = {}
    if flows is not None and "stories" in flows.columns:
        for r in flows.itertuples(index=False):
            cat_stories[(r.supplier_id, r.recipient_id, r.item_category)] = int(r.stories)
    pair_total: dict = {}
    if pairs is not None and "stories" in pairs.columns:
        for r in pairs.itertuples(index=False):
            pair_total[(r.supplier_id, r.recipient_id)] = int(r.stories)
    # stories on the edges (transfer_graph gives 0 when the frame had no stories column) or in ``flows``
    has_stories = bool(cat_stories) or all((d.get("stories") or 0) > 0 for _, _, d in G.edges(data=True))
    measure = "stories" if has_stories else "reports"

    def value(u, v, d) -> int:
        if measure == "reports":
            return int(d["reports"])
        if (d.get("stories") or 0) > 0:
            return int(d["stories"])
        return cat_stories.get((u, v, d["category"]), int(d.get("reports", 1)))

    merged: dict = {}
    for u, v in sorted({(u, v) for u, v in G.edges()}):
        items = sorted(((d["category"], value(u, v, d), bool(d.get("denied"))) for d in G.get_edge_data(u, v).values()),
                       key=lambda it: (-it[1], _category_order(it[0])))
        if measure == "reports":
            total = sum(it[1] for it in items)
        else:
            total = pair_total.get((u, v), max(it[1] for it in items))
        merged[(u, v)] = (total, items)
    max_total = max(t for t, _ in merged.values())

    def width(total: int) -> float:
        return 1.2 + 6.0 * (total - 1) / max(max_total - 1, 1)

    # ---- geometry in data units; the axes get an equal aspect so that arcs and offsets keep their shape
    fontsize, node_fs, node_r_pt = 7.5, 9.5, 7.0
    arcs: dict = {}
    for (u, v) in merged:
        p0, p2 = pos[u], pos[v]
        rad = 0.18 if (v, u) in merged else 0.0
        dx, dy = p2[0] - p0[0], p2[1] - p0[1]
        c = ((p0[0] + p2[0]) / 2 + rad * dy, (p0[1] + p2[1]) / 2 - rad * dx)  # arc3's control point
        arcs[(u, v)] = (p0, c, p2, rad)
    samples = [_bezier(p0, c, p2, t / 20) for p0, c, p2, _ in arcs.values() for t in range(2, 19)]
    dense = [_bezier(p0, c, p2, t / 40) for p0, c, p2, _ in arcs.values() for t in range(1, 40)]
    fig = ax.figure
    bbox = ax.get_position()
    # the axes' size in points, less a margin for a tight layout and the legend below
    w_pt, h_pt = 0.92 * bbox.width * fig.get_figwidth() * 72, 0.85 * bbox.height * fig.get_figheight() * 72
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span = (max(xs) - min(xs) + 1.0, max(ys) - min(ys) + 1.0)
    cat_texts = {}
    for (u, v), (total, items) in merged.items():
        shown = items if len(items) <= max_lines else items[: max_lines - 1]
        texts = [f"{_pretty(cat)}  {n}" + ("  (denied)" if denied else "") for cat, n, denied in shown]
        if len(shown) < len(items):
            texts.append(f"+{len(items) - len(shown)} more")
        head = f"{total} " + (measure if total != 1 else {"stories": "story", "reports": "report"}[measure])
        cat_texts[(u, v)] = (head, shown, texts)

    def place(unit: float):
        """Node names and category labels laid out for ``unit`` data units per point."""

        def text_size(lines: list[str], fs: float) -> tuple[float, float]:
            return (max(len(t) for t in lines) * 0.56 * fs + 14) * unit, (len(lines) * fs * 1.3 + 6) * unit

        node_r = (node_r_pt + 3) * unit
        obstacles = [(x - node_r, y - node_r, x + node_r, y + node_r) for x, y in pos.values()]
        node_labels = []
        for node, (x, y) in pos.items():  # on the widest free side, unless another covers fewer arrows
            angles = []
            for (a, b), (p0, c, p2, _rad) in arcs.items():
                if node in (a, b):
                    other = p2 if a == node else p0
                    tx, ty = (c[0] - x, c[1] - y) if abs(c[0] - x) + abs(c[1] - y) > 1e-9 else (other[0] - x,
                                                                                              other[1] - y)
                    angles.append(math.atan2(ty, tx))
            free = math.pi / 2
            if angles:
                angles.sort()
                gap, a = max(((angles[(i + 1) % len(angles)] - a) % (2 * math.pi) or 2 * math.pi, a)
                             for i, a in enumerate(angles))
                free = a + gap / 2
            name = str(G.nodes[node].get("name", node))
            lines = textwrap.wrap(name, 18) or [name]
            size = text_size(lines, node_fs)
            best = None
            for k, angle in enumerate([free, math.pi / 2, -math.pi / 2] + [i * math.pi / 8 for i in range(16)]):
                direction = (math.cos(angle), math.sin(angle))
                if abs(direction[0]) < 0.25:  # nearly straight up or down: exactly so, the name centred
                    direction = (0.0, 1.0 if direction[1] > 0 else -1.0)
                box = _label_box((x, y), direction, size, node_r)
                hits = sum(1 for px, py in dense if box[0] <= px <= box[2] and box[1] <= py <= box[3])
                cover = sum(1 + _overlap(box, o) / ((box[2] - box[0]) * (box[3] - box[1])) for o in obstacles
                            if _overlap(box, o) > 0)
                cand = (hits + 3 * cover + (0 if k == 0 else 0.5 + 0.01 * k), box)
                if best is None or cand[0] < best[0]:
                    best = cand
            node_labels.append(("\n".join(lines), best[1]))
            obstacles.append(best[1][:4])
        cat_labels = []
        n_fixed = len(obstacles)
        for (u, v), (total, _items) in merged.items():  # beside the arrow, covering the least
            p0, c, p2, rad = arcs[(u, v)]
            head, _shown, texts = cat_texts[(u, v)]
            size = text_size([head, *texts], fontsize)
            dx, dy = p2[0] - p0[0], p2[1] - p0[1]
            norm = math.hypot(dx, dy) or 1.0
            normal = (dy / norm, -dx / norm)  # the side arc3 bulges to
            best = None
            spots = [(t, side, gap) for gap in (5, 30) for t in (0.5, 0.4, 0.6, 0.32, 0.68) for side in (1, -1)]
            for k, (t, side, gap) in enumerate(spots):
                anchor = _bezier(p0, c, p2, t)
                box = _label_box(anchor, (side * normal[0], side * normal[1]), size, (gap + width(total) / 2) * unit)
                area = (box[2] - box[0]) * (box[3] - box[1])
                cand = (sum(20 + 10 * _overlap(box, o) / area for o in obstacles[:n_fixed]  # nodes and names
                            if _overlap(box, o) > 0)
                        + sum(_overlap(box, o) for o in obstacles[n_fixed:]) / area * 5  # other labels
                        + sum(1 for x, y in samples if box[0] <= x <= box[2] and box[1] <= y <= box[3])
                        + (0.6 if gap > 5 else 0) + k * 0.01, box, anchor if gap > 5 else None)
                if best is None or cand[0] < best[0]:
                    best = cand
            cat_labels.append(((u, v), best[1], best[2]))
            obstacles.append(best[1][:4])
        lo_x, hi_x = min(b[0] for b in obstacles), max(b[2] for b in obstacles)
        lo_y, hi_y = min(b[1] for b in obstacles), max(b[3] for b in obstacles)
        return node_labels, cat_labels, (lo_x, hi_x, lo_y, hi_y)

    for _ in range(6):  # until the labels' room in data units agrees with the limits they lead to
        unit = max(span[0] / w_pt, span[1] / h_pt)
        node_labels, cat_labels, (lo_x, hi_x, lo_y, hi_y) = place(unit)
        needed = (hi_x - lo_x + 8 * unit, hi_y - lo_y + 8 * unit)
        if max(needed[0] / w_pt, needed[1] / h_pt) <= unit * 1.01:
            break
        span = (max(span[0], needed[0]), max(span[1], needed[1]))
    # the same data units per point across and up (arcs keep their shape), with the margin kept above
    cx, cy = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2
    ax.set_xlim(cx - unit * w_pt / 0.92 / 2, cx + unit * w_pt / 0.92 / 2)
    ax.set_ylim(cy - unit * h_pt / 0.85 / 2, cy + unit * h_pt / 0.85 / 2)

    # ---- drawing: arrows, nodes, names, category labels
    for (u, v), (total, _items) in merged.items():
        lw = width(total)
        ax.annotate("", xy=pos[v], xytext=pos[u], zorder=2,
                    arrowprops={"arrowstyle": "-|>,head_length=0.55,head_width=0.3", "color": "#4a5560", "lw": lw,
                                "shrinkA": node_r_pt + 2, "shrinkB": node_r_pt + 2.5, "mutation_scale": 12 + 2.2 * lw,
                                "connectionstyle": f"arc3,rad={arcs[(u, v)][3]:.3f}", "joinstyle": "miter",
                                "capstyle": "butt"})
    ax.scatter(xs, ys, s=(2 * node_r_pt) ** 2, c="#fdfdfd", edgecolors="#333333", linewidths=1.4, zorder=3)
    halo = [pe.withStroke(linewidth=3, foreground="white")]
    for text, (x0, y0, x1, y1, ha, va) in node_labels:
        x = x0 if ha == "left" else x1 if ha == "right" else (x0 + x1) / 2
        y = y0 + 3 * unit if va == "bottom" else y1 - 3 * unit if va == "top" else (y0 + y1) / 2
        ax.text(x, y, text, ha=ha, va=va, fontsize=node_fs, fontweight="bold", color="#222222", zorder=5,
                path_effects=halo, linespacing=1.1)
    for (u, v), (x0, y0, x1, y1, ha, va), leader in cat_labels:
        head, shown, texts = cat_texts[(u, v)]
        rows = [TextArea(head, textprops={"fontsize": fontsize, "fontweight": "bold", "color": "#333333"})]
        colors = category_colors([cat for cat, _, _ in shown])
        for (cat, _n, denied), text in zip(shown, texts, strict=False):
            rows.append(HPacker(children=[
                TextArea("■", textprops={"fontsize": fontsize + 2, "color": colors[cat]}),
                TextArea(text, textprops={"fontsize": fontsize, "color": "#a02020" if denied else "#222222"})],
                pad=0, sep=2, align="center"))
        if len(shown) < len(texts):
            rows.append(TextArea(texts[-1], textprops={"fontsize": fontsize, "color": "#666666"}))
        at = (x0 if ha == "left" else x1 if ha == "right" else (x0 + x1) / 2,
              y0 if va == "bottom" else y1 if va == "top" else (y0 + y1) / 2)
        ax.add_artist(AnnotationBbox(
            VPacker(children=rows, pad=0, sep=1.5, align="left"), leader or at, xybox=at, boxcoords="data",
            xycoords="data", frameon=True, pad=0.25, zorder=4,
            arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.8, "shrinkA": 0, "shrinkB": 0}
            if leader else None,
            box_alignment=({"left": 0.0, "right": 1.0}.get(ha, 0.5), {"bottom": 0.0, "top": 1.0}.get(va, 0.5)),
            bboxprops={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#cccccc", "lw": 0.6, "alpha": 0.92}))

    scale = sorted({1, max_total} | ({(1 + max_total) // 2} if max_total > 2 else set()))
    unit_name = {"stories": ("story", "stories"), "reports": ("report", "reports")}[measure]
    handles = [Line2D([], [], color="#4a5560", lw=width(r), label=f"{r} {unit_name[r != 1]}") for r in scale]
    handles.append(Line2D([], [], color="#888888", marker="s", ls="", ms=6,
                          label=f"item category ({measure} each)"))
    if any(denied for _t, items in merged.values() for _c, _n, denied in items):
        handles.append(Line2D([], [], color="#a02020", marker="$(d)$", ls="", ms=9,
                              label="(denied): someone denies it"))
    ax.legend(handles=handles, title=f"one arrow per supplier → recipient; width: {measure}", loc="upper center",
              bbox_to_anchor=(0.5, 0.0), ncol=len(handles), fontsize=8, title_fontsize=8.5, frameon=False,
              borderaxespad=0.2, columnspacing=1.6)
    return pos


def network_layout(G: nx.MultiDiGraph, *, seed: int = 7) -> dict:
    """Node positions: each connected part laid out on its own (spring layout, fixed seed) and the
    parts set side by side, largest first, so that unconnected trade blocs do not drift apart."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes()))
    simple.add_edges_from(G.edges())
    parts = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    pos: dict = {}
    x0 = 0.0
    for part in parts:
        sub = simple.subgraph(part)
        if len(part) == 1:
            local = {part[0]: (0.0, 0.0)}
        elif len(part) == 2:
            local = {part[0]: (0.0, 0.0), part[1]: (2.4, 0.0)}  # side by side: labels go above and below
        else:
            # a bigger part gets more room: its arrows must leave space for their labels
            local = nx.spring_layout(sub, seed=seed, k=2.0 / math.sqrt(len(part)),
                                     scale=max(1.0, 0.8 * math.sqrt(len(part))))
        xs = [float(p[0]) for p in local.values()]
        width = max(xs) - min(xs)
        for n, (x, y) in local.items():
            pos[n] = (x0 + float(x) - min(xs), float(y))
        x0 += width + 1.8  # room for the labels between the parts
    return pos


def _category_order(category: str) -> int:
    return ITEM_CATEGORIES.index(category) if category in ITEM_CATEGORIES else len(ITEM_CATEGORIES)


def _fmt(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:g}M"
    if x >= 1e4:
        return f"{x / 1e3:g}k"
    return f"{x:g}"


def draw_quantity_ranges(df: pd.DataFrame, ax, *, open_factor: float = 3.0) -> None:
    """Range plot of reported figures (the frame of :func:`figure_ranges`) on a log scale.

    One row per report, grouped under a header per flow (its unit in brackets). A closed range is a
    bar from low to high (a dot when low == high); "at least X" (no high bound) is a dot at X with an
    arrow to the right, "up to X" (no low bound) a bar end at X with an arrow to the left. Flows where
    sources disagree (``disputed``) are drawn in red, the others in grey.
    """
    from matplotlib.lines import Line2D
    from matplotlib.transforms import blended_transform_factory

    if df.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no reported figures", ha="center", va="center", transform=ax.transAxes)
        return
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    y = 0.0
    ticks, labels = [], []
    lo_all, hi_all = math.inf, 0.0
    order = df.sort_values(["disputed", "flow"], ascending=[False, True], kind="stable")
    for flow, group in order.groupby("flow", sort=False):
        disputed = bool(group["disputed"].iloc[0])
        color = "#c0392b" if disputed else "#7f8c8d"
        ax.text(0.0, y, f"{flow}" + ("  — sources disagree" if disputed else ""), transform=trans, fontsize=9,
                fontweight="bold", va="center", ha="left", color=color)
        y -= 1
        for r in group.itertuples(index=False):
            low, high = _num(r.low), _num(r.high)
            if low is not None and high is not None:
                if high > low:
                    ax.plot([low, high], [y, y], color=color, lw=5, solid_capstyle="butt")
                ax.plot([low, high], [y, y], "|" if high > low else "o", color=color, ms=9 if high > low else 7,
                        mew=2)
                lo_all, hi_all = min(lo_all, low), max(hi_all, high)
            elif low is not None:  # at least: open to the right
                ax.annotate("", xy=(low * open_factor, y), xytext=(low, y),
                            arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2, "mutation_scale": 14})
                ax.plot([low], [y], "o", color=color, ms=7)
                lo_all, hi_all = min(lo_all, low), max(hi_all, low * open_factor)
            else:  # up to: open to the left
                ax.annotate("", xy=(high / open_factor, y), xytext=(high, y),
                            arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2, "mutation_scale": 14})
                ax.plot([high], [y], "|", color=color, ms=11, mew=2.5)
                lo_all, hi_all = min(lo_all, high / open_factor), max(hi_all, high)
            text = _range_text(low, high)
            if isinstance(r.quantity_text, str) and r.quantity_text:
                written = r.quantity_text if len(r.quantity_text) <= 28 else r.quantity_text[:27] + "…"
                text += f" “{written}”"
            ticks.append(y)
            labels.append(f"{r.claimant}, {r.hedge}: {text}")
            y -= 1
        y -= 0.5
    ax.set_xscale("log")
    ax.set_xlim(lo_all / 2.5, hi_all * 2.5)
    ax.set_ylim(y + 0.5, 0.8)
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", which="major", alpha=0.3)
    ax.set_xlabel("reported quantity (log scale; unit per flow in brackets)")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], color="#555555", lw=5, label="range low–high"),
               Line2D([], [], color="#555555", marker="o", ls="", label="exact figure / lower bound"),
               Line2D([], [], color="#555555", marker=r"$\rightarrow$", ms=14, ls="", label="at least (open above)"),
               Line2D([], [], color="#555555", marker=r"$\leftarrow$", ms=14, ls="", label="up to (open below)"),
               Line2D([], [], color="#c0392b", lw=3, label="sources disagree"),
               Line2D([], [], color="#7f8c8d", lw=3, label="one figure only")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.06), ncol=3, fontsize=8, frameon=False)


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return _fmt(low) if low == high else f"{_fmt(low)}–{_fmt(high)}"
    return f"≥ {_fmt(low)}" if low is not None else f"≤ {_fmt(high)}"


def draw_sanctions(df: pd.DataFrame, ax, *, unit: str | None = None) -> None:
    """Reported deliveries under capped sanctions regimes (the frame of :func:`sanctions`), drawn
    against each regime's cap as a horizontal line.

    Only rows of regimes with a cap (not total bans) whose report gives a figure in the cap's unit are
    drawn, each report once: a bar up to its figure (low bound, else high; a closed range adds a
    whisker to the high bound; an open "over X" an arrow upwards). Red when the figure exceeds the
    lowest cap drawn. ``unit`` picks one cap unit when regimes use several (default: the most common).
    """
    capped = df[df["cap"].notna() & df["quantity_unit"].notna() & (df["quantity_unit"] == df["cap_unit"])]
    capped = capped[capped["quantity_low"].notna() | capped["quantity_high"].notna()]
    if unit is None and not capped.empty:
        unit = capped["cap_unit"].mode().iloc[0]
    capped = capped[capped["cap_unit"] == unit] if unit is not None else capped
    if capped.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no reported figures under a capped sanctions regime", ha="center", va="center",
                transform=ax.transAxes)
        return
    reports = capped.drop_duplicates("transfer_id").reset_index(drop=True)
    caps = (capped.drop_duplicates("regime")[["regime_name", "resolution", "cap", "period"]]
            .sort_values("cap").reset_index(drop=True))
    lowest_cap = float(caps["cap"].iloc[0])
    top = 0.0
    labels = []
    for i, r in reports.iterrows():
        low, high = _num(r["quantity_low"]), _num(r["quantity_high"])
        figure = low if low is not None else high
        color = "#c0392b" if figure > lowest_cap else "#2c7fb8"
        ax.bar(i, figure, width=0.5, color=color, alpha=0.85, zorder=2)
        ax.annotate(_range_text(low, high), (i, figure), xytext=(0, 3), textcoords="offset points",
                    ha="center", fontsize=9)
        if low is not None and high is not None and high > low:
            ax.plot([i, i], [low, high], color="black", lw=1.5, zorder=3)
            ax.plot([i - 0.08, i + 0.08], [high, high], color="black", lw=1.5, zorder=3)
        elif low is not None and high is None:
            ax.annotate("", xy=(i + 0.18, figure * 1.35), xytext=(i + 0.18, figure),
                        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5})
        top = max(top, (high or figure) * (1.4 if high is None else 1.0))
        who = r["claimant_name"] if isinstance(r.get("claimant_name"), str) else "unattributed"
        labels.append(f"{r['supplier_name']} → {r['recipient_name']}\n{r['item_category']}, {who}\n"
                      f"({r['hedge']}; article {str(r['article_id'])[:8]})")
    styles = ["-", "--", ":", "-."]
    for j, c in caps.iterrows():
        period = str(c["period"]).replace("_", " ") if isinstance(c["period"], str) else ""
        ax.axhline(c["cap"], color="black", ls=styles[j % len(styles)], lw=1.5, zorder=1,
                   label=f"{c['regime_name']}: {_fmt(c['cap'])} {unit}s {period}".strip())
        top = max(top, float(c["cap"]))
    ax.set_xticks(range(len(reports)), labels, fontsize=8)
    ax.set_xlim(-0.8, len(reports) - 0.2)
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel(f"{unit}s reported")
    ax.yaxis.set_major_formatter(lambda v, _pos: _fmt(v) if v else "0")
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.legend(loc="upper left", fontsize=8, frameon=True, framealpha=0.9, title="caps (horizontal lines)",
              title_fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def draw_claims_matrix(matrix: pd.DataFrame, ax) -> None:
    """Heatmap (``imshow``) of the frame of :func:`claims_matrix`: claimants down, stance / hedge across,
    the count written in each non-empty cell; denials in a red colour scale, assertions in blue."""
    import numpy as np
    from matplotlib.colors import ListedColormap

    if matrix.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no claims", ha="center", va="center", transform=ax.transAxes)
        return
    values = matrix.to_numpy(dtype=float)
    vmax = max(values.max(), 1.0)
    ax.imshow(np.where(values > 0, np.log1p(values), np.nan), cmap="Blues", aspect="auto", vmin=0,
              vmax=math.log1p(vmax) * 1.15)
    deny_cols = [i for i, (s, _h) in enumerate(matrix.columns) if s == "denies"]
    if deny_cols:
        masked = np.full_like(values, np.nan)
        masked[:, deny_cols] = np.where(values[:, deny_cols] > 0, np.log1p(values[:, deny_cols]), np.nan)
        ax.imshow(masked, cmap=ListedColormap(["#fbd0c8", "#f08a73", "#c0392b"]), aspect="auto", vmin=0,
                  vmax=math.log1p(vmax))
    for (i, j), v in np.ndenumerate(values):
        if v > 0:
            ax.text(j, i, f"{int(v)}", ha="center", va="center", fontsize=8,
                    color="white" if math.log1p(v) > 0.6 * math.log1p(vmax) * 1.15 else "black")
    ax.set_xticks(range(values.shape[1]), [f"{s}\n{h}" for s, h in matrix.columns], fontsize=8)
    ax.set_yticks(range(values.shape[0]), [str(n) for n in matrix.index], fontsize=8)
    ax.set_xticks(np.arange(-0.5, values.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, values.shape[0]), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("stance / hedge")


_KIND_MARKERS = {"transfer": "o", "agreement": "s", "visit": "^", "event": "D", "denial": "X", "role": "v"}


def _dense_window(when: pd.Series, share: float = 0.8) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The shortest date range holding ``share`` of the dates (at least two), where the events are."""
    t = when.sort_values().reset_index(drop=True)
    k = max(2, math.ceil(share * len(t))) if len(t) > 1 else 1
    spans = [(t[i + k - 1] - t[i], i) for i in range(len(t) - k + 1)]
    _span, i = min(spans)
    return t[i], t[i + k - 1]


def _wrap(text: str, width: int, lines: int) -> str:
    """``text`` wrapped at word boundaries to at most ``lines`` lines, shortened with "…" beyond them."""
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = textwrap.shorten(wrapped[-1] + " …", width, placeholder=" …")
        if not wrapped[-1].endswith("…"):
            wrapped[-1] += " …"
    return "\n".join(wrapped)


def draw_timeline(df: pd.DataFrame, ax, *, share: float = 0.8, label_width: int = 62, label_lines: int = 2) -> None:
    """Timeline of the frame of :func:`timeline`: one row per event, oldest at the top, time across.

    The time axis spans where the events are: the shortest period holding ``share`` of them (padded);
    earlier or later events (outliers, e.g. "since 2006") sit in a grey band at that edge, their date
    written beside them. Events with a resolved date are filled markers at that date; events known only
    by a date expression ("on Thursday", "by mid-April") are hollow markers at the publication date of
    their article, their label starting with the expression as written. Marker shape and colour give the
    kind of event (transfer, agreement, visit, ...). Each row is labelled with its summary, wrapped at
    word boundaries to ``label_lines`` lines of ``label_width`` characters (shortened with "…" beyond).
    """
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    df = df.copy()
    df["when"] = pd.to_datetime(df["event_date"].where(df["event_date"].notna(), df["published_on"]))
    df = df[df["when"].notna()]
    if df.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
        return
    df = df.sort_values(["when", "kind", "summary"], kind="stable").reset_index(drop=True)
    lo, hi = _dense_window(df["when"], share)
    span = max(hi - lo, pd.Timedelta(days=20))
    pad = span * 0.06
    band = span * 0.14  # the width of the band for events outside the window
    early, late = df["when"] < lo - pad, df["when"] > hi + pad
    left = lo - pad - (band if early.any() else pd.Timedelta(0))
    right = hi + pad + (band if late.any() else pd.Timedelta(0))
    kinds = sorted(df["kind"].unique(), key=lambda k: (k not in _KIND_MARKERS, k))
    color = {k: f"C{i % 10}" for i, k in enumerate(kinds)}
    labels = []
    for i, r in enumerate(df.itertuples(index=False)):
        dated = pd.notna(r.event_date)
        c = color[r.kind]
        outside = bool(early.iloc[i] or late.iloc[i])
        x = (left + band * 0.3) if early.iloc[i] else (right - band * 0.3) if late.iloc[i] else r.when
        ax.plot([x], [i], marker=_KIND_MARKERS.get(r.kind, "o"), ms=7, ls="", color=c, mfc=c if dated else "white",
                mew=1.5, zorder=3)
        if outside:
            precision = r.date_precision if isinstance(r.date_precision, str) else "day"
            when = (f"{r.when:%Y}" if precision == "year" else f"{r.when:%b %Y}" if precision == "month"
                    else f"{r.when:%d %b %Y}")
            ax.annotate(when, (x, i), xytext=(7, 0), textcoords="offset points", va="center",
                        ha="left" if early.iloc[i] else "right", fontsize=7.5, color="#444444")
            if late.iloc[i]:
                ax.texts[-1].set_position((-7, 0))
        summary = r.summary if isinstance(r.summary, str) else ""
        text = summary if dated or not isinstance(r.date_text, str) else f"“{r.date_text}” {summary}"
        labels.append(_wrap(text, label_width, label_lines))
    ax.set_yticks(range(len(df)), labels, fontsize=7.5, linespacing=1.05)
    ax.set_ylim(len(df) - 0.5, -0.5)
    ax.set_xlim(left, right)
    if early.any():
        ax.axvspan(left, lo - pad, color="#eeeeee", zorder=0)
        ax.text(left + band / 2, -0.5, "earlier", ha="center", va="bottom", fontsize=8, color="#666666")
    if late.any():
        ax.axvspan(hi + pad, right, color="#eeeeee", zorder=0)
        ax.text(right - band / 2, -0.5, "later", ha="center", va="bottom", fontsize=8, color="#666666")
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ticks = [t for t in ax.get_xticks() if mdates.date2num(lo - pad) <= t <= mdates.date2num(hi + pad)]
    ax.set_xticks(ticks)
    ax.grid(axis="x", alpha=0.3)
    ax.grid(axis="y", alpha=0.12)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], marker=_KIND_MARKERS.get(k, "o"), color=color[k], ls="", label=k) for k in kinds]
    handles += [Line2D([], [], marker="o", color="#555555", ls="", label="dated event"),
                Line2D([], [], marker="o", color="#555555", mfc="white", ls="",
                       label="date only as written:\nat publication")]
    if early.any() or late.any():
        handles.append(Line2D([], [], marker="s", color="#dddddd", ms=10, ls="",
                              label="outside the period shown:\ndate written beside"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
