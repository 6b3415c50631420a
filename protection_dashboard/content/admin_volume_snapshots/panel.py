from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.volume_snapshots import panel


class AdminVolumeSnapshots(panel.VolumeSnapshots):
    name = _("Volume Snapshots")
    slug = 'protection_volume_snapshots'
    permissions = panel.VolumeSnapshots.permissions + ('openstack.roles.admin',)
