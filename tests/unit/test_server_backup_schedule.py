"""The server backup's schedule (protection/server_backup_schedule.py): its generated
tasks, its retention run in yaql on Glance's records, and its points' tag."""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
from typing import Any

import pytest
import yaml
import yaql

from protection_dashboard.api import glance
from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.protection.server_backup_schedule import RUN
from protection_dashboard.schedules import retention, workflow
from protection_dashboard.schedules.retention import SCHEDULE_TAG, Point, Retention
from tests.unit.fakes import fake
from tests.unit.test_schedule_retention import CASES, ME

PLUGIN = base.get("server_backup")
#: A record's state for each point status of the retention table.
STATES = {"available": records.READY, "error": records.FAILED}
KEEP_TWO = Retention(2)


def tasks(rule: Retention = KEEP_TWO) -> dict[str, Any]:
    document = yaml.safe_load(workflow.definition(PLUGIN, ME, rule))
    return document[workflow.workflow_name(ME)]["tasks"]


def glance_record(of: Point) -> dict[str, Any]:
    """A record as Mistral's ``glance.images_list`` gives it: its properties at the top."""
    image = {"id": of.id, "status": "queued", "os_hidden": True,
             "created_at": of.created_at.isoformat() + "Z",
             records.KIND: records.RECORD_KIND, records.SERVER_ID: of.resource_id,
             records.STATE: STATES.get(of.status, of.status)}
    if of.schedule_id:
        image[SCHEDULE_TAG] = of.schedule_id
    return image


def image(**properties) -> glance.Image:
    """A Glance image with only these properties (a missing one reads as None)."""
    return glance.Image(types.SimpleNamespace(**properties))


def evaluate(expression: str, result: Any) -> Any:
    assert expression.startswith("<% ") and expression.endswith(" %>")
    context = yaql.create_context()
    context.register_function(lambda: {"result": result}, name="task")
    return yaql.factory.YaqlFactory().create()(expression[3:-3]).evaluate(context=context)


NEWEST_N = [case for case in CASES if not case[1].by_period]


@pytest.mark.parametrize(("rule", "points", "deleted"), [case[1:] for case in NEWEST_N],
                         ids=[case[0] for case in NEWEST_N])
def test_retention_selects_from_the_records_what_the_pure_function_selects(rule, points,
                                                                           deleted):
    expression = tasks(rule)["list_points"]["publish"]["expired"]
    assert evaluate(expression, [glance_record(p) for p in points]) == deleted


def test_the_listing_asks_glance_for_the_schedules_hidden_records_only():
    listing = tasks()["list_points"]
    assert listing["action"] == "glance.images_list"
    assert listing["input"] == {"filters": {records.KIND: records.RECORD_KIND,
                                            SCHEDULE_TAG: ME, "os_hidden": True}}
    assert "with-items" not in listing


def test_a_rule_by_period_gets_the_records_as_points():
    rule = Retention(1, daily=7, timezone="Europe/Berlin")
    listed = tasks(rule)["list_points"]["publish"]["listed"]
    made = CASES[0][2][0]
    (record,) = evaluate(listed, [glance_record(made)])
    assert retention.Point.from_record(record, PLUGIN.parent_key) == dataclasses.replace(
        made, created_at=made.created_at.replace(tzinfo=datetime.UTC))  # Glance's "Z"


def test_a_run_snapshots_each_server_waits_and_records_it():
    run = tasks()
    assert list(run)[:6] == ["protect", "read_networks", "create_images", "wait_images",
                             "create_records", "link_images"]
    assert run["protect"]["action"] == "nova.servers_get"
    create = run["create_images"]
    assert (create["action"], create["with-items"]) == (
        "nova.servers_create_image", "resource in <% $.resources %>")
    assert create["input"] == {
        "server": "<% $.resource %>", "image_name": "<% $.name %>",
        "metadata": {records.KIND: records.IMAGE_KIND, RUN: "<% execution().id %>"}}
    wait = run["wait_images"]
    assert wait["input"] == {"filters": {RUN: "<% execution().id %>"}}
    assert wait["retry"]["count"] * wait["retry"]["delay"] >= 30 * 60
    (active,), (not_active,) = (rule.items() for rule in wait["on-success"])
    assert active[0] == "create_records" and not_active[0] == "remove_made"
    record = run["create_records"]
    assert record["action"] == "glance.images_create"
    assert {key: record["input"][key] for key in (
        records.KIND, records.BOOT, records.USER_DATA, records.STATE, SCHEDULE_TAG,
        "visibility", "os_hidden")} == {
        records.KIND: records.RECORD_KIND, records.BOOT: records.BOOT_IMAGE,
        records.USER_DATA: "true", records.STATE: records.READY, SCHEDULE_TAG: ME,
        "visibility": "private", "os_hidden": True}
    assert run["link_images"]["input"] == {"image_id": "<% $.image %>",
                                           records.LINK: "<% $.record %>"}
    assert run["link_images"]["on-success"] == ["list_points"]


