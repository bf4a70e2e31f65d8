select * from marts.data_quality_summary
