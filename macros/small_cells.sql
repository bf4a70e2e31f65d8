{#- The fewest claims an aggregate shared outside the practice may be over: the practice's small_cell_min_claims
    from the settings file (`settings_alias` is a join to stg_settings__practices, null for a practice the file
    does not name), else var small_cell_minimum_claims. One rule for every *_shareable mart. -#}
{% macro small_cell_minimum_claims(settings_alias) -%}
    coalesce({{ settings_alias }}.small_cell_min_claims, {{ var('small_cell_minimum_claims') }})
{%- endmacro %}
