"""The configuration guide documents every PROTECTION_DASHBOARD key with its default."""

import re
from pathlib import Path

from protection_dashboard import features

GUIDE = Path(__file__).resolve().parent.parent.parent / 'doc' / 'source' / 'configuration.md'


def documented_keys() -> dict[str, str]:
    """``{key: default}`` from the guide's table rows ``| `key` | default | ... |``."""
    return dict(re.findall(r'^\| `(\w+)` \| ([^|]+?) \|', GUIDE.read_text(), re.M))


def test_every_toggle_is_documented_with_its_default():
    documented = documented_keys()
    for key, default in features.DEFAULTS.items():
        assert documented.get(key) == '`%s`' % default, (key, documented.get(key))


def test_max_microversions_is_documented():
    assert documented_keys()['max_microversions'].startswith('not set')
