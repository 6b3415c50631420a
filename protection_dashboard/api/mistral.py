"""Thin wrapper of python-mistralclient: protection schedules in the workflow service.

A schedule is one workflow (``pd_schedule_<id>``, tagged ``protection-dashboard``)
and one cron trigger of the same name that starts it with the schedule's
``workflow_input``.  The dashboard stores nothing: what a schedule is (its
name, resource type, plugin and retention) is the ``schedule`` entry of the
trigger's input, its resources the ``resources`` entry, its pattern and next
run the trigger's own.  A list is one call per kind (triggers, workflows,
executions) joined here, never a call per schedule.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.cache import cache
from horizon.utils.memoized import memoized
from keystoneauth1 import adapter
from mistralclient.api import base as mistral_base
from mistralclient.api.v2 import client as mistral_client

from protection_dashboard.api import base
from protection_dashboard.exceptions import InvalidId
from protection_dashboard.schedules import workflow

LOG = logging.getLogger(__name__)
SERVICE = 'mistral'
#: How many runs a list page reads to find each schedule's newest (newest first).
RECENT_RUNS_LIMIT = 500
#: The states of a run not ended yet.
UNDER_WAY = frozenset({'RUNNING', 'PAUSED', 'IDLE'})
#: The page of a listing of every schedule: Mistral's default ``[api] max_limit``, the
#: most it returns in one response.
LIST_PAGE = 1000


#: A failed action in a run's ``state_info``: Mistral quotes the service's message
#: (``msg='CinderAction.volume_snapshots.create failed: Volume ... (HTTP 404)
#: (Request-ID: ...)'``) inside its own explanation of the failed tasks.
_ACTION_ERROR = re.compile(
    r"msg='(?:\w+\.[\w.]+ failed: )?(.*?)(?: \(Request-ID: [^)]*\))?'\]", re.DOTALL)


class RunUnderWay(Exception):
    """A run of the schedule is under way: a second one would race its retention (both
    deleting the same expired points) and, started in the same second, make points
    retention cannot order."""


class Execution(base.APIResourceWrapper):
    """One run of a schedule's workflow."""

    _attrs = ['id', 'workflow_name', 'state', 'state_info', 'created_at', 'updated_at',
              'project_id']

    @property
    def under_way(self) -> bool:
        return self.state in UNDER_WAY

    @property
    def error(self) -> str | None:
        """Why the run failed: the services' messages, else Mistral's whole explanation."""
        info = self.state_info
        if self.state != 'ERROR' or not info:
            return None
        messages = dict.fromkeys(message.strip() for message in _ACTION_ERROR.findall(info))
        return '; '.join(messages) if messages else info


class Schedule(base.APIResourceWrapper):
    """A schedule, read from its cron trigger (and its workflow's id).

    ``id`` is the schedule's id (the hex in the names), ``trigger_id`` the
    trigger's own.  ``last_run`` is the newest ``Execution`` or None, set by
    the functions that join runs.
    """

    _attrs = ['pattern', 'next_execution_time', 'project_id', 'created_at',
              'workflow_name', 'workflow_id']

    def __init__(self, trigger: Any) -> None:
        super().__init__(trigger)
        self.id = workflow.schedule_id_of(trigger.name)
        self.trigger_id = trigger.id
        self.workflow_input = _input_of(trigger)
        fields = self.workflow_input.get('schedule') or {}
        self.name = fields.get('name') or self.id
        self.resource_type = fields.get('resource_type')
        self.plugin = fields.get('plugin')
        self.keep_newest = fields.get('keep_newest')
        #: The per-period counts (0: none) and the timezone they are counted in.
        self.keep_periods = {period: fields.get('keep_' + period) or 0
                             for period in ('daily', 'weekly', 'monthly')}
        self.timezone = fields.get('timezone')
        self.resources = list(self.workflow_input.get('resources') or [])
        self.last_run: Execution | None = None


def _input_of(trigger: Any) -> dict[str, Any]:
    """The trigger's workflow input (Mistral returns it as a JSON string)."""
    value = getattr(trigger, 'workflow_input', None) or {}
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value)


def new_schedule_id() -> str:
    return uuid.uuid4().hex


@memoized
def mistralclient(request) -> mistral_client.Client:
    """A Mistral client on the request's session, authenticated by the user's token.

    Mistral's HTTP client calls ``session.get(url)`` without an auth plugin, so
    it gets an adapter that holds the token (and keeps the shared session's pool).
    """
    endpoint = base.endpoint_for(request, SERVICE)
    session = adapter.Adapter(session=base.keystone_session(request),
                              auth=base.token_auth(request, endpoint))
    return mistral_client.Client(mistral_url=endpoint.rstrip('/'), session=session)


