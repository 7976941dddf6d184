-- question: Which pairs of parties trade in both directions (a quid pro quo), and what goes each way?
-- grain: one row per unordered pair of parties with reported flows in both directions (party_a < party_b)
-- columns: party_a, party_a_name, party_b, party_b_name, a_to_b, b_to_a, reports
-- Each direction sums the flows of view_flows (warehouse/summaries.py, revision 0012: one row per
-- (supplier, recipient, category) with its reports, as transfer_flows counts them). Two reads, not one shared
-- CTE (a CTE read twice is materialised whole): a filter on party_a or party_b reaches the scan on each side.
create or replace view exchanges as
with ab as (
    select supplier_id, recipient_id, list_sort(list(distinct item_category)) as categories, sum(reports) as reports
    from view_flows
    group by supplier_id, recipient_id
),
ba as (
    select recipient_id as supplier_id, supplier_id as recipient_id, list_sort(list(distinct item_category)) as categories,
           sum(reports) as reports
    from view_flows
    group by supplier_id, recipient_id
)
select
    ab.supplier_id as party_a,
    ea.name as party_a_name,
    ab.recipient_id as party_b,
    eb.name as party_b_name,
    ab.categories as a_to_b,
    ba.categories as b_to_a,
    (ab.reports + ba.reports)::bigint as reports
from ab
join ba on ba.supplier_id = ab.supplier_id and ba.recipient_id = ab.recipient_id
join entities ea on ea.entity_id = ab.supplier_id
join entities eb on eb.entity_id = ab.recipient_id
where ab.supplier_id < ab.recipient_id
order by reports desc, party_a, party_b
