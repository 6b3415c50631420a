"""The server backup's schedule (protection/server_backup_schedule.py): its generated
tasks, its retention run in yaql on Glance's records, and its points' tag."""

from __future__ import annotations

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
                "image": {"id": "img-1"}, ATTACHED: [{"id": "vol-logs"}]}
#: Nova's ``image`` of a server booted from a volume is empty; its volumes are listed
#: in no particular order.
VOLUME_SERVER = {"id": "srv-2", "name": "db", "flavor": {"original_name": "m1.small"},
                 "image": "", ATTACHED: [{"id": "vol-data"}, {"id": "vol-root"}]}
SERVERS = [IMAGE_SERVER, VOLUME_SERVER]
PORTS = [{"net_id": "net-1"}, {"net_id": "net-1"}, {"net_id": "net-2"}]
#: Cinder's volumes of the servers, one of them shared with another server.
VOLUMES = [{"id": "vol-logs", "name": "web-logs", "attachments": [
               {"server_id": "srv-1", "device": "/dev/vdb"}]},
           {"id": "vol-data", "name": "db-data", "attachments": [
               {"server_id": "srv-2", "device": "/dev/sdb"}]},
           {"id": "vol-root", "name": "db-root", "attachments": [
               {"server_id": "srv-9", "device": "/dev/sda"},
               {"server_id": "srv-2", "device": "/dev/sda"}]}]
#: The volumes each server's backup backs up (``records.Part`` fields but ``id``).
LOGS = {"volume_id": "vol-logs", "volume_name": "web-logs", "device": "/dev/vdb",
        "root": False}
ROOT = {"volume_id": "vol-root", "volume_name": "db-root", "device": "/dev/sda", "root": True}
DATA = {"volume_id": "vol-data", "volume_name": "db-data", "device": "/dev/sdb", "root": False}
PLANS = [[LOGS], [ROOT, DATA]]
#: The run's volume backups (``volume_plan``): each planned volume of each record.
VOLUME_PLAN = [{**LOGS, "record": "rec-1"}, {**ROOT, "record": "rec-2"},
               {**DATA, "record": "rec-2"}]


def part(volume: dict[str, Any], backup: str) -> records.Part:
    return records.Part(records.VOLUME_KIND, backup, volume["volume_id"],
                        volume["volume_name"], volume["device"], volume["root"])


NEWEST_N = [case for case in CASES if not case[1].by_period]


@pytest.mark.parametrize(("rule", "points", "deleted"), [case[1:] for case in NEWEST_N],
                         ids=[case[0] for case in NEWEST_N])
def test_retention_selects_from_the_records_what_the_pure_function_selects(rule, points,
                                                                           deleted):
    expression = tasks(rule)["list_points"]["publish"]["expired"]
    assert evaluate(expression, [glance_record(p) for p in points]) == deleted


def test_a_record_being_deleted_is_neither_kept_nor_deleted_again():
    """A record whose backup Cinder did not delete stays ``deleting``: the next run
    neither counts it among the kept nor selects it again."""
    def at(minute, status, point_id):
        return Point(point_id, datetime.datetime(2026, 12, 1, 2, minute), ME, status,
                     "srv-1")

    going = [at(0, "available", "old"), at(1, "deleting", "going"), at(2, "available", "new")]
    listed = [glance_record(point) for point in going]
    assert listed[1][records.STATE] == records.DELETING
    assert evaluate(tasks(Retention(1))["list_points"]["publish"]["expired"], listed) == ["old"]
    assert evaluate(tasks(Retention(2))["list_points"]["publish"]["expired"], listed) == []


def test_a_run_reads_the_servers_their_networks_and_volumes():
    run = tasks()
    assert list(run)[:3] == ["protect", "read_networks", "read_volumes"]
    assert run["protect"]["action"] == "nova.servers_get"
    assert run["read_networks"]["publish"] == {"ports": "<% task().result %>"}
    read = run["read_volumes"]
    assert (read["action"], read["input"]) == ("cinder.volumes_get",
                                               {"volume_id": "<% $.volume %>"})


@pytest.mark.parametrize(("backup_volumes", "read", "plans"), [
    # An image-booted server's volumes only with backup_volumes; a volume-booted
    # server's root volume always (its first device, as a hand-made backup reads it).
    (True, ["vol-logs", "vol-data", "vol-root"], PLANS),
    (False, ["vol-data", "vol-root"], [[], [ROOT]]),
    (None, ["vol-data", "vol-root"], [[], [ROOT]]),  # not offered by the form
])
def test_a_run_plans_the_volumes_to_back_up(backup_volumes, read, plans):
    task = tasks()["read_volumes"]
    context = {"servers": SERVERS, "backup_volumes": backup_volumes}
    assert evaluate_in(task["with-items"].split(" in ", 1)[1], context) == read
    volumes = [volume for volume in VOLUMES if volume["id"] in read]
    assert evaluate_in(task["publish"]["plans"], context, volumes) == plans
    (go_on,), (fail,) = (rule.items() for rule in task["on-success"])
    assert go_on[0] == "create_records" and fail[0] == "remove_made"
    assert evaluate_in(go_on[1], context, volumes)
    assert not evaluate_in(fail[1], context, volumes)


