"""Response headers for a dashboard that shows a user's cloud data.

Add after Django's ``SecurityMiddleware`` (which sends ``nosniff`` and the
``Referrer-Policy``) in Horizon's ``MIDDLEWARE``.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers

#: What Horizon's own pages tolerate.  Horizon renders inline scripts and
#: event handlers, so a script policy would need 'unsafe-inline' and protect
#: nothing; these directives still forbid framing by other sites, plugins and
#: a rewritten base URL.
CONTENT_SECURITY_POLICY = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"


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
