"""``up``: install, configure, start and provision the cloud, in that order."""

import json
import os

from localcloud.broker import ensure_vhosts
from localcloud.cloudjson import static_info, write_cloud_json
from localcloud.config import API_PORTS, AUTH_URL, PASSWORDS, REGION, ServiceDied
from localcloud.database import (
    init_mariadb,
    load_glance_metadefs,
    retire_glance_sqlite,
    run_db_syncs,
    setup_databases,
)
from localcloud.install import ensure_apt, ensure_venv
from localcloud.procs import run_logged
from localcloud.readiness import wait_answers, wait_ready, wait_service_ready
from localcloud.render import write_configs
from localcloud.run import say
from localcloud.services import by_name, services
from localcloud.supervise import check_ports, ensure_started, stop_retired

INFRA_WAIT = 120


def provision(p, phase):
    run_logged(
        p,
        "provision",
        [p.vbin("python"), "-m", "localcloud.provision", phase],
        env={"LOCALCLOUD_CONFIG": json.dumps(static_info())},
        timeout=600,
    )


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


def start_infra(run, svcs):
    """MariaDB (initialised, accepting connections), epmd and RabbitMQ (not awaited)."""
    init_mariadb(run.paths)
    ensure_started(run, svcs, ["mariadb"])
    ensure_started(run, svcs, ["epmd", "rabbitmq"])
    wait_service_ready(run, by_name(svcs)["mariadb"], 60)


def wait_rabbit(run, svcs):
    wait_service_ready(run, by_name(svcs)["rabbitmq"], INFRA_WAIT)
    ensure_vhosts(run.paths)
    run.step("RabbitMQ answers")


def bring_up(run, timeout):
    p = run.paths
    for d in (p.state, p.log, p.run, p.stamps):
        os.makedirs(d, exist_ok=True)
    ensure_apt()
    ensure_venv(p)
    svcs = services(p)
    stop_retired(p)
    check_ports(run, svcs)
    write_configs(p)
    start_infra(run, svcs)
    setup_databases(p)
    retire_glance_sqlite(p)
    run_db_syncs(p, only={"keystone", "glance", "placement"})
    load_glance_metadefs(p)
    ensure_started(run, svcs, ["keystone", "glance-api", "placement-api"])
    run_db_syncs(p)
    run.step("databases ready")
    wait_answers(p, "keystone", AUTH_URL, INFRA_WAIT)
    run.step("keystone answers")
    apps = [s.name for s in svcs if s.group == "app"]
    if os.path.exists(p.stamp("identity")):
        # identity exists from an earlier run: start everything, re-check it meanwhile
        wait_rabbit(run, svcs)
        ensure_started(run, svcs, apps)
        provision(p, "identity")
    else:
        provision(p, "identity")
        open(p.stamp("identity"), "w").close()
        wait_rabbit(run, svcs)
        ensure_started(run, svcs, apps)
    run.step("identity provisioned")
    try:
        wait_ready(run, svcs, timeout=timeout)
    except ServiceDied as died:
        # Once, as a service manager would: Keystone's sqlite answered 500 "database
        # is locked" to nova-conductor's first token while every service signed in.
        say("  %s; starting it again" % died)
        ensure_started(run, svcs, apps)
        wait_ready(run, svcs, timeout=timeout)
    provision(p, "resources")
    run.step("volume type, share type, flavor, image and quotas in place")
    write_cloud_json(p)
    print_summary(p)
    say("Ready in %.1f s" % run.elapsed())
