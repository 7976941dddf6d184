-- question: Which entities are mentioned together in the same sentence, and how often?
-- grain: one row per unordered pair of entities mentioned in at least one common sentence (entity_a < entity_b)
-- columns: entity_a, entity_a_name, entity_b, entity_b_name, sentences, articles
create or replace view entity_cooccurrence as
with per_article as (
    -- pairs counted per article first, then per pair: two plain aggregations are cheaper than one
    -- count(distinct article_id). Mentions are joined as they are (no distinct first: at 100,000
    -- articles that pass cost more than it saved); an entity named twice in a sentence is counted
    -- once by count(distinct sentence_index).
    select x.entity_id as entity_a, y.entity_id as entity_b, x.article_id,
           count(distinct x.sentence_index) as sentences
    from mentions x
    join mentions y on y.article_id = x.article_id and y.sentence_index = x.sentence_index and x.entity_id < y.entity_id
    group by x.entity_id, y.entity_id, x.article_id
),
counted as (
    select entity_a, entity_b, sum(sentences)::bigint as sentences, count(*) as articles
    from per_article
    group by entity_a, entity_b
)
select c.entity_a, ea.name as entity_a_name, c.entity_b, eb.name as entity_b_name, c.sentences, c.articles
from counted c
join entities ea on ea.entity_id = c.entity_a
join entities eb on eb.entity_id = c.entity_b
order by c.sentences desc, c.entity_a, c.entity_b
