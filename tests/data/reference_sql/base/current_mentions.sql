-- The mentions of each article's current record (see current_claims).
create or replace view current_mentions as
select m.*
from mentions m
semi join current_records r on r.article_id = m.article_id and r.extractor = m.extractor
anti join superseded_articles s on s.article_id = m.article_id
