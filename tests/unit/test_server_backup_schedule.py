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
from oslo_serialization import jsonutils

from protection_dashboard.api import glance
from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.protection.server_backup_schedule import ATTACHED, RUN
from protection_dashboard.schedules import retention, workflow
from protection_dashboard.schedules.retention import SCHEDULE_TAG, Point, Retention
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


def evaluate_in(expression: str, data: dict[str, Any], result: Any = None) -> Any:
    """A task's expression evaluated as Mistral does: ``$`` the run's context, with
    Mistral's ``task``, ``execution``, ``json_dump`` and ``json_parse``."""
    assert expression.startswith("<% ") and expression.endswith(" %>")
    context = yaql.create_context()
    context.register_function(lambda: {"result": result}, name="task")
    context.register_function(lambda: {"id": "run-1"}, name="execution")
    context.register_function(jsonutils.dumps, name="json_dump")  # Mistral's
    context.register_function(json.loads, name="json_parse")
    return yaql.factory.YaqlFactory().create()(expression[3:-3]).evaluate(
        data=data, context=context)


def properties_of(inputs: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """A Glance create's or update's properties, evaluated on a with-items item."""
    return {key: evaluate_in(value, item) if isinstance(value, str) and value.startswith("<% ")
            else value for key, value in inputs.items() if key not in ("name", "visibility")}


IMAGE_SERVER = {"id": "srv-1", "name": "web", "flavor": {"original_name": "m1.tiny"},
                "image": {"id": "img-1"}}
#: Nova's ``image`` of a server booted from a volume is empty; its volumes are listed
#: in no particular order.
VOLUME_SERVER = {"id": "srv-2", "name": "db", "flavor": {"original_name": "m1.small"},
                 "image": "", ATTACHED: [{"id": "vol-data"}, {"id": "vol-root"}]}
PORTS = [{"net_id": "net-1"}, {"net_id": "net-1"}, {"net_id": "net-2"}]
#: Cinder's volumes of the volume-booted server, and a volume it shares with another.
VOLUMES = [{"id": "vol-data", "name": "db-data", "attachments": [
               {"server_id": "srv-2", "device": "/dev/sdb"}]},
           {"id": "vol-root", "name": "db-root", "attachments": [
               {"server_id": "srv-9", "device": "/dev/sda"},
               {"server_id": "srv-2", "device": "/dev/sda"}]}]
ROOT = {"volume_id": "vol-root", "volume_name": "db-root", "device": "/dev/sda"}


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


def test_a_run_reads_the_servers_and_splits_them_by_their_boot_source():
    run = tasks()
    assert list(run)[:2] == ["protect", "read_networks"]
    assert run["protect"]["action"] == "nova.servers_get"
    published = run["read_networks"]["publish"]
    context = {"servers": [VOLUME_SERVER, IMAGE_SERVER]}
    ports = [[{"net_id": "net-9"}], PORTS]
    assert {name: evaluate_in(expression, context, ports)
            for name, expression in published.items()} == {
        "image_servers": [IMAGE_SERVER], "image_ports": [PORTS],
        "volume_servers": [VOLUME_SERVER], "volume_ports": [[{"net_id": "net-9"}]]}


def test_a_run_snapshots_each_image_booted_server_waits_and_records_it():
    run = tasks()
    assert list(run)[2:6] == ["create_images", "wait_images", "create_records",
                              "link_images"]
    create = run["create_images"]
    assert (create["action"], create["with-items"]) == (
        "nova.servers_create_image", "server in <% $.image_servers %>")
    assert create["input"] == {
        "server": "<% $.server.id %>", "image_name": "<% $.name %>",
        "metadata": {records.KIND: records.IMAGE_KIND, RUN: "<% execution().id %>"}}
    wait = run["wait_images"]
    assert wait["input"] == {"filters": {RUN: "<% execution().id %>"}}
    assert wait["retry"]["count"] * wait["retry"]["delay"] >= 30 * 60
    (active,), (not_active,) = (rule.items() for rule in wait["on-success"])
    assert active[0] == "create_records" and not_active[0] == "remove_made"
    # Every image-booted server has an active image; none at all when there is none.
    context = {"image_servers": [IMAGE_SERVER]}
    assert evaluate_in(active[1], context, [{"status": "active"}])
    assert evaluate_in(not_active[1], context, [{"status": "killed"}])
    assert evaluate_in(active[1], {"image_servers": []}, [])
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
    assert run["link_images"]["on-success"] == ["read_volumes"]


def test_the_record_is_read_as_a_hand_made_backups_record():
    """The record's properties, evaluated as Mistral would, read back by ``Record``."""
    item = {"server": IMAGE_SERVER, "ports": PORTS, "image": "snap-1",
            "description": "Made by the protection schedule nightly."}
    properties = properties_of(tasks()["create_records"]["input"], item)
    record = records.Record.from_image(image(id="rec-1", **properties))
    assert (record.server_id, record.server_name, record.flavor, record.source_image) == (
        "srv-1", "web", "m1.tiny", "img-1")
    assert record.networks == ["net-1", "net-2"]
    assert [(part.kind, part.id) for part in record.parts] == [(records.IMAGE_KIND, "snap-1")]
    assert record.state == records.READY and record.parts_recorded
    assert record.description == "Made by the protection schedule nightly."
    assert properties[RUN] == "run-1"


def test_a_run_backs_up_each_volume_booted_servers_root_volume_then_records_it():
    run = tasks()
    assert list(run)[6:12] == ["read_volumes", "create_volume_records", "create_backups",
                               "wait_backups", "check_backups", "record_backups"]
    read = run["read_volumes"]
    assert (read["action"], read["input"]) == ("cinder.volumes_get",
                                               {"volume_id": "<% $.volume %>"})
    servers = {"volume_servers": [VOLUME_SERVER]}
    assert evaluate_in(read["with-items"].split(" in ")[1], servers) == ["vol-data", "vol-root"]
    # The root volume is the one at the server's first device, as a hand-made backup
    # reads it.
    assert evaluate_in(read["publish"]["roots"], servers, VOLUMES) == [ROOT]
    create = run["create_backups"]
    assert create["action"] == "cinder.backups_create"
    assert create["with-items"] == ["root in <% $.roots %>", "record in <% $.volume_records %>"]
    assert create["input"]["force"] is True  # an in-use volume, without disruption
    assert create["input"]["metadata"] == {records.LINK: "<% $.record %>",
                                           RUN: "<% execution().id %>"}
    item = {"name": "nightly", "root": ROOT, "record": "rec-2"}
    assert evaluate_in(create["input"]["name"], item) == "nightly (/dev/sda)"
    assert evaluate_in(create["input"]["volume_id"], item) == "vol-root"

    wait = run["wait_backups"]
    assert (wait["action"], wait["input"]) == ("cinder.backups_list",
                                               {"search_opts": {"status": "creating"}})
    assert wait["retry"]["count"] * wait["retry"]["delay"] >= 30 * 60
    others = [{"id": "b-9", "metadata": {}}, {"id": "b-8", "metadata": None}]
    ours = {"id": "b-1", "metadata": {RUN: "run-1"}}
    assert evaluate_in(wait["retry"]["continue-on"], {}, [*others, ours])
    assert not evaluate_in(wait["retry"]["continue-on"], {}, others)
    check = run["check_backups"]
    assert (check["action"], check["input"]) == ("cinder.backups_get",
                                                 {"backup_id": "<% $.backup %>"})
    (available,), (not_available,) = (rule.items() for rule in check["on-success"])
    assert available[0] == "record_backups" and not_available[0] == "remove_made"
    context = {"backups": ["b-1"]}
    assert evaluate_in(available[1], context, [{"id": "b-1", "status": "available"}])
    assert evaluate_in(not_available[1], context, [{"id": "b-1", "status": "error"}])
    assert "b-1" in evaluate_in(check["publish"]["failure"], context, [
        {"id": "b-1", "status": "error", "fail_reason": "no space"}])
    assert run["record_backups"]["on-success"] == ["list_points"]


def test_the_volume_booted_servers_record_is_read_as_a_hand_made_backups_record():
    """Made ``creating`` without parts (as a hand-made one while its backup is made),
    then ``ready`` with its root volume's backup, read back by ``Record``."""
    run = tasks()
    item = {"server": VOLUME_SERVER, "ports": PORTS,
            "description": "Made by the protection schedule nightly."}
    properties = properties_of(run["create_volume_records"]["input"], item)
    assert properties["os_hidden"] is True and properties[SCHEDULE_TAG] == ME
    making = records.Record.from_image(image(id="rec-2", **properties))
    assert (making.state, making.parts_recorded) == (records.CREATING, False)
    update = run["record_backups"]
    assert update["with-items"] == [
        "record in <% $.volume_records %>", "root in <% $.roots %>",
        "backup in <% $.backups %>"]
    written = properties_of(update["input"], {"record": "rec-2", "root": ROOT,
                                              "backup": "b-1"})
    assert written["image_id"] == "rec-2"
    record = records.Record.from_image(image(id="rec-2", **{**properties, **written}))
    assert (record.server_id, record.server_name, record.flavor, record.source_image,
            record.boot, record.user_data) == (
        "srv-2", "db", "m1.small", None, records.BOOT_VOLUME, True)
    assert record.networks == ["net-1", "net-2"]
    assert record.parts == [records.Part(records.VOLUME_KIND, "b-1", "vol-root", "db-root",
                                         "/dev/sda", root=True)]
    assert record.state == records.READY and record.parts_recorded
    assert record.image_part is None and record.boot_image is None
    backup = records.ServerBackup(record, [])
    assert backup.parts_summary() == "1 volume backup"
    assert backup.parts_display() == "root volume db-root"


def test_a_failed_step_removes_what_the_run_made_then_fails_it():
    run = tasks()
    steps = ["protect", "read_networks", "create_images", "wait_images", "create_records",
             "link_images", "read_volumes", "create_volume_records",
             "create_backups", "wait_backups", "check_backups", "record_backups"]
    for name in steps:
        assert run[name]["on-error"] == ["remove_made"], name
        assert run[name]["publish-on-error"] == {"failure": "<% task().result %>"}
    assert run["remove_made"]["input"]["filters"] == {RUN: "<% execution().id %>",
                                                      "os_hidden": "<% $.hidden %>"}
    chain = ["remove_made", "delete_made", "wait_made_backups", "find_made_backups",
             "delete_made_backups", "fail_run"]
    for name, following in zip(chain, chain[1:], strict=False):
        assert run[name]["on-complete"] == [following], name
    assert run["delete_made"]["action"] == "glance.images_delete"
    # The run's backups are deleted once made (Cinder refuses it while one is made).
    wait = run["wait_made_backups"]
    assert wait["retry"]["continue-on"] == run["wait_backups"]["retry"]["continue-on"]
    find = run["find_made_backups"]
    assert find["input"] == {"search_opts": {"volume_id": "<% $.root.volume_id %>"}}
    assert evaluate_in(find["with-items"].split(" in ")[1], {}) == []  # failed before
    listed = [[{"id": "b-1", "metadata": {RUN: "run-1"}}, {"id": "b-0", "metadata": {}},
               {"id": "b-7", "metadata": {RUN: "run-0"}}]]
    assert evaluate_in(find["publish"]["made_backups"], {}, listed) == ["b-1"]
    assert run["delete_made_backups"]["action"] == "cinder.backups_delete"
    assert run["fail_run"] == {"action": "std.fail",
                               "input": {"error_data": "<% $.failure %>"}}
    # No way from a failure to retention.
    for name in chain:
        assert "list_points" not in json.dumps(run[name])


def test_retention_deletes_each_records_parts_then_the_records():
    run = tasks()
    assert run["list_points"]["on-success"] == ["find_parts"]
    chain = ["find_parts", "delete_parts", "read_expired", "find_backups", "delete_backups",
             "delete_expired"]
    assert list(run)[-6:] == chain
    for name, following in zip(chain, chain[1:], strict=False):
        assert run[name]["on-success"] == [following], name
    assert run["find_parts"]["input"] == {"filters": {records.LINK: "<% $.point %>"}}
    # The backups of an expired record's volumes that name it (a part deleted by hand
    # is not listed; a hand-made backup of the same volume is not its part).
    parts = records.dumps([records.Part(records.VOLUME_KIND, "b-1", "vol-root", root=True)])
    volumes = evaluate_in(run["read_expired"]["publish"]["part_volumes"], {}, [
        {"id": "rec-1", records.PARTS: parts},
        {"id": "rec-0", records.PARTS: records.dumps([records.Part(records.IMAGE_KIND,
                                                                   "img-1")])}])
    assert volumes == ["vol-root"]
    find = run["find_backups"]
    assert find["input"] == {"search_opts": {"volume_id": "<% $.volume %>"}}
    listed = [[{"id": "b-1", "metadata": {records.LINK: "rec-1"}},
               {"id": "b-2", "metadata": {records.LINK: "hand-made"}},
               {"id": "b-3", "metadata": None}]]
    assert evaluate_in(find["publish"]["backup_parts"], {"expired": ["rec-1"]},
                       listed) == ["b-1"]
    assert run["delete_backups"]["input"] == {"backup": "<% $.backup %>"}
    assert run["delete_expired"] == {"with-items": "point in <% $.expired %>",
                                     "action": "glance.images_delete",
                                     "input": {"image_id": "<% $.point %>"}}


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

