"""Installation: the Debian packages and the services' own venv."""

import hashlib
import os
import shutil
import subprocess
import sys
import time

from localcloud.config import CONSTRAINTS, CloudError
from localcloud.run import say

# What goes into <state>/venv (pinned by localcloud/constraints.txt).
REQUIREMENTS = [
    "keystone==30.0.0",
    "glance==33.0.0",
    "openstack-placement==16.0.0",
    "nova==34.0.0",
    "cinder==29.0.0",
    "manila==23.0.1",
    "neutron==29.0.0",
    "mistral==23.0.0",
    "mistral-extra==17.0.0",
    "keystoneauth1>=5.16.0",
    "oslo.versionedobjects>=3.12.0",
    "gunicorn",
    "PyMySQL",
    "python-cinderclient",
    "python-manilaclient",
    "python-novaclient",
    "python-glanceclient",
    "python-mistralclient",
    "python-openstackclient",
    "osc-placement",
]

# Debian packages: a command (or file) that must exist -> the package that brings it.
APT_NEEDS = [
    ("/usr/sbin/mariadbd", "mariadb-server"),
    ("/usr/bin/mariadb-install-db", "mariadb-server"),
    ("/usr/bin/mariadb", "mariadb-client"),
    ("/usr/lib/rabbitmq/bin/rabbitmq-server", "rabbitmq-server"),
    ("/usr/bin/epmd", "erlang-base"),
    ("gcc", "gcc"),
    ("/usr/bin/qemu-img", "qemu-utils"),  # Cinder's volume <-> image copies
]

APT_GET = ["apt-get", "-o", "DPkg::Lock::Timeout=900"]
POLICY_RC = "/usr/sbin/policy-rc.d"


def missing_packages():
    missing = []
    for path, pkg in APT_NEEDS:
        found = os.path.exists(path) if os.path.isabs(path) else shutil.which(path)
        if not found and pkg not in missing:
            missing.append(pkg)
    return missing


def ensure_apt():
    missing = missing_packages()
    if not missing:
        return
    say("Installing Debian packages: %s" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = APT_GET + ["install", "-y", "--no-install-recommends"] + missing

    def apt(argv):
        return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL).returncode

    # Keep the packages' own system services (mariadb, rabbitmq on 0.0.0.0:5672) from
    # starting: we run our own instances.  Only while we install, only if absent.
    own_policy = not os.path.exists(POLICY_RC)
    if own_policy:
        with open(POLICY_RC, "w") as f:
            f.write("#!/bin/sh\n# temporary, written by python3 -m localcloud up\nexit 101\n")
        os.chmod(POLICY_RC, 0o755)
    try:
        if apt(cmd) != 0:
            say("apt-get install failed; running apt-get update and retrying")
            apt(APT_GET + ["update"])
            if apt(cmd) != 0:
                raise CloudError("apt-get install %s failed" % " ".join(missing))
    finally:
        if own_policy:
            os.unlink(POLICY_RC)


def venv_hash():
    h = hashlib.sha256()
    with open(CONSTRAINTS, "rb") as f:
        h.update(f.read())
    h.update("\n".join(REQUIREMENTS).encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def venv_current(p, want):
    stamp = os.path.join(p.venv, ".localcloud-stamp")
    try:
        with open(stamp) as f:
            return f.read().strip() == want and os.path.exists(p.vbin("python"))
    except FileNotFoundError:
        return False


def ensure_venv(p):
    want = venv_hash()
    if venv_current(p, want):
        return
    t0 = time.time()
    if not os.path.exists(p.vbin("python")):
        say("Creating the services' venv %s" % p.venv)
        subprocess.run([sys.executable, "-m", "venv", p.venv], check=True)
    say("Installing the pinned OpenStack services into the venv (a few minutes the first time)")
    log = p.logfile("pip-install")
    with open(log, "ab") as lf:
        rc = subprocess.run(
            [p.vbin("python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             "-c", CONSTRAINTS] + REQUIREMENTS,
            stdout=lf,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        ).returncode  # fmt: skip
    if rc != 0:
        raise CloudError("pip install into %s failed; see %s" % (p.venv, log))
    with open(os.path.join(p.venv, ".localcloud-stamp"), "w") as f:
        f.write(want + "\n")
    say("  venv ready in %.0f s" % (time.time() - t0))
