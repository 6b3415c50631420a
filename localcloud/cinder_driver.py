"""A file-backed Cinder volume driver for the local cloud.

Volumes and snapshots are sparse files in one directory
(``localfile_volumes_dir``).  Connections use os-brick's ``local`` protocol
(``device_path`` = the file), so cinder-backup reads and writes the file itself
through the LocalConnector.  Nothing here calls sudo or rootwrap.

Loaded by cinder-volume with
``volume_driver = localcloud.cinder_driver.FileVolumeDriver`` (the repository
root is on PYTHONPATH).  Only imported inside the local cloud's own venv.
"""

import json
import math
import os
import subprocess

from cinder import context as cinder_context
from cinder import exception, interface, objects
from cinder.volume import configuration, driver, volume_utils
from oslo_config import cfg
from oslo_log import log as logging

LOG = logging.getLogger(__name__)

GiB = 1024**3

file_opts = [
    cfg.StrOpt(
        "localfile_volumes_dir",
        default="$state_path/localfile",
        help="Directory holding the sparse files of volumes and snapshots.",
    ),
]

CONF = cfg.CONF
CONF.register_opts(file_opts, group=configuration.SHARED_CONF_GROUP)

VOLUME_PREFIX = "volume-"
SNAPSHOT_PREFIX = "snapshot-"
META_SUFFIX = ".meta"


def _size_gb(path):
    return max(1, int(math.ceil(os.path.getsize(path) / float(GiB))))


