-- question: Which publishers does the warehouse cover, and how much does each contribute?
-- grain: one row per publisher (articles without a known publisher form the row 'unknown')
-- columns: publisher, source_id, articles, stories, claims, transfers, first_published, last_published
-- stories: distinct stories among the publisher's articles (its own copies and updates of one story count once)
-- view_articles (warehouse/summaries.py) holds each article's story and its counted claims and transfers.
create or replace view source_coverage as
with art as (
    select v.article_id, coalesce(s.name, 'unknown') as publisher, v.source_id, v.published_on, v.story_id,
           v.claims, v.transfers
    from view_articles v
    left join sources s on s.source_id = v.source_id
)
select
    publisher,
    any_value(source_id) as source_id,
    count(*) as articles,
    count(distinct story_id) as stories,
    sum(claims)::bigint as claims,
    sum(transfers)::bigint as transfers,
    min(published_on) as first_published,
    max(published_on) as last_published
from art
group by publisher
order by articles desc, publisher
