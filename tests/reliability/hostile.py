"""Input for a form, generated from its JSON schema: valid values, and hostile ones.

Valid values come from ``hypothesis-jsonschema`` (the form's own schema), made
into what the services accept (doc/security.md: no control characters but tab
and line breaks, nothing beyond U+FFFF, no blank required text); choices only
the cloud knows are drawn from the suite's own resources, so no example can
touch anyone else's.  A hostile value breaks exactly one field in one way
(``KINDS``); the form must say so on that field and call nothing.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from typing import Any

import jsonschema
from django import forms
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from tests.reliability import formdata

#: Characters the services refuse in text (what the forms must refuse).
REFUSED_TEXT = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\U00010000-\U0010ffff]')
#: 64 KiB, far beyond any field's maximum.
HUGE = 65536
#: Ids that cannot name anything, or name nothing.
BOGUS_IDS = ('../../volumes', 'a/b', '..', 'x?y=1', '%2e%2e', 'x' * 65,
             str(uuid.UUID(int=0)))
#: Every kind of hostile value, and the values the fixed examples use.
KINDS = {
    'missing': None,
    'wrong type': 'not-a-choice-or-number',
    'too long (64 KiB)': 'x' * HUGE,
    'control character': 'name\x1b[31m',
    'NUL byte': 'name\x00',
    'emoji': 'backup \U0001F4BE',
    'bogus id': BOGUS_IDS[0],
    'deleted id': None,  # the world's deleted id of the field's target
}
#: Valid text the fixed examples use: unicode, right-to-left, combining marks.
UNICODE_TEXT = 'caf\u00e9 \u4e91 \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c e\u0301'


@dataclasses.dataclass(frozen=True)
class FormSpec:
    """What the suite needs of a rendered form."""

    schema: dict[str, Any]
    fields: dict[str, forms.Field]
    #: The hidden field of the form's target ('': none the suite may change).
    target_field: str
    target_id: str
    #: Ids the suite made (safe to choose in a select).
    ours: frozenset[str]

    @classmethod
    def of(cls, form, target_id: str, ours: set[str]) -> FormSpec:
        return cls(form.schema, dict(form.fields), form.target_field, target_id,
                   frozenset(ours))

    def choice_fields(self) -> list[str]:
        return [name for name, field in self.fields.items()
                if isinstance(field, forms.ChoiceField) and name != self.target_field]

    def safe_choices(self, name: str) -> list[str]:
        return [value for value in formdata.choices(self.fields[name])
                if value == '' or value in self.ours]

    def text_fields(self) -> list[str]:
        return [name for name, field in self.fields.items()
                if isinstance(field, forms.CharField) and not formdata.is_hidden(field)
                and name in self.schema['properties']]

    def required(self) -> list[str]:
        return [name for name, field in self.fields.items()
                if field.required and not isinstance(field, forms.BooleanField)]

    def target_fields(self) -> list[str]:
        return [self.target_field] if self.target_field else []

    def applicable(self, kind: str) -> list[str]:
        """The fields a kind of hostile value applies to."""
        text = [name for name in self.text_fields()
                if self.fields[name].max_length or kind != 'too long (64 KiB)']
        return {
            'missing': self.required(),
            'wrong type': self.choice_fields(),
            'too long (64 KiB)': text,
            'control character': text, 'NUL byte': text, 'emoji': text,
            'bogus id': self.target_fields() + self.choice_fields(),
            'deleted id': self.target_fields() + self.choice_fields(),
        }[kind]


def _clean(text: str) -> str:
    return REFUSED_TEXT.sub('', text).strip()


def acceptable(value: Any, spec: dict[str, Any]) -> Any:
    """``value`` as the services accept it (see the module's docstring); a map as
    key=value lines can carry it (no '=' or line break in a key, none in a value)."""
    if isinstance(value, dict):
        lines = {_clean(re.sub(r'[=\s]', '', key)): _clean(re.sub(r'[\r\n]', ' ', val))
                 for key, val in value.items()}
        return {key: val for key, val in lines.items() if key}
    if not isinstance(value, str):
        return value
    return _clean(value).ljust(spec.get('minLength', 0), 'x')


def valid_values(spec: FormSpec) -> st.SearchStrategy[dict[str, Any]]:
    """Valid form values: the schema's, the target, safe choices, any confirmation."""
    schema = spec.schema
    validator = jsonschema.Draft7Validator(schema)
    # Only the form's properties (JSON Schema allows any other by default).
    generated = from_schema({**schema, 'additionalProperties': False}).map(lambda values: {
        name: acceptable(value, schema['properties'][name])
        for name, value in values.items()}).filter(validator.is_valid)
    extra = {name: st.sampled_from(spec.safe_choices(name)) for name in spec.choice_fields()}
    extra.update({name: st.booleans() for name, field in spec.fields.items()
                  if isinstance(field, forms.BooleanField) and name not in schema['properties']})
    return st.builds(
        lambda values, chosen: {name: value for name, value in {**values, **chosen}.items()
                                if name in spec.fields} | {spec.target_field: spec.target_id},
        generated, st.fixed_dictionaries(extra))


def hostile_value(kind: str, deleted_id: str) -> st.SearchStrategy[Any]:
    """Values of one kind, generated (the fixed examples use ``KINDS``)."""
    text = st.text(st.characters(codec='utf-8', exclude_categories=('Cs',)), max_size=20)
    return {
        'missing': st.none(),
        'wrong type': st.text(min_size=1, max_size=30).map(lambda t: 'not a choice ' + t),
        'too long (64 KiB)': st.integers(300, HUGE).map(lambda n: 'x' * n),
        'control character': st.builds(lambda a, c, b: a + c + b, text, st.characters(
            codec='ascii', categories=('Cc',), exclude_characters='\t\n\r'), text),
        'NUL byte': st.builds(lambda a, b: a + '\x00' + b, text, text),
        'emoji': st.builds(lambda a, c, b: a + c + b, text,
                           st.characters(min_codepoint=0x10000, exclude_categories=('Cs',)),
                           text),
        'bogus id': st.sampled_from(BOGUS_IDS) | st.uuids().map(str),
        'deleted id': st.just(deleted_id),
    }[kind]
