-- The claims of each article's current record (current_records): one version of the facts per
-- article. Every canned view reads claims through this view, so an extracted record of an article
-- that has a curated one, or a superseded extraction, is kept in the tables but counted nowhere;
-- so are the claims of an article another copy by the same publisher stands for (superseded_articles).
create or replace view current_claims as
select c.*
from claims c
semi join current_records r on r.article_id = c.article_id and r.extractor = c.extractor
anti join superseded_articles s on s.article_id = c.article_id
