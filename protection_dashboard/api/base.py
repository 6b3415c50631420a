"""Shared plumbing of the service layer: sessions, endpoints, microversions.

Every client is built from the user's token and the service catalog held in the
Horizon session, through one keystoneauth1 session per request (so connections
are pooled across the calls of one page).  The server's microversion range is
read from the service's version document once per endpoint and cached for a
few minutes: negotiating must not cost an API call on every page.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent import futures
from typing import Any
from urllib import parse

from django.conf import settings
from django.core.cache import cache
from horizon import exceptions as horizon_exc
from horizon.utils.memoized import memoized
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from openstack_dashboard.api import base as horizon_base

from protection_dashboard import features
from protection_dashboard.api import microversions
from protection_dashboard.exceptions import InvalidId

#: Catalog service types per service, tried in order.
SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    'cinder': ('block-storage', 'block-store', 'volumev3', 'volume'),
    'manila': ('sharev2', 'shared-file-system', 'share'),
    'nova': ('compute',),
    'glance': ('image',),
    'neutron': ('network',),
    'mistral': ('workflowv2',),
}

#: Seconds a discovered microversion range is trusted.
VERSION_CACHE_TTL = 300

APIResourceWrapper = horizon_base.APIResourceWrapper


class ServiceUnavailable(horizon_exc.ServiceCatalogException):
    """The catalog holds no endpoint for a service this page needs."""


#: What a resource id of Cinder, Manila, Nova or Glance can look like: a UUID,
#: with or without dashes (or any token of those characters).  Nothing that
#: could change a request's path or query ('/', '.', '?', '%', ...).
_ID = re.compile(r'[A-Za-z0-9_-]{1,64}')


def check_id(value: Any) -> str:
    """``value`` if it can be a resource id; InvalidId (a 404) otherwise.

    Every id from a URL, a form or a row update goes through here before it
    reaches a client, which would put it into the request's path.
    """
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise InvalidId(('not a valid resource id: %r' % (value,))[:80])
    return value


def endpoint_for(request, service: str) -> str:
    """Return the catalog URL of ``service``, trying its service types in order."""
    for service_type in SERVICE_TYPES[service]:
        try:
            url = horizon_base.url_for(request, service_type)
        except horizon_exc.ServiceCatalogException:
            continue
        if url:
            return url
    raise ServiceUnavailable(service)


def is_service_enabled(request, service: str) -> bool:
    return any(horizon_base.is_service_enabled(request, service_type)
               for service_type in SERVICE_TYPES[service])


@memoized
def keystone_session(request) -> ks_session.Session:
    """One keystoneauth1 session per request, authenticated by the user's token."""
    verify: bool | str = not settings.OPENSTACK_SSL_NO_VERIFY
    if verify and settings.OPENSTACK_SSL_CACERT:
        verify = settings.OPENSTACK_SSL_CACERT
    return ks_session.Session(verify=verify)


def token_auth(request, endpoint: str) -> token_endpoint.Token:
    return token_endpoint.Token(endpoint, request.user.token.id)


# --- microversions -----------------------------------------------------------

_version_cache: dict[str, tuple[float, tuple[str, str] | None]] = {}
_version_lock = threading.Lock()


def _split_endpoint(endpoint: str) -> tuple[str, str | None]:
    """The unversioned root of an endpoint and its version segment.

    ``http://h:8776/v3/<project>`` -> (``http://h:8776/``, ``v3``).  The root's
    version list answers without a token, unlike some versioned roots.
    """
    parts = parse.urlsplit(endpoint)
    segments = [s for s in parts.path.split('/') if s]
    version_id = None
    for index, segment in enumerate(segments):
        if segment[:1] == 'v' and segment[1:2].isdigit():
            version_id = segment
            segments = segments[:index]
            break
    path = '/' + '/'.join(segments) + '/' if segments else '/'
    return parse.urlunsplit((parts.scheme, parts.netloc, path, '', '')), version_id


def _parse_version_document(body: dict[str, Any],
                            version_id: str | None) -> tuple[str, str] | None:
    """(min, max) microversion of API ``version_id`` (``v3`` is listed as ``v3.0``).

    None when the API has no microversions.
    """
    if version_id and '.' not in version_id:
        version_id += '.0'
    entries = body.get('versions') or [body.get('version') or {}]
    if isinstance(entries, dict):
        entries = entries.get('values', [])
    for entry in entries:
        if version_id and entry.get('id') != version_id:
            continue
        max_version = entry.get('version') or entry.get('max_version')
        if max_version:
            return entry.get('min_version') or max_version, max_version
    return None


def server_version_range(request, endpoint: str) -> tuple[str, str] | None:
    """The (min, max) microversions the server at ``endpoint`` supports (cached)."""
    url, version_id = _split_endpoint(endpoint)
    key = '%s %s' % (url, version_id)
    now = time.monotonic()
    with _version_lock:
        cached = _version_cache.get(key)
    if cached and now - cached[0] < VERSION_CACHE_TTL:
        return cached[1]
    response = keystone_session(request).get(
        url, authenticated=False, raise_exc=True,
        headers={'Accept': 'application/json'})
    found = _parse_version_document(response.json(), version_id)
    with _version_lock:
        _version_cache[key] = (now, found)
    return found


