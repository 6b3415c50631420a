from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from horizon import exceptions

from protection_dashboard import api
from protection_dashboard.content import utils, views
from protection_dashboard.content.share_snapshots import forms, tables
from protection_dashboard.protection import share_snapshot

PLUGIN = tables.PLUGIN
INDEX_URL = reverse_lazy('horizon:project:share_snapshots:index')


class IndexView(views.PointsIndexView):
    """Share snapshots, newest first, one page at a time, share names from one list."""

    table_class = tables.ShareSnapshotsTable
    page_title = _("Share Snapshots")
    template_name = 'protection_dashboard/share_snapshots/index.html'
    list_failure_message = _("Unable to retrieve share snapshots.")

    def list_page(self, search_opts, marker, prev_marker, limit):
        return api.manila.share_snapshot_list_paged(
            self.request, search_opts=search_opts, marker=marker, prev_marker=prev_marker,
            limit=limit)

    def join(self, points):
        tables.join_share_names(self.request, points, all_projects=self.all_projects)

class DetailView(views.PointDetailView):
    table_class = tables.ShareSnapshotsTable
    overview_template = 'protection_dashboard/share_snapshots/_detail_overview.html'
    index_url = INDEX_URL
    failure_message = _("Unable to retrieve share snapshot details.")

    def load_point(self, point_id):
        snapshot = api.manila.share_snapshot_get(self.request, point_id)
        snapshot.share = api.manila.share_get(self.request, snapshot.share_id)
        return snapshot


class ProtectView(views.ProtectView):
    """Protect a share: the spec's options form, with the snapshot quota beside it."""

    plugin = PLUGIN
    form_class = forms.ProtectShareForm
    template_name = 'protection_dashboard/share_snapshots/create.html'
    page_title = _("Create Share Snapshot")
    submit_label = _("Create Share Snapshot")
    success_url = INDEX_URL
    target_kwarg = 'share_id'
    url_name = 'horizon:project:share_snapshots:create'


class RestoreView(views.RestoreView):
    """Restore to a new share like the source, or into the source share (revert)."""

    plugin = PLUGIN
    form_class = forms.RestoreShareSnapshotForm
    template_name = 'protection_dashboard/share_snapshots/restore.html'
    page_title = _("Restore Share Snapshot")
    submit_label = _("Restore")
    target_kwarg = 'snapshot_id'
    url_name = 'horizon:project:share_snapshots:restore'
    cancel_url = INDEX_URL

    @cached_property
    def plan(self) -> share_snapshot.RestorePlan:
        try:
            plan = share_snapshot.restore_plan(self.request, self.target_id)
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the share snapshot."),
                              redirect=INDEX_URL)
        return plan

    def check_target(self):
        if self.plan.snapshot.project_id not in (None, self.request.user.project_id):
            raise exceptions.NotAuthorized

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.plan.revert_refusal:
            form.set_warning(_("Restoring into the share is not offered: %s")
                             % self.plan.revert_refusal)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['plan'] = self.plan
        return context

    def get_success_url_from_handled(self, share):
        """The new (or reverted) share's row in the protectable shares table."""
        return '%s#shares__row__%s' % (views.PROTECTABLES_URL, share.id)