def test_a_volume_booted_server_without_its_root_volume_fails_the_run():
    task = tasks()["read_volumes"]
    rootless = {**VOLUME_SERVER, "id": "srv-3", ATTACHED: []}
    context = {"servers": [IMAGE_SERVER, rootless], "backup_volumes": True}
    (go_on,), (fail,) = (rule.items() for rule in task["on-success"])
    assert evaluate_in(fail[1], context, VOLUMES[:1])
    assert not evaluate_in(go_on[1], context, VOLUMES[:1])
    assert evaluate_in(task["publish"]["failure"], context, VOLUMES[:1]).endswith('["srv-3"]')


@pytest.mark.parametrize(("server", "snapshot", "boot", "source_image", "user_data"), [
    (IMAGE_SERVER, True, records.BOOT_IMAGE, "img-1", True),
    # Without a server image, the original image and no user data, as by hand.
    (IMAGE_SERVER, False, records.BOOT_IMAGE, "img-1", False),
    (IMAGE_SERVER, None, records.BOOT_IMAGE, "img-1", False),
    (VOLUME_SERVER, True, records.BOOT_VOLUME, None, True),
    (VOLUME_SERVER, None, records.BOOT_VOLUME, None, True),
])
def test_the_record_is_made_as_a_hand_made_backups_record(server, snapshot, boot,
                                                          source_image, user_data):
    """Made ``creating`` without parts, as a hand-made one while its parts are made,
    and read back by ``Record``."""
    create = tasks()["create_records"]
    assert create["action"] == "glance.images_create"
    assert create["with-items"] == ["server in <% $.servers %>", "ports in <% $.ports %>"]
    item = {"server": server, "ports": PORTS, "enable_server_snapshot": snapshot,
            "description": "Made by the protection schedule nightly."}
    properties = properties_of(create["input"], item)
    assert (properties["os_hidden"], properties[SCHEDULE_TAG], properties[RUN]) == (
        True, ME, "run-1")
    record = records.Record.from_image(image(id="rec-1", **properties))
    assert (record.server_id, record.server_name, record.flavor) == (
        server["id"], server["name"], server["flavor"]["original_name"])
    assert (record.boot, record.source_image, record.user_data) == (
        boot, source_image, user_data)
    assert record.networks == ["net-1", "net-2"]
    assert (record.state, record.parts_recorded) == (records.CREATING, False)
    assert record.description == "Made by the protection schedule nightly."


@pytest.mark.parametrize(("snapshot", "snapshots"), [
    (True, [{"server": "srv-1", "record": "rec-1"}]),  # image-booted servers only
    (False, []),
    (None, []),
])
def test_the_records_name_the_servers_images_and_volume_backups_to_make(snapshot,
                                                                        snapshots):
    published = tasks()["create_records"]["publish"]
    context = {"servers": SERVERS, "plans": PLANS, "enable_server_snapshot": snapshot}
    made = [{"id": "rec-1"}, {"id": "rec-2"}]
    assert evaluate_in(published["records"], context, made) == ["rec-1", "rec-2"]
    assert evaluate_in(published["snapshots"], context, made) == snapshots
    assert evaluate_in(published["volume_plan"], context, made) == VOLUME_PLAN


def test_a_run_makes_the_server_images_and_volume_backups_naming_their_records():
    run = tasks()
    assert list(run)[3:6] == ["create_records", "create_images", "create_backups"]
    create = run["create_images"]
    assert (create["action"], create["with-items"]) == (
        "nova.servers_create_image", "snapshot in <% $.snapshots %>")
    assert create["input"] == {
        "server": "<% $.snapshot.server %>", "image_name": "<% $.name %>",
        "metadata": {records.KIND: records.IMAGE_KIND, records.LINK: "<% $.snapshot.record %>",
                     RUN: "<% execution().id %>"}}
    backup = run["create_backups"]
    assert (backup["action"], backup["with-items"]) == (
        "cinder.backups_create", "part in <% $.volume_plan %>")
    assert backup["input"]["force"] is True  # an in-use volume, without disruption
    assert backup["input"]["metadata"] == {records.LINK: "<% $.part.record %>",
                                           RUN: "<% execution().id %>"}
    item = {"name": "nightly", "part": VOLUME_PLAN[0]}
    assert evaluate_in(backup["input"]["name"], item) == "nightly (/dev/vdb)"
    assert evaluate_in(backup["input"]["volume_id"], item) == "vol-logs"
    assert backup["on-success"] == ["wait_images"]


