"""Small, valid records built in code, for loader and view tests."""

from __future__ import annotations

import copy

from warehouse.normalize import article_id_for

TEXT = (
    "Iran has shipped hundreds of Shahed drones to Russia, U.S. officials said on Monday. "
    "Tehran denied supplying drones to Moscow. "
    "Defense Minister Jane Doe of Ruritania said the two countries signed a defence pact."
)


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def mini_record(text: str = TEXT, extractor: str = "curated") -> dict:
    """A valid record dict: one transfer, its denial, a role and an agreement."""
    q1 = "Iran has shipped hundreds of Shahed drones to Russia, U.S. officials said on Monday."
    q2 = "Tehran denied supplying drones to Moscow."
    q3 = "Defense Minister Jane Doe of Ruritania"
    q4 = "the two countries signed a defence pact"
    s1, s2, s3, s4 = span(text, q1), span(text, q2), span(text, q3), span(text, q4)
    m_iran = span(text, "Iran")
    return {
        "record_version": "1.0",
        "extractor": {"name": extractor, "version": "1.0"},
        "article": {
            "id": article_id_for(text),
            "origin_file": "mini.txt",
            "title": "Mini",
            "publisher": "Reuters",
            "published": "2024-06-19",
            "published_precision": "day",
            "text": text,
        },
        "entities": [
            {"id": "country:IRN", "type": "country", "name": "Iran", "country_code": "IRN", "aliases": ["Tehran"]},
            {"id": "country:RUS", "type": "country", "name": "Russia", "country_code": "RUS", "aliases": ["Moscow"]},
            {"id": "country:USA", "type": "country", "name": "United States", "country_code": "USA"},
            {"id": "system:shahed-136", "type": "weapon_system", "name": "Shahed"},
            {"id": "person:jane-doe", "type": "person", "name": "Jane Doe"},
        ],
        "mentions": [{"entity": "country:IRN", "start": m_iran[0], "end": m_iran[1], "surface": "Iran", "sentence": 0}],
        "claims": [
            {
                "key": "t1",
                "predicate": "transfer",
                "claimant": "country:USA",
                "subject": "country:IRN",
                "object": "country:RUS",
                "hedge": "reported",
                "quote": q1,
                "start": s1[0],
                "end": s1[1],
                "date": "2024-06-17",
                "date_precision": "day",
                "date_text": "on Monday",
                "transfer": {
                    "supplier": "country:IRN",
                    "recipient": "country:RUS",
                    "item": "Shahed drones",
                    "category": "drones",
                    "system": "system:shahed-136",
                    "quantity": {
                        "low": 200,
                        "high": None,
                        "unit": "drone",
                        "qualifier": "hundreds",
                        "text": "hundreds",
                    },
                    "status": "delivered",
                },
            },
            {
                "key": "d1",
                "predicate": "denial",
                "claimant": "country:IRN",
                "stance": "denies",
                "hedge": "confirmed",
                "quote": q2,
                "start": s2[0],
                "end": s2[1],
                "denies": ["t1"],
            },
            {
                "key": "r1",
                "predicate": "role",
                "subject": "person:jane-doe",
                "quote": q3,
                "start": s3[0],
                "end": s3[1],
                "role": {"person": "person:jane-doe", "role": "Defense Minister"},
            },
            {
                "key": "a1",
                "predicate": "agreement",
                "claimant": "person:jane-doe",
                "quote": q4,
                "start": s4[0],
                "end": s4[1],
                "agreement": "agreement:irn-rus-defence-pact",
                "provisions": ["defence cooperation"],
            },
        ],
        "agreements": [
            {
                "id": "agreement:irn-rus-defence-pact",
                "name": "Iran-Russia defence pact",
                "kind": "pact",
                "status": "signed",
                "parties": ["country:IRN", "country:RUS"],
            }
        ],
    }


def mutate(record: dict, path: str, value) -> dict:
    """A copy with one field replaced: path like 'claims.0.transfer.category'."""
    rec = copy.deepcopy(record)
    node = rec
    parts = path.split(".")
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node[p]
    last = parts[-1]
    if value is _DELETE:
        del node[int(last) if last.isdigit() else last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return rec


_DELETE = object()
DELETE = _DELETE
