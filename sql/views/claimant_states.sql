-- question: Which state speaks through each claimant: who, for each country, asserts, denies or reports what (its officials, ministries, agencies, named people and national media together)?
-- grain: one row per (claimant_state, claimant); a claimant with no state (an analyst, a UN body) has a NULL claimant_state
-- columns: claimant_state, claimant_state_name, claimant_id, claimant_name, claimant_type, claims, transfer_claims, denials, agreement_claims, articles
-- A claimant's state is the claimant itself when it is a country, else the first country up its chain of
-- parents (entities.parent_id, at most four steps): a person's country ("Defence Secretary Gilberto
-- Teodoro" -> the Philippines), an agency's (DSCA -> the United States), a state's media
-- ("other:indian-media" -> India). Filter on claimant_state to ask by country:
--   select * from claimant_states where claimant_state = 'country:KOR'
create or replace view claimant_states as
-- the counts per claimant come from view_claimants (warehouse/summaries.py, revision 0012: moved by the loader by
-- the difference of the touched articles' old and new claims), one row per claimant instead of every counted claim;
-- the chain is walked from every entity (a few thousand rows), not from the claimants of every claim (a scan of
-- all the counted claims before the filter): a claimant's state is its entity's
with recursive chain(claimant_id, entity_id, depth) as (
    select e.entity_id, e.entity_id, 0
    from entities e
    union all
    select ch.claimant_id, e.parent_id, ch.depth + 1
    from chain ch
    join entities e on e.entity_id = ch.entity_id
    where e.entity_type <> 'country' and e.parent_id is not null and ch.depth < 4
),
states as (
    select ch.claimant_id, arg_min(ch.entity_id, ch.depth) as claimant_state
    from chain ch
    join entities e on e.entity_id = ch.entity_id
    where e.entity_type = 'country'
    group by ch.claimant_id
)
select
    st.claimant_state,
    se.name as claimant_state_name,
    c.claimant_id,
    ce.name as claimant_name,
    ce.entity_type as claimant_type,
    c.claims,
    c.transfer_claims,
    c.denials,
    c.agreement_claims,
    c.articles
from view_claimants c
left join states st on st.claimant_id = c.claimant_id
left join entities se on se.entity_id = st.claimant_state
left join entities ce on ce.entity_id = c.claimant_id
where c.claimant_id is not null
order by st.claimant_state nulls last, c.claims desc, c.claimant_id
