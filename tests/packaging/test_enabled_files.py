"""The enabled files are named so that the README's copy and removal globs
(``_6*_protection_*.py``) take every one of them and nothing of Horizon's."""

import os
import re

ENABLED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'protection_dashboard', 'enabled')


def test_every_enabled_file_matches_the_readmes_glob():
    names = sorted(name for name in os.listdir(ENABLED)
                   if name.endswith('.py') and name != '__init__.py')
    assert len(names) >= 4
    assert [name for name in names if not re.fullmatch(r'_6\d{3}_protection_\w+\.py', name)] == []
