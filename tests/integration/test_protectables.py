"""The Protectables loader against the real services: joins, paging, row loads.

Works on the seeded resources (``python3 -m localcloud seed``); the points of
a server (its server backups) are checked in ``test_server_backup_plugin.py``.
"""

from __future__ import annotations

import uuid

import pytest
from novaclient import exceptions as nova_exc

from protection_dashboard import api
from protection_dashboard.protection import base, protectables
from tests.integration import horizon_request
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.integration


@pytest.fixture
def demo(cloud_info):
    return horizon_request.login(cloud_info, 'demo')


def seeded(cloud_info, key):
    return cloud_info['seed'][key]['id']


def load_all(request):
    types = base.enabled_types(request)
    pages = protectables.load(request, types, all_projects=False, markers={}, limit=1000)
    return {page.resource_type.table_name: page for page in pages}


def test_every_type_is_enabled_and_joined_with_its_newest_point(demo, cloud_info):
    pages = load_all(demo)
    assert set(pages) == {'volumes', 'shares', 'servers'}
    for page in pages.values():
        assert not isinstance(page.page, Exception), page.page
        assert page.point_errors == []
    volumes = {v.id: v for v in pages['volumes'].page.items}
    snapshot = api.cinder.volume_snapshot_get(demo, seeded(cloud_info, 'snapshot'))
    newest = volumes[seeded(cloud_info, 'volume_available')].last_protected
    assert newest is not None and newest >= snapshot.created_at
    shares = {s.id: s for s in pages['shares'].page.items}
    assert shares[seeded(cloud_info, 'share_1')].last_protected is not None
    assert seeded(cloud_info, 'server') in {s.id for s in pages['servers'].page.items}


def test_a_row_load_matches_the_page(demo, cloud_info):
    volume_id = seeded(cloud_info, 'volume_available')
    page = {v.id: v for v in load_all(demo)['volumes'].page.items}
    one = protectables.load_one(horizon_request.fresh(demo),
                                base.resource_type('OS::Cinder::Volume'), volume_id)
    assert one.last_protected == page[volume_id].last_protected is not None


@pytest.fixture(scope='module')
def second_server(cloud_info):
    """The seed holds one server: paging needs two (deleted afterwards)."""
    nova = api.nova.novaclient(horizon_request.login(cloud_info, 'demo'))
    server = nova.servers.create('it-page-%s' % uuid.uuid4().hex[:6],
                                 seeded(cloud_info, 'image'), seeded(cloud_info, 'flavor'),
                                 nics='none')
    try:
        yield wait_status(lambda: nova.servers.get(server.id), {'ACTIVE'})
    finally:
        nova.servers.delete(server.id)
        wait_gone(lambda: nova.servers.get(server.id), nova_exc.NotFound)


@pytest.mark.parametrize('type_name', ['OS::Cinder::Volume', 'OS::Manila::Share',
                                       'OS::Nova::Server'])
def test_paging_one_at_a_time_walks_every_resource_once_and_back(demo, type_name,
                                                                 second_server):
    registered = base.resource_type(type_name)
    everything = registered.list_page(demo, all_projects=False, marker=None,
                                      prev_marker=None, limit=1000).items
    assert len(everything) >= 2, 'the seed holds at least two of each type'
    seen, pages, marker = [], [], None
    while True:
        page = registered.list_page(horizon_request.fresh(demo), all_projects=False,
                                    marker=marker, prev_marker=None, limit=1)
        assert len(page.items) == 1
        seen.append(page.items[0].id)
        pages.append(page)
        if page.next_marker is None:
            break
        marker = page.next_marker
    assert seen == [item.id for item in everything]
    back = registered.list_page(horizon_request.fresh(demo), all_projects=False, marker=None,
                                prev_marker=pages[-1].prev_marker, limit=1)
    assert [item.id for item in back.items] == [seen[-2]]


def test_volume_names_name_the_seeded_volumes(demo, cloud_info):
    names = api.cinder.volume_names(demo, {seeded(cloud_info, 'volume_available')})
    assert names[seeded(cloud_info, 'volume_available')] == 'seed-volume-available'

