select * from marts.practice_kpi_targets
