"""No dropped connections (issue 8c): the APIs never close a connection a client may reuse.

gunicorn closed idle keep-alive connections after 2 s; a client sending its next
request on such a connection just as (or after) the server closed it got
``RemoteDisconnected``.  Needs ``python3 -m localcloud up``.
"""

import http.client
import itertools
import threading
import time
import urllib.parse

import pytest

from localcloud.auth import session_for

# service type in the catalog -> a cheap authenticated GET below its endpoint
APIS = {
    "identity": "/auth/projects",
    "image": "/v2/images?limit=1",
    "placement": "/",
    "compute": "/servers?limit=1",
    "volumev3": "/volumes?limit=1",
    "sharev2": "/shares?limit=1",
    "network": "/v2.0/networks",
}
POLL_SECONDS = 25
# idle gaps between two requests, around and beyond gunicorn's default keep-alive (2 s)
GAPS = [0.0, 0.3, 1.0, 1.99, 2.0, 2.001, 2.005, 2.02, 2.5, 3.0]


def test_one_session_polling_each_api_sees_no_error(cloud_info):
    """Each API polled at once (one thread and one keystoneauth session each)."""
    errors, counts = [], {}

    def poll(service_type, path):
        session = session_for(cloud_info, "demo")
        gaps = itertools.cycle(GAPS)
        n = 0
        deadline = time.monotonic() + POLL_SECONDS
        while time.monotonic() < deadline:
            try:
                session.get(path, endpoint_filter={"service_type": service_type,
                                                   "interface": "public"})  # fmt: skip
            except Exception as e:  # noqa: BLE001 - collected and asserted below
                errors.append("%s after %d requests: %r" % (service_type, n, e))
            n += 1
            time.sleep(next(gaps))
        counts[service_type] = n

    threads = [threading.Thread(target=poll, args=item) for item in APIS.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert set(counts) == set(APIS) and min(counts.values()) >= 10, counts


@pytest.mark.parametrize("port", [5000, 9292, 8778, 8774, 8776, 8786, 9696])
@pytest.mark.parametrize("gap", [2.5])
def test_connection_reused_after_an_idle_gap(cloud_info, port, gap):
    """A plain http.client connection (no liveness check) reused after ``gap`` s idle."""
    host = urllib.parse.urlsplit(cloud_info["auth_url"]).hostname
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
        time.sleep(gap)
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.status < 500
