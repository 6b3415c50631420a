"""RabbitMQ virtual hosts: the services that keep their messages apart (Mistral) get
one of their own, made once through ``rabbitmqctl`` on the cloud's own node."""

import os

from localcloud.config import RABBIT_VHOSTS
from localcloud.procs import run_logged
from localcloud.run import say
from localcloud.services import rabbit_env

RABBITMQCTL = "/usr/lib/rabbitmq/bin/rabbitmqctl"


def rabbitmqctl(p, *args):
    env = rabbit_env(p)
    run_logged(p, "rabbitmqctl", [RABBITMQCTL, "-n", env["RABBITMQ_NODENAME"], *args],
               env=env, timeout=120)  # fmt: skip


def ensure_vhosts(p):
    """Each of RABBIT_VHOSTS, with full rights for the cloud's user (stamped: the stamps
    go with the broker's data on ``reset``)."""
    for vhost in RABBIT_VHOSTS:
        stamp = p.stamp("rabbit-vhost-" + vhost)
        if os.path.exists(stamp):
            continue
        say("  RabbitMQ virtual host %s" % vhost)
        rabbitmqctl(p, "add_vhost", vhost)
        rabbitmqctl(p, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        open(stamp, "w").close()
