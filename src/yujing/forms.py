"""Shared form helpers."""

from __future__ import annotations

from django import forms

# the most a free-text field (a TextField) takes from one form or API request (issue 18, hole 8)
TEXT_MAX = 20_000


def _auto_id(form: forms.BaseForm, name: str) -> str:
    """The id Django gives field ``name``'s widget (BoundField.auto_id), worked out without creating the
    bound field: form[name] is cached, and would keep a help text or label that a form's __init__ sets later."""
    html_name = form.add_prefix(name)
    if form.auto_id and "%s" in str(form.auto_id):
        return form.auto_id % html_name
    return html_name if form.auto_id else ""


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
            # the id _field.html gives the help text (auto_id carries the form's prefix), read first, before a
            # due-date preview that due_preview() may have linked already
            described = widget.attrs.get("aria-describedby", "").split()
            help_id = f"{_auto_id(form, name)}_help"
            if help_id not in described:
                widget.attrs["aria-describedby"] = " ".join([help_id, *described])
    return form


def due_preview(form: forms.BaseForm, name: str, url: str) -> None:
    """Show under the date field ``name`` the time limit the system will compute from it, fetched from
    ``url`` (a policy/previews.py fragment) as the date changes, before anything is saved."""
    field = form.fields[name]
    target = f"{_auto_id(form, name)}_due"
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


class OnceForm(forms.Form):
    """A form sent once: a key issued with the form (a hidden field) lets the view return the first
    result on a repeat instead of writing again (core/idempotency.py)."""

    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yujing.core.idempotency import new_key

        self.fields["idempotency_key"].initial = new_key()


class DateInput(forms.DateInput):
    """An HTML date picker; the value must be ISO (YYYY-MM-DD) whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
