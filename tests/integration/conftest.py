"""Fixtures for the integration tests against the local cloud (``python3 -m localcloud up``).

Nothing here needs Django.  ``cloud_info`` FAILS (it does not skip) when the cloud is
not up: an integration run without its cloud must not look green.
"""

import importlib
import os
import sys
import urllib.request

import pytest

_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

from localcloud.info import CloudNotUpError, load_cloud_info  # noqa: E402

_HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_collection_modifyitems(config, items):
    """Everything under tests/integration is an integration test."""
    for item in items:
        if str(item.fspath).startswith(_HERE + os.sep):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def cloud_info():
    """The dict of ``.localcloud/cloud.json``; fails with a clear message if not up."""
    problem = None
    try:
        info = load_cloud_info()
    except CloudNotUpError as e:
        problem = str(e)
    if problem is None:
        try:
            urllib.request.urlopen(info["auth_url"], timeout=5).close()
        except OSError as e:
            problem = (
                "The local cloud is not answering at %s (%s). Start it from the repository "
                "root with: python3 -m localcloud up" % (info["auth_url"], e)
            )
    if problem:
        pytest.fail(problem, pytrace=False)
    return info


def make_session(info, user):
    from localcloud.auth import session_for

    return session_for(info, user)


@pytest.fixture(scope="session")
def admin_session(cloud_info):
    return make_session(cloud_info, "admin")


@pytest.fixture(scope="session")
def demo_session(cloud_info):
    return make_session(cloud_info, "demo")


@pytest.fixture(scope="session")
def alt_demo_session(cloud_info):
    return make_session(cloud_info, "alt_demo")


def login(cloud_info, user):
    """A Horizon-style request signed in as ``user`` (Django settings needed: imported here)."""
    from tests.integration import horizon_request

    return horizon_request.login(cloud_info, user)


@pytest.fixture(scope="module")
def demo(cloud_info):
    return login(cloud_info, "demo")


@pytest.fixture(scope="module")
def admin(cloud_info):
    return login(cloud_info, "admin")


@pytest.fixture
def request_(demo):
    """A fresh request of demo's session (empty per-request memo)."""
    from tests.integration import horizon_request

    return horizon_request.fresh(demo)


@pytest.fixture
def attached_volume(request_, cloud_info):
    """The seeded volume attached to the seeded server (``python3 -m localcloud seed``)."""
    from protection_dashboard import api

    found = api.cinder.volume_get(request_, cloud_info["seed"]["volume_attached"]["id"])
    assert found.status == "in-use", "the seeded attached volume is not in-use"
    return found


def client_factory(cloud_info, module, default_version):
    """``make(session, microversion=default_version)`` of a python client ``module``."""
    client = importlib.import_module(module)

    def make(session, microversion=default_version):
        return client.Client(microversion, session=session, region_name=cloud_info["region"])

    return make


@pytest.fixture(scope="session")
def cinder_client(cloud_info):
    """Factory: ``cinder_client(session, microversion="3.66")``."""
    return client_factory(cloud_info, "cinderclient.client", "3.66")


@pytest.fixture(scope="session")
def manila_client(cloud_info):
    """Factory: ``manila_client(session, microversion="2.65")``."""
    return client_factory(cloud_info, "manilaclient.client", "2.65")


@pytest.fixture(scope="session")
def nova_client(cloud_info):
    """Factory: ``nova_client(session, microversion="2.80")``."""
    return client_factory(cloud_info, "novaclient.client", "2.80")


@pytest.fixture(scope="session")
def glance_client(cloud_info):
    """Factory: ``glance_client(session)`` (Image API v2)."""
    return client_factory(cloud_info, "glanceclient.client", "2")
