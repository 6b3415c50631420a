"""The detail page's tabs of a protection point."""

from django.utils.translation import gettext_lazy as _
from horizon import tabs


class OverviewTab(tabs.Tab):
    """The point's overview, in the template its detail view names."""

    name = _("Overview")
    slug = 'overview'

    def get_template_name(self, request):
        return self.tab_group.kwargs['overview_template']

    def get_context_data(self, request):
        return {'point': self.tab_group.kwargs['point']}


class PointDetailTabs(tabs.TabGroup):
    slug = 'point_details'
    tabs = (OverviewTab,)
