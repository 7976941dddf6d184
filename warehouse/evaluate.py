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

Light gold (``tests/data/eval/{dev,test}/``, format in tests/data/eval/FORMAT.md): one
``NN_slug.txt`` (the raw article) beside one ``NN_slug.gold.json`` (article metadata and the
transfers, denials and agreements an analyst recorded). ``load_light_gold`` validates every
file (a bad one raises ``WarehouseError`` naming the file and the field; every ``quote`` must
be in the .txt); ``extract_for_gold`` cleans each .txt as ``warehouse ingest`` does
(``warehouse.ingest.read_articles``) and runs the extractor with the gold's title, publisher
and publication day; ``evaluate_light`` scores, per article and overall, these facets:
- transfers: (supplier, recipient, category);
- quantities: (supplier, recipient, category, low, high), transfers with a quantity, bounds exact;
- values: (supplier, recipient, category, amount, currency), transfers with a value; amounts
  compare at 9 significant digits; predicted values come from ``TransferRec.value_amount`` /
  ``value_currency`` when the record model has them, else nothing is predicted;
- claimants: (supplier, recipient, category, claimant), null for the article's own voice;
  and apart, the claimant accuracy of found transfers: among the gold transfers matched by
  (supplier, recipient, category), the share whose claimant is one predicted for that key;
- statuses: (supplier, recipient, category, status);
- denials: (denier, supplier, recipient, category), from denial claims' ``denies`` targets;
- agreements: the set of parties. Across the set, each predicted agreement is linked to the
  gold agreement of its article with which it shares the most parties (at least two, or all
  of a one-party agreement); the report gives the distinct predicted ids per real agreement
  (gold ``agreement_id``; ideal 1.0) and the linked agreements with a non-signatory party;
- hard negatives: the transfers predicted on ``hard_negative`` articles (ideal none);
- transfers and quantities broken down by ``theatre`` and by ``region``.
Entity ids compare exactly, except that a predicted supplier, recipient or agreement party
``org:...`` is replaced by its state (``gazetteer.country_of``, then the record's entity
parents) unless the article's gold names that org itself: the gold records states.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import schema as _schema
from .db import WarehouseError
from .records import ENTITY_ID_PATTERN, ArticleRecord, TransferRec

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
        lines.extend(_detail_lines(CATEGORIES, report.misses, report.false_hits))
    return "\n".join(lines)


def _detail_lines(keys, misses: dict, false_hits: dict) -> list[str]:
    """The misses and false hits of each category or facet, as "missed X:" / "false X:" blocks."""
    lines: list[str] = []
    for key in keys:
        if misses[key]:
            lines.append(f"\nmissed {key}:")
            lines.extend(f"  {where}  {label}" for where, label in misses[key])
        if false_hits[key]:
            lines.append(f"\nfalse {key}:")
            lines.extend(f"  {where}  {label}" for where, label in false_hits[key])
    return lines


# --------------------------------------------------------------------------------------
# Light gold: the evaluation set in tests/data/eval/{dev,test}/ (format: tests/data/eval/FORMAT.md)
# --------------------------------------------------------------------------------------

LIGHT_FACETS = ("transfers", "quantities", "values", "claimants", "statuses", "denials", "agreements")
BREAKDOWN_FACETS = ("transfers", "quantities")
REGIONS = ("europe", "middle_east", "africa", "latin_america", "south_asia", "east_asia", "southeast_asia",
           "oceania", "central_asia", "north_america", "russia_ukraine")
# FORMAT.md's categories: the record schema's, plus any the gold format names that the schema lacks yet
GOLD_CATEGORIES = tuple(dict.fromkeys((*_schema.ITEM_CATEGORIES, "naval_vessels")))

_Id = Annotated[str, Field(pattern=ENTITY_ID_PATTERN, max_length=200)]
_Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
_Count = Annotated[float, Field(ge=0)]


