"""Server backup schedules on the local cloud's Mistral, Nova and Glance.

A schedule of an image-booted or a volume-booted server is made as the
schedule form makes it (the generated workflow, ``api.mistral.schedule_create``)
and run now; its runs make server images, volume backups and records through
mistral-extra's own nova.*, glance.* and cinder.* actions, read back here
through the dashboard's service layer. The tests boot their own servers;
everything they make carries one name prefix and is deleted afterwards, the
schedules first.
"""

from __future__ import annotations

import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from mistralclient.api import base as mistral_base

from protection_dashboard import api
from protection_dashboard.content.protection_schedules import forms as schedule_forms
from protection_dashboard.protection import base
from protection_dashboard.protection import server_backup_record as records
from protection_dashboard.protection.server_backup_schedule import RUN
from protection_dashboard.schedules import retention, workflow
from tests.integration import horizon_request
from tests.integration.server_backups import Made
from tests.integration.test_protection_schedules import finished_run, run_now
from tests.polling import wait_gone, wait_status, wait_until

pytestmark = pytest.mark.integration
PLUGIN = base.get('server_backup')
NOT_SOON = '0 0 1 1 *'


@pytest.fixture(scope='module')
def made(demo, cloud_info):
    """The test's server (``made.server``), booted from the cloud's image; after the
    tests, their schedules, then every server, image and record of the prefix."""
    found = Made(demo, 'it-ssch-%s-' % uuid.uuid4().hex[:6])
    found.schedules = []
    try:
        found.boot = lambda name: boot(found, cloud_info, name)
        found.server = found.boot('server')
        yield found
    finally:
        request = horizon_request.fresh(demo)
        for schedule_id in found.schedules:
            try:
                api.mistral.schedule_delete(request, schedule_id)
            except mistral_base.APIException as exc:
                assert exc.error_code == 404, exc
        found.delete_all()


def boot(made, cloud_info, name):
    """A server ``<prefix><name>`` from the cloud's image, without network, once ACTIVE."""
    nova, glance, _cinder = made.clients()
    image = next(iter(glance.images.list(filters={'name': cloud_info['image']})))
    flavor = nova.flavors.find(name=cloud_info['flavor'])
    created = nova.servers.create(made.prefix + name, image['id'], flavor.id, nics='none')
    return wait_status(lambda: nova.servers.get(created.id), 'ACTIVE', 'server')


def boot_from_volume(made, cloud_info, name):
    """A server ``<prefix><name>`` booted from a new empty volume ``<prefix><name>-root``
    (the local cloud cannot copy an image into a volume; its fake driver reads none),
    without network, once ACTIVE."""
    nova, _glance, cinder = made.clients()
    volume = cinder.volumes.create(1, name=made.prefix + name + '-root')
    wait_status(lambda: cinder.volumes.get(volume.id), 'available', 'root volume')
    cinder.volumes.set_bootable(volume, True)
    flavor = nova.flavors.find(name=cloud_info['flavor'])
    created = nova.servers.create(made.prefix + name, None, flavor.id, nics='none',
                                  block_device_mapping_v2=[{
                                      'uuid': volume.id, 'source_type': 'volume',
                                      'destination_type': 'volume', 'boot_index': 0,
                                      'delete_on_termination': False}])
    return wait_status(lambda: nova.servers.get(created.id), 'ACTIVE', 'server')


def root_of(server):
    (root,) = [attached['id'] for attached in
               getattr(server, 'os-extended-volumes:volumes_attached')]
    return root


def attach_volume(made, server, name):
    """A new volume ``<prefix><name>`` attached to ``server``, once in use."""
    nova, _glance, cinder = made.clients()
    volume = cinder.volumes.create(1, name=made.prefix + name)
    wait_status(lambda: cinder.volumes.get(volume.id), 'available', 'volume')
    nova.volumes.create_server_volume(server.id, volume.id)
    return wait_status(lambda: cinder.volumes.get(volume.id), 'in-use', 'attached volume')


def make_schedule(request, made, resources, keep_newest=1, *, snapshot=True, volumes=False):
    """A server backup schedule as the form makes it, named with the test's prefix, with
    the form's two options (``enable_server_snapshot``, ``backup_volumes``)."""
    schedule_id = api.mistral.new_schedule_id()
    made.schedules.append(schedule_id)
    name = made.prefix + 'schedule'
    rule = retention.Retention(keep_newest=keep_newest)
    options = {**schedule_forms.point_options(PLUGIN, name),
               'enable_server_snapshot': snapshot, 'backup_volumes': volumes}
    api.mistral.schedule_create(
        request, schedule_id, workflow.definition(PLUGIN, schedule_id, rule), NOT_SOON,
        workflow.workflow_input(PLUGIN, resources, options,
                                {'name': name, 'resource_type': PLUGIN.resource_type,
                                 'plugin': PLUGIN.name, 'keep_newest': keep_newest}))
    return schedule_id


