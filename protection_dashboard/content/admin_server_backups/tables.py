from django.utils.translation import gettext_lazy as _
from horizon import tables

from protection_dashboard.content.server_backups import tables as project_tables


class AdminServerBackupsTable(project_tables.ServerBackupsTable):
    """Every project's server backups: delete, but no restore into another project."""

    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    project = tables.Column('project_id', verbose_name=_("Project ID"))

    class Meta(project_tables.ServerBackupsTable.Meta):
        columns = ('name', 'project', 'server', 'parts', 'size', 'status', 'created')
        row_actions = (project_tables.DeleteServerBackup,)
