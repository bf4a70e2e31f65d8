select * from marts.underpayment_claims