class _GoldModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldMeta(_GoldModel):
    title: str | None = None
    publisher: str | None = None
    published: _Day
    region: Literal[REGIONS]  # type: ignore[valid-type]
    theatre: Literal["seed", "other"]
    hard_negative: bool = False

    @model_validator(mode="after")
    def _check(self) -> GoldMeta:
        try:
            _date.fromisoformat(self.published)
        except ValueError as exc:
            raise ValueError(f"published {self.published!r} is not a calendar date") from exc
        return self


class GoldTransfer(_GoldModel):
    supplier: _Id
    recipient: _Id
    category: Literal[GOLD_CATEGORIES]  # type: ignore[valid-type]
    system: str | None = None
    item: str | None = None
    quantity_low: _Count | None = None
    quantity_high: _Count | None = None
    quantity_unit: str | None = None
    value_amount: Annotated[float, Field(gt=0)] | None = None
    value_currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    status: Literal[_schema.TRANSFER_STATUSES]  # type: ignore[valid-type]
    hedge: Literal[_schema.HEDGES] | None = None  # type: ignore[valid-type]
    claimant: _Id | None = None
    quote: Annotated[str, Field(min_length=1)]

    @model_validator(mode="after")
    def _check(self) -> GoldTransfer:
        if self.supplier == self.recipient:
            raise ValueError("supplier and recipient are the same entity")
        lo, hi = self.quantity_low, self.quantity_high
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"quantity_low {lo:g} is above quantity_high {hi:g}")
        if (self.value_amount is None) != (self.value_currency is None):
            raise ValueError("value_amount and value_currency go together")
        return self


class GoldDenial(_GoldModel):
    denier: _Id
    supplier: _Id
    recipient: _Id
    category: Literal[GOLD_CATEGORIES]  # type: ignore[valid-type]
    quote: Annotated[str, Field(min_length=1)]


class GoldAgreement(_GoldModel):
    agreement_id: _Id
    kind: str | None = None
    parties: list[_Id] = Field(min_length=1)
    status: str | None = None
    signed: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None
    quote: Annotated[str, Field(min_length=1)]


