"""One invocation of the orchestrator: its paths, its clock and what it started."""

import time

from localcloud.config import Paths


def say(msg):
    print(msg, flush=True)


class Run:
    """Passed to everything that starts services or reports progress.

    ``started_at`` maps a service name to the time.time() of its spawn in this run: a
    service's heartbeat counts only if it is newer than that.
    """

    def __init__(self, paths=None):
        self.paths = paths or Paths()
        self.t0 = time.time()
        self.started_at = {}

    def step(self, msg):
        say("  [%5.1f s] %s" % (time.time() - self.t0, msg))

    def elapsed(self):
        return time.time() - self.t0