def actions_installed(request, names: Iterable[str]) -> bool:
    """Whether the workflow service has every named action.

    Actions a deployer installs into Mistral (``protection_dashboard.*``): the
    answer is the deployment's, cached per endpoint for ``VERSION_CACHE_TTL``.
    An action the user may not read counts as absent (logged).
    """
    endpoint = base.endpoint_for(request, SERVICE)
    for name in names:
        key = 'protection_dashboard:mistral_action:%s:%s' % (endpoint, name)
        found = cache.get(key)
        if found is None:
            try:
                mistralclient(request).actions.get(name)
                found = True
            except mistral_base.APIException as exc:
                if exc.error_code not in (403, 404):
                    raise
                if exc.error_code == 403:
                    LOG.warning('The workflow service refused to show action %s', name)
                found = False
            cache.set(key, found, base.VERSION_CACHE_TTL)
        if not found:
            return False
    return True


def _all_projects(all_projects: bool) -> dict[str, Any]:
    return {'all_projects': True} if all_projects else {}


def schedule_create(request, schedule_id: str, definition: str, pattern: str,
                    workflow_input: Mapping[str, Any]) -> Schedule:
    """Create the schedule's workflow, then its cron trigger.

    A trigger the service refuses (a pattern, a quota) leaves no workflow
    behind: it is deleted and the refusal raised.
    """
    name = workflow.workflow_name(schedule_id)
    client = mistralclient(request)
    created = client.workflows.create(definition)
    try:
        trigger = client.cron_triggers.create(name, name, workflow_input=dict(workflow_input),
                                              pattern=pattern)
    except Exception:
        client.workflows.delete(created[0].id)
        raise
    return Schedule(trigger)


class ScheduleLost(Exception):
    """An edit's new trigger was refused and the old one could not be made again:
    the schedule no longer runs (its workflow and points stay)."""


def schedule_update(request, schedule_id: str, definition: str, pattern: str,
                    workflow_input: Mapping[str, Any]) -> Schedule:
    """Change a schedule in place: its workflow, then its trigger (same id and tag).

    Mistral cannot change a trigger, and a trigger's name is unique in its
    project, so the old trigger is deleted before the new one is made: never
    two live triggers. When the service refuses the new trigger, the old one
    and the old definition are made again and the refusal raised; when even
    that fails, ``ScheduleLost``.
    """
    old = schedule_get(request, schedule_id)
    client = mistralclient(request)
    old_definition = client.workflows.get(old.workflow_id).definition
    client.workflows.update(definition, id=old.workflow_id)
    try:
        client.cron_triggers.delete(old.trigger_id)
    except Exception:
        client.workflows.update(old_definition, id=old.workflow_id)
        raise
    try:
        trigger = client.cron_triggers.create(
            old.workflow_name, old.workflow_name, workflow_input=dict(workflow_input),
            pattern=pattern)
    except Exception:
        try:
            client.workflows.update(old_definition, id=old.workflow_id)
            client.cron_triggers.create(old.workflow_name, old.workflow_name,
                                        workflow_input=old.workflow_input, pattern=old.pattern)
        except Exception as lost:
            LOG.exception('Schedule %s: the old trigger could not be made again', schedule_id)
            raise ScheduleLost(schedule_id) from lost
        raise
    return Schedule(trigger)


def _every(list_page: Callable[..., list[Any]], **filters: Any) -> list[Any]:
    """Every item of a Mistral listing, oldest first: a page of ``LIST_PAGE``, then, while
    pages are full, the next one from the last item's id."""
    items: list[Any] = []
    marker = ''
    while True:
        page = list_page(marker=marker, limit=LIST_PAGE, sort_keys='created_at,id',
                         sort_dirs='asc,asc', **filters)
        items.extend(page)
        if len(page) < LIST_PAGE:
            return items
        marker = page[-1].id


def _schedule_triggers(request, all_projects: bool) -> list[Any]:
    """Our triggers: those whose workflow is among the tagged workflows (one call each
    per ``LIST_PAGE`` of them)."""
    client = mistralclient(request)
    projects = _all_projects(all_projects)
    named = {'name': 'has:' + workflow.NAME_PREFIX}
    listed = base.run_all({
        'triggers': lambda: _every(client.cron_triggers.list, **named, **projects),
        'workflows': lambda: _every(client.workflows.list, tags=workflow.WORKFLOW_TAG,
                                    fields=['id'], **named, **projects),
    })
    workflow_ids = {wf.id for wf in listed['workflows']}
    return [trigger for trigger in listed['triggers']
            if trigger.workflow_id in workflow_ids and workflow.schedule_id_of(trigger.name)]


