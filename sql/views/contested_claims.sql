-- question: Which claims does someone deny, who denies them, and in which words?
-- grain: one row per claim that at least one other claim denies
-- columns: claim_id, predicate, article_id, claimant_id, claimant_name, supplier_id, recipient_id, item_category, quote, denied_by, denial_quotes, articles, stories
-- stories: distinct stories among the claim's and its denials' articles (copies of one story count once)
-- Reads view_contested (warehouse/summaries.py, revision 0012): one row per denied counted claim with its
-- deniers, their quotes, articles and stories, recomputed by the loader for the claims a batch's articles deny
-- or hold (and those whose denials' articles it touches).
create or replace view contested_claims as
select
    c.claim_id,
    c.predicate,
    c.article_id,
    c.claimant_id,
    cl.name as claimant_name,
    c.supplier_id,
    c.recipient_id,
    c.item_category,
    c.quote,
    c.denied_by,
    c.denial_quotes,
    c.articles,
    c.stories
from view_contested c
left join entities cl on cl.entity_id = c.claimant_id
order by c.article_id, c.claim_id
