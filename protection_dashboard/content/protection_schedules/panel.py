import horizon
from django.utils.translation import gettext_lazy as _

from protection_dashboard.content.panels import service_permissions
from protection_dashboard.content.protection_schedules import policy


class ProtectionSchedules(horizon.Panel):
    """There only while the workflow service (``workflowv2``) is in the catalog."""

    name = _("Protection Schedules")
    slug = 'protection_schedules'
    permissions = service_permissions('mistral')
    policy_rules = policy.LIST
