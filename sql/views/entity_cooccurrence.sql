-- question: Which entities are mentioned together in the same sentence, and how often?
-- grain: one row per unordered pair of entities mentioned in at least one common sentence (entity_a < entity_b)
-- columns: entity_a, entity_a_name, entity_b, entity_b_name, sentences, articles
-- view_pairs (warehouse/summaries.py) holds the counts per pair: the loader moves them by the pairs of the
-- articles each batch touches (view_article_pairs: per article, the sentences naming both entities).
create or replace view entity_cooccurrence as
select ea.entity_id as entity_a, ea.name as entity_a_name, eb.entity_id as entity_b, eb.name as entity_b_name,
       p.sentences, p.articles
from view_pairs p
join entities ea on ea.entity_id = p.entity_a
join entities eb on eb.entity_id = p.entity_b
order by p.sentences desc, entity_a, entity_b
