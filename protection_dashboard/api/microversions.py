"""Microversion arithmetic and the behaviours that depend on a microversion.

Instead of pinning a maximum, clients speak the newest version that both the
library and the server know (see ``base.negotiate_version``); this table names
the versions at which behaviour we rely on changes.
"""

from __future__ import annotations

#: Behaviours that change at a microversion, by service.
FEATURES: dict[str, dict[str, str]] = {
    'cinder': {
        # Snapshots of in-use volumes need no force flag and reject force=False.
        'snapshot_in_use_implied': '3.66',
        # Snapshot manage/unmanage and list-manageable live in the v3 API.
        'manage_snapshots': '3.8',
        'backup_metadata': '3.43',
    },
    'manila': {
        'revert_to_snapshot': '2.27',
        'snapshot_metadata': '2.73',
    },
    'nova': {
        'boot_without_network': '2.37',
    },
}


def as_tuple(version: str) -> tuple[int, int]:
    major, _, minor = version.partition('.')
    return int(major), int(minor or 0)


def base_version(version: str) -> str:
    """The major API version for services without microversions (``'3.71'`` -> ``'3'``)."""
    return version.partition('.')[0]


def supports(service: str, feature: str, version: str) -> bool:
    return as_tuple(version) >= as_tuple(FEATURES[service][feature])
