"""Glance's metadata definitions are loaded at set-up (issue 8b), as deployments do.

Needs ``python3 -m localcloud up``.
"""

import glob
import json
import os

import pytest


@pytest.fixture(scope="module")
def shipped_namespaces(cloud_info):
    """{namespace: visibility} of the metadefs JSON files glance ships in the cloud's venv."""
    pattern = os.path.join(cloud_info["state_dir"], "venv", "etc", "glance", "metadefs",
                           "*.json")  # fmt: skip
    shipped = {}
    for path in glob.glob(pattern):
        with open(path) as f:
            ns = json.load(f)
        shipped[ns["namespace"]] = ns.get("visibility", "private")  # glance's default
    assert shipped, "no metadefs files under %s" % pattern
    return shipped


@pytest.mark.parametrize("user", ["admin", "demo"])
def test_every_shipped_namespace_is_listed(glance_client, admin_session, demo_session, user,
                                           shipped_namespaces):  # fmt: skip
    """admin (admin role) sees them all; demo the public ones (two ship without a
    visibility: private, owned by "admin")."""
    session = {"admin": admin_session, "demo": demo_session}[user]
    glance = glance_client(session)
    listed = {ns["namespace"] for ns in glance.metadefs_namespace.list()}
    want = {n for n, vis in shipped_namespaces.items() if user == "admin" or vis == "public"}
    assert want <= listed, sorted(want - listed)
    assert "OS::Compute::Hypervisor" in listed


def test_a_namespace_has_its_properties(glance_client, demo_session):
    glance = glance_client(demo_session)
    ns = glance.metadefs_namespace.get("OS::Compute::Hypervisor")
    assert "hypervisor_type" in ns["properties"]
