"""Idempotent provisioning of the local cloud (runs in the cloud's own venv).

``python -m localcloud.provision identity``: projects, users, roles, services and
endpoints in Keystone.  ``python -m localcloud.provision resources``: volume type,
share type, flavor, image and raised quotas.  The orchestrator passes its static
facts (credentials, names) in ``$LOCALCLOUD_CONFIG`` as JSON.
"""

import io
import json
import os
import sys
import time

from localcloud import auth

CFG = json.loads(os.environ["LOCALCLOUD_CONFIG"])
BASE = "http://127.0.0.1"
# mistral is also the trustee of the cron triggers' Keystone trusts.
SERVICE_USERS = ["nova", "cinder", "manila", "glance", "placement", "neutron", "mistral"]
ENDPOINTS = [
    # (service name, type, url, description)
    ("glance", "image", BASE + ":9292", "Image service"),
    ("placement", "placement", BASE + ":8778", "Placement API"),
    ("nova", "compute", BASE + ":8774/v2.1", "Compute service"),
    ("cinderv3", "volumev3", BASE + ":8776/v3/%(project_id)s", "Block Storage v3"),
    ("cinder", "block-storage", BASE + ":8776/v3/%(project_id)s", "Block Storage"),
    ("manilav2", "sharev2", BASE + ":8786/v2", "Shared File Systems v2"),
    ("manila", "shared-file-system", BASE + ":8786/v2", "Shared File Systems"),
    ("neutron", "network", BASE + ":9696", "Networking"),
    ("mistral", "workflowv2", BASE + ":8989/v2", "Workflow service"),
]
QUOTA = 1000


def log(msg):
    print("[provision] %s" % msg, flush=True)


def session_for(user):
    return auth.session_for(CFG, user)


def find(manager, name, **kw):
    for item in manager.list(**kw):
        if item.name == name:
            return item
    return None


def identity():
    from keystoneclient.v3 import client as ks_client

    ks = ks_client.Client(session=session_for("admin"), interface="public")
    default = ks.domains.get("default")
    roles = {}
    for rname in ("admin", "member", "reader", "service"):
        roles[rname] = find(ks.roles, rname) or ks.roles.create(rname)
    projects = {}
    for pname, desc in (
        ("service", "Service users"),
        ("demo", "Demo project"),
        ("alt_demo", "Second demo project (isolation tests)"),
    ):
        projects[pname] = find(ks.projects, pname, domain=default) or ks.projects.create(
            pname, domain=default, description=desc
        )

    def ensure_user(name, password, project, role_names):
        user = find(ks.users, name, domain=default)
        if user is None:
            user = ks.users.create(name, domain=default, password=password,
                                   default_project=project)  # fmt: skip
            log("created user %s" % name)
        elif not auth.password_accepted(CFG, name, password):
            # Only then: Keystone revokes a user's tokens when the password is set,
            # which would sign out every session of a cloud that is up.
            ks.users.update(user, password=password)
            log("reset the password of user %s" % name)
        for r in role_names:
            ks.roles.grant(roles[r], user=user, project=project)
        return user

    users = CFG["users"]
    ensure_user("demo", users["demo"]["password"], projects["demo"], ["member", "reader"])
    ensure_user("alt_demo", users["alt_demo"]["password"], projects["alt_demo"],
                ["member", "reader"])  # fmt: skip
    for name in SERVICE_USERS:
        ensure_user(name, CFG["service_password"], projects["service"], ["admin", "service"])

    region = CFG["region"]
    existing = {(s.name, s.type): s for s in ks.services.list()}
    for sname, stype, url, desc in ENDPOINTS:
        svc = existing.get((sname, stype)) or ks.services.create(sname, type=stype,
                                                                 description=desc)  # fmt: skip
        have = {e.interface: e for e in ks.endpoints.list(service=svc)}
        for iface in ("public", "internal", "admin"):
            ep = have.get(iface)
            if ep is None:
                ks.endpoints.create(svc, url, interface=iface, region=region)
            elif ep.url != url:
                ks.endpoints.update(ep, url=url)
    log("identity ready")


def raise_quotas(quotas, project_id, **wanted):
    """Set each quota to at least ``wanted``: never below what is set (a benchmark may
    have raised it, and the services refuse a limit under the current usage)."""
    current = quotas.get(project_id)
    low = {name: value for name, value in wanted.items()
           if 0 <= getattr(current, name, 0) < value}  # fmt: skip
    if low:
        quotas.update(project_id, **low)