def scheduled(request, schedule_id):
    """The schedule's server backups as the Server Backups panel lists them, oldest first."""
    page = PLUGIN.list_page(request, all_projects=False, filters={}, marker=None,
                            prev_marker=None, limit=100)
    return sorted((backup for backup in page.items
                   if retention.schedule_of(backup) == schedule_id),
                  key=lambda backup: (backup.created_at, backup.id))


def images_of_run(glance, run_id):
    return [image['id'] for hidden in (True, False)
            for image in glance.images.list(filters={RUN: run_id, 'os_hidden': hidden})]


def test_runs_back_up_the_server_and_its_volume_and_keep_the_newest_and_the_hand_made(
        request_, made):
    volume = attach_volume(made, made.server, 'data')
    schedule_id = make_schedule(request_, made, [made.server.id], volumes=True)
    first = run_now(request_, schedule_id)
    assert first.state == 'SUCCESS', first.state_info
    (backup,) = scheduled(request_, schedule_id)
    assert backup.status == records.AVAILABLE and backup.name == made.prefix + 'schedule'
    assert backup.server_id == made.server.id
    assert backup.record.user_data and backup.record.boot == records.BOOT_IMAGE
    assert backup.description == 'Made by the protection schedule %sschedule.' % made.prefix
    assert backup.parts_summary() == 'server image + 1 volume backup'
    image_part, volume_part = backup.live_parts
    assert image_part.part.is_image and image_part.resource.status == 'active'
    assert image_part.resource.prop(records.LINK) == backup.id
    # The attached volume's backup, recorded as a hand-made backup records it.
    assert (volume_part.part.kind, volume_part.part.volume_id, volume_part.part.volume_name,
            volume_part.part.root) == (records.VOLUME_KIND, volume.id, volume.name, False)
    assert volume_part.resource.status == 'available'
    assert volume_part.resource.metadata == {records.LINK: backup.id, RUN: first.id}
    assert volume_part.resource.name == made.prefix + 'schedule (%s)' % (
        volume_part.part.device)
    cinder = api.cinder.cinderclient(request_)
    assert cinder.volumes.get(volume.id).status == 'in-use'
    # The Protectables join and the schedules' point counts read the same tag.
    assert [point.id for point in PLUGIN.list_points(request_, resource_id=made.server.id)
            if retention.schedule_of(point) == schedule_id] == [backup.id]

    hand_made = PLUGIN.protect(request_, made.server.id, {
        'name': made.prefix + 'hand', 'enable_server_snapshot': True})
    wait_status(lambda: PLUGIN.get_point(horizon_request.fresh(request_), hand_made.id),
                records.AVAILABLE, 'hand-made server backup')

    second = run_now(request_, schedule_id)
    assert second.state == 'SUCCESS', second.state_info
    (newer,) = scheduled(request_, schedule_id)
    assert newer.id != backup.id and newer.status == records.AVAILABLE
    glance = api.glance.glanceclient_v2(request_)
    assert not images_of_run(glance, first.id), 'the older backup and its image are gone'
    # The run deleted the older record only once Cinder had deleted its backup.
    with pytest.raises(cinder_exc.NotFound):
        cinder.backups.get(volume_part.part.id)
    assert [live.status for live in newer.live_parts] == [records.AVAILABLE] * 2
    assert PLUGIN.get_point(request_, hand_made.id).status == records.AVAILABLE


def test_without_server_snapshots_a_run_records_the_original_image(request_, made):
    schedule_id = make_schedule(request_, made, [made.server.id], snapshot=False)
    run = run_now(request_, schedule_id)
    assert run.state == 'SUCCESS', run.state_info
    (backup,) = scheduled(request_, schedule_id)
    assert backup.status == records.AVAILABLE and backup.live_parts == []
    # What a hand-made backup without user data records: no server image (and, without
    # backup_volumes, no backup of the attached volume), the original image.
    assert (backup.record.user_data, backup.record.boot, backup.record.source_image) == (
        False, records.BOOT_IMAGE, made.server.image['id'])
    assert backup.record.parts_recorded and backup.parts_summary() == 'original image'
    glance = api.glance.glanceclient_v2(request_)
    assert not list(glance.images.list(filters={RUN: run.id})), 'no server image'


