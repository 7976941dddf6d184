-- question: Where do sources give different figures for the same flow, and how far apart are they?
-- grain: one row per (supplier_id, recipient_id, item_category, quantity_unit) reported with two or more different figures by two or more sources (a source: a claimant, or the article itself when unattributed)
-- columns: supplier_id, supplier_name, recipient_id, recipient_name, item_category, quantity_unit, figures (list of struct: low, high, qualifier, status, claimant, article_id, quote), distinct_figures, sources, stories, lowest, highest, spread_ratio
-- stories: distinct stories among the figures' articles (copies and rewrites of one story count once)
-- One source giving several figures (ordered 7, delivered 4) is not a disagreement and is left out.
-- Reads view_figure_flows (warehouse/summaries.py, revision 0012): one row per disputed (flow, unit) with its
-- figures, recomputed by the loader for the flows a batch's articles report.
create or replace view figure_disagreements as
select
    g.supplier_id,
    sup.name as supplier_name,
    g.recipient_id,
    rec.name as recipient_name,
    g.item_category,
    g.quantity_unit,
    g.figures,
    g.distinct_figures,
    g.sources,
    g.stories,
    g.lowest,
    g.highest,
    round(g.highest / nullif(g.lowest, 0), 3) as spread_ratio
from view_figure_flows g
join entities sup on sup.entity_id = g.supplier_id
join entities rec on rec.entity_id = g.recipient_id
order by spread_ratio desc nulls last, g.supplier_id, g.recipient_id
