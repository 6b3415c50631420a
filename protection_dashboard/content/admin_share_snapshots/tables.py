from django.utils.translation import gettext_lazy as _
from horizon import tables

from protection_dashboard.content.share_snapshots import tables as project_tables


class AdminShareSnapshotsTable(project_tables.ShareSnapshotsTable):
    """Every project's share snapshots: delete, but no restore into another project."""

    all_projects = True
    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    project = tables.Column('project_id', verbose_name=_("Project ID"))

    class Meta(project_tables.ShareSnapshotsTable.Meta):
        columns = ('name', 'project', 'description', 'share', 'size', 'status', 'created')
        row_actions = (project_tables.DeleteSnapshot,)
