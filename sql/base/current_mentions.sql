-- The mentions of each article's current record (see current_claims).
create or replace view current_mentions as
select m.*
from mentions m
semi join view_articles v on v.article_id = m.article_id and v.counted_extractor = m.extractor
