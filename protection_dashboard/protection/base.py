"""The protection plugin contract and its registry.

Three kinds of plugin, after Karbor's model:

* a ``ResourceType`` (Karbor's protectable plugin) lists and shows the
  resources of one type, e.g. ``OS::Cinder::Volume``;
* a ``PointSource`` lists the protection points of one kind for a resource
  type (one bulk call, joined to the resources by ``parent_key``);
* a ``ProtectionPlugin`` is a point source that can also protect, restore
  and delete, with the schemas of its forms and the policy rules of each
  operation.

Several point sources may serve one resource type (a volume has snapshots
and backups).  The pages are generated from what is registered here: a new
resource type is one module in this package (found by ``discover``), its
schemas and its own panel, and nothing else changes.
"""

from __future__ import annotations

import abc
import dataclasses
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from protection_dashboard import api, features
from protection_dashboard.schedules.retention import SCHEDULE_TAG

#: A policy rule as Horizon's ``policy.check`` takes it: (service, rule).
PolicyRules = tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of a resource type's Protectables table (data, not markup).

    ``kind`` tells the table how to show the value: ``text``, ``size`` (GiB)
    or ``yesno``.  ``value`` is an attribute name or a function of the resource.
    ``busy``: while the value is set (a task under way), the row polls, as
    while its status is not steady.
    """

    name: str
    value: str | Callable[[Any], Any]
    label: str
    kind: str = 'text'
    busy: bool = False


class ServicePlugin(abc.ABC):
    """What every plugin shares: the service it needs and its settings toggle."""

    #: Key of ``api.base.SERVICE_TYPES`` (the catalog types tried in order).
    service: ClassVar[str]
    #: A ``PROTECTION_DASHBOARD`` toggle (``features.DEFAULTS``), or None.
    feature: ClassVar[str | None] = None

    def is_enabled(self, request) -> bool:
        """The service is in the catalog and the operator has not switched it off."""
        if self.feature is not None and not features.get_feature(self.feature):
            return False
        return api.base.is_service_enabled(request, self.service)


def all_projects_opts(all_projects: bool) -> dict[str, Any]:
    """A new dict of search options: all projects (admin), or the user's project."""
    return {'all_tenants': True} if all_projects else {}


class ResourceType(ServicePlugin):
    """A protectable resource type: how to list and show its resources."""

    resource_type: ClassVar[str]
    #: Heading of the type's table, and the table's name (HTML ids, URL params).
    label: ClassVar[str]
    table_name: ClassVar[str]
    #: Where the type's table stands on the Protectables page.
    position: ClassVar[int]
    #: Columns besides name, status, newest protection point and project.
    columns: ClassVar[tuple[Column, ...]] = ()
    #: Steady statuses; any other status keeps a row polling.
    steady_statuses: ClassVar[frozenset[str]]
    failure_statuses: ClassVar[frozenset[str]] = frozenset({'error'})

    @abc.abstractmethod
    def list_page(self, request, *, all_projects: bool, marker: str | None,
                  prev_marker: str | None, limit: int) -> api.base.Page:
        """One page of the resources (of the user's project, or of all projects)."""

    @abc.abstractmethod
    def get(self, request, resource_id: str) -> Any:
        """One resource; it has ``id``, ``name``, ``status`` and ``project_id``."""


class PointSource(ServicePlugin):
    """Protection points of one kind, listed in bulk and joined to their resources."""

    #: Registry key, unique per point source.
    name: ClassVar[str]
    resource_type: ClassVar[str]
    #: Attribute of a point holding the id of its resource.
    parent_key: ClassVar[str]
    #: Order among the sources of one type (their row actions follow it).
    position: ClassVar[int] = 0

    @abc.abstractmethod
    def list_points(self, request, *, all_projects: bool = False,
                    resource_id: str | None = None) -> list[Any]:
        """The points (each with ``created_at``) of every resource, or of one."""

    def parent_of(self, point: Any) -> str | None:
        return getattr(point, self.parent_key, None)

    def search_opts(self, all_projects: bool, resource_id: str | None) -> dict[str, Any]:
        """Search options of a point list: all projects or one, every resource or one."""
        opts = all_projects_opts(all_projects)
        if resource_id:
            opts[self.parent_key] = api.base.check_id(resource_id)
        return opts


