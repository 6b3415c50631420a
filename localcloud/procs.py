"""Processes and ports, read from /proc: pid files, sessions, listeners, signals."""

import os
import signal
import socket
import subprocess
import time

from localcloud.config import REPO_ROOT, CloudError


def read_pidfile(p, name):
    """(pid, start time) from the pid file, or (None, None)."""
    try:
        with open(p.pidfile(name)) as f:
            fields = f.read().split()
        return int(fields[0]), (int(fields[1]) if len(fields) > 1 else None)
    except (OSError, ValueError, IndexError):
        return None, None


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


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return 0  # the process ended while we looked
    return 0


def session_rss_kb(sid):
    return sum(rss_kb(pid) for pid in session_members(sid))


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


def listener_pids(port):
    """Pids of the processes listening on TCP port (any address), from /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue  # no such table (e.g. no IPv6)
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
            continue  # gone, or not ours to read
        for fd in fds:
            try:
                if os.readlink(os.path.join(fd_dir, fd)) in inodes:
                    pids.add(int(d))
                    break
            except OSError:
                continue  # fd closed meanwhile
    return pids


def base_env(p):
    """The environment of every child: the venv first on PATH, no stray OS_* settings."""
    env = dict(os.environ)
    for k in list(env):
        if k.startswith(("OS_", "VIRTUAL_ENV", "PYTHONHOME", "GUNICORN_")):
            env.pop(k)
    env["PATH"] = os.path.join(p.venv, "bin") + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env["PYTHONPATH"] = REPO_ROOT
    env["LOCALCLOUD_STATE"] = p.state
    env["PYTHONUNBUFFERED"] = "1"
    return env


def open_log(p, logname, header):
    """log/<logname>.log opened for appending, a dated header line written."""
    lf = open(p.logfile(logname), "ab")  # noqa: SIM115 - the caller closes it
    lf.write(("\n==== %s %s\n" % (time.strftime("%F %T"), header)).encode())
    lf.flush()
    return lf


def child_io(p, logf, env=None):
    """subprocess arguments: no stdin, output to logf, the repo as cwd, base_env + env."""
    e = base_env(p)
    e.update(env or {})
    return {"stdin": subprocess.DEVNULL, "stdout": logf, "stderr": subprocess.STDOUT,
            "cwd": REPO_ROOT, "env": e}  # fmt: skip


def spawn(p, svc):
    """Start svc detached (own session), output to its log; write its pid file."""
    with open_log(p, svc.name, "starting " + svc.name) as logf:
        proc = subprocess.Popen(
            svc.argv, **child_io(p, logf, svc.env), start_new_session=True, close_fds=True
        )
    st = proc_stat(proc.pid)
    with open(p.pidfile(svc.name), "w") as f:
        f.write("%d %d\n" % (proc.pid, st[3] if st else 0))
    return proc.pid


def run_logged(p, logname, argv, env=None, timeout=600, ok_codes=(0,)):
    """Run a command to completion, output appended to log/<logname>.log."""
    with open_log(p, logname, " ".join(argv)) as lf:
        rc = subprocess.run(argv, **child_io(p, lf, env), timeout=timeout).returncode
    if rc not in ok_codes:
        raise CloudError(
            "%s failed (exit %d); see %s" % (" ".join(argv[:3]), rc, p.logfile(logname))
        )


def _signal_session(sid, sig):
    try:
        os.killpg(sid, sig)
    except (ProcessLookupError, PermissionError):
        pass  # the group is gone; members that left it are signalled below
    for pid in session_members(sid):  # members that left the process group
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass  # ended meanwhile


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
