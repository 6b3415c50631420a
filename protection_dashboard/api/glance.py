"""Thin wrapper of python-glanceclient: images (server backups are images)."""

from __future__ import annotations

from typing import Any

import glanceclient
from horizon.utils.memoized import memoized

from protection_dashboard.api import base

SERVICE = 'glance'


class Image(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'status', 'size', 'created_at', 'owner', 'visibility',
              'disk_format', 'container_format', 'instance_uuid']


@memoized
def glanceclient_v2(request):
    endpoint = base.endpoint_for(request, SERVICE)
    return glanceclient.Client(
        '2', session=base.keystone_session(request),
        auth=base.token_auth(request, endpoint), endpoint_override=endpoint)


def image_list(request, filters: dict[str, Any] | None = None,
               limit: int | None = None) -> list[Image]:
    """Images, newest first (all of them unless ``limit``)."""
    images = glanceclient_v2(request).images.list(
        filters=dict(filters or {}), limit=limit, sort_key='created_at', sort_dir='desc')
    return base.wrap_all(Image, list(images))


def image_get(request, image_id: str) -> Image:
    image_id = base.check_id(image_id)
    return Image(glanceclient_v2(request).images.get(image_id))
