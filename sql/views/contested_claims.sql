-- question: Which claims does someone deny, who denies them, and in which words?
-- grain: one row per claim that at least one other claim denies
-- columns: claim_id, predicate, article_id, claimant_id, claimant_name, supplier_id, recipient_id, item_category, quote, denied_by, denial_quotes, articles
create or replace view contested_claims as
with pairs as (
    select cd.denied_claim_id, d.claim_id as denial_id, d.claimant_id as denier, d.quote as denial_quote,
           d.article_id as denial_article
    from claim_denials cd
    join claims d on d.claim_id = cd.denial_claim_id
)
select
    c.claim_id,
    c.predicate,
    c.article_id,
    c.claimant_id,
    cl.name as claimant_name,
    t.supplier_id,
    t.recipient_id,
    t.item_category,
    c.quote,
    list_sort(list(distinct p.denier) filter (where p.denier is not null)) as denied_by,
    list_sort(list(distinct p.denial_quote)) as denial_quotes,
    list_sort(list_distinct(list(p.denial_article) || [c.article_id])) as articles
from claims c
join pairs p on p.denied_claim_id = c.claim_id
left join transfers t on t.claim_id = c.claim_id
left join entities cl on cl.entity_id = c.claimant_id
group by c.claim_id, c.predicate, c.article_id, c.claimant_id, cl.name, t.supplier_id, t.recipient_id,
         t.item_category, c.quote
order by c.article_id, c.claim_id
