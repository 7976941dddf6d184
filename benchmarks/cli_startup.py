"""Start-up time of the ``warehouse`` command (not a test): each command run N times as a subprocess.

Usage: python benchmarks/cli_startup.py [-n 10] [--db W.duckdb] [--view transfer_reports] [--baseline DIR]

Commands timed: ``warehouse --help``, ``warehouse ask VIEW`` (stdout a pipe: the plain
output) and ``warehouse ask VIEW --format csv``, on the warehouse ``--db`` (default: one
built from seeds/ in a temporary folder, not timed). Each run is the whole process, from
start to exit (wall seconds, ``time.perf_counter``), its output read and thrown away; one
untimed warm-up run per command first. ``--baseline DIR`` also runs every command from
another source tree (e.g. ``git worktree add /tmp/before HEAD~1``: DIR is put first on
PYTHONPATH), alternating with this one run by run so that both see the same machine. Prints
min / median / max per command and, last, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = (sys.executable, "-c", "from warehouse.cli import main; main()")


def _env(tree: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "WAREHOUSE_DB")}
    path = str(tree) if tree is not None else str(ROOT)
    env["PYTHONPATH"] = path + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def once(args: list[str], env: dict[str, str], cwd: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([*CLI, *args], env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')[:300]}")
    return elapsed


def stats(xs: list[float]) -> dict[str, float]:
    return {"min": round(min(xs), 4), "median": round(statistics.median(xs), 4), "max": round(max(xs), 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=10, help="timed runs per command (default 10)")
    ap.add_argument("--db", type=Path, default=None, help="warehouse to ask (default: built from seeds/)")
    ap.add_argument("--view", default="transfer_reports", help="the view asked (default transfer_reports)")
    ap.add_argument("--baseline", type=Path, default=None, help="another source tree, timed in turn with this one")
    opts = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        db = opts.db
        if db is None:
            db = Path(tmp) / "seed.duckdb"  # (the runs start in TMP: python -c puts the cwd first on sys.path)
            subprocess.run([*CLI, "--db", str(db), "run", str(ROOT / "seeds"), "--quiet"], env=_env(None),
                           stdout=subprocess.DEVNULL, check=True)
        commands = {
            "help": ["--help"],
            "ask": ["--db", str(db), "ask", opts.view],
            "ask_csv": ["--db", str(db), "ask", opts.view, "--format", "csv"],
        }
        trees = {"current": None} | ({"baseline": opts.baseline.resolve()} if opts.baseline else {})
        times: dict[str, dict[str, list[float]]] = {t: {c: [] for c in commands} for t in trees}
        for cmd, args in commands.items():
            for tree in trees.values():
                once(args, _env(tree), tmp)  # warm-up: file cache, .pyc
            for _ in range(opts.runs):
                for label, tree in trees.items():
                    times[label][cmd].append(once(args, _env(tree), tmp))
    result: dict = {"runs": opts.runs, "view": opts.view}
    for label in trees:
        result[label] = {cmd: stats(xs) for cmd, xs in times[label].items()}
        for cmd, s in result[label].items():
            print(f"{label:<9} {cmd:<8} wall s  min {s['min']:.3f}  median {s['median']:.3f}  max {s['max']:.3f}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
