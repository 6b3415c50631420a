"""The create and edit forms of a schedule, from ``schemas/protection_schedule.json``.

The resources are offered from the project's protectables of the schedulable
types (the plugin registry); the pattern is checked by ``cron.validate_pattern``
and the retention by the schema, so a bad input is a field error and no call.
The per-period counts (daily, weekly, monthly, in the user's timezone) are
offered where the workflow service has the dashboard's retention action
(doc/source/contributor/scheduled-protection.md). Each protection's options
(``ProtectionPlugin.schedule_options``: its options schema's fields but the
point's name and description, which are the schedule's) show while that
protection is chosen, and are checked against its schema.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mistralclient.api import base as mistral_base

from protection_dashboard import api, schema_form
from protection_dashboard.content import forms, utils
from protection_dashboard.content.protection_schedules import times
from protection_dashboard.protection import base as protection_base
from protection_dashboard.schedules import cron, retention, workflow

#: Retention fields of the schema that need the installed retention action.
PERIOD_FIELDS = ('keep_daily', 'keep_weekly', 'keep_monthly')
#: The most resources of one type offered in the form.
RESOURCE_CHOICES_LIMIT = 1000
#: The longest pattern Mistral stores (the schema's maxLength).
PATTERN_LIMIT = 100
#: The longest description a service takes for a point.
DESCRIPTION_LIMIT = 255
PLUGIN_LABELS = {
    'volume_snapshot': _("Volume Snapshot"),
    'share_snapshot': _("Share Snapshot"),
    'volume_backup': _("Volume Backup"),
    'server_backup': _("Server Backup"),
}


def has_actions(request, names: list[str]) -> bool:
    """Whether the workflow service has the installed actions ``names``; a failing
    service is an error banner, and no."""
    if not names:
        return True
    try:
        return api.mistral.actions_installed(request, names)
    except Exception:
        utils.handle_error(request, _("Unable to ask the workflow service for its actions."))
        return False


def schedulable_plugins(request) -> list[protection_base.ProtectionPlugin]:
    """The enabled protection plugins whose points a schedule can make: those whose
    actions the workflow service has (a share schedule's are installed into it)."""
    return [plugin
            for registered in protection_base.resource_types()
            for plugin in protection_base.protection_plugins(registered.resource_type)
            if plugin.is_schedulable(request)
            and has_actions(request, plugin.schedule_action.installed_actions)]


def point_options(plugin: protection_base.ProtectionPlugin, schedule_name: str,
                  chosen: dict[str, Any] | None = None) -> dict[str, Any]:
    """The protect options of a scheduled point: named and described after its
    schedule, the others as ``chosen`` in the form (null where it offers none)."""
    description = str(_("Made by the protection schedule %s.") % schedule_name)
    naming = {'description': description[:DESCRIPTION_LIMIT]}
    return {option: naming.get(option, schedule_name)
            if option in protection_base.NAMING_OPTIONS else (chosen or {}).get(option)
            for option in plugin.schedule_action.options.values()}


def type_label(type_name: str) -> str:
    """A resource type's label ("Volumes (OS::Cinder::Volume)"), also the name of its
    group of resources and of protections in the form."""
    return str(protection_base.resource_type(type_name).label)


def option_field(plugin_name: str, option: str) -> str:
    """The form's field of a protection's option (two protections may share an
    option's name, e.g. force)."""
    return f'{plugin_name}__{option}'


def options_schema(plugin: protection_base.ProtectionPlugin,
                   options: list[str]) -> dict[str, Any]:
    """The part of the plugin's options schema holding ``options``, in its order."""
    properties = schema_form.load_schema(plugin.options_schema)['properties']
    return {'type': 'object', 'properties': {option: spec for option, spec in properties.items()
                                             if option in options}}


def chosen_options(schedule: api.mistral.Schedule) -> dict[str, Any]:
    """The protection's options a saved schedule was given (option -> value), from its
    trigger's input: those its form offers and the input holds (an older schedule may
    lack one); none for a plugin this dashboard does not have."""
    try:
        action = protection_base.get(schedule.plugin).schedule_action
    except KeyError:
        return {}
    if action is None:
        return {}
    return {option: schedule.workflow_input[key] for key, option in action.options.items()
            if option in action.form_options and key in schedule.workflow_input}


def options_initial(schedule: api.mistral.Schedule) -> dict[str, Any]:
    """The option fields' values of a saved schedule (an option it has no input for
    keeps the schema's default)."""
    return {option_field(schedule.plugin, option): value
            for option, value in chosen_options(schedule).items()}


class CreateScheduleForm(forms.ServiceForm):
    schema_name = 'protection_schedule'
    success_message = _('Created schedule "%s".')
    failure_message = _("Unable to create the schedule.")
    lost_target_message = _("A resource of the schedule is not valid.")
    refused_errors = (mistral_base.APIException, api.mistral.ScheduleLost)

    def __init__(self, request, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        if not has_actions(request, [workflow.RETENTION_ACTION]):
            for name in PERIOD_FIELDS:
                del self.fields[name]
        self.fields['cron_pattern'].validators.append(cron.validate_pattern)
        plugins = schedulable_plugins(request)
        self.plugins = {plugin.name: plugin for plugin in plugins}
        types = self.offered_types(plugins)
        # The protections and the resources in a group per type (the form's script
        # shows only the chosen type's).
        self.set_choices('plugin', [(type_label(name), [
            (plugin.name, PLUGIN_LABELS.get(plugin.name, plugin.name))
            for plugin in plugins if plugin.resource_type == name]) for name in types])
        self.set_choices('resource_type', [(name, type_label(name)) for name in types])
        self.resource_types: dict[str, str] = {}
        self.set_choices('resources', self._resource_choices(request, types))
        #: Per protection, its offered options (option -> field name).
        self.option_fields = {plugin.name: self._add_option_fields(request, plugin)
                              for plugin in plugins}
        self.chosen_options: dict[str, Any] = {}

    def _add_option_fields(self, request,
                           plugin: protection_base.ProtectionPlugin) -> dict[str, str]:
        """The plugin's offered options as fields after the protection's, shown while
        it is chosen."""
        offered = plugin.schedule_options(request)
        names = {option: option_field(plugin.name, option) for option in offered}
        built = schema_form.schema_fields(options_schema(plugin, offered))
        order = list(self.fields)
        for option, field in built.items():
            self.fields[names[option]] = field
        self.switch_fields('plugin', {name: [plugin.name] for name in names.values()})
        after = order.index('plugin') + 1
        added = [name for name in self.fields if name not in order]
        self.order_fields([*order[:after], *added, *order[after:]])
        return names

    def offered_types(self, plugins: list[protection_base.ProtectionPlugin]) -> list[str]:
        """The resource types whose resources the form offers."""
        return sorted({plugin.resource_type for plugin in plugins})

    def _resource_choices(self, request,
                          types: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
        """The project's resources of each type, a group per type that has some."""
        choices = []
        for type_name in types:
            try:
                page = protection_base.resource_type(type_name).list_page(
                    request, all_projects=False, marker=None, prev_marker=None,
                    limit=RESOURCE_CHOICES_LIMIT)
            except Exception:
                utils.handle_error(request, _("Unable to retrieve the resources."))
                continue
            for resource in page.items:
                self.resource_types[resource.id] = type_name
            if page.items:
                choices.append((type_label(type_name), [
                    (resource.id, resource.name or resource.id) for resource in page.items]))
        return choices

    def clean(self):
        cleaned_data = super().clean()
        type_name = cleaned_data.get('resource_type')
        plugin = self.plugins.get(cleaned_data.get('plugin'))
        if type_name and plugin and plugin.resource_type != type_name:
            self.add_error('plugin', _("This protection does not protect resources of "
                                       "the chosen type."))
        others = [resource for resource in cleaned_data.get('resources') or []
                  if self.resource_types.get(resource) != type_name]
        if type_name and others:
            self.add_error('resources', _("Choose resources of the chosen type only."))
        if plugin:
            self.chosen_options = self._clean_options(plugin, cleaned_data)
        return cleaned_data

    def _clean_options(self, plugin: protection_base.ProtectionPlugin,
                       cleaned_data: dict[str, Any]) -> dict[str, Any]:
        """The chosen protection's option values, checked against its schema (each
        problem an error on its field)."""
        names = self.option_fields.get(plugin.name, {})
        schema = options_schema(plugin, list(names))
        chosen = schema_form.payload_of(schema, {
            option: cleaned_data.get(name) for option, name in names.items()})
        for option, value in chosen.items():
            problem = schema_form.text_problem(value)
            if problem:
                self.add_error(names[option], problem)
        for option, message in schema_form.payload_errors(schema, chosen):
            if names.get(option) not in self.errors:
                self.add_error(names.get(option), message)
        return chosen

    def preview(self) -> dict[str, Any] | None:
        """The pattern in words and its next three runs in the user's timezone."""
        if self.is_bound:  # the posted pattern once it passed its checks
            pattern = getattr(self, 'cleaned_data', {}).get('cron_pattern')
        else:
            pattern = self.initial.get('cron_pattern') or self.fields['cron_pattern'].initial
        return times.pattern_preview(pattern) if pattern else None

    def workflow_parts(self, schedule_id: str, data: dict[str, Any]) -> tuple[str, str, dict]:
        """The schedule's definition, pattern and trigger input, from the cleaned ``data``."""
        plugin = self.plugins[data['plugin']]
        rule = retention.Retention(
            keep_newest=data['keep_newest'], daily=data.get('keep_daily') or 0,
            weekly=data.get('keep_weekly') or 0, monthly=data.get('keep_monthly') or 0,
            timezone=timezone.get_current_timezone_name())
        schedule = {'name': data['schedule_name'], 'resource_type': data['resource_type'],
                    'plugin': plugin.name, 'keep_newest': rule.keep_newest}
        if rule.by_period:
            schedule.update(keep_daily=rule.daily, keep_weekly=rule.weekly,
                            keep_monthly=rule.monthly, timezone=rule.timezone)
        return (workflow.definition(plugin, schedule_id, rule), data['cron_pattern'],
                workflow.workflow_input(plugin, data['resources'], point_options(
                    plugin, data['schedule_name'], self.chosen_options), schedule))

    def call_service(self, request, data):
        schedule_id = api.mistral.new_schedule_id()
        return api.mistral.schedule_create(
            request, schedule_id, *self.workflow_parts(schedule_id, data))


class UpdateScheduleForm(CreateScheduleForm):
    """Edit a schedule: its name, resources, pattern and retention.

    The resource type and the protection stay: the points the schedule made are
    of them, and its retention goes on counting them. A resource of the schedule
    that is gone from the project is not offered, so saving drops it (the form
    says so): its runs would fail on it.
    """

    success_message = _('Updated schedule "%s".')
    failure_message = _("Unable to update the schedule.")
    FIXED_FIELDS = ('resource_type', 'plugin')

    def __init__(self, request, *args: Any, schedule: api.mistral.Schedule,
                 **kwargs: Any) -> None:
        self.schedule = schedule
        super().__init__(request, *args, **kwargs)
        for name in self.FIXED_FIELDS:
            self.fields[name].disabled = True
        gone = [resource for resource in schedule.resources
                if resource not in self.resource_types]
        if gone:
            self.fields['resources'].help_text = _(
                "%(help)s No longer in the project, dropped when you save: %(gone)s.") % {
                'help': self.fields['resources'].help_text, 'gone': ', '.join(gone)}

    def offered_types(self, plugins: list[protection_base.ProtectionPlugin]) -> list[str]:
        return [self.schedule.resource_type]

    def refusal_message(self, exc: Exception) -> str:
        if isinstance(exc, api.mistral.ScheduleLost):
            return str(_("The workflow service refused the changed schedule and could "
                         "not make the old one again: the schedule no longer runs. "
                         "Delete it and create it again."))
        return super().refusal_message(exc)

    def call_service(self, request, data):
        return api.mistral.schedule_update(
            request, self.schedule.id, *self.workflow_parts(self.schedule.id, data))
