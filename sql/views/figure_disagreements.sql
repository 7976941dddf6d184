-- question: Where do sources give different figures for the same flow, and how far apart are they?
-- grain: one row per (supplier_id, recipient_id, item_category, quantity_unit) reported with two or more different figures by two or more sources (a source: a claimant, or the article itself when unattributed)
-- columns: supplier_id, supplier_name, recipient_id, recipient_name, item_category, quantity_unit, figures (list of struct: low, high, qualifier, status, claimant, article_id, quote), distinct_figures, sources, stories, lowest, highest, spread_ratio
-- stories: distinct stories among the figures' articles (copies and rewrites of one story count once)
-- One source giving several figures (ordered 7, delivered 4) is not a disagreement and is left out.
create or replace view figure_disagreements as
with disputed as (
    -- decide which flows disagree before building the lists of figures. view_transfers: the counted
    -- transfers with their claim and story (warehouse/summaries.py), read here and again below rather than
    -- through one shared CTE (a CTE read twice is materialised whole; a filter on the flow would not reach it)
    select supplier_id, recipient_id, item_category, quantity_unit,
           count(distinct {'low': quantity_low, 'high': quantity_high}) as distinct_figures,
           count(distinct coalesce(claimant_id, 'article:' || article_id)) as sources,
           count(distinct story_id) as stories
    from view_transfers
    where quantity_unit is not null and (quantity_low is not null or quantity_high is not null)
    group by supplier_id, recipient_id, item_category, quantity_unit
    having count(distinct {'low': quantity_low, 'high': quantity_high}) >= 2
       and count(distinct coalesce(claimant_id, 'article:' || article_id)) >= 2
),
figured as (
    select t.supplier_id, t.recipient_id, t.item_category, t.quantity_unit, t.quantity_low, t.quantity_high,
           t.quantity_qualifier, t.status, t.claimant_id, t.article_id, t.quote, t.claim_id
    from view_transfers t
    where t.quantity_unit is not null and (t.quantity_low is not null or t.quantity_high is not null)
),
grouped as (
    select
        f.supplier_id,
        f.recipient_id,
        f.item_category,
        f.quantity_unit,
        list({'low': f.quantity_low, 'high': f.quantity_high, 'qualifier': f.quantity_qualifier, 'status': f.status,
              'claimant': f.claimant_id, 'article_id': f.article_id, 'quote': f.quote}
             order by coalesce(f.quantity_low, f.quantity_high), coalesce(f.quantity_high, f.quantity_low),
                      f.article_id, f.claim_id) as figures,
        any_value(d.distinct_figures) as distinct_figures,
        any_value(d.sources) as sources,
        any_value(d.stories) as stories,
        min(coalesce(f.quantity_low, f.quantity_high)) as lowest,
        max(coalesce(f.quantity_high, f.quantity_low)) as highest
    from figured f
    join disputed d using (supplier_id, recipient_id, item_category, quantity_unit)
    group by f.supplier_id, f.recipient_id, f.item_category, f.quantity_unit
)
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
from grouped g
join entities sup on sup.entity_id = g.supplier_id
join entities rec on rec.entity_id = g.recipient_id
order by spread_ratio desc nulls last, g.supplier_id, g.recipient_id
