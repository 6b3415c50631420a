"""cloud.json: the facts tests and the dashboard read (``localcloud.info`` loads it)."""

import json
import os

from localcloud.config import (
    AUTH_URL,
    FLAVOR,
    IMAGE,
    PASSWORDS,
    REGION,
    SHARE_TYPE,
    VOLUME_BACKEND_HOST,
    VOLUME_TYPE,
)
from localcloud.rest import http

ENDPOINTS = {
    "identity": "http://127.0.0.1:5000/v3",
    "image": "http://127.0.0.1:9292",
    "placement": "http://127.0.0.1:8778",
    "compute": "http://127.0.0.1:8774/v2.1",
    "volumev3": "http://127.0.0.1:8776/v3/%(project_id)s",
    "sharev2": "http://127.0.0.1:8786/v2",
    "network": "http://127.0.0.1:9696",
    "workflowv2": "http://127.0.0.1:8989/v2",
}

VERSIONED_APIS = (
    ("cinder", "http://127.0.0.1:8776/"),
    ("manila", "http://127.0.0.1:8786/"),
    ("nova", "http://127.0.0.1:8774/"),
)


def static_info():
    """Credentials and names; provisioning gets these too (with the service password)."""

    def user(name, project):
        return {
            "username": name,
            "password": PASSWORDS[name],
            "project_name": project,
            "user_domain_name": "Default",
            "project_domain_name": "Default",
        }

    return {
        "auth_url": AUTH_URL,
        "region": REGION,
        "users": {
            "admin": user("admin", "admin"),
            "demo": user("demo", "demo"),
            "alt_demo": user("alt_demo", "alt_demo"),
        },
        "service_password": PASSWORDS["service"],
        "volume_backend_host": VOLUME_BACKEND_HOST,
        "volume_type": VOLUME_TYPE,
        "share_type": SHARE_TYPE,
        "flavor": FLAVOR,
        "image": IMAGE,
    }


def api_versions():
    """{service: {"version": "vX", "min": ..., "max": ...}} from the unversioned roots."""
    out = {}
    for service, url in VERSIONED_APIS:
        try:
            _, data, _ = http("GET", url)
            current = [v for v in data["versions"] if v.get("status") == "CURRENT"][0]
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            continue  # not answering as expected: cloud.json simply lacks it
        out[service] = {
            "version": current["id"],
            "min": current.get("min_version"),
            "max": current.get("version"),
        }
    return out


def previous_seed(p):
    """The seed record of the last cloud.json (kept across down/up), or None."""
    for previous in (p.cloud_json, p.cloud_json_down):
        try:
            with open(previous) as f:
                old = json.load(f)
        except (OSError, ValueError):
            continue  # absent or half-written: try the other one
        if "seed" in old:
            return old["seed"]
    return None


def write_cloud_json(p):
    data = static_info()
    data.pop("service_password")
    seed = previous_seed(p)
    if seed is not None:
        data["seed"] = seed
    data["state_dir"] = p.state
    data["cinder_volumes_dir"] = os.path.join(p.data, "cinder", "volumes")
    data["endpoints"] = dict(ENDPOINTS)
    data["api_versions"] = api_versions()
    tmp = p.cloud_json + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, p.cloud_json)
    if os.path.exists(p.cloud_json_down):
        os.unlink(p.cloud_json_down)


def hide_cloud_json(p):
    """load_cloud_info() must fail while the cloud is down; up restores the seed record."""
    if os.path.exists(p.cloud_json):
        os.replace(p.cloud_json, p.cloud_json_down)
