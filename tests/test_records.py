"""The record format: the committed JSON Schema, date/precision rules, alias keys."""

from __future__ import annotations

import json
import unicodedata

import pytest
from factories import DELETE, mini_record, mutate
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from warehouse.normalize import alias_key, slug
from warehouse.paths import DATA_DIR
from warehouse.records import AgreementRec, ArticleRecord, ArticleRef, ClaimRec, json_schema, json_schema_text

SCHEMA_FILE = DATA_DIR / "record.schema.json"

# ---------------------------------------------------------------- the committed JSON Schema


def test_committed_json_schema_is_current():
    assert SCHEMA_FILE.exists(), "run: warehouse schema --out warehouse/data/record.schema.json"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text(), (
        "the record format changed: run warehouse schema --out warehouse/data/record.schema.json")


def test_json_schema_text_is_deterministic_json():
    text = json_schema_text()
    assert text == json_schema_text() and text.endswith("}\n")
    sch = json.loads(text)
    assert sch == json_schema()
    assert sch["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sch["$id"].endswith("/record/1.1")
    assert set(sch["required"]) >= {"extractor", "article"}
    assert sch["additionalProperties"] is False


def test_json_schema_accepts_a_valid_record_and_rejects_bad_ones():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert list(validator.iter_errors(mini_record())) == []
    for path, value in [("claims.0.transfer.category", "spaceships"), ("claims.0.quote", DELETE),
                        ("claims.0.transfer.quantity.low", -1), ("entities.0.id", "Not An Id"),
                        ("claims.0.bogus", 1)]:
        assert list(validator.iter_errors(mutate(mini_record(), path, value))), path


# ---------------------------------------------------------------- dates vs precision


TEXT = "Some words."


def claim(**kw) -> dict:
    return {"key": "k", "predicate": "event", "quote": "Some", "start": 0, "end": 4, **kw}


@pytest.mark.parametrize(("value", "precision"), [
    ("2024-06-19", "day"), ("2024-06-17", "week"), ("2024-06", "month"), ("2024", "year"), (None, "unknown"),
    ("2024-02-29", "day"),
])
def test_dates_that_agree_with_their_precision(value, precision):
    ClaimRec.model_validate(claim(date=value, date_precision=precision))
    AgreementRec.model_validate({"id": "agreement:x", "name": "X", "kind": "pact", "status": "signed",
                                 "signed_on": value, "signed_precision": precision, "parties": ["country:RUS"]})


@pytest.mark.parametrize(("value", "precision", "message"), [
    ("2024-06", "day", "does not match precision 'day'"),
    ("2024", "month", "does not match precision 'month'"),
    ("2024-06-19", "year", "does not match precision 'year'"),
    ("2024-06-19", "unknown", "precision is 'unknown'"),
    (None, "day", "precision is 'day' but no date is given"),
    ("2023-02-29", "day", "is not a calendar date"),
    ("2024-13", "month", "is not a calendar date"),
    ("2024-00-10", "day", "is not a calendar date"),
])
def test_dates_that_contradict_their_precision(value, precision, message):
    with pytest.raises(ValidationError, match=message):
        ClaimRec.model_validate(claim(date=value, date_precision=precision))


@pytest.mark.parametrize("value", ["19 June 2024", "2024/06/19", "24-06-19", "2024-6-1", ""])
def test_dates_must_be_iso(value):
    with pytest.raises(ValidationError):
        ClaimRec.model_validate(claim(date=value, date_precision="day"))


def test_published_has_no_week_precision():
    ArticleRef.model_validate({"text": TEXT, "published": "2024-06-19", "published_precision": "day"})
    with pytest.raises(ValidationError):
        ArticleRef.model_validate({"text": TEXT, "published": "2024-06-17", "published_precision": "week"})
    with pytest.raises(ValidationError, match="no date is given"):
        ArticleRef.model_validate({"text": TEXT, "published_precision": "year"})


def test_record_date_errors_reach_the_record():
    rec = mutate(mini_record(), "article.published_precision", "month")
    with pytest.raises(ValidationError, match="does not match precision 'month'"):
        ArticleRecord.model_validate(rec)
    ArticleRecord.model_validate(mutate(rec, "article.published", "2024-06"))


# ---------------------------------------------------------------- alias keys


@pytest.mark.parametrize(("a", "b"), [
    ("Kim Jong-un", "Kim Jong Un"),
    ("KIM JONG UN", "kim jong-un"),
    ("Kim  Jong\tUn", "Kim Jong Un"),
    ("Škoda Auto", "Skoda Auto"),
    ("Zelenskyy", "ZELENSKYY"),
    ("Kyiv's", "Kyivs"),
    ("Kyiv’s", "Kyiv's"),
    ("D.P.R.K.", "D P R K"),
    ("Raytheon Technologies, Inc.", "raytheon technologies inc"),
    ("Shahed-136", "Shahed 136"),
    ("Ankara (Türkiye)", "ankara turkiye"),
    ("Straße", "STRASSE"),
    ("Москва", "МОСКВА"),
])
def test_alias_key_examples_match(a, b):
    assert alias_key(a) == alias_key(b)


@pytest.mark.parametrize(("text", "key"), [
    ("Kim Jong-un", "kim jong un"),
    ("Škoda  Auto", "skoda auto"),
    ("  --Hello, World!--  ", "hello world"),
    ("U.S.", "u s"),
    ("under_score", "under score"),
    ("", ""),
    ("...", ""),
])
def test_alias_key_values(text, key):
    assert alias_key(text) == key


@pytest.mark.parametrize(("a", "b"), [("Kim Jong Un", "Kim Jong Il"), ("Iran", "Iraq"), ("Niger", "Nigeria"),
                                      ("Korea", "North Korea")])
def test_alias_key_keeps_different_names_apart(a, b):
    assert alias_key(a) != alias_key(b)


def test_slug_uses_the_alias_key():
    assert slug("Kim Jong-un") == "kim-jong-un"
    assert slug("!!!") == "unnamed"


# Latin (with diacritics), Cyrillic, digits, spaces and punctuation: the scripts the names come in.
NAME_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,'’()/&_"
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöøùúûüýÿßŠšŽžČčĆćĐđŁłŃńŚśŹźŻżĘęĄąŐőŰűĞğŞşİı"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
)
names = st.text(alphabet=NAME_ALPHABET, max_size=40)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(names)
def test_alias_key_is_idempotent(name):
    key = alias_key(name)
    assert alias_key(key) == key


