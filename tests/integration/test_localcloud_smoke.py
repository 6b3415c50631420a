"""Smoke test of the local cloud with the real python clients (issue 2, "Must show").

Needs ``python3 -m localcloud up``.  Every test deletes what it creates.
"""

import os
import time
import uuid

import pytest
from cinderclient import exceptions as cinder_exc
from glanceclient import exc as glance_exc
from manilaclient import exceptions as manila_exc
from manilaclient.common.apiclient import exceptions as manila_api_exc
from novaclient import exceptions as nova_exc

from tests.polling import wait_gone, wait_status

pytestmark = pytest.mark.integration

TIMEOUT = 120
MiB = 1024 * 1024


# ------------------------------------------------------------------------ helpers
CINDER_GONE = (cinder_exc.NotFound,)
MANILA_GONE = (manila_exc.NotFound, manila_api_exc.NotFound)
NOVA_GONE = (nova_exc.NotFound,)


def name(prefix):
    return "smoke-%s-%s" % (prefix, uuid.uuid4().hex[:8])


class Cleanup:
    """Collects undo callbacks; runs them last-in first-out, all of them."""

    def __init__(self):
        self._undo = []

    def add(self, fn, *args):
        self._undo.append((fn, args))

    def run(self):
        errors = []
        while self._undo:
            fn, args = self._undo.pop()
            try:
                fn(*args)
            except Exception as e:  # noqa: BLE001 - report after trying them all
                errors.append("%s%r: %s" % (getattr(fn, "__name__", fn), args, e))
        assert not errors, "cleanup failed: %s" % errors


@pytest.fixture
def cleanup():
    c = Cleanup()
    yield c
    c.run()


@pytest.fixture(scope="module")
def module_cleanup():
    c = Cleanup()
    yield c
    c.run()


@pytest.fixture(scope="module")
def demo_cinder(cinder_client, demo_session):
    return cinder_client(demo_session, "3.66")


@pytest.fixture(scope="module")
def admin_cinder(cinder_client, admin_session):
    return cinder_client(admin_session, "3.66")


@pytest.fixture(scope="module")
def demo_manila(manila_client, demo_session):
    return manila_client(demo_session, "2.65")


@pytest.fixture(scope="module")
def demo_nova(nova_client, demo_session):
    return nova_client(demo_session, "2.80")


@pytest.fixture(scope="module")
def demo_glance(glance_client, demo_session):
    return glance_client(demo_session)


def delete_volume(cinder, volume_id):
    try:
        vol = cinder.volumes.get(volume_id)
        if vol.status not in ("available", "error", "error_restoring", "error_extending"):
            wait_status(lambda: cinder.volumes.get(volume_id), "available", "volume")
        cinder.volumes.delete(volume_id)
    except cinder_exc.NotFound:
        return
    wait_gone(lambda: cinder.volumes.get(volume_id), CINDER_GONE)


def delete_snapshot(cinder, snapshot_id):
    try:
        cinder.volume_snapshots.delete(snapshot_id)
    except cinder_exc.NotFound:
        return
    wait_gone(lambda: cinder.volume_snapshots.get(snapshot_id), CINDER_GONE)


def delete_backup(cinder, backup_id):
    try:
        cinder.backups.delete(backup_id)
    except cinder_exc.NotFound:
        return
    wait_gone(lambda: cinder.backups.get(backup_id), CINDER_GONE, timeout=120)


def delete_server(nova, server_id):
    try:
        nova.servers.delete(server_id)
    except nova_exc.NotFound:
        return
    wait_gone(lambda: nova.servers.get(server_id), NOVA_GONE)


def delete_share(manila, share_id):
    try:
        manila.shares.delete(share_id)
    except MANILA_GONE:
        return
    wait_gone(lambda: manila.shares.get(share_id), MANILA_GONE)


def delete_share_snapshot(manila, snapshot_id):
    try:
        manila.share_snapshots.delete(snapshot_id)
    except MANILA_GONE:
        return
    wait_gone(lambda: manila.share_snapshots.get(snapshot_id), MANILA_GONE)


def create_volume(cinder, cleanup, size=1, **kw):
    vol = cinder.volumes.create(size, name=name("vol"), **kw)
    cleanup.add(delete_volume, cinder, vol.id)
    return wait_status(lambda: cinder.volumes.get(vol.id), "available", "volume " + vol.id)


def volume_file(cloud_info, volume_id):
    return os.path.join(cloud_info["cinder_volumes_dir"], "volume-%s" % volume_id)


