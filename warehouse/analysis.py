"""Analyst helpers for the notebooks: find or build the warehouse, read the views, draw figures.

The notebooks in ``notebooks/`` call these functions instead of repeating SQL::

    from warehouse import analysis

    db_path = analysis.ensure_warehouse()          # $WAREHOUSE_DB, else ./warehouse.duckdb
    with analysis.connect(db_path) as con:         # read-only, closed on exit
        flows = analysis.flows(con)
    G = analysis.transfer_graph(flows)
    analysis.draw_transfer_network(G, ax)

Every reader takes ``db``: an open DuckDB connection (from :func:`connect`) or a path to the
warehouse file (opened read-only for that one query and closed again). Readers return plain
pandas DataFrames with list columns as Python lists; graph builders and plotting helpers take
those frames and never touch the database, so they can be tested on hand-made frames.
Plotting uses matplotlib only and draws on the ``Axes`` it is given (safe under the Agg backend).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import networkx as nx
import pandas as pd

from .db import open_duckdb
from .paths import SEEDS_DIR, default_db_path
from .query import ask
from .schema import HEDGES, ITEM_CATEGORIES, STANCES

__all__ = [
    "ensure_warehouse", "connect", "views", "read_view", "claims_matrix_from_counts", "flows",
    "exchanges", "figure_ranges", "claims_matrix", "contested", "sanctions", "timeline",
    "transfer_flows", "transfer_graph", "category_colors", "network_layout", "draw_top_flows",
    "draw_transfer_network", "draw_quantity_ranges", "draw_sanctions", "draw_claims_matrix",
    "draw_timeline",
]

Db = duckdb.DuckDBPyConnection | Path | str | None

# ---------------------------------------------------------------- opening


def ensure_warehouse(path: Path | str | None = None, seeds: Path | str | None = None) -> Path:
    """The warehouse file to analyse, built from the seed articles when it does not exist yet.

    ``path`` defaults to ``$WAREHOUSE_DB``, else ``./warehouse.duckdb`` (as the CLI does). When no file
    is there, ``warehouse.etl.run`` builds one from ``seeds`` (default: the project's ``seeds/``
    folder, its curated records included). An existing file is left untouched. Returns the path.
    """
    db_path = Path(path) if path is not None else default_db_path()
    if not db_path.exists():
        from . import etl

        db_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            etl.run(db_path, [Path(seeds) if seeds is not None else SEEDS_DIR])
        except BaseException:
            # no half-built file: the next call would take it for a warehouse
            for leftover in (db_path, db_path.with_name(db_path.name + ".wal")):
                leftover.unlink(missing_ok=True)
            raise
    return db_path


@contextmanager
def connect(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only DuckDB connection to the warehouse (default: ``$WAREHOUSE_DB``), closed on exit.

    Raises ``warehouse.db.WarehouseMissing`` when the file does not exist (call
    :func:`ensure_warehouse` first) and ``WarehouseBusy`` while a writer holds it.
    """
    with open_duckdb(Path(path) if path is not None else default_db_path(), read_only=True) as con:
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
    return ask(Path(db) if db is not None else None, name)


def views() -> pd.DataFrame:
    """The canned views and the question each answers (view, question, grain), from ``sql/views``."""
    from .query import list_views

    return pd.DataFrame(list_views())[["view", "question", "grain"]]


# ---------------------------------------------------------------- readers


def flows(db: Db) -> pd.DataFrame:
    """``transfer_flows``: one row per (supplier, recipient, item category), most reported first."""
    return _lists(read_view(db, "transfer_flows"), "statuses", "claimants", "denied_by")


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


