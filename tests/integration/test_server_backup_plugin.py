"""Server backup protection against the real Nova, Glance and Cinder of the local cloud.

The tests drive the plugin as the panel does: one request, then row polls
(``advance``) until the operation is over.  They boot their own server (on the
seeded network) with a volume attached; everything they make is named with
one unique prefix and deleted afterwards, whatever happened.  What a test
counts is only what carries that prefix or names its backup.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from django.test import override_settings
from glanceclient import exc as glance_exc

from protection_dashboard import api
from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.protection.steps import StepFailed
from tests.integration import horizon_request
from tests.integration.server_backups import Made
from tests.polling import wait_status, wait_until

pytestmark = pytest.mark.integration
PLUGIN = base.get('server_backup')
#: Volume backups and restores take 10-40 s on a loaded machine.
SLOW = 240


@pytest.fixture(scope='module')
def made(demo):
    found = Made(demo, 'it-sb-%s-' % uuid.uuid4().hex[:6])
    yield found
    found.delete_all()


@pytest.fixture(scope='module')
def server(made, cloud_info):
    """An image-booted server of this module on the seeded network, a volume attached."""
    nova, _glance, cinder = made.clients()
    created = made.boot_server(cloud_info,
                               nics=[{'net-id': cloud_info['seed']['network']['id']}])
    volume = cinder.volumes.create(size=1, name=made.prefix + 'data')
    wait_status(lambda: cinder.volumes.get(volume.id), 'available', 'volume')
    nova.volumes.create_server_volume(created.id, volume.id)
    wait_status(lambda: cinder.volumes.get(volume.id), 'in-use', 'attached volume')
    return api.nova.server_get(horizon_request.fresh(made.demo), created.id)


def fresh(made):
    """A request of its own, as each page and row poll has."""
    return horizon_request.fresh(made.demo)


def drive(made, record_id, done, what, timeout=SLOW):
    """Row polls (the backup, one step of its work) until ``done(backup)``; the backup."""
    deadline = time.monotonic() + timeout
    while True:
        request = fresh(made)
        backup = PLUGIN.get_point(request, record_id)
        if done(backup):
            return backup
        assert backup.status != records.ERROR_STATUS, backup.failure
        assert time.monotonic() < deadline, '%s: still %s after %ss' % (
            what, backup.status, timeout)
        PLUGIN.advance(request, backup)
        time.sleep(0.5)


def drive_until_gone(made, record_id, timeout=SLOW):
    deadline = time.monotonic() + timeout
    while True:
        request = fresh(made)
        try:
            PLUGIN.advance(request, PLUGIN.get_point(request, record_id))
        except glance_exc.HTTPNotFound:
            return
        assert time.monotonic() < deadline, 'backup %s still there' % record_id
        time.sleep(0.5)


def wait_until_idle(made, server_id):
    """Nova refuses a snapshot while the last one is still being uploaded."""
    deadline = time.monotonic() + SLOW
    while api.nova.server_get(fresh(made), server_id).task_state:
        assert time.monotonic() < deadline, 'server %s stays busy' % server_id
        time.sleep(0.3)


def refuse(*args, **kwargs):
    raise cinder_exc.BadRequest(400, message='refused')


def glance_refusing(calls: int):
    """``api.glance.image_update`` as a Glance that refuses its next ``calls`` writes."""
    real, left = api.glance.image_update, [calls]

    def update(*args, **kwargs):
        if left[0]:
            left[0] -= 1
            raise glance_exc.HTTPServiceUnavailable('refused')
        return real(*args, **kwargs)
    return update


def test_back_up_restore_with_the_volume_attached_and_delete(made, server, cloud_info,
                                                            monkeypatch):
    """The whole life of a backup with user data and a volume part (one backup: they
    take a while here)."""
    wait_until_idle(made, server.id)
    record = PLUGIN.protect(fresh(made), server.id, {
        'name': made.prefix + 'backup', 'enable_server_snapshot': True,
        'backup_volumes': True})
    backup = drive(made, record.id, lambda b: b.status == records.AVAILABLE, 'backup')

    # The record names everything a restore needs; the server image is Nova's, new.
    glance = api.glance.glanceclient_v2(fresh(made))
    properties = glance.images.get(record.id)
    assert (properties['status'], properties['os_hidden'], properties[records.SERVER_ID],
            properties[records.FLAVOR], properties[records.SOURCE_IMAGE],
            json.loads(properties[records.NETWORKS])) == (
        'queued', True, server.id, cloud_info['seed']['flavor']['name'],
        cloud_info['seed']['image']['id'], [cloud_info['seed']['network']['id']])
    image_part, volume_part = backup.record.parts
    snapshot = glance.images.get(image_part.id)
    assert (snapshot['status'], snapshot['instance_uuid'], snapshot[records.LINK]) == (
        'active', server.id, record.id)
    assert image_part.id != cloud_info['seed']['image']['id']
    assert (volume_part.volume_id, volume_part.root) == (server.attached_volume_ids[0], False)
    request = fresh(made)
    assert api.cinder.volume_backup_get(request, volume_part.id).metadata == {
        records.LINK: record.id}
    assert api.cinder.volume_get(request, volume_part.volume_id).status == 'in-use'
    assert backup.size > 1024 ** 3
    assert [p.id for p in PLUGIN.list_points(request, resource_id=server.id)] == [record.id]
    with_backup = made.count()

    # A restore whose attach fails: its new server and volume are removed, the step named.
    monkeypatch.setattr(api.nova, 'volume_attach', refuse)
    PLUGIN.restore(fresh(made), record.id, {'name': made.prefix + 'failed',
                                            'restore_volumes': True})
    backup = drive(made, record.id, lambda b: b.record.restore is None, 'failed restore')
    assert 'Attaching the volume of /dev/sdb failed: refused' in backup.record.restore_error
    assert made.count() == with_backup
    monkeypatch.undo()

    # A restore that Glance refuses to record: the new server is deleted at once, the
    # restored volume once Cinder lets go (by the row poll, from the failure recorded).
    monkeypatch.setattr(api.glance, 'image_update', glance_refusing(1))
    with pytest.raises(StepFailed, match='Recording the restore failed: refused'):
        PLUGIN.restore(fresh(made), record.id, {'name': made.prefix + 'unrecorded',
                                                'restore_volumes': True})
    monkeypatch.undo()
    backup = drive(made, record.id, lambda b: b.record.restore is None, 'unrecorded restore')
    assert 'Recording the restore failed: refused' in backup.record.restore_error
    assert made.count() == with_backup
    # Glance refusing the failure too: the new server is deleted all the same.
    monkeypatch.setattr(api.glance, 'image_update', glance_refusing(2))
    with pytest.raises(StepFailed, match='Recording the restore failed: refused'):
        PLUGIN.restore(fresh(made), record.id, {'name': made.prefix + 'unrecorded'})
    monkeypatch.undo()
    wait_until(lambda: made.count() == with_backup, SLOW, 'the unrecorded server deleted')

    # A new server booted from the server image, the volume restored and attached.
    new = PLUGIN.restore(fresh(made), record.id, {'name': made.prefix + 'restored',
                                                  'restore_volumes': True})
    drive(made, record.id,
          lambda b: b.status == records.AVAILABLE and b.record.restore is None, 'restore')
    restored = api.nova.server_get(fresh(made), new.id)
    assert (restored.status, restored.image_id, restored.metadata) == (
        'ACTIVE', image_part.id, {records.RESTORED_FROM: record.id})
    (attached,) = restored.attached_volume_ids
    assert api.cinder.volume_get(fresh(made), attached).name == made.prefix + 'restored-sdb'

    # Delete: every part, then the record; the restored server keeps its own volume.
    PLUGIN.delete(fresh(made), record.id)
    drive_until_gone(made, record.id)
    assert made.count() == dict(with_backup, servers=2, images=0, backups=0, volumes=2)


def test_a_protect_failing_half_way_leaves_nothing(made, server, monkeypatch):
    wait_until_idle(made, server.id)
    before = made.count()
    # The server image is made, then Cinder refuses the volume backup.
    monkeypatch.setattr(api.cinder, 'volume_backup_create', refuse)
    with pytest.raises(StepFailed, match=r'Backing up volume .* failed: refused') as failed:
        PLUGIN.protect(fresh(made), server.id, {
            'name': made.prefix + 'broken', 'enable_server_snapshot': True,
            'backup_volumes': True})
    if failed.value.pending:
        # The request could not remove everything (Glance busy with Nova's upload of
        # the server image): the row poll does, as on the panel.
        (record,) = made.records(made.clients()[1])
        drive_until_gone(made, record['id'])
    assert made.count() == before


def test_with_the_setting_off_the_backup_is_the_original_image(made, server, cloud_info):
    with override_settings(PROTECTION_DASHBOARD={'enable_server_snapshot': False}):
        record = PLUGIN.protect(fresh(made), server.id, {
            'name': made.prefix + 'plain', 'enable_server_snapshot': True})
    backup = PLUGIN.get_point(fresh(made), record.id)
    assert (backup.status, backup.record.parts, backup.record.user_data,
            backup.record.boot_image) == (
        'available', [], False, cloud_info['seed']['image']['id'])
    PLUGIN.delete(fresh(made), record.id)
    drive_until_gone(made, record.id)
    assert made.count()['images'] == 0
    assert api.glance.image_get(fresh(made), cloud_info['seed']['image']['id']).status == \
        'active'


def test_an_idle_server_is_offered_with_the_volume_backup_limits(made, server):
    """Nova's real server fields read as "no refusal"; Cinder's real limits name the
    volume backups' quotas shown beside the form of a server with a volume."""
    wait_until_idle(made, server.id)
    request = fresh(made)
    current = api.nova.server_get(request, server.id)
    assert (current.status, current.task_state, PLUGIN.protect_refusal(current)) == (
        'ACTIVE', None, None)
    usage = PLUGIN.quota_usage(request, current)
    assert [str(quota.label) for quota in usage] == ['Number of Backups', 'Backup Gibibytes']
    assert all(quota.used >= 0 and quota.limit != 0 for quota in usage), usage
