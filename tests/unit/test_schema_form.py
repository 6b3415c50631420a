"""The JSON Schema -> Django form builder: field types, validation, errors, subset check."""

from __future__ import annotations

import copy
from unittest import mock

import pytest
from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.test import RequestFactory
from horizon.forms import SelfHandlingForm

from protection_dashboard import schema_form
from protection_dashboard.schema_form import (
    KeyValueField,
    SchemaError,
    SchemaFormMixin,
    check_schema_subset,
    schema_fields,
)

# One property of every supported kind.
TYPES = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "All types",
    "type": "object",
    "properties": {
        "name": {
            "type": "string",
            "title": "Name",
            "description": "A name.",
            "minLength": 1,
            "maxLength": 10,
        },
        "long_description": {"type": "string", "title": "Long description"},
        "code": {"type": "string", "title": "Code", "pattern": "^[a-z]+$"},
        "mode": {"type": "string", "title": "Mode", "enum": ["fast", "safe"]},
        "flag": {"type": "boolean", "title": "Flag", "default": True},
        "count": {"type": "integer", "title": "Count", "minimum": 0, "maximum": 5, "default": 1},
        "ratio": {"type": "number", "title": "Ratio", "exclusiveMinimum": 0, "maximum": 1},
        "metadata": {
            "type": "object",
            "title": "Metadata",
            "additionalProperties": {"type": "string"},
        },
    },
    "required": ["name", "mode"],
}

VALID = {"name": "backup", "mode": "fast", "count": "1", "ratio": "0.5"}


@pytest.fixture
def types_schema(monkeypatch):
    """Make every SchemaFormMixin form in the test use TYPES, whatever its schema_name."""
    schema = copy.deepcopy(TYPES)
    monkeypatch.setattr(schema_form, "load_schema", lambda name: copy.deepcopy(schema))
    return schema


class TypesForm(SchemaFormMixin, forms.Form):
    schema_name = "types"


def errors_of(form: forms.Form) -> dict[str, list[str]]:
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


# --- building fields -----------------------------------------------------------------


def test_types_schema_is_in_the_supported_subset():
    check_schema_subset(TYPES, "types.json")


def test_field_classes_in_property_order():
    fields = schema_fields(TYPES)
    assert list(fields) == list(TYPES["properties"])
    kinds = {name: type(field) for name, field in fields.items()}
    assert kinds == {
        "name": forms.CharField,
        "long_description": forms.CharField,
        "code": forms.CharField,
        "mode": forms.ChoiceField,
        "flag": forms.BooleanField,
        "count": forms.IntegerField,
        "ratio": forms.FloatField,
        "metadata": KeyValueField,
    }


def test_string_field_attributes():
    field = schema_fields(TYPES)["name"]
    assert field.required is True
    assert str(field.label) == "Name"
    assert str(field.help_text) == "A name."
    assert (field.min_length, field.max_length) == (1, 10)
    assert isinstance(field.widget, forms.TextInput)


def test_description_properties_get_a_textarea():
    field = schema_fields(TYPES)["long_description"]
    assert isinstance(field.widget, forms.Textarea)
    assert field.widget.attrs["rows"] == 4
    assert field.required is False


def test_enum_choices_required_and_optional():
    assert schema_fields(TYPES)["mode"].choices == [("fast", "fast"), ("safe", "safe")]
    optional = copy.deepcopy(TYPES)
    optional["required"] = ["name"]
    choices = schema_fields(optional)["mode"].choices
    assert choices[0][0] == "" and choices[1:] == [("fast", "fast"), ("safe", "safe")]


def test_boolean_is_never_required():
    assert schema_fields(TYPES)["flag"].required is False


def test_number_limits():
    fields = schema_fields(TYPES)
    assert (fields["count"].min_value, fields["count"].max_value) == (0, 5)
    assert fields["ratio"].max_value == 1


def test_defaults_become_initial_and_overrides_win():
    fields = schema_fields(TYPES)
    assert fields["flag"].initial is True
    assert fields["count"].initial == 1
    assert fields["name"].initial is None
    fields = schema_fields(TYPES, initial_overrides={"flag": False, "name": "x"})
    assert fields["flag"].initial is False
    assert fields["name"].initial == "x"


def test_null_default_means_no_initial():
    schema = copy.deepcopy(TYPES)
    schema["properties"]["name"]["default"] = None
    assert schema_fields(schema)["name"].initial is None


def test_numbers_are_text_inputs_with_a_numeric_keyboard_and_checked_limits():
    fields = schema_fields(TYPES)
    html = str(fields["count"].widget.render("count", 1))
    assert 'type="text"' in html and 'inputmode="numeric"' in html  # no number spinner
    assert 'inputmode="decimal"' in str(fields["ratio"].widget.render("ratio", 0.5))
    with pytest.raises(forms.ValidationError):
        fields["count"].clean("6")


