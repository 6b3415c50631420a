"""The snapshots one back end holds, as Cinder lists them for managing."""

from __future__ import annotations

from urllib import parse

from django.template import defaultfilters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import tables

from protection_dashboard.content import tables as common
from protection_dashboard.content.datatable import ProtectionTable
from protection_dashboard.protection import base as protection_base

PLUGIN = protection_base.get('volume_snapshot')


class ManageSnapshot(tables.LinkAction):
    """Open the manage form, prefilled with the row's reference and volume."""

    name = 'manage'
    verbose_name = _("Manage")
    url = 'horizon:admin:protection_manageable_snapshots:manage'
    classes = ('ajax-modal',)
    icon = 'plus'
    policy_rules = PLUGIN.manage_policy

    def allowed(self, request, datum=None):
        return bool(self.table.host) and (datum is None or bool(datum.safe_to_manage))

    def get_link_url(self, datum=None):
        query = {'host': self.table.host}
        if datum is not None:
            query.update(ref_type=datum.ref_type, ref_value=datum.ref_value,
                         volume_hint=datum.source_value)
        return '%s?%s' % (reverse(self.url), parse.urlencode(query))


class ManageExistingSnapshot(ManageSnapshot):
    """The manage form for a reference the list does not show (e.g. by source-id)."""

    name = 'manage_existing'
    verbose_name = _("Manage Existing Snapshot")


def reference_text(reference: dict[str, str] | None) -> str:
    """A back-end reference as the admin types it: ``source-name: snapshot-1``."""
    return ', '.join('%s: %s' % pair for pair in sorted((reference or {}).items()))


class ManageableSnapshotsTable(ProtectionTable):
    reference = tables.WrappingColumn(lambda item: reference_text(item.reference),
                                      verbose_name=_("Reference"))
    size = common.size_column()
    safe = tables.Column('safe_to_manage', verbose_name=_("Safe to Manage"),
                         filters=(defaultfilters.yesno, defaultfilters.capfirst))
    reason = tables.Column('reason_not_safe', verbose_name=_("Reason Not Safe"))
    volume = tables.WrappingColumn('source_value', verbose_name=_("Volume Reference"))
    cinder_id = tables.Column('cinder_id', verbose_name=_("Cinder ID"))

    #: The back end listed, set by the view (the actions and page links carry it).
    host = None

    def get_object_display(self, datum):
        return datum.ref_value

    def get_pagination_string(self):
        return '%s&host=%s' % (super().get_pagination_string(),
                               parse.quote_plus(self.host or ''))

    def get_prev_pagination_string(self):
        return '%s&host=%s' % (super().get_prev_pagination_string(),
                               parse.quote_plus(self.host or ''))

    class Meta:
        name = 'manageable_snapshots'
        verbose_name = _("Manageable Snapshots")
        pagination_param = 'manageable_marker'
        prev_pagination_param = 'prev_manageable_marker'
        multi_select = False
        table_actions = (ManageExistingSnapshot,)
        row_actions = (ManageSnapshot,)
