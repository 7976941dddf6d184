-- question: Which publishers does the warehouse cover, and how much does each contribute?
-- grain: one row per publisher (articles without a known publisher form the row 'unknown')
-- columns: publisher, source_id, articles, stories, claims, transfers, first_published, last_published
-- stories: distinct stories among the publisher's articles (its own copies and updates of one story count once)
create or replace view source_coverage as
with art as (
    select a.article_id, coalesce(s.name, 'unknown') as publisher, a.source_id, a.published_on, ast.story_id
    from articles a
    left join sources s on s.source_id = a.source_id
    join article_story ast on ast.article_id = a.article_id
),
per_article as (
    select
        art.*,
        (select count(*) from current_claims c where c.article_id = art.article_id) as claims,
        (select count(*) from transfers t join current_claims c on c.claim_id = t.claim_id
          where c.article_id = art.article_id) as transfers
    from art
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
from per_article
group by publisher
order by articles desc, publisher
