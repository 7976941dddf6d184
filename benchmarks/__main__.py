"""``python -m benchmarks --articles N [--out DIR] [--skip-extract]``: the last line printed is one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import results_file
from .corpus import DEFAULT_SEED
from .run import run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--articles", type=int, required=True, help="articles in the synthetic corpus")
    ap.add_argument("--out", type=Path, default=None,
                    help="folder for the corpus and the two warehouses (default: a temporary folder, removed)")
    ap.add_argument("--skip-extract", action="store_true", help="do not measure the extractor")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--extract-sample", type=int, default=1000,
                    help="articles the extractor rate is measured on (default 1000)")
    ap.add_argument("--results", type=Path, default=None,
                    help="markdown file whose block for this corpus size is rewritten with the figures "
                         f"(default: {results_file.RESULTS_MD.name} for runs of 10,000 articles or more)")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the library load (slows it down; writes OUT/load.prof, prints the top to stderr)")
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    result = run(args.articles, args.out, skip_extract=args.skip_extract, seed=args.seed,
                 extract_sample=args.extract_sample, profile=args.profile, keep=args.out is not None)
    target = args.results or (results_file.RESULTS_MD if args.articles >= 10_000 else None)
    if target is not None:
        results_file.update(target, result)
        print(f"[bench] figures written to {target}", file=sys.stderr)
    sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