@settings(max_examples=300, deadline=None, derandomize=True)
@given(names)
def test_alias_key_is_case_insensitive(name):
    key = alias_key(name)
    assert alias_key(name.upper()) == key
    assert alias_key(name.lower()) == key
    assert alias_key(name.swapcase()) == key


@settings(max_examples=300, deadline=None, derandomize=True)
@given(names)
def test_alias_key_ignores_diacritics_hyphens_and_spacing(name):
    key = alias_key(name)
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    assert alias_key(bare) == key
    assert alias_key(name.replace("-", " ")) == key
    assert alias_key(f"  {name}  ") == key
    assert key == key.strip() and "  " not in key
    assert all(c.isalnum() or c == " " for c in key)


def test_alias_key_folds_turkish_dotless_i():
    assert alias_key("KILIÇDAROĞLU") == alias_key("Kılıçdaroğlu")


# ---------------------------------------------------------------- span checks: fast path = full check

_texts = st.text(alphabet="ab ", min_size=1, max_size=25)
_spans = st.tuples(st.integers(0, 30), st.integers(1, 40), st.text(alphabet="ab ", min_size=1, max_size=6))


def _record_with_span(text: str, start: int, end: int, surface: str, as_claim: bool) -> dict:
    rec = {
        "extractor": {"name": "t", "version": "1"},
        "article": {"text": text},
        "entities": [{"id": "country:IRN", "type": "country", "name": "Iran", "country_code": "IRN"}],
    }
    if as_claim:
        rec["claims"] = [{"key": "c1", "predicate": "other", "quote": surface, "start": start, "end": end}]
    else:
        rec["mentions"] = [{"entity": "country:IRN", "start": start, "end": end, "surface": surface}]
    return rec


@settings(max_examples=400, deadline=None)
@given(text=_texts, span=_spans, as_claim=st.booleans())
def test_record_span_checks_agree_with_check_span(text, span, as_claim):
    """ArticleRecord tests spans with an inline fast path; whatever the span, it must accept and reject
    exactly what _check_span does, with the same field and message (span past the text's end included)."""
    from warehouse.records import RecordError, _check_span

    start, end, surface = span
    where, name = ("claims[0]", "quote") if as_claim else ("mentions[0]", "surface")
    try:
        _check_span(text, start, end, surface, where, name)
        expected = None
    except RecordError as exc:
        expected = str(exc)
    if as_claim and end <= start:  # ClaimRec's own check comes first, located inside the claim
        expected = f"claims.0: end: span end {end} is not after start {start}"
    try:
        ArticleRecord.model_validate(_record_with_span(text, start, end, surface, as_claim))
    except ValidationError as exc:
        err = exc.errors()[0]
        got = err["msg"].removeprefix("Value error, ")
        if err["loc"]:
            got = ".".join(map(str, err["loc"])) + ": " + got
        assert got == expected
    else:
        assert expected is None
