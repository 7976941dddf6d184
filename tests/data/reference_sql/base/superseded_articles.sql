-- Articles whose facts no view counts because another copy of the same article by the same
-- publisher stands for it (warehouse/stories.py links them; article_stories.superseded_by names the
-- later copy). The later copy (an update, the page again with other furniture) wins, except that a
-- copy with a curated record always wins over one without.
create or replace view superseded_articles as
with pairs as (
    select s.article_id as older, s.superseded_by as newer,
           coalesce(ro.extractor = 'curated', false) as older_curated,
           coalesce(rn.extractor = 'curated', false) as newer_curated
    from article_stories s
    left join current_records ro on ro.article_id = s.article_id
    left join current_records rn on rn.article_id = s.superseded_by
    where s.superseded_by is not null
)
select distinct case when older_curated and not newer_curated then newer else older end as article_id
from pairs
