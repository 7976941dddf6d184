"""The blind dedup holdout set (tests/data/dedup/holdout) is well formed.

Only the files are checked here; nothing is ingested or scored (the set is scored once, by
`python benchmarks/dedup_eval.py --split holdout`).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "data" / "dedup" / "holdout"
ARTICLES = HOLDOUT / "articles"

KINDS = {
    "duplicate": {"furniture", "update", "edited_paragraph", "wire_copy"},
    "same_story": {"rewrite"},
    "different": {"same_topic_different_story", "follow_up", "unrelated"},
}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def articles() -> list[str]:
    return sorted(p.name for p in ARTICLES.glob("*.txt"))


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return _rows(HOLDOUT / "pairs.csv")


def test_article_files_are_named_and_sized_like_the_first_set(articles):
    assert len(articles) >= 45
    first = {p.name[:3] for p in (ROOT / "tests" / "data" / "dedup" / "articles").glob("*.txt")}
    for name in articles:
        assert re.fullmatch(r"\d{3}_[a-z0-9_]+\.txt", name), name
        assert name[:3] not in first, f"{name} reuses a number of the first set"
        text = (ARTICLES / name).read_text(encoding="utf-8")
        assert text.split("\n", 1)[0].strip(), f"{name}: line 1 must be the headline"
        assert 170 <= len(text.split()) <= 350, name
    assert len({n[:3] for n in articles}) == len(articles)


def test_meta_has_one_row_per_article_with_day_precision_dates(articles):
    with (ARTICLES / "meta.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["file", "publisher", "published", "url"]
    meta = _rows(ARTICLES / "meta.csv")
    files = [r["file"] for r in meta]
    assert len(files) == len(set(files))
    assert sorted(files) == articles
    for r in meta:
        assert r["publisher"].strip(), r["file"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["published"]), r
        dt.date.fromisoformat(r["published"])
        assert r["url"].startswith(("http://", "https://")), r


def test_pairs_name_existing_files_with_allowed_labels_and_kinds(articles, pairs):
    with (HOLDOUT / "pairs.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["a", "b", "label", "kind", "note"]
    names = set(articles)
    for p in pairs:
        assert p["a"] in names and p["b"] in names, p
        assert p["a"] != p["b"], p
        assert p["label"] in KINDS, p
        assert p["kind"] in KINDS[p["label"]], p
        assert p["note"].strip(), p
    assert {p["a"] for p in pairs} | {p["b"] for p in pairs} == names, "every article is in some pair"


def test_no_pair_is_listed_twice(pairs):
    keys = Counter(frozenset((p["a"], p["b"])) for p in pairs)
    assert [sorted(k) for k, n in keys.items() if n > 1] == []


def test_size_and_mix_meet_the_brief(pairs):
    labels = Counter(p["label"] for p in pairs)
    kinds = Counter(p["kind"] for p in pairs)
    assert len(pairs) >= 100
    assert labels["same_story"] >= 30
    assert all(kinds[k] > 0 for ks in KINDS.values() for k in ks)


def test_readme_counts_match_pairs(pairs):
    readme = (HOLDOUT / "README.md").read_text(encoding="utf-8")
    table = {(lab, kind): int(n) for lab, kind, n in
             re.findall(r"^\| (duplicate|same_story|different) \| (\w+) \| (\d+) \|$", readme, re.M)}
    assert table == dict(Counter((p["label"], p["kind"]) for p in pairs))
    families = re.findall(r"^\| [^|]+ \| (\d{3})–(\d{3}) \|", readme, re.M)
    assert len(families) >= 12
    covered = sorted(f"{n:03d}" for a, b in families for n in range(int(a), int(b) + 1))
    assert covered == sorted(p.name[:3] for p in ARTICLES.glob("*.txt"))


def test_the_eval_reads_the_holdout_pairs_without_splitting_them(pairs):
    sys.path.insert(0, str(ROOT))
    from benchmarks import dedup_eval

    assert dedup_eval.HOLDOUT == HOLDOUT
    assert dedup_eval.holdout_pairs() == pairs