class GoldFile(_GoldModel):
    article: GoldMeta
    transfers: list[GoldTransfer] = Field(default_factory=list)
    denials: list[GoldDenial] = Field(default_factory=list)
    agreements: list[GoldAgreement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> GoldFile:
        if self.article.hard_negative and self.transfers:
            raise ValueError("a hard negative holds no transfer ('transfers' must be empty)")
        return self


@dataclass
class GoldArticle:
    """One light-gold article: its name (the file stem), the raw .txt and the validated gold."""

    name: str
    gold_path: Path
    txt_path: Path
    raw_text: str
    gold: GoldFile
    _cleaned: object = field(default=None, repr=False)

    @property
    def cleaned(self):
        """The article as ``warehouse ingest`` reads it (``warehouse.ingest.Article``: cleaned text, dateline)."""
        if self._cleaned is None:
            from .ingest import IngestError, read_articles

            try:
                (self._cleaned,) = read_articles(self.txt_path)
            except IngestError as exc:
                raise WarehouseError(f"{self.txt_path}: {exc}") from exc
        return self._cleaned

    @property
    def article_id(self) -> str:
        return self.cleaned.article_id


GOLD_SUFFIX = ".gold.json"


def is_light_gold(folder: Path) -> bool:
    """Whether a folder holds light gold (any ``*.gold.json``) rather than ArticleRecord files.

    Only the folder itself is looked at (``dev/`` or ``test/``): a parent holding both splits is
    refused rather than scored as one set."""
    if any(folder.glob(f"*{GOLD_SUFFIX}")):
        return True
    nested = next(iter(folder.rglob(f"*{GOLD_SUFFIX}")), None)
    if nested is not None:
        raise WarehouseError(f"{folder}: light gold only in subfolders ({nested.parent}); give that folder itself")
    return False


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_light_gold(folder: Path | str) -> list[GoldArticle]:
    """Every ``NN_slug.gold.json`` + ``NN_slug.txt`` pair of a folder, validated, sorted by name.

    A bad file raises ``WarehouseError`` with one message naming the file and the field."""
    folder = Path(folder)
    if not folder.is_dir():
        raise WarehouseError(f"{folder}: no such gold folder")
    golds = sorted(folder.glob(f"*{GOLD_SUFFIX}"))
    if not golds:
        raise WarehouseError(f"{folder}: no light-gold files (*{GOLD_SUFFIX}) found")
    names = {g.name[: -len(GOLD_SUFFIX)] for g in golds}
    for txt in sorted(folder.glob("*.txt")):
        if txt.stem not in names:
            raise WarehouseError(f"{txt}: no gold file beside it ({txt.stem}{GOLD_SUFFIX})")
    out = []
    for gp in golds:
        name = gp.name[: -len(GOLD_SUFFIX)]
        tp = folder / f"{name}.txt"
        if not tp.is_file():
            raise WarehouseError(f"{gp}: no article text beside it ({tp.name})")
        try:
            data = json.loads(gp.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise WarehouseError(f"{gp}: not UTF-8 text (byte {exc.start})") from exc
        except json.JSONDecodeError as exc:
            raise WarehouseError(f"{gp}: malformed JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from exc
        try:
            gold = GoldFile.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = _loc(tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            raise WarehouseError(f"{gp} field {where}: {msg}" if where else f"{gp}: {msg}") from exc
        from .ingest import IngestError, read_text_file

        try:
            raw = read_text_file(tp)
        except IngestError as exc:
            raise WarehouseError(f"{tp}: {exc}") from exc
        for part in ("transfers", "denials", "agreements"):
            for i, item in enumerate(getattr(gold, part)):
                if item.quote not in raw:
                    raise WarehouseError(f"{gp} field {part}[{i}].quote: not found in {tp.name}: {_clip(item.quote)!r}")
        out.append(GoldArticle(name, gp, tp, raw, gold))
    return out


def _clip(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def extract_for_gold(articles: list[GoldArticle], workers: int = 1) -> list[ArticleRecord]:
    """Run the extractor on each article's text, cleaned as ``warehouse ingest`` cleans it,
    with the gold's title, publisher and publication day. Results in input order."""
    from .extract import extract_many

    items = []
    for a in articles:
        meta = a.gold.article
        items.append({"text": a.cleaned.cleaned_text, "title": meta.title or a.cleaned.title,
                      "publisher": meta.publisher or a.cleaned.publisher, "published": meta.published,
                      "published_precision": "day", "origin_file": a.txt_path.name})
    return extract_many(items, workers=workers)


def match_predictions(articles: list[GoldArticle], records: list[ArticleRecord]) -> list[ArticleRecord | None]:
    """Predicted records for the gold articles, matched by article id (hash of the cleaned text)."""
    by_id: dict[str, ArticleRecord] = {}
    for r in records:
        by_id.setdefault(r.article.article_id, r)
    return [by_id.get(a.article_id) for a in articles]


# --- items -------------------------------------------------------------------------------

HAS_PREDICTED_VALUES = "value_amount" in TransferRec.model_fields


def _amount(x: float) -> float:
    """Values compare at 9 significant digits (2.6e9 from "$2.6 billion" is not always exact)."""
    return float(f"{x:.9g}")


def _predicted_value(t: TransferRec) -> tuple[float, str] | None:
    if not HAS_PREDICTED_VALUES:
        return None
    amount, currency = getattr(t, "value_amount", None), getattr(t, "value_currency", None)
    if amount is None:
        return None
    return _amount(float(amount)), currency


def gold_items(g: GoldFile) -> dict[str, Counter]:
    out = {f: Counter() for f in LIGHT_FACETS}
    for t in g.transfers:
        key = (t.supplier, t.recipient, t.category)
        out["transfers"][key] += 1
        if t.quantity_low is not None or t.quantity_high is not None:
            out["quantities"][(*key, t.quantity_low, t.quantity_high)] += 1
        if t.value_amount is not None:
            out["values"][(*key, _amount(t.value_amount), t.value_currency)] += 1
        out["claimants"][(*key, t.claimant)] += 1
        out["statuses"][(*key, t.status)] += 1
    out["denials"] = Counter({(d.denier, d.supplier, d.recipient, d.category) for d in g.denials})
    out["agreements"] = Counter({tuple(sorted(set(a.parties))) for a in g.agreements})
    return out


def _gold_ids(g: GoldFile) -> set[str]:
    ids = set()
    for t in g.transfers:
        ids.update((t.supplier, t.recipient))
    for d in g.denials:
        ids.update((d.supplier, d.recipient))
    for a in g.agreements:
        ids.update(a.parties)
    return ids


def _normaliser(rec: ArticleRecord, gold_ids: set[str]):
    """org: ids -> their state, unless the gold names that org itself (gazetteer, then the record's parents)."""
    from .extract.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    parents = {e.id: e.parent for e in rec.entities}

    def norm(eid: str) -> str:
        if not eid.startswith("org:") or eid in gold_ids:
            return eid
        state = gaz.country_of(eid)
        seen, cur = 0, eid
        while state is None and cur is not None and seen < 5:
            cur = parents.get(cur)
            if cur is not None and cur.startswith("country:"):
                state = cur
            seen += 1
        return state or eid

    return norm


def predicted_items(rec: ArticleRecord, gold_ids: set[str] = frozenset()) -> tuple[dict[str, Counter], list]:
    """The comparable items of a predicted record, and its agreements as (id, sorted parties)."""
    norm = _normaliser(rec, set(gold_ids))
    out = {f: Counter() for f in LIGHT_FACETS}
    by_key = {c.key: c for c in rec.claims}

    def tkey(t: TransferRec) -> tuple:
        return norm(t.supplier), norm(t.recipient), t.category

    for c in rec.claims:
        t = c.transfer
        if t is None:
            continue
        key = tkey(t)
        out["transfers"][key] += 1
        if t.quantity is not None:
            out["quantities"][(*key, t.quantity.low, t.quantity.high)] += 1
        value = _predicted_value(t)
        if value is not None:
            out["values"][(*key, *value)] += 1
        out["claimants"][(*key, c.claimant)] += 1
        out["statuses"][(*key, t.status)] += 1
    denials = set()
    for c in rec.claims:
        if c.predicate != "denial":
            continue
        for k in c.denies:
            d = by_key.get(k)
            if d is not None and d.transfer is not None:
                denials.add((c.claimant, *tkey(d.transfer)))
    out["denials"] = Counter(denials)
    agreements = [(a.id, tuple(sorted({norm(p) for p in a.parties}))) for a in rec.agreements]
    out["agreements"] = Counter({parties for _, parties in agreements})
    return out, agreements


# --- the report --------------------------------------------------------------------------


def _score_dict(s: Score) -> dict:
    return {"gold": s.tp + s.fn, "pred": s.tp + s.fp, "match": s.tp, "precision": round(s.precision, 4),
            "recall": round(s.recall, 4), "f1": round(s.f1, 4)}


@dataclass
class ArticleScore:
    name: str
    region: str
    theatre: str
    hard_negative: bool
    predicted: bool
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in LIGHT_FACETS})


@dataclass
class LightReport:
    articles: list[ArticleScore] = field(default_factory=list)
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in LIGHT_FACETS})
    misses: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: {f: [] for f in LIGHT_FACETS})
    false_hits: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: {f: [] for f in LIGHT_FACETS})
    claimant_found: int = 0  # gold transfers matched by (supplier, recipient, category)
    claimant_right: int = 0  # ... whose claimant is one predicted for that key
    real_agreements: dict[str, set[str]] = field(default_factory=dict)  # gold id -> linked predicted ids
    non_signatory: list[tuple[str, str, str]] = field(default_factory=list)  # article, pred id, extra parties
    hard_negative_hits: list[tuple[str, str]] = field(default_factory=list)
    by_theatre: dict[str, dict[str, Score]] = field(default_factory=dict)
    by_region: dict[str, dict[str, Score]] = field(default_factory=dict)
    values_predicted: bool = HAS_PREDICTED_VALUES

    @property
    def claimant_accuracy(self) -> float | None:
        return self.claimant_right / self.claimant_found if self.claimant_found else None

    @property
    def agreements_found(self) -> int:
        return sum(1 for ids in self.real_agreements.values() if ids)

    @property
    def ids_per_agreement(self) -> float | None:
        found = [len(ids) for ids in self.real_agreements.values() if ids]
        return sum(found) / len(found) if found else None

    @property
    def hard_negatives(self) -> int:
        return sum(1 for a in self.articles if a.hard_negative)

    def as_dict(self) -> dict:
        def group(d: dict[str, dict[str, Score]]) -> dict:
            return {k: {f: _score_dict(s) for f, s in v.items()} for k, v in sorted(d.items())}

        acc, ids = self.claimant_accuracy, self.ids_per_agreement
        return {
            "articles": len(self.articles),
            "articles_without_prediction": [a.name for a in self.articles if not a.predicted],
            "values_predicted": self.values_predicted,
            "scores": {f: _score_dict(s) for f, s in self.scores.items()},
            "claimant_accuracy_of_found_transfers": {
                "found": self.claimant_found, "right": self.claimant_right,
                "accuracy": None if acc is None else round(acc, 4)},
            "agreements": {
                "real": len(self.real_agreements), "found": self.agreements_found,
                "ids_per_real_agreement": None if ids is None else round(ids, 4),
                "predicted_ids": {k: sorted(v) for k, v in sorted(self.real_agreements.items())},
                "with_non_signatory": [list(x) for x in self.non_signatory]},
            "hard_negatives": {"articles": self.hard_negatives, "transfers_predicted": len(self.hard_negative_hits),
                               "transfers": [list(x) for x in self.hard_negative_hits]},
            "by_theatre": group(self.by_theatre),
            "by_region": group(self.by_region),
            "per_article": [{"article": a.name, "region": a.region, "theatre": a.theatre,
                             "hard_negative": a.hard_negative, "predicted": a.predicted,
                             "scores": {f: _score_dict(s) for f, s in a.scores.items()}} for a in self.articles],
            "misses": {f: [list(x) for x in v] for f, v in self.misses.items()},
            "false_hits": {f: [list(x) for x in v] for f, v in self.false_hits.items()},
        }


