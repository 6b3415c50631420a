"""Everything a project can protect: one table per enabled resource type."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.utils import functions as utils

from protection_dashboard import api
from protection_dashboard.content.datatable import PagedTablesMixin
from protection_dashboard.content.page_frame import SessionProjectsMixin
from protection_dashboard.content.protectables import schedules
from protection_dashboard.content.protectables import tables as protectable_tables
from protection_dashboard.content.utils import handle_failure
from protection_dashboard.protection import base, protectables


class IndexView(PagedTablesMixin, SessionProjectsMixin, tables.MultiTableView):
    """The tables come from the registry; a row poll loads only its own resource."""

    template_name = 'protection_dashboard/protectables/index.html'
    page_title = _("Protectable Resources")
    all_projects = False

    @cached_property
    def _types(self):
        return base.enabled_types(self.request)

    def get_tables(self):
        if not self._tables:
            for registered in self._types:
                table = protectable_tables.table_class(registered)(
                    self.request, all_projects=self.all_projects, **self.kwargs)
                self._tables[table.name] = table
        return self._tables

    def _markers(self):
        markers = {}
        for name, table in self.get_tables().items():
            markers[name] = (self.request.GET.get(table._meta.pagination_param),
                             self.request.GET.get(table._meta.prev_pagination_param))
        return markers

    def _get_data_dict(self):
        """Called only once no row update or action preempted the page."""
        if not self._data:
            calls = {'pages': lambda: protectables.load(
                self.request, self._types, all_projects=self.all_projects,
                markers=self._markers(), limit=utils.get_page_size(self.request))}
            if self._shows_schedules:
                calls['schedules'] = lambda: api.mistral.schedule_list(
                    self.request, all_projects=self.all_projects, with_runs=False)
            loaded = api.base.run_parallel(calls)
            if isinstance(loaded['pages'], Exception):
                raise loaded['pages']
            covering = self._schedules(loaded.get('schedules'))
            for type_page in loaded['pages']:
                rows = self._rows(type_page)
                if self._shows_schedules:
                    schedules.join(rows, type_page.resource_type.resource_type, covering,
                                   linked=not self.all_projects)
                self._data[type_page.resource_type.table_name] = rows
        return self._data

    def _schedules(self, listed):
        """The schedule list, or ``UNKNOWN`` (with a banner) when it failed."""
        if isinstance(listed, Exception):
            handle_failure(self.request, listed,
                           _("Unable to retrieve the protection schedules."))
            return schedules.UNKNOWN
        return listed

    @cached_property
    def _shows_schedules(self) -> bool:
        return schedules.available(self.request, self.all_projects)

    def _rows(self, type_page):
        table = self._tables[type_page.resource_type.table_name]
        label = type_page.resource_type.label
        if isinstance(type_page.page, Exception):
            handle_failure(self.request, type_page.page, _("Unable to retrieve %s.") % label)
            return []
        for error in type_page.point_errors:
            handle_failure(self.request, error,
                           _("Unable to retrieve the protection points of %s.") % label)
        table.page = type_page.page
        return type_page.page.items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['protectable_tables'] = list(self.get_tables().values())
        context['schedules_unavailable'] = not schedules.in_catalog(self.request)
        return context

