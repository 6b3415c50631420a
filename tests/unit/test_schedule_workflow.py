"""The workflow generated per plugin (schedules/workflow.py), its retention step run in
yaql (Mistral's expression language) against the same table as the pure function."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
import yaml
import yaql

from protection_dashboard.api.base import InvalidId
from protection_dashboard.protection import base
from protection_dashboard.schedules import workflow
from protection_dashboard.schedules.retention import SCHEDULE_TAG, Point, Retention
from tests.unit.test_schedule_retention import CASES, DELETABLE, ME, SUCCESS, point

PLUGIN = base.get("volume_snapshot")
KEEP_TWO = Retention(2)


def generated(rule: Retention = KEEP_TWO, plugin: base.ProtectionPlugin = PLUGIN
              ) -> dict[str, Any]:
    document = yaml.safe_load(workflow.definition(plugin, ME, rule))
    assert document.pop("version") == "2.0"
    (name, definition), = document.items()
    assert name == workflow.workflow_name(ME) == f"pd_schedule_{ME}"
    return definition


def record(of: Point) -> dict[str, Any]:
    """A snapshot as Mistral's ``cinder.volume_snapshots_list`` gives it."""
    return {"id": of.id, "status": of.status, "volume_id": of.resource_id,
            "created_at": of.created_at.isoformat(timespec="microseconds"),
            "metadata": {SCHEDULE_TAG: of.schedule_id} if of.schedule_id else {}}


def expired(rule: Retention, records: list[Any], plugin: base.ProtectionPlugin = PLUGIN
            ) -> list[str]:
    """Evaluate the list task's published ``expired`` as Mistral would, on the task's
    result ``records``."""
    expression = generated(rule, plugin)["tasks"]["list_points"]["publish"]["expired"]
    assert expression.startswith("<% ") and expression.endswith(" %>")
    context = yaql.create_context()
    context.register_function(lambda: {"result": records}, name="task")
    return yaql.factory.YaqlFactory().create()(expression[3:-3]).evaluate(context=context)


NEWEST_N = [case for case in CASES if not case[1].by_period]


def test_the_plugin_statuses_are_those_of_the_retention_table():
    assert (PLUGIN.success_statuses, PLUGIN.deletable_statuses) == (SUCCESS, DELETABLE)


@pytest.mark.parametrize(("rule", "points", "deleted"), [case[1:] for case in NEWEST_N],
                         ids=[case[0] for case in NEWEST_N])
def test_the_retention_step_selects_what_the_pure_function_selects(rule, points, deleted):
    assert expired(rule, [record(p) for p in points]) == deleted


def test_the_retention_step_reads_no_metadata_as_hand_made():
    records = [record(p) for p in CASES[0][2]]
    records.append({**record(point("bare", "2026-11-01T00:00:00")), "metadata": None})
    assert expired(Retention(1), records) == ["a", "b"]


def test_a_run_protects_each_resource_then_lists_then_deletes():
    definition = generated()
    assert definition["type"] == "direct" and definition["tags"] == ["protection-dashboard"]
    assert definition["input"] == ["resources", "name", "description", {"schedule": {}}]
    protect, listing, delete = definition["tasks"].values()
    assert protect == {
        "with-items": "resource in <% $.resources %>",
        "action": "cinder.volume_snapshots_create",
        "input": {"volume_id": "<% $.resource %>", "name": "<% $.name %>",
                  "description": "<% $.description %>", "metadata": {SCHEDULE_TAG: ME}},
        "on-success": ["list_points"],
    }
    assert listing["action"] == "cinder.volume_snapshots_list"
    # Cinder lists only the schedule's own snapshots (never the whole project)
    assert listing["input"] == {"search_opts": {"metadata": {SCHEDULE_TAG: ME}}}
    assert "with-items" not in listing
    assert listing["on-success"] == ["delete_expired"]
    assert delete == {"with-items": "point in <% $.expired %>",
                      "action": "cinder.volume_snapshots_delete",
                      "input": {"snapshot": "<% $.point %>"}}


def test_a_failed_protect_reaches_no_deletion():
    # Only on-success transitions: a failed create (of any resource of the
    # with-items) ends the run before the listing.
    for task in generated()["tasks"].values():
        assert not {"on-error", "on-complete"} & set(task)
    assert "on-success" not in generated()["tasks"]["delete_expired"]


def test_the_workflow_input_carries_the_users_text():
    options = {"snapshot_name": "<% $ %>", "force": True}
    assert workflow.workflow_input(PLUGIN, ["vol-1", "vol-2"], options) == {
        "resources": ["vol-1", "vol-2"], "name": "<% $ %>", "description": None,
        "schedule": {}}
    assert workflow.workflow_input(PLUGIN, ["vol-1"], options, {"name": "<% $ %>"})[
        "schedule"] == {"name": "<% $ %>"}
    with pytest.raises(InvalidId):
        workflow.workflow_input(PLUGIN, ["../x"], options)


def test_a_schedule_id_is_read_back_from_its_names():
    assert workflow.schedule_id_of(workflow.workflow_name(ME)) == ME
    for name in ("pd_schedule_", "pd_schedule_" + "0" * 31, "nightly", "x" + ME):
        assert workflow.schedule_id_of(name) is None


@pytest.mark.parametrize("schedule_id", ["", "ABC", "0" * 31, "0" * 32 + "'", "g" * 32])
def test_a_schedule_id_is_32_hex_digits(schedule_id):
    with pytest.raises(ValueError):
        workflow.definition(PLUGIN, schedule_id, Retention(1))