def _add(sc: Score, common: Counter, missed: Counter, extra: Counter) -> None:
    sc.tp += sum(common.values())
    sc.fn += sum(missed.values())
    sc.fp += sum(extra.values())


def _link(parties: tuple, golds: list[GoldAgreement]) -> GoldAgreement | None:
    """The gold agreement a predicted one stands for: most parties in common, at least two (or all)."""
    best, best_n = None, 0
    for g in golds:
        gp = set(g.parties)
        n = len(gp & set(parties))
        if n >= min(2, len(gp)) and n > best_n:
            best, best_n = g, n
    return best


def canonical_gold_id(eid: str | None) -> str | None:
    """A gold file's entity id as the reference data spells it. Gold is written by people who do not read
    the catalogue, so a firm, outlet or body may come as a slug of its full name ("org:korea-aerospace-
    industries") where the catalogue's id is short ("org:kai"): an id the catalogue lacks is looked up by
    the alias key of its slug's words, as the warehouse resolves any spelling, and kept when that fails
    or names an entity of another kind."""
    if eid is None or ":" not in eid:
        return eid
    from .extract.gazetteer import load_gazetteer
    from .normalize import alias_key

    gaz = load_gazetteer()
    if eid in gaz.entities:
        return eid
    kind, slug = eid.split(":", 1)
    hit = gaz.by_key.get(alias_key(slug.replace("-", " ")))
    return hit if hit is not None and hit.split(":", 1)[0] == kind else eid


