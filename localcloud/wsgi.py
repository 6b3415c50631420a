"""Per-service WSGI shim for gunicorn.

The OpenStack WSGI modules parse ``sys.argv`` with oslo.config when imported; under
gunicorn that is gunicorn's own command line, which makes the worker exit
("unrecognized arguments").  The orchestrator starts gunicorn with
``localcloud.wsgi:application`` and these environment variables:

* ``LOCALCLOUD_WSGI_MODULE``: e.g. ``cinder.wsgi.api``
* ``LOCALCLOUD_WSGI_NAME``: program name, e.g. ``cinder-api``
* ``LOCALCLOUD_WSGI_CONF``: the service's configuration file
"""

import importlib
import os
import sys

_module = os.environ["LOCALCLOUD_WSGI_MODULE"]
_name = os.environ.get("LOCALCLOUD_WSGI_NAME", _module)
_conf = os.environ.get("LOCALCLOUD_WSGI_CONF")

sys.argv = [_name] + (["--config-file", _conf] if _conf else [])

application = importlib.import_module(_module).application