def test_a_run_waits_for_its_images_and_backups():
    run = tasks()
    assert list(run)[6:10] == ["wait_images", "wait_backups", "check_backups",
                               "record_parts"]
    wait = run["wait_images"]
    assert wait["input"] == {"filters": {RUN: "<% execution().id %>"}}
    assert wait["retry"]["count"] * wait["retry"]["delay"] >= 30 * 60
    (active,), (not_active,) = (rule.items() for rule in wait["on-success"])
    assert active[0] == "wait_backups" and not_active[0] == "remove_made"
    # Every server image is active; none at all when the run makes none.
    context = {"snapshots": [{"server": "srv-1", "record": "rec-1"}]}
    assert evaluate_in(active[1], context, [{"status": "active"}])
    assert evaluate_in(not_active[1], context, [{"status": "killed"}])
    assert evaluate_in(active[1], {"snapshots": []}, [])

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
    assert available[0] == "record_parts" and not_available[0] == "remove_made"
    context = {"backups": ["b-1"]}
    assert evaluate_in(available[1], context, [{"id": "b-1", "status": "available"}])
    assert evaluate_in(not_available[1], context, [{"id": "b-1", "status": "error"}])
    assert evaluate_in(available[1], {"backups": []}, [])
    assert "b-1" in evaluate_in(check["publish"]["failure"], context, [
        {"id": "b-1", "status": "error", "fail_reason": "no space"}])
    assert run["record_parts"]["on-success"] == ["list_points"]


@pytest.mark.parametrize(("snapshots", "images", "parts"), [
    ([{"server": "srv-1", "record": "rec-1"}], ["snap-1"], {
        "rec-1": [records.Part(records.IMAGE_KIND, "snap-1"), part(LOGS, "b-1")],
        "rec-2": [part(ROOT, "b-2"), part(DATA, "b-3")]}),
    ([], [], {"rec-1": [part(LOGS, "b-1")], "rec-2": [part(ROOT, "b-2"), part(DATA, "b-3")]}),
])
def test_each_record_lists_its_parts_as_a_hand_made_backups_record(snapshots, images, parts):
    update = tasks()["record_parts"]
    assert (update["action"], update["with-items"]) == ("glance.images_update",
                                                        "record in <% $.records %>")
    context = {"snapshots": snapshots, "images": images, "volume_plan": VOLUME_PLAN,
               "backups": ["b-1", "b-2", "b-3"]}
    for record_id, listed in parts.items():
        written = properties_of(update["input"], {**context, "record": record_id})
        assert written["image_id"] == record_id
        record = records.Record.from_image(image(id=record_id, **written))
        assert record.parts == listed
        assert record.state == records.READY and record.parts_recorded


def test_a_record_without_a_server_image_or_volumes_is_its_original_image():
    written = properties_of(tasks()["record_parts"]["input"], {
        "record": "rec-1", "snapshots": [], "images": [], "volume_plan": [], "backups": []})
    record = records.Record.from_image(image(id="rec-1", **written, **{
        records.BOOT: records.BOOT_IMAGE, records.SOURCE_IMAGE: "img-1"}))
    assert (record.parts, record.parts_recorded, record.boot_image) == ([], True, "img-1")
    assert records.ServerBackup(record, []).parts_summary() == "original image"


def test_a_failed_step_removes_what_the_run_made_then_fails_it():
    run = tasks()
    steps = ["protect", "read_networks", "read_volumes", "create_records", "create_images",
             "create_backups", "wait_images", "wait_backups", "check_backups",
             "record_parts"]
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
    assert find["input"] == {"search_opts": {"volume_id": "<% $.volume %>"}}
    volumes = find["with-items"].split(" in ", 1)[1]
    assert evaluate_in(volumes, {}) == []  # failed before planning the backups
    assert evaluate_in(volumes, {"volume_plan": VOLUME_PLAN}) == [
        "vol-logs", "vol-root", "vol-data"]
    listed = [[{"id": "b-1", "metadata": {RUN: "run-1"}}, {"id": "b-0", "metadata": {}},
               {"id": "b-7", "metadata": {RUN: "run-0"}}]]
    assert evaluate_in(find["publish"]["made_backups"], {}, listed) == ["b-1"]
    assert run["delete_made_backups"]["action"] == "cinder.backups_delete"
    assert run["fail_run"] == {"action": "std.fail",
                               "input": {"error_data": "<% $.failure %>"}}
    # No way from a failure to retention.
    for name in chain:
        assert "list_points" not in json.dumps(run[name])


