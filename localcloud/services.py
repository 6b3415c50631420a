"""The service table: what runs, in which order, with which command line."""

import os
import sys

from localcloud.config import EPMD_PORT, RABBIT_BIN, RABBIT_DIST_PORT, RABBIT_PORT, REPO_ROOT


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
    # --keep-alive 0: every response says "Connection: close".  gunicorn's default closes
    # an idle kept-alive connection after 2 s, and a client whose next request crosses
    # that close gets RemoteDisconnected (its pool cannot see the close coming).
    argv = [
        p.vbin("gunicorn"),
        "--bind", "127.0.0.1:%d" % port,
        "--workers", "1",
        "--threads", str(threads),
        "--keep-alive", "0",
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


def daemon(p, name, conf):
    """An oslo.service daemon started from the venv's console script."""
    return Service(name, [p.vbin(name), "--config-file", conf])


def rabbit_env(p):
    rabbit_etc = os.path.join(p.etc, "rabbitmq")
    return {
        "RABBITMQ_NODENAME": "localcloud@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(RABBIT_PORT),
        "RABBITMQ_DIST_PORT": str(RABBIT_DIST_PORT),
        "RABBITMQ_MNESIA_BASE": os.path.join(p.data, "rabbitmq", "mnesia"),
        "RABBITMQ_LOG_BASE": os.path.join(p.log, "rabbitmq"),
        "RABBITMQ_LOGS": "-",
        "RABBITMQ_CONFIG_FILE": os.path.join(rabbit_etc, "rabbitmq.conf"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": os.path.join(rabbit_etc, "advanced.config"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(rabbit_etc, "enabled_plugins"),
        "RABBITMQ_CONF_ENV_FILE": os.path.join(rabbit_etc, "rabbitmq-env.conf"),
        "RABBITMQ_PID_FILE": os.path.join(p.run, "rabbitmq-beam.pid"),
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        "ERL_EPMD_ADDRESS": "127.0.0.1",
        "ERL_EPMD_PORT": str(EPMD_PORT),
        "HOME": os.path.join(p.data, "rabbitmq", "home"),
    }


def mariadb(p):
    return Service(
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
    )


def services(p):
    """Every service, in start order (infra first; ``down`` stops them in reverse)."""
    cinder_conf = p.conf("cinder")
    manila_conf = p.conf("manila")
    nova_conf = p.conf("nova")
    return [
        mariadb(p),
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
            env=rabbit_env(p),
            group="infra",
            extra_ports=(RABBIT_DIST_PORT,),
        ),
        gunicorn(
            p,
            "keystone",
            5000,
            "keystone.wsgi.api",
            p.conf("keystone"),
            env={
                "OS_KEYSTONE_CONFIG_DIR": os.path.join(p.etc, "keystone"),
                "OS_KEYSTONE_CONFIG_FILES": "keystone.conf",
            },
        ),
        gunicorn(
            p,
            "glance-api",
            9292,
            "glance.wsgi.api",
            p.conf("glance", "glance-api.conf"),
            env={"OS_GLANCE_CONFIG_DIR": os.path.join(p.etc, "glance")},
        ),
        gunicorn(
            p,
            "placement-api",
            8778,
            "placement.wsgi.api",
            p.conf("placement"),
            threads=1,
            env={"OS_PLACEMENT_CONFIG_DIR": os.path.join(p.etc, "placement")},
        ),
        Service(
            "neutron-stub",
            [sys.executable, "-m", "localcloud.neutron_stub", "--port", "9696"],
            port=9696,
            health="http://127.0.0.1:9696/",
        ),
        # nova-conductor first: nova-compute waits (10 s pings) until it answers
        daemon(p, "nova-conductor", nova_conf),
        gunicorn(p, "cinder-api", 8776, "cinder.wsgi.api", cinder_conf),
        daemon(p, "cinder-scheduler", cinder_conf),
        daemon(p, "cinder-volume", cinder_conf),
        daemon(p, "cinder-backup", cinder_conf),
        gunicorn(p, "manila-api", 8786, "manila.wsgi.api", manila_conf),
        daemon(p, "manila-scheduler", manila_conf),
        daemon(p, "manila-share", manila_conf),
        gunicorn(
            p,
            "nova-api",
            8774,
            "nova.wsgi.osapi_compute",
            nova_conf,
            env={
                "OS_NOVA_CONFIG_DIR": os.path.join(p.etc, "nova"),
                "OS_NOVA_CONFIG_FILES": "api-paste.ini;nova.conf",
            },
        ),
        daemon(p, "nova-scheduler", nova_conf),
        Service("nova-compute", [os.path.join(p.bin, "nova-compute"), "--config-file", nova_conf]),
    ]


def by_name(svcs):
    return {s.name: s for s in svcs}
