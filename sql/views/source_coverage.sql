-- question: Which publishers does the warehouse cover, and how much does each contribute?
-- grain: one row per publisher (articles without a known publisher form the row 'unknown')
-- columns: publisher, source_id, articles, stories, claims, transfers, first_published, last_published
-- stories: distinct stories among the publisher's articles (its own copies and updates of one story count once)
-- Reads view_sources (warehouse/summaries.py, revision 0012): one row per publisher, summed by the loader from
-- view_source_stories (one row per (publisher, story) of view_articles, recomputed for the stories a batch's
-- articles join or leave). A filter on source_id (any_value of an aggregate) could not reach the scan of
-- view_articles: each question counted the distinct stories of every publisher first.
create or replace view source_coverage as
select publisher, source_id, articles, stories, claims, transfers, first_published, last_published
from view_sources
order by articles desc, publisher
