"""Django form fields built from the JSON schemas in ``schemas/``.

Each protect/restore/manage/backup form is described by one draft-07 JSON schema.
Only a small subset of JSON Schema is supported (see ``check_schema_subset``); every
schema file is checked when this module is imported, so an unsupported construct fails
at start-up with the file and property named, never as a broken form at runtime.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
from django import forms
from django.core.exceptions import ValidationError
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

_TOP_KEYS = {"$schema", "$comment", "title", "description", "type", "properties", "required"}
_COMMON_KEYS = {"type", "title", "description", "default"}
_NUMBER_KEYS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
_TYPE_KEYS = {
    "string": {"enum", "minLength", "maxLength", "pattern"},
    "boolean": set(),
    "integer": _NUMBER_KEYS,
    "number": _NUMBER_KEYS,
    "object": {"additionalProperties"},
    "array": {"items", "minItems", "maxItems", "uniqueItems"},
}
_STRING = {"type": "string"}  # the values of an object (a map), the items of an array


class SchemaError(ValueError):
    """A schema file is invalid or uses a construct the form builder does not support."""


def check_schema_subset(schema: Any, name: str) -> None:
    """Raise SchemaError unless ``schema`` is valid draft-07 within our supported subset."""
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise SchemaError(f"{name}: not a valid draft-07 schema: {exc.message}") from exc
    if schema.get("type") != "object":
        raise SchemaError(f"{name}: the top level must have \"type\": \"object\"")
    if extra := set(schema) - _TOP_KEYS:
        raise SchemaError(f"{name}: unsupported top-level keyword(s) {sorted(extra)}")
    properties = schema.get("properties")
    if not properties:
        raise SchemaError(f"{name}: \"properties\" must list at least one property")
    for prop in schema.get("required", []):
        if prop not in properties:
            raise SchemaError(f"{name}: required property {prop!r} is not in properties")
    for prop, spec in properties.items():
        _check_property(spec, f"{name}: property {prop!r}")


def _check_property(spec: Any, where: str) -> None:
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}: must be an object")
    kind = spec.get("type")
    if not isinstance(kind, str) or kind not in _TYPE_KEYS:
        raise SchemaError(f"{where}: unsupported type {kind!r}; use one of {sorted(_TYPE_KEYS)}")
    if extra := set(spec) - _COMMON_KEYS - _TYPE_KEYS[kind]:
        raise SchemaError(f"{where}: unsupported keyword(s) {sorted(extra)} for type {kind!r}")
    if kind == "object" and spec.get("additionalProperties") != _STRING:
        raise SchemaError(f'{where}: an object must have "additionalProperties": {_STRING}')
    if kind == "array" and spec.get("items") != _STRING:
        raise SchemaError(f'{where}: an array must have "items": {_STRING}')
    if "enum" in spec and not all(isinstance(v, str) for v in spec["enum"]):
        raise SchemaError(f"{where}: enum values must be strings")
    default = spec.get("default")
    if default is not None and not jsonschema.Draft7Validator(spec).is_valid(default):
        raise SchemaError(f"{where}: default {default!r} does not match the property schema")


@functools.cache
def _read_schema(name: str) -> dict[str, Any]:
    path = SCHEMA_DIR / f"{name}.json"
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{path.name}: cannot read the schema: {exc}") from exc
    check_schema_subset(schema, path.name)
    return schema


def load_schema(name: str) -> dict[str, Any]:
    """Return the checked schema ``schemas/<name>.json`` (a copy: callers may mutate it)."""
    return copy.deepcopy(_read_schema(name))


def check_all_schemas() -> list[str]:
    """Load and check every schema file; return their names."""
    names = sorted(path.stem for path in SCHEMA_DIR.glob("*.json"))
    for name in names:
        _read_schema(name)
    return names


def translatable_texts() -> list[str]:
    """Every title and description of every schema (top level and properties), sorted.

    ``makemessages`` cannot read JSON: ``schema_messages.py``, generated from this list
    by ``tools/make-messages``, marks these texts for the catalog, and a unit test fails
    when the two differ.
    """
    texts = set()
    for name in check_all_schemas():
        schema = _read_schema(name)
        for spec in (schema, *schema["properties"].values()):
            texts.update(spec[key] for key in ("title", "description") if spec.get(key))
    return sorted(texts)


class KeyValueField(forms.CharField):
    """A text area of ``key=value`` lines, cleaned to a ``dict[str, str]``."""

    widget = forms.Textarea(attrs={"rows": 4, "placeholder": "key=value"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Mapping):
            return "\n".join(f"{key}={val}" for key, val in value.items())
        return value

    def to_python(self, value: Any) -> dict[str, str]:
        if isinstance(value, Mapping):
            return dict(value)
        result: dict[str, str] = {}
        for number, line in enumerate(super().to_python(value).splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, val = line.partition("=")
            key = key.strip()
            if not sep or not key:
                raise ValidationError(
                    _("Line %(number)d: expected key=value"),
                    code="invalid",
                    params={"number": number},
                )
            if key in result:
                raise ValidationError(
                    _("Line %(number)d: duplicate key %(key)s"),
                    code="duplicate",
                    params={"number": number, "key": key},
                )
            result[key] = val.strip()
        return result


class ListField(forms.CharField):
    """A text area of one value per line, cleaned to a ``list[str]`` (a schema array).

    A form that knows the possible values turns it into a multiple choice with
    ``SchemaFormMixin.set_choices``.
    """

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            return list(value)
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]


def _build_field(name: str, spec: dict[str, Any], required: bool) -> forms.Field:
    kind = spec["type"]
    # Lazy so a translation catalog can render the schema's English in the user's language;
    # never gettext(""), which returns the catalog header.
    title, help_text = spec.get("title"), spec.get("description")
    common: dict[str, Any] = {
        "label": _(title) if title else None,
        "help_text": _(help_text) if help_text else "",
    }
    if kind == "boolean":
        return forms.BooleanField(required=False, **common)
    if kind in ("integer", "number"):
        field_class = forms.IntegerField if kind == "integer" else forms.FloatField
        limits = {"min_value": spec.get("minimum"), "max_value": spec.get("maximum")}
        # A text input with a numeric keyboard, not a number input: Horizon renders that
        # with its spinner, whose buttons have no accessible name (axe: button-name).
        widget = forms.TextInput(attrs={"inputmode": "numeric" if kind == "integer"
                                        else "decimal"})
        return field_class(required=required, widget=widget, **limits, **common)
    if kind == "object":
        return KeyValueField(required=required, **common)
    if kind == "array":
        return ListField(required=required, **common)
    if "enum" in spec:
        choices = [(value, value) for value in spec["enum"]]
        if not required:
            choices.insert(0, ("", "---------"))
        return forms.ChoiceField(choices=choices, required=required, **common)
    widget = forms.Textarea(attrs={"rows": 4}) if "description" in name else None
    return forms.CharField(
        required=required,
        min_length=spec.get("minLength"),
        max_length=spec.get("maxLength"),
        widget=widget,
        **common,
    )


def schema_fields(
    schema: dict[str, Any], initial_overrides: Mapping[str, Any] | None = None
) -> dict[str, forms.Field]:
    """Build one form field per schema property, in property order.

    ``initial_overrides`` replaces the schema's ``default`` as a field's initial value.
    """
    overrides = initial_overrides or {}
    required = set(schema.get("required", []))
    fields = {}
    for name, spec in schema["properties"].items():
        field = _build_field(name, spec, name in required)
        initial = overrides.get(name, spec.get("default"))
        if initial is not None:
            field.initial = initial
        fields[name] = field
    return fields


_MESSAGES = {
    "required": _("This field is required."),
    "minLength": _("Ensure this value has at least %(limit)s characters."),
    "maxLength": _("Ensure this value has at most %(limit)s characters."),
    "enum": _("Select a valid choice."),
    "minimum": _("Ensure this value is greater than or equal to %(limit)s."),
    "maximum": _("Ensure this value is less than or equal to %(limit)s."),
    "exclusiveMinimum": _("Ensure this value is greater than %(limit)s."),
    "exclusiveMaximum": _("Ensure this value is less than %(limit)s."),
    "minItems": _("Give at least %(limit)s values."),
    "maxItems": _("Give at most %(limit)s values."),
    "uniqueItems": _("Give each value once."),
}
_TYPE_MESSAGES = {
    "integer": _("Enter a whole number."),
    "number": _("Enter a number."),
    "boolean": _("Enter true or false."),
    "string": _("Enter a text value."),
    "object": _("Enter key=value lines."),
    "array": _("Enter one value per line."),
}
_INVALID = _("Enter a valid value.")


def _error_message(error: jsonschema.ValidationError) -> str:
    """A Django-style message for a jsonschema error (never the raw jsonschema text)."""
    keyword = error.validator
    if keyword == "minLength" and error.validator_value == 1:
        return str(_MESSAGES["required"])
    if keyword == "type":
        return str(_TYPE_MESSAGES.get(error.validator_value, _INVALID))
    if keyword in _MESSAGES:
        return str(_MESSAGES[keyword]) % {"limit": error.validator_value}
    return str(_INVALID)


def _error_targets(error: jsonschema.ValidationError) -> Iterator[str | None]:
    """Yield the top-level properties an error concerns (None: not tied to one)."""
    if error.path:
        yield str(error.path[0])
    elif error.validator == "required":
        yield from (prop for prop in error.validator_value if prop not in error.instance)
    else:
        yield None


def payload_of(schema: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The schema's properties from ``values``, without empty ones (no value, "", {}
    or [])."""
    return {name: values[name] for name in schema["properties"]
            if values.get(name) not in (None, "", {}, [])}


