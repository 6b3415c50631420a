"""The workflow service's (Mistral's) definition of a schedule, generated per plugin.

One workflow per schedule, named after the schedule's id; a cron trigger (the
*when*) starts it with ``workflow_input`` (the resources and protect options).
A run has three tasks, each reached only when the one before succeeded:

1. ``protect``: the plugin's create action for each resource, its metadata the
   schedule's tag (``retention.SCHEDULE_TAG`` = the schedule's id);
2. ``list_points``: the plugin's list action, filtered by the service to the
   schedule's tag (or to each resource); it publishes ``expired``, the ids the
   rule does not keep, selected in YAQL as ``retention.to_delete`` selects. A rule
   by day, week or month publishes the listed points instead, and a task
   ``select_expired`` runs ``retention.to_delete`` itself (``RETENTION_ACTION``,
   installed into Mistral: YAQL has no timezones);
3. ``delete_expired``: the plugin's delete action for each of them.

Each step is the plugin's ``ScheduleAction`` hook (``protect_tasks``,
``list_task``, ``delete_tasks``): by default one action each, as above; a point
made in several steps (a server backup) brings its own tasks.

A failed protect of any resource stops the run before the listing: nothing is
deleted. The definition holds no text of the user's (names and descriptions are
inputs, which Mistral never evaluates as expressions), only the schedule's id,
the plugin's actions and statuses, and the rule (its counts, and the name of a
timezone ``zoneinfo`` knows).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import yaml

from protection_dashboard.api.base import check_id
from protection_dashboard.schedules.retention import SCHEDULE_TAG, Retention

if TYPE_CHECKING:  # the plugins import the service layer, which names workflows here
    from protection_dashboard.protection.base import ProtectionPlugin, ScheduleAction

#: The tag of every workflow of ours, to list the schedules among the project's workflows.
WORKFLOW_TAG = 'protection-dashboard'
#: The action selecting the expired points of a rule by period (``mistral_actions.py``).
RETENTION_ACTION = 'protection_dashboard.retention_expired'
_SCHEDULE_ID = re.compile(r'[0-9a-f]{32}')
NAME_PREFIX = 'pd_schedule_'
#: The task listing the schedule's points, reached once every point of the run is made.
LIST_TASK = 'list_points'


def workflow_name(schedule_id: str) -> str:
    """The workflow's name (Mistral keeps at most 80 characters), also its trigger's."""
    if not _SCHEDULE_ID.fullmatch(schedule_id):
        raise ValueError('a schedule id is 32 lowercase hex digits')
    return f'{NAME_PREFIX}{schedule_id}'


def schedule_id_of(name: str) -> str | None:
    """The schedule id in a workflow's or trigger's name, or None: not a schedule's."""
    if not name.startswith(NAME_PREFIX):
        return None
    candidate = name[len(NAME_PREFIX):]
    return candidate if _SCHEDULE_ID.fullmatch(candidate) else None


def _action(plugin: ProtectionPlugin) -> ScheduleAction:
    if plugin.schedule_action is None:
        raise ValueError(f'{plugin.name} points cannot be scheduled yet')
    return plugin.schedule_action


def _yaql_list(values: Collection[str]) -> str:
    return '[%s]' % ', '.join(f"'{value}'" for value in sorted(values))


def expired_yaql(plugin: ProtectionPlugin, schedule_id: str, retention: Retention) -> str:
    """The YAQL selecting from the listing's result what a run deletes, oldest first:
    per resource (the plugin's parent key), its newest N successful points are kept.

    Only the newest-N rule: YAQL has no timezones, so a rule by day, week or month
    (in the user's timezone) runs in ``RETENTION_ACTION`` and is refused here.
    """
    if retention.by_period:
        raise ValueError('daily, weekly and monthly retention cannot run in YAQL')
    tag = f"$.metadata != null and $.metadata.get('{SCHEDULE_TAG}') = '{schedule_id}'"
    parent = plugin.parent_key
    # A point is kept when fewer than N successful points of its resource are newer
    # (later, or of the same second with a greater id, as retention orders them).
    newer = (f'$ok.where($.{parent} = $p.{parent} and ($.created_at > $p.created_at or '
             '($.created_at = $p.created_at and $.id > $p.id))).len()')
    # toList(): YAQL's where/select are lazy, and a variable is read more than once.
    listed = _action(plugin).list_task(schedule_id)[1]
    return (f'let(own => {listed}.where({tag}).toList()) -> '
            f'let(ok => $own.where($.status in {_yaql_list(plugin.success_statuses)})'
            '.toList()) -> '
            f'let(keep => $ok.where(let(p => $) -> {newer} < {retention.keep_newest})'
            '.select($.id).toList()) -> '
            f'$own.where($.status in {_yaql_list(plugin.deletable_statuses)}'
            ' and not ($.id in $keep)).orderBy($.created_at).thenBy($.id)'
            '.select($.id).toList()')


def _retention_tasks(plugin: ProtectionPlugin, schedule_id: str, retention: Retention,
                     delete: str) -> dict[str, Any]:
    """The tasks publishing ``expired``: the listing, and for a rule by period the
    selection by the installed action; then the run goes on to ``delete``."""
    listing, listed = _action(plugin).list_task(schedule_id)
    if not retention.by_period:
        expired = expired_yaql(plugin, schedule_id, retention)
        return {LIST_TASK: {**listing, 'publish': {'expired': f'<% {expired} %>'},
                            'on-success': [delete]}}
    return {
        LIST_TASK: {**listing, 'publish': {'listed': f'<% {listed} %>'},
                    'on-success': ['select_expired']},
        'select_expired': {
            'action': RETENTION_ACTION,
            'input': {'points': '<% $.listed %>', 'schedule_id': schedule_id,
                      'parent_key': plugin.parent_key,
                      'success_statuses': sorted(plugin.success_statuses),
                      'deletable_statuses': sorted(plugin.deletable_statuses),
                      'keep_newest': retention.keep_newest, 'daily': retention.daily,
                      'weekly': retention.weekly, 'monthly': retention.monthly,
                      'timezone': retention.timezone},
            'publish': {'expired': '<% task().result %>'},
            'on-success': [delete],
        },
    }


def definition(plugin: ProtectionPlugin, schedule_id: str, retention: Retention) -> str:
    """The workflow definition (Mistral's v2 language, YAML) of a schedule."""
    action = _action(plugin)
    name = workflow_name(schedule_id)
    deletion = action.delete_tasks()
    workflow = {
        'description': f'Protection schedule {schedule_id} ({plugin.name}) of '
                       'protection-dashboard',
        'type': 'direct',
        'tags': [WORKFLOW_TAG],
        # ``schedule``: what the schedule is (name, type, plugin, retention), for the
        # dashboard to read back from the trigger; no task uses it.
        'input': ['resources', *action.options, {'schedule': {}}],
        'tasks': {
            **action.protect_tasks(schedule_id, then=LIST_TASK),
            **_retention_tasks(plugin, schedule_id, retention, delete=next(iter(deletion))),
            **deletion,
        },
    }
    return yaml.safe_dump({'version': '2.0', name: workflow}, sort_keys=False)


def workflow_input(plugin: ProtectionPlugin, resource_ids: Iterable[str],
                   options: Mapping[str, Any],
                   schedule: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The cron trigger's input of the workflow: the resources, the protect options and
    ``schedule`` (what the schedule is, read back by the dashboard)."""
    action = _action(plugin)
    return {'resources': [check_id(resource_id) for resource_id in resource_ids],
            **{key: options.get(option) for key, option in action.options.items()},
            'schedule': dict(schedule or {})}
