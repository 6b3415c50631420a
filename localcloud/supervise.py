"""Starting and stopping the services of one local cloud, and what holds their ports."""

import hashlib
import json
import os
import time

from localcloud.cloudjson import hide_cloud_json
from localcloud.config import EPMD_PORT, PKG_DIR, CloudError, Paths
from localcloud.procs import (
    listener_pids,
    port_free,
    proc_stat,
    read_pidfile,
    running_pid,
    spawn,
    stop_pids,
)
from localcloud.readiness import wait_service_ready
from localcloud.run import say
from localcloud.services import services

STOP_TIMEOUT = {"app": 20, "infra": 40}
# Services an earlier version of the cloud ran: up and down stop them if still running.
RETIRED = ["neutron-stub"]  # replaced by neutron-api (the real neutron)


def watched_files(p, svc):
    """Files whose change means the running service must be restarted."""
    project = svc.name.split("-")[0]
    files = []
    conf_dir = os.path.join(p.etc, project)
    if os.path.isdir(conf_dir):
        files += [os.path.join(conf_dir, f) for f in sorted(os.listdir(conf_dir))]
    files += [os.path.join(PKG_DIR, f) for f in svc.code]
    if svc.launcher:
        files.append(os.path.join(p.bin, svc.name))
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


def hashfile(p, name):
    return os.path.join(p.run, name + ".confighash")


def start(run, svc):
    """Start svc unless it runs with the current config; (pid, started now?)."""
    p = run.paths
    want = config_hash(p, svc)
    pid = running_pid(p, svc.name)
    if pid:
        try:
            with open(hashfile(p, svc.name)) as f:
                have = f.read().strip()
        except FileNotFoundError:
            have = want  # started before hashes existed: adopt it as it is
            with open(hashfile(p, svc.name), "w") as f:
                f.write(want + "\n")
        if have == want:
            return pid, False
        say("  restarting %s: its configuration or code changed" % svc.name)
        stop_pids([pid], STOP_TIMEOUT["app"])
    if svc.name == "epmd" and not port_free(EPMD_PORT):
        return None, False  # reuse the running epmd
    pid = spawn(p, svc)
    run.started_at[svc.name] = time.time()
    with open(hashfile(p, svc.name), "w") as f:
        f.write(want + "\n")
    return pid, True


def ensure_started(run, svcs, names):
    for svc in svcs:
        if svc.name in names:
            pid, new = start(run, svc)
            if new:
                say("  started %-17s pid %d" % (svc.name, pid))


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
            pass  # gone meanwhile: no candidate from it
        try:
            candidates.append(os.path.join(os.readlink("/proc/%d/cwd" % who), ".localcloud"))
        except OSError:
            pass  # gone meanwhile: no candidate from it
    for state in candidates:
        other = Paths(state)
        try:
            names = os.listdir(other.run)
        except OSError:
            continue  # not a state dir
        for name in names:
            if name.endswith(".pid") and read_pidfile(other, name[: -len(".pid")])[0] == sid:
                return other.state
    return None


def check_ports(run, svcs):
    """Fail before starting anything if a port we need is held by a stranger.

    Another local cloud (another clone or $LOCALCLOUD_STATE) holding them is stopped:
    the ports are fixed, only one can run."""
    p = run.paths
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
                for state in sorted(others):
                    say("Stopping the local cloud of %s: it holds port %d (%s)"
                        % (state, port, svc.name))  # fmt: skip
                    down(Paths(state))
                deadline = time.time() + 10
                while not port_free(port) and time.time() < deadline:
                    time.sleep(0.2)
                if port_free(port):
                    continue
            raise CloudError(
                "port 127.0.0.1:%d needed by %s is already in use by another process "
                "(not started by this local cloud); stop it or free the port" % (port, svc.name)
            )


def forget_pid(p, name):
    try:
        os.unlink(p.pidfile(name))
    except FileNotFoundError:
        pass  # never started


def stop_service(p, svc):
    """Stop one service (for fault tests); the rest of the cloud keeps running."""
    pid = running_pid(p, svc.name)
    if not pid:
        say("%s is not running" % svc.name)
        return
    killed = stop_pids([pid], STOP_TIMEOUT[svc.group])
    forget_pid(p, svc.name)
    say("Stopped %s (pid %d%s)" % (svc.name, pid, ", killed" if killed else ""))


def start_service(run, svc, timeout):
    """Start one service of a cloud that was set up, and wait until it does its job."""
    p = run.paths
    if not os.path.isdir(p.etc):
        raise CloudError("the local cloud in %s was never set up; run: python3 -m localcloud up"
                         % p.state)  # fmt: skip
    check_ports(run, [svc])
    pid, new = start(run, svc)
    if not new:
        say("%s is already running (pid %s)" % (svc.name, pid or "of another owner"))
    wait_service_ready(run, svc, timeout)
    say("%s %s in %.1f s" % (svc.name, "started, ready" if new else "ready", run.elapsed()))


def stop_retired(p):
    for name in RETIRED:
        pid = running_pid(p, name)
        if pid:
            say("  stopping %s: no longer part of the local cloud" % name)
            stop_pids([pid], STOP_TIMEOUT["app"])
        forget_pid(p, name)


def down(p):
    """Stop every service of the cloud at p (apps first, then infra in reverse order)."""
    if not os.path.isdir(p.run):
        say("Nothing to stop (no state in %s)" % p.state)
        return 0
    stop_retired(p)
    svcs = services(p)
    stopped = []
    app = [s for s in svcs if s.group == "app"]
    infra = [s for s in reversed(svcs) if s.group == "infra"]
    for batch in (app, infra):
        pids = {s.name: running_pid(p, s.name) for s in batch}
        pids = {name: pid for name, pid in pids.items() if pid}
        if pids:
            killed = stop_pids(list(pids.values()), STOP_TIMEOUT[batch[0].group])
            for name, pid in pids.items():
                stopped.append(name + (" (killed)" if pid in killed else ""))
    for svc in svcs:
        forget_pid(p, svc.name)
    hide_cloud_json(p)
    say("Stopped: %s" % ", ".join(stopped) if stopped else "Nothing was running")
    return 0