def payload_errors(schema: dict[str, Any],
                   payload: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
    """Each way ``payload`` breaks ``schema``: the top-level property it concerns (None:
    not tied to one) and a Django-style message."""
    for error in jsonschema.Draft7Validator(schema).iter_errors(payload):
        message = _error_message(error)
        for target in _error_targets(error):
            yield target, message


#: What the services accept in a text value: no control characters but tab and
#: line breaks (Cinder and Manila refuse them), and nothing beyond U+FFFF
#: (emoji): Cinder's validation refuses them and a utf8mb3 database, still common
#: in deployments, cannot store them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BEYOND_BMP = re.compile(r"[\U00010000-\U0010ffff]")


def text_problem(value: Any) -> str | None:
    """Why the services would refuse a text value (keys and values of a map, items of a
    list too), or None."""
    if isinstance(value, Mapping):
        texts = [*value.keys(), *value.values()]
    else:
        texts = value if isinstance(value, list) else [value]
    for text in texts:
        if not isinstance(text, str):
            continue
        if _CONTROL.search(text):
            return str(_("Control characters are not allowed."))
        if _BEYOND_BMP.search(text):
            return str(_("Emoji and other characters beyond U+FFFF are not accepted "
                         "by the services."))
    return None


class SchemaFormMixin:
    """Adds the fields of ``schemas/<schema_name>.json`` to a Django or Horizon form.

    Put it before the form base class: ``class F(SchemaFormMixin, SelfHandlingForm)``.
    Fields the subclass declares itself win and stay first. Override ``schema_initial``
    to inject initial values; call ``set_choices`` to turn a schema string into a choice.
    After a valid ``clean``, ``schema_data`` holds the payload for the protection plugin.
    """

    schema_name: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = load_schema(self.schema_name)
        self.schema_data: dict[str, Any] | None = None
        built = schema_fields(self.schema, self.schema_initial())
        for name, field in built.items():
            self.fields.setdefault(name, field)

    def schema_initial(self) -> dict[str, Any]:
        """Initial values that replace the schema defaults (e.g. from settings)."""
        return {}

    def set_choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        """Replace field ``name`` by a ChoiceField with the same label, help and initial
        (a MultipleChoiceField for a schema array)."""
        old = self.fields[name]
        choice_class = (forms.MultipleChoiceField if isinstance(old, ListField)
                        else forms.ChoiceField)
        self.fields[name] = choice_class(
            choices=choices,
            required=old.required,
            label=old.label,
            help_text=old.help_text,
            initial=old.initial,
        )

    def schema_payload(self, cleaned_data: Mapping[str, Any]) -> dict[str, Any]:
        """The schema's properties from ``cleaned_data``, without empty optional values."""
        return payload_of(self.schema, cleaned_data)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        for name in self.schema["properties"]:
            problem = text_problem(cleaned_data.get(name))
            if problem and name not in self.errors:
                self.add_error(name, problem)
        payload = self.schema_payload(cleaned_data)
        for target, message in payload_errors(self.schema, payload):
            if target in self.fields and target in self.errors:
                continue  # Django already reported a problem with this field.
            if target in self.fields:
                self.add_error(target, message)
            else:
                title = self.schema["properties"].get(target, {}).get("title", target)
                prefix = f"{_(title)}: " if target else ""
                self.add_error(NON_FIELD_ERRORS, prefix + message)
        if not self.errors:
            self.schema_data = payload
        return cleaned_data


check_all_schemas()
