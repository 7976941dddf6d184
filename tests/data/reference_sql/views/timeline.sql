-- question: What happened when: dated transfers, agreements, visits and other events, in order, with their dates as written?
-- grain: one row per dated claim (a claim with a resolved event date or a raw date expression) plus one row per agreement with a signing date
-- columns: event_date, date_precision, date_text, kind, summary, claim_id, article_id, published_on
create or replace view timeline as
with claim_events as (
    select
        c.event_date,
        c.event_date_precision as date_precision,
        c.date_text,
        case when c.predicate = 'event' and c.summary ilike '%visit%' then 'visit' else c.predicate end as kind,
        coalesce(
            c.summary,
            case when t.transfer_id is not null
                 then sup.name || ' -> ' || rec.name || ': ' || t.item || ' (' || t.status || ')' end,
            left(c.quote, 160)
        ) as summary,
        c.claim_id,
        c.article_id
    from current_claims c
    left join transfers t on t.claim_id = c.claim_id
    left join entities sup on sup.entity_id = t.supplier_id
    left join entities rec on rec.entity_id = t.recipient_id
    where c.event_date is not null or c.date_text is not null
),
agreement_events as (
    select
        g.signed_on as event_date,
        g.signed_precision as date_precision,
        null::varchar as date_text,
        'agreement' as kind,
        g.name || ' (' || g.status || ')' as summary,
        null::varchar as claim_id,
        (select min(c.article_id) from agreement_claims ac join current_claims c on c.claim_id = ac.claim_id
          where ac.agreement_id = g.agreement_id) as article_id
    from current_agreements g
    where g.signed_on is not null
)
select e.event_date, e.date_precision, e.date_text, e.kind, e.summary, e.claim_id, e.article_id, a.published_on
from (select * from claim_events union all select * from agreement_events) e
left join articles a on a.article_id = e.article_id
order by e.event_date nulls last, e.kind, e.summary
