-- question: Which claims does someone deny, who denies them, and in which words?
-- grain: one row per claim that at least one other claim denies
-- columns: claim_id, predicate, article_id, claimant_id, claimant_name, supplier_id, recipient_id, item_category, quote, denied_by, denial_quotes, articles, stories
-- stories: distinct stories among the claim's and its denials' articles (copies of one story count once)
-- Stories come from view_articles (warehouse/summaries.py: article_story's story_id per article). Each
-- denial carries its denied claim's article, so a filter on article_id reaches the scans of the denials.
create or replace view contested_claims as
with pairs as (
    select cd.denied_claim_id, dc.article_id as denied_article, d.claimant_id as denier, d.quote as denial_quote,
           d.article_id as denial_article, ast.story_id as denial_story
    from claim_denials cd
    join current_claims d on d.claim_id = cd.denial_claim_id
    join current_claims dc on dc.claim_id = cd.denied_claim_id
    join view_articles ast on ast.article_id = d.article_id
),
denials as (
    -- aggregated per denied claim first, then joined to its details: grouping by the claim's own
    -- columns (its quote among them) cost a third more at 100,000 articles
    select denied_claim_id, denied_article,
           list_sort(list(distinct denier) filter (where denier is not null)) as denied_by,
           list_sort(list(distinct denial_quote)) as denial_quotes,
           list(distinct denial_article) as denial_articles,
           list(distinct denial_story) as denial_stories
    from pairs
    group by denied_claim_id, denied_article
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
    d.denied_by,
    d.denial_quotes,
    list_sort(list_distinct(d.denial_articles || [c.article_id])) as articles,
    len(list_distinct(d.denial_stories || [cst.story_id])) as stories
from denials d
join current_claims c on c.claim_id = d.denied_claim_id and c.article_id = d.denied_article
join view_articles cst on cst.article_id = c.article_id
left join transfers t on t.claim_id = c.claim_id
left join entities cl on cl.entity_id = c.claimant_id
order by c.article_id, c.claim_id