def canonical_gold(g: GoldFile) -> GoldFile:
    """The gold with every entity id through ``canonical_gold_id`` (agreement ids and quotes unchanged)."""
    c = canonical_gold_id
    return g.model_copy(update={
        "transfers": [t.model_copy(update={"supplier": c(t.supplier), "recipient": c(t.recipient),
                                           "claimant": c(t.claimant)}) for t in g.transfers],
        "denials": [d.model_copy(update={"denier": c(d.denier), "supplier": c(d.supplier),
                                         "recipient": c(d.recipient)}) for d in g.denials],
        "agreements": [a.model_copy(update={"parties": [c(p) for p in a.parties]}) for a in g.agreements],
    })


def evaluate_light(articles: list[GoldArticle], preds: list[ArticleRecord | None]) -> LightReport:
    """Score predictions (aligned with ``articles``; None = no prediction) against light gold (its
    entity ids canonical: ``canonical_gold``)."""
    if len(preds) != len(articles):
        raise ValueError("one prediction (or None) per gold article")
    rep = LightReport()
    for a, rec in zip(articles, preds, strict=True):
        g = canonical_gold(a.gold)
        meta = g.article
        art = ArticleScore(a.name, meta.region, meta.theatre, meta.hard_negative, rec is not None)
        rep.articles.append(art)
        gi = gold_items(g)
        if rec is None:
            pi, pred_agreements = {f: Counter() for f in LIGHT_FACETS}, []
        else:
            pi, pred_agreements = predicted_items(rec, _gold_ids(g))
        for f in LIGHT_FACETS:
            common, missed, extra = gi[f] & pi[f], gi[f] - pi[f], pi[f] - gi[f]
            _add(art.scores[f], common, missed, extra)
            _add(rep.scores[f], common, missed, extra)
            rep.misses[f].extend((a.name, _label(k)) for k in sorted(missed, key=repr) for _ in range(missed[k]))
            rep.false_hits[f].extend((a.name, _label(k)) for k in sorted(extra, key=repr) for _ in range(extra[k]))
            if f in BREAKDOWN_FACETS:
                for groups, key in ((rep.by_theatre, meta.theatre), (rep.by_region, meta.region)):
                    _add(groups.setdefault(key, {b: Score() for b in BREAKDOWN_FACETS})[f], common, missed, extra)
        # claimant accuracy of found transfers
        gold_claimants: dict[tuple, list] = {}
        for t in g.transfers:
            gold_claimants.setdefault((t.supplier, t.recipient, t.category), []).append(t.claimant)
        pred_claimants: dict[tuple, Counter] = {}
        for (s, r, c, who), n in pi["claimants"].items():
            pred_claimants.setdefault((s, r, c), Counter())[who] += n
        for key, gl in gold_claimants.items():
            pc = pred_claimants.get(key, Counter())
            found = min(len(gl), sum(pc.values()))
            rep.claimant_found += found
            rep.claimant_right += min(found, sum(1 for who in gl if who in pc))
        # agreements: predicted ids per real agreement, non-signatory parties
        for ga in g.agreements:
            rep.real_agreements.setdefault(ga.agreement_id, set())
        for pid, parties in pred_agreements:
            ga = _link(parties, g.agreements)
            if ga is None:
                continue
            rep.real_agreements[ga.agreement_id].add(pid)
            extra_parties = sorted(set(parties) - set(ga.parties))
            if extra_parties:
                rep.non_signatory.append((a.name, pid, ", ".join(extra_parties)))
        if meta.hard_negative:
            rep.hard_negative_hits.extend((a.name, _label(k)) for k in sorted(pi["transfers"], key=repr)
                                          for _ in range(pi["transfers"][k]))
    return rep