def _recent_runs(request, workflow_names: Iterable[str], all_projects: bool,
                 limit: int | None) -> list[Execution]:
    """The runs of the named workflows, newest first (one call)."""
    names = sorted(set(workflow_names))
    if not names:
        return []
    executions = mistralclient(request).executions.list(
        workflow_name=names[0] if len(names) == 1 else 'in:' + ','.join(names),
        sort_keys='created_at', sort_dirs='desc', limit=limit, **_all_projects(all_projects))
    return base.wrap_all(Execution, executions)


def _join_newest_runs(request, schedules: list[Schedule], all_projects: bool) -> None:
    """Set each schedule's ``last_run`` from one listing of the schedules' runs."""
    runs = _recent_runs(request, (s.workflow_name for s in schedules), all_projects,
                        RECENT_RUNS_LIMIT)
    newest: dict[str, Execution] = {}
    for run in runs:
        newest.setdefault(run.workflow_name, run)
    for schedule in schedules:
        schedule.last_run = newest.get(schedule.workflow_name)


def schedule_list(request, all_projects: bool = False,
                  with_runs: bool = True) -> list[Schedule]:
    """The schedules (of the project, or of all projects), each with its newest run;
    without ``with_runs`` no run is listed (``last_run`` stays None)."""
    schedules = [Schedule(trigger) for trigger in _schedule_triggers(request, all_projects)]
    if with_runs:
        _join_newest_runs(request, schedules, all_projects)
    return sorted(schedules, key=lambda s: (s.name.lower(), s.id))


def schedule_page(request, marker: str | None, prev_marker: str | None, limit: int,
                  all_projects: bool = False) -> base.Page:
    """One page of the schedules, newest first, each with its newest run: three calls
    (a page of triggers, their workflows' tags, their runs), whatever the number of
    schedules.  The markers are trigger ids."""
    client = mistralclient(request)

    def fetch(start: str | None, count: int, ascending: bool) -> list[Any]:
        direction = 'asc' if ascending else 'desc'
        return client.cron_triggers.list(
            marker=start or '', limit=count, sort_keys='created_at,id',
            sort_dirs=f'{direction},{direction}', name='has:' + workflow.NAME_PREFIX,
            **_all_projects(all_projects))

    page = base.marker_page(fetch, marker, prev_marker, limit)
    schedules = []
    if page.items:
        tagged = client.workflows.list(
            name='in:' + ','.join(sorted({t.workflow_name for t in page.items})),
            tags=workflow.WORKFLOW_TAG, fields=['id'], **_all_projects(all_projects))
        ours = {wf.id for wf in tagged}
        schedules = [Schedule(trigger) for trigger in page.items
                     if trigger.workflow_id in ours and workflow.schedule_id_of(trigger.name)]
        _join_newest_runs(request, schedules, all_projects)
    return base.Page(schedules, next_marker=page.next_marker, prev_marker=page.prev_marker)


def schedule_get(request, schedule_id: str) -> Schedule:
    """One schedule, from its cron trigger (a bad id is InvalidId: no call)."""
    try:
        name = workflow.workflow_name(schedule_id)
    except ValueError as exc:
        raise InvalidId(str(exc)) from exc
    return Schedule(mistralclient(request).cron_triggers.get(name))


def runs_of(request, schedule: Schedule, limit: int | None = None,
            all_projects: bool = False) -> list[Execution]:
    """The runs of a schedule's workflow, newest first, in one call (an admin's view
    of another project's schedule needs ``all_projects``)."""
    return _recent_runs(request, [schedule.workflow_name], all_projects, limit)


def run_get(request, run_id: str) -> Execution:
    """One run (a row's update while it is under way; a bad id is InvalidId: no call)."""
    return Execution(mistralclient(request).executions.get(base.check_id(run_id)))


def schedule_runs(request, schedule_id: str, limit: int | None = None,
                  all_projects: bool = False) -> list[Execution]:
    """``runs_of`` the schedule of that id."""
    return runs_of(request, schedule_get(request, schedule_id), limit, all_projects)


def schedule_run_now(request, schedule_id: str) -> Execution:
    """Start the schedule's workflow at once, with the trigger's input; RunUnderWay
    while its newest run is under way."""
    schedule = schedule_get(request, schedule_id)
    newest = runs_of(request, schedule, limit=1)
    if newest and newest[0].under_way:
        raise RunUnderWay(schedule_id)
    execution = mistralclient(request).executions.create(
        schedule.workflow_name, workflow_input=schedule.workflow_input,
        description='protection-dashboard: run now')
    return Execution(execution)


def schedule_delete(request, schedule_id: str) -> None:
    """Delete the trigger (no new runs), then the workflow; the points stay."""
    schedule = schedule_get(request, schedule_id)
    client = mistralclient(request)
    client.cron_triggers.delete(schedule.trigger_id)
    client.workflows.delete(schedule.workflow_id)