def negotiate_version(request, service: str, endpoint: str, client_max: str) -> str:
    """The newest microversion both the client library and the server speak.

    An operator can lower it per service with
    ``PROTECTION_DASHBOARD['max_microversions'] = {'cinder': '3.65'}``.
    """
    server = server_version_range(request, endpoint)
    if server is None:
        return microversions.base_version(client_max)
    server_min, server_max = server
    cap = features.max_microversion(service)
    candidates = [client_max, server_max] + ([cap] if cap else [])
    chosen = min(candidates, key=microversions.as_tuple)
    if microversions.as_tuple(chosen) < microversions.as_tuple(server_min):
        return server_min
    return chosen


def microversioned_client(request, service: str, client_max: str, version: str | None,
                          build: Callable[..., Any]) -> Any:
    """A client of ``service`` from ``build(version, endpoint, session=, auth=)``.

    ``version`` None means the negotiated newest microversion.
    """
    endpoint = endpoint_for(request, service)
    if version is None:
        version = negotiate_version(request, service, endpoint, client_max)
    return build(version, endpoint, session=keystone_session(request),
                 auth=token_auth(request, endpoint))


# --- helpers for list pages -----------------------------------------------

@dataclasses.dataclass
class Page:
    """One page of a list, and the markers of the pages beside it.

    A marker is what the service pages by: the id of an item (Cinder, Nova,
    Glance) or an offset (Manila).  None means there is no such page.
    """

    items: list[Any]
    next_marker: str | None = None
    prev_marker: str | None = None


def marker_page(fetch: Callable[[str | None, int, bool], Iterable[Any]],
                marker: str | None, prev_marker: str | None, limit: int,
                check: Callable[[str], str] = check_id) -> Page:
    """One page of a list paged by item markers, newest first.

    ``fetch(marker, limit, ascending)`` asks the service for up to ``limit``
    items after ``marker`` (newest first, or oldest first when ascending).
    One item more than the page holds tells whether another page follows.
    A marker is an item's ``id``, checked by ``check`` before it is sent.
    """
    backwards = bool(prev_marker)
    start = prev_marker or marker
    items = list(fetch(check(start) if start else None, limit + 1, backwards))
    more = len(items) > limit
    items = items[:limit]
    if backwards:
        items.reverse()
    has_prev, has_next = (more, True) if backwards else (bool(marker), more)
    return Page(items,
                next_marker=items[-1].id if has_next and items else None,
                prev_marker=items[0].id if has_prev and items else None)


def offset_page(fetch: Callable[[int, int], Iterable[Any]], marker: str | None,
                prev_marker: str | None, limit: int) -> Page:
    """One page of a list paged by offsets; the markers are the offsets of pages.

    A marker that is not a non-negative number reads as the first page.
    """
    token = prev_marker or marker or '0'
    offset = int(token) if token.isdigit() else 0
    items = list(fetch(offset, limit + 1))
    more = len(items) > limit
    return Page(items[:limit],
                next_marker=str(offset + limit) if more else None,
                prev_marker=str(max(0, offset - limit)) if offset else None)


def run_parallel(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run independent list calls side by side; results (or exceptions) by key."""
    if not calls:
        return {}
    with futures.ThreadPoolExecutor(max_workers=len(calls)) as pool:
        pending = {key: pool.submit(call) for key, call in calls.items()}
    results: dict[str, Any] = {}
    for key, future in pending.items():
        error = future.exception()
        results[key] = error if error is not None else future.result()
    return results


def run_all(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """``run_parallel`` for calls that are all needed: the first failure is raised."""
    results = run_parallel(calls)
    for result in results.values():
        if isinstance(result, Exception):
            raise result
    return results


#: Seconds a list of names is trusted (see ``cached_names``).
NAMES_TTL = 60


def cached_names(request, kind: str, wanted: Iterable[str],
                 list_names: Callable[[], dict[str, str]],
                 all_projects: bool = False) -> dict[str, str]:
    """Id -> name of the resources of ``kind``, enough to name ``wanted``.

    Served from a short-lived cache of ``list_names()`` (one light list), so
    naming a page of points, or one polled row, costs no call in the steady
    state and one call, whatever the counts, when an id is new to the cache.
    Ids that are gone are remembered as such.  Names may lag a rename by up to
    ``NAMES_TTL`` seconds.  The cache is the project's; every project's
    (``all_projects``) is the user's own.
    """
    scope = ('all:%s' % request.user.id) if all_projects else request.user.project_id
    key = 'protection_dashboard:%s_names:%s:%s' % (kind, request.user.services_region, scope)
    cached = cache.get(key)
    wanted = set(wanted)
    if cached is None or wanted - cached['names'].keys() - cached['absent']:
        names = list_names()
        absent = (cached['absent'] if cached else set()) | (wanted - names.keys())
        cached = {'names': names, 'absent': absent - names.keys()}
        cache.set(key, cached, NAMES_TTL)
    return cached['names']


def index_by_id(items: Iterable[Any]) -> dict[str, Any]:
    return {item.id: item for item in items}


def wrap_all(wrapper: type[APIResourceWrapper], items: Sequence[Any]) -> list[Any]:
    return [wrapper(item) for item in items]
