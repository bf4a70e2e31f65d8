select * from marts.remittance_summary
