select * from marts.practice_billing_vendors
