from urllib import parse

from django import http
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from horizon import forms as horizon_forms
from horizon import messages

from protection_dashboard import api
from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.content import utils, views
from protection_dashboard.content.admin_manageable_snapshots import forms, tables
from protection_dashboard.content.page_frame import SessionProjectsMixin

PLUGIN = tables.PLUGIN
INDEX_URL = reverse_lazy('horizon:admin:protection_manageable_snapshots:index')
SNAPSHOTS_URL = reverse_lazy('horizon:admin:protection_volume_snapshots:index')


class IndexView(views.PointsIndexView):
    """The snapshots of one back end (chosen among the volume services up), paged by Cinder."""

    table_class = tables.ManageableSnapshotsTable
    page_title = _("Manageable Snapshots")
    template_name = 'protection_dashboard/admin_manageable_snapshots/index.html'
    list_failure_message = _("Unable to retrieve the snapshots of this back end.")

    @cached_property
    def hosts(self) -> list[str] | None:
        """The back ends whose volume service is up; None if Cinder did not say."""
        try:
            return api.cinder.volume_backend_hosts(self.request)
        except Exception:
            utils.handle_error(self.request, _("Unable to retrieve the back ends."))
            return None

    @cached_property
    def host(self) -> str | None:
        return self.request.GET.get('host') or next(iter(self.hosts or ()), None)

    def get_data(self):
        if self.hosts is None:
            return []
        self.table.host = self.host if self.host in self.hosts else None
        if self.host is None:
            messages.info(self.request, _("No Cinder volume service is up."))
            return []
        if self.table.host is None:
            messages.error(self.request, _('"%s" is not a back end whose volume service is up.')
                           % self.host)
            return []
        return super().get_data()

    def list_page(self, search_opts, marker, prev_marker, limit):
        try:
            return api.cinder.manageable_snapshot_page(
                self.request, self.host, marker=marker, prev_marker=prev_marker, limit=limit)
        except pd_exceptions.UnsupportedVersion:
            utils.handle_error(self.request, _("Listing manageable snapshots needs Cinder "
                                               "microversion 3.8 or newer, which this "
                                               "cloud's Cinder does not speak."))
            return api.base.Page([])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(hosts=self.hosts or [], host=self.host)
        return context


class ManageView(SessionProjectsMixin, horizon_forms.ModalFormView):
    """Manage one back-end snapshot; the reference and volume come prefilled from its row."""

    form_class = forms.ManageSnapshotForm
    template_name = 'protection_dashboard/admin_manageable_snapshots/manage.html'
    modal_id = 'manage_snapshot_modal'
    page_title = _("Manage Existing Snapshot")
    submit_label = _("Manage")
    submit_url = reverse_lazy('horizon:admin:protection_manageable_snapshots:manage')

    def dispatch(self, request, *args, **kwargs):
        views.enforce(request, PLUGIN, PLUGIN.manage_policy)
        if self.host is None:
            # No back end named (a bookmark): the page where one is chosen.
            return http.HttpResponseRedirect(INDEX_URL)
        try:
            api.cinder.check_host(self.host)
        except pd_exceptions.InvalidId:
            raise http.Http404 from None
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def host(self) -> str | None:
        """The back end listed: in the query, then in the form's hidden field (None: neither)."""
        for params in (self.request.GET, self.request.POST):
            if 'host' in params:
                return params['host']
        return None

    def get_initial(self):
        query = self.request.GET
        return {name: query[name] for name in ('host', 'ref_type', 'ref_value', 'volume_hint')
                if query.get(name)}

    def get_cancel_url(self):
        return '%s?%s' % (INDEX_URL, parse.urlencode({'host': self.host}))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['host'] = self.host
        return context

    def get_success_url_from_handled(self, snapshot):
        """The new snapshot's row, which polls until Cinder holds it (or fails)."""
        return '%s#volume_snapshots__row__%s' % (SNAPSHOTS_URL, snapshot.id)