def _row(label: str, s: Score, width: int = 12) -> str:
    return (f"{label:<{width}} {s.tp + s.fn:>5} {s.tp + s.fp:>5} {s.tp:>5} "
            f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")


def render_light(rep: LightReport, per_article: bool = False, details: bool = False) -> str:
    """The facet table, the agreement / claimant / hard-negative lines, the breakdowns;
    optionally the per-article table and the misses and false hits."""
    n = len(rep.articles)
    lines = [f"{n} article(s), {rep.hard_negatives} hard negative(s)"]
    missing = [a.name for a in rep.articles if not a.predicted]
    if missing:
        lines.append(f"{len(missing)} without a prediction: {', '.join(missing)}")
    lines.append(f"{'facet':<12} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}")
    lines.extend(_row(f, rep.scores[f]) for f in LIGHT_FACETS)
    if not rep.values_predicted:
        lines.append("(values: the record model has no value fields yet, so nothing is predicted)")
    acc = rep.claimant_accuracy
    lines.append(f"claimant accuracy of found transfers: {rep.claimant_right}/{rep.claimant_found}"
                 + ("" if acc is None else f" = {acc:.3f}"))
    ids = rep.ids_per_agreement
    lines.append(f"agreements: {rep.agreements_found} of {len(rep.real_agreements)} real agreement(s) found, "
                 f"ids per real agreement {'-' if ids is None else f'{ids:.2f}'} (ideal 1.0), "
                 f"{len(rep.non_signatory)} with a non-signatory party")
    for name, pid, extra in rep.non_signatory:
        lines.append(f"  {name}  {pid}  non-signatory: {extra}")
    for real, pids in sorted(rep.real_agreements.items()):
        if len(pids) > 1:
            lines.append(f"  {real}  predicted as: {', '.join(sorted(pids))}")
    lines.append(f"hard negatives: {len(rep.hard_negative_hits)} transfer(s) predicted on "
                 f"{rep.hard_negatives} hard-negative article(s) (ideal 0)")
    lines.extend(f"  {name}  {label}" for name, label in rep.hard_negative_hits)
    for title, groups in (("theatre", rep.by_theatre), ("region", rep.by_region)):
        lines.append("")
        lines.append(f"{'by ' + title:<16} {'facet':<10} {'gold':>5} {'pred':>5} {'match':>5} "
                     f"{'P':>6} {'R':>6} {'F1':>6}")
        for key in sorted(groups):
            for f in BREAKDOWN_FACETS:
                s = groups[key][f]
                lines.append(f"{key:<16} {f:<10} {s.tp + s.fn:>5} {s.tp + s.fp:>5} {s.tp:>5} "
                             f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    if per_article:
        width = max([len("article"), *(len(a.name) for a in rep.articles)])
        lines.append("")
        lines.append(f"{'article':<{width}} {'region':<14} {'T gold':>6} {'pred':>5} {'match':>5} {'F1':>6}  "
                     f"{'Q gold':>6} {'pred':>5} {'match':>5} {'F1':>6}")
        for a in rep.articles:
            t, q = a.scores["transfers"], a.scores["quantities"]
            lines.append(f"{a.name:<{width}} {a.region:<14} {t.tp + t.fn:>6} {t.tp + t.fp:>5} {t.tp:>5} "
                         f"{t.f1:>6.3f}  {q.tp + q.fn:>6} {q.tp + q.fp:>5} {q.tp:>5} {q.f1:>6.3f}"
                         + ("  (hard negative)" if a.hard_negative else ""))
    if details:
        lines.extend(_detail_lines(LIGHT_FACETS, rep.misses, rep.false_hits))
    return "\n".join(lines)
