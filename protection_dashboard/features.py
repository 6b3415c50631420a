"""Feature toggles read from the ``PROTECTION_DASHBOARD`` Django setting.

In ``local_settings.py``::

    PROTECTION_DASHBOARD = {
        "enable_volume_backup": True,
        "enable_share_protection": True,
        "enable_server_snapshot": True,
    }

A plugin names its toggle in its ``feature`` attribute (``protection/base.py``).
``enable_server_snapshot`` (default True) is read by the server backup plugin
(``protection/server_backup.py``): a backup of an image-booted server is then a
Nova snapshot of the server (its user data included); False records only the
server's original image, and the form says that user data is not included.

Missing keys take the defaults below. A setting that is not a dict, or a value that is not
a boolean, is logged as a warning and the default is used, so a typo in the settings never
takes the dashboard down.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings

LOG = logging.getLogger(__name__)

SETTING_NAME = "PROTECTION_DASHBOARD"

DEFAULTS: dict[str, bool] = {
    "enable_volume_backup": True,
    "enable_share_protection": True,
    "enable_server_snapshot": True,
}


def _configured() -> Mapping[str, Any]:
    value = getattr(settings, SETTING_NAME, None)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        LOG.warning(
            "Setting %s must be a dict, not %s; using the defaults.",
            SETTING_NAME,
            type(value).__name__,
        )
        return {}
    return value


def get_feature(name: str) -> bool:
    """Return toggle ``name`` from the setting, or its default; KeyError if unknown."""
    default = DEFAULTS[name]
    value = _configured().get(name, default)
    if not isinstance(value, bool):
        LOG.warning(
            "%s[%r] must be True or False, not %r; using %s.", SETTING_NAME, name, value, default
        )
        return default
    return value


def max_microversion(service: str) -> str | None:
    """The operator's cap on the microversion spoken to ``service`` (``max_microversions``)."""
    caps = _configured().get("max_microversions") or {}
    if not isinstance(caps, Mapping):
        LOG.warning("%s['max_microversions'] must be a dict; ignoring it.", SETTING_NAME)
        return None
    return caps.get(service)

