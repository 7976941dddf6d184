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
    -- a counted claim's transfer is a counted transfer (view_transfers, with its claim's article: a filter on
    -- article_id reaches this scan too)
    left join view_transfers t on t.claim_id = c.claim_id and t.article_id = c.article_id
    left join entities sup on sup.entity_id = t.supplier_id
    left join entities rec on rec.entity_id = t.recipient_id
    where c.event_date is not null or c.date_text is not null
),
agreement_events as (
    -- current_agreements in two parts: reported by a counted claim (view_agreements: its first article, the
    -- least id, kept by the loader), or declared and reported by no claim at all (no article)
    select
        g.signed_on as event_date,
        g.signed_precision as date_precision,
        null::varchar as date_text,
        'agreement' as kind,
        g.name || ' (' || g.status || ')' as summary,
        null::varchar as claim_id,
        va.article_id
    from agreements g
    join view_agreements va on va.agreement_id = g.agreement_id
    where g.signed_on is not null
    union all
    select g.signed_on, g.signed_precision, null::varchar, 'agreement', g.name || ' (' || g.status || ')',
           null::varchar, null::varchar
    from agreements g
    where g.signed_on is not null
      and not exists (select 1 from agreement_claims ac where ac.agreement_id = g.agreement_id)
)
select e.event_date, e.date_precision, e.date_text, e.kind, e.summary, e.claim_id, e.article_id, a.published_on
from (select * from claim_events union all select * from agreement_events) e
left join articles a on a.article_id = e.article_id
order by e.event_date nulls last, e.kind, e.summary