def test_retention_marks_the_records_deleting_and_deletes_their_parts_then_them():
    run = tasks()
    assert run["list_points"]["on-success"] == ["mark_expired"]
    chain = ["mark_expired", "find_parts", "delete_parts", "read_expired", "find_backups",
             "delete_backups", "wait_deletes", "find_left", "delete_expired"]
    assert list(run)[-len(chain):] == chain
    for name, following in zip(chain, chain[1:], strict=False):
        assert run[name]["on-success"] == [following], name
    assert run["mark_expired"]["input"] == {"image_id": "<% $.point %>",
                                            records.STATE: records.DELETING}
    assert run["find_parts"]["input"] == {"filters": {records.LINK: "<% $.point %>"}}
    # The backups of an expired record's volumes that name it (a part deleted by hand
    # is not listed; a hand-made backup of the same volume is not its part).
    parts = records.dumps([records.Part(records.VOLUME_KIND, "b-1", "vol-root", root=True)])
    volumes = evaluate_in(run["read_expired"]["publish"]["part_volumes"], {}, [
        {"id": "rec-1", records.PARTS: parts},
        {"id": "rec-0", records.PARTS: records.dumps([records.Part(records.IMAGE_KIND,
                                                                   "img-1")])}])
    assert volumes == ["vol-root"]


@pytest.mark.parametrize(("status", "deleted"), [
    ("available", True), ("error", True),
    # Cinder refuses these: the delete would fail the run.
    ("deleting", False), ("error_deleting", False), ("restoring", False),
])
def test_retention_deletes_the_backups_cinder_can_delete(status, deleted):
    find = tasks()["find_backups"]
    assert find["input"] == {"search_opts": {"volume_id": "<% $.volume %>"}}
    listed = [[{"id": "b-1", "status": status, "metadata": {records.LINK: "rec-1"}},
               {"id": "b-2", "status": "available", "metadata": {records.LINK: "hand-made"}},
               {"id": "b-3", "status": "available", "metadata": None}]]
    assert evaluate_in(find["publish"]["backup_parts"], {"expired": ["rec-1"]},
                       listed) == (["b-1"] if deleted else [])
    assert tasks()["delete_backups"]["input"] == {"backup": "<% $.backup %>"}


def test_retention_deletes_the_records_once_cinder_deleted_their_backups():
    run = tasks()
    wait = run["wait_deletes"]
    assert (wait["action"], wait["input"]) == ("cinder.backups_list",
                                               {"search_opts": {"status": "deleting"}})
    assert wait["retry"]["delay"] == 5 and wait["retry"]["count"] > 0  # bounded
    context = {"expired": ["rec-1"]}
    going = {"id": "b-1", "status": "deleting", "metadata": {records.LINK: "rec-1"}}
    other = {"id": "b-9", "status": "deleting", "metadata": {records.LINK: "rec-7"}}
    assert evaluate_in(wait["retry"]["continue-on"], context, [other, going])
    assert not evaluate_in(wait["retry"]["continue-on"], context, [other])
    # A record whose backup is still there (error_deleting) stays, marked deleting.
    find = run["find_left"]
    assert find["input"] == {"search_opts": {"volume_id": "<% $.volume %>"}}
    stuck = {"id": "b-1", "status": "error_deleting", "metadata": {records.LINK: "rec-1"}}
    context = {"expired": ["rec-0", "rec-1", "rec-2"]}
    assert evaluate_in(find["publish"]["gone"], context, [[stuck], [other]]) == [
        "rec-0", "rec-2"]
    assert run["delete_expired"] == {"with-items": "point in <% $.gone %>",
                                     "action": "glance.images_delete",
                                     "input": {"image_id": "<% $.point %>"}}


def test_the_definition_is_plain_yaml():
    """No anchor or alias (a mapping shared by two tasks): Mistral cannot parse them."""
    definition = workflow.definition(PLUGIN, ME, KEEP_TWO)
    assert "&id" not in definition and "*id" not in definition


@pytest.mark.parametrize(("snapshots_on", "offered"), [
    (True, ["enable_server_snapshot", "backup_volumes"]),
    # Not offered, so null in each run: no server image.
    (False, ["backup_volumes"]),
])
def test_the_schedules_form_offers_server_images_where_the_operator_allows_them(
        settings, snapshots_on, offered):
    settings.PROTECTION_DASHBOARD = {"enable_server_snapshot": snapshots_on}
    assert PLUGIN.schedule_options(None) == offered


def test_the_definition_holds_no_users_text():
    options = {"name": "nightly <% $ %>", "description": "{{ 1 }} made by"}
    definition = workflow.definition(PLUGIN, ME, Retention(1))
    for text in ("nightly", "{{", "made by", "srv-1"):
        assert text not in definition
    assert workflow.workflow_input(PLUGIN, ["srv-1"], options, {"name": "nightly"}) == {
        "resources": ["srv-1"], "name": "nightly <% $ %>", "description": "{{ 1 }} made by",
        "enable_server_snapshot": None, "backup_volumes": None, "schedule": {"name": "nightly"}}
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

