-- question: Who makes claims, how many of them assert or deny, how many are hedged, and about whom?
-- grain: one row per claimant (unattributed claims form one row with a NULL claimant_id)
-- columns: claimant_id, claimant_name, claims, assertions, denials, hedged, predicates, subjects, articles
-- Reads view_claimants (warehouse/summaries.py, revision 0012): the counted claims' counts per claimant, moved by
-- the loader by the difference of the touched articles' old and new claims, with their predicates and subjects.
create or replace view claimant_activity as
select
    c.claimant_id,
    coalesce(e.name, '(unattributed)') as claimant_name,
    c.claims,
    c.assertions,
    c.denials,
    c.hedged,
    c.predicates,
    c.subjects,
    c.articles
from view_claimants c
left join entities e on e.entity_id = c.claimant_id
order by c.claims desc, c.claimant_id nulls last
