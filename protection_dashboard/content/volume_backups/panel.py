from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.panels import PluginPanel, service_permissions


class VolumeBackups(PluginPanel):
    """Absent where backups are switched off or the cloud has no backup service."""

    name = _("Volume Backups")
    slug = 'volume_backups'
    plugin_name = 'volume_backup'
    permissions = service_permissions('cinder')
    policy_rules = (("volume", "backup:get_all"),)
