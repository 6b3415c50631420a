"""The service layer at the HTTP boundary: endpoints, version discovery, negotiation."""

from unittest import mock

import pytest
import requests_mock
from django.test import override_settings
from novaclient.api_versions import APIVersion
from openstack_auth import utils as auth_utils
from openstack_dashboard.test import helpers

from protection_dashboard.api import base, cinder, glance, manila, microversions, nova

CINDER_URL = 'http://cinder.example:8776/v3/tenant'
VERSION_DOC = {'versions': [{'id': 'v3.0', 'status': 'CURRENT', 'min_version': '3.0',
                             'version': '3.70'}]}


@pytest.fixture(autouse=True)
def _fresh_version_cache():
    base._version_cache.clear()
    yield
    base._version_cache.clear()


@pytest.mark.parametrize(('endpoint', 'expected'), [
    ('http://h:8776/v3/abc', ('http://h:8776/', 'v3')),
    ('http://h/volume/v3/abc/', ('http://h/volume/', 'v3')),
    ('http://h:8786/v2', ('http://h:8786/', 'v2')),
    ('http://h:8774/v2.1', ('http://h:8774/', 'v2.1')),
    ('http://h:9292', ('http://h:9292/', None)),
])
def test_split_endpoint(endpoint, expected):
    assert base._split_endpoint(endpoint) == expected


NOVA_DOC = {'versions': [
    {'id': 'v2.0', 'version': '', 'min_version': ''},
    {'id': 'v2.1', 'version': '2.96', 'min_version': '2.1'}]}
MANILA_DOC = {'versions': [
    {'id': 'v1.0', 'version': '', 'min_version': ''},
    {'id': 'v2.0', 'version': '2.91', 'min_version': '2.0'}]}


@pytest.mark.parametrize(('body', 'version_id', 'expected'), [
    (VERSION_DOC, 'v3', ('3.0', '3.70')),
    (NOVA_DOC, 'v2.1', ('2.1', '2.96')),
    (NOVA_DOC, 'v2', None),
    (MANILA_DOC, 'v2', ('2.0', '2.91')),
    ({'version': {'id': 'v2.1', 'version': '2.96', 'min_version': '2.1'}}, 'v2.1',
     ('2.1', '2.96')),
    ({'versions': [{'id': 'v2.0', 'version': '', 'min_version': ''}]}, None, None),
])
def test_parse_version_document(body, version_id, expected):
    assert base._parse_version_document(body, version_id) == expected


def test_version_range_is_cached_per_endpoint(rf):
    request = rf.get('/')
    with requests_mock.Mocker() as http:
        http.get('http://cinder.example:8776/', json=VERSION_DOC)
        assert base.server_version_range(request, CINDER_URL) == ('3.0', '3.70')
        assert base.server_version_range(request, CINDER_URL) == ('3.0', '3.70')
        assert http.call_count == 1


@pytest.mark.parametrize(('client_max', 'cap', 'expected'), [
    ('3.71', None, '3.70'),      # server is older than the library
    ('3.60', None, '3.60'),      # library is older than the server
    ('3.71', '3.65', '3.65'),    # operator's cap wins
])
def test_negotiate_version(rf, client_max, cap, expected):
    options = {'max_microversions': {'cinder': cap}} if cap else {}
    with requests_mock.Mocker() as http, override_settings(PROTECTION_DASHBOARD=options):
        http.get('http://cinder.example:8776/', json=VERSION_DOC)
        assert base.negotiate_version(rf.get('/'), 'cinder', CINDER_URL, client_max) == expected


def test_feature_table():
    assert microversions.supports('cinder', 'snapshot_in_use_implied', '3.66')
    assert not microversions.supports('cinder', 'snapshot_in_use_implied', '3.65')
    assert microversions.as_tuple('3.9') < microversions.as_tuple('3.10')


class ClientTests(helpers.TestCase):
    """Clients come from the catalog of Horizon's test user, service types in order."""

    def setUp(self):
        super().setUp()
        self.request.user = auth_utils.get_user(self.request)

    def test_cinder_endpoint_from_catalog_and_negotiated_version(self):
        endpoint = base.endpoint_for(self.request, 'cinder')
        self.assertIn('8776', endpoint)
        with requests_mock.Mocker() as http:
            http.get(base._split_endpoint(endpoint)[0], json=VERSION_DOC)
            client = cinder.cinderclient(self.request)
        self.assertEqual('3.70', client.api_version.get_string())

    def test_snapshot_list_sends_token_and_microversion(self):
        endpoint = base.endpoint_for(self.request, 'cinder')
        with requests_mock.Mocker() as http:
            http.get(base._split_endpoint(endpoint)[0], json=VERSION_DOC)
            listing = http.get(endpoint + '/snapshots/detail', json={'snapshots': [
                {'id': 's1', 'name': 'one', 'volume_id': 'v1', 'status': 'available',
                 'size': 1, 'created_at': '2026-01-01T00:00:00'}]})
            page = cinder.volume_snapshot_list_paged(self.request, limit=20)
        self.assertEqual(['s1'], [s.id for s in page.items])
        self.assertIsNone(page.next_marker)
        sent = listing.last_request
        self.assertEqual(self.request.user.token.id, sent.headers['X-Auth-Token'])
        self.assertEqual('volume 3.70', sent.headers['OpenStack-API-Version'])
        self.assertEqual(['21'], sent.qs['limit'])

    def test_nova_speaks_the_newest_version_of_the_installed_library(self):
        endpoint = base.endpoint_for(self.request, 'nova')
        root = base._split_endpoint(endpoint)[0]
        newer_server = {'versions': [{'id': 'v2.0', 'version': '2.200',
                                      'min_version': '2.1'}]}
        with requests_mock.Mocker() as http, \
                mock.patch.object(nova, 'API_MAX_VERSION', APIVersion('2.90')):
            http.get(root, json=newer_server)
            client = nova.novaclient(self.request)
        self.assertEqual('2.90', client.api_version.get_string())

    def test_glance_reads_its_image_schema_once_for_every_request(self):
        endpoint = base.endpoint_for(self.request, 'glance').rstrip('/')
        image = {'id': 'img-1', 'name': 'one', 'status': 'active'}
        glance._schema_cache.clear()
        with requests_mock.Mocker() as http:
            schema = http.get(endpoint + '/v2/schemas/image', json={
                'name': 'image', 'properties': {'id': {}, 'name': {}, 'status': {}},
                'additionalProperties': {'type': 'string'}})
            http.get(endpoint + '/v2/images/img-1', json=image)
            for _ in range(2):  # two requests, two clients
                request = self.factory.get('/')
                request.user, request.session = self.request.user, self.request.session
                self.assertEqual('one', glance.image_get(request, 'img-1').name)
        self.assertEqual(1, schema.call_count)
        glance._schema_cache.clear()

    def test_missing_service_raises_service_unavailable(self):
        self.request.user.service_catalog = [
            s for s in self.request.user.service_catalog if s['type'] != 'sharev2']
        with self.assertRaises(base.ServiceUnavailable):
            manila.manilaclient(self.request)
