"""Volumes and images through Cinder's own image code (issue 8a): data checked both ways.

Needs ``python3 -m localcloud up``.  Every test deletes what it creates.
"""

import hashlib
import io
import os
import uuid

from glanceclient import exc as glance_exc

from tests.integration import test_localcloud_smoke as smoke
from tests.integration.test_localcloud_smoke import create_volume, delete_volume, volume_file
from tests.polling import wait_gone, wait_status

MiB = 1024 * 1024
TIMEOUT = 300

# the smoke test's fixtures
cleanup = smoke.cleanup
demo_cinder = smoke.demo_cinder
demo_glance = smoke.demo_glance


def name(prefix):
    return "images-%s-%s" % (prefix, uuid.uuid4().hex[:8])


def delete_image(glance, image_id):
    try:
        glance.images.delete(image_id)
    except glance_exc.HTTPNotFound:
        return
    wait_gone(lambda: glance.images.get(image_id), glance_exc.HTTPNotFound)


def sha256_of_file(path, length):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        left = length
        while left:
            chunk = f.read(min(left, 4 * MiB))
            assert chunk, "%s is shorter than %d bytes" % (path, length)
            h.update(chunk)
            left -= len(chunk)
    return h.hexdigest()


def test_volume_from_image_holds_the_image_bytes(demo_cinder, demo_glance, cleanup, cloud_info):
    payload = os.urandom(3 * MiB) + b"localcloud-image-tail"
    image = demo_glance.images.create(name=name("raw"), disk_format="raw",
                                      container_format="bare")  # fmt: skip
    cleanup.add(delete_image, demo_glance, image["id"])
    demo_glance.images.upload(image["id"], io.BytesIO(payload))
    wait_status(lambda: demo_glance.images.get(image["id"]), "active", "image")

    vol = demo_cinder.volumes.create(1, name=name("from-image"), imageRef=image["id"])
    cleanup.add(delete_volume, demo_cinder, vol.id)
    vol = wait_status(lambda: demo_cinder.volumes.get(vol.id), "available", "volume from image",
                      timeout=TIMEOUT)  # fmt: skip
    assert vol.bootable == "true"
    path = volume_file(cloud_info, vol.id)
    with open(path, "rb") as f:
        assert f.read(len(payload)) == payload
    assert os.path.getsize(path) == 1024 * MiB


def test_upload_volume_to_image_then_download_equal(demo_cinder, demo_glance, cleanup,
                                                    cloud_info):  # fmt: skip
    vol = create_volume(demo_cinder, cleanup)
    path = volume_file(cloud_info, vol.id)
    with open(path, "r+b") as f:
        f.write(b"localcloud-upload-head" + os.urandom(MiB))
        f.seek(700 * MiB)
        f.write(os.urandom(MiB))
    expected = sha256_of_file(path, 1024 * MiB)

    upload = demo_cinder.volumes.upload_to_image(vol, False, name("uploaded"), "bare", "raw",
                                           visibility="private", protected=False)
    image_id = upload[1]["os-volume_upload_image"]["image_id"]
    cleanup.add(delete_image, demo_glance, image_id)
    image = wait_status(lambda: demo_glance.images.get(image_id), "active", "uploaded image",
                        timeout=TIMEOUT)  # fmt: skip
    wait_status(lambda: demo_cinder.volumes.get(vol.id), "available", "volume after upload",
                timeout=TIMEOUT)  # fmt: skip
    assert image["size"] == 1024 * MiB

    h = hashlib.sha256()
    for chunk in demo_glance.images.data(image_id):
        h.update(chunk)
    assert h.hexdigest() == expected
