-- question: Which transfers does each article report: who supplies what to whom, with what figures, status and hedges, and who says so?
-- grain: one row per reported transfer (one transfer claim in one article)
-- columns: transfer_id, claim_id, article_id, article_title, publisher, published_on, published_precision, supplier_id, supplier_name, recipient_id, recipient_name, item, item_category, system_id, system_name, quantity_low, quantity_high, quantity_unit, quantity_qualifier, quantity_text, value_amount, value_currency, value_text, status, claimant_id, claimant_name, stance, hedge, event_date, event_date_precision, date_text, period_text, quote, start_char, end_char, extractor, extractor_version
-- Read from view_transfers (warehouse/summaries.py): the counted transfers with their claim's and
-- article's columns, kept by the loader; a filter on any column is a filter on that one table.
create or replace view transfer_reports as
select
    t.transfer_id,
    t.claim_id,
    t.article_id,
    t.article_title,
    coalesce(s.name, 'unknown') as publisher,
    t.published_on,
    t.published_precision,
    t.supplier_id,
    sup.name as supplier_name,
    t.recipient_id,
    rec.name as recipient_name,
    t.item,
    t.item_category,
    t.system_id,
    sys.name as system_name,
    t.quantity_low,
    t.quantity_high,
    t.quantity_unit,
    t.quantity_qualifier,
    t.quantity_text,
    t.value_amount,  -- the deal's value as written, in value_currency (never converted)
    t.value_currency,
    t.value_text,
    t.status,
    t.claimant_id,
    cl.name as claimant_name,
    t.stance,
    t.hedge,
    t.event_date,
    t.event_date_precision,
    t.date_text,
    t.period_text,
    t.quote,
    t.start_char,
    t.end_char,
    t.extractor,
    t.extractor_version
from view_transfers t
left join sources s on s.source_id = t.source_id
join entities sup on sup.entity_id = t.supplier_id
join entities rec on rec.entity_id = t.recipient_id
left join entities sys on sys.entity_id = t.system_id
left join entities cl on cl.entity_id = t.claimant_id
