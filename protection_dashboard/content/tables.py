"""Table pieces shared by the protection-point panels."""

from __future__ import annotations

from django.template import defaultfilters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.tables import actions as tables_actions
from horizon.utils import filters
from horizon.utils import settings as utils_settings

from protection_dashboard import api
from protection_dashboard.content import utils
from protection_dashboard.protection import base as protection_base


def status_choices(success, failure) -> tuple[tuple[str, bool], ...]:
    """Horizon's status choices: steady statuses True, failures False, others poll."""
    return (tuple((status, True) for status in sorted(success))
            + tuple((status, False) for status in sorted(failure)))


def status_column(plugin: protection_base.ProtectionPlugin) -> tables.Column:
    """A status column whose rows poll (ajax) while the status is in progress."""
    return tables.Column('status', verbose_name=_("Status"), status=True,
                         status_choices=status_choices(plugin.success_statuses,
                                                       plugin.failure_statuses),
                         filters=(filters.replace_underscores, defaultfilters.title))


def size_column() -> tables.Column:
    return tables.Column('size', verbose_name=_("Size"), attrs={'data-type': 'size'},
                         filters=(lambda size: _("%s GiB") % size,))


def created_column() -> tables.Column:
    return tables.Column('created_at', verbose_name=_("Created"),
                         filters=(filters.parse_isotime, defaultfilters.date))


def policy_allows(request, rules) -> bool:
    """Horizon's policy check of ``rules`` without a target, once per request."""
    check = utils_settings.import_setting('POLICY_CHECK_FUNCTION')
    if not check:
        return True
    checked = request.__dict__.setdefault('_protection_policy_checks', {})
    if rules not in checked:
        checked[rules] = check(rules, request, {})
    return checked[rules]


class PolicyOncePerRequest(tables_actions.BaseAction):
    """A row action whose rules are checked once per request, not once per row.

    Horizon checks an action's policy for every row, with the row's target
    (``get_policy_target``); ours have none, so every row's answer is the
    first's (20 rows: 20 oslo.policy checks, 19 of them alike).  List it
    after Horizon's action class, so that what that class checks first (a
    batch action on an empty table) still runs.
    """

    def _allowed(self, request, datum):
        if self.policy_rules and not policy_allows(request, tuple(self.policy_rules)):
            return False
        return self.allowed(request, datum)


class PluginRestoreAction(tables.LinkAction, PolicyOncePerRequest):
    """Open the plugin's restore form for a point in a restorable status.

    Subclasses set ``plugin``, ``url`` and ``verbose_name``; the policy rules
    are the plugin's (Horizon checks them before ``allowed``).
    """

    name = 'restore'
    classes = ('ajax-modal',)
    icon = 'refresh'
    plugin: protection_base.ProtectionPlugin

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs, **kwargs)
        self.policy_rules = self.plugin.restore_policy

    def allowed(self, request, datum=None):
        return datum is None or datum.status in self.plugin.success_statuses


class PluginDeleteAction(tables.DeleteAction, PolicyOncePerRequest):
    """Delete protection points through their plugin, in the states it allows.

    Subclasses set ``plugin`` and the action's wording; the policy rules are
    the plugin's (Horizon checks them and ``allowed`` for each object).
    """

    plugin: protection_base.ProtectionPlugin

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.policy_rules = self.plugin.delete_policy

    def allowed(self, request, datum=None):
        return datum is None or self.plugin.can_delete(datum.status)

    def delete(self, request, obj_id):
        self.plugin.delete(request, obj_id)


class NameStatusFilter(tables.FilterAction):
    """Server-side filter of a points table by name or status."""

    filter_type = 'server'
    filter_choices = (('name', _("Name ="), True),
                      ('status', _("Status ="), True))


def join_volume_names(request, points) -> None:
    """Name each point's volume (``volume_name``), from the cached name list."""
    if not points:
        return
    try:
        names = api.cinder.volume_names(request, {point.volume_id for point in points})
    except Exception:
        utils.handle_error(request, _("Unable to retrieve volume names."))
        names = {}
    for point in points:
        point.volume_name = names.get(point.volume_id)


def volume_name(point):
    return getattr(point, 'volume_name', None) or point.volume_id


def volume_link(point):
    return reverse('horizon:project:volumes:detail', args=(point.volume_id,))
