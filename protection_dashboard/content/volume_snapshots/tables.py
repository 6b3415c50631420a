from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import tables

from protection_dashboard import api
from protection_dashboard.content import tables as common
from protection_dashboard.content.datatable import ProtectionTable
from protection_dashboard.content.tables import join_volume_names, volume_link, volume_name
from protection_dashboard.protection import base as protection_base

PLUGIN = protection_base.get('volume_snapshot')


class RestoreSnapshot(common.PluginRestoreAction):
    plugin = PLUGIN
    verbose_name = _("Restore to New Volume")
    url = 'horizon:project:volume_snapshots:restore'


class DeleteSnapshot(common.PluginDeleteAction):
    plugin = PLUGIN
    help_text = _("Deleted volume snapshots are not recoverable.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Volume Snapshot", "Delete Volume Snapshots", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Scheduled deletion of Volume Snapshot",
                             "Scheduled deletion of Volume Snapshots", count)


class UpdateRow(tables.Row):
    ajax = True

    def get_data(self, request, snapshot_id):
        snapshot = api.cinder.volume_snapshot_get(request, snapshot_id)
        join_volume_names(request, [snapshot])
        return snapshot


class VolumeSnapshotsTable(ProtectionTable):
    name = tables.WrappingColumn('name', verbose_name=_("Name"),
                                 link='horizon:project:volume_snapshots:detail')
    description = tables.Column('description', verbose_name=_("Description"),
                                truncate=40)
    volume = tables.WrappingColumn(volume_name, verbose_name=_("Volume"), link=volume_link)
    size = common.size_column()
    status = common.status_column(PLUGIN)
    created = common.created_column()

    class Meta:
        name = 'volume_snapshots'
        verbose_name = _("Volume Snapshots")
        pagination_param = 'snapshot_marker'
        prev_pagination_param = 'prev_snapshot_marker'
        status_columns = ('status',)
        row_class = UpdateRow
        table_actions = (common.NameStatusFilter, DeleteSnapshot)
        row_actions = (RestoreSnapshot, DeleteSnapshot)
