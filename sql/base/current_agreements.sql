-- The agreements that the current records report (see current_claims): an agreement row is shared
-- by every record that declares it; one reported only by records that are not current (an
-- extraction of an article that has a curated record) is counted nowhere. An agreement no claim
-- reports at all (declared, not reported) is kept. view_agreements (warehouse/summaries.py): the agreements
-- the counted claims report.
create or replace view current_agreements as
select g.*
from agreements g
where exists (select 1 from view_agreements va where va.agreement_id = g.agreement_id)
   or not exists (select 1 from agreement_claims ac where ac.agreement_id = g.agreement_id)
