from django import template

from yujing.orgs.roles import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


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
