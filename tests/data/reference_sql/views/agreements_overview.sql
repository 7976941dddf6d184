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
provisions as (
    select p.agreement_id, list_sort(list(distinct p.provision)) as provisions
    from agreement_provisions p
    semi join current_claims c on c.claim_id = p.claim_id
    group by p.agreement_id
),
reports as (
    select ac.agreement_id, count(distinct ac.claim_id) as reports, count(distinct c.article_id) as articles
    from agreement_claims ac
    join current_claims c on c.claim_id = ac.claim_id
    group by ac.agreement_id
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
from current_agreements g
left join parties p using (agreement_id)
left join provisions v using (agreement_id)
left join reports r using (agreement_id)
order by articles desc, g.agreement_id
