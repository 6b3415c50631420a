"""``python3 -m localcloud stop|start <service>`` for fault tests (issue 8d).

Needs ``python3 -m localcloud up``.  Each test leaves the service running again.
"""

import datetime
import os
import socket
import subprocess
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def localcloud(cloud_info):
    """``localcloud(*args)`` -> CompletedProcess of ``python -m localcloud args``."""
    env = dict(os.environ, LOCALCLOUD_STATE=cloud_info["state_dir"])

    def run(*args):
        return subprocess.run([sys.executable, "-m", "localcloud", *args], cwd=REPO_ROOT,
                              env=env, capture_output=True, text=True, timeout=300)  # fmt: skip

    return run


@pytest.fixture
def restart_after(localcloud):
    """Services named by the test are started again afterwards, whatever happened."""
    names = []
    yield names.append
    for name in names:
        r = localcloud("start", name)
        assert r.returncode == 0, r.stdout + r.stderr


def status_row(localcloud, name):
    r = localcloud("status")
    rows = [line.split() for line in r.stdout.splitlines()]
    return r.returncode, next(row for row in rows if row and row[0] == name)


def port_accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return False
    return True


def test_stop_then_start_an_api(localcloud, restart_after, admin_session):
    restart_after("placement-api")
    r = localcloud("stop", "placement-api")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Stopped placement-api" in r.stdout
    code, row = status_row(localcloud, "placement-api")
    assert code == 1 and row[1:4] == ["-", "8778", "down"]
    assert not port_accepts(8778)

    r = localcloud("stop", "placement-api")
    assert r.returncode == 0 and "not running" in r.stdout

    r = localcloud("start", "placement-api")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "placement-api started, ready" in r.stdout
    assert status_row(localcloud, "placement-api")[1][3] == "ok"
    resp = admin_session.get("/resource_providers",
                             endpoint_filter={"service_type": "placement"})  # fmt: skip
    assert resp.status_code == 200


def test_stop_then_start_a_daemon_reports_a_fresh_heartbeat(localcloud, restart_after,
                                                            admin_session):  # fmt: skip
    restart_after("manila-scheduler")
    r = localcloud("stop", "manila-scheduler")
    assert r.returncode == 0, r.stdout + r.stderr
    assert status_row(localcloud, "manila-scheduler")[1][1:4] == ["-", "-", "down"]

    started = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    r = localcloud("start", "manila-scheduler")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "manila-scheduler started, ready" in r.stdout
    resp = admin_session.get("/services", endpoint_filter={"service_type": "sharev2"},
                             headers={"X-OpenStack-Manila-API-Version": "2.23"})  # fmt: skip
    scheduler = [s for s in resp.json()["services"] if s["binary"] == "manila-scheduler"][0]
    assert scheduler["state"] == "up"
    reported = datetime.datetime.fromisoformat(scheduler["updated_at"].replace("Z", ""))
    assert reported >= started - datetime.timedelta(seconds=1)


def test_an_unknown_service_is_refused(localcloud):
    r = localcloud("stop", "no-such-service")
    assert r.returncode == 2
    assert "invalid choice: 'no-such-service'" in r.stderr
    assert "placement-api" in r.stderr  # the valid names are listed
