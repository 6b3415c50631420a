"""The wheel installs into a plain Horizon and its panels appear.

Builds the wheel, installs it with Horizon (pinned by constraints.txt) into a
fresh virtualenv, copies the enabled files the documented way (into
``openstack_dashboard/local/enabled``) and asks Horizon for the panels.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHECK = textwrap.dedent('''
    import glob, os, shutil, sys
    import protection_dashboard, openstack_dashboard
    enabled = os.path.join(os.path.dirname(protection_dashboard.__file__), 'enabled')
    target = os.path.join(os.path.dirname(openstack_dashboard.__file__), 'local', 'enabled')
    for path in glob.glob(os.path.join(enabled, '_6*.py')):
        shutil.copy(path, target)
    os.environ['DJANGO_SETTINGS_MODULE'] = 'openstack_dashboard.settings'
    import django
    django.setup()
    import horizon
    from django.template.loader import get_template
    from django.urls import reverse
    print('url', reverse('horizon:project:volume_snapshots:index'))
    project = horizon.get_dashboard('project')
    print('panel', project.get_panel('protectables').name)
    print('panel', project.get_panel('volume_snapshots').name)
    print('panel', horizon.get_dashboard('admin').get_panel('protection_protectables').name)
    print('template', get_template('protection_dashboard/protectables/index.html').origin.name)
    from django.contrib.staticfiles import finders
    print('static', finders.find('protection_dashboard/css/protection.css'))
''')


@pytest.mark.packaging
def test_wheel_installs_into_plain_horizon(tmp_path):
    wheel_dir = tmp_path / 'dist'
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '-w',
                    str(wheel_dir), REPO], check=True)
    wheel = glob.glob(str(wheel_dir / 'protection_dashboard-*.whl'))
    assert len(wheel) == 1
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    python = str(venv / 'bin' / 'python')
    subprocess.run([python, '-m', 'pip', 'install', '-q', '-c',
                    os.path.join(REPO, 'constraints.txt'), wheel[0]], check=True)
    result = subprocess.run([python, '-c', CHECK], cwd=str(tmp_path), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert 'panel Protectable Resources' in lines
    assert 'panel Volume Snapshots' in lines
    assert 'url /project/volume_snapshots/' in lines
    assert any(line.startswith('template ') and 'site-packages' in line for line in lines)
    assert any(line.startswith('static ') and 'site-packages' in line for line in lines)
