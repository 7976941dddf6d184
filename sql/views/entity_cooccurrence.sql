-- question: Which entities are mentioned together in the same sentence, and how often?
-- grain: one row per unordered pair of entities mentioned in at least one common sentence (entity_a < entity_b)
-- columns: entity_a, entity_a_name, entity_b, entity_b_name, sentences, articles
create or replace view entity_cooccurrence as
with sent as (
    select distinct article_id, sentence_index, entity_id from mentions
),
per_article as (
    -- pairs counted per article first: two plain aggregations are cheaper than count(distinct)
    select x.entity_id as entity_a, y.entity_id as entity_b, x.article_id, count(*) as sentences
    from sent x
    join sent y on y.article_id = x.article_id and y.sentence_index = x.sentence_index and x.entity_id < y.entity_id
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