@interface.volumedriver
class FileVolumeDriver(driver.VolumeDriver):
    """Volumes and snapshots as sparse files; ``local`` connections."""

    VERSION = "1.0.0"
    CI_WIKI_NAME = "localcloud"
    SUPPORTS_ACTIVE_ACTIVE = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(file_opts)
        self.backend_name = self.configuration.safe_get("volume_backend_name") or "localfile"
        self._dir = None

    @staticmethod
    def get_driver_options():
        return file_opts

    # -- setup -----------------------------------------------------------
    @property
    def base_dir(self):
        if self._dir is None:
            self._dir = os.path.abspath(self.configuration.localfile_volumes_dir)
        return self._dir

    def do_setup(self, context):
        os.makedirs(self.base_dir, exist_ok=True)

    def check_for_setup_error(self):
        if not os.path.isdir(self.base_dir):
            raise exception.VolumeBackendAPIException(
                data="localfile_volumes_dir %s does not exist" % self.base_dir
            )

    # -- paths -----------------------------------------------------------
    def _path(self, name):
        if os.sep in name or name.startswith("."):
            raise exception.InvalidInput(reason="bad backend name %r" % name)
        return os.path.join(self.base_dir, name)

    def _volume_path(self, volume):
        return self._path(volume.name)

    def _snapshot_path(self, snapshot):
        return self._path(snapshot.name)

    def _write_meta(self, path, **meta):
        with open(path + META_SUFFIX, "w") as f:
            json.dump(meta, f)

    def _read_meta(self, path):
        try:
            with open(path + META_SUFFIX) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def _remove(self, path):
        for p in (path, path + META_SUFFIX):
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass

    @staticmethod
    def _copy(src, dst, size_gb=None):
        if not os.path.exists(src):
            raise exception.VolumeBackendAPIException(data="source file %s is missing" % src)
        subprocess.run(["cp", "--sparse=always", src, dst], check=True)
        if size_gb is not None and os.path.getsize(dst) < size_gb * GiB:
            os.truncate(dst, size_gb * GiB)

    # -- volumes ---------------------------------------------------------
    def create_volume(self, volume):
        path = self._volume_path(volume)
        with open(path, "wb"):
            pass
        os.truncate(path, volume.size * GiB)
        LOG.info("localfile: created %s (%d GiB)", path, volume.size)

    def delete_volume(self, volume):
        self._remove(self._volume_path(volume))

    def create_cloned_volume(self, volume, src_vref):
        self._copy(self._volume_path(src_vref), self._volume_path(volume), volume.size)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._copy(self._snapshot_path(snapshot), self._volume_path(volume), volume.size)

    def extend_volume(self, volume, new_size):
        os.truncate(self._volume_path(volume), new_size * GiB)

    def copy_image_to_volume(self, context, volume, image_service, image_id, disable_sparse=False):
        # qemu-img convert re-creates a regular file at the image's size: restore the
        # volume's size (the rest stays sparse zeros, as on a block device)
        super().copy_image_to_volume(context, volume, image_service, image_id,
                                     disable_sparse=disable_sparse)  # fmt: skip
        path = self._volume_path(volume)
        if os.path.getsize(path) < volume.size * GiB:
            os.truncate(path, volume.size * GiB)

    # -- snapshots -------------------------------------------------------
    def create_snapshot(self, snapshot):
        path = self._snapshot_path(snapshot)
        self._copy(self._volume_path(snapshot.volume), path)
        self._write_meta(path, volume_id=snapshot.volume_id, volume_name=snapshot.volume.name)

    def delete_snapshot(self, snapshot):
        self._remove(self._snapshot_path(snapshot))

    def revert_to_snapshot(self, context, volume, snapshot):
        self._copy(self._snapshot_path(snapshot), self._volume_path(volume), volume.size)

    # -- exports and connections ------------------------------------------
    def ensure_export(self, context, volume):
        pass

    def create_export(self, context, volume, connector):
        pass

    def remove_export(self, context, volume):
        pass

    def create_export_snapshot(self, context, snapshot, connector):
        pass

    def remove_export_snapshot(self, context, snapshot):
        pass

    def initialize_connection(self, volume, connector, **kwargs):
        return {
            "driver_volume_type": "local",
            "data": {"device_path": self._volume_path(volume), "name": volume.name},
        }

    def terminate_connection(self, volume, connector, **kwargs):
        pass

    def initialize_connection_snapshot(self, snapshot, connector, **kwargs):
        return {
            "driver_volume_type": "local",
            "data": {"device_path": self._snapshot_path(snapshot), "name": snapshot.name},
        }

    def terminate_connection_snapshot(self, snapshot, connector, **kwargs):
        pass

    # -- stats -----------------------------------------------------------
    def get_volume_stats(self, refresh=False):
        if refresh or not self._stats:
            self._update_volume_stats()
        return self._stats

    def _update_volume_stats(self):
        st = os.statvfs(self.base_dir)
        total = st.f_blocks * st.f_frsize / float(GiB)
        free = st.f_bavail * st.f_frsize / float(GiB)
        provisioned = 0
        for name in os.listdir(self.base_dir):
            if name.startswith(VOLUME_PREFIX) and not name.endswith(META_SUFFIX):
                try:
                    provisioned += os.path.getsize(os.path.join(self.base_dir, name))
                except OSError:
                    pass
        pool = {
            "pool_name": self.backend_name,
            "total_capacity_gb": round(total, 2),
            "free_capacity_gb": round(free, 2),
            "provisioned_capacity_gb": round(provisioned / float(GiB), 2),
            "reserved_percentage": 0,
            "max_over_subscription_ratio": 20.0,
            "thin_provisioning_support": True,
            "thick_provisioning_support": False,
            "QoS_support": False,
            "multiattach": False,
            "backend_state": "up",
        }
        self._stats = {
            "volume_backend_name": self.backend_name,
            "vendor_name": "localcloud",
            "driver_version": self.VERSION,
            "storage_protocol": "local",
            "pools": [pool],
        }

    # -- manage / unmanage: volumes ----------------------------------------
    def _ref_name(self, existing_ref, prefix):
        name = existing_ref.get("source-name")
        if not name and existing_ref.get("source-id"):
            name = prefix + existing_ref["source-id"]
        if not name:
            raise exception.ManageExistingInvalidReference(
                existing_ref=existing_ref, reason="source-name or source-id is required"
            )
        if (
            not name.startswith(prefix)
            or name.endswith(META_SUFFIX)
            or not os.path.isfile(self._path(name))
        ):
            raise exception.ManageExistingInvalidReference(
                existing_ref=existing_ref, reason="no such %sfile on the backend: %s"
                % (prefix, name),
            )
        if self._is_managed(prefix, name[len(prefix):]):
            raise exception.ManageExistingInvalidReference(
                existing_ref=existing_ref, reason="%s is still managed by Cinder" % name
            )
        return name

    @staticmethod
    def _is_managed(prefix, object_id):
        """True if Cinder still has a (not deleted) volume/snapshot with this id."""
        ctxt = cinder_context.get_admin_context()
        try:
            if prefix == SNAPSHOT_PREFIX:
                objects.Snapshot.get_by_id(ctxt, object_id)
            else:
                objects.Volume.get_by_id(ctxt, object_id)
        except (exception.SnapshotNotFound, exception.VolumeNotFound):
            return False
        except Exception:  # noqa: BLE001 - e.g. not a UUID: certainly not managed
            return False
        return True

    def manage_existing(self, volume, existing_ref):
        name = self._ref_name(existing_ref, VOLUME_PREFIX)
        os.rename(self._path(name), self._volume_path(volume))

    def manage_existing_get_size(self, volume, existing_ref):
        return _size_gb(self._path(self._ref_name(existing_ref, VOLUME_PREFIX)))

    def unmanage(self, volume):
        pass

    def get_manageable_volumes(self, cinder_volumes, marker, limit, offset, sort_keys, sort_dirs):
        known = {v["id"]: v for v in cinder_volumes}
        entries = []
        for name in sorted(os.listdir(self.base_dir)):
            if not name.startswith(VOLUME_PREFIX) or name.endswith(META_SUFFIX):
                continue
            vid = name[len(VOLUME_PREFIX):]
            managed = vid in known
            entries.append(
                {
                    "reference": {"source-name": name},
                    "size": _size_gb(self._path(name)),
                    "safe_to_manage": not managed,
                    "reason_not_safe": "already managed" if managed else None,
                    "cinder_id": vid if managed else None,
                    "extra_info": None,
                }
            )
        return volume_utils.paginate_entries_list(
            entries, marker, limit, offset, sort_keys, sort_dirs
        )

    # -- manage / unmanage: snapshots --------------------------------------
    def manage_existing_snapshot(self, snapshot, existing_ref):
        name = self._ref_name(existing_ref, SNAPSHOT_PREFIX)
        src = self._path(name)
        dst = self._snapshot_path(snapshot)
        meta = self._read_meta(src)
        if src != dst:
            os.rename(src, dst)
            try:
                os.unlink(src + META_SUFFIX)
            except FileNotFoundError:
                pass
        meta.update(volume_id=snapshot.volume_id, volume_name=snapshot.volume.name)
        self._write_meta(dst, **meta)
        LOG.info("localfile: managed %s as %s", name, snapshot.name)

    def manage_existing_snapshot_get_size(self, snapshot, existing_ref):
        return _size_gb(self._path(self._ref_name(existing_ref, SNAPSHOT_PREFIX)))

    def unmanage_snapshot(self, snapshot):
        LOG.info("localfile: unmanaged %s (file kept)", snapshot.name)

    def get_manageable_snapshots(
        self, cinder_snapshots, marker, limit, offset, sort_keys, sort_dirs
    ):
        known = {s["id"]: s for s in cinder_snapshots}
        entries = []
        for name in sorted(os.listdir(self.base_dir)):
            if not name.startswith(SNAPSHOT_PREFIX) or name.endswith(META_SUFFIX):
                continue
            sid = name[len(SNAPSHOT_PREFIX):]
            managed = sid in known
            meta = self._read_meta(self._path(name))
            entries.append(
                {
                    "reference": {"source-name": name},
                    "size": _size_gb(self._path(name)),
                    "safe_to_manage": not managed,
                    "reason_not_safe": "already managed" if managed else None,
                    "cinder_id": sid if managed else None,
                    "extra_info": None,
                    "source_reference": {
                        "source-name": meta.get("volume_name")
                        or (VOLUME_PREFIX + meta["volume_id"] if meta.get("volume_id") else "")
                    },
                }
            )
        return volume_utils.paginate_entries_list(
            entries, marker, limit, offset, sort_keys, sort_dirs
        )

