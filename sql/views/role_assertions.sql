-- question: What roles and titles do the articles give people, and where do they disagree?
-- grain: one row per role assertion (one role claim in one article)
-- columns: person_id, person_name, role, organization_id, organization_name, article_id, published_on, claimant_id, claim_id, quote, conflicting
-- conflicting: true when the corpus gives the same person two or more different roles (compared case-insensitively).
create or replace view role_assertions as
with roles as (
    select pr.person_id, pr.role, pr.organization_id, c.article_id, c.claimant_id, c.claim_id, c.quote
    from person_roles pr
    join claims c on c.claim_id = pr.claim_id
),
per_person as (
    select person_id, count(distinct lower(trim(role))) as distinct_roles from roles group by person_id
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
    pp.distinct_roles > 1 as conflicting
from roles r
join per_person pp using (person_id)
join entities p on p.entity_id = r.person_id
left join entities o on o.entity_id = r.organization_id
join articles a on a.article_id = r.article_id
order by r.person_id, a.published_on, r.role
