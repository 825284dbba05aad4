"""Shared form helpers."""

from __future__ import annotations

from django import forms


def style(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget its Bootstrap class and link errors for screen readers."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"  # rendered item by item in the template
        elif isinstance(widget, forms.MultipleHiddenInput | forms.HiddenInput):
            css = ""
        classes = set(widget.attrs.get("class", "").split())
        if css:
            classes.add(css)
        if form._errors and name in form._errors:  # never trigger validation from here
            classes.add("is-invalid")
            widget.attrs["aria-invalid"] = "true"
        widget.attrs["class"] = " ".join(sorted(classes))
        if field.help_text:
            widget.attrs.setdefault("aria-describedby", f"id_{name}_help")
    return form


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

    def full_clean(self):
        super().full_clean()
        style(self)


class DateInput(forms.DateInput):
    """An HTML date picker; the value must be ISO (YYYY-MM-DD) whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
