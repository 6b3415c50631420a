"""Fixed facts of the local cloud (names, ports, credentials) and its state paths."""

import os

from localcloud import info

REPO_ROOT = info.REPO_ROOT
PKG_DIR = os.path.join(REPO_ROOT, "localcloud")
TEMPLATES = os.path.join(PKG_DIR, "templates")
CONSTRAINTS = os.path.join(PKG_DIR, "constraints.txt")

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

DATABASES = [
    "glance", "cinder", "manila", "nova_api", "nova", "nova_cell0", "neutron", "mistral",
]  # fmt: skip

API_PORTS = {
    "keystone": 5000,
    "glance-api": 9292,
    "placement-api": 8778,
    "nova-api": 8774,
    "cinder-api": 8776,
    "manila-api": 8786,
    "neutron-api": 9696,
    "mistral-api": 8989,
}
# RabbitMQ virtual hosts of their own (the other services share "/").
RABBIT_VHOSTS = ["mistral"]


class CloudError(Exception):
    """A failure with a message for the user (no traceback)."""


class ServiceDied(CloudError):
    """A service's processes are all gone (stops a wait at once)."""


class Paths:
    """Where everything of one local cloud lives (``.localcloud/`` or $LOCALCLOUD_STATE)."""

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

    def conf(self, project, filename=None):
        """``<etc>/<project>/<filename>`` (filename defaults to ``<project>.conf``)."""
        return os.path.join(self.etc, project, filename or project + ".conf")


def db_url(p, db):
    return "mysql+pymysql://localcloud:%s@localhost/%s?unix_socket=%s&charset=utf8mb4" % (
        PASSWORDS["db"],
        db,
        p.mysql_sock,
    )
