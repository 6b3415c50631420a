"""``python3 -m localcloud up|down|status|seed|reset``: the local OpenStack cloud.

Stdlib only: this runs with the plain system python before any venv exists.  It
installs what is missing (Debian packages, the services' own venv), writes the
configuration files, starts every service as a detached process on 127.0.0.1, waits
until the cloud is usable and writes ``<state>/cloud.json``.
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request

from localcloud import info

REPO_ROOT = info.REPO_ROOT
PKG_DIR = os.path.join(REPO_ROOT, "localcloud")
TEMPLATES = os.path.join(PKG_DIR, "templates")
CONSTRAINTS = os.path.join(PKG_DIR, "constraints.txt")

# What goes into <state>/venv (pinned by localcloud/constraints.txt).
REQUIREMENTS = [
    "keystone==30.0.0",
    "glance==33.0.0",
    "openstack-placement==16.0.0",
    "nova==34.0.0",
    "cinder==29.0.0",
    "manila==23.0.1",
    "keystoneauth1>=5.16.0",
    "oslo.versionedobjects>=3.12.0",
    "gunicorn",
    "PyMySQL",
    "python-cinderclient",
    "python-manilaclient",
    "python-novaclient",
    "python-glanceclient",
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
]

RABBIT_BIN = "/usr/lib/rabbitmq/bin/rabbitmq-server"
RABBIT_PORT = 5672
RABBIT_DIST_PORT = 25672
EPMD_PORT = 4369

PASSWORDS = {
    "admin": "localcloud-admin",
    "demo": "localcloud-demo",
    "alt_demo": "localcloud-alt-demo",
    "service": "localcloud-service",
    "db": "localcloud-db",
}
AUTH_URL = "http://127.0.0.1:5000/v3"
REGION = "RegionOne"
VOLUME_TYPE = "localfile"
VOLUME_BACKEND_HOST = "localcloud@localfile#localfile"
SHARE_TYPE = "default"
FLAVOR = "m1.tiny"
IMAGE = "tiny-image"

DATABASES = ["cinder", "manila", "nova_api", "nova", "nova_cell0"]

API_PORTS = {
    "keystone": 5000,
    "glance-api": 9292,
    "placement-api": 8778,
    "nova-api": 8774,
    "cinder-api": 8776,
    "manila-api": 8786,
    "neutron-stub": 9696,
}



class CloudError(Exception):
    """A failure with a message for the user (no traceback)."""


class ServiceDied(CloudError):
    """A service's processes are all gone (stops a wait at once)."""


# --------------------------------------------------------------------------- paths
class Paths:
    def __init__(self, state=None):
        self.state = os.path.abspath(state) if state else info.state_dir()
        self.venv = os.path.join(self.state, "venv")
        self.etc = os.path.join(self.state, "etc")
        self.data = os.path.join(self.state, "data")
        self.log = os.path.join(self.state, "log")
        self.run = os.path.join(self.state, "run")
        self.stamps = os.path.join(self.state, "run", "stamps")
        self.bin = os.path.join(self.state, "bin")
        self.mysql_sock = os.path.join(self.run, "mysqld.sock")
        self.cloud_json = os.path.join(self.state, "cloud.json")
        self.cloud_json_down = os.path.join(self.run, "cloud.json.down")

    def vbin(self, name):
        return os.path.join(self.venv, "bin", name)

    def pidfile(self, name):
        return os.path.join(self.run, name + ".pid")

    def logfile(self, name):
        return os.path.join(self.log, name + ".log")

    def stamp(self, name):
        return os.path.join(self.stamps, name)


def say(msg):
    print(msg, flush=True)


_T0 = [time.time()]


def step(msg):
    say("  [%5.1f s] %s" % (time.time() - _T0[0], msg))


def db_url(p, db):
    return "mysql+pymysql://localcloud:%s@localhost/%s?unix_socket=%s&charset=utf8mb4" % (
        PASSWORDS["db"],
        db,
        p.mysql_sock,
    )


# ----------------------------------------------------------------------- services
class Service:
    def __init__(self, name, argv, port=None, env=None, group="app", health=None, extra_ports=()):
        self.name = name
        self.argv = argv
        self.port = port
        self.env = env or {}
        self.group = group
        self.health = health  # URL answering when the API is up
        self.extra_ports = extra_ports


def gunicorn(p, name, port, module, conf, threads=4, env=None):
    argv = [
        p.vbin("gunicorn"),
        "--bind", "127.0.0.1:%d" % port,
        "--workers", "1",
        "--threads", str(threads),
        "--timeout", "300",
        "--graceful-timeout", "5",
        "--no-control-socket",
        "--name", name,
        "--pythonpath", REPO_ROOT,
        "localcloud.wsgi:application",
    ]  # fmt: skip
    e = {
        "LOCALCLOUD_WSGI_MODULE": module,
        "LOCALCLOUD_WSGI_NAME": name,
        "LOCALCLOUD_WSGI_CONF": conf,
    }
    e.update(env or {})
    return Service(name, argv, port=port, env=e, health="http://127.0.0.1:%d/" % port)