def test_title_and_description_are_optional():
    schema = {"type": "object", "properties": {"size_gb": {"type": "integer"}}}
    check_schema_subset(schema, "bare.json")
    field = schema_fields(schema)["size_gb"]
    assert field.label is None and field.help_text == ""


# --- key=value field -------------------------------------------------------------------


def test_key_value_field_parses_lines():
    field = KeyValueField(required=False)
    assert field.clean(" a = 1 \n\nb=x=y\n") == {"a": "1", "b": "x=y"}
    assert field.clean("") == {}
    assert field.prepare_value({"a": "1", "b": "2"}) == "a=1\nb=2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a=1\nnovalue", "Line 2: expected key=value"),
        ("=1", "Line 1: expected key=value"),
        ("  = x", "Line 1: expected key=value"),
        ("a=1\na=2", "Line 2: duplicate key a"),
    ],
)
def test_key_value_field_rejects_bad_lines(text, message):
    with pytest.raises(forms.ValidationError) as exc:
        KeyValueField(required=False).clean(text)
    assert exc.value.messages == [message]


# --- the mixin: payload and errors -------------------------------------------------------


def test_valid_form_payload(types_schema):
    form = TypesForm(data={**VALID, "long_description": "  ", "code": "", "metadata": "k=v"})
    assert form.is_valid(), form.errors
    assert form.schema_data == {
        "name": "backup",
        "mode": "fast",
        "flag": False,
        "count": 1,
        "ratio": 0.5,
        "metadata": {"k": "v"},
    }


def test_empty_optional_values_are_dropped_and_falsy_values_kept(types_schema):
    form = TypesForm(data={"name": "n", "mode": "safe", "count": "0", "metadata": "\n"})
    assert form.is_valid(), form.errors
    assert form.schema_data == {"name": "n", "mode": "safe", "flag": False, "count": 0}


def test_form_initial_comes_from_defaults(types_schema):
    form = TypesForm()
    assert form["flag"].initial is True
    assert form["count"].initial == 1
    assert form.schema_data is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"mode": ""}, "mode", "This field is required."),
        ({"name": "x" * 11}, "name", "Ensure this value has at most 10 characters (it has 11)."),
        ({"count": "abc"}, "count", "Enter a whole number."),
        ({"count": "1.5"}, "count", "Enter a whole number."),
        ({"count": "-1"}, "count", "Ensure this value is greater than or equal to 0."),
        ({"count": "6"}, "count", "Ensure this value is less than or equal to 5."),
        ({"ratio": "abc"}, "ratio", "Enter a number."),
        ({"ratio": "0"}, "ratio", "Ensure this value is greater than 0."),
        ({"ratio": "1.5"}, "ratio", "Ensure this value is less than or equal to 1."),
        ({"code": "ABC"}, "code", "Enter a valid value."),
        ({"metadata": "k"}, "metadata", "Line 1: expected key=value"),
        (
            {"mode": "turbo"},
            "mode",
            "Select a valid choice. turbo is not one of the available choices.",
        ),
    ],
)
def test_bad_input_lands_on_the_field(types_schema, data, field, message):
    form = TypesForm(data={**VALID, **data})
    assert errors_of(form) == {field: [message]}
    assert form.schema_data is None


def test_missing_required_fields_are_each_reported_once(types_schema):
    assert errors_of(TypesForm(data={})) == {
        "name": ["This field is required."],
        "mode": ["This field is required."],
    }


def test_schema_checks_what_django_does_not(types_schema):
    """A declared optional field still obeys the schema's required and maxLength."""

    class Lenient(TypesForm):
        name = forms.CharField(required=False)

    assert errors_of(Lenient(data={**VALID, "name": ""})) == {
        "name": ["This field is required."]
    }
    assert errors_of(Lenient(data={**VALID, "name": "x" * 11})) == {
        "name": ["Ensure this value has at most 10 characters."]
    }


def test_declared_fields_win_and_stay_first(types_schema):
    class WithVolume(TypesForm):
        volume = forms.ChoiceField(choices=[("v1", "Volume 1")])
        mode = forms.ChoiceField(choices=[("fast", "Fast!")], label="My mode")

    form = WithVolume()
    assert list(form.fields)[:2] == ["volume", "mode"]
    assert list(form.fields)[2:] == [p for p in TYPES["properties"] if p != "mode"]
    assert form.fields["mode"].label == "My mode"
    form = WithVolume(data={**VALID, "volume": "v1"})
    assert form.is_valid(), form.errors
    assert "volume" not in form.schema_data
    assert form.cleaned_data["volume"] == "v1"


