-- question: What roles and titles do the articles give people, and where do they disagree?
-- grain: one row per role assertion (one role claim in one article)
-- columns: person_id, person_name, role, organization_id, organization_name, article_id, published_on, claimant_id, claim_id, quote, conflicting
-- conflicting: true when two articles give the person disjoint sets of roles (compared case-insensitively), e.g. one calls him national security adviser and another defense minister; several roles in one article (minister and envoy) are not a conflict.
create or replace view role_assertions as
-- view_roles (warehouse/summaries.py): the roles of the counted claims with their claim's article, claimant,
-- quote and the article's date, kept by the loader: a filter on person_id is a filter on that one table
with role_sets as (
    -- the distinct sets of roles one article gives a person; comparing sets rather than
    -- article pairs keeps this linear when thousands of articles repeat the same title.
    -- Reads view_roles again rather than sharing a CTE with the select below: a CTE read twice is
    -- materialised whole, and a filter on one person would not reach the scans
    select distinct person_id, role_keys
    from (select person_id, article_id, list_sort(list(distinct lower(trim(role)))) as role_keys
          from view_roles
          group by person_id, article_id)
),
conflicted as (
    select distinct x.person_id
    from role_sets x
    join role_sets y on y.person_id = x.person_id and x.role_keys < y.role_keys
    where not list_has_any(x.role_keys, y.role_keys)
)
select
    r.person_id,
    p.name as person_name,
    r.role,
    r.organization_id,
    o.name as organization_name,
    r.article_id,
    r.published_on,
    r.claimant_id,
    r.claim_id,
    r.quote,
    cf.person_id is not null as conflicting
from view_roles r
left join conflicted cf on cf.person_id = r.person_id
join entities p on p.entity_id = r.person_id
left join entities o on o.entity_id = r.organization_id
order by r.person_id, r.published_on, r.role
