from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from protection_dashboard import api
from protection_dashboard.content import tables as common
from protection_dashboard.content import utils, views
from protection_dashboard.content.volume_backups import forms, tables

PLUGIN = tables.PLUGIN
INDEX_URL = reverse_lazy('horizon:project:volume_backups:index')
ATTACHED_WARNING = _("This volume is attached to a server. Cinder backs it up without "
                     "detaching it: from a temporary snapshot or copy of the volume, which "
                     "it removes afterwards. Force is required for that. Data the server "
                     "has not yet written to disk is not in the backup; quiesce the server "
                     "first if you can.")


class IndexView(views.PointsIndexView):
    """Backups, newest first, one page at a time, volume names from a cached list."""

    table_class = tables.VolumeBackupsTable
    page_title = _("Volume Backups")
    template_name = 'protection_dashboard/volume_backups/index.html'
    list_failure_message = _("Unable to retrieve volume backups.")

    def list_page(self, search_opts, marker, prev_marker, limit):
        return api.cinder.volume_backup_list_paged(
            self.request, search_opts=search_opts, marker=marker, prev_marker=prev_marker,
            limit=limit)

    def join(self, points):
        if not self.all_projects:  # names come from the project's own volume list
            common.join_volume_names(self.request, points)

class DetailView(views.PointDetailView):
    """A backup, whether it can be restored, and the backup an incremental one builds on."""

    table_class = tables.VolumeBackupsTable
    overview_template = 'protection_dashboard/volume_backups/_detail_overview.html'
    index_url = INDEX_URL
    failure_message = _("Unable to retrieve backup details.")

    def load_point(self, point_id):
        backup = api.cinder.volume_backup_get(self.request, point_id)
        common.join_volume_names(self.request, [backup])
        backup.restorable = backup.status in PLUGIN.success_statuses
        backup.parent = None
        if backup.is_incremental:
            try:
                backup.parent = PLUGIN.parent_of_incremental(
                    backup, api.cinder.volume_backup_list(
                        self.request, search_opts={'volume_id': backup.volume_id}))
            except Exception:
                utils.handle_error(self.request, _("Unable to retrieve the parent backup."))
        return backup


class ProtectView(views.ProtectView):
    """Back up a volume: the spec's options form, force explained, quota beside it."""

    plugin = PLUGIN
    form_class = forms.ProtectVolumeBackupForm
    template_name = 'protection_dashboard/volume_backups/create.html'
    page_title = _("Create Volume Backup")
    success_url = INDEX_URL
    target_kwarg = 'volume_id'
    url_name = 'horizon:project:volume_backups:create'

    def get_initial(self):
        return dict(super().get_initial(), force=PLUGIN.needs_force(self.resource))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        try:
            can_increment = PLUGIN.can_increment(self.request, self.target_id)
        except Exception:
            utils.handle_error(self.request, _("Unable to tell whether the volume has a "
                                              "backup to increment."))
            can_increment = False
        kwargs.update(volume=self.resource, can_increment=can_increment)
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if PLUGIN.needs_force(self.resource):
            form.set_warning(ATTACHED_WARNING)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['volume'] = self.resource
        context['submit_label'] = (_("Create Volume Backup (Force)")
                                   if PLUGIN.needs_force(self.resource)
                                   else _("Create Volume Backup"))
        return context


class RestoreView(views.RestoreView):
    """Restore into a new volume or, confirmed, into an existing one."""

    plugin = PLUGIN
    form_class = forms.RestoreVolumeBackupForm
    template_name = 'protection_dashboard/volume_backups/restore.html'
    page_title = _("Restore Volume Backup")
    submit_label = _("Restore Backup")
    target_kwarg = 'backup_id'
    url_name = 'horizon:project:volume_backups:restore'

    def get_success_url_from_handled(self, volume):
        """The restored volume's row in the protectable volumes table."""
        return '%s#volumes__row__%s' % (views.PROTECTABLES_URL, volume.id)
