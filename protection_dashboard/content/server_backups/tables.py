from django.template import defaultfilters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import messages, tables

from protection_dashboard.content import tables as common
from protection_dashboard.content.datatable import ProtectionTable
from protection_dashboard.protection import base as protection_base

PLUGIN = protection_base.get('server_backup')


class RestoreServerBackup(common.PluginRestoreAction):
    plugin = PLUGIN
    verbose_name = _("Restore Backup")
    url = 'horizon:project:server_backups:restore'


class DeleteServerBackup(common.PluginDeleteAction):
    """One confirmation for the backup and all its parts (they are named in it)."""

    plugin = PLUGIN
    help_text = _("Every part listed is deleted with the server backup: its server image "
                  "and its volume backups. Deleted backups are not recoverable.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Server Backup", "Delete Server Backups", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Scheduled deletion of Server Backup",
                             "Scheduled deletion of Server Backups", count)


class UpdateRow(tables.Row):
    """A row poll: the backup and its parts, and the next step of what it has under way."""

    ajax = True

    def get_data(self, request, backup_id):
        backup = PLUGIN.get_point(request, backup_id)
        advanced = PLUGIN.advance(request, backup)
        if advanced is None:
            return backup
        if advanced.message:
            say = messages.error if advanced.failed else messages.success
            say(request, advanced.message)
        return PLUGIN.get_point(request, backup_id)


def server_name(backup):
    return backup.server_name or backup.server_id


class ServerBackupsTable(ProtectionTable):
    name = tables.WrappingColumn('name', verbose_name=_("Name"),
                                 link='horizon:project:server_backups:detail')
    server = tables.WrappingColumn(server_name, verbose_name=_("Server"))
    parts = tables.Column(lambda backup: backup.parts_summary(), verbose_name=_("Parts"))
    size = tables.Column('size', verbose_name=_("Size"), attrs={'data-type': 'size'},
                         filters=(defaultfilters.filesizeformat,))
    status = common.status_column(PLUGIN)
    created = common.created_column()

    def get_object_display(self, datum):
        """The name and every part: what the delete confirmation lists."""
        return '%s (%s)' % (datum.name or datum.id, datum.parts_display())

    class Meta:
        name = 'server_backups'
        verbose_name = _("Server Backups")
        pagination_param = 'backup_marker'
        prev_pagination_param = 'prev_backup_marker'
        status_columns = ('status',)
        row_class = UpdateRow
        table_actions = (DeleteServerBackup,)
        row_actions = (RestoreServerBackup, DeleteServerBackup)
