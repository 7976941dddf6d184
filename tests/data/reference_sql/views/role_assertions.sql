-- question: What roles and titles do the articles give people, and where do they disagree?
-- grain: one row per role assertion (one role claim in one article)
-- columns: person_id, person_name, role, organization_id, organization_name, article_id, published_on, claimant_id, claim_id, quote, conflicting
-- conflicting: true when two articles give the person disjoint sets of roles (compared case-insensitively), e.g. one calls him national security adviser and another defense minister; several roles in one article (minister and envoy) are not a conflict.
create or replace view role_assertions as
with roles as (
    select pr.person_id, pr.role, lower(trim(pr.role)) as role_key, pr.organization_id, c.article_id, c.claimant_id,
           c.claim_id, c.quote
    from person_roles pr
    join current_claims c on c.claim_id = pr.claim_id
),
role_sets as (
    -- the distinct sets of roles one article gives a person; comparing sets rather than
    -- article pairs keeps this linear when thousands of articles repeat the same title
    select distinct person_id, role_keys
    from (select person_id, article_id, list_sort(list(distinct role_key)) as role_keys
          from roles group by person_id, article_id)
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
    a.published_on,
    r.claimant_id,
    r.claim_id,
    r.quote,
    cf.person_id is not null as conflicting
from roles r
left join conflicted cf on cf.person_id = r.person_id
join entities p on p.entity_id = r.person_id
left join entities o on o.entity_id = r.organization_id
join articles a on a.article_id = r.article_id
order by r.person_id, a.published_on, r.role