def test_required_property_without_a_field_is_a_non_field_error(types_schema):
    class NoMode(TypesForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            del self.fields["mode"]

    assert errors_of(NoMode(data=VALID)) == {NON_FIELD_ERRORS: ["Mode: This field is required."]}


def test_schema_initial_hook_and_caller_initial(types_schema):
    class Hooked(TypesForm):
        def schema_initial(self):
            return {"flag": False, "name": "from hook"}

    form = Hooked()
    assert form["flag"].initial is False
    assert form["name"].initial == "from hook"
    assert Hooked(initial={"name": "from caller"})["name"].initial == "from caller"


def test_set_choices_keeps_label_help_and_required(types_schema):
    form = TypesForm()
    form.set_choices("name", [("a", "A"), ("b", "B")])
    field = form.fields["name"]
    assert isinstance(field, forms.ChoiceField)
    assert (str(field.label), str(field.help_text), field.required) == ("Name", "A name.", True)
    form = TypesForm(data={**VALID, "name": "c"})
    form.set_choices("name", [("a", "A")])
    assert errors_of(form) == {
        "name": ["Select a valid choice. c is not one of the available choices."]
    }


def test_jsonschema_errors_get_django_style_messages():
    validator = schema_form.jsonschema.Draft7Validator(TYPES)
    errors = validator.iter_errors({"name": 3, "mode": "fast", "flag": "yes"})
    messages = {tuple(e.path): schema_form._error_message(e) for e in errors}
    assert messages == {("name",): "Enter a text value.", ("flag",): "Enter true or false."}


# --- Horizon SelfHandlingForm: no API call on invalid input -------------------------------


class BackupForm(SchemaFormMixin, SelfHandlingForm):
    schema_name = "volume_backup_options"

    def __init__(self, request, *args, api_call, **kwargs):
        self.api_call = api_call
        super().__init__(request, *args, **kwargs)

    def handle(self, request, data):
        return self.api_call(**self.schema_data)


def submit(form: SelfHandlingForm):
    """What Horizon's ModalFormView does: handle() only for a valid form."""
    if form.is_valid():
        return form.handle(form.request, form.cleaned_data)
    return None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ""},
        {"name": "x" * 256},
        {"name": "ok", "description": "d" * 256},
        {"name": "ok", "container": "c" * 256},
    ],
)
def test_invalid_self_handling_form_makes_no_api_call(data):
    request = RequestFactory().post("/backup/", data)
    api_call = mock.MagicMock()
    form = BackupForm(request, data=request.POST, api_call=api_call)
    assert submit(form) is None
    assert form.errors
    assert set(form.errors) <= {"name", "description", "container"}
    api_call.assert_not_called()


def test_valid_self_handling_form_hands_the_payload_over():
    request = RequestFactory().post("/backup/", {"name": "nightly", "force": "on"})
    api_call = mock.MagicMock(return_value="backup-id")
    form = BackupForm(request, data=request.POST, api_call=api_call)
    assert form.request is request
    assert submit(form) == "backup-id"
    api_call.assert_called_once_with(name="nightly", incremental=False, force=True)


# --- the supported subset: anything else is a SchemaError --------------------------------


# --- arrays of strings (a schedule's resources) ------------------------------------

ARRAY = {
    "type": "object",
    "title": "Array",
    "properties": {
        "ids": {"type": "array", "title": "Ids", "items": {"type": "string"},
                "minItems": 1, "maxItems": 3, "uniqueItems": True},
    },
    "required": ["ids"],
}


@pytest.fixture
def array_schema(monkeypatch):
    monkeypatch.setattr(schema_form, "load_schema", lambda name: copy.deepcopy(ARRAY))


def test_an_array_is_a_list_of_lines(array_schema):
    check_schema_subset(ARRAY, "array.json")
    form = TypesForm(data={"ids": " a \n\nb\n"})
    assert isinstance(form.fields["ids"], schema_form.ListField)
    assert form.is_valid(), form.errors
    assert form.schema_data == {"ids": ["a", "b"]}
    assert TypesForm(initial={"ids": ["a", "b"]})["ids"].value() == "a\nb"


@pytest.mark.parametrize(("text", "message"), [
    ("", "This field is required."),
    ("a\nb\nc\nd", "Give at most 3 values."),
    ("a\na", "Give each value once."),
    ("a\n\x07b", "Control characters are not allowed."),
])
def test_array_errors_land_on_the_field(array_schema, text, message):
    assert errors_of(TypesForm(data={"ids": text})) == {"ids": [message]}


