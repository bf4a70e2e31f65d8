select strftime(month, '%Y-%m') as month_key, * from marts.reconciliation_monthly
