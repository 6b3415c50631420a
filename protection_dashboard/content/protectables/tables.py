"""Tables of protectable resources, one per resource type."""

from django.template import defaultfilters
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.utils import filters

from protection_dashboard import api
from protection_dashboard.protection import protectables

#: Steady states; anything else (creating, attaching, ...) keeps the row polling.
STATUS_CHOICES = (
    ('available', True), ('in-use', True), ('active', True), ('shutoff', True),
    ('paused', True), ('suspended', True), ('shelved_offloaded', True), ('stopped', True),
    ('error', False), ('error_restoring', False), ('error_extending', False),
    ('error_deleting', False), ('error_managing', False), ('manage_error', False),
    ('unmanage_error', False),
)


class ProtectableTable(tables.DataTable):
    """Common columns: what a resource is and when it was last protected."""

    name = tables.WrappingColumn('name', verbose_name=_("Name"))
    status = tables.Column('status', verbose_name=_("Status"), status=True,
                           status_choices=STATUS_CHOICES,
                           filters=(str.lower, filters.replace_underscores,
                                    defaultfilters.capfirst))
    last_protected = tables.Column(
        'last_protected', verbose_name=_("Newest Protection Point"),
        empty_value=_("Not protected"), filters=(filters.parse_isotime,))
    project = tables.Column('project_id', verbose_name=_("Project ID"))

    def __init__(self, request, *args, all_projects: bool = False, **kwargs):
        super().__init__(request, *args, **kwargs)
        if not all_projects:
            del self.columns['project']

    def get_object_display(self, datum):
        return datum.name or datum.id


class CreateVolumeSnapshot(tables.LinkAction):
    """Protect a volume: the snapshot form, disabled when the quota is used up."""

    name = 'protect_snapshot'
    verbose_name = _("Create Snapshot")
    url = 'horizon:project:volume_snapshots:create'
    classes = ('ajax-modal',)
    icon = 'camera'
    policy_rules = (('volume', 'volume:create_snapshot'),)

    def allowed(self, request, volume=None):
        limits = getattr(self.table, 'cinder_limits', None)
        exhausted = (
            protectables.quota_exhausted(limits, 'maxTotalSnapshots', 'totalSnapshotsUsed')
            or protectables.quota_exhausted(limits, 'maxTotalVolumeGigabytes',
                                            'totalGigabytesUsed'))
        if exhausted:
            self.verbose_name = _("Create Snapshot (Quota exceeded)")
            self.classes = tuple(c for c in self.classes if c != 'disabled') + ('disabled',)
        return volume is None or volume.status in ('available', 'in-use')


class UpdateVolumeRow(tables.Row):
    ajax = True

    def get_data(self, request, volume_id):
        volume = api.cinder.volume_get(request, volume_id)
        volume.last_protected = None
        return volume


class VolumesTable(ProtectableTable):
    size = tables.Column('size', verbose_name=_("Size"),
                         filters=(lambda size: _("%s GiB") % size,))
    attached = tables.Column('is_attached', verbose_name=_("Attached"),
                             filters=(defaultfilters.yesno, defaultfilters.capfirst))

    class Meta:
        name = 'volumes'
        hidden_title = False
        verbose_name = _("Volumes (OS::Cinder::Volume)")
        columns = ('name', 'project', 'size', 'status', 'attached', 'last_protected')
        status_columns = ('status',)
        row_class = UpdateVolumeRow
        row_actions = (CreateVolumeSnapshot,)


class SharesTable(ProtectableTable):
    size = tables.Column('size', verbose_name=_("Size"),
                         filters=(lambda size: _("%s GiB") % size,))
    proto = tables.Column('share_proto', verbose_name=_("Protocol"))

    class Meta:
        name = 'shares'
        hidden_title = False
        verbose_name = _("Shares (OS::Manila::Share)")
        columns = ('name', 'project', 'size', 'proto', 'status', 'last_protected')


def boot_source(server) -> str:
    return _("Image") if server.image_id else _("Volume")


class ServersTable(ProtectableTable):
    boot = tables.Column(boot_source, verbose_name=_("Boots From"))
    volumes = tables.Column(lambda server: len(server.attached_volume_ids),
                            verbose_name=_("Attached Volumes"))

    class Meta:
        name = 'servers'
        hidden_title = False
        verbose_name = _("Servers (OS::Nova::Server)")
        columns = ('name', 'project', 'status', 'boot', 'volumes', 'last_protected')
