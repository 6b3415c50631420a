from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.protection_schedules import panel, policy


class AdminProtectionSchedules(panel.ProtectionSchedules):
    name = _("Protection Schedules")
    slug = 'protection_schedules'
    permissions = panel.ProtectionSchedules.permissions + ('openstack.roles.admin',)
    policy_rules = policy.LIST_ALL_PROJECTS