def services(p):
    etc = p.etc
    rabbit_env = {
        "RABBITMQ_NODENAME": "localcloud@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(RABBIT_PORT),
        "RABBITMQ_DIST_PORT": str(RABBIT_DIST_PORT),
        "RABBITMQ_MNESIA_BASE": os.path.join(p.data, "rabbitmq", "mnesia"),
        "RABBITMQ_LOG_BASE": os.path.join(p.log, "rabbitmq"),
        "RABBITMQ_LOGS": "-",
        "RABBITMQ_CONFIG_FILE": os.path.join(etc, "rabbitmq", "rabbitmq.conf"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": os.path.join(etc, "rabbitmq", "advanced.config"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(etc, "rabbitmq", "enabled_plugins"),
        "RABBITMQ_CONF_ENV_FILE": os.path.join(etc, "rabbitmq", "rabbitmq-env.conf"),
        "RABBITMQ_PID_FILE": os.path.join(p.run, "rabbitmq-beam.pid"),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        "ERL_EPMD_ADDRESS": "127.0.0.1",
        "ERL_EPMD_PORT": str(EPMD_PORT),
        "HOME": os.path.join(p.data, "rabbitmq", "home"),
    }
    cinder_conf = os.path.join(etc, "cinder", "cinder.conf")
    manila_conf = os.path.join(etc, "manila", "manila.conf")
    nova_conf = os.path.join(etc, "nova", "nova.conf")
    return [
        Service(
            "mariadb",
            [
                "/usr/sbin/mariadbd",
                "--no-defaults",
                "--user=root",
                "--datadir=" + os.path.join(p.data, "mysql"),
                "--socket=" + p.mysql_sock,
                "--pid-file=" + os.path.join(p.run, "mariadbd.pid.internal"),
                "--skip-networking",
                "--bind-address=127.0.0.1",
                "--tmpdir=" + os.path.join(p.data, "mysql-tmp"),
                "--innodb-buffer-pool-size=64M",
                "--innodb-log-file-size=32M",
                "--max-connections=1000",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",
                "--skip-log-bin",
                "--performance-schema=OFF",
            ],
            group="infra",
        ),
        Service(
            "epmd",
            ["/usr/bin/epmd", "-address", "127.0.0.1", "-port", str(EPMD_PORT)],
            port=EPMD_PORT,
            group="infra",
        ),
        Service(
            "rabbitmq",
            [RABBIT_BIN],
            port=RABBIT_PORT,
            env=rabbit_env,
            group="infra",
            extra_ports=(RABBIT_DIST_PORT,),
        ),
        gunicorn(
            p,
            "keystone",
            5000,
            "keystone.wsgi.api",
            os.path.join(etc, "keystone", "keystone.conf"),
            env={
                "OS_KEYSTONE_CONFIG_DIR": os.path.join(etc, "keystone"),
                "OS_KEYSTONE_CONFIG_FILES": "keystone.conf",
            },
        ),
        gunicorn(
            p,
            "glance-api",
            9292,
            "glance.wsgi.api",
            os.path.join(etc, "glance", "glance-api.conf"),
            env={"OS_GLANCE_CONFIG_DIR": os.path.join(etc, "glance")},
        ),
        gunicorn(
            p,
            "placement-api",
            8778,
            "placement.wsgi.api",
            os.path.join(etc, "placement", "placement.conf"),
            threads=1,
            env={"OS_PLACEMENT_CONFIG_DIR": os.path.join(etc, "placement")},
        ),
        Service(
            "neutron-stub",
            [sys.executable, "-m", "localcloud.neutron_stub", "--port", "9696"],
            port=9696,
            health="http://127.0.0.1:9696/",
        ),
        # nova-conductor first: nova-compute waits (10 s pings) until it answers
        Service("nova-conductor", [p.vbin("nova-conductor"), "--config-file", nova_conf]),
        gunicorn(p, "cinder-api", 8776, "cinder.wsgi.api", cinder_conf),
        Service("cinder-scheduler", [p.vbin("cinder-scheduler"), "--config-file", cinder_conf]),
        Service("cinder-volume", [p.vbin("cinder-volume"), "--config-file", cinder_conf]),
        Service("cinder-backup", [p.vbin("cinder-backup"), "--config-file", cinder_conf]),
        gunicorn(p, "manila-api", 8786, "manila.wsgi.api", manila_conf),
        Service("manila-scheduler", [p.vbin("manila-scheduler"), "--config-file", manila_conf]),
        Service("manila-share", [p.vbin("manila-share"), "--config-file", manila_conf]),
        gunicorn(
            p,
            "nova-api",
            8774,
            "nova.wsgi.osapi_compute",
            nova_conf,
            env={
                "OS_NOVA_CONFIG_DIR": os.path.join(etc, "nova"),
                "OS_NOVA_CONFIG_FILES": "api-paste.ini;nova.conf",
            },
        ),
        Service("nova-scheduler", [p.vbin("nova-scheduler"), "--config-file", nova_conf]),
        Service(
            "nova-compute", [os.path.join(p.bin, "nova-compute"), "--config-file", nova_conf]
        ),
    ]


# ------------------------------------------------------------------------ processes
def read_pidfile(p, name):
    """(pid, start time) from the pid file, or (None, None)."""
    try:
        with open(p.pidfile(name)) as f:
            fields = f.read().split()
        return int(fields[0]), (int(fields[1]) if len(fields) > 1 else None)
    except (OSError, ValueError, IndexError):
        return None, None


def read_pid(p, name):
    return read_pidfile(p, name)[0]


def proc_stat(pid):
    """(state, pgid, sid, starttime) of a process, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return fields[0], int(fields[2]), int(fields[3]), int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def session_members(sid):
    """Live (non-zombie) processes of the session sid (every daemon is a session leader)."""
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = proc_stat(int(d))
            if st and st[2] == sid and st[0] != "Z":
                found.append(int(d))
    return found


def running_pid(p, name):
    """The session id (= leader pid) of a service of ours that still has processes."""
    pid, start = read_pidfile(p, name)
    if not pid:
        return None
    st = proc_stat(pid)
    if st and st[0] != "Z" and start is not None and st[3] != start:
        return None  # pid reused by another process
    if st and st[0] != "Z" and st[2] == pid:
        return pid
    return pid if session_members(pid) else None


def port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def port_open(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def base_env(p):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith(("OS_", "VIRTUAL_ENV", "PYTHONHOME", "GUNICORN_")):
            env.pop(k)
    env["PATH"] = os.path.join(p.venv, "bin") + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env["PYTHONPATH"] = REPO_ROOT
    env["LOCALCLOUD_STATE"] = p.state
    env["PYTHONUNBUFFERED"] = "1"
    return env


def spawn(p, svc):
    env = base_env(p)
    env.update(svc.env)
    logf = open(p.logfile(svc.name), "ab")  # noqa: SIM115 - handed to the child
    logf.write(("\n==== %s starting %s\n" % (time.strftime("%F %T"), svc.name)).encode())
    logf.flush()
    try:
        proc = subprocess.Popen(
            svc.argv,
            stdin=subprocess.DEVNULL,
            stdout=logf,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
    finally:
        logf.close()
    st = proc_stat(proc.pid)
    with open(p.pidfile(svc.name), "w") as f:
        f.write("%d %d\n" % (proc.pid, st[3] if st else 0))
    return proc.pid


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _signal_session(sid, sig):
    try:
        os.killpg(sid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in session_members(sid):  # members that left the process group
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop_pids(sids, timeout):
    """SIGTERM every process of each session, SIGKILL what is left after timeout s."""
    for sid in sids:
        _signal_session(sid, signal.SIGTERM)
    deadline = time.time() + timeout
    alive = list(sids)
    while alive and time.time() < deadline:
        time.sleep(0.2)
        alive = [sid for sid in alive if session_members(sid)]
    for sid in alive:
        _signal_session(sid, signal.SIGKILL)
    return alive


# ------------------------------------------------------------------------- install
def ensure_apt():
    missing = []
    for path, pkg in APT_NEEDS:
        found = os.path.exists(path) if os.path.isabs(path) else shutil.which(path)
        if not found and pkg not in missing:
            missing.append(pkg)
    if not missing:
        return
    say("Installing Debian packages: %s" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "-o", "DPkg::Lock::Timeout=900", "install", "-y", "--no-install-recommends"]
    # Keep the packages' own system services (mariadb, rabbitmq on 0.0.0.0:5672) from
    # starting: we run our own instances.  Only while we install, only if absent.
    policy = "/usr/sbin/policy-rc.d"
    own_policy = not os.path.exists(policy)
    if own_policy:
        with open(policy, "w") as f:
            f.write("#!/bin/sh\n# temporary, written by python3 -m localcloud up\nexit 101\n")
        os.chmod(policy, 0o755)
    try:
        if subprocess.run(cmd + missing, env=env, stdin=subprocess.DEVNULL).returncode != 0:
            say("apt-get install failed; running apt-get update and retrying")
            subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=900", "update"], env=env,
                           stdin=subprocess.DEVNULL)  # fmt: skip
            if subprocess.run(cmd + missing, env=env, stdin=subprocess.DEVNULL).returncode:
                raise CloudError("apt-get install %s failed" % " ".join(missing))
    finally:
        if own_policy:
            os.unlink(policy)


def venv_hash():
    h = hashlib.sha256()
    with open(CONSTRAINTS, "rb") as f:
        h.update(f.read())
    h.update("\n".join(REQUIREMENTS).encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def ensure_venv(p):
    stamp = os.path.join(p.venv, ".localcloud-stamp")
    want = venv_hash()
    try:
        with open(stamp) as f:
            if f.read().strip() == want and os.path.exists(p.vbin("python")):
                return
    except OSError:
        pass
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
    with open(stamp, "w") as f:
        f.write(want + "\n")
    say("  venv ready in %.0f s" % (time.time() - t0))


# -------------------------------------------------------------------------- config
def render(p, template, dest, **extra):
    with open(os.path.join(TEMPLATES, template)) as f:
        text = f.read()
    values = {
        "state": p.state,
        "venv": p.venv,
        "etc": p.etc,
        "data": p.data,
        "log": p.log,
        "run": p.run,
        "repo": REPO_ROOT,
        "service_password": PASSWORDS["service"],
        "transport_url": "rabbit://guest:guest@127.0.0.1:%d/" % RABBIT_PORT,
    }
    for db in DATABASES:
        values["db_url_" + db] = db_url(p, db)
    values.update(extra)
    if "authtoken" not in values and "${authtoken}" in text:
        with open(os.path.join(TEMPLATES, "_authtoken.tmpl")) as f:
            values["authtoken"] = string.Template(f.read()).substitute(
                service_user=extra.get("service_user", "admin"),
                service_password=PASSWORDS["service"],
            )
    out = string.Template(text).substitute(values)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w") as f:
        f.write(out)


def write_configs(p):
    for d in (p.etc, p.data, p.log, p.run, p.stamps, p.bin,
              os.path.join(p.data, "mysql-tmp"),
              os.path.join(p.data, "keystone"),
              os.path.join(p.data, "glance", "images"),
              os.path.join(p.data, "glance", "staging"),
              os.path.join(p.data, "glance", "tasks"),
              os.path.join(p.data, "glance", "locks"),
              os.path.join(p.data, "placement"),
              os.path.join(p.data, "cinder", "volumes"),
              os.path.join(p.data, "cinder", "backups"),
              os.path.join(p.data, "cinder", "locks"),
              os.path.join(p.data, "cinder", "coordination"),
              os.path.join(p.data, "manila", "locks"),
              os.path.join(p.data, "nova", "instances"),
              os.path.join(p.data, "nova", "locks"),
              os.path.join(p.data, "rabbitmq", "mnesia"),
              os.path.join(p.data, "rabbitmq", "home"),
              os.path.join(p.log, "rabbitmq"),
              os.path.join(p.etc, "rabbitmq")):  # fmt: skip
        os.makedirs(d, exist_ok=True)
    e = p.etc
    render(p, "keystone.conf", os.path.join(e, "keystone", "keystone.conf"))
    render(p, "glance-api.conf", os.path.join(e, "glance", "glance-api.conf"),
           service_user="glance")  # fmt: skip
    render(p, "placement.conf", os.path.join(e, "placement", "placement.conf"),
           service_user="placement")  # fmt: skip
    render(p, "cinder.conf", os.path.join(e, "cinder", "cinder.conf"), service_user="cinder")
    render(p, "manila.conf", os.path.join(e, "manila", "manila.conf"), service_user="manila")
    render(p, "nova.conf", os.path.join(e, "nova", "nova.conf"), service_user="nova")
    venv_etc = os.path.join(p.venv, "etc")
    for src, dst in (
        ("glance/glance-api-paste.ini", "glance/glance-api-paste.ini"),
        ("cinder/api-paste.ini", "cinder/api-paste.ini"),
        ("cinder/resource_filters.json", "cinder/resource_filters.json"),
        ("manila/api-paste.ini", "manila/api-paste.ini"),
        ("nova/api-paste.ini", "nova/api-paste.ini"),
    ):
        shutil.copyfile(os.path.join(venv_etc, src), os.path.join(e, dst))
    # rabbitmq
    rdir = os.path.join(e, "rabbitmq")
    with open(os.path.join(rdir, "rabbitmq.conf"), "w") as f:
        f.write(
            "listeners.tcp.default = 127.0.0.1:%d\n"
            "loopback_users.guest = true\n"
            "log.console = true\n"
            "log.console.level = info\n"
            "log.file = false\n"
            "vm_memory_high_watermark.absolute = 1GB\n"
            "disk_free_limit.absolute = 50MB\n" % RABBIT_PORT
        )
    with open(os.path.join(rdir, "advanced.config"), "w") as f:
        f.write("[].\n")
    with open(os.path.join(rdir, "enabled_plugins"), "w") as f:
        f.write("[].\n")
    with open(os.path.join(rdir, "rabbitmq-env.conf"), "w") as f:
        f.write("# empty: every setting comes from the environment\n")
    # nova-compute launcher: loads localcloud/nova_virt/localfake.py as nova.virt.localfake
    launcher = os.path.join(p.bin, "nova-compute")
    with open(launcher, "w") as f:
        f.write(
            "#!%s\n"
            "# Generated by python -m localcloud up\n"
            "import sys\n"
            "import nova.virt\n"
            "nova.virt.__path__.append(%r)\n"
            "from nova.cmd.compute import main\n"
            "sys.exit(main())\n" % (p.vbin("python"), os.path.join(PKG_DIR, "nova_virt"))
        )
    os.chmod(launcher, 0o755)


# ----------------------------------------------------------------------- helpers
def run_logged(p, logname, argv, env=None, timeout=600, ok_codes=(0,)):
    e = base_env(p)
    e.update(env or {})
    log = p.logfile(logname)
    with open(log, "ab") as lf:
        lf.write(("\n==== %s %s\n" % (time.strftime("%F %T"), " ".join(argv))).encode())
        lf.flush()
        rc = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=lf,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
            env=e,
            timeout=timeout,
        ).returncode
    if rc not in ok_codes:
        raise CloudError("%s failed (exit %d); see %s" % (" ".join(argv[:3]), rc, log))


def mysql(p, sql, capture=False):
    r = subprocess.run(
        ["/usr/bin/mariadb", "--no-defaults", "-uroot", "-S", p.mysql_sock, "-N", "-B", "-e", sql],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise CloudError("mariadb: %s failed: %s" % (sql[:60], r.stderr.strip()))
    return r.stdout


def wait_for(what, check, timeout, log=None, interval=0.5):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            if check():
                return
        except ServiceDied:
            raise
        except Exception as e:  # noqa: BLE001 - keep polling, report the last error
            last = e
        time.sleep(interval)
    msg = "timed out after %d s waiting for %s" % (timeout, what)
    if last:
        msg += " (last error: %s)" % last
    if log:
        msg += "; see %s" % log
    raise CloudError(msg)


def http(method, url, token=None, body=None, headers=None, timeout=10):
    h = {"Accept": "application/json"}
    if token:
        h["X-Auth-Token"] = token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None), r.headers
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw), e.headers
        except ValueError:
            return e.code, raw, e.headers


def admin_token():
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": "admin",
                        "domain": {"name": "Default"},
                        "password": PASSWORDS["admin"],
                    }
                },
            },
            "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}},
        }
    }
    code, data, headers = http("POST", AUTH_URL + "/auth/tokens", body=body)
    if code != 201:
        raise CloudError("keystone: admin login failed (HTTP %s)" % code)
    return headers["X-Subject-Token"], data["token"]["project"]["id"]


def api_answers(url):
    try:
        code, _, _ = http("GET", url, timeout=3)
    except OSError:
        return False
    return code < 500


# ----------------------------------------------------------------------------- up
def listener_pids(port):
    """Pids of the processes listening on TCP port (any address), from /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 10 or fields[3] != "0A":  # 0A = LISTEN
                continue
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add("socket:[%s]" % fields[9])
    pids = set()
    if not inodes:
        return pids
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        fd_dir = "/proc/%s/fd" % d
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(os.path.join(fd_dir, fd)) in inodes:
                    pids.add(int(d))
                    break
            except OSError:
                continue
    return pids


def other_cloud_state(pid):
    """The state dir of ANOTHER local cloud (e.g. another clone) that runs pid, or None.

    Proven by that state dir's pid files naming pid's session."""
    st = proc_stat(pid)
    if not st:
        return None
    sid = st[2]
    candidates = []
    for who in (pid, sid):
        try:
            with open("/proc/%d/environ" % who, "rb") as f:
                for item in f.read().split(b"\0"):
                    if item.startswith(b"LOCALCLOUD_STATE="):
                        candidates.append(item.split(b"=", 1)[1].decode())
        except OSError:
            pass
        try:
            candidates.append(os.path.join(os.readlink("/proc/%d/cwd" % who), ".localcloud"))
        except OSError:
            pass
    for state in candidates:
        run = os.path.join(state, "run")
        try:
            names = os.listdir(run)
        except OSError:
            continue
        for name in names:
            if name.endswith(".pid"):
                try:
                    with open(os.path.join(run, name)) as f:
                        if int(f.read().split()[0]) == sid:
                            return os.path.abspath(state)
                except (OSError, ValueError, IndexError):
                    continue
    return None


def check_ports(p, svcs):
    for svc in svcs:
        if running_pid(p, svc.name):
            continue
        for port in ([svc.port] if svc.port else []) + list(svc.extra_ports):
            if port_free(port):
                continue
            if svc.name == "epmd":
                continue  # an epmd that is not ours is shared happily
            others = {other_cloud_state(pid) for pid in listener_pids(port)} - {None, p.state}
            if others:
                # Another clone's local cloud holds our fixed ports: only one can run.
                for state in sorted(others):
                    say("Stopping the local cloud of %s: it holds port %d (%s)"
                        % (state, port, svc.name))  # fmt: skip
                    do_down(Paths(state))
                deadline = time.time() + 10
                while not port_free(port) and time.time() < deadline:
                    time.sleep(0.2)
                if port_free(port):
                    continue
            raise CloudError(
                "port 127.0.0.1:%d needed by %s is already in use by another process "
                "(not started by this local cloud); stop it or free the port" % (port, svc.name)
            )


STARTED_AT = {}  # service name -> time.time() of its spawn in this run


def heartbeat_fresh(svc_record):
    """A service record counts as up only if it reported after we (re)started it."""
    if svc_record.get("state") != "up":
        return False
    started = STARTED_AT.get(svc_record.get("binary"))
    if started is None:
        return True
    # a fresh service record has no updated_at until its first report: use created_at
    stamp = svc_record.get("updated_at") or svc_record.get("created_at") or ""
    stamp = stamp.replace("Z", "")
    try:
        t = datetime.datetime.fromisoformat(stamp).replace(tzinfo=datetime.UTC)
    except ValueError:
        return False
    return t.timestamp() >= started - 1.0


def watched_files(p, svc):
    """Files whose change means the running service must be restarted."""
    project = svc.name.split("-")[0]
    files = []
    conf_dir = os.path.join(p.etc, project)
    if os.path.isdir(conf_dir):
        files += [os.path.join(conf_dir, f) for f in sorted(os.listdir(conf_dir))]
    code = {
        "cinder-volume": ["cinder_driver.py"],
        "cinder-backup": ["cinder_driver.py"],
        "nova-compute": [os.path.join("nova_virt", "localfake.py")],
        "neutron-stub": ["neutron_stub.py"],
    }.get(svc.name, [])
    files += [os.path.join(PKG_DIR, f) for f in code]
    if svc.name == "nova-compute":
        files.append(os.path.join(p.bin, "nova-compute"))
    if svc.argv[0].endswith("gunicorn"):
        files.append(os.path.join(PKG_DIR, "wsgi.py"))
    return files


def config_hash(p, svc):
    h = hashlib.sha256(json.dumps([svc.argv, sorted(svc.env.items())]).encode())
    for path in watched_files(p, svc):
        if os.path.isfile(path):
            h.update(path.encode())
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def start(p, svc):
    want = config_hash(p, svc)
    hashfile = os.path.join(p.run, svc.name + ".confighash")
    pid = running_pid(p, svc.name)
    if pid:
        try:
            with open(hashfile) as f:
                have = f.read().strip()
        except OSError:
            have = want  # started before hashes existed: adopt it as it is
            with open(hashfile, "w") as f:
                f.write(want + "\n")
        if have == want:
            return pid, False
        say("  restarting %s: its configuration or code changed" % svc.name)
        stop_pids([pid], 20)
    if svc.name == "epmd" and not port_free(EPMD_PORT):
        return None, False  # reuse the running epmd
    pid = spawn(p, svc)
    STARTED_AT[svc.name] = time.time()
    with open(hashfile, "w") as f:
        f.write(want + "\n")
    return pid, True


def ensure_started(p, svcs, names):
    for svc in svcs:
        if svc.name in names:
            pid, new = start(p, svc)
            if new:
                say("  started %-17s pid %d" % (svc.name, pid))


def wait_process_alive(p, svc):
    pid = read_pid(p, svc.name)
    if pid and not running_pid(p, svc.name):
        raise ServiceDied(
            "%s exited during start-up; see %s" % (svc.name, p.logfile(svc.name))
        )


def init_mariadb(p):
    datadir = os.path.join(p.data, "mysql")
    if os.path.exists(os.path.join(datadir, "mysql")):
        return
    say("  initialising MariaDB datadir")
    run_logged(
        p,
        "mariadb-install",
        [
            "/usr/bin/mariadb-install-db",
            "--no-defaults",
            "--user=root",
            "--datadir=" + datadir,
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
        ],
    )


def setup_databases(p):
    if os.path.exists(p.stamp("databases")):
        return
    stmts = []
    for db in DATABASES:
        stmts.append("CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4;" % db)
    stmts.append(
        "CREATE USER IF NOT EXISTS 'localcloud'@'localhost' IDENTIFIED BY '%s';" % PASSWORDS["db"]
    )
    stmts.append("GRANT ALL PRIVILEGES ON *.* TO 'localcloud'@'localhost';")
    stmts.append("FLUSH PRIVILEGES;")
    mysql(p, " ".join(stmts))
    open(p.stamp("databases"), "w").close()


def db_sync_jobs(p):
    e = p.etc
    kconf = ["--config-file", os.path.join(e, "keystone", "keystone.conf")]
    km = p.vbin("keystone-manage")
    nconf = ["--config-file", os.path.join(e, "nova", "nova.conf")]
    nm = p.vbin("nova-manage")
    return {
        "keystone": [
            [km] + kconf + ["db_sync"],
            [km] + kconf + ["fernet_setup", "--keystone-user", "root", "--keystone-group", "root"],
            [km] + kconf + ["credential_setup", "--keystone-user", "root",
                            "--keystone-group", "root"],
            [km] + kconf + ["bootstrap", "--bootstrap-password", PASSWORDS["admin"],
                            "--bootstrap-admin-url", "http://127.0.0.1:5000/v3",
                            "--bootstrap-internal-url", "http://127.0.0.1:5000/v3",
                            "--bootstrap-public-url", "http://127.0.0.1:5000/v3",
                            "--bootstrap-region-id", REGION],
        ],
        "glance": [[p.vbin("glance-manage"), "--config-file",
                    os.path.join(e, "glance", "glance-api.conf"), "db_sync"]],
        "placement": [[p.vbin("placement-manage"), "--config-file",
                       os.path.join(e, "placement", "placement.conf"), "db", "sync"]],
        "cinder": [[p.vbin("cinder-manage"), "--config-file",
                    os.path.join(e, "cinder", "cinder.conf"), "db", "sync"]],
        "manila": [[p.vbin("manila-manage"), "--config-file",
                    os.path.join(e, "manila", "manila.conf"), "db", "sync"]],
        "nova": [
            [nm] + nconf + ["api_db", "sync"],
            [nm] + nconf + ["cell_v2", "map_cell0", "--database_connection",
                            db_url(p, "nova_cell0")],
            [nm] + nconf + ["cell_v2", "create_cell", "--name", "cell1"],
            [nm] + nconf + ["db", "sync"],
        ],
    }  # fmt: skip


def run_db_syncs(p, only=None):
    jobs = {k: v for k, v in db_sync_jobs(p).items() if not os.path.exists(p.stamp("db-" + k))}
    if only is not None:
        jobs = {k: v for k, v in jobs.items() if k in only}
    if not jobs:
        return
    say("  database setup: %s" % ", ".join(sorted(jobs)))

    def chain(name, cmds):
        for argv in cmds:
            # create_cell exits 2 when cell1 exists (a first run that was interrupted)
            ok = (0, 2) if "create_cell" in argv else (0,)
            run_logged(p, "setup-" + name, argv, ok_codes=ok)
        open(p.stamp("db-" + name), "w").close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as ex:
        futs = [ex.submit(chain, k, v) for k, v in jobs.items()]
        for f in futs:
            f.result()


def provision(p, phase):
    run_logged(
        p,
        "provision",
        [p.vbin("python"), "-m", "localcloud.provision", phase],
        env={"LOCALCLOUD_CONFIG": json.dumps(cloud_static_info())},
        timeout=600,
    )


def cloud_static_info():
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


def wait_ready(p, svcs, timeout):
    by_name = {s.name: s for s in svcs}

    def alive_check(names):
        for n in names:
            wait_process_alive(p, by_name[n])

    # every API answers
    for svc in svcs:
        if svc.health:
            def check(svc=svc):
                wait_process_alive(p, svc)
                return api_answers(svc.health)

            wait_for("%s on %s" % (svc.name, svc.health), check, timeout, p.logfile(svc.name))
    step("every API answers")
    token, project_id = admin_token()

    def cinder_up():
        alive_check(["cinder-volume", "cinder-backup", "cinder-scheduler"])
        code, data, _ = http(
            "GET", "http://127.0.0.1:8776/v3/%s/os-services" % project_id, token
        )
        up = {s["binary"] for s in (data or {}).get("services", []) if heartbeat_fresh(s)}
        if not {"cinder-volume", "cinder-backup", "cinder-scheduler"} <= up:
            return False
        # the scheduler must also know the pool, or the first create is "No valid backend"
        code, data, _ = http(
            "GET", "http://127.0.0.1:8776/v3/%s/scheduler-stats/get_pools" % project_id, token
        )
        return code == 200 and VOLUME_BACKEND_HOST in [x["name"] for x in data.get("pools", [])]

    wait_for("the Cinder volume, backup and scheduler services to report up", cinder_up,
             timeout, p.logfile("cinder-volume"))  # fmt: skip
    step("cinder volume/backup/scheduler up, pool known to the scheduler")

    def manila_pool():
        alive_check(["manila-share", "manila-scheduler"])
        code, data, _ = http(
            "GET",
            "http://127.0.0.1:8786/v2/scheduler-stats/pools",
            token,
            headers={"X-OpenStack-Manila-API-Version": "2.23"},
        )
        if code != 200 or not data.get("pools"):
            return False
        code, data, _ = http(
            "GET", "http://127.0.0.1:8786/v2/services", token,
            headers={"X-OpenStack-Manila-API-Version": "2.23"},
        )  # fmt: skip
        up = {s["binary"] for s in (data or {}).get("services", []) if heartbeat_fresh(s)}
        return {"manila-share", "manila-scheduler"} <= up

    wait_for("the Manila share pool to be listed", manila_pool, timeout,
             p.logfile("manila-share"))  # fmt: skip
    step("manila pool listed")

    def compute_up():
        alive_check(["nova-compute", "nova-conductor", "nova-scheduler"])
        code, data, _ = http(
            "GET", "http://127.0.0.1:8774/v2.1/os-services", token,
            headers={"OpenStack-API-Version": "compute 2.53"},
        )  # fmt: skip
        up = {s["binary"] for s in (data or {}).get("services", []) if heartbeat_fresh(s)}
        return {"nova-compute", "nova-conductor", "nova-scheduler"} <= up

    wait_for("the Nova compute host to register", compute_up, timeout,
             p.logfile("nova-compute"))  # fmt: skip

    def hypervisor():
        code, data, _ = http("GET", "http://127.0.0.1:8774/v2.1/os-hypervisors", token)
        return code == 200 and bool(data.get("hypervisors"))

    wait_for("the Nova hypervisor to appear", hypervisor, timeout, p.logfile("nova-compute"))
    step("nova compute host registered")
    mapped = mysql(p, "SELECT COUNT(*) FROM nova_api.host_mappings WHERE host='localcloud'")
    if mapped.strip() == "0":
        say("  discovering the compute host")
        run_logged(p, "setup-nova", [p.vbin("nova-manage"), "--config-file",
                                     os.path.join(p.etc, "nova", "nova.conf"),
                                     "cell_v2", "discover_hosts", "--verbose"])  # fmt: skip


def api_versions():
    """{service: {"version": "vX", "min": ..., "max": ...}} from the unversioned roots."""
    out = {}
    for service, url in (("cinder", "http://127.0.0.1:8776/"),
                         ("manila", "http://127.0.0.1:8786/"),
                         ("nova", "http://127.0.0.1:8774/")):  # fmt: skip
        try:
            _, data, _ = http("GET", url)
            current = [v for v in data["versions"] if v.get("status") == "CURRENT"][0]
            out[service] = {
                "version": current["id"],
                "min": current.get("min_version"),
                "max": current.get("version"),
            }
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            continue
    return out


def write_cloud_json(p):
    data = cloud_static_info()
    data.pop("service_password", None)
    for previous in (p.cloud_json, p.cloud_json_down):
        try:
            with open(previous) as f:
                old = json.load(f)
        except (OSError, ValueError):
            continue
        if "seed" in old:
            data["seed"] = old["seed"]
            break
    data["state_dir"] = p.state
    data["cinder_volumes_dir"] = os.path.join(p.data, "cinder", "volumes")
    data["endpoints"] = {
        "identity": "http://127.0.0.1:5000/v3",
        "image": "http://127.0.0.1:9292",
        "placement": "http://127.0.0.1:8778",
        "compute": "http://127.0.0.1:8774/v2.1",
        "volumev3": "http://127.0.0.1:8776/v3/%(project_id)s",
        "sharev2": "http://127.0.0.1:8786/v2",
        "neutron_stand_in": "http://127.0.0.1:9696 (not in the catalog)",
    }
    data["api_versions"] = api_versions()
    tmp = p.cloud_json + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, p.cloud_json)
    if os.path.exists(p.cloud_json_down):
        os.unlink(p.cloud_json_down)


