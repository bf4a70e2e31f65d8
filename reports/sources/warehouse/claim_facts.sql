-- Every fact about a claim with the file, kind and line or segment it came from.
select * from marts.claim_fact_origins
