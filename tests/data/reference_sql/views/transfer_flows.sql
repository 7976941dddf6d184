-- question: Who supplies what category of goods to whom, how often is it reported, by how many outlets, with what range of figures, and who denies it?
-- grain: one row per (supplier_id, recipient_id, item_category)
-- columns: supplier_id, supplier_name, recipient_id, recipient_name, item_category, reports, articles, publishers, quantity_min, quantity_max, quantity_unit, statuses, claimants, denied_by, first_published, last_published, value_totals, stories, independent_sources
-- stories: distinct stories among the reports' articles (re-published wire copies, updates and other outlets'
--   rewrites of one story count once: warehouse/stories.py); independent_sources: distinct original publishers
--   (the source of each story's earliest article) of those stories
-- value_totals: per currency (never converted), the sum of the distinct deal values reported for the flow
--   (one figure repeated by several reports counts once), with how many reports give a value: a list of
--   {currency, total, reports}, empty when no report states a value
create or replace view transfer_flows as
with reports as (
    select * from transfer_reports
),
unit_counts as (
    -- the unit most reports of the flow use; figures in other units are not comparable
    select supplier_id, recipient_id, item_category, quantity_unit,
           row_number() over (partition by supplier_id, recipient_id, item_category
                              order by count(*) desc, quantity_unit) as rn
    from reports
    where quantity_unit is not null and (quantity_low is not null or quantity_high is not null)
    group by supplier_id, recipient_id, item_category, quantity_unit
),
main_unit as (
    select supplier_id, recipient_id, item_category, quantity_unit from unit_counts where rn = 1
),
denials as (
    -- who denies a report of this flow: the claimants of denial claims pointing at it,
    -- and the claimants of transfer claims made with stance 'denies'
    select t.supplier_id, t.recipient_id, t.item_category, d.claimant_id
    from claim_denials cd
    join current_claims d on d.claim_id = cd.denial_claim_id
    join transfers t on t.claim_id = cd.denied_claim_id
    where d.claimant_id is not null
    union
    select supplier_id, recipient_id, item_category, claimant_id
    from reports
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
    from reports
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
    any_value(r.supplier_name) as supplier_name,
    r.recipient_id,
    any_value(r.recipient_name) as recipient_name,
    r.item_category,
    count(*) as reports,
    count(distinct r.article_id) as articles,
    count(distinct r.publisher) filter (where r.publisher <> 'unknown') as publishers,
    min(coalesce(r.quantity_low, r.quantity_high)) filter (where r.quantity_unit = mu.quantity_unit) as quantity_min,
    max(coalesce(r.quantity_high, r.quantity_low)) filter (where r.quantity_unit = mu.quantity_unit) as quantity_max,
    any_value(mu.quantity_unit) as quantity_unit,
    list_sort(list(distinct r.status)) as statuses,
    list_sort(list(distinct r.claimant_id) filter (where r.claimant_id is not null)) as claimants,
    coalesce(any_value(dn.denied_by), []::varchar[]) as denied_by,
    min(r.published_on) as first_published,
    max(r.published_on) as last_published,
    coalesce(any_value(vl.value_totals), []) as value_totals,
    count(distinct ast.story_id) as stories,
    count(distinct ast.original_publisher) as independent_sources
from reports r
left join article_story ast on ast.article_id = r.article_id
left join main_unit mu using (supplier_id, recipient_id, item_category)
left join denied dn using (supplier_id, recipient_id, item_category)
left join valued vl using (supplier_id, recipient_id, item_category)
group by r.supplier_id, r.recipient_id, r.item_category
order by reports desc, r.supplier_id, r.recipient_id, r.item_category
