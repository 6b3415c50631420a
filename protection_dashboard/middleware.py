"""Middleware for a dashboard that shows a user's cloud data.

``SecurityHeadersMiddleware``: response headers; add it after Django's
``SecurityMiddleware`` (which sends ``nosniff`` and the ``Referrer-Policy``) in
Horizon's ``MIDDLEWARE``.  ``ServiceUnavailableMiddleware``: a 503 page, not a 500,
when a service does not answer where Horizon does not handle it.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from keystoneauth1 import exceptions as ksa_exc

LOG = logging.getLogger(__name__)

#: What Horizon's own pages tolerate.  Horizon renders inline scripts and
#: event handlers, so a script policy would need 'unsafe-inline' and protect
#: nothing; these directives still forbid framing by other sites, plugins and
#: a rewritten base URL.
CONTENT_SECURITY_POLICY = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"
#: A service that does not answer (connection refused, timed out, no version document).
UNANSWERED = (ksa_exc.ConnectFailure, ksa_exc.ConnectTimeout, ksa_exc.DiscoveryFailure)
#: Seconds after which the 503 page suggests trying again.
RETRY_AFTER = 30


class SecurityHeadersMiddleware:
    """A content security policy on every page, and no caching of a signed-in user's pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault('Content-Security-Policy', CONTENT_SECURITY_POLICY)
        user = getattr(request, 'user', None)
        if user is not None and user.is_authenticated and 'Cache-Control' not in response:
            add_never_cache_headers(response)
        return response


class ServiceUnavailableMiddleware:
    """A page that a service does not answer for is a 503 that says so, not a 500.

    Horizon handles a failing service inside the views (an error banner), but its
    navigation asks Keystone on every page (Identity > Application Credentials)
    and does not catch a Keystone that does not answer.  The user stays signed
    in: the page works again once the service is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNANSWERED):
            return None
        LOG.warning('%s %s: a service does not answer: %s', request.method, request.path,
                    exception)
        # Without the request: Horizon's context processors would ask the services.
        response = HttpResponse(
            render_to_string('protection_dashboard/service_unavailable.html'), status=503)
        response['Retry-After'] = str(RETRY_AFTER)
        return response
