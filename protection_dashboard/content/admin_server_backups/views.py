from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.admin_server_backups import tables
from protection_dashboard.content.server_backups import views as project_views


class IndexView(project_views.IndexView):
    """The server backups of every project."""

    table_class = tables.AdminServerBackupsTable
    page_title = _("Server Backups of All Projects")
    all_projects = True
