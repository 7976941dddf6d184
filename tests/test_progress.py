"""Progress callbacks: ingest, run and extraction report real counts (the CLI draws them as bars)."""

from __future__ import annotations

from pathlib import Path

from warehouse import etl
from warehouse.db import writer
from warehouse.extract import extract_many

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_ingest_reports_files_read(fresh_db):
    calls = []
    with writer(fresh_db) as engine:
        etl.ingest_files(engine, [SEEDS], progress=lambda n, t: calls.append((n, t)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_run_reports_reading_extracting_and_loading(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for i, country in enumerate(("Poland", "Estonia", "Romania")):
        (folder / f"{i}.txt").write_text(f"{country} buys tanks\n\nWARSAW (Reuters) - {country} ordered 24 K2 "
                                         "tanks from South Korea, the defence ministry said on Monday.\n")
    calls = []
    etl.run(tmp_path / "w.duckdb", [folder], progress=lambda what, n, t: calls.append((what, n, t)))
    phases = [c[0] for c in calls]
    assert phases[:3] == ["read: files"] * 3 and calls[2] == ("read: files", 3, 3)
    assert [c for c in calls if c[0] == "extract: articles"] == [("extract: articles", i, 3) for i in (1, 2, 3)]
    assert calls[-1] == ("load: records", 3, 3)


def test_extract_many_counts_and_keeps_order_with_two_workers():
    items = [{"text": f"{c} ordered 12 Rafale fighter jets from France, officials said."}
             for c in ("India", "Egypt", "Greece", "Croatia", "Serbia")]
    one, two = [], []
    a = extract_many(items, workers=1, progress=lambda n, t: one.append((n, t)))
    b = extract_many(items, workers=2, progress=lambda n, t: two.append((n, t)))
    assert [r.model_dump_json() for r in a] == [r.model_dump_json() for r in b]
    assert one == two == [(i, 5) for i in range(1, 6)]
