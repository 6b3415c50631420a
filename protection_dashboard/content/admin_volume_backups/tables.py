from django.utils.translation import gettext_lazy as _
from horizon import tables

from protection_dashboard import api
from protection_dashboard.content.volume_backups import tables as project_tables


class AdminUpdateRow(tables.Row):
    """A row poll: the backup's own call (its volume is shown by id)."""

    ajax = True

    def get_data(self, request, backup_id):
        return api.cinder.volume_backup_get(request, backup_id)


class AdminVolumeBackupsTable(project_tables.VolumeBackupsTable):
    """Every project's volume backups: delete, but no restore into another project."""

    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    project = tables.Column('project_id', verbose_name=_("Project ID"))
    volume = tables.Column('volume_id', verbose_name=_("Volume ID"))

    class Meta(project_tables.VolumeBackupsTable.Meta):
        columns = ('name', 'project', 'volume', 'size', 'incremental', 'status', 'created',
                   'container')
        row_class = AdminUpdateRow
        row_actions = (project_tables.DeleteBackup,)
