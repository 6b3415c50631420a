from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from horizon import exceptions, tabs
from horizon import forms as horizon_forms
from horizon import tables as horizon_tables
from horizon.utils import functions as utils

from protection_dashboard import api
from protection_dashboard.content.volume_snapshots import forms, tables
from protection_dashboard.content.volume_snapshots import tabs as snapshot_tabs

INDEX_URL = reverse_lazy('horizon:project:volume_snapshots:index')
ATTACHED_WARNING = _("This volume is attached to an instance. A snapshot of an attached "
                     "volume may not hold the data the instance has not yet written to "
                     "disk; quiesce the instance first if you can.")


class IndexView(horizon_tables.DataTableView):
    """Snapshots, newest first, one page at a time, volumes joined from one list call."""

    table_class = tables.VolumeSnapshotsTable
    page_title = _("Volume Snapshots")
    template_name = 'protection_dashboard/volume_snapshots/index.html'

    def has_more_data(self, table):
        return self._has_more

    def has_prev_data(self, table):
        return self._has_prev

    def get_data(self):
        self._has_more = self._has_prev = False
        marker = self.request.GET.get(self.table_class._meta.pagination_param)
        prev_marker = self.request.GET.get(self.table_class._meta.prev_pagination_param)
        sort_dir = 'asc' if prev_marker else 'desc'
        try:
            snapshots, more = api.cinder.volume_snapshot_list_paged(
                self.request, search_opts=self.get_filters(), marker=prev_marker or marker,
                limit=utils.get_page_size(self.request), sort_dir=sort_dir)
        except Exception:
            exceptions.handle(self.request, _("Unable to retrieve volume snapshots."))
            return []
        if prev_marker:
            snapshots.reverse()
            self._has_prev, self._has_more = more, True
        else:
            self._has_more, self._has_prev = more, bool(marker)
        self._join_volumes(snapshots)
        return snapshots

    def _join_volumes(self, snapshots):
        if not snapshots:
            return
        try:
            volumes = api.base.index_by_id(api.cinder.volume_list(self.request))
        except Exception:
            exceptions.handle(self.request, _("Unable to retrieve volumes."))
            volumes = {}
        for snapshot in snapshots:
            snapshot.volume = volumes.get(snapshot.volume_id)


class DetailView(tabs.TabView):
    tab_group_class = snapshot_tabs.SnapshotDetailTabs
    template_name = 'horizon/common/_detail.html'
    page_title = '{{ snapshot.name|default:snapshot.id }}'

    @cached_property
    def snapshot(self):
        try:
            snapshot = api.cinder.volume_snapshot_get(self.request, self.kwargs['snapshot_id'])
            snapshot.volume = api.cinder.volume_get(self.request, snapshot.volume_id)
        except Exception:
            exceptions.handle(self.request, _("Unable to retrieve snapshot details."),
                              redirect=INDEX_URL)
        return snapshot

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = tables.VolumeSnapshotsTable(self.request)
        context.update(snapshot=self.snapshot, url=INDEX_URL,
                       actions=table.render_row_actions(self.snapshot))
        return context

    def get_tabs(self, request, *args, **kwargs):
        return self.tab_group_class(request, snapshot=self.snapshot, **kwargs)


class ProtectView(horizon_forms.ModalFormView):
    """Protect a volume: the spec's options form, with the quota beside it."""

    form_class = forms.ProtectVolumeForm
    template_name = 'protection_dashboard/volume_snapshots/create.html'
    page_title = _("Create Volume Snapshot")
    success_url = INDEX_URL
    cancel_url = reverse_lazy('horizon:project:protectables:index')

    @cached_property
    def volume(self):
        try:
            return api.cinder.volume_get(self.request, self.kwargs['volume_id'])
        except Exception:
            exceptions.handle(self.request, _("Unable to retrieve the volume."),
                              redirect=self.cancel_url)

    def get_initial(self):
        return {'resource_id': self.kwargs['volume_id'],
                'force': self.volume.is_attached}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.volume.is_attached:
            form.set_warning(ATTACHED_WARNING)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['submit_url'] = reverse('horizon:project:volume_snapshots:create',
                                        args=(self.kwargs['volume_id'],))
        context['volume'] = self.volume
        context['force_implied'] = api.cinder.supports(self.request,
                                                      'snapshot_in_use_implied')
        context['submit_label'] = (_("Create Volume Snapshot (Force)")
                                   if self.volume.is_attached
                                   else _("Create Volume Snapshot"))
        try:
            context['limits'] = api.cinder.absolute_limits(self.request)
        except Exception:
            exceptions.handle(self.request, _("Unable to retrieve the snapshot quota."))
        return context


class RestoreView(horizon_forms.ModalFormView):
    """Restore = a new volume from the snapshot (the spec's restore form)."""

    form_class = forms.RestoreVolumeSnapshotForm
    template_name = 'protection_dashboard/volume_snapshots/restore.html'
    page_title = _("Restore Volume Snapshot")
    submit_label = _("Restore to New Volume")

    def get_initial(self):
        return {'point_id': self.kwargs['snapshot_id']}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['submit_url'] = reverse('horizon:project:volume_snapshots:restore',
                                        args=(self.kwargs['snapshot_id'],))
        return context

    def get_success_url_from_handled(self, volume):
        """The new volume's row in the protectable volumes table."""
        return '%s#volumes__row__%s' % (reverse('horizon:project:protectables:index'),
                                         volume.id)
