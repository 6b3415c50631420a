"""The network API in the catalog is the real neutron (issue 8f): ML2, no agents, our
mechanism driver binding the ports, so Nova boots servers on networks.

Needs ``python3 -m localcloud up``.  Every test deletes what it creates.
"""

import uuid

import pytest
from keystoneauth1 import exceptions as ks_exc

from tests.integration import test_localcloud_smoke as smoke

NETWORK = {"service_type": "network", "interface": "public"}

cleanup = smoke.cleanup  # the smoke test's fixtures
demo_nova = smoke.demo_nova
demo_glance = smoke.demo_glance


def name(prefix):
    return "network-%s-%s" % (prefix, uuid.uuid4().hex[:8])


@pytest.fixture
def neutron(demo_session):
    """``neutron(method, path, **kw)`` -> decoded JSON (or None) of the demo user."""

    def call(method, path, **kw):
        resp = demo_session.request("/v2.0" + path, method, endpoint_filter=NETWORK, **kw)
        return resp.json() if resp.content else None

    return call


def delete(neutron, path):
    try:
        neutron("DELETE", path)
    except ks_exc.NotFound:
        return


def network_with_subnet(neutron, cleanup, cidr):
    net = neutron("POST", "/networks", json={"network": {"name": name("net")}})["network"]
    cleanup.add(delete, neutron, "/networks/" + net["id"])
    subnet = neutron("POST", "/subnets", json={"subnet": {
        "network_id": net["id"], "cidr": cidr, "ip_version": 4,
        "name": name("subnet")}})["subnet"]  # fmt: skip
    return net, subnet


def remove_interface(neutron, router_id, subnet_id):
    neutron("PUT", "/routers/%s/remove_router_interface" % router_id,
            json={"subnet_id": subnet_id})  # fmt: skip


def test_network_endpoint_is_in_the_catalog(demo_session, cloud_info):
    url = demo_session.get_endpoint(**NETWORK)
    assert url.rstrip("/") == cloud_info["endpoints"]["network"]
    versions = demo_session.get(url + "/").json()["versions"]
    assert [v["id"] for v in versions if v["status"] == "CURRENT"] == ["v2.0"]


def test_network_subnet_router_and_port(neutron, cleanup):
    net, subnet = network_with_subnet(neutron, cleanup, "10.77.0.0/24")
    router = neutron("POST", "/routers", json={"router": {"name": name("router")}})["router"]
    cleanup.add(delete, neutron, "/routers/" + router["id"])
    neutron("PUT", "/routers/%s/add_router_interface" % router["id"],
            json={"subnet_id": subnet["id"]})  # fmt: skip
    cleanup.add(remove_interface, neutron, router["id"], subnet["id"])
    port = neutron("POST", "/ports", json={"port": {"network_id": net["id"],
                                                    "name": name("port")}})["port"]  # fmt: skip
    cleanup.add(delete, neutron, "/ports/" + port["id"])

    assert port["fixed_ips"][0]["subnet_id"] == subnet["id"]
    assert port["fixed_ips"][0]["ip_address"].startswith("10.77.0.")
    listed = neutron("GET", "/networks?name=" + net["name"])["networks"]
    assert [n["subnets"] for n in listed] == [[subnet["id"]]]
    router_ports = neutron("GET", "/ports?device_id=" + router["id"])["ports"]
    assert [p["device_owner"] for p in router_ports] == ["network:router_interface"]


def test_server_boots_on_a_network_with_a_port(neutron, admin_session, demo_nova, demo_glance,
                                               cleanup, cloud_info):  # fmt: skip
    """Nova creates the port, our mechanism driver binds it, the server goes ACTIVE with
    the port's address; deleting the server deletes the port."""
    net, subnet = network_with_subnet(neutron, cleanup, "10.78.0.0/24")
    server = smoke.boot_server(demo_nova, demo_glance, cleanup, cloud_info,
                               nics=[{"net-id": net["id"]}])  # fmt: skip

    ports = neutron("GET", "/ports?device_id=" + server.id)["ports"]
    assert [(p["network_id"], p["status"], p["device_owner"]) for p in ports] == [
        (net["id"], "ACTIVE", "compute:nova")]  # fmt: skip
    (fixed_ip,) = ports[0]["fixed_ips"]
    assert fixed_ip["subnet_id"] == subnet["id"]
    assert fixed_ip["ip_address"].startswith("10.78.0.")
    assert [a["addr"] for a in server.addresses[net["name"]]] == [fixed_ip["ip_address"]]
    binding = admin_session.get("/v2.0/ports/" + ports[0]["id"],
                                endpoint_filter=NETWORK).json()["port"]  # fmt: skip
    assert (binding["binding:host_id"], binding["binding:vif_type"]) == ("localcloud", "ovs")

    smoke.delete_server(demo_nova, server.id)
    assert neutron("GET", "/ports?device_id=" + server.id)["ports"] == []


def test_what_horizons_overview_asks(neutron, demo_session):
    """Quota usage, security groups and floating IPs of the project (Overview page)."""
    project = demo_session.get_project_id()
    quota = neutron("GET", "/quotas/%s/details" % project)["quota"]
    assert {"network", "subnet", "port", "router", "floatingip", "security_group"} <= set(quota)
    groups = neutron("GET", "/security-groups")["security_groups"]
    assert "default" in [g["name"] for g in groups]
    assert neutron("GET", "/floatingips")["floatingips"] == []
    aliases = {e["alias"] for e in neutron("GET", "/extensions")["extensions"]}
    assert {"quotas", "router", "security-group", "quota_details"} <= aliases


def test_a_long_query_string_is_served(neutron):
    """Nova lists the ports of every server of a page in one query string: with ~100
    servers it passed gunicorn's default limit of the request line (4094 bytes), and
    Neutron answered 400, so Nova's server list was a 500."""
    query = "&".join("device_id=%s" % uuid.uuid4() for _ in range(150))
    assert len(query) > 5000
    assert neutron("GET", "/ports?" + query) == {"ports": []}