@dataclasses.dataclass(frozen=True)
class Quota:
    """One limit a new point counts against: keys of the service's absolute limits."""

    label: str
    used_key: str
    max_key: str
    gibibytes: bool = False


@dataclasses.dataclass(frozen=True)
class QuotaUsage:
    """A quota as the protect form's side panel shows it (a negative limit is none)."""

    label: str
    used: int
    limit: int
    gibibytes: bool

    @property
    def used_up(self) -> bool:
        return 0 <= self.limit <= self.used


#: The actions of ``protection_dashboard/mistral_actions.py`` (setup.cfg's entry points).
INSTALLED_ACTION_PREFIX = 'protection_dashboard.'
#: The protect options a schedule fills in itself: each point is named and described
#: after its schedule, so its form never offers them.
NAMING_OPTIONS = frozenset({'name', 'snapshot_name', 'description'})


@dataclasses.dataclass(frozen=True)
class ScheduleAction:
    """How a schedule's run makes, lists and deletes a plugin's points: the workflow
    service's (Mistral's) actions and their inputs (``schedules/workflow.py``)."""

    #: The action making one point, its input naming the resource, its inputs taken
    #: from the protect options (action input -> option), and its metadata input,
    #: which carries the schedule's tag.
    create: str
    resource_input: str
    options: Mapping[str, str]
    metadata_input: str
    #: The action listing the project's points (with ``metadata``, ``status`` and
    #: ``created_at``), and the action deleting one with its input naming the point.
    list: str
    delete: str
    delete_input: str
    #: Inputs of the create action that are the same in every run (no user's text).
    fixed: Mapping[str, bool | int | str] = dataclasses.field(default_factory=dict)
    #: The list action's filter (in its ``search_opts``) that the service applies:
    #: one taking the schedule's tag, else one taking a resource (then a listing per
    #: resource). A run never lists the whole project: Mistral stores at most 1 MiB
    #: of a task's result by default, about 700 Cinder snapshots.
    list_tag_filter: str | None = None
    list_resource_filter: str | None = None

    @property
    def form_options(self) -> list[str]:
        """The protect options (of the plugin's ``options_schema``) a schedule's form
        offers: every option of the run but its name and description."""
        return [option for option in self.options.values() if option not in NAMING_OPTIONS]

    @property
    def installed_actions(self) -> list[str]:
        """Its actions that a deployer installs into Mistral (``mistral_actions.py``)."""
        return [name for name in (self.create, self.list, self.delete)
                if name.startswith(INSTALLED_ACTION_PREFIX)]

    # The workflow's tasks (``schedules/workflow.py``). A plugin whose point takes
    # several steps overrides them (``server_backup_schedule.py``); by default each is
    # one action. No task holds a text of the user's: that is the run's input.

    def protect_tasks(self, schedule_id: str, then: str) -> dict[str, Any]:
        """The tasks making a point of each resource (``$.resources``), tagged with the
        schedule's id; only when every point is made, the run goes on to ``then``.
        By default ``create`` for each resource, with only an on-success transition:
        a failed create ends the run."""
        protect_input: dict[str, Any] = {self.resource_input: '<% $.resource %>'}
        protect_input.update({key: f'<% $.{key} %>' for key in self.options})
        protect_input.update(self.fixed)
        protect_input[self.metadata_input] = {SCHEDULE_TAG: schedule_id}
        return {'protect': {'with-items': 'resource in <% $.resources %>',
                            'action': self.create, 'input': protect_input,
                            'on-success': [then]}}

    def list_task(self, schedule_id: str) -> tuple[dict[str, Any], str]:
        """The task listing the schedule's points (without its publish and transition),
        and the YAQL of the listed points from its result: each with ``id``,
        ``created_at``, ``status``, ``metadata`` (the tag) and the plugin's parent key."""
        task: dict[str, Any] = {'action': self.list}
        if self.list_tag_filter:
            task['input'] = {'search_opts': {self.list_tag_filter: {SCHEDULE_TAG: schedule_id}}}
            return task, 'task().result'
        if self.list_resource_filter:
            task['with-items'] = 'resource in <% $.resources %>'
            task['input'] = {'search_opts': {self.list_resource_filter: '<% $.resource %>'}}
            return task, 'task().result.selectMany($)'  # one list per resource
        raise ValueError('a schedule never lists the whole project')

    def delete_tasks(self) -> dict[str, Any]:
        """The tasks deleting the points ``$.expired`` (ids, oldest first), the first
        one reached once they are selected. By default ``delete`` for each."""
        return {'delete_expired': {'with-items': 'point in <% $.expired %>',
                                   'action': self.delete,
                                   'input': {self.delete_input: '<% $.point %>'}}}


