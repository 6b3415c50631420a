"""The database: MariaDB's datadir, the databases and user, the services' db syncs."""

import concurrent.futures
import os
import subprocess

from localcloud.config import AUTH_URL, DATABASES, PASSWORDS, REGION, CloudError, db_url
from localcloud.procs import run_logged
from localcloud.run import say


def mysql(p, sql):
    r = subprocess.run(
        ["/usr/bin/mariadb", "--no-defaults", "-uroot", "-S", p.mysql_sock, "-N", "-B", "-e", sql],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise CloudError("mariadb: %s failed: %s" % (sql[:60], r.stderr.strip()))
    return r.stdout


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


def touch(path):
    open(path, "w").close()


def setup_databases(p):
    """The databases and their user (idempotent: a database added later appears too)."""
    stmts = ["CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4;" % db for db in DATABASES]
    stmts.append(
        "CREATE USER IF NOT EXISTS 'localcloud'@'localhost' IDENTIFIED BY '%s';" % PASSWORDS["db"]
    )
    stmts.append("GRANT ALL PRIVILEGES ON *.* TO 'localcloud'@'localhost';")
    stmts.append("FLUSH PRIVILEGES;")
    mysql(p, " ".join(stmts))


def manage(p, tool, project, conf=None):
    """``<venv>/bin/<tool> --config-file <etc>/<project>/<conf>`` (the start of a command)."""
    return [p.vbin(tool), "--config-file", p.conf(project, conf)]


def db_sync_jobs(p):
    km = manage(p, "keystone-manage", "keystone")
    nm = manage(p, "nova-manage", "nova")
    owner = ["--keystone-user", "root", "--keystone-group", "root"]
    return {
        "keystone": [
            km + ["db_sync"],
            km + ["fernet_setup"] + owner,
            km + ["credential_setup"] + owner,
            km + ["bootstrap", "--bootstrap-password", PASSWORDS["admin"],
                  "--bootstrap-admin-url", AUTH_URL,
                  "--bootstrap-internal-url", AUTH_URL,
                  "--bootstrap-public-url", AUTH_URL,
                  "--bootstrap-region-id", REGION],
        ],
        "glance": [manage(p, "glance-manage", "glance", "glance-api.conf") + ["db_sync"]],
        "placement": [manage(p, "placement-manage", "placement") + ["db", "sync"]],
        "cinder": [manage(p, "cinder-manage", "cinder") + ["db", "sync"]],
        "manila": [manage(p, "manila-manage", "manila") + ["db", "sync"]],
        "neutron": [manage(p, "neutron-db-manage", "neutron") + ["upgrade", "heads"]],
        # populate: Mistral's standard actions and workflows (the OpenStack clients' too)
        "mistral": [manage(p, "mistral-db-manage", "mistral") + ["upgrade", "head"],
                    manage(p, "mistral-db-manage", "mistral") + ["populate"]],
        "nova": [
            nm + ["api_db", "sync"],
            nm + ["cell_v2", "map_cell0", "--database_connection", db_url(p, "nova_cell0")],
            nm + ["cell_v2", "create_cell", "--name", "cell1"],
            nm + ["db", "sync"],
        ],
    }  # fmt: skip


def retire_glance_sqlite(p):
    """A cloud made before Glance moved to MariaDB: forget its sqlite database, so that
    Glance's tables and metadata definitions are made again in MariaDB (sqlite answered
    500 "database is locked" to requests side by side)."""
    old = os.path.join(p.data, "glance", "glance.sqlite")
    if not os.path.exists(old):
        return
    say("  moving Glance from sqlite to MariaDB (its images are made again)")
    for path in (old, p.stamp("db-glance"), p.stamp("glance-metadefs")):
        if os.path.exists(path):
            os.remove(path)


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
        touch(p.stamp("db-" + name))

    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as ex:
        futs = [ex.submit(chain, k, v) for k, v in jobs.items()]
        for f in futs:
            f.result()


def load_glance_metadefs(p):
    """Glance's metadata definitions (the JSON files it ships), once, as deployments do."""
    if os.path.exists(p.stamp("glance-metadefs")):
        return
    say("  loading Glance's metadata definitions")
    metadefs = os.path.join(p.venv, "etc", "glance", "metadefs")
    run_logged(p, "setup-glance", manage(p, "glance-manage", "glance", "glance-api.conf")
               + ["db_load_metadefs", metadefs])  # fmt: skip
    touch(p.stamp("glance-metadefs"))


def compute_host_mapped(p, host="localcloud"):
    count = mysql(p, "SELECT COUNT(*) FROM nova_api.host_mappings WHERE host='%s'" % host)
    return count.strip() != "0"


def discover_compute_hosts(p):
    run_logged(p, "setup-nova", manage(p, "nova-manage", "nova")
               + ["cell_v2", "discover_hosts", "--verbose"])  # fmt: skip
