from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.server_backups import panel


class AdminServerBackups(panel.ServerBackups):
    name = _("Server Backups")
    slug = 'protection_server_backups'
    permissions = panel.ServerBackups.permissions + ('openstack.roles.admin',)
