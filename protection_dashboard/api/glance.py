"""Thin wrapper of python-glanceclient: images (server backups are images)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import glanceclient
from horizon.utils.memoized import memoized

from protection_dashboard.api import base

SERVICE = 'glance'


class Image(base.APIResourceWrapper):
    _attrs = ['id', 'name', 'status', 'size', 'created_at', 'owner', 'visibility',
              'disk_format', 'container_format', 'instance_uuid']

    @property
    def project_id(self) -> str | None:
        return self.owner

    def prop(self, key: str, default: Any = None) -> Any:
        """A property of the image (its own ones, e.g. ``description``), or ``default``."""
        return getattr(self._apiresource, key, default)


#: Glance's schemas by (endpoint, name): (when read, schema).
_schema_cache: dict[tuple[str, str], tuple[float, Any]] = {}


class _CachedSchemas:
    """glanceclient's schema reader, cached per endpoint for every request.

    glanceclient reads the image schema (``/v2/schemas/image``) before it
    reads any image, once per client: without this, one call more on every
    page and row poll that shows an image.  The schema is the deployment's,
    the same for every user; it is read again every ``VERSION_CACHE_TTL``.
    """

    def __init__(self, schemas, endpoint: str):
        self.schemas, self.endpoint = schemas, endpoint

    def get(self, name: str):
        key = (self.endpoint, name)
        cached = _schema_cache.get(key)
        now = time.monotonic()
        if cached and now - cached[0] < base.VERSION_CACHE_TTL:
            return cached[1]
        schema = self.schemas.get(name)
        _schema_cache[key] = (now, schema)
        return schema


@memoized
def glanceclient_v2(request):
    endpoint = base.endpoint_for(request, SERVICE)
    client = glanceclient.Client(
        '2', session=base.keystone_session(request),
        auth=base.token_auth(request, endpoint), endpoint_override=endpoint)
    client.images.schema_client = _CachedSchemas(client.schemas, endpoint)
    return client


def image_list(request, filters: dict[str, Any] | None = None,
               limit: int | None = None) -> list[Image]:
    """Images, newest first (all of them unless ``limit``)."""
    images = glanceclient_v2(request).images.list(
        filters=dict(filters or {}), limit=limit, sort_key='created_at', sort_dir='desc')
    return base.wrap_all(Image, list(images))


def image_list_by_ids(request, image_ids: Iterable[str]) -> list[Image]:
    """The images of ``image_ids`` that exist, in one call (Glance's ``in:`` filter)."""
    image_ids = sorted({base.check_id(image_id) for image_id in image_ids})
    if not image_ids:
        return []
    images = glanceclient_v2(request).images.list(
        filters={'id': 'in:' + ','.join(image_ids)}, limit=len(image_ids),
        page_size=len(image_ids))
    return base.wrap_all(Image, list(images))


def image_list_paged(request, filters: dict[str, Any] | None = None,
                     marker: str | None = None, prev_marker: str | None = None,
                     limit: int = 20) -> base.Page:
    """One page of images, newest first."""
    def fetch(marker, limit, ascending):
        images = glanceclient_v2(request).images.list(
            filters=dict(filters or {}), marker=marker, limit=limit, page_size=limit,
            sort_key='created_at', sort_dir='asc' if ascending else 'desc')
        return base.wrap_all(Image, list(images))
    return base.marker_page(fetch, marker, prev_marker, limit)


def image_get(request, image_id: str) -> Image:
    image_id = base.check_id(image_id)
    return Image(glanceclient_v2(request).images.get(image_id))


def image_create_record(request, name: str, properties: dict[str, str]) -> Image:
    """A private, hidden image without data: a record kept in Glance by its properties.

    It stays ``queued`` (Nova boots nothing from it) and is left out of the
    image lists of Horizon and Nova (``os_hidden``).
    """
    return Image(glanceclient_v2(request).images.create(
        name=name, visibility='private', os_hidden=True, **properties))


def image_update(request, image_id: str, properties: dict[str, str],
                 remove: list[str] | tuple[str, ...] = ()) -> Image:
    """Set ``properties`` of an image and remove the ``remove`` ones it has."""
    image_id = base.check_id(image_id)
    return Image(glanceclient_v2(request).images.update(
        image_id, remove_props=list(remove) or None, **properties))


def image_delete(request, image_id: str) -> None:
    image_id = base.check_id(image_id)
    glanceclient_v2(request).images.delete(image_id)
