"""Extraction quality on articles the rules were not written from.

tests/data/heldout holds eight articles written for this project with curated gold records:
01-04 are the dev split (used while improving the rules), 05-08 the test split (scored only,
never used to write rules). The floors sit a little under the figures measured when they were
set (extractor 0.5.0: transfer F1 seeds 0.945, dev 0.930, test 0.657), so a change that makes
the extractor worse on unseen text fails here. Extractor 0.6.0 (floors unchanged): seeds 0.945, dev
0.901 -- firms now stand for their state as suppliers (the convention of tests/data/eval), so dev
03 t13 (org:rheinmetall in this gold) is recorded as country:DEU and no longer matches.
Extractor 0.7.0 (floors unchanged): seeds 0.945, dev 0.901, test 0.727 (precision 0.848).
Extractor 0.8.0 (floors unchanged): seeds 0.937, dev 0.886, test 0.744 (precision 0.853). Seeds and dev give the
same transfers, one by one, as the last 0.7.0 commit (19bf6bb, compared on 2026-12-01); their 0.945 / 0.901 above
were measured at an earlier 0.7.0 commit. Extractor 0.9.0 (floors unchanged): seeds 0.937, dev 0.889, test 0.805
(precision 0.868). Extractor 0.10.0: the same figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.evaluate import evaluate
from warehouse.extract import extract_many
from warehouse.load import read_records
from warehouse.paths import SEEDS_DIR

HELDOUT = Path(__file__).parent / "data" / "heldout" / "records"
SPLITS = {
    "seeds": (sorted((SEEDS_DIR / "records").glob("*.json")), 0.90),
    "dev": (sorted(HELDOUT.glob("0[1-4]_*.json")), 0.85),
    "test": (sorted(HELDOUT.glob("0[5-8]_*.json")), 0.60),
}


@pytest.mark.parametrize("split", sorted(SPLITS))
def test_transfer_f1_floor(split):
    files, floor = SPLITS[split]
    assert len(files) >= 4
    gold = [sr.record for sr in read_records(files)]
    pred = extract_many([{"text": g.article.text, "title": g.article.title, "publisher": g.article.publisher,
                          "published": g.article.published, "published_precision": g.article.published_precision}
                         for g in gold])
    report = evaluate(gold, pred)
    f1 = report.scores["transfers"].f1
    assert f1 >= floor, f"{split}: transfer F1 {f1:.3f} fell below {floor}"
    assert report.scores["transfers"].precision >= 0.8
