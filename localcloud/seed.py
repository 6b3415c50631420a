"""Seed the local cloud with demo data (idempotent; runs in the cloud's venv).

Run through ``python3 -m localcloud seed``.  Every object is looked up by name first,
so running it twice creates nothing twice.  Records names and ids under the
``seed`` key of ``<state>/cloud.json``.

As demo: volumes ``seed-volume-available`` and ``seed-volume-attached`` (attached to
``seed-server`` through Nova, so in-use), snapshot ``seed-snapshot`` of the
available volume, shares ``seed-share-1`` / ``seed-share-2``, share snapshot
``seed-share-snapshot``, the image-booted server ``seed-server`` (no network) and the
network ``seed-network`` with subnet ``seed-subnet`` (192.168.100.0/24), so Launch
Instance and the Networks page have one.
As admin: volume ``seed-admin-volume`` and an UNMANAGED snapshot of it on the
backend (``seed-unmanaged-snapshot`` before it was unmanaged), so the manage form
has something to import.
"""

import json
import os
import sys
import time

from cinderclient import client as cinder_client
from glanceclient import client as glance_client
from manilaclient import client as manila_client
from novaclient import client as nova_client

from localcloud.auth import session_for
from localcloud.info import cloud_json_path, load_cloud_info

TIMEOUT = 120


def log(msg):
    print("[seed] %s" % msg, flush=True)


def wait_status(get, want, what, bad=("error",)):
    deadline = time.time() + TIMEOUT
    while True:
        obj = get()
        status = getattr(obj, "status", None)
        if status == want:
            return obj
        if status in bad or (status and status.startswith("error")):
            raise RuntimeError("%s went to status %s" % (what, status))
        if time.time() > deadline:
            raise RuntimeError("%s still %s after %d s (want %s)" % (what, status, TIMEOUT, want))
        time.sleep(0.5)


def one(items, name):
    found = [i for i in items if getattr(i, "name", None) == name]
    return found[0] if found else None


NETWORK = {"service_type": "network"}


def network(session, name, subnet_name, cidr):
    """The network ``name`` with one IPv4 subnet (each created when missing)."""

    def neutron(method, path, **kw):
        return session.request("/v2.0" + path, method, endpoint_filter=NETWORK, **kw).json()

    found = neutron("GET", "/networks?name=" + name)["networks"]
    if found:
        net = found[0]
    else:
        net = neutron("POST", "/networks", json={"network": {"name": name}})["network"]
        log("network %s created" % name)
    if not net["subnets"]:
        neutron("POST", "/subnets", json={"subnet": {
            "network_id": net["id"], "name": subnet_name, "cidr": cidr,
            "ip_version": 4}})  # fmt: skip
        log("subnet %s created" % subnet_name)
    return {"name": name, "id": net["id"]}


