select * from marts.quarantined_files
