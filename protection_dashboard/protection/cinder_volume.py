"""Cinder volumes as a protectable resource type (``OS::Cinder::Volume``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from protection_dashboard import api
from protection_dashboard.protection import base


@base.register
class VolumeType(base.ResourceType):
    resource_type = 'OS::Cinder::Volume'
    label = _("Volumes (OS::Cinder::Volume)")
    table_name = 'volumes'
    position = 10
    service = 'cinder'
    columns = (
        base.Column('size', 'size', _("Size"), kind='size'),
        base.Column('attached', 'is_attached', _("Attached"), kind='yesno'),
    )
    steady_statuses = frozenset({'available', 'in-use'})
    failure_statuses = frozenset({'error', 'error_restoring', 'error_extending',
                                  'error_deleting', 'error_managing'})

    def list_page(self, request, *, all_projects, marker, prev_marker, limit):
        return api.cinder.volume_list_paged(
            request, search_opts=base.all_projects_opts(all_projects), marker=marker,
            prev_marker=prev_marker, limit=limit)

    def get(self, request, resource_id):
        return api.cinder.volume_get(request, resource_id)
