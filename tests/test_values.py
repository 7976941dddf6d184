"""Deal values (record format 1.1): a transfer's value as written, through loader and views."""

from __future__ import annotations

import json

import duckdb
from conftest import write_records
from factories import mini_record, mutate


def valued(n: int, amount: float | None, currency: str | None, version: str = "1.1") -> dict:
    rec = mini_record(f"Report {n}. " + mini_record()["article"]["text"])
    rec["record_version"] = version
    # four outlets: near-identical texts from one publisher would be one page's versions (warehouse.stories)
    rec["article"]["publisher"] = ("Reuters", "AP", "AFP", "DW", "Yonhap", "TASS", "Bloomberg", "BBC")[n % 8]
    rec = mutate(rec, "claims.0.transfer.value_amount", amount)
    rec = mutate(rec, "claims.0.transfer.value_currency", currency)
    return mutate(rec, "claims.0.transfer.value_text", f"worth {amount} {currency}" if amount else None)


def test_values_load_and_views_sum_distinct_values_per_currency(fresh_db, cli, tmp_path):
    path = write_records(tmp_path / "r.jsonl", valued(1, 2.6e9, "USD"), valued(2, 2.6e9, "USD"),
                         valued(3, 4.5e8, "EUR"), valued(4, None, None))
    res = cli("load", path)
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        reports = sorted(con.execute("SELECT value_amount, value_currency, value_text FROM transfer_reports "
                                     "WHERE supplier_id = 'country:IRN'").fetchall(), key=repr)
        flows = con.execute("SELECT reports, value_totals FROM transfer_flows WHERE supplier_id = 'country:IRN'"
                            ).fetchall()
    finally:
        con.close()
    assert reports == sorted([(2.6e9, "USD", "worth 2600000000.0 USD")] * 2
                             + [(4.5e8, "EUR", "worth 450000000.0 EUR"), (None, None, None)], key=repr)
    # the same $2.6 billion in two reports counts once; currencies are never added together
    assert flows == [(4, [{"currency": "EUR", "total": 4.5e8, "reports": 1},
                          {"currency": "USD", "total": 2.6e9, "reports": 2}])]


def test_a_flow_without_values_has_an_empty_list(fresh_db, cli, tmp_path):
    assert cli("load", write_records(tmp_path / "r.json", mini_record())).exit_code == 0
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        assert con.execute("SELECT value_totals FROM transfer_flows").fetchall() == [([],)]
    finally:
        con.close()


def test_version_1_0_records_load_unchanged_and_may_not_carry_values(fresh_db, cli, tmp_path):
    old = mini_record()
    assert old["record_version"] == "1.0"
    assert cli("load", write_records(tmp_path / "old.json", old)).exit_code == 0
    bad = write_records(tmp_path / "bad.json", valued(5, 1e6, "USD", version="1.0"))
    res = cli("load", bad)
    assert res.exit_code == 1
    assert res.stderr == (f"Error: {bad} record 1 field claims[0].transfer.value_amount: "
                          "deal values need record_version 1.1 (this record says 1.0)\n")


def test_amount_and_currency_go_together(fresh_db, cli, tmp_path):
    for amount, currency, field in ((1e6, None, "value_currency"), (None, "USD", "value_amount")):
        f = write_records(tmp_path / f"{field}.json", valued(6, amount, currency))
        res = cli("load", f)
        assert res.exit_code == 1
        assert res.stderr == (f"Error: {f} record 1 field claims[0].transfer.{field}: "
                              "value_amount and value_currency go together\n")
    f = write_records(tmp_path / "cur.json", valued(7, 1e6, "dollars"))
    assert "field claims[0].transfer.value_currency" in cli("load", f).stderr


def test_a_1_0_record_serializes_as_before(tmp_path):
    """The canonical JSON (and so the content hash) of a 1.0 record holds no value keys."""
    from warehouse.records import ArticleRecord

    rec = ArticleRecord.model_validate(mini_record())
    assert "value_amount" not in json.loads(rec.model_dump_json())["claims"][0]["transfer"]