# A recognisable pattern at a few offsets of a 1 GiB volume (the rest stays sparse).
PATTERN = {
    0: b"localcloud-smoke-head" * 1000,
    300 * MiB + 12345: os.urandom(64 * 1024),
    1024 * MiB - 4096: b"tail!" * 800,
}


def write_pattern(path):
    with open(path, "r+b") as f:
        for offset, data in PATTERN.items():
            f.seek(offset)
            f.write(data)
        f.flush()
        os.fsync(f.fileno())


def assert_pattern(path):
    assert os.path.getsize(path) >= 1024 * MiB
    with open(path, "rb") as f:
        for offset, data in PATTERN.items():
            f.seek(offset)
            assert f.read(len(data)) == data, "data differs at offset %d of %s" % (offset, path)


def boot_server(nova, glance, cleanup, cloud_info, image_id=None, nics="none"):
    flavor = [f for f in nova.flavors.list() if f.name == cloud_info["flavor"]][0]
    if image_id is None:
        image_id = next(iter(glance.images.list(filters={"name": cloud_info["image"]})))["id"]
    server = nova.servers.create(name("server"), image_id, flavor.id, nics=nics)
    cleanup.add(delete_server, nova, server.id)
    return wait_status(lambda: nova.servers.get(server.id), "ACTIVE", "server " + server.id)


# -------------------------------------------------------------------- cinder
def test_volume_snapshot_becomes_available(demo_cinder, cleanup):
    vol = create_volume(demo_cinder, cleanup)
    snap = demo_cinder.volume_snapshots.create(vol.id, name=name("snap"))
    cleanup.add(delete_snapshot, demo_cinder, snap.id)
    snap = wait_status(lambda: demo_cinder.volume_snapshots.get(snap.id), "available", "snapshot")
    assert snap.volume_id == vol.id
    assert snap.size == 1


def test_volume_from_snapshot_holds_the_data(demo_cinder, cleanup, cloud_info):
    vol = create_volume(demo_cinder, cleanup)
    write_pattern(volume_file(cloud_info, vol.id))
    snap = demo_cinder.volume_snapshots.create(vol.id, name=name("snap"))
    cleanup.add(delete_snapshot, demo_cinder, snap.id)
    wait_status(lambda: demo_cinder.volume_snapshots.get(snap.id), "available", "snapshot")
    new = demo_cinder.volumes.create(2, name=name("from-snap"), snapshot_id=snap.id)
    cleanup.add(delete_volume, demo_cinder, new.id)
    new = wait_status(lambda: demo_cinder.volumes.get(new.id), "available", "volume from snap")
    assert new.snapshot_id == snap.id
    assert new.size == 2
    assert_pattern(volume_file(cloud_info, new.id))


@pytest.fixture(scope="module")
def in_use_volume(demo_cinder, demo_nova, demo_glance, module_cleanup, cloud_info):
    """A 1 GiB volume with known bytes, attached through Nova to a fresh server."""
    server = boot_server(demo_nova, demo_glance, module_cleanup, cloud_info)
    vol = create_volume(demo_cinder, module_cleanup)
    write_pattern(volume_file(cloud_info, vol.id))
    demo_nova.volumes.create_server_volume(server.id, vol.id)

    def detach():
        try:
            demo_nova.volumes.delete_server_volume(server.id, vol.id)
        except nova_exc.NotFound:
            return
        wait_status(lambda: demo_cinder.volumes.get(vol.id), "available", "detached volume")

    module_cleanup.add(detach)
    return wait_status(lambda: demo_cinder.volumes.get(vol.id), "in-use", "attached volume")


@pytest.fixture(scope="module")
def forced_backup(demo_cinder, in_use_volume, module_cleanup):
    backup = demo_cinder.backups.create(in_use_volume.id, name=name("backup"), force=True)
    module_cleanup.add(delete_backup, demo_cinder, backup.id)
    return wait_status(lambda: demo_cinder.backups.get(backup.id), "available", "backup",
                       timeout=180)  # fmt: skip


def test_backup_of_in_use_volume_without_force_is_rejected(demo_cinder, in_use_volume):
    with pytest.raises(cinder_exc.BadRequest) as err:
        backup = demo_cinder.backups.create(in_use_volume.id, name=name("backup-noforce"))
        delete_backup(demo_cinder, backup.id)  # only reached if the API wrongly accepted it
    assert err.value.code == 400
    assert "force" in str(err.value).lower()


def test_backup_of_in_use_volume_with_force_succeeds(forced_backup, in_use_volume):
    assert forced_backup.status == "available"
    assert forced_backup.volume_id == in_use_volume.id
    assert forced_backup.size == 1