def draw_transfer_network(G: nx.MultiDiGraph, ax, *, seed: int = 7, layout: dict | None = None) -> dict:
    """Draw the supplier -> recipient network on ``ax``: arrows coloured by item category, width by
    number of reports, parallel flows between the same pair as separate arcs, dashed when denied.

    A legend names the categories and the width scale. Returns the node positions used.
    """
    import matplotlib.patheffects as pe
    from matplotlib.lines import Line2D

    ax.set_axis_off()
    if G.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no transfer flows in the warehouse", ha="center", va="center", transform=ax.transAxes)
        return {}
    pos = layout if layout is not None else network_layout(G, seed=seed)
    categories = sorted({d["category"] for _, _, d in G.edges(data=True)}, key=_category_order)
    colors = category_colors(categories)
    max_reports = max(d["reports"] for _, _, d in G.edges(data=True))

    def width(reports: int) -> float:
        return 1.0 + 5.0 * (reports - 1) / max(max_reports - 1, 1)

    node_size = 900
    for u, v in {(u, v) for u, v in G.edges()}:
        edges = sorted(G.get_edge_data(u, v).values(), key=lambda d: _category_order(d["category"]))
        n = len(edges)
        for i, d in enumerate(edges):
            rad = 0.1 + 0.09 * i if n > 1 else 0.12  # all on one side: the reverse direction takes the other
            ax.annotate("", xy=pos[v], xytext=pos[u], zorder=1,
                        arrowprops={"arrowstyle": "-|>", "color": colors[d["category"]], "lw": width(d["reports"]),
                                    "shrinkA": 16, "shrinkB": 16, "mutation_scale": 14,
                                    "linestyle": "--" if d.get("denied") else "-",
                                    "connectionstyle": f"arc3,rad={rad:.3f}"})
    xs, ys = zip(*(pos[n] for n in G.nodes()), strict=True)
    ax.scatter(xs, ys, s=node_size, c="#f2f2f2", edgecolors="#555555", linewidths=1.2, zorder=2)
    for node, (x, y) in pos.items():
        ax.text(x, y, G.nodes[node].get("name", node), ha="center", va="center", fontsize=9, zorder=3,
                path_effects=[pe.withStroke(linewidth=3, foreground="white")])
    pad = 0.45
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    handles = [Line2D([], [], color=colors[c], lw=3, label=_pretty(c)) for c in categories]
    scale = sorted({1, max_reports} | ({(1 + max_reports) // 2} if max_reports > 2 else set()))
    handles += [Line2D([], [], color="#777777", lw=width(r), label=f"{r} report{'s' if r != 1 else ''}")
                for r in scale]
    if any(d.get("denied") for _, _, d in G.edges(data=True)):
        handles.append(Line2D([], [], color="#777777", lw=1.5, ls="--", label="denied by someone"))
    ax.legend(handles=handles, title="item category / width", loc="upper left", bbox_to_anchor=(1.0, 1.0),
              fontsize=8, title_fontsize=9, frameon=False)
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
            local = {part[0]: (0.0, 1.0), part[1]: (0.0, -1.0)}
        else:
            local = nx.spring_layout(sub, seed=seed, k=2.0 / math.sqrt(len(part)), scale=1.0)
        xs = [float(p[0]) for p in local.values()]
        width = max(xs) - min(xs)
        for n, (x, y) in local.items():
            pos[n] = (x0 + float(x) - min(xs), float(y))
        x0 += width + 1.0
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


def draw_timeline(df: pd.DataFrame, ax, *, max_label: int = 80) -> None:
    """Timeline of the frame of :func:`timeline`: one row per event, oldest at the top, time across.

    Events with a resolved date are filled markers at that date; events known only by a date
    expression ("on Thursday", "by mid-April") are hollow markers at the publication date of their
    article, their label starting with the expression as written. Marker shape and colour give the
    kind of event (transfer, agreement, visit, ...); each row is labelled with its summary.
    """
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    df = df.copy()
    df["when"] = df["event_date"].where(df["event_date"].notna(), df["published_on"])
    df = df[df["when"].notna()]
    if df.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
        return
    df = df.sort_values(["when", "kind", "summary"], kind="stable").reset_index(drop=True)
    kinds = sorted(df["kind"].unique(), key=lambda k: (k not in _KIND_MARKERS, k))
    color = {k: f"C{i % 10}" for i, k in enumerate(kinds)}
    labels = []
    for i, r in enumerate(df.itertuples(index=False)):
        dated = pd.notna(r.event_date)
        c = color[r.kind]
        ax.plot([r.when], [i], marker=_KIND_MARKERS.get(r.kind, "o"), ms=7, ls="", color=c,
                mfc=c if dated else "white", mew=1.5)
        summary = r.summary if isinstance(r.summary, str) else ""
        text = summary if dated or not isinstance(r.date_text, str) else f"“{r.date_text}” {summary}"
        labels.append(text if len(text) <= max_label else text[: max_label - 1] + "…")
    ax.set_yticks(range(len(df)), labels, fontsize=7.5)
    ax.set_ylim(len(df) - 0.5, -0.5)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="both", alpha=0.25)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], marker=_KIND_MARKERS.get(k, "o"), color=color[k], ls="", label=k) for k in kinds]
    handles += [Line2D([], [], marker="o", color="#555555", ls="", label="dated event"),
                Line2D([], [], marker="o", color="#555555", mfc="white", ls="",
                       label="date only as written: at publication")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
