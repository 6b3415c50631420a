"""The page frame of our pages: the header's project list from the session, the sidebar cached."""

import copy
import re
from unittest import mock

import horizon
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from keystoneclient.v3 import projects
from openstack_dashboard.test import helpers

from protection_dashboard import api
from protection_dashboard.api.base import Page
from protection_dashboard.content import page_frame
from protection_dashboard.protection import volume_backup

INDEX_URL = reverse('horizon:project:volume_snapshots:index')


def project(number, enabled=True, name=None):
    return projects.Project(None, {
        'id': 'p%d' % number, 'name': name or 'project-%d' % number, 'enabled': enabled,
        'domain_id': 'default', 'description': 'x' * 200, 'parent_id': 'default',
        'is_domain': False, 'tags': ['t'] * 10, 'options': {},
        'links': {'self': 'http://127.0.0.1:5000/v3/projects/p%d' % number}}, loaded=True)


PROJECTS = [project(1, name='demo'), project(2, enabled=False, name='other')]


class SessionProjectsTests(helpers.TestCase):

    def setUp(self):
        super().setUp()
        self._setup_user(authorized_tenants=None)  # openstack_auth asks Keystone for them

    def names(self, response):
        return [(project.name, project.enabled)
                for project in response.wsgi_request.user.authorized_tenants]

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_keystone_is_asked_once_per_session_until_the_list_is_old(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        with mock.patch('openstack_auth.utils.get_project_list',
                        return_value=PROJECTS) as listed, \
                mock.patch.object(page_frame.time, 'time', return_value=1000.0) as now:
            for _ in range(3):
                response = self.client.get(INDEX_URL)
                self.assertEqual(200, response.status_code)
                self.assertEqual([('demo', True), ('other', False)], self.names(response))
            self.assertEqual(1, listed.call_count)
            now.return_value += page_frame.PROJECTS_TTL
            self.client.get(INDEX_URL)
            self.assertEqual(2, listed.call_count)

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_a_failed_list_is_not_kept(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        with mock.patch('openstack_auth.utils.get_project_list',
                        return_value=[]) as listed:
            self.client.get(INDEX_URL)
            self.client.get(INDEX_URL)
        self.assertEqual(2, listed.call_count)

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_the_session_keeps_only_what_the_switcher_reads(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        with mock.patch('openstack_auth.utils.get_project_list', return_value=PROJECTS):
            self.client.get(INDEX_URL)
        kept = self.client.session[page_frame.SESSION_KEY]['projects']
        self.assertEqual([{'id': 'p1', 'name': 'demo', 'enabled': True},
                          {'id': 'p2', 'name': 'other', 'enabled': False}], kept)

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_a_long_list_is_not_kept_and_asked_every_time(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        many = [project(i) for i in range(page_frame.MAX_PROJECTS + 1)]
        with mock.patch('openstack_auth.utils.get_project_list',
                        return_value=PROJECTS) as listed, \
                mock.patch.object(page_frame.time, 'time', return_value=1000.0) as now:
            self.client.get(INDEX_URL)
            self.assertIn(page_frame.SESSION_KEY, self.client.session)
            listed.return_value = many  # the user was added to more projects meanwhile
            now.return_value += page_frame.PROJECTS_TTL
            for _ in range(2):
                response = self.client.get(INDEX_URL)
                self.assertEqual(len(many),
                                 len(response.wsgi_request.user.authorized_tenants))
        self.assertEqual(3, listed.call_count)
        self.assertNotIn(page_frame.SESSION_KEY, self.client.session)


#: A cache the compressor's entries do not evict the sidebar from (the default holds 300).
BIG_CACHE = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
                         'LOCATION': 'sidebar', 'OPTIONS': {'MAX_ENTRIES': 100000}}}
BACKUPS_URL = reverse('horizon:project:volume_backups:index')


def active_panel(response):
    """The href of the sidebar's active panel link."""
    html = response.content.decode()
    sidebar = html[html.index('<nav id="sidebar">'):]
    return re.search(r'<a class="[^"]*openstack-panel active"\s+href="([^"]+)"',
                     sidebar).group(1)


@override_settings(CACHES=BIG_CACHE)
class CachedSidebarTests(helpers.TestCase):
    """Our pages build Horizon's sidebar (every panel's checks) once per sign-in and panel."""

    def setUp(self):
        super().setUp()
        cache.clear()

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged',
                                        'volume_backup_list_paged']})
    def test_the_sidebar_is_built_once_per_panel_then_shown_from_the_cache(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        self.mock_volume_backup_list_paged.return_value = Page([])
        with mock.patch.object(horizon.Panel, 'can_access', autospec=True,
                               side_effect=horizon.Panel.can_access) as checked:
            first = self.client.get(INDEX_URL)
            built = checked.call_count
            again = self.client.get(INDEX_URL)
            self.assertEqual(built + 1, checked.call_count,
                             "the second page asked its own panel only (Horizon's view)")
            with mock.patch.object(volume_backup, 'backup_service', return_value=True):
                backups = self.client.get(BACKUPS_URL)
            self.assertGreater(checked.call_count, 2 * built, 'another panel: built again')
        self.assertGreater(built, 20)
        self.assertEqual([INDEX_URL, INDEX_URL, BACKUPS_URL],
                         [active_panel(page) for page in (first, again, backups)])

    @helpers.create_mocks({api.cinder: ['volume_snapshot_list_paged']})
    def test_another_sign_in_builds_its_own(self):
        self.mock_volume_snapshot_list_paged.return_value = Page([])
        with mock.patch.object(horizon.Panel, 'can_access', autospec=True,
                               side_effect=horizon.Panel.can_access) as checked:
            self.client.get(INDEX_URL)
            built = checked.call_count
            other = copy.copy(self.token)
            other.id = 'another-sign-in'
            self._setup_user(token=other)
            self.client.get(INDEX_URL)
        self.assertGreater(checked.call_count, built)
