"""Readiness checks: bounded waits until processes, APIs and service heartbeats are up."""

import datetime
import json
import time

from localcloud.config import VOLUME_BACKEND_HOST, CloudError, ServiceDied
from localcloud.database import compute_host_mapped, discover_compute_hosts, mysql
from localcloud.procs import port_open, read_pidfile, running_pid
from localcloud.rest import admin_token, api_answers, http
from localcloud.run import say


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


def check_alive(p, name):
    """Raise ServiceDied if the service has a pid file but no process left."""
    if read_pidfile(p, name)[0] and not running_pid(p, name):
        raise ServiceDied("%s exited during start-up; see %s" % (name, p.logfile(name)))


def wait_answers(p, name, url, timeout):
    """Wait until the service ``name`` answers GET url (fails at once if it dies)."""

    def check():
        check_alive(p, name)
        return api_answers(url)

    wait_for("%s on %s" % (name, url), check, timeout, p.logfile(name))


def heartbeat_fresh(run, svc_record):
    """A service record counts as up only if it reported after this run (re)started it."""
    if svc_record.get("state") != "up":
        return False
    started = run.started_at.get(svc_record.get("binary"))
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


# Where each project's daemons report their heartbeats: (URL, API version headers).
HEARTBEATS = {
    "cinder": ("http://127.0.0.1:8776/v3/%(project_id)s/os-services", None),
    "manila": ("http://127.0.0.1:8786/v2/services", {"X-OpenStack-Manila-API-Version": "2.23"}),
    "nova": ("http://127.0.0.1:8774/v2.1/os-services", {"OpenStack-API-Version": "compute 2.53"}),
}
CINDER = ["cinder-volume", "cinder-backup", "cinder-scheduler"]
MANILA = ["manila-share", "manila-scheduler"]
NOVA = ["nova-compute", "nova-conductor", "nova-scheduler"]


def services_up(run, names, token, project_id):
    """Whether every daemon in names (one project's) is alive and has a fresh heartbeat."""
    for n in names:
        check_alive(run.paths, n)
    url, headers = HEARTBEATS[names[0].split("-")[0]]
    _, data, _ = http("GET", url % {"project_id": project_id}, token, headers=headers)
    up = {s["binary"] for s in (data or {}).get("services", []) if heartbeat_fresh(run, s)}
    return set(names) <= up


MISTRAL_ACTIONS = "http://127.0.0.1:8989/v2/action_executions"
NOOP = {"name": "std.noop", "params": json.dumps({"run_sync": True, "save_result": False})}


def workflow_engine_works(run, token):
    """Mistral's engine and executor run an action (``std.noop``) that the API hands over:
    the servers of mistral-engine have no heartbeat record to read."""
    check_alive(run.paths, "mistral-engine")
    code, data, _ = http("POST", MISTRAL_ACTIONS, token,
                         body=NOOP, timeout=30)  # fmt: skip
    return code == 201 and data.get("state") == "SUCCESS"


def wait_workflow_engine(run, timeout, token):
    wait_for("the Mistral engine to run an action", lambda: workflow_engine_works(run, token),
             timeout, run.paths.logfile("mistral-engine"))  # fmt: skip


def wait_service_ready(run, svc, timeout):
    """Wait until one service does its job: MariaDB answers SQL, an API answers HTTP, a
    port is open, or an oslo.service daemon reported after this run started it."""
    p = run.paths
    log = p.logfile(svc.name)
    if svc.name == "mariadb":
        def check():
            check_alive(p, svc.name)
            mysql(p, "SELECT 1")
            return True

        wait_for("MariaDB to accept connections", check, timeout, log)
    elif svc.health:
        wait_answers(p, svc.name, svc.health, timeout)
    elif svc.port:
        def check():
            check_alive(p, svc.name)
            return port_open(svc.port)

        wait_for("%s on 127.0.0.1:%d" % (svc.name, svc.port), check, timeout, log)
    elif svc.name == "mistral-engine":
        wait_workflow_engine(run, timeout, admin_token()[0])
    else:
        token, project_id = admin_token()
        wait_for("%s to report up" % svc.name,
                 lambda: services_up(run, [svc.name], token, project_id), timeout, log)


def wait_ready(run, svcs, timeout):
    p = run.paths
    for svc in svcs:
        if svc.health:
            wait_answers(p, svc.name, svc.health, timeout)
    run.step("every API answers")
    token, project_id = admin_token()

    def cinder_up():
        if not services_up(run, CINDER, token, project_id):
            return False
        # the scheduler must also know the pool, or the first create is "No valid backend"
        code, data, _ = http("GET", "http://127.0.0.1:8776/v3/%s/scheduler-stats/get_pools"
                             % project_id, token)  # fmt: skip
        return code == 200 and VOLUME_BACKEND_HOST in [x["name"] for x in data.get("pools", [])]

    wait_for("the Cinder volume, backup and scheduler services to report up", cinder_up,
             timeout, p.logfile("cinder-volume"))  # fmt: skip
    run.step("cinder volume/backup/scheduler up, pool known to the scheduler")

    def manila_pool():
        for n in MANILA:
            check_alive(p, n)
        code, data, _ = http("GET", "http://127.0.0.1:8786/v2/scheduler-stats/pools", token,
                             headers=HEARTBEATS["manila"][1])  # fmt: skip
        if code != 200 or not data.get("pools"):
            return False
        return services_up(run, MANILA, token, project_id)

    wait_for("the Manila share pool to be listed", manila_pool, timeout,
             p.logfile("manila-share"))  # fmt: skip
    run.step("manila pool listed")

    wait_for("the Nova compute host to register",
             lambda: services_up(run, NOVA, token, project_id), timeout,
             p.logfile("nova-compute"))  # fmt: skip

    def hypervisor():
        code, data, _ = http("GET", "http://127.0.0.1:8774/v2.1/os-hypervisors", token)
        return code == 200 and bool(data.get("hypervisors"))

    wait_for("the Nova hypervisor to appear", hypervisor, timeout, p.logfile("nova-compute"))
    run.step("nova compute host registered")
    if not compute_host_mapped(p):
        say("  discovering the compute host")
        discover_compute_hosts(p)
    wait_workflow_engine(run, timeout, token)
    run.step("mistral engine runs actions")