class ProtectionPlugin(PointSource):
    """A point source that protects, restores and deletes (one Karbor protection plugin)."""

    #: Schema names (files in ``schemas/``) of the protect and restore forms.
    options_schema: ClassVar[str]
    restore_schema: ClassVar[str]
    #: The row action offered on the resources, and the URL name of its form
    #: (reversed with the resource id).
    protect_label: ClassVar[str]
    protect_url: ClassVar[str]
    #: Resource statuses in which the service accepts a protect.
    protectable_statuses: ClassVar[frozenset[str]]
    #: The services' policy rules of each operation; the views check them too.
    protect_policy: ClassVar[PolicyRules] = ()
    restore_policy: ClassVar[PolicyRules] = ()
    delete_policy: ClassVar[PolicyRules] = ()
    #: Statuses of a protection point.
    success_statuses: ClassVar[frozenset[str]] = frozenset({'available'})
    failure_statuses: ClassVar[frozenset[str]] = frozenset({'error'})
    #: Statuses in which the service accepts a delete.
    deletable_statuses: ClassVar[frozenset[str]] = frozenset({'available', 'error'})
    #: What a schedule runs, or None: the plugin cannot be scheduled (yet).
    schedule_action: ClassVar[ScheduleAction | None] = None

    @abc.abstractmethod
    def get_point(self, request, point_id: str) -> Any:
        """One protection point; it has ``id``, ``status`` and ``project_id``."""

    @abc.abstractmethod
    def protect(self, request, resource_id: str, options: dict[str, Any]) -> Any:
        """Create a protection point of the resource; returns it."""

    @abc.abstractmethod
    def restore(self, request, point_id: str, options: dict[str, Any]) -> Any:
        """Restore from a protection point; returns the restored resource."""

    @abc.abstractmethod
    def delete(self, request, point_id: str) -> None:
        """Delete a protection point."""

    #: The quotas every new point counts against (one used up disables the protect
    #: action), and the heading they are shown under beside the protect form.
    quotas: ClassVar[tuple[Quota, ...]] = ()
    quota_title: ClassVar[str] = ''

    def limits(self, request) -> dict[str, int]:
        """The service's absolute limits of the project (one call); see ``quotas``."""
        return {}

    def protect_quotas(self, request, resource: Any) -> tuple[Quota, ...]:
        """The quotas shown beside the protect form of ``resource``: ``quotas``, unless
        what a point counts against depends on the resource (a server's volumes)."""
        return self.quotas

    def quota_usage(self, request, resource: Any = None) -> list[QuotaUsage]:
        """Used and limit of ``quotas``, or of the quotas of protecting ``resource``,
        as the service reports them (one call at most)."""
        quotas = self.quotas if resource is None else self.protect_quotas(request, resource)
        if not quotas:
            return []
        limits = self.limits(request)
        return [QuotaUsage(quota.label, limits.get(quota.used_key, 0), limits[quota.max_key],
                           quota.gibibytes)
                for quota in quotas if quota.max_key in limits]

    def quota_exceeded(self, request) -> bool:
        """Whether the project's quota leaves no room for another point."""
        return any(usage.used_up for usage in self.quota_usage(request))

    def protect_choices(self, request, resource_id: str) -> dict[str, list[tuple[str, str]]]:
        """Choices of protect-form fields that only the cloud knows, by field name."""
        return {}

    def restore_choices(self, request, point_id: str) -> dict[str, list[tuple[str, str]]]:
        """Choices of restore-form fields that only the cloud knows, by field name."""
        return {}

    def protect_refusal(self, resource: Any) -> str | None:
        """Why the service refuses to protect ``resource`` now, or None if it does not.

        The Protectables row shows the protect action disabled with this reason,
        and the protect view refuses the resource with it.  By default: a status
        outside ``protectable_statuses``.
        """
        status = (resource.status or '').lower()
        if status in self.protectable_statuses:
            return None
        return _("not in status %(status)s") % {'status': status.replace('_', ' ')}

    def can_protect(self, resource: Any) -> bool:
        return self.protect_refusal(resource) is None

    def is_schedulable(self, request) -> bool:
        """Whether a schedule can make this plugin's points here."""
        return self.schedule_action is not None and self.is_enabled(request)

    def schedule_options(self, request) -> list[str]:
        """The protect options a schedule's form offers here (``form_options``). One it
        does not offer reaches each run as null, which a run reads as false."""
        return self.schedule_action.form_options if self.schedule_action else []

    def status_state(self, status: str | None) -> bool | None:
        """Horizon's status-column reading: True done, False failed, None in progress."""
        status = (status or '').lower()
        if status in self.success_statuses:
            return True
        if status in self.failure_statuses:
            return False
        return None

    def can_delete(self, status: str | None) -> bool:
        return (status or '').lower() in self.deletable_statuses