def resources():
    from cinderclient import client as cinder_client
    from glanceclient import client as glance_client
    from keystoneclient.v3 import client as ks_client
    from manilaclient import client as manila_client
    from novaclient import client as nova_client

    sess = session_for("admin")
    ks = ks_client.Client(session=sess, interface="public")
    project_ids = {p.name: p.id for p in ks.projects.list()}

    # Cinder: one volume type bound to the backend (default via cinder.conf)
    cinder = cinder_client.Client("3.62", session=sess, region_name=CFG["region"])
    vt = find(cinder.volume_types, CFG["volume_type"])
    if vt is None:
        vt = cinder.volume_types.create(CFG["volume_type"], is_public=True,
                                        description="localcloud file backend")  # fmt: skip
    if vt.get_keys().get("volume_backend_name") != "localfile":
        vt.set_keys({"volume_backend_name": "localfile"})
    # one type only: drop Cinder's built-in __DEFAULT__ (ours is the default in cinder.conf)
    builtin = find(cinder.volume_types, "__DEFAULT__")
    if builtin is not None:
        try:
            cinder.volume_types.delete(builtin)
            log("deleted the unused volume type __DEFAULT__")
        except Exception as e:  # noqa: BLE001 - in use or protected: keep it
            log("kept volume type __DEFAULT__ (%s)" % e)
    for pname in ("demo", "alt_demo", "admin"):
        raise_quotas(cinder.quotas, project_ids[pname], volumes=QUOTA, snapshots=QUOTA,
                     gigabytes=QUOTA * 10, backups=QUOTA,
                     backup_gigabytes=QUOTA * 10)  # fmt: skip

    # Manila: default share type with snapshot and create-from-snapshot support
    manila = manila_client.Client("2.65", session=sess, region_name=CFG["region"])
    st = find(manila.share_types, CFG["share_type"])
    specs = {
        "snapshot_support": "True",
        "create_share_from_snapshot_support": "True",
        "revert_to_snapshot_support": "True",
    }
    if st is None:
        st = manila.share_types.create(CFG["share_type"], spec_driver_handles_share_servers=False,
                                       extra_specs=specs, is_public=True)  # fmt: skip
    else:
        have = st.get_keys()
        missing = {k: v for k, v in specs.items() if have.get(k) != v}
        if missing:
            st.set_keys(missing)
    for pname in ("demo", "alt_demo", "admin"):
        raise_quotas(manila.quotas, project_ids[pname], shares=QUOTA, snapshots=QUOTA,
                     gigabytes=QUOTA * 10, snapshot_gigabytes=QUOTA * 10)  # fmt: skip

    # Nova: a tiny flavor, quotas
    nova = nova_client.Client("2.53", session=sess, region_name=CFG["region"])
    if not any(f.name == CFG["flavor"] for f in nova.flavors.list(is_public=None)):
        nova.flavors.create(CFG["flavor"], ram=64, vcpus=1, disk=1, is_public=True)
    for pname in ("demo", "alt_demo"):
        nova.quotas.update(project_ids[pname], instances=200, cores=400, ram=200 * 1024)

    # Glance: a tiny public image
    glance = glance_client.Client("2", session=sess, region_name=CFG["region"])
    images = list(glance.images.list(filters={"name": CFG["image"]}))
    active = [i for i in images if i.status == "active"]
    for i in images:
        if i.status != "active":
            glance.images.delete(i.id)
    if not active:
        img = glance.images.create(name=CFG["image"], disk_format="raw", container_format="bare",
                                   visibility="public", min_disk=0, min_ram=0)  # fmt: skip
        payload = (b"localcloud tiny image\n" * 200)[:4096]
        glance.images.upload(img.id, io.BytesIO(payload))
        deadline = time.time() + 30
        while glance.images.get(img.id).status != "active" and time.time() < deadline:
            time.sleep(0.3)
        log("uploaded image %s (%d bytes)" % (img.id, len(payload)))
    log("resources ready")


def main(argv):
    phase = argv[1] if len(argv) > 1 else ""
    if phase == "identity":
        identity()
    elif phase == "resources":
        resources()
    else:
        print("usage: python -m localcloud.provision identity|resources", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
