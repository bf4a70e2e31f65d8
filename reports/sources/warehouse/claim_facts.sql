-- Every fact about a claim with the file, kind and line or segment it came from.
-- browser only: the claim page asks for one claim's facts by the claim in its address, in the reader's browser.
select * from marts.claim_fact_origins
