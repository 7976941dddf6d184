-- question: Who supplies what category of goods to whom, how often is it reported, by how many outlets, with what range of figures, and who denies it?
-- grain: one row per (supplier_id, recipient_id, item_category)
-- columns: supplier_id, supplier_name, recipient_id, recipient_name, item_category, reports, articles, publishers, quantity_min, quantity_max, quantity_unit, statuses, claimants, denied_by, first_published, last_published, value_totals, stories, independent_sources
-- stories: distinct stories among the reports' articles (re-published wire copies, updates and other outlets'
--   rewrites of one story count once: warehouse/stories.py); independent_sources: distinct original publishers
--   (the source of each story's earliest article) of those stories
-- value_totals: per currency (never converted), the sum of the distinct deal values reported for the flow
--   (one figure repeated by several reports counts once), with how many reports give a value: a list of
--   {currency, total, reports}, empty when no report states a value
-- Reads view_transfers (the counted transfers with their claim, article and story) and view_flow_denials
-- (warehouse/summaries.py). Each part reads view_transfers itself, not one shared CTE: a CTE read several
-- times is materialised whole, and a filter on the flow (supplier_id = ...) would not reach the scans.
create or replace view transfer_flows as
with unit_counts as (
    -- the unit most reports of the flow use; figures in other units are not comparable
    select supplier_id, recipient_id, item_category, quantity_unit,
           row_number() over (partition by supplier_id, recipient_id, item_category
                              order by count(*) desc, quantity_unit) as rn
    from view_transfers
    where quantity_unit is not null and (quantity_low is not null or quantity_high is not null)
    group by supplier_id, recipient_id, item_category, quantity_unit
),
main_unit as (
    select supplier_id, recipient_id, item_category, quantity_unit from unit_counts where rn = 1
),
denials as (
    -- who denies a report of this flow: the claimants of denial claims pointing at it,
    -- and the claimants of transfer claims made with stance 'denies'
    select supplier_id, recipient_id, item_category, claimant_id
    from view_flow_denials
    union
    select supplier_id, recipient_id, item_category, claimant_id
    from view_transfers
    where stance = 'denies' and claimant_id is not null
),
denied as (
    select supplier_id, recipient_id, item_category, list_sort(list(distinct claimant_id)) as denied_by
    from denials
    group by all
),
value_per_currency as (
    select supplier_id, recipient_id, item_category, value_currency as currency,
           sum(distinct value_amount) as total, count(*) as reports
    from view_transfers
    where value_amount is not null
    group by all
),
valued as (
    select supplier_id, recipient_id, item_category,
           list({'currency': currency, 'total': total, 'reports': reports} order by currency) as value_totals
    from value_per_currency
    group by all
)
select
    r.supplier_id,
    any_value(sup.name) as supplier_name,
    r.recipient_id,
    any_value(rec.name) as recipient_name,
    r.item_category,
    count(*) as reports,
    count(distinct r.article_id) as articles,
    count(distinct coalesce(s.name, 'unknown')) filter (where coalesce(s.name, 'unknown') <> 'unknown') as publishers,
    min(coalesce(r.quantity_low, r.quantity_high)) filter (where r.quantity_unit = mu.quantity_unit) as quantity_min,
    max(coalesce(r.quantity_high, r.quantity_low)) filter (where r.quantity_unit = mu.quantity_unit) as quantity_max,
    any_value(mu.quantity_unit) as quantity_unit,
    list_sort(list(distinct r.status)) as statuses,
    list_sort(list(distinct r.claimant_id) filter (where r.claimant_id is not null)) as claimants,
    coalesce(any_value(dn.denied_by), []::varchar[]) as denied_by,
    min(r.published_on) as first_published,
    max(r.published_on) as last_published,
    coalesce(any_value(vl.value_totals), []) as value_totals,
    count(distinct r.story_id) as stories,
    count(distinct r.original_publisher) as independent_sources
from view_transfers r
left join sources s on s.source_id = r.source_id
join entities sup on sup.entity_id = r.supplier_id
join entities rec on rec.entity_id = r.recipient_id
left join main_unit mu using (supplier_id, recipient_id, item_category)
left join denied dn using (supplier_id, recipient_id, item_category)
left join valued vl using (supplier_id, recipient_id, item_category)
group by r.supplier_id, r.recipient_id, r.item_category
order by reports desc, r.supplier_id, r.recipient_id, r.item_category
