"""Scoring extracted records against curated (gold) records.

Records are matched by article id (the hash of the cleaned text). Per category, the
items compared are multisets per article:
- entities: entity ids;
- transfers: (supplier, recipient, category);
- quantities: (supplier, recipient, category, low, high) of transfers that carry a
  quantity: a transfer counts only when its bounds match exactly;
- agreements: the set of parties;
- denials: (denier, denied supplier, denied recipient, denied category), one per
  denied transfer claim.
Precision = matched / predicted, recall = matched / gold, F1 their harmonic mean (a
category with nothing predicted and nothing expected scores 1.0).
Gold articles with no prediction count as misses; predictions for articles without a
gold record are ignored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .records import ArticleRecord

CATEGORIES = ("entities", "transfers", "quantities", "agreements", "denials")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if (self.tp + self.fp) else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if (self.tp + self.fn) else (1.0 if not self.fp else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if (p + r) else 0.0


@dataclass
class EvalReport:
    scores: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in CATEGORIES})
    misses: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    false_hits: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    articles: int = 0
    articles_without_prediction: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "articles_without_prediction": self.articles_without_prediction,
            "scores": {c: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                           "recall": round(s.recall, 4), "f1": round(s.f1, 4)} for c, s in self.scores.items()},
            "misses": {c: [list(x) for x in v] for c, v in self.misses.items()},
            "false_hits": {c: [list(x) for x in v] for c, v in self.false_hits.items()},
        }


def _fmt(x: object) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _label(key: object) -> str:
    if not isinstance(key, tuple):
        return _fmt(key)
    return " | ".join("-" if k is None else _fmt(k) for k in key)


def items_of(rec: ArticleRecord) -> dict[str, Counter]:
    """The comparable items of one record, per category."""
    out = {c: Counter() for c in CATEGORIES}
    out["entities"].update({e.id for e in rec.entities})
    by_key = {c.key: c for c in rec.claims}
    for c in rec.claims:
        t = c.transfer
        if t is None:
            continue
        out["transfers"][(t.supplier, t.recipient, t.category)] += 1
        if t.quantity is not None:
            out["quantities"][(t.supplier, t.recipient, t.category, t.quantity.low, t.quantity.high)] += 1
    for a in rec.agreements:
        out["agreements"][tuple(sorted(set(a.parties)))] += 1
    for c in rec.claims:
        if c.predicate != "denial":
            continue
        for k in c.denies:
            d = by_key.get(k)
            if d is not None and d.transfer is not None:
                out["denials"][(c.claimant, d.transfer.supplier, d.transfer.recipient, d.transfer.category)] += 1
    # a denial repeated for one target counts once
    out["denials"] = Counter(set(out["denials"]))
    out["agreements"] = Counter(set(out["agreements"]))
    return out


def evaluate(gold: list[ArticleRecord], pred: list[ArticleRecord]) -> EvalReport:
    """Precision, recall and F1 per category, with the misses and false hits."""
    report = EvalReport()
    preds: dict[str, ArticleRecord] = {}
    for p in pred:
        preds.setdefault(p.article.article_id, p)
    for g in gold:
        aid = g.article.article_id
        report.articles += 1
        gi = items_of(g)
        p = preds.get(aid)
        if p is None:
            report.articles_without_prediction.append(aid)
            pi = {c: Counter() for c in CATEGORIES}
        else:
            pi = items_of(p)
        for cat in CATEGORIES:
            common = gi[cat] & pi[cat]
            missed = gi[cat] - pi[cat]
            extra = pi[cat] - gi[cat]
            sc = report.scores[cat]
            sc.tp += sum(common.values())
            sc.fn += sum(missed.values())
            sc.fp += sum(extra.values())
            for key in sorted(missed, key=repr):
                report.misses[cat].extend([(aid, _label(key))] * missed[key])
            for key in sorted(extra, key=repr):
                report.false_hits[cat].extend([(aid, _label(key))] * extra[key])
    return report


def render_text(report: EvalReport, details: bool = True) -> str:
    """A plain-text table of the scores, then the misses and false hits."""
    lines = [f"{report.articles} article(s) evaluated"]
    if report.articles_without_prediction:
        lines.append(f"{len(report.articles_without_prediction)} without a prediction: "
                     + ", ".join(report.articles_without_prediction))
    lines.append(f"{'category':<12} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for cat in CATEGORIES:
        s = report.scores[cat]
        lines.append(f"{cat:<12} {s.tp + s.fn:>5} {s.tp + s.fp:>5} {s.tp:>5} "
                     f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    if details:
        for cat in CATEGORIES:
            if report.misses[cat]:
                lines.append(f"\nmissed {cat}:")
                lines.extend(f"  {aid}  {label}" for aid, label in report.misses[cat])
            if report.false_hits[cat]:
                lines.append(f"\nfalse {cat}:")
                lines.extend(f"  {aid}  {label}" for aid, label in report.false_hits[cat])
    return "\n".join(lines)
