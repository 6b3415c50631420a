from django.template import defaultfilters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import tables

from protection_dashboard import api
from protection_dashboard.content import tables as common
from protection_dashboard.content.datatable import ProtectionTable
from protection_dashboard.protection import base as protection_base

PLUGIN = protection_base.get('volume_backup')


class RestoreBackup(common.PluginRestoreAction):
    plugin = PLUGIN
    verbose_name = _("Restore Backup")
    url = 'horizon:project:volume_backups:restore'


class DeleteBackup(common.PluginDeleteAction):
    plugin = PLUGIN
    help_text = _("Deleted volume backups are not recoverable.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Volume Backup", "Delete Volume Backups", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Scheduled deletion of Volume Backup",
                             "Scheduled deletion of Volume Backups", count)

    def allowed(self, request, backup=None):
        # Cinder keeps a backup that incremental backups build on.
        return super().allowed(request, backup) and not (
            backup is not None and backup.has_dependent_backups)


class UpdateRow(tables.Row):
    ajax = True

    def get_data(self, request, backup_id):
        backup = api.cinder.volume_backup_get(request, backup_id)
        common.join_volume_names(request, [backup])
        return backup


class VolumeBackupsTable(ProtectionTable):
    name = tables.WrappingColumn('name', verbose_name=_("Name"),
                                 link='horizon:project:volume_backups:detail')
    volume = tables.WrappingColumn(common.volume_name, verbose_name=_("Volume"),
                                   link=common.volume_link)
    size = common.size_column()
    incremental = tables.Column('is_incremental', verbose_name=_("Incremental"),
                                filters=(defaultfilters.yesno, defaultfilters.capfirst))
    status = common.status_column(PLUGIN)
    created = common.created_column()
    container = tables.Column('container', verbose_name=_("Container"))

    class Meta:
        name = 'volume_backups'
        verbose_name = _("Volume Backups")
        pagination_param = 'backup_marker'
        prev_pagination_param = 'prev_backup_marker'
        status_columns = ('status',)
        row_class = UpdateRow
        table_actions = (common.NameStatusFilter, DeleteBackup)
        row_actions = (RestoreBackup, DeleteBackup)
