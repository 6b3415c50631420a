from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.admin_volume_snapshots import tables
from protection_dashboard.content.volume_snapshots import views as project_views


class IndexView(project_views.IndexView):
    """The volume snapshots of every project, with the unmanage (export) action."""

    table_class = tables.AdminVolumeSnapshotsTable
    page_title = _("Volume Snapshots of All Projects")
    template_name = 'protection_dashboard/admin_volume_snapshots/index.html'
    all_projects = True

    def join(self, points):
        tables.join_manage_failures(points)
