"""Memory of the local cloud (issue 8e): one process per daemon, at most 3 GiB RSS for the
services of issue 8; the workflow service (Mistral, issue 18) has a budget of its own.

Needs ``python3 -m localcloud up``.
"""

import os
import re
import subprocess
import sys

import pytest

from localcloud.config import Paths
from localcloud.procs import running_pid, session_members

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GiB_MB = 1024

# oslo.service daemons that used to fork a same-sized second process (cotyledon master +
# worker, or a ProcessLauncher child per backend) or start privsep helper processes
DAEMONS = ["nova-conductor", "nova-scheduler", "cinder-volume", "cinder-backup",
           "manila-scheduler", "manila-share", "mistral-engine"]  # fmt: skip
# Mistral's API, and its engine, executor and periodic (cron trigger) servers in one
# process: measured 330 MB after start-up.
MISTRAL = {"mistral-api", "mistral-engine"}
MISTRAL_BUDGET_MB = 450


def cmdline(pid):
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        return f.read().replace(b"\0", b" ").decode()


@pytest.mark.parametrize("name", DAEMONS)
def test_daemon_runs_in_one_process(cloud_info, name):
    p = Paths(cloud_info["state_dir"])
    sid = running_pid(p, name)
    assert sid, "%s is not running" % name
    procs = session_members(sid)
    assert procs == [sid], [cmdline(pid)[:120] for pid in procs]


def status_rss_mb(cloud_info):
    """(RSS in MB of each service, the status output) as ``localcloud status`` prints them."""
    r = subprocess.run([sys.executable, "-m", "localcloud", "status"], cwd=REPO_ROOT,
                       env=dict(os.environ, LOCALCLOUD_STATE=cloud_info["state_dir"]),
                       capture_output=True, text=True, timeout=60)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    rss = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\S+) .* (\d+) MB$", r.stdout, re.M)}
    total_mb = int(re.search(r"^total RSS: (\d+) MB", r.stdout, re.M).group(1))
    # each service's MB is rounded: the sum may differ from the total by one per service
    assert abs(sum(rss.values()) - total_mb) <= len(rss) and set(rss) >= MISTRAL, r.stdout
    return rss, r.stdout


def test_status_total_rss_at_most_3_gib(cloud_info):
    rss, out = status_rss_mb(cloud_info)
    assert sum(mb for name, mb in rss.items() if name not in MISTRAL) <= 3 * GiB_MB, out


def test_workflow_service_within_its_budget(cloud_info):
    rss, out = status_rss_mb(cloud_info)
    assert sum(rss[name] for name in MISTRAL) <= MISTRAL_BUDGET_MB, out