def test_a_failed_run_removes_what_it_made_and_deletes_nothing(request_, made, admin_session,
                                                               nova_client):
    schedule_id = make_schedule(request_, made, [made.server.id])
    kept = run_now(request_, schedule_id)
    assert kept.state == 'SUCCESS', kept.state_info
    (backup,) = scheduled(request_, schedule_id)

    # A second server Nova refuses to snapshot (in ERROR): the first one's image
    # is made, then removed, and the run fails before retention.
    refused = made.boot('refused')
    nova_client(admin_session).servers.reset_state(refused.id, 'error')
    client = api.mistral.mistralclient(request_)
    schedule = api.mistral.schedule_get(request_, schedule_id)
    run = client.executions.create(
        schedule.workflow_name,
        workflow_input={**schedule.workflow_input, 'resources': [made.server.id, refused.id]})
    failed = finished_run(request_, schedule_id, run.id)
    assert failed.state == 'ERROR'
    assert 'createImage' in (failed.error or ''), failed.state_info
    assert not images_of_run(api.glance.glanceclient_v2(request_), failed.id)
    assert [point.id for point in scheduled(request_, schedule_id)] == [backup.id]


def test_runs_back_up_a_volume_booted_servers_root_volume_and_keep_the_newest(
        request_, made, cloud_info):
    server = boot_from_volume(made, cloud_info, 'bfv')
    root = root_of(server)
    schedule_id = make_schedule(request_, made, [server.id])
    first = run_now(request_, schedule_id)
    assert first.state == 'SUCCESS', first.state_info
    (backup,) = scheduled(request_, schedule_id)
    assert backup.status == records.AVAILABLE and backup.server_id == server.id
    assert backup.record.boot == records.BOOT_VOLUME and backup.record.user_data
    assert backup.parts_summary() == '1 volume backup'
    (part,) = backup.live_parts
    assert (part.part.kind, part.part.volume_id, part.part.root) == (
        records.VOLUME_KIND, root, True)
    assert part.part.volume_name == made.prefix + 'bfv-root'
    assert part.resource.status == 'available'
    assert part.resource.metadata == {records.LINK: backup.id, RUN: first.id}
    assert part.resource.name == made.prefix + 'schedule (%s)' % part.part.device
    # The server's volume is still in use: backed up without disruption.
    cinder = api.cinder.cinderclient(request_)
    assert cinder.volumes.get(root).status == 'in-use'

    second = run_now(request_, schedule_id)
    assert second.state == 'SUCCESS', second.state_info
    (newer,) = scheduled(request_, schedule_id)
    assert newer.id != backup.id and newer.status == records.AVAILABLE
    # The older record went with its backup (Cinder deletes it in the background).
    wait_gone(lambda: cinder.backups.get(part.part.id), cinder_exc.NotFound)
    assert not images_of_run(api.glance.glanceclient_v2(request_), first.id)
    (newer_part,) = newer.live_parts
    assert newer_part.part.volume_id == root and newer_part.status == records.AVAILABLE


def test_a_failed_volume_backup_removes_the_runs_backups_and_deletes_nothing(
        request_, made, cloud_info, admin_session, cinder_client):
    server = boot_from_volume(made, cloud_info, 'bfv-kept')
    refused = boot_from_volume(made, cloud_info, 'bfv-refused')
    schedule_id = make_schedule(request_, made, [server.id])
    kept = run_now(request_, schedule_id)
    assert kept.state == 'SUCCESS', kept.state_info
    (backup,) = scheduled(request_, schedule_id)

    # Cinder refuses to back up a volume in error: the first server's backup is
    # made, waited for and deleted, and the run fails before retention.
    admin_cinder = cinder_client(admin_session)
    admin_cinder.volumes.reset_state(root_of(refused), 'error')
    try:
        schedule = api.mistral.schedule_get(request_, schedule_id)
        run = api.mistral.mistralclient(request_).executions.create(
            schedule.workflow_name,
            workflow_input={**schedule.workflow_input, 'resources': [server.id, refused.id]})
        failed = finished_run(request_, schedule_id, run.id)
    finally:
        admin_cinder.volumes.reset_state(root_of(refused), 'in-use')
    assert failed.state == 'ERROR'
    assert 'backups.create failed' in (failed.error or ''), failed.state_info
    assert not images_of_run(api.glance.glanceclient_v2(request_), failed.id)
    # The first server's backup was made, then deleted by the run.
    client = api.mistral.mistralclient(request_)
    (deleting,) = [task for task in client.tasks.list(workflow_execution_id=failed.id)
                   if task.name == 'delete_made_backups']
    assert len(client.action_executions.list(task_execution_id=deleting.id)) == 1
    cinder = api.cinder.cinderclient(request_)
    wait_until(lambda: not [made_backup for made_backup in cinder.backups.list()
                            if (made_backup.metadata or {}).get(RUN) == failed.id],
               what="the failed run's backups gone")
    assert [point.id for point in scheduled(request_, schedule_id)] == [backup.id]
