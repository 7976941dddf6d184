-- Each article's story (warehouse/stories.py): its story id, the story's original publisher (the
-- source of its earliest article) and, for an article an update by its own publisher replaced,
-- the article that supersedes it. An article without a story row is a story of its own.
create or replace view article_story as
select
    a.article_id,
    coalesce(s.story_id, 'sty_' || a.article_id) as story_id,
    coalesce(st.original_publisher, a.source_id) as original_publisher,
    s.superseded_by
from articles a
left join article_stories s on s.article_id = a.article_id
left join stories st on st.story_id = s.story_id
