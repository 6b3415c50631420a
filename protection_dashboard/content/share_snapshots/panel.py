from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.panels import PluginPanel, service_permissions


class ShareSnapshots(PluginPanel):
    name = _("Share Snapshots")
    slug = 'share_snapshots'
    plugin_name = 'share_snapshot'
    permissions = service_permissions('manila')
    policy_rules = (("share", "share_snapshot:get_all_snapshots"),)
