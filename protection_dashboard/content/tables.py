"""Table pieces shared by the protection-point panels."""

from __future__ import annotations

from django.template import defaultfilters
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.utils import filters

from protection_dashboard.protection import base as protection_base


def status_column(plugin: protection_base.ProtectionPlugin) -> tables.Column:
    """A status column whose rows poll (ajax) while the status is in progress."""
    choices = tuple((status, True) for status in sorted(plugin.success_statuses)) + tuple(
        (status, False) for status in sorted(plugin.failure_statuses))
    return tables.Column('status', verbose_name=_("Status"), status=True,
                         status_choices=choices,
                         filters=(filters.replace_underscores, defaultfilters.title))


def size_column() -> tables.Column:
    return tables.Column('size', verbose_name=_("Size"), attrs={'data-type': 'size'},
                         filters=(lambda size: _("%s GiB") % size,))


def created_column() -> tables.Column:
    return tables.Column('created_at', verbose_name=_("Created"),
                         filters=(filters.parse_isotime, defaultfilters.date))


class PluginDeleteAction(tables.DeleteAction):
    """Delete protection points through their plugin, in the states it allows."""

    plugin_name = ''

    def allowed(self, request, datum=None):
        return datum is None or protection_base.get(self.plugin_name).can_delete(datum.status)

    def delete(self, request, obj_id):
        protection_base.get(self.plugin_name).delete(request, obj_id)
