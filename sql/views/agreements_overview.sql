-- question: Which agreements (treaties, pacts, deals) are reported, between whom, when, with what provisions, and how widely reported?
-- grain: one row per real-world agreement
-- columns: agreement_id, name, kind, status, parties, party_names, signed_on, signed_precision, provisions, reports, articles
create or replace view agreements_overview as
with parties as (
    select ap.agreement_id, list_sort(list(ap.entity_id)) as parties,
           list(e.name order by ap.entity_id) as party_names
    from agreement_parties ap
    join entities e on e.entity_id = ap.entity_id
    group by ap.agreement_id
),
-- view_agreement_provisions and view_agreements (warehouse/summaries.py): the provisions of the counted claims, and
-- per agreement its counted reports and their articles, kept by the loader
provisions as (
    select agreement_id, list_sort(list(distinct provision)) as provisions
    from view_agreement_provisions
    group by agreement_id
),
reports as (
    select agreement_id, reports, articles from view_agreements
),
-- the agreements some claim reports (counted or not): a left join, not `not exists`, so that a filter on
-- agreement_id reaches this scan too (the correlated subquery built a hash table of all of agreement_claims)
claimed as (
    select distinct agreement_id from agreement_claims
)
select
    g.agreement_id,
    g.name,
    g.kind,
    g.status,
    coalesce(p.parties, []::varchar[]) as parties,
    coalesce(p.party_names, []::varchar[]) as party_names,
    g.signed_on,
    g.signed_precision,
    coalesce(v.provisions, []::varchar[]) as provisions,
    coalesce(r.reports, 0) as reports,
    coalesce(r.articles, 0) as articles
from agreements g
left join parties p using (agreement_id)
left join provisions v using (agreement_id)
left join reports r using (agreement_id)
left join claimed ac on ac.agreement_id = g.agreement_id
-- the agreements of current_agreements, written as joins so that a filter on agreement_id reaches every
-- part: reported by a counted claim (reports > 0), or declared and reported by no claim at all
where r.reports > 0 or ac.agreement_id is null
order by articles desc, g.agreement_id