def test_the_record_is_read_as_a_hand_made_backups_record():
    """The record's properties, evaluated as Mistral would, read back by ``Record``."""
    inputs = tasks()["create_records"]["input"]
    item = {"server": {"id": "srv-1", "name": "web", "flavor": {"original_name": "m1.tiny"},
                       "image": {"id": "img-1"}},
            "ports": [{"net_id": "net-1"}, {"net_id": "net-1"}, {"net_id": "net-2"}],
            "image": "snap-1", "description": "Made by the protection schedule nightly."}
    context = yaql.create_context()
    # Mistral's json_dump serializes yaql's frozen dicts as oslo's to_primitive does.
    context.register_function(lambda data: json.dumps(data, default=dict), name="json_dump")
    context.register_function(lambda: {"id": "run-1"}, name="execution")
    engine = yaql.factory.YaqlFactory().create()
    properties = {key: engine(value[3:-3]).evaluate(data=item, context=context)
                  if isinstance(value, str) and value.startswith("<% ") else value
                  for key, value in inputs.items() if key not in ("name", "visibility")}
    record = records.Record.from_image(image(id="rec-1", **properties))
    assert (record.server_id, record.server_name, record.flavor, record.source_image) == (
        "srv-1", "web", "m1.tiny", "img-1")
    assert record.networks == ["net-1", "net-2"]
    assert [(part.kind, part.id) for part in record.parts] == [(records.IMAGE_KIND, "snap-1")]
    assert record.state == records.READY and record.parts_recorded
    assert record.description == "Made by the protection schedule nightly."
    assert properties[RUN] == "run-1"


def test_a_failed_step_removes_what_the_run_made_then_fails_it():
    run = tasks()
    steps = ["protect", "read_networks", "create_images", "wait_images", "create_records",
             "link_images"]
    for name in steps:
        assert run[name]["on-error"] == ["remove_made"], name
        assert run[name]["publish-on-error"] == {"failure": "<% task().result %>"}
    assert run["remove_made"]["input"]["filters"] == {RUN: "<% execution().id %>",
                                                      "os_hidden": "<% $.hidden %>"}
    assert run["remove_made"]["on-complete"] == ["delete_made"]
    assert run["delete_made"]["action"] == "glance.images_delete"
    assert run["delete_made"]["on-complete"] == ["fail_run"]
    assert run["fail_run"] == {"action": "std.fail",
                               "input": {"error_data": "<% $.failure %>"}}
    # No way from a failure to retention.
    for name in ("remove_made", "delete_made", "fail_run"):
        assert "list_points" not in json.dumps(run[name])


def test_retention_deletes_each_records_parts_then_the_records():
    run = tasks()
    assert run["list_points"]["on-success"] == ["find_parts"]
    assert run["find_parts"]["input"] == {"filters": {records.LINK: "<% $.point %>"}}
    assert run["find_parts"]["on-success"] == ["delete_parts"]
    assert run["delete_parts"]["on-success"] == ["delete_expired"]
    assert run["delete_expired"] == {"with-items": "point in <% $.expired %>",
                                     "action": "glance.images_delete",
                                     "input": {"image_id": "<% $.point %>"}}
    assert list(run)[-3:] == ["find_parts", "delete_parts", "delete_expired"]


def test_the_definition_holds_no_users_text():
    options = {"name": "nightly <% $ %>", "description": "{{ 1 }} made by"}
    definition = workflow.definition(PLUGIN, ME, Retention(1))
    for text in ("nightly", "{{", "made by", "srv-1"):
        assert text not in definition
    assert workflow.workflow_input(PLUGIN, ["srv-1"], options, {"name": "nightly"}) == {
        "resources": ["srv-1"], "name": "nightly <% $ %>", "description": "{{ 1 }} made by",
        "schedule": {"name": "nightly"}}
    assert not PLUGIN.schedule_action.installed_actions


def test_a_scheduled_backup_carries_the_tag_as_metadata():
    tagged = records.ServerBackup(records.Record.from_image(image(
        id="rec-1", created_at="2026-12-01T02:30:00Z",
        **{records.KIND: records.RECORD_KIND, SCHEDULE_TAG: ME})), [])
    hand_made = records.ServerBackup(records.Record.from_image(image(
        id="rec-2", created_at="2026-12-01T02:30:00Z",
        **{records.KIND: records.RECORD_KIND})), [])
    assert retention.schedule_of(tagged) == ME and tagged.metadata == {SCHEDULE_TAG: ME}
    assert retention.schedule_of(hand_made) is None
    assert tagged.status == records.AVAILABLE  # the record's status: its parts not read


def test_only_servers_booted_from_an_image_can_be_scheduled():
    from protection_dashboard.api import nova

    booted = fake(nova.Server, id="s1", image={"id": "img-1"})
    from_volume = fake(nova.Server, id="s2", image="")
    assert PLUGIN.schedule_refusal(booted) is None
    assert "boots from a volume" in PLUGIN.schedule_refusal(from_volume)
