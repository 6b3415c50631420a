"""Tables of protectable resources, one generated per registered resource type."""

from __future__ import annotations

import functools
import logging
from urllib import parse

from django.template import defaultfilters
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.utils import filters

from protection_dashboard.content import tables as common
from protection_dashboard.content.datatable import ProtectionTable
from protection_dashboard.content.protectables import schedules
from protection_dashboard.content.protection_schedules.times import local_time, service_time
from protection_dashboard.protection import base, protectables

LOG = logging.getLogger(__name__)


def newest_point(resource) -> str:
    """When the resource was last protected, "Not protected", or "Unknown"."""
    value = getattr(resource, 'last_protected', None)
    if value is protectables.UNKNOWN:
        return _("Unknown")
    if not value:
        return _("Not protected")
    return defaultfilters.date(filters.parse_isotime(value), 'DATETIME_FORMAT')


def _overdue_help(cover: schedules.Cover) -> str:
    if cover.newest is None:
        return _("No point of this schedule's kind yet; the run at %(run)s should have "
                 "made one.") % {'run': local_time(cover.missed)}
    return _("No point since %(newest)s; the run at %(run)s should have made one.") % {
        'newest': local_time(cover.newest), 'run': local_time(cover.missed)}


def _cover_html(cover: schedules.Cover) -> str:
    link = format_html('{}', cover.name)
    if cover.linked:
        link = format_html(
            '<a href="{}">{}</a>',
            reverse('horizon:project:protection_schedules:detail', args=(cover.schedule_id,)),
            cover.name)
    next_run = local_time(service_time(cover.next_run))
    if next_run:
        link = format_html('{}&nbsp;<small class="text-muted">{}</small>', link,
                           _("next run %s") % next_run)
    if cover.missed:
        link = format_html('{}&nbsp;<span class="label label-warning" title="{}">{}</span>',
                           link, _overdue_help(cover), _("Overdue"))
    return link


def schedule_covers(resource) -> str:
    """The schedules covering the resource, each linked, with its next run and an
    "Overdue" label when it promised a point it did not make."""
    covers = getattr(resource, 'schedule_covers', schedules.UNKNOWN)
    if covers is schedules.UNKNOWN:
        return _("Unknown")
    if not covers:
        return _("None")
    return format_html_join(format_html('<br>'), '{}',
                            ((_cover_html(cover),) for cover in covers))


