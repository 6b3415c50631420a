from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.panels import PluginPanel, service_permissions


class ServerBackups(PluginPanel):
    """Server backups are recorded in Glance: the panel needs Nova and Glance."""

    name = _("Server Backups")
    slug = 'server_backups'
    plugin_name = 'server_backup'
    permissions = service_permissions('nova') + service_permissions('glance')
    policy_rules = (("image", "get_images"),)
