"""Manila shares as a protectable resource type (``OS::Manila::Share``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from protection_dashboard import api
from protection_dashboard.protection import base
from protection_dashboard.protection.base import all_projects_opts


@base.register
class ShareType(base.ResourceType):
    resource_type = 'OS::Manila::Share'
    label = _("Shares (OS::Manila::Share)")
    table_name = 'shares'
    position = 20
    service = 'manila'
    feature = 'enable_share_protection'
    columns = (
        base.Column('size', 'size', _("Size"), kind='size'),
        base.Column('proto', 'share_proto', _("Protocol")),
    )
    steady_statuses = frozenset({'available'})
    failure_statuses = frozenset({'error', 'error_deleting', 'manage_error',
                                  'unmanage_error', 'extending_error', 'shrinking_error',
                                  'reverting_error'})

    def list_page(self, request, *, all_projects, marker, prev_marker, limit):
        return api.manila.share_list_paged(
            request, search_opts=all_projects_opts(all_projects), marker=marker,
            prev_marker=prev_marker, limit=limit)

    def get(self, request, resource_id):
        return api.manila.share_get(request, resource_id)

