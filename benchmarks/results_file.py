"""Keep the measured figures in benchmarks/RESULTS.md: one generated block per corpus size.

The prose of RESULTS.md (what is measured, growth, targets, profile) is written by hand; the
block for N articles, between its two markers, is rewritten by every ``python -m benchmarks``
run of that size (runs of 10,000 articles or more, or any run given ``--results``).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "## Raw results (the last line of `python -m benchmarks --articles N --out DIR`)"


def block(result: dict, when: datetime | None = None) -> str:
    n = result["articles"]
    m = result.get("machine", {})
    when = when or datetime.now(UTC)
    return (
        f"<!-- benchmark articles={n}: written by python -m benchmarks -->\n"
        f"{n:,} articles, run {when:%Y-%m-%d %H:%M} UTC on {m.get('cpu', '?')}, {m.get('nproc', '?')} cores, "
        f"{m.get('ram_gb', '?')} GiB RAM, Python {m.get('python', '?')}, duckdb {m.get('duckdb', '?')}:\n\n"
        f"```json\n{json.dumps(result, sort_keys=True)}\n```\n"
        f"<!-- end benchmark articles={n} -->"
    )


def update(path: Path, result: dict, when: datetime | None = None) -> None:
    """Replace (or add, in size order under the raw-results heading) the block for this size."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{HEADING}\n"
    n = result["articles"]
    new = block(result, when)
    pattern = re.compile(rf"<!-- benchmark articles={n}: .*?<!-- end benchmark articles={n} -->", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: new, text)
    else:
        if HEADING not in text:
            text = text.rstrip("\n") + f"\n\n{HEADING}\n"
        sizes = sorted(int(s) for s in re.findall(r"<!-- end benchmark articles=(\d+) -->", text))
        after = [s for s in sizes if s > n]
        if after:
            anchor = f"<!-- benchmark articles={after[0]}: "
            i = text.index(anchor)
            text = text[:i] + new + "\n\n" + text[i:]
        else:
            text = text.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text, encoding="utf-8")
