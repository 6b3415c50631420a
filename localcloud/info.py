"""Read the local cloud's connection facts (stdlib only).

``python3 -m localcloud up`` writes ``<state>/cloud.json``; tests and the dashboard's
development settings read it with::

    from localcloud.info import load_cloud_info
    info = load_cloud_info()
    info["auth_url"], info["users"]["demo"]["password"], ...
"""

import json
import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CloudNotUpError(RuntimeError):
    """The local cloud has not been started (no cloud.json)."""


def state_dir():
    return os.path.abspath(
        os.environ.get("LOCALCLOUD_STATE") or os.path.join(REPO_ROOT, ".localcloud")
    )


def cloud_json_path():
    return os.path.join(state_dir(), "cloud.json")


def load_cloud_info():
    """Return the dict of ``<state>/cloud.json``; raise CloudNotUpError if absent."""
    path = cloud_json_path()
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise CloudNotUpError(
            "The local cloud is not up: %s does not exist. "
            "Start it from the repository root with: python3 -m localcloud up" % path
        ) from None
