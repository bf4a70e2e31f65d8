{#- The account reference: a stable stand-in for the PM account number (patient_id) that no report can turn back
    into it (docs/security.md). 'A-' and 12 hex digits, upper case, of the MD5 of the warehouse's own random key
    (raw.warehouse_keys, 256 bits), the practice and the account number, joined by '|': the first 12, or the next
    12 when the first hold the account number itself by chance (7 places × 16⁻⁶ ≈ 4 in 10 million six-digit
    accounts, so about one billing-company warehouse in five would otherwise hold one, for good: the reference
    never changes). The same account in the same warehouse always gets the same reference, so a biller sees which
    claims belong together; without the key, enumerating every six-digit account number gives nothing. 48 bits:
    two accounts of a practice share a reference with odds of about n² / 2^49 (about 1 in 5.6 million at 10,000
    accounts). Plain SQL both engines spell alike (`||` is null when a part is null on DuckDB and on Spark, where
    dbt.concat would differ: DuckDB's concat skips nulls); md5 returns lower-case hex and instr is 1-based, 0 when
    absent, on both. -#}
{% macro rcm_account_ref(key, practice_id, patient_id) -%}
    {%- set digest = "md5((" ~ key ~ ") || '|' || (" ~ practice_id ~ ") || '|' || (" ~ patient_id ~ "))" -%}
    case
        when ({{ patient_id }}) is null or ({{ key }}) is null then null
        when instr(upper(substr({{ digest }}, 1, 12)), upper({{ patient_id }})) > 0
            then 'A-' || upper(substr({{ digest }}, 13, 12))
        else 'A-' || upper(substr({{ digest }}, 1, 12))
    end
{%- endmacro %}
