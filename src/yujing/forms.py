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
            # the id _field.html gives the help text (auto_id carries the form's prefix)
            widget.attrs.setdefault("aria-describedby", f"{form[name].auto_id}_help")
    return form


def due_preview(form: forms.BaseForm, name: str, url: str) -> None:
    """Show under the date field ``name`` the time limit the system will compute from it, fetched from
    ``url`` (a policy/previews.py fragment) as the date changes, before anything is saved."""
    field = form.fields[name]
    target = f"{form[name].auto_id}_due"
    attrs = field.widget.attrs
    # first when the field comes into view (a case page's action panels are closed: nothing is fetched for
    # them until one is opened), then on every change; queued, not replaced, as htmx reports each request
    # it aborts as a console error
    attrs.update({"hx-get": url, "hx-trigger": "intersect once, change", "hx-target": f"#{target}",
                  "hx-sync": "this:queue last"})
    attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {target}".strip()
    field.due_preview = target  # read by _field.html, which renders the live region


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
