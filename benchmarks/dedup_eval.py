"""Precision and recall of near-duplicate and same-story detection on tests/data/dedup (not a test).

Usage: python benchmarks/dedup_eval.py [--split dev|test|all|holdout]

The labeled pairs (tests/data/dedup/pairs.csv, written for the project) are split by story
family: families with an even number (in the README's table order) are dev, odd ones test.
The thresholds in warehouse/stories.py were tuned on dev only; test was scored once.
`--split holdout` scores the separate blind set in tests/data/dedup/holdout/ (its own articles,
meta.csv and pairs.csv; every pair counts), written after the tuning and meant to be scored once.

The articles are ingested into a fresh warehouse the way `warehouse ingest` does (each file's
text with its metadata row: publisher, published, url), in file order. A pair is predicted a
duplicate when the two articles are joined by a chain of duplicate links, and the same story
when they share a story id. A gold duplicate is also a gold same-story pair. The last line
printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from warehouse.db import writer  # noqa: E402
from warehouse.etl import ingest_files, init_warehouse  # noqa: E402

DATA = ROOT / "tests" / "data" / "dedup"
HOLDOUT = DATA / "holdout"


def families() -> list[tuple[int, int]]:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    return [(int(a), int(b)) for a, b in re.findall(r"^\| [^|]+ \| (\d{3})–(\d{3}) \|", readme, re.M)]


def split_of(name: str, fams: list[tuple[int, int]]) -> str:
    n = int(name[:3])
    index = next(i for i, (a, b) in enumerate(fams) if a <= n <= b)
    return "dev" if index % 2 == 0 else "test"


def build(folder: Path, data: Path = DATA) -> tuple[dict[str, str], dict[str, str], set[frozenset]]:
    """Ingest the set in `data` (the first set, or HOLDOUT); returns file -> story id,
    file -> duplicate-group root, and an empty set (kept for callers)."""
    import duckdb

    meta = {r["file"]: r for r in csv.DictReader((data / "articles" / "meta.csv").open(encoding="utf-8"))}
    jsonl = folder / "articles.jsonl"
    files = sorted(p.name for p in (data / "articles").glob("*.txt"))
    with jsonl.open("w", encoding="utf-8") as fh:
        for f in files:
            m = meta[f]
            row = {"text": (data / "articles" / f).read_text(encoding="utf-8"), "publisher": m["publisher"],
                   "published": m["published"], "url": m["url"]}
            fh.write(json.dumps(row) + "\n")
    db = folder / "w.duckdb"
    with writer(db) as engine:
        init_warehouse(engine)
        articles, _new, _batch = ingest_files(engine, [jsonl])
    by_line = {f"articles.jsonl#{i}": f for i, f in enumerate(files, start=1)}
    article_of = {by_line[a.origin_file]: a.article_id for a in articles}
    file_of = {v: k for k, v in article_of.items()}
    con = duckdb.connect(str(db), read_only=True)
    try:
        story = dict(con.execute("SELECT article_id, story_id FROM article_stories").fetchall())
        links = con.execute("SELECT article_a, article_b FROM article_links WHERE relation = 'duplicate'").fetchall()
    finally:
        con.close()
    parent = {f: f for f in files}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(file_of[a]), find(file_of[b])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    dup_root = {f: find(f) for f in files}
    return {f: story[article_of[f]] for f in files}, dup_root, set()


def split_pairs(split: str) -> list[dict]:
    """The first set's pairs in `split` (dev, test or all)."""
    fams = families()
    return [p for p in csv.DictReader((DATA / "pairs.csv").open(encoding="utf-8"))
            if split == "all" or split_of(p["a"], fams) == split]


def holdout_pairs() -> list[dict]:
    """Every pair of the blind holdout set (no split)."""
    return list(csv.DictReader((HOLDOUT / "pairs.csv").open(encoding="utf-8")))


def score(pairs: list[dict], story: dict, dup_root: dict) -> dict:
    out = {}
    for facet, gold_of, pred_of in (
        ("duplicate", lambda p: p["label"] == "duplicate", lambda p: dup_root[p["a"]] == dup_root[p["b"]]),
        ("same_story", lambda p: p["label"] in ("duplicate", "same_story"), lambda p: story[p["a"]] == story[p["b"]]),
    ):
        tp = sum(1 for p in pairs if gold_of(p) and pred_of(p))
        fp = sum(1 for p in pairs if not gold_of(p) and pred_of(p))
        fn = sum(1 for p in pairs if gold_of(p) and not pred_of(p))
        out[facet] = {"pairs": len(pairs), "gold": tp + fn, "predicted": tp + fp, "tp": tp,
                      "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                      "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
                      "false_positives": [f"{p['a']} ~ {p['b']} ({p['kind']})" for p in pairs
                                          if not gold_of(p) and pred_of(p)],
                      "misses": [f"{p['a']} ~ {p['b']} ({p['kind']})" for p in pairs if gold_of(p) and not pred_of(p)]}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all", "holdout"), default="dev")
    args = ap.parse_args(argv)
    data = HOLDOUT if args.split == "holdout" else DATA
    pairs = holdout_pairs() if args.split == "holdout" else split_pairs(args.split)
    with tempfile.TemporaryDirectory() as tmp:
        story, dup_root, _ = build(Path(tmp), data)
    result = score(pairs, story, dup_root)
    for facet, s in result.items():
        print(f"{args.split:<4} {facet:<10} pairs {s['pairs']:>3}  gold {s['gold']:>3}  predicted {s['predicted']:>3}  "
              f"precision {s['precision']:.3f}  recall {s['recall']:.3f}")
        for line in s["false_positives"]:
            print(f"     false: {line}")
        for line in s["misses"]:
            print(f"     miss:  {line}")
    print(json.dumps({args.split: {k: {x: v[x] for x in ("pairs", "gold", "predicted", "tp", "precision", "recall")}
                                   for k, v in result.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
