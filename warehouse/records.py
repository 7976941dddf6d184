"""The extracted-record format: one JSON document per article (JSONL for many).

A record is self-contained: it carries the article's cleaned text, every entity it
refers to, and every statement with its quote and its character span in that text.
Curated (hand-made) records and the automatic extractor's output share this format.
The JSON Schema is committed as warehouse/data/record.schema.json (``warehouse schema``
regenerates it; a test fails when it drifts).

Conventions
- Entity ids are readable natural keys: ``country:PRK``, ``person:kim-jong-un``,
  ``org:raytheon-technologies``, ``system:patriot``, ``body:un-security-council``,
  ``location:kharkiv``.
- Claims are keyed inside their record (``key``); denials and agreements refer to
  those keys. The warehouse ids are content hashes derived at load time.
- Spans are [start, end) offsets into ``article.text``; ``quote`` must equal that slice.
- Dates are ISO: ``2024-06-19`` (day or week: the week's Monday), ``2024-06`` (month),
  ``2024`` (year), with an explicit precision; ``date_text`` keeps the words as written.
- Quantities keep their bounds: "up to 4.8 million" -> high 4800000, low null;
  "at least three million" -> low 3000000, high null; exact figures set both.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from . import schema as s
from .normalize import article_id_for

RECORD_VERSION = "1.1"
# 1.1 added a transfer's deal value (value_amount, value_currency, value_text); 1.0 files load as they are.
RECORD_VERSIONS = ("1.0", "1.1")

EntityType = Literal[s.ENTITY_TYPES]  # type: ignore[valid-type]
Predicate = Literal[s.PREDICATES]  # type: ignore[valid-type]
Stance = Literal[s.STANCES]  # type: ignore[valid-type]
Hedge = Literal[s.HEDGES]  # type: ignore[valid-type]
TransferStatus = Literal[s.TRANSFER_STATUSES]  # type: ignore[valid-type]
ItemCategory = Literal[s.ITEM_CATEGORIES]  # type: ignore[valid-type]
AgreementKind = Literal[s.AGREEMENT_KINDS]  # type: ignore[valid-type]
AgreementStatus = Literal[s.AGREEMENT_STATUSES]  # type: ignore[valid-type]
DatePrecision = Literal[s.DATE_PRECISIONS]  # type: ignore[valid-type]
PublishedPrecision = Literal[s.PUBLISHED_PRECISIONS]  # type: ignore[valid-type]

ENTITY_ID_PATTERN = r"^[a-z_]+:[A-Za-z0-9][A-Za-z0-9._-]*$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DATE_RE = re.compile(DATE_PATTERN)

EntityId = Annotated[str, Field(pattern=ENTITY_ID_PATTERN, max_length=200)]
IsoDate = Annotated[str, Field(pattern=DATE_PATTERN)]
NonEmpty = Annotated[str, Field(min_length=1)]
# Spans and sentence numbers are INT32 columns; a record holds at most MAX_RECORD_BYTES of text.
Offset = Annotated[int, Field(ge=0, le=2**31 - 1)]
# Quantities are DOUBLE columns: a finite non-negative number (no Infinity, no NaN).
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def _visible_text(value: str) -> str:
    """A name must show something: not only spaces, zero-width or other invisible characters."""
    if not any(not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE for ch in value):
        raise ValueError("must contain visible characters (got only spaces or invisible characters)")
    return value


_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}
Visible = Annotated[str, Field(min_length=1), AfterValidator(_visible_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_DATE_DASHES = {"day": 2, "week": 2, "month": 1, "year": 0}  # dashes in a date of each precision


def _check_date(value: str | None, precision: str, what: str) -> None:
    """A date's shape must agree with its precision; a precision without a date is unknown."""
    if value is None:
        if precision != "unknown":
            raise RecordError(what, f"{what} precision is {precision!r} but no date is given")
        return
    parts = value.count("-")
    expected = _DATE_DASHES.get(precision)
    if expected is None:
        raise RecordError(what, f"{what} {value!r} is given but its precision is 'unknown'")
    if parts != expected:
        raise RecordError(what, f"{what} {value!r} does not match precision {precision!r}")
    try:  # validate the calendar (2024-02-30 is not a date)
        y, m, d = (value + "-01-01").split("-")[:3]
        _dt.date(int(y), int(m), int(d))
    except ValueError as exc:
        raise RecordError(what, f"{what} {value!r} is not a calendar date") from exc


