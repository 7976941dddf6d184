"""Read-only access for analysts: the canned views as pandas frames, and renderers.

Notebooks and ``warehouse ask`` use these. Every function opens the warehouse
read-only and closes it before returning, so a running load is never blocked for long
and asking never changes the file.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .db import WarehouseError, open_duckdb
from .paths import default_db_path

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

# pandas is imported by the functions that return or take a DataFrame, not by this module:
# ``warehouse ask`` fetches rows with DuckDB and renders them from Python tuples (``ask_rows``).


def list_views() -> list[dict]:
    from .views import load_views

    return [{"view": v.name, "question": v.question, "grain": v.grain, "columns": v.columns} for v in load_views()]


def frame(rows: list[dict]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows)


def view_names() -> list[str]:
    from .views import load_views

    return [v.name for v in load_views()]


class PredicateError(WarehouseError):
    """A ``--where`` that is not one boolean expression on a view's columns."""


def parse_predicate(where: str) -> duckdb.Expression:
    """``where`` as one SQL expression, parsed by DuckDB's own parser, or PredicateError.

    Refused: stacked statements (``;``), comments (``--`` or ``/* */``, which could swallow
    what follows), and anything DuckDB does not parse as exactly one expression. The
    expression is then attached to the query as a parsed node (``relation.filter``), never
    pasted into SQL text. What it may call is limited by the sandboxed connection
    (``db.SANDBOX_CONFIG``): even a subquery over ``read_text`` cannot reach a file.
    """
    import duckdb

    text = where.strip()
    if not text:
        raise PredicateError("--where: empty predicate")
    if "\x00" in text:
        raise PredicateError("--where: NUL character in the predicate")
    try:
        tokens = duckdb.tokenize(text)
    except duckdb.Error as exc:
        raise PredicateError(f"--where: not a SQL expression: {_first_line(exc)}") from exc
    for start, kind in tokens:
        if kind == duckdb.token_type.comment:
            raise PredicateError(f"--where: comments are not allowed (at character {start + 1})")
        if kind == duckdb.token_type.operator and text[start] == ";":
            raise PredicateError(f"--where: one expression only, ';' found at character {start + 1}")
    try:
        return duckdb.SQLExpression(text)
    except (duckdb.Error, RuntimeError, ValueError) as exc:
        raise PredicateError(f"--where: not a single SQL expression: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Rows(NamedTuple):
    """A result as DuckDB returns it, without pandas: column names, DuckDB type names, row tuples."""

    columns: list[str]
    types: list[str]
    rows: list[tuple]

    def select(self, names: Sequence[str]) -> Rows:
        """Only the columns NAMES, in that order (each must be one of ``columns``)."""
        idx = [self.columns.index(n) for n in names]
        return Rows([self.columns[i] for i in idx], [self.types[i] for i in idx],
                    [tuple(r[i] for i in idx) for r in self.rows])


def ask(db: Path | str | None, name: str, where: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Rows of the canned view NAME, optionally filtered by one boolean SQL expression.

    The view name must be a canned view and ``where`` one expression (``parse_predicate``);
    the query runs on a sandboxed read-only connection (``open_duckdb``).
    """
    return _ask(db, name, where, limit, lambda rel: rel.df())


def ask_rows(db: Path | str | None, name: str, where: str | None = None, limit: int | None = None) -> Rows:
    """``ask`` without pandas: the same checks and query, the rows as Python tuples (``Rows``)."""
    return _ask(db, name, where, limit, lambda rel: Rows(list(rel.columns), [str(t) for t in rel.types],
                                                         rel.fetchall()))


def _ask(db: Path | str | None, name: str, where: str | None, limit: int | None, fetch: Callable):
    import duckdb

    if name not in view_names():
        raise WarehouseError(f"unknown view {name!r}; 'warehouse ask' lists the views")
    predicate = parse_predicate(where) if where is not None else None
    if limit is not None and limit < 0:
        raise WarehouseError("--limit must be 0 or more")
    db = Path(db) if db is not None else default_db_path()
    with open_duckdb(db, read_only=True) as con:
        try:
            rel = con.sql(f'SELECT * FROM "{name}"')
            if predicate is not None:
                rel = rel.filter(predicate)
            if limit is not None:
                rel = rel.limit(int(limit))
            return fetch(rel)
        except duckdb.Error as exc:
            raise WarehouseError(f"view {name}: {_first_line(exc)}") from exc


def sql_frame(db: Path | str | None, sql: str, params: list | None = None, what: str = "query") -> pd.DataFrame:
    """Run read-only SQL against the warehouse and return a DataFrame.

    The connection is sandboxed (``open_duckdb``): the SQL sees the warehouse and nothing else,
    cannot write, attach, install or load extensions, or touch any file.
    """
    import duckdb

    db = Path(db) if db is not None else default_db_path()
    with open_duckdb(db, read_only=True) as con:
        try:
            return con.execute(sql, params or []).df()
        except duckdb.Error as exc:
            raise WarehouseError(f"{what}: {_first_line(exc)}") from exc


# articles whose current record is curated / an extractor's / none; stored records that are not current
ARTICLES_BY_RECORD_SQL = (
    "SELECT count(*) FILTER (WHERE r.extractor = 'curated'), count(*) FILTER (WHERE r.extractor <> 'curated'), "
    "count(*) FILTER (WHERE r.article_id IS NULL) FROM articles a LEFT JOIN current_records r USING (article_id)"
)
SUPERSEDED_SQL = (
    "SELECT count(*) FROM article_extractions x ANTI JOIN current_records r "
    "ON r.article_id = x.article_id AND r.extractor = x.extractor"
)


def status(db: Path | str | None) -> dict:
    """The warehouse at a glance (read-only): revision, articles by current record, superseded, batches."""
    db = Path(db) if db is not None else default_db_path()
    with open_duckdb(db, read_only=True) as con:
        def one(sql: str):
            return con.execute(sql).fetchone()

        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        rev = one("SELECT version_num FROM alembic_version")[0] if "alembic_version" in tables else None
        if "current_records" not in tables:
            raise WarehouseError(f"{db}: schema {rev or 'base'} is older than this geo-warehouse; run 'warehouse init'")
        cur, ext, none = one(ARTICLES_BY_RECORD_SQL)
        superseded = one(SUPERSEDED_SQL)[0]
        batches, failed, last = one("SELECT count(*), count(*) FILTER (WHERE outcome = 'failed'), "
                                    "max(started_at)::VARCHAR FROM load_batches")
    return {"revision": rev, "articles": cur + ext + none, "curated": cur, "extracted": ext, "without_record": none,
            "superseded": superseded, "batches": batches, "failed_batches": failed, "last_batch": last}


def current_revision(db: Path) -> str | None:
    with open_duckdb(db, read_only=True) as con:
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'alembic_version'"
        ).fetchone()[0]
        if not has:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


# ---------------------------------------------------------------- rendering
#
# Every renderer takes column names and an iterable of row tuples (``Rows``, or a DataFrame's
# ``itertuples``), so ``warehouse ask`` never needs pandas. Cells go through ``_plain`` (a
# JSON-friendly value) and ``_cell_text`` (its text: '' for NULL, lists and structs as JSON).

FORMATS = ("csv", "tsv", "json", "jsonl", "markdown", "vertical")
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
            "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")


def _pandas():
    return sys.modules.get("pandas")  # a pandas value can only reach us if pandas is imported


def _plain(value):
    """A JSON-friendly Python value for one cell (lists, structs, dates, NaN)."""
    pd = _pandas()
    if value is None or (pd is not None and value is pd.NaT):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and +-Infinity are not JSON
    if isinstance(value, str | bool | int):
        return value
    if isinstance(value, datetime | date):  # pd.Timestamp is a datetime
        if isinstance(value, datetime) and value == datetime(value.year, value.month, value.day):
            return value.date().isoformat()  # DATE columns arrive as midnight timestamps
        return value.isoformat()
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value) if abs(value) < 2**53 else value
    if hasattr(value, "item"):
        return _plain(value.item())
    if isinstance(value, Decimal):  # DECIMAL columns: a number, as pandas makes them
        return _plain(float(value))
    if isinstance(value, time | timedelta) or type(value).__name__ == "UUID":
        return str(value)
    if pd is not None:
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
    return value


def records(df: pd.DataFrame) -> list[dict]:
    return [{c: _plain(v) for c, v in zip(df.columns, row, strict=True)} for row in df.itertuples(index=False)]


def _cell_text(value) -> str:
    v = _plain(value)
    if v is None:
        return ""
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _tsv_cell(value) -> str:
    text = _cell_text(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def render(df: pd.DataFrame, fmt: str) -> str:
    """csv, tsv, json (a list of objects), jsonl (one object a line), markdown or vertical, of a DataFrame."""
    return render_rows([str(c) for c in df.columns], df.itertuples(index=False, name=None), fmt)


def render_rows(columns: Sequence[str], rows: Iterable[Sequence], fmt: str, width: int | None = None,
                title: str | None = None) -> str:
    """The rows in FMT (see ``FORMATS``); lists and structs as JSON in csv, tsv, markdown and vertical.

    tsv: a header line, then one line per row, cells separated by tabs; NULL is the empty string and
    a backslash, tab, newline or carriage return in a cell is written \\\\, \\t, \\n, \\r.
    json and jsonl never hold NaN or Infinity (they are null). ``width`` and ``title``: vertical only.
    """
    columns = list(columns)
    if fmt in ("json", "jsonl"):
        objs = ({c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows)
        if fmt == "jsonl":
            return "".join(json.dumps(o, ensure_ascii=False, allow_nan=False) + "\n" for o in objs)
        return json.dumps(list(objs), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        out.writerow(columns)
        out.writerows([_cell_text(v) for v in row] for row in rows)
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(_tsv_cell(c) for c in columns)]
        lines.extend("\t".join(_tsv_cell(v) for v in row) for row in rows)
        return "\n".join(lines) + "\n"
    if fmt == "markdown":

        def esc(s: str) -> str:
            return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = [
            "| " + " | ".join(esc(str(c)) for c in columns) + " |",
            "| " + " | ".join("---" for _ in columns) + " |",
        ]
        for row in rows:
            lines.append("| " + " | ".join(esc(_cell_text(v)) for v in row) + " |")
        return "\n".join(lines) + "\n"
    if fmt == "vertical":
        return vertical(columns, rows, width=width, title=title)
    raise ValueError(f"unknown format {fmt!r}")


# ---------------------------------------------------------------- terminal layouts


def _width(text: str) -> int:
    """Terminal cells TEXT takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _chop(word: str, width: int) -> tuple[str, str]:
    """The longest head of WORD that takes at most WIDTH cells (at least one character), and the rest."""
    if word.isascii():
        return word[:width], word[width:]
    from rich.cells import cell_len

    used = 0
    for i, ch in enumerate(word):
        used += cell_len(ch)
        if used > width:
            return (word[:i], word[i:]) if i else (word[:1], word[1:])
    return word, ""


def _screen(text: str) -> str:
    """Text safe to show on a terminal: tabs as a space, other control characters (ESC ...) as U+FFFD."""
    if text.isprintable():
        return text
    return "".join(" " if c == "\t" else c if c == "\n" or c.isprintable() else "\ufffd" for c in text)


def wrap(text: str, width: int) -> list[str]:
    """TEXT in lines of at most WIDTH cells: broken at spaces, a longer word cut; newlines kept."""
    width = max(1, width)
    out: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for i, word in enumerate(para.split(" ")):
            w = _width(word)
            if i and used + 1 + w <= width:
                line, used = f"{line} {word}", used + 1 + w
                continue
            if i:
                out.append(line)
            while w > width:
                head, word = _chop(word, width)
                out.append(head)
                w = _width(word)
            line, used = word, w
        out.append(line)
    return out


def _value_lines(value, width: int | None) -> list[str]:
    """One cell of the vertical layout: wrapped to WIDTH; a list of lists/structs one element a line."""
    v = _plain(value)
    if isinstance(v, list) and v and any(isinstance(e, list | dict) for e in v):
        whole = json.dumps(v, ensure_ascii=False)
        if width is not None and _width(whole) > width:
            lines: list[str] = []
            for i, e in enumerate(v):  # '[' or ' ', then the element's lines hanging by one, then ',' or ']'
                part = wrap(_screen(json.dumps(e, ensure_ascii=False)), max(1, width - 2))
                part = [("[" if i == 0 and j == 0 else " ") + ln for j, ln in enumerate(part)]
                part[-1] += "]" if i == len(v) - 1 else ","
                lines.extend(part)
            return lines
    text = _screen(_cell_text(value))
    return wrap(text, width) if width is not None else text.split("\n")


def vertical(columns: Sequence[str], rows: Iterable[Sequence], width: int | None = None,
             title: str | None = None) -> str:
    """One block per row: a rule line, then ``column: value`` lines, values aligned and wrapped to WIDTH.

    Lists and structs are compact JSON (a list of them one element a line when it does not fit).
    Plain text (ASCII rules, no colour); ``width`` None: nothing is wrapped (for a pipe).
    """
    columns = [str(c) for c in columns]
    rows = list(rows)
    name_w = max((_width(c) for c in columns), default=0)
    indent = name_w + 2 if width is None else min(name_w + 2, max(12, width // 3))
    if width is not None and width - indent < 8:  # a very narrow terminal: every value below its name
        indent = min(2, width - 1)
    avail = None if width is None else max(1, width - indent)
    rule_w = width if width is not None else 40
    out: list[str] = []
    n = len(rows)
    for i, row in enumerate(rows, 1):
        label = f"-[ {title + ' ' if title else ''}{i}/{n} ]"
        out.append(label + "-" * max(0, rule_w - _width(label)) if _width(label) < rule_w else label[:rule_w])
        for col, value in zip(columns, row, strict=True):
            lines = _value_lines(value, avail)
            head = f"{col}:"
            if _width(head) + 1 > indent:  # a name longer than the indent: the value starts below it
                out.extend([head] if width is None else wrap(head, width))
                out.extend((" " * indent + ln).rstrip() for ln in lines)
                continue
            pad = " " * (indent - _width(head))
            out.append(f"{head}{pad}{lines[0]}".rstrip())
            out.extend((" " * indent + ln).rstrip() for ln in lines[1:])
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"


def table_fits(columns: Sequence[str], rows: Sequence[Sequence], width: int) -> list[int] | None:
    """The column widths of a one-line-per-row table if it fits in WIDTH cells (else None).

    A cell with a newline never fits (the vertical layout shows it)."""
    widths = [_width(str(c)) for c in columns]
    budget = width - (3 * len(columns) + 1)
    if budget < sum(widths):
        return None
    for row in rows:
        for j, v in enumerate(row):
            t = _cell_text(v)
            if "\n" in t:
                return None
            w = _width(_screen(t))
            if w > widths[j]:
                widths[j] = w
        if sum(widths) > budget:
            return None
    return widths


def text_table(columns: Sequence[str], types: Sequence[str] | None, rows: Sequence[Sequence],
               widths: Sequence[int], title: str | None = None) -> str:
    """A boxed table, one line per row, in the given column widths (``table_fits``); numbers right-aligned."""
    types = list(types or [""] * len(columns))
    right = [t.split("(")[0] in _NUMERIC for t in types]

    def cell(text: str, j: int) -> str:
        pad = " " * (widths[j] - _width(text))
        return pad + text if right[j] else text + pad

    def line(cells: Iterable[str]) -> str:
        return "│ " + " │ ".join(cells) + " │"

    out = []
    if title:
        out.append(title)
    out.append("┌" + "┬".join("─" * (w + 2) for w in widths) + "┐")
    out.append(line(str(c) + " " * (widths[j] - _width(str(c))) for j, c in enumerate(columns)))
    out.append("├" + "┼".join("─" * (w + 2) for w in widths) + "┤")
    for row in rows:
        out.append(line(cell(_screen(_cell_text(v)), j) for j, v in enumerate(row)))
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    out.append(f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    return "\n".join(out) + "\n"


def rich_table(df: pd.DataFrame, title: str | None = None):
    """A rich Table of a DataFrame (for notebooks and consoles that wrap cells)."""
    return rich_table_rows([str(c) for c in df.columns], df.itertuples(index=False, name=None), title=title)


def rich_table_rows(columns: Sequence[str], rows: Iterable[Sequence], title: str | None = None):
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(str(c), overflow="fold")
    n = 0
    for row in rows:
        table.add_row(*(_cell_text(v) for v in row))
        n += 1
    table.caption = f"{n} row{'s' if n != 1 else ''}"
    return table