def main():
    info = load_cloud_info()
    region = info["region"]
    demo = session_for(info, "demo")
    admin = session_for(info, "admin")
    cinder = cinder_client.Client("3.66", session=demo, region_name=region)
    manila = manila_client.Client("2.65", session=demo, region_name=region)
    nova = nova_client.Client("2.80", session=demo, region_name=region)
    glance = glance_client.Client("2", session=admin, region_name=region)
    acinder = cinder_client.Client("3.66", session=admin, region_name=region)
    seed = {}

    # -- volumes -----------------------------------------------------------
    def volume(name, size=1, client=cinder):
        v = one(client.volumes.list(search_opts={"name": name}), name)
        if v is None:
            v = client.volumes.create(size, name=name, description="seeded by localcloud")
            log("volume %s created" % name)
        return wait_status(lambda: client.volumes.get(v.id), v.status if v.status in
                           ("available", "in-use") else "available", "volume " + name)

    vol_avail = volume("seed-volume-available")
    vol_att = volume("seed-volume-attached")
    seed["volume_available"] = {"name": vol_avail.name, "id": vol_avail.id}
    seed["volume_attached"] = {"name": vol_att.name, "id": vol_att.id}

    # -- server ------------------------------------------------------------
    image = one(glance.images.list(filters={"name": info["image"]}), info["image"])
    flavor = one(nova.flavors.list(), info["flavor"])
    server = one(nova.servers.list(search_opts={"name": "^seed-server$"}), "seed-server")
    if server is None:
        server = nova.servers.create("seed-server", image.id, flavor.id, nics="none")
        log("server seed-server created")
    server = wait_status(lambda: nova.servers.get(server.id), "ACTIVE", "server seed-server",
                         bad=("ERROR",))  # fmt: skip
    seed["server"] = {"name": server.name, "id": server.id}
    seed["image"] = {"name": image.name, "id": image.id}
    seed["flavor"] = {"name": flavor.name, "id": flavor.id}

    if cinder.volumes.get(vol_att.id).status == "available":
        nova.volumes.create_server_volume(server.id, vol_att.id)
        log("volume seed-volume-attached attached to seed-server")
    wait_status(lambda: cinder.volumes.get(vol_att.id), "in-use", "volume seed-volume-attached")

    seed["network"] = network(demo, "seed-network", "seed-subnet", "192.168.100.0/24")

    # -- volume snapshot -----------------------------------------------------
    snap = one(cinder.volume_snapshots.list(search_opts={"name": "seed-snapshot"}),
               "seed-snapshot")  # fmt: skip
    if snap is None:
        snap = cinder.volume_snapshots.create(vol_avail.id, name="seed-snapshot",
                                              description="seeded by localcloud")  # fmt: skip
        log("snapshot seed-snapshot created")
    snap = wait_status(lambda: cinder.volume_snapshots.get(snap.id), "available",
                       "snapshot seed-snapshot")  # fmt: skip
    seed["snapshot"] = {"name": snap.name, "id": snap.id}

    # -- shares ----------------------------------------------------------------
    def share(name):
        s = one(manila.shares.list(search_opts={"name": name}), name)
        if s is None:
            s = manila.shares.create("NFS", 1, name=name, description="seeded by localcloud",
                                     share_type=info["share_type"])  # fmt: skip
            log("share %s created" % name)
        return wait_status(lambda: manila.shares.get(s.id), "available", "share " + name)

    share1 = share("seed-share-1")
    share2 = share("seed-share-2")
    seed["share_1"] = {"name": share1.name, "id": share1.id}
    seed["share_2"] = {"name": share2.name, "id": share2.id}
    ssnap = one(manila.share_snapshots.list(search_opts={"name": "seed-share-snapshot"}),
                "seed-share-snapshot")  # fmt: skip
    if ssnap is None:
        ssnap = manila.share_snapshots.create(share1.id, name="seed-share-snapshot",
                                              description="seeded by localcloud")  # fmt: skip
        log("share snapshot seed-share-snapshot created")
    ssnap = wait_status(lambda: manila.share_snapshots.get(ssnap.id), "available",
                        "share snapshot seed-share-snapshot")  # fmt: skip
    seed["share_snapshot"] = {"name": ssnap.name, "id": ssnap.id}

    # -- admin: an unmanaged snapshot on the backend --------------------------
    avol = volume("seed-admin-volume", client=acinder)
    seed["admin_volume"] = {"name": avol.name, "id": avol.id}
    host = info["volume_backend_host"]

    def unmanaged_of_avol():
        return [
            m for m in acinder.volume_snapshots.list_manageable(host, detailed=True)
            if m.safe_to_manage
            and (m.source_reference or {}).get("source-name") == "volume-%s" % avol.id
        ]  # fmt: skip

    found = unmanaged_of_avol()
    if not found:
        asnap = one(acinder.volume_snapshots.list(
            search_opts={"name": "seed-unmanaged-snapshot", "all_tenants": 0}),
            "seed-unmanaged-snapshot")  # fmt: skip
        if asnap is None:
            asnap = acinder.volume_snapshots.create(avol.id, name="seed-unmanaged-snapshot")
        wait_status(lambda: acinder.volume_snapshots.get(asnap.id), "available",
                    "snapshot seed-unmanaged-snapshot")  # fmt: skip
        acinder.volume_snapshots.unmanage(asnap)
        deadline = time.time() + TIMEOUT
        while not found and time.time() < deadline:
            time.sleep(0.5)
            found = unmanaged_of_avol()
        if not found:
            raise RuntimeError("the unmanaged snapshot did not show up as manageable")
        log("snapshot %s unmanaged (left on the backend)" % asnap.id)
    seed["unmanaged_snapshot"] = {
        "reference": found[0].reference,
        "volume_id": avol.id,
        "host": host,
        "size": found[0].size,
    }

    # -- record ------------------------------------------------------------------
    path = cloud_json_path()
    with open(path) as f:
        data = json.load(f)
    data["seed"] = seed
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)
    log("done: %s" % ", ".join(sorted(seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