class Extractor(_Model):
    name: NonEmpty = Field(description="'curated' for hand-made records, else the extractor's name")
    version: NonEmpty


class ArticleRef(_Model):
    id: str | None = Field(None, description="first 16 hex of sha256(text); checked when given")
    origin_file: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    dateline: str | None = None
    published: IsoDate | None = None
    published_precision: PublishedPrecision = "unknown"
    text: NonEmpty = Field(description="the cleaned article text that spans index into")

    @model_validator(mode="after")
    def _check(self) -> ArticleRef:
        _check_date(self.published, self.published_precision, "published")
        if self.id is not None and self.id != self.article_id:
            raise RecordError("id", f"id {self.id!r} is not the hash of the text ({self.article_id})")
        return self

    @cached_property
    def article_id(self) -> str:
        """Hashed once per record (the loader asks for it several times; texts are kilobytes).

        Cached in the instance: fine because the models are frozen; a ``model_copy(update=...)`` of
        the text would keep the old id (nothing in the project copies records that way)."""
        return article_id_for(self.text)


class ArticleInput(BaseModel):
    """The metadata of an article to ingest (a JSON Lines row, a metadata sheet's row).

    Unknown keys are ignored (exports carry other columns); known ones are type-checked
    strictly: a title given as a JSON object is an error, not the string "{'a': 1}"."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    notes: str | None = None
    published: IsoDate | None = None
    published_precision: PublishedPrecision | None = None

    @model_validator(mode="after")
    def _check(self) -> ArticleInput:
        if self.published is not None:
            precision = self.published_precision or {0: "year", 1: "month", 2: "day"}[self.published.count("-")]
            _check_date(self.published, precision, "published")
            if self.published_precision is None:
                object.__setattr__(self, "published_precision", precision)
        elif self.published_precision not in (None, "unknown"):
            _check_date(None, self.published_precision, "published")
        return self


class EntityRec(_Model):
    id: EntityId
    type: EntityType
    name: Visible
    aliases: list[Visible] = Field(default_factory=list)
    country_code: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    parent: EntityId | None = Field(None, description="affiliation: Pyongyang -> country:PRK")

    @model_validator(mode="after")
    def _check(self) -> EntityRec:
        if (self.type == "country") != (self.country_code is not None):
            raise RecordError("country_code", "country_code is required for countries and only for countries")
        return self


class MentionRec(_Model):
    entity: EntityId
    start: Offset
    end: Annotated[Offset, Field(gt=0)]
    surface: NonEmpty
    sentence: Offset = 0


class Quantity(_Model):
    low: Amount | None = None
    high: Amount | None = None
    unit: str | None = Field(None, description="singular noun: shell, barrel, container, missile, ...")
    qualifier: str | None = Field(None, description="as written: 'up to', 'at least', 'over', 'about'")
    text: str | None = Field(None, description="the figure as written: 'up to 4.8 million'")

    @model_validator(mode="after")
    def _check(self) -> Quantity:
        if self.low is None and self.high is None:
            raise RecordError("low", "a quantity needs a low or a high bound")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise RecordError("low", f"low bound {self.low:g} is above high bound {self.high:g}")
        return self


class TransferRec(_Model):
    supplier: EntityId
    recipient: EntityId
    item: Visible = Field(description="the item as written: 'artillery shells'")
    category: ItemCategory
    system: EntityId | None = Field(None, description="weapon-system entity when one is named")
    quantity: Quantity | None = None
    status: TransferStatus
    period: str | None = Field(None, description="period as written: 'since March'")
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    # record version 1.1: the deal's value as written ("worth $2.6 billion" -> 2.6e9 USD), never
    # converted. Left out of the serialized record when absent, so a 1.0 record's canonical JSON
    # (and the content hash the loader compares) is what it was.
    value_amount: Amount | None = Field(None, exclude_if=lambda v: v is None,
                                        description="the deal's value in units of value_currency")
    value_currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        None, exclude_if=lambda v: v is None, description="ISO 4217 code: USD, EUR, KRW, ...")
    value_text: str | None = Field(None, exclude_if=lambda v: v is None,
                                   description="the value as written: 'worth $2.6 billion'")

    @model_validator(mode="after")
    def _check(self) -> TransferRec:
        if (self.value_amount is None) != (self.value_currency is None):
            raise RecordError("value_currency" if self.value_currency is None else "value_amount",
                              "value_amount and value_currency go together")
        for name in ("period_start", "period_end"):
            value = getattr(self, name)
            if value is not None:  # the shape says the precision: 2024, 2024-06, 2024-06-19
                _check_date(value, {0: "year", 1: "month", 2: "day"}[value.count("-")], name)
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise RecordError("period_end", f"period_end {self.period_end} is before period_start {self.period_start}")
        return self


class RoleRec(_Model):
    person: EntityId
    role: Visible = Field(description="role or title as written: 'Defense Minister'")
    organization: EntityId | None = Field(None, description="organization or country of the role")


class ClaimRec(_Model):
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=64)]
    predicate: Predicate
    claimant: EntityId | None = Field(None, description="who asserts it; null when unattributed")
    subject: EntityId | None = None
    object: EntityId | None = None
    stance: Stance = "asserts"
    hedge: Hedge = "reported"
    quote: NonEmpty
    start: Offset
    end: Annotated[Offset, Field(gt=0)]
    date: IsoDate | None = Field(None, description="event date")
    date_precision: DatePrecision = "unknown"
    date_text: str | None = Field(None, description="the date expression as written")
    summary: str | None = None
    transfer: TransferRec | None = None
    role: RoleRec | None = None
    agreement: EntityId | None = Field(None, description="id of the agreement this claim reports")
    provisions: list[NonEmpty] = Field(default_factory=list, description="provisions it reports")
    denies: list[str] = Field(default_factory=list, description="keys of the claims it denies")

    @model_validator(mode="after")
    def _check(self) -> ClaimRec:
        _check_date(self.date, self.date_precision, "date")
        if self.end <= self.start:
            raise RecordError("end", f"span end {self.end} is not after start {self.start}")
        if (self.predicate == "transfer") != (self.transfer is not None):
            raise RecordError("transfer", "a transfer claim needs a 'transfer' object, and only a transfer claim")
        if (self.predicate == "role") != (self.role is not None):
            raise RecordError("role", "a role claim needs a 'role' object, and only a role claim")
        if self.predicate == "denial":
            if not self.denies:
                raise RecordError("denies", "a denial must name the claims it denies in 'denies'")
            if self.stance != "denies":
                raise RecordError("stance", "a denial has stance 'denies'")
        elif self.denies:
            raise RecordError("denies", "only a denial claim may have 'denies'")
        if self.provisions and self.agreement is None:
            raise RecordError("agreement", "provisions need the 'agreement' they belong to")
        return self


class AgreementRec(_Model):
    id: EntityId = Field(description="natural key: agreement:rus-prk-comprehensive-strategic-partnership")
    name: Visible
    kind: AgreementKind
    status: AgreementStatus
    signed_on: IsoDate | None = None
    signed_precision: DatePrecision = "unknown"
    parties: list[EntityId] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> AgreementRec:
        _check_date(self.signed_on, self.signed_precision, "signed_on")
        return self


class ArticleRecord(_Model):
    """Everything extracted from one article."""

    record_version: Literal[RECORD_VERSIONS] = RECORD_VERSION  # type: ignore[valid-type]
    extractor: Extractor
    article: ArticleRef
    entities: list[EntityRec] = Field(default_factory=list)
    mentions: list[MentionRec] = Field(default_factory=list)
    claims: list[ClaimRec] = Field(default_factory=list)
    agreements: list[AgreementRec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> ArticleRecord:
        if self.record_version == "1.0":
            for i, c in enumerate(self.claims):
                if c.transfer is not None and (c.transfer.value_amount is not None or c.transfer.value_text):
                    raise RecordError(f"claims[{i}].transfer.value_amount",
                                      "deal values need record_version 1.1 (this record says 1.0)")
        # Hot: runs for every record of a load (40 mentions and 6 claims each on average).
        # The loops test the common case inline and build a field path only for an error.
        text = self.article.text
        n = len(text)
        ids: dict[str, EntityRec] = {}
        for i, ent in enumerate(self.entities):
            if ent.id in ids and ids[ent.id] != ent:
                raise RecordError(f"entities[{i}].id", f"entity {ent.id} is declared twice with different contents")
            ids[ent.id] = ent
        for i, ent in enumerate(self.entities):
            if ent.parent is not None and ent.parent not in ids:
                raise RecordError(f"entities[{i}].parent", f"unknown entity {ent.parent}")

        def need(ref: str | None, where: str) -> None:
            if ref is not None and ref not in ids:
                raise RecordError(where, f"unknown entity {ref} (declare it in 'entities')")

        for i, m in enumerate(self.mentions):
            if m.entity not in ids:
                need(m.entity, f"mentions[{i}].entity")
            if m.end > n or m.end <= m.start or text[m.start : m.end] != m.surface:
                _check_span(text, m.start, m.end, m.surface, f"mentions[{i}]", "surface")

        agreement_ids = {}
        for i, ag in enumerate(self.agreements):
            if ag.id in agreement_ids and agreement_ids[ag.id] != ag:
                raise RecordError(f"agreements[{i}].id", f"agreement {ag.id} is declared twice with different contents")
            agreement_ids[ag.id] = ag
            for j, p in enumerate(ag.parties):
                if p not in ids:
                    need(p, f"agreements[{i}].parties[{j}]")

        keys: dict[str, ClaimRec] = {}
        for i, c in enumerate(self.claims):
            if c.key in keys:
                raise RecordError(f"claims[{i}].key", f"claim key {c.key!r} is used twice")
            keys[c.key] = c
        for i, c in enumerate(self.claims):
            if c.end > n or c.end <= c.start or text[c.start : c.end] != c.quote:
                _check_span(text, c.start, c.end, c.quote, f"claims[{i}]", "quote")
            for fld in ("claimant", "subject", "object"):
                ref = getattr(c, fld)
                if ref is not None and ref not in ids:
                    need(ref, f"claims[{i}].{fld}")
            if c.agreement is not None and c.agreement not in agreement_ids:
                raise RecordError(
                    f"claims[{i}].agreement", f"unknown agreement {c.agreement} (declare it in 'agreements')"
                )
            if c.transfer is not None:
                for fld in ("supplier", "recipient", "system"):
                    need(getattr(c.transfer, fld), f"claims[{i}].transfer.{fld}")
                if c.transfer.supplier == c.transfer.recipient:
                    raise RecordError(f"claims[{i}].transfer.recipient", "supplier and recipient are the same entity")
            if c.role is not None:
                need(c.role.person, f"claims[{i}].role.person")
                need(c.role.organization, f"claims[{i}].role.organization")
            for j, k in enumerate(c.denies):
                if k not in keys:
                    raise RecordError(f"claims[{i}].denies[{j}]", f"unknown claim key {k!r}")
                if k == c.key:
                    raise RecordError(f"claims[{i}].denies[{j}]", "a claim cannot deny itself")
        return self


class RecordError(ValueError):
    """A problem located at a field path inside a record (``claims[3].quote``)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _check_span(text: str, start: int, end: int, expected: str, where: str, name: str) -> None:
    if end > len(text):
        raise RecordError(f"{where}.end", f"span end {end} is past the end of the article text ({len(text)})")
    if end <= start:
        raise RecordError(f"{where}.end", f"span end {end} is not after start {start}")
    actual = text[start:end]
    if actual != expected:
        raise RecordError(f"{where}.{name}", span_mismatch(name, start, end, expected, actual))


