"""Volume backup protection against the real Cinder and cinder-backup of the local cloud.

The local cloud's file-backed driver keeps a volume as the file
``<cinder_volumes_dir>/volume-<id>``: the tests write known bytes there and
compare what a restore brings back.  Backups take seconds each, so each test
makes as few as its point needs.  Everything created is deleted afterwards;
the seeded attached volume is left in-use.
"""

from __future__ import annotations

import hashlib
import os
import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from django.core.cache import cache

from protection_dashboard import api
from protection_dashboard.protection import base as protection_base
from protection_dashboard.protection import volume_backup
from tests.integration import horizon_request
from tests.integration.deletion import delete_created
from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.integration
PLUGIN = protection_base.get('volume_backup')
MiB = 1024 * 1024
#: Names Cinder gives the temporary snapshot or volume of a non-disruptive backup.
TEMPORARY_PREFIXES = ('backup-snap-', 'backup-vol-')
BACKUP_DONE = PLUGIN.success_statuses | PLUGIN.failure_statuses


@pytest.fixture
def cleanup(demo):
    """Register backup/volume ids; deleted (backups newest first) after the test."""
    created = {'backups': [], 'volumes': []}
    yield created
    client = api.cinder.cinderclient(horizon_request.fresh(demo))
    delete_created((
        (reversed(created['backups']), client.backups, BACKUP_DONE, cinder_exc.NotFound),
        (created['volumes'], client.volumes, {'available', 'error'}, cinder_exc.NotFound)))


def volume_file(cloud_info, volume_id: str) -> str:
    return os.path.join(cloud_info['cinder_volumes_dir'], 'volume-%s' % volume_id)


def write_bytes(cloud_info, volume_id: str, offset: int, data: bytes) -> None:
    with open(volume_file(cloud_info, volume_id), 'r+b') as f:
        f.seek(offset)
        f.write(data)


def digest(cloud_info, volume_id: str, size_gib: int = 1) -> str:
    """The hash of what a volume of ``size_gib`` reads as (zeros past the file's end).

    A restore may leave the file shorter than the volume (cinder-backup skips
    trailing zeros): a block device would read zeros there.
    """
    sha = hashlib.sha256()
    left = size_gib * 1024 * MiB
    with open(volume_file(cloud_info, volume_id), 'rb') as f:
        while left and (chunk := f.read(min(16 * MiB, left))):
            sha.update(chunk)
            left -= len(chunk)
    while left:
        zeros = bytes(min(16 * MiB, left))
        sha.update(zeros)
        left -= len(zeros)
    return sha.hexdigest()


def new_volume(request, cleanup, prefix='it-bvol'):
    client = api.cinder.cinderclient(request)
    created = client.volumes.create(size=1, name='%s-%s' % (prefix, uuid.uuid4().hex[:8]))
    cleanup['volumes'].append(created.id)
    return wait_status(lambda: client.volumes.get(created.id), {'available'}, 'volume')


def protect(request, volume_id, cleanup, **options):
    backup = PLUGIN.protect(request, volume_id, dict(
        {'name': 'it-backup-%s' % uuid.uuid4().hex[:8]}, **options))
    cleanup['backups'].append(backup.id)
    return wait_status(lambda: api.cinder.volume_backup_get(request, backup.id),
                       PLUGIN.success_statuses, 'backup')


def restore(request, backup_id, cleanup, options, new=False):
    restored = PLUGIN.restore(request, backup_id, options)
    if new:
        cleanup['volumes'].append(restored.id)
    wait_status(lambda: api.cinder.volume_backup_get(request, backup_id),
                PLUGIN.success_statuses, 'backup after restore')
    return wait_status(lambda: api.cinder.volume_get(request, restored.id), {'available'},
                       'restored volume')


