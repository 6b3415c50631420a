from django.utils.translation import gettext_lazy as _
from horizon import tabs


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = 'overview'
    template_name = 'protection_dashboard/volume_backups/_detail_overview.html'

    def get_context_data(self, request):
        return {'backup': self.tab_group.kwargs['backup']}


class BackupDetailTabs(tabs.TabGroup):
    slug = 'volume_backup_details'
    tabs = (OverviewTab,)
