-- The claims of each article's current record (current_records): one version of the facts per
-- article. Every canned view reads claims through this view, so an extracted record of an article
-- that has a curated one, or a superseded extraction, is kept in the tables but counted nowhere;
-- so are the claims of an article another copy by the same publisher stands for (superseded_articles).
-- view_claims holds exactly those claims, kept by the loader for the articles each batch touches
-- (warehouse/summaries.py): a filter on a claim column is a filter on one table, with no join.
create or replace view current_claims as
select * from view_claims
