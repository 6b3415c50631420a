from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from horizon import forms as horizon_forms

from protection_dashboard import api
from protection_dashboard.content import views
from protection_dashboard.content.volume_snapshots import forms, tables

PLUGIN = tables.PLUGIN
INDEX_URL = reverse_lazy('horizon:project:volume_snapshots:index')
ATTACHED_WARNING = _("This volume is attached to an instance. A snapshot of an attached "
                     "volume may not hold the data the instance has not yet written to "
                     "disk; quiesce the instance first if you can.")


class IndexView(views.PointsIndexView):
    """Snapshots, newest first, one page at a time, volume names from a cached list."""

    table_class = tables.VolumeSnapshotsTable
    page_title = _("Volume Snapshots")
    template_name = 'protection_dashboard/volume_snapshots/index.html'
    list_failure_message = _("Unable to retrieve volume snapshots.")

    def list_page(self, search_opts, marker, prev_marker, limit):
        return api.cinder.volume_snapshot_list_paged(
            self.request, search_opts=search_opts, marker=marker, prev_marker=prev_marker,
            limit=limit)

    def join(self, points):
        tables.join_volume_names(self.request, points)

class DetailView(views.PointDetailView):
    table_class = tables.VolumeSnapshotsTable
    overview_template = 'protection_dashboard/volume_snapshots/_detail_overview.html'
    index_url = INDEX_URL
    failure_message = _("Unable to retrieve snapshot details.")

    def load_point(self, point_id):
        snapshot = api.cinder.volume_snapshot_get(self.request, point_id)
        snapshot.volume = api.cinder.volume_get(self.request, snapshot.volume_id)
        return snapshot


class ProtectView(views.ProtectView):
    """Protect a volume: the spec's options form, with the quota beside it."""

    plugin = PLUGIN
    form_class = forms.ProtectVolumeForm
    template_name = 'protection_dashboard/volume_snapshots/create.html'
    page_title = _("Create Volume Snapshot")
    success_url = INDEX_URL
    target_kwarg = 'volume_id'
    url_name = 'horizon:project:volume_snapshots:create'

    @cached_property
    def force_implied(self) -> bool:
        return api.cinder.supports(self.request, 'snapshot_in_use_implied')

    def get_initial(self):
        return dict(super().get_initial(), force=self.resource.is_attached)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.resource.is_attached:
            form.set_warning(ATTACHED_WARNING)
        if self.force_implied:
            # Not sent at this microversion: explained beside the form instead.
            form.fields['force'].widget = horizon_forms.HiddenInput()
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['volume'] = self.resource
        context['force_implied'] = self.force_implied
        context['submit_label'] = (_("Create Volume Snapshot (Force)")
                                   if self.resource.is_attached
                                   else _("Create Volume Snapshot"))
        return context


class RestoreView(views.RestoreView):
    """Restore = a new volume from the snapshot (the spec's restore form)."""

    plugin = PLUGIN
    form_class = forms.RestoreVolumeSnapshotForm
    template_name = 'protection_dashboard/volume_snapshots/restore.html'
    page_title = _("Restore Volume Snapshot")
    submit_label = _("Restore to New Volume")
    target_kwarg = 'snapshot_id'
    url_name = 'horizon:project:volume_snapshots:restore'

    def get_success_url_from_handled(self, volume):
        """The new volume's row in the protectable volumes table."""
        return '%s#volumes__row__%s' % (views.PROTECTABLES_URL, volume.id)
