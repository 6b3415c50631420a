"""Nova's fake virt driver, adjusted for the local cloud.

Loaded by nova-compute as ``compute_driver = localfake.LocalFakeDriver``: the
launcher written by ``python -m localcloud up`` appends this directory to
``nova.virt.__path__`` before it calls ``nova.cmd.compute.main()``.

Differences from ``nova.virt.fake.FakeDriverWithoutFakeNodes``:

* ``snapshot()`` (createImage) uploads a few bytes to Glance, so the image turns
  ``active`` and a new server can boot from it;
* ``init_host()`` re-adopts the instances that the database places on this host,
  so servers stay "running" across a restart of nova-compute.
"""

import io

from nova import context as nova_context
from nova import exception, objects
from nova.compute import power_state, task_states
from nova.image import glance
from nova.virt import fake
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class LocalFakeDriver(fake.FakeDriverWithoutFakeNodes):
    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi, read_only=read_only)
        self._image_api = glance.API()

    def init_host(self, host):
        super().init_host(host)
        try:
            ctxt = nova_context.get_admin_context()
            for inst in objects.InstanceList.get_by_host(ctxt, host):
                if inst.uuid not in self.instances:
                    self.instances[inst.uuid] = fake.FakeInstance(
                        inst.name, power_state.RUNNING, inst.uuid
                    )
            LOG.info("localfake: re-adopted %d instance(s)", len(self.instances))
        except Exception:  # pragma: no cover - best effort at start-up
            LOG.exception("localfake: could not re-adopt instances")

    def snapshot(self, context, instance, image_id, update_task_state):
        if instance.uuid not in self.instances:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        snapshot = self._image_api.get(context, image_id)
        metadata = {
            "status": "active",
            "name": snapshot["name"],
            "disk_format": "raw",
            "container_format": "bare",
            "properties": {
                "image_location": "snapshot",
                "image_state": "available",
                "owner_id": instance.project_id,
            },
        }
        update_task_state(
            task_state=task_states.IMAGE_UPLOADING,
            expected_state=task_states.IMAGE_PENDING_UPLOAD,
        )
        payload = (
            "localcloud fake snapshot of instance %s (%s)\n" % (instance.uuid, instance.name)
        ).encode()
        self._image_api.update(
            context, image_id, metadata, io.BytesIO(payload), purge_props=False
        )
        LOG.info("localfake: uploaded %d bytes for snapshot image %s", len(payload), image_id)
