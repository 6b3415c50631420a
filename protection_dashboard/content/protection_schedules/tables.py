"""The schedules table (project and admin) and the runs table of a schedule."""

from __future__ import annotations

import sys

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from horizon import exceptions, messages, tables
from openstack_dashboard import policy as openstack_policy

from protection_dashboard import api
from protection_dashboard.content.datatable import ProtectionTable
from protection_dashboard.content.protection_schedules import forms, joins, policy
from protection_dashboard.content.protection_schedules.times import local_time, service_time
from protection_dashboard.protection import base as protection_base
from protection_dashboard.schedules import cron

#: A run's state: steady (True), failed (False); others (RUNNING, PAUSED) poll.
RUN_STATES = (('SUCCESS', True), ('ERROR', False), ('CANCELLED', False))
#: The newest run's state; a schedule that never ran (None) is steady too.
LAST_RUN_STATES = ((None, True), *RUN_STATES)
RUN_STATE_DISPLAY = (
    ('SUCCESS', _("Success")),
    ('ERROR', _("Error")),
    ('CANCELLED', _("Cancelled")),
    ('RUNNING', _("Running")),
    ('PAUSED', _("Paused")),
    ('IDLE', _("Idle")),
)
NEVER_RUN = _("Never run")


def pattern_text(schedule) -> str:
    """The pattern and, for a valid one, its plain-language preview."""
    try:
        cron.validate_pattern(schedule.pattern)
    except ValidationError:
        return schedule.pattern  # not one the dashboard makes: shown as Mistral has it
    return '%s (%s)' % (schedule.pattern, cron.describe(schedule.pattern))


def resource_type_text(schedule) -> str:
    """The type's label ("Volumes (OS::Cinder::Volume)"), or its name if not registered."""
    try:
        return str(protection_base.resource_type(schedule.resource_type).label)
    except KeyError:
        return schedule.resource_type or ''


def resources_text(schedule) -> str:
    names = getattr(schedule, 'resource_names', None) or {}
    return ', '.join(names.get(resource) or resource for resource in schedule.resources)


def protection_text(schedule) -> str:
    """The protection's label and the options the schedule gives it, by their titles
    ("Volume Backup (Container Name: nightly)"); empty and false ones left out."""
    label = str(forms.PLUGIN_LABELS.get(schedule.plugin, schedule.plugin or ''))
    chosen = forms.chosen_options(schedule)
    if not chosen:
        return label
    properties = forms.options_schema(protection_base.get(schedule.plugin),
                                      list(chosen))['properties']
    given = ['%s: %s' % (_(properties[option]['title']), _("Yes") if value is True else value)
             for option, value in chosen.items() if value not in (None, '', False)]
    return '%s (%s)' % (label, '; '.join(given)) if given else label


def retention_text(schedule) -> str:
    """What the schedule keeps of each resource, in words."""
    newest = schedule.keep_newest or 0
    text = ngettext("the newest point", "the newest %(count)d points", newest) % {
        'count': newest}
    periods = schedule.keep_periods
    counts = [ngettext("%(count)d day", "%(count)d days", periods['daily']),
              ngettext("%(count)d week", "%(count)d weeks", periods['weekly']),
              ngettext("%(count)d month", "%(count)d months", periods['monthly'])]
    spans = [count % {'count': periods[period]}
             for count, period in zip(counts, ('daily', 'weekly', 'monthly'), strict=True)
             if periods[period]]
    if not spans:
        return text
    return _("%(newest)s, and the first point of each of the last %(spans)s "
             "(%(timezone)s)") % {'newest': text, 'spans': ', '.join(spans),
                                  'timezone': schedule.timezone or 'UTC'}


def next_run(schedule) -> str:
    return local_time(service_time(schedule.next_execution_time))


def last_run_state(schedule) -> str | None:
    return schedule.last_run.state if schedule.last_run else None


def last_run_text(schedule) -> str:
    """When the newest run started and, for a failed one, the service's reason."""
    run = schedule.last_run
    if run is None:
        return str(NEVER_RUN)
    started = run_started(run)
    if run.error:
        return _("%(time)s: %(error)s") % {'time': started, 'error': run.error}
    return started


def run_started(run) -> str:
    return local_time(service_time(run.created_at))


def run_updated(run) -> str:
    return local_time(service_time(run.updated_at))


def detail_link(schedule) -> str:
    return reverse('horizon:project:protection_schedules:detail', args=(schedule.id,))


class ScheduleProjectTarget:
    """A row action's policy target: the schedule's project (Mistral's rules' owner)."""

    def get_policy_target(self, request, datum=None):
        return {'project_id': getattr(datum, 'project_id', None)}


class CreateSchedule(tables.LinkAction):
    name = 'create'
    verbose_name = _("Create Schedule")
    url = 'horizon:project:protection_schedules:create'
    classes = ('ajax-modal',)
    icon = 'plus'
    policy_rules = policy.CREATE


class EditSchedule(ScheduleProjectTarget, tables.LinkAction):
    name = 'update'
    verbose_name = _("Edit Schedule")
    url = 'horizon:project:protection_schedules:update'
    classes = ('ajax-modal',)
    icon = 'pencil'
    policy_rules = policy.UPDATE


