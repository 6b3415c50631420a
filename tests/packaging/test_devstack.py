"""The DevStack plugin (devstack/plugin.sh, devstack/settings): ShellCheck finds
nothing, and run as DevStack runs it, against the built wheel's files, it copies
every enabled file and the settings snippet into Horizon and removes them again."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
DEVSTACK = REPO / 'devstack'
ENABLED = sorted(p.name for p in (REPO / 'protection_dashboard' / 'enabled').glob('_6*.py'))
SNIPPET = '_6000_protection_dashboard.py'

# What DevStack provides to a plugin, reduced to what ours calls.
DEVSTACK_STUBS = '''
set -euo pipefail
enable_service() { :; }
is_service_enabled() { return 0; }
echo_summary() { echo "summary: $*"; }
setup_develop() { echo "setup_develop $1"; }
'''


def test_shellcheck_finds_nothing():
    shellcheck = shutil.which('shellcheck')
    assert shellcheck, 'shellcheck is missing: tools/setup-dashboard installs it'
    result = subprocess.run([shellcheck, 'plugin.sh', 'settings'], cwd=DEVSTACK,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def copied_patterns() -> list[str]:
    """The package-relative paths plugin.sh copies (its PROTECTION_DASHBOARD_* names)."""
    text = (DEVSTACK / 'plugin.sh').read_text()
    return re.findall(r"^PROTECTION_DASHBOARD_(?:ENABLED|SNIPPET)='?([^'\n]+)'?$", text, re.M)


def test_the_wheel_ships_every_file_plugin_sh_copies(wheel):
    patterns = copied_patterns()
    assert len(patterns) == 2, patterns
    for pattern in patterns:
        assert fnmatch.filter(wheel.names, 'protection_dashboard/' + pattern), pattern
    shipped = fnmatch.filter(wheel.names, 'protection_dashboard/' + patterns[0])
    assert sorted(Path(name).name for name in shipped) == ENABLED


def run_phase(dest: Path, package_parent: Path, *phase: str) -> str:
    script = DEVSTACK_STUBS + 'DEST=%s\nsource %s\nsource %s %s\n' % (
        dest, DEVSTACK / 'settings', DEVSTACK / 'plugin.sh', ' '.join(phase))
    env = {'PATH': '/usr/bin:/bin', 'PROTECTION_DASHBOARD_DIR': str(package_parent)}
    result = subprocess.run(['bash', '-c', script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def horizon_local(tmp_path):
    local = tmp_path / 'horizon' / 'openstack_dashboard' / 'local'
    for sub in ('enabled', 'local_settings.d'):
        (local / sub).mkdir(parents=True)
    (local / 'enabled' / '_1000_project.py').write_text('# Horizon\'s own\n')
    return local


def test_plugin_installs_enables_and_cleans_up(wheel, tmp_path, horizon_local):
    out = run_phase(tmp_path, wheel.root, 'stack', 'install')
    assert 'setup_develop %s' % wheel.root in out

    run_phase(tmp_path, wheel.root, 'stack', 'post-config')
    assert sorted(p.name for p in (horizon_local / 'enabled').iterdir()) == sorted(
        ENABLED + ['_1000_project.py'])
    assert [p.name for p in (horizon_local / 'local_settings.d').iterdir()] == [SNIPPET]

    run_phase(tmp_path, wheel.root, 'clean')
    assert [p.name for p in (horizon_local / 'enabled').iterdir()] == ['_1000_project.py']
    assert list((horizon_local / 'local_settings.d').iterdir()) == []
