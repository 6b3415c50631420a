from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.volume_backups import panel


class AdminVolumeBackups(panel.VolumeBackups):
    name = _("Volume Backups")
    slug = 'protection_volume_backups'
    permissions = panel.VolumeBackups.permissions + ('openstack.roles.admin',)