class RunNow(ScheduleProjectTarget, tables.BatchAction):
    """Start a run at once with the schedule's own input (its trigger keeps its times)."""

    name = 'run_now'
    icon = 'play'
    policy_rules = policy.RUN_NOW
    help_text = _("A run protects the schedule's resources now and applies its "
                  "retention; the next scheduled run stays as it is.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Run Schedule Now", "Run Schedules Now", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Started a run of Schedule", "Started runs of Schedules", count)

    def action(self, request, obj_id):
        """Refused while a run is under way (the service is asked, not the row)."""
        try:
            api.mistral.schedule_run_now(request, obj_id)
        except api.mistral.RunUnderWay as exc:
            messages.warning(request, _("A run of this schedule is under way: run it "
                                        "again once that run has ended."))
            raise exceptions.HandledException(sys.exc_info()) from exc


class DeleteSchedule(ScheduleProjectTarget, tables.DeleteAction):
    """Delete the trigger and the workflow; the points the schedule made stay."""

    policy_rules = policy.DELETE
    help_text = _("The schedule stops: its cron trigger and workflow are deleted. The "
                  "protection points it made are kept; delete them in their panel if "
                  "you no longer need them.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Schedule", "Delete Schedules", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Deleted Schedule", "Deleted Schedules", count)

    def delete(self, request, obj_id):
        api.mistral.schedule_delete(request, obj_id)


class DeleteScheduleAndPoints(ScheduleProjectTarget, tables.BatchAction):
    """Delete the schedule, then the points it made (those the service can delete now)."""

    name = 'delete_with_points'
    icon = 'trash'
    policy_rules = policy.DELETE
    help_text = _("The schedule stops, and the protection points it made are deleted "
                  "too. Points made by hand or by other schedules are not touched. "
                  "Deleted points are not recoverable.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.action_type = 'danger'

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Schedule and Its Points",
                             "Delete Schedules and Their Points", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Deleted Schedule and its points",
                             "Deleted Schedules and their points", count)

    def allowed(self, request, datum=None):
        """The rule of deleting the schedule's kind of points too."""
        plugin = _plugin(getattr(datum, 'plugin', None)) if datum is not None else None
        return datum is None or (plugin is not None and
                                 openstack_policy.check(plugin.delete_policy, request))

    def action(self, request, obj_id):
        schedule = api.mistral.schedule_get(request, obj_id)
        plugin = _plugin(schedule.plugin)
        if plugin is None or not openstack_policy.check(plugin.delete_policy, request):
            raise exceptions.NotAuthorized
        api.mistral.schedule_delete(request, obj_id)
        points = joins.schedule_points(plugin.list_points(request), obj_id)
        kept = [point for point in points if not plugin.can_delete(point.status)]
        for point in points:
            if point not in kept:
                plugin.delete(request, point.id)
        if kept:
            messages.warning(request, ngettext_lazy(
                "%(count)d point of the schedule is in progress and was not deleted.",
                "%(count)d points of the schedule are in progress and were not deleted.",
                len(kept)) % {'count': len(kept)})


def _plugin(name: str | None) -> protection_base.ProtectionPlugin | None:
    try:
        return protection_base.get(name)
    except KeyError:
        return None


class UpdateRow(tables.Row):
    """A row polls while its newest run is under way."""

    ajax = True
    all_projects = False

    def get_data(self, request, schedule_id):
        schedule = api.mistral.schedule_get(request, schedule_id)
        runs = api.mistral.runs_of(request, schedule, limit=1, all_projects=self.all_projects)
        schedule.last_run = runs[0] if runs else None
        joins.join_point_counts(request, [schedule], self.all_projects)
        return schedule


def last_run_column() -> tables.Column:
    return tables.Column(last_run_state, verbose_name=_("Last Result"), status=True,
                         status_choices=LAST_RUN_STATES, display_choices=RUN_STATE_DISPLAY,
                         empty_value='-')


class SchedulesTable(ProtectionTable):
    name = tables.WrappingColumn('name', verbose_name=_("Name"), link=detail_link)
    resource_type = tables.Column(resource_type_text, verbose_name=_("Resource Type"))
    resources = tables.WrappingColumn(resources_text, verbose_name=_("Resources"))
    pattern = tables.WrappingColumn(pattern_text, verbose_name=_("Runs"))
    next_run = tables.Column(next_run, verbose_name=_("Next Run"))
    last_run = tables.WrappingColumn(last_run_text, verbose_name=_("Last Run"))
    last_result = last_run_column()
    points = tables.Column('point_count', verbose_name=_("Points"), empty_value='-')

    class Meta:
        name = 'schedules'
        verbose_name = _("Protection Schedules")
        status_columns = ('last_result',)
        row_class = UpdateRow
        table_actions = (CreateSchedule, DeleteSchedule)
        row_actions = (EditSchedule, RunNow, DeleteSchedule, DeleteScheduleAndPoints)


class RunRow(tables.Row):
    """A run's row polls while the run is under way."""

    ajax = True

    def get_data(self, request, run_id):
        return api.mistral.run_get(request, run_id)


class RunsTable(tables.DataTable):
    """The runs of one schedule, newest first, each with the service's error."""

    created = tables.Column(run_started, verbose_name=_("Started"))
    updated = tables.Column(run_updated, verbose_name=_("Updated"))
    state = tables.Column('state', verbose_name=_("Result"), status=True,
                          status_choices=RUN_STATES, display_choices=RUN_STATE_DISPLAY)
    error = tables.WrappingColumn('error', verbose_name=_("Error"), empty_value='')

    class Meta:
        name = 'runs'
        verbose_name = _("Runs")
        status_columns = ('state',)
        row_class = RunRow
