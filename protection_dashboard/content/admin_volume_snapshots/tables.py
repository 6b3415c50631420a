"""Every project's volume snapshots: unmanage (export) or delete."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import tables

from protection_dashboard import api
from protection_dashboard.content import tables as common
from protection_dashboard.content.admin_manageable_snapshots.tables import reference_text
from protection_dashboard.content.volume_snapshots import tables as project_tables

PLUGIN = project_tables.PLUGIN
MANAGE_FAILURE = _('Cinder could not manage "%s": the back end holds no such snapshot of '
                   'this volume, or Cinder manages it already. Unmanage this record (the '
                   'back end is not touched), then check the reference.')


class UnmanageSnapshot(tables.BatchAction):
    """Export a snapshot: Cinder forgets it, its data stays on the back end (spec's side
    effect in the confirmation)."""

    name = 'unmanage'
    icon = 'export'
    policy_rules = PLUGIN.unmanage_policy
    help_text = _("The snapshot's data stays on the back end and Cinder forgets the "
                  "snapshot; it is then listed under Manageable Snapshots. Some back ends "
                  "(LVM, RBD) then refuse to delete the snapshot's volume: the volume's "
                  "delete fails and it stays available until the snapshot is managed "
                  "again and deleted.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.action_type = 'danger'

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Unmanage Volume Snapshot", "Unmanage Volume Snapshots", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Scheduled unmanaging of Volume Snapshot",
                             "Scheduled unmanaging of Volume Snapshots", count)

    def allowed(self, request, datum=None):
        # Cinder unmanages in the states it deletes in.
        return datum is None or PLUGIN.can_delete(datum.status)

    def action(self, request, obj_id):
        api.cinder.volume_snapshot_unmanage(request, obj_id)


def join_manage_failures(snapshots) -> None:
    """Say why a snapshot managed from a reference went to error (``manage_failure``).

    Cinder keeps the reason in its volume service's log only; the manage
    recorded the reference in the snapshot's metadata.  No API call.
    """
    for snapshot in snapshots:
        reference = api.cinder.manage_reference(snapshot) if snapshot.status == 'error' else None
        snapshot.manage_failure = MANAGE_FAILURE % reference_text(reference) if reference else ''


class AdminUpdateRow(tables.Row):
    """A row poll: the snapshot's own call (its volume is shown by id)."""

    ajax = True

    def get_data(self, request, snapshot_id):
        snapshot = api.cinder.volume_snapshot_get(request, snapshot_id)
        join_manage_failures([snapshot])
        return snapshot


class AdminVolumeSnapshotsTable(project_tables.VolumeSnapshotsTable):
    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    project = tables.Column('project_id', verbose_name=_("Project ID"))
    volume = tables.Column('volume_id', verbose_name=_("Volume ID"))
    manage_failure = tables.WrappingColumn('manage_failure', verbose_name=_("Error Reason"))

    class Meta(project_tables.VolumeSnapshotsTable.Meta):
        columns = ('name', 'project', 'volume', 'size', 'status', 'manage_failure', 'created')
        row_class = AdminUpdateRow
        table_actions = (common.NameStatusFilter, project_tables.DeleteSnapshot)
        row_actions = (UnmanageSnapshot, project_tables.DeleteSnapshot)