class ProtectableTable(ProtectionTable):
    """Columns every type shares; the rest come from the type's declaration."""

    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    last_protected = tables.Column(newest_point, verbose_name=_("Newest Protection Point"))
    schedules = tables.Column(schedule_covers, verbose_name=_("Schedule"))
    project = tables.Column('project_id', verbose_name=_("Project ID"))

    #: Set on the generated subclasses.
    resource_type: base.ResourceType

    def __init__(self, request, *args, all_projects: bool = False, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.all_projects = all_projects
        self._quota_exceeded: dict[str, bool] = {}
        if not all_projects:
            del self.columns['project']
        if not schedules.available(request, all_projects):
            del self.columns['schedules']

    @property
    def shows_schedules(self) -> bool:
        return 'schedules' in self.columns

    def quota_exceeded(self, plugin: base.ProtectionPlugin) -> bool:
        """The plugin's quota check, once per table (one call, not one per row)."""
        if plugin.name not in self._quota_exceeded:
            try:
                self._quota_exceeded[plugin.name] = plugin.quota_exceeded(self.request)
            except Exception as exc:
                LOG.warning('Quota check of %s failed, offering the action: %s',
                            plugin.name, exc)
                self._quota_exceeded[plugin.name] = False
        return self._quota_exceeded[plugin.name]

    def known_quotas(self) -> dict[str, bool]:
        """The quota verdicts this table has asked for (plugin name -> exceeded)."""
        return dict(self._quota_exceeded)

    def carry_quotas(self, params) -> None:
        """Take the verdicts a row update URL carries (``QUOTA_PARAM``) as known."""
        for plugin in base.protection_plugins(self.resource_type.resource_type):
            value = params.get(QUOTA_PARAM % plugin.name)
            if value in ('0', '1'):
                self._quota_exceeded[plugin.name] = value == '1'


class ProtectAction(tables.LinkAction, common.PolicyOncePerRequest):
    """A protection plugin's protect form, offered on the resources of its type.

    Only on the project's own page: an admin looking at every project protects
    nothing there (the point would land in the admin's project and quota).
    Where the service would refuse (a resource in a state it refuses, a quota
    used up) the action is shown disabled, with the reason.
    """

    classes = ('ajax-modal',)
    icon = 'camera'
    plugin: base.ProtectionPlugin

    def get_link_url(self, datum=None):
        return reverse(self.plugin.protect_url, args=(datum.id,))

    def disable(self, reason: str) -> None:
        self.verbose_name = _("%(action)s (%(reason)s)") % {
            'action': self.plugin.protect_label, 'reason': reason}
        self.classes = tuple(c for c in self.classes if c != 'disabled') + ('disabled',)

    def allowed(self, request, resource=None):
        if self.table.all_projects or not self.plugin.is_enabled(request):
            return False
        refusal = resource is not None and self.plugin.protect_refusal(resource)
        if refusal:
            self.disable(refusal)
        elif self.table.quota_exceeded(self.plugin):
            self.disable(_("Quota exceeded"))
        return True


#: The row update's query parameters carrying what the page showed: the newest
#: protection point, the covering schedules, and each plugin's quota verdict
#: (``quota_<plugin>``).
NEWEST_PARAM = 'newest'
SCHEDULES_PARAM = 'schedules'
QUOTA_PARAM = 'quota_%s'
_NOT_PROTECTED = 'none'
_UNKNOWN = 'unknown'
#: A row update URL that carries no newest point (a page of an older release).
_NOT_CARRIED = object()


def encode_newest(value) -> str:
    if value is protectables.UNKNOWN:
        return _UNKNOWN
    return value or _NOT_PROTECTED


def decode_newest(text: str | None):
    """The newest point a row update URL carries, or ``_NOT_CARRIED`` (then it is read)."""
    if text == _UNKNOWN:
        return protectables.UNKNOWN
    if text == _NOT_PROTECTED:
        return None
    return text if filters.parse_isotime(text) else _NOT_CARRIED


class ResourceRow(tables.Row):
    """An ajax row whose poll costs one call: its resource.

    What polls is the resource's status; its newest protection point, the
    schedules covering it and the quota verdicts of its protect actions are the
    page's, carried in the row's update URL (a reload reads them again).  A URL
    without the newest point reads the resource's points, one call per point
    source; one without the schedules shows them unknown (it reads none).
    """

    ajax = True

    def get_ajax_update_url(self):
        params = {NEWEST_PARAM: encode_newest(getattr(self.datum, 'last_protected', None))}
        params.update((QUOTA_PARAM % name, int(exceeded))
                      for name, exceeded in self.table.known_quotas().items())
        if self.table.shows_schedules:
            params[SCHEDULES_PARAM] = schedules.encode(
                getattr(self.datum, 'schedule_covers', schedules.UNKNOWN))
        return '%s&%s' % (super().get_ajax_update_url(), parse.urlencode(params))

    def get_data(self, request, resource_id):
        self.table.carry_quotas(request.GET)
        newest = decode_newest(request.GET.get(NEWEST_PARAM))
        if newest is _NOT_CARRIED:
            resource = protectables.load_one(request, self.table.resource_type, resource_id)
        else:
            resource = self.table.resource_type.get(request, resource_id)
            resource.last_protected = newest
        if self.table.shows_schedules:
            resource.schedule_covers = schedules.decode(request.GET.get(SCHEDULES_PARAM),
                                                        linked=not self.table.all_projects)
        return resource


_COLUMN_FILTERS = {
    'text': (),
    'size': (lambda size: _("%s GiB") % size,),
    'yesno': (defaultfilters.yesno, defaultfilters.capfirst),
}


#: A busy column's value that lets the row rest: none (Horizon's task column idiom).
_NOT_BUSY = ((None, True), ('none', True))


def _column(column: base.Column) -> tables.Column:
    busy = {'status': True, 'status_choices': _NOT_BUSY} if column.busy else {}
    return tables.Column(column.value, verbose_name=column.label,
                         filters=_COLUMN_FILTERS[column.kind], **busy)


def _status_column(registered: base.ResourceType) -> tables.Column:
    return tables.Column(
        'status', verbose_name=_("Status"), status=True,
        status_choices=common.status_choices(registered.steady_statuses,
                                             registered.failure_statuses),
        filters=(str.lower, filters.replace_underscores, defaultfilters.capfirst))


def _protect_action(plugin: base.ProtectionPlugin) -> type[ProtectAction]:
    return type('Protect_%s' % plugin.name, (ProtectAction,), {
        'name': 'protect_%s' % plugin.name,
        'verbose_name': plugin.protect_label,
        'policy_rules': plugin.protect_policy,
        'plugin': plugin,
    })


@functools.cache
def table_class(registered: base.ResourceType) -> type[ProtectableTable]:
    """The Protectables table of a resource type (built once per type)."""
    name = registered.table_name
    meta = type('Meta', (), {
        'name': name,
        'verbose_name': registered.label,
        'hidden_title': False,
        'columns': ('name', 'project') + tuple(c.name for c in registered.columns)
                   + ('status', 'last_protected', 'schedules'),
        'status_columns': ('status',) + tuple(c.name for c in registered.columns if c.busy),
        'row_class': ResourceRow,
        'row_actions': tuple(_protect_action(plugin) for plugin
                             in base.protection_plugins(registered.resource_type)),
        'pagination_param': '%s_marker' % name,
        'prev_pagination_param': 'prev_%s_marker' % name,
    })
    attrs = {column.name: _column(column) for column in registered.columns}
    attrs.update(status=_status_column(registered), resource_type=registered, Meta=meta)
    return type('%sTable' % name.title(), (ProtectableTable,), attrs)