def print_summary(p):
    say("")
    say("Local cloud is up (state: %s)" % p.state)
    for name, port in API_PORTS.items():
        say("  %-14s http://127.0.0.1:%d" % (name, port))
    say("  auth_url       %s   region %s" % (AUTH_URL, REGION))
    say("  admin    / %-20s project admin" % PASSWORDS["admin"])
    say("  demo     / %-20s project demo (member)" % PASSWORDS["demo"])
    say("  alt_demo / %-20s project alt_demo (member)" % PASSWORDS["alt_demo"])
    say("  details: %s (from localcloud.info import load_cloud_info)" % p.cloud_json)


def cmd_up(args):
    p = Paths()
    t0 = _T0[0] = time.time()
    os.makedirs(p.state, exist_ok=True)
    for d in (p.log, p.run, p.stamps):
        os.makedirs(d, exist_ok=True)
    ensure_apt()
    ensure_venv(p)
    svcs = services(p)
    check_ports(p, svcs)
    write_configs(p)
    by = {s.name: s for s in svcs}

    init_mariadb(p)
    ensure_started(p, svcs, ["mariadb"])
    ensure_started(p, svcs, ["epmd", "rabbitmq"])

    def mysql_ok():
        wait_process_alive(p, by["mariadb"])
        mysql(p, "SELECT 1")
        return True

    wait_for("MariaDB to accept connections", mysql_ok, 60, p.logfile("mariadb"))
    setup_databases(p)
    run_db_syncs(p, only={"keystone", "glance", "placement"})
    ensure_started(p, svcs, ["keystone", "glance-api", "placement-api", "neutron-stub"])
    run_db_syncs(p)
    step("databases ready")
    wait_for("keystone on http://127.0.0.1:5000/v3",
             lambda: (wait_process_alive(p, by["keystone"]),
                      api_answers("http://127.0.0.1:5000/v3"))[1],
             120, p.logfile("keystone"))  # fmt: skip
    step("keystone answers")

    def wait_rabbit():
        wait_for("RabbitMQ on 127.0.0.1:%d" % RABBIT_PORT,
                 lambda: (wait_process_alive(p, by["rabbitmq"]), port_open(RABBIT_PORT))[1],
                 120, p.logfile("rabbitmq"))  # fmt: skip
        step("RabbitMQ answers")

    apps = [s.name for s in svcs if s.group == "app"]
    if os.path.exists(p.stamp("identity")):
        # identity exists from an earlier run: start everything, re-check it meanwhile
        wait_rabbit()
        ensure_started(p, svcs, apps)
        provision(p, "identity")
    else:
        provision(p, "identity")
        open(p.stamp("identity"), "w").close()
        wait_rabbit()
        ensure_started(p, svcs, apps)
    step("identity provisioned")
    wait_ready(p, svcs, timeout=args.timeout)
    provision(p, "resources")
    step("volume type, share type, flavor, image and quotas in place")
    write_cloud_json(p)
    print_summary(p)
    say("Ready in %.1f s" % (time.time() - t0))
    return 0


