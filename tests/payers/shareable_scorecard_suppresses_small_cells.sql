-- No row of the shareable scorecard shows a measure computed over fewer claims than var small_cell_minimum_claims.
-- Rows returned are failures.
select shareable.*
from {{ ref('payer_scorecard_shareable') }} as shareable
inner join {{ ref('payer_scorecard') }} as scorecard
    on scorecard.practice_id = shareable.practice_id
    and scorecard.payer_id = shareable.payer_id
    and scorecard.period = shareable.period
    and scorecard.month = shareable.month
where (scorecard.claim_count < {{ var('small_cell_minimum_claims') }}) <> shareable.is_suppressed
    or (shareable.is_suppressed and (shareable.claim_count is not null or shareable.charge_amount is not null
        or shareable.paid_amount is not null or shareable.initial_denial_rate is not null))
