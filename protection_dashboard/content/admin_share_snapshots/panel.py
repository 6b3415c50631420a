from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.share_snapshots import panel


class AdminShareSnapshots(panel.ShareSnapshots):
    name = _("Share Snapshots")
    slug = 'protection_share_snapshots'
    permissions = panel.ShareSnapshots.permissions + ('openstack.roles.admin',)
    policy_rules = (("share", "share_snapshot:list_all_projects"),)