# --------------------------------------------------------------------- down etc.
def cmd_down(args):
    return do_down(Paths())


def do_down(p):
    if not os.path.isdir(p.run):
        say("Nothing to stop (no state in %s)" % p.state)
        return 0
    svcs = services(p)
    stopped = []
    app = [s for s in svcs if s.group == "app"]
    infra = [s for s in reversed(svcs) if s.group == "infra"]
    for batch, timeout in ((app, 20), (infra, 40)):
        pids = {}
        for svc in batch:
            pid = running_pid(p, svc.name)
            if pid:
                pids[svc.name] = pid
        if pids:
            killed = stop_pids(list(pids.values()), timeout)
            for name, pid in pids.items():
                stopped.append(name + (" (killed)" if pid in killed else ""))
    for svc in svcs:
        try:
            os.unlink(p.pidfile(svc.name))
        except FileNotFoundError:
            pass
    if os.path.exists(p.cloud_json):
        # load_cloud_info() must fail while the cloud is down; up restores the seed record
        os.replace(p.cloud_json, p.cloud_json_down)
    say("Stopped: %s" % ", ".join(stopped) if stopped else "Nothing was running")
    return 0


def cmd_status(args):
    p = Paths()
    svcs = services(p)
    total = 0
    rows = []
    all_ok = True
    for svc in svcs:
        pid = running_pid(p, svc.name)
        rss = sum(rss_kb(x) for x in session_members(pid)) if pid else 0
        total += rss
        if not pid:
            health = "down"
        elif svc.health:
            health = "ok (API answers)" if api_answers(svc.health) else "NOT ANSWERING"
        elif svc.port:
            health = "ok (port open)" if port_open(svc.port) else "NO PORT"
        else:
            health = "ok (alive)"
        if not health.startswith("ok"):
            all_ok = False
        rows.append((svc.name, str(pid or "-"), str(svc.port or "-"), health,
                     "%.0f MB" % (rss / 1024.0)))  # fmt: skip
    say("%-17s %-8s %-6s %-18s %s" % ("service", "pid", "port", "health", "RSS"))
    for r in rows:
        say("%-17s %-8s %-6s %-18s %s" % r)
    say("total RSS: %.0f MB (%.2f GiB)" % (total / 1024.0, total / 1024.0 / 1024.0))
    say("state: %s  cloud.json: %s" % (p.state, "present" if os.path.exists(p.cloud_json)
                                       else "absent"))  # fmt: skip
    return 0 if all_ok else 1