def test_set_choices_of_an_array_is_a_multiple_choice(array_schema):
    form = TypesForm(data={"ids": ["v1", "v2"]})
    form.set_choices("ids", [("v1", "one"), ("v2", "two")])
    assert isinstance(form.fields["ids"], forms.MultipleChoiceField)
    assert str(form.fields["ids"].label) == "Ids" and form.fields["ids"].required
    assert form.is_valid(), form.errors
    assert form.schema_data == {"ids": ["v1", "v2"]}
    other = TypesForm(data={"ids": ["v3"]})
    other.set_choices("ids", [("v1", "one")])
    assert errors_of(other) == {
        "ids": ["Select a valid choice. v3 is not one of the available choices."]}


def with_property(spec, required=None):
    schema = {"type": "object", "title": "T", "properties": {"tags": spec}}
    if required is not None:
        schema["required"] = required
    return schema


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        (with_property({"type": "array"}), 'an array must have "items"'),
        (with_property({"type": "array", "items": {"type": "integer"}}), '"items"'),
        (with_property({"type": "array", "items": {"type": "string"}, "contains": {}}),
         "['contains']"),
        (
            with_property({"type": "object", "properties": {"a": {"type": "string"}}}),
            "unsupported keyword(s) ['properties']",
        ),
        (with_property({"type": "object"}), "additionalProperties"),
        (
            with_property({"type": "object", "additionalProperties": {"type": "integer"}}),
            "additionalProperties",
        ),
        (with_property({"$ref": "#/definitions/x"}), "unsupported type None"),
        (
            with_property({"type": "string", "$ref": "#/definitions/x"}),
            "unsupported keyword(s) ['$ref']",
        ),
        (
            with_property({"type": "string", "oneOf": [{"maxLength": 1}]}),
            "unsupported keyword(s) ['oneOf']",
        ),
        (with_property({"type": "string", "format": "uuid"}), "['format']"),
        (with_property({"type": "string", "unknownWord": 1}), "['unknownWord']"),
        (with_property({"type": "boolean", "minimum": 1}), "['minimum']"),
        (with_property({"type": ["string", "null"]}), "unsupported type"),
        (with_property({"type": "null"}), "unsupported type 'null'"),
        (with_property({"type": "string", "enum": ["a", 1]}), "enum values must be strings"),
        (with_property({"type": "integer", "default": "one"}), "default 'one' does not match"),
        (with_property({"type": "string", "maxLength": 2, "default": "abc"}), "does not match"),
        (with_property({"type": "string"}, required=["other"]), "required property 'other'"),
        (with_property({"type": "strng"}), "not a valid draft-07 schema"),
        (with_property({"type": "string", "maxLength": -1}), "not a valid draft-07 schema"),
        (with_property("string"), "not a valid draft-07 schema"),
    ],
)
def test_unsupported_property_constructs(schema, fragment):
    with pytest.raises(SchemaError) as exc:
        check_schema_subset(schema, "bad.json")
    assert str(exc.value).startswith("bad.json: ")
    assert fragment in str(exc.value)


def test_error_names_the_file_and_the_property():
    with pytest.raises(SchemaError) as exc:
        check_schema_subset(with_property({"type": "null"}), "my_form.json")
    assert str(exc.value) == (
        "my_form.json: property 'tags': unsupported type 'null'; "
        "use one of ['array', 'boolean', 'integer', 'number', 'object', 'string']"
    )


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ({"type": "array", "items": {"type": "string"}}, 'must have "type": "object"'),
        ({"type": "object"}, "at least one property"),
        ({"type": "object", "properties": {}}, "at least one property"),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "definitions": {}},
            "unsupported top-level keyword(s) ['definitions']",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "oneOf": [{}]},
            "['oneOf']",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": "a"},
            "not a valid draft-07 schema",
        ),
    ],
)
def test_unsupported_top_level_constructs(schema, fragment):
    with pytest.raises(SchemaError, match=r"^bad\.json: ") as exc:
        check_schema_subset(schema, "bad.json")
    assert fragment in str(exc.value)


def test_a_bad_file_fails_the_load_with_its_name(tmp_path, monkeypatch):
    (tmp_path / "good_tmp_schema.json").write_text('{"type": "object", "properties": {}}')
    (tmp_path / "broken_tmp_schema.json").write_text("{not json")
    monkeypatch.setattr(schema_form, "SCHEMA_DIR", tmp_path)
    with pytest.raises(SchemaError, match=r"^broken_tmp_schema\.json: cannot read"):
        schema_form.check_all_schemas()
    with pytest.raises(SchemaError, match=r"^good_tmp_schema\.json: .*at least one property"):
        schema_form.load_schema("good_tmp_schema")
    with pytest.raises(SchemaError, match=r"^missing_tmp_schema\.json: cannot read"):
        schema_form.load_schema("missing_tmp_schema")


def test_load_schema_returns_a_private_copy():
    schema = schema_form.load_schema("volume_backup_options")
    schema["properties"].clear()
    assert schema_form.load_schema("volume_backup_options")["properties"]
