from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.admin_share_snapshots import tables
from protection_dashboard.content.share_snapshots import views as project_views


class IndexView(project_views.IndexView):
    """The share snapshots of every project."""

    table_class = tables.AdminShareSnapshotsTable
    page_title = _("Share Snapshots of All Projects")
    all_projects = True
