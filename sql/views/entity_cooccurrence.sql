-- question: Which entities are mentioned together in the same sentence, and how often?
-- grain: one row per unordered pair of entities mentioned in at least one common sentence (entity_a < entity_b)
-- columns: entity_a, entity_a_name, entity_b, entity_b_name, sentences, articles
create or replace view entity_cooccurrence as
with sent as (
    select distinct article_id, sentence_index, entity_id from mentions
),
shared as (
    -- only sentences naming two or more entities can hold a pair
    select article_id, sentence_index from sent group by article_id, sentence_index having count(*) > 1
),
pairs as (
    select x.entity_id as entity_a, y.entity_id as entity_b, x.article_id
    from (select * from sent semi join shared using (article_id, sentence_index)) x
    join sent y on y.article_id = x.article_id and y.sentence_index = x.sentence_index and x.entity_id < y.entity_id
),
counted as (
    select entity_a, entity_b, count(*) as sentences, count(distinct article_id) as articles
    from pairs
    group by entity_a, entity_b
)
select c.entity_a, ea.name as entity_a_name, c.entity_b, eb.name as entity_b_name, c.sentences, c.articles
from counted c
join entities ea on ea.entity_id = c.entity_a
join entities eb on eb.entity_id = c.entity_b
order by c.sentences desc, c.entity_a, c.entity_b
