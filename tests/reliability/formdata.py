"""A form's fields as a browser posts them, and a valid filling of them.

The fields are read from the form the page rendered (``response.context``), so
the fields a view adds or removes (force, confirmations, choices only the cloud
knows) are what gets posted.
"""

from __future__ import annotations

from typing import Any

from django import forms

from protection_dashboard.schema_form import KeyValueField


def is_hidden(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.HiddenInput)


def text_fields(form: forms.Form) -> list[str]:
    """Fields a user types text into (not choices, checkboxes, numbers, hidden ids)."""
    return [name for name, field in form.fields.items()
            if type(field) in (forms.CharField, KeyValueField) and not is_hidden(field)]


def choices(field: forms.Field) -> list[str]:
    return [str(value) for value, _label in getattr(field, 'choices', ())]


def initial(form: forms.Form) -> dict[str, Any]:
    """What the form shows before the user changes anything."""
    values = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        values[name] = value
    return values


def filled(form: forms.Form, text: dict[str, str]) -> dict[str, Any]:
    """The form's initial values, ``text`` typed into the text fields it names
    (cut at each field's maximum length), the first choice of an empty choice."""
    values = initial(form)
    for name in text_fields(form):
        if name in text:
            limit = form.fields[name].max_length or len(text[name])
            values[name] = text[name][:limit]
    for name, field in form.fields.items():
        options = choices(field)
        if options and values.get(name) in (None, ''):
            values[name] = options[0]
    return values


def post_data(form: forms.Form, values: dict[str, Any]) -> dict[str, str]:
    """``values`` as the browser sends them: a checked box as 'on', an unchecked or
    missing value left out, a map as key=value lines."""
    data = {}
    for name, value in values.items():
        field = form.fields.get(name)
        if value is None or value is False:
            continue
        if isinstance(field, forms.BooleanField) and value is True:
            data[name] = 'on'
        elif isinstance(value, dict):
            data[name] = '\n'.join('%s=%s' % item for item in value.items())
        else:
            data[name] = str(value)
    return data


def errors(response) -> dict[str, list[str]]:
    """The errors of the form a response re-rendered ({} when it shows none)."""
    context = response.context
    form = context.get('form') if context is not None else None
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()} \
        if form is not None else {}
