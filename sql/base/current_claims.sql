-- The claims of each article's current record (current_records): one version of the facts per
-- article. Every canned view reads claims through this view, so an extracted record of an article
-- that has a curated one, or a superseded extraction, is kept in the tables but counted nowhere;
-- so are the claims of an article another copy by the same publisher stands for (superseded_articles).
-- view_articles.counted_extractor holds that decision per article (the current record's extractor,
-- NULL when superseded), kept by the loader (warehouse/summaries.py): one narrow join, not three.
create or replace view current_claims as
select c.*
from claims c
semi join view_articles v on v.article_id = c.article_id and v.counted_extractor = c.extractor
