"""Every schema in protection_dashboard/schemas/: faithful to its spec, and builds a form."""

from __future__ import annotations

import pytest
from django import forms

from protection_dashboard.protection import base
from protection_dashboard.schema_form import (
    SCHEMA_DIR,
    SchemaFormMixin,
    check_all_schemas,
    check_schema_subset,
    load_schema,
)

SCHEMA_NAMES = [
    "protection_schedule",
    "server_backup_options",
    "server_backup_restore",
    "share_snapshot_options",
    "share_snapshot_restore",
    "snapshot_manage",
    "volume_backup_options",
    "volume_backup_restore",
    "volume_snapshot_options",
    "volume_snapshot_restore",
]

# The schemas as printed in the specs (Python None/False -> JSON).
SPEC_SCHEMAS = {
    "volume_snapshot_options": {
        "title": "Volume Snapshot Protection Options",
        "type": "object",
        "properties": {
            "snapshot_name": {
                "type": "string",
                "title": "Snapshot Name",
                "description": "The name of the volume snapshot.",
            },
            "description": {
                "type": "string",
                "title": "Description",
                "description": "The description of the volume snapshot.",
            },
            "force": {
                "type": "boolean",
                "title": "Force",
                "description": "If force is True, create a snapshot even if the volume is "
                "attached to an instance.",
                "default": False,
            },
        },
        "required": ["snapshot_name", "description", "force"],
    },
    "volume_snapshot_restore": {
        "title": "Volume Protection Restore",
        "type": "object",
        "properties": {
            "restore_name": {
                "type": "string",
                "title": "Restore Name",
                "description": "The name of the restored volume.",
                "default": None,
            },
            "restore_description": {
                "type": "string",
                "title": "Restore Description",
                "description": "The description of the restored volume.",
                "default": None,
            },
        },
    },
    "share_snapshot_options": {
        "title": "Share Protection Options",
        "type": "object",
        "properties": {
            "snapshot_name": {
                "type": "string",
                "title": "Snapshot Name",
                "description": "The name of the snapshot.",
            },
            "description": {
                "type": "string",
                "title": "Description",
                "description": "The description of the share snapshot.",
            },
            "force": {
                "type": "boolean",
                "title": "Force",
                "description": "Optional flag to indicate whether to snapshot a share even if "
                "it's busy.",
                "default": False,
            },
        },
        "required": ["snapshot_name", "description", "force"],
    },
    "share_snapshot_restore": {
        "title": "Share Protection Restore",
        "type": "object",
        "properties": {
            "share_id": {
                "type": "string",
                "title": "Share ID",
                "description": "The target share ID to restore to.",
            },
            "restore_name": {
                "type": "string",
                "title": "Restore Name",
                "description": "The name of the restored share.",
                "default": None,
            },
            "restore_description": {
                "type": "string",
                "title": "Restore Description",
                "description": "The description of the restored share.",
                "default": None,
            },
        },
    },
}

# What we add to the specs' schemas: the draft marker, a provenance comment and the API's
# length limits. Nothing else may differ.
ADDED_KEYS = {"$schema", "$comment", "minLength", "maxLength"}

# Minimal valid input per schema and the payload it must produce.
SAMPLES = {
    "volume_snapshot_options": (
        {"snapshot_name": "s1", "description": "nightly"},
        {"snapshot_name": "s1", "description": "nightly", "force": False},
    ),
    "volume_snapshot_restore": ({}, {}),
    "share_snapshot_options": (
        {"snapshot_name": "s1", "description": "d", "force": "on"},
        {"snapshot_name": "s1", "description": "d", "force": True},
    ),
    "share_snapshot_restore": (
        {"share_id": "", "restore_name": "new share"},
        {"restore_name": "new share"},
    ),
    "snapshot_manage": (
        {"volume_id": "vol-1", "ref_type": "source-id", "ref_value": "abc", "metadata": "a=b"},
        {"volume_id": "vol-1", "ref_type": "source-id", "ref_value": "abc", "metadata": {"a": "b"}},
    ),
    "volume_backup_options": (
        {"name": "b1", "container": "", "incremental": "on"},
        {"name": "b1", "incremental": True, "force": False},
    ),
    "volume_backup_restore": ({"volume_id": "", "name": ""}, {}),
    "server_backup_options": (
        {"name": "b1", "enable_server_snapshot": "on"},
        {"name": "b1", "enable_server_snapshot": True, "backup_volumes": False},
    ),
    "server_backup_restore": (
        {"name": "vm", "flavor": "", "network": "", "restore_volumes": "on"},
        {"name": "vm", "restore_volumes": True},
    ),
    "protection_schedule": (
        {"schedule_name": "nightly", "resource_type": "OS::Cinder::Volume",
         "resources": "vol-1\nvol-2", "plugin": "volume_snapshot", "cron_pattern": "30 2 * * *",
         "keep_newest": "7", "keep_daily": "", "keep_monthly": "3"},
        {"schedule_name": "nightly", "resource_type": "OS::Cinder::Volume",
         "resources": ["vol-1", "vol-2"], "plugin": "volume_snapshot",
         "cron_pattern": "30 2 * * *", "keep_newest": 7, "keep_monthly": 3},
    ),
}


def form_class(name: str) -> type[forms.Form]:
    return type(f"Form_{name}", (SchemaFormMixin, forms.Form), {"schema_name": name})


def without_added_keys(schema: dict) -> dict:
    result = {k: v for k, v in schema.items() if k not in ADDED_KEYS}
    result["properties"] = {
        prop: {k: v for k, v in spec.items() if k not in ADDED_KEYS}
        for prop, spec in schema["properties"].items()
    }
    return result


