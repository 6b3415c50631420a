from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.admin_protection_schedules import tables
from protection_dashboard.content.protection_schedules import policy
from protection_dashboard.content.protection_schedules import views as project_views


class IndexView(project_views.IndexView):
    """The schedules of every project."""

    table_class = tables.AdminSchedulesTable
    page_title = _("Protection Schedules of All Projects")
    template_name = 'protection_dashboard/protection_schedules/admin_index.html'
    all_projects = True
    list_rules = policy.LIST_ALL_PROJECTS

    def join(self, schedules):
        """Resources stay ids: the name lists are the admin's own project's."""
