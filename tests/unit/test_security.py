"""Security headers, the 503 page of a service that does not answer, and one log line
(no traceback) for a handled 404."""

import logging
from unittest import mock

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from keystoneauth1 import exceptions as ksa_exc
from openstack_dashboard.test import helpers

from protection_dashboard.middleware import (
    CONTENT_SECURITY_POLICY,
    SecurityHeadersMiddleware,
    ServiceUnavailableMiddleware,
)


def headers_for(authenticated, response=None):
    request = RequestFactory().get('/')
    request.user = mock.Mock(is_authenticated=authenticated)
    middleware = SecurityHeadersMiddleware(lambda request: response or HttpResponse('page'))
    return middleware(request)


def test_a_signed_in_users_pages_are_never_stored():
    response = headers_for(True)
    assert 'no-store' in response['Cache-Control']
    assert response['Content-Security-Policy'] == CONTENT_SECURITY_POLICY


def test_anonymous_pages_keep_their_caching_and_own_headers_win():
    assert 'Cache-Control' not in headers_for(False)
    own = HttpResponse('x', headers={'Cache-Control': 'max-age=60',
                                     'Content-Security-Policy': "default-src 'self'"})
    response = headers_for(True, own)
    assert response['Cache-Control'] == 'max-age=60'
    assert response['Content-Security-Policy'] == "default-src 'self'"


class NotFoundLogTests(helpers.TestCase):

    def test_a_handled_404_is_one_log_line_without_traceback(self):
        # A malformed id: refused as a 404 before any client is built.
        url = reverse('horizon:project:volume_snapshots:detail', args=('snap.1',))
        with self.assertLogs('horizon.exceptions', level=logging.WARNING) as logs:
            response = self.client.get(url)
        self.assertEqual(302, response.status_code)
        self.assertEqual(1, len(logs.records))
        self.assertIsNone(logs.records[0].exc_info)


def test_a_service_that_does_not_answer_is_a_503_page_not_a_500():
    # Horizon's navigation asks Keystone on every page and lets its failure through.
    middleware = ServiceUnavailableMiddleware(lambda request: HttpResponse('page'))
    request = RequestFactory().get('/project/')
    for exc in (ksa_exc.ConnectFailure('refused'), ksa_exc.DiscoveryFailure('no document')):
        response = middleware.process_exception(request, exc)
        assert response.status_code == 503 and response['Retry-After'] == '30'
        assert b'You are still signed in' in response.content
    assert middleware.process_exception(request, ValueError('a bug')) is None