def span_mismatch(name: str, start: int, end: int, expected: str, actual: str) -> str:
    """Where a quote and the text it points at first differ, shown around that place.

    Two strings that differ only in Unicode normalization (a precomposed "é" against "e" and a
    combining accent; a no-break space is *not* that) are said to be so, since they look alike."""
    head = f"{name} does not match the article text at [{start}:{end}]"
    if unicodedata.normalize("NFC", expected) == unicodedata.normalize("NFC", actual):
        return f"{head}: they differ only in Unicode normalization (NFC/NFD); write the quote as the text has it"
    pairs = enumerate(zip(expected, actual, strict=False))
    i = next((k for k, (a, b) in pairs if a != b), min(len(expected), len(actual)))
    lo = max(0, i - 20)

    def around(s: str) -> str:
        piece = s[lo : i + 25]
        return ("…" if lo else "") + piece + ("…" if i + 25 < len(s) else "")

    if i >= len(expected) or i >= len(actual):
        what = f"the text has {len(actual)} characters there, the {name} {len(expected)}"
    else:
        what = f"expected {expected[i]!r} (U+{ord(expected[i]):04X}), text has {actual[i]!r} (U+{ord(actual[i]):04X})"
    return (f"{head}: first difference at character {i} of the {name} ({what}): "
            f"expected {around(expected)!r}, text has {around(actual)!r}")


def json_schema() -> dict:
    """The committed JSON Schema of one record."""
    sch = ArticleRecord.model_json_schema()
    sch["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    sch["$id"] = f"https://geo-warehouse.invalid/record/{RECORD_VERSION}"
    return sch


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
