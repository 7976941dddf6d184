"""Ingest cleaning speed on big text files (not a test): is the cleaner linear in its input?

Usage: python benchmarks/cleaner_speed.py [--sizes 1,10,100] [--old]

For each size in MB, a text file is built from the seed articles' lines, each line made
unique by a counter (so the repeated-caption check meets many distinct long lines, its worst
real case), with every 50th line a repeat of an earlier one (which the cleaner drops). The
figures are the seconds to decode the bytes (``ingest.decode_text``) and to clean the text
(``ingest.clean_text``), and MB per second; the last line printed is one JSON object.
``--old`` also times the previous quadratic repeated-line check on the 1 MB input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from warehouse.ingest import clean_text, decode_text  # noqa: E402


def build(mb: int) -> bytes:
    lines = [ln.strip() for f in sorted((ROOT / "seeds").glob("*.txt"))
             for ln in f.read_text(encoding="utf-8").splitlines() if len(ln.strip()) >= 40]
    out: list[str] = []
    size, n = 0, 0
    target = mb * 1_000_000
    while size < target:
        line = f"{lines[n % len(lines)]} [{n}]" if n % 50 else (out[n // 2] if out else lines[0])
        out.append(line)
        out.append("")
        size += len(line) + 2
        n += 1
    return "\n".join(out).encode("utf-8")


def old_repeat_check(text: str) -> float:
    """The repeated-line check as it was before (every line against every earlier line)."""
    t0 = time.perf_counter()
    seen: list[str] = []
    for ln in text.split("\n"):
        s = ln.strip()
        if not s:
            continue
        if any(prev.startswith(s) for prev in seen if len(s) >= 40):
            continue
        seen.append(s)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,10,100", help="sizes in MB, comma-separated")
    ap.add_argument("--old", action="store_true", help="also time the old quadratic check on 1 MB")
    args = ap.parse_args(argv)
    results = {}
    for mb in (int(x) for x in args.sizes.split(",")):
        data = build(mb)
        t0 = time.perf_counter()
        text, _enc = decode_text(data)
        t1 = time.perf_counter()
        body, _info = clean_text(text)
        t2 = time.perf_counter()
        results[f"{mb}MB"] = {"bytes": len(data), "decode_s": round(t1 - t0, 3), "clean_s": round(t2 - t1, 3),
                              "clean_mb_per_s": round(len(data) / 1e6 / (t2 - t1), 1),
                              "kept_chars": len(body)}
        print(f"{mb:>4} MB: decode {t1 - t0:6.2f} s, clean {t2 - t1:6.2f} s "
              f"({len(data) / 1e6 / (t2 - t1):.1f} MB/s)", flush=True)
    if args.old:
        text = build(1).decode("utf-8")
        results["old_check_1MB_s"] = round(old_repeat_check(text), 2)
        print(f"old repeated-line check on 1 MB: {results['old_check_1MB_s']} s", flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
