"""The admin's snapshot import (manage) and export (unmanage) against the real Cinder.

The local cloud's file-backed driver lists, manages and unmanages snapshots.
Each test works on a volume and snapshots it creates as admin and removes
them afterwards, even when it fails: a snapshot left unmanaged is managed
back and deleted, so nothing of ours stays on the back end.
"""

from __future__ import annotations

import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from django.test import override_settings

from protection_dashboard import api
from protection_dashboard import exceptions as pd_exceptions
from protection_dashboard.content.admin_volume_snapshots.tables import join_manage_failures
from protection_dashboard.protection import base as protection_base
from tests.integration import horizon_request
from tests.integration.deletion import delete_created, manage_back, manageable_snapshots
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.integration
PLUGIN = protection_base.get('volume_snapshot')
SETTLED = PLUGIN.success_statuses | PLUGIN.failure_statuses


@pytest.fixture
def request_(admin):
    """A fresh request of admin's session (these tests act as the cloud admin)."""
    return horizon_request.fresh(admin)


@pytest.fixture
def host(cloud_info):
    return cloud_info['volume_backend_host'].partition('#')[0]


def unique(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def listed(request, host, reference):
    return next((item for item in manageable_snapshots(request, host)
                 if item.reference == reference), None)


@pytest.fixture
def created(admin, host):
    """Ids of what a test made, and (reference, volume id) of a snapshot it left
    unmanaged; removed afterwards, even on failure (the snapshot managed back first)."""
    made = {'snapshots': [], 'volumes': [], 'unmanaged': []}
    yield made
    request = horizon_request.fresh(admin)
    client = api.cinder.cinderclient(request)
    try:
        made['snapshots'].extend(manage_back(request, host, made['unmanaged']))
    finally:
        delete_created((
            (made['snapshots'], client.volume_snapshots, SETTLED, cinder_exc.NotFound),
            (made['volumes'], client.volumes, {'available', 'error'}, cinder_exc.NotFound)))


@pytest.fixture
def volume(request_, created):
    client = api.cinder.cinderclient(request_)
    made = client.volumes.create(size=1, name=unique('it-manage-vol'))
    created['volumes'].append(made.id)
    return wait_status(lambda: client.volumes.get(made.id), 'available', 'volume')


def test_manage_needs_3_8_and_it_is_negotiated(request_, admin, host):
    assert api.cinder.supports(request_, 'manage_snapshots'), api.cinder.api_version(request_)
    with override_settings(PROTECTION_DASHBOARD={'max_microversions': {'cinder': '3.7'}}):
        capped = horizon_request.fresh(admin)
        with pytest.raises(pd_exceptions.UnsupportedVersion):
            api.cinder.manageable_snapshot_page(capped, host)
    assert host in api.cinder.volume_backend_hosts(request_)


def test_unmanage_list_and_manage_back(request_, host, volume, created):
    client = api.cinder.cinderclient(request_)
    snapshot = client.volume_snapshots.create(volume.id, name=unique('it-manage-snap'))
    created['snapshots'].append(snapshot.id)
    snapshot = wait_status(lambda: client.volume_snapshots.get(snapshot.id), 'available')
    reference = {'source-name': 'snapshot-%s' % snapshot.id}

    api.cinder.volume_snapshot_unmanage(request_, snapshot.id)
    created['unmanaged'].append((reference, volume.id))
    wait_gone(lambda: client.volume_snapshots.get(snapshot.id), cinder_exc.NotFound)

    found = listed(request_, host, reference)
    assert found.safe_to_manage and not found.cinder_id
    assert found.size == snapshot.size
    assert volume.id in found.source_value
    # Cinder's own markers, around ours (others' snapshots come and go meanwhile).
    after = api.cinder.manageable_snapshot_page(request_, host, marker=found.id, limit=2)
    before = api.cinder.manageable_snapshot_page(request_, host, prev_marker=found.id,
                                                 limit=2)
    assert all(item.ref_value > found.ref_value for item in after.items)
    assert all(item.ref_value < found.ref_value for item in before.items)
    if after.items:
        assert after.prev_marker == after.items[0].id
    if before.items:
        assert before.next_marker == before.items[-1].id

    name = unique('it-managed')
    managed = api.cinder.volume_snapshot_manage(request_, volume.id, reference, name=name,
                                                description='imported',
                                                metadata={'origin': 'test'})
    created['snapshots'].append(managed.id)
    created['unmanaged'].clear()
    managed = wait_status(lambda: api.cinder.volume_snapshot_get(request_, managed.id),
                          'available', 'managed snapshot')
    assert (managed.name, managed.size, managed.volume_id) == (name, snapshot.size, volume.id)
    assert managed.metadata['origin'] == 'test'
    assert api.cinder.manage_reference(managed) == reference
    assert listed(request_, host, reference) is None


def test_unknown_volume_is_a_404(request_):
    name = unique('it-no-volume')
    with pytest.raises(cinder_exc.NotFound) as refused:
        api.cinder.volume_snapshot_manage(request_, str(uuid.uuid4()),
                                          {'source-name': 'snapshot-x'}, name=name)
    assert 'could not be found' in refused.value.message
    assert not api.cinder.volume_snapshot_list(
        request_, search_opts={'name': name, 'all_tenants': True})


def test_bad_reference_turns_error_with_its_reason_then_unmanages(request_, volume, created):
    reference = {'source-name': unique('no-such-snapshot')}
    snapshot = api.cinder.volume_snapshot_manage(request_, volume.id, reference,
                                                 name=unique('it-bad-ref'))
    created['snapshots'].append(snapshot.id)
    snapshot = wait_status(lambda: api.cinder.volume_snapshot_get(request_, snapshot.id),
                           SETTLED, 'managed snapshot')
    assert snapshot.status == 'error'
    join_manage_failures([snapshot])
    assert 'Cinder could not manage "source-name: %s"' % reference['source-name'] in (
        snapshot.manage_failure)

    api.cinder.volume_snapshot_unmanage(request_, snapshot.id)
    wait_gone(lambda: api.cinder.volume_snapshot_get(request_, snapshot.id),
              cinder_exc.NotFound)