def temporary_leftovers(request) -> list[str]:
    client = api.cinder.cinderclient(request)
    names = [v.name or '' for v in client.volumes.list()]
    names += [s.name or '' for s in client.volume_snapshots.list()]
    return [name for name in names if name.startswith(TEMPORARY_PREFIXES)]


def test_backup_service_is_found_by_admin_and_remembered_for_demo(cloud_info, request_):
    cache.clear()
    assert api.cinder.backup_service_enabled(request_, ask=False) is None
    with pytest.raises(cinder_exc.Forbidden):
        api.cinder.cinderclient(request_).services.list(binary='cinder-backup')
    admin = horizon_request.login(cloud_info, 'admin')
    assert api.cinder.backup_service_enabled(admin) is True
    assert api.cinder.backup_service_enabled(request_, ask=False) is True


def test_full_incremental_restore_new_and_into_existing_delete(cloud_info, request_, cleanup):
    source = new_volume(request_, cleanup)
    first = os.urandom(MiB)
    write_bytes(cloud_info, source.id, 0, first)
    at_full = digest(cloud_info, source.id)
    assert not PLUGIN.can_increment(request_, source.id)

    full = protect(request_, source.id, cleanup, description='full', container='it-backups')
    assert (full.volume_id, full.is_incremental, full.container) == (
        source.id, False, 'it-backups')
    assert PLUGIN.can_increment(request_, source.id)

    write_bytes(cloud_info, source.id, 300 * MiB, os.urandom(MiB))
    at_incremental = digest(cloud_info, source.id)
    assert at_incremental != at_full
    incremental = protect(request_, source.id, cleanup, incremental=True)
    assert incremental.is_incremental
    siblings = PLUGIN.list_points(request_)
    assert PLUGIN.parent_of_incremental(incremental, siblings).id == full.id
    assert api.cinder.volume_backup_get(request_, full.id).has_dependent_backups

    # The newest point: a new volume holds exactly the source's bytes.
    choices = dict(PLUGIN.restore_choices(request_, incremental.id)['volume_id'])
    assert '' in choices and source.id in choices
    restored = restore(request_, incremental.id, cleanup, {'name': 'it-restored'}, new=True)
    assert restored.name == 'it-restored'
    assert digest(cloud_info, restored.id) == at_incremental

    # The full backup over an existing volume: its old data is gone.
    target = new_volume(request_, cleanup, 'it-target')
    write_bytes(cloud_info, target.id, 0, b'old data' * 1000)
    restore(request_, full.id, cleanup, {'volume_id': target.id})
    assert digest(cloud_info, target.id) == at_full

    for backup in (incremental, full):
        PLUGIN.delete(request_, backup.id)
        wait_gone(lambda b=backup: api.cinder.volume_backup_get(request_, b.id),
                  cinder_exc.NotFound)


def test_in_use_volume_needs_force_and_stays_attached(cloud_info, request_, cleanup):
    attached_id = cloud_info['seed']['volume_attached']['id']
    assert api.cinder.volume_get(request_, attached_id).status == 'in-use'

    with pytest.raises(cinder_exc.BadRequest) as refused:
        PLUGIN.protect(request_, attached_id, {'name': 'it-no-force'})
    assert PLUGIN.explain_refusal(refused.value) == str(volume_backup.FORCE_NEEDED)
    assert not [b for b in PLUGIN.list_points(request_, resource_id=attached_id)
                if b.name == 'it-no-force']
    assert api.cinder.volume_get(request_, attached_id).status == 'in-use'

    backup = protect(request_, attached_id, cleanup, force=True)
    assert backup.volume_id == attached_id
    wait_status(lambda: api.cinder.volume_get(request_, attached_id), {'in-use'},
                'attached volume after the backup')
    assert temporary_leftovers(request_) == []

    PLUGIN.delete(request_, backup.id)
    wait_gone(lambda: api.cinder.volume_backup_get(request_, backup.id), cinder_exc.NotFound)
    assert api.cinder.volume_get(request_, attached_id).status == 'in-use'
