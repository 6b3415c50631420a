from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.panels import PluginPanel, service_permissions


class VolumeSnapshots(PluginPanel):
    name = _("Volume Snapshots")
    slug = 'volume_snapshots'
    plugin_name = 'volume_snapshot'
    permissions = service_permissions('cinder')
    policy_rules = (("volume", "volume:get_all_snapshots"),)
