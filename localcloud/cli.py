"""``python3 -m localcloud up|down|status|seed|reset|stop|start``: the local OpenStack cloud.

Stdlib only: this runs with the plain system python before any venv exists.  ``up``
installs what is missing (Debian packages, the services' own venv), writes the
configuration files, starts every service as a detached process on 127.0.0.1, waits
until the cloud is usable and writes ``<state>/cloud.json``.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

from localcloud.config import REPO_ROOT, CloudError, Paths
from localcloud.procs import base_env, port_open, running_pid, session_rss_kb
from localcloud.rest import api_answers
from localcloud.run import Run, say
from localcloud.services import by_name, services
from localcloud.supervise import down, start_service, stop_service
from localcloud.up import bring_up


def cmd_up(args):
    bring_up(Run(), args.timeout)
    return 0


def cmd_down(args):
    return down(Paths())


def health(p, svc):
    pid = running_pid(p, svc.name)
    if not pid:
        return pid, "down"
    if svc.health:
        return pid, "ok (API answers)" if api_answers(svc.health) else "NOT ANSWERING"
    if svc.port:
        return pid, "ok (port open)" if port_open(svc.port) else "NO PORT"
    return pid, "ok (alive)"


def cmd_status(args):
    p = Paths()
    total = 0
    all_ok = True
    say("%-17s %-8s %-6s %-18s %s" % ("service", "pid", "port", "health", "RSS"))
    for svc in services(p):
        pid, state = health(p, svc)
        rss = session_rss_kb(pid) if pid else 0
        total += rss
        all_ok = all_ok and state.startswith("ok")
        say("%-17s %-8s %-6s %-18s %s" % (svc.name, pid or "-", svc.port or "-", state,
                                          "%.0f MB" % (rss / 1024.0)))  # fmt: skip
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
    r = subprocess.run([p.vbin("python"), "-m", "localcloud.seed"], cwd=REPO_ROOT,
                       env=base_env(p), stdin=subprocess.DEVNULL)  # fmt: skip
    if r.returncode != 0:
        raise CloudError("seed failed (exit %d)" % r.returncode)
    say("Seeded in %.1f s" % (time.time() - t0))
    return 0


def cmd_reset(args):
    p = Paths()
    down(p)
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


def cmd_stop(args):
    p = Paths()
    stop_service(p, by_name(services(p))[args.service])
    return 0


def cmd_start(args):
    run = Run()
    start_service(run, by_name(services(run.paths))[args.service], args.timeout)
    return 0


COMMANDS = {
    "up": cmd_up,
    "down": cmd_down,
    "status": cmd_status,
    "seed": cmd_seed,
    "reset": cmd_reset,
    "stop": cmd_stop,
    "start": cmd_start,
}


def parser():
    ap = argparse.ArgumentParser(
        prog="python3 -m localcloud",
        description="A real local OpenStack cloud on 127.0.0.1 (state in .localcloud/, "
        "or $LOCALCLOUD_STATE).",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="install what is missing, start everything, wait until ready")
    up.add_argument("--timeout", type=int, default=240, help="readiness bound per step (s)")
    sub.add_parser("down", help="stop every service this cloud started (by pid)")
    sub.add_parser("status", help="each service with pid, port, health, RSS")
    sub.add_parser("seed", help="create the demo data (idempotent)")
    reset = sub.add_parser(
        "reset", help="down + wipe the state directory (keeps the venv unless --all)"
    )
    reset.add_argument("--all", action="store_true", help="also delete the venv")
    names = [s.name for s in services(Paths())]
    stop = sub.add_parser("stop", help="stop one service (e.g. for fault tests)")
    stop.add_argument("service", choices=names)
    start = sub.add_parser("start", help="start one service, wait until it does its job")
    start.add_argument("service", choices=names)
    start.add_argument("--timeout", type=int, default=120, help="readiness bound (s)")
    return ap


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CloudError as e:
        print("localcloud: error: %s" % e, file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