def cmd_seed(args):
    p = Paths()
    if not os.path.exists(p.cloud_json):
        raise CloudError("the cloud is not up (no %s); run: python3 -m localcloud up"
                         % p.cloud_json)  # fmt: skip
    t0 = time.time()
    e = base_env(p)
    r = subprocess.run(
        [p.vbin("python"), "-m", "localcloud.seed"], cwd=REPO_ROOT, env=e,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    if r.returncode != 0:
        raise CloudError("seed failed (exit %d)" % r.returncode)
    say("Seeded in %.1f s" % (time.time() - t0))
    return 0


def cmd_reset(args):
    p = Paths()
    cmd_down(args)
    if not os.path.isdir(p.state):
        return 0
    keep = {"venv"} if not args.all else set()
    for name in os.listdir(p.state):
        if name in keep:
            continue
        path = os.path.join(p.state, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    say("Wiped %s%s" % (p.state, " (kept the venv)" if keep else ""))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m localcloud",
        description="A real local OpenStack cloud on 127.0.0.1 (state in .localcloud/, "
        "or $LOCALCLOUD_STATE).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="install what is missing, start everything, wait until ready")
    up.add_argument("--timeout", type=int, default=240, help="readiness bound per step (s)")
    sub.add_parser("down", help="stop every service this cloud started (by pid)")
    sub.add_parser("status", help="each service with pid, port, health, RSS")
    sub.add_parser("seed", help="create the demo data (idempotent)")
    reset = sub.add_parser(
        "reset", help="down + wipe the state directory (keeps the venv unless --all)"
    )
    reset.add_argument("--all", action="store_true", help="also delete the venv")
    args = parser.parse_args(argv)
    handler = {
        "up": cmd_up,
        "down": cmd_down,
        "status": cmd_status,
        "seed": cmd_seed,
        "reset": cmd_reset,
    }[args.command]
    try:
        return handler(args)
    except CloudError as e:
        print("localcloud: error: %s" % e, file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