def test_the_schema_directory_holds_exactly_our_schemas():
    assert check_all_schemas() == SCHEMA_NAMES
    assert sorted(p.stem for p in SCHEMA_DIR.glob("*.json")) == SCHEMA_NAMES


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_style(name):
    schema = load_schema(name)
    check_schema_subset(schema, name)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["type"] == "object" and schema["title"]
    for prop, spec in schema["properties"].items():
        assert spec.get("title") and spec.get("description"), prop
        if prop in schema.get("required", []) and spec["type"] == "string":
            assert spec.get("minLength") == 1 or "enum" in spec, prop
        if "name" in prop or "description" in prop:
            assert spec.get("maxLength") == 255, prop


@pytest.mark.parametrize("name", sorted(SPEC_SCHEMAS))
def test_spec_schemas_are_verbatim_in_meaning(name):
    assert without_added_keys(load_schema(name)) == SPEC_SCHEMAS[name]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_builds_and_renders_a_form(name):
    form = form_class(name)()
    assert list(form.fields) == list(load_schema(name)["properties"])
    html = form.as_p()
    for spec in load_schema(name)["properties"].values():
        assert spec["title"] in html


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_accepts_its_sample(name):
    data, payload = SAMPLES[name]
    form = form_class(name)(data=data)
    assert form.is_valid(), form.errors
    assert form.schema_data == payload


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_rejects_missing_required_strings(name):
    schema = load_schema(name)
    properties = schema["properties"]
    required = [p for p in schema.get("required", []) if properties[p]["type"] == "string"]
    form = form_class(name)(data={})
    if not required:
        assert form.is_valid(), form.errors
        return
    assert not form.is_valid()
    assert {prop: form.errors[prop] for prop in required} == {
        prop: ["This field is required."] for prop in required
    }


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_rejects_overlong_names(name):
    data, _payload = SAMPLES[name]
    schema = load_schema(name)
    limited = [p for p, spec in schema["properties"].items() if spec.get("maxLength")]
    assert limited
    form = form_class(name)(data={**data, **dict.fromkeys(limited, "x" * 256)})
    assert not form.is_valid()
    assert set(form.errors) == set(limited)
    assert form.schema_data is None


def test_volume_snapshot_restore_null_defaults_give_empty_fields():
    form = form_class("volume_snapshot_restore")()
    assert form["restore_name"].initial is None
    assert form["restore_description"].initial is None
    assert isinstance(form.fields["restore_description"].widget, forms.Textarea)


def test_snapshot_manage_fields():
    schema = load_schema("snapshot_manage")
    assert schema["required"] == ["volume_id", "ref_type", "ref_value"]
    form = form_class("snapshot_manage")()
    assert form.fields["ref_type"].choices == [
        ("source-name", "source-name"),
        ("source-id", "source-id"),
    ]
    assert form["ref_type"].initial == "source-name"
    assert "host" not in form.fields
    bad = form_class("snapshot_manage")(
        data={"volume_id": "v", "ref_type": "source-uuid", "ref_value": " ", "metadata": "a"}
    )
    assert not bad.is_valid()
    assert set(bad.errors) == {"ref_type", "ref_value", "metadata"}


def test_volume_backup_force_is_explained_and_off_by_default():
    spec = load_schema("volume_backup_options")["properties"]["force"]
    assert spec["default"] is False
    assert "in-use" in spec["description"] and "non-disruptive" in spec["description"]
    form = form_class("volume_backup_options")()
    assert form["force"].initial is False
    assert form["incremental"].initial is False



def test_a_backup_container_is_a_name_never_a_path():
    # Cinder's posix backup driver joins the container to its directory: a path
    # would put the backup (and its files) anywhere cinder-backup may write.
    for path in ("../x", "/etc", "a/b", "..", ".hidden"):
        form = form_class("volume_backup_options")(data={"name": "b", "container": path})
        assert not form.is_valid() and set(form.errors) == {"container"}, path
    form = form_class("volume_backup_options")(data={"name": "b", "container": "daily.2"})
    assert form.is_valid(), form.errors


def test_a_schedule_offers_every_registered_type_and_plugin():
    properties = load_schema("protection_schedule")["properties"]
    types = [registered.resource_type for registered in base.resource_types()]
    plugins = [plugin.name for name in types for plugin in base.protection_plugins(name)]
    assert sorted(properties["resource_type"]["enum"]) == sorted(types)
    assert sorted(properties["plugin"]["enum"]) == sorted(plugins)


@pytest.mark.parametrize("plugin", sorted(
    plugin.name for registered in base.resource_types()
    for plugin in base.protection_plugins(registered.resource_type)))
def test_a_plugins_options_can_join_the_schedule_form(plugin):
    # The schedule form adds the chosen plugin's options fields to its own.
    options = load_schema(base.get(plugin).options_schema)["properties"]
    assert not set(options) & set(load_schema("protection_schedule")["properties"])


@pytest.mark.parametrize(("data", "field"), [
    ({"resources": ""}, "resources"),
    ({"resources": "vol-1\nvol-1"}, "resources"),
    ({"keep_newest": "0"}, "keep_newest"),
    ({"keep_weekly": "-1"}, "keep_weekly"),
    ({"keep_monthly": "101"}, "keep_monthly"),
    ({"plugin": "karbor"}, "plugin"),
])
def test_a_schedule_refuses_a_rule_that_would_keep_nothing_or_bad_resources(data, field):
    sample, _payload = SAMPLES["protection_schedule"]
    form = form_class("protection_schedule")(data={**sample, **data})
    assert not form.is_valid()
    assert set(form.errors) == {field}
