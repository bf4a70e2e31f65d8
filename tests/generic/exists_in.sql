{#- Rows whose compound key (columns, null-free) has no row with the same values in `to`: a relationships test
    for keys of several columns (a claim id is unique only within its practice). -#}
{% test exists_in(model, columns, to) %}
    select child.*
    from (select * from {{ model }}) as child
    where {% for column in columns %}child.{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
        and not exists (
            select 1
            from {{ to }} as parent
            where {% for column in columns %}parent.{{ column }} = child.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
        )
{% endtest %}
