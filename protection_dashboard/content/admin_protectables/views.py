from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.protectables import views as project_views


class IndexView(project_views.IndexView):
    """The protectable resources of every project."""

    page_title = _("Protectable Resources of All Projects")
    all_projects = True
