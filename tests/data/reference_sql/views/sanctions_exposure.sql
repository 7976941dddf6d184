-- question: Which reported transfers fall under a sanctions regime, and do the reported figures exceed its cap?
-- grain: one row per (sanctions regime, reported transfer) where the transfer's direction and item category fall under the regime
-- columns: regime, regime_name, authority, resolution, target_id, direction, transfer_id, claim_id, article_id, supplier_id, recipient_id, item_category, quantity_low, quantity_high, quantity_unit, cap, cap_unit, period, exceeds_cap, stance, hedge, claimant_id, quote
-- exceeds_cap: true when the regime is a total ban (cap NULL), or when the reported figure (the low bound, else the high bound) is above the cap in the same unit; NULL when the units differ or no figure is reported.
create or replace view sanctions_exposure as
select
    sr.regime_id as regime,
    sr.name as regime_name,
    sr.authority,
    sr.resolution,
    sr.target_id,
    sr.direction,
    r.transfer_id,
    r.claim_id,
    r.article_id,
    r.supplier_id,
    r.recipient_id,
    r.item_category,
    r.quantity_low,
    r.quantity_high,
    r.quantity_unit,
    sr.cap,
    sr.cap_unit,
    sr.period,
    case
        when sr.cap is null then true
        when r.quantity_unit = sr.cap_unit and coalesce(r.quantity_low, r.quantity_high) is not null
            then coalesce(r.quantity_low, r.quantity_high) > sr.cap
    end as exceeds_cap,
    r.stance,
    r.hedge,
    r.claimant_id,
    r.quote
from transfer_reports r
join item_categories ic on ic.category = r.item_category
join sanctions_regimes sr
    on (sr.item_category = r.item_category or sr.item_category = ic.parent)
   and ((sr.direction in ('to_target', 'both') and r.recipient_id = sr.target_id)
     or (sr.direction in ('from_target', 'both') and r.supplier_id = sr.target_id))
order by sr.regime_id, r.article_id, r.transfer_id
