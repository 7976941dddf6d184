-- question: Which entities are mentioned together in the same sentence, and how often?
-- grain: one row per unordered pair of entities mentioned in at least one common sentence (entity_a < entity_b)
-- columns: entity_a, entity_a_name, entity_b, entity_b_name, sentences, articles
create or replace view entity_cooccurrence as
with sent as (
    select distinct article_id, sentence_index, entity_id from mentions
)
select
    x.entity_id as entity_a,
    ea.name as entity_a_name,
    y.entity_id as entity_b,
    eb.name as entity_b_name,
    count(*) as sentences,
    count(distinct x.article_id) as articles
from sent x
join sent y on y.article_id = x.article_id and y.sentence_index = x.sentence_index and x.entity_id < y.entity_id
join entities ea on ea.entity_id = x.entity_id
join entities eb on eb.entity_id = y.entity_id
group by all
order by sentences desc, entity_a, entity_b
