select * from marts.source_freshness