_TYPES: dict[str, ResourceType] = {}
_SOURCES: dict[str, PointSource] = {}


def register(plugin_class: type) -> type:
    """Class decorator: add one instance of a resource type or point source."""
    if issubclass(plugin_class, ResourceType):
        registry, key = _TYPES, plugin_class.resource_type
    elif issubclass(plugin_class, PointSource):
        registry, key = _SOURCES, plugin_class.name
    else:
        raise TypeError('%r is not a protection plugin' % plugin_class)
    if key in registry:
        raise ValueError('protection plugin %r registered twice' % key)
    registry[key] = plugin_class()
    return plugin_class


def discover() -> None:
    """Import every plugin module of this package, which registers its plugins."""
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module('%s.%s' % (__package__, module.name))


def get(name: str) -> PointSource:
    """A point source or protection plugin by name."""
    return _SOURCES[name]


def resource_type(name: str) -> ResourceType:
    return _TYPES[name]


def resource_types() -> list[ResourceType]:
    """Every registered resource type, in page order."""
    return sorted(_TYPES.values(), key=lambda registered: registered.position)


def point_sources(type_name: str) -> list[PointSource]:
    """Every registered point source (protection plugins included) of a resource type."""
    return sorted((source for source in _SOURCES.values() if source.resource_type == type_name),
                  key=lambda source: source.position)


def protection_plugins(type_name: str) -> list[ProtectionPlugin]:
    return [source for source in point_sources(type_name)
            if isinstance(source, ProtectionPlugin)]


def enabled_types(request) -> list[ResourceType]:
    return [registered for registered in resource_types() if registered.is_enabled(request)]


def enabled_point_sources(request, type_name: str) -> list[PointSource]:
    return [source for source in point_sources(type_name) if source.is_enabled(request)]
