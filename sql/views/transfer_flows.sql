-- question: Who supplies what category of goods to whom, how often is it reported, by how many outlets, with what range of figures, and who denies it?
-- grain: one row per (supplier_id, recipient_id, item_category)
-- columns: supplier_id, supplier_name, recipient_id, recipient_name, item_category, reports, articles, publishers, quantity_min, quantity_max, quantity_unit, statuses, claimants, denied_by, first_published, last_published, value_totals, stories, independent_sources
-- stories: distinct stories among the reports' articles (re-published wire copies, updates and other outlets'
--   rewrites of one story count once: warehouse/stories.py); independent_sources: distinct original publishers
--   (the source of each story's earliest article) of those stories
-- value_totals: per currency (never converted), the sum of the distinct deal values reported for the flow
--   (one figure repeated by several reports counts once), with how many reports give a value: a list of
--   {currency, total, reports}, empty when no report states a value
-- Reads view_flows (warehouse/summaries.py, revision 0012): one row per flow with every column but the names,
-- recomputed by the loader for the flows a batch's articles report or deny, so a filter on the flow reads one
-- row per flow instead of aggregating every counted transfer.
create or replace view transfer_flows as
select
    f.supplier_id,
    sup.name as supplier_name,
    f.recipient_id,
    rec.name as recipient_name,
    f.item_category,
    f.reports,
    f.articles,
    f.publishers,
    f.quantity_min,
    f.quantity_max,
    f.quantity_unit,
    f.statuses,
    f.claimants,
    f.denied_by,
    f.first_published,
    f.last_published,
    f.value_totals,
    f.stories,
    f.independent_sources
from view_flows f
join entities sup on sup.entity_id = f.supplier_id
join entities rec on rec.entity_id = f.recipient_id
order by f.reports desc, f.supplier_id, f.recipient_id, f.item_category
