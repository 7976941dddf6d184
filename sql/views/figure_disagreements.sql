-- question: Where do sources give different figures for the same flow, and how far apart are they?
-- grain: one row per (supplier_id, recipient_id, item_category, quantity_unit) reported with two or more different figures by two or more sources (a source: a claimant, or the article itself when unattributed)
-- columns: supplier_id, supplier_name, recipient_id, recipient_name, item_category, quantity_unit, figures (list of struct: low, high, qualifier, status, claimant, article_id, quote), distinct_figures, sources, lowest, highest, spread_ratio
-- One source giving several figures (ordered 7, delivered 4) is not a disagreement and is left out.
create or replace view figure_disagreements as
with figured as (
    select *
    from transfer_reports
    where quantity_unit is not null and (quantity_low is not null or quantity_high is not null)
)
select
    supplier_id,
    any_value(supplier_name) as supplier_name,
    recipient_id,
    any_value(recipient_name) as recipient_name,
    item_category,
    quantity_unit,
    list({'low': quantity_low, 'high': quantity_high, 'qualifier': quantity_qualifier, 'status': status,
          'claimant': claimant_id, 'article_id': article_id, 'quote': quote}
         order by coalesce(quantity_low, quantity_high), coalesce(quantity_high, quantity_low), article_id, claim_id)
        as figures,
    count(distinct {'low': quantity_low, 'high': quantity_high}) as distinct_figures,
    count(distinct coalesce(claimant_id, 'article:' || article_id)) as sources,
    min(coalesce(quantity_low, quantity_high)) as lowest,
    max(coalesce(quantity_high, quantity_low)) as highest,
    round(max(coalesce(quantity_high, quantity_low)) / nullif(min(coalesce(quantity_low, quantity_high)), 0), 3)
        as spread_ratio
from figured
group by supplier_id, recipient_id, item_category, quantity_unit
having count(distinct {'low': quantity_low, 'high': quantity_high}) >= 2
   and count(distinct coalesce(claimant_id, 'article:' || article_id)) >= 2
order by spread_ratio desc nulls last, supplier_id, recipient_id
