"""Config rendering: ``templates/*.conf`` and the generated files under <state>/etc, bin."""

import configparser
import os
import shutil
import string

from localcloud.config import (
    DATABASES,
    PASSWORDS,
    RABBIT_PORT,
    REPO_ROOT,
    TEMPLATES,
    db_url,
)
from localcloud.services import (
    MISTRAL_DIST,
    NEUTRON_DIST,
    NEUTRON_ENTRY_POINTS,
    mistral_plugins,
    neutron_plugins,
    services,
)

# (template, destination under <state>/etc, service user of its [keystone_authtoken])
CONFIGS = [
    ("keystone.conf", "keystone/keystone.conf", None),
    ("glance-api.conf", "glance/glance-api.conf", "glance"),
    ("placement.conf", "placement/placement.conf", "placement"),
    ("cinder.conf", "cinder/cinder.conf", "cinder"),
    ("manila.conf", "manila/manila.conf", "manila"),
    ("nova.conf", "nova/nova.conf", "nova"),
    ("neutron.conf", "neutron/neutron.conf", "neutron"),
    ("mistral.conf", "mistral/mistral.conf", "mistral"),
]

# Files shipped in the venv's etc/ that the services read as they are.
VENV_ETC_COPIES = [
    "glance/glance-api-paste.ini",
    "cinder/api-paste.ini",
    "cinder/resource_filters.json",
    "manila/api-paste.ini",
    "nova/api-paste.ini",
    "neutron/api-paste.ini",
]

STATE_DIRS = [
    ("data", "mysql-tmp"),
    ("data", "keystone"),
    ("data", "glance", "images"),
    ("data", "glance", "staging"),
    ("data", "glance", "tasks"),
    ("data", "glance", "locks"),
    ("data", "placement"),
    ("data", "cinder", "volumes"),
    ("data", "cinder", "backups"),
    ("data", "cinder", "locks"),
    ("data", "cinder", "coordination"),
    ("data", "manila", "locks"),
    ("data", "nova", "instances"),
    ("data", "nova", "locks"),
    ("data", "neutron", "locks"),
    ("data", "mistral", "locks"),
    ("data", "rabbitmq", "mnesia"),
    ("data", "rabbitmq", "home"),
    ("log", "rabbitmq"),
    ("etc", "rabbitmq"),
]

RABBITMQ_CONF = """\
listeners.tcp.default = 127.0.0.1:%d
loopback_users.guest = true
log.console = true
log.console.level = info
log.file = false
vm_memory_high_watermark.absolute = 1GB
disk_free_limit.absolute = 50MB
"""



def read_template(name):
    with open(os.path.join(TEMPLATES, name)) as f:
        return f.read()


def write_file(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)


def render(p, template, dest, service_user=None):
    text = read_template(template)
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
        "transport_url_mistral": "rabbit://guest:guest@127.0.0.1:%d/mistral" % RABBIT_PORT,
    }
    for db in DATABASES:
        values["db_url_" + db] = db_url(p, db)
    if "${authtoken}" in text:
        values["authtoken"] = string.Template(read_template("_authtoken.tmpl")).substitute(
            service_user=service_user or "admin",
            service_password=PASSWORDS["service"],
        )
    write_file(dest, string.Template(text).substitute(values))


def write_rabbitmq(p):
    rdir = os.path.join(p.etc, "rabbitmq")
    write_file(os.path.join(rdir, "rabbitmq.conf"), RABBITMQ_CONF % RABBIT_PORT)
    write_file(os.path.join(rdir, "advanced.config"), "[].\n")
    write_file(os.path.join(rdir, "enabled_plugins"), "[].\n")
    write_file(os.path.join(rdir, "rabbitmq-env.conf"),
               "# empty: every setting comes from the environment\n")  # fmt: skip


def write_neutron_plugins(p):
    """The dist-info through which neutron loads our ML2 mechanism driver."""
    dist = os.path.join(neutron_plugins(p), NEUTRON_DIST)
    write_file(os.path.join(dist, "METADATA"),
               "Metadata-Version: 2.1\nName: localcloud-neutron\nVersion: 1.0\n")  # fmt: skip
    write_file(os.path.join(dist, "entry_points.txt"), NEUTRON_ENTRY_POINTS)


def mistral_entry_points():
    """setup.cfg's ``mistral.actions`` entry points, as entry_points.txt declares them."""
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(REPO_ROOT, "setup.cfg"))
    lines = [line.strip() for line in cfg["entry_points"]["mistral.actions"].splitlines()]
    return "[mistral.actions]\n" + "".join(line + "\n" for line in lines if line)


def write_mistral_actions(p):
    """The dist-info through which Mistral loads the dashboard's actions."""
    dist = os.path.join(mistral_plugins(p), MISTRAL_DIST)
    metadata = "Metadata-Version: 2.1\nName: localcloud-mistral-actions\nVersion: 1.0\n"
    write_file(os.path.join(dist, "METADATA"), metadata)
    write_file(os.path.join(dist, "entry_points.txt"), mistral_entry_points())


def write_configs(p):
    for d in [p.etc, p.data, p.log, p.run, p.stamps, p.bin]:
        os.makedirs(d, exist_ok=True)
    for parts in STATE_DIRS:
        os.makedirs(os.path.join(p.state, *parts), exist_ok=True)
    for template, dest, service_user in CONFIGS:
        render(p, template, os.path.join(p.etc, dest), service_user)
    for rel in VENV_ETC_COPIES:
        shutil.copyfile(os.path.join(p.venv, "etc", rel), os.path.join(p.etc, rel))
    write_rabbitmq(p)
    write_neutron_plugins(p)
    write_mistral_actions(p)
    for svc in services(p):
        if svc.launcher:
            write_file(os.path.join(p.bin, svc.name), svc.launcher, mode=0o755)
