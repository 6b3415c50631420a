from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from protection_dashboard.content import views
from protection_dashboard.content.server_backups import forms, tables
from protection_dashboard.protection import volume_backup

PLUGIN = tables.PLUGIN
INDEX_URL = reverse_lazy('horizon:project:server_backups:index')
NO_USER_DATA = _("User data is NOT included: this cloud backs up a server that boots from "
                 "an image by recording its original image only. A restore boots from that "
                 "image as it was; whatever was written on the server since it was created "
                 "is not in the backup.")


class IndexView(views.PointsIndexView):
    """Server backups, newest first: the records, and their parts in two bulk calls."""

    table_class = tables.ServerBackupsTable
    page_title = _("Server Backups")
    template_name = 'protection_dashboard/server_backups/index.html'
    list_failure_message = _("Unable to retrieve server backups.")

    def list_page(self, search_opts, marker, prev_marker, limit):
        search_opts.pop('all_tenants', None)
        return PLUGIN.list_page(self.request, all_projects=self.all_projects,
                                filters=search_opts, marker=marker, prev_marker=prev_marker,
                                limit=limit)


class DetailView(views.PointDetailView):
    """A server backup: what it was made from, and each part with its own status."""

    table_class = tables.ServerBackupsTable
    overview_template = 'protection_dashboard/server_backups/_detail_overview.html'
    index_url = INDEX_URL
    failure_message = _("Unable to retrieve server backup details.")

    def load_point(self, point_id):
        return PLUGIN.get_point(self.request, point_id)


class ProtectView(views.ProtectView):
    """Back up a server: what the backup holds depends on how the server boots."""

    plugin = PLUGIN
    form_class = forms.ProtectServerBackupForm
    template_name = 'protection_dashboard/server_backups/create.html'
    page_title = _("Create Server Backup")
    submit_label = _("Create Server Backup")
    success_url = INDEX_URL
    target_kwarg = 'server_id'
    url_name = 'horizon:project:server_backups:create'

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(server=self.resource,
                      backup_service=volume_backup.backup_service(self.request) is not False)
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.resource.image_id and not PLUGIN.snapshot_enabled():
            form.set_warning(NO_USER_DATA)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(server=self.resource, snapshot_enabled=PLUGIN.snapshot_enabled())
        return context


class RestoreView(views.RestoreView):
    """Boot a new server from a backup; its volumes restored and attached."""

    plugin = PLUGIN
    form_class = forms.RestoreServerBackupForm
    template_name = 'protection_dashboard/server_backups/restore.html'
    page_title = _("Restore Server Backup")
    submit_label = _("Restore Backup")
    success_url = INDEX_URL
    target_kwarg = 'backup_id'
    url_name = 'horizon:project:server_backups:restore'

    def get_initial(self):
        return dict(super().get_initial(),
                    name='%s-restored' % (self.point.server_name or self.point.name))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['backup'] = self.point
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['backup'] = self.point
        return context
