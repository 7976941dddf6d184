-- question: Who makes claims, how many of them assert or deny, how many are hedged, and about whom?
-- grain: one row per claimant (unattributed claims form one row with a NULL claimant_id)
-- columns: claimant_id, claimant_name, claims, assertions, denials, hedged, predicates, subjects, articles
create or replace view claimant_activity as
select
    c.claimant_id,
    coalesce(e.name, '(unattributed)') as claimant_name,
    count(*) as claims,
    count(*) filter (where c.stance = 'asserts') as assertions,
    count(*) filter (where c.stance = 'denies') as denials,
    count(*) filter (where c.hedge <> 'confirmed') as hedged,
    list_sort(list(distinct c.predicate)) as predicates,
    list_sort(list(distinct c.subject_id) filter (where c.subject_id is not null)) as subjects,
    count(distinct c.article_id) as articles
from current_claims c
left join entities e on e.entity_id = c.claimant_id
group by c.claimant_id, e.name
order by claims desc, c.claimant_id nulls last
