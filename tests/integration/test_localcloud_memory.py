"""Memory of the local cloud (issue 8e): one process per daemon, at most 3 GiB RSS in all.

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
           "manila-scheduler", "manila-share"]  # fmt: skip


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


def test_status_total_rss_at_most_3_gib(cloud_info):
    r = subprocess.run([sys.executable, "-m", "localcloud", "status"], cwd=REPO_ROOT,
                       env=dict(os.environ, LOCALCLOUD_STATE=cloud_info["state_dir"]),
                       capture_output=True, text=True, timeout=60)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    total_mb = int(re.search(r"^total RSS: (\d+) MB", r.stdout, re.M).group(1))
    assert total_mb <= 3 * GiB_MB, r.stdout
