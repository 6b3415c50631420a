from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.admin_volume_backups import tables
from protection_dashboard.content.volume_backups import views as project_views


class IndexView(project_views.IndexView):
    """The volume backups of every project."""

    table_class = tables.AdminVolumeBackupsTable
    page_title = _("Volume Backups of All Projects")
    all_projects = True
