-- question: Who and what appears in the corpus: under which names, how often, in how many articles, from when to when?
-- grain: one row per entity that is mentioned or referred to by a claim in at least one article
-- columns: entity_id, name, type, country_code, parent_id, is_new, aliases, mentions, articles, stories, first_seen, last_seen
-- stories: distinct stories among those articles (copies and rewrites of one story count once)
create or replace view entity_profiles as
with refs as (
    select entity_id, article_id, 1 as is_mention from current_mentions
    union all
    select unnest([claimant_id, subject_id, object_id]) as entity_id, article_id, 0 from current_claims
    union all
    select unnest([t.supplier_id, t.recipient_id, t.system_id]), c.article_id, 0
    from transfers t join current_claims c on c.claim_id = t.claim_id
),
per_entity as (
    select r.entity_id, sum(r.is_mention) as mentions, count(distinct r.article_id) as articles,
           count(distinct ast.story_id) as stories,
           min(a.published_on) as first_seen, max(a.published_on) as last_seen
    from refs r
    join articles a on a.article_id = r.article_id
    join article_story ast on ast.article_id = r.article_id
    where r.entity_id is not null
    group by r.entity_id
),
aliases as (
    select entity_id, list_sort(list(distinct alias)) as aliases from entity_aliases group by entity_id
)
select
    e.entity_id,
    e.name,
    e.entity_type as type,
    e.country_code,
    e.parent_id,
    e.is_new,
    coalesce(al.aliases, []::varchar[]) as aliases,
    p.mentions::bigint as mentions,
    p.articles,
    p.stories,
    p.first_seen,
    p.last_seen
from per_entity p
join entities e on e.entity_id = p.entity_id
left join aliases al on al.entity_id = e.entity_id
order by p.articles desc, p.mentions desc, e.entity_id
