"""Extraction speed: words per second with 1 and 2 worker processes (not a test).

Usage: python benchmarks/extract_speed.py [--repeat N] [--articles N]

The corpus is the seed articles' cleaned texts, each repeated ``--repeat`` times into
one longer article (so per-article overhead does not dominate), cycled to ``--articles``
articles. The spaCy pipeline is built once per process before timing starts; with 2
workers the time includes starting the worker processes (each builds its pipeline once).
Wall-clock figures depend on what else runs on the machine; the CPU-time figure for one
worker does not.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from warehouse.extract import extract_many  # noqa: E402
from warehouse.extract.pipeline import nlp_and_matcher  # noqa: E402
from warehouse.ingest import find_article_files, read_articles  # noqa: E402


def corpus(repeat: int, articles: int) -> list[dict]:
    seeds = [a for f in find_article_files([ROOT / "seeds"]) for a in read_articles(f)]
    out = []
    for i in range(articles):
        a = seeds[i % len(seeds)]
        text = "\n\n".join([a.cleaned_text] * repeat)
        out.append({"text": text, "published": a.published, "published_precision": a.published_precision})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=4, help="copies of a seed text per article")
    ap.add_argument("--articles", type=int, default=40, help="articles in the corpus")
    args = ap.parse_args()
    items = corpus(args.repeat, args.articles)
    words = sum(len(it["text"].split()) for it in items)
    nlp_and_matcher()  # warm the pipeline in this process
    extract_many(items[:2])
    results = {}
    for workers in (1, 2):
        t0, c0 = time.perf_counter(), time.process_time()
        recs = extract_many(items, workers=workers)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        results[workers] = recs
        line = f"workers={workers}: {words:,} words in {elapsed:.2f} s = {words / elapsed:,.0f} words/s"
        if workers == 1:  # on a busy machine the CPU time of this process is the fairer measure
            line += f" (CPU {cpu:.2f} s = {words / cpu:,.0f} words/s per core)"
        print(line)
    same = [r.model_dump() for r in results[1]] == [r.model_dump() for r in results[2]]
    print(f"identical results for 1 and 2 workers: {same}")


if __name__ == "__main__":
    main()
