-- question: Who and what appears in the corpus: under which names, how often, in how many articles, from when to when?
-- grain: one row per entity that is mentioned or referred to by a claim in at least one article
-- columns: entity_id, name, type, country_code, parent_id, is_new, aliases, mentions, articles, stories, first_seen, last_seen
-- stories: distinct stories among those articles (copies and rewrites of one story count once)
-- view_entity_articles (warehouse/summaries.py): one row per (entity, article) that refers to it, with the
-- article's mentions of it, story and date, kept by the loader.
create or replace view entity_profiles as
with per_entity as (
    select entity_id, sum(mentions) as mentions, count(*) as articles, count(distinct story_id) as stories,
           min(published_on) as first_seen, max(published_on) as last_seen
    from view_entity_articles
    group by entity_id
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