def test_per_period_retention_runs_the_installed_action_never_yaql():
    with pytest.raises(ValueError, match="daily, weekly and monthly"):
        workflow.expired_yaql(PLUGIN, ME, Retention(1, daily=7))
    rule = Retention(2, daily=7, weekly=4, monthly=3, timezone="Europe/Berlin")
    tasks = generated(rule)["tasks"]
    assert list(tasks) == ["protect", "list_points", "select_expired", "delete_expired"]
    assert tasks["list_points"]["publish"] == {"listed": "<% task().result %>"}
    assert tasks["list_points"]["on-success"] == ["select_expired"]
    assert tasks["select_expired"] == {
        "action": "protection_dashboard.retention_expired",
        "input": {"points": "<% $.listed %>", "schedule_id": ME, "parent_key": "volume_id",
                  "success_statuses": ["available"],
                  "deletable_statuses": sorted(DELETABLE), "keep_newest": 2, "daily": 7,
                  "weekly": 4, "monthly": 3, "timezone": "Europe/Berlin"},
        "publish": {"expired": "<% task().result %>"},
        "on-success": ["delete_expired"],
    }
    assert "on-error" not in tasks["select_expired"]
    backups = generated(rule, base.get("volume_backup"))["tasks"]["list_points"]
    assert backups["publish"] == {"listed": "<% task().result.selectMany($) %>"}


def test_a_backup_schedule_forces_each_backup_and_tags_it():
    plugin = base.get("volume_backup")
    document = yaml.safe_load(workflow.definition(plugin, ME, KEEP_TWO))
    tasks = document[workflow.workflow_name(ME)]["tasks"]
    assert tasks["protect"]["action"] == "cinder.backups_create"
    assert tasks["protect"]["input"] == {
        "volume_id": "<% $.resource %>", "name": "<% $.name %>",
        "description": "<% $.description %>", "container": "<% $.container %>",
        "force": True, "metadata": {SCHEDULE_TAG: ME}}
    assert tasks["delete_expired"]["input"] == {"backup": "<% $.point %>"}
    assert "$.volume_id = $p.volume_id" in tasks["list_points"]["publish"]["expired"]


def test_a_plugin_without_a_schedule_action_cannot_be_scheduled():
    unscheduled = mock.Mock(spec=base.ProtectionPlugin, schedule_action=None)
    unscheduled.name = "unscheduled"
    with pytest.raises(ValueError, match="cannot be scheduled"):
        workflow.definition(unscheduled, ME, Retention(1))
    with pytest.raises(ValueError, match="cannot be scheduled"):
        workflow.workflow_input(unscheduled, ["r1"], {})


def test_a_backup_run_lists_each_volumes_backups_and_keeps_the_newest_of_each():
    plugin = base.get("volume_backup")
    listing = generated(KEEP_TWO, plugin)["tasks"]["list_points"]
    assert listing["with-items"] == "resource in <% $.resources %>"
    assert listing["input"] == {"search_opts": {"volume_id": "<% $.resource %>"}}
    (name, rule, points, deleted) = next(case for case in NEWEST_N
                                         if len({p.resource_id for p in case[2]}) > 1)
    per_volume: dict[str, list[dict[str, Any]]] = {}
    for each in points:
        per_volume.setdefault(each.resource_id, []).append(record(each))
    assert expired(rule, list(per_volume.values()), plugin) == deleted, name


def test_every_scheduled_listing_is_filtered_by_the_service():
    plugins = [plugin for registered in base.resource_types()
               for plugin in base.protection_plugins(registered.resource_type)
               if plugin.schedule_action]
    assert plugins
    for plugin in plugins:
        action = plugin.schedule_action
        assert action.list_tag_filter or action.list_resource_filter, plugin.name


def test_a_share_run_uses_the_installed_actions_and_lists_by_the_tag():
    plugin = base.get("share_snapshot")
    assert plugin.schedule_action.installed_actions == [
        "protection_dashboard.share_snapshots_create",
        "protection_dashboard.share_snapshots_list",
        "protection_dashboard.share_snapshots_delete"]
    protect, listing, delete = generated(KEEP_TWO, plugin)["tasks"].values()
    assert protect["input"] == {"share": "<% $.resource %>", "name": "<% $.name %>",
                                "description": "<% $.description %>",
                                "metadata": {SCHEDULE_TAG: ME}}
    assert listing["input"] == {"search_opts": {"metadata": {SCHEDULE_TAG: ME}}}
    assert "$.share_id = $p.share_id" in listing["publish"]["expired"]
    assert delete["input"] == {"snapshot": "<% $.point %>"}
    assert not base.get("volume_snapshot").schedule_action.installed_actions


def test_the_installed_actions_are_the_entry_points_mistral_loads():
    """setup.cfg declares every installed action, for ``mistral_actions.py``'s classes."""
    import configparser
    from pathlib import Path

    cfg = configparser.ConfigParser()
    cfg.read(Path(__file__).parents[2] / "setup.cfg")
    declared = dict(line.split(" = ") for line in
                    cfg["entry_points"]["mistral.actions"].strip().splitlines())
    used = {name for registered in base.resource_types()
            for plugin in base.protection_plugins(registered.resource_type)
            if plugin.schedule_action for name in plugin.schedule_action.installed_actions}
    assert used and used <= declared.keys()
    source = (Path(base.__file__).parents[1] / "mistral_actions.py").read_text()
    for target in declared.values():
        module, cls = target.split(":")
        assert module == "protection_dashboard.mistral_actions"
        assert f"class {cls}(" in source
