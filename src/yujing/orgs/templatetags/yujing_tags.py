from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from yujing.sorting import SortState

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """What the policy in force calls the role ``value`` (its ``[roles]``)."""
    from yujing.policy.words import in_force

    return in_force().role(value)


@register.filter
def is_choice_list(field) -> bool:
    """Radio buttons and check-box lists, which the form templates lay out item by item."""
    from django import forms

    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_checkbox(field) -> bool:
    from django import forms

    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.simple_tag
def sort_th(sorting: SortState | None, key: str, label: str) -> SafeString:
    """A column header that sorts its list server-side (yujing/sorting.py): a link keeping the filters,
    ``aria-sort`` on the sorted column, and its direction shown as an arrow and said in words."""
    if not sorting:
        return format_html('<th scope="col">{}</th>', label)
    sorted_here = sorting.key == key
    query = sorting.query.copy()
    query["sort"] = f"-{key}" if sorted_here and not sorting.descending else key
    href = "?" + query.urlencode()
    if not sorted_here:
        return format_html('<th scope="col"><a class="sort-link" href="{}" title="按{}排序">{}'
                           '<span class="sort-arrow sort-none" aria-hidden="true">↕</span></a></th>', href, label, label)
    direction, arrow, words = (("descending", "▼", "降序") if sorting.descending else ("ascending", "▲", "升序"))
    return format_html('<th scope="col" aria-sort="{}"><a class="sort-link" href="{}" title="按{}{}排序">{}'
                       '<span class="sort-arrow" aria-hidden="true">{}</span><span class="visually-hidden">（{}）</span>'
                       '</a></th>', direction, href, label, "降序" if not sorting.descending else "升序", label, arrow,
                       words)
