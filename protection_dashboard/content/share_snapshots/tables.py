from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import tables

from protection_dashboard import api
from protection_dashboard.content import tables as common
from protection_dashboard.content import utils
from protection_dashboard.content.datatable import ProtectionTable
from protection_dashboard.protection import base as protection_base

PLUGIN = protection_base.get('share_snapshot')


class RestoreSnapshot(common.PluginRestoreAction):
    plugin = PLUGIN
    verbose_name = _("Restore")
    url = 'horizon:project:share_snapshots:restore'


class DeleteSnapshot(common.PluginDeleteAction):
    plugin = PLUGIN
    help_text = _("Deleted share snapshots are not recoverable.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Share Snapshot", "Delete Share Snapshots", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Scheduled deletion of Share Snapshot",
                             "Scheduled deletion of Share Snapshots", count)


def join_share_names(request, snapshots, all_projects=False) -> None:
    """Name each snapshot's share (``share_name``), from the cached name list."""
    if not snapshots:
        return
    try:
        names = api.manila.share_names(request, {s.share_id for s in snapshots},
                                       all_projects=all_projects)
    except Exception:
        utils.handle_error(request, _("Unable to retrieve share names."))
        names = {}
    for snapshot in snapshots:
        snapshot.share_name = names.get(snapshot.share_id)


class UpdateRow(tables.Row):
    ajax = True

    def get_data(self, request, snapshot_id):
        """One call: the snapshot (its share's name from the names the page cached)."""
        snapshot = api.manila.share_snapshot_get(request, snapshot_id)
        join_share_names(request, [snapshot], all_projects=self.table.all_projects)
        return snapshot


def share_name(snapshot):
    return getattr(snapshot, 'share_name', None) or snapshot.share_id


def share_link(snapshot):
    return reverse('horizon:project:protectables:index') + '#shares__row__%s' % (
        snapshot.share_id)


class ShareSnapshotsTable(ProtectionTable):
    #: Whose shares name the snapshots: the project's, or every project's.
    all_projects = False

    name = tables.WrappingColumn('name', verbose_name=_("Name"),
                                 link='horizon:project:share_snapshots:detail')
    description = tables.Column('description', verbose_name=_("Description"),
                                truncate=40)
    share = tables.WrappingColumn(share_name, verbose_name=_("Share"), link=share_link)
    size = common.size_column()
    status = common.status_column(PLUGIN)
    created = common.created_column()

    class Meta:
        name = 'share_snapshots'
        verbose_name = _("Share Snapshots")
        pagination_param = 'snapshot_marker'
        prev_pagination_param = 'prev_snapshot_marker'
        status_columns = ('status',)
        row_class = UpdateRow
        table_actions = (common.NameStatusFilter, DeleteSnapshot)
        row_actions = (RestoreSnapshot, DeleteSnapshot)
