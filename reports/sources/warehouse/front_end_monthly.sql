select strftime(month, '%Y-%m') as month_key, * from marts.front_end_monthly