def test_backup_restore_holds_the_data(demo_cinder, forced_backup, cleanup, cloud_info):
    restore = demo_cinder.restores.restore(forced_backup.id, name=name("restored"))
    cleanup.add(delete_volume, demo_cinder, restore.volume_id)
    wait_status(lambda: demo_cinder.volumes.get(restore.volume_id), "available",
                "restored volume", timeout=180)  # fmt: skip
    wait_status(lambda: demo_cinder.backups.get(forced_backup.id), "available", "backup")
    assert_pattern(volume_file(cloud_info, restore.volume_id))


# -------------------------------------------------------------------- manila
def test_share_snapshot_then_share_from_snapshot(demo_manila, cleanup, cloud_info):
    share = demo_manila.shares.create("NFS", 1, name=name("share"),
                                      share_type=cloud_info["share_type"])  # fmt: skip
    cleanup.add(delete_share, demo_manila, share.id)
    share = wait_status(lambda: demo_manila.shares.get(share.id), "available", "share")
    snap = demo_manila.share_snapshots.create(share.id, name=name("share-snap"))
    cleanup.add(delete_share_snapshot, demo_manila, snap.id)
    snap = wait_status(lambda: demo_manila.share_snapshots.get(snap.id), "available",
                       "share snapshot")  # fmt: skip
    child = demo_manila.shares.create("NFS", 1, name=name("share-from-snap"),
                                      snapshot_id=snap.id,
                                      share_type=cloud_info["share_type"])  # fmt: skip
    cleanup.add(delete_share, demo_manila, child.id)
    child = wait_status(lambda: demo_manila.shares.get(child.id), "available", "share from snap")
    assert child.snapshot_id == snap.id


# ---------------------------------------------------------------------- nova
def test_server_create_image_then_boot_from_it(demo_nova, demo_glance, cleanup, cloud_info):
    server = boot_server(demo_nova, demo_glance, cleanup, cloud_info)
    image_id = demo_nova.servers.create_image(server.id, name("server-image"))

    def delete_image():
        try:
            demo_glance.images.delete(image_id)
        except glance_exc.HTTPNotFound:
            pass

    cleanup.add(delete_image)
    image = wait_status(lambda: demo_glance.images.get(image_id), "active", "server image")
    assert image["size"] and image["size"] > 0
    wait_status(lambda: demo_nova.servers.get(server.id), "ACTIVE", "server after createImage")
    booted = boot_server(demo_nova, demo_glance, cleanup, cloud_info, image_id=image_id)
    assert booted.image["id"] == image_id


# ------------------------------------------------------- admin: manage / unmanage
def test_unmanage_list_manageable_and_manage_back(admin_cinder, cleanup, cloud_info):
    host = cloud_info["volume_backend_host"]
    vol = create_volume(admin_cinder, cleanup)
    snap = admin_cinder.volume_snapshots.create(vol.id, name=name("to-unmanage"))
    cleanup.add(delete_snapshot, admin_cinder, snap.id)
    wait_status(lambda: admin_cinder.volume_snapshots.get(snap.id), "available", "snapshot")

    admin_cinder.volume_snapshots.unmanage(snap)
    wait_gone(lambda: admin_cinder.volume_snapshots.get(snap.id), CINDER_GONE)
    ref = {"source-name": "snapshot-%s" % snap.id}

    deadline = time.monotonic() + TIMEOUT
    while True:
        listed = admin_cinder.volume_snapshots.list_manageable(host, detailed=True)
        entry = next((m for m in listed if m.reference == ref), None)
        if entry is not None:
            break
        assert time.monotonic() < deadline, "unmanaged snapshot not listed"
        time.sleep(0.3)
    assert entry.safe_to_manage is True
    assert entry.size == 1

    managed = admin_cinder.volume_snapshots.manage(vol.id, ref, name=name("managed-back"))
    cleanup.add(delete_snapshot, admin_cinder, managed.id)
    managed = wait_status(lambda: admin_cinder.volume_snapshots.get(managed.id), "available",
                          "managed snapshot")  # fmt: skip
    assert managed.volume_id == vol.id
    listed = admin_cinder.volume_snapshots.list_manageable(host, detailed=True)
    again = [m for m in listed if m.reference == {"source-name": "snapshot-%s" % managed.id}]
    assert again and again[0].safe_to_manage is False


def test_manage_with_unknown_volume_is_404(admin_cinder):
    with pytest.raises(cinder_exc.NotFound) as err:
        snap = admin_cinder.volume_snapshots.manage(
            str(uuid.uuid4()), {"source-name": "snapshot-does-not-matter"}, name=name("bad")
        )
        delete_snapshot(admin_cinder, snap.id)  # only reached if the API wrongly accepted it
    assert err.value.code == 404
