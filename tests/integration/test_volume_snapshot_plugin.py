"""Volume snapshot protection against the real Cinder of the local cloud.

Each test works on volumes and snapshots it creates (or the seeded attached
volume, which it leaves as it was) and deletes what it created.
"""

from __future__ import annotations

import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from django.test import override_settings

from protection_dashboard import api
from protection_dashboard.protection import base as protection_base
from tests.integration import horizon_request
from tests.integration.deletion import delete_created
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.integration
PLUGIN = protection_base.get('volume_snapshot')
BELOW_3_66 = {'max_microversions': {'cinder': '3.65'}}


@pytest.fixture
def cleanup(demo):
    """Register snapshot/volume ids; deleted (snapshots first) after the test."""
    created = {'snapshots': [], 'volumes': []}
    yield created
    client = api.cinder.cinderclient(horizon_request.fresh(demo))
    delete_created((
        (created['snapshots'], client.volume_snapshots, PLUGIN.deletable_statuses,
         cinder_exc.NotFound),
        (created['volumes'], client.volumes, {'available', 'error'}, cinder_exc.NotFound)))


@pytest.fixture
def volume(request_, cleanup):
    client = api.cinder.cinderclient(request_)
    created = client.volumes.create(size=1, name='it-vol-%s' % uuid.uuid4().hex[:8])
    cleanup['volumes'].append(created.id)
    return wait_status(lambda: client.volumes.get(created.id), {'available'})


def protect(request, volume_id, cleanup, force=False):
    snapshot = PLUGIN.protect(request, volume_id, {
        'snapshot_name': 'it-snap-%s' % uuid.uuid4().hex[:8], 'description': 'integration',
        'force': force})
    cleanup['snapshots'].append(snapshot.id)
    return wait_status(lambda: api.cinder.volume_snapshot_get(request, snapshot.id),
                    PLUGIN.success_statuses | PLUGIN.failure_statuses)


def test_newest_microversion_is_negotiated(request_):
    version = api.cinder.api_version(request_)
    assert api.cinder.supports(request_, 'snapshot_in_use_implied'), version


def test_protect_restore_delete_available_volume(request_, volume, cleanup):
    snapshot = protect(request_, volume.id, cleanup)
    assert snapshot.status == 'available'
    assert PLUGIN.status_state(snapshot.status) is True
    assert snapshot.volume_id == volume.id

    restored = PLUGIN.restore(request_, snapshot.id, {'restore_name': 'it-restored'})
    cleanup['volumes'].append(restored.id)
    restored = wait_status(lambda: api.cinder.volume_get(request_, restored.id), {'available'})
    assert restored.name == 'it-restored'
    assert restored.size == snapshot.size
    assert restored.snapshot_id == snapshot.id

    PLUGIN.delete(request_, snapshot.id)
    wait_gone(lambda: api.cinder.volume_snapshot_get(request_, snapshot.id), cinder_exc.NotFound)


def test_protect_in_use_volume_at_newest_needs_no_force(request_, attached_volume, cleanup):
    snapshot = protect(request_, attached_volume.id, cleanup, force=False)
    assert snapshot.status == 'available'


@override_settings(PROTECTION_DASHBOARD=BELOW_3_66)
def test_protect_below_3_66(demo, volume, attached_volume, cleanup):
    request = horizon_request.fresh(demo)
    assert api.cinder.api_version(request) == '3.65'
    assert not api.cinder.supports(request, 'snapshot_in_use_implied')
    assert protect(request, volume.id, cleanup).status == 'available'
    with pytest.raises(cinder_exc.BadRequest) as refused:
        protect(request, attached_volume.id, cleanup, force=False)
    assert 'in-use' in refused.value.message
    assert protect(request, attached_volume.id, cleanup, force=True).status == 'available'


def test_error_snapshot_is_a_failure_and_can_be_deleted(cloud_info, volume, cleanup):
    """A snapshot managed with a bad reference ends in ``error``; delete still works."""
    admin = horizon_request.login(cloud_info, 'admin')
    client = api.cinder.cinderclient(admin)
    managed = client.volume_snapshots.manage(
        volume.id, {'source-name': 'no-such-snapshot-%s' % uuid.uuid4().hex[:8]},
        name='it-bad-ref')
    snapshot = wait_status(lambda: client.volume_snapshots.get(managed.id),
                        PLUGIN.success_statuses | PLUGIN.failure_statuses)
    assert snapshot.status == 'error'
    assert PLUGIN.status_state(snapshot.status) is False
    assert PLUGIN.can_delete(snapshot.status)
    PLUGIN.delete(horizon_request.fresh(admin), snapshot.id)
    wait_gone(lambda: client.volume_snapshots.get(managed.id), cinder_exc.NotFound)
