from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from horizon import tables

from protection_dashboard.content.protectables import tables as protectable_tables
from protection_dashboard.content.utils import list_or_handle
from protection_dashboard.protection import protectables


class IndexView(tables.MultiTableView):
    """Everything the project can protect, by resource type, with its newest protection."""

    table_classes = (protectable_tables.VolumesTable,
                     protectable_tables.SharesTable,
                     protectable_tables.ServersTable)
    template_name = 'protection_dashboard/protectables/index.html'
    page_title = _("Protectable Resources")
    all_projects = False

    @cached_property
    def _resources(self):
        return protectables.load(self.request, all_projects=self.all_projects)

    def get_tables(self):
        if not self._tables:
            for table_class in self.table_classes:
                table = table_class(self.request, all_projects=self.all_projects,
                                    **self.kwargs)
                table.cinder_limits = self._resources.get(protectables.CINDER_LIMITS)
                self._tables[table._meta.name] = table
        return self._tables

    def _rows(self, resource_type, message):
        if resource_type not in self._resources:
            return []
        return list_or_handle(self.request, self._resources[resource_type], message)

    def get_volumes_data(self):
        return self._rows(protectables.VOLUME, _("Unable to retrieve volumes."))

    def get_shares_data(self):
        return self._rows(protectables.SHARE, _("Unable to retrieve shares."))

    def get_servers_data(self):
        return self._rows(protectables.SERVER, _("Unable to retrieve servers."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['available_types'] = {resource_type for resource_type in self._resources
                                      if resource_type in protectables.RESOURCE_TYPES}
        return context
