"""Fixtures of the packaging tests.

- ``wheel`` (session): the wheel of the working tree as it is (committed or not),
  built in a scratch clone so the checkout gets no build/ or egg-info, unpacked;
  ``wheel.root`` is the unpacked directory, ``wheel.names`` its file list.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent


@dataclass
class Wheel:
    root: Path
    names: list[str]


def _git(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(['git', *args], cwd=cwd, check=True, capture_output=True, **kwargs)


def _scratch_clone(target: Path) -> None:
    """A clone of HEAD with the working tree's changes and new files staged (pbr
    ships what git lists)."""
    _git('clone', '-q', str(REPO), str(target), cwd=REPO)
    diff = _git('diff', '--binary', 'HEAD', cwd=REPO).stdout
    if diff:
        _git('apply', '--index', cwd=target, input=diff)
    untracked = _git('ls-files', '-z', '--others', '--exclude-standard', cwd=REPO)
    for name in filter(None, untracked.stdout.decode().split('\0')):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
        _git('add', name, cwd=target)


@pytest.fixture(scope='session')
def wheel(tmp_path_factory) -> Wheel:
    work = tmp_path_factory.mktemp('wheel')
    clone = work / 'protection-dashboard'
    _scratch_clone(clone)
    result = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps',
                             '-w', str(work / 'dist'), str(clone)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = (work / 'dist').glob('protection_dashboard-*.whl')
    with zipfile.ZipFile(path) as archive:
        archive.extractall(work / 'unpacked')
        names = archive.namelist()
    return Wheel(work / 'unpacked', names)
